//! What the integration tests over the shipped library share: its files and its scenarios.
//! (A folder module, so Cargo does not build it as a test of its own; each test uses what it
//! needs of it, hence `dead_code` allowed.)
#![allow(dead_code)]

use kefu_check::check_source;
use kefu_core::scenario::Scenario;
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
