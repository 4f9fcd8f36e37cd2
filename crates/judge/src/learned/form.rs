//! The learned models' data, apart from how the judge uses them: the heads and feature weights
//! (`Models`), the features a text is read as (`features`: char n-grams of all but Latin
//! letters, `grams`, and English words and word pairs, `words`), the text form `make train` writes
//! (`data/model/learned.txt`: `parse`, `write`) and the packed form the scorer embeds (`pack`,
//! `Packed`). Only `std`: `crates/data-build.rs` includes this file (`#[path]`) to pack the text
//! form at build time, so the scorer module carries neither the text nor its parser (#17).

use crate::fx::{self, FxBuild};
use std::collections::{HashMap, HashSet};

/// The longest n-gram (in chars) the model reads.
pub const MAX_GRAM: usize = 3;

/// One principle's head: log-odds in hundredths.
#[derive(Debug, Clone, PartialEq)]
pub struct Head {
    /// The principle id.
    pub id: String,
    pub bias: i64,
    /// A reply is a hit when `bias + Σ weights` exceeds this.
    pub threshold: i64,
}

/// `data/model/learned.txt`: the heads, and each n-gram's weight for every head (in the heads'
/// order), one vocabulary for all (the n-grams of the models overlap almost entirely).
#[derive(Debug, Clone, PartialEq)]
pub struct Models {
    pub principles: Vec<Head>,
    pub grams: HashMap<String, Vec<i64>>,
}

/// What the judge reads of a model, whichever form holds it: `Models` (trained, or given by
/// `with_models`) or `Packed` (the embedded one).
pub trait Weights {
    /// The heads, in the weights' order.
    fn heads(&self) -> &[Head];
    /// A number naming n-gram `g` in the vocabulary (the same for the same n-gram, another for
    /// another one, while this model is borrowed; numbers of two models are not comparable),
    /// `None` when the vocabulary does not hold it.
    fn id(&self, g: &str) -> Option<usize>;
    /// The weights of n-gram `g`, which `id` named `id`, into `out` (cleared), one per head.
    /// Only for an `id` this model's `id(g)` returned: another number may panic (`Packed`) or
    /// give an empty row (`Models`).
    fn row_of(&self, g: &str, id: usize, out: &mut Vec<i64>);
    /// The weight of n-gram `g` (named `id`, as for `row_of`) for head `k`; 0 past the heads.
    fn weight_of(&self, g: &str, id: usize, k: usize) -> i64;

    /// A bound on the numbers `id` gives (all below it), if they are dense enough that a bit
    /// per number is cheaper than a hash set: `Packed`'s, the n-grams' places.
    fn id_bound(&self) -> Option<usize> {
        None
    }

    /// `id` of each feature's key, in order (a model may find a run of n-grams that begin
    /// alike faster than one by one: `Packed`).
    fn ids(&self, feats: &[Feature<'_>]) -> Vec<Option<usize>> {
        feats.iter().map(|(g, _)| self.id(g)).collect()
    }

    /// The weights of n-gram `g` into `out`, one per head; `false` (and `out` untouched) when
    /// the vocabulary does not hold it.
    fn row(&self, g: &str, out: &mut Vec<i64>) -> bool {
        let Some(id) = self.id(g) else {
            return false;
        };
        self.row_of(g, id, out);
        true
    }

    /// The weight of n-gram `g` for head `k` (0: not in the vocabulary, or past the heads).
    fn weight(&self, g: &str, k: usize) -> i64 {
        self.id(g).map_or(0, |id| self.weight_of(g, id, k))
    }

    /// Every head's score for `text` (folded): bias plus the weight of each distinct n-gram.
    fn scores(&self, text: &str) -> Vec<i64> {
        self.scores_of(&features(text))
    }

    /// Every head's score for a text's `features` (what `features` returned for it).
    fn scores_of(&self, features: &[Feature<'_>]) -> Vec<i64> {
        Summed::new(self, features).scores(self.heads())
    }
}

/// A text's features looked up in a model and summed: `ids[i]` the vocabulary's number for
/// feature `i` (`None` for one it does not hold), and per head the sum of the distinct features'
/// weights. No row of weights is kept: one feature's weight for one head is read again only
/// where a hit's evidence is looked for (`weight`).
pub struct Summed {
    ids: Vec<Option<usize>>,
    /// Per head, the exact sum of the distinct features' weights (`i128`: no text's sum can
    /// overflow it, whatever the weights; the scores clamp it to `i64`).
    sums: Vec<i128>,
}

impl Summed {
    pub fn new<W: Weights + ?Sized>(m: &W, feats: &[Feature<'_>]) -> Summed {
        let heads = m.heads().len();
        let mut row = Vec::with_capacity(heads);
        // Each feature is looked up once (its id); a repeated one is found again by that number,
        // not by its text (hashing every feature's text twice was a fifth of judging a reply
        // with the customer's line): by a bit per vocabulary number where the numbers are dense
        // (~19,000 n-grams: 2.4 KB), else by a hash set.
        let bound = m.id_bound().unwrap_or(0);
        let mut bits = vec![0u64; bound.div_ceil(64)];
        let mut seen: HashSet<usize, FxBuild> = HashSet::default();
        let mut first_time = |id: usize| {
            if id < bound {
                let (word, bit) = (id / 64, 1u64 << (id % 64));
                let new = bits[word] & bit == 0;
                bits[word] |= bit;
                new
            } else {
                seen.insert(id)
            }
        };
        // Each distinct row is added to the sums as it is read, not kept for a second pass.
        let mut sums = vec![0i128; heads];
        let ids = m.ids(feats);
        for ((g, _), id) in feats.iter().zip(&ids) {
            if let Some(id) = *id {
                if first_time(id) {
                    m.row_of(g, id, &mut row);
                    for (s, w) in sums.iter_mut().zip(&row) {
                        *s += i128::from(*w);
                    }
                }
            }
        }
        Summed { ids, sums }
    }

    /// How many of the features (counted as they occur) the vocabulary holds.
    pub fn known(&self) -> usize {
        self.ids.iter().filter(|a| a.is_some()).count()
    }

    /// Feature `i`'s weight for head `k`. `m` and `feats` must be the model and features these
    /// sums were made of (`new`); `None` for a feature the vocabulary does not hold, or past
    /// the features.
    pub fn weight<W: Weights + ?Sized>(
        &self,
        m: &W,
        feats: &[Feature<'_>],
        i: usize,
        k: usize,
    ) -> Option<i64> {
        let id = (*self.ids.get(i)?)?;
        Some(m.weight_of(&feats.get(i)?.0, id, k))
    }

    /// Every head's score: its bias plus the weight of each distinct n-gram (each row once),
    /// clamped to `i64`.
    pub fn scores(&self, heads: &[Head]) -> Vec<i64> {
        heads
            .iter()
            .enumerate()
            .map(|(k, h)| {
                let s = i128::from(h.bias) + self.sums.get(k).copied().unwrap_or(0);
                s.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
            })
            .collect()
    }
}

impl Weights for Models {
    fn heads(&self) -> &[Head] {
        &self.principles
    }
    /// Where the vocabulary keeps `g` (its key's address: distinct keys, distinct addresses).
    fn id(&self, g: &str) -> Option<usize> {
        self.grams
            .get_key_value(g)
            .map(|(k, _)| k.as_ptr() as usize)
    }
    fn row_of(&self, g: &str, _: usize, out: &mut Vec<i64>) {
        out.clear();
        if let Some(w) = self.grams.get(g) {
            out.extend_from_slice(w);
        }
    }
    /// A hash of `g` per call: `Models` serves `make train` and `make eval`, not the app.
    fn weight_of(&self, g: &str, _: usize, k: usize) -> i64 {
        self.grams
            .get(g)
            .and_then(|w| w.get(k))
            .copied()
            .unwrap_or(0)
    }
}

impl Models {
    /// Every head's score for `text` (folded): bias plus the weight of each distinct n-gram.
    pub fn scores(&self, text: &str) -> Vec<i64> {
        Weights::scores(self, text)
    }
}

/// Every char 1..=`MAX_GRAM`-gram of `text` as a byte range, skipping grams that are only
/// whitespace (and, with `LATIN_CHARS` off, grams holding an ASCII letter: Latin text is read
/// as words, `words`).
pub fn grams(text: &str) -> Vec<(usize, usize)> {
    // Each char once: where it starts, whether it is whitespace, whether an ASCII letter (a
    // gram's are its chars': read per char, not again per gram).
    let chars: Vec<(usize, bool, bool)> = text
        .char_indices()
        .map(|(i, c)| (i, c.is_whitespace(), c.is_ascii_alphabetic()))
        .collect();
    let end = |k: usize| chars.get(k).map_or(text.len(), |c| c.0);
    let mut out = Vec::with_capacity(chars.len() * MAX_GRAM);
    for (i, &(start, ..)) in chars.iter().enumerate() {
        let (mut blank, mut latin) = (true, false);
        for (k, &(_, space, letter)) in chars.iter().enumerate().skip(i).take(MAX_GRAM) {
            blank &= space;
            latin |= letter;
            if blank || !LATIN_CHARS && latin {
                continue;
            }
            out.push((start, end(k + 1)));
        }
    }
    out
}

// The feature switches, as measured (2026-12-04, `make eval --fresh`; tuning out of fold /
// validation macro-F1; char n-grams alone 0.837 / 0.824): words, pairs and stems without Latin
// n-grams 0.838 / 0.826 (the one kept: the model also the smallest); with Latin n-grams too
// 0.839 / 0.823; without pairs 0.837 / 0.825; without stems 0.836 / 0.825 (all with words kept
// from 3 tuning replies; from 2, `src/learn.rs`: 0.840 / 0.832).
/// Whether Latin text is read as words (`words`).
pub const WORDS: bool = true;
/// Whether Latin letters are read as char n-grams too (besides words).
pub const LATIN_CHARS: bool = false;
/// Whether word pairs are read (besides single words).
pub const BIGRAMS: bool = true;
/// Whether a word loses a common English suffix (`stem`).
pub const STEM: bool = true;
/// The longest word (in bytes) read as a word feature; longer ones are not read.
const MAX_WORD: usize = 24;

/// How a word's feature key begins (`word_key`); no char n-gram begins so (Latin letters are
/// not read as n-grams).
pub const WORD_PREFIX: &str = "w/";

/// A word's feature key: `w/WORD/` or `w/WORD WORD/`, never a char n-gram (those are at most
/// `MAX_GRAM` chars; a key is at least four).
fn word_key(words: &[&String]) -> String {
    let mut k = String::from(WORD_PREFIX);
    for (i, w) in words.iter().enumerate() {
        if i > 0 {
            k.push(' ');
        }
        k.push_str(w);
    }
    k.push('/');
    k
}

/// A (lower-case) English word without a common suffix: `refunds` → `refund`, `checking` →
/// `check`, `delayed` → `delay`, `replies` → `reply`, `boxes` → `box`; words of three letters or
/// fewer left as they are. A key, not a dictionary form: it only has to be the same for the
/// forms of a word.
pub fn stem(w: &str) -> String {
    let w = w.strip_suffix("'s").unwrap_or(w);
    if !STEM {
        return w.to_string();
    }
    let keep = |s: &str| s.len() >= 3;
    if let Some(s) = w.strip_suffix("ies").filter(|s| keep(s)) {
        return format!("{s}y");
    }
    if let Some(s) = w
        .strip_suffix("es")
        .filter(|s| keep(s) && ["s", "x", "z", "ch", "sh"].iter().any(|e| s.ends_with(e)))
    {
        return s.to_string();
    }
    for suffix in ["ing", "ed", "ly", "s"] {
        if let Some(s) = w.strip_suffix(suffix).filter(|s| keep(s)) {
            if suffix == "s" && (s.ends_with('s') || s.ends_with('u') || s.ends_with('i')) {
                break;
            }
            return s.to_string();
        }
    }
    w.to_string()
}

/// The words of a folded text (ASCII letters with inner apostrophes; a run of digits is the
/// word `0`), each with its byte range and whether only blanks part it from the word before.
fn word_spans(text: &str) -> Vec<(usize, usize, bool)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut joined = false;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphanumeric() {
            let start = i;
            let digit = c.is_ascii_digit();
            while i < b.len()
                && (if digit {
                    b[i].is_ascii_digit()
                } else {
                    b[i].is_ascii_alphabetic()
                        || (b[i] == b'\'' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic())
                })
            {
                i += 1;
            }
            out.push((start, i, joined));
            joined = true;
        } else {
            if c != b' ' {
                joined = false;
            }
            i += 1;
        }
    }
    out
}

/// The word features of a folded text: each word (`stem`med) and, with `BIGRAMS`, each pair of
/// words only blanks part, as (key, byte range), in order of where they start.
pub fn words(text: &str) -> Vec<(String, (usize, usize))> {
    if !WORDS {
        return Vec::new();
    }
    let spans = word_spans(text);
    let norm: Vec<Option<String>> = spans
        .iter()
        .map(|&(a, e, _)| {
            let w = &text[a..e];
            if w.as_bytes()[0].is_ascii_digit() {
                Some("0".to_string())
            } else if w.len() > MAX_WORD {
                None
            } else {
                Some(stem(w))
            }
        })
        .collect();
    let mut out = Vec::with_capacity(spans.len() * 2);
    for (i, &(a, e, joined)) in spans.iter().enumerate() {
        let Some(w) = &norm[i] else { continue };
        // The pair first: the features come in order of where they start.
        if BIGRAMS && joined && i > 0 {
            if let Some(p) = &norm[i - 1] {
                out.push((word_key(&[p, w]), (spans[i - 1].0, e)));
            }
        }
        out.push((word_key(&[w]), (a, e)));
    }
    out
}

/// A feature of a text: its key (a char n-gram of the text, or a word key `w/…/`) and the byte
/// range it was read from.
pub type Feature<'a> = (std::borrow::Cow<'a, str>, (usize, usize));

/// Every feature of a folded text, as (key, byte range): its char n-grams (`grams`), then its
/// words (`words`), each part in order of where they start. The features of training and
/// scoring alike.
pub fn features(text: &str) -> Vec<Feature<'_>> {
    let (grams, words) = (grams(text), words(text));
    // Both parts' room at once: growing the list for the words copied all ~600 n-grams of a
    // 200-char reply (~1 µs of ~68 with the customer's line).
    let mut out: Vec<Feature<'_>> = Vec::with_capacity(grams.len() + words.len());
    out.extend(
        grams
            .into_iter()
            .map(|(a, b)| (std::borrow::Cow::Borrowed(&text[a..b]), (a, b))),
    );
    out.extend(
        words
            .into_iter()
            .map(|(k, span)| (std::borrow::Cow::Owned(k), span)),
    );
    out
}

/// Read the text form (`data/model/learned.txt`, what `write` makes): `#` comment lines, then
/// one line per head, `ID BIAS THRESHOLD W1 W2 … WN` (space-separated integers, hundredths;
/// `0`: the n-gram weighs nothing for this head), then a line `--`, then the N n-grams, one per
/// line, sorted and distinct, with `\\`, `\n` and `\r` for a backslash, a line feed and a
/// carriage return (a reply's n-grams may span a line break). Linear in the length of `src`;
/// `Err` for anything but what `write` makes (a missing `--` line, a number that does not parse,
/// a head with more or fewer weights than there are n-grams, an unknown escape, n-grams out of
/// order or repeated).
pub fn parse(src: &str) -> Result<Models, String> {
    let (head, tail) = src
        .split_once("\n--\n")
        .ok_or("learned: no `--` line before the n-grams")?;
    let mut names: Vec<String> = Vec::new();
    for line in tail.split_terminator('\n') {
        let g = unescape(line)?;
        if names.last().is_some_and(|last| *last >= g) {
            return Err(format!(
                "learned: the n-gram {g:?} is out of order or repeated"
            ));
        }
        names.push(g);
    }
    let mut principles = Vec::new();
    // Head by head, then n-gram by n-gram: the weights as the file holds them.
    let mut columns: Vec<Vec<i64>> = Vec::new();
    for line in head
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut f = line.split(' ');
        let id = f.next().unwrap_or_default().to_string();
        let mut num = || -> Result<i64, String> {
            f.next()
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("learned: {id}: a number expected"))
        };
        let (bias, threshold) = (num()?, num()?);
        let weights = (0..names.len())
            .map(|_| num())
            .collect::<Result<Vec<_>, _>>()?;
        if f.next().is_some() {
            return Err(format!("learned: {id}: more weights than n-grams"));
        }
        principles.push(Head {
            id,
            bias,
            threshold,
        });
        columns.push(weights);
    }
    let grams = names
        .into_iter()
        .enumerate()
        .map(|(j, g)| (g, columns.iter().map(|c| c[j]).collect()))
        .collect();
    Ok(Models { principles, grams })
}

/// Write the text form (`make train`): `comment` (one `#` line per line), then `models`. `Err`
/// for an n-gram the form cannot hold (an empty one) or one without a weight for every head.
pub fn write(comment: &str, models: &Models) -> Result<String, String> {
    use std::fmt::Write as _;
    let mut grams: Vec<(&String, &Vec<i64>)> = models.grams.iter().collect();
    grams.sort_unstable_by_key(|(g, _)| *g);
    let heads = models.principles.len();
    if let Some((g, _)) = grams.iter().find(|(g, w)| g.is_empty() || w.len() != heads) {
        return Err(format!("learned: the n-gram {g:?} cannot be written"));
    }
    let mut out = String::new();
    for l in comment.lines() {
        let _ = writeln!(out, "# {l}");
    }
    for (k, h) in models.principles.iter().enumerate() {
        if h.id.is_empty() || h.id.contains([' ', '\n', '#']) {
            return Err(format!("learned: the head {:?} cannot be written", h.id));
        }
        let _ = write!(out, "{} {} {}", h.id, h.bias, h.threshold);
        for (_, w) in &grams {
            let _ = write!(out, " {}", w[k]);
        }
        out.push('\n');
    }
    out.push_str("--\n");
    for (g, _) in &grams {
        for c in g.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// An n-gram as written (see `parse`).
fn unescape(line: &str) -> Result<String, String> {
    let mut out = String::with_capacity(line.len());
    let mut cs = line.chars();
    while let Some(c) = cs.next() {
        out.push(match c {
            '\\' => match cs.next() {
                Some('\\') => '\\',
                Some('n') => '\n',
                Some('r') => '\r',
                _ => return Err(format!("learned: a bad escape in the n-gram {line:?}")),
            },
            c => c,
        });
    }
    if out.is_empty() {
        return Err("learned: an empty n-gram".to_string());
    }
    Ok(out)
}

/// The packed form's first bytes.
const MAGIC: &[u8; 4] = b"KLM4";
/// A weight the packed form keeps in its exceptions (outside -127..=127 units).
const ESCAPE: i8 = i8::MIN;

/// The packed form of `models` (little-endian; read in place by `Packed`, no text to parse):
///
/// ```text
/// "KLM4"  u8 H  H × (u8 len, id, i64 bias, i64 threshold, i64 unit)
/// u32 N   N × (u8 P, u8 S), then the N suffixes' UTF-8: the n-grams, sorted, each as the P
///         chars it shares with the one before and its S chars after them (front coding: the
///         sorted n-grams share their first chars, ~9 KB brotli less than whole n-grams; counts
///         in chars, all before the suffixes, 3.2 KB less than byte counts beside each, #17)
/// N × H i8: the weights in their head's units, n-gram by n-gram (-128: in the exceptions)
/// u32 E   E × (u32 n-gram × H + head, i64 weight), in order
/// ```
///
/// A head's unit is the greatest common divisor of its weights (1 if it has none): `make
/// train`'s weights are multiples of the head's quantum, so a byte holds 127 quanta, not 127
/// hundredths, and the exceptions all but vanish (3.6 KB brotli less at a quantum of 12 for
/// every head, #17). Lossless: every weight is kept exactly (one outside -127..=127 units as an
/// exception), so the judge reads the same model from either form. `Err` for what the form
/// cannot hold (more than 255 heads, an id over 255 bytes, an n-gram sharing or adding more than
/// 255 chars, an empty n-gram, a row of the wrong length).
pub fn pack(models: &Models) -> Result<Vec<u8>, String> {
    let h = models.principles.len();
    let too_long = |what: &str, s: &str| format!("learned: the {what} {s:?} cannot be packed");
    let mut out = MAGIC.to_vec();
    out.push(u8::try_from(h).map_err(|_| "learned: more than 255 heads".to_string())?);
    let mut grams: Vec<(&String, &Vec<i64>)> = models.grams.iter().collect();
    grams.sort_unstable_by_key(|(g, _)| *g);
    // Each head's unit: the gcd of its weights (a row of the wrong length is refused below).
    let gcd = |mut a: u64, mut b: u64| {
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    };
    let units: Vec<i64> = (0..h)
        .map(|k| {
            let g = grams.iter().fold(0, |g, (_, w)| {
                gcd(g, w.get(k).map_or(0, |x| x.unsigned_abs()))
            });
            i64::try_from(g).unwrap_or(1).max(1)
        })
        .collect();
    for (head, unit) in models.principles.iter().zip(&units) {
        out.push(u8::try_from(head.id.len()).map_err(|_| too_long("head", &head.id))?);
        out.extend_from_slice(head.id.as_bytes());
        out.extend_from_slice(&head.bias.to_le_bytes());
        out.extend_from_slice(&head.threshold.to_le_bytes());
        out.extend_from_slice(&unit.to_le_bytes());
    }
    let n = u32::try_from(grams.len()).map_err(|_| "learned: too many n-grams".to_string())?;
    out.extend_from_slice(&n.to_le_bytes());
    let mut prev: &str = "";
    let mut suffixes: Vec<u8> = Vec::new();
    for (g, w) in &grams {
        if g.is_empty() || w.len() != h {
            return Err(too_long("n-gram", g));
        }
        let shared = g
            .chars()
            .zip(prev.chars())
            .take_while(|(x, y)| x == y)
            .count();
        let chars = g.chars().count();
        out.push(u8::try_from(shared).map_err(|_| too_long("n-gram", g))?);
        out.push(u8::try_from(chars - shared).map_err(|_| too_long("n-gram", g))?);
        let at = g.char_indices().nth(shared).map_or(g.len(), |(i, _)| i);
        suffixes.extend_from_slice(&g.as_bytes()[at..]);
        prev = g;
    }
    out.extend_from_slice(&suffixes);
    let mut exceptions: Vec<(u32, i64)> = Vec::new();
    for (j, (_, w)) in grams.iter().enumerate() {
        for (k, &x) in w.iter().enumerate() {
            match i8::try_from(x / units[k]) {
                Ok(b) if b != ESCAPE => out.push(b as u8),
                _ => {
                    let at = u32::try_from(j * h + k)
                        .map_err(|_| "learned: too many weights".to_string())?;
                    exceptions.push((at, x));
                    out.push(ESCAPE as u8);
                }
            }
        }
    }
    out.extend_from_slice(&(exceptions.len() as u32).to_le_bytes());
    for (at, x) in exceptions {
        out.extend_from_slice(&at.to_le_bytes());
        out.extend_from_slice(&x.to_le_bytes());
    }
    Ok(out)
}

/// The packed form (`pack`), read in place but for the n-grams: opening it writes them out
/// whole (one pass over their front coding, ~100 KB) and indexes them by hash, so that each of
/// a reply's n-grams is found with one hash and about 1.4 probes (a binary search in the ~13,000
/// sorted n-grams took a quarter of judging a reply); the weights are read where they lie.
#[derive(Debug)]
pub struct Packed<'a> {
    principles: Vec<Head>,
    /// Each head's unit: a weight is its byte times its head's unit (`pack`).
    units: Vec<i64>,
    /// Where each n-gram ends in `text`.
    ends: Vec<u32>,
    text: Vec<u8>,
    /// Open addressing (linear probing) over `fx::hash` of each n-gram: n-gram index + 1, or 0
    /// for an empty slot; a power of two at least twice the n-grams, so a miss ends soon.
    index: Vec<u32>,
    /// The char n-grams again, by their chars (`Chars`): a reply's n-grams that begin at one
    /// char are found in one walk.
    chars: Chars,
    weights: &'a [u8],
    exceptions: &'a [u8],
}

/// The length of the UTF-8 char a byte leads (0: not a lead byte).
fn utf8_len(b: u8) -> usize {
    match b {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 0,
    }
}

/// The vocabulary's char n-grams as a trie (every word key, `w/…/`, is left to `Packed::find`):
/// a node per distinct prefix, its children in one open-addressing table keyed by (node, char),
/// so a step is one multiply and nearly always one probe of a `u64`, with no bytes compared.
#[derive(Debug, Default)]
struct Chars {
    /// `char | parent << 21 | child << 42`; 0 for an empty slot (no child is the root).
    slots: Vec<u64>,
    /// Per node: the n-gram it ends, + 1, or 0 for a prefix alone.
    ends: Vec<u32>,
}

impl Chars {
    const ROOT: u32 = 0;
    /// Nodes are numbered below this (21 bits in a slot).
    const MAX_NODES: usize = 1 << 21;
    const CHAR_BITS: u32 = 21;
    /// A slot's key bits: the char and the parent node.
    const KEY: u64 = (1 << (2 * Self::CHAR_BITS)) - 1;

    /// The trie of `grams` (n-gram `j` the `j`-th); empty (so unused) if a gram is not UTF-8 or
    /// the nodes would not fit a slot.
    fn new<'g>(grams: impl Iterator<Item = &'g [u8]>) -> Chars {
        let mut t = Chars {
            slots: vec![0; 1024],
            ends: vec![0],
        };
        for (j, g) in grams.enumerate() {
            if g.starts_with(WORD_PREFIX.as_bytes()) {
                continue;
            }
            let Ok(g) = std::str::from_utf8(g) else {
                return Chars::default();
            };
            let mut node = Self::ROOT;
            for c in g.chars() {
                node = match t.step(node, c) {
                    Some(next) => next,
                    None => {
                        let next = t.ends.len();
                        if next >= Self::MAX_NODES {
                            return Chars::default();
                        }
                        t.ends.push(0);
                        t.insert(node, c, next as u32);
                        next as u32
                    }
                };
            }
            t.ends[node as usize] = j as u32 + 1;
        }
        t
    }

    fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The first slot to probe for (`node`, `c`), and the slot's key bits.
    fn key(&self, node: u32, c: char) -> (usize, u64) {
        let key = u64::from(c) | u64::from(node) << Self::CHAR_BITS;
        (Self::slot_of(key) & (self.slots.len() - 1), key)
    }

    /// Fibonacci hashing: the product's high bits, which depend on every bit of the key.
    fn slot_of(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as usize
    }

    fn insert(&mut self, node: u32, c: char, child: u32) {
        // At most half full (a link per node but the root's), so a miss ends soon.
        if 2 * self.ends.len() > self.slots.len() {
            let grown = vec![0; 2 * self.slots.len()];
            for slot in std::mem::replace(&mut self.slots, grown) {
                if slot != 0 {
                    self.put(slot);
                }
            }
        }
        let (_, key) = self.key(node, c);
        self.put(key | u64::from(child) << (2 * Self::CHAR_BITS));
    }

    /// Put a link in the first free slot from its key's.
    fn put(&mut self, slot: u64) {
        let mask = self.slots.len() - 1;
        let mut at = Self::slot_of(slot & Self::KEY) & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = slot;
    }

    /// The node after `node` by `c`, if an n-gram continues so.
    fn step(&self, node: u32, c: char) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let (mut at, key) = self.key(node, c);
        let mask = self.slots.len() - 1;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            if slot & Self::KEY == key {
                return Some((slot >> (2 * Self::CHAR_BITS)) as u32);
            }
            at = (at + 1) & mask;
        }
    }

    /// The n-gram `node` ends, if any.
    fn gram(&self, node: u32) -> Option<usize> {
        (*self.ends.get(node as usize)? as usize).checked_sub(1)
    }
}

#[cfg(test)]
impl Packed<'_> {
    /// Whether the char n-grams are held as a trie (`Chars`): tests of `ids` check they are.
    pub fn walks_chars(&self) -> bool {
        !self.chars.is_empty()
    }
}

/// A little-endian reader over the packed form.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        if self.0.len() < n {
            return Err("learned: the packed form is cut short".to_string());
        }
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        Ok(a)
    }
    fn u8(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }
    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().unwrap_or([0; 4]),
        ))
    }
    fn i64(&mut self) -> Result<i64, String> {
        Ok(i64::from_le_bytes(
            self.take(8)?.try_into().unwrap_or([0; 8]),
        ))
    }
}

impl<'a> Packed<'a> {
    /// Open the packed form; `Err` for bytes `pack` did not make.
    pub fn read(bytes: &'a [u8]) -> Result<Packed<'a>, String> {
        let mut r = Reader(bytes);
        if r.take(4)? != MAGIC {
            return Err("learned: not the packed form".to_string());
        }
        let h = r.u8()? as usize;
        let mut principles = Vec::with_capacity(h);
        let mut units = Vec::with_capacity(h);
        for _ in 0..h {
            let len = r.u8()? as usize;
            let id = std::str::from_utf8(r.take(len)?)
                .map_err(|_| "learned: a head's id is not UTF-8".to_string())?
                .to_string();
            let (bias, threshold, unit) = (r.i64()?, r.i64()?, r.i64()?);
            units.push(unit);
            principles.push(Head {
                id,
                bias,
                threshold,
            });
        }
        let n = r.u32()? as usize;
        // No more n-grams than the bytes left could code (2 each): a bad count asks for no
        // huge allocation.
        let mut ends = Vec::with_capacity(n.min(r.0.len() / 2));
        let counts = r.take(
            n.checked_mul(2)
                .ok_or_else(|| "learned: too many n-grams".to_string())?,
        )?;
        let mut text: Vec<u8> = Vec::new();
        let mut start = 0;
        for pair in counts.chunks_exact(2) {
            let (shared, len) = (pair[0] as usize, pair[1] as usize);
            // The bytes of the first `shared` chars of the n-gram before.
            let mut cut = 0;
            for _ in 0..shared {
                let step = text.get(start + cut).map_or(0, |&b| utf8_len(b));
                if step == 0 || start + cut + step > text.len() {
                    return Err("learned: an n-gram shares more than the one before".to_string());
                }
                cut += step;
            }
            let next = text.len();
            text.extend_from_within(start..start + cut);
            for _ in 0..len {
                let step = r.0.first().map_or(0, |&b| utf8_len(b));
                if step == 0 {
                    return Err("learned: an n-gram is not UTF-8".to_string());
                }
                text.extend_from_slice(r.take(step)?);
            }
            if std::str::from_utf8(&text[next..]).is_err() {
                return Err("learned: an n-gram is not UTF-8".to_string());
            }
            // Shared prefixes copy at most 255 chars from 2 bytes of counts: n-grams far longer
            // than the bytes that code them are no model (and ask for no huge allocation).
            if text.len() > 64 * bytes.len() {
                return Err("learned: the n-grams are too long".to_string());
            }
            // Sorted and distinct, as `pack` writes them: a repeated n-gram would shadow its twin
            // in the index, and the front coding relies on the order.
            if next > 0 && text[next..] <= text[start..next] || len == 0 {
                return Err("learned: the n-grams are not sorted".to_string());
            }
            start = next;
            let end = u32::try_from(text.len())
                .map_err(|_| "learned: the n-grams are too long".to_string())?;
            ends.push(end);
        }
        let too_many = || "learned: the packed form is cut short".to_string();
        let weights = r.take(n.checked_mul(h).ok_or_else(too_many)?)?;
        let e = r.u32()? as usize;
        let exceptions = r.take(e.checked_mul(12).ok_or_else(too_many)?)?;
        if !r.0.is_empty() {
            return Err("learned: bytes after the packed form".to_string());
        }
        let mut p = Packed {
            principles,
            units,
            ends,
            text,
            index: Vec::new(),
            chars: Chars::default(),
            weights,
            exceptions,
        };
        let mut index = vec![0u32; (2 * n).next_power_of_two().max(2)];
        let mask = index.len() - 1;
        for j in 0..n {
            let mut i = fx::hash(p.gram(j)) as usize & mask;
            while index[i] != 0 {
                i = (i + 1) & mask;
            }
            // `n` fits: each n-gram's end is a u32.
            index[i] = j as u32 + 1;
        }
        p.index = index;
        p.chars = Chars::new((0..n).map(|j| p.gram(j)));
        Ok(p)
    }

    /// N-gram `j`'s bytes.
    fn gram(&self, j: usize) -> &[u8] {
        let start = if j == 0 { 0 } else { self.ends[j - 1] as usize };
        &self.text[start..self.ends[j] as usize]
    }

    /// Where n-gram `g` is in the sorted vocabulary.
    fn find(&self, g: &str) -> Option<usize> {
        let mask = self.index.len().checked_sub(1)?;
        let mut i = fx::hash(g.as_bytes()) as usize & mask;
        loop {
            let j = (*self.index.get(i)? as usize).checked_sub(1)?;
            if self.gram(j) == g.as_bytes() {
                return Some(j);
            }
            i = (i + 1) & mask;
        }
    }

    /// N-gram `j`'s weight for head `k`.
    fn at(&self, j: usize, k: usize) -> i64 {
        let at = j * self.units.len() + k;
        let b = self.weights[at] as i8;
        if b != ESCAPE {
            return i64::from(b).saturating_mul(self.units[k]);
        }
        // The exceptions are in order of `at`: binary search (12 bytes each).
        let e = self.exceptions;
        let (mut lo, mut hi) = (0, e.len() / 12);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let rec = &e[mid * 12..mid * 12 + 12];
            let i = u32::from_le_bytes(rec[..4].try_into().unwrap_or([0; 4])) as usize;
            match i.cmp(&at) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => {
                    return i64::from_le_bytes(rec[4..].try_into().unwrap_or([0; 8]))
                }
            }
        }
        0
    }

    /// The models as `Models` (tests: the packed form holds exactly what the text form does).
    pub fn to_models(&self) -> Models {
        let h = self.principles.len();
        let grams = (0..self.ends.len())
            .map(|j| {
                let g = String::from_utf8_lossy(self.gram(j)).into_owned();
                (g, (0..h).map(|k| self.at(j, k)).collect())
            })
            .collect();
        Models {
            principles: self.principles.clone(),
            grams,
        }
    }
}

impl Weights for Packed<'_> {
    fn heads(&self) -> &[Head] {
        &self.principles
    }
    /// Where `g` is in the sorted vocabulary.
    fn id(&self, g: &str) -> Option<usize> {
        self.find(g)
    }
    fn id_bound(&self) -> Option<usize> {
        Some(self.ends.len())
    }
    /// The char n-grams by a walk over their chars, continued from the feature before when
    /// its key begins this one's (`features` lists a char's 1-, 2- and 3-grams in a row): one
    /// probe of integers per char, and none past a char no n-gram continues with (a hash of the
    /// key and a comparison of its bytes each, by `find`, were a seventh of judging a reply with
    /// the customer's line). Words by `find`.
    fn ids(&self, feats: &[Feature<'_>]) -> Vec<Option<usize>> {
        let mut out = Vec::with_capacity(feats.len());
        // The key before and the node its walk reached (`None`: no n-gram begins so).
        let mut last: Option<(&str, Option<u32>)> = None;
        for (g, _) in feats {
            if self.chars.is_empty() || g.starts_with(WORD_PREFIX) {
                out.push(self.find(g));
                continue;
            }
            let (mut node, rest) = match last {
                Some((k, node)) if g.starts_with(k) => (node, &g[k.len()..]),
                _ => (Some(Chars::ROOT), &g[..]),
            };
            for c in rest.chars() {
                node = node.and_then(|at| self.chars.step(at, c));
            }
            last = Some((g, node));
            out.push(node.and_then(|at| self.chars.gram(at)));
        }
        out
    }
    fn row_of(&self, _: &str, j: usize, out: &mut Vec<i64>) {
        let h = self.principles.len();
        out.clear();
        // A row with no exception (nearly all) is its bytes times the units, in one pass the
        // compiler vectorises; `at` looks each exception up.
        match self.weights.get(j * h..j * h + h) {
            Some(bytes) if !bytes.contains(&(ESCAPE as u8)) => out.extend(
                bytes
                    .iter()
                    .zip(&self.units)
                    .map(|(&b, &u)| i64::from(b as i8).saturating_mul(u)),
            ),
            _ => out.extend((0..h).map(|k| self.at(j, k))),
        }
    }
    fn weight_of(&self, _: &str, j: usize, k: usize) -> i64 {
        if k < self.principles.len() {
            self.at(j, k)
        } else {
            0
        }
    }
}
