/**
 * `node dist/bench/eslint-floor.js [dir]` (default: the 1 000-file bench codebase): why one ESLint rule that does
 * nothing costs so much on many small files. In one process, `Linter#verify` runs over every .ts file of `dir` four
 * ways, interleaved in a rotating order, `--rounds` times (default 8, after one warm-up round), and prints each way's
 * median ÷ no rules:
 *
 * - `no rules`;
 * - `empty rule`: one rule whose `create` returns `{}`;
 * - `empty rule, filtered`: the same config, with ESLint's `ruleFilter` skipping the rule (ESLint never makes its
 *   context);
 * - `empty rule, plain context`: the same config, with ESLint's `FileContext#extend` replaced for the run by one that
 *   returns a plain object instead of `Object.create(fileContext)` (an experiment on ESLint's internals; skipped when
 *   the file is not where ESLint 9/10 keeps it).
 *
 * If only `empty rule` is slower, the cost is the per-file `Object.create(fileContext)` in ESLint, not the rule.
 * Diagnostic only: `npm run bench` does not run it, and nothing is asserted.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const dir = path.resolve(process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : path.join(HERE, '../../.bench-tmp/app-1000'));
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt > 0 ? Number(process.argv[roundsAt + 1]) : 8;

const files: Array<[string, string]> = [];
const walk = (d: string): void => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) files.push([p, fs.readFileSync(p, 'utf8')]);
  }
};
walk(dir);

const base = { files: ['**/*.{ts,tsx}'], languageOptions: { parser: tseslint.parser } };
const nothing = { meta: { type: 'problem' as const, schema: [] }, create: () => ({}) };
const withEmpty = [{ ...base, plugins: { floor: { rules: { nothing } } }, rules: { 'floor/nothing': 'error' as const } }];

// ESLint's per-file context class (lib/linter/file-context.js in ESLint 9 and 10), found next to its entry point.
type Extend = (this: object, extension: object) => object;
let fileContext: { prototype: { extend: Extend } } | undefined;
try {
  const require = createRequire(import.meta.url);
  const entry = require.resolve('eslint');
  const mod = createRequire(entry)(path.join(path.dirname(entry), 'linter/file-context.js')) as { FileContext?: { prototype: { extend: Extend } } };
  fileContext = mod.FileContext;
} catch {
  fileContext = undefined;
}
const originalExtend = fileContext?.prototype.extend;

const ways: Record<string, () => void> = {
  'no rules': () => verifyAll([base]),
  'empty rule': () => verifyAll(withEmpty),
  'empty rule, filtered': () => verifyAll(withEmpty, { ruleFilter: () => false }),
};
if (fileContext && originalExtend) {
  const ctx = fileContext;
  ways['empty rule, plain context'] = () => {
    ctx.prototype.extend = function (this: object, extension: object) {
      // Every property of the context as an own property: no prototype holding the file's SourceCode.
      const own = Object.fromEntries(Object.keys(this).map((k) => [k, (this as Record<string, unknown>)[k]]));
      return Object.freeze({ ...own, ...extension });
    };
    try {
      verifyAll(withEmpty);
    } finally {
      ctx.prototype.extend = originalExtend;
    }
  };
}

const linter = new Linter({ cwd: dir });
function verifyAll(config: object[], options: { ruleFilter?: () => boolean } = {}): void {
  for (const [file, text] of files) {
    const messages = linter.verify(text, config as never, { filename: file, ...options });
    const fatal = messages.find((m) => m.fatal);
    if (fatal) throw new Error(`${file}: ${fatal.message}`);
  }
}

const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((w) => [w, []]));
const order = Object.entries(ways);
for (let round = -1; round < rounds; round++) {
  // Each round starts with the next way, so that no way always follows the same other one: a run's garbage is
  // collected during the run after it.
  const first = ((round % order.length) + order.length) % order.length;
  for (const [name, run] of [...order.slice(first), ...order.slice(0, first)]) {
    const start = process.hrtime.bigint();
    run();
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (round >= 0) times[name]!.push(seconds);
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const none = median(times['no rules']!);
const kb = files.reduce((n, [, t]) => n + t.length, 0) / files.length / 1024;
console.log(`${dir}: ${files.length} files, ${kb.toFixed(1)} KB on average; Linter#verify in one process, median of ${rounds} rounds ÷ no rules:`);
for (const [name, xs] of Object.entries(times)) console.log(`  ${name.padEnd(28)} ${(median(xs) / none).toFixed(3)}`);
if (!fileContext) console.log('  (ESLint\'s FileContext was not found: the plain-context experiment was skipped)');
