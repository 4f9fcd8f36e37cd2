//! A new UI language is data only: a `[[language]]` in the list and a catalogue file. This
//! test copies `data/languages.toml` and `data/i18n/` into a temp directory, adds a dummy
//! language `xx` (one list entry, a partial `xx.toml`), and loads it through the same loader
//! and negotiation code the app's embedded list uses (`kefu_core::lang`).

use kefu_core::lang::{Catalogue, Languages};
use kefu_core::principles::Lang;
use std::path::{Path, PathBuf};

fn toml_value(path: &Path) -> serde_json::Value {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    toml::from_str(&src).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The list and catalogue of a data directory, read as the build reads them: one
/// `i18n/CODE.toml` per listed language (a missing file gives no strings of its own).
fn load(data: &Path) -> (Languages, Catalogue) {
    let langs = Languages::from_value(toml_value(&data.join("languages.toml"))).unwrap();
    let mut files = serde_json::Map::new();
    for (code, _) in langs.offered() {
        let p = data.join("i18n").join(format!("{code}.toml"));
        if p.exists() {
            files.insert(code.to_string(), toml_value(&p));
        }
    }
    let cat = Catalogue::from_value(&langs, serde_json::Value::Object(files)).unwrap();
    (langs, cat)
}

fn temp_data() -> PathBuf {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let dir = std::env::temp_dir().join(format!("kefu-dummy-lang-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("i18n")).unwrap();
    std::fs::copy(repo.join("languages.toml"), dir.join("languages.toml")).unwrap();
    for e in std::fs::read_dir(repo.join("i18n")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, dir.join("i18n").join(p.file_name().unwrap())).unwrap();
    }
    dir
}

#[test]
fn the_embedded_list_is_the_data_file() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data");
    let (langs, _) = load(&repo);
    let codes: Vec<&str> = langs.offered().map(|(c, _)| c).collect();
    let enum_codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
    assert_eq!(
        codes, enum_codes,
        "Lang is generated from data/languages.toml in its order"
    );
    for l in Lang::ALL {
        assert_eq!(langs.language[l as usize].native, l.native_name());
    }
}

#[test]
fn a_dummy_language_from_data_only() {
    let dir = temp_data();
    // The one entry in the list…
    let mut list = std::fs::read_to_string(dir.join("languages.toml")).unwrap();
    list.push_str(
        "\n[[language]]\ncode = \"xx\"\nnative = \"Dummish\"\nfallback = [\"en\"]\nfamily = \"xx\"\ntags = [\"xx\", \"x-dummy\"]\n",
    );
    std::fs::write(dir.join("languages.toml"), list).unwrap();
    // …and its catalogue, partial: one key of its own.
    std::fs::write(dir.join("i18n/xx.toml"), "\"nav.library\" = \"Lyybrary\"\n").unwrap();

    let (langs, cat) = load(&dir);
    let xx = langs.index("xx").expect("xx is listed");
    let en = langs.index("en").unwrap();
    // Offered in the switcher under its own name, after the others.
    let offered: Vec<(&str, &str)> = langs.offered().collect();
    assert_eq!(offered.last(), Some(&("xx", "Dummish")));
    assert_eq!(offered.len(), Lang::ALL.len() + 1);
    // Its own string resolves; a key its file lacks falls back to English.
    assert_eq!(cat.get(&langs, xx, "nav.library"), Some("Lyybrary"));
    assert_eq!(cat.own(xx, "app.name"), None);
    assert_eq!(
        cat.get(&langs, xx, "app.name"),
        cat.get(&langs, en, "app.name")
    );
    assert_eq!(cat.get(&langs, xx, "app.name"), Some("Kefu Dojo"));
    assert_eq!(cat.get(&langs, xx, "no.such.key"), None);
    // Negotiation picks it: `?lang=xx`, a longer tag, a browser tag it answers to.
    assert_eq!(langs.negotiate(Some("xx"), &["zh-CN".into()]), xx);
    assert_eq!(langs.negotiate(Some("XX-YY"), &[]), xx);
    assert_eq!(langs.negotiate(None, &["fr".into(), "x-dummy".into()]), xx);
    // …and leaves the others as they were.
    assert_eq!(
        langs.negotiate(None, &["zh-TW".into()]),
        langs.index("zh-Hant").unwrap()
    );
    assert_eq!(langs.negotiate(Some("qq"), &[]), en);
    let zh = langs.index("zh-Hans").unwrap();
    assert_eq!(
        cat.get(&langs, zh, "nav.library"),
        Some(kefu_core::i18n::t(Lang::ZhHans, "nav.library").as_str())
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_list_is_a_clear_error() {
    let list = |s: &str| Languages::from_value(toml::from_str(s).unwrap());
    let e = list(
        "default = \"en\"\n[[language]]\ncode = \"en\"\nnative = \"E\"\nfallback = [\"fr\"]\n",
    )
    .unwrap_err();
    assert!(e.contains("unlisted `fr`"), "{e}");
    let e = list("default = \"fr\"\n[[language]]\ncode = \"en\"\nnative = \"E\"\n").unwrap_err();
    assert!(e.contains("default `fr`"), "{e}");
    let langs = list("default = \"en\"\n[[language]]\ncode = \"en\"\nnative = \"E\"\n").unwrap();
    let e = Catalogue::from_value(&langs, serde_json::json!({"fr": {"a": "b"}})).unwrap_err();
    assert!(e.contains("`fr` is not in the languages list"), "{e}");
}
