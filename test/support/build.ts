/**
 * The few tests that exercise the built package (the jscodeshift CLI on dist/codemods, the published types in
 * dist/rules, the packed tarball) call `ensureBuilt()` first: `npm test` on a fresh clone builds there (the install no
 * longer does), later runs build only when a source, tsconfig or package.json is newer than the last build (tsc is
 * incremental), and a targeted run of any other test never builds. Two workers never build at once (a lock folder).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const LOCK = path.join(REPO, 'dist/.build-lock');
const STAMP = path.join(REPO, 'dist/.built');
const INPUTS = ['src', 'rules', 'codemods', 'bench'];
const FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

function newestInput(): number {
  let newest = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  for (const d of INPUTS) walk(path.join(REPO, d));
  for (const f of FILES) newest = Math.max(newest, fs.statSync(path.join(REPO, f)).mtimeMs);
  return newest;
}

function build(): void {
  const built = fs.existsSync(STAMP) ? fs.statSync(STAMP).mtimeMs : 0;
  if (built >= newestInput()) return;
  const started = Date.now();
  execFileSync(process.execPath, [path.join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
  execFileSync(process.execPath, [path.join(REPO, 'codemods/cjs-entries.mjs')], { cwd: REPO, stdio: 'inherit' });
  fs.writeFileSync(STAMP, `${new Date(started).toISOString()}\n`);
  // The stamp's mtime is when the build started: a source saved during the build makes the next run build again.
  fs.utimesSync(STAMP, started / 1000, started / 1000);
}

export function ensureBuilt(): void {
  fs.mkdirSync(path.dirname(LOCK), { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      break;
    } catch {
      // Another worker is building; a lock older than the deadline was left by a killed run.
      const held = fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      if (Date.now() - held > 15 * 60_000) fs.rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`${LOCK} is held: remove it if no test run is building`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    build();
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
