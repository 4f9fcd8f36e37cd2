//! What a judgement is, apart from how it is made: the scenario kinds and their default weights,
//! the rules a turn adds (facts, false claims, jargon), a finding with its evidence, tips, the
//! judgement itself and the request the app sends to the engine. The scorer that fills these in
//! is `kefu_judge`; the app and the dialogue engine only read them.

use crate::principles::{self, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whether a reply shows a principle, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Finding {
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
    pub id: String,
    /// Phrasings, any of which states the fact (matched folded and without spaces).
    pub say: Vec<String>,
    /// A number with units: stating it states the fact; stating another number with one of
    /// these units is a false claim.
    pub value: Option<f64>,
    pub units: Vec<String>,
}

/// A false claim a good answer must not make.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimRule {
    pub id: String,
    pub say: Vec<String>,
}

/// What a scenario turn adds to judging a reply.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct TurnRules {
    pub kind: ScenarioKind,
    /// Principle weights for this turn; empty means the kind's defaults.
    pub weights: Vec<(String, f32)>,
    pub facts: Vec<FactRule>,
    pub false_claims: Vec<ClaimRule>,
    pub jargon: Vec<String>,
    pub allowed_terms: Vec<String>,
    pub target_secs: Option<u32>,
    pub customer_names: Vec<String>,
    pub customer_said: Option<String>,
}

/// A tip for one missed principle or one violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tip {
    pub principle: String,
    pub text: String,
    pub source: String,
}

/// The judgement of one reply. Its `Serialize` form is `kefu score`'s (contract §2);
/// `JudgementWire` carries all of it between the engine module and the app.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Judgement {
    pub score: u8,
    pub principles: BTreeMap<String, Finding>,
    pub courtesy: f32,
    /// Principles that were weighted (expected) for this reply, in display order.
    #[serde(skip)]
    pub expected: Vec<String>,
    #[serde(skip)]
    pub tips: Vec<Tip>,
}

/// A whole `Judgement` (expected principles and tips included) as JSON, between the engine
/// module and the app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JudgementWire {
    pub score: u8,
    pub principles: BTreeMap<String, Finding>,
    pub courtesy: f32,
    pub expected: Vec<String>,
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
    pub text: String,
    pub lang: Lang,
    pub rules: TurnRules,
    pub secs: Option<f64>,
}

impl Judgement {
    pub fn hit(&self, id: &str) -> bool {
        self.principles.get(id).is_some_and(|f| f.hit)
    }
}
