// The trainee room, second round (issue 16: items 3, 9, 10, and the one-page print, "practise
// this principle" and the dark theme). Each test failed on the build before these changes.
// Screenshots go to target/screenshots.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, newPage, titleOf, GOOD, reply, SHOTS, savedWhen, recordPlayTitles, playTitles } from './harness.mjs';

const DIST = path.resolve(process.env.DIST || '../../dist');
const ID = 'angry-late-delivery';
const SHIPPED = fs.readFileSync(path.join(DIST, `scenarios/${ID}.toml`), 'utf8');
// GOOD.en without its apology: a run long enough to fill the summary.
const NO_SORRY = "I completely understand how frustrating this is. I'll contact the courier right now to expedite your parcel and I'll update you with the tracking by 5 pm today. If it hasn't arrived by tomorrow, I'll refund the shipping in full. Thank you for your patience.";
const CJK = /[\u4e00-\u9fff]/;
let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

/** The shipped scenario with another title (and, if given, another id). */
function copyOf({ id = ID, title }) {
  return SHIPPED.replace(/^id = ".*"$/m, `id = "${id}"`).replace(/^(title = \{[^\n]*en = ")[^"]*"/m, `$1${title}"`);
}
const file = (name, text) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });

for (const width of [360, 1280]) {
  test(`(16.3) a broken file's errors show at the top, take focus, with FILE:LINE:COLUMN and the suggestion (${width} px)`, async () => {
    const page = await newPage(browser, { viewport: { width, height: 800 } });
    await page.goto(`${srv.base}/?lang=en`);
    await page.locator('.cards .card').first().waitFor();
    // The trainer scrolls down to the file picker, as on a phone.
    const picker = page.locator('input[type=file]');
    await page.locator('.open-file').scrollIntoViewIfNeeded();
    // A typo in a principle's name on line 27.
    await picker.setInputFiles(file('mine.toml', SHIPPED.replace('expects = { apology = 2,', 'expects = { apolgy = 2,')));
    const entry = page.locator('.broken-file', { hasText: 'mine.toml:' });
    await entry.waitFor();
    await page.waitForFunction(() => document.activeElement?.closest('.broken-file')?.innerText.includes('mine.toml:'),
      null, { timeout: 3000 });
    const text = await entry.innerText();
    // The line and column of the misspelt id in the file as sent (the shipped file may grow).
    const at = SHIPPED.split('\n').findIndex((l) => l.includes('expects = { apology = 2,')) + 1;
    assert.ok(at > 0, 'the shipped file still has the line this test edits');
    assert.match(text, new RegExp(`mine\\.toml:${at}:13: error: unknown principle \`apolgy\`: did you mean \`apology\`\\?`));
    // In view (not below the fold), in an alert region, above the scenario cards.
    const box = await entry.boundingBox();
    assert.ok(box.y >= 0 && box.y < 800 * 0.5, `the error is in the upper half of the view (y=${box.y})`);
    assert.ok(await page.getByRole('alert', { name: 'Scenario files with errors' }).isVisible());
    const [errTop, cardsTop] = await page.evaluate(() => [
      document.querySelector('.broken').getBoundingClientRect().top,
      document.querySelector('.cards').getBoundingClientRect().top]);
    assert.ok(errTop < cardsTop, 'the errors come before the library');
    // The whole message is readable at this width: nothing cut off sideways.
    const overflow = await entry.evaluate((el) => el.scrollWidth - el.clientWidth);
    assert.ok(overflow <= 1, `no horizontal overflow (${overflow}px)`);
    await page.screenshot({ path: path.join(SHOTS, `broken-file-${width}.png`) });
    assert.deepEqual(page.errors, []);
  });
}

test('a broken file opened in the Chinese UI is explained in Chinese, at the same FILE:LINE:COLUMN', async () => {
  for (const [lang, word] of [['zh-Hans', '错误'], ['zh-Hant', '錯誤']]) {
    const page = await newPage(browser);
    await page.goto(`${srv.base}/?lang=${lang}`);
    await page.locator('.cards .card').first().waitFor();
    await page.locator('input[type=file]').setInputFiles(file('mine.toml', SHIPPED.replace('expects = { apology = 2,', 'expects = { apolgy = 2,')));
    const entry = page.locator('.broken-file', { hasText: 'mine.toml:' });
    await entry.waitFor();
    const text = await entry.innerText();
    const at = SHIPPED.split('\n').findIndex((l) => l.includes('expects = { apology = 2,')) + 1;
    // The place as `kefu check` prints it; the severity and the words in the UI's language,
    // the ids quoted as written in the file.
    assert.ok(text.includes(`mine.toml:${at}:13: ${word}：`), text);
    assert.match(text, /`apolgy`[^\n]*`apology`/);
    assert.match(text, CJK);
    assert.doesNotMatch(text, /unknown principle|did you mean/);
    assert.deepEqual(page.errors, []);
    await page.close();
  }
});

test('(16.9) an edited file opened again starts afresh', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=4`);
  await page.locator('.cards .card').first().waitFor();
  await page.locator('input[type=file]').setInputFiles(file('my-copy.toml', copyOf({ id: 'my-copy', title: 'First draft' })));
  await page.waitForURL(/#\/play\/my-copy$/);
  await page.getByRole('heading', { name: 'First draft' }).waitFor();
  await reply(page, GOOD.en);
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await page.locator('.cards .card').first().waitFor();
  // The trainer edits the file and opens it again.
  await page.locator('input[type=file]').setInputFiles(file('my-copy.toml', copyOf({ id: 'my-copy', title: 'Second draft' })));
  await page.getByRole('heading', { name: 'Second draft' }).waitFor();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('log').locator('.msg.agent').count(), 0, 'no reply of the old version under the new title');
  assert.equal(await page.getByRole('region', { name: 'Feedback' }).count(), 0);
  // The same file unchanged resumes where the trainee was.
  await reply(page, GOOD.en);
  await page.reload();
  await page.getByRole('log').locator('.msg.agent').first().waitFor();
  assert.equal(await page.getByRole('log').locator('.msg.agent').count(), 1);
  assert.deepEqual(page.errors, []);
});

test('(16.9) a local file with a shipped id is badged, listed, and can be removed, restoring the shipped one', async () => {
  const page = await newPage(browser);
  const shipped = titleOf(ID);
  await page.goto(`${srv.base}/?lang=en`);
  await page.getByRole('link', { name: shipped }).waitFor();
  await page.locator('input[type=file]').setInputFiles(file('late.toml', copyOf({ title: 'My late delivery' })));
  await page.waitForURL(new RegExp(`#/play/${ID}$`));
  await page.getByRole('heading', { name: 'My late delivery' }).waitFor();
  // Kept across a reload: the library shows it with a "local" badge, and says what it replaces.
  await page.goto(`${srv.base}/?lang=en#/`);
  await page.reload();
  const card = page.locator('.card', { has: page.getByRole('link', { name: 'My late delivery' }) });
  await card.waitFor();
  assert.equal(await card.locator('.tag.local').innerText(), 'local');
  assert.equal(await page.getByRole('link', { name: shipped }).count(), 0, 'the local copy stands in for the shipped one');
  const listed = page.locator('.local-files [data-local-file="late.toml"]');
  assert.match(await listed.innerText(), new RegExp(`late\\.toml replaces the shipped scenario ${ID}`));
  await page.screenshot({ path: path.join(SHOTS, 'local-file-1280.png'), fullPage: true });
  // Removed: the shipped scenario is back, without a badge, and stays back after a reload.
  await listed.getByRole('button', { name: 'Remove late.toml' }).click();
  await page.getByRole('link', { name: shipped }).waitFor();
  assert.equal(await page.locator('.tag.local').count(), 0);
  assert.equal(await page.locator('.local-files').count(), 0);
  await page.reload();
  await page.getByRole('link', { name: shipped }).waitFor();
  await page.waitForTimeout(500);
  assert.equal(await page.getByRole('link', { name: 'My late delivery' }).count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('kefu.local')), '{}');
  assert.deepEqual(page.errors, []);
});

test('a link straight to a scenario a local file replaces plays the local one from the start, never the shipped one first', async () => {
  const page = await newPage(browser);
  await page.addInitScript((src) => {
    if (!localStorage.getItem('kefu.local')) localStorage.setItem('kefu.local', JSON.stringify({ 'late.toml': src }));
  }, copyOf({ title: 'My late delivery' }));
  // The checker takes a while: the shipped scenario on its own file came first, and played,
  // before the trainer's file was checked.
  await recordPlayTitles(page);
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('heading', { name: 'My late delivery' }).waitFor();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.deepEqual(await playTitles(page), ['My late delivery']);
  assert.deepEqual(page.errors, []);
});

test('a reload mid-play keeps the conversation with a local file that replaces a shipped one, even when the file list is slow', async () => {
  const page = await newPage(browser);
  await page.addInitScript((src) => {
    if (!localStorage.getItem('kefu.local')) localStorage.setItem('kefu.local', JSON.stringify({ 'late.toml': src }));
  }, copyOf({ title: 'My late delivery' }));
  await recordPlayTitles(page);
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('heading', { name: 'My late delivery' }).waitFor();
  const log = page.getByRole('log');
  await log.locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  const before = await log.locator('.msg').allInnerTexts();
  // The list of the site's files answers late: the scenario's own file comes first.
  await page.route('**/scenarios/index.json', async (r) => { await new Promise((t) => setTimeout(t, 2000)); await r.continue(); });
  await page.reload();
  await page.getByRole('heading', { name: 'My late delivery' }).waitFor();
  await page.waitForFunction((n) => document.querySelectorAll('[role=log] .msg').length >= n, before.length);
  assert.deepEqual(await log.locator('.msg').allInnerTexts(), before, 'the same conversation, nothing lost');
  assert.deepEqual(await playTitles(page), ['My late delivery'], 'never the shipped one');
  assert.deepEqual(page.errors, []);
});

test('a page changed by a link or Back puts focus on its heading; the first page of a load does not move it', async () => {
  const page = await newPage(browser);
  const focused = () => page.evaluate(() => document.activeElement.tagName + ' ' + document.activeElement.textContent);
  await page.goto(`${srv.base}/?lang=en#/`);
  await page.locator('.card').first().waitFor();
  // From the library (its own module) to the history (the full module's).
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'History' }).click();
  await page.waitForFunction(() => document.activeElement.tagName === 'H1');
  assert.equal(await focused(), 'H1 History');
  await page.keyboard.press('Tab');
  assert.ok(await page.evaluate(() => !!document.activeElement.closest('main')), 'the keyboard goes on inside the page');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await page.waitForFunction(() => document.activeElement.textContent === 'Settings' && document.activeElement.tagName === 'H1');
  await page.goBack();
  await page.waitForFunction(() => document.activeElement.textContent === 'History' && document.activeElement.tagName === 'H1');
  // A page loaded as it is: focus stays where the browser puts it.
  await page.goto(`${srv.base}/?lang=en#/settings`);
  await page.reload();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'BODY');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a hint shown stays shown across a language switch and a reload, until the turn is answered', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  const hint = page.locator('p.hint');
  await page.getByRole('button', { name: 'Hint' }).click();
  await hint.waitFor();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hans');
  await page.getByRole('button', { name: '提示' }).waitFor();
  await hint.waitFor();
  assert.match(await hint.innerText(), /本轮期望/);
  await page.reload();
  await hint.waitFor();
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await page.getByRole('button', { name: 'Hint' }).waitFor();
  assert.equal(await hint.count(), 1);
  // Answered: the next turn starts without it.
  await reply(page, GOOD.en);
  assert.equal(await hint.count(), 0);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('(16.10) the language picked is remembered; ?lang= still wins', async () => {
  const page = await newPage(browser, { locale: 'zh-CN' });
  await page.goto(`${srv.base}/`);
  await page.getByRole('link', { name: '场景库' }).first().waitFor();
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await page.getByRole('link', { name: 'Library', exact: true }).waitFor();
  await page.goto(`${srv.base}/`);
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', 'the bare URL uses the last choice');
  await page.getByRole('link', { name: 'Library', exact: true }).waitFor();
  await page.goto(`${srv.base}/?lang=zh-Hant`);
  await page.getByRole('link', { name: '場景庫' }).first().waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hant', '?lang= wins');
  assert.deepEqual(page.errors, []);
});

test('Back after switching language mid-play returns to the page the URL names, in its language', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=zh-Hans`);
  await page.locator('.cards .card a').first().click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.getByRole('combobox', { name: '语言' }).selectOption('en');
  await page.getByRole('log', { name: 'Conversation' }).waitFor();
  await page.goBack();
  await page.waitForURL((u) => u.hash === '' || u.hash === '#/');
  // The library, as that entry's URL says (?lang=zh-Hans), not the play page left behind.
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.getByRole('log').count(), 0, 'play is no longer shown');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  assert.deepEqual(page.errors, []);
});

test('(16.10) switching language mid-session switches every message, feedback and record', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=3#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  assert.ok(!CJK.test(await page.getByRole('log').locator('.msg.customer').first().innerText()));
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hans');
  const log = page.getByRole('log', { name: '对话' });
  await log.locator('.msg.agent').first().waitFor();
  await page.getByRole('region', { name: '反馈' }).waitFor();
  // The trainee's own reply stays as typed; everything the app says is in the new language.
  const said = async () => log.locator('.msg.customer p').allInnerTexts();
  for (const line of await said()) assert.match(line, CJK, `customer line in Chinese: ${line}`);
  assert.equal(await log.locator('.msg.agent p').first().innerText(), GOOD.en);
  assert.match(await page.locator('h1').innerText(), CJK);
  for (const tip of await page.locator('.tips li').allInnerTexts()) assert.match(tip, CJK, tip);
  // On to the end in Chinese: the summary's transcript and the saved record are all Chinese.
  for (let i = 0; i < 8 && !(await page.locator('.summary').count()); i++) {
    const before = await log.locator('.msg.agent:not(.pending)').count();
    await page.getByRole('textbox', { name: '回复' }).fill(GOOD.zh);
    await page.getByRole('button', { name: '发送' }).click();
    await log.locator('.msg.agent:not(.pending)').nth(before).waitFor();
  }
  await page.locator('.summary').waitFor();
  for (const line of await page.locator('.summary .transcript .customer').allInnerTexts()) assert.match(line, CJK, line);
  const turns = (await savedWhen(page, (a) => a.length && a[0].finished_ms))[0].turns;
  assert.ok(turns.length >= 2);
  for (const t of turns) assert.match(t.customer, CJK, `recorded customer line: ${t.customer}`);
  assert.deepEqual(page.errors, []);
});

/** Play the scenario to its summary (an apology first, then none). */
async function toSummary(page, lang = 'en') {
  await page.goto(`${srv.base}/?lang=${lang}&seed=3#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  for (let i = 0; i < 8 && !(await page.locator('.summary').count()); i++) await reply(page, i === 0 ? GOOD.en : NO_SORRY);
  await page.locator('.summary').waitFor();
}

test('the summary prints on one page, even of a long run', async () => {
  const page = await newPage(browser);
  // The longest run we know: nine turns of a weak, long reply.
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/angry-third-complaint`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  for (let i = 0; i < 12 && !(await page.locator('.summary').count()); i++) await reply(page, 'Sorry about that, I will check and get back to you. '.repeat(6));
  await page.locator('.summary').waitFor();
  const turns = await page.locator('.summary .transcript > li').count();
  assert.ok(turns >= 8, `a run of ${turns} turns`);
  // Ended by the reply limit, whatever the mood: the summary says so beside the ending.
  const max = JSON.parse(fs.readFileSync(path.join(DIST, 'scenarios/library.json'), 'utf8'))
    .scenarios.find((s) => s.id === 'angry-third-complaint').max_turns;
  if (turns === max && Number(await page.locator('meter#mood').getAttribute('value')) > 0) {
    assert.equal(await page.locator('.summary .ending .cut-short').getAttribute('data-cut'), 'turns');
    assert.match(await page.locator('.summary .ending').innerText(), new RegExp(`gave up after ${max} replies`));
  }
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  fs.writeFileSync(path.join(SHOTS, 'summary-print.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page\b/g) || []).length;
  assert.equal(pages, 1, `the summary of ${turns} turns prints on ${pages} page(s)`);
  // What prints is the summary: score, chart, transcript; not the chat or the controls.
  await page.emulateMedia({ media: 'print' });
  for (const sel of ['.summary .total', '.summary .radar', '.summary .transcript']) assert.ok(await page.locator(sel).isVisible(), sel);
  for (const sel of ['header.top', '.play .chat', '.summary .actions']) assert.ok(!(await page.locator(sel).isVisible()), sel);
  await page.screenshot({ path: path.join(SHOTS, 'summary-print-1280.png'), fullPage: true });
  assert.deepEqual(page.errors, []);
});

test('"practise this principle" from the summary lists the scenarios that ask for it and opens one', async () => {
  const page = await newPage(browser);
  await toSummary(page);
  const bundle = JSON.parse(fs.readFileSync(path.join(DIST, 'scenarios/library.json'), 'utf8'));
  const asks = (s, p) => s.turns.some((t) => {
    assert.ok(t.weights.length, `${s.id} has turn weights`);
    return t.weights.some(([k, w]) => k === p && w > 0);
  });
  // A principle the run was rated on that some scenarios ask for and others do not.
  const rated = await page.locator('.summary [data-rate]').evaluateAll((els) => els.map((e) => e.dataset.rate));
  const titlesAsking = (p) => bundle.scenarios.filter((s) => asks(s, p)).map((s) => s.title.en).sort();
  const p = rated.find((id) => titlesAsking(id).length < bundle.scenarios.length);
  assert.ok(p, `one of ${rated} is not asked for everywhere`);
  const want = titlesAsking(p);
  const name = (await page.locator(`.summary [data-rate="${p}"]`).innerText()).split(':')[0];
  await page.locator(`.summary [data-rate="${p}"]`).getByRole('link', { name: `Practise ${name}` }).click();
  await page.waitForURL(new RegExp(`#/practise/${p}$`));
  await page.getByRole('heading', { name: `Practise: ${name}` }).waitFor();
  const titles = (await page.locator('.cards .card h2').allInnerTexts()).sort();
  assert.deepEqual(titles, want, `the scenarios whose turns ask for ${p}`);
  await page.getByRole('button', { name: 'Random practice' }).click();
  await page.waitForURL(/#\/play\//);
  const id = decodeURIComponent(page.url().split('#/play/')[1]);
  assert.ok(bundle.scenarios.some((s) => s.id === id && asks(s, p)), `opened ${id}, which asks for ${p}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.deepEqual(page.errors, []);
});

const require = createRequire(import.meta.url);
const AXE = require.resolve('axe-core/axe.min.js');

/** axe-core's colour-contrast violations on the page as it is now. */
async function contrast(page) {
  if (!(await page.evaluate(() => !!window.axe))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'rule', values: ['color-contrast'] } });
    return r.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.split('\n').pop()}`));
  });
}

test('a dark theme follows the system setting and keeps AA contrast', async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  const dark = () => page.evaluate(() => {
    const rgb = getComputedStyle(document.body).backgroundColor.match(/\d+/g).slice(0, 3).map(Number);
    const lin = rgb.map((c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  });
  await page.goto(`${srv.base}/?lang=zh-Hans`);
  await page.locator('.cards .card').first().waitFor();
  assert.ok(await dark() < 0.05, `the page is dark (luminance ${await dark()})`);
  // A broken file's alert, the library, play with feedback and a hint, the summary, history.
  await page.locator('input[type=file]').setInputFiles(file('mine.toml', 'id = "mine"\n'));
  await page.locator('.broken-file').first().waitFor();
  const bad = { library: await contrast(page) };
  await page.screenshot({ path: path.join(SHOTS, 'dark-library-1280.png') });
  await page.goto(`${srv.base}/?lang=en&seed=3#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, NO_SORRY);
  await page.getByRole('button', { name: 'Hint' }).click();
  bad.play = await contrast(page);
  await page.screenshot({ path: path.join(SHOTS, 'dark-play-1280.png'), fullPage: true });
  for (let i = 0; i < 8 && !(await page.locator('.summary').count()); i++) await reply(page, GOOD.en);
  await page.locator('.summary').waitFor();
  bad.summary = await contrast(page);
  await savedWhen(page, (a) => a.some((x) => !!x.finished_ms), 10_000); // written before the page is left
  await page.goto(`${srv.base}/?lang=en#/history`);
  await page.locator('table.attempts tbody tr').first().waitFor();
  bad.history = await contrast(page);
  for (const [where, v] of Object.entries(bad)) assert.deepEqual(v, [], `contrast below AA on ${where}`);
  assert.deepEqual(page.errors, []);
});

test('on a phone, the keyboard opening keeps the newest message and Send in view', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  // The reply box does not take focus by itself on a touch screen (the keyboard would cover
  // the brief and the customer's line): the trainee taps it when ready.
  await page.waitForTimeout(300);
  assert.notEqual(await page.evaluate(() => document.activeElement.tagName), 'TEXTAREA');
  // No keyboard shortcut offered where there is no keyboard.
  assert.equal(await page.getByRole('textbox', { name: 'Reply' }).getAttribute('placeholder'), 'Write your reply…');
  const desk = await newPage(browser);
  await desk.goto(`${srv.base}/?lang=en&seed=1#/play/${ID}`);
  assert.match(await desk.getByRole('textbox', { name: 'Reply' }).getAttribute('placeholder'), /Ctrl\+Enter/);
  await desk.context().close();
  // Two turns in: the conversation is longer than the box shown with the keyboard open.
  for (let i = 0; i < 2 && !(await page.locator('.summary').count()); i++) await reply(page, NO_SORRY);
  assert.equal(await page.locator('.summary').count(), 0, 'still playing');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.getByRole('textbox', { name: 'Reply' }).focus();
  // The keyboard opens: the viewport is 460 px high (what interactive-widget=resizes-content
  // gives on Android; iOS resizes the visual viewport, which fires the same resize).
  await page.setViewportSize({ width: 390, height: 460 });
  await page.waitForTimeout(300);
  const seen = await page.evaluate(() => {
    const chat = document.querySelector('[role=log]').getBoundingClientRect();
    const last = [...document.querySelectorAll('[role=log] .msg')].at(-1).getBoundingClientRect();
    const send = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Send').getBoundingClientRect();
    return { chat: [chat.top, chat.bottom], last: [last.top, last.bottom], send: [send.top, send.bottom], h: window.innerHeight };
  });
  assert.ok(seen.send[1] <= seen.h && seen.send[0] >= 0, `Send in view: ${JSON.stringify(seen)}`);
  assert.ok(seen.last[1] <= seen.chat[1] + 1 && seen.last[1] > Math.max(0, seen.chat[0]), `the newest message shown in the conversation: ${JSON.stringify(seen)}`);
  assert.ok(seen.last[1] > 0 && seen.last[0] < seen.h, `and on the screen: ${JSON.stringify(seen)}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a reply that answers what the customer would ask next: the customer moves on, and the feedback says so', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/angry-damaged-goods`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, "Ms. Chen, I'm so sorry, our packing let you down. I'm sending a new set by express and it will arrive tomorrow.");
  const note = page.getByRole('region', { name: 'Feedback' }).locator('.not-asked');
  assert.match(await note.textContent(), /no longer needs to ask .How long will the replacement take\?/);
  // The customer does not ask how long: she asks about the packing.
  await page.locator('[role=log] .msg.customer').nth(1).waitFor();
  assert.match(await page.locator('[role=log] .msg.customer').nth(1).textContent(), /pack it properly/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
  // Without the time, she asks, and the feedback says nothing of it (a fresh browser).
  const other = await newPage(browser);
  await other.goto(`${srv.base}/?lang=en&seed=1#/play/angry-damaged-goods`);
  await other.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(other, "Ms. Chen, I'm so sorry, our packing let you down. I'm sending you a new set.");
  assert.equal(await other.getByRole('region', { name: 'Feedback' }).locator('.not-asked').count(), 0);
  await other.locator('[role=log] .msg.customer').nth(1).waitFor();
  assert.match(await other.locator('[role=log] .msg.customer').nth(1).textContent(), /How long will the replacement take/);
  assert.deepEqual(other.errors, []);
  await other.context().close();
});

test('a scenario not written in the interface language says so; one that is, says nothing', async () => {
  const page = await newPage(browser);
  await page.goto(`${srv.base}/?lang=zh-Hant&seed=1#/play/angry-third-complaint`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.match(await page.locator(".play-lang").textContent(), /沒有繁體中文版本，以简体中文進行。回覆時用繁體字也可以。/);
  assert.deepEqual(page.errors, []);
  await page.context().close();
  const other = await newPage(browser);
  await other.goto(`${srv.base}/?lang=zh-Hant&seed=1#/play/angry-damaged-goods`);
  await other.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.equal(await other.locator('.play-lang').count(), 0);
  assert.deepEqual(other.errors, []);
  await other.context().close();
});
