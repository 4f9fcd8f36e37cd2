//! Exam mode: a fixed set (one scenario of each kind) in a seeded random order, no hints,
//! timed, with a result at the end. The plan and results are stored, so a reload resumes.

use super::play::Play;
use super::storage;
use super::{route, use_ctx, Shared};
use kefu_core::i18n::tf;
use kefu_core::progress::Attempt;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ExamState {
    pub ids: Vec<String>,
    pub started_ms: f64,
    pub results: Vec<(String, u8, bool)>,
    pub finished_ms: Option<f64>,
}

#[component]
pub fn ExamPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let exam = {
        let notify = ctx.notify.clone();
        use_state(move || match storage::load::<ExamState>(storage::EXAM) {
            Ok(v) => v,
            Err(e) => {
                notify.emit(e);
                None
            }
        })
    };
    if !ctx.loaded {
        return html! { <p role="status">{ tr("lib.loading") }</p> };
    }
    let save = {
        let exam = exam.clone();
        let notify = ctx.notify.clone();
        move |st: Option<ExamState>| {
            match &st {
                Some(s) => {
                    if let Err(e) = storage::save(storage::EXAM, s) {
                        notify.emit(e);
                    }
                }
                None => storage::remove(storage::EXAM),
            }
            exam.set(st);
        }
    };
    let Some(st) = (*exam).clone() else {
        let lib = ctx.lib.clone();
        let save = save.clone();
        let start = Callback::from(move |_| {
            let ids = lib.exam_plan(route::fresh_seed());
            for id in &ids {
                storage::remove(&storage::session_key(id));
            }
            save(Some(ExamState {
                ids,
                started_ms: route::now_ms(),
                ..Default::default()
            }));
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
        let Some(s) = ctx.lib.get(&st.ids[i]) else {
            return html! { <p role="alert">{ tf(lang, "play.not_found", &[("id", &st.ids[i])]) }</p> };
        };
        let on_next = {
            let save = save.clone();
            let st = st.clone();
            Callback::from(move |a: Attempt| {
                let mut st = st.clone();
                storage::remove(&storage::session_key(&a.scenario));
                st.results.push((a.scenario.clone(), a.score(), a.passed()));
                if st.results.len() == st.ids.len() {
                    st.finished_ms = Some(route::now_ms());
                }
                save(Some(st));
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
        if let Some(wait) =
            super::play::not_ready(&ctx).or_else(|| super::play::resume_wait(&ctx, &s.id))
        {
            return wait;
        }
        return html! {
            <Play key={s.id.clone()} scenario={Shared(s.clone())} exam={true} on_next={on_next} progress_note={note} />
        };
    }
    let total = if st.results.is_empty() {
        0
    } else {
        (st.results.iter().map(|r| u32::from(r.1)).sum::<u32>() as f32 / st.results.len() as f32)
            .round() as u32
    };
    let passed = total >= 60 && st.results.iter().all(|r| r.2);
    let mins =
        ((st.finished_ms.unwrap_or_else(route::now_ms) - st.started_ms) / 60_000.0).ceil() as u32;
    let again = {
        let save = save.clone();
        Callback::from(move |_| save(None))
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
                { for st.results.iter().map(|(id, score, ok)| {
                    let title = ctx.lib.get(id).map_or(id.clone(), |s| s.title.get(s.play_lang(lang)).to_string());
                    html! { <li data-passed={ok.to_string()}>{ format!("{title}: {score}") }</li> }
                }) }
            </ul>
            <button onclick={again}>{ tr("lib.exam") }</button>
            <a class="button" href="#/">{ tr("play.back") }</a>
        </section>
    }
}
