//! `kefu bundle` end to end: the checked library the browser app loads (`make dist` writes it to
//! `dist/scenarios/library.json`) holds every shipped scenario exactly as the checker builds it,
//! and a broken file is listed with its `FILE:LINE:COLUMN` messages while the others still load.

use kefu_check::check_file;
use kefu_core::view::{Bundle, Library};
use std::process::Command;

fn bundle(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg("bundle")
        .args(args)
        .output()
        .expect("kefu runs");
    (
        String::from_utf8(out.stdout).expect("UTF-8"),
        String::from_utf8(out.stderr).expect("UTF-8"),
        out.status.code().unwrap_or(-1),
    )
}

#[test]
fn the_shipped_library_bundles_every_scenario_as_checked() {
    let (json, err, code) = bundle(&["scenarios"]);
    assert_eq!(code, 0, "{err}");
    let (lib, files) = Library::from_bundle(&json).expect("the bundle parses");
    let mut names: Vec<String> = std::fs::read_dir("scenarios")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    names.sort();
    assert_eq!(
        files, names,
        "file names without their folder, as the app fetches them"
    );
    assert!(lib.broken.is_empty());
    assert_eq!(lib.scenarios.len(), names.len());
    for n in &names {
        let src = std::fs::read_to_string(format!("scenarios/{n}")).unwrap();
        let mut want = check_file(n, &src, true).scenario.expect("checks clean");
        want.samples.clear();
        let got = lib.get(&want.id).expect("bundled");
        assert_eq!(
            **got, want,
            "{n}: facts, branches and texts survive the bundle"
        );
    }
}

#[test]
fn a_broken_file_is_listed_with_its_messages_and_the_others_still_load() {
    let dir = std::env::temp_dir().join(format!("kefu-bundle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read_to_string("tests/data/mini.toml").unwrap();
    std::fs::write(dir.join("a-good.toml"), &good).unwrap();
    std::fs::write(dir.join("b-bad.toml"), "id = \"x\"\nkind = [").unwrap();
    let (json, err, code) = bundle(&[dir.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(code, 1, "a broken file makes the exit status 1");
    assert!(err.contains("b-bad.toml:2:"), "{err}");
    let b: Bundle = serde_json::from_str(&json).expect("the bundle is still written");
    assert_eq!(b.scenarios.len(), 1);
    assert_eq!(b.broken.len(), 1);
    assert_eq!(b.broken[0].0, "b-bad.toml");
    assert!(
        b.broken[0].1[0].starts_with("b-bad.toml:2:"),
        "{:?}",
        b.broken
    );
    let (_, _, code) = bundle(&[]);
    assert_eq!(code, 2, "no path is a usage error");
}

/// `kefu bundle --cards` (dist/scenarios/cards.json, the first screen's library): the same files,
/// a card per scenario with what the card shows and the principles its turns expect (what
/// `#/practise/ID` filters by), no exams and no dialogue, and far smaller.
#[test]
fn the_cards_bundle_lists_every_card_without_the_dialogue() {
    let (full, _, code) = bundle(&["scenarios", "exams"]);
    assert_eq!(code, 0);
    let (cards, err, code) = bundle(&["--cards", "scenarios", "exams"]);
    assert_eq!(code, 0, "{err}");
    let (full_lib, full_files) = Library::from_bundle(&full).unwrap();
    let (lib, files) = Library::from_cards(&cards).expect("the cards parse");
    assert_eq!(files, full_files);
    assert!(
        lib.scenarios.is_empty() && lib.exams.is_empty(),
        "cards only"
    );
    assert!(!full_lib.exams.is_empty());
    assert_eq!(
        lib.cards, full_lib.cards,
        "the cards are the full library's"
    );
    assert_eq!(lib.cards.len(), full_lib.scenarios.len());
    for (c, f) in lib.cards.iter().zip(&full_lib.scenarios) {
        assert_eq!(
            (&c.id, c.kind, &c.languages, &c.product, &c.title, &c.brief),
            (&f.id, f.kind, &f.languages, &f.product, &f.title, &f.brief),
            "what the card shows is kept"
        );
        assert_eq!((c.difficulty, c.minutes), (f.difficulty, f.minutes));
        assert!(
            !c.expects.is_empty(),
            "{}: its turns expect something",
            c.id
        );
    }
    let v: serde_json::Value = serde_json::from_str(&cards).unwrap();
    assert!(v.get("exams").is_none() && v.get("scenarios").is_none());
    assert!(!cards.contains("\"turns\""), "no dialogue");
    assert!(
        cards.len() * 5 < full.len(),
        "cards {} bytes, full {}",
        cards.len(),
        full.len()
    );
}

/// `kefu bundle --each DIR` (what `make dist` writes to `dist/scenarios/one/`): every clean
/// scenario as a bundle of its own at `DIR/ID.json` (the app's `view::one_url`), the same
/// scenario as in the whole bundle; a broken file writes nothing and still sets the status.
#[test]
fn each_scenario_on_its_own_is_the_one_the_whole_bundle_holds() {
    let dir = std::env::temp_dir().join(format!("kefu-bundle-each-{}", std::process::id()));
    let src = std::env::temp_dir().join(format!("kefu-bundle-src-{}", std::process::id()));
    std::fs::create_dir_all(&src).unwrap();
    for e in std::fs::read_dir("scenarios").unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, src.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(src.join("zz-bad.toml"), "id = \"x\"\nkind = [").unwrap();
    let (whole, _, _) = bundle(&[src.to_str().unwrap()]);
    let (out, err, code) = bundle(&["--each", dir.to_str().unwrap(), src.to_str().unwrap()]);
    std::fs::remove_dir_all(&src).ok();
    assert_eq!(code, 1, "a broken file still makes the status 1: {err}");
    assert_eq!(out, "", "nothing printed");
    let (lib, _) = Library::from_bundle(&whole).unwrap();
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    let want: Vec<String> = lib
        .scenarios
        .iter()
        .map(|s| format!("{}.json", s.id))
        .collect();
    assert_eq!(
        written, want,
        "one file per clean scenario, none for the broken one"
    );
    for s in &lib.scenarios {
        let url = kefu_core::view::one_url(&s.id).expect("a plain id");
        let file = dir.join(url.strip_prefix("scenarios/one/").unwrap());
        let (one, _) = Library::from_bundle(&std::fs::read_to_string(file).unwrap()).unwrap();
        assert_eq!(one.scenarios.len(), 1);
        assert_eq!(one.scenarios[0], *s, "{}: as in the whole bundle", s.id);
        assert!(one.exams.is_empty() && one.broken.is_empty());
    }
    std::fs::remove_dir_all(&dir).ok();
    let (_, err, code) = bundle(&["--each"]);
    assert_eq!(code, 2);
    assert!(err.contains("--each needs a folder"), "{err}");
    let (_, err, code) = bundle(&["--cards", "--each", dir.to_str().unwrap(), "scenarios"]);
    assert_eq!(code, 2);
    assert!(err.contains("one at a time"), "{err}");
    assert!(!dir.exists(), "nothing written");
}
