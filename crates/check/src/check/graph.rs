//! The turn graph: unreachable turns, branches that never arrive, lines said without what
//! they require, one reply from the opening that ends the session.

use super::*;
use crate::check::checker::key_msg;

/// The turn graph, first as drawn (every branch possible), then as played: with the mood,
/// `max_turns`, giving up and the mood and turns conditions applied (`dialogue::explore`).
pub(super) fn graph(ck: &mut Checker, raw: &RawScenario, s: &Scenario) {
    let seen = as_drawn(ck, raw, s);
    let reach = kefu_core::dialogue::explore(s);
    as_played(ck, raw, s, &seen, &reach);
    requires(ck, raw, s, &reach);
    room_to_recover(ck, raw, s, &reach);
    resolvable(ck, raw, s, &reach);
}

/// As drawn: every turn reachable from the start, an ending reachable from every turn. The
/// turns reachable from the start.
fn as_drawn(ck: &mut Checker, raw: &RawScenario, s: &Scenario) -> Vec<bool> {
    let turns = &s.turns;
    let n = turns.len();
    let first = s.start.min(n - 1);
    let mut seen = vec![false; n];
    let mut q = VecDeque::from([first]);
    seen[first] = true;
    while let Some(i) = q.pop_front() {
        for b in &turns[i].next {
            if let Target::Turn(j) = b.goto {
                if !seen[j] {
                    seen[j] = true;
                    q.push_back(j);
                }
            }
        }
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            ck.err(
                &raw.turn[i].get_ref().id,
                msg!(
                    "check.turn_can_never_reached",
                    a = turns[i].id,
                    b = turns[i].id
                ),
            );
        }
    }
    // Turns that reach an ending (fixed point).
    let mut ends = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if !ends[i]
                && turns[i].next.iter().any(|b| match b.goto {
                    Target::Ending(_) => true,
                    Target::Turn(j) => ends[j],
                })
            {
                ends[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for i in 0..n {
        if seen[i] && !ends[i] {
            ck.err(
                &raw.turn[i].get_ref().id,
                msg!("check.ending_can_reached_from", a = turns[i].id),
            );
        }
    }
    seen
}

/// As played: turns and branches the mood, `max_turns` and the state conditions rule out.
fn as_played(ck: &mut Checker, raw: &RawScenario, s: &Scenario, seen: &[bool], reach: &Reach) {
    let (turns, endings, max_turns, gives_up) = (&s.turns, &s.endings, s.max_turns, s.gives_up);
    let n = turns.len();
    for i in 0..n {
        if seen[i] && reach.first[i].is_none() {
            ck.warn(
                &raw.turn[i].get_ref().id,
                msg!(
                    "check.turn_can_never_reached_2",
                    a = turns[i].id,
                    max_turns = max_turns
                ),
            );
        }
    }
    for (i, t) in turns.iter().enumerate() {
        let Some(((lo, hi), (a, b))) = reach.range_at(i) else {
            continue;
        };
        for (k, br) in t.next.iter().enumerate() {
            let at = &raw.turn[i].get_ref().next[k];
            let (can, arrives) = reach.taken[i][k];
            if can == 0 && br.cond.judges_state() && kefu_core::dialogue::satisfiable(&br.cond) {
                ck.warn(
                    at,
                    msg!(
                        "check.branch_can_never_taken_2",
                        a = t.id,
                        lo = lo,
                        hi = hi,
                        b = ordinal(a + 1),
                        c = ordinal(b + 1)
                    ),
                );
            } else if can > 0 && arrives == 0 && i != s.start.min(n - 1) {
                if let Target::Turn(j) = br.goto {
                    ck.warn(
                        at,
                        msg!(
                            "check.branch_never_reaches",
                            turn = turns[j].id,
                            ending = endings[gives_up].id,
                            lo = lo,
                            hi = hi,
                            mood = format!("{:+}", br.mood),
                            max_turns = max_turns
                        ),
                    );
                }
            }
        }
    }
}

/// Lines that presume something of the previous reply (`requires`) must not be said without
/// it: every way into the turn or ending is looked at.
fn requires(ck: &mut Checker, raw: &RawScenario, s: &Scenario, reach: &Reach) {
    let (turns, endings, gives_up) = (&s.turns, &s.endings, s.gives_up);
    let n = turns.len();
    let first = s.start.min(n - 1);
    let implies = |c: &Cond, p: PrincipleId| c.all.contains(&p) || c.any == [p];
    for target in (0..n)
        .map(Target::Turn)
        .chain((0..endings.len()).map(Target::Ending))
    {
        let (lines, raw_reqs): (&[Line], Vec<&Vec<Spanned<String>>>) = match target {
            Target::Turn(i) => (
                &turns[i].lines,
                raw.turn[i]
                    .get_ref()
                    .line
                    .iter()
                    .map(|l| &l.get_ref().requires)
                    .collect(),
            ),
            Target::Ending(e) => (
                &endings[e].lines,
                raw.ending[e]
                    .get_ref()
                    .line
                    .iter()
                    .map(|l| &l.get_ref().requires)
                    .collect(),
            ),
        };
        if lines.iter().all(|l| l.requires.is_empty()) {
            continue;
        }
        // (turn, branch) pairs that lead here when played; `None`: the opening.
        let mut entries: Vec<Option<(usize, usize)>> = Vec::new();
        if target == Target::Turn(first) {
            entries.push(None);
        }
        for (t, turn) in turns.iter().enumerate() {
            for (k, b) in turn.next.iter().enumerate() {
                let (can, arrives) = reach.taken[t][k];
                let gave_up = target == Target::Ending(gives_up) && can > arrives;
                if (b.goto == target && arrives > 0) || gave_up {
                    entries.push(Some((t, k)));
                }
            }
        }
        for (li, l) in lines.iter().enumerate() {
            for (ri, p) in l.requires.iter().enumerate() {
                let at = &raw_reqs[li][ri];
                if l.cond.none.contains(p) {
                    ck.err(at, msg!("check.line_requires_p_but", p = p));
                    continue;
                }
                if implies(&l.cond, *p) {
                    continue;
                }
                for entry in &entries {
                    let Some((t, k)) = *entry else {
                        if !l.cond.judges_reply() {
                            ck.err(at, msg!("check.line_requires_p_but_2", p = p));
                        }
                        continue;
                    };
                    let b = &turns[t].next[k];
                    if implies(&b.cond, *p) || l.cond.all.iter().any(|q| b.cond.none.contains(q)) {
                        continue;
                    }
                    ck.err(
                        at,
                        msg!(
                            "check.line_requires_p_but_3",
                            p = p,
                            a = turns[t].id,
                            b = s.target_name(b.goto),
                            c = ordinal(k + 1)
                        ),
                    );
                    break;
                }
            }
        }
    }
}

/// Room to recover: one reply from the opening should not end the session badly, unless the
/// author says so (`final = true`); every ending but giving up is reached.
fn room_to_recover(ck: &mut Checker, raw: &RawScenario, s: &Scenario, reach: &Reach) {
    let (turns, endings, max_turns, gives_up) = (&s.turns, &s.endings, s.max_turns, s.gives_up);
    let n = turns.len();
    let first = s.start.min(n - 1);
    let opening = State {
        mood: s.mood,
        taken: 1,
    };
    for (k, br) in turns[first].next.iter().enumerate() {
        if br.is_final || reach.taken[first][k].0 == 0 || !br.cond.state_holds(opening) {
            continue;
        }
        let mood = (s.mood + br.mood).clamp(0, 100);
        let (end, why) = match br.goto {
            Target::Ending(e) => (e, Msg::nothing()),
            Target::Turn(_) if mood == 0 => (
                gives_up,
                msg!(
                    "check.why_mood_zero",
                    to = s.target_name(br.goto),
                    mood = s.mood,
                    by = format!("{:+}", br.mood)
                ),
            ),
            Target::Turn(_) if max_turns <= 1 => (gives_up, msg!("check.why_one_turn")),
            Target::Turn(_) => continue,
        };
        if endings[end].outcome == Outcome::Resolved {
            continue;
        }
        ck.warn(
            &raw.turn[first].get_ref().next[k],
            msg!(
                "check.one_reply_opening_can",
                a = endings[end].id,
                b = key_msg(match endings[end].outcome {
                    Outcome::Resolved => "outcome.resolved",
                    Outcome::Escalated => "outcome.escalated",
                    Outcome::Lost => "outcome.lost",
                }),
                why = why
            ),
        );
    }
    for (i, reached) in reach.endings.iter().enumerate() {
        if !reached && i != gives_up {
            ck.warn(
                &raw.ending[i].get_ref().id,
                msg!(
                    "check.ending_never_reached_branch",
                    a = endings[i].id,
                    b = if turns
                        .iter()
                        .any(|t| t.next.iter().any(|b| b.goto == Target::Ending(i)))
                    {
                        msg!("check.when_played")
                    } else {
                        Msg::nothing()
                    }
                ),
            );
        }
    }
}

/// The fewest replies that reach a `resolved` ending, as drawn and as played: more than
/// `max_turns` and the customer always gives up first.
fn resolvable(ck: &mut Checker, raw: &RawScenario, s: &Scenario, reach: &Reach) {
    let (turns, endings, max_turns) = (&s.turns, &s.endings, s.max_turns);
    let n = turns.len();
    let first = s.start.min(n - 1);
    // The fewest replies that reach a `resolved` ending, as drawn: more than `max_turns` and the
    // customer always gives up first.
    let mut replies = vec![usize::MAX; n];
    replies[first] = 1;
    let mut q = VecDeque::from([first]);
    let mut fewest = None;
    while let Some(i) = q.pop_front() {
        for b in &turns[i].next {
            match b.goto {
                Target::Ending(e) if endings[e].outcome == Outcome::Resolved => {
                    fewest = fewest.or(Some(replies[i]));
                }
                Target::Turn(j) if replies[j] == usize::MAX => {
                    replies[j] = replies[i] + 1;
                    q.push_back(j);
                }
                _ => {}
            }
        }
    }
    let at_first = raw.turn[first].get_ref().id.span().start;
    match fewest {
        None => ck.push(
            Severity::Warning,
            at_first,
            msg!("check.branch_leads_ending_outcome"),
        ),
        Some(m) if m > max_turns => {
            let said = msg!("check.max_turns_too_few", max_turns = max_turns, m = m);
            match &raw.max_turns {
                Some(at) => ck.warn(at, said),
                None => ck.push(Severity::Warning, 0, said),
            }
        }
        Some(_) if reach.fewest_resolved.is_none() => ck.push(
            Severity::Warning,
            at_first,
            msg!("check.customer_can_never_satisfied"),
        ),
        _ => {}
    }
}
