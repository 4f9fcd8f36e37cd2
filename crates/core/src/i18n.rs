//! The translation catalogue: every UI string, in zh-Hans, zh-Hant and en, from
//! `data/i18n/LANG.toml` (one file per language; a leftover old-form `data/i18n.toml` is read
//! too until `scripts/split-catalogue.py` moves it). Keys are stable; a missing key shows itself (`⟦key⟧`) rather than panic.

#![warn(missing_docs)]

use crate::principles::{Lang, Text};
use std::collections::BTreeMap;
use std::sync::OnceLock;

const DATA: &str = crate::data::I18N;

fn catalogue() -> &'static BTreeMap<String, Text> {
    static C: OnceLock<BTreeMap<String, Text>> = OnceLock::new();
    C.get_or_init(|| serde_json::from_str(DATA).unwrap_or_default())
}

/// The UI string `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    match catalogue()
        .get(key)
        .map(|x| x.get(lang))
        .filter(|s| !s.is_empty())
    {
        Some(s) => s.to_string(),
        None => format!("⟦{key}⟧"),
    }
}

/// `t` with `{name}` arguments filled in.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let mut s = t(lang, key);
    for (k, v) in args {
        s = s.replace(&format!("{{{k}}}"), v);
    }
    s
}

/// Every key of the catalogue (for tests).
pub fn keys() -> impl Iterator<Item = &'static str> {
    catalogue().keys().map(|k| k.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_three_languages() {
        assert!(serde_json::from_str::<BTreeMap<String, Text>>(DATA).is_ok());
        assert!(keys().count() > 20);
        for k in keys() {
            for l in Lang::ALL {
                assert!(!t(l, k).starts_with('⟦'), "{k} has no {l:?}");
            }
        }
        assert_eq!(t(Lang::En, "nav.library"), "Library");
        assert!(t(Lang::En, "no.such.key").contains("no.such.key"));
    }
}
