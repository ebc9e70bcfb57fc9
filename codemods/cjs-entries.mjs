/**
 * Post-build step of `npm run build`: makes `dist/codemods/<name>.js` loadable by the jscodeshift CLI as documented,
 *
 *   npx jscodeshift -t node_modules/tierwise/dist/codemods/add-flex-tier.js --parser=tsx src
 *
 * with or without `--no-babel`. jscodeshift `require()`s a transform, by default through Babel's require hook, which
 * compiles an ES module to CommonJS that Node then refuses to run inside an ESM package ("exports is not defined in
 * ES module scope"). So each transform is moved to `<name>.mjs` (ESM, as compiled; tierwise's own code imports it
 * from there) and `<name>.js` becomes a small CommonJS entry that loads it with a native `import()` the hook cannot
 * see or rewrite, after undoing the hook for the worker (it would otherwise push tierwise's CommonJS dependency,
 * typescript, through Babel); `dist/codemods/package.json` marks the folder CommonJS (and `runtime/`
 * stays ESM).
 *
 * Every rewrite checks what it replaces, so a change in the compiled layout fails the build instead of shipping a
 * broken entry. Safe to run again on its own output.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(REPO, 'dist/codemods');
const TRANSFORMS = ['add-flex-tier', 'loop-to-batch'];
/** Compiled files that import a transform, relative to dist/. */
const IMPORTERS = ['src/fix/flex.js', 'src/fix/batch.js', ...TRANSFORMS.map((t) => `codemods/${t}.js`)];

function fail(msg) {
  console.error(`codemods/cjs-entries.mjs: ${msg}`);
  process.exit(1);
}

function rewrite(file, from, to, { required = true } = {}) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) {
    if (text.includes(to)) return; // already rewritten (a file tsc did not re-emit)
    if (required) fail(`${path.relative(REPO, file)} does not contain ${JSON.stringify(from)}`);
    return;
  }
  fs.writeFileSync(file, text.split(from).join(to));
}

// 1. Point tierwise's own compiled imports at the .mjs files.
for (const rel of IMPORTERS) {
  const file = path.join(REPO, 'dist', rel);
  if (!fs.existsSync(file)) fail(`${path.relative(REPO, file)} is missing: run tsc first`);
  for (const t of TRANSFORMS) {
    const required = (rel === 'src/fix/flex.js' && t === 'add-flex-tier') || (rel === 'src/fix/batch.js' && t === 'loop-to-batch');
    const spec = rel.startsWith('src/') ? `'../../codemods/${t}.js'` : `'./${t}.js'`;
    rewrite(file, spec, spec.replace(`${t}.js'`, `${t}.mjs'`), { required });
  }
}

// 2. Move each transform to .mjs (with its source map and declarations) and write the CommonJS entry.
for (const t of TRANSFORMS) {
  const js = path.join(DIST, `${t}.js`);
  const mjs = path.join(DIST, `${t}.mjs`);
  const entryAlready = fs.readFileSync(js, 'utf8').includes('written by codemods/cjs-entries.mjs');
  if (!entryAlready) {
    // tsc (re)emitted the ES module here: move it.
    fs.renameSync(js, mjs);
    // Source maps are off in the build (the package ships no sources to map to); a map, when there is one, moves along.
    rewrite(mjs, `//# sourceMappingURL=${t}.js.map`, `//# sourceMappingURL=${t}.mjs.map`, { required: false });
  }
  if (fs.existsSync(`${js}.map`)) {
    const map = JSON.parse(fs.readFileSync(`${js}.map`, 'utf8'));
    map.file = `${t}.mjs`;
    fs.writeFileSync(`${mjs}.map`, JSON.stringify(map));
    fs.rmSync(`${js}.map`);
  }
  if (fs.existsSync(path.join(DIST, `${t}.d.ts`))) fs.renameSync(path.join(DIST, `${t}.d.ts`), path.join(DIST, `${t}.d.mts`));

  const mod = await import(pathToFileURL(mjs).href);
  if (typeof mod.default !== 'function') fail(`${t}.mjs has no default export`);
  const parser = typeof mod.parser === 'string' ? mod.parser : undefined;
  fs.writeFileSync(
    js,
    `'use strict';
/**
 * ${t}, for the jscodeshift CLI (CommonJS entry, written by codemods/cjs-entries.mjs):
 *   npx jscodeshift -t node_modules/tierwise/dist/codemods/${t}.js --parser=tsx src
 * The transform itself is the ES module ./${t}.mjs. It is loaded with a native import() that Babel's require hook
 * (which jscodeshift installs unless --no-babel) can neither see nor compile to CommonJS.
 */
const path = require('node:path');
const { pathToFileURL } = require('node:url');

// Unless --no-babel, jscodeshift registers Babel's require hook so that transforms written in TypeScript load. This
// one is compiled already, and the hook would also run every CommonJS dependency it requires (typescript)
// through Babel, which cannot compile them: undo the hook in this worker, which runs nothing but this transform.
for (const id of Object.keys(require.cache)) {
  if (/[\\\\/]@babel[\\\\/]register[\\\\/]lib[\\\\/][\\w-]+\\.c?js$/.test(id)) require.cache[id].exports?.revert?.();
}

const nativeImport = new Function('specifier', 'return import(specifier)');
let loaded;

module.exports = function transform(file, api, options) {
  loaded = loaded || nativeImport(pathToFileURL(path.join(__dirname, '${t}.mjs')).href);
  return loaded.then((m) => m.default(file, api, options));
};
${parser ? `module.exports.parser = ${JSON.stringify(parser)};\n` : ''}`,
  );
  fs.writeFileSync(
    path.join(DIST, `${t}.d.ts`),
    `/** The CommonJS entry of ${t} for the jscodeshift CLI; the transform and its types are in ./${t}.mjs. */\n` +
      `declare function transform(file: { path: string; source: string }, api: unknown, options?: Record<string, unknown>): Promise<string | undefined | null>;\n` +
      `declare namespace transform {\n  const parser: string | undefined;\n}\nexport = transform;\n`,
  );
}

// 3. The folder is CommonJS; the compiled runtime helpers below it stay ES modules.
fs.writeFileSync(path.join(DIST, 'package.json'), `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`);
fs.writeFileSync(path.join(DIST, 'runtime/package.json'), `${JSON.stringify({ type: 'module' }, null, 2)}\n`);
