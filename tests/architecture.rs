//! The architecture's crate boundaries, checked on the resolved dependency graph as Cargo
//! builds each crate (`cargo tree -e normal`, resolver 2: dev-dependencies and other packages'
//! features do not leak in): what ARCHITECTURE.md promises as "a missing dependency, not a
//! convention".

use std::collections::BTreeSet;
use std::process::Command;

/// Every package `krate` links (itself included), by name, for `target` (`None`: the host).
fn links(krate: &str, target: Option<&str>) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["tree", "-e", "normal", "--prefix", "none"])
        .args(["--format", "{p}", "-p", krate]);
    if let Some(t) = target {
        cmd.args(["--target", t]);
    }
    let out = cmd.output().expect("cargo tree runs");
    assert!(
        out.status.success(),
        "cargo tree -p {krate}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

fn assert_none(krate: &str, links: &BTreeSet<String>, banned: &[&str]) {
    let found: Vec<&&str> = banned.iter().filter(|b| links.contains(**b)).collect();
    assert!(found.is_empty(), "{krate} links {found:?}");
}

#[test]
fn the_app_never_links_the_judge_the_lexicons_or_the_checker() {
    let app = links("kefu-app", Some("wasm32-unknown-unknown"));
    assert!(app.contains("kefu-core") && app.contains("yew"), "{app:?}");
    assert_none(
        "kefu-app",
        &app,
        &[
            "kefu-judge",
            "kefu-check",
            "kefu-engine",
            "aho-corasick",
            "fast2s",
            "toml",
        ],
    );
}

#[test]
fn the_core_has_no_judge_no_toml_and_no_browser_dependency() {
    let core = links("kefu-core", None);
    assert!(core.contains("serde"), "{core:?}");
    assert_none(
        "kefu-core",
        &core,
        &[
            "kefu-judge",
            "kefu-check",
            "toml",
            "yew",
            "web-sys",
            "wasm-bindgen",
            "getrandom",
        ],
    );
}

#[test]
fn the_judge_knows_no_scenario_files_and_no_browser() {
    let judge = links("kefu-judge", None);
    assert!(judge.contains("aho-corasick"), "{judge:?}");
    assert_none(
        "kefu-judge",
        &judge,
        &["kefu-check", "toml", "yew", "web-sys", "wasm-bindgen"],
    );
}
