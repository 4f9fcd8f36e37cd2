//! `asks`: what the customer asks at a turn (issue #15 item 2). Checked where it is written
//! (a known kind; a choice's options; the fact or shop rule it names exists), and against the
//! turn's branches: a reply that does not answer the question must not move the conversation on
//! as if it had (see `unanswered_stays`).

use super::*;
use crate::raw::{RawAsk, RawTurn};
use kefu_core::judgement::{Ask, AskKind};

/// The turn's `asks`, checked; `None` when it is unusable (the error says why).
pub(super) fn ask(
    ck: &mut Checker,
    rt: &RawTurn,
    a: &Spanned<RawAsk>,
    facts: &[FactRule],
    policy: &BTreeSet<String>,
) -> Option<Ask> {
    let ra = a.get_ref();
    let ids = AskKind::ALL.map(AskKind::id);
    let Some(kind) = AskKind::parse(ra.kind.get_ref()) else {
        let hint = suggest(ra.kind.get_ref(), ids.iter().copied());
        ck.err(
            &ra.kind,
            msg!(
                "check.unknown_kind_question_hint",
                a = ra.kind.get_ref(),
                hint = hint,
                b = List::of(ids)
            ),
        );
        return None;
    };
    let turn = rt.id.get_ref();
    let mut ok = true;
    let unused = |ck: &mut Checker, at: &Spanned<_>, key: &str| {
        ck.warn(
            at,
            msg!(
                "check.key_only_read_kind",
                key = key,
                a = match key {
                    "options" => "choice",
                    "fact" => "fact",
                    "say" => "yes_no",
                    _ => "policy",
                },
                b = kind.id()
            ),
        );
    };
    if kind == AskKind::Choice {
        if ra.options.is_empty() {
            ck.err(&ra.kind, msg!("check.turn_turn_asks_choice", turn = turn));
            ok = false;
        }
        ok &= words_ok(
            ck,
            &ra.options,
            || msg!("check.option_word_name_customer"),
            || {
                msg!(
                    "check.option_most_max_term_chars_characters",
                    max_term_chars = MAX_TERM_CHARS
                )
            },
        );
    } else if let Some(o) = ra.options.first() {
        unused(ck, o, "options");
    }
    if kind == AskKind::YesNo {
        ok &= words_ok(
            ck,
            &ra.say,
            || msg!("check.asks.say_empty"),
            || msg!("check.asks.say_long", max_term_chars = MAX_TERM_CHARS),
        );
    } else if let Some(w) = ra.say.first() {
        unused(ck, w, "say");
    }
    let fact = match (&ra.fact, kind) {
        (Some(f), AskKind::Fact) => {
            if facts.iter().any(|x| &x.id == f.get_ref()) {
                Some(f.get_ref().clone())
            } else {
                let hint = suggest(f.get_ref(), facts.iter().map(|x| x.id.as_str()));
                let known = if facts.is_empty() {
                    msg!("check.asks.no_facts")
                } else {
                    msg!(
                        "check.asks.facts",
                        list = List::of(facts.iter().map(|x| x.id.as_str()))
                    )
                };
                ck.err(
                    f,
                    msg!(
                        "check.fact_turn_turn_hint",
                        a = f.get_ref(),
                        turn = turn,
                        hint = hint,
                        known = known
                    ),
                );
                ok = false;
                None
            }
        }
        (None, AskKind::Fact) => {
            ck.err(&ra.kind, msg!("check.turn_turn_asks_product", turn = turn));
            ok = false;
            None
        }
        (Some(f), _) => {
            unused(ck, f, "fact");
            None
        }
        (None, _) => None,
    };
    let rule = match (&ra.policy, kind) {
        (Some(p), AskKind::Policy) => {
            if policy.contains(p.get_ref()) {
                Some(p.get_ref().clone())
            } else {
                let rules = kefu_judge::policy::rule_ids();
                let hint = suggest(
                    p.get_ref(),
                    policy
                        .iter()
                        .map(String::as_str)
                        .chain(rules.iter().copied()),
                );
                ck.err(
                    p,
                    msg!(
                        "check.rule_scenario_s_policy",
                        a = p.get_ref(),
                        hint = hint,
                        b = p.get_ref(),
                        c = if policy.is_empty() {
                            msg!("check.asks.no_policy")
                        } else {
                            msg!("check.text", text = List::of(policy.iter()))
                        }
                    ),
                );
                ok = false;
                None
            }
        }
        (None, AskKind::Policy) => {
            ck.err(&ra.kind, msg!("check.turn_turn_asks_about", turn = turn));
            ok = false;
            None
        }
        (Some(p), _) => {
            unused(ck, p, "policy");
            None
        }
        (None, _) => None,
    };
    ok.then(|| Ask {
        kind,
        options: ra
            .options
            .iter()
            .map(|o| o.get_ref().trim().to_string())
            .collect(),
        fact,
        policy: rule,
        say: ra
            .say
            .iter()
            .map(|w| w.get_ref().trim().to_string())
            .collect(),
    })
}

/// The words a question is answered by (`options`, `say`): none empty (`empty`), none longer
/// than `MAX_TERM_CHARS` (`long`); `false` when one is either.
fn words_ok(
    ck: &mut Checker,
    words: &[Spanned<String>],
    empty: impl Fn() -> Msg,
    long: impl Fn() -> Msg,
) -> bool {
    let mut ok = true;
    for w in words {
        if w.get_ref().trim().is_empty() {
            ck.err(w, empty());
            ok = false;
        } else if w.get_ref().chars().count() > MAX_TERM_CHARS {
            ck.err(w, long());
            ok = false;
        }
    }
    ok
}

/// Does the branch's condition need the reply to answer (`all = ["answers"]`, or an `any` of
/// `answers` alone; for a fact question, `all = ["facts"]` states every fact of the turn)?
pub(super) fn needs_answer(c: &Cond, kind: AskKind) -> bool {
    c.all.contains(&PrincipleId::Answers)
        || (!c.any.is_empty() && c.any.iter().all(|p| *p == PrincipleId::Answers))
        || (kind == AskKind::Fact && c.all.contains(&PrincipleId::Facts))
}

/// At a turn that asks, a reply that does not answer must not move on as if it had: every
/// branch such a reply can take stays at the turn (the customer asks again), or goes elsewhere
/// with no rise in mood, not to a `resolved` ending and not where an answering branch goes.
pub(super) fn unanswered_stays(ck: &mut Checker, raw: &RawScenario, s: &Scenario) {
    for (t, turn) in s.turns.iter().enumerate() {
        let Some(ask) = &turn.asks else {
            continue;
        };
        let answered: Vec<Target> = turn
            .next
            .iter()
            .filter(|b| needs_answer(&b.cond, ask.kind) && b.goto != Target::Turn(t))
            .map(|b| b.goto)
            .collect();
        // A branch dropped for an error of its own (a misspelt `goto`) may be the one that
        // needs the answer: that error is the one to report.
        let dropped = raw
            .turn
            .get(t)
            .is_some_and(|rt| rt.get_ref().next.len() != turn.next.len());
        if answered.is_empty() && !dropped {
            if let Some(a) = raw.turn.get(t).and_then(|rt| rt.get_ref().asks.as_ref()) {
                ck.warn(a, msg!("check.turn_asks_question_but", a = turn.id));
            }
        }
        for (k, b) in turn.next.iter().enumerate() {
            if needs_answer(&b.cond, ask.kind)
                || b.goto == Target::Turn(t)
                || !kefu_core::dialogue::satisfiable(&b.cond)
            {
                continue;
            }
            let why = match b.goto {
                Target::Ending(e)
                    if s.endings
                        .get(e)
                        .is_some_and(|e| e.outcome == Outcome::Resolved) =>
                {
                    Some(msg!("check.asks.why_resolved", to = s.target_name(b.goto)))
                }
                _ if answered.contains(&b.goto) => {
                    Some(msg!("check.asks.why_answered", to = s.target_name(b.goto)))
                }
                _ if b.mood > 0 => Some(msg!(
                    "check.asks.why_mood",
                    to = s.target_name(b.goto),
                    mood = format!("{:+}", b.mood)
                )),
                _ => None,
            };
            let (Some(why), Some(rt)) = (why, raw.turn.get(t)) else {
                continue;
            };
            let Some(rn) = rt.get_ref().next.get(k) else {
                continue;
            };
            ck.err(
                rn,
                msg!(
                    "check.turn_asks_question_asks",
                    a = turn.id,
                    b = match ask.kind {
                        AskKind::YesNo => msg!("check.ask_kind.yes_no"),
                        AskKind::Choice => msg!("check.ask_kind.choice"),
                        AskKind::Time => msg!("check.ask_kind.time"),
                        AskKind::Duration => msg!("check.ask_kind.duration"),
                        AskKind::Amount => msg!("check.ask_kind.amount"),
                        AskKind::Fact => msg!("check.ask_kind.fact"),
                        AskKind::Policy => msg!("check.ask_kind.policy"),
                    },
                    why = why,
                    c = turn.id
                ),
            );
        }
    }
}
