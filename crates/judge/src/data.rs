//! The lexicons under `data/lexicon/`, compiled by `crates/data-build.rs` from TOML into
//! minified JSON and embedded at build time. Parsed once by `lexicon`.

macro_rules! data {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name, ".json"))
    };
}

// `LEXICON_CONTEXT`, `LEXICONS` and `ROLE_LEXICONS`, listed by the build script from the files in
// `data/lexicon/` and `data/rules/`.
include!(concat!(env!("OUT_DIR"), "/lexicons.rs"));

/// `data/policy.toml`: the shop rules' topic words, units and negators (`crate::policy`).
pub const POLICY: &str = data!("policy");

/// `data/answers.toml`: the patterns and words that read an answer to the customer's question
/// (`crate::answers`).
pub const ANSWERS: &str = data!("answers");

/// `data/questions.toml`: the words that tell a question's form and kind (`detect::questions`).
pub const QUESTIONS: &str = data!("questions");
