// The studio's drafts, in localStorage: kefu.studio.drafts = { "name.toml": { text, sel, top, at } }
// (`sel` the selection, `top` how far the editor was scrolled)
// and kefu.studio.current = the name last open. A write the browser refuses (a full quota)
// returns false and changes nothing: the drafts saved before stay, the editor keeps the text.
const KEY = 'kefu.studio.drafts';
const CURRENT = 'kefu.studio.current';

function store() { try { return window.localStorage; } catch (e) { return null; } }

export class Drafts {
  constructor() {
    this.all = {};
    try {
      const v = JSON.parse(store()?.getItem(KEY) || '{}');
      if (v && typeof v === 'object' && !Array.isArray(v)) this.all = v;
    } catch (e) {
      // Unreadable: kept aside under a dated name, never written over.
      try { store()?.setItem(`${KEY}.corrupt.${Date.now()}`, store()?.getItem(KEY) || ''); } catch (e2) { /* full */ }
    }
    this.dirty = false;
  }
  names() { return Object.keys(this.all).sort(); }
  has(n) { return Object.prototype.hasOwnProperty.call(this.all, n); }
  get(n) { const d = this.has(n) ? this.all[n] : null; return d && typeof d.text === 'string' ? d : null; }
  current() { try { return store()?.getItem(CURRENT) || null; } catch (e) { return null; } }
  setCurrent(n) { try { store()?.setItem(CURRENT, n); } catch (e) { /* full: not needed to keep text */ } }
  // true: written; false: refused (quota); null: nothing changed.
  save(n, text, sel, top = 0) {
    const old = this.all[n];
    if (old && old.text === text && String(old.sel) === String(sel) && old.top === top && !this.dirty) return null;
    this.all[n] = { text, sel, top, at: Date.now() };
    return this.flush();
  }
  flush() {
    try {
      store()?.setItem(KEY, JSON.stringify(this.all));
      this.dirty = false;
      return true;
    } catch (e) {
      this.dirty = true;
      return false;
    }
  }
  rename(from, to) {
    if (!this.has(from)) return;
    this.all[to] = this.all[from];
    delete this.all[from];
    this.setCurrent(to);
    this.flush();
  }
  remove(n) { delete this.all[n]; this.flush(); }
}
