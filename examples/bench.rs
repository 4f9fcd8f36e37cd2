//! `cargo run --release --example bench`: how fast the scorer is, natively.
//!
//! Time per reply (median over many runs after warm-up; the lexicon automaton is built once,
//! before timing) for short (~50 chars) and long (~500 chars) Chinese and English replies and
//! for a ~200-char reply; throughput over whole eval files; the time to score 1 MB of text.
//! This is a report, not a test: nothing here fails on a slow machine.

#[path = "../tests/pathological/mod.rs"]
mod pathological;

use kefu_core::principles::Lang;
use kefu_judge::lexicon::Lexicon;
use kefu_judge::score;
use std::hint::black_box;
use std::time::{Duration, Instant};

const ZH_UNIT: &str = "您好王先生,非常抱歉让您久等了,理解您的着急。包裹因为中转站爆仓滞留了两天,这是我们的失误,我马上为您申请补发,明天发出,单号出来后第一时间通知您。请问收货地址还是原来的吗?感谢您的耐心!";
const EN_UNIT: &str = "Hi Sarah, I'm so sorry your parcel is late; I understand how frustrating the wait is. It was held at the sorting hub because of the storm, so I've arranged a replacement that ships today and I'll email you the tracking number tomorrow. Could you confirm your address? Thanks for your patience!";

/// The customer lines the replies above answer (the late-delivery scenario's kind of line).
const ZH_SAID: &str = "我的包裹说好三天到,现在都第六天了还没到,你们到底怎么回事?";
const EN_SAID: &str =
    "My parcel was supposed to arrive three days ago and it still isn't here. What is going on?";

/// Take about `n` chars of `unit` repeated, cut at a char boundary.
fn sized(unit: &str, n: usize) -> String {
    unit.chars().cycle().take(n).collect()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Median time of one `score` call on `text`, after warm-up.
fn time_reply(text: &str, lang: Lang) -> Duration {
    time(|| score::score(black_box(text), lang))
}

/// Median time of one call of `f`, after warm-up.
fn time<R>(f: impl Fn() -> R) -> Duration {
    for _ in 0..200 {
        black_box(f());
    }
    // Batches of calls, so the clock's resolution does not matter.
    let batch = 50;
    let samples: Vec<Duration> = (0..60)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..batch {
                black_box(f());
            }
            t.elapsed() / batch
        })
        .collect();
    median(samples)
}

fn us(d: Duration) -> String {
    format!("{:.1} µs", d.as_secs_f64() * 1e6)
}

fn read_texts(path: &str) -> Option<Vec<(String, Lang)>> {
    let src = std::fs::read_to_string(path).ok()?;
    Some(
        src.lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| {
                let text = v.get("text")?.as_str()?.to_string();
                let code = v
                    .get("lang")
                    .and_then(|l| l.as_str())
                    .unwrap_or_else(|| kefu_judge::text::detect_lang(&text))
                    .to_string();
                Some((text, Lang::parse(&code).unwrap_or(Lang::En)))
            })
            .collect(),
    )
}

fn main() {
    let t = Instant::now();
    let lex = Lexicon::build(&[]).expect("lexicon builds");
    let build = t.elapsed();
    black_box(&lex);
    // The built-in automaton (built once per process) is warmed here, outside every timing.
    let t = Instant::now();
    black_box(Lexicon::builtin());
    let first = t.elapsed();
    black_box(score::score("预热 warm-up", Lang::ZhHans));

    println!("Kefu Dojo scorer benchmark (native, release profile)");
    println!(
        "  lexicon build: {} ({} entries; built once per process: {})",
        us(build),
        lex.entries.len(),
        us(first)
    );
    println!();
    println!("  {:<28} {:>7} {:>14}", "reply", "chars", "median/reply");
    let cases = [
        ("short zh (~50 chars)", sized(ZH_UNIT, 50), Lang::ZhHans),
        ("short en (~50 chars)", sized(EN_UNIT, 50), Lang::En),
        ("200-char zh", sized(ZH_UNIT, 200), Lang::ZhHans),
        ("200-char en", sized(EN_UNIT, 200), Lang::En),
        ("long zh (~500 chars)", sized(ZH_UNIT, 500), Lang::ZhHans),
        ("long en (~500 chars)", sized(EN_UNIT, 500), Lang::En),
    ];
    for (name, text, lang) in &cases {
        let d = time_reply(text, *lang);
        println!("  {:<28} {:>7} {:>14}", name, text.chars().count(), us(d));
    }
    // As in the app: a reply to a customer's line, so the learned heads read it too.
    let said = [
        (
            "200-char zh, customer line",
            ZH_SAID,
            sized(ZH_UNIT, 200),
            Lang::ZhHans,
        ),
        (
            "200-char en, customer line",
            EN_SAID,
            sized(EN_UNIT, 200),
            Lang::En,
        ),
    ];
    for (name, to, text, lang) in &said {
        let d = time(|| score::score_reply_to(black_box(text), *lang, to));
        println!("  {:<28} {:>7} {:>14}", name, text.chars().count(), us(d));
    }
    println!();

    println!(
        "  {:<40} {:>7} {:>10} {:>12} {:>12} {:>10}",
        "eval file (whole file, best of 3)", "replies", "total", "per reply", "replies/s", "MB/s"
    );
    for path in [
        "tests/data/labelled.jsonl",
        "../shared/eval/agent_replies_zh.jsonl",
    ] {
        let Some(texts) = read_texts(path) else {
            println!("  {path:<40} (not found, skipped)");
            continue;
        };
        if texts.is_empty() {
            continue;
        }
        let bytes: usize = texts.iter().map(|(t, _)| t.len()).sum();
        let best = (0..3)
            .map(|_| {
                let t = Instant::now();
                for (text, lang) in &texts {
                    black_box(score::score(black_box(text), *lang));
                }
                t.elapsed()
            })
            .min()
            .unwrap_or_default();
        let n = texts.len() as f64;
        println!(
            "  {:<40} {:>7} {:>8.1}ms {:>12} {:>12.0} {:>10.2}",
            path,
            texts.len(),
            best.as_secs_f64() * 1e3,
            us(best / texts.len() as u32),
            n / best.as_secs_f64(),
            bytes as f64 / 1e6 / best.as_secs_f64()
        );
    }
    println!();

    // 1 MB of mixed Chinese and English text as one reply.
    let mut big = String::new();
    while big.len() < 1_000_000 {
        big.push_str(ZH_UNIT);
        big.push(' ');
        big.push_str(EN_UNIT);
        big.push('\n');
    }
    let runs: Vec<Duration> = (0..3)
        .map(|_| {
            let t = Instant::now();
            black_box(score::score(black_box(&big), Lang::ZhHans));
            t.elapsed()
        })
        .collect();
    println!(
        "  1 MB of mixed text ({} bytes, {} chars) as one reply: {:.1} ms (median of 3)",
        big.len(),
        big.chars().count(),
        median(runs).as_secs_f64() * 1e3
    );

    // Growth on the pathological shapes of tests/growth.rs: time at n and 8n chars (best of
    // 3); a linear scorer gives a ratio near 8, a quadratic one 64.
    println!();
    println!(
        "  {:<55} {:>9} {:>11} {:>11} {:>6}",
        "pathological reply", "n chars", "n", "8n", "ratio"
    );
    for case in pathological::CASES {
        let n = 20_000;
        let best = |k: usize| {
            let (text, turn) = (case.build)(n * k);
            (0..3)
                .map(|_| {
                    let t = Instant::now();
                    black_box(score::judge(black_box(&text), Lang::ZhHans, &turn, None));
                    t.elapsed()
                })
                .min()
                .unwrap_or_default()
        };
        let (a, b) = (best(1), best(8));
        println!(
            "  {:<55} {:>9} {:>9.1}ms {:>9.1}ms {:>6.1}",
            case.name,
            n,
            a.as_secs_f64() * 1e3,
            b.as_secs_f64() * 1e3,
            b.as_secs_f64() / a.as_secs_f64().max(1e-9)
        );
    }

    // The scenario library, as the app loads it: each file's own check (what listing the
    // library waits for), then the full check that plays every sample reply.
    let mut files: Vec<(String, String)> = std::fs::read_dir("scenarios")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .filter_map(|p| Some((p.display().to_string(), std::fs::read_to_string(&p).ok()?)))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let time = |play: bool| {
        let runs: Vec<Duration> = (0..5)
            .map(|_| {
                let t = Instant::now();
                for (name, src) in &files {
                    black_box(kefu_check::check_source_with(name, src, play));
                }
                t.elapsed()
            })
            .collect();
        median(runs).as_secs_f64() * 1e3
    };
    println!(
        "  library of {} scenario files: listed in {:.1} ms, with every sample reply played {:.1} ms",
        files.len(),
        time(false),
        time(true)
    );
}
