//! The validated scenario model. The file format and the checker that produces this model with
//! `FILE:LINE:COLUMN` diagnostics are `kefu_check`'s: the browser app gets checked scenarios as
//! JSON (`view::Bundle`) and loads the checker, in the engine module, only for a trainer's file.

use crate::judgement::{ClaimRule, FactRule, ScenarioKind, TurnRules};
use crate::principles::{Lang, PrincipleId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Text in the languages a scenario offers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Loc(pub BTreeMap<Lang, String>);

impl Loc {
    /// The text in `lang`, else English, else Simplified, else any.
    pub fn get(&self, lang: Lang) -> &str {
        let fallback = if lang == Lang::ZhHant {
            [Lang::ZhHant, Lang::ZhHans, Lang::En]
        } else {
            [lang, Lang::En, Lang::ZhHans]
        };
        fallback
            .iter()
            .find_map(|l| self.0.get(l))
            .or_else(|| self.0.values().next())
            .map_or("", |s| s.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Resolved,
    Escalated,
    Lost,
}

impl Outcome {
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "resolved" => Some(Outcome::Resolved),
            "escalated" => Some(Outcome::Escalated),
            "lost" => Some(Outcome::Lost),
            _ => None,
        }
    }
    pub fn id(self) -> &'static str {
        match self {
            Outcome::Resolved => "resolved",
            Outcome::Escalated => "escalated",
            Outcome::Lost => "lost",
        }
    }
}

/// Where a branch leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Target {
    Turn(usize),
    Ending(usize),
}

/// What a condition sees besides a reply's judgement: the customer's mood as they said the line
/// the trainee is answering (before the branch's own mood change), and how many replies the
/// trainee has given so far, counting the one just judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    pub mood: i32,
    pub taken: usize,
}

/// A condition on a reply's judgement and the conversation's state; all parts must hold. An
/// empty condition always holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cond {
    pub all: Vec<PrincipleId>,
    pub any: Vec<PrincipleId>,
    pub none: Vec<PrincipleId>,
    pub min_score: Option<u8>,
    pub max_score: Option<u8>,
    /// Holds when the mood is below this (`mood < n`).
    #[serde(default)]
    pub mood_below: Option<i32>,
    /// Holds when the mood is above this (`mood > n`).
    #[serde(default)]
    pub mood_above: Option<i32>,
    /// Holds from the `n`-th reply on (`taken >= n`).
    #[serde(default)]
    pub turns_taken: Option<usize>,
}

impl Cond {
    pub fn is_always(&self) -> bool {
        !self.judges_reply() && !self.judges_state()
    }
    /// Has a part on the reply's judgement (principles or score)?
    pub fn judges_reply(&self) -> bool {
        !(self.all.is_empty()
            && self.any.is_empty()
            && self.none.is_empty()
            && self.min_score.is_none()
            && self.max_score.is_none())
    }
    /// Has a part on the mood or the number of replies?
    pub fn judges_state(&self) -> bool {
        self.mood_below.is_some() || self.mood_above.is_some() || self.turns_taken.is_some()
    }
    /// The mood and replies part alone.
    pub fn state_holds(&self, st: State) -> bool {
        self.mood_below.is_none_or(|m| st.mood < m)
            && self.mood_above.is_none_or(|m| st.mood > m)
            && self.turns_taken.is_none_or(|n| st.taken >= n)
    }
    /// The judgement part alone.
    pub fn reply_holds(&self, j: &crate::judgement::Judgement) -> bool {
        self.all.iter().all(|p| j.hit(p))
            && (self.any.is_empty() || self.any.iter().any(|p| j.hit(p)))
            && !self.none.iter().any(|p| j.hit(p))
            && self.min_score.is_none_or(|m| j.score >= m)
            && self.max_score.is_none_or(|m| j.score <= m)
    }
    pub fn holds(&self, j: &crate::judgement::Judgement, st: State) -> bool {
        self.state_holds(st) && self.reply_holds(j)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Branch {
    pub cond: Cond,
    pub goto: Target,
    pub mood: i32,
    /// The author means this branch to be able to end the session from the opening reply
    /// (`final = true`): the checker does not warn about it.
    #[serde(default)]
    pub is_final: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Turn {
    pub id: String,
    pub say: Vec<Loc>,
    pub weights: Vec<(String, f32)>,
    pub facts: Vec<FactRule>,
    pub false_claims: Vec<ClaimRule>,
    pub jargon: Vec<String>,
    pub allow: Vec<String>,
    pub target_secs: Option<u32>,
    pub model: Vec<Loc>,
    pub hint: Option<Loc>,
    pub next: Vec<Branch>,
    /// Lines said instead of `say` when their condition holds (the first that holds).
    #[serde(default)]
    pub lines: Vec<Line>,
}

/// A customer line that fits the reply before it: said instead of the turn's `say` (or the
/// ending's `text`) when `cond` holds for the previous reply's judgement, with the mood as it is
/// now (after that reply's change) and the replies given so far. With no previous reply (the
/// opening), a condition on principles or score does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub cond: Cond,
    /// Principles the previous reply must have shown for the line to make sense (checked by
    /// `kefu check`, not by the engine).
    #[serde(default)]
    pub requires: Vec<PrincipleId>,
    /// Variants, one picked at random.
    pub say: Vec<Loc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ending {
    pub id: String,
    pub outcome: Outcome,
    pub text: Loc,
    #[serde(default)]
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub turn: usize,
    pub lang: Lang,
    pub reply: String,
    pub expect: Target,
    pub hit: Vec<PrincipleId>,
    pub miss: Vec<PrincipleId>,
    pub label: Option<String>,
    /// 1-based line and column of the sample in its file.
    pub line: usize,
    pub col: usize,
}

/// A validated scenario: every reference resolved, every ending reachable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    pub id: String,
    pub kind: ScenarioKind,
    pub languages: Vec<Lang>,
    pub product: Option<String>,
    pub difficulty: u8,
    pub minutes: u16,
    pub title: Loc,
    pub brief: Loc,
    pub customer_name: Loc,
    pub persona: Option<Loc>,
    pub mood: i32,
    pub gives_up: usize,
    pub placeholders: BTreeMap<String, Vec<String>>,
    pub start: usize,
    pub max_turns: usize,
    pub turns: Vec<Turn>,
    pub endings: Vec<Ending>,
    /// The file's sample replies (played by the checker; not carried in a `Bundle`).
    #[serde(skip_serializing, default)]
    pub samples: Vec<Sample>,
}

/// Product names for `{product}` and the library filter (000 第五章).
pub const PRODUCTS: &[(&str, &str, &str, &str)] = &[
    (
        "chiller",
        "12kW储能电池冷水机",
        "12kW儲能電池冷水機",
        "12 kW energy-storage battery chiller",
    ),
    (
        "f40",
        "翼龙F40无人机",
        "翼龍F40無人機",
        "Wing Loong F40 UAV",
    ),
    (
        "afg",
        "AFG2000/2100任意波形信号发生器",
        "AFG2000/2100任意波形信號發生器",
        "AFG2000/2100 arbitrary waveform generator",
    ),
];

pub fn product_name(id: &str, lang: Lang) -> Option<&'static str> {
    PRODUCTS.iter().find(|p| p.0 == id).map(|p| match lang {
        Lang::ZhHans => p.1,
        Lang::ZhHant => p.2,
        Lang::En => p.3,
    })
}

impl Scenario {
    /// The rules the scorer applies to a reply at this turn.
    pub fn rules(&self, turn: usize, lang: Lang, customer_said: Option<&str>) -> TurnRules {
        let t = &self.turns[turn.min(self.turns.len().saturating_sub(1))];
        TurnRules {
            kind: self.kind,
            weights: t.weights.clone(),
            facts: t.facts.clone(),
            false_claims: t.false_claims.clone(),
            jargon: t.jargon.clone(),
            allowed_terms: t.allow.clone(),
            target_secs: t.target_secs,
            customer_names: self
                .customer_name
                .0
                .values()
                .cloned()
                .chain([self.customer_name.get(lang).to_string()])
                .collect(),
            customer_name: Some(self.customer_name.get(lang).to_string()),
            customer_said: customer_said.map(str::to_string),
        }
    }

    pub fn turn_index(&self, id: &str) -> Option<usize> {
        self.turns.iter().position(|t| t.id == id)
    }

    pub fn target_name(&self, t: Target) -> &str {
        match t {
            Target::Turn(i) => &self.turns[i].id,
            Target::Ending(i) => &self.endings[i].id,
        }
    }

    /// Languages to play in: the UI language if offered, else the first offered.
    pub fn play_lang(&self, ui: Lang) -> Lang {
        if self.languages.contains(&ui) {
            ui
        } else if ui == Lang::ZhHant && self.languages.contains(&Lang::ZhHans) {
            Lang::ZhHans
        } else {
            self.languages.first().copied().unwrap_or(Lang::En)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a scenario file, located at a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file, self.line, self.col, sev, self.message
        )
    }
}
