//! `cargo run --release --example eval -- [--show PRINCIPLE] [FILES…]`
//!
//! Scores every line of each JSONL file with the library (the same code as `kefu score`) and
//! prints, per principle that has gold labels, n / precision / recall / F1, and Spearman's ρ of
//! `courtesy` against `gold.politeness` where present. Lines carry `labels` (our own set) or
//! `gold` (`../shared/eval/`).
//!
//! A line with `scenario` and `turn` (the trainee corpus, `tests/data/trainee/`) is judged at
//! that turn of the shipped scenario, as the app judges it (so `close` is judged too); other
//! lines are scored on their own, as `kefu score` without `--scenario`.
//!
//! Default files: the trainee corpus's tuning and locked validation parts, then
//! `tests/data/labelled.jsonl`, then, where `../shared/eval/`
//! is there, our labels of real agents' replies (`tests/data/agent/tuning.jsonl` and the locked
//! `validation.jsonl`: a line carries a hashed id, `key`, and the reply is read from
//! `../shared/eval/agent_replies_zh.jsonl`; judged with the customer's line, as in play) and every file
//! in `../shared/eval/` that has gold labels (regression guards); missing files are skipped, so
//! this runs without `../shared`. Where a principle has fewer than 5 positives, the macro is
//! also given without it.
//! The tuning part is reported *out of fold*: its replies are split as `make train` splits them
//! (index mod 5), and each is judged with learned heads trained (`kefu_dojo::learn`) on the
//! other four fifths, so the figure is not the heads' memory of it (`--in-sample` judges it with
//! the shipped heads instead). Every other file is judged with the shipped heads (`--fresh`: with
//! heads trained now on the whole tuning part, as `make train` would write them).
//! `--show PRINCIPLE` lists the false positives and false negatives of that principle — never
//! for the validation part, which is read for its figures only (no rule is written from it);
//! `--trace TEXT` lists every lexicon hit in one text and the principles it shows; `--coverage`
//! the share of each tuning reply's features the heads know, out of fold (`learned::MIN_KNOWN`).

use kefu_core::principles::{self, Lang};
use kefu_core::scenario::Scenario;
use kefu_dojo::{corpus, learn};
use kefu_judge::learned::{self, Models};
use kefu_judge::score;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
    tn: usize,
}

impl Counts {
    fn n(&self) -> usize {
        self.tp + self.fp + self.fn_ + self.tn
    }
    fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Average ranks (ties share the mean rank).
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            r[k] = mean;
        }
        i = j + 1;
    }
    r
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    if n < 2.0 {
        return f64::NAN;
    }
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    if sxx == 0.0 || syy == 0.0 {
        0.0
    } else {
        sxy / (sxx * syy).sqrt()
    }
}

fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&ranks(x), &ranks(y))
}

struct FileResult {
    lines: usize,
    bad: usize,
    counts: BTreeMap<String, Counts>,
    courtesy: Vec<f64>,
    politeness: Vec<f64>,
    /// (principle, "FP"/"FN", id, text) for `--show`.
    errors: Vec<(String, &'static str, String, String)>,
}

fn eval_file(
    path: &Path,
    show: Option<&str>,
    scenarios: &BTreeMap<String, Scenario>,
    oof: Option<&[Arc<Models>]>,
) -> Result<FileResult, String> {
    let show = if corpus::locked(path) { None } else { show };
    let src = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut r = FileResult {
        lines: 0,
        bad: 0,
        counts: BTreeMap::new(),
        courtesy: vec![],
        politeness: vec![],
        errors: vec![],
    };
    let mut agents: Option<BTreeMap<String, Value>> = None;
    for (i, line) in src.lines().filter(|l| !l.trim().is_empty()).enumerate() {
        r.lines += 1;
        let Ok(mut v) = serde_json::from_str::<Value>(line) else {
            r.bad += 1;
            continue;
        };
        // Our labels of a real agent's reply (`tests/data/agent/`): the reply itself is read
        // from `../shared/eval/` (never copied into the project), found by its hashed id.
        let joined = v.get("key").is_some() && v.get("text").is_none();
        if joined {
            let shared = agents.get_or_insert_with(agent_replies);
            let key = v.get("key").and_then(Value::as_str).unwrap_or_default();
            let Some(reply) = shared.get(key) else {
                r.bad += 1;
                continue;
            };
            for k in ["text", "context", "lang"] {
                if let Some(x) = reply.get(k) {
                    v[k] = x.clone();
                }
            }
        }
        let Some(text) = v.get("text").and_then(Value::as_str) else {
            r.bad += 1;
            continue;
        };
        let Some(gold) = corpus::gold(&v) else {
            continue;
        };
        let judge = || match v.get("context").and_then(Value::as_str) {
            // As the app judges a reply: with the customer's line it answers.
            Some(said) if joined => {
                Some(score::score_reply_to(text, corpus::lang_of(&v, text), said))
            }
            _ => corpus::judge_line(&v, scenarios),
        };
        let judged = match oof {
            Some(models) => learned::with_models(models[i % models.len()].clone(), judge),
            None => judge(),
        };
        let Some(j) = judged else {
            continue;
        };
        for (k, g) in gold {
            if k == "politeness" {
                if let Some(p) = g.as_f64() {
                    r.courtesy.push(f64::from(j.courtesy));
                    r.politeness.push(p);
                }
                continue;
            }
            if principles::get(k).is_none() {
                continue;
            }
            let Some(g) = g.as_f64().map(|g| g >= 0.5) else {
                continue;
            };
            let pred = j.hit(k);
            let c = r.counts.entry(k.clone()).or_default();
            match (g, pred) {
                (true, true) => c.tp += 1,
                (false, true) => c.fp += 1,
                (true, false) => c.fn_ += 1,
                (false, false) => c.tn += 1,
            }
            if show == Some(k.as_str()) && g != pred {
                let id = v.get("id").or_else(|| v.get("key"));
                let id = id.map(|i| i.to_string()).unwrap_or_default();
                let kind = if pred { "FP" } else { "FN" };
                // A real agent's reply is judged with the customer's line: shown before it.
                let shown = match v.get("context").and_then(Value::as_str) {
                    Some(said) if joined => format!("〔{said}〕 {text}"),
                    _ => text.to_string(),
                };
                r.errors.push((k.clone(), kind, id, shown));
            }
        }
    }
    Ok(r)
}

/// `../shared/eval/agent_replies_zh.jsonl` by `agent_key` of each line's id (empty when the
/// file is not there: our labels are then skipped as unreadable).
fn agent_replies() -> BTreeMap<String, Value> {
    let src = std::fs::read_to_string(AGENT_REPLIES).unwrap_or_default();
    src.lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| Some((agent_key(v.get("id")?.as_str()?), v)))
        .collect()
}

/// Where the real agents' replies are (outside the project: research-use licence).
const AGENT_REPLIES: &str = "../shared/eval/agent_replies_zh.jsonl";

/// The key our labels carry for a real agent's reply: the first 16 hex digits of
/// sha256("kefu-agent-2026:" + id), the rule the sample was drawn by (`tests/data/agent/`;
/// `tests/corpus.rs` derives it again on purpose, as an independent check of the labels' keys).
fn agent_key(id: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(format!("kefu-agent-2026:{id}").as_bytes())
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The trainee corpus's tuning-side lines waiting to be learned, if any (empty: none).
const PENDING: &str = "tests/data/trainee/pending.jsonl";

fn default_files() -> Vec<PathBuf> {
    let mut files = vec![
        PathBuf::from("tests/data/trainee/tuning.jsonl"),
        PathBuf::from("tests/data/trainee/validation.jsonl"),
        PathBuf::from("tests/data/labelled.jsonl"),
    ];
    // A round's tuning side the heads have not learned yet (`tests/data/trainee/README.md`):
    // judged as unseen replies.
    if std::fs::metadata(PENDING).is_ok_and(|m| m.len() > 0) {
        files.insert(2, PathBuf::from(PENDING));
    }
    if Path::new(AGENT_REPLIES).exists() {
        // Our labels of real agents' replies: the tuning sample (rules may be written from its
        // errors, `--show`), then the locked one.
        for f in [
            "tests/data/agent/tuning.jsonl",
            "tests/data/agent/validation.jsonl",
        ] {
            if Path::new(f).exists() {
                files.push(PathBuf::from(f));
            }
        }
    }
    let shared = Path::new("../shared/eval");
    if let Ok(rd) = std::fs::read_dir(shared) {
        let mut found: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
            .filter(|p| {
                // Only files with gold labels (agent_replies_zh.jsonl has none).
                std::fs::read_to_string(p)
                    .map(|s| s.lines().take(50).any(|l| l.contains("\"gold\"")))
                    .unwrap_or(false)
            })
            .collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// `--coverage`: how much of each tuning reply's features the heads know, out of fold (reply `i`
/// read by the fold model that never saw it), as percentiles over every reply and over those
/// with `learned::MIN_FEATURES` features or more: where `learned::MIN_KNOWN` is set from (its 5th
/// percentile over replies not learned from).
fn coverage() {
    // The file read once: each reply's text (its features as they occur) beside its `Doc`.
    let src = match std::fs::read_to_string(learn::TUNING) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("eval: {}: {e}", learn::TUNING);
            std::process::exit(1);
        }
    };
    let mut texts = Vec::new();
    let mut docs = Vec::new();
    for (n, line) in src
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("eval: {}:{}: {e}", learn::TUNING, n + 1);
                std::process::exit(1);
            }
        };
        let text = v["text"].as_str().unwrap_or_default();
        docs.push(learn::Doc::new(text, &v));
        texts.push(kefu_judge::text::Folded::new(text).text);
    }
    let models = learn::out_of_fold(&docs);
    let (mut all, mut long) = (Vec::new(), Vec::new());
    for (i, text) in texts.iter().enumerate() {
        let feats = learned::features(text);
        if feats.is_empty() {
            continue;
        }
        let known = learned::Summed::new(&models[i % learn::FOLDS], &feats).known();
        let share = known as f64 / feats.len() as f64;
        all.push(share);
        if feats.len() >= learned::MIN_FEATURES {
            long.push(share);
        }
    }
    for (name, v) in [
        ("every reply", &mut all),
        ("replies of MIN_FEATURES or more", &mut long),
    ] {
        v.sort_by(f64::total_cmp);
        let at = |q: f64| {
            v.get(((v.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        println!(
            "{name} ({}): known share out of fold p1 {:.3}, p5 {:.3}, p10 {:.3}, median {:.3}",
            v.len(),
            at(0.01),
            at(0.05),
            at(0.10),
            at(0.5)
        );
    }
}

fn main() {
    let mut show = None;
    let mut in_sample = false;
    let mut fresh = false;
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--show" => show = args.next(),
            "--in-sample" => in_sample = true,
            "--fresh" => fresh = true,
            "--trace" => {
                // Every raw lexicon hit in a text (before context rules), for tuning.
                let text = args.next().unwrap_or_default();
                let lex = kefu_judge::lexicon::Lexicon::builtin();
                let f = kefu_judge::text::Folded::new(&text);
                for h in lex.find(&f.text) {
                    let e = &lex.entries[h.entry];
                    println!(
                        "{:<10} {:?} {:?} {:?}",
                        e.owner,
                        e.class,
                        e.mode,
                        &f.text[h.start..h.end]
                    );
                }
                let j = score::score(
                    &text,
                    Lang::parse(kefu_judge::text::detect_lang(&text)).unwrap_or(Lang::En),
                );
                let hits: Vec<&String> = j
                    .principles
                    .iter()
                    .filter(|(_, f)| f.hit)
                    .map(|(k, _)| k)
                    .collect();
                println!("=> {hits:?} courtesy {}", j.courtesy);
                return;
            }
            "--coverage" => {
                coverage();
                return;
            }
            "-h" | "--help" => {
                println!(
                    "usage: eval [--show PRINCIPLE] [--in-sample] [--fresh] [FILES…] | eval --trace TEXT | eval --coverage"
                );
                return;
            }
            _ => files.push(PathBuf::from(a)),
        }
    }
    if let Err(e) = kefu_judge::lexicon::Lexicon::build(&[]) {
        eprintln!("eval: the lexicon does not build: {e}");
        std::process::exit(1);
    }
    if files.is_empty() {
        files = default_files();
    }
    let order: Vec<String> = principles::all().iter().map(|p| p.id.to_string()).collect();
    let mut summaries = Vec::new();
    let (scenarios, broken) = corpus::scenarios(Path::new("scenarios"));
    for (file, why) in &broken {
        eprintln!("eval: warning: {file} does not load, its lines are judged without it: {why}");
    }
    // --fresh: the other files judged by heads trained now on the whole tuning part (what
    // `make train` would write), not the embedded ones: a change to the features or training
    // measured without writing the model and building again.
    let fresh: Option<Vec<Arc<Models>>> = if fresh {
        match learn::docs(learn::TUNING) {
            Ok(docs) => {
                let all: Vec<&learn::Doc> = docs.iter().collect();
                Some(vec![Arc::new(learn::train(&all, &mut |_| {}))])
            }
            Err(e) => {
                eprintln!("eval: cannot train ({e})");
                std::process::exit(1);
            }
        }
    } else {
        None
    };
    for path in &files {
        let name = path.display().to_string();
        if !path.exists() {
            println!("{name}: not found, skipped\n");
            continue;
        }
        // The tuning part, out of fold: heads trained on the other four fifths of it.
        let tuning = path.ends_with(learn::TUNING) && !in_sample;
        let oof = if tuning {
            match learn::docs(learn::TUNING) {
                Ok(docs) => Some(
                    learn::out_of_fold(&docs)
                        .into_iter()
                        .map(Arc::new)
                        .collect::<Vec<_>>(),
                ),
                Err(e) => {
                    println!("{name}: cannot train ({e}), skipped\n");
                    continue;
                }
            }
        } else {
            fresh.clone()
        };
        let r = match eval_file(path, show.as_deref(), &scenarios, oof.as_deref()) {
            Ok(r) => r,
            Err(e) => {
                println!("{name}: cannot read ({e}), skipped\n");
                continue;
            }
        };
        println!(
            "== {name}  ({} lines{}{})",
            r.lines,
            if tuning {
                ", learned heads out of fold"
            } else {
                ""
            },
            if r.bad > 0 {
                format!(", {} unreadable", r.bad)
            } else {
                String::new()
            }
        );
        let mut summary = Vec::new();
        if !r.counts.is_empty() {
            println!(
                "  {:<10} {:>5} {:>5} {:>6} {:>6} {:>7}",
                "principle", "n", "pos", "P", "R", "F1"
            );
            let mut f1s = Vec::new();
            for id in &order {
                let Some(c) = r.counts.get(id) else { continue };
                println!(
                    "  {:<10} {:>5} {:>5} {:>6.3} {:>6.3} {:>7.4}",
                    id,
                    c.n(),
                    c.tp + c.fn_,
                    c.precision(),
                    c.recall(),
                    c.f1()
                );
                f1s.push(c.f1());
                summary.push(format!("{id}={:.2}", c.f1()));
            }
            let macro_f1 = f1s.iter().sum::<f64>() / f1s.len() as f64;
            let min_f1 = f1s.iter().copied().fold(f64::INFINITY, f64::min);
            println!("  macro F1 {macro_f1:.4}, min F1 {min_f1:.4}");
            summary.insert(0, format!("macro={macro_f1:.3}"));
            // Principles with a handful of positives make a noisy F1: the macro without them too.
            let common: Vec<f64> = order
                .iter()
                .filter_map(|id| r.counts.get(id))
                .filter(|c| c.tp + c.fn_ >= 5)
                .map(Counts::f1)
                .collect();
            if !common.is_empty() && common.len() < f1s.len() {
                let m = common.iter().sum::<f64>() / common.len().max(1) as f64;
                println!(
                    "  macro F1 over the {} principles with at least 5 positives {m:.3}",
                    common.len()
                );
                summary.insert(1, format!("macro5={m:.3}"));
            }
        }
        if !r.courtesy.is_empty() {
            let rho = spearman(&r.courtesy, &r.politeness);
            println!(
                "  courtesy vs gold.politeness: n={}, Spearman rho = {rho:.3}",
                r.courtesy.len()
            );
            summary.push(format!("rho={rho:.3}"));
        }
        for (p, kind, id, text) in &r.errors {
            let t: String = text.chars().take(160).collect();
            println!("  {kind} {p} {id}: {t}");
        }
        println!();
        let short = path
            .file_name()
            .map(|f| f.to_string_lossy().to_string())
            .unwrap_or(name);
        summaries.push(format!("{short}: {}", summary.join(" ")));
    }
    println!("summary (F1 per principle, rho):");
    for s in summaries {
        println!("  {s}");
    }
}
