//! What an asking sentence does: probes the case, confirms the customer's point (a
//! restatement), or something else (closes, offers, suggests, accuses, a filler tag); and
//! whether a probe cue counts.

use super::analysis::{is_latin, trim_tail, Analysis};
use super::questions::{one_of, words};
use crate::lexicon::{Ctx, Hit, Mode, Owner};
use crate::rules::Spans;
use crate::text::{self, Seg};
use kefu_core::principles::PrincipleId::*;

/// A probe cue (请问, 请提供…) counts unless its sentence closes, accuses or doesn't ask, or
/// (in Chinese) confirms the customer's point ("请问您是反映…的情况,对吗?" restates).
pub(super) fn probe_ok(c: &Analysis, h: &Hit) -> bool {
    let Some(s) = c.sentence_of(h.start) else {
        return true;
    };
    // It depends on the sentence only: judged once per sentence.
    c.once(&c.memo.probe_ok, s, || probe_ok_in(c, s))
}

fn probe_ok_in(c: &Analysis, s: Seg) -> bool {
    let confirms = !is_latin(s.slice(&c.f.text)) && c.confirms_point(s);
    !c.closes(s)
        && !confirms
        && ![Ctx::Rhetorical, Ctx::NotAsking]
            .into_iter()
            .any(|k| c.has_ctx(k, s))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Question {
    /// Asks the customer for information about their case or their view.
    Probe,
    /// Confirms the customer's point ("您是说…,对吗?").
    Confirm,
    /// Closes, accuses, suggests, offers, or is a filler.
    Other,
}

/// What an asking sentence does.
fn question_kind(c: &Analysis, s: Seg) -> Question {
    if c.closes(s)
        || [Ctx::Rhetorical, Ctx::Request]
            .into_iter()
            .any(|k| c.has_ctx(k, s))
    {
        return Question::Other;
    }
    // An offer to talk invites ("Do you want to talk?"); asking what about asks ("What would
    // you like to talk about?").
    if c.has_ctx(Ctx::NotAsking, s) && !c.wh_question(s) {
        return Question::Other;
    }
    // "Did you know that …?", "Are you aware there are …?" tell the customer something; they
    // don't ask ("How do you know that …?" does).
    let opening = &c.f.text[c.after_interjection(s)..s.end];
    if words()
        .tells
        .iter()
        .any(|p| opening.starts_with(p.as_str()))
    {
        return Question::Other;
    }
    // An offer ("Would you like me to resend it?", "Shall I book it?", "May I suggest …?")
    // seeks consent; it asks nothing about the case.
    let last_clause = c.last_clause_start(s, s.start).max(s.start);
    let offers = |t: &str| words().offers.iter().any(|p| t.starts_with(p.as_str()));
    if offers(opening) || offers(c.f.text[last_clause..s.end].trim_start()) {
        return Question::Other;
    }
    // Rude or blaming sentences are not questions that ask.
    if [Rudeness, Blame]
        .into_iter()
        .any(|p| c.cues_of(p, s).any(|h| c.mode_ok(h)))
    {
        return Question::Other;
    }
    if c.confirms_point(s) {
        return Question::Confirm;
    }
    // A filler tag closing the sentence, or standing alone ("…, you know?", "Okay?"); typed
    // without its comma, it closes a statement too ("Life is fleeting isn't it?"), not a
    // question ("Why isn't it?").
    let t_end = s.start + trim_tail(s.slice(&c.f.text)).len();
    let stated = || {
        let start = c.after_interjection(s);
        !c.wh_question(s)
            && !c.asks_first(s, false)
            && !c
                .ctx_in(Ctx::InterrogativeStart, start, s.end)
                .any(|h| h.start == start)
    };
    if c.ctx_in(Ctx::FillerTag, s.start, s.end).any(|h| {
        h.end >= t_end.saturating_sub(1)
            && (h.start == s.start
                || c.f.text[..h.start]
                    .trim_end()
                    .ends_with([',', '.', '!', ';', '-'])
                || (h.start > s.start + 12 && stated()))
    }) {
        return Question::Other;
    }
    // A restatement put as a question ("So you're saying …?") confirms; a suggestion put as
    // a question ("Have you tried …?") suggests.
    if c.cues_of(Restate, s)
        .any(|h| c.lex.entries[h.entry].mode != Mode::Statement)
    {
        return Question::Other;
    }
    if c.cues_of(Solution, s)
        .any(|h| c.lex.entries[h.entry].mode == Mode::Question)
    {
        return Question::Other;
    }
    let t = trim_tail(s.slice(&c.f.text));
    let core = t.trim_end_matches(['?', '.', '!', '~', ' ']);
    // Agreement checks at the end (好吗? 可以吗? ok?) seek consent, they don't probe.
    if words()
        .agreement_checks
        .iter()
        .any(|e| core.ends_with(e.as_str()))
    {
        return Question::Other;
    }
    // A bare echo ("退货?") repeats a word, it does not ask.
    if !is_latin(t) && core.chars().filter(|ch| text::is_cjk(*ch)).count() <= 3 {
        let asks_word = words()
            .asking_words_zh
            .iter()
            .any(|w| core.contains(w.as_str()));
        if !asks_word {
            return Question::Other;
        }
    }
    if is_latin(t) {
        // An English question asks about the customer ("you"), or is a true question about
        // the case ("Is it a clicking sound?"); one about "I/we" alone wonders aloud.
        let start = c.after_interjection(s);
        // The question may start the sentence or its last clause ("ive never drunk before,
        // whats it like?").
        let last_clause = c.last_clause_start(s, start);
        let asked_from = c
            .ctx_in(Ctx::InterrogativeStart, start, s.end)
            .filter(|h| h.start == start || h.start == last_clause)
            .map(|h| h.start)
            .min();
        let inverted = asked_from.is_some();
        let second = c.has_ctx(Ctx::SecondPerson, s);
        if !second {
            // "I'm sorry to hear that, what is going on?" asks; "How do I cope?" wonders.
            let asked = asked_from.map_or(core, |q| {
                let end = (s.start + core.len()).max(q);
                &c.f.text[q..end]
            });
            let first_person = asked
                .split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
                .any(|w| one_of(&words().first_person, w));
            // A bare question word asks too ("If not, why?"); so does a short fragment that
            // names what it asks about ("Friends nearby?", "Recently or years ago?").
            let asks = inverted
                || c.asks_first(s, true)
                || c.wh_question(s)
                || short_fragment(&c.f.text[start..s.end])
                || two_choice(core);
            if !asks || first_person {
                // "So the parcel came back?" confirms the customer's point.
                let confirms = !asks && !first_person && c.declarative(s) && c.restating_frame(s);
                return if confirms {
                    Question::Confirm
                } else {
                    Question::Other
                };
            }
        } else if !inverted && c.declarative(s) {
            // "You feel judged?", "So it's the move that has you worried?": a declarative
            // question checks what the agent took in; it does not ask for anything new. Put
            // as the customer's point ("So …", "You're …", "Your …"), it confirms it.
            return if c.restating_frame(s) {
                Question::Confirm
            } else {
                Question::Other
            };
        }
    }
    Question::Probe
}

/// A question offering two (or more) alternatives ("Before or after the update?", "Cash,
/// card or voucher?") asks which one holds, whatever its length. Not a vague tail ("… or
/// something?", "… or not?"), which hedges a guess, nor a rough number ("two or three days?").
fn two_choice(core: &str) -> bool {
    let ws: Vec<&str> = core
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    let number =
        |w: &str| w.chars().all(|ch| ch.is_ascii_digit()) || one_of(&words().number_words, w);
    let Some(i) = ws.iter().rposition(|w| *w == "or") else {
        return false;
    };
    let (Some(before), Some(after)) = (i.checked_sub(1).map(|j| ws[j]), ws.get(i + 1)) else {
        return false;
    };
    // "Maybe a walk or a swim?" suggests.
    let hedged = one_of(&words().hedges, ws[0]);
    // "two or three days" is a rough number, not a choice.
    let rough = number(before) && number(after);
    let vague = one_of(&words().vague_tails, after);
    !hedged && !rough && !vague
}

/// A fragment question of two to four ws ("Friends nearby?", "Recently or years ago?"),
/// not a hedged suggestion ("Maybe a walk?"). A single word ("Really?", "Oatmeal?", a name cut
/// off at an initial) is too often a reaction, an echo or a list item.
fn short_fragment(t: &str) -> bool {
    let ws: Vec<&str> = t
        .split(|ch: char| !ch.is_ascii_alphanumeric() && ch != '\'')
        .filter(|w| !w.is_empty())
        .collect();
    // A hedged fragment suggests ("Maybe a walk?").
    let hedged = ws.first().is_some_and(|w| one_of(&words().hedges, w));
    !hedged && (2..=4).contains(&ws.len())
}

/// Questions: a sentence that really asks is a probe (its last clause is the evidence); one
/// that confirms the customer's point ("…,对吗?") is a restatement.
pub(super) fn question_spans(c: &Analysis, spans: &mut Spans) {
    for (i, s) in c.sentences.iter().enumerate() {
        if !c.asks[i] {
            continue;
        }
        match question_kind(c, *s) {
            Question::Probe => {
                // The last clause of the question sentence.
                let cl = c
                    .clause_of(s.end.saturating_sub(1))
                    .filter(|cl| cl.start >= s.start)
                    .unwrap_or(*s);
                spans
                    .entry(Owner::Principle(Probe))
                    .or_default()
                    .push((cl.start, cl.end));
            }
            Question::Confirm => {
                spans
                    .entry(Owner::Principle(Restate))
                    .or_default()
                    .push((s.start, s.end));
            }
            Question::Other => {}
        }
    }
}
