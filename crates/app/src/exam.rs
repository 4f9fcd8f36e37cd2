//! Exam mode. The landing page explains each shipped exam (how many scenarios from what pool,
//! the time limit, the pass mark, hints, feedback at the end) or says why it cannot be taken.
//! An attempt draws its scenarios with a seed (`?seed=` replays a draw), plays them with
//! nothing scored on screen under a clock that ends the exam when it runs out, and ends on a
//! result: the total against the pass mark, each principle, each scenario, every transcript.
//! The run is stored (`storage::EXAM`), so a reload resumes it and the clock keeps running.
//! One tab at a time takes the exam (`play::OneTab`, Web Locks). The exam keeps each scenario's
//! session and draft under keys of its own (`storage::session_key(id, true)`), so the scenario
//! being examined may be practised in another tab meanwhile: neither saves over the other.

use super::history::Transcript;
use super::play::{OneTab, Play, Stored};
use super::storage;
use super::{route, use_ctx, AppAction, Ctx, Shared};
use gloo::timers::callback::Interval;
use kefu_core::exam::{DrawError, Exam, Run};
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::progress::Attempt;
use yew::prelude::*;

/// The run as this page knows it: not read yet, or read (and changed `rev` times), with the
/// stored sessions the last change asks to forget and the run's warning when it was read
/// (`announced`; none for a run started on this page).
#[derive(Debug, Clone, PartialEq)]
enum Load {
    Reading,
    Ready {
        run: Option<Run>,
        forget: Vec<String>,
        rev: u32,
        at_open: Option<u32>,
    },
}

#[derive(Properties, PartialEq)]
pub struct ScenarioDoneProps {
    pub on_next: Callback<MouseEvent>,
}

/// The end of one scenario inside an exam: no score, no ending's name, only the way on.
#[component]
pub fn ScenarioDone(p: &ScenarioDoneProps) -> Html {
    let ctx = use_ctx();
    html! {
        <section class="exam-between" aria-live="polite">
            <p>{ ctx.t("exam.scenario_done") }</p>
            <button onclick={p.on_next.clone()}>{ ctx.t("exam.continue") }</button>
        </section>
    }
}

/// The warning the live region announces: the run's current one (`Run::warning`), unless it
/// is the one already reached when this page read the run (`at_open`), so that a reload does
/// not announce it again. A run started on this page announces each.
fn announced(warning: Option<u32>, at_open: Option<u32>) -> Option<u32> {
    warning.filter(|&w| Some(w) != at_open)
}

/// `m:ss` of a duration in ms (rounded up: "0:01" until the last second has gone).
fn clock(ms: f64) -> String {
    let s = (ms / 1000.0).ceil().max(0.0) as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

fn exam_title(ctx: &Ctx, run: &Run) -> String {
    ctx.lib
        .exams
        .iter()
        .find(|e| e.id == run.exam)
        .map_or(run.exam.clone(), |e| e.title.get(ctx.lang).to_string())
}

/// The attempt records of a run that is over, each tagged with the run's result.
fn tagged(run: &Run, title: &str) -> Vec<Attempt> {
    let tag = run.tag(title);
    run.attempts
        .iter()
        .cloned()
        .map(|mut a| {
            a.exam_run = Some(tag.clone());
            a
        })
        .collect()
}

/// A run in progress stored by an older version kept its current scenario's session (and draft)
/// under practice's keys: moved once under the exam's own, so the scenario resumes where it was.
/// Only a session marked as the exam's, started during this run, and only if the exam has none
/// of its own yet; anything else under practice's keys is practice's and stays.
fn adopt_old_session(io: &storage::Io, r: &Run) {
    let Some(id) = r.current() else {
        return;
    };
    let (old, new) = (
        storage::session_key(id, false),
        storage::session_key(id, true),
    );
    if !matches!(io.get_raw(&new), Ok(None)) {
        return;
    }
    let Ok(Some(raw)) = io.get_raw(&old) else {
        return;
    };
    let theirs = kefu_core::json::from_str::<Stored>(&raw)
        .is_ok_and(|st| st.exam && st.saved.scenario == id && st.started_ms >= r.started_ms);
    if !theirs || io.set_raw(&new, &raw).is_err() {
        return;
    }
    io.remove(&old);
    let (old_draft, new_draft) = (storage::draft_key(id, false), storage::draft_key(id, true));
    if let Ok(Some(d)) = io.get_raw(&old_draft) {
        if io.set_raw(&new_draft, &d).is_ok() {
            io.remove(&old_draft);
        }
    }
}

/// The name of the exam's tab lock: one stored run, so one tab takes the exam (not a scenario
/// id, which never starts with a colon).
const EXAM_LOCK: &str = ":exam";

/// `#/exam`: the landing, the run or its result, in one tab at a time (`play::OneTab`): two tabs
/// would each save their own copy of the one stored run. The tab that takes over reads the run
/// afresh.
#[component]
pub fn ExamPage() -> Html {
    html! { <OneTab id={EXAM_LOCK} exam={true}><ExamRun /></OneTab> }
}

#[component]
fn ExamRun() -> Html {
    let ctx = use_ctx();
    let load = use_state(|| Load::Reading);
    let now = use_state(route::now_ms);
    {
        let load = load.clone();
        let app = ctx.dispatch.clone();
        storage::use_io_effect((), move |io, _| {
            // A run stored by an older version (no exam named) cannot be resumed: it is dropped.
            let run = io
                .load::<Run>(storage::EXAM)
                .unwrap_or_else(|e| {
                    app.emit(AppAction::Notify(e));
                    None
                })
                .filter(|r| !r.exam.is_empty());
            if let Some(r) = &run {
                adopt_old_session(io, r);
            }
            load.set(Load::Ready {
                at_open: run.as_ref().and_then(|r| r.warning(route::now_ms())),
                run,
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
            let Load::Ready {
                run, forget, rev, ..
            } = l
            else {
                return;
            };
            if *rev == 0 {
                return;
            }
            for id in forget {
                io.remove(&storage::session_key(id, true));
                io.remove(&storage::draft_key(id, true));
            }
            let r = match run {
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
    // A run started here (from the landing, none read) has no warning at open.
    let (run, rev, at_open) = match &*load {
        Load::Ready {
            run, rev, at_open, ..
        } => (run.clone(), *rev, at_open.filter(|_| run.is_some())),
        Load::Reading => (None, 0, None),
    };
    let running = run.as_ref().is_some_and(|r| !r.finished());
    // The clock: ticks every second while a run is on (and with it the warnings).
    {
        let now = now.clone();
        use_effect_with(running, move |&on| {
            let iv = on.then(|| {
                now.set(route::now_ms());
                Interval::new(1000, move || now.set(route::now_ms()))
            });
            move || drop(iv)
        });
    }
    let save = {
        let load = load.clone();
        move |run: Option<Run>, forget: Vec<String>| {
            load.set(Load::Ready {
                run,
                forget,
                rev: rev + 1,
                at_open,
            });
        }
    };
    // Time is up: the exam ends with what was played so far (the current scenario's replies
    // are kept, unfinished); every record of the run gets its result. Not before the progress
    // store has been read (it is read in the background): the replies of the current scenario
    // would be missed.
    let due = ctx.progress_loaded && run.as_ref().is_some_and(|r| r.due(*now));
    {
        let save = save.clone();
        let run = run.clone();
        let progress = ctx.progress.clone();
        let app = ctx.dispatch.clone();
        let title = run
            .as_ref()
            .map(|r| exam_title(&ctx, r))
            .unwrap_or_default();
        use_effect_with(due, move |&due| {
            if let Some(mut r) = run.filter(|_| due) {
                let cur = r.current().map(str::to_string);
                let partial = cur.as_ref().and_then(|c| {
                    progress
                        .attempts
                        .iter()
                        .filter(|a| a.scenario == *c)
                        .filter(|a| a.exam_run.as_ref().is_some_and(|t| t.run == r.id))
                        .max_by(|a, b| a.started_ms.total_cmp(&b.started_ms))
                        .cloned()
                });
                r.time_up(partial, route::now_ms());
                for a in tagged(&r, &title) {
                    app.emit(AppAction::Record(a));
                }
                save(Some(r), cur.into_iter().collect());
            }
        });
    }
    // The warning the live region says, and the language it was said in (`None` once the
    // language changed): a language switch shows the notice in the new language, and the
    // region empties rather than say it again.
    let announce = announced(run.as_ref().and_then(|r| r.warning(*now)), at_open);
    let said_in = use_state(|| None::<(u32, Option<principles::Lang>)>);
    {
        let said_in = said_in.clone();
        use_effect_with((announce, ctx.lang), move |&(a, lang)| {
            let next = match (a, *said_in) {
                (Some(m), s) if s.is_none_or(|(w, _)| w != m) => (m, Some(lang)),
                (_, Some((w, Some(l)))) if l != lang => (w, None),
                _ => return,
            };
            said_in.set(Some(next));
        });
    }
    let announce =
        announce.filter(|&m| (*said_in).is_none_or(|(w, l)| w != m || l == Some(ctx.lang)));
    if !ctx.loaded || *load == Load::Reading {
        return html! { <p role="status">{ ctx.t("lib.loading") }</p> };
    }
    match run {
        None => landing(&ctx, save),
        Some(r) if r.finished() => result(&ctx, &r, save),
        Some(r) => {
            // The warnings' live region, empty until one comes (so it speaks only then; the
            // clock itself is silent): outside what is redrawn between scenarios, so that it
            // stays in place rather than come back holding its text.
            let live = html! {
                <p class="visually-hidden exam-warn-live" role="status" aria-live="polite">
                    { announce.map(|m| warn_text(&ctx, m)).unwrap_or_default() }
                </p>
            };
            let body = if *written == rev {
                taking(&ctx, r, *now, save)
            } else {
                html! {}
            };
            html! { <>{ live }{ body }</> }
        }
    }
}

/// What each exam is, or why it cannot be taken; exam files with errors are listed for the
/// trainer.
fn landing(ctx: &Ctx, save: impl Fn(Option<Run>, Vec<String>) + Clone + 'static) -> Html {
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let card = |e: &Exam| -> Html {
        let lib = &ctx.lib;
        let seed = route::query("seed").and_then(|v| v.parse::<u64>().ok());
        // Whether it can be drawn at all (the seed only matters once it is started).
        let problem = match e.draw(lib, seed.unwrap_or(0)) {
            Ok(_) => None,
            Err(DrawError::Missing(ids)) => {
                Some(tf(lang, "exam.missing", &[("ids", &ids.join(", "))]))
            }
            Err(DrawError::TooFew { have, need, .. }) => Some(tf(
                lang,
                "exam.too_few",
                &[("have", &have.to_string()), ("need", &need.to_string())],
            )),
        };
        let start = {
            let save = save.clone();
            let e = e.clone();
            let lib = ctx.lib.clone();
            Callback::from(move |_| {
                let seed = seed.unwrap_or_else(route::fresh_seed);
                if let Ok(ids) = e.draw(&lib, seed) {
                    save(Some(Run::new(&e, ids.clone(), seed, route::now_ms())), ids);
                }
            })
        };
        let heading = format!("exam-{}", e.id);
        html! {
            <article class="exam-card" data-exam={e.id.clone()} aria-labelledby={heading.clone()}>
                <h2 id={heading}>{ e.title.get(lang).to_string() }</h2>
                if let Some(i) = &e.intro { <p>{ i.get(lang).to_string() }</p> }
                <ul class="exam-facts">
                    <li data-fact="draws">{ tf(lang, "exam.draws", &[("n", &e.count().to_string()), ("pool", &e.pool_size(lib).to_string())]) }</li>
                    <li data-fact="time">{ tf(lang, "exam.time_limit", &[("n", &e.time_limit_mins.to_string())]) }</li>
                    <li data-fact="pass">{ tf(lang, "exam.pass_mark", &[("mark", &e.pass_mark.to_string())]) }</li>
                    <li data-fact="hints">{ tr(if e.hints { "exam.hints_on" } else { "exam.hints_off" }) }</li>
                    <li data-fact="feedback"><strong>{ tr("exam.feedback_end") }</strong></li>
                </ul>
                if let Some(msg) = problem {
                    <p role="alert" class="exam-problem">{ msg }</p>
                    <a class="button" href="#/">{ tr("play.back") }</a>
                } else {
                    <button onclick={start}>{ tr("exam.start") }</button>
                }
            </article>
        }
    };
    html! {
        <section class="exam-landing" aria-labelledby="exam-title">
            <h1 id="exam-title">{ tr("exam.title") }</h1>
            <p class="lead">{ tr("exam.lead") }</p>
            if ctx.lib.exams.is_empty() {
                <p role="status">{ tr("exam.none") }</p>
            }
            { for ctx.lib.exams.iter().map(card) }
            if !ctx.lib.broken_exams.is_empty() {
                <section class="broken">
                    <h2>{ tr("exam.broken") }</h2>
                    { for ctx.lib.broken_exams.iter().map(|(f, lines)| html! {
                        <details><summary>{ f.clone() }</summary><pre>{ lines.join("\n") }</pre></details>
                    }) }
                </section>
            }
            <p><a href="#/">{ tr("play.back") }</a></p>
        </section>
    }
}

/// "5 minutes left. When the time runs out…"
fn warn_text(ctx: &Ctx, m: u32) -> String {
    tf(ctx.lang, "exam.warn_minutes", &[("n", &m.to_string())])
}

/// The scenario being played, under the exam's clock and its current warning (`Run::warning`).
fn taking(
    ctx: &Ctx,
    r: Run,
    now: f64,
    save: impl Fn(Option<Run>, Vec<String>) + Clone + 'static,
) -> Html {
    let lang = ctx.lang;
    let Some(id) = r.current().map(str::to_string) else {
        return html! {};
    };
    let exam = ctx.lib.exams.iter().find(|e| e.id == r.exam);
    let title = exam_title(ctx, &r);
    let abandon = {
        let save = save.clone();
        let forget = id.clone();
        Callback::from(move |_| save(None, vec![forget.clone()]))
    };
    // A file not checked yet may define this id (a reload, a site's added files): wait for it
    // as play does, rather than start the scenario and be handed another mid-conversation.
    if ctx.unchecked.may_define(&id) {
        return html! { <p role="status">{ ctx.t("lib.loading") }</p> };
    }
    let Some(s) = ctx.lib.get(&id) else {
        return html! {
            <section class="exam">
                <p role="alert">{ tf(lang, "exam.gone", &[("id", &id)]) }</p>
                <button onclick={abandon}>{ ctx.t("exam.abandon") }</button>
                <a class="button" href="#/">{ ctx.t("play.back") }</a>
            </section>
        };
    };
    // The engine is needed to play (not for the landing or the result).
    if let Some(wait) = super::play::not_ready(ctx) {
        return wait;
    }
    let on_next = {
        let r = r.clone();
        let app = ctx.dispatch.clone();
        let title = title.clone();
        Callback::from(move |a: Attempt| {
            let mut r = r.clone();
            let id = a.scenario.clone();
            let mut a = a;
            a.exam_run = Some(r.tag(&title));
            r.finish_scenario(a, route::now_ms());
            if r.finished() {
                for a in tagged(&r, &title) {
                    app.emit(AppAction::Record(a));
                }
            }
            save(Some(r), vec![id]);
        })
    };
    let i = r.attempts.len();
    let note = tf(
        lang,
        "play.exam_progress",
        &[("i", &(i + 1).to_string()), ("n", &r.ids.len().to_string())],
    );
    let mins = (r.limit_ms / 60_000.0).round() as u64;
    let left = r.remaining_ms(now);
    html! {
        <section class="exam" data-run={r.id.clone()}>
            <div class="exam-bar">
                <span class="exam-name">{ title.clone() }</span>
                <span class={classes!("exam-clock", (left < 60_000.0).then_some("over"))} role="timer" aria-live="off">
                    { tf(lang, "exam.clock", &[("left", &clock(left)), ("mins", &mins.to_string())]) }
                </span>
            </div>
            if let Some(m) = r.warning(now) {
                <p class="notice exam-warn" data-minutes={m.to_string()}>{ warn_text(ctx, m) }</p>
            }
            // No lock of the scenario's own: the exam's session of it is apart from practice's.
            <Play key={format!("{}-{}", r.id, s.id)} scenario={Shared(s.clone())} exam={true}
                on_next={on_next} progress_note={note} exam_tag={Some(r.tag(&title))}
                exam_hints={exam.is_some_and(|e| e.hints)} />
        </section>
    }
}

/// The exam's result: total and pass/fail, each principle, each scenario, every transcript.
fn result(ctx: &Ctx, r: &Run, save: impl Fn(Option<Run>, Vec<String>) + 'static) -> Html {
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let res = r.result();
    let mins = ((r.finished_ms.unwrap_or(r.started_ms) - r.started_ms) / 60_000.0)
        .ceil()
        .max(0.0) as u32;
    let again = Callback::from(move |_| save(None, Vec::new()));
    let name =
        |id: &str| principles::get(id).map_or(id.to_string(), |p| p.name.get(lang).to_string());
    let scenario_title =
        |id: &str, a: Option<&Attempt>| ctx.lib.title_in(id, lang, a.map_or(id, |a| &a.title));
    let verdict = if res.passed {
        tr("exam.passed")
    } else {
        tr("exam.failed")
    };
    html! {
        <section class="exam-result" aria-labelledby="exam-title" data-run={r.id.clone()}>
            <h1 id="exam-title">{ tr("exam.result") }{ " · " }{ exam_title(ctx, r) }</h1>
            { super::summary::trainee_line(lang, ctx.lrs.state.identity.as_ref()) }
            <p class="total" data-score={res.total.to_string()} data-passed={res.passed.to_string()}>
                { tf(lang, "exam.total", &[("total", &res.total.to_string()), ("mark", &r.pass_mark.to_string())]) }{ " — " }
                <strong>{ verdict }</strong>
            </p>
            <p>{ tf(lang, "exam.time", &[("mins", &mins.to_string())]) }</p>
            if r.timed_out { <p class="timed-out" role="note">{ tr("exam.timed_out") }</p> }
            <h2>{ tr("exam.principles") }</h2>
            <ul class="exam-principles">
                { for res.principles.iter().map(|p| {
                    let pct = (f64::from(p.n) * 100.0 / f64::from(p.of.max(1))).round().to_string();
                    let text = if p.violation {
                        tf(lang, "exam.violation_rate", &[("name", &name(&p.id)), ("n", &p.n.to_string()), ("of", &p.of.to_string())])
                    } else {
                        tf(lang, "exam.principle_rate", &[("name", &name(&p.id)), ("n", &p.n.to_string()), ("of", &p.of.to_string()), ("pct", &pct)])
                    };
                    html! { <li data-principle={p.id.clone()} data-n={p.n.to_string()} data-of={p.of.to_string()}
                        class={classes!(p.violation.then_some("violation"))}>{ text }</li> }
                }) }
            </ul>
            <h2>{ tr("exam.scenarios") }</h2>
            <ol class="exam-scenarios">
                { for res.scenarios.iter().map(|s| {
                    let status = match s.attempt {
                        None => tr("exam.not_reached"),
                        Some(a) if !a.finished() => tr("exam.not_finished"),
                        Some(a) => format!("{} · {}", s.score, a.outcome.map(|o| tr(&format!("outcome.{}", o.id()))).unwrap_or_default()),
                    };
                    html! { <li data-scenario={s.scenario.to_string()} data-score={s.score.to_string()}>
                        { format!("{}{}{status}", scenario_title(s.scenario, s.attempt), kefu_core::i18n::colon(lang)) }</li> }
                }) }
            </ol>
            <h2>{ tr("exam.transcripts") }</h2>
            { for res.scenarios.iter().filter_map(|s| s.attempt).map(|a| html! {
                <article class="exam-transcript" data-scenario={a.scenario.clone()}>
                    <h3>{ scenario_title(&a.scenario, Some(a)) }</h3>
                    <Transcript attempt={a.clone()} />
                </article>
            }) }
            <div class="actions">
                <button onclick={again}>{ tr("exam.back_list") }</button>
                <a class="button" href="#/">{ tr("play.back") }</a>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::{announced, clock};

    #[test]
    fn the_clock_counts_down_in_minutes_and_seconds() {
        assert_eq!(clock(30.0 * 60_000.0), "30:00");
        assert_eq!(clock(61_000.0), "1:01");
        assert_eq!(clock(400.0), "0:01");
        assert_eq!(clock(0.0), "0:00");
        assert_eq!(clock(-5.0), "0:00");
    }

    #[test]
    fn a_warning_is_announced_when_it_comes_not_again_on_a_reload() {
        // Read before any warning (or started on this page): each is announced when it comes.
        assert_eq!(announced(None, None), None);
        assert_eq!(announced(Some(5), None), Some(5));
        assert_eq!(announced(Some(1), None), Some(1));
        // Read after 5: not announced again; 1 is, when it comes.
        assert_eq!(announced(Some(5), Some(5)), None);
        assert_eq!(announced(Some(1), Some(5)), Some(1));
        // Read after 1: nothing more to announce.
        assert_eq!(announced(Some(1), Some(1)), None);
    }
}
