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

use crate::check::checker::{lang_instead, msg, type_hint, List, Msg};

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
    /// The language of the messages (English for `kefu check`).
    lang: Lang,
    file: &'a str,
    src: &'a str,
    out: Vec<Diagnostic>,
}

impl Ck<'_> {
    fn push(&mut self, severity: Severity, byte: usize, message: Msg) {
        let message = crate::check::checker::one_line(&message.in_lang(self.lang));
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
    fn err<T>(&mut self, at: &Spanned<T>, msg: Msg) {
        self.push(Severity::Error, at.span().start, msg);
    }
    fn warn<T>(&mut self, at: &Spanned<T>, msg: Msg) {
        self.push(Severity::Warning, at.span().start, msg);
    }

    fn text(&mut self, t: &Spanned<RawText>, what: &Msg) -> Loc {
        let mut out = BTreeMap::new();
        for (k, v) in t.get_ref() {
            match Lang::parse(k.get_ref()).filter(|l| l.code() == k.get_ref()) {
                Some(l) if !v.get_ref().trim().is_empty() => {
                    out.insert(l, v.get_ref().trim().to_string());
                }
                Some(_) => self.err(v, msg!("check.text_empty", what = what, code = k.get_ref())),
                None => {
                    self.err(
                        k,
                        msg!(
                            "check.text_lang_unknown",
                            code = k.get_ref(),
                            what = what,
                            instead = lang_instead(k.get_ref())
                        ),
                    );
                }
            }
        }
        if out.is_empty() && t.get_ref().is_empty() {
            self.err(t, msg!("check.exam.no_text", what = what));
        }
        Loc(out)
    }
}

/// ": did you mean `x`?" when one of `known` is a likely typo of `typed`, else the list.
fn suggest<'a>(typed: &str, known: impl Iterator<Item = &'a str>) -> Msg {
    let known: Vec<&str> = known.collect();
    let near = known
        .iter()
        .min_by_key(|k| typo_distance(k, typed))
        .filter(|k| {
            let d = typo_distance(k, typed);
            d <= 1 || (d <= 3 && d * 3 <= k.chars().count())
        });
    match near {
        Some(n) => msg!("check.then", then = msg!("check.did_you_mean", name = n)),
        None if known.is_empty() => Msg::nothing(),
        None if known.len() > 12 => msg!("check.exam.one_of_ids", list = List::of(&known[..6])),
        None => msg!(
            "check.then",
            then = msg!("check.write_one_of", list = List::of(known))
        ),
    }
}

fn friendly(message: &str) -> Msg {
    let first = message.lines().next().unwrap_or(message).trim();
    if let Some(rest) = first.strip_prefix("unknown field `") {
        let (name, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let options: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        return msg!(
            "check.exam.unknown_key",
            name = name,
            hint = suggest(name, options.iter().copied())
        );
    }
    if let Some(rest) = first.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        let hint = match name {
            "exam" => msg!("check.exam.start_with_exam"),
            _ => msg!("check.exam.add_key", name = name),
        };
        return msg!("check.exam.missing_key", name = name, hint = hint);
    }
    if let Some(hint) = type_hint(first) {
        return msg!("check.exam.see_format", text = hint);
    }
    if first.contains("duplicate key") {
        return msg!(
            "check.exam.see_format",
            text = msg!(
                "check.toml_duplicate",
                first = first,
                hint = msg!("check.duplicate_hint")
            )
        );
    }
    msg!("check.exam.see_format", text = first)
}

/// Check an exam file. `library` is every scenario it may draw from, as `(id, kind)`; with
/// `None` the ids are not checked (a warning says so).
pub fn check_exam(file: &str, src: &str, library: Option<&[(String, ScenarioKind)]>) -> ExamOutput {
    check_exam_in(file, src, library, Lang::En)
}

/// `check_exam`, its messages in `lang` (the browser's UI language).
pub fn check_exam_in(
    file: &str,
    src: &str,
    library: Option<&[(String, ScenarioKind)]>,
    lang: Lang,
) -> ExamOutput {
    let mut ck = Ck {
        lang,
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
        ck.err(&x.id, msg!("check.exam.exam_id_id_use", id = id));
    }
    let title = ck.text(&x.title, &msg!("check.exam.what_title"));
    let intro = x
        .intro
        .as_ref()
        .map(|t| ck.text(t, &msg!("check.exam.what_intro")));
    let pass_mark = *x.pass_mark.get_ref();
    if !(0..=100).contains(&pass_mark) {
        ck.err(
            &x.pass_mark,
            msg!(
                "check.exam.pass_mark_pass_mark_write_total",
                pass_mark = pass_mark
            ),
        );
    } else if pass_mark == 0 {
        ck.warn(&x.pass_mark, msg!("check.exam.pass_mark_0_every_attempt"));
    }
    let minutes = *x.time_limit.get_ref();
    if !(1..=MAX_MINUTES).contains(&minutes) {
        ck.err(
            &x.time_limit,
            msg!(
                "check.exam.time_limit_minutes_write_minutes",
                minutes = minutes,
                max_minutes = MAX_MINUTES
            ),
        );
    }

    if raw.draw.is_empty() {
        ck.err(&raw.exam, msg!("check.exam.exam_draws_scenarios_add"));
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
                    msg!(
                        "check.exam.unknown_kind",
                        a = k.get_ref(),
                        b = suggest(k.get_ref(), kinds.iter().map(|x| x.id()))
                    ),
                );
            }
            found
        });
        let count = *r.count.get_ref();
        if count < 1 {
            ck.err(
                &r.count,
                msg!("check.exam.count_count_write_how", count = count),
            );
        }
        if r.from.is_empty() && r.kind.is_none() {
            ck.err(d, msg!("check.exam.draw_has_pool_list"));
        }
        let mut from: Vec<String> = Vec::new();
        let mut pool: Vec<String> = Vec::new();
        for f in &r.from {
            let fid = f.get_ref();
            if from.contains(fid) {
                ck.warn(f, msg!("check.exam.fid_listed_twice_pool", fid = fid));
                continue;
            }
            from.push(fid.clone());
            let Some(lib) = library else { continue };
            match lib.iter().find(|(i, _)| i == fid) {
                None => ck.err(
                    f,
                    msg!(
                        "check.exam.scenario_fid_library",
                        fid = fid,
                        a = suggest(fid, lib.iter().map(|(i, _)| i.as_str()))
                    ),
                ),
                Some((_, k)) if kind.is_some_and(|want| want != *k) => ck.err(
                    f,
                    msg!(
                        "check.exam.fid_scenario_but_draw",
                        fid = fid,
                        a = k.id(),
                        b = kind.map_or("", ScenarioKind::id)
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
                    msg!(
                        "check.exam.library_has",
                        n = pool.len(),
                        kind = kind.map_or("", ScenarioKind::id)
                    )
                } else {
                    msg!("check.exam.pool_has", n = pool.len())
                };
                ck.err(
                    &r.count,
                    msg!(
                        "check.exam.count_count_but_what",
                        count = count,
                        what = what
                    ),
                );
            } else if count >= 1 && pool.len() as i64 == count {
                ck.warn(
                    &r.count,
                    msg!("check.exam.draw_picks_all_count", count = count),
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
                    msg!(
                        "check.exam.draw_shares_scenarios_earlier",
                        left = left,
                        a = draws[i].count
                    ),
                );
            }
        }
    } else {
        ck.push(
            Severity::Warning,
            0,
            msg!("check.exam.scenario_ids_were_checked"),
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
