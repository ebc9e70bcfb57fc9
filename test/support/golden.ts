import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { REPO } from './fixtures.js';

export const GOLDEN = path.join(REPO, 'test/golden');

/**
 * Compares `actual` (machine-specific paths normalised to `<repo>`) with the golden file `name` under test/golden.
 * `UPDATE_GOLDEN=1 npx vitest run test/audit` rewrites golden files. A missing golden file is written on a developer's
 * machine (and the test passes, so a new golden shows up in `git status`), but fails under CI, where it would hide a
 * file that was never committed.
 */
export function golden(name: string, actual: string, env: NodeJS.ProcessEnv = process.env, dir = GOLDEN): void {
  const normalised = actual.split(REPO).join('<repo>');
  const file = path.join(dir, name);
  const missing = !fs.existsSync(file);
  if (missing && env.CI && !env.UPDATE_GOLDEN) {
    throw new Error(`golden file ${path.relative(REPO, file)} is missing: run \`UPDATE_GOLDEN=1 npx vitest run\` and commit it`);
  }
  if (env.UPDATE_GOLDEN || missing) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file, normalised);
  }
  expect(normalised).toBe(fs.readFileSync(file, 'utf8'));
}
