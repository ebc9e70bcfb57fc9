/** Shared by the loop-to-batch tests: where the fixture pairs are and how each is run. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rewriteLoops, type BatchTarget, type SiteOutcome } from '../../../codemods/loop-to-batch.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '../../../fixtures/codemods/loop-to-batch');

export function fixtureNames(): string[] {
  return fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.input.ts'))
    .map((f) => f.slice(0, -'.input.ts'.length))
    .sort();
}

export function targetsOf(name: string): BatchTarget[] | 'all' {
  const optsFile = path.join(FIXTURES, `${name}.options.json`);
  return fs.existsSync(optsFile) ? (JSON.parse(fs.readFileSync(optsFile, 'utf8')) as { targets: BatchTarget[] }).targets : 'all';
}

export function runFixture(name: string): { input: string; output: string; outcomes: SiteOutcome[] } {
  const file = path.join(FIXTURES, `${name}.input.ts`);
  const input = fs.readFileSync(file, 'utf8');
  const r = rewriteLoops(input, file, { targets: targetsOf(name) });
  return { input, output: r.output, outcomes: r.outcomes };
}

