//! The reply as the context rules read it: [`Analysis`] holds the folded text, the lexicon
//! hits sorted by class (cues, blocks, each kind of context word), the sentences and clauses,
//! the quoted ranges and what is memoised per sentence; and the rules on one cue (its mode,
//! blocks, reported speech). Every query is a binary search, so scoring stays linear.

use crate::lexicon::{Class, Ctx, Hit, Lexicon, Mode, Owner};
use crate::text::{self, Folded, Seg};
use kefu_core::principles::PrincipleId::{self, *};
use std::cell::{OnceCell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::negation::{GapCounts, Negators};

/// Longest span (bytes) one lexicon hit can cover: patterns are short and gaps are bounded.
pub(super) const MAX_HIT_BYTES: usize = 512;

/// Hits sorted by start, with range queries, so that every context rule is a binary search
/// rather than a scan (1 MB of text must score in well under a second).
pub(super) struct Sorted<'a>(pub(super) Vec<&'a Hit>);

impl<'a> Sorted<'a> {
    /// Hits starting in `[a, b)`.
    pub(super) fn starting_in(&self, a: usize, b: usize) -> &[&'a Hit] {
        let i = self.0.partition_point(|h| h.start < a);
        let j = self.0.partition_point(|h| h.start < b);
        &self.0[i..j.max(i)]
    }
    /// Hits lying wholly inside `[a, b)`.
    pub(super) fn inside(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a, b).iter().filter(move |h| h.end <= b)
    }
    /// Hits that overlap `[a, b)`.
    pub(super) fn overlapping(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a.saturating_sub(MAX_HIT_BYTES), b)
            .iter()
            .filter(move |h| h.end > a)
    }
}

/// One reply analysed for the context rules (formerly `Analysis`): what every rule asks about
/// the reply, computed once.
pub(super) struct Analysis<'a> {
    /// The reply, folded.
    pub(super) f: &'a Folded,
    pub(super) lex: &'a Lexicon,
    /// Cue hits, sorted by start.
    pub(super) cues: Sorted<'a>,
    /// Block hits (look-alikes), sorted by start.
    pub(super) blocks: Sorted<'a>,
    /// Context-word hits by kind, sorted by start.
    pub(super) ctx: BTreeMap<Ctx, Sorted<'a>>,
    pub(super) clauses: Vec<Seg>,
    pub(super) sentences: Vec<Seg>,
    /// Per sentence: does it ask (ends in "?", a question particle, or starts like an
    /// English question)?
    pub(super) asks: Vec<bool>,
    /// Byte ranges inside double quotes.
    pub(super) quotes: Vec<(usize, usize)>,
    pub(super) memo: Memo<'a>,
}

/// What the context rules compute once per reply (or once per sentence) rather than once per
/// cue: a rule asked about every cue of a long sentence must not rescan the sentence each time.
/// Scoring stays linear in the length of the reply whatever it holds.
#[derive(Default)]
pub(super) struct Memo<'a> {
    /// Per sentence (by index): `after_interjection`, `is_latin`, `declarative`, `probe_ok`.
    pub(super) interjection: Vec<OnceCell<usize>>,
    pub(super) latin: Vec<OnceCell<bool>>,
    pub(super) declarative: Vec<OnceCell<bool>>,
    pub(super) probe_ok: Vec<OnceCell<bool>>,
    /// Where the opening of the reply ends for `opening_offer`.
    pub(super) opening_end: OnceCell<usize>,
    /// Prefix counts for the gaps of `negated`.
    pub(super) gaps: OnceCell<GapCounts>,
    /// Per principle: the negators that can negate its cues.
    pub(super) negators: RefCell<HashMap<Owner, Rc<Negators<'a>>>>,
    /// Per jargon term: used by the customer first, or allowed by the scenario.
    pub(super) jargon_known: RefCell<HashMap<&'a str, bool>>,
}

impl<'a> Analysis<'a> {
    pub(super) fn new(f: &'a Folded, lex: &'a Lexicon, hits: &'a [Hit]) -> Analysis<'a> {
        let mut cues = Vec::new();
        let mut blocks = Vec::new();
        let mut ctx: BTreeMap<Ctx, Sorted<'a>> = BTreeMap::new();
        for h in hits {
            match lex.entries[h.entry].class {
                Class::Cue => cues.push(h),
                Class::Block => blocks.push(h),
                Class::Context(c) => ctx.entry(c).or_insert_with(|| Sorted(Vec::new())).0.push(h),
                Class::Courtesy(_) => {}
            }
        }
        let mut sentences = text::sentences(&f.text);
        let mut clauses = text::clauses(&f.text);
        if let Some(tags) = ctx.get(&Ctx::ConfirmTag) {
            let ends = tag_question_ends(&f.text, &tags.0);
            split_at(&f.text, &mut sentences, &ends);
            split_at(&f.text, &mut clauses, &ends);
        }
        fn cells<T>(n: usize) -> Vec<OnceCell<T>> {
            (0..n).map(|_| OnceCell::new()).collect()
        }
        let n = sentences.len();
        let memo = Memo {
            interjection: cells(n),
            latin: cells(n),
            declarative: cells(n),
            probe_ok: cells(n),
            ..Memo::default()
        };
        let mut c = Analysis {
            f,
            lex,
            cues: Sorted(cues),
            blocks: Sorted(blocks),
            ctx,
            clauses,
            sentences,
            asks: Vec::new(),
            quotes: quote_ranges(&f.text),
            memo,
        };
        c.asks = c.sentences.iter().map(|s| c.sentence_asks(*s)).collect();
        c
    }
    pub(super) fn clause_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.clauses, pos)
    }
    /// A per-sentence result, computed once (`s` is one of the sentences; else computed anew).
    pub(super) fn once<T: Copy>(&self, cells: &[OnceCell<T>], s: Seg, f: impl FnOnce() -> T) -> T {
        let i = self.sentences.partition_point(|x| x.start < s.start);
        match cells.get(i).filter(|_| self.sentences.get(i) == Some(&s)) {
            Some(cell) => *cell.get_or_init(f),
            None => f(),
        }
    }
    pub(super) fn sentence_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.sentences, pos)
    }
    pub(super) fn sentence_index(&self, pos: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= pos)
            .min(self.sentences.len().saturating_sub(1))
    }
    /// Context hits of one kind lying inside `[a, b)`.
    pub(super) fn ctx_in(&self, ctx: Ctx, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.ctx
            .get(&ctx)
            .into_iter()
            .flat_map(move |s| s.inside(a, b))
    }
    pub(super) fn has_ctx(&self, ctx: Ctx, s: Seg) -> bool {
        self.ctx_in(ctx, s.start, s.end).next().is_some()
    }
    /// Cue hits of one principle (any mode) lying inside `s`.
    pub(super) fn cues_of(&self, id: PrincipleId, s: Seg) -> impl Iterator<Item = &&'a Hit> + '_ {
        let owner = Owner::Principle(id);
        self.cues
            .inside(s.start, s.end)
            .filter(move |h| self.lex.entries[h.entry].owner == owner && !self.blocked(h, owner))
    }
    /// Does the cue stand where its mode allows (outside or inside a question, at a
    /// sentence start)?
    pub(super) fn mode_ok(&self, h: &Hit) -> bool {
        match self.lex.entries[h.entry].mode {
            Mode::Any => true,
            // A declarative question states the point it checks ("So you were charged
            // twice?"): a restatement cue counts in it.
            Mode::Statement => {
                !self.in_question(h.start)
                    || (self.lex.entries[h.entry].owner == Owner::Principle(Restate)
                        && self
                            .sentence_of(h.start)
                            .is_some_and(|s| self.declarative(s)))
            }
            Mode::Question => self.in_question(h.start),
            Mode::Start => self
                .sentence_of(h.start)
                .is_some_and(|s| self.after_interjection(s) == h.start),
        }
    }
    pub(super) fn in_quotes(&self, s: usize) -> bool {
        let i = self.quotes.partition_point(|&(_, b)| b <= s);
        self.quotes.get(i).is_some_and(|&(a, b)| s > a && s < b)
    }
    pub(super) fn reported(&self, h: &Hit) -> bool {
        if self.in_quotes(h.start) {
            return true;
        }
        // A question that confirms the customer's point repeats the customer's words: the
        // remedy named in it is the customer's wish, not the agent's offer.
        let i = self.sentence_index(h.start);
        let owner = self.lex.entries[h.entry].owner;
        if matches!(owner.principle(), Some(Solution | Ownership))
            && self.asks.get(i).copied().unwrap_or(false)
            && self
                .sentences
                .get(i)
                .is_some_and(|s| s.contains(h.start) && self.confirm_tag(*s).is_some())
        {
            return true;
        }
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        self.ctx_in(Ctx::QuoteIntro, clause.start, h.start)
            .next()
            .is_some()
    }
    pub(super) fn blocked(&self, h: &Hit, owner: Owner) -> bool {
        self.blocks
            .overlapping(h.start, h.end)
            .any(|b| self.lex.entries[b.entry].owner == owner)
    }
}

/// Where a Chinese tag question typed without its question mark ends: a confirmation tag
/// (对吧, 是吗…) after some words and before a space and more Chinese, as a phone types "您是想
/// 知道为什么收运费 对吧 我帮您算算" (the space is its "?"; a space alone ends nothing). In order.
fn tag_question_ends(text: &str, tags: &[&Hit]) -> Vec<usize> {
    tags.iter()
        .filter(|h| {
            let before = text[..h.start].trim_end_matches(' ').chars().next_back();
            let rest = &text[h.end..];
            let after = rest.trim_start_matches(' ');
            text[h.start..h.end].chars().all(text::is_cjk)
                && before.is_some_and(text::is_cjk)
                && after.len() < rest.len()
                && after.chars().next().is_some_and(text::is_cjk)
        })
        .map(|h| h.end)
        .collect()
}

/// `segs` with each segment that holds one of `ends` inside it cut there (the spaces after the
/// cut belong to neither part).
fn split_at(text: &str, segs: &mut Vec<Seg>, ends: &[usize]) {
    if ends.is_empty() {
        return;
    }
    let mut out = Vec::with_capacity(segs.len() + ends.len());
    for s in segs.iter() {
        let mut start = s.start;
        for &e in ends.iter().filter(|&&e| e > s.start && e < s.end) {
            if e > start {
                out.push(Seg { start, end: e });
                start = s
                    .end
                    .min(text.len() - text[e..].trim_start_matches(' ').len());
            }
        }
        out.push(Seg { start, end: s.end });
    }
    *segs = out;
}

pub(super) fn seg_of(segs: &[Seg], pos: usize) -> Option<Seg> {
    let i = segs.partition_point(|s| s.end <= pos);
    segs.get(i).copied().filter(|s| s.contains(pos))
}

/// Mostly Latin letters: an English sentence or clause.
pub(super) fn is_latin(t: &str) -> bool {
    let (mut latin, mut cjk) = (0usize, 0usize);
    for c in t.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if text::is_cjk(c) {
            cjk += 1;
        }
    }
    latin > 0 && cjk * 3 <= latin
}

/// The sentence without trailing quotes, brackets, emoticons and spaces.
pub(super) fn trim_tail(t: &str) -> &str {
    t.trim_end_matches([
        '"', '\'', ')', ']', '>', ' ', '~', ':', ';', '*', '(', '^', '-', '_',
    ])
}

pub(super) fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    let idx: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    idx.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}
