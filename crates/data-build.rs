//! The build script of `kefu-core` and `kefu-judge` (one file, named by both manifests).
//! Compiles the data files under the workspace's `data/` that the crate owns (core: principles
//! and the UI catalogue; judge: the lexicons), written in TOML for people, into minified JSON for
//! the crate to embed: comments and layout stay out of the app, and the browser app needs no
//! TOML parser for them. A malformed data file fails the build with its path, line and column.

use std::path::Path;

const CORE: &[&str] = &["principles", "i18n"];

const JUDGE: &[&str] = &[
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
    "rules/calm_down",
    "rules/wry_emoji",
    "rules/third_party",
    "rules/deflect",
];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&manifest).join("../../data");
    let files = match std::env::var("CARGO_PKG_NAME").as_deref() {
        Ok("kefu-core") => CORE,
        Ok("kefu-judge") => JUDGE,
        other => panic!("data-build.rs: no data files for package {other:?}"),
    };
    println!("cargo:rerun-if-changed=../data-build.rs");
    for name in files {
        let src_path = data.join(format!("{name}.toml")).display().to_string();
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
