//! The lexicons under `data/lexicon/`, compiled by `crates/data-build.rs` from TOML into
//! minified JSON and embedded at build time. Parsed once by `lexicon`.

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
    };
}

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
/// `data/rules/ROLE.toml`: cues of structural roles (a feeling told away, a wry emoji, a cause
/// put on a third party, the customer sent elsewhere) that `crate::rules` combines into
/// principle hits; they are not principles themselves.
pub const ROLE_LEXICONS: &[(&str, &str)] = &[
    ("rules/calm_down", data!("rules/calm_down")),
    ("rules/wry_emoji", data!("rules/wry_emoji")),
    ("rules/third_party", data!("rules/third_party")),
    ("rules/deflect", data!("rules/deflect")),
];
