//! The translation catalogue: every UI string, from `data/i18n/CODE.toml`, one file per
//! language of `data/languages.toml` (a leftover old-form `data/i18n.toml` is read too until
//! `scripts/split-catalogue.py` moves it). A key a language lacks falls back along the
//! language's `fallback` list; a key no language has shows itself (`⟦key⟧`) rather than panic.
//! Built without the feature `full-catalogue` (the library module, the first load) the catalogue
//! holds only the keys `data/i18n/library.keys` selects (`tests/i18n_keys.rs` keeps the list
//! complete for the code that module keeps).

#![warn(missing_docs)]

use crate::lang::Catalogue;
use crate::principles::Lang;
use std::sync::OnceLock;

/// The embedded catalogue.
pub fn catalogue() -> &'static Catalogue {
    static C: OnceLock<Catalogue> = OnceLock::new();
    C.get_or_init(|| {
        // Written by the build (`crates/data-build.rs`, `catalogue`): no parser here.
        Catalogue::from_records(Lang::list(), include!(concat!(env!("OUT_DIR"), "/i18n.rs")))
            .unwrap_or_default()
    })
}

/// The UI string `key` in `lang`.
pub fn t(lang: Lang, key: &str) -> String {
    match catalogue().get(Lang::list(), lang as usize, key) {
        Some(s) => s.to_string(),
        None => format!("⟦{key}⟧"),
    }
}

/// `t` with `{name}` arguments filled in. When `{n}` is 1 and `lang` has its own `KEY.one`
/// (English's singular: "Imported 1 new attempt."), that text is used; a language without a
/// singular form (Chinese) has no `.one` keys and never falls back to another's.
pub fn tf(lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    // The singular's key is made only for a count of one (tf runs on every draw).
    let singular = args
        .iter()
        .any(|(k, v)| *k == "n" && *v == "1")
        .then(|| format!("{key}.one"))
        .filter(|k| catalogue().own(lang as usize, k).is_some());
    fill(&t(lang, singular.as_deref().unwrap_or(key)), args)
}

/// `text` with each `{name}` of `args` replaced by its value, in one pass: a value is never
/// read again (a trainer's `{hint}` quoted in a checker message stays as written), and a
/// `{…}` that is not an argument stays as it is.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let arg = after
            .find('}')
            .and_then(|close| Some((close, args.iter().find(|(k, _)| *k == &after[..close])?)));
        match arg {
            Some((close, (_, v))) => {
                out.push_str(v);
                rest = &after[close + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The colon between a label and its value, as the language writes it (full-width in
/// Chinese, where a value follows with no space).
pub fn colon(lang: Lang) -> &'static str {
    if lang.is_zh() {
        "："
    } else {
        ": "
    }
}

/// Every key of the catalogue (for tests).
pub fn keys() -> impl Iterator<Item = &'static str> {
    catalogue().keys()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_in_every_language_file() {
        assert!(keys().count() > 20);
        for k in keys() {
            if let Some(base) = k.strip_suffix(".one") {
                assert!(
                    keys().any(|b| b == base),
                    "{k}: no {base} to be the singular of"
                );
                continue;
            }
            for l in Lang::ALL {
                assert!(
                    catalogue()
                        .own(l as usize, k)
                        .is_some_and(|s| !s.is_empty()),
                    "{k} has no {l:?} in data/i18n/{}.toml",
                    l.code()
                );
            }
        }
        assert_eq!(t(Lang::En, "nav.library"), "Library");
        assert!(t(Lang::En, "no.such.key").contains("no.such.key"));
    }

    /// The first ASCII punctuation mark written beside a Chinese character in `text`, where
    /// Chinese takes the full-width one (，：；？！（）): "结局:升级" reads as a typo.
    fn ascii_beside_han(text: &str) -> Option<char> {
        let han = |c: char| matches!(c, '\u{3400}'..='\u{9fff}' | '“' | '”' | '「' | '」');
        let cs: Vec<char> = text.chars().collect();
        cs.iter().enumerate().find_map(|(i, &c)| {
            let before = i.checked_sub(1).map(|j| cs[j]);
            let after = cs.get(i + 1).copied();
            let beside = before.is_some_and(han) || after.is_some_and(han);
            (matches!(c, ',' | ':' | ';' | '?' | '!' | '(' | ')') && beside).then_some(c)
        })
    }

    /// The Chinese UI strings, and the principles' names, tips and handbook citations the
    /// feedback shows, take full-width punctuation. Not in a location (`{file}:1:1:`).
    #[test]
    fn chinese_texts_use_full_width_punctuation() {
        let mut bad = Vec::new();
        let zh = [Lang::ZhHans, Lang::ZhHant];
        for k in keys() {
            for l in zh {
                let text = catalogue().own(l as usize, k).unwrap_or("");
                let text = text.strip_prefix("{file}:1:1: ").unwrap_or(text);
                if let Some(c) = ascii_beside_han(text) {
                    bad.push(format!("{k} ({}): `{c}` in {text}", l.code()));
                }
            }
        }
        for p in crate::principles::all() {
            let texts = [&p.name, &p.tip, &p.cite]
                .into_iter()
                .chain(p.tip_for.values());
            for (t, l) in texts.flat_map(|t| zh.map(|l| (t, l))) {
                if let Some(c) = ascii_beside_han(t.get(l)) {
                    bad.push(format!(
                        "principle {} ({}): `{c}` in {}",
                        p.id,
                        l.code(),
                        t.get(l)
                    ));
                }
            }
        }
        assert!(
            bad.is_empty(),
            "ASCII punctuation in Chinese:\n{}",
            bad.join("\n")
        );
    }

    #[test]
    fn arguments_are_filled_once_and_other_braces_kept() {
        let args = [("name", "{hint}"), ("hint", "x")];
        assert_eq!(
            fill("`{name}`: {hint} {other} {", &args),
            "`{hint}`: x {other} {"
        );
        assert_eq!(fill("{}{name}", &args), "{}{hint}");
    }

    #[test]
    fn a_count_of_one_reads_in_the_singular_where_the_language_has_one() {
        let n = |lang, n: &str| tf(lang, "team.loaded", &[("n", n)]);
        assert_eq!(n(Lang::En, "1"), "Read 1 statement.");
        assert_eq!(n(Lang::En, "2"), "Read 2 statements.");
        assert_eq!(n(Lang::En, "11"), "Read 11 statements.");
        assert_eq!(n(Lang::ZhHans, "1"), n(Lang::ZhHans, "2").replace('2', "1"));
        assert!(!n(Lang::ZhHant, "1").contains("statement"));
        assert_eq!(n(Lang::ZhHant, "1"), n(Lang::ZhHant, "2").replace('2', "1"));
    }
}
