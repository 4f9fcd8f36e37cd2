// `make lighthouse`: Lighthouse (npm lighthouse@12.2.3, pinned in package-lock.json) against
// `kefu serve dist`, in its mobile (default) and desktop presets, with Debian's Chromium (never a
// browser of its own). Scores and metrics are reported, never asserted: they vary with the
// machine's load. Run from tests/browser: node lighthouse.mjs
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import path from 'node:path';
import fs from 'node:fs';
import { serve } from './harness.mjs';

const run = promisify(execFile);
const LH = path.resolve('node_modules/.bin/lighthouse');
const CHROME = process.env.CHROMIUM || '/usr/bin/chromium';
// The flags of harness.mjs's launch(), plus headless.
const FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const METRICS = [
  ['first-contentful-paint', 'FCP', 'ms'], ['largest-contentful-paint', 'LCP', 'ms'],
  ['total-blocking-time', 'TBT', 'ms'], ['cumulative-layout-shift', 'CLS', ''],
  ['speed-index', 'Speed Index', 'ms'], ['interactive', 'TTI', 'ms'],
  ['total-byte-weight', 'bytes transferred', 'B'],
];

const srv = await serve();
let failed = false;
try {
  for (const preset of ['mobile', 'desktop']) {
    const args = [`${srv.base}/?lang=en`, `--chrome-flags=${FLAGS.join(' ')}`, '--output=json',
      '--output-path=stdout', '--quiet', '--only-categories=performance,accessibility,best-practices,seo'];
    if (preset === 'desktop') args.push('--preset=desktop');
    let report;
    try {
      const { stdout } = await run(LH, args, { env: { ...process.env, CHROME_PATH: CHROME }, maxBuffer: 256 << 20 });
      report = JSON.parse(stdout);
      // LH_OUT=DIR keeps each report (lighthouse-mobile.json, …) for its diagnostics.
      if (process.env.LH_OUT) fs.writeFileSync(path.join(process.env.LH_OUT, `lighthouse-${preset}.json`), stdout);
    } catch (e) {
      console.error(`lighthouse (${preset}) failed: ${e.stderr || e.message}`);
      failed = true;
      continue;
    }
    const cats = Object.values(report.categories).map((c) => `${c.title} ${Math.round(c.score * 100)}`);
    console.log(`Lighthouse ${report.lighthouseVersion}, ${preset}: ${cats.join(', ')}`);
    for (const [id, name, unit] of METRICS) {
      const a = report.audits[id];
      if (!a) continue;
      const v = unit === '' ? a.numericValue.toFixed(3) : Math.round(a.numericValue);
      console.log(`  ${name.padEnd(18)} ${String(v).padStart(9)} ${unit}`);
    }
    // What moved and what blocked: the elements of the largest layout shifts, the longest tasks.
    for (const it of (report.audits['layout-shifts']?.details?.items || []).slice(0, 3)) {
      console.log(`  shift ${it.score.toFixed(3)}  ${it.node?.selector || it.node?.snippet || '?'}`);
    }
    // The element Largest Contentful Paint was timed on, and its phases.
    const lcp = report.audits['largest-contentful-paint-element']?.details?.items || [];
    const node = lcp[0]?.items?.[0]?.node;
    if (node) console.log(`  LCP element  ${node.selector || ''}  ${(node.snippet || '').slice(0, 80)}`);
    for (const ph of lcp[1]?.items || []) {
      console.log(`    ${String(ph.phase).padEnd(16)} ${String(Math.round(ph.timing)).padStart(6)} ms`);
    }
    for (const it of (report.audits['long-tasks']?.details?.items || []).slice(0, 3)) {
      console.log(`  long task ${Math.round(it.duration)} ms at ${Math.round(it.startTime)} ms  ${it.url || ''}`);
    }
  }
} finally {
  srv.server.close();
}
process.exit(failed ? 1 : 0);
