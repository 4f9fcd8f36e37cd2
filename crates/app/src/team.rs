//! The trainer's dashboard (`#/team`): a cohort read from an LRS (a trainer's credentials) or
//! from trainees' exported files, shown as `kefu_core::cohort` computes it — trainees ×
//! principles grid, weakest principles, scenario pass rates, each trainee's scores over time
//! (inline SVG), one trainee's attempts turn by turn, filters, CSV.

use super::use_ctx;
use gloo::file::{callbacks::FileReader, File};
use kefu_core::cohort::{Cohort, Filter, Kind, Rate, Report};
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::xapi::LrsConfig;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Every statement the LRS holds, page by page (`more`).
async fn read_lrs(c: &LrsConfig) -> Result<Vec<serde_json::Value>, String> {
    let origin = {
        let e = c.endpoint.trim();
        let rest = e.split_once("://").map_or(e, |x| x.1);
        let host = rest.split('/').next().unwrap_or_default();
        format!("{}://{host}", e.split_once("://").map_or("https", |x| x.0))
    };
    let mut url = format!("{}?limit=500", c.statements_url());
    let mut all = Vec::new();
    for _ in 0..1000 {
        let mut req =
            gloo::net::http::Request::get(&url).header("X-Experience-API-Version", "1.0.3");
        if let Some(a) = c.authorization() {
            req = req.header("Authorization", &a);
        }
        let r = req.send().await.map_err(|e| e.to_string())?;
        if !r.ok() {
            return Err(format!("HTTP {}", r.status()));
        }
        let v: serde_json::Value = r.json().await.map_err(|e| e.to_string())?;
        if let Some(a) = v["statements"].as_array() {
            all.extend(a.iter().cloned());
        }
        match v["more"].as_str().filter(|m| !m.is_empty()) {
            Some(m) if m.starts_with('/') => url = format!("{origin}{m}"),
            Some(m) => url = m.to_string(),
            None => break,
        }
    }
    Ok(all)
}

fn ms_of_date(s: &str, end: bool) -> Option<f64> {
    if s.is_empty() {
        return None;
    }
    let d = js_sys::Date::parse(&format!("{s}T00:00:00Z"));
    (!d.is_nan()).then_some(d + if end { 86_400_000.0 } else { 0.0 })
}

/// A cell's colour: red (0) to green (1).
fn heat(r: Rate) -> String {
    match r.value() {
        Some(v) => format!("background:hsl({:.0},70%,80%)", v * 120.0),
        None => String::new(),
    }
}

/// Scores over time as a small inline SVG line.
fn spark(scores: &[(f64, u8)]) -> Html {
    let (w, h) = (120.0, 24.0);
    let n = scores.len().max(2) - 1;
    let pts: Vec<String> = scores
        .iter()
        .enumerate()
        .map(|(i, (_, s))| {
            format!(
                "{:.1},{:.1}",
                i as f64 * w / n as f64,
                h - f64::from(*s) / 100.0 * h
            )
        })
        .collect();
    html! {
        <svg class="spark" width="120" height="24" viewBox="0 0 120 24" role="img"
            aria-label={scores.iter().map(|s| s.1.to_string()).collect::<Vec<_>>().join(" ")}>
            <polyline points={pts.join(" ")} fill="none" stroke="currentColor" stroke-width="1.5" />
        </svg>
    }
}

#[component]
pub fn TeamPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    let cohort = use_state(|| Rc::new(Cohort::default()));
    let status = use_state(|| None::<String>);
    let filter = use_state(Filter::default);
    let open = use_state(|| None::<String>);
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let (endpoint, user, pass) = (use_node_ref(), use_node_ref(), use_node_ref());
    let (from, to) = (use_node_ref(), use_node_ref());
    let report: Rc<Report> = {
        let c = cohort.clone();
        let f = (*filter).clone();
        Rc::new(c.report(&f))
    };

    let load_lrs = {
        let (cohort, status) = (cohort.clone(), status.clone());
        let refs = (endpoint.clone(), user.clone(), pass.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let c = LrsConfig::basic(&value(&refs.0), &value(&refs.1), &value(&refs.2));
            if let Err(e) = c.check() {
                status.set(Some(e));
                return;
            }
            let (cohort, status) = (cohort.clone(), status.clone());
            status.set(Some(kefu_core::i18n::t(lang, "team.loading")));
            wasm_bindgen_futures::spawn_local(async move {
                match read_lrs(&c).await {
                    Ok(st) => {
                        let mut next = (**cohort).clone();
                        next.add_statements(&st);
                        status.set(Some(tf(
                            lang,
                            "team.loaded",
                            &[("n", &st.len().to_string())],
                        )));
                        cohort.set(Rc::new(next));
                    }
                    Err(e) => status.set(Some(tf(lang, "team.lrs_failed", &[("error", &e)]))),
                }
            });
        })
    };
    let on_files = {
        let (cohort, status, readers) = (cohort.clone(), status.clone(), readers.clone());
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(list) = input.files() else { return };
            for i in 0..list.length() {
                let Some(f) = list.get(i) else { continue };
                let name = f.name();
                let (cohort, status) = (cohort.clone(), status.clone());
                let r = gloo::file::callbacks::read_as_text(&File::from(f), move |res| {
                    let mut next = (**cohort).clone();
                    let msg = match res
                        .map_err(|e| e.to_string())
                        .and_then(|t| next.add_file(&t, &name).map_err(|e| e.message(lang)))
                    {
                        Ok(n) => tf(
                            lang,
                            "team.file_read",
                            &[("file", &name), ("n", &n.to_string())],
                        ),
                        Err(e) => format!("{name}: {e}"),
                    };
                    status.set(Some(msg));
                    cohort.set(Rc::new(next));
                });
                readers.borrow_mut().push(r);
            }
        })
    };
    let on_filter = {
        let (filter, from, to) = (filter.clone(), from.clone(), to.clone());
        Callback::from(move |e: Event| {
            let mut f = (*filter).clone();
            if let Some(s) = e.target_dyn_into::<HtmlSelectElement>() {
                match s.name().as_str() {
                    "scenario" => f.scenario = Some(s.value()).filter(|v| !v.is_empty()),
                    _ => {
                        f.kind = match s.value().as_str() {
                            "practice" => Kind::Practice,
                            "exam" => Kind::Exam,
                            _ => Kind::All,
                        }
                    }
                }
            }
            f.from_ms = ms_of_date(&value(&from), false);
            f.to_ms = ms_of_date(&value(&to), true);
            filter.set(f);
        })
    };
    let csv = {
        let report = report.clone();
        Callback::from(move |_| super::download("kefu-dojo-team.csv", "text/csv", &report.to_csv()))
    };
    let pname =
        |id: &str| principles::get(id).map_or(id.to_string(), |p| p.name.get(lang).to_string());
    let pct = |r: Rate| {
        r.value()
            .map_or("–".to_string(), |v| format!("{:.0}%", v * 100.0))
    };
    let drill = (*open)
        .as_ref()
        .and_then(|k| cohort.trainees.iter().find(|t| &t.key == k));
    html! {
        <section class="team">
            <h1>{ tr("team.title") }</h1>
            <form onsubmit={load_lrs} aria-label={tr("team.from_lrs")}>
                <h2>{ tr("team.from_lrs") }</h2>
                <label>{ tr("settings.endpoint") }<input ref={endpoint} type="url" name="endpoint" /></label>
                <label>{ tr("settings.user") }<input ref={user} name="username" autocomplete="off" /></label>
                <label>{ tr("settings.pass") }<input ref={pass} type="password" name="password" autocomplete="off" /></label>
                <button type="submit">{ tr("team.load") }</button>
            </form>
            <label class="files">{ tr("team.files") }
                <input type="file" multiple=true accept=".json,application/json" onchange={on_files} />
            </label>
            if let Some(s) = &*status { <p role="status">{ s.clone() }</p> }
            <fieldset class="filters" onchange={on_filter}>
                <legend>{ tr("team.filters") }</legend>
                <label>{ tr("team.from") }<input ref={from} type="date" /></label>
                <label>{ tr("team.to") }<input ref={to} type="date" /></label>
                <label>{ tr("team.scenario") }
                    <select name="scenario">
                        <option value="">{ tr("team.all") }</option>
                        { for report.all_scenarios.iter().map(|(id, title)| html! {
                            <option value={id.clone()} selected={filter.scenario.as_ref() == Some(id)}>{ title.clone() }</option>
                        }) }
                    </select>
                </label>
                <label>{ tr("team.kind") }
                    <select name="kind">
                        <option value="all">{ tr("team.all") }</option>
                        <option value="practice">{ tr("team.practice") }</option>
                        <option value="exam">{ tr("team.exam") }</option>
                    </select>
                </label>
            </fieldset>
            <button onclick={csv} disabled={report.rows.is_empty()}>{ tr("team.csv") }</button>
            <h2>{ tr("team.grid") }</h2>
            <table class="heat" data-trainees={report.rows.len().to_string()}>
                <thead><tr>
                    <th>{ tr("team.trainee") }</th><th>{ tr("team.passed") }</th><th>{ tr("team.progress") }</th>
                    { for report.principles.iter().map(|p| html! { <th>{ pname(p) }</th> }) }
                </tr></thead>
                <tbody>
                { for report.rows.iter().map(|r| {
                    let key = r.key.clone();
                    let open = open.clone();
                    let onclick = Callback::from(move |_| open.set(Some(key.clone())));
                    html! {
                        <tr data-trainee={r.key.clone()}>
                            <th><button class="link" {onclick}>{ r.name.clone() }</button></th>
                            <td>{ format!("{}/{}", r.passed, r.finished) }</td>
                            <td>{ spark(&r.scores) }</td>
                            { for r.cells.iter().zip(&report.principles).map(|(c, p)| html! {
                                <td style={heat(*c)} data-principle={p.clone()} data-good={c.good.to_string()} data-of={c.of.to_string()}>{ pct(*c) }</td>
                            }) }
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            <h2>{ tr("team.weakest") }</h2>
            <ol class="weakest">
                { for report.weakest.iter().take(5).map(|(p, r)| html! { <li data-principle={p.clone()}>{ format!("{} {}", pname(p), pct(*r)) }</li> }) }
            </ol>
            <h2>{ tr("team.scenarios") }</h2>
            <table class="scenarios">
                <thead><tr><th>{ tr("team.scenario") }</th><th>{ tr("team.attempts") }</th><th>{ tr("team.passed") }</th><th>{ tr("team.outcomes") }</th></tr></thead>
                <tbody>{ for report.scenarios.iter().map(|s| html! {
                    <tr data-scenario={s.id.clone()}>
                        <td>{ s.title.clone() }</td><td>{ s.attempts }</td>
                        <td>{ format!("{}/{}", s.passed, s.finished) }</td>
                        <td>{ s.outcomes.iter().map(|(o, n)| format!("{} {n}", kefu_core::i18n::t(lang, &format!("outcome.{o}")))).collect::<Vec<_>>().join(" · ") }</td>
                    </tr>
                }) }</tbody>
            </table>
            if let Some(t) = drill {
                <section class="drill" aria-label={t.name.clone()}>
                    <h2>{ t.name.clone() }</h2>
                    { for t.store.attempts.iter().filter(|a| filter.keeps(a)).map(|a| html! {
                        <details>
                            <summary>{ format!("{} · {} · {}", kefu_core::progress::iso_time(a.started_ms).get(..16).unwrap_or_default(), a.title, a.score()) }</summary>
                            <ol>{ for a.turns.iter().map(|turn| html! {
                                <li>
                                    <p class="customer">{ turn.customer.clone() }</p>
                                    <p class="agent">{ turn.reply.clone() }</p>
                                    <p class="hits">{ turn.principles.iter().map(|(k, v)| format!("{}{}", if *v { "✓" } else { "✗" }, pname(k))).collect::<Vec<_>>().join(" ") }</p>
                                </li>
                            }) }</ol>
                        </details>
                    }) }
                </section>
            }
        </section>
    }
}
