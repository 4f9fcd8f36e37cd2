//! Exam files (`exams/*.toml`, docs/exam-format.md): TOML with an `[exam]` table and its
//! `[[draw]]`s → `kefu_core::exam::Exam`, with `FILE:LINE:COLUMN` diagnostics that say what to
//! write instead, like a scenario file's. The scenarios an exam names are checked against the
//! library it will be drawn from.

use kefu_core::exam::{Draw, Exam};
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles::Lang;
use kefu_core::scenario::{Diagnostic, Loc, Severity};
use kefu_core::spelling::typo_distance;
use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

type RawText = BTreeMap<Spanned<String>, Spanned<String>>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    exam: Spanned<RawExam>,
    #[serde(default)]
    draw: Vec<Spanned<RawDraw>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExam {
    id: Spanned<String>,
    title: Spanned<RawText>,
    intro: Option<Spanned<RawText>>,
    pass_mark: Spanned<i64>,
    time_limit: Spanned<i64>,
    hints: Option<Spanned<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDraw {
    count: Spanned<i64>,
    kind: Option<Spanned<String>>,
    #[serde(default)]
    from: Vec<Spanned<String>>,
}

/// The most minutes an exam may last (a working day).
pub const MAX_MINUTES: i64 = 480;

/// The result of checking one exam file: the exam when it has no errors, and every diagnostic.
pub type ExamOutput = crate::CheckOutput<Exam>;

/// Is this source an exam file (a line that opens the `[exam]` table) rather than a scenario?
pub fn is_exam(src: &str) -> bool {
    src.lines().any(|l| {
        let l = l.trim();
        l.strip_prefix("[exam]")
            .is_some_and(|rest| rest.trim().is_empty() || rest.trim_start().starts_with('#'))
    })
}

struct Ck<'a> {
    file: &'a str,
    src: &'a str,
    out: Vec<Diagnostic>,
}

impl Ck<'_> {
    fn push(&mut self, severity: Severity, byte: usize, message: String) {
        let byte = byte.min(self.src.len());
        let before = self.src.get(..byte).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        self.out.push(Diagnostic {
            file: self.file.to_string(),
            line,
            col,
            severity,
            message,
        });
    }
    fn err<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.push(Severity::Error, at.span().start, msg.into());
    }
    fn warn<T>(&mut self, at: &Spanned<T>, msg: impl Into<String>) {
        self.push(Severity::Warning, at.span().start, msg.into());
    }

    fn text(&mut self, t: &Spanned<RawText>, what: &str) -> Loc {
        let mut out = BTreeMap::new();
        for (k, v) in t.get_ref() {
            match Lang::parse(k.get_ref()).filter(|l| l.code() == k.get_ref()) {
                Some(l) if !v.get_ref().trim().is_empty() => {
                    out.insert(l, v.get_ref().trim().to_string());
                }
                Some(_) => self.err(
                    v,
                    format!(
                        "{what} in `{}` is empty: write the text, or remove the line",
                        k.get_ref()
                    ),
                ),
                None => {
                    self.err(
                        k,
                        format!(
                            "unknown language `{}` in {what}: {}",
                            k.get_ref(),
                            crate::check::checker::lang_instead(k.get_ref())
                        ),
                    );
                }
            }
        }
        if out.is_empty() && t.get_ref().is_empty() {
            self.err(
                t,
                format!("{what} has no text: write it as {{ zh-Hans = \"…\", en = \"…\" }}"),
            );
        }
        Loc(out)
    }
}

/// ": did you mean `x`?" when one of `known` is a likely typo of `typed`, else the list.
fn suggest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> String {
    let known: Vec<&str> = known.collect();
    let near = known
        .iter()
        .min_by_key(|k| typo_distance(k, typed))
        .filter(|k| {
            let d = typo_distance(k, typed);
            d <= 1 || (d <= 3 && d * 3 <= k.chars().count())
        });
    match near {
        Some(n) => format!(": did you mean `{n}`?"),
        None if known.is_empty() => String::new(),
        None if known.len() > 12 => format!(
            ": write one of the library's scenario ids (e.g. {})",
            known[..6].join(", ")
        ),
        None => format!(": write one of: {}", known.join(", ")),
    }
}

fn friendly(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return format!(
            "unknown key `{name}`{}",
            suggest(name, options.iter().copied())
        );
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        let hint = match name {
            "exam" => "start the file with an `[exam]` table".to_string(),
            _ => format!("add `{name} = …` here"),
        };
        return format!("missing `{name}`: {hint} (see docs/exam-format.md)");
    }
    if let Some(hint) = crate::check::checker::type_hint(first) {
        return format!("{hint} (see docs/exam-format.md)");
    }
    if first.contains("duplicate key") {
        return format!(
            "{first}: {} (see docs/exam-format.md)",
            crate::check::checker::DUPLICATE_HINT
        );
    }
    format!("{first} (see docs/exam-format.md)")
}

/// Check an exam file. `library` is every scenario it may draw from, as `(id, kind)`; with
/// `None` the ids are not checked (a warning says so).
pub fn check_exam(file: &str, src: &str, library: Option<&[(String, ScenarioKind)]>) -> ExamOutput {
    let mut ck = Ck {
        file,
        src,
        out: Vec::new(),
    };
    let raw: RawFile = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            let at = e.span().map_or(0, |s| s.start);
            ck.push(Severity::Error, at, friendly(e.message()));
            return ExamOutput {
                value: None,
                diagnostics: ck.out,
            };
        }
    };
    let x = raw.exam.get_ref();
    let id = x.id.get_ref().clone();
    if id.is_empty()
        || !id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        ck.err(
            &x.id,
            format!(
                "exam id `{id}`: use lower-case letters, digits and `-` (e.g. `foundation-exam`)"
            ),
        );
    }
    let title = ck.text(&x.title, "the title");
    let intro = x.intro.as_ref().map(|t| ck.text(t, "the intro"));
    let pass_mark = *x.pass_mark.get_ref();
    if !(0..=100).contains(&pass_mark) {
        ck.err(
            &x.pass_mark,
            format!(
                "pass_mark = {pass_mark}: write the total needed to pass, from 0 to 100 (e.g. 70)"
            ),
        );
    } else if pass_mark == 0 {
        ck.warn(
            &x.pass_mark,
            "pass_mark = 0: every attempt passes; write the total needed to pass (e.g. 70)",
        );
    }
    let minutes = *x.time_limit.get_ref();
    if !(1..=MAX_MINUTES).contains(&minutes) {
        ck.err(
            &x.time_limit,
            format!("time_limit = {minutes}: write the minutes the whole exam may take, from 1 to {MAX_MINUTES}"),
        );
    }

    if raw.draw.is_empty() {
        ck.err(
            &raw.exam,
            "the exam draws no scenarios: add a `[[draw]]` with `from = [\"scenario-id\", …]` and `count = N` (see docs/exam-format.md)",
        );
    }
    let kinds = [
        ScenarioKind::Angry,
        ScenarioKind::Objection,
        ScenarioKind::Product,
    ];
    let mut draws: Vec<Draw> = Vec::new();
    // What each draw may pick from, to see whether the draws together can be satisfied.
    let mut pools: Vec<Vec<String>> = Vec::new();
    for d in &raw.draw {
        let r = d.get_ref();
        let kind = r.kind.as_ref().and_then(|k| {
            let found = kinds.iter().copied().find(|x| x.id() == k.get_ref());
            if found.is_none() {
                ck.err(
                    k,
                    format!(
                        "unknown kind `{}`{}",
                        k.get_ref(),
                        suggest(k.get_ref(), kinds.iter().map(|x| x.id()))
                    ),
                );
            }
            found
        });
        let count = *r.count.get_ref();
        if count < 1 {
            ck.err(
                &r.count,
                format!("count = {count}: write how many scenarios this draw picks (1 or more)"),
            );
        }
        if r.from.is_empty() && r.kind.is_none() {
            ck.err(
                d,
                "this draw has no pool: list the scenarios with `from = [\"id\", …]`, or write `kind = \"angry\"` to draw from every scenario of a kind",
            );
        }
        let mut from: Vec<String> = Vec::new();
        let mut pool: Vec<String> = Vec::new();
        for f in &r.from {
            let fid = f.get_ref();
            if from.contains(fid) {
                ck.warn(
                    f,
                    format!("`{fid}` is listed twice in this pool: remove one"),
                );
                continue;
            }
            from.push(fid.clone());
            let Some(lib) = library else { continue };
            match lib.iter().find(|(i, _)| i == fid) {
                None => ck.err(
                    f,
                    format!(
                        "no scenario `{fid}` in the library{}",
                        suggest(fid, lib.iter().map(|(i, _)| i.as_str()))
                    ),
                ),
                Some((_, k)) if kind.is_some_and(|want| want != *k) => ck.err(
                    f,
                    format!(
                        "`{fid}` is a `{}` scenario but this draw is `kind = \"{}\"`: move it to a draw of its kind, or remove `kind`",
                        k.id(),
                        kind.map_or("", ScenarioKind::id)
                    ),
                ),
                Some(_) => pool.push(fid.clone()),
            }
        }
        if r.from.is_empty() {
            if let (Some(k), Some(lib)) = (kind, library) {
                pool = lib
                    .iter()
                    .filter(|(_, x)| *x == k)
                    .map(|(i, _)| i.clone())
                    .collect();
            }
        }
        if library.is_some() {
            if count >= 1 && (pool.len() as i64) < count && r.from.len() == from.len() {
                let what = if r.from.is_empty() {
                    format!(
                        "the library has {} `{}` scenario(s)",
                        pool.len(),
                        kind.map_or("", ScenarioKind::id)
                    )
                } else {
                    format!("its pool has {} scenario(s)", pool.len())
                };
                ck.err(
                    &r.count,
                    format!(
                        "count = {count} but {what}: lower the count or add scenarios to the pool"
                    ),
                );
            } else if count >= 1 && pool.len() as i64 == count {
                ck.warn(
                    &r.count,
                    format!("this draw picks all {count} scenarios of its pool, so every attempt gets the same ones: add scenarios to the pool so that attempts differ"),
                );
            }
        }
        pools.push(pool);
        draws.push(Draw {
            kind,
            from,
            count: count.max(0) as usize,
        });
    }
    // Draws that share scenarios: a later draw picks from what the earlier ones left, and an
    // attempt must never come up short, whatever the seed.
    if library.is_some() {
        for i in 0..draws.len() {
            let pool = &pools[i];
            let worst: usize = (0..i)
                .map(|j| {
                    draws[j]
                        .count
                        .min(pools[j].iter().filter(|p| pool.contains(p)).count())
                })
                .sum();
            let left = pool.len().saturating_sub(worst);
            if worst > 0 && pool.len() >= draws[i].count && left < draws[i].count {
                ck.err(
                    &raw.draw[i].get_ref().count,
                    format!(
                        "this draw shares scenarios with an earlier one: after the earlier draws, as few as {left} may be left for its count of {}; give the draws separate pools or lower the count",
                        draws[i].count
                    ),
                );
            }
        }
    } else {
        ck.push(
            Severity::Warning,
            0,
            "the scenario ids were not checked: check the exam together with its scenarios (`kefu check scenarios/ exams/`)".into(),
        );
    }
    let exam = Exam {
        id,
        title,
        intro,
        draws,
        pass_mark: pass_mark.clamp(0, 100) as u8,
        time_limit_mins: minutes.clamp(1, MAX_MINUTES) as u32,
        hints: x.hints.as_ref().is_some_and(|h| *h.get_ref()),
    };
    let errors = ck.out.iter().any(|d| d.severity == Severity::Error);
    ExamOutput {
        value: (!errors).then_some(exam),
        diagnostics: ck.out,
    }
}
