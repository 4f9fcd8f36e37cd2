// The real built app (dist/) in headless Chromium: library, play, feedback, summary, reload,
// languages, storage errors, broken files, exam, export/import. Figures are reported, not asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import os from 'node:os';
import { serve, launch, newPage, titleOf, GOOD, reply, playToEnd, SHOTS, savedWhen, recordPlayTitles, playTitles } from './harness.mjs';

const ID = 'angry-late-delivery';
let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the library lists the scenarios; the time to show it is reported', async () => {
  const page = await newPage(browser);
  // The page notes when the first card enters the DOM (ms since navigation started).
  await page.addInitScript(() => {
    new MutationObserver((_, obs) => {
      if (document.querySelector('.cards .card')) { window.__cardsAt = performance.now(); obs.disconnect(); }
    }).observe(document, { subtree: true, childList: true });
  });
  const fetched = [];
  page.on('request', (r) => fetched.push(new URL(r.url()).pathname));
  const t0 = Date.now();
  await page.goto(`${srv.base}/?lang=en`);
  const link = page.getByRole('link', { name: titleOf(ID) });
  await link.waitFor();
  const wall = Date.now() - t0;
  const inPage = Math.round(await page.evaluate(() => window.__cardsAt));
  console.log(`# library visible ${inPage} ms after navigation started (loopback; ${wall} ms as the test driver saw it)`);
  const n = await page.locator('.cards .card').count();
  const files = JSON.parse(fs.readFileSync(path.join(process.env.DIST || '../../dist', 'scenarios/index.json'), 'utf8'));
  assert.equal(n, files.length, 'one card per scenario file');
  assert.equal(await page.locator('.broken').count(), 0, 'no shipped file is broken');
  // The checked library's cards come inside index.html (`kefu prerender`: no request for them;
  // a scenario's own file waits until it is wanted); the checker is not loaded for it, and no
  // scenario file is parsed (the scorer may be prefetched once the library is shown: intent, idle).
  assert.deepEqual(fetched.filter((p) => p.startsWith('/scenarios/') && p.endsWith('.json') && p !== '/scenarios/index.json'), [], fetched.join(' '));
  assert.deepEqual(fetched.filter((p) => p.startsWith('/engine/kefu_check') || p.endsWith('.toml')), []);
  assert.deepEqual(page.errors, []);
});

test('the tab is named in the page\'s language: the library by index.html, each other page by the app', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=zh-Hant`);
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.title(), '客服道場');
  await page.goto(`${srv.base}/?lang=zh-Hant#/settings`);
  await page.waitForFunction(() => document.title === '設定 · 客服道場');
  await page.goto(`${srv.base}/?lang=en#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.waitForFunction((t) => document.title === `${t} · Kefu Dojo`, titleOf(ID));
  await page.getByRole('link', { name: 'History' }).click();
  await page.waitForFunction(() => document.title === 'History · Kefu Dojo');
  assert.deepEqual(page.errors, []);
});

test('a seed written after the hash (#/play/ID?seed=N) plays that seed, as ?seed=N#/play/ID does', async () => {
  const first = async (url) => {
    const page = await newPage(browser);
    await page.goto(url);
    const line = await page.getByRole('log').locator('.msg.customer').first().innerText();
    assert.deepEqual(page.errors, []);
    await page.context().close();
    return line;
  };
  const lines = new Set();
  for (const seed of [1, 2, 3, 4]) {
    const before = await first(`${srv.base}/?lang=en&seed=${seed}#/play/${ID}`);
    assert.equal(await first(`${srv.base}/?lang=en#/play/${ID}?seed=${seed}`), before, `seed ${seed}`);
    lines.add(before);
  }
  assert.ok(lines.size > 1, 'the seeds give different lines (so the test tells them apart)');
});

test('a file copied into a deployed site and listed in index.json is checked and listed', async () => {
  const page = await newPage(browser);
  const dist = process.env.DIST || '../../dist';
  const names = JSON.parse(fs.readFileSync(path.join(dist, 'scenarios/index.json'), 'utf8'));
  const copy = fs.readFileSync(path.join(dist, `scenarios/${ID}.toml`), 'utf8')
    .replace(/^id = ".*"$/m, 'id = "zz-added"')
    .replace(`en = "${titleOf(ID)}"`, 'en = "Added after the build"');
  await page.route('**/scenarios/index.json', (r) => r.fulfill({ json: [...names, 'zz-added.toml', 'zz-bad.toml'] }));
  await page.route('**/scenarios/zz-added.toml', (r) => r.fulfill({ body: copy, contentType: 'text/plain' }));
  await page.route('**/scenarios/zz-bad.toml', (r) => r.fulfill({ body: 'id = "zz-bad"\nkind = "grumpy"\n', contentType: 'text/plain' }));
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route('**/engine/**', async (r) => { await gate; await r.continue(); });
  await page.goto(`${srv.base}/?lang=en`);
  // The shipped scenarios are listed at once; the added files wait for the engine to check them.
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
  await page.getByRole('status').filter({ hasText: 'Checking 2 scenario files' }).waitFor();
  release();
  await page.getByRole('link', { name: 'Added after the build' }).waitFor();
  const broken = page.getByRole('alert', { name: 'Scenario files with errors' });
  assert.match(await broken.innerText(), /zz-bad\.toml:\d+:\d+: error: /);
  assert.ok(await page.getByRole('link', { name: titleOf(ID) }).isVisible(), 'the shipped ones still load');
  assert.deepEqual(page.errors, []);
});

test('a file deployed as the docs say (copied into a copy of dist/, its name added to index.json in place) is listed through kefu serve', async () => {
  // No route: the real files, the real server, which sends a precompressed variant when there
  // is one — so the build must leave none for index.json to go stale.
  const dist = process.env.DIST || '../../dist';
  const site = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-deployed-'));
  fs.cpSync(dist, site, { recursive: true });
  const names = JSON.parse(fs.readFileSync(path.join(site, 'scenarios/index.json'), 'utf8'));
  const copy = fs.readFileSync(path.join(site, `scenarios/${ID}.toml`), 'utf8')
    .replace(/^id = ".*"$/m, 'id = "zz-deployed"')
    .replace(`en = "${titleOf(ID)}"`, 'en = "Deployed by hand"');
  fs.writeFileSync(path.join(site, 'scenarios/zz-deployed.toml'), copy);
  fs.writeFileSync(path.join(site, 'scenarios/index.json'), JSON.stringify([...names, 'zz-deployed.toml'], null, 2));
  const own = await serve(site);
  try {
    const sent = await fetch(`${own.base}/scenarios/index.json`, { headers: { 'Accept-Encoding': 'br, gzip' } });
    assert.ok((await sent.json()).includes('zz-deployed.toml'), 'the edited list is what the server sends');
    const page = await newPage(browser);
    await page.goto(`${own.base}/?lang=en`);
    await page.getByRole('link', { name: 'Deployed by hand' }).waitFor();
    assert.ok(await page.getByRole('link', { name: titleOf(ID) }).isVisible());
    assert.deepEqual(page.errors, []);
    await page.context().close();
  } finally {
    own.server.close();
    fs.rmSync(site, { recursive: true, force: true });
  }
});

test('a file added to a deployed site with a shipped id plays from the start; an unrelated added file holds nothing back', async () => {
  const dist = process.env.DIST || '../../dist';
  const names = JSON.parse(fs.readFileSync(path.join(dist, 'scenarios/index.json'), 'utf8'));
  const shipped = fs.readFileSync(path.join(dist, `scenarios/${ID}.toml`), 'utf8');
  const copy = (id, title) => shipped.replace(/^id = ".*"$/m, `id = "${id}"`).replace(`en = "${titleOf(ID)}"`, `en = "${title}"`);
  async function open(extra, text) {
    const page = await newPage(browser);
    await recordPlayTitles(page);
    await page.route('**/scenarios/index.json', (r) => r.fulfill({ json: [...names, extra] }));
    await page.route(`**/scenarios/${extra}`, (r) => r.fulfill({ body: text, contentType: 'text/plain' }));
    // The checker is held back until the test lets it go.
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route('**/engine/kefu_check*', async (r) => { await gate; await r.continue(); });
    const own = page.waitForResponse((r) => r.url().endsWith(`/scenarios/one/${ID}.json`)).catch(() => null);
    await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
    return { page, release, own };
  }
  // An added file that cannot define this id: the shipped scenario plays with the checker held.
  {
    const { page, release } = await open('zz-other.toml', copy('zz-other', 'Someone else'));
    await page.getByRole('log').locator('.msg.customer').first().waitFor();
    assert.deepEqual(await playTitles(page), [titleOf(ID)]);
    release();
    await page.close();
  }
  // An added file that replaces it: play waits for the checker, and only ever shows that one.
  {
    const { page, release, own } = await open('zz-mine.toml', copy(ID, 'Our own late parcel'));
    await own;
    await page.waitForTimeout(500);
    assert.deepEqual(await playTitles(page), [], 'nothing played before the added file is checked');
    assert.ok(await page.getByRole('status').filter({ hasText: /loading/i }).first().isVisible(), 'play says it is loading');
    release();
    await page.getByRole('heading', { name: 'Our own late parcel' }).waitFor();
    await page.getByRole('log').locator('.msg.customer').first().waitFor();
    assert.deepEqual(await playTitles(page), ['Our own late parcel']);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('a site whose list of files never answers still plays, after a bounded wait', async () => {
  const page = await newPage(browser);
  // scenarios/index.json is asked for and never answered (a hanging server).
  await page.route('**/scenarios/index.json', () => new Promise(() => {}));
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor({ timeout: 20000 });
  assert.equal(await page.locator('main h1').first().innerText(), titleOf(ID));
  assert.deepEqual(page.errors, []);
});

test('two files added to a deployed site with one id: the first is the scenario, the second is listed with kefu check\'s error', async () => {
  const page = await newPage(browser);
  const dist = process.env.DIST || '../../dist';
  const names = JSON.parse(fs.readFileSync(path.join(dist, 'scenarios/index.json'), 'utf8'));
  const shipped = fs.readFileSync(path.join(dist, `scenarios/${ID}.toml`), 'utf8');
  const twin = (title) => shipped.replace(/^id = ".*"$/m, 'id = "twin"').replace(`en = "${titleOf(ID)}"`, `en = "${title}"`);
  await page.route('**/scenarios/index.json', (r) => r.fulfill({ json: [...names, 'twin-a.toml', 'twin-b.toml'] }));
  await page.route('**/scenarios/twin-a.toml', (r) => r.fulfill({ body: twin('Twin A'), contentType: 'text/plain' }));
  await page.route('**/scenarios/twin-b.toml', (r) => r.fulfill({ body: twin('Twin B'), contentType: 'text/plain' }));
  await page.goto(`${srv.base}/?lang=en`);
  await page.getByRole('link', { name: 'Twin A' }).waitFor();
  const broken = page.getByRole('alert', { name: 'Scenario files with errors' });
  await broken.waitFor();
  // At the second file's `id` line, as `kefu check` says it.
  const idLine = shipped.split('\n').findIndex((l) => /^id = /.test(l)) + 1;
  assert.match(await broken.innerText(), new RegExp(`twin-b\\.toml:${idLine}:6: error: scenario id \`twin\` is already used by twin-a\\.toml`));
  assert.equal(await page.getByRole('link', { name: 'Twin B' }).count(), 0);
  assert.deepEqual(page.errors, []);
});

test('a reply gets feedback with highlighted evidence, and the scenario reaches its summary', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=3#/play/${ID}`);
  const log = page.getByRole('log');
  await log.locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  const fb = page.getByRole('region', { name: 'Feedback' });
  const items = fb.locator('[data-principle]');
  assert.ok(await items.count() >= 13, 'every judged principle is listed');
  for (const hit of await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-hit')))) {
    assert.match(hit, /^(true|false)$/, 'each item carries data-hit');
  }
  assert.equal(await fb.locator('.fb-item[data-principle="apology"]').getAttribute('data-hit'), 'true');
  assert.equal(await fb.locator('.fb-item[data-principle="blame"]').getAttribute('data-hit'), 'false');
  assert.equal(await fb.locator('[data-principle="facts"]').count(), 0, 'no product facts on a late-parcel turn');
  const mark = fb.locator('mark[data-evidence="apology"]');
  assert.match(await mark.first().innerText(), /sorry/i, 'evidence is highlighted in the reply as typed');
  await page.screenshot({ path: path.join(SHOTS, 'play-1280.png'), fullPage: true });
  const turns = await playToEnd(page, GOOD.en);
  const summary = page.locator('.summary');
  await summary.waitFor();
  assert.equal(await summary.locator('.ending').getAttribute('data-outcome'), 'resolved');
  assert.ok(Number(await summary.locator('.total').getAttribute('data-score')) >= 60);
  assert.ok(await summary.locator('svg polygon.shape').count() === 1, 'radar chart drawn');
  console.log(`# good replies resolved the scenario after ${turns + 1} turns`);
  await page.screenshot({ path: path.join(SHOTS, 'summary-1280.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('blame makes the customer angrier than an apology does', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=5#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  const mood0 = Number(await page.locator('meter#mood').getAttribute('value'));
  await reply(page, "That's the courier's fault, not ours. You should have read the delivery times.");
  const fb = page.getByRole('region', { name: 'Feedback' });
  assert.equal(await fb.locator('.fb-item[data-principle="blame"]').getAttribute('data-hit'), 'true');
  assert.ok(await fb.locator('mark.bad[data-evidence="blame"]').count() >= 1, 'violation marked apart');
  const mood1 = Number(await page.locator('meter#mood').getAttribute('value'));
  assert.ok(mood1 < mood0, `mood falls after blame (${mood0} → ${mood1})`);
});

test('a reload returns to the same place with nothing lost', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=9#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  const logBefore = await page.getByRole('log').innerText();
  await page.getByRole('textbox', { name: 'Reply' }).fill('half-written draft');
  await page.reload();
  await page.getByRole('log').locator('.msg.agent').first().waitFor();
  assert.equal(await page.getByRole('log').innerText(), logBefore, 'conversation restored exactly');
  assert.equal(await page.getByRole('textbox', { name: 'Reply' }).inputValue(), 'half-written draft');
  await page.getByRole('region', { name: 'Feedback' }).waitFor();
});

test('three languages, and switching keeps the trainee in place', async () => {
  const page = await newPage(browser);
  for (const [lang, word] of [['zh-Hans', '场景库'], ['zh-Hant', '場景庫'], ['en', 'Library']]) {
    await page.goto(`${srv.base}/?lang=${lang}`);
    await page.getByRole('heading', { name: word }).waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
  }
  await page.goto(`${srv.base}/?lang=en&seed=2#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hans');
  await page.getByRole('region', { name: '反馈' }).waitFor();
  assert.equal(await page.getByRole('log').locator('.msg.agent').count(), 1, 'the reply is still there');
  assert.match(page.url(), /lang=zh-Hans/);
  assert.match(page.url(), new RegExp(`#/play/${ID}$`));
});

test('corrupt storage is reported, kept aside, and the app still plays', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  // Once the app has read storage (the library shows), corrupt it; the reload must notice.
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
  await page.evaluate(() => localStorage.setItem('kefu.progress', '{"version":1,"attempts":[{oops'));
  await page.reload();
  const alert = page.locator('[data-store-error="store.corrupt"]');
  await alert.waitFor();
  // Kept whole under a dated name (a later corruption never overwrites it), named in the notice.
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('kefu.progress.corrupt.')));
  assert.equal(aside.length, 1, aside.join(' '));
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), aside[0]), '{"version":1,"attempts":[{oops');
  assert.ok((await alert.innerText()).includes(aside[0]), 'the notice names where it is kept');
  await page.getByRole('link', { name: titleOf(ID) }).click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
});

test('full storage is reported and the trainee plays on, with nothing saved over', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
  const before = await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort()));
  // From now on every write fails as a full quota does.
  await page.evaluate(() => {
    Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  await page.getByRole('link', { name: titleOf(ID) }).click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  const alert = page.locator('[data-store-error="store.full"]');
  await alert.waitFor();
  assert.match(await alert.innerText(), /storage is full.*Export/s);
  await reply(page, GOOD.en);
  assert.equal(await page.getByRole('log').locator('.msg.agent').count(), 2, 'play goes on');
  assert.equal(await page.evaluate(() => JSON.stringify(Object.entries(localStorage).sort())), before,
    'nothing already saved was lost or half-written');
  assert.deepEqual(page.errors, []);
});

test('a broken scenario file opened by a trainer shows its errors; the others still load', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
  await page.locator('input[type=file]').setInputFiles({ name: 'mine.toml', mimeType: 'text/plain',
    buffer: Buffer.from('id = "mine"\nkind = "angry"\nlanguages = ["en"\n') });
  const broken = page.getByRole('alert', { name: 'Scenario files with errors' });
  await broken.waitFor();
  assert.match(await broken.innerText(), /mine\.toml:\d+:\d+: error: /);
  assert.ok(await page.getByRole('link', { name: titleOf(ID) }).isVisible());
  // A good local file plays at once.
  const good = fs.readFileSync(path.join(process.env.DIST || '../../dist', `scenarios/${ID}.toml`), 'utf8')
    .replace(/^id = ".*"$/m, 'id = "my-copy"');
  await page.locator('input[type=file]').setInputFiles({ name: 'my-copy.toml', mimeType: 'text/plain', buffer: Buffer.from(good) });
  await page.waitForURL(/#\/play\/my-copy$/);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  // The trainer's file is kept: after a reload it is checked again and plays.
  await page.reload();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.goto(`${srv.base}/?lang=en#/`);
  await page.getByRole('link', { name: titleOf(ID) }).first().waitFor();
  assert.ok(await page.locator('.cards .card').count() > 1);
});

test('play starts before the scorer arrives; a reply sent meanwhile is judged when it does', async () => {
  const page = await newPage(browser);
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route('**/engine/**', async (r) => { await gate; await r.continue(); });
  const code = [];
  page.on('request', (r) => { if (/\.(js|wasm)(\?|$)/.test(r.url())) code.push(new URL(r.url())); });
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.getByRole('textbox', { name: 'Reply' }).fill(GOOD.en);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status').filter({ hasText: 'Loading the scorer' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Feedback' }).count(), 0, 'not judged without the scorer');
  release();
  const fb = page.getByRole('region', { name: 'Feedback' });
  await fb.waitFor();
  assert.equal(await fb.locator('[data-principle="apology"]').getAttribute('data-hit'), 'true');
  // Every script and module of the app and of the engine is named by its content, so a cache
  // may keep it forever and a browser never mixes two builds after a redeploy: each name's hash
  // is the file's own (sha256, 16 hex digits), and the page names this build's engine.
  const hashed = /^(.*)\.([0-9a-f]{16})\.(js|wasm)$/;
  const paths = code.map((u) => u.pathname).sort();
  for (const f of [/^\/kefu_dojo\.[0-9a-f]{16}\.js$/, /^\/kefu_dojo_bg\.[0-9a-f]{16}\.wasm$/,
    /^\/engine\/kefu_worker\.[0-9a-f]{16}\.js$/,
    /^\/engine\/kefu_score\.[0-9a-f]{16}\.js$/, /^\/engine\/kefu_score_bg\.[0-9a-f]{16}\.wasm$/,
    /^\/snippets\/[^/]+\/inline\d+\.[0-9a-f]{16}\.js$/]) {
    assert.ok(paths.some((p) => f.test(p)), `${f} loaded: ${paths.join(' ')}`);
  }
  const dist = process.env.DIST || '../../dist';
  for (const u of code) {
    assert.equal(u.search, '', `${u.pathname}: no query stamp`);
    const m = u.pathname.match(hashed);
    assert.ok(m, `${u.pathname} is named by its content`);
    const sha = crypto.createHash('sha256').update(fs.readFileSync(path.join(dist, u.pathname))).digest('hex');
    assert.equal(m[2], sha.slice(0, 16), `${u.pathname}: the hash in its name is its content's`);
  }
  const engine = await page.locator('meta[name="kefu-scorer"]').getAttribute('content');
  assert.ok(paths.includes(`/${engine}`), `the page's scorer ${engine} is the one loaded`);
  assert.ok(!paths.some((p) => p.startsWith('/engine/kefu_check')), 'play never loads the checker');
  // What the server sends for them: compressed, cached for good; the page itself revalidates.
  const res = await page.request.get(`${srv.base}${paths.find((p) => p.endsWith('.wasm'))}`);
  assert.equal(res.headers()['content-type'], 'application/wasm');
  assert.equal(res.headers()['cache-control'], 'public, max-age=31536000, immutable');
  assert.match(res.headers()['content-encoding'] || '', /^(br|gzip)$/);
  const index = await page.request.get(`${srv.base}/`);
  assert.equal(index.headers()['cache-control'], 'no-cache');
  assert.deepEqual(page.errors, []);
});

test('a reply sent while the scorer loads survives a language switch and a reload', async () => {
  const page = await newPage(browser);
  let release;
  const gate = new Promise((r) => { release = r; });
  await page.route('**/engine/**', async (r) => { await gate; await r.continue(); });
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.getByRole('textbox', { name: 'Reply' }).fill(GOOD.en);
  await page.getByRole('button', { name: 'Send' }).click();
  await page.getByRole('status').filter({ hasText: 'Loading the scorer' }).waitFor();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hant');
  await page.getByRole('combobox', { name: '語言' }).selectOption('zh-Hans');
  const log = page.getByRole('log');
  await log.locator('.msg.agent.pending').filter({ hasText: GOOD.en }).waitFor();
  await page.reload();
  await log.locator('.msg.agent.pending').filter({ hasText: GOOD.en }).waitFor();
  assert.equal(await page.getByRole('region', { name: '反馈' }).count(), 0, 'not judged without the scorer');
  release();
  const fb = page.getByRole('region', { name: '反馈' });
  await fb.waitFor();
  assert.equal(await fb.locator('[data-principle="apology"]').getAttribute('data-hit'), 'true');
  assert.equal(await log.locator('.msg.agent').count(), 1, 'judged once, not twice');
  assert.equal(await page.getByRole('textbox', { name: '回复' }).inputValue(), '', 'the draft is cleared once taken');
  assert.deepEqual(page.errors, []);
});

test('an engine that cannot judge (another build, say) is reported; the reply is not scored', async () => {
  const page = await newPage(browser);
  // An engine from another build: it loads, but answers every request with an error.
  await page.route(/\/engine\/kefu_score\.[0-9a-f]{16}\.js$/, (r) => r.fulfill({ contentType: 'text/javascript', body:
    'export default async function () {}\n' +
    'export function judge() { return JSON.stringify({ error: "unknown field `kind`" }); }\n' +
    'export function check_file() { return "{}"; }\nexport function score_json() { return "{}"; }\n' }));
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  const box = page.getByRole('textbox', { name: 'Reply' });
  await box.fill(GOOD.en);
  await page.getByRole('button', { name: 'Send' }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /scorer could not be loaded.*unknown field/s);
  assert.equal(await page.getByRole('region', { name: 'Feedback' }).count(), 0, 'no made-up judgement');
  assert.equal(await box.inputValue(), GOOD.en, 'the reply is kept to send again');
});

test('offline when a scenario is opened: play says it could not be loaded (not that it does not exist), and Try again plays it', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en`);
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
  // The network goes: neither the scenario's own file nor the whole library can be fetched.
  const offline = (r) => r.abort('internetdisconnected');
  await page.route('**/scenarios/**', offline);
  await page.getByRole('link', { name: titleOf(ID) }).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /could not be loaded/);
  assert.doesNotMatch(await alert.innerText(), /No scenario with id/);
  await page.unroute('**/scenarios/**', offline);
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  // The page's own failed requests were logged as errors by the browser; nothing else.
  assert.deepEqual(page.errors.filter((e) => !/Failed to load resource|ERR_INTERNET_DISCONNECTED/.test(e)), []);
});

test('if the scorer cannot be loaded, play says so and the library still works', async () => {
  const page = await newPage(browser);
  await page.route('**/engine/**', (r) => r.abort());
  await page.goto(`${srv.base}/?lang=en#/play/${ID}`);
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /scorer could not be loaded/);
  await page.getByRole('link', { name: 'Back to library' }).click();
  await page.getByRole('link', { name: titleOf(ID) }).waitFor();
});

test('mobile width 360px: the library, play and summary fit', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 } });
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  // The library, in English (the longest product names) and Chinese: the filters wrap or shrink.
  for (const lang of ['en', 'zh-Hans']) {
    await page.goto(`${srv.base}/?lang=${lang}#/`);
    await page.locator('.cards .card').first().waitFor();
    assert.ok(await overflow() <= 0, `no horizontal scrolling on the library at 360px (${lang}, overflow ${await overflow()}px)`);
  }
  await page.goto(`${srv.base}/?lang=zh-Hans&seed=4#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  const box = page.getByRole('textbox', { name: '回复' });
  await box.fill(GOOD.zh);
  await page.getByRole('button', { name: '发送' }).click();
  await page.getByRole('region', { name: '反馈' }).waitFor();
  assert.ok(await overflow() <= 0, `no horizontal scrolling at 360px (overflow ${await overflow()}px)`);
  await page.screenshot({ path: path.join(SHOTS, 'play-360.png'), fullPage: true });
  for (let i = 0; i < 10 && !(await page.locator('.summary').count()); i++) {
    const judged = await page.locator('[role=log] .msg.agent:not(.pending)').count();
    await box.fill(GOOD.zh);
    await page.keyboard.press('Control+Enter');
    await page.locator('[role=log] .msg.agent:not(.pending)').nth(judged).or(page.locator('.summary')).first().waitFor();
  }
  await page.locator('.summary').waitFor();
  assert.ok(await overflow() <= 0, `no horizontal scrolling on the summary at 360px (overflow ${await overflow()}px)`);
  await page.screenshot({ path: path.join(SHOTS, 'summary-360.png'), fullPage: true });
  await savedWhen(page, (a) => a.some((x) => !!x.finished_ms), 10_000); // written before the page is left
  // The history's table of attempts, in English (the longest headings) and Chinese, at 360 and 320 px.
  for (const width of [360, 320]) {
    await page.setViewportSize({ width, height: 740 });
    for (const lang of ['en', 'zh-Hans']) {
      await page.goto(`${srv.base}/?lang=${lang}#/history`);
      await page.locator('table.attempts tbody tr').first().waitFor();
      assert.ok(await overflow() <= 0, `no horizontal scrolling on the history at ${width}px (${lang}, overflow ${await overflow()}px)`);
    }
  }
});

test('scoring one reply in the browser (reported)', async () => {
  const page = await newPage(browser);
  // The engine (scorer) is imported when a scenario is played.
  await page.goto(`${srv.base}/?lang=en#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.waitForFunction(() => window.kefuDojo && window.kefuDojo.score_json);
  const ready = Math.round(await page.evaluate(() => performance.now()));
  console.log(`# engine (scorer) ready ${ready} ms after navigating to a scenario (loopback)`);
  const r = await page.evaluate(async ({ zh }) => {
    const text = zh.repeat(2).slice(0, 200);
    // Answered by the scorer worker (a message each way).
    const f = window.kefuDojo.score_json;
    JSON.parse(await f(text, 'zh-Hans'));
    const n = 200;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await f(text, 'zh-Hans');
    return { per: (performance.now() - t0) / n, out: JSON.parse(await f(text, 'zh-Hans')) };
  }, GOOD);
  assert.equal(r.out.principles.apology.hit, true);
  console.log(`# browser: ${(r.per * 1000).toFixed(0)} µs to score one 200-char reply`);
});
