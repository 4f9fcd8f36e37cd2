//! The file's sample replies and model answers, played through the same dialogue engine,
//! seed and placeholders as the app.

use super::*;

/// The seed samples are played with; `#/play/ID?seed=1` plays the same choices in the app.
pub const SAMPLE_SEED: u64 = 1;

/// A session at `turn`, to play a sample in: the last played sample's session that is there
/// in this language; else one that follows the same branches (the mood depends only on them)
/// of the last sample that got there in another language, or the fewest-replies way found by
/// `explore`.
pub(super) fn session_at(
    s: &Scenario,
    reach: &Reach,
    played: &[Session],
    turn: usize,
    lang: Lang,
) -> Option<Session> {
    let here = Target::Turn(turn);
    if let Some(x) = played.iter().rev().find(|x| x.at == here && x.lang == lang) {
        return Some(x.clone());
    }
    // The ways there: those of the samples in other languages that got there (the last first),
    // then the fewest-replies way. The first that can be played with real replies (samples in
    // this language, model answers) is taken, so that the app can be given the same replies;
    // else the first, with a branch taken without a reply where needed.
    let mut ways: Vec<Vec<usize>> = played
        .iter()
        .rev()
        .filter(|x| x.at == here)
        .map(|x| x.log.iter().map(|e| e.branch.unwrap_or(0)).collect())
        .collect();
    if let Some(i) = reach.first[turn] {
        ways.push(reach.path(i).into_iter().map(|(_, k)| k).collect());
    }
    let mut fallback = None;
    for path in ways {
        let x = play_way(s, played, &path, lang);
        if x.at != here {
            continue;
        }
        if x.log.iter().all(|e| !e.judgement.principles.is_empty()) {
            return Some(x);
        }
        fallback.get_or_insert(x);
    }
    fallback
}

/// A session along the branches `path`: from the longest conversation played in this language
/// that took the same first branches (a blaming sample at the opening, on the way to the
/// recovery turn) and passed over no turn, then with model answers where they take the branch (`follow_with_model`).
fn play_way(s: &Scenario, played: &[Session], path: &[usize], lang: Lang) -> Session {
    let branches =
        |x: &Session| -> Vec<usize> { x.log.iter().map(|e| e.branch.unwrap_or(0)).collect() };
    let mut x = played
        .iter()
        .rev()
        .filter(|x| x.lang == lang && matches!(x.at, Target::Turn(_)))
        // Not one that went past a turn whose question a reply had answered: its branches are
        // not the turns it went through (a sample that passed over `when` made every later
        // sample at `when` "never reached").
        .filter(|x| x.log.iter().all(|e| e.passed.is_empty()))
        .filter(|x| path.starts_with(&branches(x)))
        .max_by_key(|x| x.log.len())
        .cloned()
        .unwrap_or_else(|| Session::new(s, SAMPLE_SEED, lang));
    for &k in &path[x.log.len()..] {
        follow_with_model(s, &mut x, k);
    }
    x
}

/// Take branch `k` of the current turn with one of the turn's model answers when one takes it
/// to where it goes (not on past a turn whose question the answer already answers: a real reply, so a browser test can type the same path into the app, and the next line
/// fits a good reply as it would in the app); else as if its condition held (`follow`).
fn follow_with_model(s: &Scenario, x: &mut Session, k: usize) {
    if let Target::Turn(i) = x.at {
        for m in &s.turns[i].model {
            let reply = x.fill(m.get(x.lang));
            let mut y = x.clone();
            if y.reply_with(s, &reply, None, &native_judge)
                .is_some_and(|e| e.branch == Some(k) && e.passed.is_empty())
            {
                *x = y;
                return;
            }
        }
    }
    x.follow(s, k);
}

/// `open (mood 25) → when (mood 50) → resolved (mood 70)`; a turn passed over because the reply
/// had already answered its question is named as such (`open (mood 25) → when (answered before
/// it was asked) → compensation (mood 70)`).
pub(super) fn path_text(lang: Lang, s: &Scenario, x: &Session) -> String {
    let step = |id: &str, mood: i32| msg!("check.path_step", id = id, mood = mood).in_lang(lang);
    let mut out: Vec<String> = Vec::new();
    for e in &x.log {
        out.push(step(&s.turns[e.turn].id, e.mood_before));
        for &(t, _) in &e.passed {
            let id = &s.turns[t].id;
            out.push(msg!("check.path_passed", id = id).in_lang(lang));
        }
    }
    out.push(step(s.target_name(x.at), x.mood));
    out.join(" → ")
}

/// A played session as `kefu check --paths` prints it (a step taken by `follow` has no reply).
fn played_path(s: &Scenario, x: &Session) -> kefu_core::scenario::Played {
    kefu_core::scenario::Played {
        seed: x.seed,
        lang: x.lang,
        steps: x
            .log
            .iter()
            .map(|e| kefu_core::scenario::PlayedStep {
                turn: s.turns[e.turn].id.clone(),
                customer: e.customer.clone(),
                mood: e.mood_before,
                reply: (!e.judgement.principles.is_empty()).then(|| e.reply.clone()),
                branch: e.branch,
                passed: e
                    .passed
                    .iter()
                    .map(|&(t, _)| s.turns[t].id.clone())
                    .collect(),
            })
            .collect(),
        at: s.target_name(x.at).to_string(),
        line: x.customer_line.clone(),
        mood: x.mood,
    }
}

/// Run the file's sample replies through the dialogue engine as the app plays them (one
/// conversation per chain of samples, see `session_at`); returns them.
pub(super) fn run_samples(ck: &mut Checker, s: &Scenario, raw: &RawScenario) -> Vec<Sample> {
    let mut samples = Vec::new();
    let reach = explore(s);
    let mut played: Vec<Session> = Vec::new();
    for rs in &raw.sample {
        let r = rs.get_ref();
        let Some(turn) = s.turn_index(r.turn.get_ref()) else {
            let hint = suggest(r.turn.get_ref(), s.turns.iter().map(|t| t.id.as_str()));
            ck.err(
                &r.turn,
                msg!(
                    "check.sample_unknown_turn_hint",
                    a = r.turn.get_ref(),
                    hint = hint
                ),
            );
            continue;
        };
        let lang = match &r.lang {
            Some(l) => match Lang::parse(l.get_ref()).filter(|x| x.code() == l.get_ref()) {
                Some(x) => x,
                None => {
                    ck.err(
                        l,
                        msg!(
                            "check.unknown_language_2",
                            a = l.get_ref(),
                            b = super::checker::lang_instead(l.get_ref())
                        ),
                    );
                    continue;
                }
            },
            None => {
                if kefu_judge::text::detect_lang(r.reply.get_ref()) == "zh" {
                    Lang::ZhHans
                } else {
                    Lang::En
                }
            }
        };
        let expect = match s.turns.iter().position(|t| &t.id == r.expect.get_ref()) {
            Some(i) => Target::Turn(i),
            None => match s.endings.iter().position(|e| &e.id == r.expect.get_ref()) {
                Some(i) => Target::Ending(i),
                None => {
                    let hint = suggest(
                        r.expect.get_ref(),
                        s.turns
                            .iter()
                            .map(|t| t.id.as_str())
                            .chain(s.endings.iter().map(|e| e.id.as_str())),
                    );
                    ck.err(
                        &r.expect,
                        msg!(
                            "check.turn_ending_scenario_hint_2",
                            a = r.expect.get_ref(),
                            hint = hint
                        ),
                    );
                    continue;
                }
            },
        };
        let mut hit = Vec::new();
        let mut miss = Vec::new();
        for (src, dst) in [(&r.hit, &mut hit), (&r.miss, &mut miss)] {
            for p in src {
                if let Some(p) = ck.principle(p) {
                    dst.push(p);
                }
            }
        }
        // Play it as the app would: the same engine, seed, placeholders and mood, continuing
        // the conversation of the last sample that led to this turn.
        let play = s.play_lang(lang);
        let Some(mut x) = session_at(s, &reach, &played, turn, play) else {
            ck.err(
                &r.turn,
                msg!("check.turn_can_never_reached_3", a = r.turn.get_ref()),
            );
            continue;
        };
        let reply = x.fill(r.reply.get_ref());
        x.reply_with(s, &reply, None, &native_judge);
        let Some(e) = x.log.last() else { continue };
        let j = e.judgement.clone();
        let got = Some(x.at);
        if got != Some(expect) {
            let t = &s.turns[turn];
            let no_facts = t.facts.is_empty() && t.false_claims.is_empty();
            let shown: Vec<String> = j
                .principles
                .iter()
                .filter(|(id, f)| f.hit && !(no_facts && id.as_str() == "facts"))
                .map(|(k, _)| k.clone())
                .collect();
            let gave_up = match (e.branch.map(|k| &t.next[k]), e.passed.is_empty()) {
                (Some(b), false) => msg!("check.sample_passed", to = s.target_name(b.goto)),
                (Some(b), true) if b.goto != e.next => msg!(
                    "check.sample_gave_up",
                    to = s.target_name(b.goto),
                    why = if e.mood_after == 0 {
                        msg!(
                            "check.sample_mood_zero",
                            mood = e.mood_before,
                            by = format!("{:+}", b.mood)
                        )
                    } else {
                        msg!(
                            "check.sample_last_reply",
                            n = x.log.len(),
                            max = s.max_turns
                        )
                    }
                ),
                _ => Msg::nothing(),
            };
            ck.err(
                &r.reply,
                msg!(
                    "check.sample_reply_leads_but",
                    a = got.map_or(msg!("check.nowhere"), |t| msg!(
                        "check.text",
                        text = s.target_name(t)
                    )),
                    b = r.expect.get_ref(),
                    c = j.score,
                    d = if shown.is_empty() {
                        msg!("check.none")
                    } else {
                        msg!("check.text", text = List::of(&shown))
                    },
                    e = path_text(ck.lang, s, &x),
                    gave_up = gave_up
                ),
            );
        }
        for p in &hit {
            if !j.hit(p) {
                ck.err(&r.reply, msg!("check.sample_reply_should_show", p = p));
            }
        }
        for p in &miss {
            if j.hit(p) {
                ck.err(&r.reply, msg!("check.sample_reply_should_show_2", p = p));
            }
        }
        let path = played_path(s, &x);
        played.push(x);
        let (line, col) = ck.lines.at(ck.src, rs.span().start);
        samples.push(Sample {
            turn,
            lang,
            reply: r.reply.get_ref().clone(),
            expect,
            hit,
            miss,
            label: r.label.as_ref().map(|l| l.get_ref().clone()),
            line,
            col,
            played: Some(path),
        });
    }
    if raw.sample.len() < 4 {
        ck.push(
            Severity::Warning,
            0,
            msg!("check.file_has_sample_replies", a = raw.sample.len()),
        );
    }
    samples
}

/// A model answer is what a good reply looks like, so it should lead where a good reply goes.
/// Warn when one, judged like a trainee's reply, makes the customer's mood drop or ends the
/// dialogue badly: the answer or the turn's conditions probably need another look.
pub(super) fn check_models(ck: &mut Checker, s: &Scenario, raw: &RawScenario) {
    let mut fills: BTreeMap<String, String> = s
        .placeholders
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.first()?.clone())))
        .collect();
    let reach = explore(s);
    for (ti, t) in s.turns.iter().enumerate() {
        // Judged in the first state the turn is reached in (fewest replies).
        let Some(first) = reach.first[ti].map(|i| reach.states[i]) else {
            continue;
        };
        let st = State {
            mood: first.mood,
            taken: first.replies + 1,
        };
        for (mi, m) in t.model.iter().enumerate() {
            for &lang in &s.languages {
                let Some(text) = m.0.get(&lang) else { continue };
                fills.insert("name".into(), s.customer_name.get(lang).to_string());
                if let Some(p) = s.product.as_deref().and_then(|p| product_name(p, lang)) {
                    fills.insert("product".into(), p.to_string());
                }
                let mut text = text.clone();
                for (k, v) in &fills {
                    text = text.replace(&format!("{{{k}}}"), v);
                }
                // Judged against the turn's first line (what the customer asked, for `answers`).
                let said = t.say.first().map(|l| l.get(lang).to_string());
                let j = score::judge(&text, lang, &s.rules(ti, lang, said.as_deref()), None);
                let Some((_, b)) = kefu_core::dialogue::choose(t, &j, st) else {
                    continue;
                };
                let bad_end = matches!(b.goto, Target::Ending(e) if s.endings[e].outcome != Outcome::Resolved);
                if b.mood < 0 || bad_end {
                    let at = &raw.turn[ti].get_ref().model[mi];
                    let missed: Vec<&str> = j
                        .expected
                        .iter()
                        .filter(|p| !j.hit(p))
                        .map(String::as_str)
                        .collect();
                    let violations: Vec<&str> = j
                        .principles
                        .iter()
                        .filter(|(id, f)| f.hit && principles::get(id).is_some_and(|p| p.violation))
                        .map(|(id, _)| id.as_str())
                        .collect();
                    let why = match (violations.is_empty(), missed.is_empty()) {
                        (true, true) => Msg::nothing(),
                        (false, true) => msg!("check.model_finds", found = List::of(&violations)),
                        (true, false) => msg!("check.model_misses", missed = List::of(&missed)),
                        (false, false) => msg!(
                            "check.model_finds_misses",
                            found = List::of(&violations),
                            missed = List::of(&missed)
                        ),
                    };
                    ck.warn(
                        at,
                        msg!(
                            "check.model_leads",
                            lang = lang.code(),
                            turn = t.id,
                            to = s.target_name(b.goto),
                            mood = format!("{:+}", b.mood),
                            why = why
                        ),
                    );
                }
            }
        }
    }
}
