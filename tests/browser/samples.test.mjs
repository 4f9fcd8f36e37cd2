// The checker and the app agree (issue #15, item 5): every sample reply of every shipped
// scenario, played in the built app with the checker's seed and language, takes the path
// `kefu check --paths=json` says it takes: the same customer lines, the same mood at each step,
// the same turn or ending at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { serve, launch, newPage } from './harness.mjs';

const DIST = path.resolve(process.env.DIST || '../../dist');
const KEFU = path.resolve(process.env.KEFU || '../../target/release/kefu');

/** The checker's played samples, one object per sample (`kefu check --paths=json`). */
function checkerPaths() {
  let out;
  try {
    out = execFileSync(KEFU, ['check', '--paths=json', path.join(DIST, 'scenarios')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`kefu check failed (${e.status}):\n${e.stdout}\n${e.stderr}`);
  }
  const all = out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
  // SAMPLES=id,id plays only those scenarios (to look into one).
  const only = process.env.SAMPLES?.split(',');
  return only ? all.filter((p) => only.includes(p.scenario)) : all;
}

const replies = (p) => p.steps.map((s) => s.reply);
const where = (p) => `${p.scenario} sample at line ${p.line} (${p.label ?? 'no label'}, ${p.lang})`;

/** The samples worth playing: a sample whose replies start another's is played on the way. */
function chains(all) {
  const keep = [];
  for (const p of all) {
    const rs = replies(p);
    const longer = all.find((q) => q !== p && q.scenario === p.scenario && q.lang === p.lang
      && q.steps.length > rs.length && rs.every((r, i) => q.steps[i].reply === r));
    if (longer) {
      // Played as part of `longer`: the checker must say the same about the shared steps.
      const next = longer.steps[rs.length];
      assert.equal(next.turn, p.at, `${where(p)}: the checker's two plays of the same replies differ`);
      assert.equal(next.mood, p.mood, `${where(p)}: the checker's two plays of the same replies differ`);
      assert.equal(next.customer, p.said, `${where(p)}: the checker's two plays of the same replies differ`);
      continue;
    }
    if (!keep.some((q) => q.scenario === p.scenario && q.lang === p.lang && JSON.stringify(replies(q)) === JSON.stringify(rs))) keep.push(p);
  }
  return keep;
}

/** Send one reply in any UI language (the play language is the UI language here). */
async function send(page, text) {
  const before = await page.locator('[role=log] .msg.agent').count();
  await page.locator('textarea#reply').fill(text);
  await page.locator('form.reply button[type=submit]').click();
  await page.locator('[role=log] .msg.agent:not(.pending)').nth(before).waitFor({ timeout: 15000 });
}

let srv, browser, paths;
before(async () => { paths = checkerPaths(); srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

test('the checker plays every sample with real replies', () => {
  if (!process.env.SAMPLES) {
    assert.ok(paths.length >= 18 * 4, `expected at least 4 samples per shipped scenario, got ${paths.length}`);
    const ids = new Set(paths.map((p) => p.scenario));
    assert.equal(ids.size, 18, 'every shipped scenario has played samples');
  }
  for (const p of paths) {
    const i = p.steps.findIndex((s) => s.reply === null);
    assert.equal(i, -1, `${where(p)}: the checker reached turn \`${p.steps[i]?.turn}\` without a reply (add a sample above that leads there, or a model answer that takes that branch)`);
  }
});

/** Play one conversation on `page` (storage cleared first, a full load); its failure or null. */
async function play(page, p) {
  // The app is left first (it may save on the way out), then the origin's localStorage is
  // cleared through the DevTools protocol: the app starts once per conversation, not twice (it
  // used to be opened only to clear its storage), and no other document of the origin is
  // loaded (a JSON file's page asks for a favicon: a 404 in the console, read as an error).
  await page.goto('about:blank');
  page.cdp ??= await page.context().newCDPSession(page);
  await page.cdp.send('Storage.clearDataForOrigin', { origin: srv.base, storageTypes: 'local_storage' });
  page.errors.length = 0;
  await page.goto(`${srv.base}/?lang=${p.lang}&seed=${p.seed}#/play/${p.scenario}`);
  const customers = page.getByRole('log').locator('.msg.customer p');
  const meter = page.locator('meter#mood');
  const seen = [];
  try {
    for (const [i, st] of p.steps.entries()) {
      await customers.nth(i).waitFor({ timeout: 15000 });
      const line = await customers.nth(i).innerText();
      const mood = Number(await meter.getAttribute('value'));
      seen.push(`${st.turn}? "${line}" (mood ${mood})`);
      assert.equal(line, st.customer, `step ${i + 1} (\`${st.turn}\`): the customer's line`);
      assert.equal(mood, st.mood, `step ${i + 1} (\`${st.turn}\`): the mood`);
      await send(page, st.reply);
    }
    const n = p.steps.length;
    await customers.nth(n).waitFor({ timeout: 15000 });
    const line = await customers.nth(n).innerText();
    const mood = Number(await meter.getAttribute('value'));
    seen.push(`${p.at}? "${line}" (mood ${mood})`);
    assert.equal(line, p.said, `after the last reply (\`${p.at}\`): the customer's line`);
    assert.equal(mood, p.mood, `after the last reply (\`${p.at}\`): the mood`);
    assert.deepEqual(page.errors, []);
    return null;
  } catch (e) {
    const checker = p.steps.map((s) => `${s.turn} "${s.customer}" (mood ${s.mood})`).concat(`${p.at} "${p.said}" (mood ${p.mood})`);
    return `${where(p)}: ${e.message}\n  checker: ${checker.join(' → ')}\n  app:     ${seen.join(' → ')}`;
  }
}

test('every sample takes the same path, with the same mood, in the app as in kefu check', async () => {
  const todo = chains(paths);
  const failures = [];
  // Two pages take turns over the list; each conversation starts from cleared storage and a
  // full page load (the app's files come from the browser's cache, as for a returning trainee).
  const queue = [...todo];
  const lane = async () => {
    const page = await newPage(browser);
    for (let p = queue.shift(); p; p = queue.shift()) {
      const f = await play(page, p);
      if (f) failures.push(f);
    }
    await page.context().close();
  };
  await Promise.all([lane(), lane()]);
  if (!process.env.SAMPLES) assert.ok(todo.length >= 18, `played ${todo.length} conversations`);
  assert.deepEqual(failures, [], `${failures.length} of ${todo.length} conversations differ:\n${failures.join('\n')}`);
});
