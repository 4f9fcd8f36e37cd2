//! The trainee corpus (`tests/data/trainee/`) keeps its own rules: every line on the side of
//! the fixed split its id falls on (`sha256("kefu-split-2026:" + id) mod 100 < 35` → the locked
//! validation part), each id once across the files, each line answering a turn of a shipped
//! scenario, and labelled on all 14 principles with 0 or 1. A line moved, duplicated or
//! mislabelled by hand (or by a script) fails here, not silently in a figure.

use serde_json::Value;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const PRINCIPLES: [&str; 14] = [
    "apology",
    "empathy",
    "ownership",
    "solution",
    "blame",
    "restate",
    "probe",
    "explain",
    "follow_up",
    "address",
    "gratitude",
    "jargon",
    "rudeness",
    "close",
];

/// The fixed split: does `id` fall to the locked validation part?
fn validation_side(id: &str) -> bool {
    let digest = Sha256::digest(format!("kefu-split-2026:{id}").as_bytes());
    // The digest as a big-endian integer mod 100, a byte at a time.
    digest
        .iter()
        .fold(0u32, |r, &b| (r * 256 + u32::from(b)) % 100)
        < 35
}

#[test]
fn the_split_rule_is_the_one_the_readme_states() {
    // The first lines of each part (split by the rule in Python, method/build.py).
    let lines = |f: &str| -> Vec<String> {
        std::fs::read_to_string(f)
            .unwrap()
            .lines()
            .take(3)
            .map(|l| {
                serde_json::from_str::<Value>(l).unwrap()["id"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect()
    };
    for id in lines("tests/data/trainee/validation.jsonl") {
        assert!(validation_side(&id), "{id}");
    }
    for id in lines("tests/data/trainee/tuning.jsonl") {
        assert!(!validation_side(&id), "{id}");
    }
}

#[test]
fn every_line_is_on_its_side_of_the_split_once_at_a_shipped_turn() {
    let (scenarios, broken) = kefu_dojo::corpus::scenarios(Path::new("scenarios"));
    assert!(
        broken.is_empty(),
        "shipped scenarios do not load: {broken:?}"
    );
    let turns: BTreeMap<&str, BTreeSet<&str>> = scenarios
        .iter()
        .map(|(id, s)| (id.as_str(), s.turns.iter().map(|t| t.id.as_str()).collect()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let mut files = vec![
        ("tests/data/trainee/tuning.jsonl", false),
        ("tests/data/trainee/validation.jsonl", true),
    ];
    // A round's tuning side waiting to be learned is on the tuning side of the split too.
    if Path::new("tests/data/trainee/pending.jsonl").exists() {
        files.push(("tests/data/trainee/pending.jsonl", false));
    }
    for (file, locked) in files {
        let src = std::fs::read_to_string(file).unwrap();
        for (n, line) in src.lines().enumerate() {
            let at = format!("{file}:{}", n + 1);
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                problems.push(format!("{at}: not JSON"));
                continue;
            };
            let Some(id) = v["id"].as_str().map(str::to_string) else {
                problems.push(format!("{at}: no id"));
                continue;
            };
            if validation_side(&id) != locked {
                problems.push(format!("{at}: {id} belongs on the other side of the split"));
            }
            if !seen.insert(id.clone()) {
                problems.push(format!("{at}: {id} again"));
            }
            let (s, t) = (v["scenario"].as_str(), v["turn"].as_str());
            if !s.is_some_and(|s| {
                turns
                    .get(s)
                    .is_some_and(|ts| t.is_some_and(|t| ts.contains(t)))
            }) {
                problems.push(format!("{at}: {id} answers no shipped turn ({s:?}, {t:?})"));
            }
            if v["text"].as_str().is_none() || v["context"].as_str().is_none() {
                problems.push(format!("{at}: {id} lacks its text or the customer line"));
            }
            let gold = v["gold"].as_object();
            let labelled = gold.is_some_and(|g| {
                g.len() == PRINCIPLES.len()
                    && PRINCIPLES
                        .iter()
                        .all(|p| matches!(g.get(*p).and_then(Value::as_i64), Some(0 | 1)))
            });
            if !labelled {
                problems.push(format!(
                    "{at}: {id} is not labelled 0/1 on the 14 principles"
                ));
            }
        }
    }
    assert!(
        seen.len() > 7000,
        "the corpus is there ({} lines)",
        seen.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Our labels of real agents' replies (`tests/data/agent/`: the tuning sample and the locked
/// one) carry no reply and no id of the licensed set, only a key: 16 hex digits, each once in
/// either file (no reply is in both samples), labelled 0/1 on the 13 principles any reply is
/// judged on (not `close`: no turn asked); and where `../shared/eval/` is there, every key finds
/// the reply it was drawn from (sha256("kefu-agent-2026:" + id)), or `make eval` would skip
/// lines without a word.
#[test]
fn the_agent_labels_are_keys_and_labels_that_find_their_replies() {
    assert_eq!(PRINCIPLES[13], "close", "the 13 are the others");
    let mut keys = BTreeSet::new();
    let mut problems = Vec::new();
    for file in ["tuning", "validation"] {
        let path = format!("tests/data/agent/{file}.jsonl");
        let src = std::fs::read_to_string(&path).unwrap();
        let before = keys.len();
        for (n, line) in src.lines().enumerate() {
            let Ok(v) = serde_json::from_str::<Value>(line) else {
                problems.push(format!("{path}:{}: not JSON", n + 1));
                continue;
            };
            let fields: BTreeSet<&str> = v
                .as_object()
                .map(|o| o.keys().map(String::as_str).collect())
                .unwrap_or_default();
            if fields != BTreeSet::from(["gold", "key"]) {
                problems.push(format!(
                    "{path}:{}: holds {fields:?}, not key and gold",
                    n + 1
                ));
            }
            let key = v["key"].as_str().unwrap_or_default().to_string();
            if key.len() != 16 || !key.bytes().all(|b| b.is_ascii_hexdigit()) || !keys.insert(key) {
                problems.push(format!("{path}:{}: a bad or repeated key", n + 1));
            }
            let gold = v["gold"].as_object();
            let labelled = gold.is_some_and(|g| {
                g.len() == 13
                    && PRINCIPLES[..13]
                        .iter()
                        .all(|p| matches!(g.get(*p).and_then(Value::as_i64), Some(0 | 1)))
            });
            if !labelled {
                problems.push(format!(
                    "{path}:{}: not labelled 0/1 on the 13 principles",
                    n + 1
                ));
            }
        }
        let want = if file == "tuning" { 800 } else { 400 };
        assert_eq!(
            keys.len() - before,
            want,
            "{path}: {want} replies, none in the other sample"
        );
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let Ok(shared) = std::fs::read_to_string("../shared/eval/agent_replies_zh.jsonl") else {
        return;
    };
    let found: BTreeSet<String> = shared
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| {
            let id = v["id"].as_str()?.to_string();
            let d = Sha256::digest(format!("kefu-agent-2026:{id}").as_bytes());
            Some(d.iter().take(8).map(|b| format!("{b:02x}")).collect())
        })
        .collect();
    let missing: Vec<&String> = keys.iter().filter(|k| !found.contains(*k)).collect();
    assert!(missing.is_empty(), "keys with no reply: {missing:?}");
}
