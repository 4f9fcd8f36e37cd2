//! The engine modules, run in a Web Worker (`crates/engine/worker.js`) so that scoring and
//! checking never block the page. `make dist` builds this crate twice: the scorer (play needs
//! only this: `judge`, `score_json`, `warm`; the app replays a stored session itself, asking
//! `judge` reply by reply: `Session::replay_needs`) and, with feature `check`, the checker
//! (`check_file`, `check_studio` and `read_import` besides) that the app's worker loads only
//! when a trainer opens a file or the trainee imports results. Every export takes and returns
//! JSON.

use kefu_judge::score;
use wasm_bindgen::prelude::*;

/// Check one scenario file as `kefu check` does, sample replies included; returns a
/// `view::Checked` as JSON, its messages in `lang` (the UI's language code; English without).
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn check_file(name: &str, src: &str, lang: Option<String>) -> String {
    let c = kefu_check::check_file_in(name, src, true, ui_lang(lang));
    serde_json::to_string(&c).unwrap_or_default()
}

/// Check one scenario file for the trainer studio: diagnostics with quick fixes, the turn
/// graph and each sample's path (`kefu_check::studio::Report` as JSON), its messages in `lang`.
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn check_studio(name: &str, src: &str, lang: Option<String>) -> String {
    serde_json::to_string(&kefu_check::studio::check_studio_in(
        name,
        src,
        ui_lang(lang),
    ))
    .unwrap_or_default()
}

/// The language a page asks its messages in (English when it names none the app has).
#[cfg(feature = "check")]
fn ui_lang(code: Option<String>) -> kefu_core::principles::Lang {
    code.as_deref()
        .and_then(kefu_core::principles::Lang::parse)
        .unwrap_or(kefu_core::principles::Lang::En)
}

/// Build what judging reads once (`kefu_judge::warm`): the worker calls it right after the
/// module loads, so the first reply is judged as fast as the rest.
#[wasm_bindgen]
pub fn warm() {
    kefu_judge::warm();
}

/// Judge one reply at a scenario turn: `score::judge_json`.
#[wasm_bindgen]
pub fn judge(request: &str) -> String {
    score::judge_json(request)
}

/// Score one reply without a scenario, exactly as `kefu score` prints it (for measuring in
/// the browser: `await window.kefuDojo.score_json(text, "zh-Hans")`, answered by the worker).
#[wasm_bindgen]
pub fn score_json(text: &str, lang: &str) -> String {
    let l = kefu_core::principles::Lang::parse(lang).unwrap_or(kefu_core::principles::Lang::En);
    score::score(text, l).to_json()
}

/// Read a results file the trainee imports (`Store::import`: our JSON export, an older store,
/// our xAPI export) here, off the page, in the checker module (play never needs the reader): `{"version":1,"attempts":[…]}` in the current format, or
/// `{"error":"corrupt"}` / `{"error":"too_new","version":N}` / `{"error":"other_trainee",
/// "theirs":…,"mine":…}` (the file names another trainee than `me`, the settings' name:
/// `Store::import_for`). The page hands the attempts to the browser store as they are (it never
/// parses the whole file itself).
#[cfg(feature = "check")]
#[wasm_bindgen]
pub fn read_import(text: &str, me: Option<String>) -> String {
    use kefu_core::progress::{Imported, Store};
    match Store::import_for(text, me.as_deref()) {
        Ok(Imported::Theirs(theirs)) => other_trainee(&theirs, me.as_deref().unwrap_or("")),
        Ok(Imported::Read(s)) => import_answer(Ok(s)),
        Err(e) => import_answer(Err(e)),
    }
}

/// `read_import`'s answer for a file that names another trainee than `mine`.
#[cfg(any(test, feature = "check"))]
fn other_trainee(theirs: &str, mine: &str) -> String {
    format!(
        r#"{{"error":"other_trainee","theirs":{},"mine":{}}}"#,
        serde_json::Value::from(theirs),
        serde_json::Value::from(mine.trim())
    )
}

/// `read_import`'s answer for what the reader made of a file.
#[cfg(any(test, feature = "check"))]
fn import_answer(r: Result<kefu_core::progress::Store, kefu_core::progress::LoadError>) -> String {
    use kefu_core::progress::LoadError;
    match r {
        Ok(s) => s.to_json(),
        Err(LoadError::TooNew(v)) => format!(r#"{{"error":"too_new","version":{v}}}"#),
        // `"error"` first: the page tells an error from a store by that prefix (a `json!` map
        // sorts its keys, which put `"detail"` first and sent the error on to be stored).
        Err(LoadError::Corrupt(m)) => format!(
            r#"{{"error":"corrupt","detail":{}}}"#,
            serde_json::Value::from(m)
        ),
    }
}

#[cfg(test)]
mod tests {
    /// The page reads `{"error"` at the start as a file it could not import (`lib.rs`, the
    /// import effect); anything else is a store to save.
    #[test]
    fn an_unreadable_import_answers_with_the_error_first() {
        for bad in [
            "{oops",
            r#"{"foo":1}"#,
            "",
            r#"{"version":999,"attempts":[]}"#,
        ] {
            let out = super::import_answer(kefu_core::progress::Store::import(bad));
            assert!(out.starts_with(r#"{"error":"#), "{bad} → {out}");
            let v: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert!(v["error"] == "corrupt" || v["error"] == "too_new", "{out}");
        }
        let good = kefu_core::progress::Store::import(r#"{"version":1,"attempts":[]}"#);
        assert!(!super::import_answer(good).starts_with(r#"{"error""#));
        // Another trainee's export, in a browser whose results are named: refused, both named.
        let li = r#"{"trainee":{"name":"Li Na"},"version":1,"attempts":[]}"#;
        let out = super::other_trainee("Li Na", " Zhao ");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(v["error"], "other_trainee", "{out}");
        assert_eq!(
            (v["theirs"].as_str(), v["mine"].as_str()),
            (Some("Li Na"), Some("Zhao"))
        );
        use kefu_core::progress::{Imported, Store};
        assert!(
            matches!(Store::import_for(li, Some("Zhao")), Ok(Imported::Theirs(t)) if t == "Li Na")
        );
        for me in [None, Some(""), Some(" li na ")] {
            assert!(
                matches!(Store::import_for(li, me), Ok(Imported::Read(_))),
                "{me:?}"
            );
        }
    }
}
