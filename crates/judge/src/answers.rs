//! `answers` (issue #15 item 2): does the reply answer what the customer asked at this turn
//! (`asks`)? Typed extraction, not phrase lists: a time or a date, a span of time, an amount,
//! a yes or a no, one of the options named, the fact or the shop rule asked about, read in
//! Simplified and Traditional Chinese (folded to Simplified) and English. The patterns and
//! word lists are data (`data/answers.toml`); a time, span, amount or option that a negator
//! denies ("不是周四", "not by Friday") or that sits in a clause asking back ("请问您周四在家
//! 吗?") is no answer. Linear in the reply: each kind's patterns are one pass of regex's PikeVM
//! (`regex-automata`, the `regex` crate's own engine without its meta layer: linear time by
//! construction), the options one Aho-Corasick pass, and every match looks at its own clause
//! (found by binary search) and a bounded window before it.

use crate::text::{self, Folded, Seg};
use kefu_core::judgement::{Ahead, Ask, AskKind, Finding};
use regex_automata::nfa::thompson::pikevm::PikeVM;
use std::collections::BTreeMap;

#[derive(Debug)]
struct Data {
    weight: f32,
    negators: Vec<String>,
    gaps: Vec<String>,
    // The patterns, read only by the tests: the judge runs the build script's NFAs (`NFAS`).
    #[cfg(test)]
    time: Vec<String>,
    #[cfg(test)]
    duration: Vec<String>,
    #[cfg(test)]
    amount: Vec<String>,
    time_words: Vec<String>,
    amount_words: Vec<String>,
    not_about: Vec<String>,
    and_then: Vec<String>,
    yes_no: YesNo,
    policy: BTreeMap<String, String>,
    about: BTreeMap<String, Vec<String>>,
    also: BTreeMap<String, Vec<String>>,
    not_by: BTreeMap<String, Vec<String>>,
}

#[derive(Debug)]
struct YesNo {
    opens: Vec<String>,
    alone: Vec<String>,
    particles: Vec<String>,
    not_after: Vec<String>,
    not_words: Vec<String>,
    verbs_zh: Vec<String>,
    verbs_en: BTreeMap<String, Vec<String>>,
}

struct Compiled {
    data: Data,
    time: Option<PikeVM>,
    duration: Option<PikeVM>,
    amount: Option<PikeVM>,
    /// `time_words`, `amount_words`: found as they stand.
    time_words: Option<crate::ac::Ac>,
    amount_words: Option<crate::ac::Ac>,
}

/// The NFAs of the kinds' alternations (`time`, `duration`, `amount`), compiled from
/// `data/answers.toml` by `crates/data-build.rs` (`answer_nfas`: each kind's patterns as
/// `(?:p1)|(?:p2)|…`), so the scorer carries no regex parser or compiler (#17).
const NFAS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/answers_nfa.bin"));

/// The build script's NFAs, read back state by state: the same states, starts and capture
/// groups as `PikeVM::new` on the joined patterns (a test compares them), for regex's PikeVM.
/// `None` for a kind without patterns (or a form that does not read, which the tests rule out).
pub mod nfa {
    use regex_automata::nfa::thompson::{Builder, State, Transition, NFA};
    use regex_automata::util::look::Look;
    use regex_automata::util::primitives::StateID;

    struct Reader<'a>(&'a [u8]);

    impl Reader<'_> {
        fn byte(&mut self) -> Option<u8> {
            let (&b, rest) = self.0.split_first()?;
            self.0 = rest;
            Some(b)
        }
        fn num(&mut self) -> Option<usize> {
            let mut n = 0usize;
            for shift in (0..35).step_by(7) {
                let b = self.byte()?;
                n |= usize::from(b & 0x7f) << shift;
                if b & 0x80 == 0 {
                    return Some(n);
                }
            }
            None
        }
        fn id(&mut self) -> Option<StateID> {
            StateID::new(self.num()?).ok()
        }
    }

    /// The three kinds' NFAs in the build script's order: time, duration, amount.
    pub fn read(bytes: &[u8]) -> Option<[Option<NFA>; 3]> {
        let mut r = Reader(bytes);
        Some([one(&mut r)?, one(&mut r)?, one(&mut r)?])
    }

    fn one(r: &mut Reader) -> Option<Option<NFA>> {
        let len = r.num()?;
        if len == 0 {
            return Some(None);
        }
        let (anchored, unanchored, pattern) = (r.id()?, r.id()?, r.id()?);
        let mut b = Builder::new();
        b.start_pattern().ok()?;
        for _ in 0..len {
            // Each state is added as the NFA compiler's builder added it, so it keeps its id.
            match r.byte()? {
                0 => {
                    let (start, end) = (r.byte()?, r.byte()?);
                    b.add_range(Transition {
                        start,
                        end,
                        next: r.id()?,
                    })
                }
                1 => {
                    let n = r.num()?;
                    let mut ts = Vec::with_capacity(n.min(256));
                    for _ in 0..n {
                        let (start, end) = (r.byte()?, r.byte()?);
                        ts.push(Transition {
                            start,
                            end,
                            next: r.id()?,
                        });
                    }
                    b.add_sparse(ts)
                }
                2 => {
                    let look = Look::from_repr(u32::try_from(r.num()?).ok()?)?;
                    b.add_look(r.id()?, look)
                }
                3 => {
                    let n = r.num()?;
                    let mut alts = Vec::with_capacity(n.min(256));
                    for _ in 0..n {
                        alts.push(r.id()?);
                    }
                    b.add_union(alts)
                }
                4 => b.add_union(vec![r.id()?, r.id()?]),
                5 => {
                    let g = u32::try_from(r.num()?).ok()?;
                    b.add_capture_start(r.id()?, g, None)
                }
                6 => {
                    let g = u32::try_from(r.num()?).ok()?;
                    b.add_capture_end(r.id()?, g)
                }
                7 => b.add_fail(),
                8 => b.add_match(),
                _ => return None,
            }
            .ok()?;
        }
        b.finish_pattern(pattern).ok()?;
        let nfa = b.build(anchored, unanchored).ok()?;
        // Every state kept its id (none was merged away), or the form is not the compiler's.
        (nfa.states().len() == len && !nfa.states().iter().any(|s| matches!(s, State::Dense(_))))
            .then_some(Some(nfa))
    }
}

fn compiled() -> &'static Compiled {
    static C: std::sync::OnceLock<Compiled> = std::sync::OnceLock::new();
    C.get_or_init(|| {
        // Written by the build as a `Data` expression (`crates/data-build.rs`, `ANSWERS`).
        let data: Data = include!(concat!(env!("OUT_DIR"), "/answers.rs"));
        let [time, duration, amount] = nfa::read(NFAS)
            .unwrap_or_default()
            .map(|n| n.and_then(|n| PikeVM::new_from_nfa(n).ok()));
        let words = |w: &[String]| crate::ac::Ac::new(crate::ac::MatchKind::LeftmostLongest, w);
        Compiled {
            time,
            duration,
            amount,
            time_words: words(&data.time_words),
            amount_words: words(&data.amount_words),
            data,
        }
    })
}

/// The weight of `answers` at a turn that asks, when its `expects` does not weigh it.
pub fn weight() -> f32 {
    compiled().data.weight
}

/// A typed answer the reply may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Typed {
    /// A time or a date (今天下午五点前, 周四, by Friday).
    Time,
    /// A span of time (48小时内, two days).
    Duration,
    /// An amount or a price (¥59, 五十九块).
    Amount,
}

/// The reply's clauses, and for each whether it asks.
struct Clauses {
    segs: Vec<Seg>,
    asks: Vec<bool>,
}

impl Clauses {
    fn new(text: &str) -> Clauses {
        let segs = text::clauses(text);
        let sentences = text::sentences(text);
        // A clause asks when it ends a sentence that asks ("?", or 吗/么 before its end).
        let ends: std::collections::HashSet<usize> = sentences.iter().map(|s| s.end).collect();
        let asks = segs
            .iter()
            .map(|c| {
                let t = c.slice(text).trim_end();
                let core = t.trim_end_matches(['.', '!', '~', ' ', ',', ';']);
                let ends_sentence = ends.contains(&c.end);
                t.ends_with('?')
                    || (ends_sentence
                        && core.ends_with(['吗', '么'])
                        && !core.ends_with("什么")
                        && !core.ends_with("怎么"))
            })
            .collect();
        Clauses { segs, asks }
    }
    /// The clause holding byte `pos`, with its index.
    fn of(&self, pos: usize) -> Option<(usize, Seg)> {
        let i = self.segs.partition_point(|s| s.end <= pos);
        self.segs.get(i).filter(|s| s.start <= pos).map(|s| (i, *s))
    }
}

/// Does a Latin word `w` end `s` on a word boundary (or is `w` not Latin)?
fn ends_with_word(s: &str, w: &str) -> bool {
    s.ends_with(w)
        && !(w.starts_with(|c: char| c.is_ascii_alphanumeric())
            && s[..s.len() - w.len()].ends_with(|c: char| c.is_ascii_alphanumeric()))
}

/// Is the match at byte `at` denied by a negator just before it in its clause ("不是周四",
/// "不是在周四", "not by friday")? Only a bounded window before it is read.
fn negated(text: &str, clause_start: usize, at: usize) -> bool {
    let d = &compiled().data;
    let mut from = at.saturating_sub(40).max(clause_start);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    let before = text[from..at].trim_end();
    let denies = |b: &str| d.negators.iter().any(|n| ends_with_word(b, n));
    denies(before)
        || d.gaps
            .iter()
            .filter(|g| ends_with_word(before, g))
            .any(|g| denies(before[..before.len() - g.len()].trim_end()))
}

/// Keep the matches `(start, end)` that are answers: not in a clause that asks, not denied.
fn given(
    text: &str,
    clauses: &Clauses,
    found: impl Iterator<Item = (usize, usize)>,
) -> Vec<(usize, usize)> {
    found
        .filter(|&(s, _)| match clauses.of(s) {
            Some((i, c)) => !clauses.asks[i] && !negated(text, c.start, s),
            None => true,
        })
        .collect()
}

/// The answers of kind `t` the folded reply gives: byte ranges of `f.text`.
pub fn extract(f: &Folded, t: Typed) -> Vec<(usize, usize)> {
    let c = compiled();
    let (re, words) = match t {
        Typed::Time => (&c.time, &c.time_words),
        Typed::Duration => (&c.duration, &None),
        Typed::Amount => (&c.amount, &c.amount_words),
    };
    let text = &f.text;
    let mut found: Vec<(usize, usize)> = Vec::new();
    if let Some(re) = re {
        let mut cache = re.create_cache();
        found.extend(
            re.find_iter(&mut cache, text.as_bytes())
                .filter(|m| !m.is_empty())
                .map(|m| (m.start(), m.end())),
        );
    }
    if let Some(ac) = words {
        found.extend(
            ac.find(text)
                .map(|m| (m.start(), m.end()))
                .filter(|&(s, e)| text::on_word_boundaries(text, s, e)),
        );
    }
    crate::sort::sort(&mut found);
    found.dedup();
    let clauses = Clauses::new(text);
    given(text, &clauses, found.into_iter())
}

/// Occurrences of `w` in `text` (a Latin word on word boundaries), as byte ranges.
fn occurrences<'a>(text: &'a str, w: &'a str) -> impl Iterator<Item = (usize, usize)> + 'a {
    text.match_indices(w)
        .map(move |(i, m)| (i, i + m.len()))
        .filter(move |&(s, e)| {
            !w.is_ascii()
                || text::on_word_boundaries(text, s, e)
                // A stem of four letters or more on a word start ("pack" in "packed").
                || (w.len() >= 4
                    && !text[..s].ends_with(|c: char| c.is_ascii_alphanumeric()))
        })
}

/// The verbs the customer's question asks with: 能 in 能不能 (A-not-A), the verbs before 吗,
/// the English auxiliary that opens it ("can you …" → can, can't, cannot, could).
fn asked_verbs(question: &str) -> Vec<String> {
    let d = &compiled().data.yes_no;
    let q = Folded::new(question).text;
    let mut out: Vec<String> = Vec::new();
    let chars: Vec<char> = q.chars().collect();
    for w in chars.windows(3) {
        if (w[1] == '不' || w[1] == '没') && w[0] == w[2] && text::is_cjk(w[0]) {
            out.push(if w[0] == '可' {
                "可以".into()
            } else {
                w[0].to_string()
            });
        }
    }
    for s in text::sentences(&q) {
        let t = s.slice(&q).trim_end_matches(['?', '.', '!', ' ', '~']);
        if t.ends_with(['吗', '么']) || out.iter().any(|v| t.contains(v.as_str())) {
            out.extend(
                d.verbs_zh
                    .iter()
                    .filter(|v| t.contains(v.as_str()))
                    .cloned(),
            );
        }
    }
    // English: the auxiliary opening a clause of a question ("but if …, will i get ignored?").
    for c in text::clauses(&q) {
        let t = c.slice(&q);
        let first = t
            .split(|c: char| !c.is_ascii_alphabetic() && c != '\'')
            .find(|w| !w.is_empty())
            .unwrap_or("");
        if let Some(forms) = d.verbs_en.get(first) {
            out.extend(forms.iter().cloned());
        }
    }
    out.extend(predicates(&q));
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// What a yes-or-no question asks about, said back in a statement, answers it ("能不能包装好
/// 一点?" → "我已经为您安排…包装"; "can you pack it …?" → "packed"): the two characters after
/// an A-not-A or a verb before 吗, or the English word after the auxiliary and its subject.
fn predicates(q: &str) -> Vec<String> {
    let d = &compiled().data.yes_no;
    let mut out = Vec::new();
    let chars: Vec<(usize, char)> = q.char_indices().collect();
    for (i, w) in chars.windows(3).enumerate() {
        if (w[1].1 == '不' || w[1].1 == '没') && w[0].1 == w[2].1 && text::is_cjk(w[0].1) {
            let mut k = i + 3;
            if w[0].1 == '可' && chars.get(k).is_some_and(|c| c.1 == '以') {
                k += 1;
            }
            let pred: String = chars[k.min(chars.len())..]
                .iter()
                .map(|c| c.1)
                .take_while(|c| text::is_cjk(*c))
                .take(2)
                .collect();
            if pred.chars().count() == 2 {
                out.push(pred);
            }
        }
    }
    for c in text::clauses(q) {
        let words: Vec<&str> = c
            .slice(q)
            .split(|ch: char| !ch.is_ascii_alphabetic() && ch != '\'')
            .filter(|w| !w.is_empty())
            .collect();
        if words.len() >= 3 && d.verbs_en.contains_key(words[0]) && words[2].len() >= 4 {
            // "pack" also in "packed", "packing": the stem, found on a word start.
            out.push(words[2].trim_end_matches('e').to_string());
        }
    }
    out
}

/// A yes or a no: a clause that opens with one ("当然可以", "是的", "yes, …", "unfortunately
/// not"), a clause that is only one ("可以。", "没有。"), or the question's own verb said again
/// in a clause that does not ask ("我们可以为您加固包装", "it won't"), not after the customer as
/// its subject or a wish ("希望您能理解"). A yes with a reason and a no with a reason both answer.
fn yes_no(f: &Folded, customer_said: Option<&str>) -> Vec<(usize, usize)> {
    let d = &compiled().data.yes_no;
    let text = &f.text;
    let clauses = Clauses::new(text);
    let mut out = Vec::new();
    for (i, c) in clauses.segs.iter().enumerate() {
        if clauses.asks[i] {
            continue;
        }
        let t = c.slice(text);
        let opens = d.opens.iter().any(|o| {
            t.starts_with(o.as_str())
                && (o.ends_with([' ', ',', '.'])
                    || !o.ends_with(|ch: char| ch.is_ascii_alphabetic())
                    || !t[o.len()..].starts_with(|ch: char| ch.is_ascii_alphabetic()))
        });
        let mut core = t.trim_end_matches(['.', '!', ',', ' ', '~', ';']);
        while let Some(p) = d
            .particles
            .iter()
            .find(|p| core.len() > p.len() && core.ends_with(p.as_str()))
        {
            core = &core[..core.len() - p.len()];
        }
        if opens || d.alone.iter().any(|a| a == core) {
            out.push((c.start, c.end));
        }
    }
    if let Some(q) = customer_said {
        let verbs = asked_verbs(q);
        // Words that hold a verb's character without being it (功能, 可能, 社会).
        // Marked byte by byte, so a lookup is constant whatever the reply holds.
        let mut inside = vec![false; text.len()];
        for (a, b) in d.not_words.iter().flat_map(|w| occurrences(text, w)) {
            inside[a..b].iter_mut().for_each(|x| *x = true);
        }
        for v in &verbs {
            for (s, e) in occurrences(text, v) {
                let Some((i, c)) = clauses.of(s) else {
                    continue;
                };
                if clauses.asks[i] || inside[s..e].iter().all(|x| *x) {
                    continue;
                }
                let mut from = s.saturating_sub(12).max(c.start);
                while !text.is_char_boundary(from) {
                    from += 1;
                }
                let before = text[from..s].trim_end();
                // "我们不能", "we can't": the subject may be the agent, not the customer.
                let before = before.strip_suffix('不').unwrap_or(before).trim_end();
                if d.not_after.iter().any(|n| ends_with_word(before, n)) {
                    continue;
                }
                out.push((c.start, c.end));
            }
        }
    }
    crate::sort::sort(&mut out);
    out.dedup();
    out
}

/// The options named (folded, on word boundaries), not denied and not in a clause that asks;
/// for a yes-or-no question, its `say` words.
fn choice(f: &Folded, options: &[String]) -> Vec<(usize, usize)> {
    let keys: Vec<String> = options
        .iter()
        .map(|o| Folded::fold_pattern(o).trim().to_string())
        .filter(|k| !k.is_empty())
        .collect();
    let Some(ac) = crate::ac::Ac::new(crate::ac::MatchKind::LeftmostLongest, &keys) else {
        return vec![];
    };
    let clauses = Clauses::new(&f.text);
    given(
        &f.text,
        &clauses,
        ac.find(&f.text)
            .map(|m| (m.start(), m.end()))
            .filter(|&(s, e)| text::on_word_boundaries(&f.text, s, e)),
    )
}

/// `answers` for a reply at a turn that asks `ask`: hit when the reply carries an answer of
/// the kind asked, with the answer as evidence (char spans of the reply as typed).
/// `fact_spans`: where the reply states the fact asked about (for `fact`, from `facts`).
pub fn judge(
    f: &Folded,
    ask: &Ask,
    customer_said: Option<&str>,
    fact_spans: &[(usize, usize)],
    policy: &BTreeMap<String, f64>,
) -> Finding {
    let mut evidence: Vec<(usize, usize)> = if ask.kind == AskKind::Fact {
        fact_spans.to_vec()
    } else {
        spans(f, ask, customer_said, policy)
            .into_iter()
            .map(|(s, e)| f.span(s, e))
            .collect()
    };
    crate::sort::sort(&mut evidence);
    evidence.dedup();
    Finding {
        hit: !evidence.is_empty(),
        evidence,
    }
}

/// Does a reply at an earlier turn already answer the question a turn ahead will ask
/// (`TurnRules::ahead`)? Read as at that turn (so a time of another matter, `not_about`, is
/// none: "半小时内给您回复" says when the agent will call, not when the parcel comes), but only
/// from a clause said of the question's matter for a time, a span or an amount (`Matter`: with a
/// word of an `about` group the question's asking clause names, or of a group that `also`
/// answers it; an option or a shop rule names its matter itself); not a number the customer said at this turn said back ("六天"; `said`: their
/// line, folded).
/// Yes or no and facts are not asked ahead (`Scenario::ahead`).
pub fn ahead(f: &Folded, q: &Ahead, said: &str, policy: &BTreeMap<String, f64>) -> bool {
    let ask = &q.ask;
    let named = matches!(ask.kind, AskKind::Choice | AskKind::Policy);
    if matches!(ask.kind, AskKind::Fact | AskKind::YesNo) {
        return false;
    }
    let matter = Matter::of(&q.question);
    if !named && matter.of.is_empty() {
        return false;
    }
    let mut clauses = ClauseMemo::new(&f.text);
    spans(f, ask, None, policy).into_iter().any(|(s, e)| {
        !said.contains(f.text[s..e].trim())
            && (named || clauses.test(s, |c| matter.said_in(c)).unwrap_or(false))
    })
}

/// What a question is about: the `about` groups its asking clauses name, with the groups whose
/// times also answer it (`also`), and those whose times alone do not (`not_by`).
struct Matter {
    of: Vec<&'static [String]>,
    not: Vec<&'static [String]>,
}

impl Matter {
    fn of(question: &str) -> Matter {
        let d = &compiled().data;
        let question = &Folded::new(question).text;
        let asking = Clauses::new(question);
        let named: Vec<&String> = d
            .about
            .iter()
            .filter(|(_, words)| {
                asking
                    .segs
                    .iter()
                    .zip(&asking.asks)
                    .any(|(c, &asks)| asks && mentions(c.slice(question), words))
            })
            .map(|(g, _)| g)
            .collect();
        let groups = |map: &'static BTreeMap<String, Vec<String>>| {
            named
                .iter()
                .filter_map(move |g| map.get(*g))
                .flatten()
                .collect::<Vec<&String>>()
        };
        let mut of: Vec<&String> = named.clone();
        of.extend(groups(&d.also));
        let not: Vec<&String> = groups(&d.not_by)
            .into_iter()
            .filter(|g| !of.contains(g))
            .collect();
        let words = |gs: Vec<&String>| -> Vec<&'static [String]> {
            gs.iter()
                .filter_map(|g| d.about.get(*g).map(Vec::as_slice))
                .collect()
        };
        Matter {
            of: words(of),
            not: words(not),
        }
    }
    /// Is `clause` said of the question's matter?
    fn said_in(&self, clause: &str) -> bool {
        self.of.iter().any(|w| mentions(clause, w))
    }
    /// Is `clause` said only of a matter whose time does not answer the question?
    fn off(&self, clause: &str) -> bool {
        self.not.iter().any(|w| mentions(clause, w)) && !self.said_in(clause)
    }
}

/// The clauses of a text for what each is said of: `text::clauses`, and an English clause cut
/// again before "and" that opens a new subject (`and_then`: "it goes out this afternoon | and
/// i'll send you the tracking number"), so one matter's words do not reach the other's time.
fn matter_clauses(text: &str) -> Vec<Seg> {
    let d = &compiled().data;
    let mut out = Vec::new();
    for c in text::clauses(text) {
        let mut start = c.start;
        for (i, _) in c.slice(text).match_indices(" and ") {
            let at = c.start + i;
            let next = &text[at + 5..c.end];
            let opens = d.and_then.iter().any(|w| {
                next.starts_with(w.as_str())
                    && !next[w.len()..].starts_with(|ch: char| ch.is_ascii_alphanumeric())
            });
            if opens && at > start {
                out.push(Seg { start, end: at });
                start = at + 1;
            }
        }
        out.push(Seg { start, end: c.end });
    }
    out
}

/// The clauses of a text, each tested once: `test(at, f)` is `f` of the clause holding byte
/// `at` (`None` outside every clause), computed the first time that clause is asked about.
struct ClauseMemo<'a> {
    text: &'a str,
    segs: Vec<Seg>,
    known: Vec<Option<bool>>,
}

impl<'a> ClauseMemo<'a> {
    fn new(text: &'a str) -> Self {
        let segs = matter_clauses(text);
        let known = vec![None; segs.len()];
        ClauseMemo { text, segs, known }
    }
    fn test(&mut self, at: usize, f: impl Fn(&str) -> bool) -> Option<bool> {
        let i = self.segs.partition_point(|c| c.end <= at);
        let c = self.segs.get(i).filter(|c| c.start <= at)?;
        Some(*self.known[i].get_or_insert_with(|| f(c.slice(self.text))))
    }
}

/// Does `text` hold one of `words`? A Latin word only at a word's start ("come", not "outcome";
/// a word is a stem: "arriv" in "arrives"), a Latin phrase only as whole words ("back to you",
/// not "back to your").
fn mentions(text: &str, words: &[String]) -> bool {
    let alnum = |c: char| c.is_ascii_alphanumeric();
    words.iter().any(|w| {
        let latin = w.starts_with(alnum);
        text.match_indices(w.as_str()).any(|(i, m)| {
            !latin
                || !text[..i].ends_with(alnum)
                    && (!w.contains(' ') || !text[i + m.len()..].starts_with(alnum))
        })
    })
}

/// The answers of `ask`'s kind the reply carries: byte ranges of `f.text` (not for `fact`).
fn spans(
    f: &Folded,
    ask: &Ask,
    customer_said: Option<&str>,
    policy: &BTreeMap<String, f64>,
) -> Vec<(usize, usize)> {
    let typed =
        |ts: &[Typed]| -> Vec<(usize, usize)> { ts.iter().flat_map(|&t| extract(f, t)).collect() };
    // When or how long: not a time said of another matter (`not_about`: a call back, a pickup…;
    // `not_by`: the sending, asked about the arrival), each clause read once however many times
    // it holds.
    let of_the_matter = |spans: Vec<(usize, usize)>| -> Vec<(usize, usize)> {
        let d = &compiled().data;
        let matter = customer_said.map(Matter::of);
        let mut clauses = ClauseMemo::new(&f.text);
        spans
            .into_iter()
            .filter(|&(s, _)| {
                !clauses
                    .test(s, |c| {
                        mentions(c, &d.not_about) || matter.as_ref().is_some_and(|m| m.off(c))
                    })
                    .unwrap_or(false)
            })
            .collect()
    };
    match ask.kind {
        AskKind::Time => of_the_matter(typed(&[Typed::Time, Typed::Duration])),
        AskKind::Duration => of_the_matter(typed(&[Typed::Duration, Typed::Time])),
        AskKind::Amount => typed(&[Typed::Amount]),
        // Or what was asked for said done (`say`: 双层纸箱, foam), as an option is named.
        AskKind::YesNo => [yes_no(f, customer_said), choice(f, &ask.say)].concat(),
        AskKind::Choice => choice(f, &ask.options),
        AskKind::Fact => vec![],
        AskKind::Policy => {
            let Some(rule) = ask.policy.as_deref() else {
                return vec![];
            };
            // Inserted, not collected from an array: `From<[_; 1]>` sorts (a sort instantiation).
            let mut one: BTreeMap<String, f64> = BTreeMap::new();
            one.insert(rule.to_string(), policy.get(rule).copied().unwrap_or(1.0));
            let spans: Vec<(usize, usize)> = crate::policy::stated(f, &one)
                .into_iter()
                .map(|s| s.span)
                .collect();
            if !spans.is_empty() {
                return spans;
            }
            match compiled().data.policy.get(rule).map(String::as_str) {
                Some("amount") => typed(&[Typed::Amount]),
                Some(_) => typed(&[Typed::Duration]),
                None => vec![],
            }
        }
    }
}

#[cfg(test)]
mod tests;
