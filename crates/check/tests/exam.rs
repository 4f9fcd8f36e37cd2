//! Exam files: the checker's diagnostics (where, and what to write instead), the shipped exam
//! against the shipped library, and the bundle the app gets.

use kefu_check::build_bundle;
use kefu_check::exam::{check_exam, check_exam_in, is_exam};
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles::Lang;
use kefu_core::scenario::Severity;
use kefu_core::view::Library;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn known() -> Vec<(String, ScenarioKind)> {
    let mut v = Vec::new();
    for k in [
        ScenarioKind::Angry,
        ScenarioKind::Objection,
        ScenarioKind::Product,
    ] {
        for n in ["one", "two", "three"] {
            v.push((format!("{}-{n}", k.id()), k));
        }
    }
    v
}

const GOOD: &str = r#"[exam]
id = "basic"
title = { zh-Hans = "基础考试", en = "Basics" }
pass_mark = 70
time_limit = 20

[[draw]]
from = ["angry-one", "angry-two", "objection-one", "product-two"]
count = 2
"#;

/// The diagnostics of `src` as `LINE:COL: severity: message` (file name left out). Each is
/// also checked to be said at the same place in Chinese, in Chinese (the browser's words for a
/// trainer whose UI is Chinese).
fn diags(src: &str) -> Vec<String> {
    let en = check_exam("x.toml", src, Some(&known())).diagnostics;
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        let zh = check_exam_in("x.toml", src, Some(&known()), lang).diagnostics;
        assert_eq!(zh.len(), en.len());
        for (z, e) in zh.iter().zip(&en) {
            assert_eq!((z.line, z.col, z.severity), (e.line, e.col, e.severity));
            assert!(
                !z.message.contains('⟦')
                    && z.message
                        .chars()
                        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
                "{lang:?}: not in Chinese: {z}"
            );
        }
    }
    en.iter()
        .map(|d| d.to_string().trim_start_matches("x.toml:").to_string())
        .collect()
}

#[test]
fn a_good_file_checks_clean_into_an_exam() {
    let out = check_exam("x.toml", GOOD, Some(&known()));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let e = out.value.unwrap();
    assert_eq!(
        (e.id.as_str(), e.pass_mark, e.time_limit_mins, e.hints),
        ("basic", 70, 20, false)
    );
    assert_eq!(e.count(), 2);
    assert_eq!(e.draws[0].from.len(), 4);
    assert!(is_exam(GOOD));
    assert!(!is_exam("id = \"x\"\n[customer]\n"));
}

#[test]
fn a_scenario_id_that_is_not_in_the_library_is_located_with_a_suggestion() {
    let src = GOOD.replace("\"product-two\"", "\"prodcut-two\"");
    let d = diags(&src);
    assert_eq!(d.len(), 1, "{d:?}");
    // Line 7, at the opening quote of the fourth id.
    let col = src.lines().nth(7).unwrap().find("\"prodcut").unwrap() + 1;
    assert_eq!(
        d[0],
        format!(
            "8:{col}: error: no scenario `prodcut-two` in the library: did you mean `product-two`?"
        )
    );
    assert!(check_exam("x.toml", &src, Some(&known())).value.is_none());
}

#[test]
fn keys_kinds_and_numbers_are_explained() {
    let d = diags(&GOOD.replace("pass_mark", "pass_mrk"));
    assert!(
        d[0].starts_with("4:1: error: unknown key `pass_mrk`: did you mean `pass_mark`?"),
        "{d:?}"
    );
    let d = diags(&GOOD.replace("pass_mark = 70", "pass_mark = 170"));
    assert!(
        d[0].starts_with(
            "4:13: error: pass_mark = 170: write the total needed to pass, from 0 to 100"
        ),
        "{d:?}"
    );
    let d = diags(&GOOD.replace("time_limit = 20", "time_limit = 0"));
    assert!(
        d[0].starts_with("5:14: error: time_limit = 0: write the minutes"),
        "{d:?}"
    );
    let d = diags(&GOOD.replace("count = 2", "count = 2\nkind = \"angyr\""));
    assert!(
        d.iter()
            .any(|x| x.starts_with("10:8: error: unknown kind `angyr`: did you mean `angry`?")),
        "{d:?}"
    );
    let d = diags(&GOOD.replace("title = { zh-Hans", "title = { zh-CN"));
    assert!(
        d[0].starts_with("3:11: error: unknown language `zh-CN` in the title"),
        "{d:?}"
    );
    let d = diags(&GOOD.replace("[exam]", "[exam]\nhints = \"no\""));
    assert!(d[0].contains("`true` or `false`, without quotes"), "{d:?}");
}

#[test]
fn pools_that_cannot_fill_their_count_are_errors_and_a_pool_drawn_whole_is_a_warning() {
    // A kind that does not match the scenario named.
    let d = diags(&GOOD.replace("count = 2", "count = 1\nkind = \"angry\""));
    assert!(
        d.iter().any(|x| x.contains(
            "error: `objection-one` is a `objection` scenario but this draw is `kind = \"angry\"`"
        )),
        "{d:?}"
    );
    // More than the pool holds.
    let d = diags(&GOOD.replace("count = 2", "count = 5"));
    assert_eq!(d, ["9:9: error: count = 5 but its pool has 4 scenario(s): lower the count or add scenarios to the pool"]);
    let d = diags(&GOOD.replace("count = 2", "count = 4"));
    assert!(
        d[0].starts_with("9:9: warning: this draw picks all 4 scenarios of its pool"),
        "{d:?}"
    );
    // A pool by kind, with no list: the library's scenarios of that kind.
    let by_kind = GOOD.replace(
        "from = [\"angry-one\", \"angry-two\", \"objection-one\", \"product-two\"]",
        "kind = \"product\"",
    );
    assert!(diags(&by_kind).is_empty(), "{:?}", diags(&by_kind));
    let d = diags(&by_kind.replace("count = 2", "count = 4"));
    assert!(
        d[0].contains("count = 4 but the library has 3 `product` scenario(s)"),
        "{d:?}"
    );
    // Two draws sharing a pool can leave the second short.
    let two = format!(
        "{GOOD}\n[[draw]]\nfrom = [\"angry-one\", \"angry-two\", \"angry-three\"]\ncount = 2\n"
    );
    let d = diags(&two);
    assert!(
        d.iter()
            .any(|x| x.starts_with("13:9: error: this draw shares scenarios with an earlier one")),
        "{d:?}"
    );
    // No pool at all, no draw at all.
    let d = diags(&GOOD.replace(
        "from = [\"angry-one\", \"angry-two\", \"objection-one\", \"product-two\"]\n",
        "",
    ));
    assert!(d[0].contains("this draw has no pool"), "{d:?}");
    let d = diags(&GOOD[..GOOD.find("[[draw]]").unwrap()]);
    assert!(
        d[0].starts_with("1:1: error: the exam draws no scenarios"),
        "{d:?}"
    );
}

#[test]
fn a_broken_toml_file_and_a_missing_table_are_located() {
    let d = diags("[exam]\nid = \"a\"\npass_mark = = 3\n");
    assert!(
        d[0].starts_with("3:") && d[0].contains("docs/exam-format.md"),
        "{d:?}"
    );
    let d = diags("id = \"a\"\n");
    assert!(
        d[0].contains("unknown key `id`") || d[0].contains("missing `exam`"),
        "{d:?}"
    );
    // Without a library the ids are not checked, and it says so.
    let out = check_exam("x.toml", GOOD, None);
    assert!(out.value.is_some());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(out.diagnostics[0].severity, Severity::Warning);
}

/// The shipped exams check clean against the shipped scenarios, each draws from a pool of at
/// least six, and two seeds draw two different sets.
#[test]
fn the_shipped_exam_draws_from_the_shipped_library() {
    let mut files = Vec::new();
    for dir in ["scenarios", "exams"] {
        let mut names: Vec<_> = std::fs::read_dir(root().join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        names.sort();
        for p in names {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((name, std::fs::read_to_string(&p).unwrap()));
        }
    }
    let b = build_bundle(&files);
    assert!(b.broken_exams.is_empty(), "{:?}", b.broken_exams);
    assert!(!b.exams.is_empty());
    let json = serde_json::to_string(&b).unwrap();
    let (lib, _) = Library::from_bundle(&json).unwrap();
    let e = lib.exams.iter().find(|e| e.id == "foundation").unwrap();
    assert!(e.pool_size(&lib) >= 6, "pool of {}", e.pool_size(&lib));
    assert!(e.missing(&lib).is_empty());
    let sets: std::collections::BTreeSet<Vec<String>> = (0..10)
        .map(|seed| {
            let mut v = e.draw(&lib, seed).unwrap();
            assert_eq!(v.len(), e.count());
            v.sort();
            v
        })
        .collect();
    assert!(sets.len() > 1, "ten seeds drew one set");
    // A bundle written before exams existed still loads, with none.
    let old = r#"{"version":1,"files":[],"scenarios":[],"broken":[]}"#;
    assert!(Library::from_bundle(old).unwrap().0.exams.is_empty());
}

#[test]
fn an_exam_naming_a_broken_scenario_is_listed_broken_with_its_message() {
    let files = vec![(
        "e.toml".to_string(),
        GOOD.replace("angry-one", "angry-late-delivery"),
    )];
    let b = build_bundle(&files);
    assert!(b.exams.is_empty());
    assert_eq!(b.broken_exams.len(), 1);
    assert!(
        b.broken_exams[0].1[0].starts_with("e.toml:8:"),
        "{:?}",
        b.broken_exams
    );
}

/// A value of the wrong kind says what the key takes and what to write (not serde's "invalid
/// type: string \"60\", expected …").
#[test]
fn a_value_of_the_wrong_kind_says_what_to_write() {
    let d = diags(&GOOD.replace("time_limit = 20", "time_limit = \"20\""));
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].starts_with("5:14: error: "), "{d:?}");
    assert!(
        d[0].contains("a whole number, without quotes: write `20`"),
        "{d:?}"
    );
    assert!(!d[0].contains("invalid type"), "{d:?}");
}
