//! The UI languages as data: the list in `data/languages.toml` ([`Languages`]) and the
//! catalogue in `data/i18n/CODE.toml` ([`Catalogue`]). `Lang` (in `principles`) is generated
//! from the same list at build time and reads everything about a language from here, so a new
//! UI language is one `[[language]]` and one catalogue file. These types take any list (the
//! embedded one, or one read from elsewhere, as the dummy-language test does).

#![warn(missing_docs)]

use serde::Deserialize;
use std::collections::BTreeMap;

/// One `[[language]]` of `data/languages.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangInfo {
    /// BCP 47 tag: names the catalogue file and keys text maps in data.
    pub code: String,
    /// Its own name, for the language switcher.
    pub native: String,
    /// Where a text it lacks is taken from, in order (codes of listed languages).
    #[serde(default)]
    pub fallback: Vec<String>,
    /// Languages of one family stand in for each other when a scenario is played.
    #[serde(default)]
    pub family: String,
    /// Lower-case tags it answers to (`?lang=`, the browser's languages).
    #[serde(default)]
    pub tags: Vec<String>,
    /// The tag written in exported records (default: `code`).
    #[serde(default)]
    pub locale: Option<String>,
}

/// The language list: `data/languages.toml`, in the switcher's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Languages {
    /// The code chosen when no requested tag matches.
    pub default: String,
    /// The languages, in the switcher's order.
    pub language: Vec<LangInfo>,
}

impl Languages {
    /// The list from its parsed form (`data/languages.toml` as JSON), checked: codes unique,
    /// and `default` and every fallback name a listed language.
    pub fn from_value(v: serde_json::Value) -> Result<Languages, String> {
        let l: Languages = serde_json::from_value(v).map_err(|e| format!("languages list: {e}"))?;
        l.checked()
    }

    /// The list, checked: codes unique, and `default` and every fallback name a listed language.
    pub fn checked(self) -> Result<Languages, String> {
        let l = self;
        for (i, x) in l.language.iter().enumerate() {
            if l.language[..i].iter().any(|y| y.code == x.code) {
                return Err(format!("languages list: `{}` is listed twice", x.code));
            }
            for f in &x.fallback {
                if l.index(f).is_none() {
                    return Err(format!(
                        "languages list: `{}` falls back to unlisted `{f}`",
                        x.code
                    ));
                }
            }
        }
        if l.index(&l.default).is_none() {
            return Err(format!(
                "languages list: default `{}` is not listed",
                l.default
            ));
        }
        Ok(l)
    }

    /// The position of the language whose code is exactly `code`.
    pub fn index(&self, code: &str) -> Option<usize> {
        self.language.iter().position(|l| l.code == code)
    }

    /// The language a tag asks for (`zh-CN`, `zh-Hant-HK`, `en-US`, `EN`…): its code or one of
    /// its `tags`, ignoring case; else the same after dropping subtags from the end.
    pub fn find(&self, tag: &str) -> Option<usize> {
        let mut t = tag.trim().to_ascii_lowercase().replace('_', "-");
        loop {
            if t.is_empty() {
                return None;
            }
            let hit = self.language.iter().position(|l| {
                l.code.eq_ignore_ascii_case(&t) || l.tags.iter().any(|x| x.eq_ignore_ascii_case(&t))
            });
            if hit.is_some() {
                return hit;
            }
            match t.rfind('-') {
                Some(i) => t.truncate(i),
                None => return None,
            }
        }
    }

    /// The UI language: `?lang=` wins, then the browser's languages in order, then `default`.
    pub fn negotiate(&self, query: Option<&str>, browser: &[String]) -> usize {
        query
            .and_then(|q| self.find(q))
            .or_else(|| browser.iter().find_map(|b| self.find(b)))
            .or_else(|| self.index(&self.default))
            .unwrap_or(0)
    }

    /// `i` and then its fallbacks, in order.
    pub fn chain(&self, i: usize) -> Vec<usize> {
        let mut out = vec![i];
        for f in &self.language[i].fallback {
            if let Some(j) = self.index(f) {
                if !out.contains(&j) {
                    out.push(j);
                }
            }
        }
        out
    }

    /// The switcher's options: `(code, native name)` in order.
    pub fn offered(&self) -> impl Iterator<Item = (&str, &str)> {
        self.language
            .iter()
            .map(|l| (l.code.as_str(), l.native.as_str()))
    }
}

/// The UI catalogue: for each listed language, its `data/i18n/CODE.toml` (`"key" = "text"`).
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Per language (index into the list): key → text.
    texts: Vec<BTreeMap<String, String>>,
}

impl Catalogue {
    /// The catalogue from each listed language's parsed file (`{CODE: {key: text}}`); a
    /// language without a file has no strings of its own (all fall back). A file of an
    /// unlisted language, or a non-string text, is an error.
    pub fn from_value(langs: &Languages, v: serde_json::Value) -> Result<Catalogue, String> {
        let files: BTreeMap<String, BTreeMap<String, String>> =
            serde_json::from_value(v).map_err(|e| format!("catalogue: {e}"))?;
        let mut texts = vec![BTreeMap::new(); langs.language.len()];
        for (code, file) in files {
            let i = langs
                .index(&code)
                .ok_or_else(|| format!("catalogue: `{code}` is not in the languages list"))?;
            texts[i] = file;
        }
        Ok(Catalogue { texts })
    }

    /// The catalogue as the build embeds it (`crates/data-build.rs`, `catalogue`): per language
    /// code, one string of `key` U+001F `text` records joined by U+001E. A code not in `langs`
    /// is an error.
    pub fn from_records(langs: &Languages, files: &[(&str, &str)]) -> Result<Catalogue, String> {
        let mut texts = vec![BTreeMap::new(); langs.language.len()];
        for (code, records) in files {
            let i = langs
                .index(code)
                .ok_or_else(|| format!("catalogue: `{code}` is not in the languages list"))?;
            // One `insert` at a time (`collect` would add a sort's code, #17).
            for (k, t) in records
                .split('\u{1e}')
                .filter_map(|r| r.split_once('\u{1f}'))
            {
                texts[i].insert(k.to_string(), t.to_string());
            }
        }
        Ok(Catalogue { texts })
    }

    /// The text of `key` in language `i`, else in its fallbacks in order (`None`: nowhere).
    pub fn get<'a>(&'a self, langs: &Languages, i: usize, key: &str) -> Option<&'a str> {
        langs.chain(i).into_iter().find_map(|j| {
            self.texts
                .get(j)
                .and_then(|m| m.get(key))
                .map(String::as_str)
                .filter(|s| !s.is_empty())
        })
    }

    /// The text of `key` in language `i` itself, with no fallback.
    pub fn own<'a>(&'a self, i: usize, key: &str) -> Option<&'a str> {
        self.texts
            .get(i)
            .and_then(|m| m.get(key))
            .map(String::as_str)
    }

    /// Every key of any language.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let mut all: Vec<&str> = self
            .texts
            .iter()
            .flat_map(|m| m.keys().map(String::as_str))
            .collect();
        all.sort_unstable();
        all.dedup();
        all.into_iter()
    }
}
