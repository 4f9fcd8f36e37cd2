//! The validated scenario model. The file format and the checker that produces this model with
//! `FILE:LINE:COLUMN` diagnostics are `kefu_check`'s: the browser app gets checked scenarios as
//! JSON (`view::Bundle`) and loads the checker, in the engine module, only for a trainer's file.

#![warn(missing_docs)]

use crate::judgement::{Ask, ClaimRule, FactRule, ScenarioKind, TurnRules};
use crate::principles::{Lang, PrincipleId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Text in the languages a scenario offers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Loc(pub BTreeMap<Lang, String>);

impl Loc {
    /// The text in `lang`, else in its fallbacks (`data/languages.toml`), else any.
    pub fn get(&self, lang: Lang) -> &str {
        lang.fallbacks()
            .iter()
            .find_map(|l| self.0.get(l))
            .or_else(|| self.0.values().next())
            .map_or("", |s| s.as_str())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// How a session ends, as the trainer labels an ending (`outcome` in the file).
pub enum Outcome {
    /// The customer is satisfied.
    Resolved,
    /// The case goes to someone else (a supervisor, another team).
    Escalated,
    /// The customer is lost (gives up, leaves angry).
    Lost,
}

impl Outcome {
    /// The outcome written as `s` (`resolved`, `escalated`, `lost`).
    pub fn parse(s: &str) -> Option<Outcome> {
        match s {
            "resolved" => Some(Outcome::Resolved),
            "escalated" => Some(Outcome::Escalated),
            "lost" => Some(Outcome::Lost),
            _ => None,
        }
    }
    /// The outcome's id as written in files.
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
    /// The turn with this index in `Scenario::turns`.
    Turn(usize),
    /// The ending with this index in `Scenario::endings`.
    Ending(usize),
}

/// What a condition sees besides a reply's judgement: the customer's mood as they said the line
/// the trainee is answering (before the branch's own mood change), and how many replies the
/// trainee has given so far, counting the one just judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct State {
    /// The customer's mood now, 0 (furious) to 100 (happy).
    pub mood: i32,
    /// The replies taken so far in this session (the one being judged included).
    pub taken: usize,
}

/// A condition on a reply's judgement and the conversation's state; all parts must hold. An
/// empty condition always holds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cond {
    /// Principles the reply must all show.
    pub all: Vec<PrincipleId>,
    /// Principles of which the reply must show at least one (empty: no constraint).
    pub any: Vec<PrincipleId>,
    /// Principles the reply must not show.
    pub none: Vec<PrincipleId>,
    /// The lowest score that holds.
    pub min_score: Option<u8>,
    /// The highest score that holds.
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
    /// Does the condition always hold (no part on the reply or the state)?
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
    /// Do both the state and the reply parts hold?
    pub fn holds(&self, j: &crate::judgement::Judgement, st: State) -> bool {
        self.state_holds(st) && self.reply_holds(j)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// A branch of a turn: where the conversation goes when its condition holds, and how the mood moves.
pub struct Branch {
    /// When the branch is taken (the first that holds wins).
    pub cond: Cond,
    /// The next turn or the ending.
    pub goto: Target,
    /// The change in mood (-100 to 100) when the branch is taken.
    pub mood: i32,
    /// The author means this branch to be able to end the session from the opening reply
    /// (`final = true`): the checker does not warn about it.
    #[serde(default)]
    pub is_final: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// One turn: what the customer says, what a good reply shows, and where each kind of reply leads.
pub struct Turn {
    /// The turn's id, unique among turns and endings.
    pub id: String,
    /// What the customer says, one variant picked at random.
    pub say: Vec<Loc>,
    /// Principle weights for this turn (`expects`), ids as written; empty: the kind's defaults.
    pub weights: Vec<(String, f32)>,
    /// Facts a good answer states.
    pub facts: Vec<FactRule>,
    /// False claims a good answer must not make.
    pub false_claims: Vec<ClaimRule>,
    /// The scenario's own jargon at this turn.
    pub jargon: Vec<String>,
    /// Terms that are not jargon here.
    pub allow: Vec<String>,
    /// The target reply time in seconds, for `timeliness`.
    pub target_secs: Option<u32>,
    /// Model answers shown after the reply.
    pub model: Vec<Loc>,
    /// A nudge for a stuck trainee.
    pub hint: Option<Loc>,
    /// The branches, in order: the last has no condition.
    pub next: Vec<Branch>,
    /// Lines said instead of `say` when their condition holds (the first that holds).
    #[serde(default)]
    pub lines: Vec<Line>,
    /// What the customer asks at this turn (`asks`): a reply must answer it (`answers`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asks: Option<Ask>,
}

/// A customer line that fits the reply before it: said instead of the turn's `say` (or the
/// ending's `text`) when `cond` holds for the previous reply's judgement, with the mood as it is
/// now (after that reply's change) and the replies given so far. With no previous reply (the
/// opening), a condition on principles or score does not hold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    /// When the line is said (a condition on the previous reply and the state).
    pub cond: Cond,
    /// Principles the previous reply must have shown for the line to make sense (checked by
    /// `kefu check`, not by the engine).
    #[serde(default)]
    pub requires: Vec<PrincipleId>,
    /// Variants, one picked at random.
    pub say: Vec<Loc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// An ending: the outcome and the customer's last words.
pub struct Ending {
    /// The ending's id, unique among turns and endings.
    pub id: String,
    /// How the session ended.
    pub outcome: Outcome,
    /// The customer's last words (unless a line's condition holds).
    pub text: Loc,
    #[serde(default)]
    /// Last words said instead of `text` when their condition holds (`[[ending.line]]`).
    pub lines: Vec<Line>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// A sample reply the file carries for one of its turns, played by `kefu check`.
pub struct Sample {
    /// The turn it answers (an index into `Scenario::turns`).
    pub turn: usize,
    /// The reply's language.
    pub lang: Lang,
    /// The reply as typed.
    pub reply: String,
    /// The turn or ending the reply must lead to.
    pub expect: Target,
    /// Principles the reply must show.
    pub hit: Vec<PrincipleId>,
    /// Principles the reply must not show.
    pub miss: Vec<PrincipleId>,
    /// The trainer's label for the sample (good, bad, …).
    pub label: Option<String>,
    /// 1-based line and column of the sample in its file.
    pub line: usize,
    /// 1-based column of the sample in its file.
    pub col: usize,
    /// How the checker played it (`kefu check --paths`); not carried in the bundle.
    #[serde(skip)]
    pub played: Option<Played>,
}

/// A sample as the checker played it, from the opening: what a browser test types into the
/// app (`?seed=` and `?lang=`) to get the same path.
#[derive(Debug, Clone, PartialEq)]
pub struct Played {
    /// The session's seed (`?seed=` in the app).
    pub seed: u64,
    /// The play language.
    pub lang: Lang,
    /// One step per reply, the sample's own reply last.
    pub steps: Vec<PlayedStep>,
    /// Where the last reply led (a turn or ending id).
    pub at: String,
    /// What the customer says there.
    pub line: String,
    /// The mood after the last reply.
    pub mood: i32,
}

/// One reply of a played path.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlayedStep {
    /// The turn replied to.
    pub turn: String,
    /// The customer's line there.
    pub customer: String,
    /// The mood the trainee saw there.
    pub mood: i32,
    /// The reply as typed (placeholders filled); `None` when the checker took the branch
    /// without a reply (no sample above led to the sample's turn).
    pub reply: Option<String>,
    /// The index of the branch taken (`None`: the customer gave up).
    pub branch: Option<usize>,
    /// The turns passed over because the reply had already answered their questions (ids).
    pub passed: Vec<String>,
}

/// A validated scenario: every reference resolved, every ending reachable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scenario {
    /// The scenario's id (part of the page address: `#/play/ID`).
    pub id: String,
    /// What kind of customer it plays (the default weights).
    pub kind: ScenarioKind,
    /// The languages the scenario is written in.
    pub languages: Vec<Lang>,
    /// The product it is about (an id of `PRODUCTS`), for a product question.
    pub product: Option<String>,
    /// 1 (easy) to 3 (hard).
    pub difficulty: u8,
    /// The estimated time to play, in minutes.
    pub minutes: u16,
    /// The title shown in the library.
    pub title: Loc,
    /// The brief shown before playing.
    pub brief: Loc,
    /// The customer's name in each language (`{name}`).
    pub customer_name: Loc,
    /// Who the customer is, for the trainee.
    pub persona: Option<Loc>,
    /// The customer's mood at the start, 0 to 100.
    pub mood: i32,
    /// The ending reached when the mood falls to 0 or `max_turns` replies are used up (an index into `endings`).
    pub gives_up: usize,
    /// The file's placeholders and their values (one picked per session).
    pub placeholders: BTreeMap<String, Vec<String>>,
    /// The opening turn (an index into `turns`).
    pub start: usize,
    /// The most replies before the customer gives up.
    pub max_turns: usize,
    /// The turns, in file order.
    pub turns: Vec<Turn>,
    /// The endings, in file order.
    pub endings: Vec<Ending>,
    /// The file's sample replies (played by the checker; not carried in a `Bundle`).
    #[serde(skip_serializing, default)]
    pub samples: Vec<Sample>,
    /// The shop's rules (`[policy]`), checked in every reply (`TurnRules::policy`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub policy: BTreeMap<String, f64>,
}

/// The largest scenario or exam file the checker takes (1 MB); the CLI and the app read a
/// file no further than just past it.
pub const MAX_FILE_BYTES: usize = 1 << 20;

/// The products (000 第五章), by id: scenario files name one, the library filters by it. Their
/// names in each language are catalogue keys `product.ID` (`data/i18n/CODE.toml`), for
/// `{product}` and the library filter. (A 1-tuple, so `p.0` is the id as before.)
pub const PRODUCTS: &[(&str,)] = &[("chiller",), ("f40",), ("afg",)];

/// The product's name in `lang` (else in its fallbacks); `None` for an unknown id.
pub fn product_name(id: &str, lang: Lang) -> Option<&'static str> {
    PRODUCTS.iter().find(|p| p.0 == id).map(|p| {
        crate::i18n::catalogue()
            .get(Lang::list(), lang as usize, &format!("product.{}", p.0))
            .unwrap_or(p.0)
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
            model_terms: model_terms(self),
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
            policy: self.policy.clone(),
            asks: t.asks.clone(),
            ahead: self
                .ahead(turn)
                .into_iter()
                .filter_map(|k| {
                    let t = &self.turns[k];
                    let lines = t.say.iter().chain(t.lines.iter().flat_map(|l| &l.say));
                    Some(crate::judgement::Ahead {
                        ask: t.asks.clone()?,
                        question: lines.map(|l| l.get(lang)).collect::<Vec<_>>().join("\n"),
                    })
                })
                .collect(),
        }
    }

    /// The turns a reply at `turn` may answer the question of before it is asked: each other
    /// turn a branch of it goes to that `asks` a time, a span, an amount, one of its options or
    /// a shop rule (not yes or no, whose answer is read against the question's own words, nor
    /// a fact, judged against that turn's facts), has no facts or false claims of its own, and
    /// has a branch that needs `answers`; then, the same way, the turns those answering
    /// branches go to (a reply may answer two questions to come), three deep at most; each
    /// once, in the order found. A reply that answers one is taken on from it by that turn's
    /// branches (`Session::reply_with`).
    pub fn ahead(&self, turn: usize) -> Vec<usize> {
        use crate::judgement::AskKind;
        let answering = |b: &Branch| b.cond.all.contains(&PrincipleId::Answers);
        let asks_ahead = |t: &Turn| {
            let kind = t.asks.as_ref().map(|a| a.kind);
            !matches!(kind, None | Some(AskKind::YesNo | AskKind::Fact))
                && t.facts.is_empty()
                && t.false_claims.is_empty()
                && t.next.iter().any(answering)
        };
        let mut out: Vec<usize> = Vec::new();
        // Where to look from, and whether only its answering branches lead on.
        let mut from: Vec<(usize, bool)> = vec![(turn, false)];
        for _ in 0..3 {
            let mut next = Vec::new();
            for &(f, only_answering) in &from {
                for b in self.turns.get(f).map_or(&[][..], |t| &t.next) {
                    let Target::Turn(k) = b.goto else { continue };
                    if (!only_answering || answering(b))
                        && k != turn
                        && !out.contains(&k)
                        && asks_ahead(&self.turns[k])
                    {
                        out.push(k);
                        next.push((k, true));
                    }
                }
            }
            from = next;
        }
        out
    }

    /// The index of the turn with this id.
    pub fn turn_index(&self, id: &str) -> Option<usize> {
        self.turns.iter().position(|t| t.id == id)
    }

    /// The id of the turn or ending `t` names.
    pub fn target_name(&self, t: Target) -> &str {
        match t {
            Target::Turn(i) => &self.turns[i].id,
            Target::Ending(i) => &self.endings[i].id,
        }
    }

    /// Languages to play in: the UI language if offered, else the first of its fallbacks of
    /// the same family offered (a zh-Hant UI plays zh-Hans), else the first offered.
    pub fn play_lang(&self, ui: Lang) -> Lang {
        play_lang(&self.languages, ui)
    }
}

/// The language a scenario written in `languages` is played in for the UI language `ui`
/// (`Scenario::play_lang`; a library card's too).
pub fn play_lang(languages: &[Lang], ui: Lang) -> Lang {
    ui.fallbacks()
        .into_iter()
        .filter(|l| l.family() == ui.family())
        .find(|l| languages.contains(l))
        .or_else(|| languages.first().copied())
        .unwrap_or(Lang::En)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
/// How serious a diagnostic is.
pub enum Severity {
    /// The file cannot be used as it is.
    Error,
    /// The file works, but something is likely not what the author meant.
    Warning,
}

/// One problem in a scenario file, located at a line and column (1-based).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The file, as named on the command line or in the library.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in chars.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what to write instead, in a trainer's words.
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

/// The acronyms the scenario's own model replies use (a word of 2–6 capitals standing alone,
/// full-width or not, in any turn and language: AM/FM/FSK in a model answer about modulation),
/// but none any turn lists as its jargon: its plain words, which a reply may use
/// (`TurnRules::model_terms`).
fn model_terms(s: &Scenario) -> Vec<String> {
    let listed = |w: &str| {
        s.turns
            .iter()
            .flat_map(|t| &t.jargon)
            .any(|j| j.eq_ignore_ascii_case(w))
    };
    let mut out: Vec<String> = Vec::new();
    for text in s
        .turns
        .iter()
        .flat_map(|t| &t.model)
        .flat_map(|m| m.0.values())
    {
        let half: String = text.chars().map(crate::width::half_width).collect();
        for w in half.split(|c: char| !c.is_ascii_alphanumeric()) {
            let acronym = (2..=6).contains(&w.len()) && w.bytes().all(|b| b.is_ascii_uppercase());
            if acronym && !listed(w) && !out.iter().any(|o| o == w) {
                out.push(w.to_string());
            }
        }
    }
    out
}
