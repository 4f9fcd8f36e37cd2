// Shared set-up for the browser tests: `kefu serve` over dist/ on a free loopback port (the
// server `make serve` runs: brotli/gzip variants, cache headers) and Debian's Chromium driven by
// playwright-core (it never downloads a browser of its own).
import { spawn } from 'node:child_process';
import readline from 'node:readline';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const DIST = path.resolve(process.env.DIST || '../../dist');
// `make dist` builds it; KEFU names another build of the same command.
const KEFU = path.resolve(process.env.KEFU || '../../target/release/kefu');

/** `kefu serve DIST --port 0`; resolves once it prints the address it listens on. */
export function serve(dir = DIST) {
  if (!fs.existsSync(KEFU)) throw new Error(`${KEFU} is missing: run make dist (it builds the kefu command)`);
  const child = spawn(KEFU, ['serve', dir, '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.on('exit', () => child.kill());
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`kefu serve exited (${code}) before listening`)));
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const m = line.match(/http:\/\/(127\.0\.0\.1:\d+)\//);
      if (!m) { child.kill(); reject(new Error(`kefu serve said: ${line}`)); return; }
      resolve({ server: { close: () => child.kill() }, base: `http://${m[1]}` });
    });
  });
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A page whose console errors and uncaught exceptions fail the test that reads them. */
export async function newPage(browser, opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true, ...opts });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  return page;
}

/** The English title of a scenario file in dist/. */
export function titleOf(id, lang = 'en') {
  const src = fs.readFileSync(path.join(DIST, 'scenarios', `${id}.toml`), 'utf8');
  const line = src.split('\n').find((l) => /^title\s*=/.test(l));
  const m = line && line.match(new RegExp(`${lang}\\s*=\\s*"([^"]+)"`));
  if (!m) throw new Error(`no ${lang} title in ${id}.toml`);
  return m[1];
}

export const GOOD = {
  en: "Mr. Wang, I'm so sorry for the wait, and I completely understand how frustrating this is. This is on us: I'll contact the courier right now to expedite your parcel and I'll update you with the tracking by 5 pm today. If it hasn't arrived by tomorrow, I'll refund the shipping in full. Thank you for your patience.",
  zh: '王先生您好，非常抱歉让您久等了，我完全理解您的着急。这是我们的责任，我马上为您联系快递加急处理，今天下午5点前给您回复最新物流进度；如果明天还没送到，我为您全额退运费。感谢您的耐心！',
};

/** Send one reply through the real UI (textbox "Reply", button "Send"). */
export async function reply(page, text) {
  const box = page.getByRole('textbox', { name: 'Reply' });
  await box.fill(text);
  const before = await page.locator('[role=log] .msg.agent').count();
  await page.getByRole('button', { name: 'Send' }).click();
  await page.locator('[role=log] .msg.agent:not(.pending)').nth(before).waitFor();
  await page.getByRole('region', { name: 'Feedback' }).waitFor();
}

/** Reply with `text` until the summary shows (at most `max` turns); returns turns taken. */
export async function playToEnd(page, text, max = 10) {
  for (let i = 0; i < max; i++) {
    if (await page.locator('.summary').count()) return i;
    await reply(page, text);
  }
  await page.locator('.summary').waitFor({ timeout: 2000 });
  return max;
}

/** From the page's start (and again after each reload), every title play shows, in order:
 * `playTitles(page)` reads them (a scenario handed over mid-conversation shows two). */
export function recordPlayTitles(page) {
  return page.addInitScript(() => {
    window.__titles = [];
    new MutationObserver(() => {
      const h = document.querySelector('main h1')?.textContent;
      if (h && document.querySelector('[role=log]') && window.__titles.at(-1) !== h) window.__titles.push(h);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
}
export const playTitles = (page) => page.evaluate(() => window.__titles);

export const SHOTS = path.resolve('../../target/screenshots');
fs.mkdirSync(SHOTS, { recursive: true });

/** The attempts saved in this browser's progress database (IndexedDB `kefu`, one record per
 * attempt), oldest first; [] before the app created it. */
export async function savedAttempts(page) {
  return page.evaluate(() => new Promise((res, rej) => {
    const o = indexedDB.open('kefu');
    o.onerror = () => rej(o.error);
    o.onsuccess = () => {
      const db = o.result;
      if (!db.objectStoreNames.contains('attempts')) { db.close(); res([]); return; }
      const r = db.transaction('attempts').objectStore('attempts').getAll();
      r.onsuccess = () => { db.close(); res(r.result.map((x) => JSON.parse(x.json)).sort((a, b) => a.started_ms - b.started_ms)); };
      r.onerror = () => { db.close(); rej(r.error); };
    };
  }));
}

/** `savedAttempts` once `ok` holds of them (or after `ms`: the caller's assertions then say why). */
export async function savedWhen(page, ok, ms = 5000) {
  const t0 = Date.now();
  for (;;) {
    const a = await savedAttempts(page);
    if (ok(a) || Date.now() - t0 > ms) return a;
    await page.waitForTimeout(50);
  }
}
