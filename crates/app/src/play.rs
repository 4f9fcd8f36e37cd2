//! The play view: the chat (`role="log"`), the customer's persona and mood meter, the turn
//! timer, hints, the reply box, feedback after each reply, and the summary at the end.
//! State is a pure reducer over the core's `Session`; storage happens only in effects.

use super::feedback::Feedback;
use super::storage::{self, StoreError};
use super::summary::Summary;
use super::{route, use_ctx, Ctx, Engine, Shared};
use gloo::timers::callback::{Interval, Timeout};
use kefu_core::dialogue::{Saved, Session};
use kefu_core::i18n::tf;
use kefu_core::judgement::Judgement;
use kefu_core::principles::{self, Lang};
use kefu_core::progress::{Attempt, TurnRecord};
use kefu_core::scenario::{Scenario, Target};
use kefu_core::view;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use yew::prelude::*;

/// A session as stored: replayed on reload, so the trainee lands exactly where they were.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Stored {
    pub saved: Saved,
    pub started_ms: f64,
    #[serde(default)]
    pub exam: bool,
    /// A reply sent and not yet judged (the scorer was still loading): it survives a reload
    /// or a language switch and is judged when the scorer is there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending: Option<(String, Option<f64>)>,
}

pub struct PlayState {
    pub scenario: Rc<Scenario>,
    pub session: Session,
    pub started_ms: f64,
    /// A reply sent and not yet resolved (the reply box is disabled meanwhile).
    pub pending: Option<(String, Option<f64>)>,
    pub hint: bool,
    /// The engine could not judge (the reply was not taken; the draft is kept).
    pub error: Option<String>,
}

pub enum PlayAction {
    Submit(String, Option<f64>),
    /// The engine's judgement of the pending reply, or why there is none.
    Resolve(Result<Judgement, String>),
    ToggleHint,
}

impl Reducible for PlayState {
    type Action = PlayAction;
    fn reduce(self: Rc<Self>, action: PlayAction) -> Rc<Self> {
        let mut session = self.session.clone();
        let mut pending = self.pending.clone();
        let mut hint = self.hint;
        let mut error = self.error.clone();
        match action {
            PlayAction::Submit(text, secs) => {
                if pending.is_some() || session.ended().is_some() || text.trim().is_empty() {
                    return self;
                }
                pending = Some((text, secs));
                error = None;
            }
            PlayAction::Resolve(Ok(j)) => {
                if let Some((text, secs)) = pending.take() {
                    session.reply_with(&self.scenario, &text, secs, &|_, _, _, _| j.clone());
                    hint = false;
                }
            }
            PlayAction::Resolve(Err(e)) => {
                pending = None;
                error = Some(e);
            }
            PlayAction::ToggleHint => hint = !hint,
        }
        Rc::new(PlayState {
            scenario: self.scenario.clone(),
            session,
            started_ms: self.started_ms,
            pending,
            hint,
            error,
        })
    }
}

/// The attempt record of a session (saved after every reply).
pub fn attempt_of(s: &Scenario, st: &PlayState, exam: bool) -> Attempt {
    let sess = &st.session;
    Attempt {
        id: format!("{}-{}-{}", s.id, sess.seed, st.started_ms as u64),
        scenario: s.id.clone(),
        title: s.title.get(sess.lang).to_string(),
        kind: format!("{:?}", s.kind).to_lowercase(),
        lang: sess.lang.code().to_string(),
        seed: sess.seed,
        started_ms: st.started_ms,
        finished_ms: sess.ended().map(|_| route::now_ms()),
        outcome: sess.outcome(s).map(|o| o.id().to_string()),
        exam,
        turns: sess
            .log
            .iter()
            .map(|e| TurnRecord {
                turn: s.turns[e.turn].id.clone(),
                customer: e.customer.clone(),
                reply: e.reply.clone(),
                secs: e.secs,
                score: e.judgement.score,
                principles: e
                    .judgement
                    .principles
                    .iter()
                    .map(|(k, f)| (k.clone(), f.hit))
                    .collect(),
            })
            .collect(),
    }
}

/// Start or resume the session for a scenario: a stored session is replayed unless `?seed=`
/// asks for another one.
fn init_state(
    s: &Rc<Scenario>,
    lang: Lang,
    exam: bool,
    notify: &Callback<StoreError>,
) -> PlayState {
    let want_seed = route::query("seed").and_then(|v| v.parse::<u64>().ok());
    let stored = match storage::load::<Stored>(&storage::session_key(&s.id)) {
        Ok(v) => v,
        Err(e) => {
            notify.emit(e);
            None
        }
    };
    let resumed = stored
        .filter(|st| st.saved.scenario == s.id && st.exam == exam)
        .filter(|st| want_seed.is_none_or(|w| w == st.saved.seed));
    let (session, started_ms, failed, pending) = match resumed {
        Some(st) => {
            let mut saved = st.saved;
            saved.lang = lang;
            // A reply the engine cannot judge ends the replay there: nothing is made up, and
            // the stored session is not overwritten (see the save effect).
            let (sess, failed) = Session::try_replay_with(s, &saved, &super::engine_judge);
            let pending = st
                .pending
                .filter(|_| failed.is_none() && sess.ended().is_none());
            (sess, st.started_ms, failed, pending)
        }
        None => (
            Session::new(s, want_seed.unwrap_or_else(route::fresh_seed), lang),
            route::now_ms(),
            None,
            None,
        ),
    };
    PlayState {
        scenario: s.clone(),
        session,
        started_ms,
        pending,
        hint: false,
        error: failed,
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayPageProps {
    pub id: String,
}

/// What to show instead of a scenario while the library is not there yet, or if the engine
/// (the scorer) could not be loaded. While the engine loads, play starts anyway: the customer
/// speaks, the trainee reads and types, and a sent reply resolves once the engine is there.
pub fn not_ready(ctx: &Ctx) -> Option<Html> {
    if !ctx.loaded {
        return Some(html! { <p role="status">{ ctx.t("lib.loading") }</p> });
    }
    match &ctx.engine {
        Engine::Failed(e) => Some(html! {
            <section>
                <p role="alert">{ tf(ctx.lang, "play.engine_failed", &[("error", e)]) }</p>
                <a href="#/">{ ctx.t("play.back") }</a>
            </section>
        }),
        _ => None,
    }
}

/// A stored session with replies is resumed by judging them again: that waits for the engine.
pub fn resume_wait(ctx: &Ctx, id: &str) -> Option<Html> {
    if ctx.engine == Engine::Ready {
        return None;
    }
    // Read without setting corrupt data aside: `init_state` does that, and reports it.
    let resuming = storage::get_raw(&storage::session_key(id))
        .ok()
        .flatten()
        .and_then(|raw| serde_json::from_str::<Stored>(&raw).ok())
        .is_some_and(|st| !st.saved.replies.is_empty());
    resuming.then(|| html! { <p role="status">{ ctx.t("play.engine_loading") }</p> })
}

/// `#/play/ID`: find the scenario, then play it.
#[component]
pub fn PlayPage(p: &PlayPageProps) -> Html {
    let ctx = use_ctx();
    if let Some(wait) = not_ready(&ctx) {
        return wait;
    }
    match ctx.lib.get(&p.id) {
        Some(s) => resume_wait(&ctx, &s.id)
            .unwrap_or_else(|| html! { <Play scenario={Shared(s.clone())} exam={false} /> }),
        // A trainer's own file may still be being checked.
        None if ctx.checking => html! { <p role="status">{ ctx.t("lib.loading") }</p> },
        None => html! {
            <section>
                <p role="alert">{ tf(ctx.lang, "play.not_found", &[("id", &p.id)]) }</p>
                <a href="#/">{ ctx.t("play.back") }</a>
            </section>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct PlayProps {
    pub scenario: Shared<Scenario>,
    pub exam: bool,
    /// Exam mode: called with the finished attempt when the trainee moves on.
    #[prop_or_default]
    pub on_next: Option<Callback<Attempt>>,
    /// Exam mode: "Scenario i of n".
    #[prop_or_default]
    pub progress_note: Option<String>,
}

#[component]
pub fn Play(p: &PlayProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let s = p.scenario.0.clone();
    let exam = p.exam;
    let state = {
        let s = s.clone();
        let notify = ctx.notify.clone();
        use_reducer(move || init_state(&s, lang, exam, &notify))
    };
    let draft = {
        let key = storage::draft_key(&s.id);
        use_state(move || storage::get_raw(&key).ok().flatten().unwrap_or_default())
    };
    let turn_started = use_mut_ref(route::now_ms);
    let seen_len = use_mut_ref(|| None::<usize>);
    let tick = use_state(|| 0u32);
    let textarea = use_node_ref();
    let log_len = state.session.log.len();
    let ended = state.session.ended().is_some();

    // Save the session whenever a reply is sent or resolves (a sent reply is kept until it is
    // judged); record the attempt and reset the turn timer when a reply is taken.
    {
        let state = state.clone();
        let record = ctx.record.clone();
        let notify = ctx.notify.clone();
        let turn_started = turn_started.clone();
        let draft = draft.clone();
        let seen_len = seen_len.clone();
        use_effect_with((log_len, state.pending.is_some()), move |&(log_len, _)| {
            if state.error.is_some() {
                // A replay or a judgement the engine could not finish: keep the stored session
                // (and a reply waiting in it) as it is.
                return;
            }
            let seen = *seen_len.borrow();
            let grew = seen.is_some_and(|n| log_len > n);
            if seen != Some(log_len) {
                *seen_len.borrow_mut() = Some(log_len);
                *turn_started.borrow_mut() = route::now_ms();
            }
            let s = &state.scenario;
            let stored = Stored {
                saved: state.session.saved(&s.id),
                started_ms: state.started_ms,
                exam,
                pending: state.pending.clone(),
            };
            if let Err(e) = storage::save(&storage::session_key(&s.id), &stored) {
                notify.emit(e);
            }
            if grew {
                storage::remove(&storage::draft_key(&s.id));
                draft.set(String::new());
                record.emit(attempt_of(s, &state, exam));
            }
        });
    }
    // Judge a sent reply once the engine is there, and resolve it after a short pause (the
    // customer "reads" it).
    {
        let state = state.clone();
        let ready = ctx.engine == Engine::Ready;
        use_effect_with(
            (state.pending.is_some(), ready),
            move |&(pending, ready)| {
                let t = (pending && ready).then(|| {
                    let sess = &state.session;
                    let judged = match (&state.pending, sess.rules_now(&state.scenario)) {
                        (Some((text, secs)), Some(rules)) => {
                            super::engine_judge(text, sess.lang, &rules, *secs)
                        }
                        _ => Err(String::new()),
                    };
                    Timeout::new(400, move || state.dispatch(PlayAction::Resolve(judged)))
                });
                move || drop(t)
            },
        );
    }
    // The turn timer.
    {
        let tick = tick.clone();
        use_effect_with((log_len, ended), move |(_, ended)| {
            let iv = (!ended).then(|| {
                let mut n = 0;
                Interval::new(1000, move || {
                    n += 1;
                    tick.set(n);
                })
            });
            move || drop(iv)
        });
    }
    // Keep focus in the reply box after each turn (keyboard-only play).
    {
        let textarea = textarea.clone();
        use_effect_with((log_len, state.pending.is_some()), move |_| {
            if let Some(t) = textarea.cast::<web_sys::HtmlElement>() {
                let _ = t.focus();
            }
        });
    }

    let send = {
        let state = state.clone();
        let draft = draft.clone();
        let turn_started = turn_started.clone();
        Callback::from(move |_: ()| {
            let secs = (route::now_ms() - *turn_started.borrow()) / 1000.0;
            state.dispatch(PlayAction::Submit(
                (*draft).clone(),
                Some((secs * 10.0).round() / 10.0),
            ));
        })
    };
    let on_input = {
        let draft = draft.clone();
        let key = storage::draft_key(&s.id);
        let notify = ctx.notify.clone();
        Callback::from(move |e: InputEvent| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlTextAreaElement>()
                .value();
            if let Err(err) = storage::set_raw(&key, &v) {
                notify.emit(err);
            }
            draft.set(v);
        })
    };
    let on_key = {
        let send = send.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                send.emit(());
            }
        })
    };
    let on_submit = {
        let send = send.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            send.emit(());
        })
    };
    let on_hint = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PlayAction::ToggleHint))
    };
    let on_again = {
        let id = s.id.clone();
        Callback::from(move |_| {
            storage::remove(&storage::session_key(&id));
            route::set_query("seed", None);
            // A fresh Play (new seed) replaces this one.
            let _ = gloo::utils::window().location().reload();
        })
    };

    let sess = &state.session;
    let play_lang = sess.lang;
    let tr = |k: &str| ctx.t(k);
    let busy = state.pending.is_some();
    let turn = match sess.at {
        Target::Turn(i) => s.turns.get(i),
        Target::Ending(_) => None,
    };
    let secs = *tick;
    let mood_label = tr(view::mood_key(sess.mood));
    let names = |ids: &[String]| -> String {
        ids.iter()
            .filter_map(|id| principles::get(id))
            .map(|p| p.name.get(lang).to_string())
            .collect::<Vec<_>>()
            .join(if lang.is_zh() { "、" } else { ", " })
    };

    let messages = sess.log.iter().map(|e| {
        html! {
            <>
                <div class="msg customer"><span class="who">{ s.customer_name.get(play_lang).to_string() }</span><p>{ e.customer.clone() }</p></div>
                <div class="msg agent"><span class="who">{ tr("play.you") }</span><p>{ e.reply.clone() }</p></div>
            </>
        }
    });
    let last = sess.log.last();
    html! {
        <section class="play">
            <div class="play-head">
                <a href={if exam { "#/exam" } else { "#/" }} class="back">{ tr("play.back") }</a>
                if let Some(n) = &p.progress_note { <p class="exam-note">{ n.clone() }</p> }
                <h1>{ s.title.get(play_lang).to_string() }</h1>
                <details class="brief" open={sess.log.is_empty()}>
                    <summary>{ tr("play.brief") }</summary>
                    <p>{ sess.fill(s.brief.get(play_lang)) }</p>
                    if let Some(persona) = &s.persona { <p class="persona">{ sess.fill(persona.get(play_lang)) }</p> }
                </details>
                <div class="mood" >
                    <label for="mood">{ tr("play.mood") }{ ": " }<strong>{ mood_label.clone() }</strong></label>
                    <meter id="mood" min="0" max="100" low="25" high="70" optimum="100"
                        value={sess.mood.to_string()} aria-valuetext={format!("{} ({})", mood_label, sess.mood)}>{ sess.mood }</meter>
                </div>
            </div>
            <div class="chat" role="log" aria-live="polite" aria-label={tr("play.conversation")}>
                { for messages }
                if let Some((text, _)) = &state.pending {
                    <div class="msg agent pending"><span class="who">{ tr("play.you") }</span><p>{ text.clone() }</p></div>
                }
                if state.pending.is_none() {
                    <div class={classes!("msg", "customer", ended.then_some("ending"))}>
                        <span class="who">{ s.customer_name.get(play_lang).to_string() }</span>
                        <p>{ sess.customer_line.clone() }</p>
                    </div>
                }
            </div>
            if let Some(t) = turn {
                <form class="reply" onsubmit={on_submit}>
                    <div class="reply-tools">
                        if let Some(target) = t.target_secs {
                            <span class={classes!("timer", (secs > target).then_some("over"))} role="timer">
                                { tf(lang, "play.timer", &[("secs", &secs.to_string()), ("target", &target.to_string())]) }
                            </span>
                        }
                        if !exam {
                            <button type="button" onclick={on_hint} aria-expanded={state.hint.to_string()}>{ tr("play.hint") }</button>
                        }
                    </div>
                    if state.hint && !exam {
                        <p class="hint" role="note">
                            { tf(lang, "play.hint_text", &[("list", &names(&sess_expected(&s, t)))]) }
                            if let Some(h) = &t.hint { <br/>{ sess.fill(h.get(play_lang)) } }
                        </p>
                    }
                    <label for="reply" class="visually-hidden">{ tr("play.reply") }</label>
                    <textarea id="reply" ref={textarea} rows="4" aria-label={tr("play.reply")}
                        placeholder={tr("play.reply_placeholder")} value={(*draft).clone()}
                        oninput={on_input} onkeydown={on_key} disabled={busy} />
                    <button type="submit" disabled={busy || draft.trim().is_empty()}>{ tr("play.send") }</button>
                    if state.pending.is_some() && ctx.engine != Engine::Ready {
                        <p role="status" class="engine-wait">{ tr("play.engine_loading") }</p>
                    }
                    if let Some(e) = &state.error {
                        <p role="alert">{ tf(lang, "play.engine_failed", &[("error", e)]) }</p>
                    }
                </form>
            }
            if let Some(e) = last {
                <Feedback exchange={Shared(Rc::new(e.clone()))} scenario={p.scenario.clone()} />
            }
            if ended {
                <Summary scenario={p.scenario.clone()} session={Shared(Rc::new(sess.clone()))}
                    exam={exam} on_again={on_again}
                    on_next={p.on_next.clone().map(|cb| { let a = attempt_of(&s, &state, exam); cb.reform(move |_| a.clone()) })} />
            }
        </section>
    }
}

/// The principles a turn expects, for hints (never the answer).
fn sess_expected(s: &Scenario, t: &kefu_core::scenario::Turn) -> Vec<String> {
    if t.weights.is_empty() {
        s.kind
            .default_weights()
            .iter()
            .map(|(k, _)| k.to_string())
            .collect()
    } else {
        t.weights
            .iter()
            .filter(|(_, w)| *w > 0.0)
            .map(|(k, _)| k.clone())
            .collect()
    }
}
