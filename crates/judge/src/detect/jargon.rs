//! Jargon: the scenario's own terms (matched at once by an automaton, on word boundaries)
//! and when a term is excused — the customer used it first, the scenario allows it, or the
//! agent explains it right away.

use super::analysis::Analysis;
use super::scan::Scan;
use super::Context;
use crate::lexicon::{Ctx, Hit, Owner};
use crate::rules::Spans;
use crate::text::{self, Folded};
use kefu_core::principles::PrincipleId::Jargon;

/// How far after a term (in chars) a gloss still explains it.
const JARGON_GLOSS_CHARS: usize = 40;

/// Every occurrence (byte range) of any of `terms` in folded `text`, through one Aho-Corasick
/// automaton: linear in the text whatever the terms. A Latin term stands on word boundaries
/// (`text::on_word_boundaries`: "sku" is not in "skunk", but is in "SKUs"). Overlapping
/// occurrences are all found.
fn find_terms(text: &str, terms: &[String]) -> Vec<(usize, usize)> {
    let terms: Vec<&str> = terms
        .iter()
        .map(String::as_str)
        .filter(|t| !t.is_empty())
        .collect();
    let Some(ac) = crate::ac::Ac::new(crate::ac::MatchKind::Standard, &terms) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, usize)> = ac
        .overlapping(text)
        .filter(|m| text::on_word_boundaries(text, m.start(), m.end()))
        .map(|m| (m.start(), m.end()))
        .collect();
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// Jargon is excused when the customer used the term first, the scenario allows it, or the
/// agent explains it right away ("SKU(商品编码)", "RMA, i.e. return number", "A SKU is just our
/// internal product code", "…SKU暂时没库存了,就是说…"): a gloss marker soon after the term.
pub(super) fn excused(c: &Analysis, h: &Hit, said: Option<&Folded>, allowed: &[String]) -> bool {
    let text = &c.f.text;
    let term = &text[h.start..h.end];
    let known = *c
        .memo
        .jargon_known
        .borrow_mut()
        .entry(term)
        .or_insert_with(|| {
            said.is_some_and(|s| said_it(&s.text, term)) || allowed.iter().any(|a| a == term)
        });
    if known {
        return true;
    }
    let after = text[h.end..].trim_start();
    if after.starts_with(['(', '[', '（']) || after.starts_with("- ") {
        return true;
    }
    // A gloss within the next few words (the same or the next sentence).
    let end = text[h.end..]
        .char_indices()
        .nth(JARGON_GLOSS_CHARS)
        .map_or(text.len(), |(i, _)| h.end + i);
    c.ctx_in(Ctx::JargonGloss, h.end, end).next().is_some()
}

/// Does the customer's line hold `term` (folded), a Latin one on word boundaries ("po" is not in
/// "post")?
fn said_it(said: &str, term: &str) -> bool {
    said.match_indices(term)
        .any(|(i, _)| text::on_word_boundaries(said, i, i + term.len()))
}

/// The term at `start..end` of the folded text as jargon, or as excused jargon (`excused`).
fn push_term(
    c: &Analysis,
    (start, end): (usize, usize),
    said: Option<&Folded>,
    allowed: &[String],
    spans: &mut Spans,
) {
    let h = Hit {
        entry: usize::MAX,
        start,
        end,
        gap_from: end,
        last_from: end,
    };
    let owner = if excused(c, &h, said, allowed) {
        crate::rules::EXCUSED_JARGON
    } else {
        Owner::Principle(Jargon)
    };
    spans.entry(owner).or_default().push((start, end));
}

/// Scenario jargon: every term at once through an automaton, a Latin term on word boundaries
/// ("sku" is not in "skunk"), unless excused.
pub(super) fn scenario_terms(c: &Analysis, cx: &Context, said: Option<&Folded>, spans: &mut Spans) {
    for span in find_terms(&c.f.text, cx.extra_jargon) {
        push_term(c, span, said, cx.allowed_terms, spans);
    }
}

/// Acronyms a customer can't be expected to know, by their shape (the scenario lists only some
/// of its field's: BMS, MTOW, IQC, FAE): a word of 2–6 capital letters standing alone
/// (`Scan::capitals`), not in a run of words shouted (`Scan::shouting`: "READ THE PAGE" is
/// rudeness's); not one customers know (`plain_acronyms`: PDF, VIP, USB, XL), nor an English
/// word in capitals for emphasis (`caps_words`: "I did NOT say that"); not where a lexicon
/// entry of jargon, cue or block, already read it ("the ETA" is blocked); unless excused as the
/// scenario's terms are (the customer's own word, the scenario's allowed terms, a gloss right
/// after) or the scenario's model replies use it (`Context::model_terms`).
pub(super) fn acronyms(
    c: &Analysis,
    hits: &[Hit],
    scan: &Scan,
    cx: &Context,
    said: Option<&Folded>,
    spans: &mut Spans,
) {
    let caps = scan.capitals();
    if caps.is_empty() {
        return;
    }
    let text = &c.f.text;
    let lex = c.lex;
    // Words shouted (char spans), and what the lexicon's jargon entries (cues and blocks) cover,
    // read already either way (folded bytes): each as `reach`, so a word is looked up in O(1).
    let shouted = reach(scan.chars.len(), scan.shouting(lex));
    let read = reach(
        text.len(),
        hits.iter()
            .filter(|h| lex.entries[h.entry].owner == Owner::Principle(Jargon))
            .map(|h| (h.start, h.end)),
    );
    let known: std::collections::HashSet<(usize, usize)> =
        [Owner::Principle(Jargon), crate::rules::EXCUSED_JARGON]
            .iter()
            .filter_map(|o| spans.get(o))
            .flatten()
            .copied()
            .collect();
    for (s, e) in caps {
        if inside(&shouted, (s, e)) {
            continue;
        }
        let (Some(start), end) = (
            c.f.byte_of_char(s),
            c.f.byte_of_char(e).unwrap_or(text.len()),
        ) else {
            continue;
        };
        let Some(term) = text.get(start..end) else {
            continue;
        };
        // The folded word is the acronym in lower case (nothing else folds into it).
        if term.len() != e - s || !term.bytes().all(|b| b.is_ascii_lowercase()) {
            continue;
        }
        if lex.plain_acronyms.iter().any(|a| a == term)
            || lex.caps_words.iter().any(|a| a == term)
            || known.contains(&(start, end))
            || inside(&read, (start, end))
        {
            continue;
        }
        if cx.model_terms.iter().any(|m| m == term) {
            spans
                .entry(crate::rules::EXCUSED_JARGON)
                .or_default()
                .push((start, end));
            continue;
        }
        push_term(c, (start, end), said, cx.allowed_terms, spans);
    }
}

/// For each position `p < len`, the furthest end of the `spans` that start at or before `p`
/// (empty without spans): a span `[s, e)` lies inside one of them exactly when `reach[s] >= e`.
/// Linear in `len` and the spans (a reply of 20,000 acronyms each checked against every span
/// had made the scan quadratic).
fn reach(len: usize, spans: impl IntoIterator<Item = (usize, usize)>) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for (a, b) in spans {
        if a < len {
            if out.is_empty() {
                out = vec![0; len];
            }
            out[a] = out[a].max(b);
        }
    }
    for p in 1..out.len() {
        out[p] = out[p].max(out[p - 1]);
    }
    out
}

/// Does `[s, e)` lie inside one of the spans `reach` was made from?
fn inside(reach: &[usize], (s, e): (usize, usize)) -> bool {
    reach.get(s).is_some_and(|&r| r >= e)
}
