//! Lexicons: the cue phrases of every principle, as data files embedded at build time
//! (`data/lexicon/*.toml`), compiled once into one Aho-Corasick automaton.
//!
//! Pattern syntax (see `data/lexicon/README.md`):
//! - plain text, matched on the folded reply (so Traditional, full-width and upper case match);
//! - Latin words match on word boundaries; a trailing `*` allows any continuation (`apologi*`),
//!   a leading `*` any beginning;
//! - `(a|b|c)` alternatives inside a part, `(a|b)?` the same or nothing, `{name}` a named
//!   group of alternatives (`[groups]` of `_context.toml` or of the principle's own file);
//! - `A…B`: the parts in that order in the same clause, at most [`GAP_CHARS`] chars apart;
//!   `A……B`: in the same sentence (commas allowed), at most [`WIDE_GAP_CHARS`] apart; up to
//!   [`MAX_PARTS`] parts;
//! - in a principle's cues, `您` also matches `你` (the choice of pronoun is `address`'s
//!   business, not the other principles').
//!
//! Every pattern is a fixed string for the automaton: alternatives are expanded when the
//! lexicon is built (with a cap), a part whose groups multiply is stored as chunks matched
//! end to end ([`chunks`]: the automaton holds the sum of their alternatives, ~23,000 strings,
//! not the product, ~76,000, and builds three times sooner), and gaps are checked with a
//! bounded look-up, so matching is linear in the reply whatever the lexicon holds.

use crate::ac::{Ac, MatchKind};
use crate::fx::FxBuild;
use crate::text::Folded;
use kefu_core::principles::PrincipleId;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Largest gap (in chars) allowed between two parts of a `A…B` pattern.
pub const GAP_CHARS: usize = 12;
/// Largest gap (in chars) allowed between two parts of a `A……B` pattern.
pub const WIDE_GAP_CHARS: usize = 30;
/// Most parts one pattern may have.
pub const MAX_PARTS: usize = 4;
/// Most fixed strings one part of one pattern may expand to.
const MAX_ALTERNATIVES: usize = 5000;
/// A part whose alternatives multiply past this many strings is stored as adjacent sub-parts
/// (see [`chunks`]).
const SPLIT_OVER: usize = 64;
/// Most sub-parts (parts and their adjacent chunks) one pattern may have.
const MAX_PHYSICAL_PARTS: usize = 64;

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

/// Where a cue counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    Any,
    /// Only in a sentence that is not a question (`statement = […]`).
    Statement,
    /// Only in a question (`question = […]`).
    Question,
    /// Only at the start of a sentence, after an interjection (`start = […]`): imperatives.
    Start,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ctx {
    Negator,
    /// A negator character that does not negate ("是不是", "不便").
    NegatorException,
    QuoteIntro,
    Rhetorical,
    Closing,
    Request,
    /// Confirmation tags ("对吗?", "is that right?"): the question confirms, it does not ask.
    ConfirmTag,
    /// Second person (English "you"): a question about the customer.
    SecondPerson,
    /// Tag questions, fillers and offers that do not ask ("you know?", "want to talk?").
    NotAsking,
    /// Filler tags closing a sentence ("…, you know?").
    FillerTag,
    /// How an English question starts when it has no "?" ("can you tell me …").
    InterrogativeStart,
    /// Handing the case on ("已转给财务", "passed your case to").
    Handoff,
    /// Explaining a term just used ("就是说", "i.e.", "that's our …").
    JargonGloss,
}

/// Whose an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Owner {
    /// Shared context words and courtesy features (`_context.toml`).
    Shared,
    /// A principle's cue or block (`data/lexicon/ID.toml`).
    Principle(PrincipleId),
    /// A structural role's cue (`data/rules/*.toml`, `role.…`), which `crate::rules` combines
    /// into principle hits.
    Role(&'static str),
}

impl Owner {
    /// The owner named in a lexicon file's `principle = "…"`: a principle id or `role.NAME`.
    fn named(name: &str) -> Result<Owner, String> {
        if let Some(p) = PrincipleId::parse(name) {
            return Ok(Owner::Principle(p));
        }
        if name.starts_with("role.") {
            return Ok(Owner::Role(leak(name)));
        }
        name.parse::<PrincipleId>().map(Owner::Principle)
    }
    /// The principle, when it is one.
    pub fn principle(self) -> Option<PrincipleId> {
        match self {
            Owner::Principle(p) => Some(p),
            _ => None,
        }
    }
    /// As named in the data (`""` for shared context).
    pub fn as_str(self) -> &'static str {
        match self {
            Owner::Shared => "",
            Owner::Principle(p) => p.as_str(),
            Owner::Role(r) => r,
        }
    }
}

impl std::fmt::Display for Owner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.as_str())
    }
}

impl From<PrincipleId> for Owner {
    fn from(p: PrincipleId) -> Owner {
        Owner::Principle(p)
    }
}

/// One entry of a lexicon: its owner (a principle, a role, or shared context) and its class.
#[derive(Debug, Clone)]
pub struct Entry {
    pub owner: Owner,
    pub class: Class,
    pub mode: Mode,
    /// For each stored sub-part after the first: what may lie before it. A part written
    /// `A…B` or `A……B` starts after a `Clause` or `Sentence` gap; a part whose alternatives
    /// multiply is stored as chunks, each `Adjacent` to the one before ([`chunks`]).
    gaps: Vec<Gap>,
}

/// What lies between one stored sub-part of an entry and the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Gap {
    /// Nothing: the next chunk of the same part starts where this one ends.
    Adjacent,
    /// `…`: up to [`GAP_CHARS`] chars of the same clause.
    Clause,
    /// `……`: up to [`WIDE_GAP_CHARS`] chars of the same sentence.
    Sentence,
}

/// The role searched alone, by an automaton of its own strings (`Lexicon::find_alone`): the
/// customer's line is searched only for whether it asks why (`detect`), and the whole lexicon's
/// automaton over it was a sixteenth of judging a reply with the customer's line.
pub const ALONE: &str = "role.asks_why";

/// One fixed string's use: (entry, sub-part, word boundary needed before, after).
#[derive(Debug, Clone, Copy)]
struct User {
    entry: u32,
    part: u8,
    word_start: bool,
    word_end: bool,
}

/// Every fixed string's uses in one table: string `p`'s are `all[starts[p]..starts[p + 1]]`
/// (one allocation for all, not one per string: the search reads them at every match).
struct Uses {
    starts: Vec<u32>,
    all: Vec<User>,
}

impl Uses {
    fn new(lists: &[Vec<User>]) -> Uses {
        let mut starts = Vec::with_capacity(lists.len() + 1);
        let mut all = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        starts.push(0);
        for l in lists {
            all.extend_from_slice(l);
            starts.push(all.len() as u32);
        }
        Uses { starts, all }
    }

    /// String `p`'s uses (`p` a pattern number of the automaton built from the same list).
    fn of(&self, p: usize) -> &[User] {
        &self.all[self.starts[p] as usize..self.starts[p + 1] as usize]
    }

    /// How many strings.
    fn len(&self) -> usize {
        self.starts.len().saturating_sub(1)
    }
}

/// A found entry: byte range in the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub entry: usize,
    pub start: usize,
    pub end: usize,
    /// Where the first part ends and the last part starts: `[gap_from, last_from)` holds
    /// the gaps (and any middle parts).
    pub gap_from: usize,
    pub last_from: usize,
}

pub struct Lexicon {
    ac: Ac,
    pub entries: Vec<Entry>,
    /// pattern index → its uses
    users: Uses,
    /// An automaton of the `ALONE` role's strings alone, and their uses (`find_alone`).
    alone: (Ac, Uses),
    /// The courtesy features (index = `Class::Courtesy(i)`).
    pub courtesy: Vec<CourtesyFeat>,
    /// How features and principles add up to `courtesy`.
    pub courtesy_model: CourtesyModel,
    /// Capitalised words that are not shouting (folded).
    pub acronyms: Vec<String>,
    /// Acronyms customers know (folded): not jargon by their shape (`detect::jargon::acronyms`).
    pub plain_acronyms: Vec<String>,
    /// English words written in capitals for emphasis (folded): not acronyms.
    pub caps_words: Vec<String>,
    /// Blame cues that only state a fact (`_context.toml`'s `soft_blame`, folded text).
    pub soft_blame: Vec<String>,
    /// Hedges and verbs a negator reaches through to a cue opening with 是 (`_context.toml`'s
    /// `copula_reach`, folded; `detect::negation`).
    pub copula_reach: Vec<String>,
    /// What opens a new predicate after a negated verb (`_context.toml`'s `new_subject`, folded;
    /// `detect::negation`): 别担心我马上补发, 不要着急马上给您补发.
    pub new_subject: Vec<String>,
    /// Modals and adverbs a negator reaches through to a new predicate (`modal_reach`, folded):
    /// 不能马上, 没法给您.
    pub modal_reach: Vec<String>,
    /// The automaton's fixed strings (the tests compare lexicons by them).
    #[cfg(test)]
    patterns: Vec<String>,
}

/// A word list of `_context.toml` as the folded text is matched (`Folded::fold_pattern`).
fn folded(words: &[String]) -> Vec<String> {
    words.iter().map(|w| Folded::fold_pattern(w)).collect()
}

// The data files' structs, filled by the build (`crates/data-build.rs`: `LANG_SECTION`,
// `PRINCIPLE_FILE`, `CONTEXT_FILE`), which rejects an unknown or missing field.
#[derive(Default)]
struct LangSection {
    cues: Vec<String>,
    statement: Vec<String>,
    question: Vec<String>,
    start: Vec<String>,
    block: Vec<String>,
}

struct PrincipleFile {
    principle: String,
    groups: BTreeMap<String, Vec<String>>,
    zh: LangSection,
    en: LangSection,
}

// A lexicon or role file as the build writes it: static parts only (`RAW_PRINCIPLE_FILE`), each
// list one `\n`-joined string (empty: none), owned in one loop (`PrincipleFile::from_raw`).
struct RawSection {
    cues: &'static str,
    statement: &'static str,
    question: &'static str,
    start: &'static str,
    block: &'static str,
}

struct RawFile {
    principle: &'static str,
    groups: &'static [(&'static str, &'static str)],
    zh: RawSection,
    en: RawSection,
}

/// A list the build joined by `\n` (`""`: an empty list; the build allows no empty item).
fn lines(s: &str) -> Vec<String> {
    if s.is_empty() {
        Vec::new()
    } else {
        kefu_core::built::l(s)
    }
}

impl LangSection {
    fn from_raw(r: &RawSection) -> LangSection {
        LangSection {
            cues: lines(r.cues),
            statement: lines(r.statement),
            question: lines(r.question),
            start: lines(r.start),
            block: lines(r.block),
        }
    }
}

impl PrincipleFile {
    fn from_raw(r: &RawFile) -> PrincipleFile {
        PrincipleFile {
            principle: r.principle.to_string(),
            groups: kefu_core::built::ml(r.groups),
            zh: LangSection::from_raw(&r.zh),
            en: LangSection::from_raw(&r.en),
        }
    }
}

struct ContextFile {
    groups: BTreeMap<String, Vec<String>>,
    negators: Vec<String>,
    negator_exceptions: Vec<String>,
    quote_intro: Vec<String>,
    rhetorical: Vec<String>,
    closing: Vec<String>,
    requests: Vec<String>,
    confirm_tags: Vec<String>,
    second_person: Vec<String>,
    not_asking: Vec<String>,
    filler_tags: Vec<String>,
    interrogative_starts: Vec<String>,
    handoff: Vec<String>,
    jargon_gloss: Vec<String>,
    soft_blame: Vec<String>,
    copula_reach: Vec<String>,
    new_subject: Vec<String>,
    modal_reach: Vec<String>,
    acronyms: Vec<String>,
    plain_acronyms: Vec<String>,
    caps_words: Vec<String>,
    courtesy: Vec<CourtesyFeature>,
    courtesy_model: CourtesyModel,
}

struct CourtesyFeature {
    weight: f32,
    patterns: Vec<String>,
    /// Count the feature up to this many times (default once).
    max: Option<u8>,
    /// Only at the start of a sentence.
    start: bool,
    /// Only in replies of this language ("zh" or "en").
    lang: Option<String>,
}

/// One courtesy feature, as the detectors use it.
#[derive(Debug, Clone)]
pub struct CourtesyFeat {
    pub weight: f32,
    pub max: u8,
    pub start: bool,
    pub lang: Option<&'static str>,
}

/// How the courtesy estimate adds up: a per-language bias and weight per log-char of length,
/// and a weight per principle shown; the sum goes through a logistic into 0..1.
#[derive(Debug, Clone, Default)]
pub struct CourtesyModel {
    pub bias: BTreeMap<String, f32>,
    pub per_log_char: BTreeMap<String, f32>,
    pub principles: BTreeMap<String, f32>,
}

/// The handbook citation each lexicon file gives (`source`), by principle (kept apart from
/// the files the judge reads: `OUT_DIR/lexicon_sources.rs`, written by the build).
pub fn sources() -> Result<Vec<(String, String)>, String> {
    let map: BTreeMap<String, String> = include!(concat!(env!("OUT_DIR"), "/lexicon_sources.rs"));
    Ok(map.into_iter().collect())
}

/// Expand `{group}` references, then `(a|b)` alternatives, into fixed strings.
fn expand(
    piece: &str,
    groups: &BTreeMap<String, Vec<String>>,
    depth: usize,
) -> Result<Vec<String>, String> {
    if depth > 4 {
        return Err(format!("groups nest too deep in `{piece}`"));
    }
    // `{name}` → `(alt|alt|…)`, each alternative expanded first.
    if let Some(open) = piece.find('{') {
        let close = piece[open..]
            .find('}')
            .map(|c| open + c)
            .ok_or_else(|| format!("unclosed `{{` in `{piece}`"))?;
        let name = &piece[open + 1..close];
        let alts = groups
            .get(name)
            .ok_or_else(|| format!("unknown group `{{{name}}}` in `{piece}`"))?;
        let mut out = Vec::new();
        for a in alts {
            for head in expand(a, groups, depth + 1)? {
                let joined = format!("{}{}{}", &piece[..open], head, &piece[close + 1..]);
                out.extend(expand(&joined, groups, depth + 1)?);
                if out.len() > MAX_ALTERNATIVES {
                    return Err(format!("`{piece}` expands to too many strings"));
                }
            }
        }
        return Ok(out);
    }
    let Some(open) = piece.find('(') else {
        return Ok(vec![join_contractions(piece)]);
    };
    // The alternatives between the matching `)` and the top-level `|`s; `(…)?`: the group
    // may also be left out.
    let (mut alts, optional, after) = group_at(piece, open)?;
    if optional {
        alts.push("");
    }
    let mut out = Vec::new();
    for alt in alts {
        let joined = format!("{}{}{}", &piece[..open], alt, &piece[after..]);
        out.extend(expand(&joined, groups, depth)?);
        if out.len() > MAX_ALTERNATIVES {
            return Err(format!("`{piece}` expands to too many strings"));
        }
    }
    Ok(out)
}

/// An English contraction written after a space by a group (`i (am|'m)`, `you (are| 're)`)
/// joins its word: "i 'm" → "i'm", as typed. Only the endings of contractions ('m, 're, 's,
/// 've, 'd, 'll, 't) standing as a whole word are joined; other quotes are left alone.
fn join_contractions(s: &str) -> String {
    const ENDINGS: [&str; 7] = ["'m", "'re", "'s", "'ve", "'d", "'ll", "'t"];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(" '") {
        let after = &rest[i + 1..];
        let joins = ENDINGS.iter().any(|e| {
            after.starts_with(e)
                && !after[e.len()..]
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        }) && rest[..i].ends_with(|c: char| c.is_ascii_alphabetic());
        out.push_str(&rest[..i]);
        if !joins {
            out.push(' ');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The `(a|b|c)` group opening at byte `open` of `s`: its alternatives (split at its top-level
/// `|`s), whether a `?` follows it (the group may be left out), and where the text after it
/// starts.
fn group_at(s: &str, open: usize) -> Result<(Vec<&str>, bool, usize), String> {
    let mut level = 0;
    let mut close = None;
    let mut bars = Vec::new();
    for (i, c) in s[open..].char_indices() {
        let i = open + i;
        match c {
            '(' => level += 1,
            ')' => {
                level -= 1;
                if level == 0 {
                    close = Some(i);
                    break;
                }
            }
            '|' if level == 1 => bars.push(i),
            _ => {}
        }
    }
    let close = close.ok_or_else(|| format!("unclosed `(` in `{s}`"))?;
    let optional = s[close + 1..].starts_with('?');
    let after = if optional { close + 2 } else { close + 1 };
    let starts = std::iter::once(open + 1).chain(bars.iter().map(|b| b + 1));
    let ends = bars.iter().copied().chain(std::iter::once(close));
    let alts = starts.zip(ends).map(|(a, b)| &s[a..b]).collect();
    Ok((alts, optional, after))
}

/// The first `(…)` group with a `…` gap inside, expanded into whole patterns (one per
/// alternative), or `None` when every gap is at the top level.
fn expand_gap_group(raw: &str) -> Result<Option<Vec<String>>, String> {
    let mut stack: Vec<usize> = Vec::new();
    let mut target = None;
    for (i, c) in raw.char_indices() {
        match c {
            '(' => stack.push(i),
            ')' => {
                stack.pop();
            }
            '…' if !stack.is_empty() => {
                target = stack.last().copied();
                break;
            }
            _ => {}
        }
    }
    let Some(open) = target else {
        return Ok(None);
    };
    let (alts, optional, after) = group_at(raw, open)?;
    let mut out: Vec<String> = alts
        .into_iter()
        .map(|alt| format!("{}{}{}", &raw[..open], alt, &raw[after..]))
        .collect();
    if optional {
        out.push(format!("{}{}", &raw[..open], &raw[after..]));
    }
    Ok(Some(out))
}

/// One top-level unit of a part (a run of plain text, a `(…)` group or a `{name}`): where it
/// starts in the part, how many strings it expands to, and bits of `UNIT_*`.
struct Unit {
    at: usize,
    count: usize,
    flags: u8,
}
/// It may match nothing (`(…)?`, or an alternative that folds to nothing).
const UNIT_EMPTY: u8 = 1;
/// An alternative starts with an English contraction's quote (`'m`, ` 're`), which
/// `join_contractions` joins to the word before.
const UNIT_QUOTE_START: u8 = 2;
/// An alternative ends with a quote.
const UNIT_QUOTE_END: u8 = 4;
/// An alternative holds `您` (which a principle's cue also matches as `你`).
const UNIT_NIN: u8 = 8;

/// A part cut into chunks that are matched as adjacent sub-parts: a part whose groups multiply
/// (`(has|have|'s|'ve) been (a |so |really |…)?{bad_en}`: 4,896 strings) then costs the
/// automaton the sum of its chunks' alternatives, not their product, and the scorer's start
/// builds a much smaller automaton; what matches is the same (a chunk's alternatives
/// concatenated with the next's are exactly the part's: `chunked_parts_find_what_whole_strings_found`).
/// A cut is made only between top-level units, once the chunk before it expands to more than
/// `split_over` strings; never where an English contraction would join across it, so that a
/// chunk could be empty, or (when `您` also matches `你`) so that two chunks hold `您`. Returns
/// where each chunk starts in the part (`[0]`: one chunk, the whole part).
fn chunks(
    piece: &str,
    groups: &BTreeMap<String, Vec<String>>,
    ni: bool,
    split_over: usize,
) -> Result<Vec<usize>, String> {
    let b = piece.as_bytes();
    let mut units: Vec<Unit> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let end = match b[i] {
            b'(' => group_at(piece, i)?.2,
            b'{' => match b[i..].iter().position(|&c| c == b'}') {
                Some(c) => i + c + 1,
                None => return Err(format!("unclosed `{{` in `{piece}`")),
            },
            _ => {
                i + b[i..]
                    .iter()
                    .position(|&c| c == b'(' || c == b'{')
                    .unwrap_or(b.len() - i)
            }
        };
        if i == 0 && end == b.len() {
            return Ok(vec![0]);
        }
        let alts = expand(&piece[i..end], groups, 0)?;
        let mut flags = 0;
        for a in &alts {
            if Folded::fold_pattern(a).trim_matches('*').is_empty() {
                flags |= UNIT_EMPTY;
            }
            if a.starts_with('\'') || a.starts_with(" '") {
                flags |= UNIT_QUOTE_START;
            }
            if a.ends_with('\'') {
                flags |= UNIT_QUOTE_END;
            }
            if a.contains('您') {
                flags |= UNIT_NIN;
            }
        }
        units.push(Unit {
            at: i,
            count: alts.len(),
            flags,
        });
        i = end;
    }
    let mut cuts = vec![0];
    let (mut product, mut required, mut nin_chunks, mut nin) = (1usize, false, 0, false);
    for (k, u) in units.iter().enumerate() {
        // A contraction's quote at the start of what would follow the cut (through units that
        // may be left out).
        let quote_after = units[k..]
            .iter()
            .find(|u| u.flags & (UNIT_QUOTE_START | UNIT_EMPTY) != UNIT_EMPTY)
            .is_some_and(|u| u.flags & UNIT_QUOTE_START != 0);
        if k > 0
            && required
            && product.saturating_mul(u.count) > split_over
            && units[k - 1].flags & UNIT_QUOTE_END == 0
            && !quote_after
        {
            cuts.push(u.at);
            (product, required, nin) = (1, false, false);
        }
        product = product.saturating_mul(u.count);
        required |= u.flags & UNIT_EMPTY == 0;
        if u.flags & UNIT_NIN != 0 && !nin {
            nin = true;
            nin_chunks += 1;
        }
    }
    if !required {
        // The last chunk could be empty: it stays with the one before.
        cuts.pop();
    }
    if ni && nin_chunks > 1 {
        return Ok(vec![0]);
    }
    Ok(cuts)
}

struct Builder {
    /// Parts expanding to more strings than this are cut into chunks ([`chunks`]).
    split_over: usize,
    patterns: Vec<String>,
    index: HashMap<String, usize, FxBuild>,
    entries: Vec<Entry>,
    users: Vec<Vec<User>>,
}

impl Builder {
    fn add(
        &mut self,
        owner: Owner,
        class: Class,
        mode: Mode,
        raw: &str,
        groups: &BTreeMap<String, Vec<String>>,
    ) -> Result<(), String> {
        // A group whose alternatives hold gaps ("(满…包邮|凑单)") becomes one entry each.
        if let Some(alts) = expand_gap_group(raw)? {
            for a in alts {
                self.add(owner, class, mode, &a, groups)?;
            }
            return Ok(());
        }
        // Split into parts at `…` (clause gap) and `……` (sentence gap).
        let mut pieces: Vec<&str> = Vec::new();
        let mut wide = Vec::new();
        let mut rest = raw;
        while let Some(i) = rest.find('…') {
            pieces.push(&rest[..i]);
            rest = &rest[i + '…'.len_utf8()..];
            if let Some(r) = rest.strip_prefix('…') {
                wide.push(true);
                rest = r;
            } else {
                wide.push(false);
            }
        }
        pieces.push(rest);
        if pieces.len() > MAX_PARTS {
            return Err(format!("`{raw}` has more than {MAX_PARTS} parts"));
        }
        let ni = matches!(class, Class::Cue | Class::Block)
            && owner != Owner::Shared
            && owner != Owner::Principle(PrincipleId::Address);
        // The stored sub-parts: each part's chunks, with what lies before each and whether it
        // opens or closes its part (where word boundaries are checked).
        let mut gaps = Vec::new();
        let mut subs: Vec<(&str, bool, bool)> = Vec::new();
        for (pi, piece) in pieces.iter().enumerate() {
            let cuts = chunks(piece, groups, ni, self.split_over)
                .map_err(|e| format!("{}: {e}", owner.as_str()))?;
            let n = cuts.len();
            for (ci, &from) in cuts.iter().enumerate() {
                let c = &piece[from..cuts.get(ci + 1).copied().unwrap_or(piece.len())];
                if ci > 0 {
                    gaps.push(Gap::Adjacent);
                } else if pi > 0 {
                    gaps.push(if wide[pi - 1] {
                        Gap::Sentence
                    } else {
                        Gap::Clause
                    });
                }
                subs.push((c, ci == 0, ci + 1 == n));
            }
        }
        if subs.len() > MAX_PHYSICAL_PARTS {
            return Err(format!("`{raw}` has too many groups"));
        }
        let entry = self.entries.len() as u32;
        let mut any = false;
        for (pi, &(piece, opens, closes)) in subs.iter().enumerate() {
            let mut alts =
                expand(piece, groups, 0).map_err(|e| format!("{}: {e}", owner.as_str()))?;
            if ni {
                let extra: Vec<String> = alts
                    .iter()
                    .filter(|a| a.contains('您'))
                    .map(|a| a.replace('您', "你"))
                    .collect();
                alts.extend(extra);
            }
            let mut seen: HashSet<(String, bool, bool), FxBuild> = HashSet::default();
            for alt in alts {
                let prefix_open = alt.ends_with('*');
                let suffix_open = alt.starts_with('*');
                let body = Folded::fold_pattern(alt.trim_matches('*'));
                if body.is_empty() {
                    if subs.len() == 1 {
                        continue;
                    }
                    return Err(format!("`{raw}` has an empty part"));
                }
                let word_start = opens
                    && !suffix_open
                    && body
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                let word_end = closes
                    && !prefix_open
                    && body
                        .chars()
                        .last()
                        .is_some_and(|c| c.is_ascii_alphanumeric());
                if !seen.insert((body.clone(), word_start, word_end)) {
                    continue;
                }
                let next = self.patterns.len();
                let pattern = *self.index.entry(body.clone()).or_insert(next);
                if pattern == next {
                    self.patterns.push(body);
                    self.users.push(Vec::new());
                }
                self.users[pattern].push(User {
                    entry,
                    part: pi as u8,
                    word_start,
                    word_end,
                });
                any = true;
            }
        }
        if any {
            self.entries.push(Entry {
                owner,
                class,
                mode,
                gaps,
            });
        }
        Ok(())
    }
}

/// `Lexicon::find`'s sorted (entry, sub-part, start, end) list of later sub-parts found.
type Later = [(u32, u8, usize, usize)];

/// The first of `later` at or after (entry, sub-part, start).
fn seek(later: &Later, key: (u32, u8, usize)) -> usize {
    later.partition_point(|&(e, p, s, _)| (e, p, s) < key)
}

/// The run of `later` from `from` whose (entry, sub-part, start) is `key`: the ends of one
/// sub-part's alternatives found at one place.
fn run_at(later: &Later, from: usize, key: (u32, u8, usize)) -> &Later {
    let rest = &later[from.min(later.len())..];
    let n = rest.iter().take_while(|l| (l.0, l.1, l.2) == key).count();
    &rest[..n]
}

/// A set of entries, a bit each (`find`'s entries begun and continued).
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn set(&mut self, i: u32) {
        self.0[i as usize / 64] |= 1 << (i % 64);
    }
    fn has(&self, i: u32) -> bool {
        self.0[i as usize / 64] & (1 << (i % 64)) != 0
    }
}

/// Put `later` in order of entry (stably), each entry one of `begun`'s: a counting sort by the
/// entry's rank among them. The automaton reports the later parts in text order, so by entry
/// they are shuffled (the general sort took a tenth of `find`); grouped, each entry's few are
/// nearly in order of part and start already, which `sort::sort` finishes cheaply.
fn group_by_entry(later: &mut Vec<(u32, u8, usize, usize)>, begun: &Bits) {
    if later.len() < 2 {
        return;
    }
    let begun = &begun.0;
    // rank[w]: how many entries of `begun`'s words before `w` are set.
    let mut rank = Vec::with_capacity(begun.len());
    let mut total = 0usize;
    for w in begun {
        rank.push(total);
        total += w.count_ones() as usize;
    }
    let at = |e: u32| {
        let (w, b) = (e as usize / 64, e % 64);
        rank[w] + (begun[w] & ((1u64 << b) - 1)).count_ones() as usize
    };
    // Where each entry's group starts, then each element into its group's next place.
    let mut start = vec![0usize; total + 1];
    for l in later.iter() {
        start[at(l.0) + 1] += 1;
    }
    for i in 1..start.len() {
        start[i] += start[i - 1];
    }
    let mut out = vec![(0, 0, 0, 0); later.len()];
    for &l in later.iter() {
        let g = &mut start[at(l.0)];
        out[*g] = l;
        *g += 1;
    }
    *later = out;
}

/// Follow entry `ei`'s chunks from sub-part `k` while each is `Adjacent` to the one before:
/// `ends` holds where the way so far ends and, on return, where every way through them ends
/// (without repeats; empty when there is none). Returns the first sub-part after them.
fn follow_adjacent(
    later: &Later,
    ei: u32,
    gaps: &[Gap],
    mut k: usize,
    ends: &mut Vec<usize>,
    next: &mut Vec<usize>,
) -> usize {
    while k <= gaps.len() && gaps[k - 1] == Gap::Adjacent {
        next.clear();
        for &at in ends.iter() {
            let key = (ei, k as u8, at);
            for l in run_at(later, seek(later, key), key) {
                // A handful at most: the lengths of one chunk's alternatives.
                if !next.contains(&l.3) {
                    next.push(l.3);
                }
            }
        }
        std::mem::swap(ends, next);
        k += 1;
    }
    k
}

fn leak(s: &str) -> &'static str {
    kefu_core::principles::intern(s)
}

impl Lexicon {
    /// Build from the embedded files plus extra cue terms (`(principle, term)`, taken
    /// literally: no groups or gaps), e.g. a scenario's jargon. Errors name the file that
    /// failed.
    pub fn build(extra: &[(PrincipleId, &str)]) -> Result<Lexicon, String> {
        Lexicon::build_split(extra, SPLIT_OVER)
    }

    /// As `build`, with parts cut into chunks past `split_over` strings (`usize::MAX`: never,
    /// every alternative one fixed string, as the tests compare).
    fn build_split(extra: &[(PrincipleId, &str)], split_over: usize) -> Result<Lexicon, String> {
        let mut b = Builder {
            split_over,
            patterns: Vec::new(),
            index: HashMap::default(),
            entries: Vec::new(),
            users: Vec::new(),
        };
        // `_context.toml`, then every lexicon and role file as `(name, file)` (`LEXICONS`, then
        // `ROLE_LEXICONS`), written by the build as Rust (no parser here, #17).
        let ctx: ContextFile = include!(concat!(env!("OUT_DIR"), "/lexicon_context.rs"));
        let raw: &[(&str, RawFile)] = include!(concat!(env!("OUT_DIR"), "/lexicon_files.rs"));
        let files: Vec<(&str, PrincipleFile)> = raw
            .iter()
            .map(|(n, f)| (*n, PrincipleFile::from_raw(f)))
            .collect();
        for (name, f) in &files {
            let owner =
                Owner::named(&f.principle).map_err(|e| format!("data/lexicon/{name}.toml: {e}"))?;
            let mut groups = ctx.groups.clone();
            groups.extend(f.groups.clone());
            for sec in [&f.zh, &f.en] {
                let lists = [
                    (Class::Cue, Mode::Any, &sec.cues),
                    (Class::Cue, Mode::Statement, &sec.statement),
                    (Class::Cue, Mode::Question, &sec.question),
                    (Class::Cue, Mode::Start, &sec.start),
                    (Class::Block, Mode::Any, &sec.block),
                ];
                for (class, mode, list) in lists {
                    for c in list {
                        b.add(owner, class, mode, c, &groups)
                            .map_err(|e| format!("data/lexicon/{name}.toml: {e}"))?;
                    }
                }
            }
        }
        let lists = [
            (Ctx::Negator, &ctx.negators),
            (Ctx::NegatorException, &ctx.negator_exceptions),
            (Ctx::QuoteIntro, &ctx.quote_intro),
            (Ctx::Rhetorical, &ctx.rhetorical),
            (Ctx::Closing, &ctx.closing),
            (Ctx::Request, &ctx.requests),
            (Ctx::ConfirmTag, &ctx.confirm_tags),
            (Ctx::SecondPerson, &ctx.second_person),
            (Ctx::NotAsking, &ctx.not_asking),
            (Ctx::FillerTag, &ctx.filler_tags),
            (Ctx::InterrogativeStart, &ctx.interrogative_starts),
            (Ctx::Handoff, &ctx.handoff),
            (Ctx::JargonGloss, &ctx.jargon_gloss),
        ];
        for (c, list) in lists {
            for p in list {
                b.add(Owner::Shared, Class::Context(c), Mode::Any, p, &ctx.groups)
                    .map_err(|e| format!("data/lexicon/_context.toml: {e}"))?;
            }
        }
        let mut courtesy = Vec::new();
        for (i, f) in ctx.courtesy.iter().enumerate() {
            courtesy.push(CourtesyFeat {
                weight: f.weight,
                max: f.max.unwrap_or(1).max(1),
                start: f.start,
                lang: f.lang.as_deref().map(leak),
            });
            for p in &f.patterns {
                b.add(
                    Owner::Shared,
                    Class::Courtesy(i as u16),
                    Mode::Any,
                    p,
                    &ctx.groups,
                )
                .map_err(|e| format!("data/lexicon/_context.toml: {e}"))?;
            }
        }
        for (owner, term) in extra {
            // Literal: a trainer's term is one fixed string.
            let literal = term.replace(['…', '(', ')', '|', '{', '}'], " ");
            b.add(
                Owner::Principle(*owner),
                Class::Cue,
                Mode::Any,
                literal.trim(),
                &BTreeMap::new(),
            )?;
        }
        // The NFA as built (`crate::ac`), not converted into a contiguous one: the same
        // matches, a reply judged as fast, and the scorer's start (`warm`) about 35 % sooner.
        let ac = Ac::new(MatchKind::Standard, &b.patterns)
            .ok_or_else(|| "lexicon automaton: too many states".to_string())?;
        let (mut patterns, mut users) = (Vec::new(), Vec::new());
        for (p, us) in b.patterns.iter().zip(&b.users) {
            let mine: Vec<User> = us
                .iter()
                .copied()
                .filter(|u| b.entries[u.entry as usize].owner == Owner::Role(ALONE))
                .collect();
            if !mine.is_empty() {
                patterns.push(p.clone());
                users.push(mine);
            }
        }
        // Without it the customer's line would never ask why: a lexicon that lost the role's
        // cues (its file renamed or emptied) does not build.
        let alone = Ac::new(MatchKind::Standard, &patterns)
            .map(|ac| (ac, Uses::new(&users)))
            .ok_or_else(|| format!("data/rules: no cues of `{ALONE}` (asks_why.toml)"))?;
        Ok(Lexicon {
            ac,
            alone,
            #[cfg(test)]
            patterns: b.patterns,
            entries: b.entries,
            users: Uses::new(&b.users),
            courtesy,
            courtesy_model: ctx.courtesy_model,
            acronyms: folded(&ctx.acronyms),
            soft_blame: ctx.soft_blame,
            new_subject: folded(&ctx.new_subject),
            modal_reach: folded(&ctx.modal_reach),
            copula_reach: {
                // Longest first: a word that begins another (说, 说过) is tried after it.
                let mut w = folded(&ctx.copula_reach);
                crate::sort::sort_by_key(&mut w, |w| std::cmp::Reverse(w.len()));
                w
            },
            plain_acronyms: folded(&ctx.plain_acronyms),
            caps_words: folded(&ctx.caps_words),
        })
    }

    /// The built-in lexicon, built once per process.
    pub fn builtin() -> &'static Lexicon {
        static L: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        L.get_or_init(|| Lexicon::build(&[]).expect("embedded lexicon files are checked by tests"))
    }

    /// Number of fixed strings in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.users.len()
    }

    /// All entry hits in the folded text, sorted by start.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.find_with(&self.ac, &self.users, text)
    }

    /// The hits of the `ALONE` role's entries: `find`'s of that role, through an automaton of
    /// its own strings, not all ~23,000.
    pub fn find_alone(&self, text: &str) -> Vec<Hit> {
        self.find_with(&self.alone.0, &self.alone.1, text)
    }

    /// The hits of the strings `ac` finds, whose uses `users` lists by its pattern index.
    fn find_with(&self, ac: &Ac, users: &Uses, text: &str) -> Vec<Hit> {
        let boundary_ok = |pos: usize, before: bool| -> bool {
            let c = if before {
                text[..pos].chars().next_back()
            } else {
                text[pos..].chars().next()
            };
            !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '\'')
        };
        // First parts, and the later parts' hits per (entry, part).
        // Room for about one of each per byte (a 200-char Chinese reply finds ~500 of each),
        // up to a few thousand: a long text grows them, a short one does not.
        let room = text.len().min(4096);
        let mut firsts: Vec<(u32, usize, usize)> = Vec::with_capacity(room);
        // (entry, part, start, end) of later parts, sorted for binary search.
        let mut later: Vec<(u32, u8, usize, usize)> = Vec::with_capacity(room);
        // The entries with a first part found (a bit each): only their later parts are kept,
        // so few are sorted (most later parts found are common words', of entries not begun).
        let mut has_first = Bits::new(self.entries.len());
        for m in ac.overlapping(text) {
            let (s, e) = (m.start(), m.end());
            for u in users.of(m.pattern().as_usize()) {
                if (u.word_start && !boundary_ok(s, true)) || (u.word_end && !boundary_ok(e, false))
                {
                    continue;
                }
                if u.part == 0 {
                    has_first.set(u.entry);
                    firsts.push((u.entry, s, e));
                } else {
                    later.push((u.entry, u.part, s, e));
                }
            }
        }
        later.retain(|l| has_first.has(l.0));
        group_by_entry(&mut later, &has_first);
        crate::sort::sort(&mut later);
        later.dedup();
        // The entries with a later part found: an entry of several parts without one has no
        // hit, and most first parts found are of such entries (no search of `later` for them).
        let mut has_later = Bits::new(self.entries.len());
        for l in &later {
            has_later.set(l.0);
        }
        let mut hits = Vec::new();
        let (mut ways, mut way, mut scratch) = (Vec::new(), Vec::new(), Vec::new());
        for (ei, s, e) in firsts {
            let gaps = &self.entries[ei as usize].gaps;
            if !gaps.is_empty() && !has_later.has(ei) {
                continue;
            }
            // Every way through the first part's chunks: one hit each (as every alternative
            // of the part is its own string).
            ways.clear();
            ways.push(e);
            let k0 = follow_adjacent(&later, ei, gaps, 1, &mut ways, &mut scratch);
            'way: for &gap_from in &ways {
                let (mut end, mut last_from, mut k) = (gap_from, gap_from, k0);
                while k <= gaps.len() {
                    let part = k as u8;
                    let (max, stops): (usize, &[char]) = if gaps[k - 1] == Gap::Sentence {
                        (WIDE_GAP_CHARS, &['.', '!', '?', ';', '\n'])
                    } else {
                        (GAP_CHARS, &['.', '!', '?', ';', '\n', ',', ':'])
                    };
                    // The nearest later part (a farther one has a longer gap): the first
                    // start with a way through its chunks, and the shortest such way (the
                    // next part's gap starts sooner), or the longest when it is the entry's
                    // last (the evidence ends with the word: 没关系, not 没关).
                    let mut i = seek(&later, (ei, part, end));
                    let mut nearest = None;
                    while let Some(&(e2, p2, s2, _)) = later.get(i) {
                        if e2 != ei || p2 != part || s2 - end > max * 4 {
                            break;
                        }
                        let run = run_at(&later, i, (ei, part, s2));
                        i += run.len();
                        way.clear();
                        way.extend(run.iter().map(|l| l.3));
                        let next = follow_adjacent(&later, ei, gaps, k + 1, &mut way, &mut scratch);
                        let pick = if next > gaps.len() {
                            way.iter().max()
                        } else {
                            way.iter().min()
                        };
                        if let Some(&e3) = pick {
                            nearest = Some((s2, e3, next));
                            break;
                        }
                    }
                    let Some((s2, e2, next)) = nearest else {
                        continue 'way;
                    };
                    let gap = &text[end..s2];
                    if gap.chars().count() > max || gap.contains(stops) {
                        continue 'way;
                    }
                    (end, last_from, k) = (e2, s2, next);
                }
                hits.push(Hit {
                    entry: ei as usize,
                    start: s,
                    end,
                    gap_from,
                    last_from,
                });
            }
        }
        // In one order whatever order the automaton reported them in (two ways through an
        // entry's chunks can make the same hit).
        crate::sort::sort_by_key(&mut hits, |h| {
            (h.start, h.end, h.entry, h.gap_from, h.last_from)
        });
        hits.dedup();
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
        let l = Lexicon::build(&[(PrincipleId::Jargon, "sku")]).unwrap();
        let names = |t: &str| -> Vec<&str> {
            let f = Folded::new(t);
            l.find(&f.text)
                .into_iter()
                .filter(|h| l.entries[h.entry].class == Class::Cue)
                .map(|h| l.entries[h.entry].owner.as_str())
                .collect()
        };
        assert!(names("Check the SKU please").contains(&"jargon"));
        assert!(!names("skunk").contains(&"jargon"));
        // `肯定…生气`: a gap inside one clause, not across a comma.
        assert!(names("您肯定非常生气").contains(&"empathy"));
        assert!(names("您肯定非常生氣").contains(&"empathy"));
        assert!(!names("肯定的,生气也没用").contains(&"empathy"));
    }

    #[test]
    fn alternatives_groups_and_optional_parts_expand() {
        let mut groups = BTreeMap::new();
        groups.insert(
            "who".to_string(),
            vec!["我".to_string(), "(我们|这边)".to_string()],
        );
        let mut got = expand("{who}(马上)?帮", &groups, 0).unwrap();
        got.sort();
        let mut want = vec![
            "我帮",
            "我们帮",
            "我们马上帮",
            "我马上帮",
            "这边帮",
            "这边马上帮",
        ];
        want.sort();
        assert_eq!(got, want);
        assert!(expand("(a|b", &groups, 0).is_err());
        assert!(expand("{nope}", &groups, 0).is_err());
        // A contraction after a space joins its word; other quotes stay apart.
        assert_eq!(
            expand("i (am|'m) here", &groups, 0).unwrap(),
            ["i am here", "i'm here"]
        );
        assert_eq!(
            expand("you( 're| are) ok", &groups, 0).unwrap(),
            ["you're ok", "you are ok"]
        );
        assert_eq!(expand("say 'mom'", &groups, 0).unwrap(), ["say 'mom'"]);
        let gap = expand_gap_group("(满…包邮|凑单)").unwrap().unwrap();
        assert_eq!(gap, vec!["满…包邮", "凑单"]);
        assert!(expand_gap_group("满…包邮").unwrap().is_none());
    }

    #[test]
    fn a_pattern_can_not_blow_up_the_automaton() {
        let mut b = Builder {
            split_over: SPLIT_OVER,
            patterns: Vec::new(),
            index: HashMap::default(),
            entries: Vec::new(),
            users: Vec::new(),
        };
        // Groups that multiply are stored as chunks (their sum, not their product)…
        let ten = "(a|b|c|d|e|f|g|h|i|j)";
        let huge = ten.repeat(4);
        let cue = |b: &mut Builder, p: &str| {
            b.add(
                PrincipleId::Probe.into(),
                Class::Cue,
                Mode::Any,
                p,
                &BTreeMap::new(),
            )
        };
        cue(&mut b, &huge).unwrap();
        assert!(b.patterns.len() <= 20, "{} strings", b.patterns.len());
        // …and where they cannot be cut (`您` in each, which also matches `你`), capped.
        let nin = "(您a|b|c|d|e|f|g|h|i|j)".repeat(4);
        assert!(cue(&mut b, &nin).is_err());
        assert!(b
            .add(
                PrincipleId::Probe.into(),
                Class::Cue,
                Mode::Any,
                "a…b…c…d…e",
                &BTreeMap::new()
            )
            .is_err());
    }

    /// The folded texts of a corpus file's replies.
    fn corpus(path: &str) -> Vec<String> {
        corpus_field(path, "text")
    }

    /// The folded texts of a corpus file's `field` (`text`: the replies, `context`: the
    /// customer's lines).
    fn corpus_field(path: &str, field: &str) -> Vec<String> {
        let path = format!("{}/../../{path}", env!("CARGO_MANIFEST_DIR"));
        let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        src.lines()
            .filter_map(|l| kefu_core::json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| Some(Folded::new(v.get(field)?.as_str()?).text))
            .collect()
    }

    /// The role searched alone (`ALONE`, the one `detect` asks of the customer's line) has an
    /// automaton of its own, and it finds exactly the hits of that role the whole lexicon finds:
    /// in the corpus's customer lines and replies and in questions made to hold its cues (English words on their boundaries, a cue with a
    /// group, Cantonese).
    #[test]
    fn an_owner_searched_alone_finds_what_the_whole_lexicon_finds() {
        let l = Lexicon::builtin();
        let owner = Owner::Role(ALONE);
        let mut texts = corpus_field("tests/data/trainee/tuning.jsonl", "context");
        texts.extend(
            corpus("tests/data/trainee/tuning.jsonl")
                .into_iter()
                .step_by(3),
        );
        texts.extend(
            [
                "为什么还没发货?到底为啥?",
                "凭什么卖这么贵,有什么依据?",
                "Why? How come it's late, based on what?",
                "whyever not, somewhy",
                "点解咁耐都未到?凭咩要我等?",
                "",
            ]
            .map(|t| Folded::new(t).text),
        );
        let mut found = 0;
        for t in &texts {
            let mut all = l.find(t);
            all.retain(|h| l.entries[h.entry].owner == owner);
            let alone = l.find_alone(t);
            assert_eq!(alone, all, "{t}");
            found += alone.len();
        }
        assert!(found > 200, "only {found} hits: the texts hardly test it");
    }

    /// Parts cut into chunks (`chunks`) find what their whole strings found, with the same
    /// spans: in every one of those strings (a sample of them) and in the corpus's replies.
    #[test]
    fn chunked_parts_find_what_whole_strings_found() {
        let whole = Lexicon::build_split(&[], usize::MAX).unwrap();
        let cut = Lexicon::builtin();
        assert_eq!(whole.entries.len(), cut.entries.len());
        assert!(
            cut.pattern_count() * 3 < whole.pattern_count(),
            "{} strings cut, {} whole",
            cut.pattern_count(),
            whole.pattern_count()
        );
        let mut texts: Vec<String> = whole.patterns.iter().step_by(7).cloned().collect();
        texts.extend(corpus("tests/data/labelled.jsonl"));
        texts.extend(
            corpus("tests/data/trainee/tuning.jsonl")
                .into_iter()
                .step_by(3),
        );
        let mut differ = Vec::new();
        for t in &texts {
            let (a, b) = (whole.find(t), cut.find(t));
            if a != b {
                differ.push(format!("{t}\n  whole: {a:?}\n  cut:   {b:?}"));
            }
        }
        assert!(
            differ.is_empty(),
            "{} of {} texts differ:\n{}",
            differ.len(),
            texts.len(),
            differ[..differ.len().min(5)].join("\n")
        );
    }

    #[test]
    fn nin_also_matches_ni_outside_address() {
        let l = Lexicon::builtin();
        let owners = |t: &str| -> Vec<&str> {
            let f = Folded::new(t);
            l.find(&f.text)
                .into_iter()
                .filter(|h| l.entries[h.entry].class == Class::Cue)
                .map(|h| l.entries[h.entry].owner.as_str())
                .collect()
        };
        assert!(owners("我马上帮你补发").contains(&"ownership"));
        assert!(owners("让你久等了").contains(&"empathy"));
        assert!(!owners("你好").contains(&"address"));
        assert!(owners("您好").contains(&"address"));
    }

    #[test]
    fn multi_part_hits_need_the_parts_in_order_and_close() {
        let l = Lexicon::builtin();
        let has = |t: &str, owner: &str| {
            let f = Folded::new(t);
            l.find(&f.text).into_iter().any(|h| {
                l.entries[h.entry].owner.as_str() == owner && l.entries[h.entry].class == Class::Cue
            })
        };
        assert!(has("预计明天下午送达", "solution"));
        assert!(!has("送达。预计", "solution"));
    }

    #[test]
    fn lexicon_citations_match_the_principle_list() {
        for (id, source) in sources().unwrap() {
            let p = kefu_core::principles::get(&id)
                .unwrap_or_else(|| panic!("lexicon for unknown principle {id}"));
            assert_eq!(
                p.source, source,
                "data/lexicon/{id}.toml cites a different passage"
            );
        }
    }
}
