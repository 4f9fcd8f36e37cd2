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
    "apology", "empathy", "ownership", "solution", "gratitude", "follow_up", "explain", "blame", "restate",
];
/// Principles whose cues don't count inside quoted or reported speech.
const QUOTABLE: &[&str] = &[
    "apology", "empathy", "ownership", "solution", "gratitude", "follow_up", "blame", "rudeness",
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
    "There", "Team", "Everyone", "All", "Again", "So", "For", "Thanks", "Thank", "Sir", "Madam", "Friend",
    "Folks", "Guys", "Yes", "No", "Ok", "Okay", "Sorry", "Please", "Best", "Regards", "Cheers", "Customer",
    "We", "I", "You", "It", "This", "That", "Well", "Sure", "Today", "Soon", "Too", "Though", "Anyway",
];

struct Ctxs<'a> {
    f: &'a Folded,
    lex: &'a Lexicon,
    hits: &'a [Hit],
    clauses: Vec<Seg>,
    sentences: Vec<Seg>,
    quotes: Vec<(usize, usize)>,
}

impl<'a> Ctxs<'a> {
    fn clause_of(&self, pos: usize) -> Option<Seg> {
        self.clauses.iter().copied().find(|c| c.contains(pos))
    }
    fn sentence_index(&self, pos: usize) -> usize {
        self.sentences
            .iter()
            .position(|s| pos < s.end)
            .unwrap_or(self.sentences.len().saturating_sub(1))
    }
    fn ctx_hits(&self, ctx: Ctx) -> impl Iterator<Item = &Hit> {
        self.hits
            .iter()
            .filter(move |h| self.lex.entries[h.entry].class == Class::Context(ctx))
    }
    fn in_quotes(&self, s: usize) -> bool {
        self.quotes.iter().any(|&(a, b)| s > a && s < b)
    }
    fn negated(&self, h: &Hit) -> bool {
        let Some(clause) = self.clause_of(h.start) else {
            return false;
        };
        self.ctx_hits(Ctx::Negator).any(|n| {
            if n.end > h.start || n.start < clause.start {
                return false;
            }
            // The negator must not be part of the cue or of another cue (不好意思, 不便).
            if self.hits.iter().any(|o| {
                o.start <= n.start && o.end > n.end && self.lex.entries[o.entry].class == Class::Cue
            }) {
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
        self.ctx_hits(Ctx::QuoteIntro)
            .any(|q| q.start >= clause.start && q.end <= h.start)
    }
    fn blocked(&self, h: &Hit, owner: &str) -> bool {
        self.hits.iter().any(|b| {
            let e = &self.lex.entries[b.entry];
            e.class == Class::Block && e.owner == owner && b.start < h.end && h.start < b.end
        })
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
    let c = Ctxs {
        f: &f,
        lex,
        hits: &hits,
        clauses: text::clauses(&f.text),
        sentences: text::sentences(&f.text),
        quotes: quote_ranges(&f.text),
    };
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
            let h = Hit { entry: usize::MAX, start: i, end: i + term.len() };
            if !jargon_excused(&f.text, &h, said.as_ref(), cx.allowed_terms) {
                spans.entry("jargon").or_default().push((h.start, h.end));
            }
        }
    }

    // Questions: a sentence ending in "?" (or a question particle) that really asks.
    for s in &c.sentences {
        if is_genuine_question(&c, *s) {
            let cl = c
                .clauses
                .iter()
                .rev()
                .find(|cl| cl.start >= s.start && cl.end <= s.end)
                .copied()
                .unwrap_or(*s);
            spans.entry("probe").or_default().push((cl.start, cl.end));
        }
    }

    // Names and titles (English).
    let mut extra_evidence: Vec<(&'static str, (usize, usize))> = Vec::new();
    for m in name_re().captures_iter(original) {
        let name = m.get(1).or(m.get(2));
        if let Some(n) = name {
            if NOT_NAMES.contains(&n.as_str()) {
                continue;
            }
        }
        let g = name.unwrap_or_else(|| m.get(0).expect("group 0"));
        extra_evidence.push(("address", char_span(original, g.start(), g.end())));
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
            extra_evidence.push(("rudeness", char_span(original, m.start(), m.end())));
        }
    }
    for m in bang_re().find_iter(original) {
        extra_evidence.push(("rudeness", char_span(original, m.start(), m.end())));
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
        ev.extend(extra_evidence.iter().filter(|(p, _)| *p == id).map(|(_, sp)| *sp));
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
    const SOFT: &[&str] = &["系统显示", "记录显示", "显示您", "快递的问题", "物流的问题", "是快递", "the system shows", "our records show", "according to our records"];
    SOFT.iter().any(|s| cue.contains(s))
}

fn is_acronym(lex: &Lexicon, w: &str) -> bool {
    lex.acronyms.iter().any(|a| a == w)
}

fn char_span(original: &str, bs: usize, be: usize) -> (usize, usize) {
    let s = original[..bs].chars().count();
    (s, s + original[bs..be].chars().count())
}

/// Jargon is excused when the customer used the term first, the scenario allows it, or the
/// agent explains it right away ("SKU(商品编码)", "RMA, i.e. return number").
fn jargon_excused(text: &str, h: &Hit, said: Option<&Folded>, allowed: &[String]) -> bool {
    let term = &text[h.start..h.end];
    if said.is_some_and(|s| s.text.contains(term)) || allowed.iter().any(|a| a == term) {
        return true;
    }
    let after = text[h.end..].trim_start();
    ["(", "[", "即", "也就是", "就是", "指的是", "是指", "i.e", "which means", "meaning", "- "]
        .iter()
        .any(|p| after.starts_with(p))
}

/// 亲 as an address stands alone (亲,…), 先生/女士 follow a surname or stand at a greeting.
fn address_ok(text: &str, h: &Hit) -> bool {
    let cue = &text[h.start..h.end];
    if cue == "亲" {
        let next = text[h.end..].chars().next();
        let prev = text[..h.start].chars().next_back();
        return matches!(next, None | Some(',' | '.' | '!' | '~' | ' ' | '们' | '爱' | '的' | '?'))
            || matches!(prev, None | Some(',' | '.' | ' ' | '!'))
            || matches!(next, Some(c) if !text::is_cjk(c));
    }
    true
}

/// A probe cue (请问, 请提供…) counts unless it is a closing or a procedural request.
fn probe_ok(c: &Ctxs, h: &Hit) -> bool {
    let Some(s) = c.sentences.iter().find(|s| s.contains(h.start)).copied() else {
        return true;
    };
    !c.ctx_hits(Ctx::Closing).any(|x| x.start >= s.start && x.end <= s.end)
        && !c.ctx_hits(Ctx::Rhetorical).any(|x| x.start >= s.start && x.end <= s.end)
}

fn is_genuine_question(c: &Ctxs, s: Seg) -> bool {
    let t = s.slice(&c.f.text).trim_end_matches(['"', '\'', ')', ' ']);
    let ends_q = t.ends_with('?');
    let particle = t.trim_end_matches(['.', '!', '~']).ends_with(['吗', '呢']);
    if !ends_q && !particle {
        return false;
    }
    let inside = |x: &&Hit| x.start >= s.start && x.end <= s.end;
    if c.ctx_hits(Ctx::Rhetorical).any(|x| inside(&x))
        || c.ctx_hits(Ctx::Closing).any(|x| inside(&x))
        || c.ctx_hits(Ctx::Request).any(|x| inside(&x))
    {
        return false;
    }
    // A "?" on a statement with no question word (中文) still asks in chat ("订单号是123?").
    // Agreement checks at the end (好吗? 可以吗? 对吗?) seek consent, they don't probe.
    let core = t.trim_end_matches(['?', '.', '!', '~', ' ']);
    if ["好吗", "可以吗", "行吗", "对吗", "好不好", "ok", "okay", "right", "alright"]
        .iter()
        .any(|e| core.ends_with(e))
    {
        return false;
    }
    // Rude or blaming sentences are not questions that ask.
    !c.hits.iter().any(|x| {
        let e = &c.lex.entries[x.entry];
        e.class == Class::Cue && (e.owner == "rudeness" || e.owner == "blame") && inside(&x)
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
        for t in ["", "?", "\u{0}", "吗", "'\"\"'", "A…B", "！！！", "亲", "Mr.", "🙂🙂"] {
            let _ = detect(t, Lexicon::builtin(), &Context::default());
        }
    }
}
