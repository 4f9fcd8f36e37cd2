// The trainer studio (#/studio, issue #18): a template checks clean, a turn and a branch
// added show on the map, a typo in a principle id is an error at its line and column with the
// suggestion (within 300 ms of typing stopping) and its quick fix cleans it, a sample fails
// after an edit and passes after undo, play-test plays the text and the studio comes back
// with the text and cursor as they were, a reload keeps the draft, the download is the text,
// a full storage quota gives a notice and loses nothing, the studio's code is not part of the
// first load, and it works at 360 px and from the keyboard. One page, reused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { serve, launch, newPage, GOOD, playToEnd } from './harness.mjs';

let srv, browser, page;
const requests = [];
before(async () => {
  srv = await serve();
  browser = await launch();
  page = await newPage(browser);
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
});
after(async () => { await browser?.close(); srv?.server.close(); });

const studio = '.studio-root';
const text = () => page.evaluate((s) => document.querySelector(s).kefuStudio.view.state.doc.toString(), studio);
const cursor = () => page.evaluate((s) => {
  const v = document.querySelector(s).kefuStudio.view;
  return [v.state.selection.main.anchor, v.state.selection.main.head];
}, studio);
/** Replace the selection with `text`, as a paste does (multi-line text typed through the DOM
 * is read back by CodeMirror from the page's mutations: slow and racy on a loaded machine). */
const paste = (t) => page.evaluate(([s, t]) => {
  const v = document.querySelector(s).kefuStudio.view;
  v.dispatch(v.state.replaceSelection(t), { userEvent: 'input.paste' });
}, [studio, t]);
/** Select `what` (the `nth` occurrence) in the editor, as a trainer would with the mouse. */
async function select(what, nth = 0) {
  await page.evaluate(([s, w, n]) => {
    const v = document.querySelector(s).kefuStudio.view;
    const doc = v.state.doc.toString();
    let at = -1;
    for (let i = 0; i <= n; i++) at = doc.indexOf(w, at + 1);
    if (at < 0) throw new Error(`no ${w} in the editor`);
    v.dispatch({ selection: { anchor: at, head: at + w.length }, scrollIntoView: true });
    v.focus();
  }, [studio, what, nth]);
}
const state = () => page.locator('.studio-status').getAttribute('data-state');
/** Until the report shown is of the text in the editor now. */
async function settled() {
  await page.waitForFunction((s) => {
    const st = document.querySelector(s).kefuStudio;
    return st.report && st.report.text === st.view.state.doc.toString()
      && document.querySelector('.studio-status').dataset.state !== 'checking';
  }, studio);
}
const lineOf = (doc, needle) => doc.slice(0, doc.indexOf(needle)).split('\n').length;

test('the studio is not part of the first load; it loads when opened', async () => {
  await page.goto(`${srv.base}/?lang=en`);
  await page.locator('.cards .card').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(!requests.some((u) => /studio/.test(u)), `first load fetched the studio: ${requests.join(' ')}`);
  await page.getByRole('link', { name: 'Studio' }).click();
  await page.locator('.studio .cm-editor').waitFor();
  const bundle = requests.find((u) => /^\/studio\.[0-9a-f]{16}\.js$/.test(u));
  assert.ok(bundle, requests.join(' '));
  const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(process.env.DIST || '../../dist', bundle))).digest('hex');
  assert.equal(bundle, `/studio.${sha.slice(0, 16)}.js`, 'the bundle is named by its content');
});

test('template → clean → a turn and a branch on the map → a typo is an error with its fix → clean', async () => {
  await page.locator('#studio-new').selectOption('angry');
  await page.waitForFunction((s) => /^id = "my-angry-2"$/m.test(document.querySelector(s).kefuStudio.view.state.doc.toString()), studio);
  await settled();
  assert.equal(await state(), 'clean', await page.locator('.studio-problems').innerText());
  assert.equal(await page.locator('.studio-samples li[data-pass=true]').count(), 4);
  assert.equal(await page.locator('.studio-graph [data-node]').count(), 6);

  // A new turn at the end of the file, and a branch to it from `angrier`.
  await page.evaluate((s) => {
    const v = document.querySelector(s).kefuStudio.view;
    v.dispatch({ selection: { anchor: v.state.doc.length } });
    v.focus();
  }, studio);
  await paste('\n[[turn]]\nid = "calm"\nsay = [{ zh-Hans = "好吧,谢谢。", en = "All right, thanks." }]\nexpects = { gratitude = 1 }\n\n[[turn.next]]\ngoto = "resolved"\nmood = 10\n');
  await select('[[turn.next]]\ngoto = "escalated"\nmood = -30');
  await page.keyboard.press('ArrowLeft');
  await paste('[[turn.next]]\nany = ["gratitude"]\ngoto = "calm"\nmood = 5\n\n');
  await page.locator('.studio-graph [data-node=calm]').waitFor();
  await page.locator('.studio-graph .edge[data-from=angrier][data-to=calm]').waitFor();
  const label = await page.locator('.studio-graph .edge[data-from=angrier][data-to=calm] text').textContent();
  assert.equal(label, 'any gratitude (+5)');
  await settled();
  assert.notEqual(await state(), 'errors', await page.locator('.studio-problems').innerText());
  const before = await state();

  // A typo in a principle id, typed: the error is at its line and column, soon, with the fix.
  // Timed in the page: the last key released, and the error's first appearance in the list.
  await page.evaluate(() => {
    window.__keyAt = 0;
    window.__errAt = 0;
    document.addEventListener('keyup', () => { window.__keyAt = performance.now(); }, true);
    new MutationObserver((_, o) => {
      if (document.querySelector('.studio-problems li.error')) { window.__errAt = performance.now(); o.disconnect(); }
    }).observe(document.querySelector('.studio-problems'), { childList: true, subtree: true });
  });
  await select('"apology"');
  await page.keyboard.type('"apolgy"');
  const err = page.locator('.studio-problems li.error');
  await err.first().waitFor();
  const [typed, shown] = await page.evaluate(() => [window.__keyAt, window.__errAt]);
  const doc = await text();
  const line = lineOf(doc, '"apolgy"');
  assert.equal(await err.first().getAttribute('data-line'), String(line));
  assert.equal(await err.first().getAttribute('data-col'), '8');
  assert.match(await err.first().innerText(), /unknown principle `apolgy`: did you mean `apology`\?/);
  console.log(`error shown ${Math.round(shown - typed)} ms after typing stopped`);
  assert.ok(shown - typed <= 300, `the error took ${Math.round(shown - typed)} ms`);
  // In the gutter and underlined.
  await page.locator('.cm-lint-marker-error').first().waitFor();
  assert.equal((await page.locator('.cm-lintRange-error').allTextContents()).join(''), '"apolgy"');
  // Clicking it puts the cursor there; its quick fix repairs it.
  await err.first().locator('.studio-goto').click();
  const [at] = await cursor();
  assert.equal(at, doc.indexOf('"apolgy"'));
  await err.first().getByRole('button', { name: 'Replace with “apology”' }).click();
  await page.waitForFunction(() => !document.querySelector('.studio-problems li.error'));
  await settled();
  assert.equal(await state(), before);
  assert.ok(!(await text()).includes('apolgy'));
});

test('a sample fails after an edit that changes its path and passes after undo', async () => {
  const was = await text();
  await select('goto = "when"');
  await page.keyboard.type('goto = "angrier"');
  const failing = page.locator('.studio-samples li[data-pass=false]');
  await failing.first().waitFor();
  assert.match(await failing.first().innerText(), /took: open \(30\) → angrier \(55\)/);
  // Pointed at, the sample's path is drawn on the map.
  await failing.first().hover();
  assert.deepEqual(await page.locator('.studio-graph .edge.on-path').evaluateAll((es) => [...new Set(es.map((e) => `${e.dataset.from}>${e.dataset.to}`))]),
    ['open>angrier']);
  await page.locator('.cm-content').focus();
  for (let i = 0; i < 5 && (await text()) !== was; i++) await page.keyboard.press('Control+z');
  assert.equal(await text(), was);
  await page.waitForFunction(() => !document.querySelector('.studio-samples li[data-pass=false]')
    && document.querySelectorAll('.studio-samples li[data-pass=true]').length === 4);
});

test('play-test plays the text to an ending; the studio comes back with text and cursor', async () => {
  await select('Mr. Wang');
  const was = await text();
  const sel = await cursor();
  await page.locator('#studio-play').click();
  await page.waitForURL(/#\/play\/my-angry-2/);
  await page.getByRole('textbox', { name: 'Reply' }).waitFor();
  await playToEnd(page, GOOD.en);
  await page.getByRole('link', { name: 'Studio' }).click();
  await page.locator('.studio .cm-editor').waitFor();
  assert.equal(await text(), was);
  assert.deepEqual(await cursor(), sel);
});

test('a reload keeps the draft; the download is the text; a full quota loses nothing', async () => {
  const was = await text();
  await page.reload();
  await page.locator('.studio .cm-editor').waitFor();
  assert.equal(await text(), was);
  assert.match(await page.locator('#studio-drafts').innerText(), /my-angry-2\.toml/);

  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#studio-download').click()]);
  assert.equal(dl.suggestedFilename(), 'my-angry-2.toml');
  assert.equal(fs.readFileSync(await dl.path(), 'utf8'), was);

  // The storage refuses every write: a notice, the text stays, the saved draft is the last one.
  await page.evaluate(() => {
    window.__setItem = Storage.prototype.setItem;
    Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('# more\n');
  await page.locator('.studio-notice:not([hidden])').waitFor();
  assert.match(await page.locator('.studio-notice').innerText(), /storage is full/);
  assert.ok((await text()).endsWith('# more\n'));
  const saved = await page.evaluate(() => JSON.parse(localStorage.getItem('kefu.studio.drafts'))['my-angry-2.toml'].text);
  assert.equal(saved, was);
  await page.evaluate(() => { Storage.prototype.setItem = window.__setItem; });
  await page.keyboard.insertText('# saved\n');
  await page.locator('.studio-notice[hidden]').waitFor({ state: 'attached' });
  assert.ok(page.errors.every((e) => !/studio/i.test(e)), page.errors.join('\n'));
});

test('at 360 px the text and the map are stacked, and the keyboard reaches the map', async () => {
  await page.setViewportSize({ width: 360, height: 740 });
  const ed = await page.locator('.studio-editor').boundingBox();
  const map = await page.locator('.studio-map').boundingBox();
  assert.ok(ed.width > 300 && map.y >= ed.y + ed.height, JSON.stringify({ ed, map }));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(overflow <= 360, `the page is ${overflow} px wide`);
  // A map node, focused and Enter: the editor's cursor goes to its turn.
  const node = page.locator('.studio-graph [data-node=when]');
  await node.focus();
  await page.keyboard.press('Enter');
  const [at] = await cursor();
  const doc = await text();
  assert.equal(doc.slice(0, at).split('\n').length, lineOf(doc, 'id = "when"'));
  assert.ok(await page.evaluate(() => document.activeElement.classList.contains('cm-content')));
});
