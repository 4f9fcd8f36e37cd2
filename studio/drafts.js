// The studio's drafts, in localStorage, each under its own key: kefu.studio.draft.NAME =
// { text, sel, top, at } (`sel` the selection, `top` how far the editor was scrolled), and
// kefu.studio.current = the name last open. One key per draft, so two studio tabs never write
// over each other's drafts: a tab writes only the draft it has open, and lists the drafts as
// storage has them now (another tab's new draft included). A write the browser refuses (a full
// quota) returns false and changes nothing: the drafts saved before stay, the editor keeps the
// text. The drafts of an older studio (every one in kefu.studio.drafts) are moved to their
// own keys once.
const PREFIX = 'kefu.studio.draft.';
const OLD = 'kefu.studio.drafts';
const CURRENT = 'kefu.studio.current';

function store() { try { return window.localStorage; } catch (e) { return null; } }

export class Drafts {
  constructor() {
    // What this tab last wrote of each draft (not written again while unchanged).
    this.mine = new Map();
    this.dirty = false;
    this.migrate();
  }
  static isDraftKey(k) { return typeof k === 'string' && k.startsWith(PREFIX); }
  migrate() {
    const s = store();
    let old;
    try { old = s?.getItem(OLD); } catch (e) { return; }
    if (old == null) return;
    let all;
    try { all = JSON.parse(old); } catch (e) { all = null; }
    if (!all || typeof all !== 'object' || Array.isArray(all)) {
      // Unreadable: kept aside under a dated name, never written over.
      try { s.setItem(`${OLD}.corrupt.${Date.now()}`, old); s.removeItem(OLD); } catch (e) { /* full */ }
      return;
    }
    try {
      for (const [n, d] of Object.entries(all)) {
        if (s.getItem(PREFIX + n) == null) s.setItem(PREFIX + n, JSON.stringify(d));
      }
      s.removeItem(OLD);
    } catch (e) { /* full: the old value stays, read again next time */ }
  }
  names() {
    const s = store();
    const out = [];
    try {
      for (let i = 0; i < (s?.length || 0); i++) {
        const k = s.key(i);
        if (Drafts.isDraftKey(k)) out.push(k.slice(PREFIX.length));
      }
    } catch (e) { /* no storage */ }
    // Drafts this tab holds that storage refused (full) are still listed.
    for (const n of this.mine.keys()) if (!out.includes(n)) out.push(n);
    return out.sort();
  }
  has(n) { return this.names().includes(n); }
  get(n) {
    try {
      const raw = store()?.getItem(PREFIX + n);
      const d = raw == null ? this.mine.get(n) : JSON.parse(raw);
      return d && typeof d.text === 'string' ? d : null;
    } catch (e) { return null; }
  }
  current() { try { return store()?.getItem(CURRENT) || null; } catch (e) { return null; } }
  setCurrent(n) { try { store()?.setItem(CURRENT, n); } catch (e) { /* full: not needed to keep text */ } }
  // true: written; false: refused (quota); null: nothing changed.
  save(n, text, sel, top = 0) {
    const old = this.mine.get(n);
    if (old && old.text === text && String(old.sel) === String(sel) && old.top === top && !this.dirty) return null;
    const d = { text, sel, top, at: Date.now() };
    this.mine.set(n, d);
    return this.write(n, d);
  }
  write(n, d) {
    try {
      store()?.setItem(PREFIX + n, JSON.stringify(d));
      this.dirty = false;
      return true;
    } catch (e) {
      this.dirty = true;
      return false;
    }
  }
  rename(from, to) {
    const d = this.get(from);
    if (!d) return;
    this.mine.delete(from);
    this.mine.set(to, d);
    if (this.write(to, d)) { try { store()?.removeItem(PREFIX + from); } catch (e) { /* gone */ } }
    this.setCurrent(to);
  }
  /** Delete a draft; returns it (for undo). */
  remove(n) {
    const d = this.get(n);
    this.mine.delete(n);
    try { store()?.removeItem(PREFIX + n); } catch (e) { /* gone */ }
    return d;
  }
  /** Put back a draft `remove` returned. */
  restore(n, d) {
    this.mine.set(n, d);
    return this.write(n, d);
  }
}
