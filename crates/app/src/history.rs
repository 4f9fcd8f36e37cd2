//! The history page: every saved attempt, the trend per principle (inline SVG), export (JSON,
//! CSV, xAPI), import (merge, no duplicates) and clearing (asks first).

use super::{use_ctx, AppAction, ImportResult};
use gloo::file::{callbacks::FileReader, File};
use kefu_core::chart;
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::progress::Store;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Offer `body` as a download named `name`.
fn download(name: &str, mime: &str, body: &str) {
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

fn date_of(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    let iso: String = d.to_iso_string().into();
    iso.chars().take(16).collect::<String>().replace('T', " ")
}

#[component]
pub fn HistoryPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let reader = use_mut_ref(|| None::<FileReader>);
    let store = ctx.progress.clone();

    let export = |kind: &'static str| {
        let store = store.clone();
        Callback::from(move |_| match kind {
            "json" => download(
                "kefu-dojo-results.json",
                "application/json",
                &store.to_json(),
            ),
            "csv" => download("kefu-dojo-results.csv", "text/csv", &store.to_csv()),
            _ => {
                let base = gloo::utils::window()
                    .location()
                    .origin()
                    .unwrap_or_default();
                let v = store.to_xapi("Kefu Dojo trainee", &format!("{base}/kefu-dojo"));
                download(
                    "kefu-dojo-xapi.json",
                    "application/json",
                    &serde_json::to_string_pretty(&v).unwrap_or_default(),
                );
            }
        })
    };
    // The file is read asynchronously; what it holds is merged by the app into its progress
    // as it is then (a reply saved meanwhile, here or in another tab, is kept).
    let on_import = {
        let app = ctx.dispatch.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let app = app.clone();
            let r = gloo::file::callbacks::read_as_text(&File::from(f), move |res| {
                app.emit(match res {
                    Ok(text) => AppAction::Import(Store::import(&text)),
                    Err(_) => AppAction::ImportUnreadable,
                });
            });
            *reader.borrow_mut() = Some(r);
        })
    };
    // Only the results of imports made on this visit of the page.
    let seen = use_state(|| ctx.import.as_ref().map_or(0, |x| x.0));
    let message = ctx
        .import
        .as_ref()
        .filter(|(n, _)| *n > *seen)
        .map(|(_, r)| match r {
            ImportResult::Merged(rep) => {
                tf(lang, "hist.imported", &[("n", &rep.added.to_string())])
            }
            ImportResult::Failed(e) => e.message(lang),
            ImportResult::Unreadable => tr("import.unreadable"),
        });
    let on_clear = {
        let app = ctx.dispatch.clone();
        let q = tr("hist.clear_confirm");
        Callback::from(move |_| {
            if gloo::utils::window()
                .confirm_with_message(&q)
                .unwrap_or(false)
            {
                app.emit(AppAction::Clear);
            }
        })
    };

    let mut attempts: Vec<_> = store.attempts.iter().collect();
    attempts.sort_by(|a, b| b.started_ms.total_cmp(&a.started_ms));
    let trend_ids: Vec<&str> = principles::all()
        .iter()
        // A principle no turn asked for has no trend (product facts in an angry run).
        .filter(|p| !p.violation && !store.principle_trend(p.id.as_str()).is_empty())
        .map(|p| p.id.as_str())
        .collect();
    html! {
        <section class="history">
            <h1>{ tr("hist.title") }</h1>
            <div class="toolbar">
                <button onclick={export("json")}>{ tr("hist.export_json") }</button>
                <button onclick={export("csv")}>{ tr("hist.export_csv") }</button>
                <button onclick={export("xapi")}>{ tr("hist.export_xapi") }</button>
                <label class="button">{ tr("hist.import") }
                    <input type="file" accept=".json,application/json" onchange={on_import} class="visually-hidden" />
                </label>
                <button onclick={on_clear} disabled={store.attempts.is_empty()}>{ tr("hist.clear") }</button>
            </div>
            <p role="status" class="message">{ message.unwrap_or_default() }</p>
            if attempts.is_empty() {
                <p>{ tr("hist.empty") }</p>
            } else {
                <table class="attempts">
                    <thead><tr>
                        <th scope="col">{ tr("hist.col.date") }</th>
                        <th scope="col">{ tr("hist.col.scenario") }</th>
                        <th scope="col">{ tr("hist.col.score") }</th>
                        <th scope="col">{ tr("hist.col.ending") }</th>
                    </tr></thead>
                    <tbody>
                        { for attempts.iter().map(|a| html! {
                            <tr data-attempt={a.id.clone()}>
                                <td>{ date_of(a.started_ms) }</td>
                                <td><a href={format!("#/play/{}", a.scenario)}>{ a.title.clone() }</a>{ if a.exam { " ★" } else { "" } }</td>
                                <td>{ a.score() }</td>
                                <td>{ a.outcome.map(|o| tr(&format!("outcome.{}", o.id()))).unwrap_or_else(|| "…".into()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <h2>{ tr("hist.trend") }</h2>
                <div class="trends">
                    { for trend_ids.iter().map(|id| {
                        let pts = store.principle_trend(id);
                        let t = chart::trend(&pts, 220.0, 60.0);
                        let name = principles::get(id).map_or(id.to_string(), |p| p.name.get(lang).to_string());
                        html! {
                            <figure class="trend" data-principle={id.to_string()}>
                                <svg viewBox="-4 -4 228 68" role="img" aria-label={name.clone()}>
                                    <line class="axis" x1="0" y1="60" x2="220" y2="60" />
                                    <path d={t.path.clone()} />
                                    { for t.dots.iter().map(|(x, y)| html! { <circle cx={x.to_string()} cy={y.to_string()} r="3" /> }) }
                                </svg>
                                <figcaption>{ name }</figcaption>
                            </figure>
                        }
                    }) }
                </div>
            }
        </section>
    }
}
