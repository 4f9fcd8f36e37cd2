//! Extraction per kind and language, negation, asking back, and no panic on odd input.

use super::*;

fn ask(kind: AskKind) -> Ask {
    Ask {
        kind,
        options: vec![],
        fact: None,
        policy: None,
        say: vec![],
    }
}

fn answers(kind: AskKind, q: &str, reply: &str) -> bool {
    judge(
        &Folded::new(reply),
        &ask(kind),
        Some(q),
        &[],
        &BTreeMap::new(),
    )
    .hit
}

fn said(t: Typed, reply: &str) -> Vec<String> {
    let f = Folded::new(reply);
    extract(&f, t)
        .into_iter()
        .map(|(s, e)| f.text[s..e].to_string())
        .collect()
}

#[test]
fn every_pattern_compiles() {
    let d = &compiled().data;
    for p in d.time.iter().chain(&d.duration).chain(&d.amount) {
        assert!(regex::Regex::new(p).is_ok(), "data/answers.toml: {p}");
    }
    assert!(compiled().time.is_some() && compiled().duration.is_some());
    assert!(compiled().amount.is_some());
    assert!(weight() > 0.0);
    // Every shop rule an `asks` may name has a kind of answer.
    for r in crate::policy::rule_ids() {
        assert!(
            d.policy.contains_key(r),
            "data/answers.toml [policy] lacks {r}"
        );
    }
}

#[test]
fn times_and_dates_in_three_languages() {
    for (reply, want) in [
        ("今天下午五点前给您发出", "今天"),
        ("周四送到", "周四"),
        ("禮拜四之前一定到", "礼拜四"),
        ("星期天上午派送", "星期天"),
        ("6月3日前到货", "6月3日"),
        ("We'll deliver it by Friday.", "friday"),
        ("It arrives tomorrow at 5 pm.", "tomorrow"),
        ("明天17:30之前", "17:30"),
    ] {
        assert!(
            said(Typed::Time, reply).iter().any(|s| s.contains(want)),
            "{reply}: {:?}",
            said(Typed::Time, reply)
        );
    }
    assert!(said(Typed::Time, "非常抱歉给您添麻烦了").is_empty());
    assert!(said(Typed::Time, "Sorry for the trouble, thanks for waiting.").is_empty());
}

#[test]
fn durations_in_three_languages() {
    for (reply, want) in [
        ("48小时内给您答复", "48小时"),
        ("两三天就能到", "两三天"),
        ("退款1-3个工作日到账", "1-3个工作日"),
        ("三個工作天內處理", "三个工作"),
        ("It will reach you within two days.", "two days"),
        ("about 3 working days", "3 working days"),
        ("半小时内回复您", "半小时"),
    ] {
        assert!(
            said(Typed::Duration, reply)
                .iter()
                .any(|s| s.contains(want)),
            "{reply}: {:?}",
            said(Typed::Duration, reply)
        );
    }
    assert!(said(Typed::Duration, "我们会尽快处理").is_empty());
}

#[test]
fn amounts_and_prices() {
    for reply in [
        "运费是¥10",
        "满59元包邮",
        "只要五十九块",
        "差价20块钱我们退给您",
        "It's 59 yuan.",
        "Shipping is free for you.",
        "運費由我們承擔",
        // Who pays, said as the shop or an insurance paying.
        "运费我们来出",
        "退货运费由保险赔付",
        "and we'll cover the return postage",
        "the return-shipping insurance pays the return postage",
        "so sending it back costs you nothing",
    ] {
        assert!(!said(Typed::Amount, reply).is_empty(), "{reply}");
    }
    assert!(said(Typed::Amount, "价格是我们定的").is_empty());
    assert!(said(Typed::Amount, "We can pack it with extra foam.").is_empty());
    // Said before "who pays?" is asked, the customer does not ask it.
    assert!(told(
        AskKind::Amount,
        "So do I have to go and post the wrong pair back myself? Who pays for that?",
        "",
        "Keep the white pair until the new ones arrive, and we'll cover the return postage."
    ));
}

#[test]
fn a_denied_answer_is_no_answer() {
    // 不是周四 is not an answer "Thursday"; naming the right day after it is.
    assert!(!answers(AskKind::Time, "什么时候到?", "不是周四"));
    assert!(!answers(AskKind::Time, "什麼時候到?", "不是在禮拜四"));
    assert!(answers(AskKind::Time, "什么时候到?", "不是周四,是周五到"));
    assert!(!answers(
        AskKind::Time,
        "When will it come?",
        "Not by Friday, sorry."
    ));
    assert!(!answers(AskKind::Amount, "多少钱?", "不是59元"));
    let f = Folded::new("不是AFG2000,您看看别的");
    let choice = Ask {
        kind: AskKind::Choice,
        options: vec!["AFG2000".into(), "AFG2100".into()],
        fact: None,
        policy: None,
        say: vec![],
    };
    assert!(!judge(&f, &choice, None, &[], &BTreeMap::new()).hit);
    let f = Folded::new("选AFG2100就对了");
    assert!(judge(&f, &choice, None, &[], &BTreeMap::new()).hit);
}

#[test]
fn asking_back_is_no_answer() {
    assert!(!answers(AskKind::Time, "什么时候到?", "请问您周四在家吗?"));
    assert!(!answers(
        AskKind::Time,
        "When will it arrive?",
        "Will you be home on Friday?"
    ));
    // A time offered with a check is an answer.
    assert!(answers(AskKind::Time, "什么时候到?", "明天送到,可以吗?"));
}

/// A request answered by saying what will be done, in the scenario's own words for it (`say`):
/// the measure described, not the question's verb said back.
#[test]
fn a_request_answered_by_the_measure_its_turn_names() {
    let q = "那这次能不能包装好一点?";
    let measure = "这次我们用双层纸箱加厚泡沫,发货前我亲自检查。";
    assert!(!answers(AskKind::YesNo, q, measure));
    let packing = Ask {
        say: vec![
            "纸箱".into(),
            "泡沫".into(),
            "foam".into(),
            "double box".into(),
        ],
        ..ask(AskKind::YesNo)
    };
    let judged = |reply: &str| {
        judge(
            &Folded::new(reply),
            &packing,
            Some(q),
            &[],
            &BTreeMap::new(),
        )
    };
    let hit = judged(measure);
    assert!(hit.hit);
    assert_eq!(hit.evidence.len(), 2, "{:?}", hit.evidence);
    // Traditional and English fold to the same words; a word inside a longer one is no answer.
    assert!(judged("這次用雙層紙箱加厚泡沫").hit);
    assert!(judged("We'll use a double box with foam around each cup.").hit);
    assert!(!judged("We checked the foamy cleanser too.").hit);
    // Denied, or asked back, it says nothing done.
    assert!(!judged("这次不是泡沫").hit);
    assert!(!judged("您要泡沫还是纸箱?").hit);
}

#[test]
fn yes_or_no_with_or_without_a_reason() {
    let q = "包装能不能好一点?";
    assert!(answers(AskKind::YesNo, q, "可以的,我们给您加一层气泡膜。"));
    assert!(answers(AskKind::YesNo, q, "我们能为您加固包装。"));
    assert!(answers(
        AskKind::YesNo,
        q,
        "不行,包装是仓库统一的,不过我给您备注。"
    ));
    assert!(answers(AskKind::YesNo, q, "当然,已经给您备注加厚包装"));
    // The question's predicate said back as done answers it.
    assert!(answers(
        AskKind::YesNo,
        q,
        "我已经为您安排仓库用双层纸箱加泡沫包装每个杯子。"
    ));
    assert!(!answers(
        AskKind::YesNo,
        q,
        "给您一张10元优惠券,希望您能理解。"
    ));
    assert!(!answers(AskKind::YesNo, q, "这款功能很多,谢谢支持"));
    let q = "會不會再壞?";
    assert!(answers(
        AskKind::YesNo,
        q,
        "不會的,新的這台我們出庫前會檢測"
    ));
    let q = "Can you make the packaging better?";
    assert!(answers(AskKind::YesNo, q, "Yes, we'll add extra padding."));
    assert!(answers(
        AskKind::YesNo,
        q,
        "We can add bubble wrap to this order."
    ));
    let q2 = "Can you pack it properly this time?";
    assert!(answers(
        AskKind::YesNo,
        q2,
        "I've had it packed in a double box."
    ));
    let q = "But if something goes wrong again, will I get ignored again?";
    assert!(answers(
        AskKind::YesNo,
        q,
        "I'll follow up on this order myself."
    ));
    assert!(answers(
        AskKind::YesNo,
        q,
        "Unfortunately not, but I'll pass it on."
    ));
    assert!(!answers(AskKind::YesNo, q, "Thank you for your feedback!"));
    assert!(!answers(
        AskKind::YesNo,
        q,
        "Can you send me your order number?"
    ));
}

#[test]
fn policy_and_fact_questions() {
    let p = Ask {
        kind: AskKind::Policy,
        options: vec![],
        fact: None,
        policy: Some("warranty_months".into()),
        say: vec![],
    };
    let policy: BTreeMap<String, f64> = [("warranty_months".to_string(), 12.0)].into();
    let hit = |r: &str| judge(&Folded::new(r), &p, None, &[], &policy).hit;
    assert!(hit("整机保修一年"));
    assert!(hit("一年,从签收那天算"));
    assert!(hit("The warranty is one year."));
    assert!(!hit("我们的质量很好,您放心"));
    let fact = Ask {
        kind: AskKind::Fact,
        options: vec![],
        fact: Some("rate".into()),
        policy: None,
        say: vec![],
    };
    let f = Folded::new("20MSa/s");
    assert!(judge(&f, &fact, None, &[(0, 7)], &policy).hit);
    assert!(!judge(&f, &fact, None, &[], &policy).hit);
}

/// At the turn that asks when or how long, a time of another matter is no answer: a call back,
/// a pickup of the wrong item (a fresh-eyes tester's replies, 2026-12-07).
#[test]
fn a_time_of_another_matter_answers_no_when() {
    use AskKind::*;
    for (kind, q, reply) in [
        (
            Time,
            "师傅哪天来?",
            "我今天下午3点前给您回电话,确认具体时间。",
        ),
        (Time, "什么时候能到?", "我半小时内给您回电话。"),
        (Time, "钱到底什么时候退?", "我明天上午10点给您回电话。"),
        (
            Duration,
            "补发要多久?",
            "我们给您补发两个新杯子,明天上午快递会上门取走碎的杯子。",
        ),
        (
            Time,
            "When will it arrive?",
            "I'll call you back within the hour.",
        ),
    ] {
        assert!(!answers(kind, q, reply), "{reply}");
    }
    for (kind, q, reply) in [
        (
            Time,
            "师傅哪天来?",
            "师傅明天上午10点前上门,我下午再打电话给您确认。",
        ),
        (Time, "什么时候能到?", "周五之前送到。"),
        (
            Time,
            "When will it arrive?",
            "Your order will arrive on Friday.",
        ),
    ] {
        assert!(answers(kind, q, reply), "{reply}");
    }
}

/// `ahead`: the question `q` of kind `kind`, answered by `reply` before it is asked?
fn told(kind: AskKind, q: &str, said: &str, reply: &str) -> bool {
    let q = Ahead {
        ask: ask(kind),
        question: q.into(),
    };
    ahead(
        &Folded::new(reply),
        &q,
        &Folded::new(said).text,
        &BTreeMap::new(),
    )
}

/// Asked when it arrives, when it is sent is no answer (`not_by`), at the turn that asks and
/// before it; asked when it is sent or how long the resend takes, when it arrives is one (`also`).
#[test]
fn sent_is_not_arrived() {
    use AskKind::*;
    let by_saturday = "周六之前能到吗?到不了我就白等了。";
    let at = |q: &str, reply: &str| {
        judge(
            &Folded::new(reply),
            &ask(Time),
            Some(q),
            &[],
            &BTreeMap::new(),
        )
        .hit
    };
    for reply in ["今天就发出", "今天就給您發出", "好的,今天加急发货"] {
        assert!(!at(by_saturday, reply), "{reply}");
        assert!(!told(Time, by_saturday, "", reply), "{reply}");
    }
    for reply in ["今天发出,周四送到", "周四就能收到", "周四"] {
        assert!(at(by_saturday, reply), "{reply}");
    }
    assert!(told(Time, by_saturday, "", "今天发出,周四送到"));
    // Nor is when to order, unless the same clause says when it comes.
    assert!(!at(by_saturday, "您今天下单,明天发货"));
    assert!(at(by_saturday, "今天下单明天到"));

    let en = "Will they arrive before Saturday?";
    assert!(!at(en, "I'll have them shipped out today."));
    assert!(!told(Time, en, "", "I'll have them shipped out today."));
    assert!(at(en, "They ship today and arrive on Thursday."));
    assert!(told(
        Time,
        en,
        "",
        "They ship today and arrive on Thursday."
    ));
    // Asked about the sending, either answers.
    let resend = "补发要多久?";
    assert!(told(Duration, resend, "", "我马上补发,两天就到"));
    assert!(told(Duration, resend, "", "两天内给您补发出去"));
    assert!(at(resend, "今天就发出"));
}

#[test]
fn a_question_ahead_is_answered_only_of_its_matter() {
    use AskKind::*;
    let late = "快递六天了还没到!";
    // Said of what the question asks about: answered (Simplified, Traditional, English).
    assert!(told(
        Time,
        "那到底什么时候能到?",
        late,
        "非常抱歉,我已经加急,周五前送到。"
    ));
    assert!(told(
        Time,
        "那到底什麼時候能到?",
        late,
        "非常抱歉,我已經加急,週五前送到。"
    ));
    assert!(told(
        Duration,
        "补发要多久?后天就是生日了,来不及的话我还不如退款。",
        "",
        "补发今天发出"
    ));
    assert!(told(
        Time,
        "So when will it arrive?",
        "",
        "Sorry! It will arrive on Friday."
    ));
    assert!(told(
        Time,
        "好,那你说,师傅哪天来?",
        "",
        "师傅明天上午10点前上门。"
    ));
    assert!(told(Amount, "运费谁出?", "", "取件免费,运费我们出。"));
    // Only the clause that asks says what about: "来不及" and "退款" above are not asked.
    assert!(!told(
        Duration,
        "补发要多久?后天就是生日了,来不及的话我还不如退款。",
        "",
        "明天来"
    ));
    // The time of something else: a report back, a pickup, a return window.
    for reply in [
        "我马上催快递,半小时内给您回复到货情况。",
        "错的那双明天上午快递上门取件。",
        "到货后七天无理由退换。",
        "I'll chase the courier and call you back within the hour about the delivery.",
    ] {
        assert!(!told(Time, "那到底什么时候能到?", late, reply), "{reply}");
    }
    // A number the customer said, said back.
    assert!(!told(
        Duration,
        "什么时候能到?",
        late,
        "六天才到,确实太久了。"
    ));
    // A time with nothing of the matter in its clause, or a question about nothing we know.
    assert!(!told(
        Time,
        "那到底什么时候能到?",
        late,
        "非常抱歉,我明天处理。"
    ));
    assert!(!told(Time, "你们怎么这样?", late, "明天送到。"));
    // Never a yes or no, or a fact: they are read at their own turn.
    assert!(!told(YesNo, "能包装好一点吗?", "", "可以,明天送到。"));
}

/// Every word of `about` says what a question and an answer are about, and every word of
/// `not_about` takes a clause off the question's matter (each list's words, one by one).
#[test]
fn every_about_and_not_about_word_counts() {
    use AskKind::*;
    let d = &compiled().data;
    let asked: &[(&str, AskKind, &str, &str)] = &[
        ("arrival", Time, "什么时候能到?", "When will it arrive?"),
        (
            "dispatch",
            Time,
            "什么时候发货?",
            "When will it be shipped?",
        ),
        ("order", Time, "几点前下单?", "By when should I order?"),
        (
            "visit",
            Time,
            "师傅哪天来?",
            "When is the technician coming?",
        ),
        ("refund", Time, "钱什么时候退?", "When do I get my money?"),
        ("cost", Amount, "运费谁出?", "Who pays the postage?"),
    ];
    assert_eq!(
        d.about.len(),
        asked.len(),
        "a group of `about` with no case here"
    );
    for &(group, kind, zh, en) in asked {
        for w in &d.about[group] {
            if w.ends_with(['吗', '呢']) {
                // A word that asks: it says what a question is about.
                assert!(
                    told(Time, &format!("明天{w}?"), "", "明天送到"),
                    "{group}: {w}"
                );
                continue;
            }
            let latin = w.is_ascii();
            let q = if latin { en } else { zh };
            let answer = match (kind, latin) {
                (Amount, false) => "10元",
                (Amount, true) => "10 yuan",
                (_, false) => "明天",
                (_, true) => "tomorrow",
            };
            let reply = if latin {
                format!("{w} {answer}")
            } else {
                format!("{answer}{w}")
            };
            assert!(told(kind, q, "", &reply), "{group}: {w}: {reply}");
            assert!(!told(kind, q, "", answer), "{group}: {answer} alone");
        }
    }
    for w in &d.not_about {
        let (q, reply) = if w.is_ascii() {
            (
                "When will it arrive?",
                format!("it will arrive tomorrow {w}"),
            )
        } else {
            ("什么时候能到?", format!("明天送到{w}"))
        };
        assert!(!told(Time, q, "", &reply), "not_about: {w}: {reply}");
    }
    assert!(told(
        Time,
        "When will it arrive?",
        "",
        "it will arrive tomorrow"
    ));
    assert!(told(Time, "什么时候能到?", "", "明天送到"));
}

#[test]
fn odd_input_never_panics() {
    let long = "周四".repeat(5_000);
    for reply in [
        "",
        "?",
        "不是",
        "不是不是不是",
        "¥",
        "12:",
        "𝕏𝕏 周四 ¥ 不 ?",
        "\u{0}\u{feff}",
        long.as_str(),
    ] {
        for kind in AskKind::ALL {
            let a = Ask {
                kind,
                options: vec!["".into(), "周四".into()],
                fact: Some("x".into()),
                policy: Some("nope".into()),
                say: vec!["".into(), "泡沫".into()],
            };
            let _ = judge(&Folded::new(reply), &a, Some(reply), &[], &BTreeMap::new());
            let q = Ahead {
                ask: a,
                question: reply.into(),
            };
            let _ = ahead(&Folded::new(reply), &q, reply, &BTreeMap::new());
        }
    }
}

/// The patterns run on regex's PikeVM alone (not the `regex` crate's meta layer, #17) find
/// exactly what `regex::Regex` finds: Unicode word boundaries (a CJK char is a word char beside
/// "friday"), `.` over any char, leftmost-first alternation, empty matches skipped.
#[test]
fn the_pikevm_finds_what_regex_finds() {
    let d = &compiled().data;
    let texts = [
        "明天friday下午五点前给您回复, by friday 5 pm",
        "最晚周四,或者星期天,3号前,6月3日;17:30到五点半",
        "两三天, 48小时内, 1-3个工作日, within two days, half an hour, 1.5 hours",
        "¥59, 59元, 五十九块, 10 yuan, free, 免费, won't pay, wonxt pay, o'clock, 5 o’clock",
        "à friday, éfree, free!, _free, 9free, free9 tomorrow…tonight\nmonday",
        "",
    ];
    for (list, re) in [
        (&d.time, &compiled().time),
        (&d.duration, &compiled().duration),
        (&d.amount, &compiled().amount),
    ] {
        let joined = list
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let reference = regex::Regex::new(&joined).unwrap();
        let pike = re.as_ref().unwrap();
        let mut cache = pike.create_cache();
        for t in texts {
            let f = Folded::new(t);
            let want: Vec<(usize, usize)> = reference
                .find_iter(&f.text)
                .map(|m| (m.start(), m.end()))
                .collect();
            let got: Vec<(usize, usize)> = pike
                .find_iter(&mut cache, f.text.as_bytes())
                .map(|m| (m.start(), m.end()))
                .collect();
            assert_eq!(got, want, "{t}");
        }
    }
}

/// The NFAs the build script compiled (`answers_nfa.bin`), read back state by state, are
/// exactly those `PikeVM::new` compiles from the joined patterns at run time: the same states,
/// starts and capture groups, so the scorer matches as it did when it compiled them at start.
#[test]
fn the_built_nfas_are_those_the_regex_compiler_makes() {
    use regex_automata::nfa::thompson::NFA;
    let d = &compiled().data;
    let read = super::nfa::read(super::NFAS).expect("the build script's form reads back");
    for (list, got) in [&d.time, &d.duration, &d.amount].into_iter().zip(read) {
        let joined = list
            .iter()
            .map(|p| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let want = NFA::new(&joined).unwrap();
        let got = got.expect("a kind with patterns has its NFA");
        assert_eq!(got.states(), want.states());
        assert_eq!(got.start_anchored(), want.start_anchored());
        assert_eq!(got.start_unanchored(), want.start_unanchored());
        assert_eq!(
            got.start_pattern(regex_automata::PatternID::ZERO),
            want.start_pattern(regex_automata::PatternID::ZERO)
        );
        assert_eq!(got.group_info().slot_len(), want.group_info().slot_len());
        assert_eq!(
            got.group_info().group_len(regex_automata::PatternID::ZERO),
            want.group_info().group_len(regex_automata::PatternID::ZERO)
        );
        assert_eq!(got.look_set_any(), want.look_set_any());
        assert_eq!(
            format!("{:?}", got.byte_classes()),
            format!("{:?}", want.byte_classes())
        );
    }
}
