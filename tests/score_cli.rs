//! `kefu score` end to end (contract §2): JSON Lines in, one JSON line out per input line, in
//! order; a bad line gets an error line and the run goes on; evidence in chars of the text as
//! given; `--scenario … --turn …` adds `facts` and `order`.

use serde_json::Value;
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const REPLY_IDS: [&str; 13] = [
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
];

/// What one run of `kefu` gave: stdout's lines as printed (no JSON round trip, which would
/// change a big number), stderr, the exit code.
struct Ran {
    lines: Vec<String>,
    stderr: String,
    code: Option<i32>,
}

/// At most this much of a stream is kept (a runaway loop must not fill the memory).
const KEEP: usize = 64 << 20;

/// The one place a test runs `kefu`: `args`, `input` written to stdin (or stdin taken from
/// `stdin`, e.g. a file), killed and the test failed if it runs past a minute.
fn run(args: &[&str], stdin: Option<Stdio>, input: &[u8]) -> Ran {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(args)
        .stdin(stdin.unwrap_or_else(Stdio::piped))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kefu runs");
    let writer = child.stdin.take().map(|mut w| {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = w.write_all(&input); // kefu may stop reading early: a broken pipe is fine
        })
    });
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let (mut kept, mut chunk) = (Vec::new(), vec![0u8; 1 << 16]);
            while let Ok(n @ 1..) = r.read(&mut chunk) {
                if kept.len() < KEEP {
                    kept.extend_from_slice(&chunk[..n]);
                }
            }
            kept
        })
    };
    let out = drain(Box::new(child.stdout.take().expect("stdout")));
    let err = drain(Box::new(child.stderr.take().expect("stderr")));
    let t = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if t.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("kefu {args:?} still running after a minute");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    if let Some(w) = writer {
        w.join().expect("stdin written");
    }
    let stdout = String::from_utf8(out.join().expect("stdout")).expect("UTF-8 output");
    Ran {
        lines: stdout.lines().map(str::to_string).collect(),
        stderr: String::from_utf8_lossy(&err.join().expect("stderr")).into_owned(),
        code: status.code(),
    }
}

/// `kefu ARGS` on `stdin`: its lines as JSON, and the exit code.
fn kefu(args: &[&str], stdin: &str) -> (Vec<Value>, i32) {
    let ran = run(args, None, stdin.as_bytes());
    let lines = ran
        .lines
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l}: {e}")))
        .collect();
    (lines, ran.code.unwrap_or(-1))
}

/// `kefu score`'s output lines as printed; it must exit 0.
fn kefu_raw(stdin: &str) -> Vec<String> {
    kefu_bytes(stdin.as_bytes())
}

fn kefu_bytes(stdin: &[u8]) -> Vec<String> {
    let ran = run(&["score"], None, stdin);
    assert_eq!(ran.code, Some(0), "{}", ran.stderr);
    ran.lines
}

/// The substring of `text` at a `[start, end)` char span.
fn at(text: &str, span: &Value) -> String {
    let s = span[0].as_u64().expect("start") as usize;
    let e = span[1].as_u64().expect("end") as usize;
    assert!(
        s < e && e <= text.chars().count(),
        "span {span} outside {text:?}"
    );
    text.chars().skip(s).take(e - s).collect()
}

fn evidence<'a>(line: &'a Value, id: &str) -> &'a Vec<Value> {
    line["principles"][id]["evidence"]
        .as_array()
        .unwrap_or_else(|| panic!("no evidence array for {id} in {line}"))
}

#[test]
fn order_kept_bad_line_reported_all_ids_present() {
    let input = [
        r#"{"id": 1, "text": "您好,非常抱歉让您久等了,我马上帮您催快递,今天下午给您回复。", "lang": "zh"}"#,
        r#"{"id": "two", "text": "I'm so sorry for the delay. I've arranged a replacement that ships today."}"#,
        r#"this is not JSON"#,
        r#"{"id": 4, "lang": "zh"}"#,
        r#"{"id": 5, "text": "hello", "lang": "fr"}"#,
        "",
        r#"{"id": [6], "text": "爱买不买!!!"}"#,
    ]
    .join("\n");
    let (out, code) = kefu(&["score"], &input);
    assert_eq!(code, 0);
    assert_eq!(
        out.len(),
        7,
        "one line per input line, blank included: {out:?}"
    );
    assert_eq!(out[0]["id"], 1);
    assert_eq!(out[1]["id"], "two");
    assert!(
        out[2]["error"].is_string(),
        "bad JSON gets an error: {}",
        out[2]
    );
    assert_eq!(out[3]["id"], 4);
    assert!(out[3]["error"].is_string(), "missing text: {}", out[3]);
    assert_eq!(out[4]["id"], 5);
    assert!(out[4]["error"].is_string(), "unknown lang: {}", out[4]);
    assert!(out[5]["error"].is_string(), "blank line: {}", out[5]);
    assert_eq!(out[6]["id"], serde_json::json!([6]));
    for line in [&out[0], &out[1], &out[6]] {
        let p = line["principles"].as_object().expect("principles");
        for id in REPLY_IDS {
            assert!(p.contains_key(id), "{id} missing from {line}");
            assert!(p[id]["hit"].is_boolean());
        }
        assert_eq!(
            p.len(),
            13,
            "no turn given: only the 13 reply principles: {line}"
        );
        let score = line["score"].as_u64().expect("score");
        assert!(score <= 100);
        let c = line["courtesy"].as_f64().expect("courtesy");
        assert!((0.0..=1.0).contains(&c));
        // Three decimals at most, printed as such.
        let printed = line["courtesy"].to_string();
        assert!(printed.len() <= 5, "courtesy printed as {printed}");
    }
    // The known weak spot: a chase with a reply time is a solution, and a follow-up.
    assert_eq!(out[0]["principles"]["solution"]["hit"], true);
    assert_eq!(out[0]["principles"]["follow_up"]["hit"], true);
    assert_eq!(out[6]["principles"]["rudeness"]["hit"], true);
    assert!(out[6]["courtesy"].as_f64().unwrap() < out[0]["courtesy"].as_f64().unwrap());
}

#[test]
fn evidence_spans_are_chars_of_the_text_as_given() {
    // Full-width letters and punctuation, Traditional script, astral-plane emoji before the
    // cue: offsets count Unicode scalar values of the original text.
    let texts = [
        "🙂🙂ＨＩ，王先生！非常抱歉讓您久等了，這是我們的失誤。",
        "親，對不起！請問您的訂單編號是多少？",
        "Ｈｉ Ｓａｒａｈ， ＩＭ ＳＯ ＳＯＲＲＹ！！！",
    ];
    let input: Vec<String> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| serde_json::json!({"id": i, "text": t}).to_string())
        .collect();
    let (out, _) = kefu(&["score"], &input.join("\n"));
    assert_eq!(out.len(), 3);

    let ap = evidence(&out[0], "apology");
    assert!(ap.iter().any(|s| at(texts[0], s) == "抱歉"), "{ap:?}");
    let own = evidence(&out[0], "ownership");
    assert!(
        own.iter().any(|s| at(texts[0], s).contains("失誤")),
        "{own:?}"
    );
    let ad = evidence(&out[0], "address");
    assert!(
        ad.iter().any(|s| at(texts[0], s).contains("先生")),
        "{ad:?}"
    );

    let ap = evidence(&out[1], "apology");
    assert!(ap.iter().any(|s| at(texts[1], s) == "對不起"), "{ap:?}");
    let pr = evidence(&out[1], "probe");
    assert!(
        pr.iter().any(|s| at(texts[1], s).contains("請問")),
        "{pr:?}"
    );
    assert!(out[1]["principles"]["address"]["hit"].as_bool().unwrap());

    let ap = evidence(&out[2], "apology");
    assert!(ap.iter().any(|s| at(texts[2], s) == "ＳＯＲＲＹ"), "{ap:?}");
    let ru = evidence(&out[2], "rudeness");
    assert!(ru.iter().any(|s| at(texts[2], s) == "！！！"), "{ru:?}");
    for line in &out {
        for id in REPLY_IDS {
            for span in evidence(line, id) {
                let _ = at(texts[line["id"].as_u64().unwrap() as usize], span);
            }
        }
    }
}

#[test]
fn scenario_turn_adds_facts_and_order() {
    let input = [
        r#"{"id": "good", "text": "王先生,非常抱歉让您久等了,理解您的着急。我马上为您申请补发,明天发出。", "lang": "zh"}"#,
        r#"{"id": "late", "text": "我马上为您申请补发,明天发出。很抱歉。", "lang": "zh"}"#,
    ]
    .join("\n");
    let (out, code) = kefu(
        &[
            "score",
            "--scenario",
            "tests/data/mini.toml",
            "--turn",
            "open",
        ],
        &input,
    );
    assert_eq!(code, 0, "{out:?}");
    assert_eq!(out.len(), 2);
    for line in &out {
        let p = line["principles"].as_object().expect("principles");
        assert!(p.contains_key("facts"), "{line}");
        assert!(p.contains_key("order"), "{line}");
        for id in REPLY_IDS {
            assert!(p.contains_key(id));
        }
    }
    assert_eq!(out[0]["principles"]["order"]["hit"], true, "{}", out[0]);
    assert_eq!(out[1]["principles"]["order"]["hit"], false, "{}", out[1]);

    // Usage errors: a turn that doesn't exist, or --scenario without --turn.
    let (_, code) = kefu(
        &[
            "score",
            "--scenario",
            "tests/data/mini.toml",
            "--turn",
            "nope",
        ],
        "",
    );
    assert_eq!(code, 2);
    let (_, code) = kefu(&["score", "--scenario", "tests/data/mini.toml"], "");
    assert_eq!(code, 2);
}

#[test]
fn the_app_language_tags_are_taken_in_any_case_and_others_refused() {
    let ok = [
        "zh", "en", "zh-Hans", "zh-Hant", "zh-CN", "zh-TW", "ZH-hant", "EN", "zh-tw",
    ];
    let input: Vec<String> = ok
        .iter()
        .map(|l| serde_json::json!({"id": l, "text": "非常抱歉", "lang": l}).to_string())
        .collect();
    let (out, _) = kefu(&["score"], &input.join("\n"));
    assert_eq!(out.len(), ok.len());
    for (line, l) in out.iter().zip(ok) {
        assert_eq!(line["id"], l);
        assert!(line.get("error").is_none(), "{l} refused: {line}");
        assert_eq!(line["principles"]["apology"]["hit"], true, "{line}");
    }
    // Other strings, and any value that is not a string, get an error line with the id.
    let bad = [
        r#""fr""#,
        r#""english""#,
        r#""zh-HK""#,
        r#""""#,
        "5",
        "null",
        "true",
        r#"["zh"]"#,
        r#"{"tag": "zh"}"#,
    ];
    let input: Vec<String> = bad
        .iter()
        .enumerate()
        .map(|(i, l)| format!(r#"{{"id": {i}, "text": "非常抱歉", "lang": {l}}}"#))
        .collect();
    let (out, _) = kefu(&["score"], &input.join("\n"));
    assert_eq!(out.len(), bad.len());
    for (i, line) in out.iter().enumerate() {
        assert_eq!(line["id"], i, "{line}");
        let e = line["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{} taken: {line}", bad[i]));
        assert!(e.contains("\"lang\"") && e.contains("zh-Hant"), "{e}");
        assert!(line.get("score").is_none());
    }
}

#[test]
fn one_output_line_per_input_line_blank_ones_included() {
    let input = "\n   \n{\"id\": 1, \"text\": \"sorry\"}\n\t\n\n";
    let out = kefu_raw(input);
    assert_eq!(out.len(), 5, "{out:#?}");
    for (i, line) in out.iter().enumerate() {
        let v: Value = serde_json::from_str(line).expect("JSON");
        if i == 2 {
            assert_eq!(v["id"], 1);
            assert!(v["score"].is_u64());
        } else {
            assert!(
                v["error"].as_str().is_some_and(|e| e.contains("blank")),
                "{line}"
            );
            assert!(v["id"].is_null());
        }
    }
}

#[test]
fn ids_are_echoed_exactly_as_written() {
    let ids = [
        "123456789012345678901234567890",
        "-98765432109876543210",
        "18446744073709551617",
        "1.50",
        "1e3",
        r#"{"run": 7, "tags": ["a", "b"]}"#,
        r#"[1, {"x": null}]"#,
        r#""emoji 🙂 \u00e9""#,
        "true",
        "null",
        // Valid JSON that serde_json's values can't hold: still echoed as written.
        "1e400",
        "-0",
        r#""\ud800 lone""#,
    ];
    let input: Vec<String> = ids
        .iter()
        .map(|id| format!(r#"{{"id": {id}, "text": "非常抱歉"}}"#))
        .collect();
    let out = kefu_raw(&input.join("\n"));
    assert_eq!(out.len(), ids.len());
    for (line, id) in out.iter().zip(ids) {
        assert!(
            line.starts_with(&format!(r#"{{"id":{id},"#)),
            "id {id} not echoed as written: {line}"
        );
        // The rest of the line as JSON (1e400 is JSON, but not a number serde_json takes).
        let rest = format!("{{{}", &line[format!(r#"{{"id":{id},"#).len()..]);
        let v: Value = serde_json::from_str(&rest).expect("the output is JSON");
        assert!(v["score"].is_u64(), "{line}");
    }
    // Also on an error line.
    let out = kefu_raw(r#"{"id": 340282366920938463463374607431768211457, "text": 5}"#);
    assert!(
        out[0].starts_with(r#"{"id":340282366920938463463374607431768211457,"error":"#),
        "{}",
        out[0]
    );
}

#[test]
fn valid_json_the_tool_cannot_take_still_answers_with_the_id() {
    let deep = format!("{}\"x\"{}", "[".repeat(200), "]".repeat(200));
    let input = [
        r#"{"id": "surrogate", "text": "\ud800 sorry"}"#.to_string(),
        format!(r#"{{"id": "deep", "text": {deep}}}"#),
        r#"{"id": "huge", "text": 1e400}"#.to_string(),
        r#"{"meta": {"id": 1}, "id": 12345678901234567890123, "text": "\udc00"}"#.to_string(),
        format!(r#"{{"id": "deep-elsewhere", "text": "sorry", "meta": {deep}}}"#),
    ];
    let out = kefu_raw(&input.join("\n"));
    assert_eq!(out.len(), input.len(), "{out:#?}");
    let v: Vec<Value> = out
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(v[0]["id"], "surrogate");
    assert!(v[0]["error"].is_string(), "{}", out[0]);
    assert_eq!(v[1]["id"], "deep");
    assert!(v[1]["error"].is_string(), "{}", out[1]);
    assert_eq!(v[2]["id"], "huge");
    assert!(v[2]["error"].is_string(), "{}", out[2]);
    assert!(
        out[3].starts_with(r#"{"id":12345678901234567890123,"error":"#),
        "{}",
        out[3]
    );
    // Nesting the tool never reads is no reason to refuse the line.
    assert_eq!(v[4]["id"], "deep-elsewhere");
    assert!(v[4]["score"].is_u64(), "{}", out[4]);
}

/// A line that is not UTF-8, or too long to take (over 16 MB), still gets its one error line,
/// with the id when it comes before the problem; the lines after it are scored as usual.
#[test]
fn a_line_not_utf8_or_too_long_answers_with_its_id_and_the_run_goes_on() {
    let mut input: Vec<u8> = Vec::new();
    input.extend_from_slice(b"{\"id\": \"latin1\", \"text\": \"caf\xe9 sorry\"}\n");
    input.extend_from_slice(b"{\"id\": \"bad\xff\", \"text\": \"sorry\"}\n");
    input.extend_from_slice(br#"{"id": 123456789012345678901234567890, "text": ""#);
    input.extend(std::iter::repeat_n(b'a', 17 << 20));
    input.extend_from_slice(b"\"}\n");
    input.extend_from_slice(b"{\"id\": \"after\", \"text\": \"sorry\"}\n");
    let out = kefu_bytes(&input);
    assert_eq!(out.len(), 4, "one line per input line: {out:#?}");
    let v: Vec<Value> = out
        .iter()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(v[0]["id"], "latin1", "{}", out[0]);
    assert!(
        v[0]["error"].as_str().unwrap().contains("UTF-8"),
        "{}",
        out[0]
    );
    // An id that is itself not UTF-8 can't be echoed as written: null, never a changed id.
    assert!(v[1]["id"].is_null(), "{}", out[1]);
    assert!(v[1]["error"].is_string(), "{}", out[1]);
    assert!(
        out[2].starts_with(r#"{"id":123456789012345678901234567890,"error":"#),
        "{}",
        &out[2][..out[2].len().min(200)]
    );
    assert!(out[2].contains("16 MB"), "{}", out[2]);
    assert_eq!(v[3]["id"], "after");
    assert!(v[3]["score"].is_u64(), "{}", out[3]);
}

/// A byte order mark before the first line (a file saved by a Windows editor) is not part of
/// it; one before a later line is an error like any other stray character.
#[test]
fn a_byte_order_mark_before_the_first_line_is_skipped() {
    let out = kefu_bytes(
        "\u{feff}{\"id\": 1, \"text\": \"sorry\"}\r\n\u{feff}{\"id\": 2, \"text\": \"sorry\"}\r\n"
            .as_bytes(),
    );
    assert_eq!(out.len(), 2, "{out:#?}");
    let first: Value = serde_json::from_str(&out[0]).unwrap();
    assert_eq!(first["id"], 1);
    assert!(first["score"].is_u64(), "{}", out[0]);
    let second: Value = serde_json::from_str(&out[1]).unwrap();
    assert!(second["error"].is_string(), "{}", out[1]);
}

/// Input that can't be read at all (stdin is a folder) ends the run with a message and exit 1,
/// instead of an error line for every failed read, forever.
#[cfg(unix)]
#[test]
fn an_input_that_cannot_be_read_stops_with_a_message() {
    let dir = std::fs::File::open(env!("CARGO_MANIFEST_DIR")).expect("the folder opens");
    let ran = run(&["score"], Some(Stdio::from(dir)), b"");
    assert_eq!(ran.code, Some(1), "{}", ran.stderr);
    assert!(ran.lines.len() <= 1, "{} lines", ran.lines.len());
    assert!(
        ran.stderr.contains("kefu score: cannot read the input"),
        "{}",
        ran.stderr
    );
}

/// What `kefu score` says on stderr echoes arguments and a file's values escaped, one line per
/// problem: a turn id holding a newline can't forge a `FILE:LINE:COL: error:` line.
#[test]
fn usage_errors_echo_arguments_on_one_line() {
    let forged = "nope\nevil.toml:1:1: error: forged\u{1b}[31m";
    let ran = run(
        &[
            "score",
            "--scenario",
            "tests/data/mini.toml",
            "--turn",
            forged,
        ],
        None,
        b"",
    );
    assert_eq!(ran.code, Some(2));
    assert_eq!(ran.stderr.lines().count(), 1, "{:?}", ran.stderr);
    assert!(!ran.stderr.contains('\u{1b}'), "{:?}", ran.stderr);
    assert!(
        ran.stderr
            .contains(r"nope\nevil.toml:1:1: error: forged\u{1b}[31m"),
        "{:?}",
        ran.stderr
    );
    let ran = run(&["score", "--bogus\nx"], None, b"");
    assert_eq!(ran.code, Some(2));
    assert!(
        ran.stderr
            .starts_with("kefu score: unknown argument `--bogus\\nx`"),
        "{:?}",
        ran.stderr
    );
}

/// At a turn that asks a yes/no question, the reply is judged against what the customer asked
/// there (the turn's line, as the app passes it): "这次我们会用双层纸箱包装" answers "能不能包装好一点?"
/// by saying the asked verb again, with no "可以" or "yes" in it. A reply that says neither
/// does not answer.
#[test]
fn a_turn_passes_the_customers_line_to_the_judge() {
    let input = [
        r#"{"id": "zh", "text": "这次我们会用双层纸箱加泡沫包装每个杯子,到货后我再跟您确认。", "lang": "zh"}"#,
        r#"{"id": "en", "text": "This time we will pack each cup in foam inside a double box, and I'll call you once it arrives.", "lang": "en"}"#,
        r#"{"id": "neither", "text": "感谢您的耐心,到货后我再跟您确认。", "lang": "zh"}"#,
    ]
    .join("\n");
    let args = [
        "score",
        "--scenario",
        "scenarios/angry-damaged-goods.toml",
        "--turn",
        "packaging",
    ];
    let (out, code) = kefu(&args, &input);
    assert_eq!(code, 0, "{out:?}");
    let answers = |i: usize| out[i]["principles"]["answers"]["hit"].clone();
    assert_eq!(answers(0), true, "{}", out[0]);
    assert_eq!(answers(1), true, "{}", out[1]);
    assert_eq!(answers(2), false, "{}", out[2]);
}

/// Without a scenario, a line may carry `context`: what the customer said, which the reply
/// answers (as `../shared/eval` lines do). The judge reads it as in play: saying the customer's
/// own words back is a restatement only against what they said. A `context` that is not a
/// string is that line's error.
#[test]
fn a_lines_context_is_what_the_customer_said() {
    let reply = "明白了，您收到的茶具两个杯子都碎了。";
    let input = [
        format!(r#"{{"id": 1, "text": "{reply}", "lang": "zh-Hans", "context": "我刚收到的茶具，两个杯子都碎了！"}}"#),
        format!(r#"{{"id": 2, "text": "{reply}", "lang": "zh-Hans"}}"#),
        format!(r#"{{"id": 3, "text": "{reply}", "lang": "zh-Hans", "context": null}}"#),
        r#"{"id": 4, "text": "ok", "context": ["my parcel"]}"#.to_string(),
    ]
    .join("\n");
    let (out, code) = kefu(&["score"], &input);
    assert_eq!(code, 0, "{out:?}");
    let restate = |i: usize| out[i]["principles"]["restate"]["hit"].clone();
    assert_eq!(restate(0), true, "{}", out[0]);
    assert_eq!(restate(1), false, "{}", out[1]);
    assert_eq!(restate(2), false, "{}", out[2]);
    assert_eq!(out[3]["id"], 4);
    let err = out[3]["error"].as_str().unwrap_or_default();
    assert!(
        err.contains("\"context\"") && err.contains("string"),
        "{}",
        out[3]
    );
}
