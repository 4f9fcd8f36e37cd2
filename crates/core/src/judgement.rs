//! What a judgement is, apart from how it is made: the scenario kinds and their default weights,
//! the rules a turn adds (facts, false claims, jargon), a finding with its evidence, tips, the
//! judgement itself and the request the app sends to the engine. The scorer that fills these in
//! is `kefu_judge`; the app and the dialogue engine only read them.

#![warn(missing_docs)]

use crate::principles::{self, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a reply shows a principle, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Whether the reply shows the principle (for a violation: commits it).
    pub hit: bool,
    /// `[start, end)` char offsets into the reply as typed.
    pub evidence: Vec<(usize, usize)>,
}

/// What kind of customer a scenario plays; it sets the default weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ScenarioKind {
    /// 投诉/情绪: an angry customer.
    Angry,
    /// 异议: price, quality, trust, returns.
    Objection,
    /// 产品咨询: a product question.
    Product,
    /// No scenario: a reply scored on its own.
    #[default]
    General,
}

impl ScenarioKind {
    /// The kind's id in scenario files and in `data/principles.toml`.
    pub fn id(self) -> &'static str {
        match self {
            ScenarioKind::Angry => "angry",
            ScenarioKind::Objection => "objection",
            ScenarioKind::Product => "product",
            ScenarioKind::General => "general",
        }
    }

    /// Default weights: what a good reply shows, from `[[kind]]` in `data/principles.toml`
    /// (principles.md "What each scenario kind expects"), in display order.
    pub fn default_weights(self) -> &'static [(String, f32)] {
        principles::kind_weights(self.id())
    }
}

/// Points a violation takes off the 0–100 score (`penalty` in `data/principles.toml`).
pub fn penalty(id: &str) -> f32 {
    principles::get(id).map_or(0.0, |p| p.penalty)
}

/// A fact a good answer states, with the ways it may be phrased.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FactRule {
    /// The fact's id within its turn.
    pub id: String,
    /// Phrasings, any of which states the fact (matched folded and without spaces).
    pub say: Vec<String>,
    /// A number with units: stating it states the fact; stating another number with one of
    /// these units is a false claim.
    pub value: Option<f64>,
    /// The units a number of this fact is stated in (`MSa/s`, `位`, `kW`).
    pub units: Vec<String>,
}

/// A false claim a good answer must not make.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimRule {
    /// The claim's id within its turn.
    pub id: String,
    /// Phrasings, any of which makes the claim (matched folded).
    pub say: Vec<String>,
}

/// What a scenario turn adds to judging a reply.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TurnRules {
    /// The scenario's kind (its default weights).
    pub kind: ScenarioKind,
    /// Principle weights for this turn; empty means the kind's defaults.
    pub weights: Vec<(String, f32)>,
    /// Facts a good answer states.
    pub facts: Vec<FactRule>,
    /// False claims a good answer must not make.
    pub false_claims: Vec<ClaimRule>,
    /// The scenario's own jargon, on top of the lexicon's.
    pub jargon: Vec<String>,
    /// Terms that are not jargon here (the customer used them first).
    pub allowed_terms: Vec<String>,
    /// The target reply time, for `timeliness`.
    pub target_secs: Option<u32>,
    /// The customer's names and titles (for `address`).
    pub customer_names: Vec<String>,
    /// The customer's name in the UI language (tips name the customer).
    #[serde(default)]
    pub customer_name: Option<String>,
    /// What the customer just said (to whitelist their own words, to tell a restatement).
    pub customer_said: Option<String>,
}

/// A tip for one missed principle or one violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tip {
    /// The principle the tip is about.
    pub principle: String,
    /// The tip, in the UI language.
    pub text: String,
    /// The handbook passage it cites, in the UI language.
    pub source: String,
}

/// The judgement of one reply. Its `Serialize` form is `kefu score`'s (contract §2);
/// `JudgementWire` carries all of it between the engine module and the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Judgement {
    /// 0–100.
    pub score: u8,
    /// Every principle judged, by id, with its evidence.
    pub principles: BTreeMap<String, Finding>,
    /// A graded politeness estimate, 0–1.
    pub courtesy: f32,
    /// Principles that were weighted (expected) for this reply, in display order.
    #[serde(skip)]
    pub expected: Vec<String>,
    #[serde(skip)]
    /// One tip per missed principle or violation.
    pub tips: Vec<Tip>,
}

/// A whole `Judgement` (expected principles and tips included) as JSON, between the engine
/// module and the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgementWire {
    /// 0–100.
    pub score: u8,
    /// Every principle judged, by id, with its evidence.
    pub principles: BTreeMap<String, Finding>,
    /// A graded politeness estimate, 0–1.
    pub courtesy: f32,
    /// Principles that were weighted (expected) for this reply, in display order.
    pub expected: Vec<String>,
    /// One tip per missed principle or violation.
    pub tips: Vec<Tip>,
}

impl From<Judgement> for JudgementWire {
    fn from(j: Judgement) -> Self {
        JudgementWire {
            score: j.score,
            principles: j.principles,
            courtesy: j.courtesy,
            expected: j.expected,
            tips: j.tips,
        }
    }
}

impl From<JudgementWire> for Judgement {
    fn from(j: JudgementWire) -> Self {
        Judgement {
            score: j.score,
            principles: j.principles,
            courtesy: j.courtesy,
            expected: j.expected,
            tips: j.tips,
        }
    }
}

/// What the app asks the engine module to judge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JudgeRequest {
    /// The reply as typed.
    pub text: String,
    /// The UI language (tips and the language the reply is read in when it is ambiguous).
    pub lang: Lang,
    /// The turn's rules.
    pub rules: TurnRules,
    /// The seconds the trainee took (for `timeliness`).
    pub secs: Option<f64>,
}

impl Judgement {
    /// Does the reply show principle `id`?
    pub fn hit(&self, id: impl AsRef<str>) -> bool {
        self.principles.get(id.as_ref()).is_some_and(|f| f.hit)
    }
}
