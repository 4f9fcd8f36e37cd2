//! Pathological inputs for the scorer's growth tests (`tests/growth.rs`) and `make bench`:
//! each builds a reply (and the turn it is judged at) of about `n` chars, the shapes that used
//! to make scoring super-linear. Shared by the test and the bench through `#[path]`.

#![allow(dead_code)]

use kefu_core::judgement::{Ask, AskKind, FactRule, ScenarioKind, TurnRules};

/// One pathological shape: a name, and a builder of (reply, turn) of about `n` chars.
pub struct Case {
    pub name: &'static str,
    pub build: fn(usize) -> (String, TurnRules),
}

fn repeat_to(unit: &str, n: usize) -> String {
    let k = n / unit.chars().count().max(1) + 1;
    unit.repeat(k)
}

/// Words and phrases of every lexicon (cues, blocks, context), their pattern syntax dropped.
pub fn lexicon_words() -> Vec<String> {
    let mut out = Vec::new();
    let mut sources: Vec<&str> = kefu_judge::data::LEXICONS.iter().map(|(_, s)| *s).collect();
    sources.push(kefu_judge::data::LEXICON_CONTEXT);
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::String(s) => {
                let w: String = s
                    .chars()
                    .map(|c| if "…(|)?{}*".contains(c) { ' ' } else { c })
                    .collect();
                for part in w.split_whitespace() {
                    out.push(part.to_string());
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            serde_json::Value::Object(o) => o.values().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    for s in sources {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(s) {
            walk(&v, &mut out);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// About `n` chars of lexicon words in a fixed pseudo-random order, joined by spaces: one
/// clause, one sentence, every context rule at work.
pub fn mixed_lexicon(n: usize) -> String {
    let words = lexicon_words();
    let mut out = String::new();
    let mut chars = 0;
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    while chars < n {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let w = &words[(x % words.len() as u64) as usize];
        out.push_str(w);
        out.push(' ');
        chars += w.chars().count() + 1;
    }
    out
}

fn plain(text: String) -> (String, TurnRules) {
    (text, TurnRules::default())
}

fn one_char_terms(text: String) -> (String, TurnRules) {
    let turn = TurnRules {
        kind: ScenarioKind::Product,
        jargon: vec!["a".into(), "的".into()],
        facts: vec![FactRule {
            id: "a".into(),
            say: vec!["a".into(), "的".into()],
            value: None,
            units: vec![],
        }],
        customer_said: Some("您好".into()),
        ..Default::default()
    };
    (text, turn)
}

/// A turn that asks (`asks`), the customer's question given.
fn asking(text: String, kind: AskKind, question: &str) -> (String, TurnRules) {
    let turn = TurnRules {
        kind: ScenarioKind::Angry,
        customer_said: Some(question.into()),
        asks: Some(Ask {
            kind,
            options: vec!["周四".into(), "a".into()],
            fact: None,
            policy: None,
            say: vec!["周四".into(), "a".into()],
        }),
        ..Default::default()
    };
    (text, turn)
}

pub const CASES: &[Case] = &[
    Case {
        name: "one clause of negated blame (跟我们没关系…)",
        build: |n| plain(repeat_to("跟我们没关系", n)),
    },
    Case {
        // A far negator, then many cues a copula 是 might open (`detect::negation`'s
        // `past_the_verb` reads a gap only when it is short).
        name: "a negator, then one clause of blame cues (不快递说…)",
        build: |n| plain(format!("不{}", repeat_to("快递说", n))),
    },
    Case {
        // Cues whose parts are stored as chunks matched end to end (`lexicon::chunks`), each
        // way through them followed, back to back in one clause.
        name: "cues stored as chunks, end to end (it has been so bad…)",
        build: |n| plain(repeat_to("it has been so bad it really upsets you ", n)),
    },
    Case {
        name: "cues stored as chunks, Chinese, one clause (您直接找一下他们快递那边弄错…)",
        build: |n| plain(repeat_to("您直接找一下他们快递那边弄错", n)),
    },
    Case {
        // Every routing overlaps ownership cues: each span's routing found by binary search
        // (`rules::ownership`), not by a scan of all of them.
        name: "routings to other staff, one clause (小沃为您转交工作人员…)",
        build: |n| plain(repeat_to("小沃为您转交工作人员", n)),
    },
    Case {
        name: "repeated apologies (对不起…)",
        build: |n| plain(repeat_to("对不起", n)),
    },
    Case {
        name: "repeated opening offers (How can I help you. …)",
        build: |n| plain(repeat_to("How can I help you. ", n)),
    },
    Case {
        name: "mixed lexicon words, one clause",
        build: |n| plain(mixed_lexicon(n)),
    },
    Case {
        name: "acronyms a lexicon block covers, then shouting (the ETA … AB CDE …)",
        build: |n| plain(repeat_to("the ETA ", n / 2) + &repeat_to("AB CDE ", n / 2)),
    },
    Case {
        name: "one-char jargon and fact vs a Latin word (aaa…)",
        build: |n| one_char_terms("a".repeat(n)),
    },
    Case {
        name: "one-char jargon and fact vs spaced words (a a …)",
        build: |n| one_char_terms(repeat_to("a ", n)),
    },
    Case {
        name: "one-char jargon and fact vs Chinese (的的…)",
        build: |n| one_char_terms("的".repeat(n)),
    },
    Case {
        name: "asks time: denied days and dates in one clause (不是周四…)",
        build: |n| {
            asking(
                repeat_to("不是周四6月3日下午五点48小时", n),
                AskKind::Time,
                "什么时候到?",
            )
        },
    },
    Case {
        name: "asks yes/no: the question's verbs inside other words (功能能…)",
        build: |n| {
            asking(
                repeat_to("功能能包装 can pack ", n),
                AskKind::YesNo,
                "包装能不能好一点? can you pack it better?",
            )
        },
    },
    Case {
        name: "asks choice: options and negators (不是a a…)",
        build: |n| asking(repeat_to("不是a a 周四 ", n), AskKind::Choice, "a还是周四?"),
    },
    Case {
        name: "asks amount: clauses of numbers (59元,¥…)",
        build: |n| {
            asking(
                repeat_to("59元,¥5,五十九块,", n),
                AskKind::Amount,
                "多少钱?",
            )
        },
    },
];
