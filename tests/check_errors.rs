//! The checker speaks a trainer's language: each mistake gives one `FILE:LINE:COLUMN: error:`
//! line that says what is wrong and what to write instead (issue 4, "Done when"), and what is
//! legal but suspicious is a warning, not an error.
//!
//! The base scenario below carries no sample replies, so these tests don't depend on how the
//! scorer (tuned separately) judges any reply.

mod common;

use kefu_check::CheckOutput;
use kefu_core::scenario::{Diagnostic, Severity};
use std::process::Command;

const BASE: &str = r#"# A small, valid scenario.
id = "late"
kind = "angry"
languages = ["zh-Hans", "en"]
difficulty = 1
minutes = 3
title = { zh-Hans = "迟到的包裹", en = "The late parcel" }
brief = { zh-Hans = "王先生的包裹迟到了。", en = "Mr. Wang's parcel is late." }

[customer]
name = { zh-Hans = "王先生", en = "Mr. Wang" }
mood = 30
gives_up = "lost"

[placeholders]
order_id = ["A1001", "A1002"]

[[turn]]
id = "open"
say = [{ zh-Hans = "我的订单{order_id}怎么还没到?", en = "Where is my order {order_id}?" }]
expects = { apology = 2, empathy = 2, solution = 1 }
hint = { zh-Hans = "先道歉。", en = "Apologise first." }
model = [{ zh-Hans = "{name},非常抱歉让您久等了。", en = "{name}, I'm so sorry for the wait." }]

[[turn.next]]
any = ["blame", "rudeness"]
goto = "escalated"
mood = -30

[[turn.next]]
all = ["apology"]
goto = "compensation"
mood = 20

[[turn.next]]
goto = "lost"
mood = -20

[[turn]]
id = "compensation"
say = [{ zh-Hans = "那什么时候到?", en = "So when will it arrive?" }]
hint = { zh-Hans = "给出时间。", en = "Give a time." }
model = [{ zh-Hans = "明天送到。", en = "It will arrive tomorrow." }]

[[turn.next]]
any = ["solution"]
goto = "resolved"
mood = 20

[[turn.next]]
goto = "escalated"
mood = -20

[[ending]]
id = "resolved"
outcome = "resolved"
text = { zh-Hans = "好的。", en = "OK." }

[[ending]]
id = "escalated"
outcome = "escalated"
text = { zh-Hans = "我要投诉。", en = "I'm complaining." }

[[ending]]
id = "lost"
outcome = "lost"
text = { zh-Hans = "算了。", en = "Forget it." }
"#;

/// Checked in English as `kefu check` prints it, and in Chinese as the browser shows it (each
/// message of these tests is also shown to be translated: `common::check_in_every_language`).
fn check(src: &str) -> CheckOutput {
    common::check_in_every_language("late.toml", src)
}

fn errors(out: &CheckOutput) -> Vec<&Diagnostic> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect()
}

fn warnings(out: &CheckOutput) -> Vec<&Diagnostic> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .collect()
}

/// `src` with the first `from` replaced by `to`.
fn edit(src: &str, from: &str, to: &str) -> String {
    assert!(src.contains(from), "the base has no `{from}`");
    src.replacen(from, to, 1)
}

/// 1-based line and column (in chars) of the first `needle` in `src`.
fn pos(src: &str, needle: &str) -> (usize, usize) {
    let at = src.find(needle).expect("needle in source");
    let line = src[..at].matches('\n').count() + 1;
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, src[start..at].chars().count() + 1)
}

/// Exactly one diagnostic, an error, printed as `FILE:LINE:COLUMN: error: …`.
fn one_error(out: &CheckOutput) -> &Diagnostic {
    let errs = errors(out);
    assert_eq!(errs.len(), 1, "want one error, got {:#?}", out.diagnostics);
    let d = errs[0];
    let shown = d.to_string();
    let prefix = format!("late.toml:{}:{}: error: ", d.line, d.col);
    assert!(
        shown.starts_with(&prefix),
        "`{shown}` is not FILE:LINE:COLUMN: error: …"
    );
    assert!(d.line >= 1 && d.col >= 1);
    d
}

#[test]
fn the_base_scenario_has_no_errors() {
    let out = check(BASE);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    assert!(out.value.is_some());
}

#[test]
fn a_truncated_file_gives_one_error_on_its_last_line_saying_it_was_cut_short() {
    // Cut in the middle of the second turn's `say` line, as an interrupted copy would.
    let cut = BASE.find("So when will").unwrap();
    let src = &BASE[..cut];
    let out = check(src);
    let d = one_error(&out);
    assert_eq!(d.line, src.lines().count(), "{d}");
    assert!(d.message.contains("cut short"), "{d}");
    assert!(d.message.contains("restore the rest"), "{d}");
    assert!(out.value.is_none());

    // Cut inside a key name: the same single, clear error.
    let cut = BASE.find("outcome = \"lost\"").unwrap() + 3;
    let out = check(&BASE[..cut]);
    let d = one_error(&out);
    assert!(d.message.contains("cut short"), "{d}");
}

#[test]
fn a_misspelt_principle_gives_one_error_suggesting_the_right_id() {
    let src = edit(BASE, "apology = 2", "apolgy = 2");
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "apolgy"), "{d}");
    assert!(d.message.contains("unknown principle `apolgy`"), "{d}");
    assert!(d.message.contains("did you mean `apology`?"), "{d}");

    // In a branch condition too.
    let src = edit(BASE, r#"all = ["apology"]"#, r#"all = ["apologie"]"#);
    let d = one_error(&check(&src)).clone();
    assert_eq!((d.line, d.col), pos(&src, "\"apologie\""), "{d}");
    assert!(d.message.contains("did you mean `apology`?"), "{d}");
}

#[test]
fn a_dangling_branch_gives_one_error_suggesting_the_nearest_id() {
    let src = edit(BASE, r#"goto = "compensation""#, r#"goto = "compensaton""#);
    let out = check(&src);
    let d = one_error(&out);
    // At the misspelt name, not at the (now unreachable) turn it meant.
    assert_eq!((d.line, d.col), pos(&src, "\"compensaton\""), "{d}");
    assert!(
        d.message.contains("`compensaton` is not a turn or ending"),
        "{d}"
    );
    assert!(d.message.contains("did you mean `compensation`?"), "{d}");

    // Nothing close: list what exists instead of guessing.
    let src = edit(BASE, r#"goto = "compensation""#, r#"goto = "xyzzy""#);
    let d = one_error(&check(&src)).clone();
    assert!(d.message.contains("write one of:"), "{d}");
    assert!(d.message.contains("compensation"), "{d}");
    // In Chinese the list is joined as Chinese writes one (、), not with English commas.
    let zh =
        kefu_check::check_source_in("late.toml", &src, true, kefu_core::principles::Lang::ZhHans);
    let zh = &one_error(&zh).message;
    assert!(zh.contains("compensation、escalated"), "{zh}");

    // The "otherwise" branch's own `goto` misspelt: only that error, not also "the last
    // `[[turn.next]]` has a condition" (it has none).
    let src = edit(
        BASE,
        "goto = \"lost\"\nmood = -20",
        "goto = \"lots\"\nmood = -20",
    );
    let d = one_error(&check(&src)).clone();
    assert_eq!((d.line, d.col), pos(&src, "\"lots\""), "{d}");
    assert!(d.message.contains("did you mean `lost`?"), "{d}");
}

/// A value of the wrong kind says what the key takes and what to write, in a trainer's words
/// (not serde's "invalid type: string \"2\", expected i64"); a table opened with one bracket
/// where two are needed says so.
#[test]
fn a_value_of_the_wrong_kind_says_what_to_write() {
    let cases = [
        (
            "difficulty = 1",
            "difficulty = \"2\"",
            "\"2\"",
            "a whole number, without quotes: write `2`",
        ),
        (
            "mood = 30",
            "mood = 25.5",
            "25.5",
            "a whole number, without a decimal point",
        ),
        (
            "languages = [\"zh-Hans\", \"en\"]",
            "languages = \"en\"",
            "\"en\"",
            "a list in square brackets, like `[\"zh-Hans\", \"en\"]`",
        ),
        (
            "title = { zh-Hans = \"迟到的包裹\", en = \"The late parcel\" }",
            "title = \"The late parcel\"",
            "\"The late parcel\"",
            "a table in braces",
        ),
    ];
    for (from, to, at, says) in cases {
        let src = edit(BASE, from, to);
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!((d.line, d.col), pos(&src, at), "{d}");
        assert!(d.message.contains(says), "{to}: {d}");
        assert!(!d.message.contains("invalid type"), "{to}: {d}");
    }
    // The second turn opened as `[turn]`: the key set twice, and how to open a turn.
    let src = edit(
        BASE,
        "[[turn]]\nid = \"compensation\"",
        "[turn]\nid = \"compensation\"",
    );
    let d = errors(&check(&src))[0].clone();
    assert!(d.message.contains("`[[turn]]`"), "{d}");
}

#[test]
fn the_binary_prints_file_line_column_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("kefu-check-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("late.toml");
    let src = edit(BASE, r#"goto = "compensation""#, r#"goto = "compensaton""#);
    std::fs::write(&file, &src).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg("check")
        .arg(&file)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let (line, col) = pos(&src, "\"compensaton\"");
    let want = format!("{}:{line}:{col}: error: ", file.display());
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.starts_with(&want), "{stdout}");
    assert!(stdout.contains("did you mean `compensation`?"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 error(s)"));

    std::fs::write(&file, BASE).unwrap();
    let ok = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .args(["check", dir.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let usage = Command::new(env!("CARGO_BIN_EXE_kefu"))
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(usage.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn semantic_errors_are_located_and_say_what_to_write() {
    // (edit from, edit to, text at the error, words the message must contain)
    let cases: &[(&str, &str, &str, &[&str])] = &[
        // Duplicate ids: an ending named like a turn.
        (
            "[[ending]]\nid = \"resolved\"",
            "[[ending]]\nid = \"open\"\noutcome = \"lost\"\ntext = { zh-Hans = \"好。\", en = \"OK.\" }\n\n[[ending]]\nid = \"resolved\"",
            "\"open\"\noutcome",
            &["duplicate id `open`", "its own id"],
        ),
        // A language declared but missing.
        (
            r#"title = { zh-Hans = "迟到的包裹", en = "The late parcel" }"#,
            r#"title = { zh-Hans = "迟到的包裹" }"#,
            r#"{ zh-Hans = "迟到的包裹" }"#,
            &["declares `en`", "add `en = "],
        ),
        // An empty variant list.
        (
            r#"say = [{ zh-Hans = "那什么时候到?", en = "So when will it arrive?" }]"#,
            "say = []",
            "[]",
            &["no customer line", "at least one variant"],
        ),
        // An unknown placeholder, with the near one suggested.
        (
            "我的订单{order_id}",
            "我的订单{order_di}",
            "{order_di}",
            &["unknown placeholder `{order_di}`", "did you mean `{order_id}`?"],
        ),
        // A mood out of range: the value given and one to write.
        (
            "mood = 30",
            "mood = 130",
            "130",
            &["mood 130 is out of range", "from 0 (furious) to 100 (happy)", "`mood = 100`"],
        ),
        // An unknown kind.
        (
            r#"kind = "angry""#,
            r#"kind = "furious""#,
            r#""furious""#,
            &["unknown kind `furious`", "`angry`, `objection` or `product`"],
        ),
        // An unknown key.
        (
            "difficulty = 1",
            "dificulty = 1",
            "dificulty",
            &["unknown key `dificulty`", "did you mean `difficulty`?"],
        ),
        // A missing "otherwise" branch.
        (
            "[[turn.next]]\ngoto = \"escalated\"\nmood = -20\n",
            "",
            "[[turn.next]]\nany = [\"solution\"]",
            &["some replies lead nowhere", "only `goto`"],
        ),
    ];
    for (from, to, at, words) in cases {
        let src = edit(BASE, from, to);
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!((d.line, d.col), pos(&src, at), "{d}");
        for w in *words {
            assert!(d.message.contains(w), "`{d}` should say `{w}`");
        }
    }
}

#[test]
fn unreachable_turns_and_endless_loops_are_errors() {
    // `compensation` only loops to itself: no ending can be reached from it.
    let src = BASE
        .replace(
            "goto = \"resolved\"\nmood = 20",
            "goto = \"compensation\"\nmood = 20",
        )
        .replace(
            "goto = \"escalated\"\nmood = -20",
            "goto = \"compensation\"\nmood = -20",
        );
    let out = check(&src);
    let d = one_error(&out);
    assert!(d
        .message
        .contains("no ending can be reached from turn `compensation`"));

    // A turn nothing leads to.
    let src = edit(BASE, r#"goto = "compensation""#, r#"goto = "resolved""#);
    let out = check(&src);
    let d = one_error(&out);
    assert!(
        d.message.contains("`compensation` can never be reached"),
        "{d}"
    );
}

#[test]
fn sample_replies_whose_outcome_differs_show_both() {
    // An empty-ish reply at `open` takes the "otherwise" branch (`lost`), whatever the scorer's
    // tuning; the file expects `compensation`.
    let src = format!(
        "{BASE}\n[[sample]]\nturn = \"open\"\nreply = \"嗯。\"\nexpect = \"compensation\"\n"
    );
    let out = check(&src);
    let d = one_error(&out);
    assert!(d.message.contains("leads to `lost`"), "{d}");
    assert!(d.message.contains("expects `compensation`"), "{d}");

    let src = format!("{BASE}\n[[sample]]\nturn = \"opne\"\nreply = \"嗯。\"\nexpect = \"lost\"\n");
    let d = one_error(&check(&src)).clone();
    assert!(d.message.contains("did you mean `open`?"), "{d}");
}

#[test]
fn legal_but_suspicious_things_are_warnings_not_errors() {
    // No model answer, a hint missing a language, fewer than 4 samples, text in an undeclared
    // language, a term both jargon and allowed, a turn with no hint, a placeholder in a title, too few turns allowed to resolve.
    let src = edit(
        BASE,
        r#"model = [{ zh-Hans = "明天送到。", en = "It will arrive tomorrow." }]"#,
        "jargon = [\"ETA\"]\nallow = [\"ETA\"]",
    );
    let src = edit(
        &src,
        r#"hint = { zh-Hans = "先道歉。", en = "Apologise first." }"#,
        r#"hint = { zh-Hans = "先道歉。", zh-Hant = "先道歉。" }"#,
    );
    let src = edit(
        &src,
        r#"hint = { zh-Hans = "给出时间。", en = "Give a time." }"#,
        "",
    );
    let src = edit(&src, "minutes = 3", "minutes = 3\nmax_turns = 1");
    let src = edit(
        &src,
        r#"en = "The late parcel""#,
        r#"en = "Order {order_id} is late""#,
    );
    let src = format!("{src}\n[[sample]]\nturn = \"open\"\nreply = \"嗯。\"\nexpect = \"lost\"\n");
    let out = check(&src);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    assert!(out.value.is_some());
    let w: Vec<String> = warnings(&out).iter().map(|d| d.to_string()).collect();
    let has = |s: &str| w.iter().any(|d| d.contains(s));
    assert!(has("has no model answer"), "{w:#?}");
    assert!(has("has no `en` text"), "{w:#?}");
    assert!(has("`languages` does not list `zh-Hant`"), "{w:#?}");
    assert!(has("1 sample replies; add at least 4"), "{w:#?}");
    assert!(has("both in `jargon` and in `allow`"), "{w:#?}");
    assert!(has("turn `compensation` has no hint"), "{w:#?}");
    assert!(has("`{placeholder}` in it is not filled"), "{w:#?}");
    assert!(
        has("takes 2 replies, so the customer always gives up first"),
        "{w:#?}"
    );
    for d in warnings(&out) {
        assert!(d.to_string().contains(": warning: "), "{d}");
    }
}

#[test]
fn checked_samples_are_kept_on_the_scenario() {
    let src = format!(
        "{BASE}\n[[sample]]\nturn = \"open\"\nreply = \"嗯。\"\nexpect = \"lost\"\nlabel = \"empty\"\n"
    );
    let out = check(&src);
    let s = out.value.expect("valid");
    assert_eq!(s.samples.len(), 1);
    assert_eq!(s.samples[0].label.as_deref(), Some("empty"));
    assert_eq!(s.samples[0].line, pos(&src, "[[sample]]").0);
}

#[test]
fn a_fact_value_must_be_a_plain_number() {
    // TOML allows nan and inf; a fact's number must survive JSON (the browser's library) as is.
    for bad in ["nan", "inf", "-inf"] {
        let at = BASE.find("[[turn.next]]").expect("the base has a branch");
        let src = format!(
            "{}[[turn.facts]]\nid = \"power\"\nvalue = {bad}\nunits = [\"kW\"]\n\n{}",
            &BASE[..at],
            &BASE[at..]
        );
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!((d.line, d.col), pos(&src, &format!("{bad}\nunits")), "{d}");
        assert!(d.message.contains("plain number"), "{d}");
    }
}

/// Placeholders that fill each other (`a = ["{b}{b}…"]`, `b = ["{c}{c}…"]`, …) grew without
/// bound: 3.6 KB of them made the checker allocate 8.5 GB. Filling is bounded in depth and in
/// size, with an error on the value that goes too far; the checker's work stays small.
#[test]
fn placeholders_filling_each_other_are_bounded_in_depth_and_size() {
    // Size: `a` is 100 `{b}`, each 100 `{c}`, each 5 chars: 50,000 chars once filled.
    let a = "{b}".repeat(100);
    let b = "{c}".repeat(100);
    let src = edit(
        BASE,
        r#"order_id = ["A1001", "A1002"]"#,
        &format!(
            "order_id = [\"A1001\", \"A1002\"]\na = [\"{a}\"]\nb = [\"{b}\"]\nc = [\"xxxxx\"]"
        ),
    );
    let src = edit(&src, "王先生的包裹迟到了。", "王先生的包裹{a}迟到了。");
    let t = std::time::Instant::now();
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, &format!("\"{a}\"")), "{d}");
    assert!(
        d.message
            .contains("placeholder `a` grows to 50000 characters"),
        "{d}"
    );
    assert!(d.message.contains("write it as plain text"), "{d}");

    // Depth: e ← d ← c ← b ← a, one each: `b` is the first too deep.
    let src = edit(
        BASE,
        r#"order_id = ["A1001", "A1002"]"#,
        "order_id = [\"A1001\", \"A1002\"]\na = [\"<{b}>\"]\nb = [\"<{c}>\"]\nc = [\"<{d}>\"]\nd = [\"<{e}>\"]\ne = [\"end\"]",
    );
    let out = check(&src);
    let errs = errors(&out);
    assert!(!errs.is_empty(), "{:#?}", out.diagnostics);
    assert_eq!(
        (errs[0].line, errs[0].col),
        pos(&src, "\"<{b}>\""),
        "{}",
        errs[0]
    );
    assert!(errs[0].message.contains("levels deep"), "{}", errs[0]);

    // The bomb of the report, 7 levels of 100: refused at once.
    let mut bomb = String::from("order_id = [\"A1001\", \"A1002\"]\n");
    let names = ["p", "q", "r", "s", "t", "u", "v", "w"];
    for w in names.windows(2) {
        bomb.push_str(&format!(
            "{} = [\"{}\"]\n",
            w[0],
            format!("{{{}}}", w[1]).repeat(100)
        ));
    }
    bomb.push_str("w = [\"x\"]\n");
    let src = edit(BASE, "order_id = [\"A1001\", \"A1002\"]\n", &bomb);
    let src = edit(&src, "王先生的包裹迟到了。", "{p}");
    let out = check(&src);
    assert!(!errors(&out).is_empty());
    assert!(out.value.is_none());
    assert!(
        t.elapsed() < std::time::Duration::from_secs(20),
        "the checker took {:?}",
        t.elapsed()
    );
}

#[test]
fn mood_and_turns_conditions_with_bad_values_are_located_errors() {
    for (cond, key, says) in [
        (
            "mood_below = 0",
            "mood_below",
            "`mood_below` is from 1 to 100",
        ),
        (
            "mood_above = 100",
            "mood_above",
            "`mood_above` is from 0 to 99",
        ),
        (
            "turns_taken = 0",
            "turns_taken",
            "`turns_taken` is from 1 to 100",
        ),
        (
            "max_score = 100\nturns_taken = 13",
            "turns_taken",
            "`turns_taken = 13` never holds",
        ),
        (
            "mood_below = 20\nmood_above = 19",
            "mood_below",
            "no mood is both below 20 and above 19",
        ),
    ] {
        let src = edit(
            BASE,
            "all = [\"apology\"]\ngoto = \"compensation\"",
            &format!("all = [\"apology\"]\n{cond}\ngoto = \"compensation\""),
        );
        let out = check(&src);
        let d = one_error(&out);
        assert!(d.message.contains(says), "{cond}: {d}");
        let (line, _) = pos(&src, &format!("{key} ="));
        assert_eq!(d.line, line, "{cond}: {d}");
    }
    // Good values are accepted and kept.
    let src = edit(
        BASE,
        "all = [\"apology\"]\ngoto = \"compensation\"",
        "all = [\"apology\"]\nmood_below = 50\nmood_above = 10\nturns_taken = 1\ngoto = \"compensation\"",
    );
    let out = check(&src);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let s = out.value.unwrap();
    let c = &s.turns[0].next[1].cond;
    assert_eq!(
        (c.mood_below, c.mood_above, c.turns_taken),
        (Some(50), Some(10), Some(1))
    );
}

#[test]
fn reachability_accounts_for_mood_and_giving_up() {
    // The only way to `compensation` drops the mood from 30 to 0: the customer gives up first.
    let src = edit(
        BASE,
        "goto = \"compensation\"\nmood = 20",
        "goto = \"compensation\"\nmood = -30",
    );
    let out = check(&src);
    let w: Vec<String> = warnings(&out).iter().map(|d| d.to_string()).collect();
    assert!(
        w.iter()
            .any(|d| d
                .contains("turn `compensation` can never be reached when the scenario is played")),
        "{w:#?}"
    );
    // A branch whose mood condition never holds where it is: the mood at `open` is always 30.
    let src = edit(
        BASE,
        "all = [\"apology\"]\ngoto = \"compensation\"",
        "all = [\"apology\"]\nmood_below = 20\ngoto = \"compensation\"",
    );
    let out = check(&src);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let w: Vec<String> = warnings(&out).iter().map(|d| d.to_string()).collect();
    let (line, _) = pos(&src, "[[turn.next]]\nall = [\"apology\"]\nmood_below");
    assert!(
        w.iter().any(|d| d.contains(&format!("late.toml:{line}:"))
            && d.contains("this branch can never be taken")
            && d.contains("mood is only ever 30 to 30")),
        "{w:#?}"
    );
}

#[test]
fn a_mood_out_of_range_is_one_error_not_a_cascade_of_warnings() {
    // Read as 0, a mood of -150 made each branch down from the opening a warning that it
    // ends the session.
    let base = edit(
        BASE,
        "goto = \"lost\"\nmood = -20",
        "goto = \"compensation\"\nmood = -5",
    );
    let src = edit(&base, "mood = 30", "mood = -150");
    let out = check(&src);
    let d = one_error(&out);
    assert!(d.message.contains("-150"), "{d}");
    // No warning the base has not (those of a file without errors may go: its samples are
    // not played).
    let base = check(&base);
    let had: Vec<&str> = warnings(&base).iter().map(|d| d.message.as_str()).collect();
    for w in warnings(&out) {
        assert!(had.contains(&w.message.as_str()), "{w}");
    }
}

#[test]
fn one_reply_from_the_opening_that_ends_the_session_is_a_warning_unless_final() {
    // BASE: blaming at the opening goes straight to `escalated`, anything else to `lost`.
    let out = check(BASE);
    let w: Vec<&Diagnostic> = warnings(&out);
    let ends: Vec<&&Diagnostic> = w
        .iter()
        .filter(|d| {
            d.message
                .contains("one reply to the opening can end the session")
        })
        .collect();
    assert_eq!(ends.len(), 2, "{w:#?}");
    assert!(
        ends[0].message.contains("`escalated` (Escalated)"),
        "{}",
        ends[0]
    );
    assert!(
        ends[1].message.contains("`lost` (Customer lost)"),
        "{}",
        ends[1]
    );
    assert_eq!(ends[0].line, pos(BASE, "[[turn.next]]\nany = [\"blame\"").0);
    // In Chinese, the outcome by the name the app shows (not `lost`（lost）).
    let zh =
        kefu_check::check_source_in("late.toml", BASE, true, kefu_core::principles::Lang::ZhHans);
    assert!(
        zh.diagnostics
            .iter()
            .any(|d| d.message.contains("`lost`（客户流失）")),
        "{:#?}",
        zh.diagnostics
    );
    // A mood drop to 0 on the way to a turn ends it too.
    let src = edit(
        BASE,
        "goto = \"escalated\"\nmood = -30",
        "goto = \"compensation\"\nmood = -30",
    );
    let out = check(&src);
    assert!(
        warnings(&out)
            .iter()
            .any(|d| d.message.contains("one reply to the opening")
                && d.message.contains("the mood falls to 0: 30 -30")),
        "{:#?}",
        out.diagnostics
    );
    // `final = true` says it is intended.
    let src = edit(
        BASE,
        "goto = \"escalated\"\nmood = -30",
        "goto = \"escalated\"\nmood = -30\nfinal = true",
    );
    let src = edit(
        &src,
        "goto = \"lost\"\nmood = -20",
        "goto = \"lost\"\nmood = -20\nfinal = true",
    );
    let out = check(&src);
    assert!(
        !out.diagnostics
            .iter()
            .any(|d| d.message.contains("one reply to the opening")),
        "{:#?}",
        out.diagnostics
    );
}

#[test]
fn samples_are_played_like_the_app_with_the_mood_along_the_path() {
    // The blaming branch now goes to a turn, but drops the mood from 30 to 0: the engine ends
    // the session at `lost` (gives_up), and the checker says so with the mood along the path.
    let src = edit(
        BASE,
        "goto = \"escalated\"\nmood = -30",
        "goto = \"compensation\"\nmood = -30",
    );
    let src = format!(
        "{src}\n[[sample]]\nturn = \"open\"\nlang = \"en\"\nreply = \"Calm down. It's your own fault, read the policy yourself!!!\"\nexpect = \"compensation\"\n"
    );
    let out = check(&src);
    let d = one_error(&out);
    assert!(d.message.contains("leads to `lost`"), "{d}");
    assert!(d.message.contains("open (mood 30) → lost (mood 0)"), "{d}");
    assert!(
        d.message
            .contains("the customer gives up first: the mood falls to 0"),
        "{d}"
    );

    // A sample at a later turn continues the conversation of the sample that led there: the
    // branch at `compensation` holds only when the mood is above 40 (30 + 20 after an apology).
    let src = edit(
        BASE,
        "any = [\"solution\"]\ngoto = \"resolved\"",
        "mood_above = 40\ngoto = \"resolved\"",
    );
    let src = format!(
        "{src}\n[[sample]]\nturn = \"open\"\nreply = \"王先生,非常抱歉让您久等了。\"\nexpect = \"compensation\"\n\n[[sample]]\nturn = \"compensation\"\nreply = \"嗯。\"\nexpect = \"resolved\"\n"
    );
    let out = check(&src);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    // The same reply with a customer who is not calm enough does not resolve.
    let src = src.replace("mood_above = 40", "mood_above = 60");
    let out = check(&src);
    let d = one_error(&out);
    assert!(
        d.message
            .contains("open (mood 30) → compensation (mood 50) → escalated (mood 30)"),
        "{d}"
    );
}

/// A region's code for one of the format's languages (`zh-CN`, `zh-HK`) gets one error saying
/// the format's own code, and the file is checked as that language: no second error claiming
/// no language is listed.
#[test]
fn a_regional_language_code_gives_one_error_naming_the_formats_code() {
    let src = edit(
        BASE,
        r#"languages = ["zh-Hans", "en"]"#,
        r#"languages = ["zh-CN", "en"]"#,
    );
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "\"zh-CN\""), "{d}");
    assert!(
        d.message
            .contains("unknown language `zh-CN`: write `zh-Hans`"),
        "{d}"
    );
    let src = edit(
        BASE,
        r#"languages = ["zh-Hans", "en"]"#,
        r#"languages = ["zh-HK"]"#,
    );
    let out = check(&src);
    assert!(
        out.diagnostics
            .iter()
            .all(|d| !d.message.contains("list at least one language")),
        "{:#?}",
        out.diagnostics
    );
    assert!(out.diagnostics.iter().any(|d| d
        .message
        .contains("unknown language `zh-HK`: write `zh-Hant`")));
    // An empty list is what that error is for.
    let src = edit(BASE, r#"languages = ["zh-Hans", "en"]"#, "languages = []");
    assert!(check(&src)
        .diagnostics
        .iter()
        .any(|d| d.message.contains("list at least one language")));
}

/// A table header with a bracket missing or extra says which header to write.
#[test]
fn a_header_with_unmatched_brackets_says_which_header_to_write() {
    for (typed, want) in [
        ("[turn]]", "[[turn]]"),
        ("[[turn]", "[[turn]]"),
        ("[[turn.next]", "[[turn.next]]"),
        ("[customer", "[customer]"),
    ] {
        let header = if want == "[customer]" {
            "[customer]"
        } else if want == "[[turn.next]]" {
            "[[turn.next]]"
        } else {
            "[[turn]]"
        };
        let src = edit(BASE, header, typed);
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!((d.line, d.col), pos(&src, typed), "{d}");
        assert!(
            d.message.contains(&format!("write `{want}`")),
            "{typed}: {d}"
        );
    }
}

#[test]
fn a_straight_quote_inside_chinese_text_is_the_error_not_what_follows_it() {
    // Quotation marks typed as straight quotes inside a line, as a Chinese trainer quotes the
    // customer; the parser's own words were about the text after them.
    let src = edit(
        BASE,
        "hint = { zh-Hans = \"先道歉。\"",
        "hint = { zh-Hans = \"先说\"对不起\"。\"",
    );
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "\"对不起"), "{d}");
    assert!(d.message.contains("write `\\\"`"), "{d}");
    // Split over two lines (a paste): the string left open is the error, not the 。 after it.
    let src = edit(
        BASE,
        "hint = { zh-Hans = \"先道歉。\"",
        "hint = { zh-Hans = \"先道歉，\n再给时间。\"",
    );
    let out = check(&src);
    let d = &out.diagnostics[0];
    assert_eq!((d.line, d.col), pos(&src, "\"先道歉"), "{d}");
    assert!(d.message.contains("not closed"), "{d}");
}

#[test]
fn a_parser_symptom_is_reported_as_the_mistake_with_what_to_write() {
    // Each: (what the base has, what a trainer typed, where the error must point: the text
    // there and how many chars after its start, words of the message). The parser's own words
    // named a symptom, often on the next line ("missing comma between array elements" where
    // the key after a list left open begins), in English only.
    let cases: [(&str, &str, (&str, usize), &str); 13] = [
        // A list left open: closed at the end of its line, not where the next key begins.
        (
            "languages = [\"zh-Hans\", \"en\"]",
            "languages = [\"zh-Hans\", \"en\"",
            ("\"en\"\ndifficulty", 4),
            "the `[` opened on line 4 is not closed: end it with `]` here",
        ),
        // A table in braces left open, with a comment on its line: closed before the comment.
        (
            "late.\" }",
            "late.\"  # brief",
            ("  # brief", 0),
            "the `{` opened on line 8 is not closed: end it with `}` here",
        ),
        (
            "mood = 30",
            "mood = 30,",
            ("30,", 2),
            "remove the `,`",
        ),
        (
            "difficulty = 1",
            "difficulty = 简单",
            ("简单", 0),
            "`difficulty` takes a number written in digits, not `简单`: for example `difficulty = 1`",
        ),
        (
            "difficulty = 1",
            "difficulty = １",
            ("１", 0),
            "`１` is written in full-width digits: write `1`",
        ),
        (
            "apology = 2, empathy",
            "apology = 二, empathy",
            ("二", 0),
            "`apology` takes a number",
        ),
        (
            "minutes = 3",
            "minutes =",
            ("minutes =", 9),
            "`minutes` has no value after `=`",
        ),
        (
            "gives_up = \"lost\"",
            "gives_up = lost",
            ("= lost", 2),
            "text must be in quotes: write `gives_up = \"lost\"`",
        ),
        // A word beginning with t or f, which the parser took for `true`/`false` begun.
        (
            "goto = \"compensation\"",
            "goto = finish",
            ("= finish", 2),
            "text must be in quotes: write `goto = \"finish\"`",
        ),
        // A comma left out between two pairs in braces: not a quote inside the text.
        (
            "name = { zh-Hans = \"王先生\", en = \"Mr. Wang\" }",
            "name = { zh-Hans = \"王先生\" en = \"Mr. Wang\" }",
            ("en = \"Mr. Wang\"", 0),
            "a `,` is missing before `en`",
        ),
        // `final` takes true or false, not text.
        (
            "goto = \"compensation\"",
            "goto = \"compensation\"\nfinal = yes",
            ("= yes", 2),
            "`final` is `true` or `false`, not `yes`: for example `final = true`",
        ),
        (
            "minutes = 3",
            "min utes = 3",
            ("min utes", 0),
            "a key has no spaces: write `min_utes`, not `min utes`",
        ),
        (
            "mood = 30",
            "同情 = 30",
            ("同情", 0),
            "`同情` is the principle's name as the app shows it; a key is its id: write `empathy`",
        ),
    ];
    for (from, to, (at, after), words) in cases {
        let src = edit(BASE, from, to);
        let out = check(&src);
        let d = one_error(&out);
        let (line, col) = pos(&src, at);
        assert_eq!((d.line, d.col), (line, col + after), "{to}: {d}");
        assert!(d.message.contains(words), "{to}: {d}");
    }
    // A key in Chinese that names no principle.
    let src = edit(BASE, "mood = 30", "心情 = 30");
    let d = one_error(&check(&src)).clone();
    assert!(d.message.contains("`心情` is not a key"), "{d}");
    // Words of the parser the checker has no rule for are still said in plain words.
    let src = edit(BASE, "difficulty = 1", "difficulty = 01");
    let d = one_error(&check(&src)).clone();
    assert_eq!(
        d.message,
        "a number cannot start with 0 (see docs/scenario-format.md)"
    );
}

#[test]
fn a_declared_language_no_text_has_is_one_error_at_its_place_in_languages() {
    // Declared, never written: one error where it is declared, with both ways out (it was one
    // error per text, 11 here, none of them saying it could be removed instead).
    let src = edit(
        BASE,
        "languages = [\"zh-Hans\", \"en\"]",
        "languages = [\"zh-Hans\", \"en\", \"zh-Hant\"]",
    );
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "\"zh-Hant\""), "{d}");
    assert!(d.message.contains("no text has it"), "{d}");
    assert!(d.message.contains("remove it from `languages`"), "{d}");
    assert!(
        d.message.contains("add `zh-Hant = \"…\"` to every text"),
        "{d}"
    );
    // Written in some texts and not in others: each text that lacks it is named, as before.
    let src = edit(
        &src,
        "title = { zh-Hans = \"迟到的包裹\",",
        "title = { zh-Hant = \"遲到的包裹\", zh-Hans = \"迟到的包裹\",",
    );
    let out = check(&src);
    let errs = errors(&out);
    assert!(errs.len() > 5, "{errs:#?}");
    assert!(
        errs.iter()
            .all(|d| d.message.contains("has no `zh-Hant` text")),
        "{errs:#?}"
    );
    assert!(!errs.iter().any(|d| d.line == pos(&src, "title").0));
}

#[test]
fn a_kind_or_outcome_written_as_the_app_shows_it_is_answered_with_its_id() {
    // The names a trainer sees in the app (投诉/情绪, 问题解决, "Customer lost"), or a word of
    // them, are suggested as the id; a word that names none gets the list.
    for (from, to, want) in [
        (
            "kind = \"angry\"",
            "kind = \"投诉\"",
            "did you mean `angry`?",
        ),
        (
            "kind = \"angry\"",
            "kind = \"異議處理\"",
            "did you mean `objection`?",
        ),
        (
            "outcome = \"resolved\"",
            "outcome = \"已解决\"",
            "did you mean `resolved`?",
        ),
        (
            "outcome = \"lost\"",
            "outcome = \"Customer lost\"",
            "did you mean `lost`?",
        ),
        (
            "outcome = \"escalated\"",
            "outcome = \"投诉\"",
            "did you mean `escalated`?",
        ),
        (
            "outcome = \"lost\"",
            "outcome = \"失败\"",
            "write `resolved`, `escalated` or `lost`",
        ),
    ] {
        let src = edit(BASE, from, to);
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!(d.line, pos(&src, to).0, "{d}");
        assert!(d.message.contains(want), "{to}: {d}");
    }
}

#[test]
fn gives_up_naming_nothing_is_offered_endings_only() {
    // `gives_up` must name an ending: the turns are no answer (they were listed with them).
    let src = edit(BASE, "gives_up = \"lost\"", "gives_up = \"xyzzy\"");
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "\"xyzzy\""), "{d}");
    assert!(d.message.contains("is not an ending"), "{d}");
    assert!(d.message.contains("escalated, lost, resolved"), "{d}");
    assert!(!d.message.contains("compensation"), "{d}");
    let src = edit(BASE, "gives_up = \"lost\"", "gives_up = \"lots\"");
    let d = one_error(&check(&src)).clone();
    assert!(d.message.contains("did you mean `lost`?"), "{d}");
}

/// A byte-order mark (Notepad saves one) is no column: the error on line 1 is where the
/// trainer's editor shows it.
#[test]
fn a_byte_order_mark_shifts_no_column() {
    let src = edit(BASE, "mood = 30", "mood = 30,");
    let plain = one_error(&check(&src)).clone();
    let marked = format!("\u{feff}{src}");
    let d = one_error(&check(&marked)).clone();
    assert_eq!((d.line, d.col), (plain.line, plain.col), "{d}");
    let first = format!("id = “late”\n{}", edit(BASE, "id = \"late\"\n", ""));
    let plain = one_error(&check(&first)).clone();
    assert_eq!(plain.line, 1, "{plain}");
    let d = one_error(&check(&format!("\u{feff}{first}"))).clone();
    assert_eq!((d.line, d.col), (1, plain.col), "{d}");
}

/// A false claim by `clause` (lists of words a clause names one of each of): one list alone,
/// an empty list, or "{number}" anywhere but at a word's start is a located error that says
/// what to write; a well-formed one checks clean and reaches the scorer's rules.
#[test]
fn a_false_claim_by_clause_is_checked() {
    let with = |claim: &str| {
        let at = BASE.find("[[turn.next]]").expect("the base has a branch");
        format!(
            "{}[[turn.false_claims]]\nid = \"fm\"\n{claim}\n\n{}",
            &BASE[..at],
            &BASE[at..]
        )
    };
    let good =
        with(r#"clause = [["AFG2000"], ["FM", "调频"], ["{number}小时", "{number} hours"]]"#);
    let out = check(&good);
    assert!(errors(&out).is_empty(), "{:#?}", out.diagnostics);
    let s = out.value.as_ref().expect("valid");
    let rules = s.rules(0, kefu_core::principles::Lang::ZhHans, None);
    assert_eq!(rules.false_claims[0].clause[1], ["FM", "调频"]);

    for (claim, at, says) in [
        (
            r#"clause = [["AFG2000", "2000系列"]]"#,
            "[\"AFG2000\", \"2000",
            "two lists or more",
        ),
        (r#"clause = [["AFG2000"], []]"#, "[]]", "at least one word"),
        (
            r#"clause = [["AFG2000"], ["约{number}小时"]]"#,
            "\"约{number}",
            "only at the start",
        ),
        (
            r#"say = ["{number}小时"]"#,
            "\"{number}小时\"",
            "only at the start",
        ),
        ("", "\"fm\"", "or `clause = [["),
    ] {
        let src = with(claim);
        let out = check(&src);
        let d = one_error(&out);
        assert_eq!((d.line, d.col), pos(&src, at), "{claim}: {d}");
        assert!(d.message.contains(says), "{claim}: {d}");
    }
}

/// Every key the format does not know is told in one run, each where it is written and with the
/// key it may mean, and the rest of the file is still checked (the trainer tester's draft
/// needed one run per misspelling, and lost every other check until each was fixed).
#[test]
fn every_unknown_key_is_told_at_once_and_the_rest_is_still_checked() {
    let src = edit(BASE, "minutes = 3", "minute = 3");
    let src = edit(&src, "mood = 30", "mod = 30");
    let src = edit(
        &src,
        "hint = { zh-Hans = \"先道歉。\"",
        "hnit = { zh-Hans = \"先道歉。\"",
    );
    // In an inline table, in the middle: the comma after it goes with it.
    let src = edit(
        &src,
        "say = [{ zh-Hans = \"那什么时候到?\"",
        "asks = { optons = [\"明天\"], kind = \"time\" }\nsay = [{ zh-Hans = \"那什么时候到?\"",
    );
    // And a mistake the raw form does not see: a branch to a turn that does not exist.
    let src = edit(&src, "goto = \"compensation\"", "goto = \"compensaton\"");
    let out = check(&src);
    let errs = errors(&out);
    let at = |d: &Diagnostic| (d.line, d.col);
    let told: Vec<((usize, usize), &str)> =
        errs.iter().map(|d| (at(d), d.message.as_str())).collect();
    // Four unknown keys, the branch, and what the `asks` kept asks of the turn's branches.
    assert_eq!(errs.len(), 6, "{told:#?}");
    assert!(
        told.iter().any(|(_, m)| m.contains("asks a when question")),
        "{told:#?}"
    );
    for (needle, near) in [
        ("minute = 3", "`minutes`"),
        ("mod = 30", "`mood`"),
        ("hnit = ", "`hint`"),
        ("optons", "`options`"),
    ] {
        assert!(
            told.iter()
                .any(|(p, m)| *p == pos(&src, needle) && m.contains(near)),
            "{needle}: {told:#?}"
        );
    }
    assert!(
        told.iter()
            .any(|(p, m)| *p == pos(&src, "\"compensaton\"") && m.contains("`compensation`")),
        "{told:#?}"
    );
    assert!(out.value.is_none(), "a file with errors is not played");

    // A misspelt table header is one error, as before (its keys would fall to the table
    // before it): nothing else is made up from it.
    let src = edit(BASE, "[customer]", "[customr]");
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "customr"), "{d}");
}

/// A value of the wrong kind is told and passed over like an unknown key: every one in one run,
/// the rest of the file still checked. One the format requires ends the reading there, told once
/// (not again as "missing").
#[test]
fn every_value_of_the_wrong_kind_is_told_at_once() {
    let src = edit(BASE, "minutes = 3", "minutes = \"3\"");
    let src = edit(&src, "mood = 30", "mood = \"30\"");
    let src = edit(&src, "apology = 2,", "apology = \"2\",");
    let src = edit(&src, "goto = \"compensation\"", "goto = \"compensaton\"");
    let out = check(&src);
    let errs = errors(&out);
    let told: Vec<((usize, usize), &str)> = errs
        .iter()
        .map(|d| ((d.line, d.col), d.message.as_str()))
        .collect();
    assert_eq!(errs.len(), 4, "{told:#?}");
    for (needle, says) in [
        ("\"3\"", "write `3`"),
        ("\"30\"", "write `30`"),
        ("\"2\"", "write `2`"),
        ("\"compensaton\"", "`compensation`"),
    ] {
        assert!(
            told.iter()
                .any(|(p, m)| *p == pos(&src, needle) && m.contains(says)),
            "{needle}: {told:#?}"
        );
    }
    // A required key's wrong value: told once (not again as missing), the other wrong value
    // too, and the reading ends there (the branch is not looked at).
    let src = edit(BASE, "minutes = 3", "minutes = \"3\"");
    let src = edit(&src, "kind = \"angry\"", "kind = 3");
    let src = edit(&src, "goto = \"compensation\"", "goto = \"compensaton\"");
    let out = check(&src);
    let errs = errors(&out);
    assert_eq!(errs.len(), 2, "{:#?}", out.diagnostics);
    assert_eq!((errs[0].line, errs[0].col), pos(&src, "3\nlanguages"));
    assert_eq!((errs[1].line, errs[1].col), pos(&src, "\"3\""));
    assert!(
        errs.iter().all(|e| !e.message.contains("missing")),
        "{errs:#?}"
    );
}

/// A value out of range is told with one to write instead, and nothing else is reasoned from a
/// value the file does not say (`max_turns = 0` came with warnings about "max_turns is 1").
/// Two parser messages in the trainer's words: a key left out before `=`, and a table header
/// with a key after it on its line.
#[test]
fn a_value_out_of_range_says_what_to_write_and_no_warning_reasons_from_it() {
    let src = edit(BASE, "minutes = 3", "minutes = 3\nmax_turns = 0");
    let out = check(&src);
    let d = one_error(&out);
    assert_eq!((d.line, d.col), pos(&src, "0\n"), "{d}");
    assert!(d.message.contains("e.g. `max_turns = 12`"), "{d}");
    assert!(
        warnings(&out)
            .iter()
            .all(|w| !w.message.contains("max_turns")),
        "{:#?}",
        warnings(&out)
    );
    let src = edit(BASE, "minutes = 3", "= 3");
    let out = check(&src);
    let d = one_error(&out);
    assert!(d.message.contains("the key's name is missing"), "{d}");
    let src = edit(BASE, "[[turn]]\nid = \"open\"", "[[turn]] id = \"open\"");
    let out = check(&src);
    let d = one_error(&out);
    assert!(
        d.message.contains(
            "(`[[turn]]`) stands alone on its line: put `id = \"open\"` on the next line"
        ),
        "{d}"
    );
}
