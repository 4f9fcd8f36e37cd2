//! The lexicons under `data/lexicon/` and `data/rules/`, compiled by `crates/data-build.rs` from
//! TOML into minified JSON, for tools and tests that walk every word (`tests/pathological`).
//! The judge itself reads its data files as Rust expressions the build writes (no parser at
//! run time, #17): `lexicon` (`lexicon_context.rs`, `lexicon_files.rs`, `lexicon_sources.rs`),
//! `policy` (`policy.rs`), `answers` (`answers.rs`) and `detect::questions` (`questions.rs`).

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
    };
}

// `LEXICON_CONTEXT`, `LEXICONS` and `ROLE_LEXICONS`, listed by the build script from the files in
// `data/lexicon/` and `data/rules/`.
include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));
