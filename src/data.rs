//! The data files under `data/`, compiled by `build.rs` from TOML into minified JSON and
//! embedded at build time. Parsed once by the module that owns each (principles, lexicon, i18n).

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
    };
}

/// `data/principles.toml`.
pub const PRINCIPLES: &str = data!("principles");
/// `data/i18n.toml`.
pub const I18N: &str = data!("i18n");
/// `data/lexicon/_context.toml`.
pub const LEXICON_CONTEXT: &str = data!("lexicon/_context");
/// `data/lexicon/PRINCIPLE.toml`, one per principle with cues.
pub const LEXICONS: &[(&str, &str)] = &[
    ("apology", data!("lexicon/apology")),
    ("empathy", data!("lexicon/empathy")),
    ("ownership", data!("lexicon/ownership")),
    ("solution", data!("lexicon/solution")),
    ("blame", data!("lexicon/blame")),
    ("restate", data!("lexicon/restate")),
    ("probe", data!("lexicon/probe")),
    ("explain", data!("lexicon/explain")),
    ("follow_up", data!("lexicon/follow_up")),
    ("address", data!("lexicon/address")),
    ("gratitude", data!("lexicon/gratitude")),
    ("jargon", data!("lexicon/jargon")),
    ("rudeness", data!("lexicon/rudeness")),
    ("close", data!("lexicon/close")),
];
