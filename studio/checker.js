// The checker, off the page: the engine's worker (dist/engine/kefu_worker.*.js) with the
// checker module (kefu_check), as the app's opened files use it, answering check_studio.
// A check in flight is not cancelled by typing: the newest text waits and is checked next
// (the editor drops answers about text it no longer holds). A check over BUDGET_MS stops the
// worker (the next starts a new one); the budget counts from when the module is loaded.
const BUDGET_MS = 15000;

function named(n) {
  const v = document.querySelector(`meta[name="${n}"]`)?.content;
  if (!v) throw new Error(`the page names no ${n} (meta): build it with make dist`);
  return new URL(v, document.baseURI).href;
}

export class Checker {
  // `lang`: the UI's language code, which the checker's messages are written in.
  constructor(lang) { this.w = null; this.seq = 0; this.waiting = new Map(); this.lang = lang || 'en'; }
  start() {
    if (this.w) return;
    const urls = [named('kefu-worker'), named('kefu-checker'), named('kefu-checker-wasm')];
    this.w = new Worker(urls[0], { type: 'module' });
    this.ready = new Promise((res) => { this.isReady = res; });
    this.w.onmessage = (e) => {
      const d = e.data || {};
      if ('ready' in d) { if (!d.ready) this.fail(new Error(d.value)); else this.isReady(); return; }
      const p = this.waiting.get(d.id);
      if (!p) return;
      this.waiting.delete(d.id);
      clearTimeout(p.timer);
      if (d.ok) p.resolve(d.value); else p.reject(new Error(d.value));
    };
    this.w.onerror = (e) => { e.preventDefault(); this.fail(new Error(e.message || 'the checker could not start')); };
    // The .wasm named too: the worker requests it beside the module's JS.
    this.w.postMessage({ module: urls[1], wasm: urls[2] });
  }
  fail(err) {
    if (this.w) this.w.terminate();
    this.w = null;
    for (const p of this.waiting.values()) { clearTimeout(p.timer); p.reject(err); }
    this.waiting.clear();
  }
  stop() { this.fail(new Error('stopped')); }
  call(op, args) {
    this.start();
    return new Promise((resolve, reject) => {
      const id = ++this.seq;
      const p = { resolve, reject, timer: 0 };
      this.waiting.set(id, p);
      this.w.postMessage({ id, op, args });
      // The budget counts from when the module is there (not its download and compilation).
      const w = this.w;
      this.ready.then(() => {
        if (this.w === w && this.waiting.has(id)) p.timer = setTimeout(() => this.fail(new Error(`over ${BUDGET_MS / 1000} s`)), BUDGET_MS);
      });
    });
  }
  // A report ({ok, diagnostics, graph, samples}); a checker that fails gives a report with
  // `failed` (the message) and nothing else.
  async check(name, text) {
    try {
      return JSON.parse(await this.call('check_studio', [name, text, this.lang]));
    } catch (e) {
      return { ok: false, failed: String((e && e.message) || e), diagnostics: [], graph: null, samples: [] };
    }
  }
}
