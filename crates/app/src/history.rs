//! The history page: practice attempts and exam runs apart (each run with its total, a legend
//! for the exam mark), every attempt's transcript reopened read-only (`#/history/ID`), the
//! trend per principle (inline SVG), export (JSON, CSV, xAPI), import (merge, no duplicates)
//! and clearing (asks first).

use super::feedback::{highlighted, Feedback};
use super::{download, use_ctx, AppAction, Engine, ImportResult, Shared};
use gloo::file::{callbacks::FileReader, File};
use kefu_core::chart;
use kefu_core::dialogue::{Pace, Saved, SavedReply, Session};
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::progress::{export_file_name, Attempt, Store};
use std::rc::Rc;
use yew::prelude::*;

use super::local_minute as date_of;

/// The rows a history table draws at first (a button draws the rest), and the attempts the
/// trends are drawn over: a history of thousands never blocks the page.
pub const HIST_ROWS: usize = 100;

#[component]
pub fn HistoryPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let reader = use_mut_ref(|| None::<FileReader>);
    let show_all = use_state_eq(|| false);
    let store = ctx.progress.clone();

    // The trainee's identity (settings) is the export's actor, under the LRS's activity base.
    let lrs = ctx.lrs.state.clone();
    let export = |kind: &'static str| {
        let store = store.clone();
        let lrs = lrs.clone();
        Callback::from(move |_| {
            // Named by the trainee and the day (a trainer collects a team's files in one
            // folder): `kefu-dojo-results-王芳-2026-12-07.json`.
            let today = date_of(js_sys::Date::now());
            let file = |what: &str, ext: &str| {
                let who = lrs.identity.as_ref().map(|w| w.name.as_str());
                export_file_name(what, who, today.get(..10).unwrap_or(&today), ext)
            };
            match kind {
                "json" => download(
                    &file("results", "json"),
                    "application/json",
                    &store.to_json_as(lrs.identity.as_ref()),
                ),
                "csv" => download(
                    &file("results", "csv"),
                    "text/csv",
                    &store.to_csv_as(lrs.identity.as_ref()),
                ),
                _ => {
                    let site = super::lrs::site();
                    let v = match (&lrs.identity, lrs.config()) {
                        (Some(who), c) => {
                            let base = c.map_or_else(
                                || kefu_core::xapi::Base::new(&format!("{site}/kefu-dojo")),
                                |c| Ok(c.base(&site)),
                            );
                            match base {
                                Ok(b) => {
                                    let home = c.map_or_else(|| b.clone(), |c| c.home_page(&site));
                                    store.to_xapi_as(&who.actor(&home), &b)
                                }
                                Err(_) => store.to_xapi(&who.name, &format!("{site}/kefu-dojo")),
                            }
                        }
                        (None, _) => store
                            .to_xapi(kefu_core::progress::ANONYMOUS, &format!("{site}/kefu-dojo")),
                    };
                    download(
                        &file("xapi", "json"),
                        "application/json",
                        &serde_json::to_string_pretty(&v).unwrap_or_default(),
                    );
                }
            }
        })
    };
    // The file is read asynchronously; what it holds is merged by the app into its progress
    // as it is then (a reply saved meanwhile, here or in another tab, is kept).
    let on_import = {
        let app = ctx.dispatch.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let app = app.clone();
            let r = gloo::file::callbacks::read_as_text(&File::from(f), move |res| {
                app.emit(match res {
                    Ok(text) => AppAction::ImportFile(text),
                    Err(_) => AppAction::ImportUnreadable,
                });
            });
            *reader.borrow_mut() = Some(r);
        })
    };
    // Only the results of imports made on this visit of the page.
    let seen = use_state(|| ctx.import.as_ref().map_or(0, |x| x.0));
    let message = ctx
        .import
        .as_ref()
        .filter(|(n, _)| *n > *seen)
        .and_then(|(_, r)| match r {
            ImportResult::Merged(rep) => Some(tf(
                lang,
                "hist.import_report",
                &[
                    ("n", &rep.added.to_string()),
                    ("updated", &rep.updated.to_string()),
                    ("both", &rep.kept_both.to_string()),
                    ("same", &rep.duplicates.to_string()),
                ],
            )),
            ImportResult::Failed(e) => Some(e.message(lang)),
            ImportResult::Unreadable => Some(tr("import.unreadable")),
            ImportResult::Theirs(theirs, mine) => Some(tf(
                lang,
                "hist.import_theirs",
                &[("theirs", theirs), ("mine", mine)],
            )),
            ImportResult::Cleared => None,
        });
    let on_clear = {
        let app = ctx.dispatch.clone();
        let q = tr("hist.clear_confirm");
        Callback::from(move |_| {
            if gloo::utils::window()
                .confirm_with_message(&q)
                .unwrap_or(false)
            {
                app.emit(AppAction::Clear);
            }
        })
    };

    let mut attempts: Vec<_> = store.attempts.iter().collect();
    attempts.sort_by(|a, b| b.started_ms.total_cmp(&a.started_ms));
    let (exam_attempts, practice): (Vec<&Attempt>, Vec<&Attempt>) =
        attempts.iter().partition(|a| a.exam);
    // Exam runs, newest first, each with its scenarios in the order they were played.
    let mut runs: Vec<(Option<&kefu_core::exam::ExamTag>, Vec<&Attempt>)> = Vec::new();
    for a in &exam_attempts {
        let key = a.exam_run.as_ref().map(|t| t.run.as_str());
        match runs
            .iter_mut()
            .find(|(t, _)| t.map(|t| t.run.as_str()) == key)
        {
            Some((_, v)) => v.insert(0, a),
            None => runs.push((a.exam_run.as_ref(), vec![a])),
        }
    }
    // Trends over the latest `HIST_ROWS` finished attempts (a long history draws no more).
    let recent = {
        let mut done: Vec<Attempt> = attempts
            .iter()
            .filter(|a| a.finished())
            .take(HIST_ROWS)
            .map(|a| (*a).clone())
            .collect();
        done.reverse();
        Store {
            attempts: done,
            ..Store::default()
        }
    };
    let trends: Vec<(&str, Vec<(f64, f32)>)> = principles::all()
        .iter()
        .filter(|p| !p.violation)
        .map(|p| (p.id.as_str(), recent.principle_trend(p.id.as_str())))
        // A principle no turn asked for has no trend (product facts in an angry run).
        .filter(|(_, pts)| !pts.is_empty())
        .collect();
    let more = (!*show_all && practice.len() > HIST_ROWS).then_some(practice.len());
    let practice_shown = if more.is_some() {
        &practice[..HIST_ROWS]
    } else {
        &practice[..]
    };
    let on_all = {
        let show_all = show_all.clone();
        Callback::from(move |_| show_all.set(true))
    };
    let row = |a: &Attempt| -> Html {
        html! {
            <tr data-attempt={a.id.clone()} data-exam={a.exam.to_string()}>
                <td>{ date_of(a.started_ms) }</td>
                <td><a href={format!("#/play/{}", a.scenario)}>{ ctx.lib.title_in(&a.scenario, lang, &a.title) }</a>{ if a.exam { " ★" } else { "" } }</td>
                <td>{ a.score() }</td>
                <td>{ a.outcome.map(|o| tr(&format!("outcome.{}", o.id()))).unwrap_or_else(|| "…".into()) }</td>
                <td><a class="view" href={format!("#/history/{}", a.id)}>{ tr("hist.view") }</a></td>
            </tr>
        }
    };
    let table = |rows: &[&Attempt]| -> Html {
        html! {
            <table class="attempts">
                <thead><tr>
                    <th scope="col">{ tr("hist.col.date") }</th>
                    <th scope="col">{ tr("hist.col.scenario") }</th>
                    <th scope="col">{ tr("hist.col.score") }</th>
                    <th scope="col">{ tr("hist.col.ending") }</th>
                    <th scope="col">{ tr("hist.view") }</th>
                </tr></thead>
                <tbody>{ for rows.iter().map(|a| row(a)) }</tbody>
            </table>
        }
    };
    html! {
        <section class="history">
            <h1>{ tr("hist.title") }</h1>
            <div class="toolbar">
                <button onclick={export("json")} aria-describedby="export-help">{ tr("hist.export_json") }</button>
                <button onclick={export("csv")} aria-describedby="export-help">{ tr("hist.export_csv") }</button>
                <button onclick={export("xapi")} aria-describedby="export-help">{ tr("hist.export_xapi") }</button>
                <label class="button">{ tr("hist.import") }
                    <input type="file" accept=".json,application/json" onchange={on_import} class="visually-hidden" />
                </label>
                <button onclick={on_clear} disabled={store.attempts.is_empty()}>{ tr("hist.clear") }</button>
            </div>
            <p id="export-help" class="export-help">{ tr("hist.export_help") }</p>
            <p role="status" class="message">{ message.unwrap_or_default() }</p>
            if attempts.is_empty() {
                <p>{ tr("hist.empty") }</p>
            } else {
                <section class="practice" aria-labelledby="hist-practice">
                    <h2 id="hist-practice">{ tr("hist.practice") }</h2>
                    if practice.is_empty() { <p>{ tr("hist.empty") }</p> } else { { table(practice_shown) } }
                    if let Some(n) = more {
                        <button class="show-all" onclick={on_all}>{ tf(lang, "hist.show_all", &[("n", &n.to_string()), ("shown", &HIST_ROWS.to_string())]) }</button>
                    }
                </section>
                if !runs.is_empty() {
                    <section class="exams" aria-labelledby="hist-exams">
                        <h2 id="hist-exams">{ tr("hist.exams") }</h2>
                        <p class="legend">{ tr("hist.legend") }</p>
                        { for runs.iter().map(|(tag, rows)| {
                            let head = match tag {
                                Some(t) => format!("{} · {}", ctx.lib.exam_title_in(&t.exam, lang, &t.title), rows.first().map(|a| date_of(a.started_ms)).unwrap_or_default()),
                                None => tr("hist.exam_old"),
                            };
                            let total = tag.map(|t| match (t.total, t.passed) {
                                (Some(total), Some(passed)) => tf(lang, "hist.exam_total", &[
                                    ("total", &total.to_string()), ("mark", &t.pass_mark.to_string()),
                                    ("result", &tr(if passed { "exam.passed" } else { "exam.failed" })),
                                ]),
                                _ => tr("hist.exam_open"),
                            });
                            html! {
                                <article class="exam-run" data-run={tag.map(|t| t.run.clone()).unwrap_or_default()}
                                    data-passed={tag.and_then(|t| t.passed).map(|p| p.to_string()).unwrap_or_default()}>
                                    <h3>{ head }</h3>
                                    if let Some(t) = total { <p class="exam-total">{ t }</p> }
                                    { table(rows) }
                                </article>
                            }
                        }) }
                    </section>
                }
                <h2>{ tr("hist.trend") }</h2>
                <div class="trends">
                    { for trends.iter().map(|(id, pts)| {
                        let t = chart::trend(pts, 220.0, 60.0);
                        let name = principles::get(id).map_or(id.to_string(), |p| p.name.get(lang).to_string());
                        // The latest rate and how many attempts the line is drawn over (a lone
                        // dot says nothing by its place alone; the top line is 100 %).
                        let last = |pts: &[(f64, f32)]| pts.last().map_or(String::new(), |(_, r)| {
                            tf(lang, "hist.trend_last", &[("pct", &(r * 100.0).round().to_string()), ("n", &pts.len().to_string())])
                        });
                        html! {
                            <figure class="trend" data-principle={id.to_string()}>
                                <svg viewBox="-4 -4 228 68" role="img" aria-label={name.clone()}>
                                    <line class="axis" x1="0" y1="60" x2="220" y2="60" />
                                    <line class="axis top" x1="0" y1="0" x2="220" y2="0" />
                                    <path d={t.path.clone()} />
                                    { for t.dots.iter().map(|(x, y)| html! { <circle cx={x.to_string()} cy={y.to_string()} r="3" /> }) }
                                </svg>
                                <figcaption>{ name }<span class="last">{ last(pts) }</span></figcaption>
                            </figure>
                        }
                    }) }
                </div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TranscriptProps {
    pub attempt: Attempt,
}

/// One attempt's conversation, read-only. With the engine loaded and the scenario in the
/// library, the replies are judged again (the same seed and replies give the same session):
/// evidence, feedback, tips and model answers per turn. Otherwise, what the record holds.
#[component]
pub fn Transcript(p: &TranscriptProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let a = &p.attempt;
    let scenario = ctx.lib.get(&a.scenario).cloned();
    let ready = ctx.engine == Engine::Ready;
    let saved = Saved {
        scenario: a.scenario.clone(),
        seed: a.seed,
        lang: a.lang,
        replies: a
            .turns
            .iter()
            .map(|t| SavedReply {
                text: t.reply.clone(),
                secs: t.secs,
            })
            .collect(),
        start: None,
        pace: a.pace.as_deref().and_then(Pace::parse).unwrap_or_default(),
    };
    // The replies judged again by the scorer worker, one at a time (`engine_replay`).
    let judged = use_state(|| None::<Vec<kefu_core::judgement::Judgement>>);
    {
        let judged = judged.clone();
        let scenario = scenario.clone();
        let saved = saved.clone();
        use_effect_with(
            (a.id.clone(), a.turns.len(), ready),
            move |&(_, _, ready)| {
                if let Some(s) = scenario.filter(|_| ready) {
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Ok(v) = super::engine_replay(&s, &saved).await {
                            judged.set(Some(v));
                        }
                    });
                }
            },
        );
    }
    let session = {
        let a = a.clone();
        let scenario = scenario.clone();
        use_memo(
            (a.id.clone(), a.turns.len(), (*judged).clone()),
            move |(_, _, judged)| {
                let s = scenario?;
                let next = std::cell::RefCell::new(judged.clone()?.into_iter());
                let judge = |_: &str, _, _: &_, _| next.borrow_mut().next().ok_or(());
                let (sess, failed) = Session::try_replay_with(&s, &saved, &judge);
                // Only a replay that retraces the record is shown as it.
                let same = failed.is_none()
                    && sess.log.len() == a.turns.len()
                    && sess
                        .log
                        .iter()
                        .zip(&a.turns)
                        .all(|(e, t)| e.reply == t.reply && e.judgement.score == t.score);
                same.then(|| Rc::new(sess))
            },
        )
    };
    let names = |ids: Vec<&String>| -> String {
        ids.into_iter()
            .map(|id| principles::get(id).map_or(id.clone(), |p| p.name.get(lang).to_string()))
            .collect::<Vec<_>>()
            .join(if lang.is_zh() { "、" } else { ", " })
    };
    let who_c = scenario.as_ref().map_or_else(
        || tr("play.customer"),
        |s| s.customer_name.get(a.lang).to_string(),
    );
    html! {
        <ol class="transcript" data-attempt={a.id.clone()} data-replayed={Option::is_some(&*session).to_string()}>
            { for a.turns.iter().enumerate().map(|(i, t)| {
                let ex = Option::as_ref(&*session).and_then(|s| s.log.get(i));
                let violation = |id: &String| principles::get(id).is_some_and(|p| p.violation);
                let shown: Vec<&String> = t.principles.iter().filter(|(k, h)| **h && !violation(k) && t.expects(k)).map(|(k, _)| k).collect();
                let missed: Vec<&String> = t.principles.iter().filter(|(k, h)| !**h && !violation(k) && t.expects(k)).map(|(k, _)| k).collect();
                let committed: Vec<&String> = t.principles.iter().filter(|(k, h)| **h && violation(k)).map(|(k, _)| k).collect();
                html! {
                    <li data-turn={t.turn.clone()}>
                        <p class="customer"><span class="who">{ who_c.clone() }</span><span class="visually-hidden">{ kefu_core::i18n::colon(lang) }</span>{ t.customer.clone() }</p>
                        <p class="agent"><span class="who">{ tr("play.you") }</span><span class="visually-hidden">{ kefu_core::i18n::colon(lang) }</span>
                            { match ex { Some(e) => highlighted(&e.reply, &e.judgement, lang), None => html! { { t.reply.clone() } } } }</p>
                        <p class="turn-score" data-score={t.score.to_string()}>{ tf(lang, "fb.turn_score", &[("score", &t.score.to_string())]) }</p>
                        if !shown.is_empty() { <p class="shown">{ tf(lang, "tr.shown", &[("list", &names(shown))]) }</p> }
                        if !missed.is_empty() { <p class="missed">{ tf(lang, "tr.missed", &[("list", &names(missed))]) }</p> }
                        if !committed.is_empty() { <p class="committed">{ tf(lang, "tr.committed", &[("list", &names(committed))]) }</p> }
                        if let (Some(e), Some(s)) = (ex, scenario.as_ref()) {
                            <details class="turn-feedback">
                                <summary>{ tr("tr.feedback") }</summary>
                                <Feedback exchange={Shared(Rc::new(e.clone()))} scenario={Shared(s.clone())} />
                            </details>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct TranscriptPageProps {
    pub id: String,
}

/// `#/history/ID`: a saved attempt reopened, read-only (no reply box): its conversation,
/// scores and feedback.
#[component]
pub fn TranscriptPage(p: &TranscriptPageProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let Some(a) = ctx.progress.attempts.iter().find(|a| a.id == p.id) else {
        return html! {
            <section class="transcript-page">
                <p role="alert">{ tf(lang, "tr.not_found", &[("id", &p.id)]) }</p>
                <a href="#/history">{ tr("tr.back") }</a>
            </section>
        };
    };
    let ending = a
        .outcome
        .map(|o| tr(&format!("outcome.{}", o.id())))
        .unwrap_or_else(|| "…".into());
    html! {
        <section class="transcript-page" aria-labelledby="tr-title" data-exam={a.exam.to_string()}>
            <p><a href="#/history">{ tr("tr.back") }</a></p>
            <h1 id="tr-title">{ ctx.lib.title_in(&a.scenario, lang, &a.title) }{ if a.exam { " ★" } else { "" } }</h1>
            { super::summary::trainee_line(lang, ctx.lrs.state.identity.as_ref()) }
            <p class="meta">{ tf(lang, "tr.meta", &[("date", &date_of(a.started_ms)), ("score", &a.score().to_string()), ("ending", &ending)]) }</p>
            if let Some(t) = &a.exam_run { <p class="exam-name">{ ctx.lib.exam_title_in(&t.exam, lang, &t.title) }</p> }
            <h2>{ tr("tr.title") }</h2>
            <Transcript attempt={a.clone()} />
        </section>
    }
}
