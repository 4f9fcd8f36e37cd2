//! The engine module: the scorer and the scenario checker as their own wasm module (feature
//! `engine-wasm`, built into `dist/engine/` by `make dist`). The app carries neither; it imports
//! this module when a trainee starts to play or a trainer opens a scenario file, so the first
//! load (the library) stays small. Every export takes and returns JSON.

use kefu_judge::score;
use wasm_bindgen::prelude::*;

/// Check one scenario file as `kefu check` does, sample replies included; returns a
/// `view::Checked` as JSON.
#[wasm_bindgen]
pub fn check_file(name: &str, src: &str) -> String {
    let c = kefu_check::check_file(name, src, true);
    serde_json::to_string(&c).unwrap_or_default()
}

/// Judge one reply at a scenario turn: `score::judge_json`.
#[wasm_bindgen]
pub fn judge(request: &str) -> String {
    score::judge_json(request)
}

/// Score one reply without a scenario, exactly as `kefu score` prints it (for measuring in
/// the browser: `window.kefuDojo.score_json(text, "zh-Hans")` once the engine is loaded).
#[wasm_bindgen]
pub fn score_json(text: &str, lang: &str) -> String {
    let l = kefu_core::principles::Lang::parse(lang).unwrap_or(kefu_core::principles::Lang::En);
    serde_json::to_string(&score::score(text, l)).unwrap_or_default()
}
