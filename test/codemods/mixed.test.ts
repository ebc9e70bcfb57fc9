/**
 * Mixed call sites (reached from a background job and a request handler) are never changed by `tierwise fix flex` or
 * `tierwise fix batch`; the summary says so, with their file:line, instead of leaving them out in silence.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixFlex } from '../../src/fix/flex.js';
import { fixBatch } from '../../src/fix/batch.js';
import { formatSummary, mixedSitesWarning } from '../../src/fix/runner.js';
import { PAIRS, repoTmp, TSCONFIG } from './flex/support.js';

const tmp = repoTmp('mixed-sites');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** negative-mixed: `summarize` (responses.create, line 9) runs from a nightly cron job and from a POST route. */
function project(name: string): { dir: string; file: string; before: string } {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  const file = path.join(dir, 'src', 'summary.ts');
  const before = fs.readFileSync(path.join(PAIRS, 'negative-mixed.input.ts'), 'utf8');
  fs.writeFileSync(file, before);
  return { dir, file, before };
}

const MIXED = /^1 mixed call site\(s\) left alone \(src\/summary\.ts:9\): reached from both background and interactive entrypoints; change them per request by hand \(see the audit\)\.$/;

describe('mixed call sites in tierwise fix', () => {
  it('fix flex leaves a mixed site alone and says so in the summary', async () => {
    const { dir, file, before } = project('flex');
    const { summary, selected } = await fixFlex({ dir, force: true, format: false, undici: false, sdkMajor: 7 });
    expect(selected).toBe(0);
    expect(summary.changed).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(summary.warnings.filter((w) => MIXED.test(w))).toHaveLength(1);
    expect(formatSummary(summary)).toMatch(/Warnings:\n {2}1 mixed call site\(s\) left alone \(src\/summary\.ts:9\)/);

    // --site elsewhere: the mixed site is not mentioned.
    const other = await fixFlex({ dir, force: true, format: false, undici: false, sdkMajor: 7, sites: ['src/summary.ts:1'] });
    expect(other.summary.warnings.some((w) => /mixed call site/.test(w))).toBe(false);
  }, 60_000);

  it('fix batch does not send a mixed flex-recommended site to `fix flex`, and names it as mixed', async () => {
    const { dir, file, before } = project('batch');
    const { summary } = await fixBatch({ dir, force: true, format: false });
    expect(summary.changed).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(summary.warnings.filter((w) => MIXED.test(w))).toHaveLength(1);
    expect(summary.warnings.some((w) => /recommended for Flex were left alone/.test(w))).toBe(false);
  }, 60_000);

  it('lists at most five sites', () => {
    expect(mixedSitesWarning([])).toBeUndefined();
    const many = Array.from({ length: 7 }, (_, i) => ({ file: 'a.ts', line: i + 1 }));
    expect(mixedSitesWarning(many)).toMatch(/^7 mixed call site\(s\) left alone \(a\.ts:1, a\.ts:2, a\.ts:3, a\.ts:4, a\.ts:5, …\): /);
  });
});
