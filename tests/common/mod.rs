//! What the integration tests over the shipped library share: its files and its scenarios.
//! (A folder module, so Cargo does not build it as a test of its own; each test uses what it
//! needs of it, hence `dead_code` allowed.)
#![allow(dead_code)]

use kefu_check::{check_source, check_source_in, CheckOutput};
use kefu_core::principles::Lang;
use kefu_core::scenario::{Diagnostic, Scenario};
use std::path::PathBuf;
use std::sync::OnceLock;

/// Every scenario file under `scenarios/`: (file stem, source), sorted by stem.
pub fn files() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_string_lossy().into_owned();
            (stem, std::fs::read_to_string(&p).expect("readable"))
        })
        .collect();
    out.sort();
    out
}

/// Every scenario that checks clean, checked once per test binary (`scenarios.rs` tests that
/// this is every file).
pub fn library() -> &'static [Scenario] {
    static LIB: OnceLock<Vec<Scenario>> = OnceLock::new();
    LIB.get_or_init(|| {
        files()
            .iter()
            .filter_map(|(stem, src)| check_source(&format!("scenarios/{stem}.toml"), src).value)
            .collect()
    })
}

/// Where each diagnostic is, and how bad: what must not change with the messages' language.
fn places(out: &CheckOutput) -> Vec<(usize, usize, bool)> {
    out.diagnostics
        .iter()
        .map(|d| {
            (
                d.line,
                d.col,
                d.severity == kefu_core::scenario::Severity::Error,
            )
        })
        .collect()
}

/// A message written in Chinese: no catalogue key shown for a missing string (`⟦check.…⟧`),
/// no words of the TOML parser's English ("…, expected `,`"), lists joined with 、 (not
/// "`a`, `b`"), and Chinese words in it (TOML and names quoted from the file stay as written).
pub fn in_chinese(d: &Diagnostic) -> bool {
    !d.message.contains('⟦')
        && !d.message.contains(", expected ")
        && !d.message.contains("`, `")
        && !d.message.contains("}, {")
        && d.message
            .chars()
            .any(|c| matches!(c, '\u{4e00}'..='\u{9fff}'))
}

/// `src` checked as `kefu check` checks it (English), and as the browser checks it for a
/// trainer whose UI is Simplified or Traditional Chinese: the same diagnostics at the same
/// places, each written in that language. So every message a test makes the checker say is
/// also shown to be translated.
pub fn check_in_every_language(file: &str, src: &str) -> CheckOutput {
    let en = check_source(file, src);
    for lang in [Lang::ZhHans, Lang::ZhHant] {
        let zh = check_source_in(file, src, true, lang);
        assert_eq!(places(&zh), places(&en), "{lang:?}: {:#?}", zh.diagnostics);
        for d in &zh.diagnostics {
            assert!(in_chinese(d), "{lang:?}: not in Chinese: {d}");
        }
        assert_eq!(zh.value.is_some(), en.value.is_some());
    }
    en
}
