//! Moved from the core's unit tests: they need the checker and the judge.

use kefu_check::{build_bundle, check_file, load_library};
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles::Lang;
use kefu_core::scenario::Loc;
use kefu_core::view::*;
use kefu_judge::score;

const MINI: &str = include_str!("../../../tests/data/mini.toml");

#[test]
fn a_broken_file_does_not_stop_the_others() {
    let lib = load_library(&[
        ("bad.toml".into(), "id = \"x\"\nkind = [".into()),
        ("mini.toml".into(), MINI.into()),
    ]);
    assert_eq!(lib.scenarios.len(), 1);
    assert_eq!(lib.broken.len(), 1);
    assert!(
        lib.broken[0].1[0].starts_with("bad.toml:2:"),
        "{:?}",
        lib.broken
    );
    assert!(lib.get("mini").is_some());
    assert_eq!(lib.filtered(Some(ScenarioKind::Angry), None).len(), 1);
    assert_eq!(lib.filtered(Some(ScenarioKind::Product), None).len(), 0);
    assert_eq!(lib.filtered(None, Some("afg")).len(), 0);
}

#[test]
fn a_file_whose_samples_fail_is_broken_and_a_later_copy_of_its_id_still_plays() {
    let wrong = MINI.replacen("expect = \"calmer\"", "expect = \"angrier\"", 1);
    assert_ne!(
        wrong, MINI,
        "mini.toml has a sample expected to calm the customer"
    );
    // Listed without playing the samples, it would load; played, it is broken.
    assert!(check_file("mini.toml", &wrong, false).scenario.is_some());
    let files = [("mini.toml".to_string(), wrong.clone())];
    for lib in [
        load_library(&files),
        Library::from_bundle(&serde_json::to_string(&build_bundle(&files)).unwrap())
            .unwrap()
            .0,
    ] {
        assert!(lib.get("mini").is_none());
        assert_eq!(lib.broken.len(), 1);
        assert!(
            lib.broken[0]
                .1
                .iter()
                .any(|l| l.contains("sample reply leads to")),
            "{:?}",
            lib.broken
        );
    }
    // A trainer's copy of the same id from another file still plays.
    let lib = load_library(&[
        ("mini.toml".to_string(), wrong),
        (
            "mine.toml".to_string(),
            MINI.replacen("The late parcel", "My late parcel", 1),
        ),
    ]);
    assert!(lib.get("mini").is_some(), "the later copy stays");
    assert_eq!(lib.broken.len(), 1);
}

#[test]
fn the_shipped_bundle_lists_what_checking_the_files_lists() {
    let bad = ("bad.toml".to_string(), "id = \"x\"\nkind = [".to_string());
    let files = vec![bad.clone(), ("mini.toml".to_string(), MINI.to_string())];
    let json = serde_json::to_string(&build_bundle(&files)).unwrap();
    let (lib, covered) = Library::from_bundle(&json).unwrap();
    assert_eq!(covered, vec!["bad.toml", "mini.toml"]);
    let checked = load_library(&files);
    assert_eq!(lib.broken, checked.broken);
    // Every field but the sample replies survives the round trip.
    let mut want = (*checked.scenarios[0]).clone();
    assert!(!want.samples.is_empty());
    want.samples.clear();
    assert_eq!(*lib.scenarios[0], want);
    // A trainer's file added later replaces the shipped scenario of the same id.
    let mut lib = lib;
    let mine = MINI.replacen("The late parcel", "My late parcel", 1);
    let id = lib.add_checked(check_file("mine.toml", &mine, true));
    assert_eq!(id.as_deref(), Some("mini"));
    assert_eq!(lib.scenarios.len(), 1);
    assert_ne!(*lib.scenarios[0], want);
    // A bundle from a newer app, or a damaged one, is an error, not a panic.
    let newer = json.replacen("\"version\":1", "\"version\":99", 1);
    assert!(Library::from_bundle(&newer).unwrap_err().contains("newer"));
    assert!(Library::from_bundle(&json[..json.find("\"broken\"").unwrap()]).is_err());
}

#[test]
fn language_choice() {
    assert_eq!(ui_lang(Some("en"), &["zh-CN".into()]), Lang::En);
    assert_eq!(ui_lang(None, &["zh-TW".into()]), Lang::ZhHant);
    assert_eq!(ui_lang(None, &["zh-Hant-HK".into()]), Lang::ZhHant);
    assert_eq!(ui_lang(None, &["fr".into(), "zh-CN".into()]), Lang::ZhHans);
    assert_eq!(ui_lang(Some("xx"), &[]), Lang::En);
}

#[test]
fn highlight_marks_evidence_in_the_typed_text() {
    let text = "對不起，讓您久等了。你自己没看清楚!";
    let j = score::score(text, Lang::ZhHant);
    let pieces = highlight(text, &j);
    let joined: String = pieces.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(joined, text);
    assert!(pieces
        .iter()
        .any(|p| p.principle == Some("apology") && p.text.contains("對不起")));
    assert!(pieces
        .iter()
        .any(|p| p.violation && p.principle == Some("blame")));
    // Where empathy's evidence overlaps apology's, the apology keeps its word.
    let en = "I'm so sorry for the wait.";
    let pieces = highlight(en, &score::score(en, Lang::En));
    assert!(
        pieces
            .iter()
            .any(|p| p.principle == Some("apology") && p.text.contains("sorry")),
        "{pieces:?}"
    );
}

#[test]
fn mood_bands() {
    assert_eq!(mood_key(-5), "play.mood.angry");
    assert_eq!(mood_key(30), "play.mood.upset");
    assert_eq!(mood_key(60), "play.mood.neutral");
    assert_eq!(mood_key(100), "play.mood.happy");
}

/// A library card carries what the card shows and the principles the scenario's turns expect:
/// a turn's own weights above 0, or its kind's defaults for a turn without weights (what
/// `#/practise/ID` filters by; the first screen has cards only).
#[test]
fn a_card_expects_what_the_turns_ask_for() {
    let mut s = check_file("mini.toml", MINI, true).scenario.unwrap();
    let c = Card::of(&s);
    assert_eq!(
        (c.id.as_str(), c.kind, &c.title),
        ("mini", s.kind, &s.title)
    );
    // The first turn weighs apology, empathy and solution; the others take the angry defaults.
    assert_eq!(
        c.expects,
        [
            "address",
            "apology",
            "empathy",
            "follow_up",
            "order",
            "ownership",
            "solution"
        ]
    );
    assert!(c.expects("ownership") && !c.expects("facts"));
    for t in &mut s.turns {
        t.weights = vec![("apology".into(), 2.0), ("blame".into(), 0.0)];
    }
    assert_eq!(
        Card::of(&s).expects,
        ["apology"],
        "a weight of 0 asks for nothing"
    );
    assert_eq!(c.play_lang(Lang::ZhHant), s.play_lang(Lang::ZhHant));
}

/// What the library module reads of a checked file: the card, never the scenario; listed, not
/// playable, and it replaces the shipped scenario with its id (a trainer's local copy wins).
#[test]
fn a_checked_file_read_as_a_card_lists_it_without_its_scenario() {
    let checked = check_file("mini.toml", MINI, true);
    let json = serde_json::to_string(&checked).unwrap();
    let read: CheckedCard = kefu_core::json::from_str(&json).unwrap();
    assert_eq!(read.card.as_ref(), checked.card.as_ref());
    assert_eq!(
        read.card,
        Some(Card::of(checked.scenario.as_ref().unwrap()))
    );
    let mut lib = load_library(&[("mini.toml".into(), MINI.into())]);
    assert!(lib.get("mini").is_some() && lib.card("mini").is_some());
    let mut card = read.clone();
    card.card.as_mut().unwrap().title = Loc([(Lang::En, "Mine".to_string())].into());
    assert_eq!(
        lib.add_checked(Checked::from(card)).as_deref(),
        Some("mini")
    );
    assert!(
        lib.get("mini").is_none(),
        "no stale scenario under the card"
    );
    assert_eq!(lib.title_in("mini", Lang::En, "stored"), "Mine");
    assert_eq!(lib.cards.len(), 1);
    // A broken file read the same way is listed broken.
    let bad = check_file("bad.toml", "id = \"x\"\nkind = [", true);
    let bad: CheckedCard =
        kefu_core::json::from_str(&serde_json::to_string(&bad).unwrap()).unwrap();
    assert_eq!(lib.add_checked(bad.into()), None);
    assert_eq!(lib.broken[0].0, "bad.toml");
}

/// `cards.json` from a newer build is refused with a message, as a newer bundle is.
#[test]
fn newer_cards_are_refused() {
    let b = build_bundle(&[("mini.toml".into(), MINI.into())]);
    let mut cards = Cards::of(&b);
    let (lib, files) = Library::from_cards(&serde_json::to_string(&cards).unwrap()).unwrap();
    assert_eq!(files, ["mini.toml"]);
    assert_eq!(lib.cards.len(), 1);
    assert!(lib.scenarios.is_empty());
    cards.version = BUNDLE_VERSION + 1;
    let e = Library::from_cards(&serde_json::to_string(&cards).unwrap()).unwrap_err();
    assert!(e.contains("newer than this app"), "{e}");
}
