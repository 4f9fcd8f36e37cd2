// Bundle the studio (make dist): node studio/build.mjs OUT.js. esbuild (pinned in
// tests/browser/package-lock.json) bundles and minifies studio/main.js with CodeMirror; the
// templates are bundled as text; `kefu:strings` is the catalogue's `studio.*` keys of every
// language (data/i18n/CODE.toml), which the app's own build leaves out of its wasm.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const modules = path.join(root, 'tests/browser/node_modules');
const esbuild = createRequire(path.join(modules, 'x.js'))('esbuild');

/** `{CODE: {key: text}}` for the `studio.*` keys: one `"key" = "text"` per line. */
export function studioStrings() {
  const dir = path.join(root, 'data/i18n');
  const out = {};
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.toml')).sort()) {
    const strings = {};
    for (const line of fs.readFileSync(path.join(dir, f), 'utf8').split('\n')) {
      const m = line.match(/^"(studio\.[a-z0-9_]+)"\s*=\s*("(?:[^"\\]|\\.)*")\s*$/);
      if (m) strings[m[1]] = JSON.parse(m[2]);
    }
    out[f.replace(/\.toml$/, '')] = strings;
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const strings = {
    name: 'kefu-strings',
    setup(b) {
      b.onResolve({ filter: /^kefu:strings$/ }, () => ({ path: 'strings', namespace: 'kefu' }));
      b.onLoad({ filter: /.*/, namespace: 'kefu' }, () => ({
        contents: JSON.stringify(studioStrings()), loader: 'json',
        watchFiles: [path.join(root, 'data/i18n')],
      }));
    },
  };
  await esbuild.build({
    entryPoints: [path.join(root, 'studio/main.js')],
    bundle: true, format: 'esm', minify: true, outfile: process.argv[2] || 'dist/studio.js',
    charset: 'utf8', loader: { '.toml': 'text' }, nodePaths: [modules], plugins: [strings], logLevel: 'warning',
  });
}
