//! Jargon: the scenario's own terms (matched at once by an automaton, on word boundaries)
//! and when a term is excused — the customer used it first, the scenario allows it, or the
//! agent explains it right away.

use super::analysis::Analysis;
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
            said.is_some_and(|s| s.text.contains(term)) || allowed.iter().any(|a| a == term)
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

/// Scenario jargon: every term at once through an automaton, a Latin term on word boundaries
/// ("sku" is not in "skunk"), unless excused.
pub(super) fn scenario_terms(c: &Analysis, cx: &Context, said: Option<&Folded>, spans: &mut Spans) {
    for (start, end) in find_terms(&c.f.text, cx.extra_jargon) {
        let h = Hit {
            entry: usize::MAX,
            start,
            end,
            gap_from: end,
            last_from: end,
        };
        let owner = if excused(c, &h, said, cx.allowed_terms) {
            crate::rules::EXCUSED_JARGON
        } else {
            Owner::Principle(Jargon)
        };
        spans.entry(owner).or_default().push((h.start, h.end));
    }
}
