// The progress store (#20 item 3): IndexedDB, one record per attempt, shared safely by tabs.
// The old store (one localStorage value, schema v1) is migrated once; without IndexedDB it
// stays the store, with a notice; two tabs never overwrite each other; one scenario is played
// in one tab at a time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, newPage, GOOD, reply, savedAttempts, savedWhen } from './harness.mjs';

const ID = 'angry-late-delivery';
let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

const started = 1_700_000_000_000;
const attempt = (n, extra = {}) => ({ id: `product-x-${n}-${started + n}`, scenario: 'product-x', title: `Old ${n}`,
  kind: 'product', lang: 'en', seed: n, started_ms: started + n, finished_ms: started + n + 60000, outcome: 'resolved',
  turns: [{ turn: 't', customer: 'c', reply: `r${n}`, score: 70 }], ...extra });
const V1 = JSON.stringify({ version: 1, attempts: [attempt(1), attempt(2)] });

/** A page of `context` whose console errors and uncaught exceptions are kept in `page.errors`. */
async function tab(context) {
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/** A page whose storage starts with the old store (schema v1) in localStorage. */
async function withV1(context, value = V1) {
  const page = await tab(context);
  await page.goto(`${srv.base}/?lang=en#/history`);
  await page.getByText('No attempts yet.').waitFor();
  // A browser that never ran the database version: only the old value.
  await page.evaluate(() => new Promise((res) => { const r = indexedDB.deleteDatabase('kefu'); r.onsuccess = r.onerror = res; }));
  await page.evaluate((v) => localStorage.setItem('kefu.progress', v), value);
  return page;
}

test('the old store (v1, one localStorage value) is migrated once, then removed', async () => {
  const context = await browser.newContext();
  const page = await withV1(context);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 2);
  const saved = await savedWhen(page, (a) => a.length === 2);
  assert.deepEqual(saved.map((a) => a.id), [attempt(1).id, attempt(2).id]);
  assert.equal(await page.evaluate(() => localStorage.getItem('kefu.progress')), null, 'removed once migrated');
  // Played on: saved in the database beside them; a reload shows all three.
  await page.goto(`${srv.base}/?lang=en&seed=4#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  await savedWhen(page, (a) => a.length === 3);
  // The copy play keeps until its write commits (`write_ahead`) is gone once it has.
  await page.waitForFunction(() => localStorage.getItem('kefu.progress') === null);
  await page.goto(`${srv.base}/?lang=en#/history`);
  await page.reload();
  await page.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 3);
  assert.equal(await page.locator('.notice').count(), 0, 'no notice');
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a migration that fails keeps the old store, says so, and this tab keeps using it', async () => {
  const context = await browser.newContext();
  const page = await withV1(context);
  // Every write into the database fails from now on.
  await page.addInitScript(() => { IDBObjectStore.prototype.put = function () { throw new DOMException('no', 'QuotaExceededError'); }; });
  await page.reload();
  const alert = page.locator('[data-store-error="store.migrate_failed"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be moved.*stays where it was/s);
  await page.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 2);
  assert.equal(await page.evaluate(() => localStorage.getItem('kefu.progress')), V1, 'the old value is untouched');
  await context.close();
});

test('without IndexedDB, progress stays in localStorage with a notice, and nothing is lost', async () => {
  const context = await browser.newContext();
  const page = await withV1(context);
  await page.addInitScript(() => { Object.defineProperty(window, 'indexedDB', { value: undefined }); });
  await page.reload();
  await page.locator('[data-store-error="store.no_db"]').waitFor();
  await page.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 2);
  await page.goto(`${srv.base}/?lang=en&seed=4#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('kefu.progress')).attempts.length === 3);
  assert.deepEqual(page.errors, []);
  await context.close();
});

test('a reply whose database write did not complete (the page closed, or the write failed) is saved at the next start', async () => {
  const context = await browser.newContext();
  const page = await tab(context);
  await page.goto(`${srv.base}/?lang=en&seed=4#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  // From here no write reaches the database.
  await page.evaluate(() => { IDBObjectStore.prototype.put = function () { throw new DOMException('no', 'AbortError'); }; });
  await reply(page, GOOD.en);
  await page.waitForFunction(() => JSON.parse(localStorage.getItem('kefu.progress') || '{"attempts":[]}').attempts.length === 1);
  assert.deepEqual(await savedAttempts(page), [], 'not in the database');
  const kept = JSON.parse(await page.evaluate(() => localStorage.getItem('kefu.progress'))).attempts[0];
  assert.equal(kept.scenario, ID);
  assert.equal(kept.turns[0].reply, GOOD.en);
  await page.close();
  // The next start merges the copy into the database and removes it.
  const next = await tab(context);
  await next.goto(`${srv.base}/?lang=en#/history`);
  await next.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 1);
  const saved = await savedWhen(next, (a) => a.length === 1);
  assert.deepEqual(saved.map((a) => [a.id, a.turns.length]), [[kept.id, 1]]);
  await next.waitForFunction(() => localStorage.getItem('kefu.progress') === null);
  assert.equal(await next.locator('.notice').count(), 0, 'no notice');
  assert.deepEqual(next.errors, []);
  await context.close();
});

test('a corrupt old store is kept aside (recoverable) and the database is used', async () => {
  const context = await browser.newContext();
  const bad = '{"version":1,"attempts":[{oops';
  const page = await withV1(context, bad);
  await page.reload();
  await page.locator('[data-store-error="store.corrupt"]').waitFor();
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kefu.progress.corrupt.')));
  assert.equal(aside.length, 1);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), aside[0]), bad, 'kept whole, to recover');
  await page.goto(`${srv.base}/?lang=en&seed=4#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  assert.equal((await savedWhen(page, (a) => a.length === 1)).length, 1);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), aside[0]), bad, 'still there after a save');
  await context.close();
});

test('two tabs play and import at once: nothing is lost, and each tab\'s history follows the other', async () => {
  const context = await browser.newContext();
  const [a, b, h] = [await tab(context), await tab(context), await tab(context)];
  await h.goto(`${srv.base}/?lang=en#/history`);
  await h.getByText('No attempts yet.').waitFor();
  await a.goto(`${srv.base}/?lang=en&seed=3#/play/${ID}`);
  await b.goto(`${srv.base}/?lang=en&seed=4#/play/angry-wrong-item`);
  for (const p of [a, b]) await p.getByRole('log').locator('.msg.customer').first().waitFor();
  const file = path.join(os.tmpdir(), `kefu-two-tabs-${process.pid}.json`);
  fs.writeFileSync(file, JSON.stringify({ version: 1, attempts: Array.from({ length: 50 }, (_, i) => attempt(i + 1)) }));
  // Both tabs reply while the third imports.
  await Promise.all([reply(a, GOOD.en), reply(b, GOOD.en), h.locator('input[type=file]').setInputFiles(file)]);
  await Promise.all([reply(a, GOOD.en), reply(b, GOOD.en)]);
  await h.getByText(/Imported 50 new attempts; 0 replaced/).waitFor();
  const saved = await savedWhen(a, (s) => s.length === 52 && s.filter((x) => x.turns.length === 2).length === 2);
  assert.equal(saved.length, 52, saved.map((x) => x.id).join(' '));
  assert.deepEqual(saved.filter((x) => x.scenario !== 'product-x').map((x) => [x.scenario, x.turns.length]).sort(),
    [[ID, 2], ['angry-wrong-item', 2]].sort());
  // The history tab shows what the others saved without a reload.
  await h.waitForFunction(() => document.querySelectorAll('table.attempts tbody tr').length === 52, null, { timeout: 5000 });
  fs.rmSync(file);
  for (const p of [a, b, h]) assert.deepEqual(p.errors, []);
  await context.close();
});

test('one scenario in two tabs: the second is told, may take over, and the first stops', async () => {
  const context = await browser.newContext();
  const a = await tab(context);
  await a.goto(`${srv.base}/?lang=en&seed=3#/play/${ID}`);
  await a.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(a, GOOD.en);
  const b = await tab(context);
  await b.goto(`${srv.base}/?lang=zh-Hans&seed=3#/play/${ID}`);
  const told = b.locator('[data-one-tab="elsewhere"]');
  await told.waitFor();
  assert.match(await told.innerText(), /已在另一个标签页中打开/);
  assert.equal(await b.getByRole('log').count(), 0, 'nothing is played (or saved) here meanwhile');
  await b.getByRole('button', { name: '在此接管' }).click();
  await b.getByRole('log').locator('.msg.agent').first().waitFor();
  // The first tab stops and says why; its session is the one taken over (one reply so far).
  await a.locator('[data-one-tab="lost"]').waitFor();
  assert.match(await a.locator('[data-one-tab="lost"]').innerText(), /taken over in another tab/);
  assert.equal(await b.getByRole('log').locator('.msg.agent').count(), 1);
  assert.equal((await savedAttempts(b)).length, 1);
  for (const p of [a, b]) assert.deepEqual(p.errors, []);
  await context.close();
});

test('with the site\'s storage blocked, statements still reach the LRS while the page is open, and the settings say so', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  // As Chromium with the site's cookies blocked: localStorage and sessionStorage throw on
  // access, and there is no database.
  await page.addInitScript(() => {
    for (const k of ['localStorage', 'sessionStorage']) {
      Object.defineProperty(window, k, { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });
    }
    Object.defineProperty(window, 'indexedDB', { value: undefined });
  });
  // The deploying team's LRS (config.json), here a stand-in that keeps what it is sent.
  const got = [];
  await page.route('**/config.json', (r) => r.fulfill({ json: { lrs: { endpoint: `${srv.base}/lrs/xAPI/`, username: 'w', password: 'p' } } }));
  await page.route('**/lrs/xAPI/statements*', async (r) => {
    if (r.request().method() === 'OPTIONS') return r.fulfill({ status: 204 });
    const batch = JSON.parse(r.request().postData());
    got.push(...batch);
    await r.fulfill({ json: batch.map((s) => s.id) });
  });
  await page.goto(`${srv.base}/?lang=en&seed=4#/settings`);
  await page.getByLabel('Name', { exact: true }).fill('Li Wei');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  // Within the page (a reload would forget everything): play one reply.
  await page.evaluate((id) => { location.hash = `#/play/${id}`; }, ID);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  await page.getByRole('region', { name: 'Feedback' }).locator('[data-principle]').first().waitFor();
  for (let i = 0; i < 100 && !got.length; i++) await page.waitForTimeout(100);
  assert.ok(got.length > 0, 'the reply\'s statement was sent');
  assert.ok(got.every((s) => s.actor.name === 'Li Wei'), 'as the trainee');
  await page.evaluate(() => { location.hash = '#/settings'; });
  const outbox = page.getByRole('region', { name: 'Outbox' });
  await outbox.locator('[data-in-memory]').waitFor();
  assert.match(await outbox.innerText(), /lost when it is closed or reloaded/);
  assert.deepEqual(page.errors, []);
  await context.close();
});
