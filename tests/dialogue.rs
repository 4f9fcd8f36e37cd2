//! The dialogue engine (`kefu_core::dialogue`) evaluates what a scenario file says: branches on
//! the customer's mood and on the replies taken, customer lines that fit the reply before them.
//! Replies are judged by a stand-in scorer here, so these tests don't depend on its tuning.

use kefu_check::check_source;
use kefu_core::dialogue::Session;
use kefu_core::judgement::{Finding, Judgement, TurnRules};
use kefu_core::principles::Lang;
use kefu_core::scenario::{Scenario, Target};
use std::collections::BTreeMap;

fn scenario(src: &str) -> Scenario {
    let out = check_source("t.toml", src);
    assert!(
        !out.has_errors(),
        "{:#?}",
        out.diagnostics
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
    );
    out.scenario.expect("valid")
}

/// A judge that finds exactly the principles named in the reply, e.g. "apology solution".
fn judge(text: &str, _: Lang, _: &TurnRules, _: Option<f64>) -> Judgement {
    let principles: BTreeMap<String, Finding> = text
        .split_whitespace()
        .map(|p| {
            (
                p.to_string(),
                Finding {
                    hit: true,
                    evidence: vec![],
                },
            )
        })
        .collect();
    Judgement {
        score: 50,
        principles,
        courtesy: 0.5,
        expected: vec![],
        tips: vec![],
    }
}

const HEAD: &str = r#"
id = "t"
kind = "angry"
languages = ["en"]
title = { en = "T" }
brief = { en = "B" }
max_turns = 6
[customer]
name = { en = "Mr. T" }
mood = 30
gives_up = "lost"
"#;

const ENDINGS: &str = r#"
[[ending]]
id = "resolved"
outcome = "resolved"
text = { en = "OK." }
[[ending]]
id = "lost"
outcome = "lost"
text = { en = "Bye." }
"#;

fn at(s: &Scenario, x: &Session) -> String {
    s.target_name(x.at).to_string()
}

#[test]
fn branches_on_mood_and_turns_taken_follow_the_mood_before_the_change() {
    // `ask` loops: each reply without a solution costs 10. With the mood below 20 (before this
    // reply's change) the customer leaves; from the 4th reply on, an apology is not enough.
    let src = format!(
        r#"{HEAD}
[[turn]]
id = "ask"
say = [{{ en = "Well?" }}]
hint = {{ en = "h" }}
model = [{{ en = "m" }}]
[[turn.next]]
mood_below = 20
goto = "lost"
final = true
[[turn.next]]
all = ["apology"]
turns_taken = 4
goto = "ask"
mood = -5
[[turn.next]]
any = ["apology", "solution"]
mood_above = 25
goto = "resolved"
[[turn.next]]
goto = "ask"
mood = -10
{ENDINGS}"#
    );
    let s = scenario(&src);
    // Mood 30 > 25: an apology resolves at once.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "apology", None, &judge);
    assert_eq!(at(&s, &x), "resolved");
    // Mood 30 → 20 → (20 is not above 25) → 10; then 10 < 20: lost, whatever the reply.
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "nothing", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("ask".into(), 20));
    x.reply_with(&s, "apology", None, &judge);
    assert_eq!((at(&s, &x), x.mood), ("ask".into(), 10));
    x.reply_with(&s, "apology solution", None, &judge);
    assert_eq!(at(&s, &x), "lost");
    assert_eq!(x.log.last().unwrap().branch, Some(0));
    assert_eq!(x.log.last().unwrap().mood_before, 10);
}

#[test]
fn turns_taken_counts_the_reply_being_judged() {
    let src = format!(
        r#"{HEAD}
[[turn]]
id = "ask"
say = [{{ en = "Well?" }}]
hint = {{ en = "h" }}
model = [{{ en = "m" }}]
[[turn.next]]
turns_taken = 3
goto = "resolved"
[[turn.next]]
goto = "ask"
{ENDINGS}"#
    );
    let s = scenario(&src);
    let mut x = Session::new(&s, 1, Lang::En);
    x.reply_with(&s, "a", None, &judge);
    x.reply_with(&s, "b", None, &judge);
    assert_eq!(x.at, Target::Turn(0));
    x.reply_with(&s, "c", None, &judge);
    assert_eq!(at(&s, &x), "resolved");
    assert_eq!(x.log.len(), 3);
}
