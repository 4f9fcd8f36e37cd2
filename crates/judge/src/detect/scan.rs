//! The original text as chars, for the few scans that need case or exact punctuation:
//! words, shouting (runs of words in capitals), rows of "!!!", words in capitals standing alone
//! (acronyms: `jargon::acronyms`). Names are in `names`.

use crate::lexicon::Lexicon;
use crate::text;

/// The original text as chars (full-width ASCII made half-width, case kept), for the few
/// scans that need case or exact punctuation: English names, shouting, rows of "!!!". Plain
/// linear scans (no regex: they run on every reply).
pub(super) struct Scan {
    pub(super) chars: Vec<char>,
}

pub(super) fn is_word_char(c: char) -> bool {
    !text::is_cjk(c) && text::is_alnum(c) || c == '_'
}

impl Scan {
    pub(super) fn new(original: &str) -> Scan {
        Scan {
            chars: original.chars().map(text::half_width).collect(),
        }
    }
    pub(super) fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }
    /// Maximal runs of ASCII letters: `[start, end)` char ranges.
    pub(super) fn words(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < self.chars.len() {
            if self.chars[i].is_ascii_alphabetic() {
                let s = i;
                while i < self.chars.len() && self.chars[i].is_ascii_alphabetic() {
                    i += 1;
                }
                out.push((s, i));
            } else {
                i += 1;
            }
        }
        out
    }
    pub(super) fn word_is(&self, (s, e): (usize, usize), w: &str) -> bool {
        e - s == w.len() && self.chars[s..e].iter().copied().eq(w.chars())
    }
    /// Words in capitals (`[A-Z][A-Z']{2,}`), as char spans.
    pub(super) fn shouts(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        let n = self.chars.len();
        while i < n {
            let c = self.chars[i];
            if is_word_char(c) || c == '\'' {
                let s = i;
                while i < n && (is_word_char(self.chars[i]) || self.chars[i] == '\'') {
                    i += 1;
                }
                let w = &self.chars[s..i];
                let w = &w[..w.len() - w.iter().rev().take_while(|c| **c == '\'').count()];
                if w.len() >= 3
                    && w[0].is_ascii_uppercase()
                    && w.iter().all(|c| c.is_ascii_uppercase() || *c == '\'')
                {
                    out.push((s, s + w.len()));
                }
            } else {
                i += 1;
            }
        }
        out
    }
    /// Words of 2–6 capital letters standing alone (no ASCII letter or digit either side: a
    /// model code, AFG2100, is no acronym; nor one glued to a code's `{`, `-`, `_` or `#`, nor a
    /// placeholder of one letter repeated, XX, nor the first part of a contraction, HAVEN'T), as
    /// char spans.
    pub(super) fn capitals(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        let n = self.chars.len();
        while i < n {
            if self.chars[i].is_ascii_alphanumeric() {
                let s = i;
                while i < n && self.chars[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                let w = &self.chars[s..i];
                // Not part of a code or a placeholder: RF{order_id}, SN-2024, XX路.
                let glued =
                    |c: Option<char>| c.is_some_and(|c| matches!(c, '{' | '}' | '-' | '_' | '#'));
                let code = glued(s.checked_sub(1).and_then(|p| self.at(p))) || glued(self.at(i));
                let contraction = matches!(self.at(i), Some('\'' | '’'))
                    && self.at(i + 1).is_some_and(|c| c.is_ascii_alphabetic());
                let filler = w.iter().all(|c| *c == w[0]);
                if (2..=6).contains(&w.len())
                    && w.iter().all(char::is_ascii_uppercase)
                    && !code
                    && !contraction
                    && !filler
                {
                    out.push((s, i));
                }
            } else {
                i += 1;
            }
        }
        out
    }
    /// Rows of "!!!" (or "?!!!"), as char spans.
    pub(super) fn bangs(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut i = 0;
        let n = self.chars.len();
        while i < n {
            if matches!(self.chars[i], '!' | '?') {
                let s = i;
                while i < n && matches!(self.chars[i], '!' | '?') {
                    i += 1;
                }
                let run = &self.chars[s..i];
                let bangs3 = run.windows(3).any(|w| w.iter().all(|c| *c == '!'));
                let q_then3 = run
                    .iter()
                    .position(|c| *c == '?')
                    .is_some_and(|q| run.len() - q > 3);
                if bangs3 || q_then3 {
                    out.push((s, i));
                }
            } else {
                i += 1;
            }
        }
        out
    }
    /// Shouting: a run of words in capitals ("READ THE LISTING"), not acronyms scattered
    /// through a technical answer ("SSID … DNS"): two in a row, apart only by spaces or
    /// punctuation (or a short capitalised word: "WHY IS THIS"). Char spans of both words.
    pub(super) fn shouting(&self, lex: &Lexicon) -> Vec<(usize, usize)> {
        let shouted: Vec<(usize, usize)> = self
            .shouts()
            .into_iter()
            .filter(|&(s, e)| {
                let w: String = self.chars[s..e]
                    .iter()
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                !lex.acronyms.contains(&w)
            })
            .collect();
        let mut out = Vec::new();
        for pair in shouted.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let between = &self.chars[a.1..b.0];
            if between.len() <= 6
                && between.iter().all(|c| {
                    c.is_whitespace() || c.is_ascii_punctuation() || c.is_ascii_uppercase()
                })
            {
                out.push(a);
                out.push(b);
            }
        }
        out
    }
}
