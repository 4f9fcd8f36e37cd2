//! The browser shell: a Yew app over the pure core. It renders what `view`, `dialogue` and
//! `score` compute; its own logic is limited to effects (fetching the library, storage, timers,
//! files). One component per file. Built only with feature `csr`.

mod exam;
mod feedback;
mod history;
mod library;
mod play;
mod route;
mod storage;
mod summary;

use crate::i18n::t;
use crate::principles::Lang;
use crate::progress::{Attempt, Store};
use crate::view::{self, Library};
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

/// The library as shipped (`scenarios/index.json` lists the files, fetched all at once) plus
/// the trainer's own files.
async fn fetch_library() -> (Vec<(String, String)>, Vec<(String, Vec<String>)>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    let names = match fetch_text("scenarios/index.json").await {
        Ok(idx) => match serde_json::from_str::<Vec<String>>(&idx) {
            Ok(names) => names,
            Err(e) => {
                failed.push(("scenarios/index.json".into(), vec![e.to_string()]));
                Vec::new()
            }
        },
        Err(e) => {
            failed.push(("scenarios/index.json".into(), vec![e]));
            Vec::new()
        }
    };
    let fetched = futures::future::join_all(
        names
            .iter()
            .map(|n| async move { (n.clone(), fetch_text(&format!("scenarios/{n}")).await) }),
    )
    .await;
    for (n, got) in fetched {
        match got {
            Ok(src) => files.push((n, src)),
            Err(e) => failed.push((n, vec![e])),
        }
    }
    (files, failed)
}

/// Let the browser paint and handle input before the next piece of work.
async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        gloo::utils::window()
            .set_timeout_with_callback(&resolve)
            .ok();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.ok();
}

#[component]
pub fn App() -> Html {
    let lang = use_state(|| view::ui_lang(route::query("lang").as_deref(), &browser_langs()));
    let route = use_state(route::current);
    let lib = use_state(|| Shared(Rc::new(Library::default())));
    let loaded = use_state(|| false);
    let notices = use_state(Vec::<StoreError>::new);
    let progress = use_state(|| Shared(Rc::new(Store::default())));

    // Effects at start: follow the hash, read progress, fetch the library.
    {
        let route = route.clone();
        let lib = lib.clone();
        let loaded = loaded.clone();
        let notices = notices.clone();
        let progress = progress.clone();
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
                let (mut files, failed) = fetch_library().await;
                files.extend(local);
                // List the library at once; then play each file's sample replies (the
                // checker's own tests), one file per task so the page stays responsive. A
                // file whose samples fail moves to the broken list, as in `kefu check`.
                let mut l = Library::load_unverified(&files);
                l.broken.extend(failed);
                lib.set(Shared(Rc::new(l.clone())));
                loaded.set(true);
                let mut changed = false;
                for (name, src) in &files {
                    yield_to_browser().await;
                    changed |= !l.verify(name, src);
                }
                if changed {
                    lib.set(Shared(Rc::new(l)));
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
        let lib = lib.clone();
        let notify = notify.clone();
        Callback::from(move |(name, src): (String, String)| {
            let mut l: Library = (*lib.0).clone();
            if let Some(id) = l.add(&name, &src) {
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
            lib.set(Shared(Rc::new(l)));
        })
    };

    let ctx = Ctx {
        lang: *lang,
        lib: (*lib).clone(),
        loaded: *loaded,
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

/// Score one reply (the same code as `kefu score`), for measuring in the browser:
/// `window.kefuDojo.score_json(text, "zh-Hans")` returns the judgement as JSON.
#[wasm_bindgen]
pub fn score_json(text: &str, lang: &str) -> String {
    let l = Lang::parse(lang).unwrap_or(Lang::En);
    serde_json::to_string(&crate::score::score(text, l)).unwrap_or_default()
}
