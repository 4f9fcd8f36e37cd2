//! The library as the checker sees it: one file checked into a `Checked` (what the engine module
//! returns for a trainer's file), the shipped library checked into a `Bundle` (`kefu bundle`,
//! run by `make dist`), and a `Library` loaded from sources (tests, the CLI).

use kefu_core::principles::Lang;
use kefu_core::scenario::{Diagnostic, Severity};
use kefu_core::view::{Bundle, Card, Checked, Library, BUNDLE_VERSION};

/// A diagnostic as one line, `FILE:LINE:COLUMN: error: MESSAGE`, its severity in `lang`'s words
/// (English: as `kefu check` prints it; Chinese `FILE:LINE:COLUMN: 错误：MESSAGE`).
pub fn line_in(d: &Diagnostic, lang: Lang) -> String {
    let sev = match d.severity {
        Severity::Error => "check.error",
        Severity::Warning => "check.warning",
    };
    format!(
        "{}:{}:{}: {}{}{}",
        d.file,
        d.line,
        d.col,
        kefu_core::i18n::t(lang, sev),
        kefu_core::i18n::colon(lang),
        d.message
    )
}

/// Check one file (`play`: also play its sample replies and model answers, as `kefu check`).
pub fn check_file(name: &str, src: &str, play: bool) -> Checked {
    check_file_in(name, src, play, Lang::En)
}

/// `check_file`, its messages in `lang` (the browser's UI language).
pub fn check_file_in(name: &str, src: &str, play: bool, lang: Lang) -> Checked {
    let out = crate::check_source_in(name, src, play, lang);
    let diagnostics = if out.value.is_some() {
        Vec::new()
    } else {
        out.diagnostics.iter().map(|d| line_in(d, lang)).collect()
    };
    Checked {
        file: name.to_string(),
        card: out.value.as_ref().map(Card::of),
        scenario: out.value,
        diagnostics,
    }
}

/// Check every `(file name, source)` fully, sample replies included. Exam files (an `[exam]`
/// table, see `exam::is_exam`) are checked after the scenarios, against them.
pub fn build_bundle(files: &[(String, String)]) -> Bundle {
    let mut b = Bundle {
        version: BUNDLE_VERSION,
        ..Bundle::default()
    };
    let (exams, scenarios): (Vec<_>, Vec<_>) =
        files.iter().partition(|(_, src)| crate::exam::is_exam(src));
    for (name, src) in scenarios {
        let c = check_file(name, src, true);
        b.files.push(name.clone());
        match c.scenario {
            Some(s) => b.scenarios.push(s),
            None => b.broken.push((c.file, c.diagnostics)),
        }
    }
    let known: Vec<_> = b.scenarios.iter().map(|s| (s.id.clone(), s.kind)).collect();
    for (name, src) in exams {
        let out = crate::exam::check_exam(name, src, Some(&known));
        match out.value {
            Some(e) => b.exams.push(e),
            None => b.broken_exams.push((
                name.clone(),
                out.diagnostics.iter().map(|d| d.to_string()).collect(),
            )),
        }
    }
    b
}

/// Check every `(file name, source)`, sample replies included, into a library (as the app
/// would show it after `kefu bundle`).
pub fn load_library(files: &[(String, String)]) -> Library {
    let mut lib = Library::default();
    for (name, src) in files {
        lib.add_checked(check_file(name, src, true));
    }
    lib
}
