/** benchEslint (called by bench/run.ts) lints a directory the six ways and really runs the rules. Times are not asserted.
 * From TypeScript source it runs the lints in this process (the compiled bench spawns a fresh process per lint). */
import { describe, expect, it } from 'vitest';
import { benchEslint } from '../../bench/eslint.js';
import { TYPED } from './support.js';

describe('benchEslint', () => {
  it('returns both ratios, and the rules reported in both configs with one analysis per program', async () => {
    const r = await benchEslint(TYPED, { runs: 3 });
    expect(r.files).toBe(5);
    expect(r.recommendedRatio).toBeGreaterThan(0);
    expect(r.typedRatio).toBeGreaterThan(0);
    expect(r.emptyRuleRatio).toBeGreaterThan(0);
    expect(r.typedEmptyRuleRatio).toBeGreaterThan(0);
    for (const k of ['recommendedRatio', 'typedRatio', 'emptyRuleRatio', 'typedEmptyRuleRatio'] as const) {
      expect(r[`${k}Min`]).toBeLessThanOrEqual(r[k]);
      expect(r[`${k}Max`]).toBeGreaterThanOrEqual(r[k]);
    }
    expect(r.recommendedProblems).toBe(2);
    expect(r.typedProblems).toBe(3);
    expect(r.typedProgramAnalyses).toBe(1);
    // ESLint's own stats timed the tierwise rules (and only in the configurations that run them).
    expect(r.recommendedRuleShare).toBeGreaterThan(0);
    expect(r.typedRuleShare).toBeGreaterThan(0);
  }, 180_000);
});
