//! Negation scope: a negator a few words (or chars) before a cue in its clause, or inside the
//! gap of a multi-part cue, cancels it ("我们不可能给您退款", "not sorry") — unless it belongs
//! to another cue of the same principle (不好意思) or is an exception (是不是). Each gap is
//! measured in constant time, so a clause full of negators costs no more per cue.

use super::analysis::{Analysis, Sorted};
use crate::lexicon::{Ctx, Hit, Owner};
use kefu_core::principles::PrincipleId::Explain;
use std::rc::Rc;

/// Max gap (in chars) between a negator and the cue it negates.
const NEG_GAP_ZH: usize = 5;

const NEG_GAP_EN: usize = 3; // words

/// The negators that can negate a cue of one principle (not an exception like 是不是, not part
/// of another cue of the principle like 不好意思), sorted by start, and the longest one's length.
pub(super) struct Negators<'a> {
    hits: Sorted<'a>,
    max_len: usize,
}

/// Counts over every prefix of the folded text, so that the size of any gap (in words, in
/// non-space chars, ASCII or not) is known in constant time.
pub(super) struct GapCounts {
    /// Before each byte offset: non-ASCII chars, non-space chars, words (runs of non-space);
    /// one entry per byte, so a char of three bytes pushes one entry three times.
    before: Vec<[u32; 3]>,
}

impl GapCounts {
    fn new(t: &str) -> GapCounts {
        let mut before = Vec::with_capacity(t.len() + 1);
        let (mut a, mut s, mut w, mut prev_space) = (0u32, 0u32, 0u32, true);
        for c in t.chars() {
            before.extend(std::iter::repeat_n([a, s, w], c.len_utf8()));
            let space = c.is_whitespace();
            a += u32::from(!c.is_ascii());
            s += u32::from(!space);
            w += u32::from(!space && prev_space);
            prev_space = space;
        }
        before.push([a, s, w]);
        GapCounts { before }
    }
    /// `t[a..b]` (char boundaries): all ASCII, its `split_whitespace` count, its non-space chars.
    fn measure(&self, t: &str, a: usize, b: usize) -> (bool, u32, u32) {
        let ([na, sa, wa], [nb, sb, wb]) = (self.before[a], self.before[b]);
        let ascii = nb == na;
        let mid_word = a < b
            && !t[a..].starts_with(char::is_whitespace)
            && t[..a]
                .chars()
                .next_back()
                .is_some_and(|c| !c.is_whitespace());
        let words = wb - wa + u32::from(mid_word);
        (ascii, words, sb - sa)
    }
}

impl<'a> Analysis<'a> {
    /// Is the negator part of a cue of the same principle (不好意思, 不便) other than `h`?
    pub(super) fn negator_in_cue(&self, n: &Hit, owner: Owner, h: &Hit) -> bool {
        let exception = self
            .ctx
            .get(&Ctx::NegatorException)
            .is_some_and(|s| s.overlapping(n.start, n.end).next().is_some());
        exception
            || self.cues.overlapping(n.start, n.end).any(|o| {
                // Within the cue's first part: a negator in a cue's gap negates it instead.
                !std::ptr::eq(*o, h)
                    && o.start <= n.start
                    && o.gap_from >= n.end
                    && (o.start, o.gap_from) != (n.start, n.end)
                    && self.lex.entries[o.entry].owner == owner
            })
    }
    pub(super) fn negated(&self, h: &Hit) -> bool {
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        let owner = self.lex.entries[h.entry].owner;
        // A reason is negated only right before it ("not because"); other cues a few words on.
        let (gap_zh, gap_en) = if owner == Owner::Principle(Explain) {
            (1, 1)
        } else {
            (NEG_GAP_ZH, NEG_GAP_EN)
        };
        // A negator in the gap of a cue ("我们不可能给您退款"); not a role's (a cause's gap in
        // "快递什么时候派送不好说…我们也不知道" holds the party's words, not the role's).
        if !matches!(owner, Owner::Role(_))
            && h.gap_from < h.last_from
            && self
                .ctx_in(Ctx::Negator, h.gap_from, h.last_from)
                .any(|n| !self.negator_in_cue(n, owner, h))
        {
            return true;
        }
        // A negator before the cue in its clause: at most `gap_en` words (an ASCII gap) or
        // `gap_zh` non-space chars before it. Tried nearest first; the search stops where no
        // farther negator can be that near, so a clause full of negators costs no more per cue
        // than a short one (each gap is measured in constant time).
        let negs = self.negators_for(owner);
        let g = self.memo.gaps.get_or_init(|| GapCounts::new(&self.f.text));
        let t = &self.f.text;
        let (gap_en, gap_zh) = (gap_en as u32, gap_zh as u32);
        for n in negs.hits.starting_in(clause.start, h.start).iter().rev() {
            if n.end <= h.start {
                let (ascii, words, chars) = g.measure(t, n.end, h.start);
                if if ascii {
                    words <= gap_en
                } else {
                    chars <= gap_zh
                } {
                    // 物流不更新是快递的问题: the negator negates the verb after it, not the
                    // copula's cue (a gap of at most `gap_zh` chars: constant time); a farther
                    // negator may still reach it (不是…).
                    if !ascii
                        && (self.past_the_verb(&t[n.end..h.start], &t[h.start..])
                            || self.past_a_subject(&t[n.end..h.start], &t[h.start..]))
                    {
                        continue;
                    }
                    return true;
                }
            }
            // Every negator still to try ends before `from`: its gap holds `t[from..h.start]`.
            let mut from = (n.start + negs.max_len).min(h.start);
            while !t.is_char_boundary(from) {
                from += 1;
            }
            let (ascii, words, chars) = g.measure(t, from, h.start);
            if chars > gap_zh && (!ascii || words > gap_en) {
                return false;
            }
        }
        false
    }
    /// Whether a negator followed by `gap` (the text up to a cue that opens `rest`) stops short
    /// of the cue: a copula 是 comes first, in the gap or opening the cue, after something other
    /// than hedges and verbs of thinking or saying (`Lexicon::copula_reach`): 不更新是 vs 不是,
    /// 不一定是, 不觉得是. (Cantonese 係 folds to 系, as in 系统, so it is not read as one.)
    fn past_the_verb(&self, gap: &str, rest: &str) -> bool {
        let before = match gap.find('是') {
            Some(p) => &gap[..p],
            None if rest.starts_with('是') => gap,
            None => return false,
        };
        // The longest word first (说过 before 说: the list is sorted so when it is built);
        // spaces are skipped.
        let reach = &self.lex.copula_reach;
        let mut g = before.trim_start();
        while !g.is_empty() {
            match reach
                .iter()
                .find(|w| !w.is_empty() && g.starts_with(w.as_str()))
            {
                Some(w) => g = g[w.len()..].trim_start(),
                None => return true,
            }
        }
        false
    }
    /// Whether a negator followed by `gap` (the text up to a cue that opens `rest`) stops short
    /// of the cue: a new predicate (`Lexicon::new_subject`: the agent's 我, the time it acts,
    /// 马上, 今天) comes after a word the negator negates, in the gap or opening the cue
    /// (别担心我马上补发: 别 negates 担心); not right after the negator (不是我们的问题), nor after a copula,
    /// a modal or a verb of thinking or saying, whose object it is (不可能是我们的, 不能马上,
    /// 没法给您, 我没觉得我态度有问题: `copula_reach`, `modal_reach`). The gap is at most a few
    /// chars: constant time.
    fn past_a_subject(&self, gap: &str, rest: &str) -> bool {
        let reaches = |before: &str| {
            before.ends_with('是')
                || (self.lex.copula_reach.iter())
                    .chain(&self.lex.modal_reach)
                    .any(|r| !r.is_empty() && before.ends_with(r.as_str()))
        };
        // The first that comes: what stands before it decides.
        let at = (self.lex.new_subject.iter())
            .filter_map(|w| match gap.find(w.as_str()) {
                Some(p) => Some(p),
                None if rest.starts_with(w.as_str()) => Some(gap.len()),
                None => None,
            })
            .min();
        at.is_some_and(|at| {
            let before = gap[..at].trim();
            !before.is_empty() && !reaches(before)
        })
    }
    /// The negators that can negate a cue of `owner` (built once per principle): whether a
    /// negator before a cue is part of another cue does not depend on the cue.
    pub(super) fn negators_for(&self, owner: Owner) -> Rc<Negators<'a>> {
        if let Some(n) = self.memo.negators.borrow().get(&owner) {
            return n.clone();
        }
        let none = Hit {
            entry: usize::MAX,
            start: 0,
            end: 0,
            gap_from: 0,
            last_from: 0,
        };
        let hits: Vec<&'a Hit> = self
            .ctx
            .get(&Ctx::Negator)
            .map(|s| s.0.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|n| !self.negator_in_cue(n, owner, &none))
            .copied()
            .collect();
        let max_len = hits.iter().map(|n| n.end - n.start).max().unwrap_or(0);
        let negs = Rc::new(Negators {
            hits: Sorted(hits),
            max_len,
        });
        self.memo.negators.borrow_mut().insert(owner, negs.clone());
        negs
    }
}
