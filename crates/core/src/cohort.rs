//! A trainer's view of a cohort: the statements of many trainees (from an LRS, or from their
//! exported files) grouped by trainee into attempts, and what the dashboard shows — a trainees ×
//! principles grid of rates over the turns that expected each principle, the cohort's weakest
//! principles, each scenario's pass rate and outcomes, each trainee's scores over time — with
//! filters (date, scenario, practice or exam) and CSV out. Pure; `#/team` renders it.

#![warn(missing_docs)]

use crate::progress::{iso_time, Attempt, LoadError, Store};
use crate::xapi::{actor_key, Identity};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// One trainee and what they did.
#[derive(Debug, Clone, PartialEq)]
pub struct Trainee {
    /// Identifies the trainee across sources (`mailto:…`, `HOMEPAGE#account`, or a name).
    pub key: String,
    /// The name shown.
    pub name: String,
    /// Their attempts.
    pub store: Store,
}

/// Every trainee read so far.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cohort {
    /// In order of name, then key.
    pub trainees: Vec<Trainee>,
}

/// Which attempts count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Kind {
    /// Practice and exams.
    #[default]
    All,
    /// Practice only.
    Practice,
    /// Exam attempts only.
    Exam,
}

/// The dashboard's filters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    /// Attempts started at or after (ms since the epoch).
    pub from_ms: Option<f64>,
    /// Attempts started before.
    pub to_ms: Option<f64>,
    /// One scenario only.
    pub scenario: Option<String>,
    /// Practice, exam or both.
    pub kind: Kind,
}

impl Filter {
    /// Does attempt `a` count?
    pub fn keeps(&self, a: &Attempt) -> bool {
        self.from_ms.is_none_or(|f| a.started_ms >= f)
            && self.to_ms.is_none_or(|t| a.started_ms < t)
            && self.scenario.as_ref().is_none_or(|s| *s == a.scenario)
            && match self.kind {
                Kind::All => true,
                Kind::Practice => !a.exam,
                Kind::Exam => a.exam,
            }
    }
}

/// A principle over some turns: `good` of `of` (shown, for a principle the turn expected;
/// avoided, for a violation, over every turn): higher is better for both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    /// Turns that did it right.
    pub good: u32,
    /// Turns that counted.
    pub of: u32,
}

impl Rate {
    /// `good / of` (none without turns).
    pub fn value(self) -> Option<f64> {
        (self.of > 0).then(|| f64::from(self.good) / f64::from(self.of))
    }
}

/// One trainee's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The trainee's key and name.
    pub key: String,
    /// …
    pub name: String,
    /// One per column of [`Report::principles`].
    pub cells: Vec<Rate>,
    /// Attempts counted, finished ones, passed ones.
    pub attempts: u32,
    /// …
    pub finished: u32,
    /// …
    pub passed: u32,
    /// `(started_ms, score)` of each finished attempt, in time order.
    pub scores: Vec<(f64, u8)>,
    /// Each exam the trainee finished (of the counted attempts), in time order.
    pub exams: Vec<ExamResult>,
}

impl Row {
    /// The mean score of the finished attempts; `None` when none is finished.
    pub fn mean_score(&self) -> Option<f64> {
        let n = self.scores.len();
        let sum: u32 = self.scores.iter().map(|x| u32::from(x.1)).sum();
        (n > 0).then(|| f64::from(sum) / n as f64)
    }
}

/// One exam run's verdict, as the exam statement (or the export's attempts) gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExamResult {
    /// The run's id.
    pub run: String,
    /// The exam's id and title.
    pub exam: String,
    /// …
    pub title: String,
    /// When its last scenario ended (ms since the epoch).
    pub ended_ms: f64,
    /// The run's total (0–100).
    pub total: u8,
    /// Whether it passed.
    pub passed: bool,
}

/// One scenario's results over the cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioRow {
    /// The scenario's id and title.
    pub id: String,
    /// …
    pub title: String,
    /// Attempts, finished, passed.
    pub attempts: u32,
    /// …
    pub finished: u32,
    /// …
    pub passed: u32,
    /// Finished attempts by outcome id (`resolved`, `escalated`, `lost`).
    pub outcomes: BTreeMap<String, u32>,
}

/// What the dashboard shows for a filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    /// The principles judged in the counted turns, in the rulebook's order.
    pub principles: Vec<String>,
    /// One per trainee with at least one counted attempt.
    pub rows: Vec<Row>,
    /// The cohort's principles, weakest first (rate, then id).
    pub weakest: Vec<(String, Rate)>,
    /// Per scenario, by id.
    pub scenarios: Vec<ScenarioRow>,
    /// Every scenario any trainee played (for the filter), by id, with its title.
    pub all_scenarios: Vec<(String, String)>,
}

/// The elements of a JSON array's text, read a few at a time: a large file (a whole cohort's
/// statements, ~100 MB for 200 trainees × 50 sessions) is parsed in pieces, so the browser can
/// run between them. The text is only scanned for where each element ends (strings and
/// nesting followed); each piece is then parsed by serde_json.
#[derive(Debug, Clone)]
pub struct ArrayChunks<'a> {
    text: &'a str,
    pos: usize,
    done: bool,
}

impl<'a> ArrayChunks<'a> {
    /// `None` unless `text` (after white space) starts a JSON array.
    pub fn new(text: &'a str) -> Option<ArrayChunks<'a>> {
        let start = text.len() - text.trim_start().len();
        (text.as_bytes().get(start) == Some(&b'[')).then_some(ArrayChunks {
            text,
            pos: start + 1,
            done: false,
        })
    }

    /// The bytes read so far, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.pos, self.text.len())
    }

    /// The next (at most) `n` elements; `None` after the last. An error when the text is not
    /// JSON (or is cut short).
    pub fn next_chunk(&mut self, n: usize) -> Option<Result<Vec<Value>, LoadError>> {
        if self.done {
            return None;
        }
        let b = self.text.as_bytes();
        let corrupt = || LoadError::Corrupt("not a JSON array".into());
        let skip_ws = |mut i: usize| {
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            i
        };
        // After the `,` that ended the last piece.
        let mut start = skip_ws(self.pos);
        if b.get(start) == Some(&b',') {
            start = skip_ws(start + 1);
        }
        let mut i = start;
        let mut count = 0;
        let mut end = start;
        while count < n {
            i = skip_ws(i);
            match b.get(i) {
                None => {
                    self.done = true;
                    return Some(Err(corrupt()));
                }
                Some(b']') => {
                    self.done = true;
                    break;
                }
                Some(b',') if count > 0 => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            // One element: to the `,` or `]` outside strings and brackets.
            let (mut depth, mut in_str, mut esc) = (0i32, false, false);
            while let Some(&c) = b.get(i) {
                if in_str {
                    match (esc, c) {
                        (true, _) => esc = false,
                        (false, b'\\') => esc = true,
                        (false, b'"') => in_str = false,
                        _ => {}
                    }
                } else {
                    match c {
                        b'"' => in_str = true,
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' if depth > 0 => depth -= 1,
                        b',' | b']' if depth == 0 => break,
                        _ => {}
                    }
                }
                i += 1;
            }
            if i >= b.len() {
                self.done = true;
                return Some(Err(corrupt()));
            }
            end = i;
            count += 1;
        }
        self.pos = i;
        if count == 0 {
            return None;
        }
        let piece = format!("[{}]", &self.text[start..end]);
        Some(serde_json::from_str(&piece).map_err(|e| LoadError::Corrupt(e.to_string())))
    }
}

/// One trainee's statements, as [`by_trainee`] groups them.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    /// [`actor_key`] of their actor.
    pub key: String,
    /// The actor's name (else the key).
    pub name: String,
    /// Their statements, each once, in the order read.
    pub statements: Vec<&'a Value>,
}

/// Statements grouped by trainee ([`actor_key`]), each statement once (by id), in order of
/// name then key. Whole trainees, because an attempt must be read from all its statements at
/// once (a part of it would be an unfinished attempt that the rest then replaces).
pub fn by_trainee(stmts: &[Value]) -> Vec<Group<'_>> {
    let mut g = Grouping::default();
    g.add(stmts);
    g.groups()
}

/// [`by_trainee`] a slice at a time: the dashboard groups a large read in pieces, letting the
/// browser run between them; the groups are the same however the statements are cut.
#[derive(Default)]
pub struct Grouping<'a> {
    seen: BTreeSet<&'a str>,
    by_actor: BTreeMap<String, Group<'a>>,
}

impl<'a> Grouping<'a> {
    /// Add the next statements, in the order read.
    pub fn add(&mut self, stmts: &'a [Value]) {
        for s in stmts {
            if let Some(id) = s["id"].as_str() {
                if !self.seen.insert(id) {
                    continue;
                }
            }
            let key = actor_key(&s["actor"]);
            self.by_actor
                .entry(key)
                .or_insert_with_key(|k| Group {
                    key: k.clone(),
                    name: s["actor"]["name"].as_str().unwrap_or(k).to_string(),
                    statements: Vec::new(),
                })
                .statements
                .push(s);
        }
    }

    /// The groups, in order of name then key.
    pub fn groups(self) -> Vec<Group<'a>> {
        let mut out: Vec<Group<'a>> = self.by_actor.into_values().collect();
        out.sort_by(|a, b| (&a.name, &a.key).cmp(&(&b.name, &b.key)));
        out
    }
}

/// The attempts one or more sources held, each once: its trainee's key and its id. The same
/// attempt read from two sources (a trainee's JSON export and xAPI export, an LRS) is one, so a
/// pick of files says how many attempts it held, not the sum of each file's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    /// `(trainee key, attempt id)`.
    ids: BTreeSet<(String, String)>,
    /// The same with each id's registration (`xapi::statement_id`): an attempt read from
    /// statements without our extension is keyed by it.
    registrations: BTreeSet<(String, String)>,
    /// How many of them the cohort did not hold before (a file loaded again adds none).
    new: usize,
}

impl Read {
    /// How many attempts.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    /// None at all.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// How many were new to the cohort (not read before from this or another source).
    pub fn added(&self) -> usize {
        self.new
    }
    /// One attempt of trainee `key` (once, whether its id or its registration is given).
    fn insert(&mut self, key: &str, id: String) {
        let reg = (key.to_string(), crate::xapi::statement_id(&id));
        let id = (key.to_string(), id);
        if self.ids.contains(&id) || self.ids.contains(&reg) || self.registrations.contains(&id) {
            return;
        }
        self.ids.insert(id);
        self.registrations.insert(reg);
    }
    /// Those of `other` too (an attempt in both counted once).
    pub fn extend(&mut self, other: Read) {
        self.new += other.new;
        for (key, id) in other.ids {
            self.insert(&key, id);
        }
    }
}

/// How much a copy of an attempt says: finished, then more replies (the copy kept when the
/// same attempt comes from two sources).
fn says(a: &Attempt) -> (bool, usize) {
    (a.finished(), a.turns.len())
}

/// Add a source's attempts to a trainee's. An attempt is identified by its id in every
/// format — a JSON export's `id`, the `id` of an xAPI statement's attempt extension, or else
/// the statement's `context.registration`, which is [`crate::xapi::statement_id`] of that id —
/// so the same attempt from two sources is kept once: the copy that says more (finished, more
/// replies), with the text of any reply it lacks (statements sent without the replies' text)
/// taken from the other. Never two plays under one id, as an import into the trainee's own
/// store may keep: within a trainee's store ids are unique (a second play is stored under an id
/// of its own), so one id from two sources is one attempt. Returns the ids as kept.
/// The ids of the attempts `from` held (as kept), and how many of them were new to `into`.
fn absorb(into: &mut Store, from: Store) -> (Vec<String>, usize) {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, a) in into.attempts.iter().enumerate() {
        index.insert(a.id.clone(), i);
        index.insert(crate::xapi::statement_id(&a.id), i);
    }
    let mut ids = Vec::with_capacity(from.attempts.len());
    let mut new = 0;
    for mut a in from.attempts {
        let found = index
            .get(&a.id)
            .or_else(|| index.get(&crate::xapi::statement_id(&a.id)))
            .copied();
        let Some(i) = found else {
            index.insert(a.id.clone(), into.attempts.len());
            index.insert(crate::xapi::statement_id(&a.id), into.attempts.len());
            ids.push(a.id.clone());
            into.attempts.push(a);
            new += 1;
            continue;
        };
        let kept = &mut into.attempts[i];
        // Statements read without our extension are keyed by their registration: that copy
        // knows less (no start time, exam or title of its own), so the other is kept when
        // they say as much, under the attempt's own id.
        let a_bare = crate::xapi::statement_id(&kept.id) == a.id;
        let kept_bare = crate::xapi::statement_id(&a.id) == kept.id;
        let id = if a_bare {
            kept.id.clone()
        } else {
            a.id.clone()
        };
        if says(&a) > says(kept) || (says(&a) == says(kept) && kept_bare) {
            std::mem::swap(kept, &mut a);
        }
        for (t, o) in kept.turns.iter_mut().zip(&a.turns) {
            if t.reply.is_empty() && t.turn == o.turn {
                t.reply.clone_from(&o.reply);
            }
        }
        if kept.id != id {
            index.insert(id.clone(), i);
            kept.id.clone_from(&id);
        }
        ids.push(id);
    }
    into.attempts
        .sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
    (ids, new)
}

impl Cohort {
    /// Trainees from xAPI statements (an LRS's answer, or exported files): grouped by actor,
    /// each statement counted once (by id), our statements read back into attempts.
    /// Returns the attempts the statements hold (some may have been read before).
    pub fn add_statements(&mut self, stmts: &[Value]) -> Read {
        let mut read = Read::default();
        for g in by_trainee(stmts) {
            read.extend(self.add_group(g));
        }
        read
    }

    /// One trainee's statements (from [`by_trainee`]) read back into attempts and added. The
    /// dashboard adds a large read a few trainees at a time, yielding to the browser between.
    /// Returns the attempts read from them.
    pub fn add_group(&mut self, g: Group<'_>) -> Read {
        match Store::from_statements(g.statements.into_iter()) {
            Ok(store) => self.add(g.key, g.name, store),
            Err(_) => Read::default(),
        }
    }
    /// A trainee's exported file: our xAPI export (its actor names the trainee) or our JSON
    /// export (its `trainee`, else named `fallback_name`, usually the file's name). Returns
    /// the attempts the file holds (those read before are counted, not added twice).
    pub fn add_file(&mut self, json: &str, fallback_name: &str) -> Result<Read, LoadError> {
        let v: Value = serde_json::from_str(json).map_err(|e| LoadError::Corrupt(e.to_string()))?;
        if let Some(a) = v
            .as_array()
            .filter(|a| a.first().is_some_and(|x| x.get("verb").is_some()))
        {
            let read = self.add_statements(a);
            if read.is_empty() && !a.is_empty() {
                return Err(LoadError::Corrupt("no Kefu Dojo statements".into()));
            }
            return Ok(read);
        }
        let store = Store::from_json(json)?;
        // The trainee the export names, keyed as that trainee's xAPI actor is (one trainee's
        // JSON and xAPI files and statements are one row), else the file's name.
        let (key, name) = match Store::trainee_of(&v) {
            Some((name, id)) => {
                let who = Identity { name, id };
                (who.key(), who.name)
            }
            None => (fallback_name.to_string(), fallback_name.to_string()),
        };
        Ok(self.add(key, name, store))
    }

    /// Add (or merge into the trainee with the same key) a trainee's attempts; an attempt
    /// already read from another source is kept once (`absorb`). Returns them.
    pub fn add(&mut self, key: String, name: String, store: Store) -> Read {
        let ids = match self.trainees.iter_mut().find(|t| t.key == key) {
            Some(t) => absorb(&mut t.store, store),
            None => {
                let mut mine = Store::default();
                let ids = absorb(&mut mine, store);
                let at = self.trainees.partition_point(|t| {
                    (t.name.as_str(), t.key.as_str()) < (name.as_str(), key.as_str())
                });
                self.trainees.insert(
                    at,
                    Trainee {
                        key: key.clone(),
                        name,
                        store: mine,
                    },
                );
                ids
            }
        };
        let (ids, new) = ids;
        let mut read = Read {
            new,
            ..Read::default()
        };
        for id in ids {
            read.insert(&key, id);
        }
        read
    }

    /// What the dashboard shows for `f`.
    pub fn report(&self, f: &Filter) -> Report {
        let order: Vec<&str> = crate::principles::all()
            .iter()
            .map(|p| p.id.as_str())
            .collect();
        let mut cohort: BTreeMap<String, Rate> = BTreeMap::new();
        let mut per: Vec<(usize, BTreeMap<String, Rate>, Row)> = Vec::new();
        let mut scen: BTreeMap<String, ScenarioRow> = BTreeMap::new();
        let mut all_scenarios: BTreeMap<String, String> = BTreeMap::new();
        for (i, t) in self.trainees.iter().enumerate() {
            let mut rates: BTreeMap<String, Rate> = BTreeMap::new();
            let mut row = Row {
                key: t.key.clone(),
                name: t.name.clone(),
                cells: Vec::new(),
                attempts: 0,
                finished: 0,
                passed: 0,
                scores: Vec::new(),
                exams: Vec::new(),
            };
            let mut exams: BTreeMap<&str, ExamResult> = BTreeMap::new();
            for a in &t.store.attempts {
                all_scenarios
                    .entry(a.scenario.clone())
                    .or_insert_with(|| a.title.clone());
                if !f.keeps(a) {
                    continue;
                }
                let (done, passed) = (a.finished(), a.passed());
                row.attempts += 1;
                row.finished += u32::from(done);
                row.passed += u32::from(passed);
                if done {
                    row.scores.push((a.started_ms, a.score()));
                }
                if let Some((tag, total, passed)) = a
                    .exam_run
                    .as_ref()
                    .and_then(|t| Some((t, t.total?, t.passed?)))
                {
                    let end = a.finished_ms.unwrap_or(a.started_ms);
                    let e = exams.entry(&tag.run).or_insert_with(|| ExamResult {
                        run: tag.run.clone(),
                        exam: tag.exam.clone(),
                        title: tag.title.clone(),
                        ended_ms: end,
                        total,
                        passed,
                    });
                    e.ended_ms = e.ended_ms.max(end);
                }
                let s = scen
                    .entry(a.scenario.clone())
                    .or_insert_with(|| ScenarioRow {
                        id: a.scenario.clone(),
                        title: a.title.clone(),
                        attempts: 0,
                        finished: 0,
                        passed: 0,
                        outcomes: BTreeMap::new(),
                    });
                s.attempts += 1;
                s.finished += u32::from(done);
                s.passed += u32::from(passed);
                if let (true, Some(o)) = (done, a.outcome) {
                    *s.outcomes.entry(o.id().to_string()).or_default() += 1;
                }
                for turn in &a.turns {
                    for (id, hit) in &turn.principles {
                        let violation = crate::principles::get(id).is_some_and(|p| p.violation);
                        if !violation && !turn.expects(id) {
                            continue;
                        }
                        let good = if violation { !hit } else { *hit };
                        for m in [&mut rates, &mut cohort] {
                            let r = m.entry(id.clone()).or_default();
                            r.of += 1;
                            r.good += u32::from(good);
                        }
                    }
                }
            }
            if row.attempts > 0 {
                row.scores.sort_by(|a, b| a.0.total_cmp(&b.0));
                row.exams = exams.into_values().collect();
                row.exams.sort_by(|a, b| a.ended_ms.total_cmp(&b.ended_ms));
                per.push((i, rates, row));
            }
        }
        let rank = |id: &str| order.iter().position(|o| *o == id).unwrap_or(usize::MAX);
        let mut principles: Vec<String> = cohort.keys().cloned().collect();
        principles.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
        let rows = per
            .into_iter()
            .map(|(_, rates, mut row)| {
                row.cells = principles
                    .iter()
                    .map(|p| rates.get(p).copied().unwrap_or_default())
                    .collect();
                row
            })
            .collect();
        let mut weakest: Vec<(String, Rate)> = cohort.into_iter().collect();
        weakest.sort_by(|a, b| {
            let (x, y) = (a.1.value().unwrap_or(1.0), b.1.value().unwrap_or(1.0));
            x.total_cmp(&y).then(a.0.cmp(&b.0))
        });
        Report {
            principles,
            rows,
            weakest,
            scenarios: scen.into_values().collect(),
            all_scenarios: all_scenarios.into_iter().collect(),
        }
    }
}

impl Report {
    /// One row per trainee (RFC 4180, a UTF-8 byte-order mark, formulas neutralised): name,
    /// key, attempts, finished, passed, mean score, last played, exams finished and passed, the
    /// last exam's title, total and verdict, then each principle's rate (0–1, empty when no turn
    /// counted).
    pub fn to_csv(&self) -> String {
        let mut head = vec![
            "trainee".to_string(),
            "id".into(),
            "attempts".into(),
            "finished".into(),
            "passed".into(),
            "mean_score".into(),
            "last_played".into(),
            "exams".into(),
            "exams_passed".into(),
            "last_exam".into(),
            "last_exam_score".into(),
            "last_exam_passed".into(),
        ];
        head.extend(self.principles.iter().cloned());
        let mut out = String::from("\u{feff}");
        out.push_str(&head.join(","));
        out.push_str("\r\n");
        for r in &self.rows {
            let mean = r.mean_score().map_or(String::new(), |m| format!("{m:.1}"));
            let mut cells = vec![
                crate::progress::csv_cell(&r.name),
                crate::progress::csv_cell(&r.key),
                r.attempts.to_string(),
                r.finished.to_string(),
                r.passed.to_string(),
                mean,
                r.scores.last().map(|x| iso_time(x.0)).unwrap_or_default(),
                r.exams.len().to_string(),
                r.exams.iter().filter(|e| e.passed).count().to_string(),
            ];
            match r.exams.last() {
                Some(e) => cells.extend([
                    crate::progress::csv_cell(&e.title),
                    e.total.to_string(),
                    e.passed.to_string(),
                ]),
                None => cells.extend([String::new(), String::new(), String::new()]),
            }
            cells.extend(
                r.cells
                    .iter()
                    .map(|c| c.value().map(|v| format!("{v:.3}")).unwrap_or_default()),
            );
            out.push_str(&cells.join(","));
            out.push_str("\r\n");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::judgement::ScenarioKind;
    use crate::principles::Lang;
    use crate::progress::TurnRecord;
    use crate::scenario::Outcome;
    use crate::xapi::Base;

    fn attempt(id: &str, scenario: &str, start: f64, hits: &[(&str, bool)], exam: bool) -> Attempt {
        Attempt {
            id: id.into(),
            scenario: scenario.into(),
            title: scenario.to_uppercase(),
            kind: ScenarioKind::Angry,
            lang: Lang::En,
            seed: 1,
            started_ms: start,
            finished_ms: Some(start + 60_000.0),
            outcome: Some(Outcome::Resolved),
            exam,
            exam_run: None,
            pace: Default::default(),
            turns: vec![TurnRecord {
                turn: "t".into(),
                customer: "c".into(),
                reply: "r".into(),
                secs: Some(1.0),
                score: if hits.iter().all(|h| h.1 != (h.0 == "blame")) {
                    90
                } else {
                    30
                },
                principles: hits.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
                expected: Some(vec!["apology".into(), "empathy".into()]),
            }],
        }
    }

    fn statements(name: &str, id: &str, atts: Vec<Attempt>) -> Vec<Value> {
        let b = Base::new("https://example.org/kefu-dojo").unwrap();
        let mut s = Store::default();
        for a in atts {
            s.upsert(a);
        }
        s.to_xapi_as(&Identity::new(name, id).unwrap().actor(&b), &b)
            .as_array()
            .unwrap()
            .clone()
    }

    #[test]
    fn grid_weakest_scenarios_and_filters() {
        let mut st = statements(
            "Li",
            "li@example.com",
            vec![
                attempt(
                    "l1",
                    "late",
                    1000.0,
                    &[("apology", true), ("empathy", false), ("blame", true)],
                    false,
                ),
                attempt(
                    "l2",
                    "refund",
                    2000.0,
                    &[("apology", true), ("empathy", true)],
                    true,
                ),
            ],
        );
        st.extend(statements(
            "Wang",
            "E7",
            vec![attempt(
                "w1",
                "late",
                1500.0,
                &[("apology", false), ("empathy", false)],
                false,
            )],
        ));
        // The same statements again (an LRS read and a file of the same trainee): counted once.
        let again = st.clone();
        let mut c = Cohort::default();
        c.add_statements(&st);
        c.add_statements(&again);
        assert_eq!(c.trainees.len(), 2);
        let r = c.report(&Filter::default());
        assert_eq!(
            r.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(),
            ["Li", "Wang"]
        );
        let col = |p: &str| r.principles.iter().position(|x| x == p).unwrap();
        let li = &r.rows[0];
        assert_eq!(li.cells[col("apology")], Rate { good: 2, of: 2 });
        assert_eq!(li.cells[col("empathy")], Rate { good: 1, of: 2 });
        // Blame committed once in Li's one turn that judged it: avoided 0 of 1.
        assert_eq!(li.cells[col("blame")], Rate { good: 0, of: 1 });
        assert_eq!(
            r.rows[1].cells[col("blame")],
            Rate::default(),
            "never judged: no rate"
        );
        assert_eq!(r.weakest[0].0, "blame");
        assert_eq!(
            r.weakest[1],
            ("empathy".to_string(), Rate { good: 1, of: 3 })
        );
        let late = r.scenarios.iter().find(|s| s.id == "late").unwrap();
        assert_eq!((late.attempts, late.finished, late.passed), (2, 2, 0));
        assert_eq!(late.outcomes["resolved"], 2);
        // Filters: exams only; a date range; a scenario.
        let ex = c.report(&Filter {
            kind: Kind::Exam,
            ..Filter::default()
        });
        assert_eq!(ex.rows.len(), 1);
        assert_eq!(ex.rows[0].attempts, 1);
        let early = c.report(&Filter {
            to_ms: Some(1600.0),
            ..Filter::default()
        });
        assert_eq!(early.rows.iter().map(|r| r.attempts).sum::<u32>(), 2);
        let refund = c.report(&Filter {
            scenario: Some("refund".into()),
            ..Filter::default()
        });
        assert_eq!(refund.scenarios.len(), 1);
        assert_eq!(
            refund.all_scenarios.len(),
            2,
            "the filter still lists every scenario"
        );
        let csv = r.to_csv();
        assert!(csv.starts_with("\u{feff}trainee,id,attempts"), "{csv}");
        assert!(csv.contains("Li,mailto:li@example.com,2,2,"), "{csv}");
    }

    /// The dashboard groups a large read a piece at a time: whatever the cut, the same
    /// trainees with the same statements, each once, in order.
    #[test]
    fn grouping_in_pieces_is_grouping_at_once() {
        let li = statements(
            "Li",
            "li@example.com",
            vec![
                attempt("l1", "late", 1000.0, &[("apology", true)], false),
                attempt("l2", "refund", 2000.0, &[("apology", false)], true),
            ],
        );
        let wang = statements(
            "Wang",
            "E7",
            vec![attempt("w1", "late", 1500.0, &[("empathy", true)], false)],
        );
        // Interleaved, with a statement read twice (an LRS read and a file).
        let mut all = Vec::new();
        for (i, s) in li.iter().enumerate() {
            all.push(s.clone());
            if let Some(w) = wang.get(i) {
                all.push(w.clone());
            }
        }
        all.extend(wang.iter().skip(li.len()).cloned());
        all.push(li[1].clone());
        let flat = |g: Vec<Group<'_>>| -> Vec<(String, String, Vec<Value>)> {
            g.into_iter()
                .map(|g| (g.key, g.name, g.statements.into_iter().cloned().collect()))
                .collect()
        };
        let whole = flat(by_trainee(&all));
        assert_eq!(whole.len(), 2);
        assert_eq!(whole[0].1, "Li");
        assert_eq!(whole[0].2, li, "Li's, each once, in order");
        assert_eq!(whole[1].2, wang);
        for size in 1..=all.len() {
            let mut g = Grouping::default();
            for piece in all.chunks(size) {
                g.add(piece);
            }
            assert_eq!(flat(g.groups()), whole, "pieces of {size}");
        }
    }

    #[test]
    fn files_and_the_lrs_give_the_same_cohort() {
        let li = statements(
            "Li",
            "li@example.com",
            vec![attempt("l1", "late", 1000.0, &[("apology", true)], false)],
        );
        let wang = statements(
            "Wang",
            "",
            vec![attempt("w1", "late", 1000.0, &[("apology", false)], false)],
        );
        let mut from_lrs = Cohort::default();
        from_lrs.add_statements(&[wang.clone(), li.clone()].concat());
        let mut from_files = Cohort::default();
        from_files
            .add_file(&serde_json::to_string(&li).unwrap(), "li.json")
            .unwrap();
        from_files
            .add_file(&serde_json::to_string(&wang).unwrap(), "wang.json")
            .unwrap();
        assert_eq!(from_lrs, from_files);
        assert_eq!(
            from_lrs.report(&Filter::default()),
            from_files.report(&Filter::default())
        );
        // A JSON export has no actor: it is named by its file.
        let mut s = Store::default();
        s.upsert(attempt("z", "late", 1.0, &[], false));
        assert_eq!(
            from_files
                .add_file(&s.to_json(), "zhao.json")
                .map(|r| r.len()),
            Ok(1)
        );
        assert!(from_files.trainees.iter().any(|t| t.name == "zhao.json"));
        assert!(from_files.add_file("{oops", "x").is_err());
        assert!(from_files.add_file("[{\"verb\":{}}]", "x").is_err());
    }

    #[test]
    fn a_json_export_naming_its_trainee_is_that_trainee() {
        let mut c = Cohort::default();
        let li_xapi = statements(
            "Li",
            "li@example.com",
            vec![attempt("l1", "late", 1000.0, &[("apology", true)], false)],
        );
        c.add_file(&serde_json::to_string(&li_xapi).unwrap(), "a.json")
            .unwrap();
        // Li's JSON export (another attempt) joins Li's row; Wang's is named Wang.
        let mut s = Store::default();
        s.upsert(attempt("l2", "late", 2000.0, &[("apology", false)], false));
        let li = Identity::new("Li", "li@example.com").unwrap();
        assert_eq!(
            c.add_file(&s.to_json_as(Some(&li)), "b.json")
                .map(|r| r.len()),
            Ok(1)
        );
        let mut w = Store::default();
        w.upsert(attempt("w1", "late", 1000.0, &[], false));
        let wang = Identity::new("Wang", "").unwrap();
        assert_eq!(
            c.add_file(&w.to_json_as(Some(&wang)), "c.json")
                .map(|r| r.len()),
            Ok(1)
        );
        let rows: Vec<(&str, &str, usize)> = c
            .trainees
            .iter()
            .map(|t| (t.name.as_str(), t.key.as_str(), t.store.attempts.len()))
            .collect();
        assert_eq!(
            rows,
            [
                ("Li", "mailto:li@example.com", 2),
                ("Wang", "account:Wang", 1)
            ]
        );
    }

    /// An exam attempt of run `run` (its verdict not known yet).
    fn exam_attempt(id: &str, run: &str, start: f64, hits: &[(&str, bool)]) -> Attempt {
        let mut a = attempt(id, "late", start, hits, true);
        a.turns.push(TurnRecord {
            turn: "t2".into(),
            reply: "second".into(),
            ..a.turns[0].clone()
        });
        a.exam_run = Some(crate::exam::ExamTag {
            run: run.into(),
            exam: "foundation".into(),
            title: "Foundation".into(),
            of: 1,
            pass_mark: 60,
            total: None,
            passed: None,
        });
        a
    }

    #[test]
    fn every_source_gives_one_dashboard_for_every_kind_of_trainee() {
        use crate::xapi::{Identity, Outbox, Sending};
        let site = Base::new("https://kefu.example/kefu-dojo").unwrap();
        let home = Base::new("https://hr.example/staff").unwrap();
        for who in [
            Identity::new("Li Wei", "li.wei@example.com").unwrap(),
            Identity::new("Li Wei", "E1024").unwrap(),
            Identity::new("王芳", "").unwrap(),
        ] {
            let actor = who.actor(&home);
            // Played as the LRS sees it: the exam's scenario is queued before the exam ends
            // (its record carries no verdict yet), then the exam's own statement.
            let mut store = Store::default();
            store.upsert(attempt("p1", "refund", 1000.0, &[("apology", true)], false));
            store.upsert(exam_attempt("x1", "run1", 5000.0, &[("apology", false)]));
            let mut outbox = Outbox::default();
            outbox.enqueue(&store, &actor, &site, &Sending::default());
            let tag = store.attempts[1].exam_run.as_mut().unwrap();
            (tag.total, tag.passed) = (Some(42), Some(false));
            outbox.enqueue(&store, &actor, &site, &Sending::default());
            let mut lrs = outbox.pending.clone();
            assert_eq!(lrs.len(), 3 + 4 + 1, "replies, ends, the exam");
            // An LRS may answer newest first (Ralph on ClickHouse).
            lrs.reverse();
            let mut from_lrs = Cohort::default();
            from_lrs.add_statements(&lrs);
            let xapi = serde_json::to_string(&store.to_xapi_as(&actor, &site)).unwrap();
            let mut from_xapi = Cohort::default();
            assert_eq!(from_xapi.add_file(&xapi, "x.json").map(|r| r.len()), Ok(2));
            let mut from_json = Cohort::default();
            assert_eq!(
                from_json
                    .add_file(&store.to_json_as(Some(&who)), "y.json")
                    .map(|r| r.len()),
                Ok(2)
            );
            let f = Filter::default();
            let r = from_lrs.report(&f);
            assert_eq!(r.rows.len(), 1, "{who:?}");
            assert_eq!(r.rows[0].key, who.key());
            assert_eq!(r.rows[0].name, who.name);
            assert_eq!(r, from_xapi.report(&f), "LRS and xAPI export: {who:?}");
            assert_eq!(r, from_json.report(&f), "LRS and JSON export: {who:?}");
            // The exam's verdict is read from its statement.
            let e = &r.rows[0].exams;
            assert_eq!(e.len(), 1);
            assert_eq!(
                (e[0].exam.as_str(), e[0].total, e[0].passed),
                ("foundation", 42, false)
            );
            assert!(
                r.to_csv().contains(",1,0,Foundation,42,false,"),
                "{}",
                r.to_csv()
            );
            // Turns in the order played, though read newest first.
            let x = &from_lrs.trainees[0].store.attempts;
            let x1 = x.iter().find(|a| a.id == "x1").unwrap();
            assert_eq!(
                x1.turns
                    .iter()
                    .map(|t| t.reply.as_str())
                    .collect::<Vec<_>>(),
                ["r", "second"]
            );
            // All three at once: one trainee.
            let mut all = Cohort::default();
            all.add_statements(&lrs);
            all.add_file(&xapi, "x.json").unwrap();
            all.add_file(&store.to_json_as(Some(&who)), "y.json")
                .unwrap();
            assert_eq!(all.report(&f), r);
        }
    }

    /// A trainee's JSON export and xAPI export (and the LRS's statements, sent without the
    /// replies' text) are the same attempts: loaded together they count once — in the grid, the
    /// scenarios' table, the trainee's attempts and what the pick of files is said to hold.
    #[test]
    fn one_attempt_from_two_sources_counts_once() {
        use crate::xapi::{Outbox, Sending};
        let site = Base::new("https://kefu.example/kefu-dojo").unwrap();
        let who = Identity::new("王芳", "wang.fang@example.com").unwrap();
        let actor = who.actor(&site);
        let mut store = Store::default();
        store.upsert(attempt("p1", "refund", 1000.0, &[("apology", true)], false));
        store.upsert(exam_attempt("x1", "run1", 5000.0, &[("apology", false)]));
        let unfinished = {
            let mut a = attempt("u1", "late", 9000.0, &[("empathy", true)], false);
            (a.finished_ms, a.outcome) = (None, None);
            a
        };
        store.upsert(unfinished);
        let json = store.to_json_as(Some(&who));
        let xapi = serde_json::to_string(&store.to_xapi_as(&actor, &site)).unwrap();
        // Sent to an LRS with "include the text of my replies" off.
        let mut outbox = Outbox::default();
        let quiet = Sending {
            text: false,
            ..Sending::default()
        };
        outbox.enqueue(&store, &actor, &site, &quiet);
        let lrs = outbox.pending.clone();
        // Our statements without the attempt extension (another tool's copy): keyed by
        // `context.registration`, the v5 UUID of the attempt's id.
        let bare: Vec<Value> = store
            .to_xapi_as(&actor, &site)
            .as_array()
            .unwrap()
            .iter()
            .map(|st| {
                let mut st = st.clone();
                st["context"]["extensions"] = serde_json::json!({});
                st
            })
            .collect();
        let f = Filter::default();
        let mut alone = Cohort::default();
        alone.add_file(&json, "a.json").unwrap();
        let once = alone.report(&f);
        assert_eq!(once.rows[0].attempts, 3);
        type Source<'a> = (&'a str, Box<dyn Fn(&mut Cohort) -> Read + 'a>);
        let sources: Vec<Source> = vec![
            ("json", Box::new(|c| c.add_file(&json, "a.json").unwrap())),
            ("xapi", Box::new(|c| c.add_file(&xapi, "b.json").unwrap())),
            ("lrs", Box::new(|c| c.add_statements(&lrs))),
            ("bare", Box::new(|c| c.add_statements(&bare))),
        ];
        for (i, (a, add_a)) in sources.iter().enumerate() {
            for (j, (b, add_b)) in sources.iter().enumerate() {
                if i == j {
                    continue;
                }
                let mut c = Cohort::default();
                let first = add_a(&mut c);
                assert_eq!(first.added(), 3, "{a}: all new");
                let second = add_b(&mut c);
                // The dashboard says a file loaded again (or another copy) adds nothing.
                assert_eq!(
                    (second.len(), second.added()),
                    (3, 0),
                    "{a} then {b}: 3 attempts, none new"
                );
                let mut read = first;
                read.extend(second);
                assert_eq!(read.len(), 3, "{a} then {b}: the pick holds 3 attempts");
                assert_eq!(read.added(), 3, "{a} then {b}: 3 new in all");
                assert_eq!(c.trainees.len(), 1, "{a} then {b}");
                let ids: Vec<&str> = c.trainees[0]
                    .store
                    .attempts
                    .iter()
                    .map(|x| x.id.as_str())
                    .collect();
                assert_eq!(ids, ["p1", "x1", "u1"], "{a} then {b}: each attempt once");
                let r = c.report(&f);
                assert_eq!(r.rows[0].attempts, 3, "{a} then {b}");
                assert_eq!(
                    (r.rows[0].finished, r.rows[0].passed),
                    (once.rows[0].finished, once.rows[0].passed),
                    "{a} then {b}"
                );
                assert_eq!(r.rows[0].cells, once.rows[0].cells, "{a} then {b}");
                assert_eq!(r.scenarios, once.scenarios, "{a} then {b}");
                // The replies' text, from whichever source has it.
                let x1 = &c.trainees[0].store.attempts[1];
                assert_eq!(
                    x1.turns
                        .iter()
                        .map(|t| t.reply.as_str())
                        .collect::<Vec<_>>(),
                    ["r", "second"],
                    "{a} then {b}"
                );
            }
        }
    }

    #[test]
    fn a_large_array_is_read_in_pieces_as_a_whole() {
        let text = r#" [ {"a": "x,]\"}{"}, [1, [2]] ,"s]", 3 , {"b": {"c": []}}, null ] "#;
        let whole: Vec<Value> = serde_json::from_str(text).unwrap();
        for n in 1..=7 {
            let mut chunks = ArrayChunks::new(text).unwrap();
            let mut got = Vec::new();
            while let Some(c) = chunks.next_chunk(n) {
                let c = c.unwrap();
                assert!(c.len() <= n);
                got.extend(c);
            }
            assert_eq!(got, whole, "by {n}");
        }
        assert!(ArrayChunks::new(" {}").is_none());
        let mut empty = ArrayChunks::new("[ ]").unwrap();
        assert!(empty.next_chunk(5).is_none());
        let mut cut = ArrayChunks::new("[1, {\"a\": [").unwrap();
        assert_eq!(cut.next_chunk(1).unwrap().unwrap(), vec![Value::from(1)]);
        assert!(cut.next_chunk(1).unwrap().is_err());
        assert!(cut.next_chunk(1).is_none());
    }
}
