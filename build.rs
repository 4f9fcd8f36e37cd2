//! Compiles the data files under `data/` (principles, lexicons, the UI catalogue), written in
//! TOML for people, into minified JSON for the crate to embed: comments and layout stay out of
//! the app, and the browser app needs no TOML parser for them. A malformed data file fails the
//! build with its path, line and column.

use std::path::Path;

const FILES: &[&str] = &[
    "principles",
    "i18n",
    "lexicon/_context",
    "lexicon/apology",
    "lexicon/empathy",
    "lexicon/ownership",
    "lexicon/solution",
    "lexicon/blame",
    "lexicon/restate",
    "lexicon/probe",
    "lexicon/explain",
    "lexicon/follow_up",
    "lexicon/address",
    "lexicon/gratitude",
    "lexicon/jargon",
    "lexicon/rudeness",
    "lexicon/close",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    println!("cargo:rerun-if-changed=build.rs");
    for name in FILES {
        let src_path = format!("data/{name}.toml");
        println!("cargo:rerun-if-changed={src_path}");
        let src = std::fs::read_to_string(&src_path)
            .unwrap_or_else(|e| panic!("{src_path}: cannot read: {e}"));
        let value: serde_json::Value = toml::from_str(&src).unwrap_or_else(|e| {
            let (line, col) = e.span().map_or((0, 0), |s| line_col(&src, s.start));
            panic!("{src_path}:{line}:{col}: {}", e.message())
        });
        let dest = Path::new(&out).join(format!("{name}.json"));
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
            .expect("OUT_DIR is writable");
        std::fs::write(
            &dest,
            serde_json::to_string(&value).expect("JSON from TOML"),
        )
        .expect("OUT_DIR is writable");
    }
}

fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = &src[..byte.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
