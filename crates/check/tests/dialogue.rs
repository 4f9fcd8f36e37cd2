//! Moved from the core's unit tests: they need the checker and the judge.

use kefu_check::check_source;
use kefu_core::dialogue::*;
use kefu_core::judgement::TurnRules;
use kefu_core::principles::Lang;
use kefu_core::scenario::*;
use kefu_judge::native_judge;

const SRC: &str = include_str!("../../../tests/data/mini.toml");

fn mini() -> Scenario {
    let out = check_source("mini.toml", SRC);
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    out.value.unwrap()
}

#[test]
fn apology_calms_and_blame_escalates() {
    let s = mini();
    let mut a = Session::new(&s, 1, Lang::ZhHans);
    let start = a.mood;
    a.reply_with(
        &s,
        "王先生,非常抱歉让您久等了,理解您的着急,我马上为您补发。",
        None,
        &native_judge,
    );
    assert!(a.mood > start);
    let mut b = Session::new(&s, 1, Lang::ZhHans);
    b.reply_with(&s, "这是快递的问题,跟我们没关系", None, &native_judge);
    assert!(b.mood < start);
    assert_ne!(a.at, b.at);
}

#[test]
fn a_seed_replays_exactly() {
    let s = mini();
    let mut a = Session::new(&s, 42, Lang::En);
    a.reply_with(
        &s,
        "I'm so sorry, I understand. I'll resend it today.",
        Some(12.0),
        &native_judge,
    );
    let saved = a.saved(&s.id);
    let b = Session::replay_with(&s, &saved, &native_judge);
    assert_eq!(a.customer_line, b.customer_line);
    assert_eq!(a.at, b.at);
    assert_eq!(a.mood, b.mood);
    assert_eq!(a.log, b.log);
}

#[test]
fn a_replay_stops_at_the_first_reply_the_scorer_cannot_judge() {
    let s = mini();
    let mut a = Session::new(&s, 7, Lang::En);
    a.reply_with(
        &s,
        "Sorry for the wait. Could you tell me the order number?",
        None,
        &native_judge,
    );
    a.reply_with(
        &s,
        "I'll resend it today and email you the tracking.",
        None,
        &native_judge,
    );
    let saved = a.saved(&s.id);
    assert_eq!(saved.replies.len(), a.log.len());
    let calls = std::cell::Cell::new(0);
    let judge = |t: &str, l: Lang, r: &TurnRules, x: Option<f64>| {
        calls.set(calls.get() + 1);
        if calls.get() == 2 {
            Err("engine from another build")
        } else {
            Ok(native_judge(t, l, r, x))
        }
    };
    let (b, err) = Session::try_replay_with(&s, &saved, &judge);
    assert_eq!(err, Some("engine from another build"));
    assert_eq!(b.log.len(), 1, "nothing is made up after the failure");
    assert_eq!(b.log[0], a.log[0]);
}

#[test]
fn every_path_ends() {
    // Whatever the trainee writes, the dialogue ends within max_turns.
    let s = mini();
    for seed in 0..20u64 {
        let mut x = Session::new(&s, seed, Lang::ZhHans);
        let replies = ["嗯", "这是快递的问题", "非常抱歉,马上为您补发", "你烦不烦"];
        let mut n = 0;
        while x.ended().is_none() {
            x.reply_with(
                &s,
                replies[(seed as usize + n) % replies.len()],
                None,
                &native_judge,
            );
            n += 1;
            assert!(n <= s.max_turns, "did not end");
        }
    }
}

/// The acronyms a scenario's own model replies use are its plain words (`Scenario::rules`, `model_terms`): a
/// reply at its turn may use them, while the same reply to a bare customer line is read as
/// using jargon (an acronym no list names: `kefu_judge`'s jargon by shape).
#[test]
fn a_scenario_s_model_acronyms_are_no_jargon_at_its_turns() {
    let src = include_str!("../../../scenarios/product-afg-modulation.toml");
    let out = check_source("product-afg-modulation.toml", src);
    let s = out.value.expect("the shipped scenario checks");
    let i = s.turn_index("fm").expect("its first turn");
    let said = "预算有限,想买AFG2000。调频(FM)功能它有吧?";
    let rules = s.rules(i, Lang::ZhHans, Some(said));
    assert!(
        rules.model_terms.iter().any(|t| t == "FSK"),
        "{:?}",
        rules.model_terms
    );
    let reply = "AFG2000没有调频,AM和FSK调制也只有AFG2100系列有。";
    let at_turn = native_judge(reply, Lang::ZhHans, &rules, None);
    assert!(!at_turn.principles["jargon"].hit);
    let bare = kefu_judge::score::score_reply_to(reply, Lang::ZhHans, said);
    assert!(bare.principles["jargon"].hit);
}

/// Settings' reply time (WCAG 2.2.1): a session judges its replies against the turn's target
/// as set, twice it, or not at all, and a replay judges them at the pace the session began
/// with, whatever the trainee has chosen since.
#[test]
fn a_session_keeps_the_pace_it_began_with() {
    let s = mini();
    let target = s.turns[s.start].target_secs;
    assert_eq!(target, Some(60), "mini.toml's first turn has a 60 s target");
    let reply = "I'm so sorry, I understand. I'll resend it today.";
    let timed = |pace: Pace, secs: f64| {
        let mut a = Session::new(&s, 7, Lang::En).paced(pace);
        let rules = a.rules_now(&s).unwrap();
        let shown = a.target_secs(&s);
        a.reply_with(&s, reply, Some(secs), &native_judge);
        let j = &a.log[0].judgement;
        (
            rules.target_secs,
            shown,
            j.principles.get("timeliness").map(|f| f.hit),
            a,
        )
    };
    // 90 s: late at the scenario's pace, in time at twice it, not judged when untimed.
    let (t, shown, hit, _) = timed(Pace::AsSet, 90.0);
    assert_eq!((t, shown, hit), (Some(60), Some(60), Some(false)));
    let (t, shown, hit, _) = timed(Pace::Double, 90.0);
    assert_eq!((t, shown, hit), (Some(120), Some(120), Some(true)));
    let (t, shown, hit, untimed) = timed(Pace::Untimed, 900.0);
    assert_eq!((t, shown, hit), (None, None, None));
    assert!(!untimed.log[0]
        .judgement
        .expected
        .iter()
        .any(|e| e == "timeliness"));
    // Stored and replayed at its own pace; a session stored before paces were kept (no
    // `pace` in its JSON) reads as set, and as set is not written.
    let saved = untimed.saved(&s.id);
    assert_eq!(saved.pace, Pace::Untimed);
    let json = serde_json::to_string(&saved).unwrap();
    let back: Saved = serde_json::from_str(&json).unwrap();
    let again = Session::replay_with(&s, &back, &native_judge);
    assert_eq!(again.log, untimed.log);
    assert_eq!(again.pace, Pace::Untimed);
    let (_, _, _, plain) = timed(Pace::AsSet, 90.0);
    let json = serde_json::to_string(&plain.saved(&s.id)).unwrap();
    assert!(!json.contains("pace"), "{json}");
    let old: Saved = serde_json::from_str(&json).unwrap();
    assert_eq!(old.pace, Pace::AsSet);
}
