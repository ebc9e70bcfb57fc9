/** A consumer's eslint.config.ts using defineConfig with the plugin type-checks under strict + noUncheckedIndexedAccess, with ESLint 10's and ESLint 9's types. */
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';

const run = promisify(execFile);
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const DIR = path.join(REPO, 'fixtures/eslint/consumer');

describe('consumer eslint.config.ts', () => {
  for (const [label, tsconfig] of [
    ['ESLint 10 types', 'tsconfig.json'],
    ['ESLint 9 types', 'tsconfig.eslint9.json'],
  ] as const) {
    it(`type-checks with ${label}`, async () => {
      const r = await run(process.execPath, [TSC, '-p', path.join(DIR, tsconfig)], { cwd: DIR }).then(
        () => ({ code: 0, out: '' }),
        (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
      );
      expect(r.out).toBe('');
      expect(r.code).toBe(0);
    }, 120_000);
  }
});
