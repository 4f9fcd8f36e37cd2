//! Golden tests of the judge: for every reply of our labelled sets, the exact principles it is
//! judged to show are kept in `tests/data/golden/NAME.hits.jsonl`. Any change in detection shows
//! up here as a per-reply diff, with the gold label beside it (✓ the change agrees with the
//! labellers, ✗ it does not), so a reviewer sees what a rule really moved. After review,
//! `make golden` (UPDATE_GOLDEN=1) writes the new expectations.
//!
//! The locked validation part is compared like the others, but a diff there prints only counts,
//! never its replies: no rule is written from it.

use kefu_dojo::corpus;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

const SETS: &[&str] = &[
    "tests/data/trainee/tuning.jsonl",
    "tests/data/trainee/validation.jsonl",
    // A round's tuning side the heads have not learned yet (empty when there is none).
    "tests/data/trainee/pending.jsonl",
    "tests/data/labelled.jsonl",
];

fn golden_path(set: &str) -> String {
    let name = Path::new(set)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a set has a file name");
    format!("tests/data/golden/{name}.hits.jsonl")
}

/// `id → principles hit`, in the set's order (and each judgement's JSON checked).
fn judge_set(
    set: &str,
    scenarios: &BTreeMap<String, kefu_core::scenario::Scenario>,
) -> Vec<(String, Vec<String>, Value)> {
    let src = std::fs::read_to_string(set).unwrap_or_else(|e| panic!("{set}: {e}"));
    src.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{set}: {e}"));
            let j = corpus::judge_line(&v, scenarios)
                .unwrap_or_else(|| panic!("{set}: a line without text"));
            let id = v["id"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| v["id"].to_string());
            // The engine writes judgements by hand (`judgement::write`, #17): byte for byte what
            // serde_json writes, for every reply of every set (only the id is named: the locked
            // part's replies are never printed).
            assert!(
                j.to_json() == serde_json::to_string(&j).expect("a judgement is JSON"),
                "{set}: {id}: the judgement's hand-written JSON is not serde_json's"
            );
            let hits = j
                .principles
                .iter()
                .filter(|(_, f)| f.hit)
                .map(|(k, _)| k.clone())
                .collect();
            (id, hits, v)
        })
        .collect()
}

#[test]
fn every_labelled_reply_is_judged_as_its_golden_file_says() {
    let (scenarios, broken) = corpus::scenarios(Path::new("scenarios"));
    // A scenario that fails its checks (a retrained model that fails a sample reply) would have
    // its lines judged without it: say so, not only that many judgements changed.
    assert!(
        broken.is_empty(),
        "shipped scenarios do not load (`kefu check scenarios/`): {broken:?}"
    );
    assert!(scenarios.len() >= 18, "the shipped scenarios load");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut report = Vec::new();
    for set in SETS {
        let now = judge_set(set, &scenarios);
        let path = golden_path(set);
        if update {
            let body: String = now
                .iter()
                .map(|(id, hits, _)| json!({ "id": id, "hits": hits }).to_string() + "\n")
                .collect();
            std::fs::write(&path, body).unwrap_or_else(|e| panic!("{path}: {e}"));
            continue;
        }
        let golden: BTreeMap<String, Vec<String>> = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{path}: {e} (run `make golden` to write it)"))
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("golden lines are JSON");
                let hits = v["hits"]
                    .as_array()
                    .expect("hits")
                    .iter()
                    .map(|h| h.as_str().expect("an id").to_string())
                    .collect();
                (v["id"].as_str().expect("id").to_string(), hits)
            })
            .collect();
        let locked = corpus::locked(Path::new(set));
        let (mut changed, mut toward, mut away) = (0, 0, 0);
        for (id, hits, v) in &now {
            let Some(want) = golden.get(id) else {
                report.push(format!("{set}: {id} is new (run `make golden`)"));
                continue;
            };
            if want == hits {
                continue;
            }
            changed += 1;
            let gold = corpus::gold(v);
            let mut parts = Vec::new();
            for p in hits.iter().filter(|p| !want.contains(p)) {
                let g = gold.and_then(|g| g.get(p)).and_then(Value::as_f64);
                let ok = g.map(|g| g >= 0.5);
                match ok {
                    Some(true) => toward += 1,
                    Some(false) => away += 1,
                    None => {}
                }
                parts.push(format!("+{p}{}", mark(ok)));
            }
            for p in want.iter().filter(|p| !hits.contains(p)) {
                let g = gold.and_then(|g| g.get(p)).and_then(Value::as_f64);
                let ok = g.map(|g| g < 0.5);
                match ok {
                    Some(true) => toward += 1,
                    Some(false) => away += 1,
                    None => {}
                }
                parts.push(format!("-{p}{}", mark(ok)));
            }
            if !locked {
                let text: String = v["text"].as_str().unwrap_or("").chars().take(120).collect();
                report.push(format!("{set}: {id} {}  {text}", parts.join(" ")));
            }
        }
        if changed > 0 {
            report.push(format!(
                "{set}: {changed} replies judged differently; {toward} changes agree with the labels, {away} do not"
            ));
        }
        if now.len() != golden.len() {
            report.push(format!(
                "{set}: {} replies, golden file has {}",
                now.len(),
                golden.len()
            ));
        }
    }
    assert!(
        report.is_empty(),
        "the judge changed (✓ agrees with the labels, ✗ does not); after review run `make golden`:\n{}",
        report.join("\n")
    );
}

fn mark(agrees: Option<bool>) -> &'static str {
    match agrees {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "",
    }
}
