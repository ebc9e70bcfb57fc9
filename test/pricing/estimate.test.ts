import { describe, expect, it } from 'vitest';
import { ConfigSchema, type TierwiseConfig } from '../../src/core/config.js';
import type { CallSite, Context } from '../../src/core/types.js';
import { DEFAULTS, estimateSavings, matchUsageEntries, roundUsd, usd, type EstimateInput, type PricedSavings } from '../../src/pricing/estimate.js';
import { bundledPrices } from '../../src/pricing/prices.js';
import { countTextTokens } from '../../src/pricing/tokens.js';

type Site = EstimateInput['callSite'];
function site(over: Partial<Site> = {}): Site {
  return {
    file: 'src/jobs/digest.ts',
    line: 14,
    model: 'o4-mini',
    family: 'chat',
    endpoint: 'chat.completions.create',
    prompt: { literalText: [], interpolations: 0, maxOutputTokens: null },
    perItem: null,
    serviceTier: 'absent',
    ...over,
  };
}
function ctx(over: Partial<Context> = {}): NonNullable<EstimateInput['context']> {
  return { kind: 'queue', cadence: { type: 'unknown' }, entry: { file: 'src/jobs/digest.ts', name: 'processDigest' }, ...over };
}
const config = (c: unknown): TierwiseConfig => ConfigSchema.parse(c);
function priced(r: ReturnType<typeof estimateSavings>): PricedSavings {
  if (r.unknown) throw new Error(`expected a priced estimate, got unknown: ${r.why}`);
  return r;
}

describe('estimateSavings: the o4-mini example', () => {
  // 1 000 runs/month (config) × 10 calls/run (loop over 10 items) = 10 000 calls/month.
  // Input: 10 000 × 1 000 = 10 000 000 tokens; output: 10 000 × 200 = 2 000 000 tokens.
  // Standard o4-mini: 10M × $1.10/1M + 2M × $4.40/1M = $11.00 + $8.80 = $19.80/month.
  // Flex o4-mini:     10M × $0.55/1M + 2M × $2.20/1M = $5.50 + $4.40 = $9.90/month → saves $9.90 (half).
  const input: EstimateInput = {
    callSite: site({
      prompt: { literalText: [], interpolations: 0, maxOutputTokens: 200 },
      perItem: { kind: 'for-of', collection: 'users', size: 10, line: 12 },
    }),
    context: ctx(),
    recommended: 'flex',
    config: config({
      defaults: { runsPerMonth: { queue: 1000 } },
      usage: [{ site: 'src/jobs/digest.ts:14', inputTokens: 1000 }],
    }),
  };

  it('costs $19.80 on standard and saves $9.90 on flex', () => {
    const s = priced(estimateSavings(input));
    expect(s.standardUsdPerMonth).toBeCloseTo(19.8, 9);
    expect(s.recommendedUsdPerMonth).toBeCloseTo(9.9, 9);
    expect(s.usdPerMonth).toBeCloseTo(9.9, 9);
    expect(s.tier).toBe('flex');
    expect(s.basis).toMatchObject({ model: 'o4-mini', callsPerMonth: 10_000, inputTokensPerMonth: 10_000_000, outputTokensPerMonth: 2_000_000 });
  });

  it('records every number with its source and rates confidence high (no defaults among the volumes)', () => {
    const s = priced(estimateSavings(input));
    const bySource = (what: RegExp) => s.assumptions.find((a) => what.test(a.what));
    expect(bySource(/^runs per month/)).toMatchObject({ value: 1000, source: 'config' });
    expect(bySource(/^calls per run/)).toMatchObject({ value: 10, source: 'code' });
    expect(bySource(/^input tokens per call/)).toMatchObject({ value: 1000, source: 'config' });
    expect(bySource(/^output tokens per call/)).toMatchObject({ value: 200, source: 'code' });
    expect(bySource(/^current tier/)).toMatchObject({ value: 'standard', source: 'default' });
    expect(s.confidence).toBe('high');
  });

  it('writes the multiplication out for --explain', () => {
    const s = priced(estimateSavings(input));
    expect(s.arithmetic).toEqual([
      'calls/month = 1,000 runs × 10 calls/run = 10,000',
      'input tokens/month = 10,000 × 1,000 = 10,000,000',
      'output tokens/month = 10,000 × 200 = 2,000,000',
      'standard (o4-mini): 10,000,000 input × $1.10/1M + 2,000,000 output × $4.40/1M = $11.00 + $8.80 = $19.80/month',
      'flex (o4-mini): 10,000,000 input × $0.55/1M + 2,000,000 output × $2.20/1M = $5.50 + $4.40 = $9.90/month',
      'savings = $19.80 − $9.90 = $9.90/month',
    ]);
  });

  it('batch saves the same half on o4-mini', () => {
    const s = priced(estimateSavings({ ...input, recommended: 'batch' }));
    expect(s.usdPerMonth).toBeCloseTo(9.9, 9);
  });

  it('prices priority / fast calls at the priority price and says so', () => {
    // gpt-5-mini priority 0.45 / 3.60; flex 0.125 / 1. Same volumes: 10M in, 2M out.
    // Priority: $4.50 + $7.20 = $11.70; flex: $1.25 + $2.00 = $3.25; savings $8.45.
    const s = priced(estimateSavings({ ...input, callSite: { ...input.callSite, model: 'gpt-5-mini-2025-08-07', serviceTier: 'fast' } }));
    expect(s.standardUsdPerMonth).toBeCloseTo(11.7, 9);
    expect(s.usdPerMonth).toBeCloseTo(8.45, 9);
    expect(s.assumptions.find((a) => a.what.startsWith('current tier'))).toMatchObject({ value: 'priority', source: 'code' });
  });
});

describe('estimateSavings: volumes from code, cron and defaults', () => {
  it('multiplies cron runs by counted prompt tokens and the max output', () => {
    const text = 'Write a one-paragraph summary of yesterday.';
    const s = priced(
      estimateSavings({
        callSite: site({ model: 'gpt-5-nano', prompt: { literalText: [text], interpolations: 0, maxOutputTokens: 300 } }),
        context: ctx({ kind: 'cron', cadence: { type: 'cron', expression: '*/30 * * * *' } }),
        recommended: 'batch',
      }),
    );
    const inputPerCall = countTextTokens(text) + 3 + 3;
    // 1 440 runs × 1 call; gpt-5-nano standard 0.05 / 0.40, batch 0.025 / 0.20 → savings = half of standard.
    const standard = (1440 * inputPerCall * 0.05 + 1440 * 300 * 0.4) / 1e6;
    expect(s.basis.callsPerMonth).toBe(1440);
    expect(s.basis.inputTokensPerMonth).toBe(1440 * inputPerCall);
    // Reported amounts are rounded once (to the cent); the saving is the difference of the rounded costs.
    expect(s.standardUsdPerMonth).toBe(roundUsd(standard));
    expect(s.recommendedUsdPerMonth).toBe(roundUsd(standard / 2));
    expect(s.usdPerMonth).toBe(usd(roundUsd(standard) - roundUsd(standard / 2)));
    expect(s.confidence).toBe('high');
    expect(s.assumptions.find((a) => a.what.startsWith('runs per month'))).toMatchObject({ value: 1440, source: 'cron' });
  });

  it('falls back to documented defaults and lowers confidence', () => {
    const s = priced(
      estimateSavings({
        callSite: site({ model: 'gpt-5-mini', perItem: { kind: 'map', collection: 'rows', size: null, line: 3 } }),
        context: ctx({ kind: 'script' }),
        recommended: 'batch',
      }),
    );
    // All four volumes are defaults: runs (script), calls (unknown loop size), input (prompt invisible), output.
    expect(s.basis.callsPerMonth).toBe(DEFAULTS.runsPerMonth.script * DEFAULTS.callsPerRun);
    expect(s.basis.inputTokensPerMonth).toBe(s.basis.callsPerMonth * DEFAULTS.unknownPromptTokens);
    expect(s.basis.outputTokensPerMonth).toBe(s.basis.callsPerMonth * DEFAULTS.outputTokens);
    expect(s.confidence).toBe('low');
    expect(s.assumptions.filter((a) => a.source === 'default').length).toBeGreaterThanOrEqual(4);
  });

  it('uses config defaults (tokensPerInterpolation, callsPerRun, outputTokens) over built-in ones', () => {
    const s = priced(
      estimateSavings({
        callSite: site({
          model: 'gpt-5',
          prompt: { literalText: ['hello world'], interpolations: 2, maxOutputTokens: null },
          perItem: { kind: 'forEach', collection: 'docs', size: null, line: 3 },
        }),
        context: ctx({ kind: 'interval', cadence: { type: 'interval', everyMs: 60 * 60 * 1000 } }),
        recommended: 'flex',
        config: config({ defaults: { tokensPerInterpolation: 50, callsPerRun: 4, outputTokens: 100 } }),
      }),
    );
    // 720 runs (hourly) × 4 calls = 2 880 calls; input 2 + 6 overhead + 2 × 50 = 108; output 100.
    expect(s.basis.callsPerMonth).toBe(2880);
    expect(s.basis.inputTokensPerMonth).toBe(2880 * 108);
    expect(s.basis.outputTokensPerMonth).toBe(2880 * 100);
    expect(s.confidence).toBe('high');
  });

  it('embeddings have no output tokens and go to Batch only', () => {
    const s = priced(
      estimateSavings({
        callSite: site({ model: 'text-embedding-3-small', family: 'embeddings', endpoint: 'embeddings.create', prompt: { literalText: ['hello world'], interpolations: 0, maxOutputTokens: null } }),
        context: ctx({ kind: 'cron', cadence: { type: 'cron', expression: '@hourly' } }),
        recommended: 'batch',
      }),
    );
    // 720 runs × 2 tokens = 1 440 tokens × $0.02/1M standard vs $0.01/1M batch.
    expect(s.basis.outputTokensPerMonth).toBe(0);
    // Under half a cent, amounts keep their first significant digit: $0.00003 and $0.00001.
    expect(s.standardUsdPerMonth).toBe(roundUsd((1440 * 0.02) / 1e6));
    expect(s.standardUsdPerMonth).toBe(0.00003);
    expect(s.recommendedUsdPerMonth).toBe(0.00001);
    expect(s.usdPerMonth).toBe(0.00002);
    const flex = estimateSavings({ callSite: site({ model: 'text-embedding-3-small', family: 'embeddings' }), context: ctx(), recommended: 'flex' });
    expect(flex).toMatchObject({ unknown: true, why: expect.stringMatching(/does not accept flex/) });
  });

  it('moderation is free: a real $0, not unknown', () => {
    const s = priced(
      estimateSavings({ callSite: site({ model: 'omni-moderation-latest', family: 'moderations', endpoint: 'moderations.create' }), context: ctx(), recommended: 'batch' }),
    );
    expect(s.usdPerMonth).toBe(0);
    expect(s.standardUsdPerMonth).toBe(0);
    expect(s.assumptions.some((a) => /free/.test(a.what))).toBe(true);
  });

  it('applies a cached-input share to the cached price', () => {
    // gpt-5-mini, 1 000 runs × 1 call, 1 000 input (50% cached), 0 output.
    // standard: 500k × $0.25 + 500k × $0.025 = $0.125 + $0.0125 = $0.1375
    // flex:     500k × $0.125 + 500k × $0.0125 = $0.0625 + $0.00625 = $0.06875
    const s = priced(
      estimateSavings({
        callSite: site({ model: 'gpt-5-mini' }),
        context: ctx(),
        recommended: 'flex',
        config: config({ usage: [{ entry: 'src/jobs/digest.ts:processDigest', runsPerMonth: 1000, callsPerRun: 1, inputTokens: 1000, outputTokens: 0, cachedInputShare: 0.5 }] }),
      }),
    );
    // Exactly $0.1375 and $0.06875, reported to the cent.
    expect(s.standardUsdPerMonth).toBe(roundUsd(0.1375));
    expect(s.recommendedUsdPerMonth).toBe(roundUsd(0.06875));
  });
});

describe('estimateSavings: unknown, never $0', () => {
  it('dynamic model', () => {
    expect(estimateSavings({ callSite: site({ model: null }), context: ctx(), recommended: 'flex' })).toMatchObject({ unknown: true, why: expect.stringMatching(/not statically known/) });
  });
  it('model not in the table', () => {
    const r = estimateSavings({ callSite: site({ model: 'gpt-7-ultra' }), context: ctx(), recommended: 'flex' });
    expect(r).toMatchObject({ unknown: true, why: expect.stringMatching(/`gpt-7-ultra` is not in the price table/) });
  });
  it('flex on a model whose eligibility is unknown or that has no flex', () => {
    expect(estimateSavings({ callSite: site({ model: 'gpt-5.1' }), context: ctx(), recommended: 'flex' })).toMatchObject({ unknown: true, why: expect.stringMatching(/no source says/) });
    expect(estimateSavings({ callSite: site({ model: 'gpt-4o' }), context: ctx(), recommended: 'flex' })).toMatchObject({ unknown: true });
  });
  it('batch on an endpoint the table does not list', () => {
    const r = estimateSavings({ callSite: site({ model: 'gpt-5-mini', family: 'embeddings' }), context: ctx(), recommended: 'batch' });
    expect(r).toMatchObject({ unknown: true, why: expect.stringMatching(/\/v1\/embeddings/) });
  });
  it('interactive or missing context', () => {
    expect(estimateSavings({ callSite: site(), context: ctx({ kind: 'interactive' }), recommended: 'flex' }).unknown).toBe(true);
    expect(estimateSavings({ callSite: site(), context: null, recommended: 'flex' }).unknown).toBe(true);
  });
});

describe('config usage overrides', () => {
  it('a site override beats an entry override, which beats cron and code', () => {
    const s = priced(
      estimateSavings({
        callSite: site({ model: 'gpt-5-mini', perItem: { kind: 'for-of', collection: 'xs', size: 3, line: 1 }, prompt: { literalText: ['hi'], interpolations: 0, maxOutputTokens: 50 } }),
        context: ctx({ kind: 'cron', cadence: { type: 'cron', expression: '@daily' } }),
        recommended: 'batch',
        config: config({
          usage: [
            { entry: 'src/jobs/digest.ts:processDigest', runsPerMonth: 99, callsPerRun: 7 },
            { site: './src/jobs/digest.ts:14', callsPerRun: 11, outputTokens: 10 },
          ],
        }),
      }),
    );
    const a = (re: RegExp) => s.assumptions.find((x) => re.test(x.what))!;
    expect(a(/^runs per month/)).toMatchObject({ value: 99, source: 'config' });
    expect(a(/^calls per run/)).toMatchObject({ value: 11, source: 'config' });
    expect(a(/^output tokens per call/)).toMatchObject({ value: 10, source: 'config' });
    expect(s.basis.callsPerMonth).toBe(99 * 11);
  });

  it('reports usage entries that match nothing', () => {
    const c = config({
      usage: [
        { site: 'src/jobs/digest.ts:14', runsPerMonth: 5 },
        { site: 'src/jobs/digest.ts:15', runsPerMonth: 5 },
        { entry: 'src/jobs/digest.ts:processDigest', runsPerMonth: 5 },
        { entry: 'src/jobs/other.ts:main', runsPerMonth: 5 },
      ],
    });
    const sites: Parameters<typeof matchUsageEntries>[1] = [
      { file: 'src/jobs/digest.ts', line: 14, contexts: [{ entry: { file: 'src/jobs/digest.ts', name: 'processDigest', line: 3 } } as unknown as CallSite['contexts'][number]] },
    ];
    const r = matchUsageEntries(c, sites);
    expect(r.matched).toEqual([0, 2]);
    expect(r.unmatched.map((u) => u.index)).toEqual([1, 3]);
    expect(r.unmatched[0]!.why).toMatch(/usage\[1\]\.site `src\/jobs\/digest\.ts:15` matches no OpenAI call site/);
    expect(r.unmatched[1]!.why).toMatch(/usage\[3\]\.entry `src\/jobs\/other\.ts:main`/);
  });
});

describe('DEFAULTS', () => {
  it('is one documented object the docs can print', () => {
    expect(Object.keys(DEFAULTS).sort()).toEqual(
      ['cachedInputShare', 'callsPerRun', 'chatOverhead', 'outputTokens', 'runsPerMonth', 'tokensPerInterpolation', 'unknownPromptTokens'].sort(),
    );
    expect(bundledPrices.models.length).toBeGreaterThan(0);
  });
});

describe('estimateSavings over several background entrypoints', () => {
  // o4-mini, 1 000 input tokens (config usage site), 200 output tokens (max_tokens), 1 call per run.
  const base = {
    callSite: site({ prompt: { literalText: [], interpolations: 0, maxOutputTokens: 200 } }),
    recommended: 'flex' as const,
  };

  it('adds up the runs of every entrypoint (an @Interval(600000) and a @Timeout(5000) reaching the same call)', () => {
    // Interval: 30 days / 10 min = 4 320 runs; timeout: runs once → 4 321 calls/month.
    // Input 4 321 000 tokens, output 864 200 tokens.
    // Standard: 4.321M × $1.10 + 0.8642M × $4.40 = $4.7531 + $3.80248 = $8.55558; flex is half: $4.27779.
    const s = priced(
      estimateSavings({
        ...base,
        context: null,
        contexts: [
          ctx({ kind: 'interval', cadence: { type: 'interval', everyMs: 600_000 }, entry: { file: 'src/tasks.ts', name: 'postQueueSummary', line: 20 } }),
          ctx({ kind: 'interval', cadence: { type: 'once', delayMs: 5000 }, entry: { file: 'src/tasks.ts', name: 'warmUp', line: 25 } }),
        ],
        config: config({ usage: [{ site: 'src/jobs/digest.ts:14', inputTokens: 1000 }] }),
      }),
    );
    expect(s.basis).toMatchObject({ callsPerMonth: 4321, inputTokensPerMonth: 4_321_000, outputTokensPerMonth: 864_200 });
    // $8.55558 and $4.27779 exactly; each entrypoint's costs are rounded once and the parts add up.
    expect(s.standardUsdPerMonth).toBeCloseTo(8.55558, 2);
    expect(s.recommendedUsdPerMonth).toBeCloseTo(4.27779, 2);
    expect(s.usdPerMonth).toBe(usd(s.standardUsdPerMonth - s.recommendedUsdPerMonth));
    const runs = s.assumptions.filter((a) => /runs per month/.test(a.what));
    expect(runs.map((a) => [a.what.split(': ')[0], a.value])).toEqual([
      ['src/tasks.ts:postQueueSummary', 4320],
      ['src/tasks.ts:warmUp', 1],
    ]);
    // Shared assumptions are listed once, unprefixed.
    expect(s.assumptions.filter((a) => /^current tier/.test(a.what))).toHaveLength(1);
    expect(s.arithmetic!.at(-1)).toMatch(/over 2 entrypoints/);
  });

  it('applies a usage[].entry override to the entrypoint it names, not only the first', () => {
    // @daily cron: 30 runs; the second entrypoint (a queue) gets 70 runs from its config entry → 100 calls/month.
    // Standard: 0.1M × $1.10 + 0.02M × $4.40 = $0.11 + $0.088 = $0.198; flex $0.099.
    const s = priced(
      estimateSavings({
        ...base,
        context: null,
        contexts: [
          ctx({ kind: 'cron', cadence: { type: 'cron', expression: '@daily' } }),
          ctx({ kind: 'queue', entry: { file: 'src/jobs/other.ts', name: 'handle', line: 3 } }),
        ],
        config: config({ usage: [{ site: 'src/jobs/digest.ts:14', inputTokens: 1000 }, { entry: 'src/jobs/other.ts:handle', runsPerMonth: 70 }] }),
      }),
    );
    expect(s.basis.callsPerMonth).toBe(100);
    // $0.198 and $0.099 exactly, to the cent per entrypoint.
    expect(s.standardUsdPerMonth).toBeCloseTo(0.198, 2);
    expect(s.usdPerMonth).toBeCloseTo(0.099, 2);
    expect(s.usdPerMonth).toBe(usd(s.standardUsdPerMonth - s.recommendedUsdPerMonth));
    expect(s.assumptions.find((a) => a.what.startsWith('src/jobs/other.ts:handle: runs per month'))).toMatchObject({ value: 70, source: 'config' });
    expect(s.assumptions.find((a) => a.what.startsWith('src/jobs/digest.ts:processDigest: runs per month'))).toMatchObject({ value: 30, source: 'cron' });
  });

  it('prices the nestjs fixture queue summary over @Interval(600000) and @Timeout(5000)', async () => {
    const { auditFixture } = await import('../support/fixtures.js');
    const f = auditFixture('nestjs').findings.find((x) => x.file === 'src/llm/llm.service.ts' && x.line === 20)!;
    expect(f.savings && !f.savings.unknown).toBe(true);
    const s = f.savings as PricedSavings;
    const runs = s.assumptions.filter((a) => /runs per month/.test(a.what)).map((a) => a.value);
    expect(runs).toEqual([4320, 1]);
  });
});
