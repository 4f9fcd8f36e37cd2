//! Who the trainee is and the statements to a Learning Record Store: the LRS configured by the
//! deploying team (`config.json` beside `index.html`, fetched at start) or by the trainee
//! (settings), the outbox kept in storage, and the sender. Nothing leaves the browser unless an
//! LRS is configured: without one nothing is queued and no request is made.
//!
//! The logic is `kefu_core::xapi` (tested natively); this module only stores, times and posts.

use super::storage::{self, use_io_effect};
use super::Shared;
use kefu_core::progress::Store;
use kefu_core::xapi::{Identity, LrsConfig, Outbox, Reply};
use std::rc::Rc;
use yew::prelude::*;

/// The LRS side of the app's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrsState {
    /// The deploying team's LRS (`config.json`), and why it could not be read.
    pub site: Option<LrsConfig>,
    pub site_error: Option<String>,
    /// The trainee's own LRS (settings): used instead of the site's when set.
    pub mine: Option<LrsConfig>,
    pub identity: Option<Identity>,
    pub outbox: Shared<Outbox>,
    /// Storage has been read (nothing is queued or written before).
    pub loaded: bool,
    /// A batch is on its way.
    pub sending: bool,
    /// Bumped by timers and "retry now": the sender looks again.
    pub tick: u32,
    outbox_rev: u32,
    identity_rev: u32,
    mine_rev: u32,
}

impl LrsState {
    /// The LRS in use: the trainee's, else the site's.
    pub fn config(&self) -> Option<&LrsConfig> {
        self.mine.as_ref().or(self.site.as_ref())
    }
}

#[derive(Debug)]
pub enum LrsAction {
    Loaded {
        identity: Option<Identity>,
        mine: Option<LrsConfig>,
        outbox: Option<Outbox>,
    },
    /// `config.json`: an LRS, none, or why it is unreadable.
    Site(Result<Option<LrsConfig>, String>),
    SetIdentity(Identity),
    SetMine(Option<LrsConfig>),
    /// Queue what the store has that was not queued yet.
    Enqueue(Shared<Store>),
    Sending,
    Settled {
        ids: Vec<String>,
        reply: Reply,
        error: Option<String>,
        now: f64,
    },
    RetryNow,
    Tick,
}

/// The site's address, the default activity base (`ORIGIN/kefu-dojo`, as exports always were).
pub fn site() -> String {
    gloo::utils::window()
        .location()
        .origin()
        .unwrap_or_default()
}

impl Reducible for LrsState {
    type Action = LrsAction;
    fn reduce(self: Rc<Self>, action: LrsAction) -> Rc<Self> {
        let mut s = (*self).clone();
        fn ob(s: &mut LrsState, f: &dyn Fn(&mut Outbox)) {
            let mut o = (*s.outbox.0).clone();
            f(&mut o);
            s.outbox = Shared(Rc::new(o));
            s.outbox_rev += 1;
        }
        match action {
            LrsAction::Loaded {
                identity,
                mine,
                outbox,
            } => {
                s.identity = s.identity.or(identity);
                s.mine = s.mine.or(mine);
                if let Some(o) = outbox {
                    let mut o = o;
                    o.absorb((*s.outbox.0).clone());
                    s.outbox = Shared(Rc::new(o));
                }
                s.loaded = true;
            }
            LrsAction::Site(Ok(c)) => s.site = c,
            LrsAction::Site(Err(e)) => s.site_error = Some(e),
            LrsAction::SetIdentity(i) => {
                s.identity = Some(i);
                s.identity_rev += 1;
            }
            LrsAction::SetMine(c) => {
                s.mine = c;
                s.mine_rev += 1;
                ob(&mut s, &|o| o.retry_now());
            }
            LrsAction::Enqueue(store) => {
                let (Some(c), Some(who), true) =
                    (s.config().cloned(), s.identity.clone(), s.loaded)
                else {
                    return self;
                };
                let site = site();
                let actor = who.actor(&c.home_page(&site));
                let mut o = (*s.outbox.0).clone();
                let before = o.marks.clone();
                if o.enqueue(&store, &actor, &c.base(&site), &c.send) == 0 && o.marks == before {
                    return self;
                }
                s.outbox = Shared(Rc::new(o));
                s.outbox_rev += 1;
            }
            LrsAction::Sending => s.sending = true,
            LrsAction::Settled {
                ids,
                reply,
                error,
                now,
            } => {
                s.sending = false;
                ob(&mut s, &|o| o.settle(&ids, reply, error.clone(), now));
            }
            LrsAction::RetryNow => {
                ob(&mut s, &|o| o.retry_now());
                s.tick += 1;
            }
            LrsAction::Tick => s.tick += 1,
        }
        Rc::new(s)
    }
}

/// What pages get: the state and the way to change it.
#[derive(Clone, PartialEq)]
pub struct Handle {
    pub state: Shared<LrsState>,
    pub dispatch: Callback<LrsAction>,
}

/// Post one batch; the HTTP status (0 when no answer came) and the error to show.
async fn post(c: &LrsConfig, batch: &[serde_json::Value]) -> (u16, Option<String>) {
    let body = serde_json::to_string(batch).unwrap_or_default();
    let mut req = gloo::net::http::Request::post(&c.statements_url())
        .header("Content-Type", "application/json")
        .header("X-Experience-API-Version", "1.0.3");
    if let Some(a) = c.authorization() {
        req = req.header("Authorization", &a);
    }
    let sent = match req.body(body) {
        Ok(r) => r.send().await,
        Err(e) => return (0, Some(e.to_string())),
    };
    match sent {
        Ok(r) if r.ok() => (r.status(), None),
        Ok(r) => {
            let status = r.status();
            let text = r.text().await.unwrap_or_default();
            let text: String = text.chars().take(300).collect();
            (status, Some(format!("HTTP {status}: {text}")))
        }
        Err(e) => (0, Some(e.to_string())),
    }
}

/// The LRS machinery, run once by the app: reads storage, fetches `config.json`, queues the
/// statements of what `progress` holds, keeps the outbox stored and sends it.
#[hook]
pub fn use_lrs(progress: Shared<Store>) -> Handle {
    let state = use_reducer(LrsState::default);
    // Start: what storage holds, then the deploying team's config (absent: no LRS).
    {
        let d = state.dispatcher();
        use_io_effect((), move |io, _| {
            let identity = io.load::<Identity>(storage::IDENTITY).ok().flatten();
            let mine = io.load::<LrsConfig>(storage::LRS).ok().flatten();
            let outbox = io
                .get_raw(storage::OUTBOX)
                .ok()
                .flatten()
                .and_then(|s| Outbox::from_json(&s));
            d.dispatch(LrsAction::Loaded {
                identity,
                mine,
                outbox,
            });
            wasm_bindgen_futures::spawn_local(async move {
                let got = gloo::net::http::Request::get("config.json").send().await;
                let r = match got {
                    Ok(r) if r.status() == 404 => Ok(None),
                    Ok(r) if r.ok() => match r.text().await {
                        Ok(t) => LrsConfig::from_config_json(&t),
                        Err(e) => Err(e.to_string()),
                    },
                    Ok(r) => Err(format!("config.json: HTTP {}", r.status())),
                    Err(_) => Ok(None),
                };
                d.dispatch(LrsAction::Site(r));
            });
        });
    }
    // Queue what is new whenever progress, the identity or the LRS change.
    {
        let d = state.dispatcher();
        let deps = (
            progress.clone(),
            state.identity.clone(),
            state.config().cloned(),
            state.loaded,
        );
        use_effect_with(deps, move |(p, _, _, _)| {
            d.dispatch(LrsAction::Enqueue(p.clone()));
        });
    }
    // Keep what changed.
    {
        let o = state.outbox.clone();
        use_io_effect(state.outbox_rev, move |io, &rev| {
            if rev > 0 {
                let _ = io.set_raw(storage::OUTBOX, &o.to_json());
            }
        });
        let who = state.identity.clone();
        use_io_effect(state.identity_rev, move |io, &rev| {
            if let (true, Some(w)) = (rev > 0, &who) {
                let _ = io.save(storage::IDENTITY, w);
            }
        });
        let mine = state.mine.clone();
        use_io_effect(state.mine_rev, move |io, &rev| {
            if rev > 0 {
                match &mine {
                    Some(c) => {
                        let _ = io.save(storage::LRS, c);
                    }
                    None => io.remove(storage::LRS),
                }
            }
        });
    }
    // Send when due; otherwise wake up when the next try is due, or when the browser is online.
    {
        let d = state.dispatcher();
        let config = state.config().cloned();
        let outbox = state.outbox.clone();
        let deps = (state.outbox_rev, state.tick, state.sending, config.clone());
        use_effect_with(deps, move |&(_, _, sending, _)| {
            let mut timer = None;
            let online = gloo::events::EventListener::new(&gloo::utils::window(), "online", {
                let d = d.clone();
                move |_| d.dispatch(LrsAction::Tick)
            });
            if let (Some(c), false) = (config, sending) {
                let now = js_sys::Date::now();
                if outbox.due(now) {
                    let batch = outbox.batch();
                    let ids: Vec<String> = batch
                        .iter()
                        .filter_map(|s| s["id"].as_str().map(str::to_string))
                        .collect();
                    d.dispatch(LrsAction::Sending);
                    let d = d.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        let (status, error) = post(&c, &batch).await;
                        d.dispatch(LrsAction::Settled {
                            ids,
                            reply: Reply::of_status(status),
                            error,
                            now: js_sys::Date::now(),
                        });
                    });
                } else if !outbox.pending.is_empty() {
                    let wait = (outbox.next_ms - now).clamp(0.0, 600_000.0) as u32 + 10;
                    let d = d.clone();
                    timer = Some(gloo::timers::callback::Timeout::new(wait, move || {
                        d.dispatch(LrsAction::Tick)
                    }));
                }
            }
            move || drop((timer, online))
        });
    }
    Handle {
        state: Shared(Rc::new((*state).clone())),
        dispatch: {
            let d = state.dispatcher();
            Callback::from(move |a| d.dispatch(a))
        },
    }
}
