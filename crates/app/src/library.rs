//! The library page: a card per scenario with the trainee's best score, filters, random
//! practice, exam mode, and opening a local scenario file (picker or drag-and-drop).

use super::{route, use_ctx};
use kefu_core::i18n::tf;
use kefu_core::judgement::ScenarioKind;
use kefu_core::principles;
use kefu_core::scenario::{product_name, PRODUCTS};
use kefu_core::view::{kind_key, Card, Library, LISTED_KINDS};
use std::rc::Rc;
use yew::prelude::*;

/// Skeleton cards shown while the library's cards load.
const SKELETONS: usize = 6;

/// Read the files of a list and hand each to the app: its text, or `None` when it is not UTF-8
/// (GBK or Big5 read as UTF-8 would be checked as replacement characters, with misleading
/// errors; the checker's own message says what to do, as `kefu check` does).
fn read_files(files: Option<web_sys::FileList>, add: Callback<(String, Option<String>)>) {
    use wasm_bindgen::JsCast;
    let Some(list) = files else { return };
    for i in 0..list.length() {
        let Some(file) = list.get(i) else { continue };
        let name = file.name();
        // A file over the checker's limit is read no further than just past it (a 1.5 GB file
        // is never loaded whole): the checker refuses it with its size message.
        let limit = kefu_core::scenario::MAX_FILE_BYTES as f64;
        let cut = file.size() > limit;
        let blob: web_sys::Blob = if cut {
            match file.slice_with_f64_and_f64(0.0, limit + 1.0) {
                Ok(b) => b,
                Err(_) => file.into(),
            }
        } else {
            file.into()
        };
        let add = add.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let text = match wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await {
                Ok(buf) => {
                    let bytes = js_sys::Uint8Array::new(&buf).to_vec();
                    match String::from_utf8(bytes) {
                        Ok(t) => Some(t),
                        // Cut inside a char at the limit: the checker still refuses its size.
                        Err(e) if cut && e.utf8_error().error_len().is_none() => {
                            let valid = e.utf8_error().valid_up_to();
                            let mut bytes = e.into_bytes();
                            bytes.truncate(valid);
                            String::from_utf8(bytes).ok()
                        }
                        Err(_) => None,
                    }
                }
                Err(e) => Some(format!(
                    "# could not read the file: {}",
                    String::from(e.unchecked_into::<js_sys::Error>().to_string())
                )),
            };
            add.emit((name, text));
        });
    }
}

/// Whether the product filter applies with `kind`: only product questions are about a
/// product, so with another kind it offers none (objection with a product showed an empty
/// library). A plain rule rather than the cards' products: the first load's bytes (#17).
fn has_products(kind: Option<ScenarioKind>) -> bool {
    kind.is_none_or(|k| k == ScenarioKind::Product)
}

#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    /// `#/practise/ID`: only the scenarios whose turns expect this principle.
    #[prop_or_default]
    pub principle: Option<String>,
}

#[component]
pub fn LibraryPage(props: &LibraryProps) -> Html {
    let ctx = use_ctx();
    // The filters are in the URL (`?kind=`, `?product=`): a reload or Back finds them as left.
    let kind = use_state(|| {
        route::query("kind").and_then(|v| LISTED_KINDS.into_iter().find(|k| k.id() == v))
    });
    // A product with a kind that is about none (a link made before, `?kind=objection&product=…`)
    // is dropped: the kind's scenarios show, not an empty library.
    let product =
        use_state(|| route::query("product").filter(|v| !v.is_empty() && has_products(*kind)));
    let dragging = use_state(|| false);
    let tr = |k: &str| ctx.t(k);
    let lang = ctx.lang;

    let on_kind = {
        let kind = kind.clone();
        let product = product.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let k = LISTED_KINDS.into_iter().find(|k| k.id() == v);
            route::set_query("kind", k.map(ScenarioKind::id));
            kind.set(k);
            // A product goes back to "All" with a kind that is about none (objection with a
            // product showed an empty library): the kind chosen shows its scenarios.
            if !has_products(k) && product.is_some() {
                route::set_query("product", None);
                product.set(None);
            }
        })
    };
    let on_product = {
        let product = product.clone();
        Callback::from(move |e: Event| {
            let v = e
                .target_unchecked_into::<web_sys::HtmlSelectElement>()
                .value();
            let v = (!v.is_empty()).then_some(v);
            route::set_query("product", v.as_deref());
            product.set(v);
        })
    };
    // The selects show the filters applied (the browser may keep a choice of its own across
    // re-renders otherwise): set after each render.
    let kind_sel = use_node_ref();
    let product_sel = use_node_ref();
    {
        let (ks, ps) = (kind_sel.clone(), product_sel.clone());
        let k = kind.map_or("", ScenarioKind::id);
        let p = (*product).clone().unwrap_or_default();
        use_effect(move || {
            if let Some(s) = ks.cast::<web_sys::HtmlSelectElement>() {
                s.set_value(k);
            }
            if let Some(s) = ps.cast::<web_sys::HtmlSelectElement>() {
                s.set_value(&p);
            }
        });
    }
    let practise = props.principle.clone();
    let wanted = move |s: &&Rc<Card>| practise.as_ref().is_none_or(|p| s.expects(p));
    let shown: Vec<_> = ctx
        .lib
        .filtered(*kind, product.as_deref())
        .into_iter()
        .filter(&wanted)
        .collect();
    let on_random = {
        let lib = ctx.lib.clone();
        let kind = *kind;
        let product = (*product).clone();
        let wanted = wanted.clone();
        Callback::from(move |_| {
            let pool: Vec<_> = lib
                .filtered(kind, product.as_deref())
                .into_iter()
                .filter(&wanted)
                .collect();
            if let Some(s) = Library::random_pick(&pool, route::fresh_seed()) {
                route::go(&route::Route::Play(s.id.clone()));
            }
        })
    };
    let on_pick = {
        let add = ctx.add_file.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            read_files(input.files(), add.clone());
            input.set_value("");
        })
    };
    let on_drop = {
        let add = ctx.add_file.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            read_files(e.data_transfer().and_then(|d| d.files()), add.clone());
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    // The products offered with the kind chosen, and the one chosen whatever it is (the
    // select shows what filters).
    let products: Vec<&str> = PRODUCTS
        .iter()
        .map(|p| p.0)
        .filter(|p| has_products(*kind) || product.as_deref() == Some(*p))
        .collect();
    let best = ctx.progress.best_scores();
    // A file the trainer just opened failed: its errors are shown at the top of the page,
    // and focus moves there (the trainer sees at once what is wrong, and where).
    {
        let n = ctx.opened_broken.clone();
        use_effect_with(n, |n| {
            if let Some((n, _)) = n {
                let el = gloo::utils::document()
                    .get_element_by_id(&format!("opened-broken-{n}"))
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
                if let Some(el) = el {
                    // The whole alert (its heading too) comes into view; focus goes to the file.
                    if let Some(section) = el.closest(".broken").ok().flatten() {
                        section.scroll_into_view();
                    }
                    let opts = web_sys::FocusOptions::new();
                    opts.set_prevent_scroll(true);
                    let _ = el.focus_with_options(&opts);
                }
            }
        });
    }
    // A pointer over a card, a touch or focus on one: fetch its scenario now, so it starts
    // without waiting for it when opened (a few KB, not the whole library).
    let want = &ctx.want_card;
    let cards = shown.iter().map(|s| {
        let title = s.title.get(s.play_lang(lang)).to_string();
        let product = s.product.as_deref().and_then(|p| product_name(p, lang));
        let best = best
            .get(&s.id)
            .map(|b| tf(lang, "lib.best", &[("score", &b.to_string())]));
        let local = ctx.local.iter().find(|f| f.id.as_deref() == Some(s.id.as_str()));
        html! {
            <li class="card" data-kind={kind_key(s.kind)}
                onpointerover={want.reform({ let id = s.id.clone(); move |_: PointerEvent| id.clone() })}
                onfocusin={want.reform({ let id = s.id.clone(); move |_: FocusEvent| id.clone() })}
                ontouchstart={want.reform({ let id = s.id.clone(); move |_: TouchEvent| id.clone() })}>
                <a href={format!("#/play/{}", s.id)}>
                    <h2>{ title }</h2>
                </a>
                <p class="meta">
                    <span class="tag">{ tr(kind_key(s.kind)) }</span>
                    if let Some(p) = product { <span class="tag">{ p }</span> }
                    <span>{ tf(lang, "lib.difficulty", &[("n", &s.difficulty.to_string())]) }</span>
                    <span>{ tf(lang, "lib.minutes", &[("n", &s.minutes.to_string())]) }</span>
                    if let Some(b) = best { <span class="best">{ b }</span> }
                    if let Some(f) = local {
                        <span class="tag local" data-local={f.file.clone()}
                            title={tf(lang, if f.replaces_shipped { "lib.local_replaces" } else { "lib.local_title" }, &[("file", &f.file), ("id", &s.id)])}>
                            { tr("lib.local") }</span>
                    }
                </p>
                <p class="brief">{ s.brief.get(s.play_lang(lang)).to_string() }</p>
            </li>
        }
    });
    html! {
        <section class={classes!("library", dragging.then_some("dragging"))}
            ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
            if let Some(name) = props.principle.as_ref().map(|p| principles::get(p).map_or(p.clone(), |x| x.name.get(lang).to_string())) {
                <h1>{ tf(lang, "practise.title", &[("principle", &name)]) }</h1>
                <p class="tagline">{ tf(lang, "practise.intro", &[("principle", &name)]) }{ " " }<a href="#/">{ tr("practise.all") }</a></p>
            } else {
                <h1>{ tr("nav.library") }</h1>
                <p class="tagline">{ tr("app.tagline") }</p>
            }
            <BrokenFiles lib={ctx.lib.clone()} opened={ctx.opened_broken.clone()} />
            <div class="toolbar">
                <label>{ tr("lib.filter.kind") }
                    <select onchange={on_kind} ref={kind_sel}>
                        <option value="" selected={kind.is_none()}>{ tr("lib.filter.all") }</option>
                        { for LISTED_KINDS.into_iter().map(|k| html! {
                            <option value={k.id()} selected={*kind == Some(k)}>{ tr(kind_key(k)) }</option>
                        }) }
                    </select>
                </label>
                <label>{ tr("lib.filter.product") }
                    <select onchange={on_product} ref={product_sel} disabled={products.is_empty() && product.is_none()}>
                        <option value="" selected={product.is_none()}>{ tr("lib.filter.all") }</option>
                        { for products.iter().map(|&p| html! {
                            <option value={p} selected={product.as_deref() == Some(p)}>{ product_name(p, lang).unwrap_or(p) }</option>
                        }) }
                    </select>
                </label>
                <button onclick={on_random} disabled={shown.is_empty()}>{ tr("lib.random") }</button>
                <a class="button" href="#/exam">{ tr("lib.exam") }</a>
            </div>
            // Until the cards arrive, skeleton cards hold their place (and the page's height), so
            // nothing moves when they come; the status is for screen readers. The two lists have
            // keys: the cards replace the skeletons (new elements) instead of reshaping them,
            // which the browser would count as layout shift.
            if !ctx.listed {
                <p role="status" class="visually-hidden">{ tr("lib.loading") }</p>
                <ul class="cards loading" aria-hidden="true" key="skeletons">
                    { for (0..SKELETONS).map(|_| html! { <li class="skeleton"></li> }) }
                </ul>
            } else {
                // Always there once listed, so a filter's result is told (the count heard, not
                // seen: the cards show it), the empty case seen too.
                <p role="status" key="count" class={classes!("lib-count", (!shown.is_empty()).then_some("visually-hidden"))}>
                    { if shown.is_empty() { tr("lib.empty") } else { tf(ctx.lang, "lib.count", &[("n", &shown.len().to_string())]) } }
                </p>
                <ul class="cards" key="cards">{ for cards }</ul>
            }
            <div class="open-file">
                <label class="button">{ tr("lib.open_file") }
                    <input type="file" accept=".toml,text/plain" onchange={on_pick} class="visually-hidden" />
                </label>
                <span>{ tr("lib.drop_hint") }</span>
                if ctx.checking == 1 {
                    <p role="status">{ tr("lib.checking") }</p>
                } else if ctx.checking > 1 {
                    <p role="status">{ tf(ctx.lang, "lib.checking_n", &[("n", &ctx.checking.to_string())]) }</p>
                }
            </div>
            <LocalFiles />
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct BrokenProps {
    pub lib: super::Shared<Library>,
    /// The file the trainer just opened, if it failed: `(number, file)`; it is listed first
    /// and takes focus.
    pub opened: Option<(u32, String)>,
}

/// Files that failed the checker, with every message (the same as `kefu check`:
/// `FILE:LINE:COLUMN: error: …` and its suggestion), at the top of the library.
#[component]
pub fn BrokenFiles(p: &BrokenProps) -> Html {
    let ctx = use_ctx();
    if p.lib.broken.is_empty() {
        return html! {};
    }
    let opened = p.opened.as_ref();
    let mut files: Vec<&(String, Vec<String>)> = p.lib.broken.iter().collect();
    files.sort_by_key(|(f, _)| opened.is_none_or(|(_, o)| o != f));
    let is_local = |f: &str| ctx.local.iter().any(|l| l.file == f);
    html! {
        <section class="broken" role="alert" aria-label={ctx.t("lib.broken")}>
            <h2>{ ctx.t("lib.broken") }</h2>
            { for files.into_iter().map(|(file, lines)| {
                let this = opened.filter(|(_, o)| o == file);
                let remove = {
                    let cb = ctx.remove_local.clone();
                    let f = file.clone();
                    Callback::from(move |_| cb.emit(f.clone()))
                };
                html! {
                    <div class="broken-file" data-file={file.clone()}
                        id={this.map(|(n, _)| format!("opened-broken-{n}"))}
                        tabindex={this.map(|_| "-1")}>
                        <p>{ tf(ctx.lang, "file.errors", &[("file", file)]) }</p>
                        <pre>{ lines.join("\n") }</pre>
                        if is_local(file) {
                            <button type="button" onclick={remove}>{ tf(ctx.lang, "lib.local_remove", &[("file", file)]) }</button>
                        }
                    </div>
                }
            }) }
        </section>
    }
}

/// The trainer's own files kept in this browser: each can be removed (a shipped scenario it
/// replaced comes back).
#[component]
pub fn LocalFiles() -> Html {
    let ctx = use_ctx();
    if ctx.local.is_empty() {
        return html! {};
    }
    let lang = ctx.lang;
    html! {
        <section class="local-files" aria-labelledby="local-files-title">
            <h2 id="local-files-title">{ ctx.t("lib.local_files") }</h2>
            <ul>
                { for ctx.local.iter().map(|f| {
                    let remove = {
                        let cb = ctx.remove_local.clone();
                        let name = f.file.clone();
                        Callback::from(move |_| cb.emit(name.clone()))
                    };
                    let what = match (&f.id, f.replaces_shipped) {
                        (Some(id), true) => tf(lang, "lib.local_replaces", &[("file", &f.file), ("id", id)]),
                        (Some(id), false) => tf(lang, "lib.local_adds", &[("file", &f.file), ("id", id)]),
                        (None, _) => tf(lang, "lib.local_broken", &[("file", &f.file)]),
                    };
                    html! {
                        <li data-local-file={f.file.clone()}>
                            <span>{ what }</span>{ " " }
                            <button type="button" onclick={remove}>{ tf(lang, "lib.local_remove", &[("file", &f.file)]) }</button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}
