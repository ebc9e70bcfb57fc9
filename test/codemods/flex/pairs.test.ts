/**
 * The add-flex-tier fixture pairs: each input is a one-file project (its entrypoints in the file), fixed with
 * `fixFlex` (the code behind `tierwise fix flex --force --no-format`); the result must equal the output file, parse,
 * type-check against the real openai package (v7, and v4 where the fix targets v4 or writes nothing v5-only), leave
 * the audit with no flex-recommended finding and no flex-needs-timeout, and a second run must change nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixFlex, type FixFlexResult } from '../../../src/fix/flex.js';
import { audit } from '../../../src/audit/audit.js';
import { syntaxError } from '../../../src/fix/runner.js';
import { typecheck } from '../../support/fixtures.js';
import { pairs, repoTmp, TSCONFIG, V4_TSCONFIG, type Pair } from './support.js';

const all = pairs();
let tmp: string;
const results = new Map<string, { first: FixFlexResult; second: FixFlexResult; after: string }>();

const dirOf = (p: Pair) => path.join(tmp, p.name);
const fileOf = (p: Pair) => path.join(dirOf(p), 'src', `${p.name}.ts`);
const run = (p: Pair) =>
  fixFlex({ dir: dirOf(p), force: true, format: false, fallback: p.options.fallback, undici: p.options.undici ?? false, sdkMajor: p.options.sdkMajor ?? 7 });

beforeAll(async () => {
  tmp = repoTmp('flex-pairs');
  for (const p of all) {
    fs.mkdirSync(path.join(dirOf(p), 'src'), { recursive: true });
    fs.writeFileSync(path.join(dirOf(p), 'tsconfig.json'), JSON.stringify(TSCONFIG));
    fs.writeFileSync(fileOf(p), p.input);
    for (const [f, text] of Object.entries(p.companions)) fs.writeFileSync(path.join(dirOf(p), 'src', f), text);
    const first = await run(p);
    const after = fs.readFileSync(fileOf(p), 'utf8');
    const second = await run(p);
    results.set(p.name, { first, second, after });
  }
}, 240_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('add-flex-tier fixture pairs', () => {
  it('covers the behaviours the issue lists', () => {
    const names = all.map((p) => p.name);
    for (const n of [
      'inline-params',
      'params-variable',
      'params-spread',
      'existing-second-arg',
      'existing-client-timeout',
      'shared-client-interactive',
      'explicit-default',
      'already-flex',
      'unparseable',
      'negative-other-sdk',
      'negative-interactive',
      'negative-mixed',
      'params-unreachable',
    ]) {
      expect(names).toContain(n);
    }
    for (const p of all) expect(p.output, `${p.name}.output.ts`).not.toBe('');
  });

  for (const p of all) {
    describe(p.name, () => {
      it('produces the output file', () => {
        expect(results.get(p.name)!.after).toBe(p.output);
      });
      it('is idempotent: a second run changes nothing', () => {
        const { second, after } = results.get(p.name)!;
        expect(second.summary.changed).toEqual([]);
        expect(second.summary.created).toEqual([]);
        expect(fs.readFileSync(fileOf(p), 'utf8')).toBe(after);
      });
      if (Object.keys(p.companions).length) {
        it('leaves the companion files as they were', () => {
          for (const [f, text] of Object.entries(p.companions)) expect(fs.readFileSync(path.join(dirOf(p), 'src', f), 'utf8'), f).toBe(text);
        });
      }
      if (p.options.skipped) {
        it(`reports the skip: ${p.options.skipped}`, () => {
          const reasons = results.get(p.name)!.first.summary.skipped.map((s) => s.reason);
          expect(reasons.join('\n')).toContain(p.options.skipped);
          expect(results.get(p.name)!.first.summary.changed).toEqual([]);
        });
      } else {
        it('output parses; the audit then reports no flex-recommended finding and no flex-needs-timeout', () => {
          expect(syntaxError(fileOf(p), p.output)).toBeUndefined();
          const report = audit({ dir: dirOf(p) });
          const left = report.findings.filter(
            (f) => f.rule === 'flex-needs-timeout' || (f.rule === 'no-standard-tier-in-background' && f.recommendation?.tier === 'flex' && !f.context?.mixed && !f.contexts.some((c) => c.kind === 'interactive')),
          );
          expect(left).toEqual([]);
        });
      }
    });
  }

  it('negative-mixed is really mixed: the audit recommends flex for a site reached from the cron job and the route', () => {
    const p = all.find((x) => x.name === 'negative-mixed')!;
    const report = audit({ dir: dirOf(p) });
    expect(report.callSites.map((s) => s.classification)).toEqual(['mixed']);
    expect(report.findings.filter((f) => f.rule === 'no-standard-tier-in-background').map((f) => [f.recommendation?.tier, f.context?.mixed])).toEqual([['flex', true]]);
    expect(results.get(p.name)!.first.selected).toBe(0);
  });

  it('changed pairs report the applied sites and their saving', () => {
    const changed = all.filter((p) => p.input !== p.output);
    expect(changed.length).toBeGreaterThan(8);
    for (const p of changed) {
      const s = results.get(p.name)!.first.summary;
      expect(s.changed, p.name).toEqual([`src/${p.name}.ts`]);
      expect(s.applied.length, p.name).toBeGreaterThan(0);
    }
    const unchanged = all.filter((p) => p.input === p.output);
    for (const p of unchanged) expect(results.get(p.name)!.first.summary.changed, p.name).toEqual([]);
  });

  it('type-checks against openai v7 and, where the fix writes nothing v5-only, openai v4', async () => {
    // One project holding every transformed fixture that parses (the --fallback one with its helper).
    const v7 = path.join(tmp, '_typecheck-v7');
    const v4 = path.join(tmp, '_typecheck-v4');
    for (const [dir, keep] of [
      [v7, (p: Pair) => (p.options.sdkMajor ?? 7) >= 5],
      [v4, (p: Pair) => !p.options.undici || p.options.sdkMajor === 4],
    ] as const) {
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(dir === v4 ? V4_TSCONFIG : TSCONFIG));
      // Skipped pairs too (output = input), except those that do not parse.
      for (const p of all.filter((x) => !(x.options.skipped && syntaxError(fileOf(x), x.output)) && keep(x))) {
        fs.mkdirSync(path.join(dir, 'src', p.name));
        for (const f of fs.readdirSync(path.join(dirOf(p), 'src'))) {
          fs.copyFileSync(path.join(dirOf(p), 'src', f), path.join(dir, 'src', p.name, f));
        }
      }
    }
    expect(fs.existsSync(path.join(v7, 'src/fallback/flex-fallback.ts'))).toBe(true);
    await typecheck(v7, 'v7');
    // The v4 project maps `openai` itself (to v4's ESM typings, see V4_TSCONFIG), so typecheck's own 'v4' mapping is not used.
    await typecheck(v4, 'v7');
    // …and the v4 check is real: the v5+ dispatcher fix (fetchOptions) does not type-check against v4, which is why
    // the fix reads the project's openai major and writes no dispatcher for v4 (v4-no-dispatcher).
    const v4bad = path.join(tmp, '_typecheck-v4-dispatcher');
    fs.mkdirSync(path.join(v4bad, 'src'), { recursive: true });
    fs.writeFileSync(path.join(v4bad, 'tsconfig.json'), JSON.stringify(V4_TSCONFIG));
    fs.copyFileSync(fileOf(all.find((p) => p.name === 'undici-dispatcher')!), path.join(v4bad, 'src/job.ts'));
    await expect(typecheck(v4bad, 'v7')).rejects.toThrow(/fetchOptions/);
  }, 120_000);
});
