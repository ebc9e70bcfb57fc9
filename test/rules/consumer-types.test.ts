/**
 * A consumer's eslint.config.ts using defineConfig with the plugin type-checks under strict + noUncheckedIndexedAccess,
 * with ESLint 10's and ESLint 9's types, against what a user installs: `tierwise/eslint-plugin` resolves through
 * package.json `exports` (a self-reference from inside the repo, moduleResolution NodeNext) to the built
 * dist/rules/index.d.ts, never to the sources (built first when stale: test/support/build.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { ensureBuilt } from '../support/build.js';

const run = promisify(execFile);
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const DIR = path.join(REPO, 'fixtures/eslint/consumer');
const PUBLISHED = path.join(REPO, 'dist/rules/index.d.ts');
const posix = (p: string) => p.split(path.sep).join('/');

async function tsc(args: string[], cwd: string): Promise<{ code: number; out: string }> {
  return run(process.execPath, [TSC, ...args], { cwd }).then(
    (r) => ({ code: 0, out: `${r.stdout}${r.stderr}` }),
    (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
  );
}

describe('consumer eslint.config.ts', () => {
  beforeAll(() => {
    ensureBuilt();
    if (!fs.existsSync(PUBLISHED)) throw new Error(`${PUBLISHED} is missing: run \`npm run build\` first`);
  }, 600_000);

  for (const [label, tsconfig] of [
    ['ESLint 10 types', 'tsconfig.json'],
    ['ESLint 9 types', 'tsconfig.eslint9.json'],
  ] as const) {
    it(`type-checks with ${label}, against the published types`, async () => {
      const r = await tsc(['-p', path.join(DIR, tsconfig)], DIR);
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
      // What was checked is the package's `exports` target, not the sources.
      const files = (await tsc(['-p', path.join(DIR, tsconfig), '--listFilesOnly'], DIR)).out.split(/\r?\n/).map((f) => posix(path.resolve(DIR, f.trim())));
      expect(files).toContain(posix(PUBLISHED));
      expect(files.filter((f) => f.startsWith(posix(path.join(REPO, 'rules/'))))).toEqual([]);
    }, 120_000);
  }

  // The same consumer against a package whose published types are wrong (a renamed configs key) must fail: the check
  // really reads the `exports` target. A copy of the package (package.json with the real `exports`, dist's .d.ts) in a
  // gitignored folder inside the repo, so node_modules still resolve.
  describe('against wrong published types', () => {
    const TMP = path.join(REPO, `test/.tmp-consumer-types-${process.pid}`);
    beforeAll(() => {
      fs.rmSync(TMP, { recursive: true, force: true });
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; type: string; exports: unknown };
      fs.mkdirSync(TMP, { recursive: true });
      fs.writeFileSync(path.join(TMP, 'package.json'), JSON.stringify({ name: pkg.name, type: pkg.type, exports: pkg.exports }));
      fs.cpSync(path.join(REPO, 'dist'), path.join(TMP, 'dist'), { recursive: true, filter: (src) => fs.statSync(src).isDirectory() || src.endsWith('.d.ts') });
      const index = path.join(TMP, 'dist/rules/index.d.ts');
      const text = fs.readFileSync(index, 'utf8');
      const wrong = text.replaceAll("'recommended-type-checked'", "'recommended-typechecked'");
      expect(wrong).not.toBe(text);
      fs.writeFileSync(index, wrong);
      fs.cpSync(DIR, path.join(TMP, 'consumer'), { recursive: true });
      // The fixture's tsconfigs reach node_modules/eslint-v9 by relative paths from fixtures/eslint/consumer.
      const v9 = path.join(TMP, 'consumer/tsconfig.eslint9.json');
      fs.writeFileSync(v9, fs.readFileSync(v9, 'utf8').replaceAll('../../../node_modules/', `${posix(path.relative(path.join(TMP, 'consumer'), path.join(REPO, 'node_modules')))}/`));
    });
    afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

    for (const tsconfig of ['tsconfig.json', 'tsconfig.eslint9.json']) {
      it(`${tsconfig}: fails on the wrong configs key`, async () => {
        const dir = path.join(TMP, 'consumer');
        const r = await tsc(['-p', path.join(dir, tsconfig)], dir);
        expect(r.code).not.toBe(0);
        expect(r.out).toMatch(/eslint\.config\.ts\(\d+,\d+\): error TS\d+: .*recommended-type-checked/);
        const files = (await tsc(['-p', path.join(dir, tsconfig), '--listFilesOnly'], dir)).out;
        expect(files).toContain(posix(path.join(TMP, 'dist/rules/index.d.ts')));
      }, 120_000);
    }
  });
});
