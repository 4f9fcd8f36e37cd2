//! Principle detectors: lexicon hits plus the context rules a phrase list cannot express —
//! negation scope, quoted speech, blocked look-alikes, question form, rhetorical questions,
//! closings, shouting, explained jargon and names.
//!
//! Never panics; every offset it returns is a `[start, end)` char range of the original text.
//!
//! One module per job:
//! - [`analysis`]: the reply as the context rules read it ([`analysis::Analysis`]: hits by
//!   class, sentences, clauses, quotes, memoised per-sentence facts) and the rules on one cue
//!   (mode, blocks, reported speech);
//! - [`negation`]: whether a negator before (or inside) a cue cancels it;
//! - [`questions`]: question form: whether a sentence asks, is declarative, closes, confirms;
//! - [`question_kind`]: what an asking sentence does (probe, confirm, other);
//! - [`scan`]: the original text as chars, for case and punctuation (shouting, "!!!", words in
//!   capitals);
//! - [`names`]: names and titles (`address`);
//! - [`jargon`]: scenario jargon, jargon by shape (acronyms no list names) and excused
//!   (explained, echoed, allowed) terms;
//! - [`evidence`]: the findings: spans merged into evidence, soft blame.
//!
//! What each principle does (negatable, quotable) is in `data/principles.toml`; structural
//! rules over roles are in `crate::rules`.

mod analysis;
mod evidence;
mod jargon;
mod names;
mod negation;
mod question_kind;
mod questions;
mod scan;
#[cfg(test)]
mod tests;

use crate::lexicon::{Class, Ctx, Hit, Lexicon, Owner};
use crate::rules::Spans;
use crate::text::{self, Folded};
use analysis::Analysis;
use kefu_core::judgement::Finding;
use kefu_core::principles::PrincipleId::{self, *};
use std::collections::BTreeMap;

/// What the detectors found in one reply.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Every reply principle (and `close`), by id.
    pub findings: BTreeMap<PrincipleId, Finding>,
    /// Index of the sentence each principle first shows in (for `order`).
    pub first_sentence: BTreeMap<PrincipleId, usize>,
    /// Sum of courtesy feature weights found (each times its count).
    pub courtesy_raw: f32,
    /// The reply's language as detected ("zh" or "en").
    pub lang: &'static str,
    pub folded: Folded,
    /// The customer's line, folded ("" when none): what the reply may say back.
    pub said: String,
}

/// Extra context for detection: names the customer goes by, jargon the customer used first.
#[derive(Debug, Clone, Default)]
pub struct Context<'a> {
    pub customer_names: &'a [String],
    /// The customer's last message: jargon the customer used first is not jargon.
    pub customer_said: Option<&'a str>,
    /// Extra jargon terms (folded) and whitelisted terms (folded).
    pub extra_jargon: &'a [String],
    pub allowed_terms: &'a [String],
    /// The acronyms of the scenario's model replies (folded): its own plain words, no jargon
    /// by shape (`jargon::acronyms`; a lexicon or scenario jargon term stays jargon).
    pub model_terms: &'a [String],
}

/// Detect every reply principle (and `close`) in `original`.
pub fn detect(original: &str, lex: &Lexicon, cx: &Context) -> Detection {
    let f = Folded::new(original);
    let hits = lex.find(&f.text);
    let a = Analysis::new(&f, lex, &hits);
    let said = cx.customer_said.map(Folded::new);
    let lang = text::detect_lang(original);

    // Byte spans (folded) per principle or role.
    let mut spans = Spans::new();
    // The original text as chars (case kept): acronyms, names, shouting.
    let scan = scan::Scan::new(original);
    cue_spans(&a, &hits, cx, said.as_ref(), &mut spans);
    jargon::scenario_terms(&a, cx, said.as_ref(), &mut spans);
    jargon::acronyms(&a, &hits, &scan, cx, said.as_ref(), &mut spans);
    question_kind::question_spans(&a, &mut spans);
    handoff(&a, &mut spans);
    names::customer_names(&f.text, cx.customer_names, &mut spans);

    // Names and titles (English), shouting and rows of "!!!", scanned on the original text:
    // char spans already.
    let mut extra: Vec<(PrincipleId, (usize, usize))> = Vec::new();
    extra.extend(scan.names().into_iter().map(|sp| (Address, sp)));
    extra.extend(scan.shouting(lex).into_iter().map(|sp| (Rudeness, sp)));
    extra.extend(scan.bangs().into_iter().map(|sp| (Rudeness, sp)));

    let mut facts = crate::rules::Facts {
        asked_why: said.as_ref().is_some_and(|s| asks_why(lex, s)),
        stated: stated_clauses(&a),
        sentences: a.sentences.iter().map(|s| (s.start, s.end)).collect(),
        opens: a
            .sentences
            .iter()
            .map(|s| {
                s.slice(&f.text)
                    .char_indices()
                    .find(|(_, c)| text::is_alnum(*c))
                    .map_or(s.end, |(i, _)| s.start + i)
            })
            .collect(),
        echoes: echoes(&a, said.as_ref()),
        vetoed: Vec::new(),
    };
    // The learned component reads what it was trained on: a reply to a customer's line. It
    // runs before the structural rules, so that they weigh its verdicts too (a learned blame
    // drops a reply's probes and explain; a learned remedy takes the case on).
    if cx.customer_said.is_some() {
        facts.vetoed = crate::learned::apply(&f.text, &a.clauses, &mut spans);
    }
    crate::rules::apply(&mut spans, &facts);

    let (findings, first_sentence) = evidence::findings(&a, &spans, &extra);
    Detection {
        findings,
        first_sentence,
        courtesy_raw: courtesy_raw(&a, &hits, lang),
        lang,
        folded: f,
        said: said.map(|s| s.text).unwrap_or_default(),
    }
}

/// The cues that count, by owner: in their mode, not blocked, not negated (if the principle
/// is `negatable`), not reported (if `quotable`), and not excused by the principle's own rule
/// (explained jargon, a probe that does not ask, 亲 that is no address).
fn cue_spans(a: &Analysis, hits: &[Hit], cx: &Context, said: Option<&Folded>, spans: &mut Spans) {
    for h in hits {
        let e = &a.lex.entries[h.entry];
        if e.class != Class::Cue {
            continue;
        }
        let p = e.owner;
        let principle = p.principle().map(PrincipleId::principle);
        if !a.mode_ok(h)
            || a.blocked(h, p)
            || ((principle.is_some_and(|pr| pr.negatable) || crate::rules::NEGATABLE.contains(&p))
                && a.negated(h))
            || (principle.is_some_and(|pr| pr.quotable) && a.reported(h))
        {
            continue;
        }
        let excused = match p.principle() {
            Some(Jargon) => jargon::excused(a, h, said, cx.allowed_terms),
            Some(Probe) => !question_kind::probe_ok(a, h),
            Some(Address) => !names::address_ok(&a.f.text, h),
            _ => false,
        };
        if !excused {
            spans.entry(p).or_default().push((h.start, h.end));
        } else if p == Owner::Principle(Jargon) {
            spans
                .entry(crate::rules::EXCUSED_JARGON)
                .or_default()
                .push((h.start, h.end));
        }
    }
}

/// Does the customer's line ask why (a `role.asks_why` cue, `lexicon::ALONE`, in a sentence that
/// asks)?
fn asks_why(lex: &Lexicon, said: &Folded) -> bool {
    let sentences = text::sentences(&said.text);
    lex.find_alone(&said.text).iter().any(|h| {
        analysis::seg_of(&sentences, h.start).is_some_and(|s| {
            analysis::trim_tail(s.slice(&said.text))
                .trim_end()
                .ends_with('?')
        })
    })
}

/// A word that tells whether one line says another back: a pair of adjacent CJK characters
/// (the two chars, packed: compared as integers, not hashed as text) or a Latin word of four
/// letters or more.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum EchoWord<'a> {
    Pair(u64),
    Word(&'a str),
}

/// Each echo word of a folded text, in order, to `each`. Linear.
fn echo_words<'a>(text: &'a str, mut each: impl FnMut(EchoWord<'a>)) {
    let mut prev: Option<char> = None;
    let mut word: Option<usize> = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        if let Some(pc) = prev {
            if text::is_cjk(pc) && text::is_cjk(c) && i < text.len() {
                each(EchoWord::Pair(u64::from(pc) << 32 | u64::from(c)));
            }
        }
        prev = Some(c);
        if c.is_ascii_alphabetic() {
            word.get_or_insert(i);
        } else if let Some(w) = word.take() {
            if i - w >= 4 {
                each(EchoWord::Word(&text[w..i]));
            }
        }
    }
}

/// Per sentence of the reply: the distinct words it shares with the customer's line.
fn echoes(a: &Analysis, said: Option<&Folded>) -> Vec<usize> {
    let Some(said) = said else {
        return vec![0; a.sentences.len()];
    };
    // The customer's words sorted, each looked up by binary search (a line is short), and a
    // filter of 1,024 bits on the low 10 bits of their pairs' second chars, which rules out
    // most of the reply's pairs without a search.
    let mut theirs = Vec::new();
    let mut pair_filter = [0u64; 16];
    echo_words(&said.text, |w| {
        if let EchoWord::Pair(p) = w {
            pair_filter[(p >> 6) as usize & 15] |= 1 << (p & 63);
        }
        theirs.push(w);
    });
    theirs.sort_unstable();
    theirs.dedup();
    // One buffer for every sentence's shared words, counted distinct by sorting.
    let mut mine = Vec::new();
    a.sentences
        .iter()
        .map(|s| {
            mine.clear();
            echo_words(s.slice(&a.f.text), |w| {
                let maybe = match w {
                    EchoWord::Pair(p) => pair_filter[(p >> 6) as usize & 15] & (1 << (p & 63)) != 0,
                    EchoWord::Word(_) => true,
                };
                if maybe && theirs.binary_search(&w).is_ok() {
                    mine.push(w);
                }
            });
            mine.sort_unstable();
            mine.dedup();
            mine.len()
        })
        .collect()
}

/// The reply's stated clauses: clauses of sentences that do not ask, with at least four
/// letters, digits or CJK characters (a greeting or a name, 您好, 李女士, states nothing).
fn stated_clauses(a: &Analysis) -> Vec<(usize, usize)> {
    a.clauses
        .iter()
        .filter(|cl| {
            let i = a.sentence_index(cl.start);
            !a.asks.get(i).copied().unwrap_or(false)
                && cl
                    .slice(&a.f.text)
                    .chars()
                    .filter(|c| text::is_alnum(*c))
                    .nth(3)
                    .is_some()
        })
        .map(|cl| (cl.start, cl.end))
        .collect()
}

/// Handing the case on, then promising to report back, takes the case on.
fn handoff(a: &Analysis, spans: &mut Spans) {
    if !spans.contains_key(&Owner::Principle(FollowUp)) {
        return;
    }
    let handed: Vec<(usize, usize)> = a
        .ctx_in(Ctx::Handoff, 0, a.f.text.len())
        .filter(|h| !a.negated(h))
        .map(|h| (h.start, h.end))
        .collect();
    if !handed.is_empty() {
        spans
            .entry(Owner::Principle(Ownership))
            .or_default()
            .extend(handed);
    }
}

/// Sum of the courtesy features' weights (`_context.toml`), each counted at distinct places
/// up to its maximum, in its language, at a sentence start where it must be.
fn courtesy_raw(a: &Analysis, hits: &[Hit], lang: &str) -> f32 {
    let lex = a.lex;
    let mut counts: BTreeMap<u16, (u8, usize)> = BTreeMap::new();
    for h in hits {
        let Class::Courtesy(i) = lex.entries[h.entry].class else {
            continue;
        };
        let feat = &lex.courtesy[i as usize];
        let at_start = || a.sentence_of(h.start).is_some_and(|s| s.start == h.start);
        if feat.lang.is_some_and(|l| l != lang) || (feat.start && !at_start()) {
            continue;
        }
        // Count distinct places, up to the feature's maximum.
        let e = counts.entry(i).or_insert((0, usize::MAX));
        if e.1 != h.start && e.0 < feat.max {
            *e = (e.0 + 1, h.start);
        }
    }
    counts
        .iter()
        .map(|(i, (n, _))| lex.courtesy[*i as usize].weight * f32::from(*n))
        .sum()
}
