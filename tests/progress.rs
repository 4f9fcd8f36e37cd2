//! The progress store and the chart geometry through their public API: JSON round trip and
//! migration, load errors, merging, CSV and xAPI export, and charts that never emit NaN.

use kefu_core::chart::{radar, trend};
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles::Lang;
use kefu_core::progress::{
    iso_time, Attempt, LoadError, MergeReport, Store, TurnRecord, CURRENT_VERSION,
};
use kefu_core::scenario::Outcome;
use proptest::prelude::*;
use serde_json::Value;
use std::collections::BTreeMap;

const BASE: &str = "https://lrs.example.org/kefu";

fn turn(id: &str, reply: &str, score: u8, secs: Option<f64>, hits: &[(&str, bool)]) -> TurnRecord {
    TurnRecord {
        turn: id.into(),
        customer: format!("customer at {id}"),
        reply: reply.into(),
        secs,
        score,
        principles: hits.iter().map(|(k, h)| (k.to_string(), *h)).collect(),
        expected: None,
    }
}

fn attempt(scenario: &str, started_ms: f64, finished: bool, outcome: &str) -> Attempt {
    Attempt {
        id: format!("{scenario}-42-{started_ms}"),
        scenario: scenario.into(),
        title: "迟到的包裹".into(),
        kind: ScenarioKind::Angry,
        lang: Lang::ZhHans,
        seed: 42,
        started_ms,
        finished_ms: finished.then_some(started_ms + 120_000.0),
        outcome: if finished {
            Outcome::parse(outcome)
        } else {
            None
        },
        exam: false,
        exam_run: None,
        pace: Default::default(),
        turns: vec![
            turn(
                "open",
                "非常抱歉让您久等了",
                90,
                Some(20.0),
                &[("apology", true), ("empathy", true), ("blame", false)],
            ),
            turn(
                "promise",
                "我马上为您查询",
                70,
                Some(35.25),
                &[("apology", false), ("ownership", true)],
            ),
        ],
    }
}

fn store(attempts: Vec<Attempt>) -> Store {
    let mut s = Store::default();
    for a in attempts {
        s.upsert(a);
    }
    s
}

/// A minimal RFC 4180 reader, to check that the export parses back cell for cell.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    let (mut rows, mut row, mut cell) = (Vec::new(), Vec::new(), String::new());
    let mut chars = s.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "bare CR outside quotes");
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\n') => panic!("bare LF outside quotes"),
            (false, c) => cell.push(c),
        }
    }
    assert!(
        !quoted && cell.is_empty() && row.is_empty(),
        "unterminated last row"
    );
    rows
}

#[test]
fn json_round_trip() {
    let s = store(vec![
        attempt("late", 1_700_000_000_000.0, true, "resolved"),
        attempt("refund", 1_700_000_500_000.0, false, ""),
    ]);
    let json = s.to_json();
    let back = Store::from_json(&json).unwrap();
    assert_eq!(back, s);
    assert_eq!(back.version, CURRENT_VERSION);
    assert_eq!(back.to_json(), json);
}

#[test]
fn legacy_bare_array_is_migrated() {
    let s = store(vec![attempt("late", 1_700_000_000_000.0, true, "resolved")]);
    let legacy = serde_json::to_string(&s.attempts).unwrap();
    assert!(legacy.starts_with('['));
    let m = Store::from_json(&legacy).unwrap();
    assert_eq!(m.version, CURRENT_VERSION);
    assert_eq!(m.attempts, s.attempts);
    // Version 0 spelled out is migrated too; optional fields may be missing.
    let old = r#"{"version":0,"attempts":[{"id":"x-1-2","scenario":"x","title":"X","kind":"angry",
        "lang":"en","seed":1,"started_ms":2,"turns":[{"turn":"t","customer":"c","reply":"r","score":50}]}]}"#;
    let m = Store::from_json(old).unwrap();
    assert_eq!(m.version, CURRENT_VERSION);
    assert_eq!(m.attempts[0].finished_ms, None);
    assert_eq!(m.attempts[0].turns[0].secs, None);
}

#[test]
fn corrupt_json_is_reported_with_serdes_message() {
    for bad in [
        "",
        "{",
        "not json",
        "{\"version\":1,\"attempts\":[{\"id\":3}]}",
        "{\"version\":1}",
        "null",
        "7",
    ] {
        match Store::from_json(bad) {
            Err(LoadError::Corrupt(msg)) => assert!(!msg.is_empty(), "{bad:?}"),
            other => panic!("{bad:?} gave {other:?}"),
        }
    }
    let e = Store::from_json("{").unwrap_err();
    assert!(e.to_string().contains("EOF"), "{e}");
}

#[test]
fn a_newer_version_is_too_new() {
    let json = format!("{{\"version\":{},\"attempts\":[]}}", CURRENT_VERSION + 1);
    assert_eq!(
        Store::from_json(&json),
        Err(LoadError::TooNew(CURRENT_VERSION + 1))
    );
    // Even when the attempts are of a shape this version does not know.
    assert_eq!(
        Store::from_json("{\"version\":7,\"attempts\":{\"new\":true}}"),
        Err(LoadError::TooNew(7))
    );
}

#[test]
fn merge_counts_duplicates_and_is_idempotent() {
    let a = attempt("late", 1_700_000_000_000.0, true, "resolved");
    let b = attempt("refund", 1_700_000_500_000.0, true, "lost");
    let mut unfinished_c = attempt("wrong-size", 1_700_001_000_000.0, false, "");
    unfinished_c.turns.truncate(1);
    let finished_c = attempt("wrong-size", 1_700_001_000_000.0, true, "escalated");

    let mut mine = store(vec![a.clone(), unfinished_c]);
    // An export may itself repeat an attempt: the second copy is a duplicate too.
    let import = Store {
        version: CURRENT_VERSION,
        attempts: vec![a.clone(), b.clone(), finished_c.clone(), a.clone()],
    };

    let r = mine.merge(import.clone());
    assert_eq!(
        r,
        MergeReport {
            added: 1,
            updated: 1,
            duplicates: 2,
            kept_both: 0,
        }
    );
    assert_eq!(mine.attempts.len(), 3);
    let ids: Vec<&str> = mine.attempts.iter().map(|x| x.id.as_str()).collect();
    let mut uniq = ids.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), ids.len(), "no duplicate ids: {ids:?}");
    assert!(
        mine.attempts.contains(&finished_c),
        "finished copy replaced the unfinished one"
    );

    let before = mine.clone();
    let again = mine.merge(import);
    assert_eq!((again.added, again.updated), (0, 0));
    assert_eq!(again.duplicates, 4);
    assert_eq!(mine, before);

    // An unfinished copy never replaces a finished attempt.
    let mut stale = finished_c.clone();
    stale.finished_ms = None;
    stale.outcome = None;
    let r = mine.merge(store(vec![stale]));
    assert_eq!(r.duplicates, 1);
    assert!(mine.attempts.contains(&finished_c));

    // Merging a store into itself adds nothing.
    let copy = mine.clone();
    let r = mine.merge(copy);
    assert_eq!(r.added, 0);
    assert_eq!(mine, before);
}

#[test]
fn scores_pass_best_and_trend() {
    let a = attempt("late", 1_700_000_000_000.0, true, "resolved");
    assert_eq!(a.score(), 80);
    assert!(a.passed());
    assert!(!attempt("late", 1.0, true, "escalated").passed());
    let mut low = attempt("late", 1_700_000_900_000.0, true, "resolved");
    for t in &mut low.turns {
        t.score = 40;
    }
    assert!(!low.passed());
    let mut empty = attempt("late", 5.0, true, "resolved");
    empty.turns.clear();
    assert_eq!(empty.score(), 0);
    assert!(!empty.passed());

    let rates = a.principle_rates();
    assert_eq!(rates["apology"], 0.5);
    assert_eq!(rates["ownership"], 1.0);

    let unfinished = attempt("late", 1_600_000_000_000.0, false, "");
    let s = store(vec![low.clone(), a.clone(), unfinished]);
    let best: BTreeMap<String, u8> = s.best_scores();
    assert_eq!(best, [("late".to_string(), 80)].into());
    assert_eq!(
        s.principle_trend("apology"),
        vec![(1_700_000_000_000.0, 0.5), (1_700_000_900_000.0, 0.5)]
    );
    assert!(s.principle_trend("nonexistent").is_empty());
}

#[test]
fn csv_quotes_and_guards_against_formulas() {
    let mut a = attempt("late", 1_700_000_000_000.0, true, "resolved");
    a.turns[0].reply = "Sorry, we said \"today\"\nand it's late".into();
    a.turns[1].reply = "=HYPERLINK(\"http://evil\",\"x\")".into();
    a.turns.push(turn("t3", "+1 for waiting", 50, None, &[]));
    a.turns.push(turn("t4", "-5% off", 50, None, &[]));
    a.turns.push(turn("t5", "@admin", 50, None, &[]));
    a.turns.push(turn("t6", "plain reply", 50, None, &[]));
    let csv = store(vec![a]).to_csv();

    assert!(
        csv.contains("\"Sorry, we said \"\"today\"\"\nand it's late\""),
        "{csv}"
    );
    let rows = parse_csv(&csv);
    let header = &rows[0];
    assert_eq!(
        header[..13],
        [
            "attempt_id",
            "scenario",
            "title",
            "lang",
            "exam",
            "started",
            "outcome",
            "turn",
            "score",
            "secs",
            "hits",
            "misses",
            "reply"
        ]
    );
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(rows.len(), 7);
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let replies: Vec<&str> = rows[1..].iter().map(|r| r[col("reply")].as_str()).collect();
    assert_eq!(
        replies,
        [
            "Sorry, we said \"today\"\nand it's late",
            "'=HYPERLINK(\"http://evil\",\"x\")",
            "'+1 for waiting",
            "'-5% off",
            "'@admin",
            "plain reply",
        ]
    );
    let r1 = &rows[1];
    assert_eq!(r1[col("started")], "2023-11-14T22:13:20.000Z");
    assert_eq!(r1[col("outcome")], "resolved");
    assert_eq!(r1[col("exam")], "false");
    assert_eq!(r1[col("score")], "90");
    assert_eq!(r1[col("secs")], "20.0");
    assert_eq!(r1[col("hits")], "apology;empathy");
    assert_eq!(r1[col("misses")], "");
    assert_eq!(rows[2][col("misses")], "apology");
    // A turn that keeps what it asked for: a principle not asked for is no miss.
    let mut a = attempt("late", 1_700_000_000_000.0, true, "resolved");
    a.turns[1].principles.insert("probe".into(), false);
    a.turns[1].expected = Some(vec!["apology".into(), "ownership".into()]);
    let rows = parse_csv(&store(vec![a]).to_csv());
    assert_eq!(rows[2][col("misses")], "apology");
    assert_eq!(rows[2][col("hits")], "ownership");
    assert_eq!(r1[col("title")], "迟到的包裹");
    // No cell of the export starts like a formula.
    for r in &rows {
        for c in r {
            assert!(!c.starts_with(['=', '+', '-', '@']), "{c:?}");
        }
    }
}

#[test]
fn iso_time_from_milliseconds() {
    assert_eq!(iso_time(1_700_000_000_000.0), "2023-11-14T22:13:20.000Z");
    assert_eq!(iso_time(1_709_164_800_123.0), "2024-02-29T00:00:00.123Z");
    assert_eq!(iso_time(4_102_444_799_999.0), "2099-12-31T23:59:59.999Z");
}

fn is_uuid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.iter().map(|p| p.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && s.chars()
            .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        && matches!(parts[2].as_bytes()[0], b'4' | b'5')
        && matches!(parts[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b')
}

fn is_iso_time(s: &str) -> bool {
    s.len() == 24 && s.ends_with('Z') && s.as_bytes()[10] == b'T'
}

#[test]
fn xapi_statements() {
    let passed = attempt("late", 1_700_000_000_000.0, true, "resolved");
    let mut failed = attempt("refund", 1_700_000_500_000.0, true, "lost");
    failed.lang = Lang::En;
    failed.title = "The refund".into();
    failed.turns[1].secs = None;
    let unfinished = attempt("wrong-size", 1_700_001_000_000.0, false, "");
    let s = store(vec![passed.clone(), failed, unfinished]);
    let v = s.to_xapi("Ada", BASE);
    let st = v.as_array().unwrap();
    // 2 answered + completed + passed; 2 answered + completed + failed; 2 answered.
    assert_eq!(st.len(), 10);

    let verb = |x: &Value| x["verb"]["id"].as_str().unwrap().to_string();
    let verbs: Vec<String> = st.iter().map(verb).collect();
    let short: Vec<&str> = verbs
        .iter()
        .map(|v| v.rsplit('/').next().unwrap())
        .collect();
    assert_eq!(
        short,
        [
            "answered",
            "answered",
            "completed",
            "passed",
            "answered",
            "answered",
            "completed",
            "failed",
            "answered",
            "answered"
        ]
    );
    for (x, v) in st.iter().zip(&short) {
        assert_eq!(verb(x), format!("http://adlnet.gov/expapi/verbs/{v}"));
        assert_eq!(x["verb"]["display"]["en-US"], *v);
        assert_eq!(x["actor"]["objectType"], "Agent");
        assert_eq!(x["actor"]["name"], "Ada");
        assert_eq!(x["actor"]["account"]["homePage"], BASE);
        assert_eq!(x["actor"]["account"]["name"], "Ada");
        assert!(is_uuid(x["id"].as_str().unwrap()), "{}", x["id"]);
        assert!(
            is_iso_time(x["timestamp"].as_str().unwrap()),
            "{}",
            x["timestamp"]
        );
        assert!(is_uuid(x["context"]["registration"].as_str().unwrap()));
    }

    let ans = &st[0];
    let scen = format!("{BASE}/scenario/late");
    assert_eq!(ans["object"]["id"], format!("{scen}/turn/open"));
    assert_eq!(
        ans["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/cmi.interaction"
    );
    assert_eq!(
        ans["object"]["definition"]["interactionType"],
        "long-fill-in"
    );
    assert_eq!(ans["result"]["response"], "非常抱歉让您久等了");
    assert_eq!(ans["result"]["score"]["scaled"], 0.9);
    assert_eq!(ans["result"]["score"]["raw"], 90);
    assert_eq!(ans["result"]["score"]["min"], 0);
    assert_eq!(ans["result"]["score"]["max"], 100);
    assert_eq!(ans["result"]["duration"], "PT20S");
    assert_eq!(st[1]["result"]["duration"], "PT35.25S");
    assert!(
        st[5]["result"].get("duration").is_none(),
        "no duration when secs unknown"
    );
    assert_eq!(
        ans["context"]["contextActivities"]["parent"][0]["id"],
        scen.as_str()
    );
    assert_eq!(ans["timestamp"], "2023-11-14T22:13:40.000Z");

    let done = &st[2];
    assert_eq!(done["object"]["id"], scen.as_str());
    assert_eq!(
        done["object"]["definition"]["name"]["zh-Hans"],
        "迟到的包裹"
    );
    assert_eq!(done["result"]["score"]["scaled"], 0.8);
    assert_eq!(done["result"]["success"], true);
    assert_eq!(done["result"]["completion"], true);
    assert_eq!(done["timestamp"], iso_time(passed.finished_ms.unwrap()));
    assert_eq!(st[3]["result"]["success"], true);
    assert_eq!(st[6]["object"]["definition"]["name"]["en-US"], "The refund");
    assert_eq!(st[7]["result"]["success"], false);
    assert_eq!(st[7]["result"]["score"]["scaled"], 0.8);

    // One registration per attempt.
    assert_eq!(
        st[0]["context"]["registration"],
        st[3]["context"]["registration"]
    );
    assert_ne!(
        st[0]["context"]["registration"],
        st[4]["context"]["registration"]
    );

    // Deterministic and unique ids: re-exporting (even with a trailing slash) gives the same.
    let again = s.to_xapi("Ada", &format!("{BASE}/"));
    assert_eq!(again, v);
    let mut ids: Vec<&str> = st.iter().map(|x| x["id"].as_str().unwrap()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), st.len());
    // An attempt's statements keep their ids when other attempts are added.
    let alone = store(vec![passed]).to_xapi("Ada", BASE);
    assert_eq!(alone[0]["id"], st[0]["id"]);
    assert_eq!(alone[3]["id"], st[3]["id"]);
}

fn numbers(s: &str) -> Vec<f32> {
    s.split(|c: char| c == ' ' || c == ',' || c.is_ascii_alphabetic())
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.parse::<f32>()
                .unwrap_or_else(|_| panic!("not a number: {t:?} in {s:?}"))
        })
        .collect()
}

fn check_radar(n: usize, values: &[f32], size: f32) {
    let labels: Vec<String> = (0..n).map(|i| format!("p{i}")).collect();
    let r = radar(&labels, values, size);
    assert_eq!(r.axes.len(), n);
    assert_eq!(r.label_pos.len(), n);
    assert_eq!(r.rings.len(), if n == 0 { 0 } else { 4 });
    let mut all: Vec<f32> = numbers(&r.shape);
    for ring in &r.rings {
        all.extend(numbers(ring));
    }
    for (x1, y1, x2, y2) in &r.axes {
        all.extend([*x1, *y1, *x2, *y2]);
    }
    for v in &all {
        assert!(
            v.is_finite() && *v >= 0.0 && *v <= size,
            "{v} outside 0..{size}"
        );
    }
    for (x, y, anchor) in &r.label_pos {
        assert!(x.is_finite() && y.is_finite());
        assert!(["start", "middle", "end"].contains(anchor));
    }
    assert_eq!(numbers(&r.shape).len(), 2 * n);
}

#[test]
fn radar_has_no_nan_and_stays_in_its_box() {
    check_radar(0, &[], 200.0);
    check_radar(0, &[0.5], 200.0);
    check_radar(1, &[0.7], 200.0);
    check_radar(1, &[], 200.0);
    check_radar(3, &[0.1, f32::NAN, f32::INFINITY], 120.0);
    check_radar(8, &[1.5, -2.0, 0.0, 1.0, 0.5, 0.25, 0.75, 0.9], 300.0);
    check_radar(13, &[0.3; 13], 64.0);
}

fn check_trend(points: &[(f64, f32)], w: f32, h: f32) {
    let t = trend(points, w, h);
    assert!(
        !t.path.contains("NaN") && !t.path.contains("inf"),
        "{}",
        t.path
    );
    let nums = numbers(&t.path);
    assert_eq!(nums.len(), 2 * t.dots.len());
    for (x, y) in &t.dots {
        assert!(x.is_finite() && y.is_finite());
        assert!((0.0..=w).contains(x) && (0.0..=h).contains(y), "({x},{y})");
    }
}

#[test]
fn trend_has_no_nan_with_few_or_identical_points() {
    let empty = trend(&[], 200.0, 60.0);
    assert_eq!(empty.path, "");
    assert!(empty.dots.is_empty());
    let one = trend(&[(1_700_000_000_000.0, 0.5)], 200.0, 60.0);
    assert_eq!(one.dots, vec![(100.0, 30.0)]);
    assert_eq!(one.path, "M100.0,30.0");
    check_trend(&[(5.0, 0.2), (5.0, 0.8), (5.0, 0.5)], 200.0, 60.0);
    check_trend(&[(f64::NAN, 0.2), (1.0, f32::NAN), (2.0, 7.0)], 200.0, 60.0);
    check_trend(&[(1.0, 0.0), (2.0, 1.0)], 220.0, 60.0);
    let t = trend(&[(1.0, 0.0), (2.0, 1.0)], 220.0, 60.0);
    assert_eq!(t.path, "M0.0,60.0 L220.0,0.0");
}

proptest! {
    // No regression file: integration tests have no lib.rs/main.rs for proptest to sit beside.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn charts_never_emit_nan(
        values in prop::collection::vec(any::<f32>(), 0..20),
        xs in prop::collection::vec((any::<f64>(), any::<f32>()), 0..20),
        size in 1.0f32..1000.0,
    ) {
        check_radar(values.len(), &values, size);
        check_trend(&xs, size, size / 3.0);
    }

    #[test]
    fn csv_parses_back_to_the_replies(reply in "\\PC*|[=+@,\"\r\n -]{0,8}[a-z]{0,4}") {
        let mut a = attempt("late", 1_700_000_000_000.0, true, "resolved");
        a.turns.truncate(1);
        a.turns[0].reply = reply.clone();
        let rows = parse_csv(&store(vec![a]).to_csv());
        prop_assert_eq!(rows.len(), 2);
        let got = &rows[1][12];
        // A formula sign first, or behind spaces and line breaks (a spreadsheet skips them), or a
        // tab or carriage return first: neutralised with a quote; anything else exactly as typed.
        let formula = reply
            .trim_start_matches(char::is_whitespace)
            .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']);
        let expect = if formula || reply.starts_with(['\t', '\r']) {
            format!("'{reply}")
        } else {
            reply
        };
        prop_assert_eq!(got, &expect);
    }
}

/// `kefu xapi FILE` on a trainee's export: the trainee the file names is the statements' actor
/// (a JSON export's `trainee`, an xAPI export's actor), so a cohort converted file by file is
/// one row per trainee on the dashboard; `--name`/`--id` replace it when given.
#[test]
fn kefu_xapi_keeps_the_trainee_the_file_names() {
    use kefu_core::cohort::Cohort;
    use kefu_core::xapi::Identity;
    let dir = std::env::temp_dir().join(format!("kefu-xapi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let xapi = |args: &[&str]| -> Value {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kefu"))
            .arg("xapi")
            .args(args)
            .output()
            .expect("kefu runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("statements")
    };
    let actor = |v: &Value| v.as_array().unwrap()[0]["actor"].clone();
    let li = Identity::new("李明", "liming@example.com").unwrap();
    let wang = Identity::new("王芳", "E7").unwrap();
    let li_file = dir.join("li.json");
    let wang_file = dir.join("wang.json");
    std::fs::write(
        &li_file,
        store(vec![attempt("late", 1000.0, true, "resolved")]).to_json_as(Some(&li)),
    )
    .unwrap();
    std::fs::write(
        &wang_file,
        store(vec![attempt("late", 2000.0, true, "resolved")]).to_json_as(Some(&wang)),
    )
    .unwrap();
    let (a, b) = (
        xapi(&[li_file.to_str().unwrap()]),
        xapi(&[wang_file.to_str().unwrap()]),
    );
    assert_eq!(actor(&a)["name"], "李明");
    assert_eq!(actor(&a)["mbox"], "mailto:liming@example.com");
    assert_eq!(actor(&b)["name"], "王芳");
    assert_eq!(actor(&b)["account"]["name"], "E7");
    let mut c = Cohort::default();
    c.add_statements(&[a.as_array().unwrap().clone(), b.as_array().unwrap().clone()].concat());
    assert_eq!(c.trainees.len(), 2, "two trainees, two rows");
    // An xAPI export converted again keeps its actor; the flags replace the file's trainee.
    let again = dir.join("li-xapi.json");
    std::fs::write(&again, serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(actor(&xapi(&[again.to_str().unwrap()])), actor(&a));
    // Two trainees' statements in one file: not made one trainee's unless the flags say so.
    let both = dir.join("both.json");
    let two = [a.as_array().unwrap().clone(), b.as_array().unwrap().clone()].concat();
    std::fs::write(&both, serde_json::to_string(&two).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["xapi", both.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("the statements of 2 trainees"));
    let named = xapi(&[
        "--name",
        "Ada",
        "--id",
        "ada@example.com",
        li_file.to_str().unwrap(),
    ]);
    assert_eq!(actor(&named)["mbox"], "mailto:ada@example.com");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A reader that stops early (`kefu xapi export.json | head`) ends `kefu` quietly, as it ends
/// any Unix tool: no panic about a broken pipe ("failed printing to stdout") on stderr.
#[test]
fn kefu_xapi_piped_into_a_reader_that_stops_early_does_not_panic() {
    use std::io::Read;
    let dir = std::env::temp_dir().join(format!("kefu-xapi-pipe-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("many.json");
    // Far more statements than a pipe holds (64 KB).
    let many = (0..300)
        .map(|i| attempt("late", 1000.0 + f64::from(i), true, "resolved"))
        .collect();
    std::fs::write(&file, store(many).to_json()).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["xapi", file.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    out.read_exact(&mut first).unwrap();
    drop(out);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(status.code(), Some(101), "{stderr}");
}
