//! The dialogue engine: a state machine over a scenario's turn graph with the customer's mood,
//! driven by the scorer's judgement. All randomness comes from one seeded RNG, so a seed and
//! the trainee's replies replay a session exactly (that is how a reload resumes).

#![warn(missing_docs)]

use crate::judgement::{Judgement, TurnRules};
use crate::principles::Lang;
use crate::scenario::{Branch, Outcome, Scenario, State, Target, Turn};

/// A scorer: `score::judge` natively; in the browser app, the engine module (same code).
pub type Judge<'a> = &'a dyn Fn(&str, Lang, &TurnRules, Option<f64>) -> Judgement;

/// A scorer that may fail (the app's engine module).
pub type TryJudge<'a, E> = &'a dyn Fn(&str, Lang, &TurnRules, Option<f64>) -> Result<Judgement, E>;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The branch a judged reply takes, with its index: the first whose condition holds for the
/// judgement and the state (the mood before the branch's change, the replies so far counting
/// this one).
pub fn choose<'t>(turn: &'t Turn, j: &Judgement, st: State) -> Option<(usize, &'t Branch)> {
    turn.next
        .iter()
        .enumerate()
        .find(|(_, b)| b.cond.holds(j, st))
}

/// How a practice session times the trainee's replies (WCAG 2.2.1, timing adjustable: a
/// trainee who reads or types slowly, with a screen reader or a second language, is not
/// marked down for it): each turn's target time as the scenario sets it, twice as long, or
/// none (`timeliness` is then not judged, and no timer is shown). The trainee chooses it in
/// Settings; a session keeps the pace it began with, so a replay judges as play did. An exam
/// is always timed as set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
// Stored as its id through `String` (no enum visitor per format in the browser modules, #17);
// an id this build does not know reads as set.
#[serde(from = "String", into = "&'static str")]
pub enum Pace {
    /// Each turn's target time as the scenario sets it.
    #[default]
    AsSet,
    /// Twice each turn's target time.
    Double,
    /// No target time: `timeliness` is not judged.
    Untimed,
}

impl From<String> for Pace {
    fn from(id: String) -> Pace {
        Pace::parse(&id).unwrap_or_default()
    }
}

impl From<Pace> for &'static str {
    fn from(p: Pace) -> &'static str {
        p.id()
    }
}

impl Pace {
    /// Every pace, in the order Settings lists them.
    pub const ALL: [Pace; 3] = [Pace::AsSet, Pace::Double, Pace::Untimed];

    /// Its id in storage and in the settings' form.
    pub fn id(self) -> &'static str {
        match self {
            Pace::AsSet => "as_set",
            Pace::Double => "double",
            Pace::Untimed => "untimed",
        }
    }

    /// The pace of an id (`None`: unknown).
    pub fn parse(id: &str) -> Option<Pace> {
        Pace::ALL.into_iter().find(|p| p.id() == id)
    }

    /// A turn's target time at this pace (`None`: not timed).
    pub fn target(self, secs: Option<u32>) -> Option<u32> {
        match self {
            Pace::AsSet => secs,
            Pace::Double => secs.map(|s| s.saturating_mul(2)),
            Pace::Untimed => None,
        }
    }

    /// As the scenario sets it (the default, left out of stored records).
    pub fn is_as_set(&self) -> bool {
        *self == Pace::AsSet
    }
}

/// One reply as stored: enough, with the seed, to replay the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedReply {
    /// The reply as typed.
    pub text: String,
    /// Seconds the trainee took (for timeliness), if measured.
    #[serde(default)]
    pub secs: Option<f64>,
}

/// A session in storage form.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    /// The scenario's id.
    pub scenario: String,
    /// The seed of the session's random choices (lines, placeholders).
    pub seed: u64,
    /// The UI language the session was played in.
    pub lang: Lang,
    /// The replies in order.
    pub replies: Vec<SavedReply>,
    /// Where a play-test started, when not at the scenario's start (absent for a normal play).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Start>,
    /// How the replies were timed (absent: as the scenario sets it).
    #[serde(default, skip_serializing_if = "Pace::is_as_set")]
    pub pace: Pace,
}

/// Where a play-test starts instead of the scenario's start: a turn (by id) and the customer's
/// mood there (the trainer studio's "play from here"). Replies are counted from that turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Start {
    /// The id of the turn to start at (`[[turn]] id`).
    pub turn: String,
    /// The customer's mood there, 0 to 100.
    pub mood: i32,
}

/// Why a play-test cannot start where it was asked to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StartError {
    /// The scenario has an ending with this id, not a turn: there is nothing to reply to.
    Ending(String),
    /// No turn has this id.
    UnknownTurn(String),
    /// The mood is outside 0 to 100.
    Mood(i32),
}

impl StartError {
    /// The message for the trainer, in `lang` (catalogue keys `play.start_*`).
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StartError::Ending(id) => crate::i18n::tf(lang, "play.start_ending", &[("id", id)]),
            StartError::UnknownTurn(id) => {
                crate::i18n::tf(lang, "play.start_unknown_turn", &[("id", id)])
            }
            StartError::Mood(m) => {
                crate::i18n::tf(lang, "play.start_mood", &[("mood", &m.to_string())])
            }
        }
    }
}

impl Start {
    /// The start read from the text a page was given (`?turn=ID&mood=N`): `None` when no turn
    /// is named; a mood that is not a whole number is out of range (`Mood(-1)`), never a panic.
    pub fn from_query(turn: Option<&str>, mood: Option<&str>) -> Option<Start> {
        let turn = turn.map(str::trim).filter(|t| !t.is_empty())?;
        Some(Start {
            turn: turn.to_string(),
            mood: match mood.map(str::trim) {
                None | Some("") => -1,
                Some(m) => m.parse::<i32>().unwrap_or(-1),
            },
        })
    }

    /// The turn's index in the scenario, if this start is valid there.
    pub fn check(&self, s: &Scenario) -> Result<usize, StartError> {
        let i = match s.turns.iter().position(|t| t.id == self.turn) {
            Some(i) => i,
            None if s.endings.iter().any(|e| e.id == self.turn) => {
                return Err(StartError::Ending(self.turn.clone()))
            }
            None => return Err(StartError::UnknownTurn(self.turn.clone())),
        };
        if !(0..=100).contains(&self.mood) {
            return Err(StartError::Mood(self.mood));
        }
        Ok(i)
    }
}

/// Why a dialogue ended at the `gives_up` ending when its branch led on (`Session::cut_short`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CutShort {
    /// The customer's mood fell to 0.
    Mood,
    /// The scenario's `max_turns` replies were given.
    Turns,
}

/// One exchange: the customer's line, the trainee's reply, its judgement, where it led.
#[derive(Debug, Clone, PartialEq)]
pub struct Exchange {
    /// The turn the reply answered (an index into `Scenario::turns`).
    pub turn: usize,
    /// What the customer said, placeholders filled.
    pub customer: String,
    /// The trainee's reply as typed.
    pub reply: String,
    /// Seconds the trainee took, if measured.
    pub secs: Option<f64>,
    /// The reply's judgement.
    pub judgement: Judgement,
    /// Where the reply led.
    pub next: Target,
    /// The customer's mood before the reply.
    pub mood_before: i32,
    /// The customer's mood after it.
    pub mood_after: i32,
    /// A model answer for the turn, in the session's language.
    pub model: Option<String>,
    /// The index of the branch taken in the turn's `next` (`None`: the customer gave up with no
    /// branch).
    pub branch: Option<usize>,
    /// The turns passed over, in order, because the reply had already answered what the
    /// customer asks there, each with the index of the branch taken from it
    /// (`Scenario::ahead`): `next` is where the last leads, the mood moved by every branch.
    pub passed: Vec<(usize, usize)>,
    /// What the customer would have asked at the turns passed over (each one's first line,
    /// filled): the feedback says the reply answered it before it was asked.
    pub not_asked: Vec<String>,
}

#[derive(Debug, Clone)]
/// A conversation in progress: the state machine over a scenario's turns, with its own seeded RNG.
pub struct Session {
    /// The seed of its random choices: the same seed and replies give the same session.
    pub seed: u64,
    /// The language played in: `Scenario::play_lang` of the UI language.
    pub lang: Lang,
    /// The language the judge writes its tips in: the UI language when it is of the play
    /// language's family (a Traditional interface playing a scenario written in Simplified
    /// reads its feedback in Traditional), else the play language. Scoring does not depend on it.
    pub tips: Lang,
    rng: ChaCha8Rng,
    fills: BTreeMap<String, String>,
    /// The turn the customer is at, or the ending reached.
    pub at: Target,
    /// The customer's mood now, 0 to 100.
    pub mood: i32,
    /// What the customer says now, placeholders filled.
    pub customer_line: String,
    /// Every exchange so far.
    pub log: Vec<Exchange>,
    /// Where this session started, when not at the scenario's start (a play-test).
    pub start: Option<Start>,
    /// How its replies are timed (`paced`).
    pub pace: Pace,
}

impl Session {
    /// A session at the scenario's start, its random choices seeded by `seed`.
    pub fn new(s: &Scenario, seed: u64, ui: Lang) -> Session {
        let start = Target::Turn(s.start.min(s.turns.len().saturating_sub(1)));
        Session::begin(s, seed, ui, start, s.mood, None)
    }

    /// A session at turn `start.turn` with the customer's mood `start.mood` (a play-test from
    /// a chosen turn), its random choices seeded by `seed` as in `new`. An unknown turn, an
    /// ending or a mood outside 0 to 100 is refused with the reason.
    pub fn starting_at(
        s: &Scenario,
        seed: u64,
        ui: Lang,
        start: &Start,
    ) -> Result<Session, StartError> {
        let i = start.check(s)?;
        Ok(Session::begin(
            s,
            seed,
            ui,
            Target::Turn(i),
            start.mood,
            Some(start.clone()),
        ))
    }

    fn begin(
        s: &Scenario,
        seed: u64,
        ui: Lang,
        at: Target,
        mood: i32,
        start: Option<Start>,
    ) -> Session {
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
            tips: if ui.family() == lang.family() {
                ui
            } else {
                lang
            },
            rng,
            fills,
            at,
            mood,
            customer_line: String::new(),
            log: Vec::new(),
            start,
            pace: Pace::AsSet,
        };
        me.enter(s);
        me
    }

    /// This session with its replies timed at `pace` (before the first reply).
    pub fn paced(mut self, pace: Pace) -> Session {
        self.pace = pace;
        self
    }

    /// The current turn's target time at the session's pace (`None`: not timed, or over).
    pub fn target_secs(&self, s: &Scenario) -> Option<u32> {
        let Target::Turn(i) = self.at else {
            return None;
        };
        self.pace.target(s.turns.get(i)?.target_secs)
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
        let (lines, plain): (&[crate::scenario::Line], Vec<&crate::scenario::Loc>) = match self.at {
            Target::Turn(i) => match s.turns.get(i) {
                Some(t) => (&t.lines, t.say.iter().collect()),
                None => (&[], Vec::new()),
            },
            Target::Ending(e) => match s.endings.get(e) {
                Some(e) => (&e.lines, vec![&e.text]),
                None => (&[], Vec::new()),
            },
        };
        let said = self.line_now(lines).unwrap_or(plain);
        self.customer_line = if said.is_empty() {
            String::new()
        } else {
            // A turn always draws (as it always has, so saved sessions replay the same
            // choices); an ending draws only among several variants.
            let v = if matches!(self.at, Target::Ending(_)) && said.len() == 1 {
                0
            } else {
                self.rng.random_range(0..said.len())
            };
            self.fill(said[v].get(self.lang))
        };
    }

    /// The variants of the first line whose condition holds for the previous reply, if any.
    fn line_now<'s>(
        &self,
        lines: &'s [crate::scenario::Line],
    ) -> Option<Vec<&'s crate::scenario::Loc>> {
        let st = State {
            mood: self.mood,
            taken: self.log.len(),
        };
        let prev = self.log.last().map(|e| &e.judgement);
        lines
            .iter()
            .find(|l| {
                !l.say.is_empty()
                    && l.cond.state_holds(st)
                    && match prev {
                        Some(j) => l.cond.reply_holds(j),
                        None => !l.cond.judges_reply(),
                    }
            })
            .map(|l| l.say.iter().collect())
    }

    /// The ending reached, if the dialogue is over.
    pub fn ended(&self) -> Option<usize> {
        match self.at {
            Target::Ending(e) => Some(e),
            Target::Turn(_) => None,
        }
    }

    /// How the session ended (`None` while it goes on).
    pub fn outcome(&self, s: &Scenario) -> Option<Outcome> {
        self.ended()
            .and_then(|e| s.endings.get(e))
            .map(|e| e.outcome)
    }

    /// Why the customer gave up, when the dialogue ended at the `gives_up` ending only because
    /// the mood hit 0 or the scenario's `max_turns` replies were given (the branch taken led
    /// on to another turn). `None` while it goes on, and for an ending a branch (or no branch
    /// matching) led to.
    pub fn cut_short(&self, s: &Scenario) -> Option<CutShort> {
        let last = self.log.last()?;
        let branch = s.turns.get(last.turn)?.next.get(last.branch?)?;
        let cut = matches!(branch.goto, Target::Turn(_))
            && self.ended() == Some(s.gives_up)
            && last.next == Target::Ending(s.gives_up);
        cut.then_some(if self.mood == 0 {
            CutShort::Mood
        } else {
            CutShort::Turns
        })
    }

    /// The rules a reply at the current turn is judged by (`None` once the dialogue is over).
    pub fn rules_now(&self, s: &Scenario) -> Option<TurnRules> {
        let Target::Turn(i) = self.at else {
            return None;
        };
        let mut rules = s.rules(i, self.lang, Some(&self.customer_line));
        rules.target_secs = self.pace.target(rules.target_secs);
        // Tips are written in `tips` (the UI's language where it is of the play's family): they
        // name the customer in it too, where the file gives the name in it.
        rules.customer_name = Some(s.customer_name.get(self.tips).to_string());
        Some(rules)
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
        Some(judge(text, self.tips, &rules, secs))
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
        let branch = choose(turn, &j, self.state()).map(|(k, b)| (k, b.clone()));
        let passed = branch
            .as_ref()
            .map_or_else(Vec::new, |(_, b)| self.pass_over(s, i, b, &j));
        self.advance(s, i, text, secs, j, branch, passed)
    }

    /// A customer does not ask what they have just been told: when branch `b` of turn `i`
    /// leads to a turn whose question the reply already answers (`Scenario::ahead`,
    /// `Judgement::ahead`), and that turn's first branch that holds for the reply (with the
    /// question answered, the mood as the branches so far leave it and the same replies given)
    /// needs `answers` and goes elsewhere, the conversation goes on by it, and so on from where
    /// it leads: the turns passed over with the index of the branch taken from each. None once
    /// the customer would give up on the way.
    fn pass_over(&self, s: &Scenario, i: usize, b: &Branch, j: &Judgement) -> Vec<(usize, usize)> {
        let mut out: Vec<(usize, usize)> = Vec::new();
        let taken = self.log.len() + 1;
        if j.ahead == 0 || taken >= s.max_turns {
            return out;
        }
        let ahead = s.ahead(i);
        let told = |t: usize| {
            ahead
                .iter()
                .position(|&k| k == t)
                .is_some_and(|k| j.answers_ahead(k))
        };
        if !matches!(b.goto, Target::Turn(t) if told(t)) {
            return out;
        }
        let mut answered = j.clone();
        answered.principles.entry("answers".into()).or_default().hit = true;
        let (mut goto, mut mood) = (b.goto, (self.mood + b.mood).clamp(0, 100));
        while let Target::Turn(t) = goto {
            if mood == 0 || out.iter().any(|&(u, _)| u == t) || !told(t) {
                break;
            }
            let Some((k, next)) = choose(&s.turns[t], &answered, State { mood, taken }) else {
                break;
            };
            if !next
                .cond
                .all
                .contains(&crate::principles::PrincipleId::Answers)
                || next.goto == goto
            {
                break;
            }
            out.push((t, k));
            (goto, mood) = (next.goto, (mood + next.mood).clamp(0, 100));
        }
        out
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
        let branch = (!turn.next.is_empty()).then(|| {
            let k = k % turn.next.len();
            (k, turn.next[k].clone())
        });
        self.advance(s, i, "", None, Judgement::default(), branch, Vec::new())
    }

    /// What a branch condition sees for the reply about to be given: the mood now and the
    /// number of replies counting that one.
    pub fn state(&self) -> State {
        State {
            mood: self.mood,
            taken: self.log.len() + 1,
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn advance(
        &mut self,
        s: &Scenario,
        i: usize,
        text: &str,
        secs: Option<f64>,
        j: Judgement,
        branch: Option<(usize, Branch)>,
        passed: Vec<(usize, usize)>,
    ) -> Option<&Exchange> {
        let turn = s.turns.get(i)?;
        let before = self.mood;
        let (mut next, delta) = match &branch {
            Some((_, b)) => (b.goto, b.mood),
            None => (Target::Ending(s.gives_up), 0),
        };
        self.mood = (self.mood + delta).clamp(0, 100);
        for b in passed
            .iter()
            .filter_map(|&(t, k)| s.turns.get(t)?.next.get(k))
        {
            next = b.goto;
            self.mood = (self.mood + b.mood).clamp(0, 100);
        }
        if matches!(next, Target::Turn(_)) && (self.mood == 0 || self.log.len() + 1 >= s.max_turns)
        {
            next = Target::Ending(s.gives_up);
        }
        let model = turn.model.first().map(|m| self.fill(m.get(self.lang)));
        let not_asked = passed
            .iter()
            .filter_map(|&(t, _)| s.turns.get(t)?.say.first())
            .map(|l| self.fill(l.get(self.lang)))
            .collect();
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
            branch: branch.map(|(k, _)| k),
            passed,
            not_asked,
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

    /// The session in storage form: enough, with the seed, to replay it.
    pub fn saved(&self, scenario: &str) -> Saved {
        Saved {
            scenario: scenario.to_string(),
            seed: self.seed,
            // The UI language when it is of the play language's family (what a replay needs to
            // play and write tips the same), else the play language (which plays the same).
            lang: self.tips,
            replies: self
                .log
                .iter()
                .map(|e| SavedReply {
                    text: e.reply.clone(),
                    secs: e.secs,
                })
                .collect(),
            start: self.start.clone(),
            pace: self.pace,
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
        let mut me = match &saved.start {
            None => Session::new(s, saved.seed, saved.lang),
            Some(st) => match Session::starting_at(s, saved.seed, saved.lang, st) {
                Ok(me) => me,
                // The file changed since (no such turn now): its replies answered other turns,
                // so none is replayed; the session begins again at the scenario's start.
                Err(_) => {
                    return (
                        Session::new(s, saved.seed, saved.lang).paced(saved.pace),
                        None,
                    )
                }
            },
        }
        .paced(saved.pace);
        for r in &saved.replies {
            let Some(rules) = me.rules_now(s) else {
                break;
            };
            match judge(&r.text, me.tips, &rules, r.secs) {
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

    /// The next reply of `saved` that a replay needs judged, given the judgements of the
    /// replies before it (`judged`, in order), as a request to the scorer; `None` once `judged`
    /// holds every judgement the replay reaches. A scorer that answers elsewhere (the app's
    /// scorer worker) is asked for one reply at a time this way, since the turn a reply answers
    /// depends on the judgements before it; `try_replay_with` then rebuilds the session from
    /// them.
    pub fn replay_needs(
        s: &Scenario,
        saved: &Saved,
        judged: &[Judgement],
    ) -> Option<crate::judgement::JudgeRequest> {
        let known = std::cell::RefCell::new(judged.iter());
        let wanted = std::cell::RefCell::new(None);
        let judge = |text: &str, lang: Lang, rules: &TurnRules, secs: Option<f64>| {
            known.borrow_mut().next().cloned().ok_or_else(|| {
                *wanted.borrow_mut() = Some(crate::judgement::JudgeRequest {
                    text: text.to_string(),
                    lang,
                    rules: rules.clone(),
                    secs,
                });
            })
        };
        let _ = Session::try_replay_with(s, saved, &judge);
        wanted.into_inner()
    }
}

/// Every state a conversation can be in (turn, mood, replies given), found by trying every
/// branch as if some reply met its principle and score conditions, with the mood, the
/// `mood_below`/`mood_above`/`turns_taken` conditions, `max_turns` and giving up applied
/// exactly as `Session` applies them. Branches after one that always holds in a state are not
/// tried there.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    /// States in the order found (breadth first, so by replies given).
    pub states: Vec<ReachState>,
    /// Per turn: the index in `states` of the first state at it (fewest replies), if any.
    pub first: Vec<Option<usize>>,
    /// Per turn and branch: how often the branch can be taken, and how often that leads where
    /// it says (rather than to the `gives_up` ending).
    pub taken: Vec<Vec<(usize, usize)>>,
    /// Per ending: can it be reached?
    pub endings: Vec<bool>,
    /// The fewest replies that reach a `resolved` ending.
    pub fewest_resolved: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// One state `explore` reached: a turn with a mood and a count of replies.
pub struct ReachState {
    /// The turn (an index into `Scenario::turns`).
    pub turn: usize,
    /// The customer's mood there.
    pub mood: i32,
    /// Replies given before this turn.
    pub replies: usize,
    /// The state before and the branch taken from it (`None` for the start).
    pub from: Option<(usize, usize)>,
}

impl Reach {
    /// The branches taken from the start to state `i`: (turn, branch index) pairs.
    pub fn path(&self, mut i: usize) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        while let Some((p, k)) = self.states[i].from {
            out.push((self.states[p].turn, k));
            i = p;
        }
        out.reverse();
        out
    }

    /// The lowest and highest mood, and the fewest and most replies given, over the states at a turn.
    pub fn range_at(&self, turn: usize) -> Option<((i32, i32), (usize, usize))> {
        let mut it = self.states.iter().filter(|x| x.turn == turn);
        let f = it.next()?;
        let init = ((f.mood, f.mood), (f.replies, f.replies));
        Some(it.fold(init, |((lo, hi), (a, b)), x| {
            (
                (lo.min(x.mood), hi.max(x.mood)),
                (a.min(x.replies), b.max(x.replies)),
            )
        }))
    }
}

/// Walks the scenario's turn graph as played (mood, `max_turns`, giving up, state conditions), within bounds, for the checker.
pub fn explore(s: &Scenario) -> Reach {
    use std::collections::{HashSet, VecDeque};
    let n = s.turns.len();
    let mut r = Reach {
        states: Vec::new(),
        first: vec![None; n],
        taken: s.turns.iter().map(|t| vec![(0, 0); t.next.len()]).collect(),
        endings: vec![false; s.endings.len()],
        fewest_resolved: None,
    };
    if n == 0 {
        return r;
    }
    let start = s.start.min(n - 1);
    let mut seen: HashSet<(usize, i32, usize)> = HashSet::new();
    let mut q = VecDeque::new();
    let mut push = |r: &mut Reach, q: &mut VecDeque<usize>, st: ReachState| {
        if seen.insert((st.turn, st.mood, st.replies)) {
            r.states.push(st);
            let i = r.states.len() - 1;
            r.first[st.turn].get_or_insert(i);
            q.push_back(i);
        }
    };
    push(
        &mut r,
        &mut q,
        ReachState {
            turn: start,
            mood: s.mood.clamp(0, 100),
            replies: 0,
            from: None,
        },
    );
    while let Some(i) = q.pop_front() {
        let st = r.states[i];
        let here = State {
            mood: st.mood,
            taken: st.replies + 1,
        };
        for (k, b) in s.turns[st.turn].next.iter().enumerate() {
            if !b.cond.state_holds(here) || !satisfiable(&b.cond) {
                continue;
            }
            let mood = (st.mood + b.mood).clamp(0, 100);
            let mut to = b.goto;
            if matches!(to, Target::Turn(_)) && (mood == 0 || st.replies + 1 >= s.max_turns) {
                to = Target::Ending(s.gives_up);
            }
            r.taken[st.turn][k].0 += 1;
            if to == b.goto {
                r.taken[st.turn][k].1 += 1;
            }
            match to {
                Target::Turn(j) => push(
                    &mut r,
                    &mut q,
                    ReachState {
                        turn: j,
                        mood,
                        replies: st.replies + 1,
                        from: Some((i, k)),
                    },
                ),
                Target::Ending(e) => {
                    if let Some(x) = r.endings.get_mut(e) {
                        *x = true;
                    }
                    if s.endings
                        .get(e)
                        .is_some_and(|e| e.outcome == Outcome::Resolved)
                    {
                        let m = r.fewest_resolved.get_or_insert(st.replies + 1);
                        *m = (*m).min(st.replies + 1);
                    }
                }
            }
            if !b.cond.judges_reply() {
                break;
            }
        }
    }
    r
}

/// Can some judgement meet this condition's principle and score parts?
pub fn satisfiable(c: &crate::scenario::Cond) -> bool {
    !c.all.iter().any(|p| c.none.contains(p))
        && (c.any.is_empty() || c.any.iter().any(|p| !c.none.contains(p)))
        && match (c.min_score, c.max_score) {
            (Some(a), Some(b)) => a <= b,
            _ => true,
        }
}
