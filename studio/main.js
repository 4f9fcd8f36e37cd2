// The trainer studio (#/studio): a CodeMirror 6 editor for a scenario's TOML, checked as it is
// typed by the engine's checker (in its own Web Worker), with the problems, the turn graph and
// the samples beside it. Bundled by esbuild into dist/studio.<hash>.js (make dist) and imported
// only when #/studio opens (crates/app/src/studio.rs mounts it). Drafts live in localStorage
// under kefu.studio.* (drafts.js); the app's own storage stays in crates/app/src/storage.rs.
import {
  EditorView, Decoration, WidgetType, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  dropCursor, rectangularSelection, crosshairCursor, highlightActiveLine,
} from '@codemirror/view';
import { EditorState, EditorSelection, StateField, StateEffect, Compartment } from '@codemirror/state';
import { history, defaultKeymap, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  StreamLanguage, foldGutter, indentOnInput, syntaxHighlighting, defaultHighlightStyle,
  bracketMatching, foldKeymap, HighlightStyle,
} from '@codemirror/language';
import { tags } from '@lezer/highlight';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { toml } from '@codemirror/legacy-modes/mode/toml';
import { linter, lintGutter, forceLinting, lintKeymap } from '@codemirror/lint';
import { Checker } from './checker.js';
import { Drafts } from './drafts.js';
import { drawMap } from './map.js';
import { CSS } from './style.js';
import angry from './templates/angry.toml';
import objection from './templates/objection.toml';
import product from './templates/product.toml';
import STRINGS from 'kefu:strings';

const TEMPLATES = { angry, objection, product };
// The catalogue keys of the branch conditions' words (the checker's `conds`), of the UI
// languages' names, and of CodeMirror's own phrases (EditorState.phrases).
const COND = {
  all: 'studio.cond_all', any: 'studio.cond_any', none: 'studio.cond_none', min_score: 'studio.cond_min_score',
  max_score: 'studio.cond_max_score', mood_below: 'studio.cond_mood_below', mood_above: 'studio.cond_mood_above',
  turns_taken: 'studio.cond_turns_taken',
};
const LANG_NAMES = { 'zh-Hans': 'studio.lang_zh_hans', 'zh-Hant': 'studio.lang_zh_hant', en: 'studio.lang_en' };
const CM_PHRASES = {
  Find: 'studio.cm_find', Replace: 'studio.cm_replace', next: 'studio.cm_next', previous: 'studio.cm_previous',
  all: 'studio.cm_all', 'match case': 'studio.cm_match_case', regexp: 'studio.cm_regexp', 'by word': 'studio.cm_by_word',
  replace: 'studio.cm_replace_one', 'replace all': 'studio.cm_replace_all', close: 'studio.cm_close',
  'current match': 'studio.cm_current_match', 'on line': 'studio.cm_on_line', 'replaced $ matches': 'studio.cm_replaced_n',
  'replaced match on line $': 'studio.cm_replaced_on_line', 'Go to line': 'studio.cm_go_to_line', go: 'studio.cm_go',
  to: 'studio.cm_to', Diagnostics: 'studio.cm_diagnostics', 'No diagnostics': 'studio.cm_no_diagnostics',
  'Control character': 'studio.cm_control_char', 'Selection deleted': 'studio.cm_selection_deleted',
  'folded code': 'studio.cm_folded_code', unfold: 'studio.cm_unfold', 'Folded lines': 'studio.cm_folded_lines',
  'Unfolded lines': 'studio.cm_unfolded_lines', 'Fold line': 'studio.cm_fold_line', 'Unfold line': 'studio.cm_unfold_line',
};
// CodeMirror's basic setup without autocompletion (nothing to complete yet; 30 KB less).
const SETUP = [
  lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(), foldGutter(),
  drawSelection(), dropCursor(), EditorState.allowMultipleSelections.of(true), indentOnInput(),
  syntaxHighlighting(defaultHighlightStyle, { fallback: true }), bracketMatching(),
  rectangularSelection(), crosshairCursor(), highlightActiveLine(), highlightSelectionMatches(),
  keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
];
// The editor in the page's dark mode (index.html's colours under prefers-color-scheme: dark):
// a dark theme and TOML colours that read on it, switched as the system's mode changes.
const DARK = [
  EditorView.theme({
    '&': { backgroundColor: '#161b21', color: '#e8ebef' },
    '.cm-content': { caretColor: '#e8ebef' },
    '.cm-cursor, .cm-dropCursor': { borderLeftColor: '#e8ebef' },
    '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection': { backgroundColor: '#35507a' },
    '.cm-gutters': { backgroundColor: '#1a2027', color: '#aeb7c4', borderRight: '1px solid #3b4552' },
    '.cm-activeLine': { backgroundColor: '#ffffff0a' },
    '.cm-activeLineGutter': { backgroundColor: '#ffffff14' },
    '.cm-selectionMatch': { backgroundColor: '#3b4a2c' },
    '&.cm-focused .cm-matchingBracket': { backgroundColor: '#2f5d3a' },
    '.cm-panels': { backgroundColor: '#1a2027', color: '#e8ebef' },
    '.cm-tooltip': { backgroundColor: '#1a2027', color: '#e8ebef', border: '1px solid #3b4552' },
    '.cm-searchMatch': { backgroundColor: '#6b5a1f88' },
  }, { dark: true }),
  syntaxHighlighting(HighlightStyle.define([
    { tag: tags.propertyName, color: '#8ab4f8' },
    { tag: tags.string, color: '#a5d6a7' },
    { tag: tags.atom, color: '#f4b183' },
    { tag: tags.number, color: '#f4b183' },
    { tag: tags.comment, color: '#9aa4b2', fontStyle: 'italic' },
    { tag: tags.bracket, color: '#cfd6df' },
  ], { themeType: 'dark' })),
];
const darkQuery = () => (typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null);

// How long typing must pause before the file is checked (the issue: errors within 300 ms of
// typing stopping; a check of a small file takes a few tens of ms in the worker).
export const CHECK_DELAY_MS = 150;

function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  e.append(...kids.flat().filter((k) => k != null));
  return e;
}

// A file name as the library expects it: `name.toml`, lower case, no spaces.
export function fileName(name) {
  const base = String(name).trim().replace(/\.toml$/i, '').replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '') || 'scenario';
  return `${base}.toml`;
}

// The document position of a 1-based line and column (in chars, as the checker counts them).
export function posAt(doc, line, col) {
  const ln = doc.line(Math.min(Math.max(line, 1), doc.lines));
  const text = ln.text;
  let i = 0;
  for (let c = 1; c < col && i < text.length; c++) i += text.codePointAt(i) > 0xffff ? 2 : 1;
  return ln.from + i;
}

// Where a checker diagnostic (1-based line, column in chars) falls in the document, and the
// range to underline: the quoted string, the `{placeholder}` or the word there.
export function rangeAt(doc, d) {
  const ln = doc.line(Math.min(Math.max(d.line, 1), doc.lines));
  const text = ln.text;
  const i = posAt(doc, d.line, d.col) - ln.from;
  const from = ln.from + i;
  let end = i;
  let word = null;
  if (text[i] === '{' && text.indexOf('}', i) > i) {
    end = text.indexOf('}', i) + 1;
    word = { from, to: ln.from + end };
  } else if (text[i] === '"') {
    const close = text.indexOf('"', i + 1);
    end = close > i ? close + 1 : text.length;
    word = { from: from + 1, to: ln.from + Math.max(i + 1, end - 1) };
  } else {
    while (end < text.length && /[\p{L}\p{N}_\-.]/u.test(text[end])) end++;
    if (end === i) end = Math.min(i + 1, text.length);
    word = { from, to: ln.from + end };
  }
  return { from, to: Math.max(ln.from + end, from), word };
}

// The languages each text lacks (the checker's `texts`), as a badge after the text's line: set
// after each check, moved along with the text as it is edited until the next check.
const setLacks = StateEffect.define();
class LacksBadge extends WidgetType {
  constructor(lacks, label, title) { super(); this.lacks = lacks; this.label = label; this.title = title; }
  eq(o) { return o.lacks === this.lacks && o.label === this.label; }
  toDOM() {
    const e = document.createElement('span');
    e.className = 'studio-lacks';
    e.dataset.lacks = this.lacks;
    e.title = this.title;
    e.textContent = this.label;
    return e;
  }
}
const lacksField = StateField.define({
  create: () => Decoration.none,
  update(deco, tr) {
    for (const e of tr.effects) if (e.is(setLacks)) return e.value;
    return deco.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});
/** The badges for `texts` ({line, col, lacks}) in `doc`, one per line (the first text's lacks
 * first, then any other on the line). */
export function lacksDecorations(doc, texts, t, name = (c) => c) {
  const byLine = new Map();
  for (const x of texts || []) {
    if (x.line < 1 || x.line > doc.lines) continue;
    const l = byLine.get(x.line) || new Set();
    x.lacks.forEach((c) => l.add(c));
    byLine.set(x.line, l);
  }
  const ranges = [...byLine.entries()].sort((a, b) => a[0] - b[0]).map(([line, set]) => {
    const langs = [...set].map(name).join(t('studio.list_sep'));
    return Decoration.widget({
      widget: new LacksBadge([...set].join(' '), t('studio.lacks', { langs }), t('studio.lacks_title', { langs })),
      side: 1,
    }).range(doc.line(line).to);
  });
  return Decoration.set(ranges);
}

/** What a diagnostic's quick fix replaces: the columns the checker gives (`fix_at`), else the
 * word or quoted text at it. */
export function fixRange(doc, d) {
  if (d.fix_at) return { from: posAt(doc, d.line, d.fix_at[0]), to: posAt(doc, d.line, d.fix_at[1]) };
  return rangeAt(doc, d).word;
}

export function mount(el, opts) {
  if (el.kefuGone) return;
  const strings = STRINGS[opts.lang] || {};
  const t = (k, args = {}) => {
    let s = strings[k] ?? STRINGS.en?.[k] ?? k;
    for (const [a, v] of Object.entries(args)) s = s.split(`{${a}}`).join(String(v));
    return s;
  };
  if (!document.getElementById('kefu-studio-css')) {
    document.head.append(h('style', { id: 'kefu-studio-css' }, CSS));
  }
  const drafts = new Drafts();
  const checker = new Checker(opts.lang);
  let name = null;
  let report = null;

  const status = h('p', { class: 'studio-status', role: 'status', 'aria-live': 'polite' });
  const notice = h('p', { class: 'studio-notice', role: 'alert', hidden: true });
  const nameInput = h('input', { id: 'studio-name', type: 'text', spellcheck: 'false' });
  const draftSelect = h('select', { id: 'studio-drafts' });
  const newSelect = h('select', { id: 'studio-new' },
    h('option', { value: '' }, t('studio.new')),
    ...Object.keys(TEMPLATES).map((k) => h('option', { value: k }, t(`studio.new_${k}`))));
  const libSelect = h('select', { id: 'studio-library' }, h('option', { value: '' }, t('studio.open_library')));
  const fileInput = h('input', { id: 'studio-file', type: 'file', accept: '.toml,text/plain' });
  // Play-test from: the start, or a turn with a mood (the mood there is the trainer's choice).
  const fromSelect = h('select', { id: 'studio-from' }, h('option', { value: '' }, t('studio.play_start')));
  const moodInput = h('input', { id: 'studio-mood', type: 'number', min: '0', max: '100', step: '1',
    inputmode: 'numeric', value: '30', disabled: true });
  fromSelect.addEventListener('change', () => { moodInput.disabled = !fromSelect.value; });
  const langs = h('p', { class: 'studio-langs' });
  const problems = h('ul', { class: 'studio-problems' });
  const samples = h('ul', { class: 'studio-samples' });
  const samplesBox = h('section', {}, h('h2', {}, t('studio.samples')), samples);
  const map = h('div', { class: 'studio-map', 'aria-label': t('studio.map') });
  const editorBox = h('div', { class: 'studio-editor' });

  const save = (now) => {
    if (!name) return;
    const sel = view.state.selection.main;
    const ok = drafts.save(name, view.state.doc.toString(), [sel.anchor, sel.head], view.scrollDOM.scrollTop);
    if (ok === false) {
      notice.textContent = t('studio.quota', { name });
      notice.dataset.state = 'quota';
      notice.hidden = false;
    } else if (ok === true && notice.dataset.state === 'quota') {
      // Saved again: the quota notice goes (any other notice stays until the next one).
      notice.hidden = true;
    }
  };

  const jump = (line, col = 1) => {
    const r = rangeAt(view.state.doc, { line, col });
    view.dispatch({ selection: EditorSelection.cursor(r.from), scrollIntoView: true,
      effects: EditorView.scrollIntoView(r.from, { y: 'center' }) });
    view.focus();
  };

  // What a quick fix does, said so: a replacement, an insertion (`]` at a list's end), or a
  // deletion (a `,` after a value).
  const fixLabel = (doc, d) => {
    const { from, to } = fixRange(doc, d);
    if (d.fix === '') return t('studio.fix_delete', { text: doc.sliceString(from, to) });
    return t(from === to ? 'studio.fix_insert' : 'studio.fix', { fix: d.fix });
  };
  const fixAction = (d) => d.fix != null && [{
    name: fixLabel(view.state.doc, d),
    apply: (v) => v.dispatch({ changes: { ...fixRange(v.state.doc, d), insert: d.fix } }),
  }];

  // The map, the samples and the languages of the last text that read as a scenario: kept,
  // marked as from then, while the text has errors that keep them from being read now.
  let good = { graph: null, samples: null, languages: null };
  let pathShown = null;
  const staleNote = () => h('p', { class: 'studio-stale-note' }, t('studio.stale'));
  const hasTurn = (text) => /^[ \t]*\[\[[ \t]*turn[ \t]*\]\]/m.test(text);
  const langName = (code) => t(LANG_NAMES[code] || code);
  // A sample's path drawn on the map (turns and the branches taken between them, in order, so
  // a turn visited twice draws both of its branches), or none.
  const drawPath = (s) => {
    const ids = s ? s.path.map(([turn]) => turn).concat(s.at ? [s.at[0]] : []) : [];
    const pairs = new Set(ids.slice(1).map((to, i) => `${ids[i]}>${to}`));
    map.querySelectorAll('.edge').forEach((e) => e.classList.toggle('on-path', pairs.has(`${e.dataset.from}>${e.dataset.to}`)));
    map.querySelectorAll('[data-node]').forEach((n) => n.classList.toggle('on-path', ids.includes(n.dataset.node)));
  };
  const edgeLabel = (e) => (e.conds && e.conds.length
    ? e.conds.map(([k, v]) => t(COND[k] || 'studio.cond_otherwise', { v })).join(' · ') : t('studio.cond_otherwise'));

  const render = () => {
    const r = report;
    if (!r) return;
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = r.diagnostics.length - errors;
    status.dataset.state = errors ? 'errors' : warnings ? 'warnings' : 'clean';
    status.textContent = r.failed ? t('studio.checker_failed', { error: r.failed })
      : errors || warnings ? t('studio.counts', { errors, warnings }) : t('studio.clean');
    if (r.failed) { status.dataset.state = 'failed'; return; }
    problems.replaceChildren(...r.diagnostics.map((d) => {
      const fix = d.fix != null ? h('button', { type: 'button', class: 'studio-fix',
        onclick: () => { view.dispatch({ changes: { ...fixRange(view.state.doc, d), insert: d.fix } }); view.focus(); } },
      fixLabel(view.state.doc, d)) : null;
      return h('li', { class: d.severity, 'data-line': d.line, 'data-col': d.col },
        h('button', { type: 'button', class: 'studio-goto', onclick: () => jump(d.line, d.col) },
          `${d.line}:${d.col} ${t(d.severity === 'error' ? 'studio.error' : 'studio.warning')}${t('studio.colon')}${d.message}`), fix);
    }));
    if (!r.diagnostics.length) problems.replaceChildren(h('li', { class: 'none' }, t('studio.no_problems')));

    // Samples: this text's, else (while it has errors) the last ones played, marked.
    if (r.samples.length) good.samples = r.samples;
    const shownSamples = r.samples.length ? r.samples : errors && good.samples ? good.samples : [];
    const samplesStale = !r.samples.length && shownSamples.length > 0;
    samplesBox.classList.toggle('stale', samplesStale);
    if (pathShown != null && !shownSamples.some((s) => s.line === pathShown)) pathShown = null;
    samples.replaceChildren(...(shownSamples.length ? shownSamples.map((s) => {
      const path = s.path.map(([turn, mood]) => `${turn} (${mood})`)
        .concat(s.at ? [`${s.at[0]} (${s.at[1]})`] : []).join(' → ');
      const on = pathShown === s.line;
      const toggle = s.at ? h('button', { type: 'button', class: 'studio-show-path', 'aria-pressed': String(on),
        onclick: () => { pathShown = pathShown === s.line ? null : s.line; render(); } }, t('studio.show_path')) : null;
      return h('li', { class: s.pass ? 'pass' : 'fail', 'data-line': s.line, 'data-pass': String(s.pass) },
        h('button', { type: 'button', class: 'studio-goto', onclick: () => jump(s.line) },
          `${s.pass ? '✓' : '✗'} ${s.label ? s.label + ' · ' : ''}${t('studio.sample_line', { line: s.line, turn: s.turn, expect: s.expect })}`),
        toggle,
        h('span', { class: 'studio-path' }, s.at ? t('studio.sample_path', { path }) : t('studio.sample_not_played')));
    }) : [h('li', { class: 'none' }, errors ? t('studio.samples_wait') : t('studio.samples_none'))]));
    if (samplesStale) samples.prepend(h('li', { class: 'stale-note' }, t('studio.stale')));

    // The map: this text's, else (while it has errors and a turn) the last one drawn, marked.
    if (r.graph) good.graph = r.graph;
    const g = r.graph || (hasTurn(r.text) ? good.graph : null);
    const mapStale = !r.graph && !!g;
    drawMap(map, g, t, (line) => jump(line), { edgeLabel,
      none: hasTurn(r.text) ? t('studio.map_unreadable') : t('studio.map_none') });
    map.classList.toggle('stale', mapStale);
    if (mapStale) map.prepend(staleNote());
    drawPath(shownSamples.find((s) => s.line === pathShown));
    // The turns to play from (kept while the chosen one is still there), and the start mood.
    const turns = r.graph ? r.graph.nodes.filter((n) => n.kind === 'turn').map((n) => n.id) : [];
    const chosen = fromSelect.value;
    fromSelect.replaceChildren(h('option', { value: '' }, t('studio.play_start')),
      ...turns.map((id) => h('option', { value: id }, id)));
    fromSelect.value = turns.includes(chosen) ? chosen : '';
    moodInput.disabled = !fromSelect.value;
    if (!moodTouched && r.graph) moodInput.value = String(r.graph.mood);
    // Which languages the texts have: each language counted (one missing from the whole file
    // too), a badge on each text lacking one; the last ones kept while the text does not read.
    const read = (r.languages || []).length > 0;
    if (read) good.languages = r.languages;
    const ls = read ? r.languages : good.languages || [];
    langs.classList.toggle('stale', !read && ls.length > 0);
    editorBox.classList.toggle('stale-badges', !read);
    langs.textContent = ls.length ? t('studio.langs', {
      list: ls.map((l) => {
        const lang = langName(l.code);
        if (!l.declared && !l.texts) return t('studio.lang_missing', { lang });
        return t(l.declared ? 'studio.lang_count' : 'studio.lang_undeclared', { lang, n: l.texts, of: l.of });
      }).join(t('studio.list_sep')),
    }) + (!read ? ` (${t('studio.stale')})` : '') : '';
    // Still pressable (it then says why in the notice); marked and titled meanwhile.
    playBtn.dataset.blocked = String(errors > 0);
    addBtn.dataset.blocked = String(errors > 0);
    playBtn.title = errors ? t('studio.play_broken') : '';
    addBtn.title = errors ? t('studio.add_broken') : '';
  };
  let moodTouched = false;
  moodInput.addEventListener('input', () => { moodTouched = true; });

  const renamed = StateEffect.define();
  const lint = linter(async (v) => {
    const text = v.state.doc.toString();
    status.dataset.state = 'checking';
    status.textContent = t('studio.checking');
    const r = await checker.check(name || 'scenario.toml', text);
    if (v.state.doc.toString() !== text) return [];
    report = Object.assign(r, { text });
    render();
    // The badges of a text that does not read stay where they were (marked, by render).
    if ((r.languages || []).length) v.dispatch({ effects: setLacks.of(lacksDecorations(v.state.doc, r.texts, t, langName)) });
    return r.diagnostics.map((d) => {
      const rg = rangeAt(v.state.doc, d);
      return { from: rg.from, to: rg.to, severity: d.severity, message: d.message,
        actions: fixAction(d) || undefined };
    });
  }, {
    delay: CHECK_DELAY_MS,
    // The file's name is part of what is checked (its id must match it): a rename checks the
    // text again, though the text did not change (forceLinting alone runs only a check that
    // an edit has already asked for, so the old name's warning stayed until a reload).
    needsRefresh: (u) => u.transactions.some((tr) => tr.effects.some((e) => e.is(renamed))),
  });

  let saveTimer = 0;
  const theme = new Compartment();
  const onScheme = (e) => view.dispatch({ effects: theme.reconfigure(e.matches ? DARK : []) });
  darkQuery()?.addEventListener('change', onScheme);
  const view = new EditorView({
    parent: editorBox,
    state: EditorState.create({ doc: '', extensions: [] }),
  });
  const stateFor = (doc, sel) => EditorState.create({
    doc,
    selection: sel ? EditorSelection.single(Math.min(sel[0], doc.length), Math.min(sel[1], doc.length)) : undefined,
    extensions: [
      SETUP,
      StreamLanguage.define(toml),
      lintGutter(),
      lint,
      lacksField,
      EditorView.lineWrapping,
      theme.of(darkQuery()?.matches ? DARK : []),
      EditorState.phrases.of(Object.fromEntries(Object.entries(CM_PHRASES).map(([p, k]) => [p, t(k)]))),
      EditorView.contentAttributes.of({ 'aria-label': t('studio.editor'), lang: opts.lang || 'en' }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged || u.selectionSet) {
          clearTimeout(saveTimer);
          saveTimer = setTimeout(() => save(), 300);
        }
      }),
    ],
  });

  const refreshDrafts = () => {
    draftSelect.replaceChildren(...drafts.names().map((n) => h('option', { value: n, selected: n === name }, n)));
    nameInput.value = name || '';
  };
  const open = (n, text, sel, top) => {
    if (name) save(true);
    name = n;
    moodTouched = false;
    good = { graph: null, samples: null, languages: null };
    pathShown = null;
    view.setState(stateFor(text, sel));
    // Back where it was scrolled (once laid out), else the cursor in view.
    if (top > 0) requestAnimationFrame(() => { view.scrollDOM.scrollTop = top; });
    drafts.setCurrent(n);
    save(true);
    refreshDrafts();
  };
  const unique = (n) => {
    let f = fileName(n);
    for (let i = 2; drafts.has(f); i++) f = fileName(`${n.replace(/\.toml$/, '')}-${i}`);
    return f;
  };

  newSelect.addEventListener('change', () => {
    const k = newSelect.value;
    newSelect.value = '';
    if (!TEMPLATES[k]) return;
    const f = unique(`my-${k}`);
    const id = f.replace(/\.toml$/, '');
    open(f, TEMPLATES[k].replace(/^id = ".*"$/m, `id = "${id}"`));
    view.focus();
  });
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files && fileInput.files[0];
    if (!file) return;
    fileInput.value = '';
    // Only UTF-8 text: another encoding (GBK, Big5) decoded as UTF-8 would become the draft as
    // replacement characters, and keeping or downloading it would lose the Chinese for good.
    let text;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
    } catch (e) {
      say(t('studio.not_utf8', { file: file.name }));
      return;
    }
    open(unique(file.name), text);
  });
  libSelect.addEventListener('focus', async () => {
    if (libSelect.options.length > 1) return;
    try {
      const list = await (await fetch('scenarios/index.json')).json();
      libSelect.append(...list.map((f) => h('option', { value: f }, f)));
    } catch (e) { say(t('studio.library_failed')); }
  }, { once: true });
  libSelect.addEventListener('change', async () => {
    const f = libSelect.value;
    libSelect.value = '';
    if (!f) return;
    try {
      const res = await fetch(`scenarios/${encodeURIComponent(f)}`);
      if (!res.ok) throw new Error(res.status);
      // A copy: an id and a file name of its own (`ID-copy`, `ID-copy-2`, …), so adding it to
      // the library or play-testing it never stands in for the shipped scenario.
      const src = await res.text();
      const idLine = /^(id[ \t]*=[ \t]*)"([^"\n]*)"/m;
      const was = (src.match(idLine) || [])[2] || f.replace(/\.toml$/, '');
      const copy = unique(`${was}-copy`);
      open(copy, src.replace(idLine, (_, k) => `${k}"${copy.replace(/\.toml$/, '')}"`));
    } catch (e) { say(t('studio.library_failed')); }
  });
  draftSelect.addEventListener('change', () => {
    const d = drafts.get(draftSelect.value);
    if (d) open(draftSelect.value, d.text, d.sel, d.top);
  });
  nameInput.addEventListener('change', () => {
    if (!name) return;
    const f = fileName(nameInput.value);
    if (f === name) { nameInput.value = name; return; }
    const to = drafts.has(f) ? unique(f) : f;
    drafts.rename(name, to);
    name = to;
    save(true);
    refreshDrafts();
    view.dispatch({ effects: renamed.of(to) });
    forceLinting(view);
  });
  // Delete the open draft, with a way back: the notice offers to undo it.
  const remove = () => {
    if (!name) return;
    clearTimeout(saveTimer);
    save(true);
    const gone = name;
    const d = drafts.remove(gone);
    const next = drafts.names()[0];
    name = null;
    if (next) { const n = drafts.get(next); open(next, n.text, n.sel, n.top); } else start();
    if (!d) return;
    const undo = h('button', { type: 'button', id: 'studio-undo-delete', onclick: () => {
      drafts.restore(gone, d);
      open(gone, d.text, d.sel, d.top);
      notice.hidden = true;
      view.focus();
    } }, t('studio.undo_delete'));
    notice.replaceChildren(t('studio.deleted', { name: gone }), ' ', undo);
    notice.dataset.state = 'deleted';
    notice.hidden = false;
    undo.focus();
  };
  const download = () => {
    const text = view.state.doc.toString();
    const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/toml' })),
      download: name || 'scenario.toml' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  };
  const say = (msg, state = 'said') => { notice.textContent = msg; notice.dataset.state = state; notice.hidden = false; };
  const broken = () => !report || report.failed || report.diagnostics.some((d) => d.severity === 'error');
  const play = () => {
    if (broken()) { say(t('studio.play_broken')); return; }
    const turn = fromSelect.value;
    const mood = moodInput.value.trim();
    if (turn && !(/^\d+$/.test(mood) && Number(mood) <= 100)) { say(t('studio.mood_range')); moodInput.focus(); return; }
    save(true);
    opts.play(name || 'scenario.toml', view.state.doc.toString(), turn, turn ? mood : '');
  };
  // Add to my library: the app checks the text again and keeps it with the files opened in
  // the library (the same store), so it is a card there, survives reload and can be removed.
  const add = async () => {
    if (broken()) { say(t('studio.add_broken')); return; }
    const n = name || 'scenario.toml';
    save(true);
    say(t('studio.adding', { name: n }), 'adding');
    try {
      const r = JSON.parse(await new Promise((done) => opts.add(n, view.state.doc.toString(), done)));
      if (r.id) {
        notice.replaceChildren(t('studio.added', { name: n }), ' ', h('a', { href: '#/' }, t('studio.library_link')));
        notice.dataset.state = 'added';
      } else {
        say(t('studio.add_failed', { name: n, error: (r.errors || []).join('\n') }), 'failed');
      }
    } catch (e) {
      say(t('studio.add_failed', { name: n, error: String(e && e.message || e) }), 'failed');
    }
  };

  const playBtn = h('button', { type: 'button', id: 'studio-play', class: 'primary', onclick: play }, t('studio.play'));
  const addBtn = h('button', { type: 'button', id: 'studio-add', onclick: add }, t('studio.add'));
  const root = h('section', { class: 'studio', 'aria-labelledby': 'studio-title' },
    h('h1', { id: 'studio-title' }, t('studio.title')),
    h('p', { class: 'studio-intro' }, t('studio.intro')),
    h('div', { class: 'studio-bar', role: 'toolbar', 'aria-label': t('studio.files') },
      h('label', {}, h('span', {}, t('studio.new_label')), newSelect),
      h('label', {}, h('span', {}, t('studio.open_file')), fileInput),
      h('label', {}, h('span', {}, t('studio.library')), libSelect),
      h('label', {}, h('span', {}, t('studio.drafts')), draftSelect),
      h('label', {}, h('span', {}, t('studio.name')), nameInput),
      h('button', { type: 'button', id: 'studio-delete', onclick: remove }, t('studio.delete')),
      h('button', { type: 'button', id: 'studio-download', onclick: download }, t('studio.download')),
      h('label', {}, h('span', {}, t('studio.play_from')), fromSelect),
      h('label', {}, h('span', {}, t('studio.play_mood')), moodInput),
      playBtn,
      addBtn),
    notice, status, langs,
    h('div', { class: 'studio-main' }, editorBox,
      h('section', { class: 'studio-side', 'aria-label': t('studio.map') }, h('h2', {}, t('studio.map')), map)),
    h('div', { class: 'studio-lists' },
      h('section', {}, h('h2', {}, t('studio.problems')), problems),
      samplesBox));

  const start = () => {
    const f = unique('my-angry');
    open(f, TEMPLATES.angry.replace(/^id = ".*"$/m, `id = "${f.replace(/\.toml$/, '')}"`));
  };
  el.replaceChildren(root);
  // Another tab's drafts: listed as they come and go (each draft has its own key).
  const onStorage = (e) => { if (e.key == null || Drafts.isDraftKey(e.key)) refreshDrafts(); };
  window.addEventListener('storage', onStorage);
  const cur = drafts.current();
  const d = cur && drafts.get(cur);
  if (d) {
    open(cur, d.text, d.sel, d.top);
    if (!(d.top > 0)) view.dispatch({ effects: EditorView.scrollIntoView(view.state.selection.main.head, { y: 'center' }) });
  } else start();
  const stop = () => { clearTimeout(saveTimer); save(true); checker.stop(); };
  window.addEventListener('pagehide', stop);
  el.kefuStop = () => {
    window.removeEventListener('pagehide', stop);
    window.removeEventListener('storage', onStorage);
    darkQuery()?.removeEventListener('change', onScheme);
    stop();
    view.destroy();
  };
  // For tests and scripts: the editor's text, and a way to type through CodeMirror.
  el.kefuStudio = { view, get report() { return report; }, get name() { return name; } };
  return true;
}
