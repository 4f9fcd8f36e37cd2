// Checks every statement with @learninglocker/xapi-validation (pinned in package.json) and our
// own stricter IRI rule; used by xapi.test.mjs and lrs.test.mjs.
import assert from 'node:assert/strict';
import validate from '@learninglocker/xapi-validation';

const check = validate.default || validate;

/** Stricter than the validator on IRIs: it lets a space through. */
function assertIris(s) {
  const iris = [s.object.id, s.verb.id, ...Object.keys(s.context.extensions || {}),
    ...Object.keys((s.result || {}).extensions || {}),
    ...((s.context.contextActivities || {}).parent || []).map((a) => a.id),
    ...((s.context.contextActivities || {}).grouping || []).map((a) => a.id)];
  for (const iri of iris) {
    assert.match(iri, /^[a-z][a-z0-9+.-]*:[^\s<>"{}|\\^`]+$/i, iri);
    assert.doesNotMatch(iri, /%(?![0-9A-F]{2})/i, iri);
  }
}

export function validStatements(statements) {
  let n = 0;
  for (const s of statements) {
    const warnings = check(s);
    assert.deepEqual(warnings.map((w) => `${w.path.join('.')}: ${w.constructor.name}`), [], JSON.stringify(s));
    assertIris(s);
    n++;
  }
  return n;
}

