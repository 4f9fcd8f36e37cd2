// The trainer's dashboard (#/team) on trainees' exported files: the filters (dates, scenario,
// practice/exam), the exam verdicts, the CSV it downloads, one trainee's transcript (violations
// shown as warnings, not ticks), on a small cohort of three; then the scale, 200 trainees
// × 50 sessions, as a folder of JSON exports and as one xAPI file of the whole cohort: the grid
// is checked, the time to it and the longest long task are printed (figures, not assertions).
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, launch, newPage } from './harness.mjs';

const KEFU = path.resolve(process.env.KEFU || '../../target/release/kefu');
const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

/** One attempt as the app stores it: `turns` replies with `hits` judged on each. */
function attempt({ id, scenario, start, score = 80, hits, exam = null, turns = 2, outcome = 'resolved' }) {
  return {
    id, scenario, title: scenario.toUpperCase(), kind: 'angry', lang: 'en', seed: 1,
    started_ms: start, finished_ms: start + 300_000, outcome, exam: !!exam,
    ...(exam ? { exam_run: exam } : {}),
    turns: Array.from({ length: turns }, (_, i) => ({
      turn: `t${i}`, customer: `Where is my parcel? (${id} ${i})`, reply: `Reply ${i} of ${id}: so sorry, I will fix it today.`,
      secs: 20, score, principles: hits, expected: ['apology', 'empathy'],
    })),
  };
}

/** A trainee's JSON export (the history page's "Export JSON"), written in `dir`. */
function exportFile(dir, name, trainee, attempts) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify({ trainee, version: 1, attempts }));
  return file;
}

async function rows(page) {
  return page.locator('table.heat tbody tr').evaluateAll((trs) => trs.map((t) => t.getAttribute('data-trainee')));
}

test('the dashboard: filters, exam verdicts, CSV and a trainee\'s transcript', { timeout: 120_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-team-'));
  const { server, base } = await serve();
  const browser = await launch();
  try {
    const exam = { run: 'run-li', exam: 'foundation', title: 'Foundation exam', of: 1, pass_mark: 60, total: 72, passed: true };
    const files = [
      exportFile(dir, 'li.json', { name: 'Li', id: 'li@example.com' }, [
        attempt({ id: 'li1', scenario: 'late', start: T0 + 9 * DAY, hits: { apology: true, empathy: true } }),
        attempt({ id: 'li2', scenario: 'refund', start: T0 + 35 * DAY, score: 72, hits: { apology: true, empathy: false }, exam }),
      ]),
      exportFile(dir, 'wang.json', { name: 'Wang', id: 'E7' }, [
        attempt({ id: 'w1', scenario: 'refund', start: T0 + 19 * DAY, score: 30, hits: { apology: false, empathy: true, blame: true, probe: true, gratitude: false }, outcome: 'lost' }),
      ]),
      exportFile(dir, 'zhao.json', { name: 'Zhao' }, [
        attempt({ id: 'z1', scenario: 'late', start: T0 + 59 * DAY, hits: { apology: true, blame: false } }),
      ]),
    ];
    const page = await newPage(browser);
    await page.goto(`${base}/?lang=en#/team`);
    // With them, a broken file and a CSV picked by mistake: each is told, the others read.
    const broken = path.join(dir, 'broken.json');
    fs.writeFileSync(broken, '{"attempts": [');
    const wrong = path.join(dir, 'results.csv');
    fs.writeFileSync(wrong, 'attempt_id,scenario\r\n');
    await page.getByLabel(/exported files/).setInputFiles([broken, ...files, wrong]);
    await page.locator('table.heat[data-trainees="3"]').waitFor();
    assert.deepEqual(await rows(page), ['mailto:li@example.com', 'account:E7', 'account:Zhao']);
    // Every file picked is counted; the CSV (the history page's own export) is told what to
    // open instead, the file cut short that it is.
    await page.getByRole('status').filter({ hasText: '3 of 5 files read: 4 attempts.' }).waitFor();
    const told = await page.getByRole('alert').locator('li').allInnerTexts();
    assert.equal(told.length, 2, told.join('\n'));
    assert.ok(told.some((t) => /^results\.csv: a CSV export is for spreadsheets and cannot be read back here: open the trainee's JSON or xAPI export instead/.test(t)), told.join('\n'));
    assert.ok(told.some((t) => /^broken\.json: This file is cut short/.test(t)), told.join('\n'));
    // Each trainee's attempts, mean and last score in the grid (Li: 80 then 72).
    const liRow = page.locator('tr[data-trainee="mailto:li@example.com"]');
    assert.deepEqual([await liRow.locator('td.attempts').innerText(), await liRow.locator('td.mean').innerText(), await liRow.locator('td.last').innerText()], ['2', '76', '72']);
    assert.equal(await liRow.locator('svg.spark title').textContent(), '80 72', 'the trend\'s scores as its tooltip');
    // The grid is wide (a column per principle): it scrolls in its own box, not the page.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'no sideways scroll of the page at 1280 px');
    assert.equal(await page.getByRole('region', { name: /Principles by trainee/ }).locator('table.heat').count(), 1);
    // The dashboard is in the main navigation, marked as the page shown.
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Team' }).getAttribute('aria-current'), 'page');
    // A file loaded again adds nothing, and says so.
    await page.getByLabel(/exported files/).setInputFiles([files[0]]);
    await page.getByRole('status').filter({ hasText: 'li.json: 2 attempts, all loaded already: nothing new.' }).waitFor();
    await page.locator('table.heat[data-trainees="3"]').waitFor();
    // Li passed the exam: the verdict and total in her row.
    const verdict = page.locator('tr[data-trainee="mailto:li@example.com"] .exam-verdict');
    assert.equal(await verdict.getAttribute('data-passed'), 'true');
    assert.equal(await verdict.getAttribute('data-total'), '72');
    assert.match(await verdict.innerText(), /Foundation exam: passed, 72/);
    // A principle no turn of the trainee asked for: a dash, explained.
    const none = page.locator('tr[data-trainee="account:Zhao"] td[data-principle="empathy"]');
    assert.equal(await none.getAttribute('data-of'), '0');
    assert.equal(await none.locator('span').getAttribute('title'), 'no turn asked for it');

    // The CSV: one row per trainee, exam columns, the rates.
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    const csv = fs.readFileSync(await d.path(), 'utf8').replace(/^\ufeff/, '').split('\r\n');
    const head = csv[0].split(',');
    assert.deepEqual(head.slice(0, 12), ['trainee', 'id', 'attempts', 'finished', 'passed', 'mean_score', 'last_played', 'exams', 'exams_passed', 'last_exam', 'last_exam_score', 'last_exam_passed']);
    const li = Object.fromEntries(csv[1].split(',').map((v, i) => [head[i], v]));
    assert.equal(li.trainee, 'Li');
    assert.equal(li.id, 'mailto:li@example.com');
    assert.equal(li.attempts, '2');
    assert.deepEqual([li.exams, li.exams_passed, li.last_exam, li.last_exam_score, li.last_exam_passed], ['1', '1', 'Foundation exam', '72', 'true']);
    assert.equal(li.empathy, '0.500');
    assert.equal(csv.filter((l) => l).length, 4, 'a header and three trainees');

    // The filters show what is applied (everything): not a select's last option, which Yew's
    // drawing once left shown ("Exam", the scenario last listed) over an unfiltered grid.
    assert.equal(await page.locator('select[name=kind]').inputValue(), 'all');
    assert.equal(await page.locator('select[name=scenario]').inputValue(), '');

    // Filters: exams only; a scenario; a date range.
    const kind = page.locator('select[name=kind]');
    await kind.selectOption('exam');
    await page.locator('table.heat[data-trainees="1"]').waitFor();
    assert.deepEqual(await rows(page), ['mailto:li@example.com']);
    await kind.selectOption('practice');
    await page.locator('table.heat[data-trainees="3"]').waitFor();
    assert.equal(await page.locator('.exam-verdict').count(), 0, 'no exam counted in practice');
    await kind.selectOption('all');
    await page.locator('select[name=scenario]').selectOption('late');
    await page.locator('table.heat[data-trainees="2"]').waitFor();
    assert.deepEqual(await rows(page), ['mailto:li@example.com', 'account:Zhao']);
    assert.deepEqual(await page.locator('table.scenarios tbody tr').evaluateAll((t) => t.map((r) => r.dataset.scenario)), ['late']);
    await page.locator('select[name=scenario]').selectOption('');
    await page.getByLabel('From', { exact: true }).fill('2026-01-15');
    await page.getByLabel('To', { exact: true }).fill('2026-01-31');
    await page.locator('table.heat[data-trainees="1"]').waitFor();
    assert.deepEqual(await rows(page), ['account:E7']);

    // Wang's transcript: the replies, and blame committed shown as a warning, not a tick.
    await page.locator('tr[data-trainee="account:E7"]').getByRole('button', { name: 'Wang' }).click();
    const drill = page.locator('section.drill[data-trainee="account:E7"]');
    await drill.waitFor();
    // Brought into view and focused (it is drawn below the tables).
    await page.waitForFunction(() => document.activeElement?.matches('section.drill'));
    await drill.locator('details[data-attempt="w1"] summary').click();
    assert.deepEqual(await drill.locator('.agent').allInnerTexts(), ['Reply 0 of w1: so sorry, I will fix it today.', 'Reply 1 of w1: so sorry, I will fix it today.']);
    const blame = drill.locator('.hit[data-principle="blame"]').first();
    assert.match(await blame.getAttribute('class'), /committed/);
    assert.match(await blame.innerText(), /^⚠ /);
    assert.match(await drill.locator('.hit[data-principle="empathy"]').first().innerText(), /^✓ /);
    assert.match(await drill.locator('.hit[data-principle="apology"]').first().innerText(), /^✗ /);
    // What the turn asked for and the violation committed, in plain words: not a principle no
    // turn asked for, shown or not, and no double negative ("no No blaming").
    assert.equal(await drill.locator('.hit[data-principle="probe"], .hit[data-principle="gratitude"]').count(), 0);
    assert.equal(await blame.innerText(), '⚠ No blaming: violated');
    // The attempt's time as the trainer's clock reads it.
    assert.match(await drill.locator('details[data-attempt="w1"] summary').innerText(), /^\d{4}-\d\d-\d\d \d\d:\d\d · REFUND · 30$/);
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a shipped scenario is named in the dashboard\'s language, whatever language it was played in; the header leads there', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-team-lang-'));
  const { server, base } = await serve();
  const browser = await launch();
  try {
    const played = (id, title, lang) => ({ ...attempt({ id, scenario: 'angry-damaged-goods', start: T0 + DAY }), title, lang });
    const file = exportFile(dir, 'li.json', { name: 'Li' }, [played('a1', 'The broken tea set', 'en')]);
    const other = exportFile(dir, 'wang.json', { name: 'Wang' }, [played('b1', '摔碎的茶具', 'zh-Hant')]);
    const page = await newPage(browser);
    // From the library, the main navigation's Team link opens the dashboard.
    await page.goto(`${base}/?lang=zh-Hans`);
    await page.locator('.cards .card').first().waitFor();
    await page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '团队' }).click();
    await page.getByRole('heading', { name: '团队看板', level: 1 }).waitFor();
    await page.getByLabel(/导出的文件/).setInputFiles([file, other]);
    await page.locator('table.heat[data-trainees="2"]').waitFor();
    const row = page.locator('table.scenarios tr[data-scenario="angry-damaged-goods"] td').first();
    assert.equal(await row.innerText(), '摔碎的茶具');
    assert.deepEqual(await page.locator('select[name=scenario] option').allInnerTexts(), ['全部', '摔碎的茶具']);
    // In English: the cohort stays (not read again), its scenario by the English title.
    await page.locator('header.top select').selectOption('en');
    await page.getByRole('heading', { name: 'Team dashboard', level: 1 }).waitFor();
    assert.equal(await page.locator('table.heat').getAttribute('data-trainees'), '2');
    assert.equal(await row.innerText(), 'The broken tea set');
    assert.deepEqual(page.errors, []);
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** The cohort: 200 trainees × 50 sessions of 6 replies, as JSON exports in `dir`. */
function bigCohort(dir) {
  const P = ['apology', 'empathy', 'solution', 'timeliness', 'blame', 'jargon'];
  const files = [];
  for (let t = 0; t < 200; t++) {
    const attempts = [];
    for (let k = 0; k < 50; k++) {
      const a = attempt({
        id: `s${k % 10}-${t}-${k}`, scenario: `s${k % 10}`, start: T0 + k * DAY, turns: 6,
        score: (t * 7 + k * 3) % 100, outcome: (t + k) % 3 ? 'resolved' : 'lost',
        hits: Object.fromEntries(P.map((p, j) => [p, (t + k + j) % 3 !== 0])),
      });
      a.exam = k % 5 === 0;
      attempts.push(a);
    }
    files.push(exportFile(dir, `trainee-${String(t).padStart(3, '0')}.json`, { name: `Trainee ${t}`, id: `t${t}@example.com` }, attempts));
  }
  return files;
}

/** Load `files` into #/team; the time to the full grid and the longest long task. */
async function measure(browser, base, files, what) {
  const page = await newPage(browser);
  await page.addInitScript(() => {
    window.longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.longTasks.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${base}/?lang=en#/team`);
  await page.locator('table.heat').waitFor();
  await page.evaluate(() => { window.longTasks = []; });
  const t = Date.now();
  await page.getByLabel(/exported files/).setInputFiles(files);
  await page.locator('table.heat[data-trainees="200"]').waitFor({ timeout: 300_000 });
  // Every attempt read: each trainee's row counts 50 (the CSV says so).
  await page.waitForFunction(() => {
    const s = document.querySelector('[role=status]')?.textContent || '';
    return /200 of 200 files read: 10000 attempts|cohort\.json: 10000 attempts/.test(s);
  }, null, { timeout: 300_000 });
  const ms = Date.now() - t;
  const tasks = await page.evaluate(() => window.longTasks);
  const [d] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = fs.readFileSync(await d.path(), 'utf8').split('\r\n').filter((l) => l);
  assert.equal(csv.length, 201);
  for (const l of csv.slice(1)) assert.equal(l.split(',')[2], '50', `50 attempts each: ${l.slice(0, 60)}`);
  const sorted = [...tasks].sort((a, b) => b - a);
  console.log(`# ${what}: grid of 200 trainees in ${(ms / 1000).toFixed(1)} s; ${tasks.length} long tasks, longest ${Math.round(sorted[0] || 0)} ms, then ${sorted.slice(1, 4).map(Math.round).join(', ')} ms; total ${Math.round(tasks.reduce((a, b) => a + b, 0))} ms`);
  // A filter on the whole cohort: the grid follows.
  await page.evaluate(() => { window.longTasks = []; });
  const f = Date.now();
  await page.locator('select[name=kind]').selectOption('exam');
  await page.locator('table.heat tbody tr td.passed').first().filter({ hasText: '/10' }).waitFor();
  const fl = await page.evaluate(() => window.longTasks);
  console.log(`#   filter "exam" on it: ${Date.now() - f} ms, longest task ${Math.round(Math.max(0, ...fl))} ms`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
}

test('200 trainees × 50 sessions: the grid, its time and the longest task (figures printed)', { timeout: 900_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-team-big-'));
  const { server, base } = await serve();
  const browser = await launch();
  try {
    const files = bigCohort(dir);
    const mb = (f) => fs.statSync(f).size / 1e6;
    console.log(`# 200 JSON exports, ${files.reduce((a, f) => a + mb(f), 0).toFixed(1)} MB`);
    await measure(browser, base, files, 'a folder of 200 JSON exports');
    // The same cohort as one xAPI file (what an LRS holds): `kefu xapi` on each export.
    const all = [];
    for (const [t, f] of files.entries()) {
      all.push(...JSON.parse(execFileSync(KEFU, ['xapi', '--name', `Trainee ${t}`, '--id', `t${t}@example.com`, f], { maxBuffer: 1 << 28 }).toString()));
    }
    const cohort = path.join(dir, 'cohort.json');
    fs.writeFileSync(cohort, JSON.stringify(all));
    console.log(`# one xAPI file: ${all.length} statements, ${mb(cohort).toFixed(1)} MB`);
    await measure(browser, base, [cohort], 'one xAPI file of the cohort');
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
