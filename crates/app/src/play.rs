//! The play view: the chat (`role="log"`), the customer's persona and mood meter, the turn
//! timer, hints, the reply box, feedback after each reply, and the summary at the end.
//! State is a pure reducer over the core's `Session`; storage happens only in effects.

use super::feedback::Feedback;
use super::storage;
use super::summary::Summary;
use super::worker::{self, CallError};
use super::{route, use_ctx, AppAction, Ctx, Engine, Shared};
use gloo::timers::callback::{Interval, Timeout};
use kefu_core::dialogue::{Pace, Saved, Session, Start};
use kefu_core::i18n::tf;
use kefu_core::judgement::Judgement;
use kefu_core::principles::{self, Lang};
use kefu_core::progress::{Attempt, TurnRecord};
use kefu_core::scenario::{Scenario, Target};
use kefu_core::view;
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
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
    /// When the current turn began (ms since the epoch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turn_ms: Option<f64>,
    /// The scenario's content (`super::fingerprint`) the session was played on: an edited
    /// file opened again starts afresh instead of replaying old replies into new turns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario_hash: Option<String>,
    /// The current turn's hint is shown: it stays shown across a reload or a language switch
    /// (the page is drawn again) until the turn is answered.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hint: bool,
}

/// The most a reply may hold, in characters: a limit the trainee sees (a counter under the box),
/// and one that keeps the page, the scorer and the store quick whatever is pasted.
pub const REPLY_LIMIT: usize = 2000;

/// `text` cut to the reply limit, and how many characters it had (if it was cut).
pub fn clip_reply(text: String) -> (String, Option<usize>) {
    match text.char_indices().nth(REPLY_LIMIT) {
        None => (text, None),
        Some((at, _)) => {
            let n = text.chars().count();
            (text[..at].to_string(), Some(n))
        }
    }
}

/// Before text goes into the reply box: if it would pass the limit (the box's `maxlength`
/// drops the rest), note how long it would have been, for the message.
fn before_input(e: &web_sys::InputEvent, cut: &UseStateHandle<Option<usize>>) {
    use wasm_bindgen::JsCast;
    let incoming = e
        .data()
        .or_else(|| {
            e.data_transfer()
                .and_then(|d| d.get_data("text/plain").ok())
        })
        .map_or(0, |t| t.chars().count());
    let Some(el) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let have = el.value().chars().count();
    let selected = match (el.selection_start(), el.selection_end()) {
        (Ok(Some(a)), Ok(Some(b))) => b.saturating_sub(a) as usize,
        _ => 0,
    };
    let would = have.saturating_sub(selected) + incoming;
    if would > REPLY_LIMIT {
        cut.set(Some(would));
    }
}

/// Is the main pointer a finger (a phone or a tablet: no keyboard shortcut to offer, and a
/// focused box opens the on-screen keyboard)?
fn touch_screen() -> bool {
    gloo::utils::window()
        .match_media("(pointer: coarse)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Where the stored session is: not read yet, waiting for the engine to replay it, or in play.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Reading,
    /// A stored session with replies is resumed by judging them again: that waits for the engine.
    Waiting,
    Ready,
}

pub struct PlayState {
    pub scenario: Rc<Scenario>,
    pub exam: bool,
    /// The UI language the session was started in.
    pub ui: Lang,
    pub phase: Phase,
    pub session: Session,
    pub started_ms: f64,
    /// When the current turn began (ms since the epoch): kept with the session, so the turn
    /// timer goes on counting across a reload or a visit elsewhere.
    pub turn_ms: f64,
    /// A reply sent and not yet resolved (the reply box is disabled meanwhile).
    pub pending: Option<(String, Option<f64>)>,
    pub hint: bool,
    /// The engine could not judge (the reply was not taken; the draft is kept): the message.
    pub error: Option<String>,
    /// The trainee stopped the scoring of the last reply (it is still in the box).
    pub cancelled: bool,
    /// "Try again" was asked for: the effect forgets the stored session and starts afresh.
    pub again: bool,
    /// A play-test asked to start where it cannot (`?turn=&mood=`): why.
    pub bad_start: Option<String>,
    /// A studio play-test: it may start at a chosen turn (`?turn=&mood=`).
    pub trial: bool,
}

/// The play-test start the page was asked for (`?turn=ID&mood=N`, from the studio).
pub fn wanted_start() -> Option<Start> {
    Start::from_query(
        route::query("turn").as_deref(),
        route::query("mood").as_deref(),
    )
}

pub enum PlayAction {
    /// What storage holds for this scenario, read by the effect, the time it was read, the
    /// judgements of its replies (replayed in the scorer worker) or why there are none, and
    /// the pace the trainee chose in Settings (for a session begun now).
    Restore(Option<Stored>, f64, Result<Vec<Judgement>, CallError>, Pace),
    /// The stored session has replies and the engine is not there yet.
    Wait,
    Submit(String, Option<f64>),
    /// The engine's judgement of the pending reply (or why there is none), and the time.
    Resolve(Result<Judgement, CallError>, f64),
    ToggleHint,
    Again,
}

impl PlayState {
    fn blank(s: &Rc<Scenario>, lang: Lang, exam: bool, trial: bool) -> Self {
        PlayState {
            scenario: s.clone(),
            exam,
            ui: lang,
            phase: Phase::Reading,
            session: Session::new(s, 0, lang),
            started_ms: 0.0,
            turn_ms: 0.0,
            pending: None,
            hint: false,
            error: None,
            cancelled: false,
            again: false,
            bad_start: None,
            trial,
        }
    }

    /// The message for a judgement or replay the engine did not give.
    fn failure(&self, e: CallError) -> String {
        match e {
            CallError::Cancelled | CallError::OverBudget => {
                kefu_core::i18n::t(self.ui, "play.replay_stopped")
            }
            CallError::Failed(e) => tf(self.ui, "play.engine_failed", &[("error", &e)]),
        }
    }

    /// Start or resume the session: a stored session is replayed unless `?seed=` asks for
    /// another one.
    fn restore(
        &self,
        stored: Option<Stored>,
        now: f64,
        judged: Result<Vec<Judgement>, CallError>,
        pace: Pace,
    ) -> PlayState {
        // An exam is timed as its scenarios set (its time is part of what it measures).
        let pace = if self.exam { Pace::AsSet } else { pace };
        let s = &self.scenario;
        let lang = self.ui;
        let want_seed = route::query("seed").and_then(|v| v.parse::<u64>().ok());
        // A play-test from a chosen turn resumes only a stored session that started there, and
        // a normal play never resumes a play-test.
        let want_start = if self.trial { wanted_start() } else { None };
        let mut bad_start = None;
        let resumed = stored
            .filter(|st| st.saved.scenario == s.id && st.exam == self.exam)
            .filter(|st| {
                st.scenario_hash
                    .as_ref()
                    .is_none_or(|h| *h == super::fingerprint(s))
            })
            .filter(|st| want_seed.is_none_or(|w| w == st.saved.seed))
            .filter(|st| st.saved.start == want_start);
        let (session, started_ms, turn_ms, failed, pending, hint) = match resumed {
            Some(st) => {
                let mut saved = st.saved;
                saved.lang = lang;
                // A reply the engine cannot judge ends the replay there: nothing is made up,
                // and the stored session is not overwritten (see the save effect).
                // The judgements come from `engine_replay`: the scorer worker's `judge`, one
                // reply at a time, replayed on the page.
                let (judged, err) = match judged {
                    Ok(v) => (v, None),
                    Err(e) => (Vec::new(), Some(self.failure(e))),
                };
                let next = RefCell::new(judged.into_iter());
                let judge = |_: &str, _, _: &_, _| {
                    next.borrow_mut().next().ok_or_else(|| {
                        err.clone()
                            .unwrap_or_else(|| self.failure(CallError::Cancelled))
                    })
                };
                let (sess, failed) = Session::try_replay_with(s, &saved, &judge);
                let pending = st
                    .pending
                    .filter(|_| failed.is_none() && sess.ended().is_none());
                let whole = sess.log.len() == saved.replies.len();
                let turn_ms = st.turn_ms.filter(|_| whole).unwrap_or(now);
                let hint = st.hint && whole && failed.is_none();
                (sess, st.started_ms, turn_ms, failed, pending, hint)
            }
            None => (
                {
                    let seed = want_seed.unwrap_or_else(route::fresh_seed);
                    match want_start
                        .as_ref()
                        .map(|st| Session::starting_at(s, seed, lang, st))
                    {
                        Some(Ok(sess)) => sess,
                        Some(Err(e)) => {
                            bad_start = Some(e.message(lang));
                            Session::new(s, seed, lang)
                        }
                        None => Session::new(s, seed, lang),
                    }
                    .paced(pace)
                },
                now,
                now,
                None,
                None,
                false,
            ),
        };
        PlayState {
            scenario: s.clone(),
            exam: self.exam,
            ui: self.ui,
            phase: Phase::Ready,
            session,
            started_ms,
            turn_ms,
            pending,
            hint,
            error: failed,
            cancelled: false,
            again: false,
            bad_start,
            trial: self.trial,
        }
    }
}

impl Reducible for PlayState {
    type Action = PlayAction;
    fn reduce(self: Rc<Self>, action: PlayAction) -> Rc<Self> {
        let mut session = self.session.clone();
        let mut pending = self.pending.clone();
        let mut hint = self.hint;
        let mut error = self.error.clone();
        let mut turn_ms = self.turn_ms;
        let mut phase = self.phase;
        let mut again = self.again;
        let mut cancelled = false;
        match action {
            PlayAction::Restore(stored, now, judged, pace) => {
                if self.phase == Phase::Ready {
                    return self;
                }
                return Rc::new(self.restore(stored, now, judged, pace));
            }
            PlayAction::Wait => {
                if self.phase != Phase::Reading {
                    return self;
                }
                phase = Phase::Waiting;
            }
            PlayAction::Submit(text, secs) => {
                if self.phase != Phase::Ready
                    || pending.is_some()
                    || session.ended().is_some()
                    || text.trim().is_empty()
                    || text.chars().nth(REPLY_LIMIT).is_some()
                {
                    return self;
                }
                pending = Some((text, secs));
                error = None;
            }
            PlayAction::Resolve(Ok(j), now) => {
                if let Some((text, secs)) = pending.take() {
                    session.reply_with(&self.scenario, &text, secs, &|_, _, _, _| j.clone());
                    hint = false;
                    turn_ms = now;
                }
            }
            // Stopped by the trainee: the reply is not taken (it is still in the box) and the
            // stored session forgets it, so a reload does not score it again.
            PlayAction::Resolve(Err(CallError::Cancelled), _) => {
                pending = None;
                cancelled = true;
            }
            PlayAction::Resolve(Err(e), _) => {
                pending = None;
                error = Some(self.failure(e));
            }
            PlayAction::ToggleHint => hint = !hint,
            PlayAction::Again => again = true,
        }
        Rc::new(PlayState {
            scenario: self.scenario.clone(),
            exam: self.exam,
            ui: self.ui,
            phase,
            session,
            started_ms: self.started_ms,
            turn_ms,
            pending,
            hint,
            error,
            cancelled,
            again,
            bad_start: self.bad_start.clone(),
            trial: self.trial,
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
        kind: s.kind,
        lang: sess.lang,
        seed: sess.seed,
        started_ms: st.started_ms,
        finished_ms: sess.ended().map(|_| route::now_ms()),
        outcome: sess.outcome(s),
        exam,
        exam_run: None,
        pace: (!st.session.pace.is_as_set()).then(|| st.session.pace.id().to_string()),
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
                expected: Some(e.judgement.expected.clone()),
            })
            .collect(),
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
    engine_failed(ctx)
}

/// What to show instead of play when the engine (the scorer) could not be loaded.
pub fn engine_failed(ctx: &Ctx) -> Option<Html> {
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

/// How much shorter the view must grow at once to be a phone's keyboard opening (an address bar
/// collapsing or coming back is ~50–60 px).
const KEYBOARD_PX: f64 = 120.0;

/// `#/play/ID`: find the scenario (on its own or in the whole library, whichever comes first),
/// then play it.
#[component]
pub fn PlayPage(p: &PlayPageProps) -> Html {
    let ctx = use_ctx();
    if let Some(failed) = engine_failed(&ctx) {
        return failed;
    }
    // A file not checked yet (a trainer's own kept in this browser, or one added to a deployed
    // site) may define this very id (it is known once checked) and so replace the scenario: play
    // waits for the files that may, rather than start the shipped one and be handed the other
    // mid-conversation.
    // (Before the app knows which files it has to check, any may.)
    let unchecked = ctx.unchecked.may_define(&p.id);
    match ctx.lib.get(&p.id) {
        Some(s) if !unchecked => {
            html! { <OneTab id={p.id.clone()}><Play scenario={Shared(s.clone())} exam={false} /></OneTab> }
        }
        // Still coming, or a trainer's own file may still be being checked.
        _ if !ctx.loaded || ctx.checking > 0 || unchecked => {
            html! { <p role="status">{ ctx.t("lib.loading") }</p> }
        }
        _ => {
            // The library could not be fetched (offline, a server error): say so, with a way
            // to try again, rather than that no such scenario exists.
            let failed = ctx
                .lib
                .broken
                .iter()
                .find(|(f, _)| f.as_str() == crate::FULL)
                .map(|(_, why)| why.join("; "));
            // Offline, a reload would leave the app for the browser's offline page: only once
            // the browser is online again.
            let retry = Callback::from(|_| {
                if let Some(w) = web_sys::window().filter(|w| w.navigator().on_line()) {
                    let _ = w.location().reload();
                }
            });
            html! {
                <section>
                    if let Some(why) = failed {
                        <p role="alert">{ tf(ctx.lang, "play.load_failed", &[("error", &why)]) }</p>
                        <button onclick={retry}>{ ctx.t("play.retry") }</button>{ " " }
                    } else {
                        <p role="alert">{ tf(ctx.lang, "play.not_found", &[("id", &p.id)]) }</p>
                    }
                    <a href="#/">{ ctx.t("play.back") }</a>
                </section>
            }
        }
    }
}

/// Whether this tab may practise a scenario, or take the exam: one tab at a time does (Web Locks,
/// `storage::lock_session`), since both would save the same stored session or run. (The exam's
/// sessions are apart from practice's: examining a scenario does not lock its practice.)
#[derive(Debug, Clone, Copy, PartialEq)]
enum Turn {
    Asking,
    Mine,
    /// Another tab plays it.
    Elsewhere,
    /// Another tab took it over.
    Lost,
}

#[derive(Properties, PartialEq)]
pub struct OneTabProps {
    pub id: String,
    pub children: Html,
    /// The lock is a whole exam's (it says "the exam", not "this scenario").
    #[prop_or_default]
    pub exam: bool,
}

/// Plays its children only while this tab holds the scenario; otherwise says so plainly and
/// offers to take over (the other tab then stops; nothing is overwritten silently).
#[component]
pub fn OneTab(p: &OneTabProps) -> Html {
    let ctx = use_ctx();
    let turn = use_state_eq(|| Turn::Asking);
    let ask = {
        let turn = turn.clone();
        let id = p.id.clone();
        Callback::from(move |steal: bool| {
            let turn = turn.clone();
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let lost = {
                    let turn = turn.clone();
                    move || turn.set(Turn::Lost)
                };
                let mine = storage::lock_session(&id, steal, lost).await;
                turn.set(if mine { Turn::Mine } else { Turn::Elsewhere });
            });
        })
    };
    {
        let ask = ask.clone();
        use_effect_with(p.id.clone(), move |id| {
            ask.emit(false);
            let id = id.clone();
            move || storage::unlock_session(&id)
        });
    }
    let take = Callback::from(move |_| ask.emit(true));
    match *turn {
        Turn::Asking => html! { <p role="status">{ ctx.t("lib.loading") }</p> },
        Turn::Mine => p.children.clone(),
        Turn::Elsewhere | Turn::Lost => html! {
            <section class="one-tab" role="alert" data-one-tab={if *turn == Turn::Lost { "lost" } else { "elsewhere" }}>
                <p>{ ctx.t(match (p.exam, *turn == Turn::Lost) {
                    (false, true) => "play.taken_over",
                    (false, false) => "play.elsewhere",
                    (true, true) => "exam.taken_over",
                    (true, false) => "exam.elsewhere",
                }) }</p>
                <button onclick={take}>{ ctx.t("play.take_over") }</button>
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
    /// Exam mode: the run the attempt records belong to.
    #[prop_or_default]
    pub exam_tag: Option<kefu_core::exam::ExamTag>,
    /// Exam mode: the exam allows hints.
    #[prop_or_default]
    pub exam_hints: bool,
    /// A studio play-test (`studio::TrialPage`): nothing is read from or written to storage
    /// (no session, no draft, no attempt), and "try again" calls this to start afresh.
    #[prop_or_default]
    pub trial: Option<Callback<()>>,
}

#[component]
pub fn Play(p: &PlayProps) -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let s = p.scenario.0.clone();
    let exam = p.exam;
    let trial = p.trial.is_some();
    let state = {
        let s = s.clone();
        use_reducer(move || PlayState::blank(&s, lang, exam, trial))
    };
    let draft = use_state(String::new);
    let tick = use_state(|| 0u32);
    let textarea = use_node_ref();
    let chat = use_node_ref();
    let log_len = state.session.log.len();
    let ended = state.session.ended().is_some();
    let phase = state.phase;
    let cut = use_state(|| None::<usize>);
    // Read once: the reply box's placeholder offers Ctrl+Enter only where there is a keyboard.
    let touch = use_memo((), |_| touch_screen());
    // When the pending reply was sent to the scorer (for the progress shown while it scores).
    let pending_since = use_mut_ref(|| None::<f64>);

    // Read the stored session and draft. A session with replies is resumed by judging them
    // again: the scorer worker replays it (the page stays responsive meanwhile, and the
    // trainee may read and type); a fresh one starts at once.
    {
        let state = state.clone();
        let draft = draft.clone();
        let cut = cut.clone();
        let app = ctx.dispatch.clone();
        storage::use_io_effect((), move |io, _| {
            if state.phase != Phase::Reading {
                return;
            }
            let s = state.scenario.clone();
            // A play-test starts afresh and reads nothing (its id may be a card's).
            let stored = match io.load::<Stored>(&storage::session_key(&s.id, state.exam)) {
                _ if trial => None,
                Ok(v) => v,
                Err(e) => {
                    app.emit(AppAction::Notify(e));
                    None
                }
            };
            let (d, was) = clip_reply(if trial {
                String::new()
            } else {
                io.get_raw(&storage::draft_key(&s.id, state.exam))
                    .ok()
                    .flatten()
                    .unwrap_or_default()
            });
            draft.set(d);
            cut.set(was);
            // The pace the trainee chose in Settings (as set when none, or unreadable).
            let pace = io
                .get_raw(storage::PACE)
                .ok()
                .flatten()
                .and_then(|p| Pace::parse(&p))
                .unwrap_or_default();
            let replay = stored
                .as_ref()
                .filter(|st| st.saved.scenario == s.id && st.exam == state.exam)
                .filter(|st| !st.saved.replies.is_empty())
                .filter(|st| st.saved.start.is_none())
                .map(|st| {
                    let mut saved = st.saved.clone();
                    saved.lang = state.ui;
                    saved
                });
            match replay {
                None => state.dispatch(PlayAction::Restore(
                    stored,
                    route::now_ms(),
                    Ok(Vec::new()),
                    pace,
                )),
                Some(saved) => {
                    state.dispatch(PlayAction::Wait);
                    wasm_bindgen_futures::spawn_local(async move {
                        let judged = super::engine_replay(&s, &saved).await;
                        state.dispatch(PlayAction::Restore(stored, route::now_ms(), judged, pace));
                    });
                }
            }
        });
    }

    // Save the session whenever a reply is sent or resolves (a sent reply is kept until it is
    // judged); record the attempt and clear the draft when a reply is taken.
    {
        let state = state.clone();
        let app = ctx.dispatch.clone();
        let draft = draft.clone();
        let tag = p.exam_tag.clone();
        let seen_len = use_mut_ref(|| None::<usize>);
        storage::use_io_effect(
            (phase, log_len, state.pending.is_some(), state.hint),
            move |io, &(phase, log_len, _, _)| {
                if phase != Phase::Ready || state.error.is_some() || state.bad_start.is_some() {
                    // Not read yet, or a replay or a judgement the engine could not finish:
                    // keep the stored session (and a reply waiting in it) as it is.
                    return;
                }
                let grew = seen_len.borrow().is_some_and(|n| log_len > n);
                *seen_len.borrow_mut() = Some(log_len);
                if trial {
                    // A play-test: nothing stored, nothing recorded.
                    if grew {
                        draft.set(String::new());
                    }
                    return;
                }
                let s = &state.scenario;
                let stored = Stored {
                    saved: state.session.saved(&s.id),
                    started_ms: state.started_ms,
                    exam,
                    pending: state.pending.clone(),
                    turn_ms: Some(state.turn_ms),
                    scenario_hash: Some(super::fingerprint(s)),
                    hint: state.hint,
                };
                if let Err(e) = io.save(&storage::session_key(&s.id, exam), &stored) {
                    app.emit(AppAction::Notify(e));
                }
                if grew {
                    io.remove(&storage::draft_key(&s.id, exam));
                    draft.set(String::new());
                }
                // A play-test from a chosen turn is not an attempt: it is not recorded.
                if grew && state.session.start.is_none() {
                    let mut a = attempt_of(s, &state, exam);
                    a.exam_run = tag.clone();
                    app.emit(AppAction::Record(a));
                }
            },
        );
    }
    // A play-test's start (`?turn=&mood=`) is for this page only: leaving it (back to the
    // studio or the library) drops it from the URL, so nothing else starts there. A reload or
    // a language switch (the same page again) keeps it.
    {
        let here = if trial {
            route::Route::StudioPlay
        } else {
            route::Route::Play(s.id.clone())
        };
        use_effect_with((), move |_| {
            move || {
                if route::current() != here {
                    route::set_query("turn", None);
                    route::set_query("mood", None);
                }
            }
        });
    }
    // The draft is kept as it is typed.
    {
        let app = ctx.dispatch.clone();
        let key = storage::draft_key(&s.id, exam);
        let typed = use_mut_ref(|| false);
        storage::use_io_effect((*draft).clone(), move |io, d| {
            // The first run is the draft as read, not typed: nothing to write (nor ever in a
            // play-test).
            if !std::mem::replace(&mut *typed.borrow_mut(), true) || trial {
                return;
            }
            let r = if d.is_empty() {
                io.remove(&key);
                Ok(())
            } else {
                io.set_raw(&key, d)
            };
            if let Err(e) = r {
                app.emit(AppAction::Notify(e));
            }
        });
    }
    // "Try again": forget the stored session and start afresh.
    {
        let id = s.id.clone();
        let restart = p.trial.clone();
        storage::use_io_effect(state.again, move |io, &again| {
            if let (true, Some(restart)) = (again, &restart) {
                // A play-test stores nothing: it starts afresh in place.
                route::set_query("seed", None);
                restart.emit(());
            } else if again {
                io.remove(&storage::session_key(&id, exam));
                route::set_query("seed", None);
                // A fresh Play (new seed) replaces this one.
                let _ = gloo::utils::window().location().reload();
            }
        });
    }
    // Judge a sent reply in the scorer worker (queued there until the scorer is loaded), and
    // resolve it after a short pause (the customer "reads" it) counted from when it was sent.
    {
        let state = state.clone();
        let since = pending_since.clone();
        use_effect_with(
            (state.pending.is_some(), phase),
            move |&(pending, phase)| {
                let rules = state.session.rules_now(&state.scenario);
                if let (true, Phase::Ready, Some((text, secs)), Some(rules)) =
                    (pending, phase, state.pending.clone(), rules)
                {
                    let sent = route::now_ms();
                    *since.borrow_mut() = Some(sent);
                    let lang = state.session.tips;
                    wasm_bindgen_futures::spawn_local(async move {
                        let judged = super::engine_judge(&text, lang, &rules, secs).await;
                        let wait = (400.0 - (route::now_ms() - sent)).max(0.0) as u32;
                        *since.borrow_mut() = None;
                        Timeout::new(wait, move || {
                            state.dispatch(PlayAction::Resolve(judged, route::now_ms()))
                        })
                        .forget();
                    });
                }
            },
        );
    }
    // The turn timer: seconds since the turn began (kept across reloads).
    {
        let tick = tick.clone();
        let turn_ms = state.turn_ms;
        use_effect_with((turn_ms, ended, phase), move |&(turn_ms, ended, phase)| {
            let elapsed = move || ((route::now_ms() - turn_ms) / 1000.0).max(0.0) as u32;
            let iv = (!ended && phase == Phase::Ready).then(|| {
                tick.set(elapsed());
                Interval::new(1000, move || tick.set(elapsed()))
            });
            move || drop(iv)
        });
    }
    // The newest message is in view, in the chat and on the page; focus stays in the reply
    // box after each turn (keyboard-only play), except on a touch screen.
    {
        let textarea = textarea.clone();
        let chat = chat.clone();
        // The page itself opens at its top: it follows the chat only once the trainee replies.
        let shown = use_mut_ref(|| None::<(usize, bool)>);
        use_effect_with(
            (log_len, state.pending.is_some(), phase),
            move |&(n, p, phase)| {
                let first = phase == Phase::Ready && shown.borrow().is_none();
                let moved = !first && *shown.borrow() != Some((n, p));
                if phase == Phase::Ready {
                    *shown.borrow_mut() = Some((n, p));
                }
                if let Some(c) = chat.cast::<web_sys::Element>() {
                    c.set_scroll_top(c.scroll_height());
                    if let Some(last) = c.last_element_child().filter(|_| moved) {
                        let opts = web_sys::ScrollIntoViewOptions::new();
                        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                        last.scroll_into_view_with_scroll_into_view_options(&opts);
                    }
                }
                // Not away from a control the trainee is on outside the conversation (the
                // language switch, whose change draws this page again).
                let away = gloo::utils::document()
                    .active_element()
                    .filter(|a| a.closest(".play").ok().flatten().is_none())
                    .is_some_and(|a| a.tag_name() != "BODY");
                // Not on a touch screen: focus there opens the keyboard over the brief, the
                // customer's line and the feedback; the trainee taps the box when ready.
                let touch = touch_screen();
                if let Some(t) = textarea
                    .cast::<web_sys::HtmlElement>()
                    .filter(|_| !away && !touch)
                {
                    let opts = web_sys::FocusOptions::new();
                    opts.set_prevent_scroll(true);
                    let _ = t.focus_with_options(&opts);
                }
            },
        );
    }

    // A phone's keyboard opening (the viewport, or the visual viewport, grows shorter) while the
    // trainee is in the reply box: the newest message stays in view above the box, and the box
    // with its Send button is brought into view, not left under the keyboard.
    {
        let (textarea, chat) = (textarea.clone(), chat.clone());
        use_effect_with((), move |_| {
            // The visual viewport's height (iOS), else the window's.
            let height = || {
                let w = gloo::utils::window();
                js_sys::Reflect::get(&w, &"visualViewport".into())
                    .ok()
                    .and_then(|v| js_sys::Reflect::get(&v, &"height".into()).ok())
                    .and_then(|h| h.as_f64())
                    .or_else(|| w.inner_height().ok().and_then(|h| h.as_f64()))
                    .unwrap_or(0.0)
            };
            let last = std::cell::Cell::new(height());
            let keep = move || {
                // Only a keyboard opening (the view shorter by more than a collapsing address
                // bar): a zoom, a window resized or the bar coming back leave the page alone.
                let (was, now) = (last.get(), height());
                last.set(now);
                if now > was - KEYBOARD_PX {
                    return;
                }
                let Some(t) = textarea.cast::<web_sys::Element>() else {
                    return;
                };
                let focused = gloo::utils::document()
                    .active_element()
                    .is_some_and(|a| a == t);
                if !focused {
                    return;
                }
                if let Some(c) = chat.cast::<web_sys::Element>() {
                    c.set_scroll_top(c.scroll_height());
                }
                if let Some(form) = t.closest("form").ok().flatten() {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::End);
                    form.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            };
            let keep = std::rc::Rc::new(keep);
            let w = gloo::utils::window();
            let on = |target: &web_sys::EventTarget| {
                let keep = keep.clone();
                gloo::events::EventListener::new(target, "resize", move |_| keep())
            };
            let mut listeners = vec![on(&w)];
            // iOS resizes only the visual viewport for its keyboard.
            if let Ok(vv) = js_sys::Reflect::get(&w, &"visualViewport".into()) {
                if let Ok(vv) = wasm_bindgen::JsCast::dyn_into::<web_sys::EventTarget>(vv) {
                    listeners.push(on(&vv));
                }
            }
            move || drop(listeners)
        });
    }

    let send = {
        let state = state.clone();
        let draft = draft.clone();
        Callback::from(move |_: ()| {
            let secs = (route::now_ms() - state.turn_ms) / 1000.0;
            state.dispatch(PlayAction::Submit(
                (*draft).clone(),
                Some((secs * 10.0).round() / 10.0),
            ));
        })
    };
    // Over the limit, the text is cut to it at once (a 1 MB paste never reaches the page's
    // state, the store or the scorer) and the trainee is told by how much.
    let on_input = {
        let draft = draft.clone();
        let cut = cut.clone();
        Callback::from(move |e: InputEvent| {
            let el = e.target_unchecked_into::<web_sys::HtmlTextAreaElement>();
            let (text, was) = clip_reply(el.value());
            if was.is_some() {
                el.set_value(&text);
            }
            if was.is_some() {
                cut.set(was);
            } else if cut.is_some() && text.chars().count() < REPLY_LIMIT {
                cut.set(None);
            }
            draft.set(text);
        })
    };
    // The box's `maxlength` makes the browser drop what is over the limit before it is
    // inserted (a 1 MB paste is never laid out); this tells the trainee how much was pasted.
    {
        let cut = cut.clone();
        let textarea = textarea.clone();
        use_effect_with((phase, log_len), move |_| {
            let on = textarea.cast::<web_sys::HtmlTextAreaElement>().map(|el| {
                gloo::events::EventListener::new(&el, "beforeinput", move |e| {
                    if let Some(e) = wasm_bindgen::JsCast::dyn_ref::<web_sys::InputEvent>(e) {
                        before_input(e, &cut);
                    }
                })
            });
            move || drop(on)
        });
    }
    let on_cancel = Callback::from(|_: MouseEvent| worker::cancel(worker::Kind::Score));

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
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PlayAction::Again))
    };
    match phase {
        Phase::Reading => return html! {},
        Phase::Waiting => {
            return html! {
                <section class="play">
                    <p role="status">{ ctx.t("play.replaying") }</p>
                    <button type="button" class="cancel" onclick={on_cancel}>{ ctx.t("play.cancel") }</button>
                </section>
            };
        }
        Phase::Ready => {}
    }

    if let Some(e) = &state.bad_start {
        return html! {
            <section class="play">
                <p role="alert" class="bad-start">{ e.clone() }</p>
                <a href="#/studio">{ ctx.t("play.back_studio") }</a>{ " " }
                <a href="#/">{ ctx.t("play.back") }</a>
            </section>
        };
    }
    let sess = &state.session;
    let play_lang = sess.lang;
    let tr = |k: &str| ctx.t(k);
    let busy = state.pending.is_some();
    let count = draft.chars().count();
    // A reply still scoring after a second shows its progress and can be stopped.
    let scoring_secs = pending_since
        .borrow()
        .map(|t| ((route::now_ms() - t) / 1000.0) as u32)
        .filter(|&t| busy && t >= 1);
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

    // One keyed list: a message keeps its node from the moment it is shown (a live region
    // announces each new node once; the customer's line is not re-added after the reply).
    let who_c = s.customer_name.get(play_lang).to_string();
    // Heard, not seen: the speaker's name and the message are two words to a screen reader.
    let colon = || html! { <span class="visually-hidden">{ kefu_core::i18n::colon(lang) }</span> };
    let mut messages: Vec<Html> = Vec::new();
    for (i, e) in sess.log.iter().enumerate() {
        messages.push(html! {
            <div key={format!("c{i}")} class="msg customer"><span class="who">{ who_c.clone() }</span>{ colon() }<p>{ e.customer.clone() }</p></div>
        });
        messages.push(html! {
            <div key={format!("a{i}")} class="msg agent"><span class="who">{ tr("play.you") }</span>{ colon() }<p>{ e.reply.clone() }</p></div>
        });
    }
    let n = sess.log.len();
    messages.push(html! {
        <div key={format!("c{n}")} class={classes!("msg", "customer", ended.then_some("ending"))}>
            <span class="who">{ who_c.clone() }</span>{ colon() }
            <p>{ sess.customer_line.clone() }</p>
        </div>
    });
    if let Some((text, _)) = &state.pending {
        messages.push(html! {
            <div key={format!("a{n}")} class="msg agent pending"><span class="who">{ tr("play.you") }</span>{ colon() }<p>{ text.clone() }</p></div>
        });
    }
    let last = sess.log.last();
    // What the feedback below says, told to a screen reader when a reply is judged (the
    // feedback itself is not a live region: it is long, and read at will).
    let told = last.filter(|_| !exam).map(|e| {
        let j = &e.judgement;
        let asked = |hit: bool| -> Vec<String> {
            j.expected
                .iter()
                .filter(|id| j.hit(id) == hit && !principles::get(id).is_some_and(|p| p.violation))
                .cloned()
                .collect()
        };
        let committed: Vec<String> = j
            .principles
            .iter()
            .filter(|(id, f)| f.hit && principles::get(id).is_some_and(|p| p.violation))
            .map(|(id, _)| id.clone())
            .collect();
        let mut parts = vec![tf(
            lang,
            "fb.turn_score",
            &[("score", &j.score.to_string())],
        )];
        for (key, ids) in [
            ("tr.shown", asked(true)),
            ("tr.missed", asked(false)),
            ("tr.committed", committed),
        ] {
            if !ids.is_empty() {
                parts.push(tf(lang, key, &[("list", &names(&ids))]));
            }
        }
        parts.push(format!(
            "{}{}{mood_label} ({})",
            tr("play.mood"),
            kefu_core::i18n::colon(lang),
            sess.mood
        ));
        parts.join(if lang.is_zh() { "。" } else { ". " })
    });
    html! {
        <section class="play">
            <div class="play-head">
                <a href="#/" class="back">{ tr("play.back") }</a>
                if trial {
                    <p class="test-note" role="note">
                        { match &sess.start {
                            Some(st) => tf(lang, "play.test_from", &[("turn", &st.turn), ("mood", &st.mood.to_string())]),
                            None => tr("play.test_start"),
                        } }
                        { " " }<a href="#/studio" class="back-studio">{ tr("play.back_studio") }</a>
                    </p>
                }
                if let Some(n) = &p.progress_note { <p class="exam-note">{ n.clone() }</p> }
                <h1>{ s.title.get(play_lang).to_string() }</h1>
                // Played in another language than the interface's (a Traditional interface, a
                // scenario written only in Simplified): said, not left to surprise.
                if play_lang != lang {
                    <p class="play-lang">
                        { tf(lang, "play.not_in", &[("lang", play_lang.native_name())]) }
                        if play_lang.family() == lang.family() { { tr("play.reply_either") } }
                    </p>
                }
                <details class="brief" open={sess.log.is_empty()}>
                    <summary>{ tr("play.brief") }</summary>
                    <p>{ sess.fill(s.brief.get(play_lang)) }</p>
                    if let Some(persona) = &s.persona { <p class="persona">{ sess.fill(persona.get(play_lang)) }</p> }
                </details>
                // In an exam nothing is scored on screen, the customer's mood meter included.
                if !exam {
                <div class="mood" >
                    <label for="mood">{ tr("play.mood") }{ kefu_core::i18n::colon(lang) }<strong>{ mood_label.clone() }</strong></label>
                    <meter id="mood" min="0" max="100" low="25" high="70" optimum="100"
                        value={sess.mood.to_string()} aria-valuetext={format!("{} ({})", mood_label, sess.mood)}>{ sess.mood }</meter>
                </div>
                }
            </div>
            <div class="chat" role="log" aria-live="polite" aria-label={tr("play.conversation")} ref={chat}>
                { for messages }
            </div>
            if let Some(t) = turn {
                <form class="reply" onsubmit={on_submit}>
                    <div class="reply-tools">
                        if let Some(target) = state.session.target_secs(&state.scenario) {
                            <span class={classes!("timer", (secs > target).then_some("over"))} role="timer">
                                { tf(lang, "play.timer", &[("secs", &secs.to_string()), ("target", &target.to_string())]) }
                            </span>
                        }
                        if !exam || p.exam_hints {
                            <button type="button" onclick={on_hint} aria-expanded={state.hint.to_string()}>{ tr("play.hint") }</button>
                        }
                    </div>
                    if state.hint && (!exam || p.exam_hints) {
                        <p class="hint" role="note">
                            { tf(lang, "play.hint_text", &[("list", &names(&sess_expected(&s, t)))]) }
                            if let Some(h) = &t.hint { <br/>{ sess.fill(h.get(play_lang)) } }
                        </p>
                    }
                    <label for="reply" class="visually-hidden">{ tr("play.reply") }</label>
                    <textarea id="reply" ref={textarea} rows="4" aria-label={tr("play.reply")}
                        placeholder={tr(if *touch { "play.reply_placeholder_touch" } else { "play.reply_placeholder" })}
                        value={(*draft).clone()}
                        oninput={on_input} onkeydown={on_key} disabled={busy}
                        maxlength={REPLY_LIMIT.to_string()} aria-describedby="reply-count" />
                    <p class={classes!("count", (count >= REPLY_LIMIT).then_some("full"))} id="reply-count">
                        { tf(lang, "play.count", &[("n", &count.to_string()), ("max", &REPLY_LIMIT.to_string())]) }
                    </p>
                    if let Some(n) = *cut {
                        <p role="alert" class="too-long">
                            { tf(lang, "play.too_long", &[("n", &n.to_string()), ("max", &REPLY_LIMIT.to_string())]) }
                        </p>
                    }
                    <button type="submit" disabled={busy || draft.trim().is_empty()}>{ tr("play.send") }</button>
                    if state.pending.is_some() && ctx.engine != Engine::Ready {
                        <p role="status" class="engine-wait">{ tr("play.engine_loading") }</p>
                    } else if let Some(t) = scoring_secs {
                        <p role="status" class="scoring">
                            { tf(lang, "play.scoring", &[("secs", &t.to_string())]) }
                            { " " }<button type="button" class="cancel" onclick={on_cancel}>{ tr("play.cancel") }</button>
                        </p>
                    }
                    if state.cancelled {
                        <p role="status" class="cancelled">{ tr("play.cancelled") }</p>
                    }
                    if let Some(e) = &state.error {
                        <p role="alert">{ e.clone() }</p>
                    }
                </form>
            }
            <p class="visually-hidden told" role="status">{ told.unwrap_or_default() }</p>
            if let Some(e) = last.filter(|_| !exam) {
                <Feedback exchange={Shared(Rc::new(e.clone()))} scenario={p.scenario.clone()} />
            }
            if let (true, true, Some(next)) = (ended, exam, &p.on_next) {
                <super::exam::ScenarioDone on_next={{ let a = attempt_of(&s, &state, exam); next.reform(move |_| a.clone()) }} />
            } else if ended {
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
