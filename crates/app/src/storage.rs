//! Browser storage, and nothing else touches it: every read and write goes through here and
//! reports what went wrong (storage missing, full, corrupt) instead of losing data quietly.
//! Corrupt data is never dropped nor overwritten: it is kept aside whole under a dated name
//! (`KEY.corrupt.<time>`), in localStorage when it fits, else in IndexedDB (`kefu-aside`); until
//! it is safely there it stays where it was and the app does not save over it (`held`).
//!
//! Render stays pure by construction: every operation is a method of [`Io`], and an `Io` is
//! only lent (as `&Io`, for the length of one call) to an effect ([`use_io_effect`]). A
//! component body or an event handler never holds one, so neither can read or write storage:
//! handlers change state, effects store it. `no_storage_outside_io` (a native test) checks
//! nothing bypasses this module.
//!
//! Progress lives in IndexedDB (database `kefu`, [`DB_VERSION`]): one record per attempt in
//! the object store `attempts`, `{id, json}`, keyed by the attempt's id. Every write is one
//! transaction that reads each record it is about to write and follows
//! `kefu_core::progress::decide` (a copy replaces only what it continues; a different play
//! under the same id is kept beside it), never a whole store written from a snapshot. After a
//! write commits, a `BroadcastChannel("kefu")` message names the records changed and the other
//! tabs read them again. The old store (one localStorage value, `kefu.progress`, schema v1)
//! is migrated once, at start: merged into the database, and removed from localStorage only
//! after that transaction committed (and only if unchanged meanwhile). Play writes the same
//! value ahead of each of its database writes (`Io::write_ahead`: the attempts it is about to
//! write, merged with what the value holds) and removes it once the write committed, so a page
//! closed in between loses nothing: the next start merges it. Without IndexedDB
//! (blocked, some private modes) progress stays in that localStorage value, with a notice.
//! localStorage keeps the small things: the language, drafts, the session being played (the
//! exam's apart from practice's, [`session_key`]), the trainer's files, the exam run.
//!
//! To add another object store (e.g. an xAPI `outbox`): bump `DB_VERSION`, create it in `onupgradeneeded` under `if (e.oldVersion < N)`, and add
//! its operations as `Io` methods beside the attempts' ones.

use gloo::storage::{LocalStorage, Storage};
use kefu_core::i18n::tf;
use kefu_core::principles::Lang;
use kefu_core::progress::{decide, Attempt, Decision, MergeReport, Verdict, Writer};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The old store (schema v1): every attempt in one localStorage value. Migrated into the
/// database at start; still the store where IndexedDB is not available.
pub const PROGRESS: &str = "kefu.progress";
/// The database's schema version (v1 being the localStorage value above, the database starts
/// at 2 so the two are never confused): `attempts` and `meta`.
pub const DB_VERSION: u32 = 2;
pub const LOCAL_FILES: &str = "kefu.local";
pub const EXAM: &str = "kefu.exam";
/// The UI language the trainee last picked.
pub const LANG: &str = "kefu.lang";
/// Who the trainee is (`xapi::Identity`), the trainee's own LRS (`xapi::LrsConfig`) and the
/// statements waiting for an LRS (`xapi::Outbox`).
pub const IDENTITY: &str = "kefu.identity";
pub const LRS: &str = "kefu.lrs";
pub const OUTBOX: &str = "kefu.outbox";
/// How practice times the replies (`dialogue::Pace`'s id; absent: as each scenario sets it).
pub const PACE: &str = "kefu.pace";

/// The session being played of a scenario, and its draft reply: practice's under
/// `kefu.session.ID` and `kefu.draft.ID`, the exam's apart under `kefu.exam-session.ID` and
/// `kefu.exam-draft.ID`, so practising a scenario and examining it never save over each other.
/// (Before, the exam used practice's keys: a run in progress stored then is moved once, see
/// `exam::adopt_old_session`.)
pub fn session_key(id: &str, exam: bool) -> String {
    if exam {
        format!("kefu.exam-session.{id}")
    } else {
        format!("kefu.session.{id}")
    }
}
pub fn draft_key(id: &str, exam: bool) -> String {
    if exam {
        format!("kefu.exam-draft.{id}")
    } else {
        format!("kefu.draft.{id}")
    }
}

/// What went wrong with storage; each maps to a notice in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    /// No localStorage (private mode, disabled by policy).
    Unavailable,
    /// A write failed: most likely the quota is full.
    Full,
    /// No IndexedDB: progress is kept in localStorage, as before.
    NoDatabase,
    /// The old store could not be moved into the database: it stays where it was and this
    /// tab keeps using it.
    MigrationFailed,
    /// Another tab saved a different play under the id of one played here: both are kept.
    Conflict,
    /// Stored data under `key` could not be read; it is kept whole under `aside`, in `place`.
    Corrupt {
        key: String,
        aside: String,
        place: Aside,
    },
}

/// Where unreadable data is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aside {
    /// Copied to localStorage under the dated name (the original removed).
    Local,
    /// Moved into this browser's IndexedDB (`kefu-aside`, store `aside`) under the dated name.
    Database,
    /// Too large to copy: left where it was, and nothing is saved over it until it is moved.
    Held,
}

impl StoreError {
    pub fn key(&self) -> &'static str {
        match self {
            StoreError::Unavailable => "store.unavailable",
            StoreError::Full => "store.full",
            StoreError::NoDatabase => "store.no_db",
            StoreError::MigrationFailed => "store.migrate_failed",
            StoreError::Conflict => "store.conflict",
            StoreError::Corrupt { .. } => "store.corrupt",
        }
    }
    /// The notice, through the catalogue: a corrupt one names what the data was (progress, the
    /// conversation, the exam, the trainer's files) and where it is kept.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            StoreError::Corrupt { aside, place, key } => {
                let what = kefu_core::i18n::t(lang, what_it_holds(key));
                match place {
                    Aside::Local => {
                        tf(lang, "store.corrupt_of", &[("what", &what), ("key", aside)])
                    }
                    Aside::Database => tf(
                        lang,
                        "store.corrupt_db_of",
                        &[("what", &what), ("key", aside)],
                    ),
                    Aside::Held => tf(
                        lang,
                        "store.corrupt_held_of",
                        &[("what", &what), ("key", key)],
                    ),
                }
            }
            _ => tf(lang, self.key(), &[]),
        }
    }
}

/// The catalogue key naming what a storage key holds, for notices.
pub fn what_it_holds(key: &str) -> &'static str {
    match key {
        PROGRESS => "store.what.progress",
        EXAM => "store.what.exam",
        LOCAL_FILES => "store.what.local",
        k if k.starts_with("kefu.session.") || k.starts_with("kefu.exam-session.") => {
            "store.what.session"
        }
        _ => "store.what.other",
    }
}

/// The right to touch storage, lent only to effects and event handlers (see the module doc).
pub struct Io {
    _private: (),
}

/// Lend an `Io` for one call. Private: effects and handlers get theirs from the two below.
fn with_io<R>(f: impl FnOnce(&Io) -> R) -> R {
    f(&Io { _private: () })
}

/// `use_effect_with` whose closure may use storage.
#[hook]
pub fn use_io_effect<D, F>(deps: D, f: F)
where
    D: PartialEq + 'static,
    F: FnOnce(&Io, &D) + 'static,
{
    use_effect_with(deps, move |d| with_io(|io| f(io, d)));
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
// The progress database, opened at `version` (DB_VERSION in storage.rs; adding a store: one
// more `if (e.oldVersion < N)` in onupgradeneeded).
let db = null, chan = null;
const channel = () => {
  if (!chan && typeof BroadcastChannel === 'function') chan = new BroadcastChannel('kefu');
  return chan;
};
export function kefu_db_open(version) {
  return new Promise((resolve) => {
    let open;
    try { open = indexedDB.open('kefu', version); } catch (e) { resolve(String((e && e.message) || e)); return; }
    open.onupgradeneeded = (e) => {
      const d = open.result;
      if (e.oldVersion < 2) { d.createObjectStore('attempts', { keyPath: 'id' }); d.createObjectStore('meta'); }
    };
    open.onerror = (e) => { e.preventDefault(); resolve(String((open.error && open.error.message) || 'IndexedDB')); };
    open.onblocked = () => resolve('blocked by another tab');
    open.onsuccess = () => {
      if (db) { open.result.close(); resolve(''); return; }
      db = open.result;
      db.onversionchange = () => { db.close(); db = null; };
      resolve('');
    };
  });
}
const need = () => { if (!db) throw new Error('the database is closed'); return db; };
export function kefu_db_get(ids) {
  return new Promise((resolve, reject) => {
    const tx = need().transaction('attempts');
    const os = tx.objectStore('attempts');
    const out = [];
    if (ids === null) {
      const r = os.getAll();
      r.onsuccess = () => { for (const x of r.result) out.push(x.json); };
    } else {
      for (const id of ids) { const r = os.get(id); r.onsuccess = () => { if (r.result) out.push(r.result.json); }; }
    }
    tx.oncomplete = () => resolve(out);
    tx.onerror = tx.onabort = () => reject(tx.error || new Error('IndexedDB'));
  });
}
// Write the attempts of a store's JSON ({"attempts": [...]}) in one transaction: each record
// already there is decided by `decide(writer, stored, copy)` (Rust, kefu_core::progress::decide):
// [0 put | 1 keep | 2 fork | 3 bad, verdict, fork id, fork json]. Answers [[id, verdict, first id]].
export function kefu_db_merge(text, writer, decide) {
  return new Promise((resolve, reject) => {
    let recs;
    try { recs = JSON.parse(text).attempts.map((a) => [String(a.id), JSON.stringify(a)]); } catch (e) { reject(e); return; }
    let tx;
    try { tx = need().transaction('attempts', 'readwrite'); } catch (e) { reject(e); return; }
    const os = tx.objectStore('attempts');
    const out = [];
    const step = (id, json, first) => {
      const g = os.get(id);
      g.onsuccess = () => {
        if (!g.result) { os.put({ id, json }); out.push([id, first === id ? 0 : 4, first]); return; }
        const d = decide(writer, g.result.json, json);
        if (d[0] === 0) { os.put({ id, json }); out.push([id, d[1], first]); }
        else if (d[0] === 1) out.push([id, d[1], first]);
        else if (d[0] === 2 && first === id) step(d[2], d[3], first);
        else if (d[0] === 2) out.push([id, 1, first]);
      };
    };
    for (const [id, json] of recs) step(id, json, id);
    tx.oncomplete = () => {
      const changed = out.filter((x) => x[1] === 0 || x[1] === 2 || x[1] === 4).map((x) => x[0]);
      if (changed.length) channel()?.postMessage({ ids: changed });
      resolve(out);
    };
    tx.onerror = tx.onabort = () => reject(tx.error || new Error('IndexedDB'));
  });
}
export function kefu_db_clear() {
  return new Promise((resolve, reject) => {
    const tx = need().transaction('attempts', 'readwrite');
    tx.objectStore('attempts').clear();
    tx.oncomplete = () => { channel()?.postMessage({ ids: null }); resolve(); };
    tx.onerror = tx.onabort = () => reject(tx.error || new Error('IndexedDB'));
  });
}
// Another tab's committed write: `f(ids)` (null: everything changed).
// Listeners are kept in a set, so a module mounted again (after the dashboard's) replaces its
// own: kefu_tabs_unlisten(f) when it unmounts.
const tabListeners = new Set();
export function kefu_tabs_listen(f) {
  const c = channel();
  if (!c) return;
  tabListeners.add(f);
  c.onmessage = (e) => { const ids = e.data && Array.isArray(e.data.ids) ? e.data.ids : null; for (const g of tabListeners) g(ids); };
}
export function kefu_tabs_unlisten(f) { tabListeners.delete(f); }
// One tab at a time plays a scenario (Web Locks). Resolves true when this tab holds the lock
// (taking it from the other tab when `steal`), false when another tab holds it; `lost()` runs
// when another tab takes it away. Without Web Locks every tab may play (true).
// Locks held (name → release), asked for and not yet granted, and asked for then let go before
// the grant (released as soon as it comes, so this tab does not keep what it no longer plays).
const held = new Map(), asking = new Set(), dropped = new Set();
export function kefu_lock(name, steal, lost) {
  if (!navigator.locks) return Promise.resolve(true);
  asking.add(name);
  return new Promise((resolve) => {
    navigator.locks.request(name, steal ? { steal: true } : { ifAvailable: true }, (lock) => {
      asking.delete(name);
      if (dropped.delete(name) || !lock) { resolve(false); return undefined; }
      resolve(true);
      return new Promise((release) => held.set(name, release));
    }).catch(() => {
      asking.delete(name);
      dropped.delete(name);
      // Taken over by another tab; or the request itself failed: play as without Web Locks.
      if (held.has(name)) { held.delete(name); lost(); } else resolve(true);
    });
  });
}
export function kefu_unlock(name) {
  const r = held.get(name);
  held.delete(name);
  if (r) r(); else if (asking.has(name)) dropped.add(name);
}
export function kefu_update(key, f) {
  const run = () => { const n = f(localStorage.getItem(key)); if (typeof n == 'string') localStorage.setItem(key, n); return n; };
  return navigator.locks ? navigator.locks.request('kefu.write.' + key, run) : new Promise((r) => r(run()));
}
export function kefu_hold(name, got) {
  // A request that fails (storage blocked with the site's cookies) is as without Web Locks.
  if (navigator.locks) navigator.locks.request(name, () => { got(); return new Promise(() => {}); }).catch(() => got()); else got();
}
export function kefu_move_aside(key, aside) {
  return new Promise((resolve, reject) => {
    const value = localStorage.getItem(key);
    if (value === null) { resolve(); return; }
    const open = indexedDB.open('kefu-aside', 1);
    open.onupgradeneeded = () => open.result.createObjectStore('aside');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const tx = db.transaction('aside', 'readwrite');
      tx.objectStore('aside').put(value, aside);
      tx.oncomplete = () => {
        db.close();
        if (localStorage.getItem(key) === value) localStorage.removeItem(key);
        resolve();
      };
      tx.onerror = tx.onabort = () => { db.close(); reject(tx.error || new Error('IndexedDB')); };
    };
  });
}
"#)]
extern "C" {
    fn kefu_move_aside(key: &str, aside: &str) -> js_sys::Promise;
    fn kefu_db_open(version: u32) -> js_sys::Promise;
    fn kefu_db_get(ids: JsValue) -> js_sys::Promise;
    fn kefu_db_merge(text: &str, writer: &str, decide: &js_sys::Function) -> js_sys::Promise;
    fn kefu_db_clear() -> js_sys::Promise;
    fn kefu_tabs_listen(f: &js_sys::Function);
    fn kefu_tabs_unlisten(f: &js_sys::Function);
    fn kefu_lock(name: &str, steal: bool, lost: &js_sys::Function) -> js_sys::Promise;
    fn kefu_unlock(name: &str);
    /// Read-change-write of one localStorage value with no other tab in between (Web Locks,
    /// `kefu.write.KEY`; without them, in one task): `f(text|null)` answers the text to store
    /// (null: leave it as it is). Resolves what `f` answered.
    fn kefu_update(key: &str, f: &JsValue) -> js_sys::Promise;
    /// Wait for the Web Lock `name`, then hold it while the page lives; `got()` once held (at
    /// once without Web Locks). The next tab waiting gets it when this one closes.
    fn kefu_hold(name: &str, got: &JsValue);
}

/// This page's id among the tabs (a different play it saves under a stored id is kept as
/// `{id}~{tab}`).
pub fn tab_id() -> String {
    thread_local!(static TAB: String = format!("{:08x}", (js_sys::Math::random() * 4e9) as u32));
    TAB.with(Clone::clone)
}

/// Where progress is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// IndexedDB: one record per attempt, shared safely by tabs.
    Database,
    /// The old localStorage value (no IndexedDB, or the migration failed).
    Local,
}

/// What one write did: the report, and the attempts as the database now has them (every
/// record the write touched, to show in this tab).
pub struct Written {
    pub report: MergeReport,
    pub attempts: Vec<Attempt>,
    /// A different play was kept beside one under the same id.
    pub forked: bool,
}

/// Read attempts' JSON records, a batch at a time, letting the page breathe between batches
/// (1 MB of records never blocks it). A record that cannot be read is skipped (and left in the
/// database as it is).
async fn parse_records(v: JsValue) -> Vec<Attempt> {
    let arr: js_sys::Array = v.unchecked_into();
    let mut out = Vec::with_capacity(arr.length() as usize);
    let mut since = js_sys::Date::now();
    for x in arr.iter() {
        if let Some(a) = x.as_string().and_then(|j| Attempt::from_json(&j)) {
            out.push(a);
        }
        if js_sys::Date::now() - since > 25.0 {
            let tick = js_sys::Promise::new(&mut |res, _| {
                let _ = gloo::utils::window()
                    .set_timeout_with_callback_and_timeout_and_arguments_0(&res, 0);
            });
            let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
            since = js_sys::Date::now();
        }
    }
    out
}

async fn db_get(ids: Option<Vec<String>>) -> Result<Vec<Attempt>, String> {
    let arg = match ids {
        Some(ids) => ids
            .into_iter()
            .map(JsValue::from)
            .collect::<js_sys::Array>()
            .into(),
        None => JsValue::NULL,
    };
    let v = wasm_bindgen_futures::JsFuture::from(kefu_db_get(arg))
        .await
        .map_err(crate::worker::js_error)?;
    Ok(parse_records(v).await)
}

/// Merge a store's JSON into the database in one transaction (see the shim), then read back
/// every record it touched.
async fn db_merge(text: String, tab: Option<String>) -> Result<Written, String> {
    let decide = Closure::<dyn FnMut(String, String, String) -> js_sys::Array>::new(
        |writer: String, stored: String, copy: String| {
            let w = if writer.is_empty() {
                Writer::Import
            } else {
                Writer::Tab(&writer)
            };
            let out = js_sys::Array::new();
            let (a, v, fork) = match decide(w, &stored, &copy) {
                Decision::Put(v) => (0, v.code(), None),
                Decision::Keep(v) => (1, v.code(), None),
                Decision::Fork(id, json) => (2, Verdict::Forked.code(), Some((id, json))),
                Decision::Bad => (3, 0, None),
            };
            out.push(&JsValue::from(a));
            out.push(&JsValue::from(v));
            if let Some((id, json)) = fork {
                out.push(&JsValue::from(id));
                out.push(&JsValue::from(json));
            }
            out
        },
    );
    let p = kefu_db_merge(
        &text,
        tab.as_deref().unwrap_or(""),
        decide.as_ref().unchecked_ref(),
    );
    drop(text);
    let got = wasm_bindgen_futures::JsFuture::from(p)
        .await
        .map_err(crate::worker::js_error);
    drop(decide);
    let got: js_sys::Array = got?.unchecked_into();
    let mut report = MergeReport::default();
    let mut touched = Vec::new();
    let mut forked = false;
    for x in got.iter() {
        let x: js_sys::Array = x.unchecked_into();
        let id = x.get(0).as_string().unwrap_or_default();
        let v = x
            .get(1)
            .as_f64()
            .and_then(|c| Verdict::from_code(c as u8))
            .unwrap_or(Verdict::Same);
        let first = x.get(2).as_string().unwrap_or_default();
        report.count(v);
        if v == Verdict::Forked {
            forked = true;
            touched.push(first);
        }
        if v != Verdict::Same {
            touched.push(id);
        }
    }
    touched.sort();
    touched.dedup();
    let attempts = if touched.is_empty() {
        Vec::new()
    } else {
        db_get(Some(touched)).await?
    };
    Ok(Written {
        report,
        attempts,
        forked,
    })
}

/// Remove localStorage's `key` if it still holds `value` (what was just written to the
/// database from it: another tab's change since is kept).
fn remove_if_still(key: &str, value: &str) {
    if LocalStorage::raw().get_item(key).ok().flatten().as_deref() == Some(value) {
        LocalStorage::delete(key);
    }
}

/// The progress database's operations (see the module doc); only an `Io` gives one.
pub struct Db {
    _private: (),
}

impl Db {
    /// Write attempts (a store's JSON) in one merging transaction: `tab` for this tab's own
    /// play, `None` for an import. Answers the report and the records as now stored.
    pub async fn write(
        &self,
        store_json: String,
        tab: Option<String>,
    ) -> Result<Written, StoreError> {
        db_merge(store_json, tab)
            .await
            .map_err(|_| StoreError::Full)
    }

    /// The write [`Io::write_ahead`] kept a copy for has committed: the copy is removed, unless
    /// the value changed meanwhile (another tab's copy; the next start merges it).
    #[cfg(feature = "full")]
    pub fn settled(&self, ahead: &str) {
        remove_if_still(PROGRESS, ahead);
    }

    /// The records named (another tab changed them), or every one (`None`).
    pub async fn read(&self, ids: Option<Vec<String>>) -> Result<Vec<Attempt>, StoreError> {
        db_get(ids).await.map_err(|_| StoreError::Unavailable)
    }

    /// Delete every attempt (the other tabs are told).
    pub async fn clear(&self) -> Result<(), StoreError> {
        wasm_bindgen_futures::JsFuture::from(kefu_db_clear())
            .await
            .map(|_| ())
            .map_err(|_| StoreError::Full)
    }
}

/// Hold the right to play scenario `id` in this tab (Web Locks, `kefu.play.ID`): `true` when
/// held (taken from another tab when `steal`), `false` when another tab plays it. `lost` runs
/// if another tab takes it over later.
pub async fn lock_session(id: &str, steal: bool, lost: impl FnOnce() + 'static) -> bool {
    let lost = Closure::once_into_js(lost);
    let p = kefu_lock(&format!("kefu.play.{id}"), steal, lost.unchecked_ref());
    wasm_bindgen_futures::JsFuture::from(p)
        .await
        .map(|v| v.as_bool().unwrap_or(true))
        .unwrap_or(true)
}

/// Let another tab play scenario `id`.
pub fn unlock_session(id: &str) {
    kefu_unlock(&format!("kefu.play.{id}"));
}

/// Listening to the other tabs while this lives: dropped (the component that listens unmounts,
/// as the full module does when the dashboard's takes over), the listener goes with it.
#[must_use = "the listener stops when this is dropped"]
pub struct Listening {
    tabs: Option<Closure<dyn Fn(JsValue)>>,
    _storage: Option<gloo::events::EventListener>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        if let Some(c) = &self.tabs {
            kefu_tabs_unlisten(c.as_ref().unchecked_ref());
        }
    }
}

/// Call `f` with the ids of the records another tab changed (`None`: all of them).
pub fn listen_tabs(f: impl Fn(Option<Vec<String>>) + 'static) -> Listening {
    let c = Closure::<dyn Fn(JsValue)>::new(move |v: JsValue| {
        f(v.dyn_ref::<js_sys::Array>()
            .map(|a| a.iter().filter_map(|x| x.as_string()).collect()))
    });
    kefu_tabs_listen(c.as_ref().unchecked_ref());
    Listening {
        tabs: Some(c),
        _storage: None,
    }
}

/// Call `f(key, text)` when another tab changes a localStorage value (`None`: removed).
pub fn listen_storage(f: impl Fn(String, Option<String>) + 'static) -> Listening {
    let win = gloo::utils::window();
    let local = win.local_storage().ok().flatten();
    let on = gloo::events::EventListener::new(&win, "storage", move |e| {
        let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        let ours = match (e.storage_area(), &local) {
            (Some(a), Some(l)) => js_sys::Object::is(&a, l),
            _ => false,
        };
        if let (true, Some(k)) = (ours, e.key()) {
            f(k, e.new_value());
        }
    });
    Listening {
        tabs: None,
        _storage: Some(on),
    }
}

/// Wait for the Web Lock `name` and hold it while the page lives; `got` runs once it is held
/// (at once in a browser without Web Locks). Asked for once per page: the full module mounted
/// again (after the dashboard module, `handover`) asks again, and is told when this page holds
/// it (at once if it does already), instead of queueing behind itself forever.
pub fn hold_lock(name: &str, got: impl FnOnce() + 'static) {
    use std::cell::RefCell;
    use std::collections::HashMap;
    /// A lock this page asked for: held, or the callers waiting for it.
    enum Hold {
        Held,
        Waiting(Vec<Box<dyn FnOnce()>>),
    }
    thread_local! {
        static HOLDS: RefCell<HashMap<String, Hold>> = RefCell::new(HashMap::new());
    }
    // Decided under the borrow, done after it (without Web Locks `granted` runs at once).
    let got: Box<dyn FnOnce()> = Box::new(got);
    let (now, ask) = HOLDS.with(|h| {
        let mut h = h.borrow_mut();
        match h.get_mut(name) {
            Some(Hold::Held) => (Some(got), false),
            Some(Hold::Waiting(w)) => {
                w.push(got);
                (None, false)
            }
            None => {
                h.insert(name.to_string(), Hold::Waiting(vec![got]));
                (None, true)
            }
        }
    });
    if let Some(f) = now {
        f();
    }
    if ask {
        let key = name.to_string();
        let granted = move || {
            let waiting = HOLDS.with(|h| h.borrow_mut().insert(key, Hold::Held));
            if let Some(Hold::Waiting(w)) = waiting {
                w.into_iter().for_each(|f| f());
            }
        };
        kefu_hold(name, &Closure::once_into_js(granted));
    }
}

/// One localStorage value that tabs change in turn (see [`Io::shared`]).
#[derive(Clone)]
pub struct SharedValue {
    key: &'static str,
}

impl SharedValue {
    /// Read what is stored now, change it with `f` (its answer is stored; `None` leaves it)
    /// and write it, with no other tab in between (Web Locks; without them, in one task).
    /// Answers what `f` answered.
    /// Without localStorage (blocked with the site's cookies, some private modes) the value
    /// lives in this tab's memory instead: what depends on it (the LRS outbox) still works while
    /// the page is open, and nothing is kept past it (`available` tells).
    pub async fn update(
        &self,
        f: impl FnOnce(Option<String>) -> Option<String> + 'static,
    ) -> Result<Option<String>, StoreError> {
        if !available() {
            return Ok(MEMORY.with(|m| {
                let mut m = m.borrow_mut();
                let now = m
                    .iter()
                    .find(|(k, _)| *k == self.key)
                    .map(|(_, v)| v.clone());
                let next = f(now);
                if let Some(v) = &next {
                    m.retain(|(k, _)| *k != self.key);
                    m.push((self.key, v.clone()));
                }
                next
            }));
        }
        let f = Closure::once_into_js(move |v: JsValue| -> JsValue {
            f(v.as_string()).map_or(JsValue::NULL, JsValue::from)
        });
        wasm_bindgen_futures::JsFuture::from(kefu_update(self.key, &f))
            .await
            .map(|v| v.as_string())
            .map_err(|_| {
                if available() {
                    StoreError::Full
                } else {
                    StoreError::Unavailable
                }
            })
    }
}

thread_local! {
    /// `SharedValue`s held in memory, for a browser without localStorage.
    static MEMORY: std::cell::RefCell<Vec<(&'static str, String)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Whether this browser lets the site keep values (localStorage).
pub fn available() -> bool {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .is_some()
}

impl Io {
    /// Read raw text; `Ok(None)` when the key is absent.
    pub fn get_raw(&self, key: &str) -> Result<Option<String>, StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        LocalStorage::raw()
            .get_item(key)
            .map_err(|_| StoreError::Unavailable)
    }

    pub fn set_raw(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        LocalStorage::raw()
            .set_item(key, value)
            .map_err(|_| StoreError::Full)
    }

    /// This tab's own storage (sessionStorage): what a reload of the tab finds again and no
    /// other tab sees. Nothing there is the trainee's data (a play-test's text): a refused
    /// write is not reported.
    pub fn get_tab(&self, key: &str) -> Option<String> {
        web_sys::window()?
            .session_storage()
            .ok()??
            .get_item(key)
            .ok()?
    }
    pub fn set_tab(&self, key: &str, value: &str) {
        if let Some(s) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) {
            let _ = s.set_item(key, value);
        }
    }

    pub fn remove(&self, key: &str) {
        if available() {
            LocalStorage::delete(key);
        }
    }

    /// Read JSON. Unreadable data is moved to `KEY.corrupt` (never dropped) and reported.
    pub fn load<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        if !available() {
            return Err(StoreError::Unavailable);
        }
        // Parsed through `Value` (`kefu_core::json`), as every other read: one deserializer
        // per type in the wasm (first load, #17).
        match self.get_raw(key)? {
            None => Ok(None),
            Some(raw) => match kefu_core::json::from_str::<T>(&raw) {
                Ok(v) => Ok(Some(v)),
                Err(_) => Err(self.quarantine(key)),
            },
        }
    }

    /// Keep unreadable data whole under a dated name (`KEY.corrupt.<time>`: a second
    /// corruption never overwrites the first) so the next save cannot destroy it. If it does not
    /// fit in localStorage beside itself, it is left in place (`Aside::Held`): the caller must
    /// not save over `key` and should move it with [`Io::move_aside`].
    pub fn quarantine(&self, key: &str) -> StoreError {
        let stamp = String::from(js_sys::Date::new_0().to_iso_string()).replace(':', "-");
        let aside = format!("{key}.corrupt.{stamp}");
        let mut place = Aside::Held;
        if let Ok(Some(raw)) = self.get_raw(key) {
            if self.set_raw(&aside, &raw).is_ok() {
                self.remove(key);
                place = Aside::Local;
            }
        }
        StoreError::Corrupt {
            key: key.to_string(),
            aside,
            place,
        }
    }

    /// Move the data under `key` whole into IndexedDB as `aside`, then remove it from
    /// localStorage (only once the database has it, and only if it did not change meanwhile).
    pub fn move_aside(
        &self,
        key: &str,
        aside: &str,
    ) -> impl std::future::Future<Output = Result<(), String>> {
        let p = kefu_move_aside(key, aside);
        async move {
            wasm_bindgen_futures::JsFuture::from(p)
                .await
                .map(|_| ())
                .map_err(crate::worker::js_error)
        }
    }

    /// Open the progress database and migrate the old store into it (once: the old value is
    /// removed only after the transaction committed, and only if unchanged meanwhile). Answers
    /// where progress is kept and, for the database, every attempt in it; `Err` when the old
    /// value is to be read as before (no database, or the migration failed: the notice).
    pub fn open_progress(
        &self,
    ) -> impl std::future::Future<Output = Result<Vec<Attempt>, StoreError>> {
        let old = self.get_raw(PROGRESS).ok().flatten();
        async move {
            let why = wasm_bindgen_futures::JsFuture::from(kefu_db_open(DB_VERSION))
                .await
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| "IndexedDB".into());
            if !why.is_empty() {
                return Err(StoreError::NoDatabase);
            }
            // Unreadable, it is the caller's to keep aside (`quarantine`); it is never written over.
            if let Some((raw, s)) = old.and_then(|r| {
                kefu_core::progress::Store::from_json(&r)
                    .ok()
                    .map(|s| (r, s))
            }) {
                if db_merge(s.to_json(), None).await.is_err() {
                    return Err(StoreError::MigrationFailed);
                }
                remove_if_still(PROGRESS, &raw);
            }
            db_get(None).await.map_err(|_| StoreError::MigrationFailed)
        }
    }

    /// Keep a copy of attempts about to be written to the database in the old store's value
    /// (`PROGRESS`, merged with what it holds), so a page closed or reloaded before the
    /// database's transaction commits loses nothing: the next start merges that value into
    /// the database, as it migrates the old store, and removes it. Answers the value written,
    /// for [`Db::settled`]; `None` when nothing could be kept (no localStorage, full, or the
    /// value unreadable: that is never written over).
    #[cfg(feature = "full")]
    pub fn write_ahead(&self, attempts: &[Attempt]) -> Option<String> {
        let mut store = match self.get_raw(PROGRESS).ok()? {
            Some(raw) => kefu_core::progress::Store::from_json(&raw).ok()?,
            None => kefu_core::progress::Store::default(),
        };
        for a in attempts {
            store.upsert(a.clone());
        }
        let json = store.to_json();
        self.set_raw(PROGRESS, &json).ok()?;
        Some(json)
    }

    /// The progress database, for an effect's asynchronous work (moved into its future).
    pub fn db(&self) -> Db {
        Db { _private: () }
    }

    /// A localStorage value the tabs change by read-change-write (the LRS outbox), for an
    /// effect's asynchronous work.
    pub fn shared(&self, key: &'static str) -> SharedValue {
        SharedValue { key }
    }

    pub fn save<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|_| StoreError::Full)?;
        self.set_raw(key, &json)
    }
}

#[cfg(test)]
mod tests {
    /// No file of the app reaches browser storage (localStorage, the IndexedDB database, the
    /// channel that tells other tabs) except through this module's `Io`.
    #[test]
    fn no_storage_outside_io() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut checked = 0;
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().is_some_and(|n| n == "storage.rs") {
                continue;
            }
            let src = std::fs::read_to_string(&p).unwrap();
            for bad in [
                "LocalStorage",
                "SessionStorage",
                "local_storage",
                "session_storage",
                "localStorage",
                "indexedDB",
                "BroadcastChannel",
                "gloo::storage",
                "Io {",
                "with_io",
            ] {
                assert!(!src.contains(bad), "{} uses `{bad}`", p.display());
            }
            checked += 1;
        }
        assert!(checked >= 8, "read {checked} files");
    }
}

#[cfg(test)]
mod notice_tests {
    use super::*;

    /// Practice and the exam keep a scenario's session and draft under keys of their own, none
    /// of which is the stored run's.
    #[test]
    fn the_exam_and_practice_keep_a_scenario_apart() {
        let keys = [
            session_key("a", false),
            session_key("a", true),
            draft_key("a", false),
            draft_key("a", true),
            EXAM.to_string(),
        ];
        for (i, k) in keys.iter().enumerate() {
            for l in &keys[i + 1..] {
                assert_ne!(k, l);
            }
        }
        assert_eq!(
            session_key("a", false),
            "kefu.session.a",
            "practice's key is unchanged"
        );
        assert_eq!(
            draft_key("a", false),
            "kefu.draft.a",
            "practice's key is unchanged"
        );
    }

    /// A notice names what could not be read, and never shows a `{placeholder}` unfilled.
    #[test]
    fn a_corrupt_notice_names_what_it_is_about_and_is_filled() {
        let cases = [
            (PROGRESS.to_string(), "progress"),
            (session_key("angry-late-delivery", false), "conversation"),
            (session_key("angry-late-delivery", true), "conversation"),
            (EXAM.to_string(), "exam"),
            (LOCAL_FILES.to_string(), "scenario files"),
            ("kefu.other".to_string(), "Data this app saved"),
        ];
        for (key, about) in cases {
            for place in [Aside::Local, Aside::Database, Aside::Held] {
                let e = StoreError::Corrupt {
                    key: key.clone(),
                    aside: format!("{key}.corrupt.2026"),
                    place,
                };
                let en = e.message(Lang::En);
                assert!(en.contains(about), "{key} {place:?}: {en}");
                assert!(!en.contains("Saved progress") || key == PROGRESS, "{en}");
                for l in Lang::ALL {
                    let m = e.message(l);
                    assert!(!m.contains('{') && !m.contains('⟦'), "{l:?}: {m}");
                    assert!(m.contains(&key), "{l:?}: the notice names the key: {m}");
                }
            }
        }
    }
}
