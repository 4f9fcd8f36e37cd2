//! Language negotiation: which UI language to show.

use crate::principles::Lang;

/// The UI language: `?lang=` wins, then the browser's languages in order, then the default of
/// `data/languages.toml` (English); the tags each language answers to are in that list.
pub fn ui_lang(query: Option<&str>, browser: &[String]) -> Lang {
    Lang::negotiate(query, browser)
}
