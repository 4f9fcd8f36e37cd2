// A real LRS: Ralph (installed by `make setup-lrs` into .venv-lrs) on the file system, on a free
// loopback port, accepting the app's origin. A trainee enters a name and the LRS in the settings
// and plays a scenario: the LRS holds its statements, each once, valid, with the trainee as
// actor. Then Ralph is killed mid-run: the next scenario's statements wait in the outbox (the
// settings show them and the error), Ralph restarts on the same data, they arrive, and nothing is
// duplicated.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, newPage, GOOD, playToEnd } from './harness.mjs';
import { validStatements } from './xapi-check.mjs';

const VENV = path.resolve(process.env.RALPH_VENV || '../../.venv-lrs');
const USER = 'trainer';
const PASS = 'secret-for-tests';
const AUTH = 'Basic ' + Buffer.from(`${USER}:${PASS}`).toString('base64');

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

/** Ralph with the fs backend in `dir`, on `port`, accepting `origin`. */
function ralph(dir, port, origin) {
  const env = {
    ...process.env,
    RALPH_APP_DIR: dir,
    RALPH_RUNSERVER_BACKEND: 'fs',
    // The LRS backend's own setting (the DATA one is for `ralph push`/`list`); without it the
    // statements file is written in the current folder.
    RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH: path.join(dir, 'data'),
    RALPH_BACKENDS__DATA__FS__DEFAULT_DIRECTORY_PATH: path.join(dir, 'data'),
    RALPH_RUNSERVER_CORS_ALLOW_ORIGINS: JSON.stringify([origin]),
  };
  if (!fs.existsSync(path.join(dir, 'auth.json'))) {
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    execFileSync(path.join(VENV, 'bin/ralph'), ['auth', '-u', USER, '-p', PASS, '-s', 'all', '-M', `mailto:${USER}@example.com`, '-w'], { env, stdio: 'ignore' });
  }
  // uvicorn directly (what `ralph runserver` starts, without its file-watching reloader): one
  // process, so killing it is killing the LRS. scripts/ralph_fs.py makes the fs backend append
  // (Ralph 5.1.0's refuses every write after the first).
  const child = spawn(path.join(VENV, 'bin/uvicorn'), ['--app-dir', path.resolve('../../scripts'), 'ralph_fs:app', '--host', '127.0.0.1', '--port', String(port)], { env, stdio: 'ignore' });
  process.on('exit', () => child.kill('SIGKILL'));
  return child;
}

async function statements(url) {
  const r = await fetch(`${url}/xAPI/statements?limit=500`, { headers: { Authorization: AUTH, 'X-Experience-API-Version': '1.0.3' } });
  if (!r.ok) throw new Error(`GET statements: ${r.status}`);
  return (await r.json()).statements;
}

async function until(what, f, ms = 60_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try { last = await f(); if (last) return last; } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

test('statements reach Ralph once each, and wait in the outbox while it is down', { timeout: 240_000 }, async () => {
  if (!fs.existsSync(path.join(VENV, 'bin/uvicorn'))) throw new Error(`${VENV} has no Ralph: run make setup-lrs`);
  const { server, base } = await serve();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-lrs-'));
  const port = await freePort();
  const lrsUrl = `http://127.0.0.1:${port}`;
  let lrs = ralph(dir, port, base);
  const browser = await launch();
  try {
    await until('Ralph to answer', async () => Array.isArray(await statements(lrsUrl)));
    const page = await newPage(browser);
    await page.goto(`${base}/?lang=en#/settings`);
    // No LRS: nothing leaves the browser, and the settings say so.
    await page.getByText('No LRS is set').waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Li Wei');
    await page.getByLabel('Email or employee ID (optional)', { exact: true }).fill('li.wei@example.com');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.getByLabel('LRS endpoint', { exact: true }).fill(`${lrsUrl}/xAPI/`);
    await page.getByLabel('Username', { exact: true }).fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Save LRS' }).click();
    await page.getByText(`sent to your LRS, ${lrsUrl}/xAPI/`).waitFor();

    // A scenario, played through.
    await page.goto(`${base}/?lang=en&seed=1#/play/angry-late-delivery`);
    const turns = await playToEnd(page, GOOD.en);
    const first = await until('the first scenario in the LRS', async () => {
      const got = await statements(lrsUrl);
      return got.length >= turns + 2 && got;
    }).catch(async (e) => {
      const o = JSON.parse(await page.evaluate(() => localStorage.getItem('kefu.outbox')) || '{}');
      throw new Error(`${e.message}; outbox: ${(o.pending || []).length} waiting, ${(o.rejected || []).length} refused, last error ${o.last_error}`);
    });
    assert.equal(first.length, turns + 2, `one answered per reply, completed, passed/failed: ${JSON.stringify(first.map((s) => [s.id.slice(0, 8), s.verb.id.split('/').pop(), s.object.id.split('/').slice(-2).join('/'), s.context.registration.slice(0, 8)]))}`);
    assert.equal(new Set(first.map((s) => s.id)).size, first.length);
    for (const s of first) assert.deepEqual(s.actor.mbox, 'mailto:li.wei@example.com');
    assert.deepEqual(first.map((s) => s.verb.id.split('/').pop()).sort(),
      [...Array(turns).fill('answered'), 'completed', first.some((s) => s.verb.id.endsWith('passed')) ? 'passed' : 'failed'].sort());
    const n = validStatements(first);

    // Ralph dies mid-run: the next scenario's statements wait.
    lrs.kill('SIGKILL');
    await new Promise((r) => lrs.once('exit', r));
    await page.goto(`${base}/?lang=en&seed=2#/play/angry-late-delivery`);
    const turns2 = await playToEnd(page, GOOD.en);
    await page.goto(`${base}/?lang=en#/settings`);
    const outbox = page.locator('.outbox');
    await until('the outbox to hold the second scenario', async () => Number(await outbox.getAttribute('data-pending')) === turns2 + 2);
    await page.locator('[data-last-error]').waitFor();
    // A reload keeps them (the outbox is in storage).
    await page.reload();
    await until('the outbox after a reload', async () => Number(await outbox.getAttribute('data-pending')) === turns2 + 2);

    // Ralph is back, on the same data: retry now, and they arrive, once.
    lrs = ralph(dir, port, base);
    await until('Ralph to answer again', async () => Array.isArray(await statements(lrsUrl)));
    await page.getByRole('button', { name: 'Retry now' }).click();
    await until('the outbox to empty', async () => Number(await outbox.getAttribute('data-pending')) === 0, 30_000);
    const all = await statements(lrsUrl);
    assert.equal(all.length, turns + turns2 + 4, 'every statement once');
    assert.equal(new Set(all.map((s) => s.id)).size, all.length, 'no statement twice');
    assert.equal(new Set(all.map((s) => s.context.registration)).size, 2, 'two attempts');
    const m = validStatements(all.filter((s) => !first.some((f) => f.id === s.id)));
    console.log(`# ${turns} + ${turns2} replies; ${n + m} statements from the app validated in Ralph`);
    // The trainer's dashboard reads that cohort from the LRS, and the same from an exported file.
    await page.goto(`${base}/?lang=en#/team`);
    await page.getByLabel('LRS endpoint', { exact: true }).fill(`${lrsUrl}/xAPI/`);
    await page.getByLabel('Username', { exact: true }).fill(USER);
    await page.getByLabel('Password', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Load statements' }).click();
    await page.getByText(`Read ${all.length} statements.`).waitFor();
    const grid = page.locator('table.heat');
    await grid.locator('tr[data-trainee="mailto:li.wei@example.com"]').waitFor();
    assert.equal(await grid.getAttribute('data-trainees'), '1');
    const fromLrs = await grid.innerHTML();
    const file = path.join(dir, 'li-wei-xapi.json');
    fs.writeFileSync(file, JSON.stringify(all));
    await page.reload();
    await page.getByLabel(/exported files/).setInputFiles(file);
    await page.getByText('li-wei-xapi.json: 2 attempts.').waitFor();
    assert.equal(await grid.innerHTML(), fromLrs, 'the same grid from the LRS and from a file');
    assert.deepEqual(page.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED|NetworkError|fetch/i.test(e)), []);
  } finally {
    await browser.close();
    lrs.kill('SIGKILL');
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
