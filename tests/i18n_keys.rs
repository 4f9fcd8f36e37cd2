//! Every catalogue key the browser app asks for exists in all three languages.

use kefu_core::i18n;
use kefu_core::principles::Lang;
use regex::Regex;

#[test]
fn app_uses_only_known_keys() {
    let re = Regex::new(r#"\b(?:t|tr|tf)\((?:[a-z.]+, )?"([a-z_]+\.[a-z_.]+)""#).unwrap();
    let mut used = 0;
    for entry in std::fs::read_dir("crates/app/src").unwrap() {
        let path = entry.unwrap().path();
        let src = std::fs::read_to_string(&path).unwrap();
        for c in re.captures_iter(&src) {
            used += 1;
            for l in Lang::ALL {
                let s = i18n::t(l, &c[1]);
                assert!(
                    !s.starts_with('⟦'),
                    "{}: key {} missing for {l:?}",
                    path.display(),
                    &c[1]
                );
            }
        }
    }
    assert!(used > 30, "found only {used} catalogue uses");
    for o in ["resolved", "escalated", "lost"] {
        assert!(!i18n::t(Lang::ZhHant, &format!("outcome.{o}")).starts_with('⟦'));
    }
}

/// The studio's bundle (`studio/*.js`) asks for its strings by key: every one is in every
/// language's catalogue file (`studio/build.mjs` builds the `studio.*` keys into the bundle;
/// the app's wasm leaves them out).
#[test]
fn the_studio_uses_only_known_keys() {
    // Every `'studio.…'` literal: keys passed to `t(…)` directly, chosen by a ternary
    // (`t(x ? 'studio.a' : 'studio.b')`) or looked up in a table (`COND`, `CM_PHRASES`).
    let re = Regex::new(r#"'(studio\.[a-z_]+)'"#).unwrap();
    let mut keys: Vec<String> = ["studio.error", "studio.warning"]
        .into_iter()
        .map(String::from)
        .chain(["angry", "objection", "product"].map(|k| format!("studio.new_{k}")))
        .collect();
    for entry in std::fs::read_dir("studio").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "js") {
            let src = std::fs::read_to_string(&path).unwrap();
            keys.extend(re.captures_iter(&src).map(|c| c[1].to_string()));
        }
    }
    assert!(keys.len() > 30, "found only {} studio keys", keys.len());
    for l in Lang::ALL {
        let file = format!("data/i18n/{}.toml", l.code());
        let src = std::fs::read_to_string(&file).unwrap();
        for k in &keys {
            let line = format!("\"{k}\" = \"");
            assert!(
                src.lines()
                    .any(|x| x.starts_with(&line) && x.len() > line.len() + 1),
                "studio key {k} missing in {file}"
            );
        }
        // Kept out of the app's wasm (data-build.rs): the first load does not carry them.
        assert!(i18n::t(l, "studio.title").starts_with('⟦'));
    }
}

/// `data/i18n/PART.keys` as the build reads it (`crates/data-build.rs`): whether it selects a key.
fn part(name: &str) -> impl Fn(&str) -> bool {
    let path = format!("data/i18n/{name}.keys");
    let list = std::fs::read_to_string(&path).unwrap();
    let entries: Vec<String> = list
        .lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let known: Vec<&str> = i18n::keys().collect();
    for e in &entries {
        assert!(
            known.iter().any(|k| k.starts_with(e.as_str())),
            "{path}: `{e}` selects no key of the catalogue"
        );
    }
    move |key: &str| {
        entries.iter().any(|e| {
            if e.ends_with('.') {
                key.starts_with(e.as_str())
            } else {
                key == e
            }
        })
    }
}

/// Every catalogue key written as a string literal in `files`, with the file.
fn keys_in(files: &[String]) -> Vec<(String, String)> {
    let known: Vec<&str> = i18n::keys().collect();
    let literal = Regex::new(r#""([a-z_]+\.[a-z_.]+)""#).unwrap();
    let mut used = Vec::new();
    for path in files {
        let src = std::fs::read_to_string(path).unwrap();
        for c in literal.captures_iter(&src) {
            if known.contains(&&c[1]) {
                used.push((path.clone(), c[1].to_string()));
            }
        }
    }
    used
}

/// The keys the core builds at run time in code both browser parts call: product names
/// (`scenario::product_name`) and an import's errors (`progress::LoadError`).
fn runtime_keys() -> Vec<(String, String)> {
    let mut used = product_keys();
    for e in [
        kefu_core::progress::LoadError::Corrupt(String::new()),
        kefu_core::progress::LoadError::TooNew(9),
    ] {
        used.push(("progress::LoadError".into(), e.key().to_string()));
    }
    used
}

/// The product names the core builds keys for (`scenario::product_name`), in every module.
fn product_keys() -> Vec<(String, String)> {
    kefu_core::scenario::PRODUCTS
        .iter()
        .map(|(id,)| ("scenario::product_name".into(), format!("product.{id}")))
        .collect()
}

/// The modules `lib.rs` declares without a feature gate: in every app module (the library's,
/// the dashboard's, the full one), with `lib.rs` itself.
fn ungated_app_modules() -> Vec<String> {
    let lib = std::fs::read_to_string("crates/app/src/lib.rs").unwrap();
    let lines: Vec<&str> = lib.lines().map(str::trim).collect();
    let mut files = vec!["crates/app/src/lib.rs".to_string()];
    for (i, l) in lines.iter().enumerate() {
        if let Some(m) = l.strip_prefix("mod ").and_then(|m| m.strip_suffix(';')) {
            if i == 0 || !lines[i - 1].starts_with("#[cfg(") {
                files.push(format!("crates/app/src/{m}.rs"));
            }
        }
    }
    files
}

/// The library module (kefu-app without its features, the first load) embeds only the keys
/// `data/i18n/library.keys` selects (`crates/data-build.rs`). Every catalogue key written in
/// the code it keeps — the modules `lib.rs` declares without a feature gate — and
/// every key the core's code it calls builds at run time (product names) is
/// selected, so the first load never shows a raw `⟦key⟧`.
#[test]
fn the_library_module_carries_every_key_it_uses() {
    let selects = part("library");
    assert!(!selects("studio.title") && !selects("play.send"));
    // The modules the library module keeps: those lib.rs declares without a feature gate.
    let files = ungated_app_modules();
    assert!(
        files.iter().any(|f| f.ends_with("/library.rs"))
            && !files.iter().any(|f| f.ends_with("/play.rs"))
            && !files.iter().any(|f| f.ends_with("/team.rs"))
    );
    let used = keys_in(&files);
    assert!(used.len() > 30, "found only {} keys", used.len());
    // Import errors (`progress::LoadError`) are shown on the history page and the dashboard,
    // never by the library module.
    for (path, key) in used.into_iter().chain(product_keys()) {
        assert!(
            selects(&key),
            "{path}: key {key} is not in data/i18n/library.keys (the library module would show ⟦{key}⟧)"
        );
    }
}

/// The dashboard module (kefu-app with `team` alone, `#/team`, #19) embeds the keys
/// `data/i18n/team.keys` and `library.keys` select (kefu-core's `team-catalogue` beside
/// `library-catalogue`). Every catalogue key written in the code it keeps — the ungated modules,
/// the dashboard (`team.rs`) and its app (`team_app.rs`) — and every key the core builds at run
/// time in code the dashboard calls (an outcome's name, import errors) is selected, so the
/// dashboard never shows a raw `⟦key⟧`.
#[test]
fn the_dashboard_module_carries_every_key_it_uses() {
    let (team, library) = (part("team"), part("library"));
    let selects = |k: &str| team(k) || library(k);
    assert!(!selects("play.send") && !selects("hist.title") && selects("team.title"));
    let mut files = ungated_app_modules();
    files.extend([
        "crates/app/src/team.rs".into(),
        "crates/app/src/team_app.rs".into(),
    ]);
    let used = keys_in(&files);
    assert!(
        used.iter().filter(|(f, _)| f.ends_with("/team.rs")).count() > 20,
        "found only {} keys",
        used.len()
    );
    // The full module leaves the dashboard's keys out (`crates/data-build.rs`): no other page
    // may name one.
    let src = std::path::Path::new("crates/app/src");
    let others: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".rs") && !p.ends_with("/team.rs") && !p.ends_with("/team_app.rs"))
        .collect();
    for (path, key) in keys_in(&others) {
        assert!(
            !key.starts_with("team."),
            "{path}: {key} is the dashboard's (not in the full module)"
        );
    }
    let outcomes = i18n::keys()
        .filter(|k| k.starts_with("outcome."))
        .map(|k| ("team.rs: outcome.{o}".to_string(), k.to_string()));
    for (path, key) in used.into_iter().chain(runtime_keys()).chain(outcomes) {
        assert!(
            selects(&key),
            "{path}: key {key} is not in data/i18n/team.keys or library.keys (the dashboard would show ⟦{key}⟧)"
        );
    }
}

/// The scorer module (kefu-engine: the judge turns on only `scorer-catalogue`) embeds only the
/// keys `data/i18n/scorer.keys` selects. Every key the judge's and the engine's code name, the
/// core code they run names (the dialogue a replay plays, the principles' tips, an import), or
/// builds at run time (`answers.asked.KIND`, products, import errors) is selected, so a tip
/// never shows a raw `⟦key⟧`.
#[test]
fn the_scorer_module_carries_every_key_it_uses() {
    let selects = part("scorer");
    assert!(!selects("lib.title") && !selects("play.send"));
    fn rs_files(dir: &str, out: &mut Vec<String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rs_files(p.to_str().unwrap(), out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p.display().to_string());
            }
        }
    }
    let mut files = Vec::new();
    rs_files("crates/judge/src", &mut files);
    rs_files("crates/engine/src", &mut files);
    for f in [
        "dialogue",
        "principles",
        "progress",
        "scenario",
        "judgement",
    ] {
        files.push(format!("crates/core/src/{f}.rs"));
    }
    let used = keys_in(&files);
    assert!(used.len() >= 5, "found only {} keys", used.len());
    let asked = i18n::keys()
        .filter(|k| k.starts_with("answers.asked."))
        .map(|k| ("score::answers_tip".to_string(), k.to_string()));
    for (path, key) in used.into_iter().chain(runtime_keys()).chain(asked) {
        assert!(
            selects(&key),
            "{path}: key {key} is not in data/i18n/scorer.keys (a tip would show ⟦{key}⟧)"
        );
    }
}

#[test]
fn the_checker_says_only_known_keys_and_every_key_it_has_is_said() {
    // Every `"check.…"` literal of kefu-check (its `msg!` keys, the characters' names in
    // `NOT_ASCII`, the severities) and of the CLI (the lines `kefu check` writes itself: a
    // file it cannot read, an id two files use), and the catalogue's `check.` keys: the same
    // set, so no message shows a key and no translation is left over.
    let re = Regex::new(r#""(check\.[a-z0-9_.]+)""#).unwrap();
    let mut said = std::collections::BTreeSet::new();
    let mut dirs = vec![
        std::path::PathBuf::from("crates/check/src"),
        std::path::PathBuf::from("src/bin"),
    ];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let src = std::fs::read_to_string(&path).unwrap();
                said.extend(re.captures_iter(&src).map(|c| c[1].to_string()));
            }
        }
    }
    let had: std::collections::BTreeSet<String> = i18n::keys()
        .filter(|k| k.starts_with("check."))
        .map(String::from)
        .collect();
    assert!(said.len() > 150, "found only {} checker keys", said.len());
    let missing: Vec<_> = said.difference(&had).collect();
    let unsaid: Vec<_> = had.difference(&said).collect();
    assert!(
        missing.is_empty(),
        "said, not in the catalogue: {missing:?}"
    );
    assert!(
        unsaid.is_empty(),
        "in the catalogue, said nowhere: {unsaid:?}"
    );
}
