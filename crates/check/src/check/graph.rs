//! The turn graph: unreachable turns, branches that never arrive, lines said without what
//! they require, one reply from the opening that ends the session.

use super::*;

/// The turn graph, first as drawn (every branch possible), then as played: with the mood,
/// `max_turns`, giving up and the mood and turns conditions applied (`dialogue::explore`).
pub(super) fn graph(ck: &mut Checker, raw: &RawScenario, s: &Scenario) {
    let (turns, endings, max_turns, gives_up) = (&s.turns, &s.endings, s.max_turns, s.gives_up);
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
            ck.err(&raw.turn[i].get_ref().id, format!(
                "turn `{}` can never be reached from the start: add a `goto = \"{}\"` to another turn, or remove it",
                turns[i].id, turns[i].id
            ));
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
            ck.err(&raw.turn[i].get_ref().id, format!(
                "no ending can be reached from turn `{}`: its branches only loop between turns; add a `goto` to an ending",
                turns[i].id
            ));
        }
    }

    // As played.
    let reach = kefu_core::dialogue::explore(s);
    for i in 0..n {
        if seen[i] && reach.first[i].is_none() {
            ck.warn(&raw.turn[i].get_ref().id, format!(
                "turn `{}` can never be reached when the scenario is played: every way to it ends the session first (the customer's mood falls to 0, or `max_turns` = {max_turns} replies are used up), or needs a `mood_below`, `mood_above` or `turns_taken` that never holds on the way: soften the `mood` changes on the way, raise `max_turns`, or loosen those conditions",
                turns[i].id
            ));
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
                ck.warn(at, format!(
                    "this branch can never be taken: at turn `{}` the customer's mood is only ever {lo} to {hi} and the reply is only ever the {} to the {} (its `mood_below`, `mood_above` or `turns_taken` never holds, or a branch above always applies first)",
                    t.id, ordinal(a + 1), ordinal(b + 1)
                ));
            } else if can > 0 && arrives == 0 && i != s.start.min(n - 1) {
                if let Target::Turn(j) = br.goto {
                    ck.warn(at, format!(
                        "this branch never reaches turn `{}`: whenever it is taken the customer gives up first (ending `{}`), because the mood falls to 0 (it is {lo} to {hi} here, {:+} on this branch) or the reply is the last of `max_turns` = {max_turns}: soften `mood`, or raise `max_turns`",
                        turns[j].id, endings[gives_up].id, br.mood
                    ));
                }
            }
        }
    }
    // Lines that presume something of the previous reply (`requires`) must not be said
    // without it: look at every way into the turn or ending.
    let implies = |c: &Cond, p: PrincipleId| c.all.contains(&p) || c.any == [p];
    for target in (0..n)
        .map(Target::Turn)
        .chain((0..endings.len()).map(Target::Ending))
    {
        let (lines, raw_reqs): (&[Line], Vec<&Vec<S<String>>>) = match target {
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
                    ck.err(at, format!("this line requires `{p}` but its condition says `none = [\"{p}\"]`: it is only said when the reply does not show `{p}`"));
                    continue;
                }
                if implies(&l.cond, *p) {
                    continue;
                }
                for entry in &entries {
                    let Some((t, k)) = *entry else {
                        if !l.cond.judges_reply() {
                            ck.err(at, format!(
                                "this line requires `{p}` but can be said at the opening, where there is no reply yet: add `all = [\"{p}\"]` to the line (a condition on the reply never holds at the opening)"
                            ));
                        }
                        continue;
                    };
                    let b = &turns[t].next[k];
                    if implies(&b.cond, *p) || l.cond.all.iter().any(|q| b.cond.none.contains(q)) {
                        continue;
                    }
                    ck.err(at, format!(
                        "this line requires `{p}`, but it can be said after a reply without it: the branch of turn `{}` to `{}` (its {} `[[turn.next]]`) does not need `{p}`: add `all = [\"{p}\"]` to the line's condition",
                        turns[t].id,
                        s.target_name(b.goto),
                        ordinal(k + 1)
                    ));
                    break;
                }
            }
        }
    }

    // Room to recover: one reply from the opening should not end the session badly, unless
    // the author says so (`final = true`).
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
            Target::Ending(e) => (e, String::new()),
            Target::Turn(_) if mood == 0 => (
                gives_up,
                format!(
                    " (it goes to `{}`, but the mood falls to 0: {} {:+})",
                    s.target_name(br.goto),
                    s.mood,
                    br.mood
                ),
            ),
            Target::Turn(_) if max_turns <= 1 => (gives_up, " (`max_turns` is 1)".to_string()),
            Target::Turn(_) => continue,
        };
        if endings[end].outcome == Outcome::Resolved {
            continue;
        }
        ck.warn(&raw.turn[first].get_ref().next[k], format!(
            "one reply to the opening can end the session here, at `{}` ({}){why}: give the trainee a turn to recover (lead this branch to a turn where the customer is angrier but can still be won back, with a smaller mood drop), or write `final = true` on this branch if that is intended",
            endings[end].id,
            endings[end].outcome.id()
        ));
    }
    for (i, reached) in reach.endings.iter().enumerate() {
        if !reached && i != gives_up {
            ck.warn(
                &raw.ending[i].get_ref().id,
                format!(
                    "ending `{}` is never reached: no branch leads to it{}",
                    endings[i].id,
                    if turns
                        .iter()
                        .any(|t| t.next.iter().any(|b| b.goto == Target::Ending(i)))
                    {
                        " when the scenario is played (the customer gives up first)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
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
            "no branch leads to an ending with `outcome = \"resolved\"`: the customer can never be satisfied".into(),
        ),
        Some(m) if m > max_turns => {
            let msg = format!("`max_turns` is {max_turns}, but the shortest way to a resolved ending takes {m} replies, so the customer always gives up first: raise `max_turns` to at least {m}");
            match &raw.max_turns {
                Some(at) => ck.warn(at, msg),
                None => ck.push(Severity::Warning, 0, msg),
            }
        }
        Some(_) if reach.fewest_resolved.is_none() => ck.push(
            Severity::Warning,
            at_first,
            "the customer can never be satisfied when the scenario is played: on every way to a `resolved` ending the mood falls to 0 or a mood or turns condition never holds; soften the `mood` changes on the way".into(),
        ),
        _ => {}
    }
}
