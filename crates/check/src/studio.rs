//! What the trainer studio (`#/studio`) shows beside the text, from one check of the file as
//! it is typed: every diagnostic with its position and quick fix, the turn graph as written
//! (drawn even while the file has errors), and each sample with the path and mood it took.
//! The engine's checker module returns it as JSON (`check_studio`); the messages are the CLI's.

use crate::raw::{RawCond, RawScenario, RawText, Spanned};
use kefu_core::principles::Lang;
use kefu_core::scenario::{Scenario, Severity};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// One check of a file, for the studio.
#[derive(Debug, Serialize)]
pub struct Report {
    /// No error: the file plays (warnings may remain).
    pub ok: bool,
    pub diagnostics: Vec<Diag>,
    /// The turn graph, when the file is TOML with turns (even if it has errors).
    pub graph: Option<Graph>,
    /// The `[[sample]]`s in file order; empty while other errors keep them from being played.
    pub samples: Vec<SampleRun>,
    /// Each text (`{ zh-Hans = "…", en = "…" }`) that lacks a language the file declares or
    /// writes elsewhere, in file order (empty while the file is not a scenario's TOML).
    pub texts: Vec<TextLangs>,
    /// Every UI language: whether the file declares it and how many of its texts have it.
    pub languages: Vec<LangUse>,
}

/// A text table and the languages it lacks.
#[derive(Debug, Serialize, PartialEq)]
pub struct TextLangs {
    /// Where the table starts: 1-based line and column (in chars).
    pub line: usize,
    pub col: usize,
    /// Its languages, in the language list's order.
    pub has: Vec<&'static str>,
    /// The languages the file declares or writes elsewhere that it has no text in.
    pub lacks: Vec<&'static str>,
}

/// One UI language in a file.
#[derive(Debug, Serialize, PartialEq)]
pub struct LangUse {
    pub code: &'static str,
    /// Listed in `languages`.
    pub declared: bool,
    /// How many of the file's texts have it, of `of`.
    pub texts: usize,
    pub of: usize,
}

#[derive(Debug, Serialize)]
pub struct Diag {
    /// 1-based line and column (in chars), as `kefu check` prints them.
    pub line: usize,
    pub col: usize,
    /// `error` or `warning`.
    pub severity: &'static str,
    pub message: String,
    /// What to write instead, when the checker knows it ("did you mean `apology`?", an ASCII
    /// character for a full-width one, the id the file name asks for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    /// The columns (1-based, in chars, `[from, to)`) on `line` that `fix` replaces: the word,
    /// the text inside the quotes, the `{placeholder}` or the one character.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix_at: Option<[usize; 2]>,
}

#[derive(Debug, Serialize)]
pub struct Graph {
    pub start: String,
    /// The customer's mood at the start, as written (30 when not written).
    pub mood: i64,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

#[derive(Debug, Serialize)]
pub struct Node {
    pub id: String,
    /// `turn` or `ending`.
    pub kind: &'static str,
    /// An ending's outcome as written (`resolved`, `escalated`, `lost`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<String>,
    /// The line of its `id` (where clicking the node goes).
    pub line: usize,
    /// Reached from the start by the branches as written.
    pub reachable: bool,
    /// A turn from which no ending can be reached.
    pub dead_end: bool,
}

#[derive(Debug, Serialize)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The condition in short (`all apology · mood < 30`), `otherwise` when there is none.
    pub label: String,
    /// The condition part by part (`cond_parts`), for the studio to word in the UI's language.
    pub conds: Vec<(&'static str, String)>,
    pub mood: i64,
    /// The line of its `goto`.
    pub line: usize,
    /// `goto` names no turn or ending of the file.
    pub dangling: bool,
}

#[derive(Debug, Serialize)]
pub struct SampleRun {
    /// The line of its `[[sample]]`.
    pub line: usize,
    pub turn: String,
    pub expect: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// No error on the sample: it led where expected and showed what it must.
    pub pass: bool,
    /// The turns it went through (the sample's own reply last), each with the mood there.
    pub path: Vec<(String, i32)>,
    /// Where it led and the mood there (absent when it could not be played).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<(String, i32)>,
}

/// Check `src` (named `file`) with its samples played, for the studio.
pub fn check_studio(file: &str, src: &str) -> Report {
    check_studio_in(file, src, Lang::En)
}

/// `check_studio`, its messages in `lang` (the studio's UI language).
pub fn check_studio_in(file: &str, src: &str, lang: Lang) -> Report {
    // The editor's text seldom ends with a line break (a saved file does): checked as if it
    // did, so a last line is not taken for a file cut short. Positions are the same.
    let owned;
    let checked = if src.is_empty() || src.ends_with('\n') {
        src
    } else {
        owned = format!("{src}\n");
        &owned
    };
    let (out, played, english) = crate::check::check_played(file, checked, true, lang);
    let lines = LineIndex::new(src);
    let diagnostics: Vec<Diag> = out
        .diagnostics
        .iter()
        .zip(&english)
        .map(|(d, en)| {
            let text = src.lines().nth(d.line.saturating_sub(1)).unwrap_or("");
            let fix = fix_of(text, d.col, en);
            Diag {
                line: d.line,
                col: d.col,
                severity: match d.severity {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                },
                fix_at: fix.as_ref().map(|f| [f.1, f.2]),
                fix: fix.map(|f| f.0),
                message: d.message.clone(),
            }
        })
        .collect();
    let raw = crate::check::raw_of(src).0;
    let graph = raw.as_ref().and_then(|r| graph(r, &lines));
    let samples = match (&raw, &played) {
        (Some(r), Some(s)) => samples(r, s, &lines, &diagnostics),
        _ => Vec::new(),
    };
    let (texts, languages) = raw
        .as_ref()
        .map(|r| text_langs(r, src, &lines))
        .unwrap_or_default();
    Report {
        ok: !out.has_errors(),
        diagnostics,
        graph,
        samples,
        texts,
        languages,
    }
}

/// Every text table of the file, in file order.
fn text_tables(raw: &RawScenario) -> Vec<&Spanned<RawText>> {
    let mut v = vec![&raw.title, &raw.brief];
    let c = raw.customer.get_ref();
    v.push(&c.name);
    v.extend(c.persona.as_ref());
    for t in &raw.turn {
        let t = t.get_ref();
        v.extend(t.say.get_ref());
        v.extend(&t.model);
        v.extend(t.hint.as_ref());
        for l in &t.line {
            v.extend(l.get_ref().say.get_ref());
        }
    }
    for e in &raw.ending {
        let e = e.get_ref();
        v.push(&e.text);
        v.extend(e.line.iter().map(|l| &l.get_ref().text));
    }
    v.sort_by_key(|t| t.span().start);
    v
}

/// Which languages each text lacks (of those the file declares or writes anywhere), and each
/// UI language's use in the file.
fn text_langs(raw: &RawScenario, src: &str, lines: &LineIndex) -> (Vec<TextLangs>, Vec<LangUse>) {
    let code = |k: &str| Lang::from_code(k);
    let tables = text_tables(raw);
    let has: Vec<Vec<Lang>> = tables
        .iter()
        .map(|t| {
            Lang::ALL
                .into_iter()
                .filter(|l| t.get_ref().keys().any(|k| code(k.get_ref()) == Some(*l)))
                .collect()
        })
        .collect();
    let declared: Vec<Lang> = raw
        .languages
        .get_ref()
        .iter()
        .filter_map(|l| code(l.get_ref()))
        .collect();
    // The customer's name may be written in a language the file is not played in (tips name
    // the customer in the UI's language): that is no language the other texts lack.
    let name = raw.customer.get_ref().name.span().start;
    let wanted: Vec<Lang> = Lang::ALL
        .into_iter()
        .filter(|l| {
            declared.contains(l)
                || tables
                    .iter()
                    .zip(&has)
                    .any(|(t, h)| t.span().start != name && h.contains(l))
        })
        .collect();
    let texts = tables
        .iter()
        .zip(&has)
        .filter_map(|(t, h)| {
            let lacks: Vec<&'static str> = wanted
                .iter()
                .filter(|l| !h.contains(l))
                .map(|l| l.code())
                .collect();
            let at = t.span().start;
            (!lacks.is_empty()).then(|| TextLangs {
                line: lines.line(at),
                col: lines.col(src, at),
                has: h.iter().map(|l| l.code()).collect(),
                lacks,
            })
        })
        .collect();
    let languages = Lang::ALL
        .into_iter()
        .map(|l| LangUse {
            code: l.code(),
            declared: declared.contains(&l),
            texts: has.iter().filter(|h| h.contains(&l)).count(),
            of: tables.len(),
        })
        .collect();
    (texts, languages)
}

/// The text between `before` and the next backquote in `msg`.
fn quoted_after<'m>(msg: &'m str, before: &str) -> Option<&'m str> {
    let rest = &msg[msg.find(before)? + before.len()..];
    Some(&rest[..rest.find('`')?])
}

/// The quick fix for a diagnostic at column `col` of `line`: what to write and the columns
/// `[from, to)` it replaces. From the checker's message: "did you mean `x`?" (the word, the
/// quoted text or the `{placeholder}` there), a full-width or curly character ("TOML needs
/// `,`", "must end with a straight `\"`": that one character), an id that is not the file's
/// name ("write `id = \"x\"`": the text inside the quotes).
fn fix_of(line: &str, col: usize, msg: &str) -> Option<(String, usize, usize)> {
    let chars: Vec<char> = line.chars().collect();
    // A list or table not closed: its bracket written where the message points (the end of
    // its last line, so no character is there to replace).
    if let Some(w) = quoted_after(msg, "is not closed: end it with `") {
        return (col <= chars.len() + 1).then(|| (w.to_string(), col, col));
    }
    let from = col.checked_sub(1).filter(|&i| i < chars.len())?;
    let at = chars[from];
    // The text inside the quotes that start at `from`.
    let inside = || {
        let close = chars[from + 1..].iter().position(|&c| c == at)?;
        Some((from + 2, from + 2 + close))
    };
    if let Some(x) = quoted_after(msg, "did you mean `") {
        let (a, b) = if at == '{' && x.starts_with('{') {
            let close = chars[from..].iter().position(|&c| c == '}')?;
            (col, col + close + 1)
        } else if at == '"' || at == '\'' {
            inside()?
        } else {
            let n = chars[from..]
                .iter()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
                .count();
            (col, col + n.max(1))
        };
        return Some((x.to_string(), a, b));
    }
    // A character typed in place of ASCII punctuation (a full-width space included): it and
    // the others like it after it on the line (`【【turn】】` in one fix, not four), the text
    // inside quotes kept as typed.
    let closing = quoted_after(msg, "must end with a straight `").is_some();
    if closing || quoted_after(msg, "TOML needs `").is_some() {
        let (w, end) = crate::check::checker::ascii_fix(line, from, closing)?;
        return Some((w, col, end + 1));
    }
    if msg.starts_with("a `,` after a value") && at == ',' {
        return Some((String::new(), col, col + 1));
    }
    // "`１２` is written in full-width digits: write `12`", "a key has no spaces: write
    // `max_turns`, not `max turns`": the text quoted replaced by the text to write.
    let swap = |was: &str, write: &str| {
        let n = was.chars().count();
        let here: String = chars.get(from..from + n)?.iter().collect();
        (here == was).then(|| (write.to_string(), col, col + n))
    };
    if msg.contains("` is written in full-width digits: write `") {
        return swap(
            quoted_after(msg, "`")?,
            quoted_after(msg, "digits: write `")?,
        );
    }
    if let Some(write) = quoted_after(msg, "a key has no spaces: write `") {
        return swap(quoted_after(msg, "`, not `")?, write);
    }
    if msg.starts_with("the id `") && (at == '"' || at == '\'') {
        let stem = quoted_after(msg, "write `id = \"")?.strip_suffix('"')?;
        let (a, b) = inside()?;
        return Some((stem.to_string(), a, b));
    }
    None
}

struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(src: &str) -> Self {
        let mut v = vec![0];
        v.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex(v)
    }
    /// The 1-based line of a byte offset.
    fn line(&self, byte: usize) -> usize {
        self.0.partition_point(|&s| s <= byte).max(1)
    }
    /// The 1-based column (in chars) of a byte offset.
    fn col(&self, src: &str, byte: usize) -> usize {
        let start = self.0[self.line(byte) - 1];
        src.get(start..byte).map_or(1, |s| s.chars().count() + 1)
    }
}

/// A branch's condition, part by part: `(what, value)`, `what` one of `all`, `any`, `none`
/// (principle ids, joined), `min_score`, `max_score`, `mood_below`, `mood_above`,
/// `turns_taken`; empty for "otherwise". The studio words each part in the UI's language.
fn cond_parts(c: RawCond) -> Vec<(&'static str, String)> {
    let ids = |v: &[toml::Spanned<String>], sep: &str| {
        v.iter()
            .map(|s| s.get_ref().as_str())
            .collect::<Vec<_>>()
            .join(sep)
    };
    let mut parts = Vec::new();
    if !c.all.is_empty() {
        parts.push(("all", ids(c.all, "+")));
    }
    if !c.any.is_empty() {
        parts.push(("any", ids(c.any, "/")));
    }
    if !c.none.is_empty() {
        parts.push(("none", ids(c.none, "/")));
    }
    let num = |o: &Option<toml::Spanned<i64>>| o.as_ref().map(|v| *v.get_ref());
    for (v, what) in [
        (num(c.min_score), "min_score"),
        (num(c.max_score), "max_score"),
        (num(c.mood_below), "mood_below"),
        (num(c.mood_above), "mood_above"),
        (num(c.turns_taken), "turns_taken"),
    ] {
        if let Some(v) = v {
            parts.push((what, v.to_string()));
        }
    }
    parts
}

/// The condition in short, in English (`all apology · mood < 30`, `otherwise`).
fn cond_label(parts: &[(&'static str, String)]) -> String {
    if parts.is_empty() {
        return "otherwise".into();
    }
    parts
        .iter()
        .map(|(what, v)| {
            let w = match *what {
                "min_score" => "score ≥",
                "max_score" => "score ≤",
                "mood_below" => "mood <",
                "mood_above" => "mood >",
                "turns_taken" => "reply ≥",
                w => w,
            };
            format!("{w} {v}")
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn graph(raw: &RawScenario, lines: &LineIndex) -> Option<Graph> {
    let turns: Vec<_> = raw.turn.iter().map(|t| t.get_ref()).collect();
    let first = turns.first()?;
    // Two nodes with one id (a turn and an ending both `thanks`) are no map: the checker's
    // error says which; the studio keeps the last map drawn, marked as stale (it drew one
    // node over another, with NaN positions).
    let mut ids = std::collections::BTreeSet::new();
    let unique = turns
        .iter()
        .map(|t| t.id.get_ref())
        .chain(raw.ending.iter().map(|e| e.get_ref().id.get_ref()))
        .all(|id| ids.insert(id));
    if !unique {
        return None;
    }
    let start = raw
        .start
        .as_ref()
        .map_or_else(|| first.id.get_ref().clone(), |s| s.get_ref().clone());
    let index: BTreeMap<&str, usize> = turns
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.get_ref().as_str(), i))
        .collect();
    let is_ending = |id: &str| raw.ending.iter().any(|e| e.get_ref().id.get_ref() == id);
    // Reached from the start; turns that reach an ending (fixed point).
    let mut seen = vec![false; turns.len()];
    if let Some(&s) = index.get(start.as_str()) {
        seen[s] = true;
        let mut q = VecDeque::from([s]);
        while let Some(i) = q.pop_front() {
            for n in &turns[i].next {
                if let Some(&j) = index.get(n.get_ref().goto.get_ref().as_str()) {
                    if !seen[j] {
                        seen[j] = true;
                        q.push_back(j);
                    }
                }
            }
        }
    }
    let mut ends = vec![false; turns.len()];
    loop {
        let mut changed = false;
        for i in 0..turns.len() {
            if !ends[i]
                && turns[i].next.iter().any(|n| {
                    let g = n.get_ref().goto.get_ref().as_str();
                    is_ending(g) || index.get(g).is_some_and(|&j| ends[j])
                })
            {
                ends[i] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    let mut nodes: Vec<Node> = turns
        .iter()
        .enumerate()
        .map(|(i, t)| Node {
            id: t.id.get_ref().clone(),
            kind: "turn",
            outcome: None,
            line: lines.line(t.id.span().start),
            reachable: seen[i],
            dead_end: !ends[i],
        })
        .collect();
    let targets_reached = |id: &str| {
        turns.iter().enumerate().any(|(i, t)| {
            seen[i]
                && t.next
                    .iter()
                    .any(|n| n.get_ref().goto.get_ref().as_str() == id)
        })
    };
    nodes.extend(raw.ending.iter().map(|e| {
        let e = e.get_ref();
        Node {
            id: e.id.get_ref().clone(),
            kind: "ending",
            outcome: Some(e.outcome.get_ref().clone()),
            line: lines.line(e.id.span().start),
            reachable: targets_reached(e.id.get_ref())
                || raw
                    .customer
                    .get_ref()
                    .gives_up
                    .as_ref()
                    .is_some_and(|g| g.get_ref() == e.id.get_ref()),
            dead_end: false,
        }
    }));
    let (index, is_ending) = (&index, &is_ending);
    let edges = turns
        .iter()
        .flat_map(|t| {
            t.next.iter().map(move |n| {
                let n = n.get_ref();
                let to = n.goto.get_ref().clone();
                let conds = cond_parts(n.cond());
                Edge {
                    from: t.id.get_ref().clone(),
                    dangling: !index.contains_key(to.as_str()) && !is_ending(&to),
                    to,
                    label: cond_label(&conds),
                    conds,
                    mood: n.mood.as_ref().map_or(0, |m| *m.get_ref()),
                    line: lines.line(n.goto.span().start),
                }
            })
        })
        .collect();
    Some(Graph {
        start,
        mood: raw
            .customer
            .get_ref()
            .mood
            .as_ref()
            .map_or(30, |m| *m.get_ref()),
        nodes,
        edges,
    })
}

fn samples(raw: &RawScenario, s: &Scenario, lines: &LineIndex, diags: &[Diag]) -> Vec<SampleRun> {
    // A sample's lines: from its own to the next one's (a table's span may stop at its header).
    let starts: Vec<usize> = raw
        .sample
        .iter()
        .map(|rs| lines.line(rs.span().start))
        .collect();
    raw.sample
        .iter()
        .enumerate()
        .map(|(i, rs)| {
            let from = starts[i];
            let to = starts.get(i + 1).map_or(usize::MAX, |n| n - 1);
            let r = rs.get_ref();
            let played = s
                .samples
                .iter()
                .find(|x| x.line == from)
                .and_then(|x| x.played.as_ref());
            SampleRun {
                line: from,
                turn: r.turn.get_ref().clone(),
                expect: r.expect.get_ref().clone(),
                label: r.label.as_ref().map(|l| l.get_ref().clone()),
                pass: played.is_some()
                    && !diags
                        .iter()
                        .any(|d| d.severity == "error" && (from..=to).contains(&d.line)),
                path: played.map_or_else(Vec::new, |p| {
                    p.steps.iter().map(|x| (x.turn.clone(), x.mood)).collect()
                }),
                at: played.map(|p| (p.at.clone(), p.mood)),
            }
        })
        .collect()
}
