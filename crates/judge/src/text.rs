//! Text normalisation and segmentation.
//!
//! Matching runs on a *folded* copy of the reply: Traditional → Simplified (fast2s, one char for
//! one char), written Cantonese → Mandarin and typing slips → what was meant (`data/cantonese.txt`,
//! `data/typing.txt`), full-width → half-width, lower case, CJK punctuation → ASCII punctuation. Every byte
//! of the folded text remembers the index (in chars) of the original char it came from, so
//! evidence spans always point into the text exactly as the trainee typed it.

/// A reply folded for matching, with a map back to the original text.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text that lexicons are matched against.
    pub text: String,
    /// For each byte of `text`, the char index in the original text it came from.
    origin: Vec<u32>,
    /// Length of the original text in chars.
    original_chars: usize,
    /// The last Latin run `span` walked to its end: `text[from..to]` is all ASCII letters and
    /// `to` is where the run ends, so many spans inside one long word cost one walk.
    run: std::cell::Cell<(usize, usize)>,
}

/// Full-width ASCII (`Ａ`, `！`, `１`) and the ideographic space to their half-width forms
/// (`kefu_core::width`, which the scenario's model-reply acronyms use too): `fold_char` and the
/// name scan use it.
pub use kefu_core::width::half_width;

/// Fold one char (already converted to Simplified) into the matching alphabet.
fn fold_char(c: char, out: &mut String) {
    let c = half_width(c);
    let c = match c {
        // Other odd spaces.
        '\u{00A0}' | '\u{2002}'..='\u{200A}' => ' ',
        '。' | '｡' => '.',
        '、' | '､' => ',',
        '“' | '”' | '「' | '」' | '『' | '』' | '〝' | '〞' => '"',
        '‘' | '’' | '`' | '´' => '\'',
        '【' | '〔' | '〖' => '[',
        '】' | '〕' | '〗' => ']',
        '《' | '〈' => '<',
        '》' | '〉' => '>',
        '—' | '–' | '―' => '-',
        '〜' => '~',
        '\t' | '\r' => ' ',
        _ => c,
    };
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
    } else if !is_han(c) && c.is_uppercase() {
        out.extend(c.to_lowercase());
    } else {
        out.push(c);
    }
}

/// Written Cantonese folded to Mandarin (`data/cantonese.txt`) and the slips of phone typing
/// folded to what was meant (`data/typing.txt`): each form (simplified, lower case) found by one
/// automaton, leftmost-longest, with what it becomes and when it applies.
struct Dialect {
    ac: crate::ac::Ac,
    to: Vec<(String, Form)>,
}

/// When a form of `Dialect` applies.
#[derive(Clone, Copy, PartialEq)]
enum Form {
    /// Written Cantonese alone (唔好意思): always, and it lets `Beside` forms apply.
    Cantonese,
    /// Cantonese and Mandarin alike (係, 呢): only in a reply that holds a `Cantonese` form.
    Beside,
    /// A typing slip (不好意识, sry): always; one of Latin letters only as a whole word (`u`,
    /// not the u of "sure").
    Typing,
}

fn dialect() -> Option<&'static Dialect> {
    static D: std::sync::OnceLock<Option<Dialect>> = std::sync::OnceLock::new();
    D.get_or_init(|| {
        let (mut from, mut to) = (Vec::new(), Vec::new());
        let files = [
            // Their pairs without the comments (the build's `fold_pairs`).
            (
                include_str!(concat!(env!("OUT_DIR"), "/cantonese.txt")),
                false,
            ),
            (include_str!(concat!(env!("OUT_DIR"), "/typing.txt")), true),
        ];
        for (file, typing) in files {
            // One trimmed pair per line (the build left out blanks and comments).
            for line in file.lines() {
                let (form, pair) = match line.strip_prefix('?') {
                    _ if typing => (Form::Typing, line),
                    Some(rest) => (Form::Beside, rest),
                    None => (Form::Cantonese, line),
                };
                if let Some((f, t)) = pair.split_once(' ') {
                    from.push(fast2s::convert(f.trim()).to_ascii_lowercase());
                    to.push((fast2s::convert(t.trim()), form));
                }
            }
        }
        let ac = crate::ac::Ac::new(crate::ac::MatchKind::LeftmostLongest, &from)?;
        Some(Dialect { ac, to })
    })
    .as_ref()
}

/// `simplified` with its written Cantonese folded to Mandarin and its typing slips to what was
/// meant, and for each char of the result the index of the char of `simplified` it stands for
/// (a form's first char maps to the form's first, its last to its last). `None` when the text
/// holds no form that applies (then 係 and 呢 stay: 關係, 你呢?). Replies and lexicon patterns
/// are folded alike.
fn fold_dialect(simplified: &str) -> Option<(String, Vec<usize>)> {
    let d = dialect()?;
    // Matched in lower case (the same bytes), copied from `simplified` where nothing applies.
    let lower: std::borrow::Cow<str> = if simplified.bytes().any(|c| c.is_ascii_uppercase()) {
        simplified.to_ascii_lowercase().into()
    } else {
        simplified.into()
    };
    let b = lower.as_bytes();
    let whole_word = |s: usize, e: usize| {
        let letter = |i: Option<usize>| {
            i.and_then(|i| b.get(i))
                .is_some_and(u8::is_ascii_alphanumeric)
        };
        !letter(s.checked_sub(1)) && !letter(Some(e))
    };
    let form = |m: &crate::ac::Match| d.to[m.pattern().as_usize()].1;
    let mut found: Vec<crate::ac::Match> =
        d.ac.find(&lower)
            .filter(|m| {
                form(m) != Form::Typing
                    || !lower[m.start()..m.end()].is_ascii()
                    || whole_word(m.start(), m.end())
            })
            .collect();
    if !found.iter().any(|m| form(m) == Form::Cantonese) {
        found.retain(|m| form(m) != Form::Beside);
    }
    if found.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(simplified.len() + 8);
    let mut from = Vec::with_capacity(simplified.len());
    let (mut at, mut ci) = (0, 0);
    for m in found {
        for c in simplified[at..m.start()].chars() {
            out.push(c);
            from.push(ci);
            ci += 1;
        }
        let n = simplified[m.start()..m.end()].chars().count();
        let to = &d.to[m.pattern().as_usize()].0;
        let k = to.chars().count();
        for (j, c) in to.chars().enumerate() {
            out.push(c);
            from.push(ci + if k > 1 { j * (n - 1) / (k - 1) } else { 0 });
        }
        ci += n;
        at = m.end();
    }
    for c in simplified[at..].chars() {
        out.push(c);
        from.push(ci);
        ci += 1;
    }
    Some((out, from))
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let simplified = fast2s::convert(original);
        let dialect = fold_dialect(&simplified);
        let chars = dialect
            .as_ref()
            .map_or(simplified.as_str(), |d| d.0.as_str());
        let mut text = String::with_capacity(chars.len());
        let mut origin = Vec::with_capacity(chars.len());
        for (k, c) in chars.chars().enumerate() {
            let i = dialect.as_ref().map_or(k, |d| d.1[k]);
            let before = text.len();
            fold_char(c, &mut text);
            origin.extend(std::iter::repeat_n(i as u32, text.len() - before));
        }
        Folded {
            text,
            origin,
            original_chars: simplified.chars().count(),
            run: std::cell::Cell::new((0, 0)),
        }
    }

    /// Fold a lexicon pattern the same way as replies (no offsets needed), its Cantonese forms
    /// included, so a cue may be written in either form.
    pub fn fold_pattern(p: &str) -> String {
        // As `new` makes its text, without the map back to the original (the lexicon folds
        // some 25,000 strings when the scorer starts).
        let simplified = fast2s::convert(p);
        let simplified = fold_dialect(&simplified).map_or(simplified, |d| d.0);
        let mut text = String::with_capacity(simplified.len());
        for c in simplified.chars() {
            fold_char(c, &mut text);
        }
        text
    }

    /// Map a byte range of the folded text to a `[start, end)` char range of the original.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        if start >= end || start >= self.origin.len() {
            let at = self
                .origin
                .get(start)
                .map_or(self.original_chars, |&c| c as usize);
            return (at, at);
        }
        // A stem matched inside a Latin word ("expedit" in "expedite") marks the whole word.
        let b = self.text.as_bytes();
        let mut end = end.min(self.origin.len());
        if end < b.len() && b[end - 1].is_ascii_alphabetic() && b[end].is_ascii_alphabetic() {
            let (from, to) = self.run.get();
            if from < to && (from..to).contains(&end) {
                end = to;
            } else {
                let walk_from = end;
                while end < b.len() && b[end].is_ascii_alphabetic() {
                    end = if end == from && from < to {
                        to
                    } else {
                        end + 1
                    };
                }
                self.run.set((walk_from, end));
            }
        }
        // A cue that begins with a contraction ("'ll ship") marks the word it hangs on
        // ("We'll ship", not "'ll ship"). Occurrences are apart (each holds its apostrophe), so
        // the walks back cover each letter once.
        let mut start = start;
        if b[start] == b'\'' {
            while start > 0 && b[start - 1].is_ascii_alphabetic() {
                start -= 1;
            }
        }
        let s = self.origin[start] as usize;
        let e = self.origin[end - 1] as usize + 1;
        (s, e)
    }

    /// The first byte of the folded text that came from original char `c`.
    pub fn byte_of_char(&self, c: usize) -> Option<usize> {
        let i = self.origin.partition_point(|&o| (o as usize) < c);
        (i < self.origin.len()).then_some(i)
    }

    /// Number of chars in the original text.
    pub fn original_len(&self) -> usize {
        self.original_chars
    }
}

/// A byte range of the folded text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seg {
    pub start: usize,
    pub end: usize,
}

impl Seg {
    pub fn contains(&self, pos: usize) -> bool {
        pos >= self.start && pos < self.end
    }
    pub fn slice<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

const ABBREVIATIONS: [&str; 11] = [
    "mr", "mrs", "ms", "dr", "prof", "st", "vs", "jr", "e.g", "i.e", "etc",
];

fn is_sentence_end(text: &str, i: usize, c: char) -> bool {
    match c {
        '!' | '?' | ';' | '\n' | '…' => true,
        '.' => {
            // "1.5", "e.g.", "Mr. Wang", "...": not an end.
            let next = text[i + 1..].chars().next();
            if matches!(next, Some(n) if n.is_ascii_alphanumeric() || n == '.') {
                return false;
            }
            let word: String = text[..i]
                .chars()
                .rev()
                .take(5)
                .take_while(|c| c.is_ascii_alphabetic() || *c == '.')
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let after = text[i + 1..].trim_start_matches(' ');
            if word == "no" {
                // "No. 5" numbers; "No. I can't" ends a sentence.
                return !after.starts_with(|d: char| d.is_ascii_digit());
            }
            // An initial ("J. Smith", "U.S."): one letter other than "I" / "a", then a name.
            let before = text[..i - word.len()].chars().next_back();
            let initial = word.len() == 1
                && word.starts_with(|l: char| l.is_ascii_alphabetic() && l != 'i' && l != 'a')
                && !matches!(before, Some(b) if is_alnum(b) || b == '\'' || b == '.');
            let name_follows = after.len() < text.len() - i - 1
                && after.starts_with(|n: char| n.is_ascii_alphabetic());
            !(ABBREVIATIONS.contains(&word.as_str()) || initial && name_follows)
        }
        _ => false,
    }
}

/// Split folded text into sentences (byte ranges; punctuation stays with its sentence).
pub fn sentences(text: &str) -> Vec<Seg> {
    split(text, is_sentence_end)
}

/// Split folded text into clauses: sentences further cut at commas and colons.
pub fn clauses(text: &str) -> Vec<Seg> {
    split(text, |t, i, c| {
        matches!(c, ',' | ':' | '，' | '~') || is_dash(t, i, c) || is_sentence_end(t, i, c)
    })
}

/// A dash between clauses ("i'm curious - how did you …", "curious- how'd you"; "—" is folded
/// to "-"), not a hyphen inside a word ("co-worker") or a minus sign ("-5").
fn is_dash(text: &str, i: usize, c: char) -> bool {
    c == '-'
        && (text[i + 1..].starts_with([' ', '-'])
            || (text[..i].ends_with(' ')
                && !text[i + 1..].starts_with(|d: char| d.is_ascii_digit())))
}

fn split(text: &str, is_end: impl Fn(&str, usize, char) -> bool) -> Vec<Seg> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if is_end(text, i, c) {
            // Swallow runs of closing punctuation ("?!", "...", "?\"").
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if matches!(d, '!' | '?' | '.' | '"' | '\'' | ')' | '…' | '~') {
                    end = j + d.len_utf8();
                    chars.next();
                } else {
                    break;
                }
            }
            push_trimmed(text, start, end, &mut out);
            start = end;
        }
    }
    push_trimmed(text, start, text.len(), &mut out);
    out
}

fn push_trimmed(text: &str, start: usize, end: usize, out: &mut Vec<Seg>) {
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(Seg {
            start: start + lead,
            end: end - trail,
        });
    }
}

/// Does the term found at `text[start..end]` stand on word boundaries? A term that starts with
/// an ASCII letter or digit must not continue a word ("sku" is not in "tasku"); one that ends
/// with one must not run on into a word ("sku" is not in "skunk"), an English plural or
/// possessive ending aside ("SKUs", "battery cabinets", "boxes", "RMA's"). Other terms (Chinese)
/// match anywhere.
pub fn on_word_boundaries(text: &str, start: usize, end: usize) -> bool {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '\'');
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    let term = &text[start..end];
    if alnum(term.chars().next()) && word(text[..start].chars().next_back()) {
        return false;
    }
    if !alnum(term.chars().next_back()) {
        return true;
    }
    let after = &text[end..];
    ["", "s", "es", "'s", "s'"].iter().any(|ending| {
        after
            .strip_prefix(ending)
            .is_some_and(|rest| !word(rest.chars().next()))
    })
}

/// `c.is_alphanumeric()`, without the Unicode table search for ASCII and the common Han
/// ideographs (all letters), which most replies are made of.
pub fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        is_han(c) || c.is_alphanumeric()
    }
}

/// The CJK Unified Ideographs and Extension A: every one is a letter (no case, no table).
fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF)
}

/// Is this char part of a CJK word (Han, kana, hangul)?
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F |
        0x3040..=0x30FF | 0xAC00..=0xD7AF)
}

/// Guess the language of a reply: "zh" when it has any Han text, else "en".
pub fn detect_lang(text: &str) -> &'static str {
    let (mut han, mut latin) = (0usize, 0usize);
    for c in text.chars() {
        if c.is_ascii_alphabetic() {
            latin += 1;
        } else if is_cjk(c) {
            han += 1;
        }
    }
    if han > 0 && han * 4 >= latin.min(8) {
        "zh"
    } else {
        "en"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letter_tests_agree_with_the_unicode_tables() {
        // Every char: the fast paths change no answer.
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            assert_eq!(is_alnum(c), c.is_alphanumeric(), "{c:?}");
            if is_han(c) {
                assert!(!c.is_uppercase(), "{c:?}");
            }
        }
    }

    #[test]
    fn folds_traditional_fullwidth_and_case() {
        let f = Folded::new("對不起，ＳＫＵ Sorry！");
        assert_eq!(f.text, "对不起,sku sorry!");
    }

    /// What of `reply` as typed the first `folded` in its folded text stands for.
    fn as_typed(reply: &str, folded: &str) -> String {
        let f = Folded::new(reply);
        let at = f.text.find(folded).expect("the folded text holds it");
        let (s, e) = f.span(at, at + folded.len());
        reply.chars().skip(s).take(e - s).collect()
    }

    /// Written Cantonese reads as its Mandarin (`data/cantonese.txt`), and its evidence still
    /// points into the reply as typed; 係 and 呢 fold only beside another Cantonese form.
    #[test]
    fn folds_written_cantonese_to_mandarin_with_spans_into_the_reply() {
        let reply = "唔好意思，係速遞公司嗰邊延誤咗，唔係我哋嘅問題";
        let f = Folded::new(reply);
        assert_eq!(f.text, "不好意思,是速递公司那边延误了,不是我们的问题");
        assert_eq!(f.original_len(), reply.chars().count());
        assert_eq!(as_typed(reply, "不好意思"), "唔好意思");
        assert_eq!(as_typed(reply, "那边"), "嗰邊");
        assert_eq!(as_typed(reply, "我们的问题"), "我哋嘅問題");
        // A form of one char to two ("冇" → "没有") and of three to two ("唔該晒" → "多谢").
        assert_eq!(Folded::new("冇問題").text, "没问题");
        assert_eq!(Folded::new("唔該晒").span(0, "多谢".len()), (0, 3));
        // Mandarin keeps its 系 and 呢; in a Cantonese reply 關係 and 系統 stay too.
        assert_eq!(Folded::new("沒關係，你呢？係統").text, "没关系,你呢?系统");
        assert_eq!(Folded::new("冇關係，呢個系統").text, "没有关系,这个系统");
        // A lexicon pattern folds as a reply does.
        assert_eq!(Folded::fold_pattern("(唔好意思|抱歉)"), "(不好意思|抱歉)");
    }

    /// Slips of phone typing read as what was meant (`data/typing.txt`), the evidence still in
    /// the reply as typed; a Latin form only as a whole word, in any case.
    #[test]
    fn folds_typing_slips_to_what_was_meant_with_spans_into_the_reply() {
        let reply = "亲 不好意识 对不qi 马上cha一下";
        let f = Folded::new(reply);
        assert_eq!(f.text, "亲 不好意思 对不起 马上查一下");
        assert_eq!(f.original_len(), reply.chars().count());
        assert_eq!(as_typed(reply, "对不起"), "对不qi");
        assert_eq!(as_typed(reply, "查一下"), "cha一下");
        assert_eq!(
            Folded::new("Sry, ill send U the label tmr. pls dont worry").text,
            "sorry, i'll send you the label tomorrow. please don't worry"
        );
        // Not inside a word, nor a word of its own that a slip would hide.
        assert_eq!(
            Folded::new("Sure, your order ID").text,
            "sure, your order id"
        );
        assert_eq!(Folded::new("在次日送达").text, "在次日送达");
        // Beside written Cantonese, both fold (係 too, as beside any Cantonese form).
        assert_eq!(
            Folded::new("唔好意思 係我哋 sry").text,
            "不好意思 是我们 sorry"
        );
        // Without a Cantonese form, a typing slip does not make 係 fold.
        assert_eq!(Folded::new("不好意识 沒關係").text, "不好意思 没关系");
    }

    #[test]
    fn spans_point_into_the_original() {
        let original = "您好！非常抱歉";
        let f = Folded::new(original);
        let start = f.text.find("抱歉").unwrap();
        let (s, e) = f.span(start, start + "抱歉".len());
        let got: String = original.chars().skip(s).take(e - s).collect();
        assert_eq!(got, "抱歉");
    }

    #[test]
    fn a_stem_inside_a_latin_word_marks_the_whole_word() {
        let original = "I'll EXPEDITE it, 马上expedite。";
        let f = Folded::new(original);
        let cut = |(s, e): (usize, usize)| original.chars().skip(s).take(e - s).collect::<String>();
        let at = f.text.find("expedit").unwrap();
        assert_eq!(cut(f.span(at, at + 7)), "EXPEDITE");
        let at2 = f.text.rfind("expedit").unwrap();
        assert_eq!(cut(f.span(at2, at2 + 7)), "expedite");
        // A whole word, or Chinese text, is left as it is.
        let ma = f.text.find("马上").unwrap();
        assert_eq!(cut(f.span(ma, ma + "马上".len())), "马上");
        assert_eq!(cut(f.span(0, 4)), "I'll");
        // A cue that begins with a contraction marks the word it hangs on (the trainee
        // tester saw "'ll ship" marked in "We'll ship it today").
        let original = "OK. We\u{2019}ll ship it today";
        let f = Folded::new(original);
        let cut = |(s, e): (usize, usize)| original.chars().skip(s).take(e - s).collect::<String>();
        let at = f.text.find("'ll ship").unwrap();
        assert_eq!(cut(f.span(at, at + "'ll ship".len())), "We\u{2019}ll ship");
        assert_eq!(cut(f.span(at + 1, at + "'ll ship".len())), "ll ship");
    }

    #[test]
    fn sentences_and_clauses() {
        let f = Folded::new("Mr. Wang, I'm sorry. The price is 1.5 yuan! 您好,请问?好的。");
        let s: Vec<&str> = sentences(&f.text)
            .iter()
            .map(|s| s.slice(&f.text))
            .collect();
        assert_eq!(
            s,
            vec![
                "mr. wang, i'm sorry.",
                "the price is 1.5 yuan!",
                "您好,请问?",
                "好的."
            ]
        );
        let c = clauses(&f.text);
        assert_eq!(c.len(), 6);
    }

    #[test]
    fn initials_and_numbers_do_not_end_a_sentence() {
        let split = |t: &str| {
            let f = Folded::new(t);
            sentences(&f.text)
                .iter()
                .map(|s| s.slice(&f.text).to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            split("J. Smith here. Your order No. 5 ships today."),
            vec!["j. smith here.", "your order no. 5 ships today."]
        );
        assert_eq!(
            split("No. I can't do that. Dr. Li will call."),
            vec!["no.", "i can't do that.", "dr. li will call."]
        );
        assert_eq!(split("Try plan B."), vec!["try plan b."]);
        assert_eq!(
            split("It isn't. That's hard."),
            vec!["it isn't.", "that's hard."]
        );
        assert_eq!(
            split("I do not know .. have you?"),
            vec!["i do not know ..", "have you?"]
        );
    }

    #[test]
    fn empty_and_odd_input() {
        let f = Folded::new("");
        assert_eq!(f.span(0, 0), (0, 0));
        assert!(sentences("").is_empty());
        let f = Folded::new("İ\u{0}\u{10FFFF}");
        assert_eq!(f.original_len(), 3);
        let (s, e) = f.span(0, f.text.len());
        assert_eq!((s, e), (0, 3));
    }

    #[test]
    fn detects_language() {
        assert_eq!(detect_lang("您好,请问"), "zh");
        assert_eq!(detect_lang("Hello, SKU 123"), "en");
        assert_eq!(detect_lang("您好 ok"), "zh");
    }
}
