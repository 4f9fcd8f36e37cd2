//! Exam mode: a fixed set (one scenario of each kind) in a seeded random order, no hints,
//! timed, with a result at the end. The plan and results are stored, so a reload resumes.

use super::play::Play;
use super::storage;
use super::{route, use_ctx, AppAction, Shared};
use kefu_core::i18n::tf;
use kefu_core::progress::{exam_total, Attempt, ExamResult};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExamState {
    pub ids: Vec<String>,
    pub started_ms: f64,
    pub results: Vec<ExamResult>,
    pub finished_ms: Option<f64>,
}

/// The exam as this page knows it: not read yet, or read (and changed `rev` times), with the
/// stored sessions the last change asks to forget.
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Reading,
    Ready {
        exam: Option<ExamState>,
        forget: Vec<String>,
        rev: u32,
    },
}

#[component]
pub fn ExamPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let load = use_state(|| Load::Reading);
    {
        let load = load.clone();
        let app = ctx.dispatch.clone();
        storage::use_io_effect((), move |io, _| {
            let exam = io.load::<ExamState>(storage::EXAM).unwrap_or_else(|e| {
                app.emit(AppAction::Notify(e));
                None
            });
            load.set(Load::Ready {
                exam,
                forget: Vec::new(),
                rev: 0,
            });
        });
    }
    // Write each change (and forget the sessions it asks to); a scenario is played only once
    // its stale session is forgotten.
    let written = use_state(|| 0u32);
    {
        let app = ctx.dispatch.clone();
        let written = written.clone();
        storage::use_io_effect((*load).clone(), move |io, l| {
            let Load::Ready { exam, forget, rev } = l else {
                return;
            };
            if *rev == 0 {
                return;
            }
            for id in forget {
                io.remove(&storage::session_key(id));
            }
            let r = match exam {
                Some(s) => io.save(storage::EXAM, s),
                None => {
                    io.remove(storage::EXAM);
                    Ok(())
                }
            };
            if let Err(e) = r {
                app.emit(AppAction::Notify(e));
            }
            written.set(*rev);
        });
    }
    if !ctx.loaded {
        return html! { <p role="status">{ tr("lib.loading") }</p> };
    }
    let Load::Ready { exam, rev, .. } = (*load).clone() else {
        return html! {};
    };
    let save = {
        let load = load.clone();
        move |exam: Option<ExamState>, forget: Vec<String>| {
            load.set(Load::Ready {
                exam,
                forget,
                rev: rev + 1,
            });
        }
    };
    let Some(st) = exam else {
        let lib = ctx.lib.clone();
        let save = save.clone();
        let start = Callback::from(move |_| {
            let ids = lib.exam_plan(route::fresh_seed());
            save(
                Some(ExamState {
                    ids: ids.clone(),
                    started_ms: route::now_ms(),
                    ..Default::default()
                }),
                ids,
            );
        });
        return html! {
            <section class="exam">
                <h1>{ tr("lib.exam") }</h1>
                <button onclick={start}>{ tr("lib.exam") }</button>
            </section>
        };
    };
    let i = st.results.len();
    if i < st.ids.len() {
        if *written != rev {
            return html! {};
        }
        let Some(s) = ctx.lib.get(&st.ids[i]) else {
            return html! { <p role="alert">{ tf(lang, "play.not_found", &[("id", &st.ids[i])]) }</p> };
        };
        let on_next = {
            let save = save.clone();
            let st = st.clone();
            Callback::from(move |a: Attempt| {
                let mut st = st.clone();
                st.results.push(ExamResult::from(&a));
                if st.results.len() == st.ids.len() {
                    st.finished_ms = Some(route::now_ms());
                }
                save(Some(st), vec![a.scenario.clone()]);
            })
        };
        let note = tf(
            lang,
            "play.exam_progress",
            &[
                ("i", &(i + 1).to_string()),
                ("n", &st.ids.len().to_string()),
            ],
        );
        // The engine is needed to play (not for the result page).
        if let Some(wait) = super::play::not_ready(&ctx) {
            return wait;
        }
        return html! {
            <Play key={s.id.clone()} scenario={Shared(s.clone())} exam={true} on_next={on_next} progress_note={note} />
        };
    }
    let (total, passed) = exam_total(&st.results);
    let mins =
        ((st.finished_ms.unwrap_or_else(route::now_ms) - st.started_ms) / 60_000.0).ceil() as u32;
    let again = {
        let save = save.clone();
        Callback::from(move |_| save(None, Vec::new()))
    };
    html! {
        <section class="exam-result" aria-labelledby="exam-title">
            <h1 id="exam-title">{ tr("exam.result") }</h1>
            <p class="total" data-score={total.to_string()} data-passed={passed.to_string()}>
                { tf(lang, "sum.total", &[("score", &total.to_string())]) }{ " — " }
                <strong>{ if passed { tr("exam.passed") } else { tr("exam.failed") } }</strong>
            </p>
            <p>{ tf(lang, "exam.time", &[("mins", &mins.to_string())]) }</p>
            <ul>
                { for st.results.iter().map(|r| {
                    let title = ctx.lib.get(&r.scenario).map_or(r.scenario.clone(), |s| s.title.get(s.play_lang(lang)).to_string());
                    html! { <li data-passed={r.passed.to_string()}>{ format!("{title}: {}", r.score) }</li> }
                }) }
            </ul>
            <button onclick={again}>{ tr("lib.exam") }</button>
            <a class="button" href="#/">{ tr("play.back") }</a>
        </section>
    }
}
