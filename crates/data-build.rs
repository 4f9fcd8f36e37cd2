//! The build script of `kefu-core` and `kefu-judge` (one file, named by both manifests).
//! Compiles the data files under the workspace's `data/` that the crate owns (core: principles
//! and the UI catalogue; judge: the lexicons), written in TOML for people, into minified JSON for
//! the crate to embed: comments and layout stay out of the app, and the browser app needs no
//! TOML parser for them. A malformed data file fails the build with its path, line and column.

use std::path::Path;

const CORE: &[&str] = &["principles", "i18n"];

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let manifest = std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let data = Path::new(&manifest).join("../../data");
    println!("cargo:rerun-if-changed=../data-build.rs");
    match std::env::var("CARGO_PKG_NAME").as_deref() {
        Ok("kefu-core") => {
            for name in CORE {
                compile(&data, name, &out);
            }
        }
        Ok("kefu-judge") => {
            lexicons(&data, &out);
            compile(&data, "policy", &out);
        }
        other => panic!("data-build.rs: no data files for package {other:?}"),
    }
}

/// `data/NAME.toml` → `OUT_DIR/NAME.json`, parsed (a malformed file fails the build at
/// `FILE:LINE:COLUMN`).
fn compile(data: &Path, name: &str, out: &str) -> serde_json::Value {
    let src_path = data.join(format!("{name}.toml")).display().to_string();
    println!("cargo:rerun-if-changed={src_path}");
    let src = std::fs::read_to_string(&src_path)
        .unwrap_or_else(|e| panic!("{src_path}: cannot read: {e}"));
    let value: serde_json::Value = toml::from_str(&src).unwrap_or_else(|e| {
        let (line, col) = e.span().map_or((0, 0), |s| line_col(&src, s.start));
        panic!("{src_path}:{line}:{col}: {}", e.message())
    });
    let dest = Path::new(out).join(format!("{name}.json"));
    std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
        .expect("OUT_DIR is writable");
    std::fs::write(
        &dest,
        serde_json::to_string(&value).expect("JSON from TOML"),
    )
    .expect("OUT_DIR is writable");
    value
}

/// Every `data/lexicon/*.toml`: `_context.toml` (context words, courtesy features) and one file
/// per principle with cues, and every `data/rules/*.toml` (structural roles), found by listing
/// the folders — adding a principle's lexicon touches
/// no code. Writes `OUT_DIR/lexicons.rs` (`LEXICON_CONTEXT`, and `LEXICONS` in the display order
/// of `data/principles.toml`). A file named after no principle fails the build.
fn lexicons(data: &Path, out: &str) {
    let dir = data.join("lexicon");
    println!("cargo:rerun-if-changed={}", dir.display());
    let principles = compile_value(&data.join("principles.toml"));
    let order: Vec<String> = principles["principle"]
        .as_array()
        .expect("data/principles.toml has [[principle]]")
        .iter()
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
        .collect();
    names.sort();
    for n in names.iter().filter(|n| !n.starts_with('_')) {
        assert!(
            order.contains(n),
            "{}/{n}.toml: no principle `{n}` in data/principles.toml (a lexicon is named after its principle)",
            dir.display()
        );
    }
    for n in &names {
        compile(data, &format!("lexicon/{n}"), out);
    }
    let mut rs = String::from(
        "/// `data/lexicon/_context.toml`.\npub const LEXICON_CONTEXT: &str = data!(\"lexicon/_context\");\n\
         /// `data/lexicon/PRINCIPLE.toml`, one per principle with cues, in display order.\n\
         pub const LEXICONS: &[(&str, &str)] = &[\n",
    );
    for id in order.iter().filter(|id| names.contains(id)) {
        rs.push_str(&format!("    (\"{id}\", data!(\"lexicon/{id}\")),\n"));
    }
    rs.push_str("];\n");
    // The roles that `crate::rules` combines into principle hits: `data/rules/*.toml`.
    let roles_dir = data.join("rules");
    println!("cargo:rerun-if-changed={}", roles_dir.display());
    let mut roles: Vec<String> = std::fs::read_dir(&roles_dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| p.file_stem().and_then(|s| s.to_str()).map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    roles.sort();
    rs.push_str(
        "/// `data/rules/ROLE.toml`: cues of structural roles (a feeling told away, a wry emoji, a\n\
         /// cause put on a third party, the customer sent elsewhere) that `crate::rules` combines\n\
         /// into principle hits; they are not principles themselves.\n\
         pub const ROLE_LEXICONS: &[(&str, &str)] = &[\n",
    );
    for r in &roles {
        compile(data, &format!("rules/{r}"), out);
        rs.push_str(&format!("    (\"rules/{r}\", data!(\"rules/{r}\")),\n"));
    }
    rs.push_str("];\n");
    std::fs::write(Path::new(out).join("lexicons.rs"), rs).expect("OUT_DIR is writable");
}

fn compile_value(path: &Path) -> serde_json::Value {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&src).unwrap_or_else(|e| panic!("{}: {}", path.display(), e.message()))
}

fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = &src[..byte.min(src.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}
