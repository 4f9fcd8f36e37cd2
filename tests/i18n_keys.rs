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
    let re = Regex::new(r#"\bt\('(studio\.[a-z_]+)'"#).unwrap();
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
