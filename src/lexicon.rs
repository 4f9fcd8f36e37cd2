//! Lexicons: the cue phrases of every principle, as data files embedded at build time
//! (`data/lexicon/*.toml`), compiled once into one Aho-Corasick automaton.
//!
//! Pattern syntax (see `data/lexicon/README.md`):
//! - plain text, matched on the folded reply (so Traditional, full-width and upper case match);
//! - Latin words match on word boundaries; a trailing `*` allows any continuation (`apologi*`);
//! - one `…` joins two parts that must occur in that order in the same clause, at most
//!   [`GAP_CHARS`] chars apart (`让您…久等`).

use crate::text::Folded;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashMap;

/// Largest gap (in chars) allowed between the two parts of a `A…B` pattern.
pub const GAP_CHARS: usize = 12;

/// What a lexicon entry is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    /// A phrase that shows the principle.
    Cue,
    /// A look-alike that must not count: cancels the cues it overlaps.
    Block,
    /// Negators, quote openers, rhetorical markers … (shared context).
    Context(Ctx),
    /// A courtesy feature with a weight (index into `Lexicon::courtesy_weights`).
    Courtesy(u16),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ctx {
    Negator,
    QuoteIntro,
    Rhetorical,
    Closing,
    Request,
    QuestionWord,
}

/// One entry of a lexicon: the principle (or `""` for shared context) and its class.
#[derive(Debug, Clone)]
pub struct Entry {
    pub owner: &'static str,
    pub class: Class,
    parts: Vec<Part>,
}

#[derive(Debug, Clone)]
struct Part {
    pattern: usize,
    word_start: bool,
    word_end: bool,
}

/// A found entry: byte range in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
}

pub struct Lexicon {
    ac: AhoCorasick,
    pub entries: Vec<Entry>,
    /// pattern index → (entry, part index)
    users: Vec<Vec<(usize, u8)>>,
    pub courtesy_weights: Vec<f32>,
    /// Capitalised words that are not shouting (folded).
    pub acronyms: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct LangSection {
    #[serde(default)]
    cues: Vec<String>,
    #[serde(default)]
    block: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrincipleFile {
    principle: String,
    #[allow(dead_code)]
    source: String,
    #[serde(default)]
    zh: LangSection,
    #[serde(default)]
    en: LangSection,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextFile {
    negators: Vec<String>,
    quote_intro: Vec<String>,
    rhetorical: Vec<String>,
    closing: Vec<String>,
    requests: Vec<String>,
    question_words: Vec<String>,
    acronyms: Vec<String>,
    courtesy: Vec<CourtesyFeature>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CourtesyFeature {
    weight: f32,
    patterns: Vec<String>,
}

/// The embedded lexicon files, one per principle plus the shared context.
pub const PRINCIPLE_FILES: &[(&str, &str)] = &[
    ("apology", include_str!("../data/lexicon/apology.toml")),
    ("empathy", include_str!("../data/lexicon/empathy.toml")),
    ("ownership", include_str!("../data/lexicon/ownership.toml")),
    ("solution", include_str!("../data/lexicon/solution.toml")),
    ("blame", include_str!("../data/lexicon/blame.toml")),
    ("restate", include_str!("../data/lexicon/restate.toml")),
    ("probe", include_str!("../data/lexicon/probe.toml")),
    ("explain", include_str!("../data/lexicon/explain.toml")),
    ("follow_up", include_str!("../data/lexicon/follow_up.toml")),
    ("address", include_str!("../data/lexicon/address.toml")),
    ("gratitude", include_str!("../data/lexicon/gratitude.toml")),
    ("jargon", include_str!("../data/lexicon/jargon.toml")),
    ("rudeness", include_str!("../data/lexicon/rudeness.toml")),
    ("close", include_str!("../data/lexicon/close.toml")),
];
pub const CONTEXT_FILE: &str = include_str!("../data/lexicon/_context.toml");

struct Builder {
    patterns: Vec<String>,
    index: HashMap<String, usize>,
    entries: Vec<Entry>,
}

impl Builder {
    fn add(&mut self, owner: &'static str, class: Class, raw: &str) {
        let mut parts = Vec::new();
        for piece in raw.split('…') {
            let prefix_open = piece.ends_with('*');
            let suffix_open = piece.starts_with('*');
            let body = Folded::fold_pattern(piece.trim_matches('*'));
            if body.is_empty() {
                continue;
            }
            let word_start = !suffix_open
                && body
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            let word_end = !prefix_open
                && body
                    .chars()
                    .last()
                    .is_some_and(|c| c.is_ascii_alphanumeric());
            let next = self.patterns.len();
            let pattern = *self.index.entry(body.clone()).or_insert_with(|| next);
            if pattern == next {
                self.patterns.push(body);
            }
            parts.push(Part {
                pattern,
                word_start,
                word_end,
            });
        }
        if !parts.is_empty() && parts.len() <= 2 {
            self.entries.push(Entry {
                owner,
                class,
                parts,
            });
        }
    }
}

fn leak(s: &str) -> &'static str {
    crate::principles::intern(s)
}

impl Lexicon {
    /// Build from the embedded files plus extra cue terms (`(principle, term)`), e.g. a
    /// scenario's jargon. Errors name the file that failed to parse.
    pub fn build(extra: &[(&str, &str)]) -> Result<Lexicon, String> {
        let mut b = Builder {
            patterns: Vec::new(),
            index: HashMap::new(),
            entries: Vec::new(),
        };
        for (name, src) in PRINCIPLE_FILES {
            let f: PrincipleFile =
                toml::from_str(src).map_err(|e| format!("data/lexicon/{name}.toml: {e}"))?;
            let owner = leak(&f.principle);
            for sec in [&f.zh, &f.en] {
                for c in &sec.cues {
                    b.add(owner, Class::Cue, c);
                }
                for c in &sec.block {
                    b.add(owner, Class::Block, c);
                }
            }
        }
        let ctx: ContextFile =
            toml::from_str(CONTEXT_FILE).map_err(|e| format!("data/lexicon/_context.toml: {e}"))?;
        let groups = [
            (Ctx::Negator, &ctx.negators),
            (Ctx::QuoteIntro, &ctx.quote_intro),
            (Ctx::Rhetorical, &ctx.rhetorical),
            (Ctx::Closing, &ctx.closing),
            (Ctx::Request, &ctx.requests),
            (Ctx::QuestionWord, &ctx.question_words),
        ];
        for (c, list) in groups {
            for p in list {
                b.add("", Class::Context(c), p);
            }
        }
        let mut courtesy_weights = Vec::new();
        for (i, f) in ctx.courtesy.iter().enumerate() {
            courtesy_weights.push(f.weight);
            for p in &f.patterns {
                b.add("", Class::Courtesy(i as u16), p);
            }
        }
        for (owner, term) in extra {
            b.add(leak(owner), Class::Cue, term);
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&b.patterns)
            .map_err(|e| format!("lexicon automaton: {e}"))?;
        let mut users = vec![Vec::new(); b.patterns.len()];
        for (ei, e) in b.entries.iter().enumerate() {
            for (pi, p) in e.parts.iter().enumerate() {
                users[p.pattern].push((ei, pi as u8));
            }
        }
        Ok(Lexicon {
            ac,
            entries: b.entries,
            users,
            courtesy_weights,
            acronyms: ctx
                .acronyms
                .iter()
                .map(|a| Folded::fold_pattern(a))
                .collect(),
        })
    }

    /// The built-in lexicon, built once per process.
    pub fn builtin() -> &'static Lexicon {
        static L: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        L.get_or_init(|| Lexicon::build(&[]).expect("embedded lexicon files are checked by tests"))
    }

    /// All entry hits in the folded text, sorted by start.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        let bytes = text.as_bytes();
        let boundary_ok = |pos: usize, before: bool| -> bool {
            let c = if before {
                text[..pos].chars().next_back()
            } else {
                text[pos..].chars().next()
            };
            !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '\'')
        };
        let _ = bytes;
        // (pattern, start, end) raw hits, and per-pattern lists for second parts.
        let mut firsts: Vec<(usize, u8, usize, usize)> = Vec::new();
        let mut seconds: HashMap<usize, Vec<(usize, usize)>> = HashMap::new();
        for m in self.ac.find_overlapping_iter(text) {
            let (s, e) = (m.start(), m.end());
            for &(ei, pi) in &self.users[m.pattern().as_usize()] {
                let part = &self.entries[ei].parts[pi as usize];
                if (part.word_start && !boundary_ok(s, true))
                    || (part.word_end && !boundary_ok(e, false))
                {
                    continue;
                }
                if pi == 0 {
                    firsts.push((ei, pi, s, e));
                } else {
                    seconds.entry(ei).or_default().push((s, e));
                }
            }
        }
        for list in seconds.values_mut() {
            list.sort_unstable();
        }
        let mut hits = Vec::new();
        for (ei, _, s, e) in firsts {
            if self.entries[ei].parts.len() == 1 {
                hits.push(Hit {
                    entry: ei,
                    start: s,
                    end: e,
                });
                continue;
            }
            if let Some(list) = seconds.get(&ei) {
                // The nearest second part after the first: a later one has a longer gap.
                let i = list.partition_point(|&(s2, _)| s2 < e);
                let found = list.get(i).filter(|&&(s2, _)| {
                    let gap = &text[e..s2];
                    s2 - e <= GAP_CHARS * 4
                        && gap.chars().count() <= GAP_CHARS
                        && !gap.contains(['.', '!', '?', ';', '\n', ','])
                });
                if let Some(&(_, e2)) = found {
                    hits.push(Hit {
                        entry: ei,
                        start: s,
                        end: e2,
                    });
                }
            }
        }
        hits.sort_by_key(|h| (h.start, h.end));
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_lexicons_parse() {
        let l = Lexicon::build(&[]).unwrap();
        assert!(l.entries.len() > 200);
    }

    #[test]
    fn word_boundaries_and_gaps() {
        let l = Lexicon::build(&[("jargon", "sku")]).unwrap();
        let names = |t: &str| -> Vec<&str> {
            let f = Folded::new(t);
            l.find(&f.text)
                .into_iter()
                .filter(|h| l.entries[h.entry].class == Class::Cue)
                .map(|h| l.entries[h.entry].owner)
                .collect()
        };
        assert!(names("Check the SKU please").contains(&"jargon"));
        assert!(!names("skunk").contains(&"jargon"));
        // `肯定…生气`: a gap inside one clause, not across a comma.
        assert!(names("您肯定非常生气").contains(&"empathy"));
        assert!(names("您肯定非常生氣").contains(&"empathy"));
        assert!(!names("肯定的,生气也没用").contains(&"empathy"));
    }
}
