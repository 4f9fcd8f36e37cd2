//! Scoring time grows linearly with the reply, whatever the reply holds: each pathological
//! shape of `tests/pathological` (shapes that used to take seconds to minutes: one long clause
//! of negated blame, repeated apologies or opening offers, a mix of every lexicon's words, a
//! one-char scenario term against a long reply) is judged at n and 8n chars, and the time ratio
//! must stay far below a quadratic's 64 (a linear scorer gives about 8; the bound leaves room
//! for a loaded machine). Ratios, not absolute times: the test holds in debug and in release,
//! on a slow machine or a fast one. Each time is the best of a few runs, the two sizes
//! interleaved so that both see the same load.

mod pathological;

use kefu_core::principles::Lang;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// The largest time ratio allowed between 8n and n chars.
const MAX_RATIO: f64 = 24.0;
/// The smaller input is made at least this slow (doubling n), so that timer noise is small…
const MIN_TIME: Duration = Duration::from_millis(4);
/// …but never longer than this many chars (the larger is 8 times as long).
const MAX_N: usize = 40_000;

fn time(text: &str, turn: &kefu_judge::score::TurnRules) -> Duration {
    let t = Instant::now();
    black_box(kefu_judge::score::judge(
        black_box(text),
        Lang::ZhHans,
        turn,
        None,
    ));
    t.elapsed()
}

/// (n, time at n, time at 8n, ratio) for one case.
fn growth(case: &pathological::Case, start_n: usize) -> (usize, Duration, Duration, f64) {
    let mut n = start_n;
    loop {
        let (text, turn) = (case.build)(n);
        if time(&text, &turn) >= MIN_TIME || n * 2 > MAX_N {
            break;
        }
        n *= 2;
    }
    let (small, small_turn) = (case.build)(n);
    let (big, big_turn) = (case.build)(8 * n);
    let (mut a, mut b) = (Duration::MAX, Duration::MAX);
    for _ in 0..3 {
        a = a.min(time(&small, &small_turn));
        b = b.min(time(&big, &big_turn));
    }
    (n, a, b, b.as_secs_f64() / a.as_secs_f64().max(1e-9))
}

#[test]
fn scoring_time_grows_linearly_on_pathological_replies() {
    black_box(kefu_judge::score::score("预热 warm-up", Lang::ZhHans));
    let mut failed = Vec::new();
    for case in pathological::CASES {
        // A ratio over the bound is measured again (a burst of load on a shared machine can
        // slow one run); a super-linear scorer fails every time.
        let mut tries = Vec::new();
        for _ in 0..3 {
            let r = growth(case, 1_000);
            tries.push(r);
            if r.3 < MAX_RATIO {
                break;
            }
        }
        let (n, a, b, ratio) = *tries.last().expect("measured");
        eprintln!(
            "{:<55} n = {n:>6}: {:>9.2?} 8n: {:>9.2?} ratio {ratio:.1}",
            case.name, a, b
        );
        if ratio >= MAX_RATIO {
            failed.push(format!("{}: ratio {ratio:.1} (n = {n})", case.name));
        }
    }
    assert!(
        failed.is_empty(),
        "scoring grows faster than linearly (8x the text took over {MAX_RATIO}x the time): {failed:#?}"
    );
}
