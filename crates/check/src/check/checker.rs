//! The checker's state and its diagnostics: where each message goes (`FILE:LINE:COLUMN`),
//! principle ids and texts checked with "did you mean", placeholders and their expansion
//! limits, TOML errors in a trainer's words.

use super::*;

pub(super) struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    pub(super) fn new(src: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    /// 1-based line and column (in chars) of a byte offset; a byte-order mark an editor saved
    /// at the file's start is not a column (editors show none).
    pub(super) fn at(&self, src: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(src.len());
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let mut start = self.starts[line - 1];
        if start == 0 && src.starts_with('\u{feff}') && byte >= 3 {
            start = 3;
        }
        let col = src.get(start..byte).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

/// A checker message: its catalogue key (`check.…` in `data/i18n/*.toml`) and its arguments,
/// written in the checker's language when pushed (`msg!("check.…", name = value)`; a value
/// may be a message itself, written in the same language).
#[derive(Clone)]
pub(crate) struct Msg {
    pub(crate) key: &'static str,
    pub(crate) args: Vec<(&'static str, Arg)>,
}

/// A message's argument: text as it is (a name, a number, TOML quoted from the file), a list
/// (joined as the language writes one: `a, b` in English, `a、b` in Chinese), or a message of
/// its own.
#[derive(Clone)]
pub(crate) enum Arg {
    Text(String),
    List(Vec<String>),
    Msg(Msg),
}

/// A list argument of `msg!` (ids, names, phrases), joined in the message's language.
pub(crate) struct List(pub(crate) Vec<String>);

impl List {
    pub(crate) fn of<T: std::fmt::Display>(items: impl IntoIterator<Item = T>) -> List {
        List(items.into_iter().map(|x| x.to_string()).collect())
    }
}

impl IntoArg for &List {
    fn into_arg(self) -> Arg {
        Arg::List(self.0.clone())
    }
}

/// What `msg!` takes as an argument (by reference): anything displayed, or a message.
pub(crate) trait IntoArg {
    fn into_arg(self) -> Arg;
}
impl<T: std::fmt::Display + ?Sized> IntoArg for &T {
    fn into_arg(self) -> Arg {
        Arg::Text(self.to_string())
    }
}
impl IntoArg for &Msg {
    fn into_arg(self) -> Arg {
        Arg::Msg(self.clone())
    }
}
impl IntoArg for &&Msg {
    fn into_arg(self) -> Arg {
        Arg::Msg((*self).clone())
    }
}

macro_rules! msg {
    ($key:literal $(, $k:ident = $v:expr)* $(,)?) => {
        $crate::check::checker::Msg {
            key: $key,
            args: vec![$((stringify!($k), $crate::check::checker::IntoArg::into_arg(&$v))),*],
        }
    };
}
pub(crate) use msg;

impl Msg {
    /// No words (a part of a message left out), in every language.
    pub(crate) fn nothing() -> Msg {
        Msg {
            key: "",
            args: Vec::new(),
        }
    }

    /// The message in `lang` (English: the words `kefu check` prints).
    pub(crate) fn in_lang(&self, lang: Lang) -> String {
        if self.key.is_empty() {
            return String::new();
        }
        let filled: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    Arg::Text(t) => t.clone(),
                    Arg::List(l) => l.join(if lang.is_zh() { "、" } else { ", " }),
                    Arg::Msg(m) => m.in_lang(lang),
                };
                (*k, v)
            })
            .collect();
        let args: Vec<(&str, &str)> = filled.iter().map(|(k, v)| (*k, v.as_str())).collect();
        kefu_core::i18n::tf(lang, self.key, &args)
    }
}

pub(super) struct Checker<'a> {
    /// The language of the messages (English for `kefu check`; the UI's in the browser).
    pub(super) lang: Lang,
    pub(super) file: &'a str,
    pub(super) src: &'a str,
    pub(super) lines: Lines,
    pub(super) out: Vec<Diagnostic>,
    /// Each of `out`'s messages in English, in its order (the studio's quick fixes read them).
    pub(super) english: Vec<String>,
    /// Per placeholder: how deep its values fill others, and its longest value once filled.
    pub(super) fills: BTreeMap<String, (usize, usize)>,
    /// Texts without a declared language (`text_sev`), said once the whole file is read
    /// (`settle_languages`): (the language, how bad, where, the message).
    pub(super) missing: Vec<(Lang, Severity, usize, Msg)>,
    /// The declared languages some text of the file has.
    pub(super) written: BTreeSet<Lang>,
}

impl Checker<'_> {
    pub(super) fn push(&mut self, sev: Severity, at: usize, said: Msg) {
        let msg = one_line(&said.in_lang(self.lang));
        self.english.push(if self.lang == Lang::En {
            msg.clone()
        } else {
            one_line(&said.in_lang(Lang::En))
        });
        let (line, col) = self.lines.at(self.src, at);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            severity: sev,
            message: msg,
        });
    }
    pub(super) fn err<T>(&mut self, at: &Spanned<T>, msg: Msg) {
        self.push(Severity::Error, at.span().start, msg);
    }
    pub(super) fn warn<T>(&mut self, at: &Spanned<T>, msg: Msg) {
        self.push(Severity::Warning, at.span().start, msg);
    }

    /// A principle id as written in the file, as a `PrincipleId`; an unknown one is an error
    /// with the nearest id ("did you mean") or the list of ids.
    pub(super) fn principle(&mut self, id: &Spanned<String>) -> Option<PrincipleId> {
        let v = id.get_ref();
        if let Some(p) = PrincipleId::parse(v) {
            return Some(p);
        }
        let hint = match principles::by_name(v).or_else(|| principles::nearest(v)) {
            Some(n) => msg!("check.did_you_mean", name = n),
            None => msg!(
                "check.write_one_of",
                list = List::of(principles::all().iter().map(|p| p.id.as_str()))
            ),
        };
        self.err(id, msg!("check.unknown_principle", id = v, hint = hint));
        None
    }

    /// Variants of one line (`say`, `model`, a line's `say`), each with its placeholders known
    /// and its text in every language; `what` names them in messages.
    pub(super) fn variants(
        &mut self,
        list: &[Spanned<RawText>],
        what: &Msg,
        known: &BTreeSet<String>,
        langs: &[Lang],
    ) -> Vec<Loc> {
        list.iter()
            .map(|v| {
                self.placeholders_in(v, known);
                self.text(v, what, langs)
            })
            .collect()
    }
    /// Text in every declared language; unknown language codes are errors.
    pub(super) fn text(&mut self, t: &Spanned<RawText>, what: &Msg, langs: &[Lang]) -> Loc {
        self.text_sev(t, what, langs, Severity::Error)
    }

    /// Like `text`, but a declared language with no text is reported with `missing` severity
    /// (a warning for optional help such as hints: the app falls back to another language).
    pub(super) fn text_sev(
        &mut self,
        t: &Spanned<RawText>,
        what: &Msg,
        langs: &[Lang],
        missing: Severity,
    ) -> Loc {
        let mut out = BTreeMap::new();
        for (k, v) in t.get_ref() {
            match Lang::parse(k.get_ref()).filter(|l| l.code() == k.get_ref()) {
                Some(l) => {
                    if !langs.is_empty() && !langs.contains(&l) {
                        self.warn(
                            k,
                            msg!(
                                "check.text_lang_unlisted",
                                what = what.clone(),
                                code = l.code()
                            ),
                        );
                    }
                    if v.get_ref().trim().is_empty() {
                        self.err(
                            v,
                            msg!("check.text_empty", what = what.clone(), code = k.get_ref()),
                        );
                    }
                    self.written.insert(l);
                    out.insert(l, v.get_ref().clone());
                }
                None => self.err(
                    k,
                    msg!(
                        "check.text_lang_unknown",
                        code = k.get_ref(),
                        what = what.clone(),
                        instead = lang_instead(k.get_ref())
                    ),
                ),
            }
        }
        for l in langs {
            if !out.contains_key(l) {
                let m = if missing == Severity::Warning {
                    msg!(
                        "check.text_missing_optional",
                        what = what.clone(),
                        code = l.code()
                    )
                } else {
                    msg!("check.text_missing", what = what.clone(), code = l.code())
                };
                self.missing.push((*l, missing, t.span().start, m));
            }
        }
        Loc(out)
    }

    /// The texts without a declared language (`missing`), once the file is read: a language
    /// some text has is missing from the others, one message each; a language no text has
    /// was declared by mistake or not written yet, one error at its place in `languages`
    /// (not one per text) saying both ways out.
    pub(super) fn settle_languages(&mut self, declared: &[Spanned<String>]) {
        let mut unwritten: BTreeMap<Lang, usize> = BTreeMap::new();
        for (l, sev, at, m) in std::mem::take(&mut self.missing) {
            if self.written.contains(&l) {
                self.push(sev, at, m);
            } else {
                *unwritten.entry(l).or_default() += 1;
            }
        }
        for (l, n) in unwritten {
            let Some(entry) = declared
                .iter()
                .find(|d| Lang::parse(d.get_ref()) == Some(l))
            else {
                continue;
            };
            self.err(
                entry,
                msg!("check.language_unwritten", code = l.code(), n = n),
            );
        }
    }

    pub(super) fn placeholders_in(&mut self, t: &Spanned<RawText>, known: &BTreeSet<String>) {
        for v in t.get_ref().values() {
            let s = v.get_ref();
            let (_, chars) = filled_size(s, &self.fills);
            let grows = chars.saturating_sub(s.chars().count());
            if grows > MAX_FILLED_CHARS {
                self.err(
                    v,
                    msg!("check.placeholders_grow", n = grows, max = MAX_FILLED_CHARS),
                );
            }
            // Where the string's text starts in the file, when it is written as it reads (no
            // escapes): then each placeholder's error is at its own `{`, not at the string.
            let span = v.span();
            let as_written = self.src.get(span.clone()).is_some_and(|w| {
                w.len() == s.len() + 2
                    && (w.starts_with('"') || w.starts_with('\''))
                    && &w[1..w.len() - 1] == s
            });
            let mut rest = s.as_str();
            while let Some(open) = rest.find('{') {
                let at = if as_written {
                    span.start + 1 + (s.len() - rest.len()) + open
                } else {
                    span.start
                };
                let after = &rest[open + 1..];
                let Some(close) = after.find('}') else { break };
                let name = &after[..close];
                if !known.contains(name) {
                    let near = known
                        .iter()
                        .min_by_key(|k| typo_distance(k, name))
                        .filter(|k| close_enough(k, name));
                    let hint = match near {
                        Some(n) => msg!("check.did_you_mean", name = format!("{{{n}}}")),
                        None => msg!(
                            "check.placeholder_add",
                            name = name,
                            list = List::of(known.iter().map(|k| format!("{{{k}}}")))
                        ),
                    };
                    self.push(
                        Severity::Error,
                        at,
                        msg!(
                            "check.placeholder_unknown",
                            name = format!("{{{name}}}"),
                            hint = hint
                        ),
                    );
                }
                rest = &after[close + 1..];
            }
        }
    }
}

/// The placeholders of `fills` that `s` uses: how deep their filling goes, and how long `s`
/// grows once they are filled (chars, saturating).
pub(super) fn filled_size(s: &str, fills: &BTreeMap<String, (usize, usize)>) -> (usize, usize) {
    let (mut depth, mut chars) = (0, s.chars().count());
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        if let Some(&(d, n)) = fills.get(&after[..close]) {
            depth = depth.max(d);
            chars = chars.saturating_add(n).saturating_sub(close + 2);
        }
        rest = &after[close + 1..];
    }
    (depth, chars)
}

/// Full-width and curly characters an input method types where TOML needs ASCII punctuation:
/// the character, what it is (its catalogue key), what to write (`" "`: a plain space).
const NOT_ASCII: &[(char, &str, &str)] = &[
    ('＝', "check.char.fw_equals", "="),
    ('，', "check.char.fw_comma", ","),
    ('、', "check.char.ideo_comma", ","),
    ('：', "check.char.fw_colon", "="),
    ('；', "check.char.fw_semicolon", ","),
    ('［', "check.char.fw_bracket", "["),
    ('］', "check.char.fw_bracket", "]"),
    ('【', "check.char.fw_bracket", "["),
    ('】', "check.char.fw_bracket", "]"),
    ('｛', "check.char.fw_brace", "{"),
    ('｝', "check.char.fw_brace", "}"),
    ('＃', "check.char.fw_hash", "#"),
    ('。', "check.char.ideo_stop", "."),
    ('．', "check.char.fw_stop", "."),
    ('＂', "check.char.fw_quote", "\""),
    ('“', "check.char.curly_quote", "\""),
    ('”', "check.char.curly_quote", "\""),
    ('「', "check.char.corner_quote", "\""),
    ('」', "check.char.corner_quote", "\""),
    ('‘', "check.char.curly_quote", "'"),
    ('’', "check.char.curly_quote", "'"),
    ('　', "check.char.fw_space", " "),
];

/// The quick fix for a character typed in place of TOML's ASCII punctuation at char `from` of
/// `line` (outside strings), made for the rest of its kind on the line at once: `【【turn】】`,
/// `goto = “angrier”`, `key：“text”`. From `from` on, each such character outside strings is
/// written in ASCII; a quote written so opens a string whose text is kept as typed (its
/// `，` and `。` are the text's), up to its closing quote (straight, curly or full-width).
/// `closing`: the character at `from` ends a string opened before it.
/// `(the fixed text, the char index after the last one changed)`; `None` if nothing changes.
pub(crate) fn ascii_fix(line: &str, from: usize, closing: bool) -> Option<(String, usize)> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut end = None;
    let mut string: Option<char> = None;
    for (i, &c) in chars.iter().enumerate().skip(from) {
        // A quote that ends a string opened before `from` (`"王先生”`): written so, and what
        // follows it is outside.
        if closing && i == from {
            let q = NOT_ASCII.iter().find(|x| x.0 == c)?.2;
            out.push_str(q);
            end = Some(i + 1);
            continue;
        }
        let ascii = NOT_ASCII.iter().find(|x| x.0 == c).map(|x| x.2);
        match string {
            Some(q) => {
                let closes = c == q || ascii.is_some_and(|a| a.starts_with(q));
                if closes {
                    string = None;
                    if c != q {
                        out.push(q);
                        end = Some(i + 1);
                        continue;
                    }
                }
                out.push(c);
            }
            None => {
                let w = ascii.unwrap_or("");
                if ascii.is_some() {
                    out.push_str(w);
                    end = Some(i + 1);
                } else {
                    out.push(c);
                }
                let q = if ascii.is_some() {
                    w.chars().next()
                } else {
                    Some(c)
                };
                if let Some(q) = q.filter(|q| *q == '"' || *q == '\'') {
                    string = Some(q);
                }
                if c == '#' {
                    break;
                }
            }
        }
    }
    let end = end?;
    // (Every character written is one: the fixed text up to the last one changed.)
    let fixed: String = out.chars().take(end - from).collect();
    Some((fixed, end))
}

/// The byte offsets of the characters of `line` outside quoted strings (a comment's `#` the
/// last of them), and the offset of a
/// string opened but not closed on it (a `"""` or `'''` line is left alone: such strings may span lines).
fn outside_strings(line: &str) -> (Vec<(usize, char)>, Option<usize>) {
    let mut out = Vec::new();
    if line.contains("\"\"\"") || line.contains("'''") {
        return (out, None);
    }
    let mut open: Option<(usize, char)> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        match open {
            Some((_, q)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' && q == '"' {
                    escaped = true;
                } else if c == q {
                    open = None;
                }
            }
            // A comment's `#` (outside, so `comment_at` finds it), and nothing after it.
            None if c == '#' => {
                out.push((i, c));
                break;
            }
            None if c == '"' || c == '\'' => open = Some((i, c)),
            None => out.push((i, c)),
        }
    }
    (out, open.map(|(i, _)| i))
}

/// What really broke a file TOML could not read, at `at` (the parser's error offset): a
/// full-width or curly character outside quotes on that line, or a string left open by a
/// line break on that line or the one before. `(byte offset of the cause, message)`.
pub(super) fn real_cause(src: &str, at: usize) -> Option<(usize, Msg)> {
    let (start, line) = line_at(src, at);
    let (outside, open) = outside_strings(line);
    // A string left open whose end was typed as a curly or full-width quote (`"你好”`): that
    // quote is the cause, not a line break. The quote that, made straight, closes every string
    // on the line (a closing one first: `"他说“你好”` means its `”`).
    let curly = |lstart: usize, line: &str| {
        let closing = ['”', '＂', '」', '’'];
        let opening = ['“', '「', '‘'];
        let found = line
            .char_indices()
            .filter(|(_, c)| closing.contains(c))
            .chain(line.char_indices().filter(|(_, c)| opening.contains(c)))
            .find_map(|(i, c)| {
                let q = if matches!(c, '‘' | '’') {
                    '\''
                } else {
                    '"'
                };
                let fixed = format!("{}{q}{}", &line[..i], &line[i + c.len_utf8()..]);
                outside_strings(&fixed).1.is_none().then_some((i, c, q))
            });
        found.map(|(i, c, q)| {
            let what = NOT_ASCII
                .iter()
                .find(|(x, _, _)| *x == c)
                .map_or("check.char.curly_quote", |x| x.1);
            (
                lstart + i,
                msg!("check.curly_end", c = c, what = key_msg(what), q = q),
            )
        })
    };
    let unclosed = || msg!("check.unclosed_string");
    // The line before first: a string broken by a line break leaves its end on this line,
    // where it looks like a string opened and not closed, and what follows the break reads
    // as outside quotes (a `。` there is the break's symptom, not a character to replace).
    if start > 0 {
        let pstart = src[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let pline = &src[pstart..start - 1];
        if let (_, Some(i)) = outside_strings(pline) {
            return Some(curly(pstart, pline).unwrap_or_else(|| (pstart + i, unclosed())));
        }
    }
    // A string ended with a curly quote: that quote, before any character the string's
    // wrong end left outside it (`"王先生”, en = "Mr，Wang"`: the `，` is inside a string).
    if let Some(found) = open.and_then(|_| curly(start, line)) {
        return Some(found);
    }
    // A straight quote typed inside the text (`"快递说"明天到"，…"`) ends the string there, and
    // the rest of the text reads as TOML: the quote is the cause, not what follows it.
    let closes_at = |i: usize| line[..i].trim_end().strip_suffix('"').map(str::len);
    // A string closed, then a key (`{ zh-Hans = "林女士" zh-Hant = "林女士" }`): a comma left out
    // between two pairs, not a quote inside the text.
    let key_at = |i: usize| {
        let rest = &line[i..];
        let k = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .unwrap_or(rest.len());
        (k > 0 && rest[k..].trim_start().starts_with('=')).then(|| rest[..k].to_string())
    };
    if let Some((i, k)) = outside.iter().find_map(|&(i, c)| {
        closes_at(i)
            .filter(|&q| c.is_ascii_alphabetic() && q < i)
            .and_then(|_| key_at(i).map(|k| (i, k)))
    }) {
        return Some((start + i, msg!("check.comma_between_pairs", key = k)));
    }
    if let Some(q) = outside.iter().find_map(|&(i, c)| {
        // (A full-width comma or colon there is typed punctuation: the loop below.)
        let text_follows =
            (!c.is_ascii() && !NOT_ASCII.iter().any(|x| x.0 == c)) || c.is_ascii_alphanumeric();
        closes_at(i).filter(|_| text_follows)
    }) {
        return Some((start + q, msg!("check.inner_quote")));
    }
    for (i, c) in outside {
        if let Some(&(_, what, write)) = NOT_ASCII.iter().find(|(x, _, _)| *x == c) {
            let m = if write == " " {
                msg!("check.not_ascii_space", c = c, what = key_msg(what))
            } else {
                msg!(
                    "check.not_ascii",
                    c = c,
                    what = key_msg(what),
                    write = write
                )
            };
            return Some((start + i, m));
        }
    }
    // A table's header with a bracket missing or extra (`[turn]]`, `[[turn]`): the header it
    // was meant to be.
    let head = line.trim();
    if head.starts_with('[') && head.matches('[').count() != head.matches(']').count() {
        let name = head.trim_matches(|c: char| c == '[' || c == ']' || c.is_whitespace());
        const LISTS: [&str; 8] = [
            "turn",
            "turn.next",
            "turn.line",
            "turn.facts",
            "turn.false_claims",
            "ending",
            "ending.line",
            "sample",
        ];
        let fixed = if LISTS.contains(&name) {
            format!("[[{name}]]")
        } else {
            format!("[{name}]")
        };
        let col = line.len() - line.trim_start().len();
        let m = if LISTS.contains(&name) {
            msg!("check.brackets_list", head = head, fixed = fixed)
        } else {
            msg!("check.brackets_table", head = head, fixed = fixed)
        };
        return Some((start + col, m));
    }
    open.map(|i| curly(start, line).unwrap_or_else(|| (start + i, unclosed())))
}

/// The keys whose value is a number (`data/scenario.schema.json`'s number keys; a test holds
/// the two lists together). A principle's id in `expects` takes one too.
/// The keys whose value is `true` or `false` (`[[turn.next]]`'s `final`).
const BOOL_KEYS: [&str; 1] = ["final"];

pub(crate) const NUMBER_KEYS: [&str; 16] = [
    "difficulty",
    "free_shipping_yuan",
    "max_score",
    "max_turns",
    "min_score",
    "minutes",
    "mood",
    "mood_above",
    "mood_below",
    "refund_days",
    "response_hours",
    "return_days",
    "target_seconds",
    "turns_taken",
    "value",
    "warranty_months",
];

/// The parser's message (`first`, its first line: "WHAT, expected …") in the trainer's words:
/// the parser's words for what it found are a catalogue key each; one not listed is shown as
/// the parser wrote it.
pub(super) fn parser_words(first: &str) -> Msg {
    const HEADS: [(&str, &str); 20] = [
        ("duplicate key", "check.parser.duplicate_key"),
        ("extra `=`", "check.parser.extra_equals"),
        ("invalid basic string", "check.parser.invalid_string"),
        ("invalid key", "check.parser.invalid_key"),
        ("invalid string", "check.parser.invalid_string"),
        ("invalid unquoted key", "check.parser.invalid_key"),
        ("invalid value", "check.parser.invalid_value"),
        ("key with no value", "check.parser.key_no_value"),
        (
            "missing comma between array elements",
            "check.parser.comma_list",
        ),
        (
            "missing comma between key-value pairs",
            "check.parser.comma_table",
        ),
        (
            "missing key for inline table element",
            "check.parser.table_key",
        ),
        ("missing value for key", "check.parser.missing_value"),
        ("string values must be quoted", "check.parser.unquoted"),
        ("unclosed array", "check.parser.unclosed_list"),
        ("unclosed inline table", "check.parser.unclosed_table"),
        ("unclosed table", "check.parser.unclosed_header"),
        ("unexpected `=` in array", "check.parser.equals_in_list"),
        ("unexpected key or value", "check.parser.unexpected"),
        ("unexpected leading zero", "check.parser.leading_zero"),
        ("unquoted keys cannot be empty", "check.parser.empty_key"),
    ];
    let head = parser_head(first);
    match HEADS.iter().find(|(h, _)| *h == head) {
        Some(&(_, key)) => key_msg(key),
        None => msg!("check.text", text = first),
    }
}

/// What the parser says it found, without what it expected ("WHAT, expected …").
fn parser_head(first: &str) -> &str {
    first.split(", expected").next().unwrap_or(first).trim()
}

/// The line of `src` holding byte `at`: (its start, the line without its line break).
fn line_at(src: &str, at: usize) -> (usize, &str) {
    let at = at.min(src.len());
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    (start, src[start..end].trim_end_matches('\r'))
}

/// Where a comment begins on `line` (a `#` outside strings).
fn comment_at(line: &str) -> Option<usize> {
    let (outside, _) = outside_strings(line);
    outside.into_iter().find(|&(_, c)| c == '#').map(|(i, _)| i)
}

/// The list (`[`) or inline table (`{`) still open where the parser stopped at `at`, read line
/// by line from the file's start outside strings and comments (lines of `"""` text skipped):
/// `(the line it opened on, 1-based; the bracket)`.
fn open_bracket(src: &str, at: usize) -> Option<(usize, char)> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut in_text = false;
    for (n, line) in src[..at.min(src.len())].split('\n').enumerate() {
        let quotes = line.matches("\"\"\"").count() + line.matches("'''").count();
        if in_text || quotes > 0 {
            in_text ^= quotes % 2 == 1;
            continue;
        }
        // A table's header (`[turn]`, `[[turn]]`) opens nothing that lasts past its line.
        if stack.is_empty() && line.trim_start().starts_with('[') {
            continue;
        }
        for (_, c) in outside_strings(line).0 {
            match c {
                '[' | '{' => stack.push((n + 1, c)),
                ']' | '}' => {
                    stack.pop();
                }
                _ => {}
            }
        }
    }
    stack.pop()
}

/// Where and why the parser stopped when its message names a symptom rather than the mistake
/// (after `real_cause`: no character typed in place of ASCII punctuation, no string left open):
/// a list or table not closed before the next line, a comma after a value, a value not quoted
/// or written in full-width digits, nothing after `=`, a key with a space or in Chinese.
pub(super) fn parser_cause(src: &str, at: usize, first: &str) -> Option<(usize, Msg)> {
    let at = at.min(src.len());
    let head = parser_head(first);
    let (start, line) = line_at(src, at);
    let col = (at - start).min(line.len());
    let rest = line.get(col..).unwrap_or("");
    // The key of the value at `at`: before the last `=` before it outside strings, after the
    // `{` or `,` before that (`expects = { apology = 二 }`: `apology`).
    let key = || {
        let outside = outside_strings(line).0;
        let eq = outside.iter().rev().find(|&&(i, c)| i < col && c == '=')?.0;
        let from = outside
            .iter()
            .rev()
            .find(|&&(i, c)| i < eq && matches!(c, '{' | ','))
            .map_or(0, |&(i, _)| i + 1);
        let k = line[from..eq].trim().trim_matches('"');
        (!k.is_empty()).then(|| k.to_string())
    };
    match head {
        "missing comma between array elements"
        | "missing comma between key-value pairs"
        | "unclosed array"
        | "unclosed inline table"
        | "missing key for inline table element"
        | "unexpected `=` in array" => {
            let (opened, c) = open_bracket(src, at)?;
            // Closed where it was meant to end: after the last line with content before the
            // one the parser stopped on, which begins the next key (the list's own line when
            // it is on one line).
            let next_key = head == "unexpected `=` in array"
                || line.get(..col).is_some_and(|b| b.trim().is_empty());
            let here = if next_key && opened < Lines::new(src).at(src, start).0 {
                let before = src[..start].trim_end();
                let (s, l) = line_at(src, before.len());
                // Before a comment there (`"en"  # the languages`), not inside it.
                s + l[..comment_at(l).unwrap_or(l.len())].trim_end().len()
            } else {
                at
            };
            let close = if c == '[' { ']' } else { '}' };
            Some((
                here,
                msg!("check.not_closed", open = c, close = close, line = opened),
            ))
        }
        "unexpected key or value" if rest.starts_with(',') => {
            Some((at, msg!("check.comma_after_value")))
        }
        // `[[turn]] id = "when"`: a header with a key after it on its line.
        "unexpected key or value" if line.trim_start().starts_with('[') => {
            let header = line.get(..col)?.trim();
            let rest = rest.trim();
            (header.ends_with(']') && !rest.is_empty())
                .then(|| (at, msg!("check.header_alone", header = header, rest = rest)))
        }
        // `goto = thanks`: a word beginning with t or f is read as a boolean begun.
        "string values must be quoted" | "invalid value" | "invalid boolean" => {
            let k = key()?;
            let value = rest.split([',', '}', ']', '#']).next().unwrap_or("").trim();
            if value.is_empty() {
                return Some((at, msg!("check.no_value", key = k)));
            }
            // Full-width digits (１２, ０．５, －３): the same number in ASCII digits.
            let ascii: String = value
                .chars()
                .map(|c| match c {
                    '０'..='９' | '．' | '－' | '＋' => {
                        char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                    }
                    _ => c,
                })
                .collect();
            if ascii != value && ascii.parse::<f64>().is_ok() {
                return Some((
                    at,
                    msg!("check.fullwidth_digits", value = value, fixed = ascii),
                ));
            }
            let number = NUMBER_KEYS.contains(&k.as_str()) || PrincipleId::parse(&k).is_some();
            Some(if BOOL_KEYS.contains(&k.as_str()) {
                let fixed = format!("{k} = true");
                (
                    at,
                    msg!("check.bool_wanted", key = k, value = value, fixed = fixed),
                )
            } else if number {
                let fixed = format!("{k} = 1");
                (
                    at,
                    msg!("check.number_wanted", key = k, value = value, fixed = fixed),
                )
            } else {
                let fixed = format!("{k} = \"{value}\"");
                (at, msg!("check.quote_text", fixed = fixed))
            })
        }
        "key with no value" => {
            let k = line.get(..col).unwrap_or("").trim();
            let after = rest.trim_start();
            // `max turns = 8`: another word, then `=`: the key's words are to be joined.
            let word: String = after
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            let joined = after[word.len()..].trim_start().starts_with('=');
            Some(if !k.is_empty() && !word.is_empty() && joined {
                let whole = format!("{k} {word}");
                let fixed = format!("{k}_{word}");
                let indent = line.len() - line.trim_start().len();
                (
                    start + indent,
                    msg!("check.key_space", key = whole, fixed = fixed),
                )
            } else {
                (at, msg!("check.missing_equals", key = k))
            })
        }
        "invalid unquoted key" | "invalid key" => {
            let k: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '=')
                .collect();
            if k.is_ascii() {
                return None;
            }
            Some(match principles::by_name(&k) {
                Some(id) => (at, msg!("check.key_principle_name", key = k, id = id)),
                None => (at, msg!("check.key_not_ascii", key = k)),
            })
        }
        _ => None,
    }
}

pub(super) fn friendly_toml_error(message: &str) -> Msg {
    let first = message.lines().next().unwrap_or(message).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let near = options
            .iter()
            .min_by_key(|o| typo_distance(o, name))
            .filter(|o| close_enough(o, name));
        return match near {
            Some(n) => msg!("check.unknown_key_near", name = name, near = n),
            None => msg!(
                "check.unknown_key",
                name = name,
                list = List::of(options.iter().map(|o| format!("`{o}`")))
            ),
        };
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return msg!("check.missing_key", name = name);
    }
    if first.contains("invalid basic string")
        || first.contains("unterminated")
        || first.contains("expected `\"`")
    {
        return msg!("check.toml_string_open", first = parser_words(first));
    }
    if first.contains("expected `]`")
        || first.contains("expected `}`")
        || first.contains("invalid array")
        || first.contains("invalid inline table")
    {
        return msg!("check.toml_list_open", first = parser_words(first));
    }
    if let Some(hint) = type_hint(first) {
        return msg!("check.toml_type_hint", hint = hint);
    }
    if first.contains("invalid type") {
        return msg!("check.toml_type", first = first);
    }
    if first.contains("duplicate key") {
        return msg!(
            "check.toml_duplicate",
            first = parser_words(first),
            hint = msg!("check.duplicate_hint")
        );
    }
    msg!("check.toml_other", first = parser_words(first))
}

/// `text` on one line, as a diagnostic is: a control character quoted from a broken file (a
/// line break, an ANSI escape) written as its escape, `\u{1b}`.
pub(crate) fn one_line(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// A message of `key` without arguments (a key chosen at run time).
pub(crate) fn key_msg(key: &'static str) -> Msg {
    Msg {
        key,
        args: Vec::new(),
    }
}

/// A value of the wrong kind (serde's "invalid type: FOUND, expected WANT") in a trainer's
/// words: what this key takes, and what to write (`"2"` for a whole number: `2`).
pub(crate) fn type_hint(first: &str) -> Option<Msg> {
    let rest = first.split("invalid type: ").nth(1)?;
    let (found, want) = rest.split_once(", expected ")?;
    let want = want.trim();
    let quoted = found
        .strip_prefix("string \"")
        .and_then(|f| f.strip_suffix('"'))
        .map(str::trim);
    const WHOLE: [&str; 10] = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "isize", "usize",
    ];
    let takes = if WHOLE.contains(&want) || want.contains("integer") {
        match quoted {
            Some(q) if q.parse::<i64>().is_ok() => msg!("check.takes.whole_write", q = q),
            _ if found.starts_with("floating point") => msg!("check.takes.whole_no_point"),
            _ => msg!("check.takes.whole"),
        }
    } else if want == "f32" || want == "f64" || want.contains("float") {
        match quoted {
            Some(q) if q.parse::<f64>().is_ok() => msg!("check.takes.number_write", q = q),
            _ => msg!("check.takes.number"),
        }
    } else if want.contains("boolean") {
        msg!("check.takes.bool")
    } else if want.contains("sequence") {
        msg!("check.takes.list")
    } else if want.contains("map") || want.starts_with("struct") {
        msg!("check.takes.table")
    } else if want.contains("string") {
        msg!("check.takes.text")
    } else {
        return None;
    };
    Some(msg!("check.wrong_kind", takes = takes))
}

/// Is `typed` near enough to `known` to suggest it (a typo, not a different word)?
pub(super) fn close_enough(known: &str, typed: &str) -> bool {
    let d = typo_distance(known, typed);
    d <= 1 || (d <= 3 && d * 3 <= known.chars().count())
}

/// ": did you mean `x`?" when one of `known` is a likely typo of `typed`, else the list
/// (nothing when nothing is known).
pub(super) fn suggest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> Msg {
    let known: Vec<&str> = known.collect();
    match known
        .iter()
        .min_by_key(|k| typo_distance(k, typed))
        .filter(|k| close_enough(k, typed))
    {
        Some(n) => msg!("check.then", then = msg!("check.did_you_mean", name = n)),
        None if known.is_empty() => Msg::nothing(),
        None => msg!(
            "check.then",
            then = msg!("check.write_one_of", list = List::of(known))
        ),
    }
}

/// The id (of `ids`, shown as the catalogue's `PREFIX.ID`) a trainer meant by writing the name
/// the app shows for it, in any of its languages: the whole name or one of its parts
/// ("Customer lost", 投诉/情绪's 情绪), or for Chinese a two-character word of it that names
/// one id alone (已解决 → 问题解决's 解决: `resolved`; 投诉 as an outcome → 升级投诉: `escalated`).
pub(crate) fn id_by_shown_name(
    prefix: &str,
    ids: &[&'static str],
    typed: &str,
) -> Option<&'static str> {
    let typed = typed.trim();
    let names = |id: &str| -> Vec<String> {
        Lang::ALL
            .iter()
            .map(|&l| kefu_core::i18n::t(l, &format!("{prefix}.{id}")))
            .collect()
    };
    let whole = ids.iter().find(|id| {
        names(id).iter().any(|n| {
            n.eq_ignore_ascii_case(typed) || n.split(['/', '、']).any(|p| p.trim() == typed)
        })
    });
    if let Some(id) = whole {
        return Some(id);
    }
    let chars: Vec<char> = typed.chars().collect();
    if typed.is_ascii() || chars.len() < 2 {
        return None;
    }
    let mut found = None;
    for w in chars.windows(2) {
        let w: String = w.iter().collect();
        let hits: Vec<&&str> = ids
            .iter()
            .filter(|id| names(id).iter().any(|n| n.contains(&w)))
            .collect();
        match (hits.as_slice(), found) {
            ([one], None) => found = Some(**one),
            ([one], Some(f)) if **one != f => return None,
            _ => {}
        }
    }
    found
}

/// What to write for a language code this format does not know: the format's own code when it
/// names one of its languages another way (`zh-HK`, `zh-TW`, `zh-CN`, `ZH-hant`), else the list.
pub(crate) fn lang_instead(typed: &str) -> Msg {
    match Lang::parse(typed) {
        Some(l) => msg!(
            "check.lang_instead",
            code = l.code(),
            name = l.native_name()
        ),
        None => {
            let codes: Vec<String> = Lang::ALL
                .iter()
                .map(|l| format!("`{}`", l.code()))
                .collect();
            let (last, rest) = codes.split_last().expect("languages are listed");
            msg!("check.lang_list", list = List::of(rest), last = last)
        }
    }
}

/// "1st", "2nd", "3rd", "4th"… (in Chinese 第1个…).
pub(super) fn ordinal(n: usize) -> Msg {
    match (n % 10, n % 100) {
        (_, 11..=13) => msg!("check.ordinal.th", n = n),
        (1, _) => msg!("check.ordinal.st", n = n),
        (2, _) => msg!("check.ordinal.nd", n = n),
        (3, _) => msg!("check.ordinal.rd", n = n),
        _ => msg!("check.ordinal.th", n = n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `NUMBER_KEYS` are the keys the scenario format's schema types as numbers (a principle's
    /// weight in `expects` aside): the checker's "takes a number" is said of those alone.
    #[test]
    fn the_number_keys_are_the_schema_s() {
        fn walk(name: &str, v: &serde_json::Value, out: &mut BTreeSet<String>) {
            let number = |t: &serde_json::Value| t == "integer" || t == "number";
            if v.get("type")
                .is_some_and(|t| number(t) || t.as_array().is_some_and(|a| a.iter().any(number)))
                && name != "additionalProperties"
            {
                out.insert(name.to_string());
            }
            match v {
                serde_json::Value::Object(m) => {
                    for (k, x) in m {
                        let inner = if k == "properties" || k == "items" {
                            name
                        } else {
                            k
                        };
                        if k == "properties" {
                            for (key, y) in x.as_object().into_iter().flatten() {
                                walk(key, y, out);
                            }
                        } else {
                            walk(inner, x, out);
                        }
                    }
                }
                serde_json::Value::Array(a) => a.iter().for_each(|x| walk(name, x, out)),
                _ => {}
            }
        }
        let schema: serde_json::Value = serde_json::from_str(crate::schema::SCHEMA).unwrap();
        let mut found = BTreeSet::new();
        walk("", &schema, &mut found);
        let listed: BTreeSet<String> = NUMBER_KEYS.iter().map(|k| k.to_string()).collect();
        assert_eq!(listed, found);
    }

    /// A header with unmatched brackets is quoted from the broken line as it is, but on one
    /// line: an escape character in it (the fuzz test's find) is written as its escape.
    #[test]
    fn a_message_quoting_a_control_character_stays_one_line() {
        let src = "id = \"x\"\n[[turn.next]\u{1b}[31m]\n";
        let (_, m) = real_cause(src, 10).expect("a cause");
        let said = one_line(&m.in_lang(Lang::En));
        assert!(
            !said.contains('\u{1b}') && said.contains("\\u{1b}"),
            "{said}"
        );
        assert_eq!(one_line("a\nb\tc"), "a\\nb\\tc");
        assert_eq!(one_line("未知的原则 `x`"), "未知的原则 `x`");
    }

    /// Quotation marks typed as straight quotes inside a Chinese reply: the quote that ends
    /// the string early is the cause (the parser's own words named what follows it).
    #[test]
    fn a_straight_quote_inside_the_text_is_the_cause() {
        let src = "reply = \"快递说\"明天到\"，不是我们的错。\"\n";
        let inner = src.find("\"明").unwrap();
        let (pos, m) = real_cause(src, src.find('明').unwrap()).expect("a cause");
        assert_eq!((pos, m.key), (inner, "check.inner_quote"));
        // One quote typed inside (the string then left open at the end): the same.
        let src = "reply = \"他说\"好的。\"\n";
        let (pos, m) = real_cause(src, src.find('好').unwrap()).expect("a cause");
        assert_eq!(
            (pos, m.key),
            (src.find("\"好").unwrap(), "check.inner_quote")
        );
        // A string followed by what TOML allows there is no such case.
        for ok in ["a = [\"x\", \"y\"]\n", "t = { en = \"x\" } # note\n"] {
            assert!(real_cause(ok, ok.len() - 2).is_none_or(|(_, m)| m.key != "check.inner_quote"));
        }
    }

    /// A reply split over two lines (a paste): the string left open on the first line is the
    /// cause, not the `。` after the break, whose "replace with ." fix would damage the text.
    #[test]
    fn a_string_broken_by_a_line_break_is_the_cause_not_the_text_after_it() {
        let src = "reply = \"这是快递的问题,\n不是我们的错。\"\nexpect = \"x\"\n";
        let second = src.find('不').unwrap();
        for at in [second, second + "不是我们的错".len()] {
            let (pos, m) = real_cause(src, at).expect("a cause");
            assert_eq!(m.key, "check.unclosed_string", "{}", m.in_lang(Lang::En));
            assert_eq!(pos, src.find('"').unwrap());
        }
    }
}
