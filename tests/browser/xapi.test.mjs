// Every statement we produce is valid xAPI (@learninglocker/xapi-validation, pinned in
// package.json), for identities of each kind and for ids an import may hold (spaces, slashes,
// Chinese, "%"): the statements are made by `kefu xapi`, the same core code the app sends with.
// And our xAPI file imports back: converting it again gives the same statements.
import test from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validStatements } from './xapi-check.mjs';

const KEFU = path.resolve(process.env.KEFU || '../../target/release/kefu');
const STORE = path.resolve('../data/xapi/store.json');

function kefuXapi(file, ...args) {
  return JSON.parse(execFileSync(KEFU, ['xapi', ...args, file], { encoding: 'utf8' }));
}

test('every statement kefu makes passes xapi-validation, for each kind of actor', () => {
  let n = 0;
  for (const who of [['--name', 'Li Wei', '--id', 'li.wei@example.com'], ['--name', '王芳', '--id', 'E-1024'], ['--name', 'Ana']]) {
    const st = kefuXapi(STORE, ...who);
    // Answered, then completed and passed/failed: 2+2, 1+2, the exam's attempt 1+2, the exam
    // itself 1, and the unfinished attempt's one reply.
    assert.equal(st.length, 12);
    assert.equal(new Set(st.map((s) => s.id)).size, st.length, 'ids are distinct');
    n += validStatements(st);
  }
  const verbs = kefuXapi(STORE, '--name', 'Ana').map((s) => s.verb.id.split('/').pop());
  assert.deepEqual([...new Set(verbs)].sort(), ['answered', 'completed', 'failed', 'passed']);
  console.log(`# ${n} statements validated`);
});

test('our xAPI export imports back into the same statements', () => {
  const first = kefuXapi(STORE, '--name', 'Li Wei', '--id', 'li.wei@example.com');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kefu-xapi-'));
  const file = path.join(dir, 'export.json');
  fs.writeFileSync(file, JSON.stringify(first));
  const again = kefuXapi(file, '--name', 'Li Wei', '--id', 'li.wei@example.com');
  assert.deepEqual(again, first);
  fs.rmSync(dir, { recursive: true });
});
