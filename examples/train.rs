//! `make train` (`cargo run --example train`): trains the learned component of the judge
//! (`kefu_judge::learned`) from the trainee corpus's **tuning** part only, and writes
//! `data/model/learned.json`. Deterministic: the same corpus gives the same file.
//!
//! For `blame` and `rudeness`: a naive-Bayes weight (log-odds, in hundredths) for every char
//! 1–3-gram of the folded reply seen in at least `MIN_COUNT` replies and weighing at least
//! `MIN_WEIGHT`; the bias is the prior log-odds. The threshold is chosen by 5-fold
//! cross-validation on the tuning part (folds by line number mod 5): the lowest of the candidate
//! thresholds whose cross-validated precision reaches `MIN_PRECISION` (the model only adds hits
//! where the rules found none, so it must be precise). The locked validation part is never read.

use kefu_judge::learned::grams;
use kefu_judge::text::Folded;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

const TUNING: &str = "tests/data/trainee/tuning.jsonl";
const OUT: &str = "data/model/learned.json";
const PRINCIPLES: &[&str] = &["blame", "rudeness"];
const MIN_COUNT: usize = 3;
const MIN_WEIGHT: f64 = 1.0;
const MIN_PRECISION: f64 = 0.8;
const CANDIDATES: &[i64] = &[0, 200, 400, 600, 800];

struct Doc {
    grams: Vec<String>,
    gold: BTreeMap<String, bool>,
}

fn docs() -> Result<Vec<Doc>, String> {
    let src = std::fs::read_to_string(TUNING).map_err(|e| format!("{TUNING}: {e}"))?;
    let mut out = Vec::new();
    for (n, line) in src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("{TUNING}:{}: {e}", n + 1))?;
        let text = v["text"].as_str().unwrap_or_default();
        let f = Folded::new(text);
        let set: HashSet<&str> = grams(&f.text).iter().map(|&(a, b)| &f.text[a..b]).collect();
        let mut grams: Vec<String> = set.into_iter().map(str::to_string).collect();
        grams.sort();
        let gold = PRINCIPLES
            .iter()
            .map(|p| (p.to_string(), v["gold"][p].as_i64() == Some(1)))
            .collect();
        out.push(Doc { grams, gold });
    }
    Ok(out)
}

/// (bias, weights) from the docs whose index `keep` accepts.
fn fit(docs: &[Doc], p: &str, keep: impl Fn(usize) -> bool) -> (i64, BTreeMap<String, i64>) {
    let mut n = [0usize; 2];
    let mut counts: BTreeMap<&str, [usize; 2]> = BTreeMap::new();
    for (_, d) in docs.iter().enumerate().filter(|(i, _)| keep(*i)) {
        let y = usize::from(d.gold[p]);
        n[y] += 1;
        for g in &d.grams {
            counts.entry(g).or_default()[y] += 1;
        }
    }
    let (n0, n1) = (n[0] as f64, n[1] as f64);
    let bias = ((n1.max(1.0) / n0.max(1.0)).ln() * 100.0).round() as i64;
    let mut weights = BTreeMap::new();
    for (g, [b, a]) in counts {
        if a + b < MIN_COUNT {
            continue;
        }
        let w = ((a as f64 + 0.5) / (n1 + 1.0)).ln() - ((b as f64 + 0.5) / (n0 + 1.0)).ln();
        if w.abs() >= MIN_WEIGHT {
            weights.insert(g.to_string(), (w * 100.0).round() as i64);
        }
    }
    (bias, weights)
}

fn score(bias: i64, w: &BTreeMap<String, i64>, d: &Doc) -> i64 {
    bias + d.grams.iter().filter_map(|g| w.get(g)).sum::<i64>()
}

fn main() {
    let docs = match docs() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(1);
        }
    };
    let mut models = serde_json::Map::new();
    for p in PRINCIPLES {
        // 5-fold cross-validation: (tp, fp, fn) per candidate threshold.
        let mut c = vec![[0usize; 3]; CANDIDATES.len()];
        for k in 0..5 {
            let (bias, w) = fit(&docs, p, |i| i % 5 != k);
            for d in docs.iter().skip(k).step_by(5) {
                let s = score(bias, &w, d);
                for (t, thr) in CANDIDATES.iter().enumerate() {
                    match (s > *thr, d.gold[*p]) {
                        (true, true) => c[t][0] += 1,
                        (true, false) => c[t][1] += 1,
                        (false, true) => c[t][2] += 1,
                        _ => {}
                    }
                }
            }
        }
        let mut chosen = None;
        for (t, thr) in CANDIDATES.iter().enumerate() {
            let [tp, fp, fn_] = c[t];
            let prec = tp as f64 / (tp + fp).max(1) as f64;
            let rec = tp as f64 / (tp + fn_).max(1) as f64;
            println!("{p}: threshold {thr:>4}: cross-validated P {prec:.3} R {rec:.3}");
            if prec >= MIN_PRECISION && chosen.is_none() {
                chosen = Some(*thr);
            }
        }
        // None precise enough: the highest candidate.
        let threshold = chosen.unwrap_or(CANDIDATES[CANDIDATES.len() - 1]);
        let (bias, weights) = fit(&docs, p, |_| true);
        println!(
            "{p}: {} n-grams, bias {bias}, threshold {threshold}",
            weights.len()
        );
        models.insert(
            p.to_string(),
            json!({ "bias": bias, "threshold": threshold, "weights": weights }),
        );
    }
    let out = json!({
        "source": "make train (examples/train.rs) from tests/data/trainee/tuning.jsonl only",
        "principles": models,
    });
    let text = serde_json::to_string(&out).expect("JSON") + "\n";
    if let Err(e) = std::fs::write(OUT, text) {
        eprintln!("train: {OUT}: {e}");
        std::process::exit(1);
    }
    println!("wrote {OUT}");
}
