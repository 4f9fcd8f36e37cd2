//! `cargo run --release --example cohort` (part of `make bench`): the trainer's dashboard at the
//! issue's scale, natively — 200 trainees × 50 sessions of 6 replies (80,000 statements, the
//! cohort of `crates/core/tests/cohort_scale.rs`): the export's JSON parsed, the statements read
//! into the cohort (grouped by trainee, each trainee's attempts rebuilt), the report (grid,
//! weakest, scenarios), a filtered report and the CSV. Median of 5 runs. A report, not a test:
//! nothing here fails on a slow machine. The browser's figures (wasm, with rendering) are
//! `tests/browser/team.test.mjs`'s.

#[path = "../crates/core/tests/cohort_scale.rs"]
#[allow(dead_code, unused_imports)]
mod scale;

use kefu_core::cohort::{by_trainee, Cohort, Filter, Kind};
use std::hint::black_box;
use std::time::{Duration, Instant};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn main() {
    let st = scale::cohort_statements(200, 50);
    let text = serde_json::to_string(&st).expect("statements serialise");
    println!(
        "cohort: 200 trainees × 50 sessions, {} statements, {:.1} MB of JSON",
        st.len(),
        text.len() as f64 / 1e6
    );
    let runs = 5;
    let (mut parse, mut group, mut read, mut report, mut filtered, mut csv) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    let mut largest_group = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let v: serde_json::Value = serde_json::from_str(black_box(&text)).expect("parses");
        parse.push(t.elapsed());
        let stmts = v.as_array().expect("an array");
        let t = Instant::now();
        let groups = by_trainee(stmts);
        group.push(t.elapsed());
        largest_group = groups.iter().map(|g| g.statements.len()).max().unwrap_or(0);
        let t = Instant::now();
        let mut c = Cohort::default();
        for g in groups {
            c.add_group(g);
        }
        read.push(t.elapsed());
        let t = Instant::now();
        let r = c.report(&Filter::default());
        report.push(t.elapsed());
        assert_eq!(r.rows.len(), 200);
        let t = Instant::now();
        black_box(c.report(&Filter {
            kind: Kind::Exam,
            ..Filter::default()
        }));
        filtered.push(t.elapsed());
        let t = Instant::now();
        black_box(r.to_csv());
        csv.push(t.elapsed());
    }
    println!("  parse the JSON        {}", ms(median(parse)));
    println!("  group by trainee      {}", ms(median(group)));
    println!(
        "  read into attempts    {} (largest trainee: {largest_group} statements)",
        ms(median(read))
    );
    println!("  report (no filter)    {}", ms(median(report)));
    println!("  report (exams only)   {}", ms(median(filtered)));
    println!("  CSV                   {}", ms(median(csv)));
}
