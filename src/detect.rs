//! Principle detectors: lexicon hits plus the context rules a phrase list cannot express —
//! negation scope, quoted speech, blocked look-alikes, question form, rhetorical questions,
//! closings, shouting, explained jargon and names.
//!
//! Never panics; every offset it returns is a `[start, end)` char range of the original text.

use crate::lexicon::{Class, Ctx, Hit, Lexicon};
use crate::text::{self, Folded, Seg};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// Whether a reply shows a principle, and where.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Finding {
    pub hit: bool,
    /// `[start, end)` char offsets into the reply as typed.
    pub evidence: Vec<(usize, usize)>,
}

/// What the detectors found in one reply.
#[derive(Debug, Clone)]
pub struct Detection {
    /// Every reply principle (and `close`), by id.
    pub findings: BTreeMap<&'static str, Finding>,
    /// Index of the sentence each principle first shows in (for `order`).
    pub first_sentence: BTreeMap<&'static str, usize>,
    /// Sum of courtesy feature weights found.
    pub courtesy_raw: f32,
    pub folded: Folded,
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
}

/// Principles whose cues a preceding negator cancels.
const NEGATABLE: &[&str] = &[
    "apology",
    "empathy",
    "ownership",
    "solution",
    "gratitude",
    "follow_up",
    "explain",
    "blame",
    "restate",
];
/// Principles whose cues don't count inside quoted or reported speech.
const QUOTABLE: &[&str] = &[
    "apology",
    "empathy",
    "ownership",
    "solution",
    "gratitude",
    "follow_up",
    "blame",
    "rudeness",
];

/// Max gap (in chars) between a negator and the cue it negates.
const NEG_GAP_ZH: usize = 3;
const NEG_GAP_EN: usize = 3; // words

fn shout_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"\b[A-Z][A-Z']{2,}\b").expect("valid regex"))
}
fn bang_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"[!！]{3,}|[?？][!！?？]{3,}").expect("valid regex"))
}
fn name_re() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        Regex::new(
            r"(?:\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z][a-z]+|(?:^|[.!?]\s*|\n)(?:Hi|Hello|Hey|Dear|Good (?:morning|afternoon|evening))[ ,]+([A-Z][a-z]+)\b|,\s*([A-Z][a-z]+)[.!]?\s*$)",
        )
        .expect("valid regex")
    })
}
const NOT_NAMES: &[&str] = &[
    "There", "Team", "Everyone", "All", "Again", "So", "For", "Thanks", "Thank", "Sir", "Madam",
    "Friend", "Folks", "Guys", "Yes", "No", "Ok", "Okay", "Sorry", "Please", "Best", "Regards",
    "Cheers", "Customer", "We", "I", "You", "It", "This", "That", "Well", "Sure", "Today", "Soon",
    "Too", "Though", "Anyway",
];

/// Longest span (bytes) one lexicon hit can cover: patterns are short and gaps are bounded.
const MAX_HIT_BYTES: usize = 512;

/// Hits sorted by start, with range queries, so that every context rule is a binary search
/// rather than a scan (1 MB of text must score in well under a second).
struct Sorted<'a>(Vec<&'a Hit>);

impl<'a> Sorted<'a> {
    /// Hits starting in `[a, b)`.
    fn starting_in(&self, a: usize, b: usize) -> &[&'a Hit] {
        let i = self.0.partition_point(|h| h.start < a);
        let j = self.0.partition_point(|h| h.start < b);
        &self.0[i..j.max(i)]
    }
    /// Hits lying wholly inside `[a, b)`.
    fn inside(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a, b).iter().filter(move |h| h.end <= b)
    }
    /// Hits that overlap `[a, b)`.
    fn overlapping(&self, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.starting_in(a.saturating_sub(MAX_HIT_BYTES), b)
            .iter()
            .filter(move |h| h.end > a)
    }
}

struct Ctxs<'a> {
    f: &'a Folded,
    lex: &'a Lexicon,
    cues: Sorted<'a>,
    blocks: Sorted<'a>,
    ctx: BTreeMap<Ctx, Sorted<'a>>,
    clauses: Vec<Seg>,
    sentences: Vec<Seg>,
    quotes: Vec<(usize, usize)>,
}

fn seg_of(segs: &[Seg], pos: usize) -> Option<Seg> {
    let i = segs.partition_point(|s| s.end <= pos);
    segs.get(i).copied().filter(|s| s.contains(pos))
}

impl<'a> Ctxs<'a> {
    fn new(f: &'a Folded, lex: &'a Lexicon, hits: &'a [Hit]) -> Ctxs<'a> {
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
        Ctxs {
            f,
            lex,
            cues: Sorted(cues),
            blocks: Sorted(blocks),
            ctx,
            clauses: text::clauses(&f.text),
            sentences: text::sentences(&f.text),
            quotes: quote_ranges(&f.text),
        }
    }
    fn clause_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.clauses, pos)
    }
    fn sentence_of(&self, pos: usize) -> Option<Seg> {
        seg_of(&self.sentences, pos)
    }
    fn sentence_index(&self, pos: usize) -> usize {
        self.sentences
            .partition_point(|s| s.end <= pos)
            .min(self.sentences.len().saturating_sub(1))
    }
    /// Context hits of one kind lying inside `[a, b)`.
    fn ctx_in(&self, ctx: Ctx, a: usize, b: usize) -> impl Iterator<Item = &&'a Hit> {
        self.ctx
            .get(&ctx)
            .into_iter()
            .flat_map(move |s| s.inside(a, b))
    }
    fn in_quotes(&self, s: usize) -> bool {
        let i = self.quotes.partition_point(|&(_, b)| b <= s);
        self.quotes.get(i).is_some_and(|&(a, b)| s > a && s < b)
    }
    fn negated(&self, h: &Hit) -> bool {
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        self.ctx_in(Ctx::Negator, clause.start, h.start).any(|n| {
            // The negator must not be part of a cue (不好意思, 不便).
            if self
                .cues
                .overlapping(n.start, n.end)
                .any(|o| o.start <= n.start && o.end > n.end)
            {
                return false;
            }
            let gap = &self.f.text[n.end..h.start];
            if gap.is_ascii() {
                gap.split_whitespace().count() <= NEG_GAP_EN
            } else {
                gap.chars().filter(|c| !c.is_whitespace()).count() <= NEG_GAP_ZH
            }
        })
    }
    fn reported(&self, h: &Hit) -> bool {
        if self.in_quotes(h.start) {
            return true;
        }
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        self.ctx_in(Ctx::QuoteIntro, clause.start, h.start)
            .next()
            .is_some()
    }
    fn blocked(&self, h: &Hit, owner: &str) -> bool {
        self.blocks
            .overlapping(h.start, h.end)
            .any(|b| self.lex.entries[b.entry].owner == owner)
    }
}

fn quote_ranges(text: &str) -> Vec<(usize, usize)> {
    let idx: Vec<usize> = text.match_indices('"').map(|(i, _)| i).collect();
    idx.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}

/// Detect every reply principle (and `close`) in `original`.
pub fn detect(original: &str, lex: &Lexicon, cx: &Context) -> Detection {
    let f = Folded::new(original);
    let hits = lex.find(&f.text);
    let c = Ctxs::new(&f, lex, &hits);
    let said = cx.customer_said.map(Folded::new);

    // Byte spans (folded) per principle.
    let mut spans: BTreeMap<&'static str, Vec<(usize, usize)>> = BTreeMap::new();
    let mut courtesy_feats: BTreeMap<u16, f32> = BTreeMap::new();
    for h in &hits {
        let e = &lex.entries[h.entry];
        match e.class {
            Class::Courtesy(i) => {
                courtesy_feats.insert(i, lex.courtesy_weights[i as usize]);
                continue;
            }
            Class::Cue => {}
            _ => continue,
        }
        let p = e.owner;
        if c.blocked(h, p)
            || (NEGATABLE.contains(&p) && c.negated(h))
            || (QUOTABLE.contains(&p) && c.reported(h))
        {
            continue;
        }
        if p == "jargon" && jargon_excused(&f.text, h, said.as_ref(), cx.allowed_terms) {
            continue;
        }
        if p == "probe" && !probe_ok(&c, h) {
            continue;
        }
        if p == "address" && !address_ok(&f.text, h) {
            continue;
        }
        spans.entry(p).or_default().push((h.start, h.end));
    }

    // Scenario jargon.
    for term in cx.extra_jargon {
        if term.is_empty() {
            continue;
        }
        for (i, _) in f.text.match_indices(term.as_str()) {
            let h = Hit {
                entry: usize::MAX,
                start: i,
                end: i + term.len(),
            };
            if !jargon_excused(&f.text, &h, said.as_ref(), cx.allowed_terms) {
                spans.entry("jargon").or_default().push((h.start, h.end));
            }
        }
    }

    // Questions: a sentence ending in "?" (or a question particle) that really asks.
    for s in &c.sentences {
        if is_genuine_question(&c, *s) {
            // The last clause of the question sentence.
            let cl = c
                .clause_of(s.end.saturating_sub(1))
                .filter(|cl| cl.start >= s.start)
                .unwrap_or(*s);
            spans.entry("probe").or_default().push((cl.start, cl.end));
        }
    }

    // Names and titles (English).
    let mut extra_evidence: Vec<(&'static str, (usize, usize))> = Vec::new();
    let mut cc = CharCounter::new(original);
    for m in name_re().captures_iter(original) {
        let name = m.get(1).or(m.get(2));
        if let Some(n) = name {
            if NOT_NAMES.contains(&n.as_str()) {
                continue;
            }
        }
        let g = name.unwrap_or_else(|| m.get(0).expect("group 0"));
        extra_evidence.push(("address", cc.span(g.start(), g.end())));
    }
    for name in cx.customer_names {
        let n = Folded::fold_pattern(name);
        if n.chars().count() >= 2 {
            for (i, _) in f.text.match_indices(n.as_str()) {
                spans.entry("address").or_default().push((i, i + n.len()));
            }
        }
    }

    // Shouting.
    let shouted: Vec<_> = shout_re()
        .find_iter(original)
        .filter(|m| {
            let w = m.as_str().to_ascii_lowercase();
            !is_acronym(lex, &w)
        })
        .collect();
    if shouted.len() >= 2 {
        for m in &shouted {
            extra_evidence.push(("rudeness", cc.span(m.start(), m.end())));
        }
    }
    for m in bang_re().find_iter(original) {
        extra_evidence.push(("rudeness", cc.span(m.start(), m.end())));
    }

    // Soft blame (a fact used to contradict the customer) counts only when nothing is taken on.
    let mut findings: BTreeMap<&'static str, Finding> = BTreeMap::new();
    let mut first_sentence = BTreeMap::new();
    for id in crate::principles::reply_ids().chain(["close"]) {
        let mut ev: Vec<(usize, usize)> = spans
            .get(id)
            .map(|v| v.iter().map(|&(s, e)| f.span(s, e)).collect())
            .unwrap_or_default();
        if let Some(&(s, _)) = spans.get(id).and_then(|v| v.iter().min()) {
            first_sentence.insert(id, c.sentence_index(s));
        }
        ev.extend(
            extra_evidence
                .iter()
                .filter(|(p, _)| *p == id)
                .map(|(_, sp)| *sp),
        );
        ev.sort_unstable();
        ev.dedup();
        // Merge overlapping spans so highlights don't nest.
        let mut merged: Vec<(usize, usize)> = Vec::new();
        for (s, e) in ev {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        findings.insert(
            id,
            Finding {
                hit: !merged.is_empty(),
                evidence: merged,
            },
        );
    }
    if findings["blame"].hit && findings["ownership"].hit {
        // "快递在途中延误了,我来帮您催" is a fact, not a way out: keep blame only for hard cues.
        let hard: Vec<(usize, usize)> = spans
            .get("blame")
            .map(|v| {
                v.iter()
                    .filter(|(s, e)| !is_soft_blame(&f.text[*s..*e]))
                    .map(|&(s, e)| f.span(s, e))
                    .collect()
            })
            .unwrap_or_default();
        findings.insert(
            "blame",
            Finding {
                hit: !hard.is_empty(),
                evidence: hard,
            },
        );
    }
    let courtesy_raw = courtesy_feats.values().sum();
    Detection {
        findings,
        first_sentence,
        courtesy_raw,
        folded: f,
    }
}

/// Blame cues that only state a fact; they are blame when nothing is taken on.
fn is_soft_blame(cue: &str) -> bool {
    const SOFT: &[&str] = &[
        "系统显示",
        "记录显示",
        "显示您",
        "快递的问题",
        "物流的问题",
        "是快递",
        "the system shows",
        "our records show",
        "according to our records",
    ];
    SOFT.iter().any(|s| cue.contains(s))
}

fn is_acronym(lex: &Lexicon, w: &str) -> bool {
    lex.acronyms.iter().any(|a| a == w)
}

/// Byte → char offsets for matches met in increasing order (linear over a whole text).
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> Self {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }
    fn at(&mut self, b: usize) -> usize {
        if b < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..b].chars().count();
        self.byte = b;
        self.chars
    }
    fn span(&mut self, bs: usize, be: usize) -> (usize, usize) {
        (self.at(bs), self.at(be))
    }
}

/// Jargon is excused when the customer used the term first, the scenario allows it, or the
/// agent explains it right away ("SKU(商品编码)", "RMA, i.e. return number").
fn jargon_excused(text: &str, h: &Hit, said: Option<&Folded>, allowed: &[String]) -> bool {
    let term = &text[h.start..h.end];
    if said.is_some_and(|s| s.text.contains(term)) || allowed.iter().any(|a| a == term) {
        return true;
    }
    let after = text[h.end..].trim_start();
    [
        "(",
        "[",
        "即",
        "也就是",
        "就是",
        "指的是",
        "是指",
        "i.e",
        "which means",
        "meaning",
        "- ",
    ]
    .iter()
    .any(|p| after.starts_with(p))
}

/// 亲 as an address stands alone (亲,…), 先生/女士 follow a surname or stand at a greeting.
fn address_ok(text: &str, h: &Hit) -> bool {
    let cue = &text[h.start..h.end];
    if cue == "亲" {
        let next = text[h.end..].chars().next();
        let prev = text[..h.start].chars().next_back();
        return matches!(
            next,
            None | Some(',' | '.' | '!' | '~' | ' ' | '们' | '爱' | '的' | '?')
        ) || matches!(prev, None | Some(',' | '.' | ' ' | '!'))
            || matches!(next, Some(c) if !text::is_cjk(c));
    }
    true
}

/// A probe cue (请问, 请提供…) counts unless it is a closing or a procedural request.
fn probe_ok(c: &Ctxs, h: &Hit) -> bool {
    let Some(s) = c.sentence_of(h.start) else {
        return true;
    };
    c.ctx_in(Ctx::Closing, s.start, s.end).next().is_none()
        && c.ctx_in(Ctx::Rhetorical, s.start, s.end).next().is_none()
}

fn is_genuine_question(c: &Ctxs, s: Seg) -> bool {
    let t = s.slice(&c.f.text).trim_end_matches(['"', '\'', ')', ' ']);
    let ends_q = t.ends_with('?');
    let particle = t.trim_end_matches(['.', '!', '~']).ends_with(['吗', '呢']);
    if !ends_q && !particle {
        return false;
    }
    if [Ctx::Rhetorical, Ctx::Closing, Ctx::Request]
        .into_iter()
        .any(|k| c.ctx_in(k, s.start, s.end).next().is_some())
    {
        return false;
    }
    // A "?" on a statement with no question word (中文) still asks in chat ("订单号是123?").
    // Agreement checks at the end (好吗? 可以吗? 对吗?) seek consent, they don't probe.
    let core = t.trim_end_matches(['?', '.', '!', '~', ' ']);
    if [
        "好吗",
        "可以吗",
        "行吗",
        "对吗",
        "好不好",
        "ok",
        "okay",
        "right",
        "alright",
    ]
    .iter()
    .any(|e| core.ends_with(e))
    {
        return false;
    }
    // Rude or blaming sentences are not questions that ask.
    !c.cues.inside(s.start, s.end).any(|x| {
        let owner = c.lex.entries[x.entry].owner;
        owner == "rudeness" || owner == "blame"
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(text: &str, p: &str) -> bool {
        detect(text, Lexicon::builtin(), &Context::default()).findings[p].hit
    }

    #[test]
    fn apology_and_its_look_alikes() {
        assert!(hit("非常抱歉让您久等了", "apology"));
        assert!(hit("對不起，讓您久等了", "apology"));
        assert!(hit("不好意思,请问您的订单号是多少?", "apology"));
        assert!(!hit("我不会道歉的", "apology"));
        assert!(!hit("没什么好道歉的", "apology"));
        assert!(!hit("很遗憾您这么认为", "apology"));
        assert!(!hit("您说要我们道歉,这个要求我们记下了", "apology"));
        assert!(hit("I'm so sorry for the delay.", "apology"));
        assert!(!hit("I'm sorry you feel that way.", "apology"));
        assert!(!hit("I won't apologise for that.", "apology"));
    }

    #[test]
    fn evidence_points_into_the_original() {
        let text = "ＨＩ，王先生！非常抱歉";
        let d = detect(text, Lexicon::builtin(), &Context::default());
        let (s, e) = d.findings["apology"].evidence[0];
        let got: String = text.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "抱歉");
    }

    #[test]
    fn probe_needs_a_real_question() {
        assert!(hit("请问您是什么时候下单的?", "probe"));
        assert!(hit("Could you tell me your order number?", "probe"));
        assert!(!hit("你难道没看说明书吗?", "probe"));
        assert!(!hit("请问还有什么可以帮您的吗?", "probe"));
        assert!(hit("请提供一下您的订单号", "probe"));
    }

    #[test]
    fn address_blame_rudeness_jargon() {
        assert!(hit("您好,这边为您查询", "address"));
        assert!(!hit("你好,我查一下", "address"));
        assert!(!hit("我亲自查了", "address"));
        assert!(hit("Hi Sarah, thanks for waiting.", "address"));
        assert!(hit("这是快递的问题,跟我们没关系", "blame"));
        assert!(hit("是您自己没看清楚", "blame"));
        assert!(!hit("快递在途中延误了,我来帮您催", "blame"));
        assert!(hit("爱买不买", "rudeness"));
        assert!(hit("PLEASE READ THE PAGE", "rudeness"));
        assert!(hit("好的!!!", "rudeness"));
        assert!(hit("已经给您提交工单了", "jargon"));
        assert!(!hit("SKU(商品编码)是123", "jargon"));
    }

    #[test]
    fn nothing_panics_on_odd_input() {
        for t in [
            "",
            "?",
            "\u{0}",
            "吗",
            "'\"\"'",
            "A…B",
            "！！！",
            "亲",
            "Mr.",
            "🙂🙂",
        ] {
            let _ = detect(t, Lexicon::builtin(), &Context::default());
        }
    }
}
