//! The dialogue engine: a state machine over a scenario's turn graph with the customer's mood,
//! driven by the scorer's judgement. All randomness comes from one seeded RNG, so a seed and
//! the trainee's replies replay a session exactly (that is how a reload resumes).

use crate::judgement::{Judgement, TurnRules};
use crate::principles::Lang;
use crate::scenario::{Branch, Outcome, Scenario, Target, Turn};

/// A scorer: `score::judge` natively; in the browser app, the engine module (same code).
pub type Judge<'a> = &'a dyn Fn(&str, Lang, &TurnRules, Option<f64>) -> Judgement;

/// A scorer that may fail (the app's engine module).
pub type TryJudge<'a, E> = &'a dyn Fn(&str, Lang, &TurnRules, Option<f64>) -> Result<Judgement, E>;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The branch a judged reply takes: the first whose condition holds.
pub fn choose<'t>(turn: &'t Turn, j: &Judgement) -> Option<&'t Branch> {
    turn.next.iter().find(|b| b.cond.holds(j))
}

/// One reply as stored: enough, with the seed, to replay the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedReply {
    pub text: String,
    /// Seconds the trainee took (for timeliness), if measured.
    #[serde(default)]
    pub secs: Option<f64>,
}

/// A session in storage form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    pub scenario: String,
    pub seed: u64,
    pub lang: Lang,
    pub replies: Vec<SavedReply>,
}

/// One exchange: the customer's line, the trainee's reply, its judgement, where it led.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    pub turn: usize,
    pub customer: String,
    pub reply: String,
    pub secs: Option<f64>,
    pub judgement: Judgement,
    pub next: Target,
    pub mood_before: i32,
    pub mood_after: i32,
    pub model: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub seed: u64,
    pub lang: Lang,
    rng: ChaCha8Rng,
    fills: BTreeMap<String, String>,
    pub at: Target,
    pub mood: i32,
    pub customer_line: String,
    pub log: Vec<Exchange>,
}

impl Session {
    pub fn new(s: &Scenario, seed: u64, ui: Lang) -> Session {
        let lang = s.play_lang(ui);
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut fills = BTreeMap::new();
        for (k, vals) in &s.placeholders {
            if !vals.is_empty() {
                let i = rng.random_range(0..vals.len());
                fills.insert(k.clone(), vals[i].clone());
            }
        }
        fills.insert("name".into(), s.customer_name.get(lang).to_string());
        if let Some(p) = s
            .product
            .as_deref()
            .and_then(|p| crate::scenario::product_name(p, lang))
        {
            fills.insert("product".into(), p.to_string());
        }
        let mut me = Session {
            seed,
            lang,
            rng,
            fills,
            at: Target::Turn(s.start.min(s.turns.len().saturating_sub(1))),
            mood: s.mood,
            customer_line: String::new(),
            log: Vec::new(),
        };
        me.enter(s);
        me
    }

    /// Fill `{placeholders}` with this session's choices.
    pub fn fill(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (k, v) in &self.fills {
            out = out.replace(&format!("{{{k}}}"), v);
        }
        out
    }

    fn enter(&mut self, s: &Scenario) {
        self.customer_line = match self.at {
            Target::Turn(i) => match s.turns.get(i) {
                Some(t) if !t.say.is_empty() => {
                    let v = self.rng.random_range(0..t.say.len());
                    self.fill(t.say[v].get(self.lang))
                }
                _ => String::new(),
            },
            Target::Ending(e) => s
                .endings
                .get(e)
                .map_or(String::new(), |e| self.fill(e.text.get(self.lang))),
        };
    }

    /// The ending reached, if the dialogue is over.
    pub fn ended(&self) -> Option<usize> {
        match self.at {
            Target::Ending(e) => Some(e),
            Target::Turn(_) => None,
        }
    }

    pub fn outcome(&self, s: &Scenario) -> Option<Outcome> {
        self.ended()
            .and_then(|e| s.endings.get(e))
            .map(|e| e.outcome)
    }

    /// The rules a reply at the current turn is judged by (`None` once the dialogue is over).
    pub fn rules_now(&self, s: &Scenario) -> Option<TurnRules> {
        let Target::Turn(i) = self.at else {
            return None;
        };
        Some(s.rules(i, self.lang, Some(&self.customer_line)))
    }

    /// Judge a reply at the current turn without moving on (for previews and the CLI), with
    /// the given scorer (`kefu_judge::native_judge` natively, the engine module in the app).
    pub fn judge_with(
        &self,
        s: &Scenario,
        text: &str,
        secs: Option<f64>,
        judge: Judge,
    ) -> Option<Judgement> {
        let rules = self.rules_now(s)?;
        Some(judge(text, self.lang, &rules, secs))
    }

    /// Take the trainee's reply: judge it with the given scorer, move the mood, follow the
    /// branch. Returns `None` when the dialogue is already over.
    pub fn reply_with(
        &mut self,
        s: &Scenario,
        text: &str,
        secs: Option<f64>,
        judge: Judge,
    ) -> Option<&Exchange> {
        let Target::Turn(i) = self.at else {
            return None;
        };
        let turn = s.turns.get(i)?;
        let j = self.judge_with(s, text, secs, judge)?;
        let branch = choose(turn, &j).cloned();
        self.advance(s, i, text, secs, j, branch.as_ref())
    }

    /// Take branch `k` (counted from 0, taken modulo the turn's branch count) of the current
    /// turn whatever the reply, as if its condition held: for exploring every path of a
    /// scenario (tests, the checker). Mood, `max_turns` and giving up apply as in `reply`.
    /// Returns `None` when the dialogue is already over.
    pub fn follow(&mut self, s: &Scenario, k: usize) -> Option<&Exchange> {
        let Target::Turn(i) = self.at else {
            return None;
        };
        let turn = s.turns.get(i)?;
        let branch = (!turn.next.is_empty()).then(|| turn.next[k % turn.next.len()].clone());
        let j = Judgement {
            score: 0,
            principles: BTreeMap::new(),
            courtesy: 0.0,
            expected: Vec::new(),
            tips: Vec::new(),
        };
        self.advance(s, i, "", None, j, branch.as_ref())
    }

    fn advance(
        &mut self,
        s: &Scenario,
        i: usize,
        text: &str,
        secs: Option<f64>,
        j: Judgement,
        branch: Option<&Branch>,
    ) -> Option<&Exchange> {
        let turn = s.turns.get(i)?;
        let before = self.mood;
        let (mut next, delta) = match branch {
            Some(b) => (b.goto, b.mood),
            None => (Target::Ending(s.gives_up), 0),
        };
        self.mood = (self.mood + delta).clamp(0, 100);
        if matches!(next, Target::Turn(_)) && (self.mood == 0 || self.log.len() + 1 >= s.max_turns)
        {
            next = Target::Ending(s.gives_up);
        }
        let model = turn.model.first().map(|m| self.fill(m.get(self.lang)));
        let customer = std::mem::take(&mut self.customer_line);
        self.log.push(Exchange {
            turn: i,
            customer,
            reply: text.to_string(),
            secs,
            judgement: j,
            next,
            mood_before: before,
            mood_after: self.mood,
            model,
        });
        self.at = next;
        self.enter(s);
        self.log.last()
    }

    /// The session's score: the mean of its turn scores (0 before any reply).
    pub fn score(&self) -> u8 {
        if self.log.is_empty() {
            return 0;
        }
        let sum: u32 = self.log.iter().map(|e| u32::from(e.judgement.score)).sum();
        (sum as f32 / self.log.len() as f32).round() as u8
    }

    pub fn saved(&self, scenario: &str) -> Saved {
        Saved {
            scenario: scenario.to_string(),
            seed: self.seed,
            lang: self.lang,
            replies: self
                .log
                .iter()
                .map(|e| SavedReply {
                    text: e.reply.clone(),
                    secs: e.secs,
                })
                .collect(),
        }
    }

    /// Rebuild a session from storage by replaying its replies through the given scorer.
    pub fn replay_with(s: &Scenario, saved: &Saved, judge: Judge) -> Session {
        let infallible = |t: &str, l: Lang, r: &TurnRules, x: Option<f64>| {
            Ok::<_, std::convert::Infallible>(judge(t, l, r, x))
        };
        Session::try_replay_with(s, saved, &infallible).0
    }

    /// `replay` with a scorer that may fail (the app's engine module): the replay stops at the
    /// first reply it cannot judge and returns that error with the session so far. Nothing is
    /// made up for the replies after it.
    pub fn try_replay_with<E>(
        s: &Scenario,
        saved: &Saved,
        judge: TryJudge<E>,
    ) -> (Session, Option<E>) {
        let mut me = Session::new(s, saved.seed, saved.lang);
        for r in &saved.replies {
            let Some(rules) = me.rules_now(s) else {
                break;
            };
            match judge(&r.text, me.lang, &rules, r.secs) {
                Ok(j) => {
                    if me
                        .reply_with(s, &r.text, r.secs, &|_, _, _, _| j.clone())
                        .is_none()
                    {
                        break;
                    }
                }
                Err(e) => return (me, Some(e)),
            }
        }
        (me, None)
    }
}
