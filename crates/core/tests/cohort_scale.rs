//! The dashboard's aggregation at the scale: 200 trainees × 50 sessions (6 replies
//! each, 80,000 statements), from statements to the report. Prints the time (a measurement for
//! the record, not a timed assertion) and checks the totals. `examples/cohort.rs` (`make bench`)
//! times the same cohort in release.

use kefu_core::cohort::{Cohort, Filter, Kind};
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles::Lang;
use kefu_core::progress::{Attempt, Store, TurnRecord};
use kefu_core::scenario::Outcome;
use kefu_core::xapi::{Base, Identity};
use std::time::Instant;

const PRINCIPLES: [&str; 6] = [
    "apology",
    "empathy",
    "solution",
    "timeliness",
    "blame",
    "jargon",
];

pub fn cohort_statements(trainees: usize, sessions: usize) -> Vec<serde_json::Value> {
    let b = Base::new("https://example.org/kefu-dojo").unwrap();
    let mut all = Vec::new();
    for t in 0..trainees {
        let who = Identity::new(&format!("Trainee {t}"), &format!("t{t}@example.com")).unwrap();
        let mut s = Store::default();
        for k in 0..sessions {
            let start = 1_764_000_000_000.0 + (k * 86_400_000) as f64;
            s.upsert(Attempt {
                id: format!("s{}-{t}-{k}", k % 10),
                scenario: format!("s{}", k % 10),
                title: format!("Scenario {}", k % 10),
                kind: ScenarioKind::Angry,
                lang: Lang::ZhHans,
                seed: k as u64,
                started_ms: start,
                finished_ms: Some(start + 300_000.0),
                outcome: Some(if (t + k) % 3 == 0 {
                    Outcome::Lost
                } else {
                    Outcome::Resolved
                }),
                exam: k % 5 == 0,
                exam_run: None,
                pace: Default::default(),
                turns: (0..6)
                    .map(|i| TurnRecord {
                        turn: format!("turn{i}"),
                        customer: "您好，我的包裹呢？".into(),
                        reply: "非常抱歉让您久等了，我马上为您查询。".into(),
                        secs: Some(20.0),
                        score: ((t * 7 + k * 3 + i) % 100) as u8,
                        principles: PRINCIPLES
                            .iter()
                            .enumerate()
                            .map(|(j, p)| (p.to_string(), (t + k + i + j) % 3 != 0))
                            .collect(),
                        expected: Some(vec!["apology".into(), "empathy".into(), "solution".into()]),
                    })
                    .collect(),
            });
        }
        all.extend(
            s.to_xapi_as(&who.actor(&b), &b)
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
    }
    all
}

#[test]
fn two_hundred_trainees_by_fifty_sessions() {
    let st = cohort_statements(200, 50);
    assert_eq!(st.len(), 200 * 50 * 8);
    let t = Instant::now();
    let mut c = Cohort::default();
    c.add_statements(&st);
    let read = t.elapsed();
    let t = Instant::now();
    let r = c.report(&Filter::default());
    let report = t.elapsed();
    let t = Instant::now();
    let ex = c.report(&Filter {
        kind: Kind::Exam,
        ..Filter::default()
    });
    let filtered = t.elapsed();
    let csv = r.to_csv();
    eprintln!(
        "cohort 200 × 50 ({} statements): read {read:?}, report {report:?}, filtered report {filtered:?} (this build's profile: {})",
        st.len(),
        if cfg!(debug_assertions) { "debug" } else { "release" }
    );
    assert_eq!(r.rows.len(), 200);
    assert!(r
        .rows
        .iter()
        .all(|row| row.attempts == 50 && row.scores.len() == 50));
    assert_eq!(ex.rows[0].attempts, 10);
    assert_eq!(r.scenarios.len(), 10);
    assert_eq!(r.scenarios.iter().map(|s| s.attempts).sum::<u32>(), 10_000);
    // Every expected turn counted once: 200 × 50 × 6 turns for apology.
    let apology = r.weakest.iter().find(|w| w.0 == "apology").unwrap().1;
    assert_eq!(apology.of, 60_000);
    assert_eq!(csv.lines().count(), 201);
}
