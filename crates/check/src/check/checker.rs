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
    /// 1-based line and column (in chars) of a byte offset.
    pub(super) fn at(&self, src: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(src.len());
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        let col = src.get(start..byte).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

pub(super) struct Checker<'a> {
    pub(super) file: &'a str,
    pub(super) src: &'a str,
    pub(super) lines: Lines,
    pub(super) out: Vec<Diagnostic>,
    /// Per placeholder: how deep its values fill others, and its longest value once filled.
    pub(super) fills: BTreeMap<String, (usize, usize)>,
}

impl Checker<'_> {
    pub(super) fn push(&mut self, sev: Severity, at: usize, msg: String) {
        let (line, col) = self.lines.at(self.src, at);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            severity: sev,
            message: msg,
        });
    }
    pub(super) fn err<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.push(Severity::Error, at.span().start, msg.into());
    }
    pub(super) fn warn<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.push(Severity::Warning, at.span().start, msg.into());
    }

    /// A principle id as written in the file, as a `PrincipleId`; an unknown one is an error
    /// with the nearest id ("did you mean") or the list of ids.
    pub(super) fn principle(&mut self, id: &Spanned<String>) -> Option<PrincipleId> {
        let v = id.get_ref();
        if let Some(p) = PrincipleId::parse(v) {
            return Some(p);
        }
        let hint = match principles::nearest(v) {
            Some(n) => format!("did you mean `{n}`?"),
            None => format!(
                "write one of: {}",
                principles::all()
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        self.err(id, format!("unknown principle `{v}`: {hint}"));
        None
    }

    /// Variants of one line (`say`, `model`, a line's `say`), each with its placeholders known
    /// and its text in every language; `what` names them in messages.
    pub(super) fn variants(
        &mut self,
        list: &[Spanned<RawText>],
        what: &str,
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
    pub(super) fn text(&mut self, t: &Spanned<RawText>, what: &str, langs: &[Lang]) -> Loc {
        self.text_sev(t, what, langs, Severity::Error)
    }

    /// Like `text`, but a declared language with no text is reported with `missing` severity
    /// (a warning for optional help such as hints: the app falls back to another language).
    pub(super) fn text_sev(
        &mut self,
        t: &Spanned<RawText>,
        what: &str,
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
                            format!(
                                "{what} has `{}` text but `languages` does not list `{}`: add it to `languages`, or remove this text",
                                l.code(),
                                l.code()
                            ),
                        );
                    }
                    if v.get_ref().trim().is_empty() {
                        self.err(
                            v,
                            format!(
                                "{what} in `{}` is empty: write the text, or remove the line",
                                k.get_ref()
                            ),
                        );
                    }
                    out.insert(l, v.get_ref().clone());
                }
                None => self.err(
                    k,
                    format!(
                        "unknown language `{}` in {what}: {}",
                        k.get_ref(),
                        lang_instead(k.get_ref())
                    ),
                ),
            }
        }
        for l in langs {
            if !out.contains_key(l) {
                let fallback = if missing == Severity::Warning {
                    " (until then the app shows another language)"
                } else {
                    ""
                };
                self.push(
                    missing,
                    t.span().start,
                    format!(
                        "the scenario declares `{}` but {what} has no `{}` text: add `{} = \"…\"`{fallback}",
                        l.code(),
                        l.code(),
                        l.code()
                    ),
                );
            }
        }
        Loc(out)
    }

    pub(super) fn placeholders_in(&mut self, t: &Spanned<RawText>, known: &BTreeSet<String>) {
        for v in t.get_ref().values() {
            let s = v.get_ref();
            let (_, chars) = filled_size(s, &self.fills);
            let grows = chars.saturating_sub(s.chars().count());
            if grows > MAX_FILLED_CHARS {
                self.err(
                    v,
                    format!("filling its placeholders would add {grows} characters to this text (at most {MAX_FILLED_CHARS}): use fewer placeholders, or shorter values for them"),
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
                    let hint =
                        match near {
                            Some(n) => format!("did you mean `{{{n}}}`?"),
                            None => format!(
                            "add it under `[placeholders]` (`{name} = [\"…\"]`), or use one of: {}",
                            known.iter().map(|k| format!("{{{k}}}")).collect::<Vec<_>>().join(", ")
                        ),
                        };
                    self.push(
                        Severity::Error,
                        at,
                        format!("unknown placeholder `{{{name}}}`: {hint}"),
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
/// the character, what it is, what to write.
const NOT_ASCII: &[(char, &str, &str)] = &[
    ('＝', "a full-width equals sign", "="),
    ('，', "a full-width comma", ","),
    ('、', "an ideographic comma", ","),
    ('：', "a full-width colon (TOML writes `key = value`)", "="),
    ('；', "a full-width semicolon", ","),
    ('［', "a full-width bracket", "["),
    ('］', "a full-width bracket", "]"),
    ('【', "a full-width bracket", "["),
    ('】', "a full-width bracket", "]"),
    ('｛', "a full-width brace", "{"),
    ('｝', "a full-width brace", "}"),
    ('＃', "a full-width hash", "#"),
    ('。', "an ideographic full stop", "."),
    ('．', "a full-width full stop", "."),
    ('＂', "a full-width quote", "\""),
    ('“', "a curly quote", "\""),
    ('”', "a curly quote", "\""),
    ('「', "a corner quote", "\""),
    ('」', "a corner quote", "\""),
    ('‘', "a curly quote", "'"),
    ('’', "a curly quote", "'"),
    ('　', "a full-width space", "a plain space"),
];

/// The byte offsets of the characters of `line` outside quoted strings, and the offset of a
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
            None if c == '#' => break,
            None if c == '"' || c == '\'' => open = Some((i, c)),
            None => out.push((i, c)),
        }
    }
    (out, open.map(|(i, _)| i))
}

/// What really broke a file TOML could not read, at `at` (the parser's error offset): a
/// full-width or curly character outside quotes on that line, or a string left open by a
/// line break on that line or the one before. `(byte offset of the cause, message)`.
pub(super) fn real_cause(src: &str, at: usize) -> Option<(usize, String)> {
    let at = at.min(src.len());
    let start = src[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = src[at..].find('\n').map_or(src.len(), |i| at + i);
    let line = &src[start..end];
    let (outside, open) = outside_strings(line);
    for (i, c) in outside {
        if let Some((_, what, write)) = NOT_ASCII.iter().find(|(x, _, _)| *x == c) {
            return Some((start + i, format!(
                "`{c}` is {what}: outside quoted text TOML needs `{write}` (switch the input method to half-width and type it again)"
            )));
        }
    }
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
                .map_or("a curly quote", |x| x.1);
            (lstart + i, format!(
                "`{c}` is {what}: a string must end with a straight `{q}` as it began; type `{q}` in its place (switch the input method to half-width)"
            ))
        })
    };
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
        return Some((
            start + col,
            format!(
                "`{head}` has its brackets unmatched: write `{fixed}` ({})",
                if LISTS.contains(&name) {
                    "two on each side: each one starts another of a list"
                } else {
                    "one on each side"
                }
            ),
        ));
    }
    let unclosed = "this string is not closed on its line: a `\"…\"` string cannot hold a line break; end it with `\"` on the same line, write `\\n` for a line break, or use `\"\"\"` for text over several lines".to_string();
    // The line before first: a string broken by a line break leaves its end on this line,
    // where it looks like a string opened and not closed.
    if start > 0 {
        let pstart = src[..start - 1].rfind('\n').map_or(0, |i| i + 1);
        let pline = &src[pstart..start - 1];
        if let (_, Some(i)) = outside_strings(pline) {
            return Some(curly(pstart, pline).unwrap_or((pstart + i, unclosed)));
        }
    }
    open.map(|i| curly(start, line).unwrap_or((start + i, unclosed)))
}

pub(super) fn friendly_toml_error(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let near = options
            .iter()
            .min_by_key(|o| typo_distance(o, name))
            .filter(|o| close_enough(o, name));
        return match near {
            Some(n) => format!("unknown key `{name}`: did you mean `{n}`?"),
            None => format!(
                "unknown key `{name}`: write one of {}",
                options
                    .iter()
                    .map(|o| format!("`{o}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        return format!("missing `{name}`: add `{name} = …` here (see docs/scenario-format.md)");
    }
    if first.contains("invalid basic string")
        || first.contains("unterminated")
        || first.contains("expected `\"`")
    {
        return format!("{first}: a string is not closed; end it with `\"` on the same line (use `\"\"\"` for text over several lines)");
    }
    if first.contains("expected `]`")
        || first.contains("expected `}`")
        || first.contains("invalid array")
        || first.contains("invalid inline table")
    {
        return format!("{first}: a list or table is not closed; check for a missing `]` or `}}` (the file may be cut short)");
    }
    if let Some(hint) = type_hint(first) {
        return format!("{hint} (see docs/scenario-format.md for the value each key takes)");
    }
    if first.contains("invalid type") {
        return format!("{first} (see docs/scenario-format.md for the type each key takes)");
    }
    if first.contains("duplicate key") {
        return format!("{first}: {DUPLICATE_HINT}");
    }
    format!("{first} (see docs/scenario-format.md)")
}

/// What to do about a key set twice; the usual cause is a second turn, branch or ending opened
/// with one bracket (`[turn]`) instead of two.
pub(crate) const DUPLICATE_HINT: &str = "this key is already set above: remove one of them; if it begins another turn, branch or ending, write its header with two brackets (`[[turn]]`, `[[turn.next]]`, `[[ending]]`)";

/// A value of the wrong kind (serde's "invalid type: FOUND, expected WANT") in a trainer's
/// words: what this key takes, and what to write (`"2"` for a whole number: `2`).
pub(crate) fn type_hint(first: &str) -> Option<String> {
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
            Some(q) if q.parse::<i64>().is_ok() => {
                format!("a whole number, without quotes: write `{q}`")
            }
            _ if found.starts_with("floating point") => {
                "a whole number, without a decimal point (like `25`)".to_string()
            }
            _ => "a whole number, without quotes (like `3`)".to_string(),
        }
    } else if want == "f32" || want == "f64" || want.contains("float") {
        match quoted {
            Some(q) if q.parse::<f64>().is_ok() => format!("a number, without quotes: write `{q}`"),
            _ => "a number, without quotes (like `1.5`)".to_string(),
        }
    } else if want.contains("boolean") {
        "`true` or `false`, without quotes".to_string()
    } else if want.contains("sequence") {
        "a list in square brackets, like `[\"zh-Hans\", \"en\"]` or `[\"apology\"]`".to_string()
    } else if want.contains("map") || want.starts_with("struct") {
        "a table in braces: `{ zh-Hans = \"…\", en = \"…\" }` for a text, `{ apology = 2 }` for weights".to_string()
    } else if want.contains("string") {
        "text in straight quotes, like `\"…\"`".to_string()
    } else {
        return None;
    };
    Some(format!(
        "this value is of the wrong kind: this key takes {takes}"
    ))
}

/// Is `typed` near enough to `known` to suggest it (a typo, not a different word)?
pub(super) fn close_enough(known: &str, typed: &str) -> bool {
    let d = typo_distance(known, typed);
    d <= 1 || (d <= 3 && d * 3 <= known.chars().count())
}

/// ": did you mean `x`?" when one of `known` is a likely typo of `typed`, else the list.
pub(super) fn suggest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    match known
        .iter()
        .min_by_key(|k| typo_distance(k, typed))
        .filter(|k| close_enough(k, typed))
    {
        Some(n) => format!(": did you mean `{n}`?"),
        None if known.is_empty() => String::new(),
        None => format!(": write one of: {}", known.join(", ")),
    }
}

/// What to write for a language code this format does not know: the format's own code when it
/// names one of its languages another way (`zh-HK`, `zh-TW`, `zh-CN`, `ZH-hant`), else the list.
pub(crate) fn lang_instead(typed: &str) -> String {
    match Lang::parse(typed) {
        Some(l) => format!(
            "write `{}` ({}: one code whatever the region)",
            l.code(),
            l.native_name()
        ),
        None => format!("write {}", Lang::codes_listed()),
    }
}

/// "1st", "2nd", "3rd", "4th"…
pub(super) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
