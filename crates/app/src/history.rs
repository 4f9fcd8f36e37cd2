//! The history page: every saved attempt, the trend per principle (inline SVG), export (JSON,
//! CSV, xAPI), import (merge, no duplicates) and clearing (asks first).

use super::use_ctx;
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
    let message = use_state(|| None::<String>);
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
    let on_import = {
        let store = store.clone();
        let set = ctx.set_progress.clone();
        let message = message.clone();
        let reader = reader.clone();
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<web_sys::HtmlInputElement>();
            let Some(f) = input.files().and_then(|l| l.get(0)) else {
                return;
            };
            input.set_value("");
            let store = store.clone();
            let set = set.clone();
            let message = message.clone();
            let r = gloo::file::callbacks::read_as_text(&File::from(f), move |res| {
                let parsed = res
                    .map_err(|e| e.to_string())
                    .and_then(|t| Store::from_json(&t).map_err(|e| format!("{e:?}")));
                match parsed {
                    Ok(other) => {
                        let mut s: Store = (*store.0).clone();
                        let report = s.merge(other);
                        set.emit(s);
                        message.set(Some(tf(
                            lang,
                            "hist.imported",
                            &[("n", &report.added.to_string())],
                        )));
                    }
                    Err(e) => message.set(Some(e)),
                }
            });
            *reader.borrow_mut() = Some(r);
        })
    };
    let on_clear = {
        let set = ctx.set_progress.clone();
        let q = tr("hist.clear_confirm");
        Callback::from(move |_| {
            if gloo::utils::window()
                .confirm_with_message(&q)
                .unwrap_or(false)
            {
                set.emit(Store::default());
            }
        })
    };

    let mut attempts: Vec<_> = store.attempts.iter().collect();
    attempts.sort_by(|a, b| b.started_ms.total_cmp(&a.started_ms));
    let trend_ids: Vec<&str> = principles::all()
        .iter()
        .filter(|p| {
            !p.violation
                && store.attempts.iter().any(|a| {
                    a.turns
                        .iter()
                        .any(|t| t.principles.get(&p.id) == Some(&true))
                })
        })
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
            if let Some(m) = &*message { <p role="status" class="message">{ m.clone() }</p> }
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
                                <td>{ a.outcome.as_ref().map(|o| tr(&format!("outcome.{o}"))).unwrap_or_else(|| "…".into()) }</td>
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
