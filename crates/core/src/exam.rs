//! Exams: a trainer's exam file as the app gets it (checked by `kefu_check::exam`, shipped in
//! the `view::Bundle`), the seeded draw of its scenarios, a run as stored while it is taken,
//! and its result. Pure: the app renders these and stores the run.

use crate::judgement::ScenarioKind;
use crate::principles;
use crate::progress::Attempt;
use crate::scenario::Loc;
use crate::view::Library;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One exam: what is drawn, how long it may take, what it takes to pass.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exam {
    pub id: String,
    pub title: Loc,
    /// What the exam covers, for its landing page.
    #[serde(default)]
    pub intro: Option<Loc>,
    /// Drawn in order, each from its own pool, never the same scenario twice.
    pub draws: Vec<Draw>,
    /// The total (mean of the scenario scores, 0–100) needed to pass.
    pub pass_mark: u8,
    /// Minutes for the whole exam; when they run out the exam ends.
    pub time_limit_mins: u32,
    /// Whether the hint button is there during the exam.
    pub hints: bool,
}

/// `count` scenarios drawn from a pool: the scenarios named in `from` (all of `kind` when it
/// is given), or, with no `from`, every scenario of `kind` in the library.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draw {
    #[serde(default)]
    pub kind: Option<ScenarioKind>,
    #[serde(default)]
    pub from: Vec<String>,
    pub count: usize,
}

/// Why an exam cannot be drawn from this library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// Scenarios the exam names that the library does not have (a file missing or broken).
    Missing(Vec<String>),
    /// A draw (0-based) whose pool has fewer scenarios than it draws.
    TooFew {
        draw: usize,
        have: usize,
        need: usize,
    },
}

impl Exam {
    /// How many scenarios an attempt plays.
    pub fn count(&self) -> usize {
        self.draws.iter().map(|d| d.count).sum()
    }

    /// The ids a draw may pick from in this library, sorted.
    pub fn pool(&self, d: &Draw, lib: &Library) -> Vec<String> {
        let mut ids: Vec<String> = if d.from.is_empty() {
            lib.scenarios
                .iter()
                .filter(|s| d.kind.is_some_and(|k| s.kind == k))
                .map(|s| s.id.clone())
                .collect()
        } else {
            d.from
                .iter()
                .filter(|id| lib.get(id).is_some())
                .cloned()
                .collect()
        };
        ids.sort();
        ids.dedup();
        ids
    }

    /// Every scenario some attempt may play (the pools together).
    pub fn pool_size(&self, lib: &Library) -> usize {
        let mut all: Vec<String> = self.draws.iter().flat_map(|d| self.pool(d, lib)).collect();
        all.sort();
        all.dedup();
        all.len()
    }

    /// The scenarios the exam names that the library does not have.
    pub fn missing(&self, lib: &Library) -> Vec<String> {
        let mut m: Vec<String> = self
            .draws
            .iter()
            .flat_map(|d| d.from.iter())
            .filter(|id| lib.get(id).is_none())
            .cloned()
            .collect();
        m.dedup();
        m
    }

    /// The scenarios of one attempt, drawn with `seed`: the same seed and library give the same
    /// scenarios in the same order. Each draw picks from its pool what earlier draws left; the
    /// whole set is then shuffled.
    pub fn draw(&self, lib: &Library, seed: u64) -> Result<Vec<String>, DrawError> {
        let missing = self.missing(lib);
        if !missing.is_empty() {
            return Err(DrawError::Missing(missing));
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let mut out: Vec<String> = Vec::new();
        for (i, d) in self.draws.iter().enumerate() {
            let mut pool: Vec<String> = self
                .pool(d, lib)
                .into_iter()
                .filter(|id| !out.contains(id))
                .collect();
            if pool.len() < d.count {
                return Err(DrawError::TooFew {
                    draw: i,
                    have: pool.len(),
                    need: d.count,
                });
            }
            for k in 0..d.count {
                let j = rng.random_range(k..pool.len());
                pool.swap(k, j);
            }
            out.extend(pool.into_iter().take(d.count));
        }
        for i in (1..out.len()).rev() {
            let j = rng.random_range(0..=i);
            out.swap(i, j);
        }
        Ok(out)
    }
}

/// What an exam attempt's scenario records carry: which run they belong to (history keeps
/// them apart) and, once the exam is over, its result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExamTag {
    /// The run's id, shared by its scenarios.
    pub run: String,
    pub exam: String,
    /// The exam's title, in the language it was taken in.
    pub title: String,
    /// How many scenarios the run drew.
    pub of: usize,
    pub pass_mark: u8,
    /// The run's total and whether it passed, once it is over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub passed: Option<bool>,
}

/// An exam being taken (or just taken), as stored: a reload resumes it, and the clock keeps
/// running while the trainee is away.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: String,
    pub exam: String,
    pub seed: u64,
    /// The scenarios drawn, in the order they are played.
    pub ids: Vec<String>,
    pub started_ms: f64,
    /// The time allowed, in ms.
    pub limit_ms: f64,
    pub pass_mark: u8,
    /// One per scenario played, in order (the last one cut short if time ran out in it).
    #[serde(default)]
    pub attempts: Vec<Attempt>,
    #[serde(default)]
    pub finished_ms: Option<f64>,
    #[serde(default)]
    pub timed_out: bool,
}

/// A principle over an exam's turns: shown (for a violation: committed) in `n` of `of` turns
/// (the turns that asked for it; every turn for a violation).
#[derive(Debug, Clone, PartialEq)]
pub struct PrincipleResult {
    pub id: String,
    pub violation: bool,
    pub n: u32,
    pub of: u32,
}

/// One drawn scenario's part of the result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioResult<'a> {
    pub scenario: &'a str,
    /// What was played (`None`: not reached before time ran out).
    pub attempt: Option<&'a Attempt>,
    /// Its score in the total: the attempt's score if it was finished, else 0.
    pub score: u8,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RunResult<'a> {
    pub total: u8,
    pub passed: bool,
    pub scenarios: Vec<ScenarioResult<'a>>,
    pub principles: Vec<PrincipleResult>,
}

impl Run {
    pub fn new(exam: &Exam, ids: Vec<String>, seed: u64, now_ms: f64) -> Run {
        Run {
            id: format!("{}-{seed}-{}", exam.id, now_ms as u64),
            exam: exam.id.clone(),
            seed,
            ids,
            started_ms: now_ms,
            limit_ms: f64::from(exam.time_limit_mins) * 60_000.0,
            pass_mark: exam.pass_mark,
            attempts: Vec::new(),
            finished_ms: None,
            timed_out: false,
        }
    }

    pub fn finished(&self) -> bool {
        self.finished_ms.is_some()
    }

    /// The scenario to play now (none once the exam is over).
    pub fn current(&self) -> Option<&str> {
        if self.finished() {
            return None;
        }
        self.ids.get(self.attempts.len()).map(String::as_str)
    }

    /// Milliseconds left (0 once time is up).
    pub fn remaining_ms(&self, now_ms: f64) -> f64 {
        (self.started_ms + self.limit_ms - now_ms).max(0.0)
    }

    /// The warning the trainee has had by `now_ms`, in minutes left: 5 once five minutes are
    /// left, then 1 once one is (still 1 at the end), none before or once the run is over. A
    /// warning is given only if the limit is longer than it: an exam of 5 minutes has no
    /// "5 minutes left" at its start, one of 1 minute none at all.
    pub fn warning(&self, now_ms: f64) -> Option<u32> {
        let left = self.remaining_ms(now_ms);
        [1, 5].into_iter().find(|&m| {
            let ms = f64::from(m) * 60_000.0;
            !self.finished() && left <= ms && self.limit_ms > ms
        })
    }

    /// Time is up and the run is not marked over yet.
    pub fn due(&self, now_ms: f64) -> bool {
        !self.finished() && self.remaining_ms(now_ms) <= 0.0
    }

    /// The trainee finished the current scenario with `a`.
    pub fn finish_scenario(&mut self, a: Attempt, now_ms: f64) {
        if self.current() != Some(a.scenario.as_str()) {
            return;
        }
        self.attempts.push(a);
        if self.attempts.len() == self.ids.len() {
            self.finished_ms = Some(now_ms);
        }
    }

    /// Time ran out: what was played of the current scenario (if anything) is kept, unfinished.
    pub fn time_up(&mut self, partial: Option<Attempt>, now_ms: f64) {
        if self.finished() {
            return;
        }
        if let (Some(a), Some(cur)) = (partial, self.current()) {
            if a.scenario == cur && !a.turns.is_empty() {
                self.attempts.push(a);
            }
        }
        self.timed_out = true;
        // It ended at the deadline, however late this is told (a tick, a page opened again).
        self.finished_ms = Some(now_ms.min(self.started_ms + self.limit_ms));
    }

    /// The tag of this run's scenario records, with the result once the run is over.
    pub fn tag(&self, title: &str) -> ExamTag {
        let r = self.finished().then(|| self.result());
        ExamTag {
            run: self.id.clone(),
            exam: self.exam.clone(),
            title: title.to_string(),
            of: self.ids.len(),
            pass_mark: self.pass_mark,
            total: r.as_ref().map(|r| r.total),
            passed: r.as_ref().map(|r| r.passed),
        }
    }

    /// The total (the mean over every scenario drawn; one not finished scores 0), pass or
    /// fail by the pass mark, each scenario, and each principle over every turn played.
    pub fn result(&self) -> RunResult<'_> {
        let scenarios: Vec<ScenarioResult> = self
            .ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let attempt = self.attempts.get(i).filter(|a| a.scenario == *id);
                ScenarioResult {
                    scenario: id,
                    attempt,
                    score: attempt.filter(|a| a.finished()).map_or(0, Attempt::score),
                }
            })
            .collect();
        let sum: u32 = scenarios.iter().map(|s| u32::from(s.score)).sum();
        let total = if scenarios.is_empty() {
            0
        } else {
            (f64::from(sum) / scenarios.len() as f64).round() as u8
        };
        let attempts: Vec<&Attempt> = self.attempts.iter().collect();
        RunResult {
            total,
            passed: !scenarios.is_empty() && total >= self.pass_mark,
            scenarios,
            principles: principle_results(&attempts),
        }
    }
}

/// Each principle over the turns of these attempts, in the rulebook's order: a positive
/// principle over the turns that asked for it, a violation over every turn.
pub fn principle_results(attempts: &[&Attempt]) -> Vec<PrincipleResult> {
    let mut n: BTreeMap<&str, (u32, u32)> = BTreeMap::new();
    for t in attempts.iter().flat_map(|a| a.turns.iter()) {
        for (id, hit) in &t.principles {
            let violation = principles::get(id).is_some_and(|p| p.violation);
            if !violation && !t.expects(id) {
                continue;
            }
            let e = n.entry(id.as_str()).or_default();
            e.1 += 1;
            e.0 += u32::from(*hit);
        }
    }
    principles::all()
        .iter()
        .filter_map(|p| {
            n.get(p.id.as_str()).map(|&(k, of)| PrincipleResult {
                id: p.id.to_string(),
                violation: p.violation,
                n: k,
                of,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use std::rc::Rc;

    fn scenario(id: &str, kind: ScenarioKind) -> Scenario {
        let mut s: Scenario = serde_json::from_value(serde_json::json!({
            "id": id, "kind": "general", "languages": ["en"], "product": null, "difficulty": 1,
            "minutes": 3, "title": {"en": id}, "brief": {"en": "b"}, "customer_name": {"en": "c"},
            "persona": null, "mood": 50, "gives_up": 0, "placeholders": {}, "start": 0,
            "max_turns": 3, "turns": [], "endings": []
        }))
        .unwrap();
        s.kind = kind;
        s
    }

    fn lib() -> Library {
        let mut l = Library::default();
        for (i, k) in [
            ScenarioKind::Angry,
            ScenarioKind::Objection,
            ScenarioKind::Product,
        ]
        .into_iter()
        .enumerate()
        {
            for j in 0..3 {
                l.scenarios
                    .push(Rc::new(scenario(&format!("{}-{j}", k.id()), k)));
            }
            let _ = i;
        }
        l
    }

    fn exam(draws: Vec<Draw>) -> Exam {
        Exam {
            id: "e".into(),
            title: Loc::default(),
            intro: None,
            draws,
            pass_mark: 70,
            time_limit_mins: 20,
            hints: false,
        }
    }

    fn pool6() -> Exam {
        let from = [
            "angry-0",
            "angry-1",
            "angry-2",
            "objection-0",
            "objection-1",
            "product-0",
        ];
        exam(vec![Draw {
            kind: None,
            from: from.iter().map(|s| s.to_string()).collect(),
            count: 3,
        }])
    }

    #[test]
    fn a_seed_replays_its_draw_and_other_seeds_draw_other_sets() {
        let (e, l) = (pool6(), lib());
        let a = e.draw(&l, 1).unwrap();
        assert_eq!(a.len(), 3);
        assert_eq!(e.draw(&l, 1).unwrap(), a, "the same seed, the same draw");
        let mut sets: Vec<Vec<String>> = (0..40)
            .map(|s| {
                let mut v = e.draw(&l, s).unwrap();
                v.sort();
                v
            })
            .collect();
        sets.sort();
        sets.dedup();
        // C(6,3) = 20 possible sets: 40 seeds find most of them, never a repeat inside one.
        assert!(sets.len() >= 12, "{} distinct sets", sets.len());
        for s in &sets {
            let mut d = s.clone();
            d.dedup();
            assert_eq!(d.len(), 3);
        }
        // Every scenario of the pool gets drawn by some seed.
        let seen: std::collections::BTreeSet<&String> = sets.iter().flatten().collect();
        assert_eq!(seen.len(), 6);
    }

    #[test]
    fn a_pool_per_kind_draws_that_kind_and_never_twice() {
        let e = exam(vec![
            Draw {
                kind: Some(ScenarioKind::Angry),
                from: vec![],
                count: 2,
            },
            Draw {
                kind: Some(ScenarioKind::Product),
                from: vec![],
                count: 1,
            },
            Draw {
                kind: None,
                from: vec!["angry-0".into(), "angry-1".into(), "objection-2".into()],
                count: 1,
            },
        ]);
        let l = lib();
        assert_eq!(e.count(), 4);
        for seed in 0..30 {
            let d = e.draw(&l, seed).unwrap();
            let kind = |k: &str| d.iter().filter(|x| x.starts_with(k)).count();
            assert!(kind("angry") >= 2 && kind("product") == 1, "{d:?}");
            let mut u = d.clone();
            u.sort();
            u.dedup();
            assert_eq!(u.len(), 4, "no scenario twice: {d:?}");
        }
        assert_eq!(e.pool_size(&l), 7);
    }

    #[test]
    fn missing_scenarios_and_short_pools_are_reported_not_drawn() {
        let mut e = pool6();
        e.draws[0].from.push("angry-gone".into());
        assert_eq!(
            e.draw(&lib(), 3),
            Err(DrawError::Missing(vec!["angry-gone".into()]))
        );
        let e = exam(vec![Draw {
            kind: Some(ScenarioKind::Objection),
            from: vec![],
            count: 5,
        }]);
        assert_eq!(
            e.draw(&lib(), 3),
            Err(DrawError::TooFew {
                draw: 0,
                have: 3,
                need: 5
            })
        );
    }

    fn attempt(id: &str, scores: &[u8], finished: bool) -> Attempt {
        let mut a: Attempt = serde_json::from_value(serde_json::json!({
            "id": format!("{id}-1-1"), "scenario": id, "title": id, "kind": "angry", "lang": "en",
            "seed": 1, "started_ms": 1, "exam": true
        }))
        .unwrap();
        a.finished_ms = finished.then_some(2.0);
        a.turns = scores
            .iter()
            .map(|&s| {
                serde_json::from_value(serde_json::json!({
                    "turn": "t", "customer": "c", "reply": "r", "score": s,
                    "principles": {"apology": s >= 50, "blame": s < 30, "facts": true},
                    "expected": ["apology"]
                }))
                .unwrap()
            })
            .collect();
        a
    }

    #[test]
    fn warnings_come_at_five_minutes_then_one_and_only_if_the_limit_is_longer() {
        let min = 60_000.0;
        let at = |limit: u32, left_ms: f64| {
            let mut e = pool6();
            e.time_limit_mins = limit;
            let r = Run::new(&e, vec!["a".into()], 1, 1000.0);
            r.warning(1000.0 + r.limit_ms - left_ms)
        };
        // 30 minutes: nothing until five are left, then 5 (through 1:00.001), then 1.
        assert_eq!(at(30, 30.0 * min), None);
        assert_eq!(at(30, 5.0 * min + 1.0), None);
        assert_eq!(at(30, 5.0 * min), Some(5));
        assert_eq!(at(30, 3.0 * min), Some(5));
        assert_eq!(at(30, min + 1.0), Some(5));
        assert_eq!(at(30, min), Some(1));
        assert_eq!(at(30, 1.0), Some(1));
        assert_eq!(at(30, 0.0), Some(1), "still the last one at the end");
        assert_eq!(
            at(30, -min),
            Some(1),
            "and past it, until the run is marked over"
        );
        // 5 minutes: no "5 minutes left" at the start, nor later; 1 minute when it comes.
        assert_eq!(at(5, 5.0 * min), None);
        assert_eq!(at(5, 2.0 * min), None);
        assert_eq!(at(5, min), Some(1));
        // 6 minutes: 5 a minute in. 2 minutes: only 1. 1 minute: none at all.
        assert_eq!(at(6, 6.0 * min), None);
        assert_eq!(at(6, 5.0 * min), Some(5));
        assert_eq!(at(2, 2.0 * min), None);
        assert_eq!(at(2, min + 1.0), None);
        assert_eq!(at(2, min), Some(1));
        assert_eq!(at(1, min), None);
        assert_eq!(at(1, 1.0), None);
        // A run that is over has no warning.
        let mut r = Run::new(&pool6(), vec!["a".into()], 1, 0.0);
        r.time_up(None, 20.0 * min);
        assert_eq!(r.warning(20.0 * min - 30_000.0), None);
    }

    #[test]
    fn the_result_counts_every_drawn_scenario_and_cuts_by_the_pass_mark() {
        let e = pool6();
        let mut r = Run::new(&e, vec!["a".into(), "b".into(), "c".into()], 9, 1000.0);
        assert_eq!(r.limit_ms, 20.0 * 60_000.0);
        assert_eq!(r.current(), Some("a"));
        // An attempt for another scenario than the current one is not taken.
        r.finish_scenario(attempt("b", &[90], true), 2000.0);
        assert_eq!(r.attempts.len(), 0);
        r.finish_scenario(attempt("a", &[90, 80], true), 2000.0);
        assert_eq!(r.current(), Some("b"));
        assert!(!r.due(1000.0 + 19.0 * 60_000.0));
        assert!(r.due(1000.0 + 20.0 * 60_000.0));
        // Time runs out in b after one reply: b is kept unfinished (0), c not reached (0).
        let mut late = r.clone();
        r.time_up(Some(attempt("b", &[100], false)), 5000.0);
        assert!(r.finished() && r.timed_out && r.current().is_none());
        // Told late (the page opened again an hour on): the run ended at its deadline.
        late.time_up(None, 1000.0 + 80.0 * 60_000.0);
        assert_eq!(late.finished_ms, Some(1000.0 + 20.0 * 60_000.0));
        let res = r.result();
        assert_eq!(
            res.scenarios.iter().map(|s| s.score).collect::<Vec<_>>(),
            [85, 0, 0]
        );
        assert_eq!(res.total, 28);
        assert!(!res.passed);
        assert!(res.scenarios[2].attempt.is_none());
        // Apology asked in all three turns played, shown in all; blame committed in none;
        // facts never asked, so not counted.
        let ap = res.principles.iter().find(|p| p.id == "apology").unwrap();
        assert_eq!((ap.n, ap.of), (3, 3));
        let bl = res.principles.iter().find(|p| p.id == "blame").unwrap();
        assert_eq!((bl.n, bl.of, bl.violation), (0, 3, true));
        assert!(!res.principles.iter().any(|p| p.id == "facts"));
        let tag = r.tag("T");
        assert_eq!((tag.total, tag.passed, tag.of), (Some(28), Some(false), 3));

        let mut ok = Run::new(&e, vec!["a".into()], 9, 0.0);
        assert_eq!(ok.tag("T").total, None, "no result before the end");
        ok.finish_scenario(attempt("a", &[70], true), 10.0);
        assert!(ok.finished() && !ok.timed_out);
        let res = ok.result();
        assert_eq!(
            (res.total, res.passed),
            (70, true),
            "the pass mark is reached"
        );
    }

    #[test]
    fn a_run_and_an_exam_round_trip_through_json() {
        let e = pool6();
        let j = serde_json::to_string(&e).unwrap();
        assert_eq!(serde_json::from_str::<Exam>(&j).unwrap(), e);
        let mut r = Run::new(&e, vec!["a".into()], 1, 5.0);
        r.finish_scenario(attempt("a", &[50], true), 6.0);
        let j = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Run>(&j).unwrap(), r);
    }

    #[test]
    fn attempts_keep_their_run_through_json_and_xapi_and_old_records_load_without_one() {
        use crate::progress::Store;
        // A record written before runs were kept.
        let old = attempt("a", &[80], true);
        assert_eq!(old.exam_run, None);
        let mut r = Run::new(&pool6(), vec!["a".into()], 3, 0.0);
        let mut a = attempt("a", &[80], true);
        a.exam_run = Some(r.tag("Foundation"));
        r.finish_scenario(a.clone(), 1.0);
        a.exam_run = Some(r.tag("Foundation"));
        let mut s = Store::default();
        s.upsert(a.clone());
        let back = Store::from_json(&s.to_json()).unwrap();
        assert_eq!(back.attempts[0].exam_run, a.exam_run);
        let x = Store::from_xapi(&s.to_xapi("T", "https://example.org/kefu")).unwrap();
        assert_eq!(x.attempts[0].exam_run, a.exam_run);
        assert_eq!(a.exam_run.unwrap().total, Some(80));
    }
}
