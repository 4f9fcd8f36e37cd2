//! The scenario library (`scenarios/`): every file checks clean (its sample replies included),
//! the library has what issue 4 asks for, and from every scenario every path of outcomes ends.

use kefu_check::check_source;
use kefu_core::dialogue::Session;
use kefu_core::principles::Lang;
use kefu_core::scenario::{Outcome, Scenario, Severity, Target};
use kefu_judge::native_judge;
use kefu_judge::score::{self, JudgeRequest, Judgement, ScenarioKind, TurnRules};
use proptest::prelude::*;
use std::collections::{BTreeMap, VecDeque};
use std::path::PathBuf;

mod common;
use common::{files, library};

#[test]
fn every_file_checks_clean_and_runs_its_samples() {
    let mut problems = Vec::new();
    for (stem, src) in files() {
        let out = check_source(&format!("scenarios/{stem}.toml"), &src);
        for d in &out.diagnostics {
            match d.severity {
                Severity::Error => problems.push(d.to_string()),
                // Legal, but worth seeing when it happens.
                Severity::Warning => eprintln!("{d}"),
            }
        }
        if let Some(s) = &out.value {
            assert_eq!(
                s.id, stem,
                "the id of scenarios/{stem}.toml is its file name"
            );
            assert!(
                s.samples.len() >= 4,
                "{stem}: {} sample replies; at least 4",
                s.samples.len()
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(library().len(), files().len());
}

#[test]
fn the_library_has_the_eighteen_scenarios_of_issue_4() {
    let lib = library();
    assert_eq!(lib.len(), 18, "18 scenarios");
    assert!(lib.iter().any(|s| s.id == "angry-late-delivery"));
    let count = |k: ScenarioKind| lib.iter().filter(|s| s.kind == k).count();
    assert_eq!(count(ScenarioKind::Angry), 6);
    assert_eq!(count(ScenarioKind::Objection), 6);
    assert_eq!(count(ScenarioKind::Product), 6);
    let mut products: BTreeMap<&str, usize> = BTreeMap::new();
    for s in lib.iter().filter(|s| s.kind == ScenarioKind::Product) {
        *products.entry(s.product.as_deref().unwrap()).or_default() += 1;
    }
    assert_eq!(
        products,
        BTreeMap::from([("afg", 2), ("chiller", 2), ("f40", 2)])
    );
    for s in lib {
        let prefix = match s.kind {
            ScenarioKind::Angry => "angry-",
            ScenarioKind::Objection => "objection-",
            _ => "product-",
        };
        assert!(s.id.starts_with(prefix), "{}: named <kind>-<topic>", s.id);
        assert!(
            s.languages.contains(&Lang::ZhHans) && s.languages.contains(&Lang::En),
            "{}: zh-Hans and en",
            s.id
        );
        assert!((1..=3).contains(&s.difficulty));
        assert!(s.persona.is_some(), "{}: a customer persona", s.id);
        let outcomes: Vec<Outcome> = s.endings.iter().map(|e| e.outcome).collect();
        for o in [Outcome::Resolved, Outcome::Escalated, Outcome::Lost] {
            assert!(outcomes.contains(&o), "{}: an ending `{}`", s.id, o.id());
        }
        for t in &s.turns {
            assert!(!t.model.is_empty(), "{}/{}: a model answer", s.id, t.id);
            assert!(t.hint.is_some(), "{}/{}: a hint", s.id, t.id);
            if s.kind == ScenarioKind::Product && t.weights.iter().any(|(p, _)| p == "facts") {
                assert!(
                    !t.facts.is_empty() || !t.false_claims.is_empty(),
                    "{}/{}: facts to judge",
                    s.id,
                    t.id
                );
            }
        }
        // Samples cover a good, a half-good, a blaming and a rude reply.
        let labels: Vec<String> = s
            .samples
            .iter()
            .map(|x| x.label.clone().unwrap_or_default().to_lowercase())
            .collect();
        for want in ["good", "half-good", "blam", "rude"] {
            assert!(
                labels.iter().any(|l| l.starts_with(want)),
                "{}: a `{want}…` sample (labels: {labels:?})",
                s.id
            );
        }
    }
    let hant = lib
        .iter()
        .filter(|s| s.id != "angry-late-delivery" && s.languages.contains(&Lang::ZhHant))
        .count();
    assert!(hant >= 4, "{hant} scenarios besides the first in zh-Hant");
}

/// Customer turns on the shortest path from the start to a `resolved` ending.
fn main_path_turns(s: &Scenario) -> Option<usize> {
    let mut dist = vec![usize::MAX; s.turns.len()];
    dist[s.start] = 1;
    let mut q = VecDeque::from([s.start]);
    while let Some(i) = q.pop_front() {
        for b in &s.turns[i].next {
            match b.goto {
                Target::Ending(e) if s.endings[e].outcome == Outcome::Resolved => {
                    return Some(dist[i])
                }
                Target::Turn(j) if dist[j] == usize::MAX => {
                    dist[j] = dist[i] + 1;
                    q.push_back(j);
                }
                _ => {}
            }
        }
    }
    None
}

#[test]
fn every_scenario_has_at_least_three_customer_turns_on_its_main_path() {
    for s in library() {
        let n = main_path_turns(s).unwrap_or_else(|| panic!("{}: no way to resolve", s.id));
        assert!(
            n >= 3,
            "{}: {n} customer turns to the resolved ending",
            s.id
        );
    }
}

#[test]
fn model_answers_walk_the_main_path_to_resolved() {
    // Replying with each turn's model answer ends well, in every language offered.
    for s in library() {
        for &lang in &s.languages {
            let mut x = Session::new(s, 7, lang);
            while let Target::Turn(i) = x.at {
                let model = x.fill(s.turns[i].model[0].get(lang));
                x.reply_with(s, &model, None, &native_judge);
            }
            assert_eq!(
                x.outcome(s),
                Some(Outcome::Resolved),
                "{} ({}): model answers led to {:?}; path: {:?}",
                s.id,
                lang.code(),
                x.ended().map(|e| &s.endings[e].id),
                x.log
                    .iter()
                    .map(|e| s.target_name(e.next))
                    .collect::<Vec<_>>()
            );
        }
    }
}

fn lang_of(k: u8, s: &Scenario) -> Lang {
    s.languages[k as usize % s.languages.len()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// From every scenario, whatever branch each reply takes, the dialogue reaches an ending
    /// within `max_turns` replies, and the mood stays in 0..=100.
    #[test]
    fn every_path_of_branch_choices_ends(
        seed in any::<u64>(),
        lang in any::<u8>(),
        choices in proptest::collection::vec(0usize..8, 1..128),
    ) {
        for s in library() {
            let mut x = Session::new(s, seed, lang_of(lang, s));
            let mut n = 0;
            while x.ended().is_none() {
                let k = choices[n % choices.len()];
                prop_assert!(x.follow(s, k).is_some());
                n += 1;
                prop_assert!((0..=100).contains(&x.mood));
                prop_assert!(n <= s.max_turns, "{}: no ending after {} replies", s.id, n);
            }
            prop_assert!(x.outcome(s).is_some());
            // Once over, nothing moves.
            prop_assert!(x.follow(s, 0).is_none());
        }
    }

    /// The same with real replies (the file's samples and model answers, and junk), judged by
    /// the scorer: every session ends, and the seed and replies replay it exactly.
    #[test]
    fn every_session_with_real_replies_ends_and_replays(
        pick in 0usize..64,
        seed in any::<u64>(),
        lang in any::<u8>(),
        choices in proptest::collection::vec(any::<usize>(), 1..16),
    ) {
        let lib = library();
        let s = &lib[pick % lib.len()];
        let lang = lang_of(lang, s);
        let mut pool: Vec<String> = s.samples.iter().map(|x| x.reply.clone()).collect();
        for t in &s.turns {
            for m in &t.model {
                pool.push(m.get(lang).to_string());
            }
        }
        pool.extend(["".to_string(), "嗯".to_string(), "ok".to_string(), "!!!".to_string()]);
        let mut x = Session::new(s, seed, lang);
        let mut n = 0;
        while x.ended().is_none() {
            let reply = x.fill(&pool[choices[n % choices.len()] % pool.len()]);
            prop_assert!(x.reply_with(s, &reply, Some(30.0), &native_judge).is_some());
            n += 1;
            prop_assert!(n <= s.max_turns, "{}: no ending after {} replies", s.id, n);
        }
        let again = Session::replay_with(s, &x.saved(&s.id), &native_judge);
        prop_assert_eq!(again.at, x.at);
        prop_assert_eq!(again.mood, x.mood);
        prop_assert_eq!(&again.log, &x.log);
        // The browser app plays the bundled scenario (JSON) and judges through the engine
        // module's JSON protocol: the same session, judgement for judgement.
        let bundled: Scenario = serde_json::from_str(&serde_json::to_string(s).unwrap()).unwrap();
        let via_engine = |text: &str, lang: Lang, rules: &TurnRules, secs: Option<f64>| -> Judgement {
            let req = JudgeRequest { text: text.to_string(), lang, rules: rules.clone(), secs };
            let answer = score::judge_json(&serde_json::to_string(&req).unwrap());
            serde_json::from_str::<Judgement>(&answer).expect("a judgement")
        };
        let app = Session::replay_with(&bundled, &x.saved(&s.id), &via_engine);
        prop_assert_eq!(app.at, x.at);
        prop_assert_eq!(&app.log, &x.log);
    }
}

#[test]
fn the_engine_reads_every_turn_s_request_as_serde_would() {
    // The scorer module reads the app's request by hand (`judgement::read`, no serde, #17):
    // every turn of every shipped scenario, in every language, with and without the customer's
    // line and the time taken, reads back to the rules the app sent.
    let mut n = 0;
    for s in library() {
        for turn in 0..s.turns.len() {
            for lang in Lang::ALL {
                for (said, secs) in [(None, None), (Some("我的订单\"还没到\"?\n"), Some(12.5))]
                {
                    let rules = s.rules(turn, lang, said);
                    let req = JudgeRequest {
                        text: "您好 \u{1}😅".into(),
                        lang,
                        rules,
                        secs,
                    };
                    let sent = serde_json::to_string(&req).unwrap();
                    let read = kefu_core::judgement::read::request(&sent)
                        .unwrap_or_else(|e| panic!("{} turn {turn}: {e}\n{sent}", s.id));
                    assert_eq!(
                        serde_json::to_string(&read).unwrap(),
                        sent,
                        "{} turn {turn}",
                        s.id
                    );
                    n += 1;
                }
            }
        }
    }
    assert!(n > 300, "{n} requests");
    // What no shipped scenario has: a choice with its options, no customer name, the kind left
    // general, a time taken with many digits, a fact's value with a fraction.
    use kefu_core::judgement::{Ask, AskKind, FactRule};
    let rules = TurnRules {
        asks: Some(Ask {
            kind: AskKind::Choice,
            options: vec!["红色".into(), "blue".into()],
            fact: None,
            policy: None,
            say: vec![],
        }),
        facts: vec![FactRule {
            id: "v".into(),
            say: vec![],
            value: Some(0.1 + 0.2),
            units: vec!["kW".into()],
        }],
        weights: vec![("probe".into(), 1.0 / 3.0)],
        model_terms: vec!["AFG".into()],
        ..TurnRules::default()
    };
    for secs in [None, Some(0.1 + 0.2), Some(1e-7), Some(12345678.901)] {
        let req = JudgeRequest {
            text: String::new(),
            lang: Lang::En,
            rules: rules.clone(),
            secs,
        };
        let sent = serde_json::to_string(&req).unwrap();
        let read = kefu_core::judgement::read::request(&sent).unwrap();
        assert_eq!(serde_json::to_string(&read).unwrap(), sent);
    }
    for bad in [
        "",
        "{",
        "null",
        "[1,2]",
        r#"{"text": 3}"#,
        r#"{"text":"x","lang":"xx","rules":{}}"#,
    ] {
        assert!(kefu_core::judgement::read::request(bad).is_err(), "{bad}");
    }
}

#[test]
fn the_complete_example_in_the_format_guide_checks_clean() {
    let doc = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("docs/scenario-format.md"),
    )
    .expect("docs/scenario-format.md");
    let section = doc
        .split("## 2. A complete example")
        .nth(1)
        .expect("the guide has a complete example");
    let example = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .expect("a toml block");
    let out = check_source("docs/scenario-format.md", example);
    let shown: Vec<String> = out.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(out.value.is_some(), "{shown:#?}");
    assert!(
        shown.is_empty(),
        "the example should be spotless: {shown:#?}"
    );
    let s = out.value.unwrap();
    assert!(main_path_turns(&s).unwrap() >= 3);
}

#[test]
fn a_wrong_shop_rule_is_a_false_claim_with_evidence_that_costs_score_and_mood() {
    let s = library()
        .iter()
        .find(|s| s.id == "objection-after-sales-trust")
        .expect("the after-sales scenario");
    let who = s.turn_index("who").unwrap();
    let wrong = "整机保修两年,24小时上门,有问题师傅直接来处理。";
    let right = "整机保修一年,报修后48小时内安排师傅上门,有问题师傅直接来处理。";
    let rules = s.rules(who, Lang::ZhHans, None);
    let jw = native_judge(wrong, Lang::ZhHans, &rules, None);
    let jr = native_judge(right, Lang::ZhHans, &rules, None);
    let f = &jw.principles["facts"];
    assert!(!f.hit, "a wrong warranty and visit time are false claims");
    let marked: Vec<String> = f
        .evidence
        .iter()
        .map(|&(a, b)| wrong.chars().skip(a).take(b - a).collect())
        .collect();
    assert!(marked.iter().any(|m| m.contains("保修两年")), "{marked:?}");
    assert!(
        marked.iter().any(|m| m.contains("24小时上门")),
        "{marked:?}"
    );
    assert!(jr.hit("facts"));
    assert!(jw.score < jr.score, "{} < {}", jw.score, jr.score);
    // In the dialogue: the customer's mood drops and they catch the wrong rule.
    let mut x = Session::new(s, 1, Lang::ZhHans);
    for (k, b) in s.turns[s.start].next.iter().enumerate() {
        if b.goto == Target::Turn(who) {
            x.follow(s, k);
            break;
        }
    }
    assert_eq!(x.at, Target::Turn(who));
    let before = x.mood;
    x.reply_with(s, wrong, None, &native_judge);
    assert_eq!(x.at, Target::Turn(who));
    assert!(x.mood < before);
    assert!(
        x.customer_line.contains("可不是这样"),
        "{}",
        x.customer_line
    );
}

/// A Traditional interface playing a scenario written only in Simplified: the customer speaks
/// Simplified (the scenario's text), the feedback's tips are in Traditional and name the
/// customer in Traditional (劉女士, the file's `zh-Hant` name; the trainee tester saw 赵先生 in a
/// Traditional tip); a stored session replays the same. Scores do not depend on it.
#[test]
fn a_traditional_interface_reads_its_tips_in_traditional() {
    let s = library()
        .iter()
        .find(|s| !s.languages.contains(&Lang::ZhHant) && s.languages.contains(&Lang::ZhHans))
        .expect("a scenario written in Simplified only");
    let reply = "好的,知道了。";
    let mut x = Session::new(s, 1, Lang::ZhHant);
    assert_eq!((x.lang, x.tips), (Lang::ZhHans, Lang::ZhHant));
    let simplified = Session::new(s, 1, Lang::ZhHans)
        .judge_with(s, reply, None, &native_judge)
        .unwrap();
    let e = x.reply_with(s, reply, None, &native_judge).unwrap().clone();
    assert_eq!(e.judgement.score, simplified.score);
    assert!(!e.judgement.tips.is_empty());
    let mut rules = s.rules(e.turn, Lang::ZhHans, Some(&e.customer));
    let (hans, hant) = (
        s.customer_name.get(Lang::ZhHans),
        s.customer_name.get(Lang::ZhHant),
    );
    assert_ne!(hans, hant, "{}: the name written in Traditional too", s.id);
    rules.customer_name = Some(hant.to_string());
    let traditional = score::judge(reply, Lang::ZhHant, &rules, None);
    assert_eq!(e.judgement.tips, traditional.tips);
    assert_ne!(e.judgement.tips, simplified.tips);
    let said = |tips: &[kefu_core::judgement::Tip]| {
        tips.iter().map(|t| format!("{t:?}")).collect::<String>()
    };
    assert!(
        said(&e.judgement.tips).contains(hant),
        "{:?}",
        e.judgement.tips
    );
    assert!(
        !said(&e.judgement.tips).contains(hans),
        "{:?}",
        e.judgement.tips
    );
    let y = Session::replay_with(s, &x.saved(&s.id), &native_judge);
    assert_eq!(y.log[0].judgement.tips, traditional.tips);
}
