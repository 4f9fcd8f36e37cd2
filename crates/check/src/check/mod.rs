//! The checker: `RawScenario` → `Scenario` with diagnostics in a trainer's words, each at
//! `FILE:LINE:COLUMN`, each saying what to write instead. Runs the file's sample replies.

use crate::raw::{RawCond, RawScenario, RawText, Spanned};
use kefu_core::dialogue::{explore, Reach, Session};
use kefu_core::judgement::{ClaimRule, FactRule, ScenarioKind};
use kefu_core::principles::{self, Lang, PrincipleId};
use kefu_core::scenario::*;
use kefu_core::spelling::typo_distance;
use kefu_judge::{native_judge, score};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

mod asks;
mod build;
pub(crate) mod checker;
mod cond;
mod graph;
mod policy;
mod samples;

use build::build;
use checker::{
    filled_size, friendly_toml_error, lang_instead, msg, ordinal, suggest, Checker, Lines, List,
    Msg,
};
use cond::{cond_of, line_of};
use graph::graph;
pub use samples::SAMPLE_SEED;
use samples::{check_models, run_samples};

/// Limits that keep a trainer's file from making scoring slow.
pub const MAX_TERM_CHARS: usize = 60;
pub const MAX_TERMS_PER_TURN: usize = 200;
pub const MAX_TURNS: usize = 200;
pub use kefu_core::scenario::MAX_FILE_BYTES;
/// How deep placeholders may fill each other (`a = ["…{b}…"]`, `b = ["…{c}…"]`: 3 levels).
pub const MAX_PLACEHOLDER_DEPTH: usize = 3;
/// The most chars a placeholder's value, or a text, may grow to once placeholders are filled.
pub const MAX_FILLED_CHARS: usize = 20_000;

/// The result of checking one file: what it describes (a `Scenario`, or an `Exam` for an exam
/// file: `exam::ExamOutput`) when it has no errors, and every diagnostic.
#[derive(Debug, Clone)]
pub struct CheckOutput<T = Scenario> {
    pub value: Option<T>,
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> CheckOutput<T> {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

/// Check one scenario file. `file` is the name used in diagnostics.
pub fn check_source(file: &str, src: &str) -> CheckOutput {
    check_source_with(file, src, true)
}

/// `check_source`, with or without playing the file's sample replies and model answers
/// through the scorer (`play`). Without, only the file itself is checked: the browser lists
/// its library that way first, then plays the samples off the critical path.
pub fn check_source_with(file: &str, src: &str, play: bool) -> CheckOutput {
    check_played(file, src, play, Lang::En).0
}

/// `check_source_with`, its messages in `lang` (the browser's: the UI language; the
/// `FILE:LINE:COLUMN` and the TOML quoted in them as written).
pub fn check_source_in(file: &str, src: &str, play: bool, lang: Lang) -> CheckOutput {
    check_played(file, src, play, lang).0
}

/// `check_source_in`, the scenario as built and played before errors withhold it (its
/// samples with the paths they took, failing ones included: what the studio shows), and each
/// diagnostic's message in English (the studio's quick fixes are read from those).
pub(crate) fn check_played(
    file: &str,
    src: &str,
    play: bool,
    lang: Lang,
) -> (CheckOutput, Option<Scenario>, Vec<String>) {
    let mut ck = Checker {
        lang,
        file,
        src,
        lines: Lines::new(src),
        out: Vec::new(),
        english: Vec::new(),
        fills: BTreeMap::new(),
        missing: Vec::new(),
        written: BTreeSet::new(),
    };
    // A file too large to read and one TOML cannot parse: its error, and nothing to build
    // (keys the format does not know are told all at once, `read_raw`).
    let raw = if src.len() > MAX_FILE_BYTES {
        ck.push(
            Severity::Error,
            0,
            msg!("check.file_too_big", kb = MAX_FILE_BYTES / 1024),
        );
        None
    } else {
        read_raw(&mut ck, src)
    };
    let raw = match raw {
        Some(r) => r,
        None => {
            return (
                CheckOutput {
                    value: None,
                    diagnostics: ck.out,
                },
                None,
                ck.english,
            );
        }
    };
    id_matches_file(&mut ck, &raw);
    let scenario = build(&mut ck, &raw);
    ck.settle_languages(raw.languages.get_ref());
    let mut scenario = scenario.filter(|_| !ck.out.iter().any(|d| d.severity == Severity::Error));
    if let Some(s) = scenario.as_mut().filter(|_| play) {
        s.samples = run_samples(&mut ck, s, &raw);
        check_models(&mut ck, s, &raw);
    }
    let played = scenario.clone();
    if ck.out.iter().any(|d| d.severity == Severity::Error) {
        scenario = None;
    }
    // In order of place in the file (stably), the English beside each message.
    let mut both: Vec<(Diagnostic, String)> = ck.out.into_iter().zip(ck.english).collect();
    both.sort_by_key(|(d, _)| (d.line, d.col));
    let (diagnostics, english) = both.into_iter().unzip();
    (
        CheckOutput {
            value: scenario,
            diagnostics,
        },
        played,
        english,
    )
}

/// At most this many keys the format does not know, or values of the wrong kind, are told and
/// passed over before the file is given up as not a scenario file.
const MAX_UNKNOWN_KEYS: usize = 30;

/// The raw form of `src`. A key the format does not know (a misspelling: `tittle`, `mod`) is
/// told, with the key it may mean, then blanked out and the file read again; so is a value of
/// the wrong kind (`max_turns = "12"`): every one is told in one run, and the rest of the file
/// is still checked (a trainer fixes them in one round, not one per run). A wrong value blanked
/// from a key the format requires ends the reading there (its "missing" would only repeat it);
/// any other error TOML or the raw form finds (a syntax error, a key missing) is told and ends
/// the reading (`None`).
fn read_raw(ck: &mut Checker, src: &str) -> Option<RawScenario> {
    let (raw, errors) = raw_of(src);
    for (at, msg) in errors {
        ck.push(Severity::Error, at, msg);
    }
    raw
}

/// `read_raw`'s reading: the raw form, if any, and the errors found on the way (the studio's
/// map and outline are drawn from a file with misspelt keys too).
pub(crate) fn raw_of(src: &str) -> (Option<RawScenario>, Vec<(usize, Msg)>) {
    let mut errors = Vec::new();
    let mut blanked: Option<String> = None;
    // The keys whose wrong values were blanked.
    let mut wrong: Vec<String> = Vec::new();
    for _ in 0..=MAX_UNKNOWN_KEYS {
        let now = blanked.as_deref().unwrap_or(src);
        let e = match toml::from_str::<RawScenario>(now) {
            Ok(r) => return (Some(r), errors),
            Err(e) => e,
        };
        let missing = e.message().strip_prefix("missing field `");
        if missing.is_some_and(|m| wrong.iter().any(|w| m.starts_with(&format!("{w}`")))) {
            return (None, errors);
        }
        // Blanked bytes keep their offsets: positions are the original file's.
        errors.push(unparsable(src, &e));
        let at = e.span().map(|s| s.start);
        let wrong_kind = e.message().starts_with("invalid type");
        let entry = if e.message().starts_with("unknown field") {
            at.and_then(|a| entry_at(now, Find::Key(a)))
        } else if wrong_kind {
            at.and_then(|a| entry_at(now, Find::Value(a)))
        } else {
            None
        };
        let Some((a, b, key)) = entry else {
            return (None, errors);
        };
        if wrong_kind {
            wrong.push(key);
        }
        let mut bytes = now.as_bytes().to_vec();
        for c in &mut bytes[a..b] {
            if !matches!(*c, b'\n' | b'\r') {
                *c = b' ';
            }
        }
        let Ok(text) = String::from_utf8(bytes) else {
            return (None, errors);
        };
        blanked = Some(text);
    }
    (None, errors)
}

/// Which entry `entry_at` looks for: the one whose key starts at a byte, or the innermost one
/// whose value holds it.
#[derive(Clone, Copy)]
enum Find {
    Key(usize),
    Value(usize),
}

/// The bytes of the `key = value` entry `find` names (with the comma after it in an inline
/// table), from TOML's own spans, and its key; `None` for a table header's key (`[customr]`:
/// blanked, its keys would fall to the table before it) or a value that is a table of its own.
fn entry_at(text: &str, find: Find) -> Option<(usize, usize, String)> {
    use toml::de::{DeTable, DeValue};
    fn in_table(t: &DeTable, find: Find) -> Option<(usize, usize, String)> {
        t.iter().find_map(|(k, v)| {
            let (ks, vs) = (k.span(), v.span());
            match find {
                Find::Key(at) if ks.start == at => {
                    Some((ks.start, vs.end, k.get_ref().to_string()))
                }
                Find::Value(at) if vs.contains(&at) || vs.start == at => {
                    in_value(v.get_ref(), find).or_else(|| {
                        // A header's table (`[customer]`) spans no `key =` of its own.
                        (ks.end <= vs.start && !matches!(v.get_ref(), DeValue::Table(_)))
                            .then(|| (ks.start, vs.end, k.get_ref().to_string()))
                    })
                }
                _ => in_value(v.get_ref(), find),
            }
        })
    }
    fn in_value(v: &DeValue, find: Find) -> Option<(usize, usize, String)> {
        match v {
            DeValue::Table(t) => in_table(t, find),
            DeValue::Array(a) => a.iter().find_map(|x| in_value(x.get_ref(), find)),
            _ => None,
        }
    }
    if let Find::Key(key) = find {
        let line = text.get(..key)?.rfind('\n').map_or(0, |i| i + 1);
        if text[line..key].trim_start().starts_with('[') {
            return None;
        }
    }
    let doc = DeTable::parse(text).ok()?;
    let (start, end, key) = in_table(doc.get_ref(), find)?;
    let rest = &text[end..];
    let gap = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    Some((
        start,
        if rest[gap..].starts_with(',') {
            end + gap + 1
        } else {
            end
        },
        key,
    ))
}

/// Where and why TOML could not parse `src`: the real cause when the parser's message is about
/// its symptom, "cut short" for a file that stops mid-line, else the parser's message in plain
/// words.
fn unparsable(src: &str, e: &toml::de::Error) -> (usize, Msg) {
    let at = e.span().map_or(0, |s| s.start).min(src.len());
    // An editor ends a saved file with a newline; a file cut short (a failed copy, an
    // interrupted save) usually stops mid-line. Say so when the error is on that line.
    let last_line_start = src.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
    // The real cause, when the parser's message is about its symptom: a full-width or
    // curly character where TOML needs ASCII punctuation, a string broken by a line break.
    let cut_short = !src.is_empty() && !src.ends_with('\n') && at >= last_line_start;
    match checker::real_cause(src, at).filter(|_| !cut_short) {
        Some(found) => found,
        None if cut_short => {
            let first = e.message().lines().next().unwrap_or("").trim();
            (
                at,
                msg!("check.cut_short", first = checker::parser_words(first)),
            )
        }
        None => {
            let first = e.message().lines().next().unwrap_or("").trim();
            checker::parser_cause(src, at, first)
                .unwrap_or_else(|| (at, friendly_toml_error(e.message())))
        }
    }
}

/// The library finds a scenario file by its id: a file `x.toml` whose `id` is `y` is a copy
/// renamed on one side only (a warning: the file still plays).
fn id_matches_file(ck: &mut Checker, raw: &RawScenario) {
    let Some(stem) = ck
        .file
        .rsplit(['/', '\\'])
        .next()
        .and_then(|f| f.strip_suffix(".toml"))
    else {
        return;
    };
    let id = raw.id.get_ref();
    if !stem.is_empty() && id != stem {
        ck.warn(&raw.id, msg!("check.id_not_file", id = id, stem = stem));
    }
}
