//! The dialogue engine (`kefu_core::dialogue`) evaluates what a scenario file says: branches on
//! the customer's mood and on the replies taken, customer lines that fit the reply before them.
//! Replies are judged by a stand-in scorer here, so these tests don't depend on its tuning.

use kefu_check::check_source;
use kefu_core::dialogue::Session;
use kefu_core::judgement::{Finding, Judgement, TurnRules};
use kefu_core::principles::Lang;
use kefu_core::scenario::{Scenario, Target};
use std::collections::BTreeMap;

fn scenario(src: &str) -> Scenario {
    let out = check_source("t.toml", src);
    assert!(
        !out.has_errors(),
        "{:#?}",
        out.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
    out.value.expect("valid")
}

/// A judge that finds exactly the principles named in the reply, e.g. "apology solution"; a
/// reply with the word "told" answers every question ahead (`TurnRules::ahead`).
fn judge(text: &str, _: Lang, rules: &TurnRules, _: Option<f64>) -> Judgement {
    let principles: BTreeMap<String, Finding> = text
        .split_whitespace()
        .map(|p| {
            (
                p.to_string(),
                Finding {
                    hit: true,
                    evidence: vec![],
                },
            )
        })
        .collect();
    Judgement {
        score: 50,
        principles,
        courtesy: 0.5,
        expected: vec![],
        tips: vec![],
        ahead: if text.split_whitespace().any(|w| w == "told") {
            (1u32 << rules.ahead.len()) - 1
        } else {
            0
        },
    }
}

const HEAD: &str = r#"
id = "t"
kind = "angry"
languages = ["en"]
title = { en = "T" }
brief = { en = "B" }
max_turns = 6
[customer]
name = { en = "Mr. T" }
mood = 30
gives_up = "lost"
"#;

const ENDINGS: &str = r#"
[[ending]]
id = "resolved"
outcome = "resolved"
text = { en = "OK." }
[[ending]]
id = "lost"
outcome = "lost"
text = { en = "Bye." }
"#;

/// A turn's header: its id and what the customer says (hint and model answer are stand-ins);
/// its branches and lines follow it.
fn turn(id: &str, say: &str) -> String {
    format!(
        "\n[[turn]]\nid = \"{id}\"\nsay = [{{ en = \"{say}\" }}]\nhint = {{ en = \"h\" }}\nmodel = [{{ en = \"m\" }}]\n"
    )
}

fn at(s: &Scenario, x: &Session) -> String {
    s.target_name(x.at).to_string()
}

#[test]
fn branches_on_mood_and_turns_taken_follow_the_mood_before_the_change() {
    // `ask` loops: each reply without a solution costs 10. With the mood below 20 (before this
    // reply's change) the customer leaves; from the 4th reply on, an apology is not enough.
    let ask = turn("ask", "Well?");
    let src = format!(
        r#"{HEAD}{ask}[[turn.next]]
mood_below = 20
goto = "lost"
final = true
[[turn.next]]
all = ["apology"]
turns_taken = 4
goto = "ask"
mood = -5
[[turn.next]]
any = ["apology", "solution"]
mood_above = 25
goto = "resolved"
[[turn.next]]
goto = "ask"
mood = -10
{ENDINGS}"#
    );
    let s = scenario(&src);
    // Mood 30 > 25: an apology resolves at once.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology", None, &judge);
    assert_eq!(at(&s, &x), "resolved");
    // Mood 30 → 20 → (20 is not above 25) → 10; then 10 < 20: lost, whatever the reply.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "nothing", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("ask".into(), 20));
    x.reply_with(&s, "apology", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("ask".into(), 10));
    x.reply_with(&s, "apology solution", None, &judge);
    assert_eq!(at(&s, &x), "lost");
    assert_eq!(x.log.last().unwrap().branch, Some(0));
    assert_eq!(x.log.last().unwrap().mood_before, 10);
}

#[test]
fn turns_taken_counts_the_reply_being_judged() {
    let ask = turn("ask", "Well?");
    let src = format!(
        r#"{HEAD}{ask}[[turn.next]]
turns_taken = 3
goto = "resolved"
[[turn.next]]
goto = "ask"
{ENDINGS}"#
    );
    let s = scenario(&src);
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "a", None, &judge);
    x.reply_with(&s, "b", None, &judge);
    assert_eq!(x.at, Target::Turn(0));
    x.reply_with(&s, "c", None, &judge);
    assert_eq!(at(&s, &x), "resolved");
    assert_eq!(x.log.len(), 3);
}

/// Two turns; the second has lines chosen by the reply before it and by the mood.
fn lines() -> String {
    let (open, again) = (turn("open", "Where is it?"), turn("again", "Is that all?"));
    format!(
        r#"{open}[[turn.next]]
any = ["blame"]
goto = "again"
mood = -10
[[turn.next]]
goto = "again"
mood = 20
{again}[[turn.line]]
all = ["apology"]
requires = ["apology"]
say = [{{ en = "Just sorry?" }}]
[[turn.line]]
mood_below = 25
say = [{{ en = "Don't push me." }}]
[[turn.next]]
any = ["solution"]
goto = "resolved"
mood = 10
[[turn.next]]
goto = "lost"
"#
    )
}

#[test]
fn a_customer_line_fits_the_reply_before_it() {
    let src = format!(
        "{HEAD}{}{}",
        lines(),
        ENDINGS.replace(
            "text = { en = \"OK.\" }",
            "text = { en = \"OK.\" }\n[[ending.line]]\nmood_above = 55\ntext = { en = \"Great, thanks!\" }"
        )
    );
    let s = scenario(&src);
    let line_after = |reply: &str| {
        let mut x = Session::new(&s, 3, Lang::En);
        assert_eq!(x.customer_line, "Where is it?");
        x.reply_with(&s, reply, None, &judge);
        x.customer_line.clone()
    };
    // An apology: the line that presumes it.
    assert_eq!(line_after("apology"), "Just sorry?");
    // No apology, mood 30 + 20: the plain line.
    assert_eq!(line_after("empathy"), "Is that all?");
    // Blame, mood 30 - 10 = 20 (below 25): the mood band's line.
    assert_eq!(line_after("blame"), "Don't push me.");
    // The ending's line depends on the mood there: 50 + 10 = 60 > 55.
    let mut x = Session::new(&s, 3, Lang::En);
    x.reply_with(&s, "apology", None, &judge);
    x.reply_with(&s, "solution", None, &judge);
    assert_eq!(
        (at(&s, &x), x.customer_line.as_str()),
        ("resolved".into(), "Great, thanks!")
    );
    let mut x = Session::new(&s, 3, Lang::En);
    x.reply_with(&s, "blame", None, &judge);
    x.reply_with(&s, "solution", None, &judge);
    assert_eq!(
        (at(&s, &x), x.customer_line.as_str()),
        ("resolved".into(), "OK.")
    );
    // The line is part of the log, and replays.
    let again = Session::replay_with(&s, &x.saved("t"), &judge);
    assert_eq!(again.log, x.log);
}

#[test]
fn the_checker_reports_a_line_said_without_what_it_requires() {
    // Drop the line's `all`: after the opening's branches, a reply may not have apologised.
    let src = format!(
        "{HEAD}{}{ENDINGS}",
        lines().replacen("all = [\"apology\"]\nrequires", "requires", 1)
    );
    let out = check_source("t.toml", &src);
    let errs: Vec<String> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == kefu_core::scenario::Severity::Error)
        .map(|d| d.to_string())
        .collect();
    let line = src[..src.find("requires = [\"apology\"]").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert!(errs[0].starts_with(&format!("t.toml:{line}:")), "{errs:#?}");
    assert!(
        errs[0].contains("requires `apology`, but it can be said after a reply without it"),
        "{errs:#?}"
    );
    // When the only way in needs an apology, the line is fine without its own condition.
    let src = src.replacen(
        "any = [\"blame\"]\ngoto = \"again\"",
        "any = [\"blame\"]\ngoto = \"lost\"\nfinal = true",
        1,
    );
    let src = src.replacen("[[turn.next]]\ngoto = \"again\"\nmood = 20", "[[turn.next]]\nall = [\"apology\"]\ngoto = \"again\"\nmood = 20\n[[turn.next]]\ngoto = \"lost\"\nfinal = true", 1);
    let out = check_source("t.toml", &src);
    assert!(!out.has_errors(), "{:#?}", out.diagnostics);
    // A bad value in a line's condition is located like a branch's.
    let src = format!(
        "{HEAD}{}{ENDINGS}",
        lines().replacen("mood_below = 25", "mood_below = 0", 1)
    );
    let out = check_source("t.toml", &src);
    assert!(out
        .diagnostics
        .iter()
        .any(|d| d.message.contains("`mood_below` is from 1 to 100")));
}

#[test]
fn a_play_test_starts_at_a_chosen_turn_and_mood_and_replays_from_there() {
    use kefu_core::dialogue::{Start, StartError};
    let open = turn("open", "Where is it?");
    let when = turn("when", "When, then?");
    let src = format!(
        r#"{HEAD}{open}[[turn.next]]
all = ["apology"]
goto = "when"
mood = 20
[[turn.next]]
goto = "lost"
mood = -30
final = true{when}[[turn.next]]
mood_below = 20
goto = "lost"
final = true
[[turn.next]]
any = ["solution"]
goto = "resolved"
mood = 10
[[turn.next]]
goto = "when"
mood = -5
{ENDINGS}"#
    );
    let s = scenario(&src);
    let start = |turn: &str, mood: i32| Start {
        turn: turn.into(),
        mood,
    };
    // At `when` with mood 15: the customer speaks that turn's line, and the mood-below-20
    // branch (never met from the start, where the mood there is 50) is what a reply takes.
    let mut x = Session::starting_at(&s, 7, Lang::En, &start("when", 15)).expect("valid");
    assert_eq!((at(&s, &x), x.mood), ("when".into(), 15));
    assert_eq!(x.customer_line, "When, then?");
    x.reply_with(&s, "solution", None, &judge);
    assert_eq!(at(&s, &x), "lost");
    // With mood 60 the solution resolves it; replies count from the chosen turn.
    let mut x = Session::starting_at(&s, 7, Lang::En, &start("when", 60)).expect("valid");
    x.reply_with(&s, "nothing", None, &judge);
    x.reply_with(&s, "solution", None, &judge);
    assert_eq!(
        (at(&s, &x), x.mood, x.log.len()),
        ("resolved".into(), 65, 2)
    );
    // Stored and replayed (a reload, the engine's replay): the same place, the same start.
    let saved = x.saved(&s.id);
    assert_eq!(saved.start, Some(start("when", 60)));
    let back = serde_json::from_str(&serde_json::to_string(&saved).unwrap()).unwrap();
    assert_eq!(saved, back);
    let y = Session::replay_with(&s, &back, &judge);
    assert_eq!(
        (at(&s, &y), y.mood, y.log.len()),
        ("resolved".into(), 65, 2)
    );
    assert_eq!(y.start, Some(start("when", 60)));
    // A normal session stores no start (its stored form is as before).
    let z = Session::new(&s, 7, Lang::En);
    assert!(!serde_json::to_string(&z.saved(&s.id))
        .unwrap()
        .contains("start"));
    // Bad starts are refused with the reason, never a panic.
    let err =
        |turn: &str, mood: i32| Session::starting_at(&s, 7, Lang::En, &start(turn, mood)).err();
    assert_eq!(
        err("wehn", 30),
        Some(StartError::UnknownTurn("wehn".into()))
    );
    assert_eq!(
        err("resolved", 30),
        Some(StartError::Ending("resolved".into()))
    );
    assert_eq!(err("when", 101), Some(StartError::Mood(101)));
    assert_eq!(err("when", -1), Some(StartError::Mood(-1)));
    assert!(err("when", 0).is_none() && err("open", 100).is_none());
    let m = StartError::UnknownTurn("wehn".into()).message(Lang::En);
    assert!(m.contains("wehn"), "{m}");
    for l in [Lang::En, Lang::ZhHans, Lang::ZhHant] {
        for e in [
            StartError::UnknownTurn("x".into()),
            StartError::Ending("x".into()),
            StartError::Mood(200),
        ] {
            assert!(!e.message(l).contains('⟦'), "{l:?}: {e:?} has no message");
        }
    }
    // What a page's query gives: no turn, no start; a mood that is not a number is refused.
    assert_eq!(Start::from_query(None, Some("40")), None);
    assert_eq!(Start::from_query(Some(" "), Some("40")), None);
    assert_eq!(
        Start::from_query(Some("when"), Some("40")),
        Some(start("when", 40))
    );
    let odd = Start::from_query(Some("when"), Some("forty")).unwrap();
    assert!(matches!(odd.check(&s), Err(StartError::Mood(_))));
    // A stored play-test whose turn is gone (the file was edited): it begins again at the start.
    let mut gone = saved.clone();
    gone.start = Some(start("gone", 50));
    let g = Session::replay_with(&s, &gone, &judge);
    assert_eq!((at(&s, &g), g.log.len()), ("open".into(), 0));
}

/// The summary says why a conversation ended at the `gives_up` ending when the branch taken led
/// on (the mood hit 0, or `max_turns` replies were given), and says nothing extra when a branch
/// led there itself.
#[test]
fn a_conversation_cut_short_says_whether_by_the_mood_or_the_reply_limit() {
    use kefu_core::dialogue::CutShort;
    let ask = turn("ask", "Well?");
    let src = format!(
        r#"{HEAD}{ask}[[turn.next]]
any = ["rudeness"]
goto = "lost"
final = true
[[turn.next]]
any = ["solution"]
goto = "resolved"
[[turn.next]]
any = ["blame"]
goto = "ask"
mood = -40
[[turn.next]]
goto = "ask"
{ENDINGS}"#
    );
    let s = scenario(&src);
    // Six replies that keep the mood at 30: the sixth ends it, the mood still neutral.
    let mut x = Session::new(&s, 1, Lang::En);
    for i in 0..6 {
        assert_eq!(x.cut_short(&s), None, "reply {i}");
        x.reply_with(&s, "fine", None, &judge);
    }
    assert_eq!((at(&s, &x), x.mood), ("lost".into(), 30));
    assert_eq!(x.cut_short(&s), Some(CutShort::Turns));
    // Blame takes the mood to 0: ended by the mood.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "blame", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("lost".into(), 0));
    assert_eq!(x.cut_short(&s), Some(CutShort::Mood));
    // A branch that leads to the ending itself: nothing cut short.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "rudeness", None, &judge);
    assert_eq!(at(&s, &x), "lost");
    assert_eq!(x.cut_short(&s), None);
}

/// `open` leads on to `when`, which asks `kind` and moves on when answered with a solution.
fn asking_scenario(kind: &str) -> Scenario {
    let open = turn("open", "It's late!");
    let when = turn("when", "So when will it come?");
    let thanks = turn("thanks", "Thanks.");
    scenario(&format!(
        r#"{HEAD}{open}[[turn.next]]
any = ["blame"]
goto = "when"
mood = -30
[[turn.next]]
all = ["apology"]
goto = "when"
mood = 20
[[turn.next]]
goto = "when"
{when}asks = {{ kind = "{kind}" }}
[[turn.next]]
all = ["answers"]
any = ["solution"]
goto = "thanks"
mood = 15
[[turn.next]]
all = ["answers"]
goto = "when"
mood = -5
[[turn.next]]
goto = "when"
mood = -10
{thanks}[[turn.next]]
goto = "resolved"
{ENDINGS}"#
    ))
}

#[test]
fn the_customer_does_not_ask_what_the_reply_already_told_them() {
    let s = asking_scenario("time");
    let (when, thanks) = (
        s.turn_index("when").unwrap(),
        s.turn_index("thanks").unwrap(),
    );
    assert_eq!(s.ahead(s.turn_index("open").unwrap()), vec![when]);
    // Told when, with a solution: `when` is passed over by its answering branch, the mood
    // moved by both branches, in one exchange.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology solution told", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("thanks".into(), 65));
    assert_eq!(x.customer_line, "Thanks.");
    let e = &x.log[0];
    assert_eq!(
        (e.branch, e.passed.clone(), e.next),
        (Some(1), vec![(when, 0)], Target::Turn(thanks))
    );
    // Not told: the customer asks.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology solution", None, &judge);
    assert_eq!(
        (at(&s, &x), x.mood, x.log[0].passed.clone()),
        ("when".into(), 50, vec![])
    );
    // Told, but `when`'s branch for that reply stays at `when` (no solution): asked anyway,
    // with no change of mood from `when`.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology told", None, &judge);
    assert_eq!(
        (at(&s, &x), x.mood, x.log[0].passed.clone()),
        ("when".into(), 50, vec![])
    );
    // A reply that drives the mood to 0 on the way: the customer gives up, nothing passed.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "blame solution told", None, &judge);
    assert_eq!(
        (at(&s, &x), x.mood, x.log[0].passed.clone()),
        ("lost".into(), 0, vec![])
    );
    // A replay takes the same way.
    let y = Session::replay_with(&s, &x.saved("t"), &judge);
    assert_eq!((y.at, y.mood), (x.at, x.mood));
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology solution told", None, &judge);
    let y = Session::replay_with(&s, &x.saved("t"), &judge);
    assert_eq!(
        (y.at, y.mood, y.log[0].passed.clone()),
        (x.at, x.mood, vec![(when, 0)])
    );
}

#[test]
fn a_yes_or_no_question_is_always_asked() {
    // Whether a reply said yes to a question not yet asked would be read against the
    // question's own words: it is not taken as answered beforehand.
    for kind in ["yes_no", "time"] {
        let s = asking_scenario(kind);
        let open = s.turn_index("open").unwrap();
        let mut x = Session::new(&s, 1, Lang::En);
        x.reply_with(&s, "apology solution told", None, &judge);
        let asked = kind == "yes_no";
        assert_eq!(s.ahead(open).is_empty(), asked, "{kind}");
        assert_eq!(at(&s, &x) == "when", asked, "{kind}");
    }
}

#[test]
fn a_reply_that_answers_two_questions_to_come_passes_both() {
    // `open` → `when` (asks a time) → `cost` (asks an amount) → resolved.
    let open = turn("open", "It's late!");
    let when = turn("when", "So when will it come?");
    let cost = turn("cost", "And who pays for the return?");
    let s = scenario(&format!(
        r#"{HEAD}{open}[[turn.next]]
all = ["apology"]
goto = "when"
mood = 10
[[turn.next]]
goto = "when"
{when}asks = {{ kind = "time" }}
[[turn.next]]
all = ["answers"]
goto = "cost"
mood = 10
[[turn.next]]
goto = "when"
mood = -10
{cost}asks = {{ kind = "amount" }}
[[turn.next]]
all = ["answers"]
goto = "resolved"
mood = 10
[[turn.next]]
goto = "cost"
mood = -10
{ENDINGS}"#
    ));
    let (when, cost) = (s.turn_index("when").unwrap(), s.turn_index("cost").unwrap());
    assert_eq!(s.ahead(s.turn_index("open").unwrap()), vec![when, cost]);
    assert_eq!(s.ahead(when), vec![cost]);
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology told", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("resolved".into(), 60));
    assert_eq!(x.log[0].passed, vec![(when, 0), (cost, 0)]);
    assert_eq!(
        x.log[0].not_asked,
        vec!["So when will it come?", "And who pays for the return?"]
    );
}
