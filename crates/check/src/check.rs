//! The checker: `RawScenario` → `Scenario` with diagnostics in a trainer's words, each at
//! `FILE:LINE:COLUMN`, each saying what to write instead. Runs the file's sample replies.

use crate::raw::{RawScenario, RawText, S};
use kefu_core::dialogue::{explore, Reach, Session};
use kefu_core::judgement::{ClaimRule, FactRule, ScenarioKind};
use kefu_core::principles::{self, Lang};
use kefu_core::scenario::*;
use kefu_core::spelling::typo_distance;
use kefu_judge::{native_judge, score};
use std::collections::{BTreeMap, BTreeSet, VecDeque};

/// Limits that keep a trainer's file from making scoring slow.
pub const MAX_TERM_CHARS: usize = 60;
pub const MAX_TERMS_PER_TURN: usize = 200;
pub const MAX_TURNS: usize = 200;
pub const MAX_FILE_BYTES: usize = 1 << 20;
/// How deep placeholders may fill each other (`a = ["…{b}…"]`, `b = ["…{c}…"]`: 3 levels).
pub const MAX_PLACEHOLDER_DEPTH: usize = 3;
/// The most chars a placeholder's value, or a text, may grow to once placeholders are filled.
pub const MAX_FILLED_CHARS: usize = 20_000;

/// The result of checking one file: the scenario when it has no errors, and every diagnostic.
#[derive(Debug, Clone)]
pub struct CheckOutput {
    pub scenario: Option<Scenario>,
    pub diagnostics: Vec<Diagnostic>,
}

impl CheckOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }
}

struct Lines {
    starts: Vec<usize>,
}

impl Lines {
    fn new(src: &str) -> Lines {
        let mut starts = vec![0];
        starts.extend(src.match_indices('\n').map(|(i, _)| i + 1));
        Lines { starts }
    }
    /// 1-based line and column (in chars) of a byte offset.
    fn at(&self, src: &str, byte: usize) -> (usize, usize) {
        let byte = byte.min(src.len());
        let line = self.starts.partition_point(|&s| s <= byte).max(1);
        let start = self.starts[line - 1];
        let col = src.get(start..byte).map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

struct Ck<'a> {
    file: &'a str,
    src: &'a str,
    lines: Lines,
    out: Vec<Diagnostic>,
    /// Per placeholder: how deep its values fill others, and its longest value once filled.
    fills: BTreeMap<String, (usize, usize)>,
}

impl Ck<'_> {
    fn push(&mut self, sev: Severity, at: usize, msg: String) {
        let (line, col) = self.lines.at(self.src, at);
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            severity: sev,
            message: msg,
        });
    }
    fn err<T>(&mut self, at: &S<T>, msg: impl Into<String>) {
        self.push(Severity::Error, at.span().start, msg.into());
    }
    fn warn<T>(&mut self, at: &S<T>, msg: impl Into<String>) {
        self.push(Severity::Warning, at.span().start, msg.into());
    }

    fn principle(&mut self, id: &S<String>) -> Option<String> {
        let v = id.get_ref();
        if principles::get(v).is_some() {
            return Some(v.clone());
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

    /// Text in every declared language; unknown language codes are errors.
    fn text(&mut self, t: &S<RawText>, what: &str, langs: &[Lang]) -> Loc {
        self.text_sev(t, what, langs, Severity::Error)
    }

    /// Like `text`, but a declared language with no text is reported with `missing` severity
    /// (a warning for optional help such as hints: the app falls back to another language).
    fn text_sev(&mut self, t: &S<RawText>, what: &str, langs: &[Lang], missing: Severity) -> Loc {
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
                        "unknown language `{}` in {what}: write `zh-Hans`, `zh-Hant` or `en`",
                        k.get_ref()
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

    fn placeholders_in(&mut self, t: &S<RawText>, known: &BTreeSet<String>) {
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
            let mut rest = s.as_str();
            while let Some(open) = rest.find('{') {
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
                    self.err(v, format!("unknown placeholder `{{{name}}}`: {hint}"));
                }
                rest = &after[close + 1..];
            }
        }
    }
}

/// The placeholders of `fills` that `s` uses: how deep their filling goes, and how long `s`
/// grows once they are filled (chars, saturating).
fn filled_size(s: &str, fills: &BTreeMap<String, (usize, usize)>) -> (usize, usize) {
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

fn friendly_toml_error(msg: &str) -> String {
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
    if first.contains("invalid type") {
        return format!("{first} (see docs/scenario-format.md for the type each key takes)");
    }
    format!("{first} (see docs/scenario-format.md)")
}

/// Is `typed` near enough to `known` to suggest it (a typo, not a different word)?
fn close_enough(known: &str, typed: &str) -> bool {
    let d = typo_distance(known, typed);
    d <= 1 || (d <= 3 && d * 3 <= known.chars().count())
}

/// ": did you mean `x`?" when one of `known` is a likely typo of `typed`, else the list.
fn suggest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> String {
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

/// The parts of a condition as written (a branch or a line variant).
struct CondParts<'a> {
    all: &'a [S<String>],
    any: &'a [S<String>],
    none: &'a [S<String>],
    min_score: &'a Option<S<i64>>,
    max_score: &'a Option<S<i64>>,
    mood_below: &'a Option<S<i64>>,
    mood_above: &'a Option<S<i64>>,
    turns_taken: &'a Option<S<i64>>,
}

fn cond_of(ck: &mut Ck, c: CondParts, max_turns_declared: usize) -> Cond {
    let mut cond = Cond::default();
    for (src, dst) in [
        (c.all, &mut cond.all),
        (c.any, &mut cond.any),
        (c.none, &mut cond.none),
    ] {
        for p in src {
            if let Some(p) = ck.principle(p) {
                dst.push(p);
            }
        }
    }
    for (src, dst) in [
        (c.min_score, &mut cond.min_score),
        (c.max_score, &mut cond.max_score),
    ] {
        if let Some(v) = src {
            if !(0..=100).contains(v.get_ref()) {
                ck.err(v, "a score is from 0 to 100");
            }
            *dst = Some((*v.get_ref()).clamp(0, 100) as u8);
        }
    }
    if let Some(v) = &c.mood_below {
        if !(1..=100).contains(v.get_ref()) {
            ck.err(v, "`mood_below` is from 1 to 100 (the mood is 0 to 100, so `mood_below = 0` never holds): e.g. `mood_below = 20` holds while the customer's mood is 0 to 19");
        }
        cond.mood_below = Some((*v.get_ref()).clamp(1, 100) as i32);
    }
    if let Some(v) = &c.mood_above {
        if !(0..=99).contains(v.get_ref()) {
            ck.err(v, "`mood_above` is from 0 to 99 (the mood is 0 to 100, so `mood_above = 100` never holds): e.g. `mood_above = 60` holds while the customer's mood is 61 to 100");
        }
        cond.mood_above = Some((*v.get_ref()).clamp(0, 99) as i32);
    }
    if let (Some(b), Some(a)) = (&c.mood_below, &c.mood_above) {
        if *b.get_ref() <= *a.get_ref() + 1 {
            ck.err(b, format!(
                "no mood is both below {} and above {}, so this condition never holds: make `mood_below` greater than `mood_above` + 1",
                b.get_ref(), a.get_ref()
            ));
        }
    }
    if let Some(v) = &c.turns_taken {
        if !(1..=100).contains(v.get_ref()) {
            ck.err(v, "`turns_taken` is from 1 to 100: `turns_taken = 3` holds from the trainee's 3rd reply on");
        } else if *v.get_ref() > max_turns_declared as i64 {
            ck.err(v, format!(
                "`turns_taken = {}` never holds: the customer gives up after `max_turns` = {max_turns_declared} replies; use a number up to {max_turns_declared}",
                v.get_ref()
            ));
        }
        cond.turns_taken = Some((*v.get_ref()).clamp(1, 100) as usize);
    }
    cond
}

/// Check one scenario file. `file` is the name used in diagnostics.
pub fn check_source(file: &str, src: &str) -> CheckOutput {
    check_source_with(file, src, true)
}

/// `check_source`, with or without playing the file's sample replies and model answers
/// through the scorer (`play`). Without, only the file itself is checked: the browser lists
/// its library that way first, then plays the samples off the critical path.
pub fn check_source_with(file: &str, src: &str, play: bool) -> CheckOutput {
    let mut ck = Ck {
        file,
        src,
        lines: Lines::new(src),
        out: Vec::new(),
        fills: BTreeMap::new(),
    };
    if src.len() > MAX_FILE_BYTES {
        ck.push(
            Severity::Error,
            0,
            format!(
                "the file is {} KB; a scenario may be at most {} KB: split it",
                src.len() / 1024,
                MAX_FILE_BYTES / 1024
            ),
        );
        return CheckOutput {
            scenario: None,
            diagnostics: ck.out,
        };
    }
    let raw: RawScenario = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start).min(src.len());
            // An editor ends a saved file with a newline; a file cut short (a failed copy, an
            // interrupted save) usually stops mid-line. Say so when the error is on that line.
            let last_line_start = src.trim_end_matches('\n').rfind('\n').map_or(0, |i| i + 1);
            let msg = if !src.is_empty() && !src.ends_with('\n') && at >= last_line_start {
                let first = e.message().lines().next().unwrap_or("").trim();
                format!("the file ends in the middle of this line ({first}): it looks cut short; restore the rest of the file from your copy, or finish this line")
            } else {
                friendly_toml_error(e.message())
            };
            ck.push(Severity::Error, at, msg);
            return CheckOutput {
                scenario: None,
                diagnostics: ck.out,
            };
        }
    };
    let scenario = build(&mut ck, &raw);
    let mut scenario = scenario.filter(|_| !ck.out.iter().any(|d| d.severity == Severity::Error));
    if let Some(s) = scenario.as_mut().filter(|_| play) {
        s.samples = run_samples(&mut ck, s, &raw);
        check_models(&mut ck, s, &raw);
    }
    if ck.out.iter().any(|d| d.severity == Severity::Error) {
        scenario = None;
    }
    ck.out.sort_by_key(|d| (d.line, d.col));
    CheckOutput {
        scenario,
        diagnostics: ck.out,
    }
}

fn build(ck: &mut Ck, raw: &RawScenario) -> Option<Scenario> {
    // Identity and languages.
    let id = raw.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        ck.err(&raw.id, "a scenario id may use only a-z, 0-9, `-` and `_` (it is part of the page address): e.g. `late-delivery`");
    }
    let kind = match raw.kind.get_ref().as_str() {
        "angry" => ScenarioKind::Angry,
        "objection" => ScenarioKind::Objection,
        "product" => ScenarioKind::Product,
        other => {
            ck.err(
                &raw.kind,
                format!("unknown kind `{other}`: write `angry`, `objection` or `product`"),
            );
            ScenarioKind::General
        }
    };
    let mut languages = Vec::new();
    for l in raw.languages.get_ref() {
        match Lang::parse(l.get_ref()).filter(|x| x.code() == l.get_ref()) {
            Some(x) if languages.contains(&x) => {
                ck.warn(l, format!("`{}` is listed twice", l.get_ref()))
            }
            Some(x) => languages.push(x),
            None => ck.err(
                l,
                format!(
                    "unknown language `{}`: write `zh-Hans`, `zh-Hant` or `en`",
                    l.get_ref()
                ),
            ),
        }
    }
    if languages.is_empty() {
        ck.err(
            &raw.languages,
            "list at least one language: `languages = [\"zh-Hans\", \"en\"]`",
        );
    }
    let product = raw.product.as_ref().map(|p| p.get_ref().clone());
    match (&raw.product, kind) {
        (Some(p), _) if product_name(p.get_ref(), Lang::En).is_none() => ck.err(
            p,
            format!(
                "unknown product `{}`: write one of {}",
                p.get_ref(),
                PRODUCTS
                    .iter()
                    .map(|p| format!("`{}`", p.0))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
        (None, ScenarioKind::Product) => ck.err(
            &raw.kind,
            "a product question needs `product = \"chiller\"`, `\"f40\"` or `\"afg\"`",
        ),
        _ => {}
    }
    let difficulty = raw.difficulty.as_ref().map_or(1, |d| {
        if !(1..=3).contains(d.get_ref()) {
            ck.err(d, "difficulty is 1 (easy), 2 or 3 (hard)");
        }
        (*d.get_ref()).clamp(1, 3) as u8
    });
    let minutes = raw.minutes.as_ref().map_or(5, |m| {
        if !(1..=120).contains(m.get_ref()) {
            ck.err(m, "minutes is the estimated time to play, 1 to 120");
        }
        (*m.get_ref()).clamp(1, 120) as u16
    });
    let title = ck.text(&raw.title, "`title`", &languages);
    let brief = ck.text(&raw.brief, "`brief`", &languages);
    let customer = raw.customer.get_ref();
    let customer_name = ck.text(&customer.name, "`customer.name`", &languages);
    let persona = customer
        .persona
        .as_ref()
        .map(|p| ck.text_sev(p, "`customer.persona`", &languages, Severity::Warning));
    let mood = customer.mood.as_ref().map_or(30, |m| {
        if !(0..=100).contains(m.get_ref()) {
            ck.err(m, "mood is 0 (furious) to 100 (happy)");
        }
        (*m.get_ref()).clamp(0, 100) as i32
    });

    // Placeholders.
    let mut known: BTreeSet<String> = ["name".to_string()].into();
    if product.is_some() {
        known.insert("product".into());
    }
    let mut placeholders = BTreeMap::new();
    for (k, v) in &raw.placeholders {
        if v.get_ref().is_empty() {
            ck.err(
                v,
                format!(
                    "placeholder `{}` has no values: list at least one, e.g. `{} = [\"…\"]`",
                    k.get_ref(),
                    k.get_ref()
                ),
            );
        }
        known.insert(k.get_ref().clone());
        placeholders.insert(
            k.get_ref().clone(),
            v.get_ref().iter().map(|s| s.get_ref().clone()).collect(),
        );
    }
    // Placeholders are filled in name order, so a value may use a placeholder named after its
    // own (`a = ["{b}"]`): bounded in depth and in size, or a few KB of placeholders filling
    // each other a hundred times a level would grow to gigabytes. Last name first: each is
    // sized with the ones filled inside it.
    for (k, v) in raw.placeholders.iter().rev() {
        let (mut depth, mut longest) = (1, 0);
        for val in v.get_ref() {
            let (d, chars) = filled_size(val.get_ref(), &ck.fills);
            if d + 1 > MAX_PLACEHOLDER_DEPTH {
                ck.err(val, format!("placeholder `{}` fills placeholders that fill others, {} levels deep (at most {MAX_PLACEHOLDER_DEPTH}): write this value as plain text", k.get_ref(), d + 1));
            } else if chars.saturating_sub(val.get_ref().chars().count()) > MAX_FILLED_CHARS {
                ck.err(val, format!("placeholder `{}` grows to {chars} characters once the placeholders in it are filled (at most {MAX_FILLED_CHARS} more than written): use fewer placeholders in it, or write it as plain text", k.get_ref()));
            }
            depth = depth.max(d + 1);
            longest = longest.max(chars);
        }
        ck.fills
            .insert(k.get_ref().clone(), (depth, longest.min(MAX_FILLED_CHARS)));
    }
    ck.placeholders_in(&raw.brief, &known);
    for v in raw.title.get_ref().values() {
        if v.get_ref().contains('{') && v.get_ref().contains('}') {
            ck.warn(v, "the title is shown in the library as written, so a `{placeholder}` in it is not filled: write the text itself");
        }
    }
    if let Some(p) = &customer.persona {
        ck.placeholders_in(p, &known);
    }

    // Ids of turns and endings.
    let mut names: BTreeMap<String, Target> = BTreeMap::new();
    if raw.turn.is_empty() {
        ck.push(
            Severity::Error,
            0,
            "the scenario has no turns: add a `[[turn]]` with `id`, `say` and `[[turn.next]]`"
                .into(),
        );
    }
    if raw.turn.len() > MAX_TURNS {
        ck.err(&raw.turn[MAX_TURNS], format!("at most {MAX_TURNS} turns"));
    }
    if raw.ending.is_empty() {
        ck.push(
            Severity::Error,
            0,
            "the scenario has no endings: add an `[[ending]]` with `id`, `outcome` and `text`"
                .into(),
        );
    }
    for (i, t) in raw.turn.iter().enumerate() {
        let tid = &t.get_ref().id;
        if names
            .insert(tid.get_ref().clone(), Target::Turn(i))
            .is_some()
        {
            ck.err(
                tid,
                format!(
                    "duplicate id `{}`: every turn and ending needs its own id",
                    tid.get_ref()
                ),
            );
        }
    }
    let max_turns_declared = raw
        .max_turns
        .as_ref()
        .map_or(12, |m| (*m.get_ref()).clamp(1, 100) as usize);
    let mut endings = Vec::new();
    for (i, e) in raw.ending.iter().enumerate() {
        let e = e.get_ref();
        if names
            .insert(e.id.get_ref().clone(), Target::Ending(i))
            .is_some()
        {
            ck.err(
                &e.id,
                format!(
                    "duplicate id `{}`: every turn and ending needs its own id",
                    e.id.get_ref()
                ),
            );
        }
        let outcome = Outcome::parse(e.outcome.get_ref()).unwrap_or_else(|| {
            ck.err(
                &e.outcome,
                format!(
                    "unknown outcome `{}`: write `resolved`, `escalated` or `lost`",
                    e.outcome.get_ref()
                ),
            );
            Outcome::Resolved
        });
        let text = ck.text(
            &e.text,
            &format!("ending `{}` text", e.id.get_ref()),
            &languages,
        );
        ck.placeholders_in(&e.text, &known);
        let mut lines = Vec::new();
        for l in &e.line {
            let l = l.get_ref();
            let cond = cond_of(
                ck,
                CondParts {
                    all: &l.all,
                    any: &l.any,
                    none: &l.none,
                    min_score: &l.min_score,
                    max_score: &l.max_score,
                    mood_below: &l.mood_below,
                    mood_above: &l.mood_above,
                    turns_taken: &l.turns_taken,
                },
                max_turns_declared,
            );
            let requires = l.requires.iter().filter_map(|p| ck.principle(p)).collect();
            ck.placeholders_in(&l.text, &known);
            let text = ck.text(
                &l.text,
                &format!("a `[[ending.line]]` of ending `{}`", e.id.get_ref()),
                &languages,
            );
            lines.push(Line {
                cond,
                requires,
                say: vec![text],
            });
        }
        endings.push(Ending {
            id: e.id.get_ref().clone(),
            outcome,
            text,
            lines,
        });
    }
    let mut dangling = false;
    let mut target = |ck: &mut Ck, s: &S<String>| -> Option<Target> {
        match names.get(s.get_ref()) {
            Some(t) => Some(*t),
            None => {
                dangling = true;
                let hint = suggest(s.get_ref(), names.keys().map(String::as_str));
                ck.err(
                    s,
                    format!(
                        "`{}` is not a turn or ending of this scenario{hint}",
                        s.get_ref()
                    ),
                );
                None
            }
        }
    };

    // Turns.
    let mut turns = Vec::new();
    for t in &raw.turn {
        let rt = t.get_ref();
        if rt.say.get_ref().is_empty() {
            ck.err(&rt.say, format!("turn `{}` has no customer line: `say` needs at least one variant, e.g. `say = [{{ zh-Hans = \"…\", en = \"…\" }}]`", rt.id.get_ref()));
        }
        let say: Vec<Loc> = rt
            .say
            .get_ref()
            .iter()
            .map(|v| {
                ck.placeholders_in(v, &known);
                ck.text(
                    v,
                    &format!("a `say` line of turn `{}`", rt.id.get_ref()),
                    &languages,
                )
            })
            .collect();
        let model: Vec<Loc> = rt
            .model
            .iter()
            .map(|v| {
                ck.placeholders_in(v, &known);
                ck.text(
                    v,
                    &format!("a model answer of turn `{}`", rt.id.get_ref()),
                    &languages,
                )
            })
            .collect();
        let hint = rt.hint.as_ref().map(|h| {
            ck.placeholders_in(h, &known);
            ck.text_sev(
                h,
                &format!("the hint of turn `{}`", rt.id.get_ref()),
                &languages,
                Severity::Warning,
            )
        });
        if rt.hint.is_none() {
            ck.warn(
                &rt.id,
                format!(
                    "turn `{}` has no hint: add `hint = {{ … }}` so a stuck trainee gets a nudge",
                    rt.id.get_ref()
                ),
            );
        }
        let mut weights = Vec::new();
        for (k, w) in &rt.expects {
            if let Some(p) = ck.principle(k) {
                if !w.get_ref().is_finite() || *w.get_ref() < 0.0 || *w.get_ref() > 10.0 {
                    ck.err(w, "a weight is a number from 0 to 10");
                }
                weights.push((p, *w.get_ref() as f32));
            }
        }
        // `facts` is weighted when the turn says so, or by default in a product question.
        let wants_facts = if rt.expects.is_empty() {
            kind == ScenarioKind::Product
        } else {
            rt.expects
                .iter()
                .any(|(k, w)| k.get_ref() == "facts" && *w.get_ref() > 0.0)
        };
        if wants_facts && rt.facts.is_empty() && rt.false_claims.is_empty() {
            ck.warn(&rt.id, format!("turn `{}` expects `facts` but lists no `[[turn.facts]]` or `[[turn.false_claims]]`: every reply will count as factually right; add them, or drop `facts` from `expects`", rt.id.get_ref()));
        }
        let mut facts = Vec::new();
        for f in &rt.facts {
            let f = f.get_ref();
            if f.say.is_empty() && f.value.is_none() {
                ck.err(&f.id, format!("fact `{}` needs `say = [\"…\"]` (the ways it may be phrased) or a `value` with `units`", f.id.get_ref()));
            }
            if let Some(v) = f.value.as_ref().filter(|v| !v.get_ref().is_finite()) {
                ck.err(
                    v,
                    "a fact's `value` is a plain number such as `20` or `0.5` (not nan or inf)",
                );
            }
            if f.value.is_some() && f.units.is_empty() {
                ck.err(
                    &f.id,
                    format!(
                        "fact `{}` has a `value` but no `units`: add e.g. `units = [\"MSa/s\"]`",
                        f.id.get_ref()
                    ),
                );
            }
            for s in f.say.iter().chain(&f.units) {
                if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                    ck.err(
                        s,
                        format!("a phrasing must have 1 to {MAX_TERM_CHARS} characters"),
                    );
                }
            }
            facts.push(FactRule {
                id: f.id.get_ref().clone(),
                say: f.say.iter().map(|s| s.get_ref().clone()).collect(),
                value: f.value.as_ref().map(|v| *v.get_ref()),
                units: f.units.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
        let mut false_claims = Vec::new();
        for c in &rt.false_claims {
            let c = c.get_ref();
            if c.say.is_empty() {
                ck.err(
                    &c.id,
                    format!("false claim `{}` needs `say = [\"…\"]`", c.id.get_ref()),
                );
            }
            for s in &c.say {
                if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                    ck.err(
                        s,
                        format!("a phrasing must have 1 to {MAX_TERM_CHARS} characters"),
                    );
                }
            }
            false_claims.push(ClaimRule {
                id: c.id.get_ref().clone(),
                say: c.say.iter().map(|s| s.get_ref().clone()).collect(),
            });
        }
        for a in &rt.allow {
            if rt.jargon.iter().any(|j| j.get_ref() == a.get_ref()) {
                ck.warn(a, format!("`{}` is both in `jargon` and in `allow`, so it is never judged as jargon: keep it in one list", a.get_ref()));
            }
        }
        for list in [&rt.jargon, &rt.allow] {
            if list.len() > MAX_TERMS_PER_TURN {
                ck.err(
                    &list[MAX_TERMS_PER_TURN],
                    format!("at most {MAX_TERMS_PER_TURN} terms per turn"),
                );
            }
            for s in list {
                if s.get_ref().chars().count() > MAX_TERM_CHARS || s.get_ref().trim().is_empty() {
                    ck.err(
                        s,
                        format!("a term must have 1 to {MAX_TERM_CHARS} characters"),
                    );
                }
            }
        }
        let target_secs = rt.target_seconds.as_ref().map(|t| {
            if !(5..=3600).contains(t.get_ref()) {
                ck.err(t, "target_seconds is from 5 to 3600");
            }
            (*t.get_ref()).clamp(5, 3600) as u32
        });
        if model.is_empty() {
            ck.warn(&rt.id, format!("turn `{}` has no model answer: add `model = [{{ … }}]` so trainees see a good reply", rt.id.get_ref()));
        }
        let mut lines = Vec::new();
        for l in &rt.line {
            let l = l.get_ref();
            let cond = cond_of(
                ck,
                CondParts {
                    all: &l.all,
                    any: &l.any,
                    none: &l.none,
                    min_score: &l.min_score,
                    max_score: &l.max_score,
                    mood_below: &l.mood_below,
                    mood_above: &l.mood_above,
                    turns_taken: &l.turns_taken,
                },
                max_turns_declared,
            );
            let requires = l.requires.iter().filter_map(|p| ck.principle(p)).collect();
            if l.say.get_ref().is_empty() {
                ck.err(
                    &l.say,
                    "a `[[turn.line]]` needs at least one variant in `say`",
                );
            }
            let say = l
                .say
                .get_ref()
                .iter()
                .map(|v| {
                    ck.placeholders_in(v, &known);
                    ck.text(
                        v,
                        &format!("a `[[turn.line]]` of turn `{}`", rt.id.get_ref()),
                        &languages,
                    )
                })
                .collect();
            lines.push(Line {
                cond,
                requires,
                say,
            });
        }
        let mut next = Vec::new();
        for n in &rt.next {
            let rn = n.get_ref();
            let cond = cond_of(
                ck,
                CondParts {
                    all: &rn.all,
                    any: &rn.any,
                    none: &rn.none,
                    min_score: &rn.min_score,
                    max_score: &rn.max_score,
                    mood_below: &rn.mood_below,
                    mood_above: &rn.mood_above,
                    turns_taken: &rn.turns_taken,
                },
                max_turns_declared,
            );
            let mood = rn.mood.as_ref().map_or(0, |m| {
                if !(-100..=100).contains(m.get_ref()) {
                    ck.err(m, "a mood change is from -100 to 100");
                }
                *m.get_ref() as i32
            });
            let is_final = rn.is_final.as_ref().is_some_and(|f| *f.get_ref());
            if let Some(goto) = target(ck, &rn.goto) {
                next.push(Branch {
                    cond,
                    goto,
                    mood,
                    is_final,
                });
            }
        }
        match rt.next.last() {
            None => ck.err(&rt.id, format!("turn `{}` has no `[[turn.next]]`: add one with `goto = \"…\"` (a turn or an ending)", rt.id.get_ref())),
            Some(last) if !next.last().is_some_and(|b: &Branch| b.cond.is_always()) => ck.err(last, format!(
                "the last `[[turn.next]]` of turn `{}` has a condition, so some replies lead nowhere: add a final `[[turn.next]]` with only `goto` (the \"otherwise\" branch)",
                rt.id.get_ref()
            )),
            _ => {}
        }
        for (i, b) in next.iter().enumerate() {
            if b.cond.is_always() && i + 1 < next.len() {
                ck.warn(&rt.next[i + 1], "this branch can never be taken: the branch before it has no condition and always applies");
            }
        }
        turns.push(Turn {
            id: rt.id.get_ref().clone(),
            say,
            weights,
            facts,
            false_claims,
            jargon: rt.jargon.iter().map(|s| s.get_ref().clone()).collect(),
            allow: rt.allow.iter().map(|s| s.get_ref().clone()).collect(),
            target_secs,
            model,
            hint,
            next,
            lines,
        });
    }

    let start = match &raw.start {
        Some(s) => match target(ck, s) {
            Some(Target::Turn(i)) => i,
            Some(Target::Ending(_)) => {
                ck.err(s, "`start` must name a turn, not an ending");
                0
            }
            None => 0,
        },
        None => 0,
    };
    let gives_up = match &customer.gives_up {
        Some(g) => match target(ck, g) {
            Some(Target::Ending(i)) => i,
            Some(Target::Turn(_)) => {
                ck.err(
                    g,
                    "`gives_up` must name an ending (outcome `lost` or `escalated`)",
                );
                0
            }
            None => 0,
        },
        None => endings
            .iter()
            .position(|e| e.outcome != Outcome::Resolved)
            .unwrap_or(endings.len().saturating_sub(1)),
    };
    let mut policy = BTreeMap::new();
    for (k, v) in &raw.policy {
        let ids = kefu_judge::policy::rule_ids();
        if !ids.contains(&k.get_ref().as_str()) {
            let hint = suggest(k.get_ref(), ids.iter().copied());
            ck.err(
                k,
                format!(
                    "unknown shop rule `{}`{hint} (the rules: {})",
                    k.get_ref(),
                    ids.join(", ")
                ),
            );
        } else if !(*v.get_ref() > 0.0 && *v.get_ref() <= 1e6) {
            ck.err(v, "a shop rule's value is a number above 0 (in the unit its name says: months, days, yuan, hours)");
        } else {
            policy.insert(k.get_ref().clone(), *v.get_ref());
        }
    }
    let max_turns = raw.max_turns.as_ref().map_or(12, |m| {
        if !(1..=100).contains(m.get_ref()) {
            ck.err(m, "max_turns is from 1 to 100");
        }
        (*m.get_ref()).clamp(1, 100) as usize
    });

    let scenario = Scenario {
        id,
        kind,
        languages,
        product,
        difficulty,
        minutes,
        title,
        brief,
        customer_name,
        persona,
        mood,
        gives_up,
        placeholders,
        start,
        max_turns,
        turns,
        endings,
        samples: Vec::new(),
        policy,
    };
    // Graph: every turn reachable from the start, an ending reachable from every turn. Skipped
    // when a `goto` names nothing: the graph is incomplete and its errors would only repeat
    // that one.
    if !scenario.turns.is_empty() && !dangling && gives_up < scenario.endings.len() {
        graph(ck, raw, &scenario);
    }
    Some(scenario)
}

/// The turn graph, first as drawn (every branch possible), then as played: with the mood,
/// `max_turns`, giving up and the mood and turns conditions applied (`dialogue::explore`).
fn graph(ck: &mut Ck, raw: &RawScenario, s: &Scenario) {
    let (turns, endings, max_turns, gives_up) = (&s.turns, &s.endings, s.max_turns, s.gives_up);
    let n = turns.len();
    let first = s.start.min(n - 1);
    let mut seen = vec![false; n];
    let mut q = VecDeque::from([first]);
    seen[first] = true;
    while let Some(i) = q.pop_front() {
        for b in &turns[i].next {
            if let Target::Turn(j) = b.goto {
                if !seen[j] {
                    seen[j] = true;
                    q.push_back(j);
                }
            }
        }
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            ck.err(&raw.turn[i].get_ref().id, format!(
                "turn `{}` can never be reached from the start: add a `goto = \"{}\"` to another turn, or remove it",
                turns[i].id, turns[i].id
            ));
        }
    }
    // Turns that reach an ending (fixed point).
    let mut ends = vec![false; n];
    loop {
        let mut changed = false;
        for i in 0..n {
            if !ends[i]
                && turns[i].next.iter().any(|b| match b.goto {
                    Target::Ending(_) => true,
                    Target::Turn(j) => ends[j],
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
    for i in 0..n {
        if seen[i] && !ends[i] {
            ck.err(&raw.turn[i].get_ref().id, format!(
                "no ending can be reached from turn `{}`: its branches only loop between turns; add a `goto` to an ending",
                turns[i].id
            ));
        }
    }

    // As played.
    let reach = kefu_core::dialogue::explore(s);
    for i in 0..n {
        if seen[i] && reach.first[i].is_none() {
            ck.warn(&raw.turn[i].get_ref().id, format!(
                "turn `{}` can never be reached when the scenario is played: every way to it ends the session first (the customer's mood falls to 0, or `max_turns` = {max_turns} replies are used up), or needs a `mood_below`, `mood_above` or `turns_taken` that never holds on the way: soften the `mood` changes on the way, raise `max_turns`, or loosen those conditions",
                turns[i].id
            ));
        }
    }
    for (i, t) in turns.iter().enumerate() {
        let Some(((lo, hi), (a, b))) = reach.range_at(i) else {
            continue;
        };
        for (k, br) in t.next.iter().enumerate() {
            let at = &raw.turn[i].get_ref().next[k];
            let (can, arrives) = reach.taken[i][k];
            if can == 0 && br.cond.judges_state() && kefu_core::dialogue::satisfiable(&br.cond) {
                ck.warn(at, format!(
                    "this branch can never be taken: at turn `{}` the customer's mood is only ever {lo} to {hi} and the reply is only ever the {} to the {} (its `mood_below`, `mood_above` or `turns_taken` never holds, or a branch above always applies first)",
                    t.id, ordinal(a + 1), ordinal(b + 1)
                ));
            } else if can > 0 && arrives == 0 && i != s.start.min(n - 1) {
                if let Target::Turn(j) = br.goto {
                    ck.warn(at, format!(
                        "this branch never reaches turn `{}`: whenever it is taken the customer gives up first (ending `{}`), because the mood falls to 0 (it is {lo} to {hi} here, {:+} on this branch) or the reply is the last of `max_turns` = {max_turns}: soften `mood`, or raise `max_turns`",
                        turns[j].id, endings[gives_up].id, br.mood
                    ));
                }
            }
        }
    }
    // Lines that presume something of the previous reply (`requires`) must not be said
    // without it: look at every way into the turn or ending.
    let implies =
        |c: &Cond, p: &str| c.all.iter().any(|x| x == p) || (c.any.len() == 1 && c.any[0] == p);
    for target in (0..n)
        .map(Target::Turn)
        .chain((0..endings.len()).map(Target::Ending))
    {
        let (lines, raw_reqs): (&[Line], Vec<&Vec<S<String>>>) = match target {
            Target::Turn(i) => (
                &turns[i].lines,
                raw.turn[i]
                    .get_ref()
                    .line
                    .iter()
                    .map(|l| &l.get_ref().requires)
                    .collect(),
            ),
            Target::Ending(e) => (
                &endings[e].lines,
                raw.ending[e]
                    .get_ref()
                    .line
                    .iter()
                    .map(|l| &l.get_ref().requires)
                    .collect(),
            ),
        };
        if lines.iter().all(|l| l.requires.is_empty()) {
            continue;
        }
        // (turn, branch) pairs that lead here when played; `None`: the opening.
        let mut entries: Vec<Option<(usize, usize)>> = Vec::new();
        if target == Target::Turn(first) {
            entries.push(None);
        }
        for (t, turn) in turns.iter().enumerate() {
            for (k, b) in turn.next.iter().enumerate() {
                let (can, arrives) = reach.taken[t][k];
                let gave_up = target == Target::Ending(gives_up) && can > arrives;
                if (b.goto == target && arrives > 0) || gave_up {
                    entries.push(Some((t, k)));
                }
            }
        }
        for (li, l) in lines.iter().enumerate() {
            for (ri, p) in l.requires.iter().enumerate() {
                let at = &raw_reqs[li][ri];
                if l.cond.none.contains(p) {
                    ck.err(at, format!("this line requires `{p}` but its condition says `none = [\"{p}\"]`: it is only said when the reply does not show `{p}`"));
                    continue;
                }
                if implies(&l.cond, p) {
                    continue;
                }
                for entry in &entries {
                    let Some((t, k)) = *entry else {
                        if !l.cond.judges_reply() {
                            ck.err(at, format!(
                                "this line requires `{p}` but can be said at the opening, where there is no reply yet: add `all = [\"{p}\"]` to the line (a condition on the reply never holds at the opening)"
                            ));
                        }
                        continue;
                    };
                    let b = &turns[t].next[k];
                    if implies(&b.cond, p) || l.cond.all.iter().any(|q| b.cond.none.contains(q)) {
                        continue;
                    }
                    ck.err(at, format!(
                        "this line requires `{p}`, but it can be said after a reply without it: the branch of turn `{}` to `{}` (its {} `[[turn.next]]`) does not need `{p}`: add `all = [\"{p}\"]` to the line's condition",
                        turns[t].id,
                        s.target_name(b.goto),
                        ordinal(k + 1)
                    ));
                    break;
                }
            }
        }
    }

    // Room to recover: one reply from the opening should not end the session badly, unless
    // the author says so (`final = true`).
    let opening = State {
        mood: s.mood,
        taken: 1,
    };
    for (k, br) in turns[first].next.iter().enumerate() {
        if br.is_final || reach.taken[first][k].0 == 0 || !br.cond.state_holds(opening) {
            continue;
        }
        let mood = (s.mood + br.mood).clamp(0, 100);
        let (end, why) = match br.goto {
            Target::Ending(e) => (e, String::new()),
            Target::Turn(_) if mood == 0 => (
                gives_up,
                format!(
                    " (it goes to `{}`, but the mood falls to 0: {} {:+})",
                    s.target_name(br.goto),
                    s.mood,
                    br.mood
                ),
            ),
            Target::Turn(_) if max_turns <= 1 => (gives_up, " (`max_turns` is 1)".to_string()),
            Target::Turn(_) => continue,
        };
        if endings[end].outcome == Outcome::Resolved {
            continue;
        }
        ck.warn(&raw.turn[first].get_ref().next[k], format!(
            "one reply to the opening can end the session here, at `{}` ({}){why}: give the trainee a turn to recover (lead this branch to a turn where the customer is angrier but can still be won back, with a smaller mood drop), or write `final = true` on this branch if that is intended",
            endings[end].id,
            endings[end].outcome.id()
        ));
    }
    for (i, reached) in reach.endings.iter().enumerate() {
        if !reached && i != gives_up {
            ck.warn(
                &raw.ending[i].get_ref().id,
                format!(
                    "ending `{}` is never reached: no branch leads to it{}",
                    endings[i].id,
                    if turns
                        .iter()
                        .any(|t| t.next.iter().any(|b| b.goto == Target::Ending(i)))
                    {
                        " when the scenario is played (the customer gives up first)"
                    } else {
                        ""
                    }
                ),
            );
        }
    }
    // The fewest replies that reach a `resolved` ending, as drawn: more than `max_turns` and the
    // customer always gives up first.
    let mut replies = vec![usize::MAX; n];
    replies[first] = 1;
    let mut q = VecDeque::from([first]);
    let mut fewest = None;
    while let Some(i) = q.pop_front() {
        for b in &turns[i].next {
            match b.goto {
                Target::Ending(e) if endings[e].outcome == Outcome::Resolved => {
                    fewest = fewest.or(Some(replies[i]));
                }
                Target::Turn(j) if replies[j] == usize::MAX => {
                    replies[j] = replies[i] + 1;
                    q.push_back(j);
                }
                _ => {}
            }
        }
    }
    let at_first = raw.turn[first].get_ref().id.span().start;
    match fewest {
        None => ck.push(
            Severity::Warning,
            at_first,
            "no branch leads to an ending with `outcome = \"resolved\"`: the customer can never be satisfied".into(),
        ),
        Some(m) if m > max_turns => {
            let msg = format!("`max_turns` is {max_turns}, but the shortest way to a resolved ending takes {m} replies, so the customer always gives up first: raise `max_turns` to at least {m}");
            match &raw.max_turns {
                Some(at) => ck.warn(at, msg),
                None => ck.push(Severity::Warning, 0, msg),
            }
        }
        Some(_) if reach.fewest_resolved.is_none() => ck.push(
            Severity::Warning,
            at_first,
            "the customer can never be satisfied when the scenario is played: on every way to a `resolved` ending the mood falls to 0 or a mood or turns condition never holds; soften the `mood` changes on the way".into(),
        ),
        _ => {}
    }
}

/// "1st", "2nd", "3rd", "4th"…
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// The seed samples are played with; `#/play/ID?seed=1` plays the same choices in the app.
pub const SAMPLE_SEED: u64 = 1;

/// A session at `turn`, to play a sample in: the last played sample's session that is there
/// in this language; else one that follows the same branches (the mood depends only on them)
/// of the last sample that got there in another language, or the fewest-replies way found by
/// `explore`.
fn session_at(
    s: &Scenario,
    reach: &Reach,
    played: &[Session],
    turn: usize,
    lang: Lang,
) -> Option<Session> {
    let here = Target::Turn(turn);
    if let Some(x) = played.iter().rev().find(|x| x.at == here && x.lang == lang) {
        return Some(x.clone());
    }
    // The ways there: those of the samples in other languages that got there (the last first),
    // then the fewest-replies way. The first that can be played with real replies (samples in
    // this language, model answers) is taken, so that the app can be given the same replies;
    // else the first, with a branch taken without a reply where needed.
    let mut ways: Vec<Vec<usize>> = played
        .iter()
        .rev()
        .filter(|x| x.at == here)
        .map(|x| x.log.iter().map(|e| e.branch.unwrap_or(0)).collect())
        .collect();
    if let Some(i) = reach.first[turn] {
        ways.push(reach.path(i).into_iter().map(|(_, k)| k).collect());
    }
    let mut fallback = None;
    for path in ways {
        let x = play_way(s, played, &path, lang);
        if x.at != here {
            continue;
        }
        if x.log.iter().all(|e| !e.judgement.principles.is_empty()) {
            return Some(x);
        }
        fallback.get_or_insert(x);
    }
    fallback
}

/// A session along the branches `path`: from the longest conversation played in this language
/// that took the same first branches (a blaming sample at the opening, on the way to the
/// recovery turn), then with model answers where they take the branch (`follow_with_model`).
fn play_way(s: &Scenario, played: &[Session], path: &[usize], lang: Lang) -> Session {
    let branches =
        |x: &Session| -> Vec<usize> { x.log.iter().map(|e| e.branch.unwrap_or(0)).collect() };
    let mut x = played
        .iter()
        .rev()
        .filter(|x| x.lang == lang && matches!(x.at, Target::Turn(_)))
        .filter(|x| path.starts_with(&branches(x)))
        .max_by_key(|x| x.log.len())
        .cloned()
        .unwrap_or_else(|| Session::new(s, SAMPLE_SEED, lang));
    for &k in &path[x.log.len()..] {
        follow_with_model(s, &mut x, k);
    }
    x
}

/// Take branch `k` of the current turn with one of the turn's model answers when one takes it
/// (a real reply, so a browser test can type the same path into the app, and the next line
/// fits a good reply as it would in the app); else as if its condition held (`follow`).
fn follow_with_model(s: &Scenario, x: &mut Session, k: usize) {
    if let Target::Turn(i) = x.at {
        for m in &s.turns[i].model {
            let reply = x.fill(m.get(x.lang));
            let mut y = x.clone();
            if y.reply_with(s, &reply, None, &native_judge)
                .is_some_and(|e| e.branch == Some(k))
            {
                *x = y;
                return;
            }
        }
    }
    x.follow(s, k);
}

/// `open (mood 25) → when (mood 50) → resolved (mood 70)`.
fn path_text(s: &Scenario, x: &Session) -> String {
    let mut out: Vec<String> = x
        .log
        .iter()
        .map(|e| format!("{} (mood {})", s.turns[e.turn].id, e.mood_before))
        .collect();
    out.push(format!("{} (mood {})", s.target_name(x.at), x.mood));
    out.join(" → ")
}

/// A played session as `kefu check --paths` prints it (a step taken by `follow` has no reply).
fn played_path(s: &Scenario, x: &Session) -> kefu_core::scenario::Played {
    kefu_core::scenario::Played {
        seed: x.seed,
        lang: x.lang,
        steps: x
            .log
            .iter()
            .map(|e| kefu_core::scenario::PlayedStep {
                turn: s.turns[e.turn].id.clone(),
                customer: e.customer.clone(),
                mood: e.mood_before,
                reply: (!e.judgement.principles.is_empty()).then(|| e.reply.clone()),
                branch: e.branch,
            })
            .collect(),
        at: s.target_name(x.at).to_string(),
        line: x.customer_line.clone(),
        mood: x.mood,
    }
}

/// Run the file's sample replies through the dialogue engine as the app plays them (one
/// conversation per chain of samples, see `session_at`); returns them.
fn run_samples(ck: &mut Ck, s: &Scenario, raw: &RawScenario) -> Vec<Sample> {
    let mut samples = Vec::new();
    let reach = explore(s);
    let mut played: Vec<Session> = Vec::new();
    for rs in &raw.sample {
        let r = rs.get_ref();
        let Some(turn) = s.turn_index(r.turn.get_ref()) else {
            let hint = suggest(r.turn.get_ref(), s.turns.iter().map(|t| t.id.as_str()));
            ck.err(
                &r.turn,
                format!("sample for unknown turn `{}`{hint}", r.turn.get_ref()),
            );
            continue;
        };
        let lang = match &r.lang {
            Some(l) => match Lang::parse(l.get_ref()).filter(|x| x.code() == l.get_ref()) {
                Some(x) => x,
                None => {
                    ck.err(
                        l,
                        format!(
                            "unknown language `{}`: write `zh-Hans`, `zh-Hant` or `en`",
                            l.get_ref()
                        ),
                    );
                    continue;
                }
            },
            None => {
                if kefu_judge::text::detect_lang(r.reply.get_ref()) == "zh" {
                    Lang::ZhHans
                } else {
                    Lang::En
                }
            }
        };
        let expect = match s.turns.iter().position(|t| &t.id == r.expect.get_ref()) {
            Some(i) => Target::Turn(i),
            None => match s.endings.iter().position(|e| &e.id == r.expect.get_ref()) {
                Some(i) => Target::Ending(i),
                None => {
                    let hint = suggest(
                        r.expect.get_ref(),
                        s.turns
                            .iter()
                            .map(|t| t.id.as_str())
                            .chain(s.endings.iter().map(|e| e.id.as_str())),
                    );
                    ck.err(
                        &r.expect,
                        format!(
                            "`{}` is not a turn or ending of this scenario{hint}",
                            r.expect.get_ref()
                        ),
                    );
                    continue;
                }
            },
        };
        let mut hit = Vec::new();
        let mut miss = Vec::new();
        for (src, dst) in [(&r.hit, &mut hit), (&r.miss, &mut miss)] {
            for p in src {
                if let Some(p) = ck.principle(p) {
                    dst.push(p);
                }
            }
        }
        // Play it as the app would: the same engine, seed, placeholders and mood, continuing
        // the conversation of the last sample that led to this turn.
        let play = s.play_lang(lang);
        let Some(mut x) = session_at(s, &reach, &played, turn, play) else {
            ck.err(&r.turn, format!(
                "turn `{}` can never be reached when the scenario is played, so this sample cannot be played: see the error on the turn",
                r.turn.get_ref()
            ));
            continue;
        };
        let reply = x.fill(r.reply.get_ref());
        x.reply_with(s, &reply, None, &native_judge);
        let Some(e) = x.log.last() else { continue };
        let j = e.judgement.clone();
        let got = Some(x.at);
        if got != Some(expect) {
            let t = &s.turns[turn];
            let no_facts = t.facts.is_empty() && t.false_claims.is_empty();
            let shown: Vec<String> = j
                .principles
                .iter()
                .filter(|(id, f)| f.hit && !(no_facts && id.as_str() == "facts"))
                .map(|(k, _)| k.clone())
                .collect();
            let gave_up = match e.branch.map(|k| &t.next[k]) {
                Some(b) if b.goto != e.next => format!(
                    "; its branch goes to `{}`, but the customer gives up first: {}",
                    s.target_name(b.goto),
                    if e.mood_after == 0 {
                        format!("the mood falls to 0 ({} {:+})", e.mood_before, b.mood)
                    } else {
                        format!(
                            "it is reply {} of `max_turns` = {}",
                            x.log.len(),
                            s.max_turns
                        )
                    }
                ),
                _ => String::new(),
            };
            ck.err(&r.reply, format!(
                "sample reply leads to `{}`, but the file expects `{}` (score {}, shown: {}; mood along the path: {}{gave_up}): change `expect`, the reply, or the turn's `[[turn.next]]` conditions",
                got.map_or("nowhere", |t| s.target_name(t)),
                r.expect.get_ref(),
                j.score,
                if shown.is_empty() { "none".to_string() } else { shown.join(", ") },
                path_text(s, &x),
            ));
        }
        for p in &hit {
            if !j.hit(p) {
                ck.err(&r.reply, format!("sample reply should show `{p}` but the scorer does not find it: reword the reply or remove `{p}` from `hit`"));
            }
        }
        for p in &miss {
            if j.hit(p) {
                ck.err(&r.reply, format!("sample reply should not show `{p}` but the scorer finds it: reword the reply or remove `{p}` from `miss`"));
            }
        }
        let path = played_path(s, &x);
        played.push(x);
        let (line, col) = ck.lines.at(ck.src, rs.span().start);
        samples.push(Sample {
            turn,
            lang,
            reply: r.reply.get_ref().clone(),
            expect,
            hit,
            miss,
            label: r.label.as_ref().map(|l| l.get_ref().clone()),
            line,
            col,
            played: Some(path),
        });
    }
    if raw.sample.len() < 4 {
        ck.push(Severity::Warning, 0, format!(
            "the file has {} sample replies; add at least 4 (a good one, a half-good one, a blaming one, a rude one) as `[[sample]]` so `kefu check` tests the branches",
            raw.sample.len()
        ));
    }
    samples
}

/// A model answer is what a good reply looks like, so it should lead where a good reply goes.
/// Warn when one, judged like a trainee's reply, makes the customer's mood drop or ends the
/// dialogue badly: the answer or the turn's conditions probably need another look.
fn check_models(ck: &mut Ck, s: &Scenario, raw: &RawScenario) {
    let mut fills: BTreeMap<String, String> = s
        .placeholders
        .iter()
        .filter_map(|(k, v)| Some((k.clone(), v.first()?.clone())))
        .collect();
    let reach = explore(s);
    for (ti, t) in s.turns.iter().enumerate() {
        // Judged in the first state the turn is reached in (fewest replies).
        let Some(first) = reach.first[ti].map(|i| reach.states[i]) else {
            continue;
        };
        let st = State {
            mood: first.mood,
            taken: first.replies + 1,
        };
        for (mi, m) in t.model.iter().enumerate() {
            for &lang in &s.languages {
                let Some(text) = m.0.get(&lang) else { continue };
                fills.insert("name".into(), s.customer_name.get(lang).to_string());
                if let Some(p) = s.product.as_deref().and_then(|p| product_name(p, lang)) {
                    fills.insert("product".into(), p.to_string());
                }
                let mut text = text.clone();
                for (k, v) in &fills {
                    text = text.replace(&format!("{{{k}}}"), v);
                }
                let j = score::judge(&text, lang, &s.rules(ti, lang, None), None, true);
                let Some((_, b)) = kefu_core::dialogue::choose(t, &j, st) else {
                    continue;
                };
                let bad_end = matches!(b.goto, Target::Ending(e) if s.endings[e].outcome != Outcome::Resolved);
                if b.mood < 0 || bad_end {
                    let at = &raw.turn[ti].get_ref().model[mi];
                    let missed: Vec<&str> = j
                        .expected
                        .iter()
                        .filter(|p| !j.hit(p))
                        .map(String::as_str)
                        .collect();
                    let violations: Vec<&str> = j
                        .principles
                        .iter()
                        .filter(|(id, f)| f.hit && principles::get(id).is_some_and(|p| p.violation))
                        .map(|(id, _)| id.as_str())
                        .collect();
                    let mut why = Vec::new();
                    if !violations.is_empty() {
                        why.push(format!("the scorer finds {}", violations.join(", ")));
                    }
                    if !missed.is_empty() {
                        why.push(format!("misses {}", missed.join(", ")));
                    }
                    let why = if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", why.join("; "))
                    };
                    ck.warn(at, format!(
                        "the model answer (`{}`) of turn `{}` would lead to `{}` (mood {:+}), not where a good reply goes{why}: reword it, or check the turn's `[[turn.next]]` conditions",
                        lang.code(),
                        t.id,
                        s.target_name(b.goto),
                        b.mood,
                    ));
                }
            }
        }
    }
}
