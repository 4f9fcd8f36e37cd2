//! The engine, off the page: two Web Workers (`crates/engine/worker.js`), one with the scorer
//! module (play: judging a reply, and each reply of a stored session replayed) and one with the checker module
//! (opened scenario files). The page only posts requests and renders answers, so no reply or
//! file, however long, blocks it. Requests and answers are messages with ids; a request can be
//! cancelled, or given a time budget, by terminating its worker (the next request starts a new
//! one). `make dist` names the worker and both modules by their content in the page's
//! `<meta name="kefu-worker|kefu-scorer|kefu-checker">` (and the modules' .wasm in
//! `kefu-scorer-wasm|kefu-checker-wasm`).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
const kinds = {};
function named(n) {
  const v = document.querySelector(`meta[name="${n}"]`)?.content;
  if (!v) throw new Error(`the page names no ${n} (meta): build it with make dist`);
  return new URL(v, document.baseURI).href;
}
function stop(kind, err) {
  const k = kinds[kind];
  if (!k) return;
  delete kinds[kind];
  k.w.terminate();
  k.fail(err);
  for (const p of k.waiting.values()) { clearTimeout(p.timer); p.reject(err); }
}
function start(kind) {
  if (kinds[kind]) return kinds[kind];
  const k = { seq: 0, waiting: new Map() };
  k.ready = new Promise((res, rej) => { k.ok = res; k.fail = rej; });
  k.ready.catch(() => {});
  const ready = () => {
    k.ok();
    // For measuring in the browser: `await window.kefuDojo.score_json(text, 'zh-Hans')`.
    if (kind === 'score') window.kefuDojo = Object.assign({}, window.kefuDojo,
      { score_json: (t, l) => kefu_call('score', 'score_json', [t, l], 0) });
  };
  // The scorer's worker the page's loader started on the library page (index.html), if any:
  // adopted, not started again; its ready message may have come already.
  const early = kind === 'score' ? window.kefuScoreWorker : undefined;
  // From now on this module has its scorer: the loader starts no early worker of its own.
  if (kind === 'score') window.kefuScorerTaken = true;
  // Every name read before a worker exists: a page without one throws here, leaving none behind.
  const first = early ? null : (kind === 'check'
    ? { module: named('kefu-checker'), wasm: named('kefu-checker-wasm') }
    : { module: named('kefu-scorer'), wasm: named('kefu-scorer-wasm'), warm: true });
  if (early) delete window.kefuScoreWorker;
  k.w = early ? early.w : new Worker(named('kefu-worker'), { type: 'module' });
  kinds[kind] = k;
  // (An early worker that failed fails this start; the next request starts a fresh one.)
  if (early) early.ready.then(ready, (err) => { if (kinds[kind] === k) stop(kind, err); });
  k.w.onmessage = (e) => {
    const d = e.data || {};
    if ('ready' in d) {
      if (!d.ready) { stop(kind, new Error(d.value)); return; }
      ready();
      return;
    }
    const p = k.waiting.get(d.id);
    if (!p) return;
    k.waiting.delete(d.id);
    clearTimeout(p.timer);
    if (d.ok) p.resolve(d.value); else p.reject(new Error(d.value));
  };
  k.w.onerror = (e) => {
    e.preventDefault();
    stop(kind, new Error(e.message || 'the engine worker could not start'));
  };
  // The scorer builds what judging reads as soon as it has loaded (`warm`); the checker does
  // not, so an opened file's time budget is all its own.
  // The .wasm is named too, so the worker requests it beside the module's JS.
  if (!early) k.w.postMessage(first);
  return k;
}
export function kefu_warm(kind) {
  try { return start(kind).ready; } catch (e) { return Promise.reject(e); }
}
export function kefu_call(kind, op, args, budget_ms) {
  return new Promise((resolve, reject) => {
    let k;
    try { k = start(kind); } catch (e) { reject(e); return; }
    const id = ++k.seq;
    const p = { resolve, reject, timer: 0 };
    k.waiting.set(id, p);
    // The budget counts from when the module is there (not its download).
    if (budget_ms > 0) k.ready.then(() => {
      if (k.waiting.has(id)) p.timer = setTimeout(() => {
        const e = new Error('over budget'); e.name = 'KefuOverBudget'; stop(kind, e);
      }, budget_ms);
    }, () => {});
    k.w.postMessage({ id, op, args });
  });
}
export function kefu_studio(el, lang, loading, play, add) {
  el.textContent = loading;
  return import(named('kefu-studio')).then((m) => m.mount(el, { lang, play, add }));
}
export function kefu_studio_stop(el) { if (el.kefuStop) el.kefuStop(); else el.kefuGone = true; }
export function kefu_cancel(kind) {
  const e = new Error('cancelled'); e.name = 'KefuCancelled'; stop(kind, e);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    async fn kefu_warm(kind: &str) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch)]
    async fn kefu_call(
        kind: &str,
        op: &str,
        args: js_sys::Array,
        budget_ms: u32,
    ) -> Result<JsValue, JsValue>;
    fn kefu_cancel(kind: &str);
    #[wasm_bindgen(catch)]
    async fn kefu_studio(
        el: &web_sys::Element,
        lang: &str,
        loading: &str,
        play: &js_sys::Function,
        add: &js_sys::Function,
    ) -> Result<JsValue, JsValue>;
    // `catch` also keeps wasm-bindgen from importing it directly (a namespace import of the
    // snippet that `make dist` would not rename to its hashed name).
    #[wasm_bindgen(catch)]
    fn kefu_studio_stop(el: &web_sys::Element) -> Result<(), JsValue>;
}

/// Load the studio's bundle (`<meta name="kefu-studio">`) and mount it in `el` (showing
/// `loading` meanwhile); `play` gets `(file name, text, turn, mood)` to play-test (from the
/// start when `turn` is empty), `add` `(file name, text, done)` to keep in the library (`done`
/// gets `{"id": …}` or `{"errors": […]}` as JSON). Resolves once mounted, or with why it could
/// not load.
pub async fn studio(
    el: &web_sys::Element,
    lang: &str,
    loading: &str,
    play: &js_sys::Function,
    add: &js_sys::Function,
) -> Result<(), String> {
    kefu_studio(el, lang, loading, play, add)
        .await
        .map(|_| ())
        .map_err(js_error)
}

/// Unmount the studio from `el` (its draft is saved; its checker worker stops).
pub fn studio_stop(el: &web_sys::Element) {
    let _ = kefu_studio_stop(el);
}

/// Which worker: the scorer (play) or the checker (opened files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Score,
    Check,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Score => "score",
            Kind::Check => "check",
        }
    }
}

/// Why a request has no answer.
#[derive(Debug, Clone, PartialEq)]
pub enum CallError {
    /// The trainee stopped it.
    Cancelled,
    /// It ran past its time budget (the worker was stopped).
    OverBudget,
    /// The worker or the module could not answer (not loaded, another build…): the message.
    Failed(String),
}

pub fn js_error(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::Error::from(e).message().as_string())
        .unwrap_or_default()
}

/// Ask the worker `kind` to run the engine's export `op` on `args`; `budget_ms` > 0 stops it
/// (and answers `OverBudget`) if the answer takes longer once the module is loaded.
pub async fn call(
    kind: Kind,
    op: &str,
    args: &[&str],
    budget_ms: u32,
) -> Result<String, CallError> {
    let a: js_sys::Array = args.iter().map(|s| JsValue::from_str(s)).collect();
    match kefu_call(kind.name(), op, a, budget_ms).await {
        Ok(v) => v
            .as_string()
            .ok_or_else(|| CallError::Failed(format!("{op}: no answer"))),
        Err(e) => {
            let err = js_sys::Error::from(e.clone());
            Err(match err.name().as_string().as_deref() {
                Some("KefuCancelled") => CallError::Cancelled,
                Some("KefuOverBudget") => CallError::OverBudget,
                _ => CallError::Failed(js_error(e)),
            })
        }
    }
}

/// Start the worker `kind` and load its module (if not yet): resolves once it can answer.
pub async fn warm(kind: Kind) -> Result<(), String> {
    kefu_warm(kind.name()).await.map(|_| ()).map_err(js_error)
}

/// Stop what the worker `kind` is doing (every request waiting on it answers `Cancelled`).
pub fn cancel(kind: Kind) {
    kefu_cancel(kind.name());
}
