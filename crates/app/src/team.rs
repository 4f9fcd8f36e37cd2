//! The trainer's dashboard (`#/team`): a cohort read from an LRS (a trainer's credentials) or
//! from trainees' exported files, shown as `kefu_core::cohort` computes it — trainees ×
//! principles grid, weakest principles, scenario pass rates, each trainee's scores over time
//! (inline SVG), one trainee's attempts turn by turn, filters, CSV.

use super::use_ctx;
use gloo::file::File;
use kefu_core::cohort::{Cohort, Filter, Kind, Rate, Read, Report};
use kefu_core::i18n::tf;
use kefu_core::principles;
use kefu_core::xapi::LrsConfig;
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

fn value(r: &NodeRef) -> String {
    r.cast::<HtmlInputElement>()
        .map(|i| i.value())
        .unwrap_or_default()
}

/// Why the LRS could not be read: a catalogue message each.
enum ReadError {
    /// It answered with this HTTP status.
    Status(u16),
    /// No answer (down, wrong address, or it refused this origin).
    Unreachable,
    /// An answer that is not a statement result.
    NotJson,
}

impl ReadError {
    fn message(&self, lang: kefu_core::principles::Lang) -> String {
        match self {
            ReadError::Status(s) => tf(lang, "team.lrs_status", &[("status", &s.to_string())]),
            ReadError::Unreachable => kefu_core::i18n::t(lang, "team.lrs_unreachable"),
            ReadError::NotJson => kefu_core::i18n::t(lang, "team.lrs_not_json"),
        }
    }
}

/// Most pages read from an LRS (Ralph gives at most 100 statements a page): past it the
/// dashboard says it stopped, with what it read.
const MAX_PAGES: usize = 2000;
/// Statements added to the cohort between two yields to the browser (whole trainees: see
/// `cohort::by_trainee`), so no task runs long while a large read is added.
const CHUNK: usize = 2000;

/// Let the browser run (paint, input) before going on: a macrotask (`setTimeout(0)`).
async fn yield_to_browser() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Every statement the LRS holds, oldest first (`ascending`), page by page (`more`), at most
/// `MAX_PAGES` pages; `progress` is told the count as pages arrive. Returns the statements and
/// whether it stopped before the end.
async fn read_lrs(
    c: &LrsConfig,
    progress: impl Fn(usize),
) -> Result<(Vec<serde_json::Value>, bool), ReadError> {
    let origin = {
        let e = c.endpoint.trim();
        let rest = e.split_once("://").map_or(e, |x| x.1);
        let host = rest.split('/').next().unwrap_or_default();
        format!("{}://{host}", e.split_once("://").map_or("https", |x| x.0))
    };
    let mut url = format!("{}?limit=500&ascending=true", c.statements_url());
    let mut all = Vec::new();
    for page in 0..MAX_PAGES {
        let mut req =
            gloo::net::http::Request::get(&url).header("X-Experience-API-Version", "1.0.3");
        if let Some(a) = c.authorization() {
            req = req.header("Authorization", &a);
        }
        let r = req.send().await.map_err(|_| ReadError::Unreachable)?;
        if !r.ok() {
            return Err(ReadError::Status(r.status()));
        }
        let mut v: serde_json::Value = r.json().await.map_err(|_| ReadError::NotJson)?;
        match v["statements"].as_array_mut() {
            Some(a) => all.append(a),
            None => return Err(ReadError::NotJson),
        }
        if page % 10 == 9 {
            progress(all.len());
        }
        match v["more"].as_str().filter(|m| !m.is_empty()) {
            Some(m) if m.starts_with('/') => url = format!("{origin}{m}"),
            Some(m) => url = m.to_string(),
            None => return Ok((all, false)),
        }
    }
    Ok((all, true))
}

/// Add `stmts` to the cohort, grouped by trainee `CHUNK` statements at a time and then added
/// a few trainees at a time, yielding to the browser after each piece; `changed` once at the
/// end (drawing the growing grid after each piece made a 98 MB file take 8.9 s to the grid
/// instead of 3.7). Returns the attempts the statements hold.
async fn add_in_chunks(
    cohort: &Rc<RefCell<Cohort>>,
    stmts: &[serde_json::Value],
    changed: &dyn Fn(),
) -> Read {
    let mut grouping = kefu_core::cohort::Grouping::default();
    for piece in stmts.chunks(CHUNK) {
        grouping.add(piece);
        yield_to_browser().await;
    }
    let mut read = Read::default();
    let mut since = 0;
    for g in grouping.groups() {
        since += g.statements.len();
        read.extend(cohort.borrow_mut().add_group(g));
        if since >= CHUNK {
            since = 0;
            yield_to_browser().await;
        }
    }
    changed();
    read
}

/// Bytes of a file read (and checked as UTF-8) in one task: a cohort's xAPI file can be
/// ~100 MB, which read at once held the page for a copy and a check of the whole.
const PIECE: u64 = 4 << 20;

/// A file's text, read `PIECE` bytes at a time; `None` when it cannot be read or is not UTF-8.
async fn read_text(file: &File) -> Option<String> {
    let size = file.size();
    let mut text = String::new();
    // Room for the whole text at once if the allocator grants it (a refusal is not an abort:
    // the text then grows as it is read).
    let _ = text.try_reserve(usize::try_from(size).unwrap_or(0));
    // The bytes of a char that a piece cut in two, carried to the next piece.
    let mut tail: Vec<u8> = Vec::new();
    let mut at = 0;
    while at < size {
        let end = size.min(at + PIECE);
        let blob: &web_sys::Blob = file.as_ref();
        let piece = blob.slice_with_f64_and_f64(at as f64, end as f64).ok()?;
        let buf = wasm_bindgen_futures::JsFuture::from(piece.array_buffer())
            .await
            .ok()?;
        let mut bytes = js_sys::Uint8Array::new(&buf).to_vec();
        if !tail.is_empty() {
            tail.append(&mut bytes);
            bytes = std::mem::take(&mut tail);
        }
        match std::str::from_utf8(&bytes) {
            Ok(s) => text.push_str(s),
            // Cut inside a char: the rest comes with the next piece.
            Err(e) if e.error_len().is_none() && end < size => {
                let (done, rest) = bytes.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(done).ok()?);
                tail = rest.to_vec();
            }
            Err(_) => return None,
        }
        at = end;
    }
    Some(text)
}

/// One pick of files (or a folder) being read: what the status line sums up.
#[derive(Default)]
struct Batch {
    /// The files picked (a folder's JSON files), and those read so far (not those that could
    /// not be).
    total: usize,
    done: usize,
    /// The attempts the files read hold, each once (a trainee's JSON and xAPI exports hold
    /// the same attempts).
    attempts: Read,
    /// Each file that could not be read, with why.
    problems: Vec<String>,
}

/// What the status line says of a file read.
fn file_said(
    lang: kefu_core::principles::Lang,
    name: &str,
    r: Result<(usize, usize), kefu_core::progress::LoadError>,
) -> String {
    let key = match r {
        Ok((n, added)) if added < n && added > 0 => "team.file_some_new",
        Ok((n, 0)) if n > 0 => "team.file_known",
        _ => "team.file_read",
    };
    match r {
        Ok((n, added)) => tf(
            lang,
            key,
            &[
                ("file", name),
                ("n", &n.to_string()),
                ("new", &added.to_string()),
            ],
        ),
        Err(e) => format!("{name}{}{}", kefu_core::i18n::colon(lang), e.message(lang)),
    }
}

/// The statements of an xAPI export (an array whose first element has a `verb`), parsed
/// `CHUNK` at a time, yielding to the browser between; `None` when `text` is not one (a JSON
/// export, or an older store's bare array of attempts).
async fn read_statements(
    text: &str,
) -> Option<Result<Vec<serde_json::Value>, kefu_core::progress::LoadError>> {
    let mut chunks = kefu_core::cohort::ArrayChunks::new(text)?;
    let mut all: Vec<serde_json::Value> = Vec::new();
    while let Some(c) = chunks.next_chunk(CHUNK) {
        let mut c = match c {
            Ok(c) => c,
            Err(e) => return Some(Err(e)),
        };
        if all.is_empty() && c.first().is_none_or(|x| x.get("verb").is_none()) {
            return None;
        }
        all.append(&mut c);
        yield_to_browser().await;
    }
    (!all.is_empty()).then_some(Ok(all))
}

/// The shipped scenarios' titles in every language (id → language code → title), from the
/// cards index.html carries (`kefu prerender`): the dashboard names a scenario in the UI's
/// language, whatever language each trainee played it in. Empty where the page has none.
fn shipped_titles() -> std::collections::BTreeMap<String, serde_json::Value> {
    let text = super::inline_cards().unwrap_or_default();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    let mut out = std::collections::BTreeMap::new();
    for c in v["cards"].as_array().into_iter().flatten() {
        if let Some(id) = c["id"].as_str() {
            out.insert(id.to_string(), c["title"].clone());
        }
    }
    out
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

/// Scores over time as a small inline SVG line: x is the time each attempt started (the first
/// at the left, the last at the right), y the score; one attempt is a dot.
fn spark(scores: &[(f64, u8)]) -> Html {
    let (w, h, pad) = (120.0, 24.0, 2.0);
    let (t0, t1) = scores
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), s| {
            (a.min(s.0), b.max(s.0))
        });
    let xy = |(t, s): (f64, u8)| {
        let x = if t1 > t0 {
            pad + (t - t0) / (t1 - t0) * (w - 2.0 * pad)
        } else {
            w / 2.0
        };
        (x, pad + (1.0 - f64::from(s) / 100.0) * (h - 2.0 * pad))
    };
    let pts: Vec<String> = scores
        .iter()
        .map(|s| {
            let (x, y) = xy(*s);
            format!("{x:.1},{y:.1}")
        })
        .collect();
    let label = scores
        .iter()
        .map(|s| s.1.to_string())
        .collect::<Vec<_>>()
        .join(" ");
    html! {
        <svg class="spark" width="120" height="24" viewBox="0 0 120 24" role="img" aria-label={label.clone()}>
            <title>{ label }</title>
            if scores.len() == 1 {
                <circle cx={format!("{:.1}", xy(scores[0]).0)} cy={format!("{:.1}", xy(scores[0]).1)} r="2" fill="currentColor" />
            } else {
                <polyline points={pts.join(" ")} fill="none" stroke="currentColor" stroke-width="1.5" />
            }
        </svg>
    }
}

/// The dashboard's own style, drawn with it: not in index.html, whose every byte is the first
/// load of trainees who never open it (#17).
const STYLE: &str = ".team .hit.committed,.team .hit.missed,.team .exam-verdict.failed{color:var(--bad);font-weight:600}\
.team .exam-verdict{display:block;white-space:nowrap}.team .exam-verdict.passed{color:var(--ok)}\
.team form label,.team .filters label,.team label.files{display:flex;flex-direction:column;gap:.25rem;margin:.6rem 0;max-width:32rem}\
.team .filters label{display:inline-flex;margin-right:1rem}\
.team input:not([type=file]){font:inherit;padding:.4rem;min-height:40px}\
.team .heat tbody th{white-space:nowrap}.team .scroll{overflow-x:auto}";

#[component]
pub fn TeamPage() -> Html {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let tr = |k: &str| ctx.t(k);
    // The cohort is changed in place (files and LRS reads add to it); `version` counts the
    // changes, and the report is computed again only when it or the filter changes.
    let cohort = use_mut_ref(Cohort::default);
    let version = use_mut_ref(|| 0u64);
    let redraw = use_force_update();
    let pending_redraw = use_mut_ref(|| None::<gloo::timers::callback::Timeout>);
    let status = use_state(|| None::<String>);
    // The files of the last pick that could not be read, each with why.
    let problems = use_state(Vec::<String>::new);
    let filter = use_state(Filter::default);
    let open = use_state(|| None::<String>);
    // A trainee opened: their attempts (below the tables) are brought into view and focused.
    use_effect_with((*open).clone(), |o| {
        if o.is_some() {
            let drill = gloo::utils::document()
                .query_selector(".team .drill")
                .ok()
                .flatten()
                .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok());
            if let Some(d) = drill {
                let _ = d.focus();
            }
        }
    });
    let (endpoint, user, pass, token) = (
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    );
    let (from, to) = (use_node_ref(), use_node_ref());
    let titles = use_memo((), |_| shipped_titles());
    // A scenario's title in the UI's language where it is a shipped one, else as played.
    let title = |id: &str, played: &str| -> String {
        titles
            .get(id)
            .and_then(|t| {
                lang.fallbacks()
                    .into_iter()
                    .find_map(|l| t[l.code()].as_str())
            })
            .unwrap_or(played)
            .to_string()
    };
    let report: Rc<Report> = {
        let cohort = cohort.clone();
        use_memo((*version.borrow(), (*filter).clone()), move |(_, f)| {
            cohort.borrow().report(f)
        })
    };
    // The cohort changed: redraw soon, once for many changes (a folder of files is read one
    // file at a time).
    let changed: Rc<dyn Fn()> = {
        let (version, redraw, pending) = (version.clone(), redraw.clone(), pending_redraw.clone());
        Rc::new(move || {
            *version.borrow_mut() += 1;
            if pending.borrow().is_some() {
                return;
            }
            let (redraw, p) = (redraw.clone(), pending.clone());
            *pending.borrow_mut() = Some(gloo::timers::callback::Timeout::new(30, move || {
                p.borrow_mut().take();
                redraw.force_update();
            }));
        })
    };

    let load_lrs = {
        let (cohort, status, changed) = (cohort.clone(), status.clone(), changed.clone());
        let refs = (endpoint.clone(), user.clone(), pass.clone(), token.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let c = LrsConfig {
                token: value(&refs.3).trim().to_string(),
                ..LrsConfig::basic(&value(&refs.0), &value(&refs.1), &value(&refs.2))
            };
            if let Err(e) = c.check() {
                status.set(Some(e.message(lang)));
                return;
            }
            let (cohort, status, changed) = (cohort.clone(), status.clone(), changed.clone());
            status.set(Some(kefu_core::i18n::t(lang, "team.loading")));
            wasm_bindgen_futures::spawn_local(async move {
                let s = status.clone();
                let progress = move |n: usize| {
                    s.set(Some(tf(lang, "team.reading", &[("n", &n.to_string())])));
                };
                match read_lrs(&c, progress).await {
                    Ok((st, cut)) => {
                        let n = st.len().to_string();
                        status.set(Some(tf(lang, "team.adding", &[("n", &n)])));
                        add_in_chunks(&cohort, &st, &*changed).await;
                        status.set(Some(if cut {
                            tf(
                                lang,
                                "team.lrs_more",
                                &[("n", &n), ("pages", &MAX_PAGES.to_string())],
                            )
                        } else {
                            tf(lang, "team.loaded", &[("n", &n)])
                        }));
                    }
                    Err(e) => status.set(Some(tf(
                        lang,
                        "team.lrs_failed",
                        &[("error", &e.message(lang))],
                    ))),
                }
            });
        })
    };
    let on_files = {
        let (cohort, status, problems, changed) = (
            cohort.clone(),
            status.clone(),
            problems.clone(),
            changed.clone(),
        );
        Callback::from(move |e: Event| {
            let input = e.target_unchecked_into::<HtmlInputElement>();
            let Some(list) = input.files() else { return };
            let batch = Rc::new(RefCell::new(Batch::default()));
            let folder = input.webkitdirectory();
            let mut json = Vec::new();
            let mut skipped = 0;
            for f in (0..list.length()).filter_map(|i| list.get(i)) {
                let name = f.name().to_ascii_lowercase();
                if name.ends_with(".json") {
                    json.push(f);
                } else if !folder {
                    // Picked by itself (a CSV, say): told, and counted among the files picked.
                    // A folder holds other files too: only JSON is read from it, the rest
                    // passed over.
                    let key = if name.ends_with(".csv") {
                        "team.csv_export"
                    } else {
                        "team.not_export"
                    };
                    let said = tf(lang, key, &[("file", &f.name())]);
                    batch.borrow_mut().problems.push(said);
                    skipped += 1;
                }
            }
            batch.borrow_mut().total = json.len() + skipped;
            let show = {
                let (status, problems) = (status.clone(), problems.clone());
                Rc::new(move |b: &Batch, last: String| {
                    status.set((b.total > 0).then(|| {
                        if b.total > 1 {
                            tf(
                                lang,
                                "team.files_read",
                                &[
                                    ("done", &b.done.to_string()),
                                    ("total", &b.total.to_string()),
                                    ("n", &b.attempts.len().to_string()),
                                ],
                            )
                        } else {
                            last
                        }
                    }));
                    problems.set(b.problems.clone());
                })
            };
            if json.is_empty() {
                show(&batch.borrow(), String::new());
            }
            for f in json {
                let name = f.name();
                let (cohort, changed, batch, show) =
                    (cohort.clone(), changed.clone(), batch.clone(), show.clone());
                let file = File::from(f);
                // An xAPI export (a whole cohort's, perhaps) is read, parsed and added a piece
                // at a time; a JSON export (one trainee) parsed at once.
                wasm_bindgen_futures::spawn_local(async move {
                    let r = match read_text(&file).await {
                        None => Err(kefu_core::progress::LoadError::Corrupt(String::new())),
                        Some(text) => match read_statements(&text).await {
                            Some(Ok(stmts)) => {
                                let read = add_in_chunks(&cohort, &stmts, &*changed).await;
                                if read.is_empty() {
                                    Err(kefu_core::progress::LoadError::Corrupt(String::new()))
                                } else {
                                    Ok(read)
                                }
                            }
                            Some(Err(e)) => Err(e),
                            None => {
                                let r = cohort.borrow_mut().add_file(&text, &name);
                                changed();
                                r
                            }
                        },
                    };
                    let mut b = batch.borrow_mut();
                    let r = match r {
                        Ok(read) => {
                            let n = (read.len(), read.added());
                            b.done += 1;
                            b.attempts.extend(read);
                            Ok(n)
                        }
                        Err(e) => Err(e),
                    };
                    match &r {
                        Ok(_) => {}
                        // One file alone: its line says it; of several, each failure is listed.
                        Err(e) if b.total > 1 => {
                            b.problems.push(format!(
                                "{name}{}{}",
                                kefu_core::i18n::colon(lang),
                                e.message(lang)
                            ));
                        }
                        Err(_) => {}
                    }
                    show(&b, file_said(lang, &name, r));
                });
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
    let cell = |r: Rate| match r.value() {
        Some(v) => html! { { format!("{:.0}%", v * 100.0) } },
        None => {
            html! { <span title={tr("team.no_turns")} aria-label={tr("team.no_turns")}>{ "–" }</span> }
        }
    };
    // A principle judged on a reply: shown or missing; for a violation, committed (a warning,
    // never a tick) or avoided.
    let hit = |id: &str, v: bool| {
        let violation = principles::get(id).is_some_and(|p| p.violation);
        let (key, class) = match (violation, v) {
            (false, true) => ("team.shown", "hit shown"),
            (false, false) => ("team.missed", "hit missed"),
            (true, true) => ("team.committed", "hit committed"),
            (true, false) => ("team.avoided", "hit avoided"),
        };
        html! { <span class={class} data-principle={id.to_string()}>{ tf(lang, key, &[("p", &pname(id))]) }</span> }
    };
    let exam = |e: &kefu_core::cohort::ExamResult| {
        let key = if e.passed {
            "team.exam_passed"
        } else {
            "team.exam_failed"
        };
        html! {
            <span class={if e.passed { "exam-verdict passed" } else { "exam-verdict failed" }}
                data-exam={e.exam.clone()} data-passed={e.passed.to_string()} data-total={e.total.to_string()}>
                { tf(lang, key, &[("title", &e.title), ("total", &e.total.to_string())]) }
            </span>
        }
    };
    let c = cohort.borrow();
    let drill = (*open)
        .as_ref()
        .and_then(|k| c.trainees.iter().find(|t| &t.key == k));
    html! {
        <section class="team">
            <style>{ STYLE }</style>
            <h1>{ tr("team.title") }</h1>
            <form onsubmit={load_lrs} aria-label={tr("team.from_lrs")}>
                <h2>{ tr("team.from_lrs") }</h2>
                <label>{ tr("settings.endpoint") }<input ref={endpoint} type="url" name="endpoint" /></label>
                <label>{ tr("settings.user") }<input ref={user} name="username" autocomplete="off" /></label>
                <label>{ tr("settings.pass") }<input ref={pass} type="password" name="password" autocomplete="off" /></label>
                <label>{ tr("settings.token") }<input ref={token} type="password" name="token" autocomplete="off" /></label>
                <button type="submit">{ tr("team.load") }</button>
            </form>
            <label class="files">{ tr("team.files") }
                <input type="file" multiple=true accept=".json,application/json" onchange={on_files.clone()} />
            </label>
            <label class="files">{ tr("team.folder") }
                <input type="file" multiple=true webkitdirectory=true onchange={on_files} />
            </label>
            if let Some(s) = &*status { <p role="status">{ s.clone() }</p> }
            if !problems.is_empty() {
                <ul class="problems" role="alert">{ for problems.iter().map(|p| html! { <li>{ p.clone() }</li> }) }</ul>
            }
            <fieldset class="filters" onchange={on_filter}>
                <legend>{ tr("team.filters") }</legend>
                <label>{ tr("team.from") }<input ref={from} type="date" /></label>
                <label>{ tr("team.to") }<input ref={to} type="date" /></label>
                <label>{ tr("team.scenario") }
                    <select name="scenario">
                        // Each option says whether it is the one applied: Yew adds a list's
                        // nodes last first, which left a select without a `selected` option
                        // showing its last one ("Exam") while every attempt was shown.
                        <option value="" selected={filter.scenario.is_none()}>{ tr("team.all") }</option>
                        { for report.all_scenarios.iter().map(|(id, t)| html! {
                            <option value={id.clone()} selected={filter.scenario.as_ref() == Some(id)}>{ title(id, t) }</option>
                        }) }
                    </select>
                </label>
                <label>{ tr("team.kind") }
                    <select name="kind">
                        <option value="all" selected={filter.kind == Kind::All}>{ tr("team.all") }</option>
                        <option value="practice" selected={filter.kind == Kind::Practice}>{ tr("team.practice") }</option>
                        <option value="exam" selected={filter.kind == Kind::Exam}>{ tr("team.exam") }</option>
                    </select>
                </label>
            </fieldset>
            <button onclick={csv} disabled={report.rows.is_empty()}>{ tr("team.csv") }</button>
            <h2>{ tr("team.grid") }</h2>
            // Wide (a column per principle): it scrolls in its own box, not the page.
            <div class="scroll" role="region" tabindex="0" aria-label={tr("team.grid")}>
            <table class="heat" data-trainees={report.rows.len().to_string()}>
                <thead><tr>
                    <th>{ tr("team.trainee") }</th><th>{ tr("team.attempts") }</th><th>{ tr("team.mean") }</th><th>{ tr("team.last") }</th>
                    <th>{ tr("team.passed") }</th><th>{ tr("team.exams") }</th><th>{ tr("team.progress") }</th>
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
                            <td class="attempts">{ r.attempts }</td>
                            <td class="mean">{ r.mean_score().map_or("–".to_string(), |m| format!("{m:.0}")) }</td>
                            <td class="last">{ r.scores.last().map_or("–".to_string(), |s| s.1.to_string()) }</td>
                            <td class="passed">{ format!("{}/{}", r.passed, r.finished) }</td>
                            <td class="exams">{ for r.exams.iter().map(exam) }</td>
                            <td>{ spark(&r.scores) }</td>
                            { for r.cells.iter().zip(&report.principles).map(|(c, p)| html! {
                                <td style={heat(*c)} data-principle={p.clone()} data-good={c.good.to_string()} data-of={c.of.to_string()}>{ cell(*c) }</td>
                            }) }
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
            <h2>{ tr("team.weakest") }</h2>
            <ol class="weakest">
                { for report.weakest.iter().take(5).map(|(p, r)| html! { <li data-principle={p.clone()}>{ pname(p) }{ " " }{ cell(*r) }</li> }) }
            </ol>
            <h2>{ tr("team.scenarios") }</h2>
            <table class="scenarios">
                <thead><tr><th>{ tr("team.scenario") }</th><th>{ tr("team.attempts") }</th><th>{ tr("team.passed") }</th><th>{ tr("team.outcomes") }</th></tr></thead>
                <tbody>{ for report.scenarios.iter().map(|s| html! {
                    <tr data-scenario={s.id.clone()}>
                        <td>{ title(&s.id, &s.title) }</td><td>{ s.attempts }</td>
                        <td>{ format!("{}/{}", s.passed, s.finished) }</td>
                        <td>{ s.outcomes.iter().map(|(o, n)| format!("{} {n}", kefu_core::i18n::t(lang, &format!("outcome.{o}")))).collect::<Vec<_>>().join(" · ") }</td>
                    </tr>
                }) }</tbody>
            </table>
            if let Some(t) = drill {
                <section class="drill" aria-label={t.name.clone()} data-trainee={t.key.clone()} tabindex="-1">
                    <h2>{ t.name.clone() }</h2>
                    { for t.store.attempts.iter().filter(|a| filter.keeps(a)).map(|a| html! {
                        <details data-attempt={a.id.clone()}>
                            <summary>{ format!("{} · {} · {}", super::local_minute(a.started_ms), title(&a.scenario, &a.title), a.score()) }</summary>
                            <ol>{ for a.turns.iter().map(|turn| html! {
                                <li>
                                    <p class="customer">{ turn.customer.clone() }</p>
                                    <p class="agent">{ turn.reply.clone() }</p>
                                    // What the turn asked for, and any violation: not every
                                    // principle judged (the trainee's own feedback keeps the
                                    // rest apart as not asked for).
                                    <p class="hits">{ for turn.principles.iter()
                                        .filter(|(k, v)| turn.expects(k) || **v && principles::get(k).is_some_and(|p| p.violation))
                                        .map(|(k, v)| html! { <>{ hit(k, *v) }{ " " }</> }) }</p>
                                </li>
                            }) }</ol>
                        </details>
                    }) }
                </section>
            }
        </section>
    }
}
