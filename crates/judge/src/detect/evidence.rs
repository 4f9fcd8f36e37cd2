//! The findings of one reply: each principle's spans (folded bytes) become evidence in chars of
//! the text as typed, merged so highlights do not nest; soft blame gives way to ownership.

use super::analysis::Analysis;
use crate::lexicon::Owner;
use crate::rules::Spans;
use kefu_core::judgement::Finding;
use kefu_core::principles::{
    self,
    PrincipleId::{self, *},
};
use std::collections::BTreeMap;

/// Every reply principle's finding (and `close`'s), and the sentence each first shows in.
/// `extra` holds char spans found on the original text (names, shouting).
pub(super) fn findings(
    a: &Analysis,
    spans: &Spans,
    extra: &[(PrincipleId, (usize, usize))],
) -> (BTreeMap<PrincipleId, Finding>, BTreeMap<PrincipleId, usize>) {
    let f = a.f;
    let mut findings: BTreeMap<PrincipleId, Finding> = BTreeMap::new();
    let mut first_sentence = BTreeMap::new();
    for id in principles::reply_ids().chain([Close]) {
        let own = spans.get(&Owner::Principle(id));
        let mut ev: Vec<(usize, usize)> = own
            .map(|v| {
                v.iter()
                    .map(|&(s, e)| f.span(s, s + evidence_len(&f.text[s..e])))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(&(s, _)) = own.and_then(|v| v.iter().min()) {
            first_sentence.insert(id, a.sentence_index(s));
        }
        ev.extend(extra.iter().filter(|(p, _)| *p == id).map(|(_, sp)| *sp));
        let evidence = merged(ev);
        findings.insert(
            id,
            Finding {
                hit: !evidence.is_empty(),
                evidence,
            },
        );
    }
    soft_blame(a, spans, &mut findings);
    (findings, first_sentence)
}

/// Sorted, without duplicates, overlapping spans merged so highlights don't nest.
fn merged(mut ev: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    crate::sort::sort(&mut ev);
    ev.dedup();
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (s, e) in ev {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}

/// Soft blame (a fact used to contradict the customer) counts only when nothing is taken on:
/// "快递在途中延误了,我来帮您催" is a fact, not a way out; keep blame only for hard cues.
fn soft_blame(a: &Analysis, spans: &Spans, findings: &mut BTreeMap<PrincipleId, Finding>) {
    if !(findings[&Blame].hit && findings[&Ownership].hit) {
        return;
    }
    let f = a.f;
    let hard: Vec<(usize, usize)> = spans
        .get(&Owner::Principle(Blame))
        .map(|v| {
            v.iter()
                .filter(|(s, e)| !is_soft_blame(a, &f.text[*s..*e]))
                .map(|&(s, e)| f.span(s, e))
                .collect()
        })
        .unwrap_or_default();
    findings.insert(
        Blame,
        Finding {
            hit: !hard.is_empty(),
            evidence: hard,
        },
    );
}

/// The length of a cue's evidence: a pattern may end on the word that follows its verb to tell a
/// remedy from its negation ("refund the"); the highlight stops before a trailing article.
fn evidence_len(cue: &str) -> usize {
    for art in [" the", " a", " an"] {
        if let Some(rest) = cue.strip_suffix(art) {
            if !rest.trim().is_empty() {
                return rest.len();
            }
        }
    }
    cue.len()
}

/// Blame cues that only state a fact (`data/lexicon/_context.toml`, `soft_blame`); they are
/// blame when nothing is taken on.
fn is_soft_blame(a: &Analysis, cue: &str) -> bool {
    a.lex.soft_blame.iter().any(|s| cue.contains(s.as_str()))
}
