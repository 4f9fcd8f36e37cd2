//! The raw form of a scenario file: exactly what TOML gives, with source spans, before any
//! semantic check. `check.rs` turns it into a validated `Scenario` plus diagnostics.

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

pub type S<T> = Spanned<T>;
/// Text per language code (`zh-Hans`, `zh-Hant`, `en`).
pub type RawText = BTreeMap<S<String>, S<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub id: S<String>,
    pub kind: S<String>,
    pub languages: S<Vec<S<String>>>,
    pub product: Option<S<String>>,
    pub difficulty: Option<S<i64>>,
    pub minutes: Option<S<i64>>,
    pub title: S<RawText>,
    pub brief: S<RawText>,
    pub customer: S<RawCustomer>,
    #[serde(default)]
    pub placeholders: BTreeMap<S<String>, S<Vec<S<String>>>>,
    pub start: Option<S<String>>,
    pub max_turns: Option<S<i64>>,
    #[serde(default)]
    pub turn: Vec<S<RawTurn>>,
    #[serde(default)]
    pub ending: Vec<S<RawEnding>>,
    #[serde(default)]
    pub sample: Vec<S<RawSample>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomer {
    pub name: S<RawText>,
    pub mood: Option<S<i64>>,
    pub persona: Option<S<RawText>>,
    /// The ending reached when the customer's mood falls to 0 or the dialogue runs too long.
    pub gives_up: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTurn {
    pub id: S<String>,
    pub say: S<Vec<S<RawText>>>,
    #[serde(default)]
    pub expects: BTreeMap<S<String>, S<f64>>,
    #[serde(default)]
    pub facts: Vec<S<RawFact>>,
    #[serde(default)]
    pub false_claims: Vec<S<RawClaim>>,
    #[serde(default)]
    pub jargon: Vec<S<String>>,
    #[serde(default)]
    pub allow: Vec<S<String>>,
    pub target_seconds: Option<S<i64>>,
    #[serde(default)]
    pub model: Vec<S<RawText>>,
    pub hint: Option<S<RawText>>,
    /// Customer lines said instead of `say` when their condition on the previous reply holds.
    #[serde(default)]
    pub line: Vec<S<RawTurnLine>>,
    #[serde(default)]
    pub next: Vec<S<RawNext>>,
}

/// Declares a raw struct that starts with the condition fields (`all`, `any`, `none`,
/// `min_score`, `max_score`, `mood_below`, `mood_above`, `turns_taken`), written once here for
/// `[[turn.next]]`, `[[turn.line]]` and `[[ending.line]]`, and gives it `cond()`, a
/// [`RawCond`] view of them. The fields stay inline (not `#[serde(flatten)]`, which would lose
/// the `Spanned` positions and `deny_unknown_fields`), so the TOML format and every
/// `FILE:LINE:COLUMN` message are what they were.
macro_rules! with_condition {
    ($(#[$meta:meta])* pub struct $name:ident { $($rest:tt)* }) => {
        $(#[$meta])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// All of these principles hit.
            #[serde(default)]
            pub all: Vec<S<String>>,
            /// Any of these principles hit.
            #[serde(default)]
            pub any: Vec<S<String>>,
            /// None of these principles hit.
            #[serde(default)]
            pub none: Vec<S<String>>,
            pub min_score: Option<S<i64>>,
            pub max_score: Option<S<i64>>,
            /// The customer's mood (before this reply's change) is below this.
            pub mood_below: Option<S<i64>>,
            /// The customer's mood (before this reply's change) is above this.
            pub mood_above: Option<S<i64>>,
            /// This is at least the n-th reply of the session.
            pub turns_taken: Option<S<i64>>,
            $($rest)*
        }

        impl $name {
            /// The condition's fields as written.
            pub fn cond(&self) -> RawCond<'_> {
                RawCond {
                    all: &self.all,
                    any: &self.any,
                    none: &self.none,
                    min_score: &self.min_score,
                    max_score: &self.max_score,
                    mood_below: &self.mood_below,
                    mood_above: &self.mood_above,
                    turns_taken: &self.turns_taken,
                }
            }
        }
    };
}

/// The parts of a condition as written (a branch or a line variant): one view whatever
/// table it is in.
#[derive(Debug, Clone, Copy)]
pub struct RawCond<'a> {
    pub all: &'a [S<String>],
    pub any: &'a [S<String>],
    pub none: &'a [S<String>],
    pub min_score: &'a Option<S<i64>>,
    pub max_score: &'a Option<S<i64>>,
    pub mood_below: &'a Option<S<i64>>,
    pub mood_above: &'a Option<S<i64>>,
    pub turns_taken: &'a Option<S<i64>>,
}

with_condition! {
    /// A customer line said instead of the turn's `say` when its condition on the previous
    /// reply (and the mood now) holds (`[[turn.line]]`).
    pub struct RawTurnLine {
        /// Principles the previous reply must have shown for this line to make sense.
        #[serde(default)]
        pub requires: Vec<S<String>>,
        pub say: S<Vec<S<RawText>>>,
    }
}

with_condition! {
    /// Last words said instead of the ending's `text` when their condition holds
    /// (`[[ending.line]]`).
    pub struct RawEndingLine {
        /// Principles the previous reply must have shown for this line to make sense.
        #[serde(default)]
        pub requires: Vec<S<String>>,
        pub text: S<RawText>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub id: S<String>,
    #[serde(default)]
    pub say: Vec<S<String>>,
    pub value: Option<S<f64>>,
    #[serde(default)]
    pub units: Vec<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub id: S<String>,
    pub say: Vec<S<String>>,
}

with_condition! {
    /// A branch of a turn (`[[turn.next]]`): where the conversation goes when its condition
    /// holds.
    pub struct RawNext {
        pub goto: S<String>,
        pub mood: Option<S<i64>>,
        /// The author means this branch to be able to end the session from the opening reply.
        #[serde(rename = "final")]
        pub is_final: Option<S<bool>>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnding {
    pub id: S<String>,
    pub outcome: S<String>,
    pub text: S<RawText>,
    /// Last words said instead of `text` when their condition on the previous reply holds.
    #[serde(default)]
    pub line: Vec<S<RawEndingLine>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSample {
    pub turn: S<String>,
    pub reply: S<String>,
    pub lang: Option<S<String>>,
    /// The turn or ending this reply must lead to.
    pub expect: S<String>,
    #[serde(default)]
    pub hit: Vec<S<String>>,
    #[serde(default)]
    pub miss: Vec<S<String>>,
    pub label: Option<S<String>>,
}
