//! The browser shell: a Yew app over the pure core. It renders what `view`, `dialogue` and
//! `score` compute; its own logic is limited to effects (fetching the library, storage, timers,
//! files). One component per file. Built for wasm32 by `make dist`; its pure parts are tested natively.

mod exam;
mod feedback;
mod history;
mod library;
mod play;
mod route;
mod storage;
mod summary;

use kefu_core::i18n::t;
use kefu_core::principles::Lang;
use kefu_core::progress::{Attempt, Store};
use kefu_core::view::{self, Library};
use route::Route;
use std::collections::BTreeMap;
use std::rc::Rc;
use storage::StoreError;
use wasm_bindgen::prelude::*;
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

/// What every component may read and the few things it may ask the app to do.
#[derive(Clone, PartialEq)]
pub struct Ctx {
    pub lang: Lang,
    pub lib: Shared<Library>,
    pub loaded: bool,
    /// Scenario files (a trainer's own, or added to a deployed site) still being checked.
    pub checking: bool,
    /// The engine module (scorer): loaded when a scenario is played.
    pub engine: Engine,
    pub progress: Shared<Store>,
    /// Report a storage problem (shown as a notice; the app goes on).
    pub notify: Callback<StoreError>,
    /// Save an attempt (new or updated) into the progress store.
    pub record: Callback<Attempt>,
    /// Replace the whole progress store (import, clear).
    pub set_progress: Callback<Store>,
    /// A scenario file the trainer opened: `(name, source)`.
    pub add_file: Callback<(String, String)>,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        t(self.lang, key)
    }
}

/// The wasm entry point.
#[wasm_bindgen(start)]
pub fn start() {
    yew::set_custom_panic_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_panic(&info.to_string());
    }));
    let root = gloo::utils::document()
        .get_element_by_id("app")
        .unwrap_or_else(|| gloo::utils::body().into());
    yew::Renderer::<App>::with_root(root).render();
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

async fn fetch_text(url: &str) -> Result<String, String> {
    let resp = gloo::net::http::Request::get(url)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if !resp.ok() {
        return Err(format!("{url}: HTTP {}", resp.status()));
    }
    resp.text().await.map_err(|e| e.to_string())
}

/// The library as shipped: `scenarios/library.json` (checked by `kefu bundle` at `make dist`)
/// and `scenarios/index.json` (every file in the folder). A file listed but not in the bundle
/// (a trainer copied it into a deployed `dist/scenarios/`) is fetched for the checker. Returns
/// the library (files that could not be fetched listed as broken) and the files still to check.
async fn fetch_library() -> (Library, Vec<(String, String)>) {
    let mut failed = Vec::new();
    let (bundle, index) = futures::future::join(
        fetch_text("scenarios/library.json"),
        fetch_text("scenarios/index.json"),
    )
    .await;
    let (mut lib, covered) = match bundle.and_then(|b| Library::from_bundle(&b)) {
        Ok(got) => got,
        Err(e) => {
            failed.push(("scenarios/library.json".to_string(), vec![e]));
            (Library::default(), Vec::new())
        }
    };
    // index.json is optional: without it the bundle is the library.
    let names: Vec<String> = index
        .ok()
        .and_then(|i| serde_json::from_str(&i).ok())
        .unwrap_or_default();
    let extra: Vec<&String> = names.iter().filter(|n| !covered.contains(n)).collect();
    let fetched = futures::future::join_all(
        extra
            .into_iter()
            .map(|n| async move { (n.clone(), fetch_text(&format!("scenarios/{n}")).await) }),
    )
    .await;
    let mut files = Vec::new();
    for (n, got) in fetched {
        match got {
            Ok(src) => files.push((n, src)),
            Err(e) => failed.push((n, vec![e])),
        }
    }
    lib.broken.extend(failed);
    (lib, files)
}

#[wasm_bindgen(inline_js = r#"
let engine;
export async function kefu_engine() {
  if (!engine) {
    // `make dist` names the engine by its content (engine/kefu_engine.<hash>.js, which names its
    // own hashed .wasm) and writes that name into the page: a cached engine of another build is
    // never used.
    const js = document.querySelector('meta[name="kefu-engine"]')?.content;
    if (!js) throw new Error('the page names no engine (meta kefu-engine): build it with make dist');
    const m = await import(new URL(js, document.baseURI).href);
    await m.default({});
    engine = m;
    window.kefuDojo = Object.assign({}, window.kefuDojo, { score_json: m.score_json });
  }
}
export function kefu_judge(request) { return engine.judge(request); }
export async function kefu_check(name, src) { await kefu_engine(); return engine.check_file(name, src); }
"#)]
extern "C" {
    /// Import and start the engine module (`dist/engine/`: the scorer and the checker), once.
    #[wasm_bindgen(catch)]
    async fn kefu_engine() -> Result<JsValue, JsValue>;
    /// Judge with the started engine: a `JudgeRequest` as JSON in, a `JudgementWire` out.
    #[wasm_bindgen(catch)]
    fn kefu_judge(request: &str) -> Result<String, JsValue>;
    /// Check a scenario file with the engine (started on first use).
    #[wasm_bindgen(catch)]
    async fn kefu_check(name: &str, src: &str) -> Result<JsValue, JsValue>;
}

fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Error::from(e).message().as_string())
        .unwrap_or_default()
}

/// Whether the engine module is there to judge replies.
#[derive(Debug, Clone, PartialEq)]
pub enum Engine {
    Idle,
    Loading,
    Ready,
    Failed(String),
}

/// The scorer the app plays with: the engine module's `judge`, the same code as `kefu score`.
/// Only called once the engine is `Ready`. An error (an engine from another build, say) is
/// returned, never turned into a judgement.
pub fn engine_judge(
    text: &str,
    lang: Lang,
    rules: &kefu_core::judgement::TurnRules,
    secs: Option<f64>,
) -> Result<kefu_core::judgement::Judgement, String> {
    let req = kefu_core::judgement::JudgeRequest {
        text: text.to_string(),
        lang,
        rules: rules.clone(),
        secs,
    };
    serde_json::to_string(&req)
        .map_err(|e| e.to_string())
        .and_then(|r| kefu_judge(&r).map_err(js_error))
        .and_then(|a| {
            serde_json::from_str::<kefu_core::judgement::JudgementWire>(&a).map_err(|_| a.clone())
        })
        .map(Into::into)
}

/// Check a scenario file with the engine module (the same code as `kefu check`). If the engine
/// cannot be loaded, the file is listed as broken with the reason.
async fn check_file(lang: Lang, name: &str, src: &str) -> view::Checked {
    let got = match kefu_check(name, src).await {
        Ok(v) => v
            .as_string()
            .ok_or_else(|| "no answer".to_string())
            .and_then(|j| serde_json::from_str::<view::Checked>(&j).map_err(|e| e.to_string())),
        Err(e) => Err(js_error(e)),
    };
    got.unwrap_or_else(|e| view::Checked {
        file: name.to_string(),
        scenario: None,
        diagnostics: vec![format!(
            "{name}: {}",
            kefu_core::i18n::tf(lang, "lib.checker_failed", &[("error", &e)])
        )],
    })
}

/// The library state: changed only through actions, so that files checked asynchronously are
/// added to the library as it is then, not as it was when the check started. Files added are
/// remembered, so the shipped library arriving later (`Set`) does not drop a file the trainer
/// opened meanwhile.
#[derive(Default, PartialEq)]
struct LibState {
    lib: Shared<Library>,
    added: Vec<view::Checked>,
    /// Files still being checked by the engine.
    checking: usize,
}

enum LibAction {
    Set(Library),
    Checking(usize),
    /// A checked file (boxed: a whole scenario, far larger than the other actions).
    Add(Box<view::Checked>),
}

impl Reducible for LibState {
    type Action = LibAction;
    fn reduce(self: Rc<Self>, action: LibAction) -> Rc<Self> {
        let mut added = self.added.clone();
        let mut checking = self.checking;
        let lib = match action {
            LibAction::Set(mut l) => {
                for c in &added {
                    l.add_checked(c.clone());
                }
                Shared(Rc::new(l))
            }
            // Only the count changes: the library stays the same value (no re-render for it).
            LibAction::Checking(n) => {
                checking += n;
                self.lib.clone()
            }
            LibAction::Add(c) => {
                let c = *c;
                checking = checking.saturating_sub(1);
                let mut l = (*self.lib.0).clone();
                l.add_checked(c.clone());
                added.retain(|x| x.file != c.file);
                added.push(c);
                Shared(Rc::new(l))
            }
        };
        Rc::new(LibState {
            lib,
            added,
            checking,
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
    let lang = use_state(|| view::ui_lang(route::query("lang").as_deref(), &browser_langs()));
    let route = use_state(route::current);
    let lib = use_reducer(LibState::default);
    let loaded = use_state(|| false);
    let notices = use_state(Vec::<StoreError>::new);
    let progress = use_state(Shared::<Store>::default);
    let engine = use_state(|| Engine::Idle);

    // The engine module is imported when a scenario is to be played, not for the library.
    {
        let engine = engine.clone();
        let wanted = matches!(*route, Route::Play(_) | Route::Exam);
        use_effect_with(wanted, move |wanted| {
            if *wanted && *engine == Engine::Idle {
                engine.set(Engine::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    match kefu_engine().await {
                        Ok(_) => engine.set(Engine::Ready),
                        Err(e) => engine.set(Engine::Failed(js_error(e))),
                    }
                });
            }
        });
    }

    // Effects at start: follow the hash, read progress, fetch the library.
    {
        let route = route.clone();
        let lib = lib.clone();
        let loaded = loaded.clone();
        let notices = notices.clone();
        let progress = progress.clone();
        let lang = *lang;
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", {
                    let route = route.clone();
                    move |_| route.set(route::current())
                });
            let mut problems = Vec::new();
            match storage::get_raw(storage::PROGRESS) {
                Ok(Some(raw)) => match Store::from_json(&raw) {
                    Ok(s) => progress.set(Shared(Rc::new(s))),
                    Err(e) => {
                        problems.push(storage::quarantine(storage::PROGRESS, format!("{e:?}")))
                    }
                },
                Ok(None) => {}
                Err(e) => problems.push(e),
            }
            let local: BTreeMap<String, String> = match storage::load(storage::LOCAL_FILES) {
                Ok(v) => v.unwrap_or_default(),
                Err(e) => {
                    problems.push(e);
                    BTreeMap::new()
                }
            };
            if !problems.is_empty() {
                notices.set(problems);
            }
            wasm_bindgen_futures::spawn_local(async move {
                // List the shipped library at once; then check the files that are not in its
                // bundle (a trainer's own), one at a time, with the engine module.
                let (l, mut files) = fetch_library().await;
                files.extend(local);
                lib.dispatch(LibAction::Checking(files.len()));
                lib.dispatch(LibAction::Set(l));
                loaded.set(true);
                for (name, src) in &files {
                    let c = check_file(lang, name, src).await;
                    lib.dispatch(LibAction::Add(Box::new(c)));
                }
            });
            move || drop(listener)
        });
    }

    let notify = {
        let notices = notices.clone();
        Callback::from(move |e: StoreError| {
            let mut v = (*notices).clone();
            if !v.contains(&e) {
                v.push(e);
            }
            notices.set(v);
        })
    };
    let save_progress = {
        let notify = notify.clone();
        move |s: &Store| {
            if let Err(e) = storage::set_raw(storage::PROGRESS, &s.to_json()) {
                notify.emit(e);
            }
        }
    };
    let record = {
        let progress = progress.clone();
        let save = save_progress.clone();
        Callback::from(move |a: Attempt| {
            let mut s: Store = (*progress.0).clone();
            s.upsert(a);
            save(&s);
            progress.set(Shared(Rc::new(s)));
        })
    };
    let set_progress = {
        let progress = progress.clone();
        let save = save_progress.clone();
        Callback::from(move |s: Store| {
            save(&s);
            progress.set(Shared(Rc::new(s)));
        })
    };
    let add_file = {
        let lib = lib.dispatcher();
        let notify = notify.clone();
        let lang = *lang;
        Callback::from(move |(name, src): (String, String)| {
            let lib = lib.clone();
            let notify = notify.clone();
            lib.dispatch(LibAction::Checking(1));
            wasm_bindgen_futures::spawn_local(async move {
                let c = check_file(lang, &name, &src).await;
                let id = c.scenario.as_ref().map(|s| s.id.clone());
                lib.dispatch(LibAction::Add(Box::new(c)));
                if let Some(id) = id {
                    let mut local: BTreeMap<String, String> = storage::load(storage::LOCAL_FILES)
                        .ok()
                        .flatten()
                        .unwrap_or_default();
                    local.insert(name, src);
                    if let Err(e) = storage::save(storage::LOCAL_FILES, &local) {
                        notify.emit(e);
                    }
                    route::go(&Route::Play(id));
                }
            });
        })
    };

    let ctx = Ctx {
        lang: *lang,
        lib: lib.lib.clone(),
        checking: lib.checking > 0,
        loaded: *loaded,
        engine: (*engine).clone(),
        progress: (*progress).clone(),
        notify,
        record,
        set_progress,
        add_file,
    };
    let on_lang = {
        let lang = lang.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            if let Some(l) = Lang::parse(&v) {
                route::set_query("lang", Some(l.code()));
                gloo::utils::document_element()
                    .set_attribute("lang", l.code())
                    .ok();
                lang.set(l);
            }
        })
    };
    let dismiss = {
        let notices = notices.clone();
        Callback::from(move |_| notices.set(Vec::new()))
    };
    gloo::utils::document_element()
        .set_attribute("lang", lang.code())
        .ok();
    let page = match &*route {
        Route::Library => html! { <library::LibraryPage /> },
        Route::Play(id) => {
            html! { <play::PlayPage id={id.clone()} key={format!("{id}-{}", lang.code())} /> }
        }
        Route::History => html! { <history::HistoryPage /> },
        Route::Exam => html! { <exam::ExamPage key={lang.code()} /> },
    };
    let tr = |k: &str| t(*lang, k);
    html! {
        <ContextProvider<Ctx> context={ctx}>
            <header class="top">
                <a class="brand" href="#/">{ tr("app.name") }</a>
                <nav aria-label={tr("nav.main")}>
                    <a href="#/" aria-current={(*route == Route::Library).then_some("page")}>{ tr("nav.library") }</a>
                    <a href="#/history" aria-current={(*route == Route::History).then_some("page")}>{ tr("nav.history") }</a>
                </nav>
                <label class="lang">
                    <span>{ tr("nav.language") }</span>
                    <select onchange={on_lang}>
                        { for [Lang::ZhHans, Lang::ZhHant, Lang::En].into_iter().map(|l| html! {
                            <option value={l.code()} selected={l == *lang}>{ l.native_name() }</option>
                        }) }
                    </select>
                </label>
            </header>
            if !notices.is_empty() {
                <div class="notice" role="alert">
                    { for notices.iter().map(|n| html! { <p data-store-error={n.key()}>{ tr(n.key()) }</p> }) }
                    <button onclick={dismiss}>{ tr("store.dismiss") }</button>
                </div>
            }
            <main id="main">{ page }</main>
        </ContextProvider<Ctx>>
    }
}

/// The context, for components.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("App provides Ctx")
}
