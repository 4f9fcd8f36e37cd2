//! The data files under `data/`, compiled by `build.rs` from TOML into minified JSON and
//! embedded at build time. Parsed once by the module that owns each (principles, i18n); the lexicons are
//! `kefu_judge`'s (its own `data.rs`).

#![warn(missing_docs)]

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
    };
}

/// `data/principles.toml`.
pub const PRINCIPLES: &str = data!("principles");
/// `data/languages.toml`.
pub const LANGUAGES: &str = data!("languages");
/// The UI catalogue, `data/i18n/CODE.toml` of each listed language: `{CODE: {key: text}}`.
pub const I18N: &str = data!("i18n");
