//! Who the trainee is and the statements to a Learning Record Store: the LRS configured by the
//! deploying team (`config.json` beside `index.html`, fetched at start) or by the trainee
//! (settings), the outbox kept in storage, and the sender. Nothing leaves the browser unless an
//! LRS is configured: without one nothing is queued and no request is made.
//!
//! Tabs share one outbox, the stored one (`kefu.outbox`): every change (queue, settle, retry)
//! is a read-merge-write of what storage holds now (`Outbox::rewrite`, one tab at a time under a
//! Web Lock), never a write of a tab's own copy; each tab shows what storage holds, refreshed on
//! the `storage` event. Only the tab holding the Web Lock `kefu-outbox` sends (the next tab
//! takes over when it closes); a browser without Web Locks sends from every tab (same ids: the
//! LRS keeps each once).
//!
//! A browser that keeps nothing for the site (its storage blocked with its cookies) holds
//! the outbox in the page's memory instead: statements are still sent while the page is open,
//! and the settings say that those not sent yet go with it.
//!
//! The logic is `kefu_core::xapi` (tested natively); this module only stores, times and posts.

use super::storage::{self, use_io_effect, SharedValue};
use super::Shared;
use kefu_core::progress::Store;
use kefu_core::xapi::{Identity, LrsConfig, Outbox, Reply};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The LRS side of the app's state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LrsState {
    /// The deploying team's LRS (`config.json`), and why it could not be read.
    pub site: Option<LrsConfig>,
    pub site_error: Option<kefu_core::xapi::ConfigError>,
    /// The trainee's own LRS (settings): used instead of the site's when set.
    pub mine: Option<LrsConfig>,
    pub identity: Option<Identity>,
    /// The outbox as storage last held it (shared by the tabs).
    pub outbox: Shared<Outbox>,
    /// Storage has been read (nothing is queued or written before).
    pub loaded: bool,
    /// The browser keeps nothing for the site (storage blocked): the outbox is held in this
    /// page's memory, sent while it is open and lost with it (`storage::SharedValue`).
    pub in_memory: bool,
    /// This tab sends (it holds the Web Lock `kefu-outbox`).
    pub sender: bool,
    /// A batch is on its way.
    pub sending: bool,
    /// Bumped by timers and "retry now": the sender looks again.
    pub tick: u32,
    /// Why the stored outbox could not be changed (storage unavailable or full).
    pub store_error: Option<storage::StoreError>,
    outbox_rev: u32,
    identity_rev: u32,
    mine_rev: u32,
    retry_rev: u32,
    /// Another tab changed the outbox: look again for what to queue (its marks may have lost
    /// a race without Web Locks).
    enqueue_rev: u32,
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
        in_memory: bool,
    },
    /// `config.json`: an LRS, none, or why it is unreadable.
    Site(Result<Option<LrsConfig>, kefu_core::xapi::ConfigError>),
    SetIdentity(Identity),
    SetMine(Option<LrsConfig>),
    /// The outbox as storage now holds it (after this tab's change), or why it could not be
    /// changed.
    Stored(Result<Outbox, storage::StoreError>),
    /// Another tab changed a stored value: its key and text.
    OtherTab(String, Option<String>),
    /// This tab holds the sender's lock.
    Sender,
    Sending,
    /// The batch is settled in storage.
    Settled,
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
        fn show(s: &mut LrsState, o: Outbox) -> bool {
            if *s.outbox.0 == o {
                return false;
            }
            s.outbox = Shared(Rc::new(o));
            s.outbox_rev += 1;
            true
        }
        match action {
            LrsAction::Loaded {
                identity,
                mine,
                outbox,
                in_memory,
            } => {
                s.in_memory = in_memory;
                s.identity = s.identity.or(identity);
                s.mine = s.mine.or(mine);
                if let Some(o) = outbox {
                    show(&mut s, o);
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
                s.retry_rev += 1;
            }
            LrsAction::Stored(Ok(o)) => {
                let changed = show(&mut s, o);
                if !changed && s.store_error.is_none() {
                    return self;
                }
                s.store_error = None;
            }
            LrsAction::Stored(Err(e)) => s.store_error = Some(e),
            LrsAction::OtherTab(key, text) => match key.as_str() {
                storage::OUTBOX => {
                    show(
                        &mut s,
                        text.as_deref()
                            .and_then(Outbox::from_json)
                            .unwrap_or_default(),
                    );
                    s.enqueue_rev += 1;
                }
                storage::IDENTITY => {
                    s.identity = text.and_then(|t| kefu_core::json::from_str(&t).ok());
                }
                storage::LRS => {
                    s.mine = text.and_then(|t| kefu_core::json::from_str(&t).ok());
                }
                _ => return self,
            },
            LrsAction::Sender => s.sender = true,
            LrsAction::Sending => s.sending = true,
            LrsAction::Settled => s.sending = false,
            LrsAction::RetryNow => {
                s.retry_rev += 1;
                s.tick += 1;
            }
            LrsAction::Tick => s.tick += 1,
        }
        Rc::new(s)
    }
}

type Dispatcher = UseReducerDispatcher<LrsState>;

/// Change the stored outbox (read-merge-write: `Outbox::rewrite`) and show what it now holds.
async fn change(shared: &SharedValue, d: &Dispatcher, f: impl FnOnce(&mut Outbox) + 'static) {
    let seen = Rc::new(RefCell::new(None));
    let put = seen.clone();
    let r = shared
        .update(move |text| {
            let (o, text) = Outbox::rewrite(text.as_deref(), f);
            *put.borrow_mut() = Some(o);
            text
        })
        .await;
    let o = seen.borrow_mut().take();
    match (r, o) {
        (Ok(_), Some(o)) => d.dispatch(LrsAction::Stored(Ok(o))),
        (Err(e), _) => d.dispatch(LrsAction::Stored(Err(e))),
        (Ok(_), None) => {}
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
/// statements of what `progress` holds into the stored outbox, follows the other tabs' changes,
/// and sends when this tab is the sender.
#[hook]
pub fn use_lrs(progress: Shared<Store>) -> Handle {
    let state = use_reducer(LrsState::default);
    // The stored outbox, for the sender's settling (set by the first effect).
    let outbox_store = use_mut_ref(|| None::<SharedValue>);
    // The other tabs' changes to the outbox, followed while the app is mounted.
    let listening = use_mut_ref(|| None::<storage::Listening>);
    // Start: what storage holds, then the deploying team's config (absent: no LRS); the other
    // tabs' changes; the sender's lock.
    {
        let d = state.dispatcher();
        let keep = outbox_store.clone();
        let listening = listening.clone();
        use_io_effect((), move |io, _| {
            *keep.borrow_mut() = Some(io.shared(storage::OUTBOX));
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
                in_memory: !storage::available(),
            });
            *listening.borrow_mut() = Some(storage::listen_storage({
                let d = d.clone();
                move |k, v| d.dispatch(LrsAction::OtherTab(k, v))
            }));
            storage::hold_lock("kefu-outbox", {
                let d = d.clone();
                move || d.dispatch(LrsAction::Sender)
            });
            wasm_bindgen_futures::spawn_local(async move {
                let got = gloo::net::http::Request::get("config.json").send().await;
                let r = match got {
                    Ok(r) if r.status() == 404 => Ok(None),
                    Ok(r) if r.ok() => match r.text().await {
                        Ok(t) => LrsConfig::from_config_json(&t),
                        Err(e) => Err(kefu_core::xapi::ConfigError::NotJson(e.to_string())),
                    },
                    Ok(r) => Err(kefu_core::xapi::ConfigError::Http(r.status())),
                    Err(_) => Ok(None),
                };
                d.dispatch(LrsAction::Site(r));
            });
        });
    }
    // Queue what is new whenever progress, the identity or the LRS change, or another tab
    // changed the outbox.
    {
        let d = state.dispatcher();
        let who = state.identity.clone();
        let config = state.config().cloned();
        let deps = (
            progress.clone(),
            who.clone(),
            config.clone(),
            state.loaded,
            state.enqueue_rev,
        );
        use_io_effect(deps, move |io, (p, _, _, loaded, _)| {
            let (Some(c), Some(who), true) = (config, who, *loaded) else {
                return;
            };
            let (shared, p) = (io.shared(storage::OUTBOX), p.clone());
            wasm_bindgen_futures::spawn_local(async move {
                change(&shared, &d, move |o| {
                    let site = site();
                    let actor = who.actor(&c.home_page(&site));
                    o.enqueue(&p, &actor, &c.base(&site), &c.send);
                })
                .await;
            });
        });
    }
    // "Retry now" (or a new LRS): everything waiting is due at once.
    {
        let d = state.dispatcher();
        use_io_effect(state.retry_rev, move |io, &rev| {
            if rev > 0 {
                let shared = io.shared(storage::OUTBOX);
                wasm_bindgen_futures::spawn_local(async move {
                    change(&shared, &d, Outbox::retry_now).await;
                });
            }
        });
    }
    // Keep what changed.
    {
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
    // The sender sends when due; otherwise it wakes up when the next try is due, or when the
    // browser is online.
    {
        let d = state.dispatcher();
        let config = state.config().cloned().filter(|_| state.sender);
        let outbox = state.outbox.clone();
        let deps = (state.outbox_rev, state.tick, state.sending, config.clone());
        let outbox_store = outbox_store.clone();
        use_effect_with(deps, move |&(_, _, sending, _)| {
            let mut timer = None;
            let online = gloo::events::EventListener::new(&gloo::utils::window(), "online", {
                let d = d.clone();
                move |_| d.dispatch(LrsAction::Tick)
            });
            let shared = outbox_store.borrow().clone();
            if let (Some(c), false, Some(shared)) = (config, sending, shared) {
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
                        let now = js_sys::Date::now();
                        change(&shared, &d, move |o| {
                            o.settle(&ids, Reply::of_status(status), error, now);
                        })
                        .await;
                        d.dispatch(LrsAction::Settled);
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
