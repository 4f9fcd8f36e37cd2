//! Language negotiation: which UI language to show.

use crate::principles::Lang;

/// The UI language: `?lang=` wins, then the browser's languages in order, then English.
pub fn ui_lang(query: Option<&str>, browser: &[String]) -> Lang {
    if let Some(l) = query.and_then(Lang::parse) {
        return l;
    }
    for b in browser {
        let b = b.to_ascii_lowercase();
        if b.starts_with("zh") {
            let hant = ["hant", "-tw", "-hk", "-mo"].iter().any(|m| b.contains(m));
            return if hant { Lang::ZhHant } else { Lang::ZhHans };
        }
        if b.starts_with("en") {
            return Lang::En;
        }
    }
    Lang::En
}
