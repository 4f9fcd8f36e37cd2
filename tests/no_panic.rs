//! The scorer never panics, whatever it is given, and every evidence span it returns is a
//! non-empty `[start, end)` range of chars inside the reply as typed. No timing assertions.

use kefu_core::judgement::{Ask, AskKind};
use kefu_core::principles::Lang;
use kefu_judge::score::{self, ScenarioKind, TurnRules};
use proptest::prelude::*;

fn check_spans(text: &str, j: &score::Judgement) -> Result<(), TestCaseError> {
    let n = text.chars().count();
    for (id, f) in &j.principles {
        for &(s, e) in &f.evidence {
            prop_assert!(s < e, "{id}: empty or reversed span ({s}, {e}) in {text:?}");
            prop_assert!(
                e <= n,
                "{id}: span ({s}, {e}) past the end ({n}) of {text:?}"
            );
        }
        if f.hit && id != "facts" {
            prop_assert!(
                !f.evidence.is_empty() || id == "timeliness",
                "{id} hit without evidence in {text:?}"
            );
        }
    }
    prop_assert!((0.0..=1.0).contains(&j.courtesy));
    prop_assert!(j.score <= 100);
    Ok(())
}

fn judge_all_ways(text: &str) -> Result<(), TestCaseError> {
    for lang in Lang::ALL {
        check_spans(text, &score::score(text, lang))?;
    }
    let turn = TurnRules {
        kind: ScenarioKind::Angry,
        jargon: vec!["工单".into(), "RMA".into()],
        customer_names: vec!["王先生".into(), "Sarah".into()],
        customer_said: Some(text.chars().rev().collect()),
        ..Default::default()
    };
    check_spans(text, &score::judge(text, Lang::ZhHans, &turn, Some(3.0)))?;
    // A turn that asks: every kind of answer read from any text, the question any text too.
    for kind in AskKind::ALL {
        let turn = TurnRules {
            kind: ScenarioKind::Objection,
            customer_said: Some(text.chars().rev().collect()),
            policy: [("warranty_months".to_string(), 12.0)].into(),
            asks: Some(Ask {
                kind,
                options: vec![text.chars().take(3).collect(), "周四".into()],
                fact: Some("x".into()),
                policy: Some("warranty_months".into()),
                say: vec![text.chars().take(2).collect()],
            }),
            ..Default::default()
        };
        check_spans(text, &score::judge(text, Lang::En, &turn, None))?;
    }
    Ok(())
}

/// Pieces real replies are made of: CJK (Simplified and Traditional), full-width forms, ASCII
/// words, cue phrases, punctuation of both widths, emoji, combining marks and odd spaces.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        "[\\u{4e00}-\\u{9fff}]{1,6}",
        "[a-zA-Z]{1,8}",
        "[\\u{ff01}-\\u{ff5e}]{1,4}",
        "[ ,.!?;:'\"()\\[\\]…~\\n\\t]{1,3}",
        "[，。！？；：「」『』、（）【】]{1,3}",
        Just("您".to_string()),
        Just("亲".to_string()),
        Just("不".to_string()),
        Just("抱歉".to_string()),
        Just("對不起".to_string()),
        Just("请问".to_string()),
        Just("帮您".to_string()),
        Just("…".to_string()),
        Just("……".to_string()),
        Just("吗?".to_string()),
        Just("Mr. ".to_string()),
        Just("Hi ".to_string()),
        Just("SORRY ".to_string()),
        Just("!!!".to_string()),
        Just("？！！！".to_string()),
        Just("you ".to_string()),
        Just("I'll ".to_string()),
        Just("\u{0301}".to_string()),
        Just("\u{200b}".to_string()),
        Just("🙂".to_string()),
        Just("İ".to_string()),
        Just("ß".to_string()),
        Just("\u{0}".to_string()),
        Just("\u{10ffff}".to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn arbitrary_unicode_never_panics(text in any::<String>()) {
        judge_all_ways(&text)?;
    }

    #[test]
    fn mixed_cjk_ascii_punctuation_never_panics(parts in prop::collection::vec(piece(), 0..40)) {
        judge_all_ways(&parts.concat())?;
    }

    #[test]
    fn cue_like_text_never_panics(text in "[您你我们这边帮为给马上已经不没抱歉谢sorryI'm you?!,.。，！？… ]{0,80}") {
        judge_all_ways(&text)?;
    }
}

#[test]
fn empty_and_tiny_inputs() {
    for t in [
        "", " ", "\n", "?", "！", "…", "吗", "亲", "您", "A…B", "\u{0}", "Mr.", "Hi ,",
    ] {
        judge_all_ways(t).unwrap();
    }
}

#[test]
fn a_megabyte_of_mixed_text_scores_and_finds_things() {
    let unit = "您好王先生,非常抱歉让您久等了!我马上帮您催快递,今天下午给您回复。請問您的訂單號是多少？ \
                Hi Sarah, I'm so sorry. I've arranged a replacement; it ships today. Could you confirm your address? \
                ＳＯＲＲＹ！！！ 这是快递的问题,跟我们没关系。SKU 工单 🙂\n";
    let mut big = String::with_capacity(1_100_000);
    while big.len() < 1_000_000 {
        big.push_str(unit);
    }
    let j = score::score(&big, Lang::ZhHans);
    for id in [
        "apology",
        "empathy",
        "ownership",
        "solution",
        "probe",
        "follow_up",
        "address",
        "blame",
        "jargon",
        "rudeness",
    ] {
        assert!(j.hit(id), "{id} not found in 1 MB of text");
    }
    let n = big.chars().count();
    for f in j.principles.values() {
        assert!(f.evidence.iter().all(|&(s, e)| s < e && e <= n));
    }
}
