//! Shop rules in every scenario (issue #15, item 3): a scenario's `[policy]` makes every number a
//! reply states about a rule (warranty, return window, free-shipping threshold, visit time,
//! refund time) a checked claim, at every turn, in zh-Hans, zh-Hant and English: a wrong one is
//! a false claim (`facts` not shown, evidence on the number, score lost); the right one, a
//! negated wrong one and a partial answer are not.

use kefu_check::check_source;
use kefu_core::principles::Lang;
use kefu_core::scenario::Scenario;
use kefu_judge::native_judge;
use std::path::PathBuf;

fn scenario(id: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{id}.toml"));
    let src = std::fs::read_to_string(&path).expect("a shipped scenario");
    check_source(&path.display().to_string(), &src)
        .value
        .expect("the shipped scenario checks")
}

/// (facts shown, the text its evidence marks, score) of `reply` at `turn`.
fn judged(s: &Scenario, turn: &str, lang: Lang, reply: &str) -> (bool, Vec<String>, u8) {
    let rules = s.rules(s.turn_index(turn).expect("the turn"), lang, None);
    let j = native_judge(reply, lang, &rules, None);
    let f = &j.principles["facts"];
    let marked = f
        .evidence
        .iter()
        .map(|&(a, b)| reply.chars().skip(a).take(b - a).collect())
        .collect();
    (f.hit, marked, j.score)
}

fn assert_false_claim(s: &Scenario, turn: &str, lang: Lang, wrong: &str, right: &str, mark: &str) {
    let (hit, marked, score) = judged(s, turn, lang, wrong);
    assert!(!hit, "{}/{turn}: `{wrong}` is a false claim", s.id);
    assert!(
        marked.iter().any(|m| m.contains(mark)),
        "{}/{turn}: `{mark}` marked in {marked:?}",
        s.id
    );
    let (hit_r, _, score_r) = judged(s, turn, lang, right);
    assert!(hit_r, "{}/{turn}: `{right}` states the rule right", s.id);
    assert!(score < score_r, "{}/{turn}: {score} vs {score_r}", s.id);
}

#[test]
fn a_wrong_warranty_or_visit_time_in_an_objection_scenario_is_flagged_with_evidence() {
    let s = scenario("objection-after-sales-trust");
    // At the opening, where the file lists no false claims: the [policy] applies everywhere.
    assert_false_claim(
        &s,
        "open",
        Lang::ZhHans,
        "我理解您的顾虑。我们整机保修十八个月,有问题随时找我。",
        "我理解您的顾虑。我们整机保修十二个月,有问题随时找我。",
        "十八个月",
    );
    assert_false_claim(
        &s,
        "open",
        Lang::ZhHant,
        "我理解您的顧慮。報修後十二小時內安排師傅上門,有問題隨時找我。",
        "我理解您的顧慮。報修後四十八小時內安排師傅上門,有問題隨時找我。",
        "十二小時",
    );
    assert_false_claim(
        &s,
        "open",
        Lang::En,
        "I understand your concern. A technician will visit within 12 hours of your request.",
        "I understand your concern. A technician will visit within 48 hours of your request.",
        "12 hours",
    );
    // Two days are 48 hours; a year is twelve months.
    assert!(
        judged(
            &s,
            "open",
            Lang::En,
            "A technician will visit within two days, and the warranty covers one year."
        )
        .0
    );
}

#[test]
fn a_wrong_return_window_in_an_objection_scenario_is_flagged_with_evidence() {
    let s = scenario("objection-return-policy");
    assert_false_claim(
        &s,
        "open",
        Lang::ZhHans,
        "您放心,签收后十五天内都可以无理由退货。",
        "您放心,签收后七天内都可以无理由退货。",
        "十五天",
    );
    assert_false_claim(
        &s,
        "open",
        Lang::ZhHant,
        "您放心,簽收後30天內都可以退貨。",
        "您放心,簽收後7天內都可以退貨。",
        "30天",
    );
    assert_false_claim(
        &s,
        "open",
        Lang::En,
        "Don't worry, you can return it within 30 days of delivery.",
        "Don't worry, you can return it within seven days of delivery.",
        "30 days",
    );
}

#[test]
fn a_wrong_rule_in_an_angry_scenario_costs_score() {
    let s = scenario("angry-third-complaint");
    assert_false_claim(
        &s,
        "owner",
        Lang::ZhHans,
        "我已经为您安排好了,师傅24小时内上门。",
        "我已经为您安排好了,师傅48小时内上门。",
        "24小时",
    );
    let s = scenario("angry-refund-not-received");
    assert_false_claim(
        &s,
        "when",
        Lang::En,
        "I've submitted your refund; it will reach you within 7 working days.",
        "I've submitted your refund; it will reach you within 3 working days.",
        "7 working days",
    );
}

#[test]
fn a_negated_wrong_rule_is_not_a_claim() {
    let s = scenario("objection-after-sales-trust");
    for (lang, reply) in [
        (Lang::ZhHans, "整机保修不是两年,是一年。"),
        (Lang::ZhHans, "保修期并非两年,而是一年。"),
        (Lang::ZhHant, "整機保修不是兩年,是一年。"),
        (Lang::En, "The warranty is not two years; it is one year."),
    ] {
        let (hit, _, _) = judged(&s, "who", lang, reply);
        assert!(hit, "`{reply}` denies the wrong rule");
    }
}

#[test]
fn a_partial_answer_is_a_miss_not_a_false_claim() {
    // A product turn with two facts: stating one is not a false claim (no violation penalty).
    let s = scenario("product-afg-arbitrary-waveform");
    let t = s
        .turns
        .iter()
        .find(|t| t.facts.len() >= 2)
        .expect("a turn with two facts");
    let rules = s.rules(s.turn_index(&t.id).unwrap(), Lang::ZhHans, None);
    let one = t.facts[0].say.first().expect("a phrasing").clone();
    let j = native_judge(&one, Lang::ZhHans, &rules, None);
    assert!(!j.hit("facts"), "one fact of two is not all of them");
    let none = native_judge("好的。", Lang::ZhHans, &rules, None);
    assert!(
        j.score >= none.score,
        "stating one fact ({}) scores at least as well as stating none ({})",
        j.score,
        none.score
    );
}

/// A number the customer just said, said back, is their complaint restated, not a claim about
/// the rule (a fresh-eyes tester's reply and the scenario's own model answer were marked as
/// false claims); the same number said as the rule still is one.
#[test]
fn the_customers_own_numbers_said_back_are_no_claim() {
    let s = scenario("angry-refund-not-received");
    let open = s.turn_index("open").unwrap();
    let said = s.turns[open]
        .say
        .iter()
        .map(|l| l.get(Lang::ZhHans))
        .find(|l| l.contains("三天"))
        .expect("a line where the customer says 三天 and 十天");
    let rules = s.rules(open, Lang::ZhHans, Some(said));
    let facts =
        |reply: &str| native_judge(reply, Lang::ZhHans, &rules, None).principles["facts"].hit;
    assert!(facts(
        "刘女士,非常抱歉,上次说三天到账,现在都十天了,这是我们的问题,我马上帮您查。"
    ));
    assert!(!facts("刘女士,非常抱歉,退款一般十天到账,请您再等等。"));
    // How long she has waited is not the rule either, whichever line she said; nor is anything
    // in the turn's model answers.
    for said in s.turns[open].say.iter().map(|l| l.get(Lang::ZhHans)) {
        let rules = s.rules(open, Lang::ZhHans, Some(said));
        let facts =
            |reply: &str| native_judge(reply, Lang::ZhHans, &rules, None).principles["facts"].hit;
        assert!(
            facts("刘女士,真的很抱歉,让您等了十天还没收到退款。"),
            "{said}"
        );
        for m in &s.turns[open].model {
            let m = m.get(Lang::ZhHans).replace("{name}", "刘女士");
            assert!(facts(&m), "{said}: {m}");
        }
    }
}
