// The first screen on a phone on a slow network (#17): what it downloads, whether it moves, how
// soon it shows. Through the real `kefu serve` (brotli/gzip variants, as `make serve` sends them).
// Bytes and layout shifts are deterministic and asserted; times vary with the machine and are
// only printed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { serve, launch, newPage, reply, GOOD, titleOf } from './harness.mjs';

// First load (the library, ready to use), in bytes on the wire (compressed bodies).
// The target is 200 KB brotli (TARGET, printed). BUDGET is asserted: a ratchet just
// above what the build reaches (`make wasm-size` shows what is in the app's wasm;
// see the note on BUDGET for the current figure). Lower it as the wasm
// shrinks; raising it is a decision to record in the commit that does it.
const TARGET = 200 * 1024;
// Raised from 300 to 370 KB on 2026-12-03 (the IndexedDB store and #19's pages joined the one
// app module: 362.7 KB), then lowered to 230 KB the same day when the library page got its own
// module (kefu_library; every other page is the full module, fetched on intent or idle): the
// first load measured 227.9 KB (233,352 bytes), of which the library module's wasm is 212.5 KB.
// Lowered to 213 KB on 2026-12-04: the library module carries only its own catalogue keys
// (data/i18n/library.keys) and reads JSON through serde_json::Value (one deserializer per type):
// 211.8 KB (216,926 bytes), its wasm 195.9 KB.
// Lowered to 196 KB on 2026-12-04: the library module reads library cards of their own
// (view::Card; cards.json a view::Cards, no scenarios' turns or exams, so no scenario
// deserializer in it), fetches with web-sys and reads an opened file with Blob.text() (no
// gloo-net, no gloo-file, no futures-util stream): 194.2 KB (198,881 bytes, from 218,053),
// its wasm 174.0 KB.
// Raised to 198 KB on 2026-12-04 (still under the 200 KB target): index.html carries the cards
// (no cards.json request, 5.4 KB) and a static picture of the library in each UI language
// (`kefu prerender`, #17: Lighthouse mobile LCP ~2.1-2.3 s -> ~0.75 s), 12.6 KB brotli from
// 4.5 KB: 197.3 KB (202,029 bytes), the library module's wasm 174.3 KB.
// Raised to 199 KB on 2026-12-04 (fifth session; still under the 200 KB target): the studio's
// play-test route, the dashboard's own module and its hand-over, and #19's review left the first
// load at 198.0 KB (202,792 bytes, the library module's wasm 175.6 KB), 40 bytes over 198 KB.
// Lowered to 196 KB on 2026-12-06 at 198,727 bytes (194.1 KB; the library module's wasm 171.3 KB):
// the data files compiled into Rust instead of parsed JSON, maps filled without `collect`'s sort.
// Raised to 197 KB on 2026-12-06 (twenty-second session) at 200,734 bytes (196.0 KB; the
// library module's wasm 172.9 KB, index.html 12.1 KB): play waiting for the files that may
// replace its scenario, the listed files read as one folder (`kefu check`'s duplicate-id error),
// popstate followed, a count in "checking N files", and index.html's early tap on the picture.
// The budget (200 KB) still holds.
// Raised to 198 KB on 2026-12-06 (twenty-third session) at 201,414 bytes (196.7 KB) in the warm
// tree, 314 bytes under 197 KB where clean clones have built ~400 bytes larger: scenarios/index.json
// is sent as it is (564 bytes, ~360 more than its brotli) because a deploying team edits it in
// place and a stale `.br` beside it hid the edit (`kefu compress`'s EDITED_IN_PLACE).
// Raised to 199 KB the same session at 202,937 bytes (198.2 KB, warm tree): a file that is not
// UTF-8 refused with kefu check's message (read as bytes, the message in three languages), the
// filters kept in the URL, a query after the hash, and index.html's "loading" line on pages
// other than the library's (#17's 200 KB still holds).
// Raised to 200 KB, the target, on 2026-12-07 (twenty-fourth session) at 203,620 bytes
// (198.8 KB, warm tree; clean clones build ~200 bytes larger, over 199 KB): Chinese text with
// full-width punctuation (the catalogue and the cards in index.html: 2-3 bytes a mark for 1),
// English singulars (`KEY.one`). Any growth from here needs a saving beside it.
const BUDGET = 200 * 1024;
// Fetched on the trainee's intent or when the browser is idle after the library is shown, never
// for the first screen: the engine (scorer, checker) and the full app module (kefu_dojo: every
// page but the library, #17) with the snippets only it imports. Reported apart from the first
// load, and asserted to be requested only after the cards are shown.
const DIST = process.env.DIST || '../../dist';
const snippets = (re) => {
  const js = fs.readdirSync(DIST).find((f) => re.test(f));
  return new Set(fs.readFileSync(path.join(DIST, js), 'utf8').match(/snippets\/[^'"]+\.js/g) || []);
};
const liteSnippets = snippets(/^kefu_library\.[0-9a-f]{16}\.js$/);
const fullOnly = [...snippets(/^kefu_dojo\.[0-9a-f]{16}\.js$/)].filter((s) => !liteSnippets.has(s)).map((s) => `/${s}`);
const isLater = (url) => /\/engine\/|^\/kefu_(dojo|team)[._]/.test(url) || fullOnly.includes(url);
// The dashboard module (kefu_team, #/team alone, #19): its code and the snippets only it imports.
const teamOnly = [...snippets(/^kefu_team\.[0-9a-f]{16}\.js$/)].filter((s) => !liteSnippets.has(s) && !fullOnly.includes(`/${s}`)).map((s) => `/${s}`);
const isTeam = (url) => /^\/kefu_team[._]/.test(url) || teamOnly.includes(url);

let srv, browser;
before(async () => { srv = await serve(); browser = await launch(); });
after(async () => { await browser?.close(); srv?.server.close(); });

/** Open the library and wait until its cards are shown and the network is quiet. The page
 * notes when the first card appeared (`window.__cardsAt`, in performance.now() time). */
async function openLibrary(page, url) {
  await page.addInitScript(() => {
    new MutationObserver((_, o) => {
      if (document.querySelector('.cards .card')) { window.__cardsAt = performance.now(); o.disconnect(); }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator('.cards .card').first().waitFor();
  await page.waitForLoadState('networkidle');
}

/** Every response of a page: url, encoded body bytes, content-encoding. */
function recordResponses(page) {
  const log = [];
  page.on('requestfinished', async (req) => {
    const res = await req.response();
    const sizes = await req.sizes();
    log.push({
      url: new URL(req.url()).pathname,
      status: res?.status(),
      bytes: sizes.responseBodySize,
      encoding: (await res?.headerValue('content-encoding')) || 'identity',
    });
  });
  return log;
}

test('first load: the library within the budget on the wire (brotli)', async () => {
  // Chromium announces brotli to secure origins only; a phone on an https host gets brotli, so
  // ask for it here as that browser would.
  const page = await newPage(browser, { extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' } });
  const log = recordResponses(page);
  await openLibrary(page, `${srv.base}/?lang=en`);
  await page.waitForTimeout(300);
  const first = log.filter((r) => !isLater(r.url));
  const later = log.filter((r) => isLater(r.url));
  const total = first.reduce((s, r) => s + r.bytes, 0);
  console.log('first load (bytes on the wire):');
  for (const r of first) console.log(`  ${String(r.bytes).padStart(8)} ${r.encoding.padEnd(8)} ${r.url}`);
  console.log(`  ${String(total).padStart(8)} total (${(total / 1024).toFixed(1)} KB; budget ${BUDGET / 1024} KB, target ${TARGET / 1024} KB)`);
  for (const r of later) console.log(`  later: ${String(r.bytes).padStart(8)} ${r.encoding.padEnd(8)} ${r.url}`);
  for (const r of first) {
    assert.equal(r.status, 200, `${r.url}: HTTP ${r.status}`);
    // Every file of code or data goes with brotli, except one too small to gain from it (kefu
    // compress writes a variant only when it is smaller) and those a deploying team edits in
    // place (config.json, scenarios/index.json: a variant would go stale).
    const edited = ['/config.json', '/scenarios/index.json'].includes(r.url);
    if (/\.(wasm|js|json|html)$|\/$/.test(r.url) && r.bytes >= 256 && !edited) assert.equal(r.encoding, 'br', `${r.url} is sent with brotli`);
    if (edited) assert.equal(r.encoding, 'identity', `${r.url} is sent as it is on disk`);
  }
  assert.ok(!first.some((r) => r.url.endsWith('/library.json')), 'the full library waits until it is wanted');
  assert.ok(first.some((r) => /^\/kefu_library_bg\.[0-9a-f]{16}\.wasm$/.test(r.url)), 'the library module is the first load');
  // What is left out of the first load is really fetched after it: no request of the full
  // module or the engine starts before the first card is shown.
  const { cardsAt, started } = await page.evaluate(() => ({
    cardsAt: window.__cardsAt,
    started: performance.getEntriesByType('resource').map((e) => ({ url: new URL(e.name).pathname, at: e.startTime })),
  }));
  assert.ok(cardsAt > 0, 'the cards were shown');
  const early = started.filter((e) => isLater(e.url) && e.at < cardsAt);
  assert.deepEqual(early, [], `requested before the cards were shown (at ${cardsAt} ms)`);
  // The cards come with index.html (inline, `kefu prerender`), not in a request of their own.
  assert.ok(!first.some((r) => r.url.endsWith('/cards.json')), 'the cards are not fetched apart');
  assert.ok(total <= BUDGET, `first load ${total} bytes > budget ${BUDGET}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// The scorer module (dist/engine/kefu_score_bg.*.wasm: play's engine, crate kefu-engine without
// `check`), in bytes on the wire: a ratchet like BUDGET (`make wasm-size SCORER=1` shows what is
// in it). The target is 250 KB brotli (SCORER_TARGET, printed).
const SCORER_TARGET = 250 * 1024;
// Set to 399 KB on 2026-12-04 at 405,470 bytes (396.0 KB; 479,404 before): the learned model
// packed at build time, the results-file reader in the checker only, the answer patterns on
// regex's PikeVM alone, Aho-Corasick's noncontiguous NFA alone, JSON read through
// serde_json::Value only. Raised to 402 KB the same day at 409,234 bytes (399.6 KB): the heads
// retrained on the trainee corpus's second round (more weights outside a byte, kept exactly).
// Lowered to 357 KB the same day at 363,186 bytes (354.7 KB): the answer patterns compiled into
// NFAs at build time (no regex parser or compiler) and judgements written by hand (no serde
// serializer). Lowered to 331 KB on 2026-12-05 at 336,831 bytes (328.9 KB; 362,987 before): a
// stored session replayed on the page (no dialogue engine or scenario reader in the scorer), the
// judge's sorts through one instantiation, floats written by zmij, two maps built by insertion.
// Raised to 354 KB the same day at 360,354 bytes (351.9 KB): the heads retrained on the corpus's
// third and fourth rounds (tuning 2,267 -> 3,904 replies) read a larger vocabulary (n-grams in
// at least 4 replies, was 3: with 3 it was 382,704 bytes; validation 0.807 with 3, 0.808 with 4).
// Raised to 366 KB on 2026-12-05 at 372,936 bytes (364.2 KB; 359,588 before): two more heads,
// probe's and restate's, which only veto the rules' hits (validation 0.811 -> 0.815: probe 0.77
// -> 0.80, restate 0.68 -> 0.71); their weights pruned harder to pay for it (MIN_WEIGHT 0.1) lost
// 0.002 of validation and 0.004 of tuning, so they were not. 1.8 KB of room: a clean clone's
// build has measured a few hundred bytes apart from a warm tree's.
// Lowered to 334 KB on 2026-12-05 at 339,804 bytes (331.8 KB; 373,391 before): the bagged
// weights rounded to multiples of 0.12 (`learn::QUANTUM`; chosen on the tuning part, out of fold:
// 0.03 / 0.05 / 0.08 / 0.12 / 0.16 / 0.25 gave 0.822 / 0.822 / 0.822 / 0.822 / 0.821 / 0.817;
// validation 0.814 -> 0.815), so the packed weights take fewer values and compress better.
// Lowered to 326 KB the same day at 330,832 bytes (323.1 KB): the packed model's n-grams front
// coded (each as the bytes it shares with the one before and the rest), no judgement changed;
// with the learned heads' shared feature rows a clean clone's build measured 332,152 bytes.
// Raised to 328 KB on 2026-12-05 at 333,381 bytes (325.6 KB; 332,444 before): the heads' L2
// strength may be 0.001 too (`learn::L2S`, chosen per head by cross-validation; larger weights,
// the packed model +2.2 KB brotli) for tuning 0.8243 -> 0.8256, the fifth round's tuning side (then unseen) 0.8051 -> 0.8081,
// validation 0.8184 -> 0.8210; 2 KB of room for a clean clone's build.
// Lowered to 322 KB on 2026-12-05 at 326,666 bytes (319.0 KB; a clean clone's build 327,705,
// 320.0 KB): the heads retrained on the corpus's fifth and sixth rounds with a coarser
// vocabulary (char n-grams in 6 tuning replies, words in 3: the model text 529 -> 472 KB),
// validation 0.822 -> 0.828; 2 KB of room for a clean clone's build, as before. Raised to 324 KB
// the same day at 328,455 bytes (320.8 KB): jargon by shape (the acronym scan and its two word
// lists, `plain_acronyms` and `caps_words`), validation 0.829 -> 0.833. Raised to 340 KB the
// same day at 346,097 bytes (338.0 KB; 329,509 before): the heads learn the corpus's seventh
// and eighth rounds too (tuning 5,438 -> 6,936 lines, the same vocabulary floors: the packed
// model 70 -> 85 KB brotli), validation (3,717 lines) 0.8387 -> 0.8448. Raised to 349 KB at
// 355,160 bytes (346.8 KB): the heads learn the corpus's ninth round too (tuning 7,743 lines,
// the same floors), validation (4,210 lines) 0.8490 -> 0.8514; the floor raised to 7 replies
// to keep the size gave 0.8490. Raised to 357 KB at 362,901 bytes (354.4 KB): the tenth round
// learned too (tuning 8,315 lines), validation (4,518 lines) 0.8512 -> 0.8531. Raised to
// 361 KB at 368,910 bytes (360.3 KB): the eleventh round learned too (tuning 8,889 lines),
// validation (4,804 lines) 0.8532 -> 0.8576, blame 0.790 -> 0.801. Raised to 364 KB at
// 371,352 bytes in a clean clone (362.6 KB; 368,910 here before it): the negation scope's
// copula rule and its word list (#14), with the ~0.7 KB a clean clone's build differs by.
// Raised to 366 KB at 372,793 bytes here (364.1 KB; 370,945 before it): the lexicon's parts
// cut into chunks matched end to end (`lexicon::chunks`, #17: the scorer's start builds an
// automaton of ~23,000 strings, not ~76,000, about three times sooner; the same matches).
// Raised to 377 KB at 384,500 bytes here (375.5 KB): the twelfth and thirteenth rounds learned
// (tuning 9,993 lines), validation (5,413 lines) 0.8590 -> 0.8599, blame 0.802 -> 0.805; the
// n-grams in 7 replies or more instead of 6 would have kept 375,038 bytes but fell to 0.834
// out of fold (#14). Lowered to 359 KB at 365,923 bytes here (357.3 KB), #17: the packed
// model keeps each weight in its head's unit (384,500 -> ~380,000), counts its front coding
// in chars, all before the suffixes (~ -2,500), and the heads' weights are multiples of 0.18,
// not 0.12 (~ -11,200; tuning out of fold 0.8545 -> 0.8539, validation 0.8599 -> 0.8604).
// Raised to 360 KB at 366,791 bytes here (358.2 KB): the learned model's char n-grams also
// held as a trie of chars (`learned::form::Chars`, #14: a reply with the customer's line
// 99 -> 85 µs natively), ~0.9 KB of code.
// Raised to 361 KB at 368,246 bytes in a clean clone (359.6 KB; 367,089 before): the lexicon's
// search made faster (#14: a 200-char reply 52 -> 42 µs bare, 81 -> 64 µs with the customer's
// line; first parts without later parts skipped, later parts grouped by entry, each string's
// uses one table, an automaton of the asks-why role alone for the customer's line; the learned
// heads' evidence only for hits the reply can take), ~1.9 KB of code, of which ~0.7 KB came
// back by leaving the lexicon files' handbook citations out of the module.
// Lowered to 335 KB on 2026-12-06 at 341,257 bytes (333.3 KB; 367,807 before): no serde in the
// scorer module (the data files compiled into Rust by the build, the request read by hand from
// miniserde's `Value`, maps filled without `collect`'s sort). Lowered to 330 KB the same day at
// 335,514 bytes (327.7 KB): two more sorts out, the lexicon files as static data.
// Raised to 331 KB on 2026-12-07 (twenty-fourth session) at 337,351 bytes (329.4 KB, warm
// tree; 569 bytes under 330 KB, less than clean clones have differed by): written Cantonese
// folded to Mandarin (data/cantonese.txt and its automaton) and the heads retrained on it.
// Raised to 333 KB on 2026-12-07 (twenty-eighth session) at 339,729 bytes (331.8 KB, warm
// tree): a customer told already does not ask (`answers::ahead`, the questions of the next
// turns read from the request, their matter words in data/answers.toml), ~2.3 KB; 333 rather
// than 332 for what clean clones have built larger.
// Raised to 334 KB on 2026-12-07 (twenty-ninth session): the questions a reply answers read
// closer (the arrival and the sending told apart, an English clause cut at "and" + a new
// subject, a request answered by what it asks done, who pays said as the shop or an insurance
// paying), ~3 KB, of which ~1.9 KB paid back by finding a time's and an amount's plain words
// as a list (`time_words`, `amount_words`) instead of as patterns' automaton states. A clean
// clone then built it at 341,873 bytes (333.9 KB; the warm tree ~450 bytes smaller), with a
// Hong Kong 先生 (趙生) read as address: 335 KB, so that a build's own variation is no failure.
// Raised to 337 KB on 2026-12-07 (thirtieth session) at 343,776 bytes (335.7 KB, warm tree): a
// false claim by its clause (`ClaimRule::clause`: the product and the feature in one clause that
// claims it, `{number}…` any number with its unit; the negation, question, report and
// comparison words in data/policy.toml), ~1.9 KB after ~2.3 KB paid back (the request's lists
// read in a loop, not `collect` into a `Result`, code per item type); 337 rather than 336 for
// what clean clones have built larger.
// Raised to 338 KB on 2026-12-07 (thirty-first session) at 345,394 bytes (337.3 KB, warm tree,
// 306 bytes over 337): the judge's data grew ~1.1 KB (blame's supposed-slip groups, the
// negation scope's `new_subject` and `modal_reach`, word-sense blocks: 滚刷, 您好麻烦, the
// technician's 师傅, a refused apology), which took validation blame 0.797 -> 0.800 and the
// macro 0.862 -> 0.863.
// Raised to 339 KB on 2026-12-08 (thirty-second session) at 346,363 bytes (338.2 KB, warm tree,
// 251 bytes over 338): slips of phone typing folded to what was meant (data/typing.txt, ~80
// pairs, folded with the Cantonese forms; the fold files' comments no longer shipped, ~110 bytes
// back), the heads retrained with the fold, and a Chinese tag question typed without its "?",
// which took the locked validation 0.8613 -> 0.8621 (blame 0.8002 -> 0.8008), the phone-typed
// round's tuning side 0.820 -> 0.837 and real agents' macro5 0.709 -> 0.719.
const SCORER_BUDGET = 339 * 1024;

test('the scorer module within its budget on the wire (brotli)', async () => {
  const name = fs.readdirSync(path.join(DIST, 'engine')).find((f) => /^kefu_score_bg\.[0-9a-f]{16}\.wasm$/.test(f));
  assert.ok(name, 'make dist wrote the scorer module');
  const { bytes, encoding, status } = await new Promise((resolve, reject) => {
    http.get(`${srv.base}/engine/${name}`, { headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
      let bytes = 0;
      res.on('data', (c) => { bytes += c.length; });
      res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'], status: res.statusCode }));
    }).on('error', reject);
  });
  console.log(`scorer module: ${bytes} bytes ${encoding} (${(bytes / 1024).toFixed(1)} KB; budget ${SCORER_BUDGET / 1024} KB, target ${SCORER_TARGET / 1024} KB)`);
  assert.equal(status, 200);
  assert.equal(encoding, 'br', 'the scorer is sent with brotli');
  assert.ok(bytes <= SCORER_BUDGET, `scorer module ${bytes} bytes > budget ${SCORER_BUDGET}`);
});

// The full app module (dist/kefu_dojo_bg.*.wasm: every page but the library's first screen and
// the dashboard) and the dashboard module (dist/kefu_team_bg.*.wasm, #/team alone), in bytes on
// the wire: ratchets like BUDGET (`make wasm-size` and `make wasm-size TEAM=1` show what is in
// them). Set on 2026-12-04 when the dashboard left the full module (#19): the full module
// 339,553 bytes (331.6 KB; 370,713 with the dashboard), the dashboard module 173,577 (169.5 KB:
// the cohort read in chunks, folders, the token). The full module's raised to 334 KB the same day:
// set with 42 bytes of room, the clean-clone rehearsal's build of the header mend measured
// 340,036 bytes while the warm tree's passed (cause not analysed); 2 KB of room now.
// Lowered on 2026-12-06 (the data files compiled into Rust, maps filled without `collect`'s
// sort): the full module to 332 KB at 338,405 bytes (330.5 KB), the dashboard's to 165 KB at
// 167,505 (163.6 KB).
// The full module's lowered to 330 KB on 2026-12-06 (twenty-first session) at 335,901 bytes in a
// clean clone (328.0 KB): every JSON read through serde_json::Value (one deserializer per type),
// with play's fetch of a scenario's own file added.
// Raised to 332 KB on 2026-12-06 (twenty-second session) at 337,894 bytes (330.0 KB, 26 bytes
// under 330 KB): the same changes as the first load's, plus the in-memory LRS outbox and the
// exam's wait; the 2 KB of room the warm and clean trees have differed by before.
// Raised to 335 KB on 2026-12-06 (twenty-third session) at 340,425 bytes (332.4 KB, warm tree;
// clean clones have built up to 1.5 KB larger): the keyboard kept clear of Send on a phone, a
// scenario that could not be fetched told with "Try again", files that are not UTF-8 refused,
// the library's filters in the URL. The dashboard's to 166 KB at 168,509 bytes (164.6 KB, 451
// bytes under 165 KB): a pick of several files summed up, each unreadable one listed.
// Raised to 338 KB on 2026-12-07 (twenty-fourth session) at 343,612 bytes (335.6 KB, warm tree;
// 1.5 KB of room for a clean clone's build): what a screen reader is told after each reply and at
// the end, the tab's title per page, highlights named in words, local times, a count of one in
// the singular, full-width punctuation in the Chinese catalogue. The dashboard's to 167 KB at
// 169,463 bytes (165.5 KB): its filters and a trainee's transcript in plain words, its title.
// Raised to 342 KB on 2026-12-07 (twenty-fifth session) at 348,158 bytes (340.0 KB, warm tree;
// 2 KB of room, as clean clones have built up to 1.5 KB larger): Settings' reply time (WCAG
// 2.2.1: a turn's target as set, twice it, or untimed, kept by the session and its record),
// export files named by trainee and day, the checker's messages asked in the UI's language.
// The dashboard's to 169 KB at 171,127 bytes (167.1 KB): an attempt read from two sources (a
// trainee's JSON and xAPI exports, the LRS) counted once.
// Raised to 343 KB on 2026-12-07 (twenty-seventh session) at 350,317 bytes (342.1 KB, warm
// tree): a reply kept in localStorage until its database write commits (none lost to a closed
// page), focus on the heading of a page changed by a link or Back, the exam's warning not said
// again after a language switch. Raised to 344 KB the same day: a clean clone built it at
// 351,087 bytes (145 under 343 KB; the warm tree 350,742: clean clones build larger, as the
// library module's 777 bytes raw show), with a history trend's caption and a hint kept across a
// language switch.
// Raised to 345 KB on 2026-12-07 (twenty-eighth session) at 352,102 bytes (343.8 KB, warm
// tree, 154 under 344 KB; clean clones have built it ~770 bytes larger): a customer told
// already does not ask (`Scenario::ahead`, `Session::pass_over`, the questions sent to the
// scorer), ~1.8 KB. Raised to 346 KB the same session at 353,392 bytes (345.1 KB, warm tree):
// the feedback's note of a question answered before it was asked, two questions passed at
// once, Traditional tips for a Traditional interface, the history's line on what each export
// is for (three languages), the touch screen's placeholder, ~1.3 KB.
// Raised to 347 KB on 2026-12-07 (twenty-ninth session) at 354,632 bytes (346.3 KB, warm
// tree): another trainee's export refused by the history's import (whose results these are read
// from storage, the refusal's message in three languages), the play page's language notice
// that names the language the scenario lacks, ~1 KB.
// The dashboard's raised to 171 KB on 2026-12-07 (thirtieth session) at 173,661 bytes (169.6 KB,
// warm tree; a clean clone had built it at 171,067): each trainee's attempts, mean and last score
// in the grid, the shipped scenarios named in the UI's language (from the cards index.html
// carries), its own style (moved out of index.html, the first load, ~170 bytes there), a file
// loaded again or cut short and the app's own CSV each told as such, ~2.6 KB.
// The full module's raised to 348 KB the same session: a clean clone built it at 355,307 bytes
// (21 under 347 KB; 354,526 before): the checker's new messages in three languages (a false
// claim's `clause`, a range's value to write, a key left out, a header with a key on its
// line), a file cut short (the history's import), the header's Team link, ~0.8 KB.
const MODULE_BUDGETS = [['full app', /^kefu_dojo_bg\.[0-9a-f]{16}\.wasm$/, 348 * 1024], ['dashboard', /^kefu_team_bg\.[0-9a-f]{16}\.wasm$/, 171 * 1024]];

test('the full app module and the dashboard module within their budgets on the wire (brotli)', async () => {
  for (const [what, re, budget] of MODULE_BUDGETS) {
    const name = fs.readdirSync(DIST).find((f) => re.test(f));
    assert.ok(name, `make dist wrote the ${what} module`);
    const { bytes, encoding, status } = await new Promise((resolve, reject) => {
      http.get(`${srv.base}/${name}`, { headers: { 'Accept-Encoding': 'br, gzip' } }, (res) => {
        let bytes = 0;
        res.on('data', (c) => { bytes += c.length; });
        res.on('end', () => resolve({ bytes, encoding: res.headers['content-encoding'], status: res.statusCode }));
      }).on('error', reject);
    });
    console.log(`${what} module: ${bytes} bytes ${encoding} (${(bytes / 1024).toFixed(1)} KB; budget ${budget / 1024} KB)`);
    assert.equal(status, 200);
    assert.equal(encoding, 'br', `the ${what} module is sent with brotli`);
    assert.ok(bytes <= budget, `${what} module ${bytes} bytes > budget ${budget}`);
  }
});

test('the library module carries every string it shows, in every language (no raw ⟦key⟧)', async () => {
  // It embeds only the keys data/i18n/library.keys selects (tests/i18n_keys.rs checks the code's
  // keys against the list; this checks what the page really shows, text and attributes).
  for (const lang of ['zh-Hans', 'zh-Hant', 'en']) {
    const page = await newPage(browser);
    await openLibrary(page, `${srv.base}/?lang=${lang}`);
    assert.ok(await page.evaluate(() => window.kefuShown === 'library'), 'the library module');
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes('⟦'), `${lang}: ${html.match(/⟦[^⟧]*⟧/g)}`);
    await page.goto(`${srv.base}/?lang=${lang}#/practise/apology`);
    await page.locator('main h1').first().waitFor();
    const practise = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!practise.includes('⟦'), `${lang} #/practise: ${practise.match(/⟦[^⟧]*⟧/g)}`);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('a card\'s own scenario is fetched on intent (not the whole library), and a card opened from the cards plays', async () => {
  const page = await newPage(browser);
  const log = recordResponses(page);
  await openLibrary(page, `${srv.base}/?lang=en&seed=1`);
  const count = (end) => log.filter((r) => r.url.endsWith(end)).length;
  const idOf = async (card) => (await card.getAttribute('href')).replace('#/play/', '');
  const card = page.locator('.cards .card a').first();
  const id = await idOf(card);
  const fetched = page.waitForResponse((r) => r.url().endsWith(`/scenarios/one/${id}.json`));
  await card.hover();
  const res = await fetched;
  assert.equal(res.status(), 200);
  await card.click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.equal(await page.locator('main h1').first().innerText(), titleOf(id), 'the card hovered is the one played');
  await page.goBack();
  await page.locator('.cards .card').first().waitFor();
  const second = page.locator('.cards .card a').nth(1);
  const id2 = await idOf(second);
  await second.click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(count(`/scenarios/one/${id}.json`), 1, 'fetched once');
  assert.equal(count(`/scenarios/one/${id2}.json`), 1, 'the second card\'s own');
  assert.equal(count('/library.json'), 0, 'play needs no other scenario');
  // The history names and replays any scenario: the whole library, once.
  await page.goto(`${srv.base}/?lang=en#/history`);
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  assert.equal(count('/library.json'), 1, 'the whole library for the history');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link straight to a scenario plays it (its own file is fetched, not the whole library)', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/angry-late-delivery`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.ok(asked.includes('/scenarios/one/angry-late-delivery.json'), asked.join(' '));
  assert.ok(!asked.includes('/scenarios/library.json'), 'not the whole library');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link straight to a page other than the library says it is loading until the module comes (not a blank page)', async () => {
  for (const [lang, says] of [['en', 'Loading…'], ['zh-Hans', '正在加载……'], ['zh-Hant', '正在載入……']]) {
    const page = await newPage(browser);
    let release;
    const gate = new Promise((r) => { release = r; });
    await page.route(/kefu_dojo_bg\.[0-9a-f]{16}\.wasm$/, async (r) => { await gate; await r.continue(); });
    await page.goto(`${srv.base}/?lang=${lang}&seed=1#/play/angry-late-delivery`);
    const booting = page.locator('#app #booting[role=status]');
    await booting.waitFor();
    assert.equal(await booting.innerText(), says);
    release();
    await page.getByRole('log').locator('.msg.customer').first().waitFor();
    assert.equal(await page.locator('#booting').count(), 0, 'gone once the app is there');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('a site without the scenarios\' own files (built before them) plays from the whole library', async () => {
  const page = await newPage(browser);
  await page.route('**/scenarios/one/*.json', (route) => route.fulfill({ status: 404, body: 'not found' }));
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${srv.base}/?lang=en&seed=1#/play/angry-late-delivery`);
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.ok(asked.includes('/scenarios/library.json'), asked.join(' '));
  const errors = page.errors.filter((e) => !/status of 404/.test(e));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a link straight to #/practise/ID (a fresh page) lists, from the cards alone, the scenarios that ask for it, and one plays', async () => {
  // The first screen has only the cards (cards.json): each carries the principles its
  // scenario's turns expect, so the library module filters without the scenarios' turns.
  const bundle = JSON.parse(fs.readFileSync(path.join(DIST, 'scenarios/library.json'), 'utf8'));
  const asks = (s, p) => s.turns.some((t) => t.weights.some(([k, w]) => k === p && w > 0));
  const ids = [...new Set(bundle.scenarios.flatMap((s) => s.turns.flatMap((t) => t.weights.map(([k]) => k))))].sort();
  const p = ids.find((id) => { const n = bundle.scenarios.filter((s) => asks(s, id)).length; return n > 0 && n < bundle.scenarios.length; });
  assert.ok(p, 'a principle some scenarios ask for and others do not');
  const want = bundle.scenarios.filter((s) => asks(s, p)).map((s) => s.title.en).sort();
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${srv.base}/?lang=en&seed=1#/practise/${p}`);
  await page.locator('ul.cards:not(.loading)').waitFor();
  assert.ok(await page.evaluate(() => window.kefuShown === 'library'), 'shown by the library module');
  assert.ok(!asked.includes('/scenarios/cards.json'), 'the cards inline in index.html');
  const titles = (await page.locator('.cards .card h2').allInnerTexts()).sort();
  assert.deepEqual(titles, want, `the scenarios whose turns ask for ${p}`);
  const card = page.locator('.cards .card a').first();
  const title = await card.innerText();
  await card.click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.equal(await page.locator('main h1').first().innerText(), title, 'the card clicked is the scenario played');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

/** The library's cumulative layout shift from navigation until it is ready and quiet. */
async function libraryCls(width, height) {
  const page = await newPage(browser, { viewport: { width, height } });
  await page.addInitScript(() => {
    window.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        if (!e.hadRecentInput) {
          window.__shifts.push({ value: e.value, nodes: e.sources.map((s) => s.node?.nodeName + '.' + (s.node?.className || '')) });
        }
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await openLibrary(page, `${srv.base}/?lang=en`);
  await page.waitForTimeout(500);
  const shifts = await page.evaluate(() => window.__shifts);
  assert.deepEqual(page.errors, []);
  await page.context().close();
  return shifts;
}

for (const [width, height] of [[1280, 800], [360, 740]]) {
  test(`no layout shift while the library loads (${width} px wide)`, async () => {
    const shifts = await libraryCls(width, height);
    const cls = shifts.reduce((s, e) => s + e.value, 0);
    console.log(`CLS at ${width}x${height}: ${cls.toFixed(4)}${shifts.length ? ' ' + JSON.stringify(shifts) : ''}`);
    assert.ok(cls <= 0.02, `CLS ${cls.toFixed(4)} > 0.02: ${JSON.stringify(shifts)}`);
  });
}

/** The page on a 1.6 Mbit/s, 150 ms link (750 kbit/s up); `cache: false` also disables the cache. */
async function throttle(page, { cache }) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  if (!cache) await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
  });
}

/** When things happen, noted by the page itself in `window.__at` (the test's own polling would
 * add up to half a second to each figure): the first click, the customer's first line, the
 * feedback. */
function noteMoments(page) {
  return page.addInitScript(() => {
    window.__at = {};
    new MutationObserver(() => {
      for (const [k, sel] of [['line', '[role=log] .msg.customer'], ['feedback', '[role=region][aria-label=Feedback]']]) {
        if (!window.__at[k] && document.querySelector(sel)) window.__at[k] = performance.now();
      }
    }).observe(document, { childList: true, subtree: true });
    document.addEventListener('click', () => { window.__at.click ??= performance.now(); }, true);
  });
}

test('on a 1.6 Mbit/s, 150 ms link: when the library shows (reported)', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 }, extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' } });
  await throttle(page, { cache: false });
  const t0 = Date.now();
  await page.goto(`${srv.base}/?lang=en`);
  await page.locator('.cards .card').first().waitFor({ timeout: 60000 });
  const shown = Date.now() - t0;
  const lcp = await page.evaluate(() => new Promise((resolve) => {
    new PerformanceObserver((l) => { const e = l.getEntries(); resolve(e[e.length - 1]?.startTime ?? null); })
      .observe({ type: 'largest-contentful-paint', buffered: true });
    setTimeout(() => resolve(null), 2000);
  }));
  // LCP: the library as index.html paints it (its static picture); "ready": the module's own
  // cards, which take clicks and filters.
  console.log(`throttled (1.6 Mbit/s, 150 ms): library shown (LCP) ${lcp == null ? '?' : Math.round(lcp)} ms (target 1500 ms); the module's cards ready after ${shown} ms`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// Issue #17's "from clicking a scenario to a scored first reply ≤ 3 s on the throttled link",
// for a trainee who clicks a card as soon as the cards are ready and one who reads them for 5 s
// first (the full module and the scorer are prefetched when idle and on intent). The reply is
// sent as soon as the customer's line shows (a trainee typing would give the scorer longer).
// Reported, not asserted; the reply must be scored.
test('on a 1.6 Mbit/s, 150 ms link: card click to a scored first reply (reported)', async () => {
  for (const wait of [0, 5000]) {
    const page = await newPage(browser, { viewport: { width: 360, height: 740 }, extraHTTPHeaders: { 'Accept-Encoding': 'br, gzip' } });
    await noteMoments(page);
    // A fresh context: nothing cached, and the cache kept (what is prefetched is used).
    await throttle(page, { cache: true });
    await page.goto(`${srv.base}/?lang=en&seed=1`);
    await page.locator('.cards .card').first().waitFor({ timeout: 60000 });
    await page.waitForTimeout(wait);
    await page.locator('.cards .card a').first().click();
    await page.getByRole('log').locator('.msg.customer').first().waitFor({ timeout: 60000 });
    await reply(page, GOOD.en);
    const at = await page.evaluate(() => window.__at);
    console.log(`throttled (1.6 Mbit/s, 150 ms), cards read for ${wait / 1000} s: card click to a scored first reply ${Math.round(at.feedback - at.click)} ms`
      + ` (target 3000 ms; click → customer's line ${Math.round(at.line - at.click)} ms)`);
    const fb = page.getByRole('region', { name: 'Feedback' });
    assert.equal(await fb.locator('[data-principle="apology"]').getAttribute('data-hit'), 'true');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

/** The library's cards as the page shows them: titles, and where each sits. */
const placed = (page, list) => page.locator(`${list} .card h2`).evaluateAll((hs) => hs.map((h) => {
  const r = h.getBoundingClientRect();
  return { title: h.textContent, x: Math.round(r.x), y: Math.round(r.y), w: Math.round(r.width) };
}));

for (const [name, opts, url, lang] of [
  ['?lang=en', {}, '/?lang=en', 'en'],
  ['a zh-TW browser', { locale: 'zh-TW' }, '/', 'zh-Hant'],
]) {
  test(`index.html paints the library before the module runs, and the module's page takes its place (${name})`, async () => {
    // The static picture (`kefu prerender`): in the language the app shows, inert and hidden
    // from assistive technology; the module's cards replace it in the same places.
    const page = await newPage(browser, { viewport: { width: 1280, height: 800 }, ...opts });
    let release;
    const held = new Promise((r) => { release = r; });
    await page.route(/\/kefu_library_bg\.[0-9a-f]{16}\.wasm$/, async (r) => { await held; await r.continue(); });
    await page.goto(`${srv.base}${url}`);
    await page.locator('.pre-cards .card').first().waitFor();
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    const pre = page.locator('#app > .pre');
    assert.equal(await pre.getAttribute('aria-hidden'), 'true');
    assert.equal(await pre.evaluate((e) => e.inert), true, 'nothing on the picture takes a click');
    assert.equal(await page.locator('.cards .card').count(), 0, 'not the module\'s cards');
    const picture = await placed(page, '.pre-cards');
    const cards = JSON.parse(await page.locator('#kefu-cards').textContent()).cards;
    assert.equal(picture.length, cards.length, 'every card');
    release();
    await page.locator('.cards .card').first().waitFor();
    assert.equal(await page.locator('.pre').count(), 0, 'the picture is gone');
    assert.deepEqual(await placed(page, '.cards'), picture, 'the same cards in the same places');
    assert.equal(await page.getByRole('heading', { level: 1 }).count(), 1);
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

test('a tap on a card of the picture before the module runs is not lost: the card is marked, and its scenario plays', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true });
  let release;
  const held = new Promise((r) => { release = r; });
  await page.route(/\/kefu_library_bg\.[0-9a-f]{16}\.wasm$/, async (r) => { await held; await r.continue(); });
  await page.goto(`${srv.base}/?lang=en`);
  const card = page.locator('.pre-cards .card').nth(1);
  await card.waitFor();
  const id = (await card.locator('a').getAttribute('href')).replace('#/play/', '');
  const title = await card.locator('h2').innerText();
  // The picture is inert: the tap is where the card is drawn (a locator's tap would wait for
  // the card to take events).
  await card.evaluate((e) => e.scrollIntoView({ block: 'center' }));
  const box = await card.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.querySelector('.pre-cards .card.opening'));
  assert.equal(await page.locator('.pre-cards .card.opening h2').innerText(), title, 'the card tapped is marked');
  release();
  await page.getByRole('heading', { level: 1, name: title }).waitFor();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.equal(new URL(page.url()).hash, `#/play/${id}`);
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('the library module hands over: a card plays in the full module, a reply is scored, back shows the library', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await noteMoments(page);
  await page.goto(`${srv.base}/?lang=en&seed=1`);
  await page.locator('.cards .card').first().waitFor();
  const lite = () => page.evaluate(() => window.kefuShown === 'library');
  assert.ok(await lite(), 'the library is the library module');
  // The click on a card is the one that lands: the full module loads and opens that scenario.
  const card = page.locator('.cards .card a').first();
  const title = await card.innerText();
  await card.click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  assert.equal(await page.locator('main h1').first().innerText(), title, 'the card clicked is the scenario opened');
  assert.equal(await lite(), false, 'the library module is gone');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  const sent = await page.evaluate(() => performance.now());
  await reply(page, GOOD.en);
  const at = await page.evaluate(() => window.__at);
  // Reported, not asserted (target: ≤ 1 s on loopback). The reply is sent as soon as the line
  // shows, so the scorer may still be building what it reads (a third of a second after it loads),
  // which a trainee reading and typing would not wait for; sent → feedback includes the
  // customer's 400 ms reading pause.
  console.log(`card click to a scored first reply, through the hand-over: ${Math.round(at.feedback - at.click)} ms`
    + ` (click → customer's line ${Math.round(at.line - at.click)} ms; sent → feedback ${Math.round(at.feedback - sent)} ms)`);
  const fb = page.getByRole('region', { name: 'Feedback' });
  assert.equal(await fb.locator('[data-principle="apology"]').getAttribute('data-hit'), 'true');
  assert.ok(asked.some((u) => /^\/kefu_dojo_bg\.[0-9a-f]{16}\.wasm$/.test(u)), 'the full module was loaded');
  // Back: the full module shows the library now (no second hand-over, one app).
  await page.goBack();
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.locator('header.top').count(), 1);
  assert.equal(await page.locator('main h1').first().innerText(), 'Library');
  await page.locator('header.top nav a', { hasText: 'History' }).click();
  await page.locator('main h1').filter({ hasText: 'History' }).waitFor();
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a deep link to another page loads the full module straight away (not the library module)', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  await page.goto(`${srv.base}/?lang=en#/settings`);
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  await page.waitForLoadState('networkidle');
  assert.ok(!asked.some((u) => u.startsWith('/kefu_library')), `no library module: ${asked.join(' ')}`);
  assert.ok(asked.some((u) => /^\/kefu_dojo_bg\./.test(u)));
  // Its language switch and nav work as in the library module; back to the library stays here.
  await page.locator('header.top nav a', { hasText: 'Library' }).click();
  await page.locator('.cards .card').first().waitFor();
  assert.ok(!asked.some((u) => u.startsWith('/kefu_library')));
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

// The trainer's dashboard (#/team) is a module of its own (kefu_team, #19): a trainee never
// downloads it, neither with the library nor with the full module (which no longer holds it), and
// a trainer gets it only when #/team opens, from any page or by a link straight to it.
test('the dashboard module is fetched only for #/team: not on first load, not in play; it hands over both ways', async () => {
  const page = await newPage(browser);
  const asked = [];
  page.on('request', (r) => asked.push(new URL(r.url()).pathname));
  const shown = () => page.evaluate(() => window.kefuShown);
  const count = (re) => asked.filter((u) => re.test(u)).length;
  await openLibrary(page, `${srv.base}/?lang=en&seed=1`);
  // Idle after the cards: the full module and the scorer are prefetched, never the dashboard.
  await page.waitForTimeout(300);
  await page.waitForLoadState('networkidle');
  assert.deepEqual(asked.filter(isTeam), [], 'no dashboard code on the first load');
  await page.locator('.cards .card a').first().click();
  await page.getByRole('log').locator('.msg.customer').first().waitFor();
  await reply(page, GOOD.en);
  assert.equal(await shown(), 'full');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(asked.filter(isTeam), [], 'no dashboard code in play');
  // (Asked for twice already: the idle prefetch into the HTTP cache, then its start.)
  const fullAsked = count(/^\/kefu_dojo_bg\./);
  // From the full module (settings' link): the dashboard module takes the page.
  await page.locator('header.top nav a', { hasText: 'Settings' }).click();
  await page.locator('main a[href="#/team"]').click();
  await page.getByRole('heading', { name: 'Team dashboard', level: 1 }).waitFor();
  assert.equal(await shown(), 'team');
  assert.equal(count(/^\/kefu_team_bg\.[0-9a-f]{16}\.wasm$/), 1, 'the dashboard module was fetched');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  assert.equal(await page.getByRole('button', { name: 'Load statements' }).count(), 1);
  // Its language switch is the app's: the page and the URL follow it.
  await page.locator('header.top select').selectOption('zh-Hans');
  await page.getByRole('heading', { name: '团队看板', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-Hans');
  assert.match(page.url(), /lang=zh-Hans/);
  // Back to another page: the full module again (mounted anew, not fetched again), in the
  // language picked on the dashboard.
  await page.locator('header.top nav a', { hasText: '练习记录' }).click();
  await page.locator('main h1').filter({ hasText: '练习记录' }).waitFor();
  assert.equal(await shown(), 'full');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  // Mounted again, the full module still sends the LRS outbox: this page holds the outbox's
  // lock and does not queue behind itself for it.
  const locks = await page.evaluate(async () => {
    const q = await navigator.locks.query();
    return { held: q.held.map((l) => l.name), pending: q.pending.map((l) => l.name) };
  });
  assert.ok(locks.held.includes('kefu-outbox') && !locks.pending.includes('kefu-outbox'), JSON.stringify(locks));
  // Back and forward between them: each module mounted again, none fetched twice.
  await page.goBack();
  await page.getByRole('heading', { name: '团队看板', level: 1 }).waitFor();
  assert.equal(await shown(), 'team');
  await page.locator('header.top a.brand').click();
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await shown(), 'full');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  assert.equal(count(/^\/kefu_team_bg\./), 1, 'the dashboard module fetched once');
  assert.equal(count(/^\/kefu_dojo_bg\./), fullAsked, 'the full module not fetched again');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('a link straight to #/team loads the dashboard module alone, in the language chosen, and its links hand over', async () => {
  for (const [lang, title, library] of [['zh-Hant', '團隊看板', '場景庫'], ['en', 'Team dashboard', 'Library'], ['zh-Hans', '团队看板', '场景库']]) {
    const page = await newPage(browser);
    const asked = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${srv.base}/?lang=${lang}#/team`);
    await page.getByRole('heading', { name: title, level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.evaluate(() => window.kefuShown), 'team');
    assert.ok(asked.some((u) => /^\/kefu_team_bg\.[0-9a-f]{16}\.wasm$/.test(u)), 'the dashboard module');
    assert.ok(!asked.some((u) => /^\/kefu_(library|dojo)|\/engine\//.test(u)), `neither the library, the full module nor the engine: ${asked.join(' ')}`);
    // Named by its content, like every module (make dist): each name's hash is its file's.
    for (const u of asked.filter((x) => /^\/(kefu_team|snippets\/)/.test(x))) {
      const [, hash] = u.match(/\.([0-9a-f]{16})\.(js|wasm)$/) || [];
      assert.ok(hash, `${u} is named by its content`);
      assert.equal(crypto.createHash('sha256').update(fs.readFileSync(path.join(DIST, u))).digest('hex').slice(0, 16), hash, u);
    }
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    const html = await page.evaluate(() => document.documentElement.outerHTML);
    assert.ok(!html.includes('⟦'), `${lang}: ${html.match(/⟦[^⟧]*⟧/g)}`);
    // The dashboard's styles are index.html's, as in the full module: its grid is a table.heat.
    assert.equal(await page.locator('section.team table.heat').count(), 1);
    // The header's library link: the full module shows the library, in the same language.
    await page.locator('header.top nav a', { hasText: library }).click();
    await page.locator('.cards .card').first().waitFor();
    assert.equal(await page.evaluate(() => window.kefuShown), 'full');
    assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
    assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});

test('from the library module, #/team hands over to the dashboard module, and back shows the library in the full module', async () => {
  const page = await newPage(browser);
  await openLibrary(page, `${srv.base}/?lang=en`);
  assert.equal(await page.evaluate(() => window.kefuShown), 'library');
  await page.evaluate(() => { location.hash = '#/team'; });
  await page.getByRole('heading', { name: 'Team dashboard', level: 1 }).waitFor();
  assert.equal(await page.evaluate(() => window.kefuShown), 'team');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  await page.goBack();
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.evaluate(() => window.kefuShown), 'full');
  assert.equal(await page.locator('header.top').count(), 1, 'one app mounted');
  assert.equal(await page.locator('main h1').first().innerText(), 'Library');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});

test('Back from the dashboard after switching its language shows the library the URL names, in its language', async () => {
  const page = await newPage(browser);
  await openLibrary(page, `${srv.base}/?lang=en`);
  await page.evaluate(() => { location.hash = '#/team'; });
  await page.getByRole('heading', { name: 'Team dashboard', level: 1 }).waitFor();
  // The switch rewrites only this entry's URL (?lang=zh-Hans#/team); Back is to /?lang=en#/.
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-Hans');
  await page.getByRole('combobox', { name: '语言' }).waitFor();
  await page.goBack();
  await page.locator('.cards .card').first().waitFor();
  assert.equal(await page.evaluate(() => window.kefuShown), 'full');
  assert.equal(await page.locator('main h1').first().innerText(), 'Library');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  assert.deepEqual(page.errors, []);
  await page.context().close();
});
