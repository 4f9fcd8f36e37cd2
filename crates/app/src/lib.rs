//! The browser shell: a Yew app over the pure core. It renders what `view`, `dialogue` and
//! `score` compute; its own logic is limited to effects (fetching the library, storage, timers,
//! files). One component per file. Built for wasm32 by `make dist`; its pure parts are tested natively.

//!
//! One crate, three modules (#17, #19): with the feature `full` alone it is every page but the
//! dashboard (`make dist`: `kefu_dojo`); without features (`kefu_library`) only what the library
//! page needs — the header, the cards, filters, best scores, opening a file — so the first
//! load stays small; with `team` alone (`kefu_team`) the header and the trainer's dashboard
//! (`team_app`), which no trainee downloads. The default, both features, is every page in one
//! module (native tests). A module hands a route it does not show over to the one that does
//! (`handover`): index.html loads or mounts that one again, and it unmounts the one shown first.
// The library module leaves out the pages, so code only they call is unused there (not an error).
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

#[cfg(feature = "full")]
mod exam;
#[cfg(feature = "full")]
mod feedback;
mod handover;
#[cfg(feature = "full")]
mod history;
mod library;
#[cfg(feature = "full")]
mod lrs;
#[cfg(feature = "full")]
mod pace;
#[cfg(feature = "full")]
mod play;
mod route;
#[cfg(feature = "full")]
mod settings;
mod storage;
#[cfg(feature = "full")]
mod studio;
#[cfg(feature = "full")]
mod summary;
#[cfg(feature = "team")]
mod team;
#[cfg(all(feature = "team", not(feature = "full")))]
mod team_app;
#[cfg(feature = "full")]
mod title;
mod worker;

use kefu_core::i18n::t;
use kefu_core::principles::Lang;
use kefu_core::progress::{Attempt, LoadError, MergeReport, Store};
use kefu_core::view::{self, Library};
use route::Route;
use std::collections::BTreeMap;
use std::rc::Rc;
use storage::StoreError;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Shared by pointer: cheap to pass down, equal only when it is the same value.
pub struct Shared<T>(pub Rc<T>);
impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}
impl<T> PartialEq for Shared<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}
impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// What every component may read, and the one way to change the app's state (`dispatch`).
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub lang: Lang,
    pub lib: Shared<Library>,
    /// Every scenario is there in full (`scenarios/library.json`). Play needs only its own
    /// (`scenarios/one/ID.json`, `Library::get`); the exam and the history need them all.
    pub loaded: bool,
    /// The library's cards are known (`scenarios/cards.json`, or the full library).
    pub listed: bool,
    /// The progress store has been read (IndexedDB is read in the background at start).
    pub progress_loaded: bool,
    /// The trainee shows intent on a card (a pointer, touch or focus; its scenario id): fetch
    /// that scenario now (`scenarios/one/ID.json`), so it plays without waiting for it.
    pub want_card: Callback<String>,
    /// How many scenario files (a trainer's own, or added to a deployed site) are still being
    /// checked.
    pub checking: usize,
    /// Which of them may define a given scenario id (and so replace a shipped scenario).
    pub unchecked: Shared<Unchecked>,
    /// The engine module (scorer): loaded when a scenario is played.
    pub engine: Engine,
    pub progress: Shared<Store>,
    /// The last import's result and its number (a page shows results newer than itself).
    pub import: Option<(u32, ImportResult)>,
    /// Change the app's state.
    pub dispatch: Callback<AppAction>,
    /// A scenario file the trainer opened: `(name, source)`, no source when it is not UTF-8.
    pub add_file: Callback<(String, Option<String>)>,
    /// A scenario file kept in the library without opening it (the studio's "add to my
    /// library"): `(name, source, done)`; `done` gets its id, or the checker's messages (a
    /// broken file is not kept).
    pub keep_file: Callback<(String, String, KeepDone)>,
    /// The last file the trainer opened that failed the checker: `(number, file)`, so the
    /// library shows its errors where the trainer is looking and moves focus there.
    pub opened_broken: Option<(u32, String)>,
    /// The studio's play-test (`#/studio/play`): the text being played, checked. Never in the
    /// library nor in storage other than this tab's (`studio::TrialPage`).
    pub trial: Option<Shared<Trial>>,
    /// Play-test a studio text: `(name, source, go)`; it is checked, held in `trial` and, with
    /// `go`, played at `#/studio/play`.
    pub play_test: Callback<(String, String, bool)>,
    /// The trainer's own files kept in this browser.
    pub local: Shared<Vec<LocalFile>>,
    /// Forget a trainer's file (by file name): a shipped scenario it replaced comes back.
    pub remove_local: Callback<String>,
    /// Who the trainee is, the LRS and its outbox (`lrs.rs`).
    pub lrs: LrsHandle,
}

/// How long play waits at most for the site's list of files (`scenarios/index.json`) before it
/// starts a scenario one of them might replace (`Unchecked::listing`).
const LISTING_MS: u32 = 8_000;

/// The scenario files not checked yet (a trainer's own, or listed in a deployed
/// `scenarios/index.json`): once checked, one may define a shipped scenario's id and so replace
/// it. Play of a shipped scenario waits only for the files that may (`may_define`), so a site
/// with files added beside its library does not hold every scenario back until the checker has
/// loaded, and none is handed another scenario mid-conversation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Unchecked {
    /// The files to check are not known yet: the app has not read `scenarios/index.json` and
    /// the files kept in this browser (a scenario's own file may come first, on a reload too).
    pub listing: bool,
    /// Files listed whose text has not come yet: any of them may define any id.
    pub unseen: bool,
    /// The files whose text is here: `(name, text)`.
    pub files: Vec<(String, String)>,
}

impl Unchecked {
    /// Whether a file not checked yet may define scenario `id`. An id is plain ASCII letters,
    /// digits, `-` and `_` (`view::is_file_id`, the checker's rule), so a file that defines it
    /// holds it as written, unless its strings use escapes (`\u0061`): such a file may too.
    pub fn may_define(&self, id: &str) -> bool {
        self.listing
            || self.unseen
            || self
                .files
                .iter()
                .any(|(_, t)| t.contains(id) || t.contains("\\u") || t.contains("\\U"))
    }
}

/// A studio text being play-tested: its name and source, and what the checker made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct Trial {
    pub name: String,
    pub src: String,
    /// The scenario when it checked clean, else the checker's messages.
    pub scenario: Option<Shared<kefu_core::scenario::Scenario>>,
    pub diagnostics: Vec<String>,
}

/// Told when a file to keep was checked: its scenario id, or the checker's messages.
pub type KeepDone = Callback<Result<String, Vec<String>>>;

/// A trainer's file kept in this browser, and what it is in the library.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalFile {
    pub file: String,
    /// The scenario it defines, when it checked clean.
    pub id: Option<String>,
    /// It has the id of a shipped scenario, which it replaces while it is kept.
    pub replaces_shipped: bool,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
    /// Report a storage problem (shown as a notice; the app goes on).
    pub fn notify(&self, e: StoreError) {
        self.dispatch.emit(AppAction::Notify(e));
    }
}

/// What an import did: merged (with what it added), or why it could not.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportResult {
    Merged(MergeReport),
    Failed(LoadError),
    /// The browser could not read the file at all.
    Unreadable,
    /// Not imported: the file names another trainee (theirs, then this browser's name). Only
    /// the history page imports (the full module).
    #[cfg(feature = "full")]
    Theirs(String, String),
    /// The history the last import's message was about was cleared: nothing to show.
    Cleared,
}

/// The app's one state: the language, the saved progress, the trainer's local files and the
/// notices. Changed only by `AppAction`s, always applied to the state as it is then (never to
/// a copy taken at render time); written to storage only by effects that follow the `*_rev`
/// counters, so no change is lost and render never touches storage.
#[derive(Debug, Clone, PartialEq)]
pub struct AppState {
    pub lang: Lang,
    pub progress: Shared<Store>,
    /// Bumped on each change of `progress` that storage does not have yet.
    progress_rev: u32,
    /// Whether the stored progress has been read (nothing is written before).
    progress_loaded: bool,
    /// Unreadable progress is still where progress is saved (too large to copy aside, being
    /// moved into IndexedDB): nothing is saved over it meanwhile.
    held: bool,
    /// Scenario files the trainer opened, by file name (kept across reloads).
    pub local: Shared<BTreeMap<String, String>>,
    local_rev: u32,
    /// Bumped when the trainee picks a language (remembered for the bare URL).
    lang_rev: u32,
    pub notices: Vec<StoreError>,
    pub import: Option<(u32, ImportResult)>,
    /// Where progress is kept (`None` until the database was opened, or could not be).
    backend: Option<storage::Backend>,
    /// Attempts changed here that the database does not have yet: id → the `progress_rev` of
    /// the change (database only; the old one-value store is written whole).
    dirty: BTreeMap<String, u32>,
    /// A file to import: its number and text (read and merged off the page by an effect).
    import_file: Option<(u32, Rc<String>)>,
    /// Records another tab changed, to read again: a number and the ids (`None`: all).
    stale: (u32, Option<Vec<String>>),
    /// Bumped by "clear history" (the database is cleared by an effect).
    clear_rev: u32,
}

impl<T: std::fmt::Debug> std::fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl AppState {
    fn new(lang: Lang) -> Self {
        AppState {
            lang,
            progress: Shared::default(),
            progress_rev: 0,
            progress_loaded: false,
            held: false,
            local: Shared::default(),
            local_rev: 0,
            lang_rev: 0,
            notices: Vec::new(),
            import: None,
            backend: None,
            dirty: BTreeMap::new(),
            import_file: None,
            stale: (0, Some(Vec::new())),
            clear_rev: 0,
        }
    }
    /// Take in attempts as the database has them (every one when `all`), except those this
    /// tab changed and has not written yet. Nothing to write back: the database has them.
    fn refresh(&mut self, got: Vec<Attempt>, all: bool) {
        let mut p = (*self.progress.0).clone();
        if all {
            p.attempts.retain(|a| self.dirty.contains_key(&a.id));
        }
        let mut at: BTreeMap<String, usize> = p
            .attempts
            .iter()
            .enumerate()
            .map(|(i, a)| (a.id.clone(), i))
            .collect();
        for a in got {
            if self.dirty.contains_key(&a.id) {
                continue;
            }
            match at.get(&a.id) {
                Some(&i) => p.attempts[i] = a,
                None => {
                    at.insert(a.id.clone(), p.attempts.len());
                    p.attempts.push(a);
                }
            }
        }
        p.attempts
            .sort_by(|a, b| a.started_ms.total_cmp(&b.started_ms));
        self.progress = Shared(Rc::new(p));
    }
    fn next_import(&mut self, r: ImportResult) {
        let n = self.import.as_ref().map_or(0, |x| x.0) + 1;
        self.import = Some((n, r));
    }
    fn set_progress(&mut self, p: Store) {
        self.progress = Shared(Rc::new(p));
        self.progress_rev += 1;
    }
}

/// Everything that changes the app's state.
#[derive(Debug)]
pub enum AppAction {
    /// The small things storage held at start (`None` where nothing could be read).
    Prefs {
        local: Option<BTreeMap<String, String>>,
        /// The language the trainee last picked (used when the URL names none).
        lang: Option<Lang>,
    },
    /// The stored progress, read at start (`None`: it could not be read), and where it is kept.
    Loaded {
        progress: Option<Store>,
        backend: storage::Backend,
    },
    /// A file to import (its text): read and merged off the page.
    ImportFile(String),
    /// An import merged into the database: what it saved, and those records.
    Imported(MergeReport, Vec<Attempt>),
    /// This tab's changes were written (`(id, rev)`); the records as the database has them.
    Wrote(Vec<(String, u32)>, Vec<Attempt>),
    /// Another tab changed these records (`None`: all of them).
    Changed(Option<Vec<String>>),
    /// The records read again after `Changed` number `n` (every one when `all`).
    Refreshed(u32, Vec<Attempt>, bool),
    /// Save an attempt (new, or the same attempt with more turns).
    Record(Attempt),
    /// Merge an imported store, or report why the file was not one.
    Import(Result<Store, LoadError>),
    /// A file not imported: it names another trainee (theirs, then the settings' name).
    #[cfg(feature = "full")]
    ImportRefused(String, String),
    /// The browser could not read the imported file.
    ImportUnreadable,
    /// Another tab saved progress: take in what it has that this one does not.
    Synced(Store),
    /// Delete every attempt.
    Clear,
    /// A scenario file the trainer opened that checked clean.
    AddLocal(String, String),
    /// Forget a trainer's file.
    RemoveLocal(String),
    Notify(StoreError),
    /// Unreadable progress is in the way of saving (`true`) or was moved aside (`false`).
    Hold(bool),
    Dismiss,
    /// The trainee picked a language: shown now and remembered.
    ChooseLang(Lang),
    /// Show a language without remembering it as picked (Back to an entry whose `?lang=`
    /// differs: the URL's, as at start).
    ShowLang(Lang),
}

impl Reducible for AppState {
    type Action = AppAction;
    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            AppAction::Prefs { local, lang } => {
                if let Some(l) = lang.filter(|_| s.lang_rev == 0) {
                    s.lang = l;
                }
                if let Some(mut l) = local {
                    l.extend(s.local.0.iter().map(|(k, v)| (k.clone(), v.clone())));
                    s.local = Shared(Rc::new(l));
                }
            }
            AppAction::Loaded {
                progress: stored,
                backend,
            } => {
                // Anything recorded before storage was read is kept with what it held (and
                // still to be written: `dirty`).
                let mut p = stored.unwrap_or_default();
                let early = !s.progress.attempts.is_empty();
                for a in &s.progress.attempts {
                    p.upsert(a.clone());
                }
                s.progress = Shared(Rc::new(p));
                if early {
                    s.progress_rev += 1;
                }
                s.progress_loaded = true;
                s.backend = Some(backend);
            }
            AppAction::Record(a) => {
                let mut p = (*s.progress.0).clone();
                s.dirty.insert(a.id.clone(), s.progress_rev + 1);
                p.upsert(a);
                s.set_progress(p);
            }
            AppAction::ImportFile(text) => {
                let n = s.import_file.as_ref().map_or(0, |x| x.0) + 1;
                s.import_file = Some((n, Rc::new(text)));
            }
            AppAction::Imported(report, got) => {
                s.refresh(got, false);
                s.import_file = None;
                s.next_import(ImportResult::Merged(report));
            }
            AppAction::Wrote(written, got) => {
                for (id, rev) in written {
                    if s.dirty.get(&id) == Some(&rev) {
                        s.dirty.remove(&id);
                    }
                }
                s.refresh(got, false);
            }
            AppAction::Changed(ids) => {
                let ids = match (s.stale.1.take(), ids) {
                    (Some(mut a), Some(b)) => {
                        a.extend(b);
                        a.sort();
                        a.dedup();
                        Some(a)
                    }
                    _ => None,
                };
                s.stale = (s.stale.0 + 1, ids);
            }
            AppAction::Refreshed(n, got, all) => {
                if s.stale.0 == n {
                    s.stale.1 = Some(Vec::new());
                }
                s.refresh(got, all);
            }
            AppAction::Import(Ok(other)) => {
                let mut p = (*s.progress.0).clone();
                let report = p.merge(other);
                s.set_progress(p);
                s.import_file = None;
                s.next_import(ImportResult::Merged(report));
            }
            AppAction::Import(Err(e)) => {
                s.import_file = None;
                s.next_import(ImportResult::Failed(e));
            }
            AppAction::ImportUnreadable => s.next_import(ImportResult::Unreadable),
            #[cfg(feature = "full")]
            AppAction::ImportRefused(theirs, mine) => {
                s.import_file = None;
                s.next_import(ImportResult::Theirs(theirs, mine));
            }
            AppAction::Synced(other) => {
                let mut p = (*s.progress.0).clone();
                let r = p.merge(other.clone());
                // Storage (the other tab's write) lacks something this tab has: write the union.
                let behind = p
                    .attempts
                    .iter()
                    .any(|a| !other.attempts.iter().any(|b| b == a));
                if r.added + r.updated == 0 && !behind {
                    return self;
                }
                s.progress = Shared(Rc::new(p));
                if behind {
                    s.progress_rev += 1;
                }
            }
            AppAction::Clear => {
                s.dirty.clear();
                s.clear_rev += 1;
                s.set_progress(Store::default());
                // An import's report or error is about the history that is gone.
                if s.import.is_some() {
                    s.next_import(ImportResult::Cleared);
                }
            }
            AppAction::AddLocal(name, src) => {
                let mut l = (*s.local.0).clone();
                l.insert(name, src);
                s.local = Shared(Rc::new(l));
                s.local_rev += 1;
            }
            AppAction::RemoveLocal(name) => {
                let mut l = (*s.local.0).clone();
                if l.remove(&name).is_none() {
                    return self;
                }
                s.local = Shared(Rc::new(l));
                s.local_rev += 1;
            }
            AppAction::Hold(h) => {
                s.held = h;
                if !h {
                    s.notices.retain(|n| {
                        !matches!(
                            n,
                            StoreError::Corrupt {
                                place: storage::Aside::Held,
                                ..
                            }
                        )
                    });
                }
            }
            AppAction::Notify(e) => {
                if s.notices.contains(&e) {
                    return self;
                }
                s.notices.push(e);
            }
            AppAction::Dismiss => s.notices.clear(),
            // The language shown already: nothing changes.
            AppAction::ChooseLang(l) | AppAction::ShowLang(l) if l == s.lang => return self,
            AppAction::ShowLang(l) => s.lang = l,
            AppAction::ChooseLang(l) => {
                s.lang = l;
                s.lang_rev += 1;
            }
        }
        Rc::new(s)
    }
}

/// A scenario's content, as a short hex string (FNV-1a over its JSON): a stored session is
/// resumed only on the scenario it was played on.
pub fn fingerprint(s: &kefu_core::scenario::Scenario) -> String {
    let json = serde_json::to_string(s).unwrap_or_default();
    let h = json.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{h:016x}")
}

/// The wasm entry point.
#[wasm_bindgen(start)]
pub fn start() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(&info.to_string());
    }));
    mount();
}

/// Show this module's app again, after another module took the page (`handover`: the loader's
/// `kefuFull()`/`kefuTeam()` call it when the module has started before). Nothing if it is shown.
#[cfg(any(feature = "full", feature = "team"))]
#[wasm_bindgen]
pub fn kefu_mount() {
    mount();
}

/// Mount this module's app in `#app`, in the place of the module shown (never both mounted:
/// `handover`).
fn mount() {
    if handover::mounted() {
        return;
    }
    // index.html's "loading" line of a page other than the library's: the app is here.
    if let Some(b) = gloo::utils::document().get_element_by_id("booting") {
        b.remove();
    }
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .unwrap_or_else(|| gloo::utils::body().into());
    #[cfg(feature = "full")]
    {
        // Shown in another module's place: the trainee followed a link to a page of this one.
        ARRIVED.with(|a| a.set(handover::stop_shown()));
        handover::register(yew::Renderer::<App>::with_root(root).render());
    }
    // The dashboard module. The route left `#/team` while it loaded: the module shown follows
    // the route itself; with none shown, the one that shows it is started.
    #[cfg(all(feature = "team", not(feature = "full")))]
    {
        let r = route::current();
        if !handover::shows(&r) && handover::any_shown() {
            return;
        }
        handover::stop_shown();
        handover::register(yew::Renderer::<team_app::TeamApp>::with_root(root).render());
    }
    // Apart from the page (`apart`), the first render waits for a task of its own: the
    // module's compilation and its first render are two tasks on a phone, not one.
    #[cfg(not(any(feature = "full", feature = "team")))]
    {
        let root = apart(root);
        let mount = move || handover::register(yew::Renderer::<App>::with_root(root).render());
        if APART.with(|a| a.borrow().is_some()) {
            gloo::timers::callback::Timeout::new(0, mount).forget();
        } else {
            mount();
        }
    }
}

#[cfg(feature = "full")]
thread_local! {
    /// This module was mounted in another's place (a link followed to one of its pages), not
    /// as the page loaded: its first page takes focus as a page changed inside it does
    /// (`focus_heading`).
    static ARRIVED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// A page changed by a link or Back: focus goes to its heading (`main h1`), so a screen reader
/// says where the trainee is now and the keyboard goes on from the page (not from the link
/// followed, nor from the top of the document). Not away from a field in use (the language
/// switch), nor on the pages that place focus themselves (play's reply box, the studio's
/// editor, the dashboard), nor on the first page of a load.
#[cfg(feature = "full")]
fn focus_heading(r: &Route) {
    if matches!(
        r,
        Route::Play(_) | Route::Studio | Route::StudioPlay | Route::Team
    ) {
        return;
    }
    let doc = gloo::utils::document();
    let busy = doc
        .active_element()
        .is_some_and(|a| matches!(a.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
    if busy || doc.query_selector("main .play").ok().flatten().is_some() {
        return;
    }
    let Some(h) = doc
        .query_selector("main h1")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    if !h.has_attribute("tabindex") {
        let _ = h.set_attribute("tabindex", "-1");
    }
    let opts = web_sys::FocusOptions::new();
    opts.set_prevent_scroll(true);
    let _ = h.focus_with_options(&opts);
}

thread_local! {
    /// The library module's root while it renders apart from the page (`apart`).
    static APART: std::cell::RefCell<Option<web_sys::Element>> = const { std::cell::RefCell::new(None) };
}

/// Over index.html's static picture of the library (`kefu prerender`, #17) the library module
/// renders into a root of its own, off the page: its start is then a few shorter tasks (the
/// page, then its cards, then one layout) instead of one long one on a phone, and the picture
/// stays until `swap_in` puts the root in its place with the cards shown (new elements in the
/// same places: nothing moves).
#[cfg(not(feature = "full"))]
fn apart(root: web_sys::Element) -> web_sys::Element {
    let pictured = root
        .first_element_child()
        .is_some_and(|c| c.class_name() == "pre");
    let Ok(own) = gloo::utils::document().create_element("div") else {
        return root;
    };
    if !pictured {
        return root;
    }
    own.set_id("app");
    APART.with(|a| *a.borrow_mut() = Some(own.clone()));
    own
}

/// The root `apart` made, in the static picture's place (once; nothing when there was none).
fn swap_in() {
    if let Some(own) = APART.with(|a| a.borrow_mut().take()) {
        if let Some(old) = gloo::utils::document().get_element_by_id("app") {
            let _ = old.replace_with_with_node_1(&own);
        }
    }
}

/// Replace the page with a readable message instead of a dead screen.
fn show_panic(msg: &str) {
    let lang = view::ui_lang(route::query("lang").as_deref(), &browser_langs());
    if let Some(el) = gloo::utils::document().get_element_by_id("panic") {
        el.set_attribute("role", "alert").ok();
        el.set_inner_html("");
        let title = gloo::utils::document().create_element("h2").ok();
        if let Some(h) = title {
            h.set_text_content(Some(&t(lang, "panic.title")));
            el.append_child(&h).ok();
        }
        let pre = gloo::utils::document().create_element("pre").ok();
        if let Some(p) = pre {
            p.set_text_content(Some(msg));
            el.append_child(&p).ok();
        }
        el.remove_attribute("hidden").ok();
    }
}

fn browser_langs() -> Vec<String> {
    let nav = gloo::utils::window().navigator();
    let mut out: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(l) = nav.language() {
        out.push(l);
    }
    out
}

/// A file of the site as text. The browser's `fetch` through web-sys, not gloo's request
/// builder: less code in the first load (#17).
async fn fetch_text(url: &str) -> Result<String, String> {
    start_fetch(url).await
}

/// `fetch_text`, with the request sent now (before the future is first polled), so that
/// several can be in flight while they are awaited one after the other (`fetch_listed`).
fn start_fetch(url: &str) -> impl std::future::Future<Output = Result<String, String>> + 'static {
    use wasm_bindgen_futures::JsFuture;
    let url = url.to_string();
    // Fetched already by the library module before it handed over (`handover`); the cards,
    // carried by index.html.
    let taken = handover::take(&url).or_else(|| (url == CARDS).then(inline_cards).flatten());
    let sent = taken
        .is_none()
        .then(|| JsFuture::from(gloo::utils::window().fetch_with_str(&url)));
    async move {
        let failed = |e: JsValue| String::from(e.unchecked_into::<js_sys::Error>().to_string());
        let Some(sent) = sent else {
            return Ok(taken.unwrap_or_default());
        };
        let resp: web_sys::Response = sent.await.map_err(failed)?.unchecked_into();
        if !resp.ok() {
            return Err(format!("{url}: HTTP {}", resp.status()));
        }
        let text = JsFuture::from(resp.text().map_err(failed)?)
            .await
            .map_err(failed)?
            .as_string()
            .unwrap_or_default();
        handover::keep(&url, &text);
        Ok(text)
    }
}

/// The shipped library, checked by `kefu bundle` at `make dist`: for the first screen only the
/// cards (`scenarios/cards.json`, a few KB: `view::Cards`, what each card shows), a scenario on
/// its own (`view::one_url`) when it is played or its card shows intent, the whole of it
/// (`scenarios/library.json`, a `view::Bundle`) for the exam, the history and transcripts.
const CARDS: &str = "scenarios/cards.json";
pub(crate) const FULL: &str = "scenarios/library.json";

/// The cards index.html carries inline (`kefu prerender` at `make dist`, #17: the page's static
/// picture of the library is drawn from them), read instead of fetching `CARDS`.
fn inline_cards() -> Option<String> {
    gloo::utils::document()
        .get_element_by_id("kefu-cards")?
        .text_content()
}

/// The library as shipped: a bundle (`CARDS` or `FULL`) and, when `with_index`,
/// `scenarios/index.json` (every file in the folder) read by `view::read_index`: the files
/// listed but not in the bundle (a trainer copied them into a deployed `dist/scenarios/`), to
/// be fetched for the checker, at most `view::MAX_LISTED_FILES`, and what is wrong with the
/// list. Returns the library (a bundle that could not be fetched listed as broken), whether it
/// is the full one, and the list. Without `CARDS` (a site built before it) the full
/// bundle is the first load, as it was (the library module hands that over to the full module,
/// `None`: it reads cards only).
async fn fetch_library(
    url: &'static str,
    with_index: bool,
) -> Option<(Library, bool, view::Listed)> {
    let index = async {
        if with_index {
            fetch_text("scenarios/index.json").await.ok()
        } else {
            None
        }
    };
    let (bundle, index) = futures::future::join(fetch_text(url), index).await;
    let (url, bundle) = match bundle {
        Err(_) if url == CARDS && cfg!(not(feature = "full")) => return None,
        Err(_) if url == CARDS => (FULL, fetch_text(FULL).await),
        got => (url, got),
    };
    let read = |b: String| {
        if url == CARDS {
            Library::from_cards(&b)
        } else {
            read_bundle(&b)
        }
    };
    let (lib, covered) = match bundle.and_then(read) {
        Ok(got) => got,
        Err(e) => {
            let mut lib = Library::default();
            lib.broken.push((url.to_string(), vec![e]));
            (lib, Vec::new())
        }
    };
    // index.json is optional (absent: the bundle is the library); when it is there it must
    // be a list of file names, else the visitor is told.
    let listed = index.map_or_else(view::Listed::default, |i| view::read_index(&i, &covered));
    Some((lib, url == FULL, listed))
}

/// The whole bundle into the library: the full module only (the library module reads cards,
/// and so holds no scenario deserializer).
#[cfg(feature = "full")]
fn read_bundle(json: &str) -> Result<(Library, Vec<String>), String> {
    Library::from_bundle(json)
}
#[cfg(not(feature = "full"))]
fn read_bundle(_: &str) -> Result<(Library, Vec<String>), String> {
    Err(FULL.to_string())
}

/// The listed files beyond the bundle, fetched six at a time (a long list never fires all its
/// requests at once; plain futures, not a stream combinator: less code in the first load):
/// `(name, text)` for each, in order, a failed fetch as a broken file.
async fn fetch_listed(names: Vec<String>) -> Vec<Result<(String, String), view::Checked>> {
    let mut out = Vec::with_capacity(names.len());
    for chunk in names.chunks(6) {
        let sent: Vec<_> = chunk
            .iter()
            .map(|n| start_fetch(&format!("scenarios/{n}")))
            .collect();
        for (n, got) in chunk.iter().zip(sent) {
            out.push(match got.await {
                Ok(src) => Ok((n.clone(), src)),
                Err(e) => Err(view::Checked {
                    diagnostics: vec![e],
                    file: n.clone(),
                    scenario: None,
                    card: None,
                }),
            });
        }
    }
    out
}

/// What is wrong with `scenarios/index.json`, as a broken "file" the library lists, in the
/// visitor's language.
fn index_problems(lang: Lang, problems: &[view::IndexProblem]) -> Option<view::Checked> {
    use kefu_core::i18n::tf;
    let lines: Vec<String> = problems
        .iter()
        .map(|p| match p {
            view::IndexProblem::Unreadable(e) => tf(lang, "lib.index_unreadable", &[("error", e)]),
            view::IndexProblem::BadNames(names) => {
                tf(lang, "lib.index_bad_names", &[("names", &names.join(", "))])
            }
            view::IndexProblem::TooMany { listed, fetched } => tf(
                lang,
                "lib.index_too_many",
                &[
                    ("listed", &listed.to_string()),
                    ("fetched", &fetched.to_string()),
                ],
            ),
        })
        .collect();
    (!lines.is_empty()).then(|| view::Checked {
        file: "scenarios/index.json".to_string(),
        scenario: None,
        card: None,
        diagnostics: lines,
    })
}

/// Whether the engine module is there to judge replies.
#[derive(Debug, Clone, PartialEq)]
pub enum Engine {
    Idle,
    Loading,
    Ready,
    Failed(String),
}

/// The scorer the app plays with: the engine's `judge` in the scorer worker, the same code as
/// `kefu score`. An error (an engine from another build, say) or a cancellation is returned,
/// never turned into a judgement.
pub async fn engine_judge(
    text: &str,
    lang: Lang,
    rules: &kefu_core::judgement::TurnRules,
    secs: Option<f64>,
) -> Result<kefu_core::judgement::Judgement, worker::CallError> {
    let req = kefu_core::judgement::JudgeRequest {
        text: text.to_string(),
        lang,
        rules: rules.clone(),
        secs,
    };
    let r = serde_json::to_string(&req).map_err(|e| worker::CallError::Failed(e.to_string()))?;
    let a = worker::call(worker::Kind::Score, "judge", &[&r], 0).await?;
    kefu_core::json::from_str::<kefu_core::judgement::Judgement>(&a)
        .map_err(|_| worker::CallError::Failed(a))
}

/// The judgements of a stored session's replies, in order: what `Session::try_replay_with`
/// needs to rebuild it on the page without scoring there. The dialogue runs here (the app has
/// it for play, `Session::replay_needs`); each reply is judged by the scorer worker's `judge`
/// (`engine_judge`), one after another, since the turn a reply answers depends on the
/// judgements before it. The scorer module carries no dialogue engine and no scenario reader
/// for it (#17).
pub async fn engine_replay(
    s: &kefu_core::scenario::Scenario,
    saved: &kefu_core::dialogue::Saved,
) -> Result<Vec<kefu_core::judgement::Judgement>, worker::CallError> {
    let mut judged = Vec::new();
    while let Some(r) = kefu_core::dialogue::Session::replay_needs(s, saved, &judged) {
        judged.push(engine_judge(&r.text, r.lang, &r.rules, r.secs).await?);
    }
    Ok(judged)
}

/// How long an opened scenario file may take to check (in the checker worker) before it is
/// refused: a file over it would otherwise hold every later load hostage.
pub const CHECK_BUDGET_MS: u32 = 5_000;

/// Check a scenario file with the checker worker (the same code as `kefu check`), within
/// `CHECK_BUDGET_MS`. A file over budget, or a checker that cannot be loaded, is listed as
/// broken with the reason.
async fn check_file(lang: Lang, name: &str, src: &str) -> view::Checked {
    let got = match worker::call(
        worker::Kind::Check,
        "check_file",
        &[name, src, lang.code()],
        CHECK_BUDGET_MS,
    )
    .await
    {
        Ok(j) => read_checked(&j),
        Err(worker::CallError::OverBudget) => Err(kefu_core::i18n::tf(
            lang,
            "lib.check_over_budget",
            &[("secs", &(CHECK_BUDGET_MS / 1000).to_string())],
        )),
        Err(worker::CallError::Cancelled) => Err("cancelled".to_string()),
        Err(worker::CallError::Failed(e)) => Err(kefu_core::i18n::tf(
            lang,
            "lib.checker_failed",
            &[("error", &e)],
        )),
    };
    got.unwrap_or_else(|e| view::Checked {
        file: name.to_string(),
        scenario: None,
        card: None,
        diagnostics: vec![format!("{name}: {e}")],
    })
}

/// The checker's answer: the scenario and its card (the full module), or the card alone (the
/// library module, which plays nothing and so reads no scenario).
#[cfg(feature = "full")]
fn read_checked(json: &str) -> Result<view::Checked, String> {
    kefu_core::json::from_str::<view::Checked>(json)
}
#[cfg(not(feature = "full"))]
fn read_checked(json: &str) -> Result<view::Checked, String> {
    kefu_core::json::from_str::<view::CheckedCard>(json).map(Into::into)
}

/// The library state: changed only through actions, so that files checked asynchronously are
/// added to the library as it is then, not as it was when the check started. Files added are
/// remembered, so the shipped library arriving later (`Set`) does not drop a file the trainer
/// opened meanwhile.
#[derive(Default, PartialEq)]
struct LibState {
    lib: Shared<Library>,
    /// The shipped library alone (what a removed local file gives back).
    shipped: Shared<Library>,
    added: Vec<view::Checked>,
    /// Files still being checked by the engine.
    checking: usize,
    /// Those of them that may define a given id (emptied when none is left to check, but for
    /// `listing`, which only the start's `Checking` ends).
    unchecked: Shared<Unchecked>,
    /// Files the trainer kept, opened or removed while the start's check ran: its answer for
    /// them (an `Add` of what was stored at start) is older than what the trainer did, and is
    /// dropped (emptied when nothing is left to check).
    superseded: Vec<String>,
    /// The start's `Checking` has come (the files found at start are counted in `checking`);
    /// not `Unchecked::listing`, which `ListingLate` ends before it may come.
    start_counted: bool,
    /// The last file the trainer opened that failed: `(number, file)`.
    opened_broken: Option<(u32, String)>,
    /// The cards are known (`CARDS` or `FULL` arrived).
    listed: bool,
    /// The full library arrived (or could not: then its error is listed with the broken files
    /// and no card-only scenario is kept, so none is ever played without its dialogue).
    full: bool,
}

enum LibAction {
    /// The shipped library: the cards only (`false`) or in full (`true`).
    Set(Library, bool),
    /// A shipped scenario on its own (`view::one_url`), fetched to play it before (or instead
    /// of) the whole library.
    One(Library),
    /// Files to check: how many, whether some are listed but not fetched yet (`Seen` brings
    /// them), those whose text is here (`(name, text)`), and whether these are the files the
    /// app found at start (`Unchecked::listing` ends).
    Checking {
        n: usize,
        unseen: bool,
        files: Vec<(String, String)>,
        start: bool,
    },
    /// The listed files' texts, fetched (`(name, text)`; those that could not be are `Add`ed).
    Seen(Vec<(String, String)>),
    /// The list of the site's files has not come in `LISTING_MS`: play waits for it no more.
    ListingLate,
    /// A checked file (boxed: a whole scenario, far larger than the other actions).
    Add(Box<view::Checked>),
    /// A clean file the studio added (it was checked there, not counted in `Checking`).
    Kept(Box<view::Checked>),
    /// A file the trainer just opened, checked.
    Opened(Box<view::Checked>),
    /// Forget an added file (by name): the library is the shipped one plus the others.
    Remove(String),
}

impl Reducible for LibState {
    type Action = LibAction;
    fn reduce(self: Rc<Self>, action: LibAction) -> Rc<Self> {
        let mut added = self.added.clone();
        let mut checking = self.checking;
        let mut unchecked = self.unchecked.clone();
        let mut shipped = self.shipped.clone();
        let mut opened_broken = self.opened_broken.clone();
        let mut superseded = self.superseded.clone();
        let start_counted =
            self.start_counted || matches!(action, LibAction::Checking { start: true, .. });
        let (mut listed, mut full) = (self.listed, self.full);
        let rebuild = |base: &Library, added: &[view::Checked]| {
            let mut l = base.clone();
            for c in added {
                l.add_checked(c.clone());
            }
            Shared(Rc::new(l))
        };
        // A file the studio added was not counted as being checked here.
        let counted = !matches!(action, LibAction::Kept(_));
        // A file the trainer opened: the last one that would not load is named on the page.
        let opened = matches!(action, LibAction::Opened(_));
        // The start's check of a file (what storage or the site held at start).
        let from_start = matches!(action, LibAction::Add(_));
        // While the start's files are being checked, what the trainer does to a file of theirs
        // wins over that check's answer, whenever it comes.
        if !self.start_counted || self.checking > 0 {
            match &action {
                LibAction::Kept(c) | LibAction::Opened(c) => superseded.push(c.file.clone()),
                LibAction::Remove(file) => superseded.push(file.clone()),
                _ => {}
            }
        }
        let lib = match action {
            // The cards never replace the full library (a late answer to the first fetch), nor
            // does a failed fetch replace a full library that arrived.
            LibAction::Set(_, false) if self.full => return self,
            LibAction::Set(l, true)
                if self.full && l.scenarios.is_empty() && !self.lib.scenarios.is_empty() =>
            {
                return self
            }
            LibAction::Set(mut l, is_full) => {
                listed = true;
                full = is_full;
                let failed = is_full && !l.broken.is_empty() && l.scenarios.is_empty();
                if failed {
                    // The full library could not be read: keep what the cards listed as broken.
                    for b in &self.shipped.broken {
                        if !l.broken.contains(b) {
                            l.broken.push(b.clone());
                        }
                    }
                }
                // What was there to play stays as it was: a scenario that came on its own (the
                // same when the whole library brings it again, so a page playing it is not handed
                // a new one), where the new library lists it (the cards set again), or with its
                // card when the whole library could not be read.
                if cfg!(feature = "full") {
                    l.keep_from(&self.shipped, failed);
                }
                shipped = Shared(Rc::new(l));
                rebuild(&shipped, &added)
            }
            // The whole library, once here, has every shipped scenario already. (The library
            // module only fetches a scenario's file, for the full module: `fetch_one`.)
            LibAction::One(_) if self.full || cfg!(not(feature = "full")) => return self,
            LibAction::One(one) => {
                let mut base = (*self.shipped.0).clone();
                base.keep_from(&one, false);
                shipped = Shared(Rc::new(base));
                rebuild(&shipped, &added)
            }
            LibAction::Remove(file) => {
                added.retain(|x| x.file != file);
                if opened_broken.as_ref().is_some_and(|(_, f)| *f == file) {
                    opened_broken = None;
                }
                rebuild(&shipped, &added)
            }
            // The count and the files that may replace a scenario change: the library stays the
            // same value.
            LibAction::Checking {
                n,
                unseen,
                files,
                start,
            } => {
                checking += n;
                let u = Rc::make_mut(&mut unchecked.0);
                u.listing &= !start;
                u.unseen |= unseen;
                u.files.extend(files);
                self.lib.clone()
            }
            LibAction::ListingLate if !self.unchecked.listing => return self,
            LibAction::ListingLate => {
                Rc::make_mut(&mut unchecked.0).listing = false;
                self.lib.clone()
            }
            LibAction::Seen(files) => {
                let u = Rc::make_mut(&mut unchecked.0);
                u.unseen = false;
                u.files.extend(files);
                self.lib.clone()
            }
            LibAction::Add(c) | LibAction::Kept(c) | LibAction::Opened(c) => {
                if opened {
                    let n = opened_broken.as_ref().map_or(0, |x| x.0) + 1;
                    opened_broken = c.card.is_none().then(|| (n, c.file.clone()));
                }
                if counted {
                    checking = checking.saturating_sub(1);
                    let u = Rc::make_mut(&mut unchecked.0);
                    // The last of that name: a site's listed files are checked before the
                    // trainer's kept ones listed ahead of them, and may share a name.
                    if let Some(at) = u.files.iter().rposition(|(f, _)| *f == c.file) {
                        u.files.remove(at);
                    }
                    // Nothing left to check: nothing may replace a scenario any more (a file
                    // whose answer named it otherwise is not waited for forever).
                    if checking == 0 {
                        *u = Unchecked {
                            listing: u.listing,
                            ..Unchecked::default()
                        };
                    }
                }
                if from_start && superseded.contains(&c.file) {
                    // Counted, and not added: the trainer's newer version (or its removal)
                    // stands.
                    self.lib.clone()
                } else {
                    let c = *c;
                    let mut l = (*self.lib.0).clone();
                    l.add_checked(c.clone());
                    added.retain(|x| x.file != c.file);
                    added.push(c);
                    Shared(Rc::new(l))
                }
            }
        };
        if checking == 0 && start_counted {
            superseded.clear();
        }
        Rc::new(LibState {
            lib,
            shipped,
            added,
            checking,
            unchecked,
            superseded,
            start_counted,
            opened_broken,
            listed,
            full,
        })
    }
}

impl<T: Default> Default for Shared<T> {
    fn default() -> Self {
        Shared(Rc::new(T::default()))
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        AppState::new(view::ui_lang(
            route::query("lang").as_deref(),
            &browser_langs(),
        ))
    });
    let lang = state.lang;
    let route = use_state_eq(route::current);
    // Until the files to check at start are known, any of them may replace a scenario.
    let lib = use_reducer(|| LibState {
        unchecked: Shared(Rc::new(Unchecked {
            listing: true,
            ..Unchecked::default()
        })),
        ..LibState::default()
    });
    // Shown with the cards: the module's root in place of index.html's picture (`apart`).
    use_effect_with(lib.listed, |listed| {
        if *listed {
            swap_in();
        }
    });
    // Asked for the full library (by the exam or the history, or for a scenario with no file of
    // its own); fetched once.
    let want_full = use_state_eq(|| false);
    let full_asked = use_mut_ref(|| false);
    // A shipped scenario on its own (`view::one_url`: a card the trainee points at, or the
    // scenario play opens), each fetched once; the library module only fetches it (its text
    // kept for the full module, `handover`). One that cannot be fetched or read (a site built
    // before these files) asks for the whole library instead.
    let fetch_one = {
        let lib = lib.dispatcher();
        let want_full = want_full.setter();
        let asked = use_mut_ref(Vec::<String>::new);
        Rc::new(move |id: String| {
            let Some(url) = view::one_url(&id) else {
                want_full.set(true);
                return;
            };
            if asked.borrow().contains(&id) {
                return;
            }
            asked.borrow_mut().push(id.clone());
            let (lib, want_full) = (lib.clone(), want_full.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let got = fetch_text(&url).await;
                if cfg!(feature = "full") {
                    match got.and_then(|t| read_bundle(&t)) {
                        Ok((one, _)) if one.get(&id).is_some() => lib.dispatch(LibAction::One(one)),
                        _ => want_full.set(true),
                    }
                }
            });
        })
    };
    let engine = use_state(|| Engine::Idle);
    let lrs = use_lrs(state.progress.clone());

    // The scorer worker is started (its module fetched and compiled while it downloads) when
    // the trainee shows intent: a pointer over or focus on a library card, the browser idle
    // after the library is shown, or a scenario to play. A reply sent before it is ready
    // simply waits in the worker's queue.
    let warm = {
        let engine = engine.clone();
        let started = use_mut_ref(|| false);
        Rc::new(move || {
            if std::mem::replace(&mut *started.borrow_mut(), true) {
                return;
            }
            // The library module: the full module and the scorer into the HTTP cache.
            if cfg!(not(feature = "full")) {
                handover::prefetch();
                return;
            }
            let engine = engine.clone();
            engine.set(Engine::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                match worker::warm(worker::Kind::Score).await {
                    Ok(()) => engine.set(Engine::Ready),
                    Err(e) => engine.set(Engine::Failed(e)),
                }
            });
        })
    };
    {
        let warm = warm.clone();
        // A play-test needs the scorer too, not the full library.
        let wanted = plays(&route) || *route == Route::StudioPlay;
        use_effect_with(wanted, move |wanted| {
            if *wanted {
                warm();
            }
        });
    }
    {
        let warm = warm.clone();
        use_effect_with(lib.listed, move |loaded| {
            let doc = gloo::utils::document();
            let on_card = {
                let warm = warm.clone();
                move |e: &Event| {
                    let on_card = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|el| el.closest(INTENT).ok().flatten())
                        .is_some();
                    if on_card {
                        warm();
                    }
                }
            };
            let hover = gloo::events::EventListener::new(&doc, "pointerover", on_card.clone());
            let focus = gloo::events::EventListener::new(&doc, "focusin", on_card);
            if *loaded {
                let idle = Closure::once_into_js(move || warm());
                let win = gloo::utils::window();
                if win.request_idle_callback(idle.unchecked_ref()).is_err() {
                    let _ = win.set_timeout_with_callback_and_timeout_and_arguments_0(
                        idle.unchecked_ref(),
                        1000,
                    );
                }
            }
            move || drop((hover, focus))
        });
    }

    // Play's scenario on its own, once the cards say it is shipped; the whole library for one
    // they do not list (a trainer's file is checked here, and may still be coming).
    #[cfg(feature = "full")]
    {
        let need = match &*route {
            Route::Play(id) if lib.listed && !lib.full && lib.lib.get(id).is_none() => {
                Some((id.clone(), lib.shipped.card(id).is_some()))
            }
            _ => None,
        };
        let (fetch_one, want_full) = (fetch_one.clone(), want_full.clone());
        use_effect_with(need, move |need| match need {
            Some((id, true)) => fetch_one(id.clone()),
            Some((_, false)) => want_full.set(true),
            None => {}
        });
    }

    // The full library: fetched when the exam, the history or a transcript is opened (they
    // name and replay any scenario), or for a scenario with no file of its own. The library
    // module only fetches it (its text kept for the full module, `handover`): it shows cards
    // and reads no scenario.
    {
        let lib = lib.dispatcher();
        let wanted =
            *want_full || matches!(*route, Route::Exam | Route::Transcript(_) | Route::History);
        use_effect_with(wanted, move |wanted| {
            if *wanted && !std::mem::replace(&mut *full_asked.borrow_mut(), true) {
                wasm_bindgen_futures::spawn_local(async move {
                    if cfg!(not(feature = "full")) {
                        let _ = fetch_text(FULL).await;
                    } else if let Some((l, full, _)) = fetch_library(FULL, false).await {
                        lib.dispatch(LibAction::Set(l, full));
                    }
                });
            }
        });
    }

    // Follow the hash; take in progress another tab saves.
    {
        let route = route.clone();
        let app = state.dispatcher();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let on_hash = gloo::events::EventListener::new(&win, "hashchange", {
                let route = route.clone();
                move |_| route.set(route::current())
            });
            // Back or forward to an entry whose query differs (the language was switched on
            // another entry, which rewrote only its own URL): no `hashchange` fires. The page
            // follows the URL, its language too.
            let on_pop = gloo::events::EventListener::new(&win, "popstate", {
                let (route, app) = (route.clone(), app.clone());
                move |_| {
                    if let Some(l) = route::query("lang").as_deref().and_then(Lang::parse) {
                        app.dispatch(AppAction::ShowLang(l));
                    }
                    route.set(route::current());
                }
            });
            let tabs = app.clone();
            let on_storage = storage::listen_storage(move |key, value| {
                if key != storage::PROGRESS {
                    return;
                }
                if let Some(Ok(s)) = value.map(|v| Store::from_json(&v)) {
                    // The old one-value store (a tab without the database) saved.
                    app.dispatch(AppAction::Synced(s));
                }
            });
            let on_scroll = route::track_scroll();
            // Another tab's committed write to the database (storage::listen_tabs).
            let on_tabs = storage::listen_tabs(move |ids| tabs.dispatch(AppAction::Changed(ids)));
            move || drop((on_hash, on_pop, on_storage, on_scroll, on_tabs))
        });
    }
    // Each page opens at its top; back and forward return to where the trainee was.
    use_effect_with((*route).clone(), |_| route::arrive());
    // A page this module does not show: the module that shows it takes over at this URL (the
    // library module's: the full module's or the dashboard's; the full module's: the dashboard).
    use_effect_with((*route).clone(), handover::follow);

    // At start: read progress and the trainer's files, then fetch the library.
    {
        let lib = lib.dispatcher();
        let app = state.dispatcher();
        storage::use_io_effect((), move |io, _| {
            // A server that never answers for `scenarios/index.json` (no timeout on `fetch`)
            // must not hold play back for good: after `LISTING_MS` play no longer waits for the
            // list (the files it names, if it comes, are checked as ever).
            {
                let lib = lib.clone();
                gloo::timers::callback::Timeout::new(LISTING_MS, move || {
                    lib.dispatch(LibAction::ListingLate)
                })
                .forget();
            }
            let mut problems = Vec::new();
            let progress = match io.get_raw(storage::PROGRESS) {
                Ok(Some(raw)) => match Store::from_json(&raw) {
                    Ok(s) => Some(s),
                    Err(_) => {
                        let e = io.quarantine(storage::PROGRESS);
                        if let StoreError::Corrupt {
                            place: storage::Aside::Held,
                            aside,
                            key,
                        } = &e
                        {
                            // Too large to copy beside itself: moved into IndexedDB, and
                            // nothing is saved over it until it is there.
                            app.dispatch(AppAction::Hold(true));
                            let moved = io.move_aside(key, aside);
                            let (app, key, aside) = (app.clone(), key.clone(), aside.clone());
                            wasm_bindgen_futures::spawn_local(async move {
                                if moved.await.is_ok() {
                                    app.dispatch(AppAction::Hold(false));
                                    app.dispatch(AppAction::Notify(StoreError::Corrupt {
                                        key,
                                        aside,
                                        place: storage::Aside::Database,
                                    }));
                                }
                            });
                        }
                        problems.push(e);
                        None
                    }
                },
                Ok(None) => Some(Store::default()),
                Err(e) => {
                    problems.push(e);
                    None
                }
            };
            let local: Option<BTreeMap<String, String>> = match io.load(storage::LOCAL_FILES) {
                Ok(v) => Some(v.unwrap_or_default()),
                Err(e) => {
                    problems.push(e);
                    None
                }
            };
            // The language last picked, unless the URL names one (`?lang=` wins).
            let picked = route::query("lang")
                .is_none()
                .then(|| io.get_raw(storage::LANG).ok().flatten())
                .flatten()
                .and_then(|l| Lang::parse(&l));
            let files = local.clone().unwrap_or_default();
            app.dispatch(AppAction::Prefs {
                local,
                lang: picked,
            });
            for p in problems {
                app.dispatch(AppAction::Notify(p));
            }
            // Progress: the database (the old store migrated into it once), or, without one,
            // the old store as read above.
            {
                let app = app.clone();
                let opened = io.open_progress();
                wasm_bindgen_futures::spawn_local(async move {
                    match opened.await {
                        Ok(attempts) => app.dispatch(AppAction::Loaded {
                            progress: Some(Store {
                                attempts,
                                ..Store::default()
                            }),
                            backend: storage::Backend::Database,
                        }),
                        Err(e) => {
                            app.dispatch(AppAction::Notify(e));
                            app.dispatch(AppAction::Loaded {
                                progress,
                                backend: storage::Backend::Local,
                            });
                        }
                    }
                });
            }
            // The cards index.html carries: listed in a task of their own, after the first
            // render (a phone's start in shorter tasks, `apart`).
            if inline_cards().is_some() {
                let lib = lib.clone();
                gloo::timers::callback::Timeout::new(0, move || {
                    if let Some(Ok((l, _))) = inline_cards().map(|c| Library::from_cards(&c)) {
                        lib.dispatch(LibAction::Set(l, false));
                    }
                })
                .forget();
            }
            wasm_bindgen_futures::spawn_local(async move {
                // List the shipped library's cards at once; then check the files that are not in
                // its bundle (a trainer's own), one at a time, with the engine module.
                // The files index.json lists beyond the bundle are fetched only here, once
                // (not again with the full library), a few at a time and at most
                // `view::MAX_LISTED_FILES`; what is wrong with the list is shown as a broken file.
                // No cards (a site built before them): the full module reads the whole bundle.
                let inline = inline_cards().is_some();
                let Some((l, full, listed)) = fetch_library(CARDS, true).await else {
                    handover::to_full();
                    return;
                };
                let told = index_problems(lang, &listed.problems);
                let unseen = !listed.fetch.is_empty();
                lib.dispatch(LibAction::Checking {
                    n: listed.fetch.len() + files.len() + usize::from(told.is_some()),
                    unseen,
                    files: files.iter().map(|(f, t)| (f.clone(), t.clone())).collect(),
                    start: true,
                });
                // The cards index.html carries are listed apart (the `Timeout` above):
                // the same library again would only render the page again.
                if full || !inline || !l.broken.is_empty() {
                    lib.dispatch(LibAction::Set(l, full));
                }
                if let Some(c) = told {
                    lib.dispatch(LibAction::Add(Box::new(c)));
                }
                let mut more = Vec::new();
                for got in fetch_listed(listed.fetch).await {
                    match got {
                        Ok(file) => more.push(file),
                        Err(c) => lib.dispatch(LibAction::Add(Box::new(c))),
                    }
                }
                if unseen {
                    lib.dispatch(LibAction::Seen(more.clone()));
                }
                // The listed files are one folder: one scenario per id, as `kefu check` has it
                // (the trainer's own files, after them, replace what they define).
                let listed_n = more.len();
                let mut taken = BTreeMap::new();
                more.extend(files);
                for (i, (name, src)) in more.iter().enumerate() {
                    let mut c = check_file(lang, name, src).await;
                    if i < listed_n {
                        c = view::one_id_per_file(c, src, &mut taken);
                    }
                    lib.dispatch(LibAction::Add(Box::new(c)));
                }
            });
        });
    }

    // Write what changed, after it changed: progress (into the database, the attempts this
    // tab changed, merged in one transaction; or the whole old one-value store), the files.
    {
        let app = state.dispatcher();
        let progress = state.progress.clone();
        let dirty = state.dirty.clone();
        storage::use_io_effect(
            (state.progress_rev, state.backend, state.held),
            move |io, &(rev, backend, held)| match backend {
                Some(storage::Backend::Local) if rev > 0 && !held => {
                    if let Err(e) = io.set_raw(storage::PROGRESS, &progress.to_json()) {
                        app.dispatch(AppAction::Notify(e));
                    }
                }
                Some(storage::Backend::Database) if !dirty.is_empty() => {
                    let changed = Store {
                        attempts: progress
                            .attempts
                            .iter()
                            .filter(|a| dirty.contains_key(&a.id))
                            .cloned()
                            .collect(),
                        ..Store::default()
                    };
                    // A copy first, where a page closed before the transaction commits
                    // cannot lose it (only play changes attempts: the full module).
                    #[cfg(feature = "full")]
                    let ahead = io.write_ahead(&changed.attempts);
                    let db = io.db();
                    wasm_bindgen_futures::spawn_local(async move {
                        match db.write(changed.to_json(), Some(storage::tab_id())).await {
                            Ok(w) => {
                                #[cfg(feature = "full")]
                                if let Some(a) = &ahead {
                                    db.settled(a);
                                }
                                if w.forked {
                                    app.dispatch(AppAction::Notify(StoreError::Conflict));
                                }
                                app.dispatch(AppAction::Wrote(
                                    dirty.into_iter().collect(),
                                    w.attempts,
                                ));
                            }
                            Err(e) => app.dispatch(AppAction::Notify(e)),
                        }
                    });
                }
                _ => {}
            },
        );
    }
    // An imported file: read in the checker worker (off the page; the scorer, which play
    // loads, carries no reader of results files), merged into the database in
    // one transaction, the records it saved read back in batches. (Not in the library module:
    // files are imported on the history page.)
    #[cfg(feature = "full")]
    {
        let app = state.dispatcher();
        let file = state.import_file.clone();
        storage::use_io_effect(
            (file.as_ref().map(|f| f.0), state.backend),
            move |io, &(_, backend)| {
                let (Some((_, text)), Some(backend)) = (file, backend) else {
                    return;
                };
                let db = io.db();
                // Whose results these are (the settings' name): a file naming someone else is
                // not merged into them (`Store::import_for`).
                let me = io
                    .load::<kefu_core::xapi::Identity>(storage::IDENTITY)
                    .ok()
                    .flatten()
                    .map(|w| w.name)
                    .unwrap_or_default();
                wasm_bindgen_futures::spawn_local(async move {
                    let json =
                        match worker::call(worker::Kind::Check, "read_import", &[&text, &me], 0)
                            .await
                        {
                            Ok(j) => j,
                            // No worker (the checker could not be loaded): said, nothing
                            // changed. Not read here: the reader (JSON, xAPI) stays out of the
                            // app's download.
                            Err(_) => {
                                app.dispatch(AppAction::ImportUnreadable);
                                return;
                            }
                        };
                    drop(text);
                    if json.starts_with("{\"error\"") {
                        // `{"error": "corrupt" | "too_new", "version": N}` (engine `read_import`).
                        let f: serde_json::Value = serde_json::from_str(&json).unwrap_or_default();
                        let text = |k: &str| f[k].as_str().unwrap_or("").to_string();
                        if f["error"] == "other_trainee" {
                            app.dispatch(AppAction::ImportRefused(text("theirs"), text("mine")));
                            return;
                        }
                        let e = match f["version"].as_u64() {
                            Some(v) => LoadError::TooNew(u32::try_from(v).unwrap_or(u32::MAX)),
                            None => LoadError::Corrupt(text("error")),
                        };
                        app.dispatch(AppAction::Import(Err(e)));
                        return;
                    }
                    match backend {
                        storage::Backend::Database => match db.write(json, None).await {
                            Ok(w) => app.dispatch(AppAction::Imported(w.report, w.attempts)),
                            Err(e) => {
                                app.dispatch(AppAction::Notify(e.clone()));
                                app.dispatch(AppAction::Import(Err(LoadError::Corrupt(
                                    e.key().into(),
                                ))));
                            }
                        },
                        storage::Backend::Local => {
                            app.dispatch(AppAction::Import(Store::from_json(&json)))
                        }
                    }
                });
            },
        );
    }
    // Another tab wrote: read the records it names again.
    {
        let app = state.dispatcher();
        let stale = state.stale.clone();
        storage::use_io_effect((stale.0, state.backend), move |io, &(n, backend)| {
            if n == 0 || backend != Some(storage::Backend::Database) {
                return;
            }
            let db = io.db();
            let ids = stale.1;
            wasm_bindgen_futures::spawn_local(async move {
                let all = ids.is_none();
                if let Ok(got) = db.read(ids).await {
                    app.dispatch(AppAction::Refreshed(n, got, all));
                }
            });
        });
    }
    // "Clear history" empties the database (and the other tabs are told). (Not in the library
    // module: the history page clears.)
    #[cfg(feature = "full")]
    {
        let app = state.dispatcher();
        storage::use_io_effect(
            (state.clear_rev, state.backend),
            move |io, &(rev, backend)| {
                if rev > 0 && backend == Some(storage::Backend::Database) {
                    let db = io.db();
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(e) = db.clear().await {
                            app.dispatch(AppAction::Notify(e));
                        }
                    });
                }
            },
        );
    }
    {
        let app = state.dispatcher();
        let local = state.local.clone();
        storage::use_io_effect(state.local_rev, move |io, &rev| {
            if rev > 0 {
                if let Err(e) = io.save(storage::LOCAL_FILES, &*local.0) {
                    app.dispatch(AppAction::Notify(e));
                }
            }
        });
    }
    // The language the trainee picked, remembered for a visit without `?lang=`.
    {
        let app = state.dispatcher();
        storage::use_io_effect((state.lang_rev, lang), move |io, &(rev, l)| {
            if rev > 0 {
                if let Err(e) = io.set_raw(storage::LANG, l.code()) {
                    app.dispatch(AppAction::Notify(e));
                }
            }
        });
    }
    // The page's language, for screen readers and fonts.
    use_effect_with(lang, |l| {
        gloo::utils::document_element()
            .set_attribute("lang", l.code())
            .ok();
    });

    let dispatch = {
        let app = state.dispatcher();
        Callback::from(move |a: AppAction| app.dispatch(a))
    };
    let add_file = {
        let lib = lib.dispatcher();
        let app = state.dispatcher();
        Callback::from(move |(name, src): (String, Option<String>)| {
            let lib = lib.clone();
            let app = app.clone();
            lib.dispatch(LibAction::Checking {
                n: 1,
                unseen: false,
                files: src.iter().map(|s| (name.clone(), s.clone())).collect(),
                start: false,
            });
            let Some(src) = src else {
                // Listed with what to do, as `kefu check` says it; nothing to check.
                let said = kefu_core::i18n::tf(lang, "lib.not_utf8", &[("file", &name)]);
                lib.dispatch(LibAction::Opened(Box::new(view::Checked {
                    file: name,
                    scenario: None,
                    card: None,
                    diagnostics: vec![said],
                })));
                return;
            };
            wasm_bindgen_futures::spawn_local(async move {
                let c = check_file(lang, &name, &src).await;
                let id = c.card.as_ref().map(|s| s.id.clone());
                lib.dispatch(LibAction::Opened(Box::new(c)));
                if let Some(id) = id {
                    app.dispatch(AppAction::AddLocal(name, src));
                    route::go(&Route::Play(id));
                }
            });
        })
    };

    let trial = use_state_eq(|| None::<Shared<Trial>>);
    let play_test = {
        let trial = trial.clone();
        Callback::from(move |(name, src, go): (String, String, bool)| {
            let trial = trial.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let c = check_file(lang, &name, &src).await;
                trial.set(Some(Shared(Rc::new(Trial {
                    name,
                    src,
                    scenario: c.scenario.map(|s| Shared(Rc::new(s))),
                    diagnostics: c.diagnostics,
                }))));
                if go {
                    route::go(&Route::StudioPlay);
                }
            });
        })
    };

    let keep_file = {
        let lib = lib.dispatcher();
        let app = state.dispatcher();
        Callback::from(move |(name, src, done): (String, String, KeepDone)| {
            let lib = lib.clone();
            let app = app.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let c = check_file(lang, &name, &src).await;
                match c.card.as_ref().map(|s| s.id.clone()) {
                    Some(id) => {
                        lib.dispatch(LibAction::Kept(Box::new(c)));
                        app.dispatch(AppAction::AddLocal(name, src));
                        done.emit(Ok(id));
                    }
                    None => done.emit(Err(c.diagnostics)),
                }
            });
        })
    };

    let remove_local = {
        let lib = lib.dispatcher();
        let app = state.dispatcher();
        Callback::from(move |name: String| {
            lib.dispatch(LibAction::Remove(name.clone()));
            app.dispatch(AppAction::RemoveLocal(name));
        })
    };
    let local_files: Vec<LocalFile> = state
        .local
        .keys()
        .map(|file| {
            let id = lib
                .added
                .iter()
                .find(|c| c.file == *file)
                .and_then(|c| c.card.as_ref())
                .map(|s| s.id.clone());
            let replaces_shipped = id.as_ref().is_some_and(|i| lib.shipped.card(i).is_some());
            LocalFile {
                file: file.clone(),
                id,
                replaces_shipped,
            }
        })
        .collect();
    let ctx = Ctx {
        lang,
        lib: lib.lib.clone(),
        checking: lib.checking,
        unchecked: lib.unchecked.clone(),
        loaded: lib.full,
        listed: lib.listed,
        want_card: {
            let (shipped, now, full) = (lib.shipped.clone(), lib.lib.clone(), lib.full);
            Callback::from(move |id: String| {
                if !full && shipped.card(&id).is_some() && now.get(&id).is_none() {
                    fetch_one(id);
                }
            })
        },
        engine: (*engine).clone(),
        progress: state.progress.clone(),
        progress_loaded: state.progress_loaded,
        import: state.import.clone(),
        dispatch,
        add_file,
        keep_file,
        opened_broken: lib.opened_broken.clone(),
        trial: (*trial).clone(),
        play_test,
        local: Shared(Rc::new(local_files)),
        remove_local,
        lrs,
    };
    let on_lang = {
        let app = state.dispatcher();
        Callback::from(move |l: Lang| app.dispatch(AppAction::ChooseLang(l)))
    };
    let dismiss = {
        let app = state.dispatcher();
        Callback::from(move |_| app.dispatch(AppAction::Dismiss))
    };
    // The tab's title names the page, in the page's language (a screen reader says it on
    // arriving; several tabs of the app are told apart). Not in the library module (#17's
    // bytes): index.html names the tab in the language its picture shows.
    #[cfg(feature = "full")]
    {
        let title = title::page_title(
            lang,
            &route,
            match &*route {
                Route::Play(id) => lib.lib.get(id).map(|s| s.title.get(lang).to_string()),
                _ => None,
            },
        );
        use_effect_with(title, |title| {
            if let Some(t) = title {
                gloo::utils::document().set_title(t);
            }
        });
    }
    #[cfg(feature = "full")]
    {
        let moved = use_mut_ref(|| ARRIVED.with(|a| a.get()));
        use_effect_with((*route).clone(), move |r| {
            if std::mem::replace(&mut *moved.borrow_mut(), true) {
                focus_heading(r);
            }
        });
    }
    let page = match &*route {
        Route::Library => html! { <library::LibraryPage key="library" /> },
        Route::Practise(id) => {
            html! { <library::LibraryPage key={format!("practise-{id}")} principle={Some(id.clone())} /> }
        }
        // The library module: any other page is the full module's (`handover::to_full`).
        #[cfg(not(feature = "full"))]
        _ => html! { <p role="status">{ t(lang, "lib.loading") }</p> },
        #[cfg(feature = "full")]
        Route::Play(id) => {
            html! { <play::PlayPage id={id.clone()} key={format!("{id}-{}", lang.code())} /> }
        }
        #[cfg(feature = "full")]
        Route::History => html! { <history::HistoryPage /> },
        #[cfg(feature = "full")]
        Route::Transcript(id) => {
            html! { <history::TranscriptPage id={id.clone()} key={id.clone()} /> }
        }
        #[cfg(feature = "full")]
        Route::Exam => html! { <exam::ExamPage key={lang.code()} /> },
        #[cfg(feature = "full")]
        Route::Studio => html! { <studio::StudioPage key={lang.code()} /> },
        #[cfg(feature = "full")]
        Route::StudioPlay => html! { <studio::TrialPage key={lang.code()} /> },
        #[cfg(feature = "full")]
        Route::Settings => html! { <settings::SettingsPage key={lang.code()} /> },
        #[cfg(all(feature = "full", feature = "team"))]
        // Not keyed by the language: a switch keeps the cohort read (files, an LRS's answer).
        Route::Team => html! { <team::TeamPage /> },
        // The dashboard module shows it (`handover::follow`).
        #[cfg(all(feature = "full", not(feature = "team")))]
        Route::Team => html! { <p role="status">{ t(lang, "lib.loading") }</p> },
    };
    html! {
        <ContextProvider<Ctx> context={ctx}>
            { header(lang, &route, on_lang) }
            { notices(lang, &state.notices, dismiss) }
            <main id="main">{ page }</main>
        </ContextProvider<Ctx>>
    }
}

/// A moment (ms since the epoch) as the trainer or trainee reads it: the date and the minute in
/// the browser's own time zone, `2026-12-07 08:56` (not the UTC of an ISO string).
#[cfg(any(feature = "full", feature = "team"))]
pub(crate) fn local_minute(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// The header every module draws the same: the brand, the main links and the language switch
/// (`on_lang` gets the language picked in its select, already put in the URL's `?lang=`).
fn header(lang: Lang, route: &Route, on_lang: Callback<Lang>) -> Html {
    let tr = |k: &str| t(lang, k);
    let on_change = Callback::from(move |e: Event| {
        let v = e
            .target_unchecked_into::<web_sys::HtmlSelectElement>()
            .value();
        if let Some(l) = Lang::parse(&v) {
            route::set_query("lang", Some(l.code()));
            on_lang.emit(l);
        }
    });
    html! {
        <header class="top">
            <a class="brand" href="#/">{ tr("app.name") }</a>
            <nav aria-label={tr("nav.main")}>
                { for [
                    (Route::Library, "#/", "nav.library"),
                    (Route::History, "#/history", "nav.history"),
                    (Route::Studio, "#/studio", "nav.studio"),
                    (Route::Team, "#/team", "nav.team"),
                    (Route::Settings, "#/settings", "nav.settings"),
                ].into_iter().map(|(r, href, key)| html! {
                    <a {href} aria-current={(*route == r).then_some("page")}>{ tr(key) }</a>
                }) }
            </nav>
            <label class="lang">
                <span>{ tr("nav.language") }</span>
                <select onchange={on_change}>
                    { for Lang::ALL.into_iter().map(|l| html! {
                        <option value={l.code()} selected={l == lang}>{ l.native_name() }</option>
                    }) }
                </select>
            </label>
        </header>
    }
}

/// Storage problems, shown until dismissed (the app goes on).
fn notices(lang: Lang, notices: &[StoreError], dismiss: Callback<MouseEvent>) -> Html {
    if notices.is_empty() {
        return Html::default();
    }
    html! {
        <div class="notice" role="alert">
            { for notices.iter().map(|n| html! { <p data-store-error={n.key()}>{ n.message(lang) }</p> }) }
            <button onclick={dismiss}>{ t(lang, "store.dismiss") }</button>
        </div>
    }
}

/// What shows intent to play (the scorer is warmed): a card; in the library module also a link
/// or button to another page (the full module is warmed too).
const INTENT: &str = if cfg!(feature = "full") {
    ".card"
} else {
    ".card, header.top a, .toolbar a, .toolbar button"
};

/// Whether a page plays scenarios (and so needs the engine).
fn plays(route: &Route) -> bool {
    matches!(route, Route::Play(_) | Route::Exam | Route::Transcript(_))
}

/// The LRS and its outbox (`lrs.rs`); none in the library module.
#[cfg(feature = "full")]
#[hook]
fn use_lrs(progress: Shared<Store>) -> lrs::Handle {
    lrs::use_lrs(progress)
}
#[cfg(not(feature = "full"))]
#[hook]
fn use_lrs(_progress: Shared<Store>) -> LrsHandle {
    NoLrs
}
#[cfg(feature = "full")]
pub type LrsHandle = lrs::Handle;
#[cfg(not(feature = "full"))]
pub type LrsHandle = NoLrs;
/// The library module's stand-in for the LRS handle: it sends nothing.
#[derive(Clone, PartialEq)]
pub struct NoLrs;

/// Offer `body` as a download named `name` (the history's exports, the dashboard's CSV).
pub(crate) fn download(name: &str, mime: &str, body: &str) {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(body));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = gloo::utils::document();
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        let _ = gloo::utils::body().append_child(&a);
        a.click();
        a.remove();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// The context, for components.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("App provides Ctx")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(id: &str, turns: usize) -> Attempt {
        let mut a: Attempt = serde_json::from_str(&format!(
            r#"{{"id":"{id}","scenario":"s","title":"S","kind":"angry","lang":"en","seed":1,"started_ms":1}}"#
        ))
        .unwrap();
        a.turns = (0..turns)
            .map(|i| {
                serde_json::from_str(&format!(
                    r#"{{"turn":"t{i}","customer":"c","reply":"r","score":50}}"#
                ))
                .unwrap()
            })
            .collect();
        a
    }

    fn store(a: &[Attempt]) -> Store {
        let mut s = Store::default();
        for x in a {
            s.upsert(x.clone());
        }
        s
    }

    fn ids(s: &AppState) -> Vec<&str> {
        let mut v: Vec<&str> = s.progress.attempts.iter().map(|a| a.id.as_str()).collect();
        v.sort();
        v
    }

    /// A bundle's library; `tag` is every title (to tell one library from another).
    fn bundle(ids: &[&str], tag: &str) -> Library {
        let scenarios: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"id":"{id}","kind":"angry","languages":["en"],"product":null,"difficulty":1,
                    "minutes":5,"title":{{"en":"{tag}"}},"brief":{{"en":"B"}},"customer_name":{{"en":"C"}},
                    "persona":null,"mood":0,"gives_up":0,"placeholders":{{}},"start":0,"max_turns":0,
                    "turns":[],"endings":[]}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"version":1,"files":[],"scenarios":[{}],"broken":[]}}"#,
            scenarios.join(",")
        );
        Library::from_bundle(&json).expect("a bundle").0
    }

    /// A library of cards alone (`cards.json`); `tag` is every title.
    fn cards(ids: &[&str], tag: &str) -> Library {
        let cards: Vec<String> = ids
            .iter()
            .map(|id| {
                format!(
                    r#"{{"id":"{id}","kind":"angry","languages":["en"],"difficulty":1,"minutes":5,
                    "title":{{"en":"{tag}"}},"brief":{{"en":"B"}},"expects":["apology"]}}"#
                )
            })
            .collect();
        let json = format!(
            r#"{{"version":1,"files":[],"cards":[{}],"broken":[]}}"#,
            cards.join(",")
        );
        Library::from_cards(&json).expect("cards").0
    }

    #[test]
    fn the_cards_list_the_library_and_the_full_library_is_never_lost() {
        let s = Rc::new(LibState::default());
        assert!(!s.listed && !s.full);
        let s = s.reduce(LibAction::Set(cards(&["a", "b"], "card"), false));
        assert!(s.listed && !s.full, "cards: listed, not playable yet");
        assert!(s.lib.get("a").is_none() && s.lib.card("a").is_some());
        let s = s.reduce(LibAction::Set(bundle(&["a", "b"], "full"), true));
        assert!(s.full);
        assert_eq!(s.lib.get("a").unwrap().title.get(Lang::En), "full");
        // A late answer with the cards, or a failed fetch, keeps the full library.
        let late = s
            .clone()
            .reduce(LibAction::Set(cards(&["a"], "card"), false));
        assert!(Rc::ptr_eq(&late, &s));
        let mut failed = Library::default();
        failed.broken.push((FULL.into(), vec!["HTTP 500".into()]));
        let kept = s.clone().reduce(LibAction::Set(failed.clone(), true));
        assert!(Rc::ptr_eq(&kept, &s));
        // Without a full library, a failed fetch is shown and no card-only scenario stays.
        let listed =
            Rc::new(LibState::default()).reduce(LibAction::Set(cards(&["a"], "card"), false));
        let f = listed.reduce(LibAction::Set(failed, true));
        assert!(f.full && f.lib.scenarios.is_empty() && f.lib.cards.is_empty());
        assert_eq!(f.lib.broken[0].0, FULL);
    }

    /// Play takes its scenario from a file of its own (`view::one_url`) before the whole
    /// library: only a scenario the cards list, never over a trainer's own file of that id, and
    /// the whole library, when it comes, keeps it (a page playing it is not handed a new one).
    #[test]
    fn a_scenario_on_its_own_plays_before_the_whole_library_which_keeps_it() {
        let s =
            Rc::new(LibState::default()).reduce(LibAction::Set(cards(&["a", "b"], "card"), false));
        let s = s.reduce(LibAction::One(bundle(&["z"], "one")));
        assert!(s.lib.get("z").is_none(), "not listed: not taken");
        let s = s.reduce(LibAction::One(bundle(&["a"], "one")));
        assert!(!s.full && s.listed);
        assert_eq!(s.lib.get("a").unwrap().title.get(Lang::En), "one");
        assert!(s.lib.get("b").is_none(), "only the one fetched");
        assert_eq!(s.lib.cards.len(), 2);
        let a = s.lib.get("a").unwrap().clone();
        let whole = s
            .clone()
            .reduce(LibAction::Set(bundle(&["a", "b"], "full"), true));
        assert!(whole.full && Rc::ptr_eq(whole.lib.get("a").unwrap(), &a));
        assert_eq!(whole.lib.get("b").unwrap().title.get(Lang::En), "full");
        let late = whole.clone().reduce(LibAction::One(bundle(&["b"], "late")));
        assert!(
            Rc::ptr_eq(&late, &whole),
            "the whole library stays as it is"
        );
        // The cards set again (a second answer, after the listed files) keep it; so does a
        // whole library that could not be read, with its card (the others are not playable).
        let again = s
            .clone()
            .reduce(LibAction::Set(cards(&["a", "b"], "card"), false));
        assert!(Rc::ptr_eq(again.lib.get("a").unwrap(), &a));
        let mut failed = Library::default();
        failed.broken.push((FULL.into(), vec!["HTTP 500".into()]));
        let f = s.reduce(LibAction::Set(failed, true));
        assert!(f.full && Rc::ptr_eq(f.lib.get("a").unwrap(), &a));
        assert_eq!(f.lib.cards.len(), 1, "only what can be played");
        assert_eq!(f.lib.broken[0].0, FULL);
        // A trainer's own file of that id is what plays, before and after.
        let mine = view::Checked {
            file: "mine.toml".into(),
            scenario: bundle(&["b"], "mine").scenarios[0].as_ref().clone().into(),
            card: None,
            diagnostics: Vec::new(),
        };
        let s = Rc::new(LibState::default())
            .reduce(LibAction::Set(cards(&["a", "b"], "card"), false))
            .reduce(LibAction::Add(Box::new(mine)))
            .reduce(LibAction::One(bundle(&["b"], "one")));
        assert_eq!(s.lib.get("b").unwrap().title.get(Lang::En), "mine");
    }

    /// The library as the app starts: it does not know yet which files it has to check.
    fn starting() -> Rc<LibState> {
        Rc::new(LibState {
            unchecked: Shared(Rc::new(Unchecked {
                listing: true,
                ..Unchecked::default()
            })),
            ..LibState::default()
        })
    }

    /// A trainer's scenario file that defines `id`.
    fn text(id: &str) -> String {
        format!("id = \"{id}\"\nkind = \"angry\"\n")
    }

    #[test]
    fn play_waits_only_for_the_unchecked_files_that_may_replace_its_scenario() {
        let checked = |file: &str| {
            Box::new(view::Checked {
                file: file.into(),
                scenario: None,
                card: None,
                diagnostics: vec!["x".into()],
            })
        };
        // At start, before the app knows which files it has to check: any id may be replaced.
        let s = starting();
        assert!(s.unchecked.may_define("refund"));
        // A list that never comes does not hold play back for good.
        let late = s.clone().reduce(LibAction::ListingLate);
        assert!(!late.unchecked.may_define("refund"));
        // A trainer's file kept here, and two listed in a deployed index.json not fetched yet:
        // any id may be among them.
        let s = s.reduce(LibAction::Checking {
            n: 3,
            unseen: true,
            files: vec![("mine.toml".into(), text("late"))],
            start: true,
        });
        assert!(s.unchecked.may_define("refund") && s.unchecked.may_define("late"));
        // The listed files came: only the ids their texts hold may be replaced.
        let s = s.reduce(LibAction::Seen(vec![
            ("added.toml".into(), text("added")),
            ("odd.toml".into(), "id = \"l\\u0061te2\"\n".into()),
        ]));
        assert!(s.unchecked.may_define("late") && s.unchecked.may_define("added"));
        assert!(
            s.unchecked.may_define("refund"),
            "a file whose strings use escapes may define any id"
        );
        let s = s.reduce(LibAction::Add(checked("odd.toml")));
        assert!(!s.unchecked.may_define("refund"), "no file may define it");
        // Checked: it no longer holds play back.
        let s = s.reduce(LibAction::Add(checked("mine.toml")));
        assert!(!s.unchecked.may_define("late") && s.unchecked.may_define("added"));
        // A checker that names the file otherwise: once nothing is left to check, nothing waits.
        let s = s.reduce(LibAction::Add(checked("elsewhere.toml")));
        assert_eq!(s.checking, 0);
        assert!(!s.unchecked.may_define("added"));
        // A kept file and a listed one of the same name: the listed one, checked first, does
        // not take the kept one's text with it.
        let s = Rc::new(LibState::default())
            .reduce(LibAction::Checking {
                n: 2,
                unseen: true,
                files: vec![("a.toml".into(), text("refund"))],
                start: true,
            })
            .reduce(LibAction::Seen(vec![("a.toml".into(), text("other"))]))
            .reduce(LibAction::Add(checked("a.toml")));
        assert!(s.unchecked.may_define("refund") && !s.unchecked.may_define("other"));
    }

    /// What the trainer does to a file of theirs while the start's check runs (keeps a newer
    /// version in the studio, removes it) is not undone when that check's answer for the
    /// version stored at start comes in.
    #[test]
    fn the_starts_check_does_not_undo_a_keep_or_remove_made_meanwhile() {
        let checked = |file: &str, title: &str| {
            Box::new(view::Checked {
                file: file.into(),
                scenario: bundle(&["mine"], title).scenarios[0]
                    .as_ref()
                    .clone()
                    .into(),
                card: None,
                diagnostics: Vec::new(),
            })
        };
        let start = starting().reduce(LibAction::Set(cards(&["a"], "card"), false));
        let checking = |s: Rc<LibState>| {
            s.reduce(LibAction::Checking {
                n: 2,
                unseen: false,
                files: vec![
                    ("mine.toml".into(), text("mine")),
                    ("gone.toml".into(), text("gone")),
                ],
                start: true,
            })
        };
        let title =
            |s: &LibState, id: &str| s.lib.get(id).map(|sc| sc.title.get(Lang::En).to_string());
        // Kept and removed after the start's check began, and before it (the files read at
        // start, not checked yet).
        for before in [false, true] {
            let mut s = start.clone();
            if !before {
                s = checking(s);
            }
            s = s
                .reduce(LibAction::Kept(checked("mine.toml", "new")))
                .reduce(LibAction::Remove("gone.toml".into()));
            if before {
                s = checking(s);
            }
            let s = s
                .reduce(LibAction::Add(checked("mine.toml", "old")))
                .reduce(LibAction::Add(checked("gone.toml", "gone")));
            assert_eq!(
                title(&s, "mine").as_deref(),
                Some("new"),
                "before: {before}"
            );
            assert!(s.added.iter().all(|c| c.file != "gone.toml"));
            assert_eq!(s.checking, 0);
            assert!(s.superseded.is_empty(), "forgotten once the check is done");
            // Later, a file checked again is added as usual.
            let s = s.reduce(LibAction::Add(checked("mine.toml", "later")));
            assert_eq!(title(&s, "mine").as_deref(), Some("later"));
        }
        // The list of the site's files later than `LISTING_MS`: a keep made meanwhile still
        // wins over the start's check when it comes.
        let s = start
            .clone()
            .reduce(LibAction::ListingLate)
            .reduce(LibAction::Kept(checked("mine.toml", "new")));
        let s = checking(s).reduce(LibAction::Add(checked("mine.toml", "old")));
        assert_eq!(
            title(&s, "mine").as_deref(),
            Some("new"),
            "after ListingLate"
        );
        // Without the trainer doing anything, the start's check adds the stored version.
        let s = checking(start).reduce(LibAction::Add(checked("mine.toml", "old")));
        assert_eq!(title(&s, "mine").as_deref(), Some("old"));
    }

    #[test]
    fn every_change_applies_to_the_state_as_it_is_then() {
        let s = Rc::new(AppState::new(Lang::En));
        // A reply recorded before storage was read is kept with what storage held.
        let s = s.reduce(AppAction::Record(attempt("early", 1)));
        let s = s.reduce(AppAction::Loaded {
            progress: Some(store(&[attempt("stored", 1)])),
            backend: storage::Backend::Local,
        });
        assert_eq!(ids(&s), ["early", "stored"]);
        let rev = s.progress_rev;
        // An import and a save that overlap both land.
        let s = s.reduce(AppAction::Record(attempt("early", 2)));
        let s = s.reduce(AppAction::Import(Ok(store(&[attempt("imported", 1)]))));
        assert_eq!(ids(&s), ["early", "imported", "stored"]);
        assert_eq!(
            s.progress
                .attempts
                .iter()
                .find(|a| a.id == "early")
                .unwrap()
                .turns
                .len(),
            2
        );
        assert_eq!(s.progress_rev, rev + 2, "each change is written");
        assert!(matches!(s.import, Some((1, ImportResult::Merged(r))) if r.added == 1));
        // Another tab's save: taken in; written back only if storage lacks something of ours.
        let other = store(&[attempt("tab2", 1)]);
        let s = s.reduce(AppAction::Synced(other));
        assert_eq!(ids(&s), ["early", "imported", "stored", "tab2"]);
        assert_eq!(s.progress_rev, rev + 3);
        let all = (*s.progress.0).clone();
        let same = s.clone().reduce(AppAction::Synced(all));
        assert!(
            Rc::ptr_eq(&same, &s),
            "nothing new: no change, no write, no echo"
        );
        // A failed import changes nothing but the message.
        let f = s
            .clone()
            .reduce(AppAction::Import(Err(LoadError::Corrupt("x".into()))));
        assert_eq!(f.progress, s.progress);
        assert!(matches!(f.import, Some((2, ImportResult::Failed(_)))));
        // "Clear history": the import's error, about the history that is gone, goes too.
        let c = f.reduce(AppAction::Clear);
        assert!(ids(&c).is_empty());
        assert!(matches!(c.import, Some((3, ImportResult::Cleared))));
        // The next import is told as usual.
        let c = c.reduce(AppAction::Import(Ok(store(&[attempt("again", 1)]))));
        assert!(matches!(c.import, Some((4, ImportResult::Merged(r))) if r.added == 1));
    }
}
