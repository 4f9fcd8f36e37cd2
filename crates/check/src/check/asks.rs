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
            format!(
                "unknown kind of question `{}`{hint} (the kinds: {})",
                ra.kind.get_ref(),
                ids.join(", ")
            ),
        );
        return None;
    };
    let turn = rt.id.get_ref();
    let mut ok = true;
    let unused = |ck: &mut Checker, at: &Spanned<_>, key: &str| {
        ck.warn(
            at,
            format!(
                "`{key}` is only read for `kind = \"{}\"`; a `{}` question ignores it: remove it",
                match key {
                    "options" => "choice",
                    "fact" => "fact",
                    _ => "policy",
                },
                kind.id()
            ),
        );
    };
    if kind == AskKind::Choice {
        if ra.options.is_empty() {
            ck.err(&ra.kind, format!("turn `{turn}` asks for a choice but names no options: write `options = [\"AFG2000\", \"AFG2100\"]`, the options the customer weighs"));
            ok = false;
        }
        for o in &ra.options {
            if o.get_ref().trim().is_empty() {
                ck.err(
                    o,
                    "an option is a word or name the customer can be given: it may not be empty",
                );
                ok = false;
            } else if o.get_ref().chars().count() > MAX_TERM_CHARS {
                ck.err(
                    o,
                    format!("an option is at most {MAX_TERM_CHARS} characters"),
                );
                ok = false;
            }
        }
    } else if let Some(o) = ra.options.first() {
        unused(ck, o, "options");
    }
    let fact = match (&ra.fact, kind) {
        (Some(f), AskKind::Fact) => {
            if facts.iter().any(|x| &x.id == f.get_ref()) {
                Some(f.get_ref().clone())
            } else {
                let hint = suggest(f.get_ref(), facts.iter().map(|x| x.id.as_str()));
                let known = if facts.is_empty() {
                    "this turn lists no `[[turn.facts]]`: add the fact there".to_string()
                } else {
                    format!(
                        "the facts of this turn: {}",
                        facts
                            .iter()
                            .map(|x| x.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                ck.err(
                    f,
                    format!(
                        "`{}` is not a fact of turn `{turn}`{hint} ({known})",
                        f.get_ref()
                    ),
                );
                ok = false;
                None
            }
        }
        (None, AskKind::Fact) => {
            ck.err(&ra.kind, format!("turn `{turn}` asks for a product fact: name it with `fact = \"…\"`, the id of one of the turn's `[[turn.facts]]`"));
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
                    format!(
                        "`{}` is not a rule of this scenario's `[policy]`{hint}: add it there with its value (`{} = …`), or name one of: {}",
                        p.get_ref(),
                        p.get_ref(),
                        if policy.is_empty() {
                            "(the file has no `[policy]`)".to_string()
                        } else {
                            policy.iter().cloned().collect::<Vec<_>>().join(", ")
                        }
                    ),
                );
                ok = false;
                None
            }
        }
        (None, AskKind::Policy) => {
            ck.err(&ra.kind, format!("turn `{turn}` asks about a shop rule: name it with `policy = \"…\"`, a rule of the file's `[policy]` (e.g. `warranty_months`)"));
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
    })
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
                ck.warn(a, format!("turn `{}` asks a question, but no branch needs it answered: add `all = [\"answers\"]` to the branch that moves on, so a reply that ignores the question does not", turn.id));
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
                    Some(format!(
                        "to the `resolved` ending `{}`",
                        s.target_name(b.goto)
                    ))
                }
                _ if answered.contains(&b.goto) => Some(format!(
                    "to `{}`, where an answering branch leads",
                    s.target_name(b.goto)
                )),
                _ if b.mood > 0 => Some(format!(
                    "to `{}` with the mood up {:+}",
                    s.target_name(b.goto),
                    b.mood
                )),
                _ => None,
            };
            let (Some(why), Some(rt)) = (why, raw.turn.get(t)) else {
                continue;
            };
            let Some(rn) = rt.get_ref().next.get(k) else {
                continue;
            };
            ck.err(rn, format!(
                "turn `{}` asks {} question (`asks`), but a reply that does not answer it can take this branch {why}, as if it had been answered: add `all = [\"answers\"]` to this branch, and lead the replies that don't answer back to `{}` (the customer asks again) or to a worse turn, with no rise in mood",
                turn.id,
                match ask.kind {
                    AskKind::YesNo => "a yes-or-no",
                    AskKind::Choice => "a choice",
                    AskKind::Time => "a when",
                    AskKind::Duration => "a how-long",
                    AskKind::Amount => "a how-much",
                    AskKind::Fact => "a product-fact",
                    AskKind::Policy => "a shop-rule",
                },
                turn.id
            ));
        }
    }
}
