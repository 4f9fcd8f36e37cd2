//! The scenario checker as its own wasm module (feature `checker-wasm`, built into
//! `dist/checker/` by `make dist`). The app does not carry the TOML parser or the checker; it
//! loads this module only when a trainer opens a scenario file (or has opened one before).

use wasm_bindgen::prelude::*;

/// Check one scenario file as `kefu check` does, sample replies included; returns a
/// `view::Checked` as JSON.
#[wasm_bindgen]
pub fn check_file(name: &str, src: &str) -> String {
    let c = crate::view::check_file(name, src, true);
    serde_json::to_string(&c).unwrap_or_default()
}
