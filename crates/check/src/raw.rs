//! The raw form of a scenario file: exactly what TOML gives, with source spans, before any
//! semantic check. `check/` turns it into a validated `Scenario` plus diagnostics. Every value
//! is a `Spanned<T>` (toml's: the value and its byte range in the file), so that a message can
//! point at `FILE:LINE:COLUMN`.

use serde::Deserialize;
use std::collections::BTreeMap;
pub use toml::Spanned;

/// Text per language code (`zh-Hans`, `zh-Hant`, `en`).
pub type RawText = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub id: Spanned<String>,
    pub kind: Spanned<String>,
    pub languages: Spanned<Vec<Spanned<String>>>,
    pub product: Option<Spanned<String>>,
    pub difficulty: Option<Spanned<i64>>,
    pub minutes: Option<Spanned<i64>>,
    pub title: Spanned<RawText>,
    pub brief: Spanned<RawText>,
    pub customer: Spanned<RawCustomer>,
    #[serde(default)]
    pub placeholders: BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>,
    pub start: Option<Spanned<String>>,
    pub max_turns: Option<Spanned<i64>>,
    /// The shop's rules, by rule id of `data/policy.toml` (`warranty_months = 12`).
    #[serde(default)]
    pub policy: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    pub turn: Vec<Spanned<RawTurn>>,
    #[serde(default)]
    pub ending: Vec<Spanned<RawEnding>>,
    #[serde(default)]
    pub sample: Vec<Spanned<RawSample>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCustomer {
    pub name: Spanned<RawText>,
    pub mood: Option<Spanned<i64>>,
    pub persona: Option<Spanned<RawText>>,
    /// The ending reached when the customer's mood falls to 0 or the dialogue runs too long.
    pub gives_up: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTurn {
    pub id: Spanned<String>,
    pub say: Spanned<Vec<Spanned<RawText>>>,
    #[serde(default)]
    pub expects: BTreeMap<Spanned<String>, Spanned<f64>>,
    #[serde(default)]
    pub facts: Vec<Spanned<RawFact>>,
    #[serde(default)]
    pub false_claims: Vec<Spanned<RawClaim>>,
    #[serde(default)]
    pub jargon: Vec<Spanned<String>>,
    #[serde(default)]
    pub allow: Vec<Spanned<String>>,
    pub target_seconds: Option<Spanned<i64>>,
    #[serde(default)]
    pub model: Vec<Spanned<RawText>>,
    pub hint: Option<Spanned<RawText>>,
    /// Customer lines said instead of `say` when their condition on the previous reply holds.
    #[serde(default)]
    pub line: Vec<Spanned<RawTurnLine>>,
    #[serde(default)]
    pub next: Vec<Spanned<RawNext>>,
    /// What the customer asks at this turn: a reply must answer it (`answers`).
    pub asks: Option<Spanned<RawAsk>>,
}

/// `asks = { kind = "time" }`, `{ kind = "choice", options = […] }`, `{ kind = "fact", fact =
/// "…" }`, `{ kind = "policy", policy = "…" }`, `{ kind = "yes_no", say = […] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAsk {
    pub kind: Spanned<String>,
    #[serde(default)]
    pub options: Vec<Spanned<String>>,
    pub fact: Option<Spanned<String>>,
    pub policy: Option<Spanned<String>>,
    /// For `yes_no`: the words a reply that does what is asked says (双层纸箱, foam).
    #[serde(default)]
    pub say: Vec<Spanned<String>>,
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
            pub all: Vec<Spanned<String>>,
            /// Any of these principles hit.
            #[serde(default)]
            pub any: Vec<Spanned<String>>,
            /// None of these principles hit.
            #[serde(default)]
            pub none: Vec<Spanned<String>>,
            pub min_score: Option<Spanned<i64>>,
            pub max_score: Option<Spanned<i64>>,
            /// The customer's mood (before this reply's change) is below this.
            pub mood_below: Option<Spanned<i64>>,
            /// The customer's mood (before this reply's change) is above this.
            pub mood_above: Option<Spanned<i64>>,
            /// This is at least the n-th reply of the session.
            pub turns_taken: Option<Spanned<i64>>,
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
    pub all: &'a [Spanned<String>],
    pub any: &'a [Spanned<String>],
    pub none: &'a [Spanned<String>],
    pub min_score: &'a Option<Spanned<i64>>,
    pub max_score: &'a Option<Spanned<i64>>,
    pub mood_below: &'a Option<Spanned<i64>>,
    pub mood_above: &'a Option<Spanned<i64>>,
    pub turns_taken: &'a Option<Spanned<i64>>,
}

with_condition! {
    /// A customer line said instead of the turn's `say` when its condition on the previous
    /// reply (and the mood now) holds (`[[turn.line]]`).
    pub struct RawTurnLine {
        /// Principles the previous reply must have shown for this line to make sense.
        #[serde(default)]
        pub requires: Vec<Spanned<String>>,
        pub say: Spanned<Vec<Spanned<RawText>>>,
    }
}

with_condition! {
    /// Last words said instead of the ending's `text` when their condition holds
    /// (`[[ending.line]]`).
    pub struct RawEndingLine {
        /// Principles the previous reply must have shown for this line to make sense.
        #[serde(default)]
        pub requires: Vec<Spanned<String>>,
        pub text: Spanned<RawText>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFact {
    pub id: Spanned<String>,
    #[serde(default)]
    pub say: Vec<Spanned<String>>,
    pub value: Option<Spanned<f64>>,
    #[serde(default)]
    pub units: Vec<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub id: Spanned<String>,
    #[serde(default)]
    pub say: Vec<Spanned<String>>,
    /// Lists of words a clause names one of each of (`ClaimRule::clause`).
    #[serde(default)]
    pub clause: Vec<Spanned<Vec<Spanned<String>>>>,
}

with_condition! {
    /// A branch of a turn (`[[turn.next]]`): where the conversation goes when its condition
    /// holds.
    pub struct RawNext {
        pub goto: Spanned<String>,
        pub mood: Option<Spanned<i64>>,
        /// The author means this branch to be able to end the session from the opening reply.
        #[serde(rename = "final")]
        pub is_final: Option<Spanned<bool>>,
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEnding {
    pub id: Spanned<String>,
    pub outcome: Spanned<String>,
    pub text: Spanned<RawText>,
    /// Last words said instead of `text` when their condition on the previous reply holds.
    #[serde(default)]
    pub line: Vec<Spanned<RawEndingLine>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSample {
    pub turn: Spanned<String>,
    pub reply: Spanned<String>,
    pub lang: Option<Spanned<String>>,
    /// The turn or ending this reply must lead to.
    pub expect: Spanned<String>,
    #[serde(default)]
    pub hit: Vec<Spanned<String>>,
    #[serde(default)]
    pub miss: Vec<Spanned<String>>,
    pub label: Option<Spanned<String>>,
}
