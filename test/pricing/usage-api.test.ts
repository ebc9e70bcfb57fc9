import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src/core/config.js';
import { estimateSavings, type EstimateInput, type PricedSavings } from '../../src/pricing/estimate.js';
import { calibrate, loadUsageFile, otherVolumes, parseUsage, UsageDataError } from '../../src/pricing/usage-api.js';
import type { CallSite, Savings } from '../../src/core/types.js';

const DAY = 86_400;
const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z

function completions(model: string | null, input: number, output: number, cached = 0, requests = 10) {
  return {
    object: 'organization.usage.completions.result',
    input_tokens: input,
    output_tokens: output,
    input_cached_tokens: cached,
    input_audio_tokens: 0,
    output_audio_tokens: 0,
    num_model_requests: requests,
    project_id: null,
    user_id: null,
    api_key_id: null,
    model,
    batch: null,
  };
}
function embeddings(model: string, input: number, requests = 5) {
  return { object: 'organization.usage.embeddings.result', input_tokens: input, num_model_requests: requests, model, project_id: null };
}
function page(buckets: Array<{ day: number; results: unknown[] }>, has_more = false) {
  return {
    object: 'page',
    data: buckets.map((b) => ({ object: 'bucket', start_time: T0 + b.day * DAY, end_time: T0 + (b.day + 1) * DAY, results: b.results })),
    has_more,
    next_page: has_more ? 'page_AAAA' : null,
  };
}

describe('parseUsage', () => {
  it('sums a page per model and scales 3 days to 30', () => {
    const m = parseUsage(
      page([
        { day: 0, results: [completions('gpt-5-mini-2025-08-07', 1000, 100, 200), completions('gpt-4o-mini-2024-07-18', 50, 5)] },
        { day: 1, results: [completions('gpt-5-mini-2025-08-07', 2000, 300, 0)] },
        { day: 2, results: [] },
      ]),
    );
    expect(m.days.completions).toBe(3);
    const mini = m.models.find((x) => x.model === 'gpt-5-mini-2025-08-07')!;
    // 3 000 input in 3 days → ×10 → 30 000 per 30 days.
    expect(mini).toMatchObject({ tableModel: 'gpt-5-mini', kind: 'completions', inputTokensPerMonth: 30_000, outputTokensPerMonth: 4_000, cachedInputTokensPerMonth: 2_000, requestsPerMonth: 200 });
    expect(m.models.find((x) => x.model === 'gpt-4o-mini-2024-07-18')!.tableModel).toBe('gpt-4o-mini');
  });

  it('accepts an array of pages and { completions, embeddings }', () => {
    const pages = [page([{ day: 0, results: [completions('o3', 10, 1)] }], true), page([{ day: 1, results: [completions('o3', 20, 2)] }])];
    const both = parseUsage({ completions: pages, embeddings: page([{ day: 0, results: [embeddings('text-embedding-3-small', 600)] }]) });
    // Completions: 2 days → ×15; embeddings: 1 day → ×30.
    expect(both.days).toEqual({ completions: 2, embeddings: 1 });
    expect(both.models.find((x) => x.model === 'o3')).toMatchObject({ inputTokensPerMonth: 450, outputTokensPerMonth: 45 });
    expect(both.models.find((x) => x.model === 'text-embedding-3-small')).toMatchObject({ kind: 'embeddings', inputTokensPerMonth: 18_000, outputTokensPerMonth: 0 });
  });

  it('counts results without a model (not grouped by model) separately', () => {
    const m = parseUsage(page([{ day: 0, results: [completions(null, 10, 1)] }]));
    expect(m.models).toEqual([]);
    expect(m.ungroupedResults).toBe(1);
  });

  it('gives clear errors naming the bad field', () => {
    expect(() => parseUsage({ object: 'list', data: [] })).toThrow(UsageDataError);
    expect(() => parseUsage({ object: 'list', data: [] })).toThrow(/usage is not a Usage API page[\s\S]*usage\.object/);
    const bad = page([{ day: 0, results: [{ ...completions('o3', 1, 1), input_tokens: 'many' }] }]);
    expect(() => parseUsage(bad)).toThrow(/usage\.data\[0\]\.results\[0\][\s\S]*input_tokens/);
    expect(() => parseUsage({ completions: page([]), costs: {} })).toThrow(/unexpected keys `costs`/);
  });

  it('loads a file and reports bad JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tierwise-usage-'));
    const good = join(dir, 'usage.json');
    writeFileSync(good, JSON.stringify(page([{ day: 0, results: [completions('o3', 1, 1)] }])));
    expect(loadUsageFile(good).models).toHaveLength(1);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{');
    expect(() => loadUsageFile(broken)).toThrow(/usage file .*broken\.json is not valid JSON/);
  });
});

describe('calibrate', () => {
  const base = (file: string, line: number, runs: number, model = 'gpt-5-mini'): EstimateInput => ({
    callSite: { file, line, model, family: 'chat', prompt: { literalText: [], interpolations: 0, maxOutputTokens: null }, perItem: null, serviceTier: 'absent' },
    context: { kind: 'queue', cadence: { type: 'unknown' } },
    recommended: 'flex',
    config: ConfigSchema.parse({ usage: [{ site: `${file}:${line}`, runsPerMonth: runs, inputTokens: 1000, outputTokens: 100 }] }),
  });

  it('scales each model so its estimates sum to the measured tokens, and recomputes the dollars', () => {
    const items: Array<{ id: string; savings: Savings }> = [
      { id: 'a', savings: estimateSavings(base('a.ts', 1, 1000)) }, // 1M in, 100k out
      { id: 'b', savings: estimateSavings(base('b.ts', 2, 3000)) }, // 3M in, 300k out
      { id: 'c', savings: estimateSavings(base('c.ts', 3, 10, 'o3')) }, // no measured o3 usage
      { id: 'd', savings: { unknown: true, why: 'dynamic model' } },
    ];
    // Measured gpt-5-mini over 30 days: 8M input (2× the 4M estimate), 200k output (half of 400k).
    const measured = parseUsage(
      page(Array.from({ length: 30 }, (_, day) => ({ day, results: day === 0 ? [completions('gpt-5-mini-2025-08-07', 8_000_000, 200_000)] : [] }))),
    );
    expect(measured.days.completions).toBe(30);
    const r = calibrate(items, measured);

    const [a, b, c, d] = r.items.map((x) => x.savings);
    const pa = a as PricedSavings;
    const pb = b as PricedSavings;
    expect(pa.calibrated).toBe(true);
    expect(pb.calibrated).toBe(true);
    expect(pa.basis.inputTokensPerMonth + pb.basis.inputTokensPerMonth).toBeCloseTo(8_000_000, 6);
    expect(pa.basis.outputTokensPerMonth + pb.basis.outputTokensPerMonth).toBeCloseTo(200_000, 6);
    // Site a: 2M input, 50k output. Standard gpt-5-mini: 2M × $0.25 + 50k × $2 = $0.50 + $0.10 = $0.60; flex half: $0.30.
    expect(pa.standardUsdPerMonth).toBeCloseTo(0.6, 9);
    expect(pa.usdPerMonth).toBeCloseTo(0.3, 9);
    expect(pa.assumptions.filter((x) => x.source === 'usage' && /scaled/.test(x.what))).toHaveLength(2);
    expect(pa.arithmetic!.join('\n')).toMatch(/calibrated to measured usage/);
    expect((c as PricedSavings).calibrated).toBeUndefined();
    expect(d).toEqual({ unknown: true, why: 'dynamic model' });
    expect(r.items[0]!.id).toBe('a');

    expect(r.models).toEqual([
      expect.objectContaining({ model: 'gpt-5-mini', inputFactor: 2, outputFactor: 0.5, sites: 2, measuredInputTokensPerMonth: 8_000_000 }),
    ]);
    expect(r.unmeasured).toEqual(['o3']);
    expect(r.measuredOnly).toEqual([]);
    // The input items are not mutated.
    expect((items[0]!.savings as PricedSavings).calibrated).toBeUndefined();
  });

  it('lists measured models no estimate uses', () => {
    const measured = parseUsage(page([{ day: 0, results: [completions('gpt-4.1-2025-04-14', 10, 1)] }]));
    expect(calibrate([], measured).measuredOnly).toEqual(['gpt-4.1']);
  });
});

describe('calibrate over every call site of a model', () => {
  const config = ConfigSchema.parse({
    usage: [
      { site: 'src/jobs/a.ts:1', runsPerMonth: 1000, inputTokens: 1000, outputTokens: 100 },
      { site: 'src/api/chat.ts:5', inputTokens: 300, outputTokens: 10 },
    ],
  });
  const finding: EstimateInput = {
    callSite: { file: 'src/jobs/a.ts', line: 1, model: 'gpt-5-mini', family: 'chat', prompt: { literalText: [], interpolations: 0, maxOutputTokens: null }, perItem: null, serviceTier: 'absent' },
    context: { kind: 'queue', cadence: { type: 'unknown' } },
    recommended: 'flex',
    config,
  };
  const route = {
    id: 'src/api/chat.ts:5:3',
    file: 'src/api/chat.ts',
    line: 5,
    model: 'gpt-5-mini',
    family: 'chat',
    endpoint: 'chat.completions.create',
    prompt: { literalText: [], interpolations: 0, maxOutputTokens: null },
    perItem: null,
    serviceTier: 'absent',
    contexts: [{ kind: 'interactive', framework: 'express', entry: { file: 'src/api/chat.ts', line: 3, name: 'POST /chat' }, trigger: 'POST /chat', cadence: { type: 'unknown' }, chain: [], why: '' }],
  } as unknown as CallSite;

  it('estimates interactive call sites with the documented default and marks it', () => {
    // 10 000 requests/month (DEFAULTS.runsPerMonth.interactive) × 300 input / 10 output tokens.
    const { volumes, unattributed } = otherVolumes([route, { ...route, id: 'x', line: 9, model: null }], [], { config });
    expect(volumes).toEqual([{ site: 'src/api/chat.ts:5', model: 'gpt-5-mini', inputTokensPerMonth: 3_000_000, outputTokensPerMonth: 100_000 }]);
    expect(unattributed).toEqual(['src/api/chat.ts:9']);
    const est = estimateSavings({ callSite: route, context: route.contexts[0]!, recommended: 'flex', config, volumeOnly: true }) as PricedSavings;
    expect(est.assumptions.find((a) => /^runs per month/.test(a.what))).toMatchObject({ value: 10_000, source: 'default', what: expect.stringMatching(/interactive entrypoint/) });
    // Without volumeOnly an interactive entrypoint is still never priced.
    expect(estimateSavings({ callSite: route, context: route.contexts[0]!, recommended: 'flex', config }).unknown).toBe(true);
  });

  it('scales by measured ÷ (findings + other call sites), so findings get only their share', () => {
    // Finding: 1 000 runs × 1 000 / 100 tokens = 1M input, 100k output. Route: 3M input, 100k output (above).
    // Measured gpt-5-mini: 8M input, 400k output → factors 8M / 4M = 2 and 400k / 200k = 2 (not 8 and 4).
    // Finding after calibration: 2M input, 200k output. Standard: 2M × $0.25 + 0.2M × $2 = $0.50 + $0.40 = $0.90; flex $0.45.
    const measured = parseUsage(page([{ day: 0, results: [completions('gpt-5-mini', 8_000_000, 400_000)] }, { day: 29, results: [] }]));
    const items = [{ callSiteId: 'src/jobs/a.ts:1:1', savings: estimateSavings(finding) as Savings }];
    const { volumes } = otherVolumes([route], items, { config });
    const r = calibrate(items, measured, volumes);
    const s = r.items[0]!.savings as PricedSavings;
    expect(r.models).toEqual([expect.objectContaining({ model: 'gpt-5-mini', inputFactor: 2, outputFactor: 2, sites: 1, otherSites: 1 })]);
    expect(s.basis.inputTokensPerMonth).toBeCloseTo(2_000_000, 6);
    expect(s.standardUsdPerMonth).toBeCloseTo(0.9, 9);
    expect(s.usdPerMonth).toBeCloseTo(0.45, 9);
    expect(s.assumptions.find((a) => /scaled/.test(a.what))!.what).toMatch(/all gpt-5-mini call sites \(1 priced \+ 1 other\)/);
  });
});
