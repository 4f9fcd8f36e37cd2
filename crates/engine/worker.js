// The engine's Web Worker (dist/engine/kefu_worker.<hash>.js): scoring and checking
// run here, never on the page. The page (crates/app/src/worker.rs) starts one worker for the
// scorer and another for the checker, and first posts { module: URL, wasm: URL } naming the
// engine module to import and its .wasm (content-hashed by `make dist`); the .wasm is compiled while it downloads
// (instantiateStreaming); with `warm: true` (the scorer) it then calls the module's `warm`.
// Then each request { id, op, args } gets one answer
// { id, ok, value }: `value` is the export's return value, or the error's message. Requests
// are answered in order; the page terminates the worker to cancel one (and starts a new one).
let engine = null;
self.onmessage = async (e) => {
  const d = e.data || {};
  if (typeof d.module === 'string') {
    // The module's .wasm, when the page names it, is requested now, beside its JS glue, not
    // once the glue has loaded (one round trip less before the download starts on a slow link).
    const wasm = typeof d.wasm === 'string' ? fetch(d.wasm) : undefined;
    if (wasm) wasm.catch(() => {});
    engine = import(d.module).then(async (m) => { await m.default(wasm ? { module_or_path: wasm } : {}); return m; });
    engine.then((m) => {
      self.postMessage({ ready: true });
      // Build what judging reads once (about a third of a second in the browser) now, while the trainee
      // reads the customer's line, not when their first reply arrives. A request posted
      // meanwhile is answered after it, as it would have waited for the build anyway.
      if (d.warm && typeof m.warm === 'function') setTimeout(() => { try { m.warm(); } catch (_) { /* judged on first use */ } }, 0);
    }, (err) => self.postMessage({ ready: false, value: String((err && err.message) || err) }));
    return;
  }
  const answer = (ok, value) => self.postMessage({ id: d.id, ok, value });
  let m;
  try {
    if (!engine) throw new Error('the worker was given no engine module');
    m = await engine;
  } catch (err) {
    answer(false, String((err && err.message) || err));
    return;
  }
  try {
    if (typeof m[d.op] !== 'function') throw new Error(`the engine has no ${d.op}`);
    answer(true, m[d.op](...(d.args || [])));
  } catch (err) {
    answer(false, String((err && err.message) || err));
  }
};
