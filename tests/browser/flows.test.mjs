// Longer flows: export → clear → import round trip (the exam is in exam.test.mjs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { serve, launch, newPage, GOOD, playToEnd, titleOf, savedWhen } from './harness.mjs';

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('export JSON, clear (asks first), import back: same attempts, no duplicates', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=11#/play/angry-late-delivery`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await playToEnd(page, GOOD.en);
  await savedWhen(page, (a) => a.some((x) => !!x.finished_ms), 10_000); // written before the page is left
  await page.goto(`${srv.base}/?lang=en#/history`);
  const rows = page.locator('table.attempts tbody tr');
  await rows.first().waitFor();
  const n = await rows.count();
  // Each format says what it is for (described, for a screen reader too).
  const described = await page.evaluate(() => ['Export JSON', 'Export CSV', 'Export xAPI'].map((t) => {
    const b = [...document.querySelectorAll('button')].find((x) => x.textContent.trim() === t);
    return document.getElementById(b.getAttribute('aria-describedby'))?.textContent ?? '';
  }));
  for (const [d, what] of described.map((d, i) => [d, ['import', 'spreadsheet', 'Learning Record Store'][i]])) assert.ok(d.includes(what), `${what}: ${d}`);
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export JSON' }).click()]);
  const file = await dl.path();
  const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.equal(exported.attempts.length, n);
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  assert.match(fs.readFileSync(await csv.path(), 'utf8').split('\n')[0], /attempt_id/);
  const [xapi] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export xAPI' }).click()]);
  const stmts = JSON.parse(fs.readFileSync(await xapi.path(), 'utf8'));
  assert.ok(stmts.some((s) => s.verb.id.endsWith('/answered') && s.result.response));
  assert.ok(stmts.some((s) => s.verb.id.endsWith('/completed')));
  page.once('dialog', (d) => d.dismiss());
  await page.getByRole('button', { name: 'Clear history' }).click();
  assert.equal(await rows.count(), n, 'dismissing the question keeps everything');
  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: 'Clear history' }).click();
  await page.getByText('No attempts yet.').waitFor();
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByText(`Imported ${n} new attempt${n === 1 ? '' : 's'}; 0 replaced by a longer copy of the same play; 0 kept beside a different play with the same id; 0 already saved.`).waitFor();
  assert.equal(await rows.count(), n);
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByText(`Imported 0 new attempts; 0 replaced by a longer copy of the same play; 0 kept beside a different play with the same id; ${n} already saved.`).waitFor();
  assert.equal(await rows.count(), n, 'a second import adds no duplicates');
  // Played in English, the history shows the record in the language chosen now (#16): the
  // scenario's title from the library, in Chinese, in the list and on the transcript.
  await page.goto(`${srv.base}/?lang=zh-Hans#/history`);
  const zh = titleOf('angry-late-delivery', 'zh-Hans');
  await rows.first().getByRole('link', { name: zh }).waitFor();
  assert.equal(await rows.getByRole('link', { name: titleOf('angry-late-delivery') }).count(), 0);
  await rows.first().locator('a.view').click();
  await page.getByRole('heading', { level: 1, name: zh }).waitFor();
  assert.deepEqual(page.errors, []);
});

test('the exports are named by the trainee (from the settings) and the day', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=zh-Hans&seed=12#/play/angry-late-delivery`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.getByRole('textbox', { name: '回复' }).fill(GOOD.zh);
  await page.getByRole('button', { name: '发送' }).click();
  await page.getByRole('region', { name: '反馈' }).waitFor();
  await savedWhen(page, (a) => a.length === 1, 10_000); // written before the page is left
  const names = async () => {
    await page.goto(`${srv.base}/?lang=zh-Hans#/history`);
    await page.locator('table.attempts tbody tr').first().waitFor();
    const out = [];
    for (const b of ['导出 JSON', '导出 CSV', '导出 xAPI']) {
      const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: b }).click()]);
      out.push(d.suggestedFilename());
    }
    return out;
  };
  // The day as the trainee's browser counts it (its time zone, not UTC's).
  const day = await page.evaluate(() => {
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });
  // No name set: the day alone.
  assert.deepEqual(await names(), [`kefu-dojo-results-${day}.json`, `kefu-dojo-results-${day}.csv`, `kefu-dojo-xapi-${day}.json`]);
  // A name (Chinese kept; what a file system refuses made a dash).
  await page.goto(`${srv.base}/?lang=zh-Hans#/settings`);
  await page.getByLabel('姓名', { exact: true }).fill('王芳 / 客服');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await page.getByRole('status').getByText('已保存。').waitFor();
  assert.deepEqual(await names(), [`kefu-dojo-results-王芳-客服-${day}.json`, `kefu-dojo-results-王芳-客服-${day}.csv`, `kefu-dojo-xapi-王芳-客服-${day}.json`]);
  assert.deepEqual(page.errors, []);
});

test('another trainee\'s export is not imported into a named trainee\'s history', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en#/settings`);
  await page.getByLabel('Name', { exact: true }).fill('Trainer Zhao');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.goto(`${srv.base}/?lang=en#/history`);
  const file = { name: 'kefu-dojo-results-Li_Na.json', mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ trainee: { name: 'Li Na' }, version: 1, attempts: [] })) };
  await page.locator('input[type=file]').setInputFiles(file);
  await page.getByText("Not imported: this file holds Li Na's results, and this browser keeps Trainer Zhao's.", { exact: false }).waitFor();
  // Their own export (the same name) is read.
  const mine = { ...file, buffer: Buffer.from(JSON.stringify({ trainee: { name: 'Trainer Zhao' }, version: 1, attempts: [] })) };
  await page.locator('input[type=file]').setInputFiles(mine);
  await page.getByText('Imported 0 new attempts', { exact: false }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
