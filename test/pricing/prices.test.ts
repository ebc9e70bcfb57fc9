import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  batchAccepts,
  bundledPrices,
  flexEligibility,
  loadPriceTable,
  lookupModel,
  parsePriceTable,
  PriceTableError,
  priceTableJsonSchema,
} from '../../src/pricing/prices.js';
import bundledJson from '../../src/pricing/prices.json' with { type: 'json' };

const dir = mkdtempSync(join(tmpdir(), 'tierwise-prices-'));
function writeJson(name: string, data: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return file;
}
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

describe('bundled price table', () => {
  it('has one entry per model of the research table', () => {
    const expected = [
      'gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5.1', 'gpt-5.2',
      'gpt-5.6-sol', 'gpt-5.6-terra', 'gpt-5.6-luna', 'gpt-6-astra', 'gpt-6-sol', 'gpt-6-luna', 'gpt-4.1', 'gpt-4.1-mini',
      'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini', 'text-embedding-3-small', 'text-embedding-3-large', 'omni-moderation-latest',
    ];
    expect(bundledPrices.models.map((m) => m.model).sort()).toEqual([...expected].sort());
  });

  it('keeps a few spot-checked prices from the research (USD / 1M tokens)', () => {
    expect(lookupModel(bundledPrices, 'o4-mini')!.standard).toEqual({ input: 1.1, cachedInput: 0.275, output: 4.4 });
    expect(lookupModel(bundledPrices, 'gpt-5.5')!.priority).toEqual({ input: 12.5, cachedInput: 1.25, output: 75 });
    expect(lookupModel(bundledPrices, 'gpt-4o-mini')!.batch).toEqual({ input: 0.075, cachedInput: null, output: 0.3 });
    expect(lookupModel(bundledPrices, 'gpt-5.4-nano')!.priority).toBeNull();
  });

  it('prices batch at half of standard for every model that has both (Batch guide)', () => {
    for (const m of bundledPrices.models) {
      if (!m.batch) continue;
      expect(m.batch.input, m.model).toBeCloseTo(m.standard.input / 2, 10);
      expect(m.batch.output, m.model).toBeCloseTo(m.standard.output / 2, 10);
    }
  });

  it('prices flex at Batch rates (Flex guide) and priority above standard, wherever both are published', () => {
    for (const m of bundledPrices.models) {
      if (m.flex && m.batch) {
        expect(m.flex.input, m.model).toBe(m.batch.input);
        expect(m.flex.output, m.model).toBe(m.batch.output);
      }
      if (m.priority) {
        expect(m.priority.input, m.model).toBeGreaterThan(m.standard.input);
        expect(m.priority.output, m.model).toBeGreaterThan(m.standard.output);
      }
      // A flex price only exists for models that accept flex.
      if (m.flex) expect(m.flexEligible, m.model).toBe(true);
    }
  });

  it('marks every derived value in notes, and dates and sources every entry', () => {
    for (const m of bundledPrices.models) {
      expect(m.sources.length, m.model).toBeGreaterThan(0);
      expect(m.checked, m.model).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // The research marks these batch prices as "derived"; the table must say so.
    for (const id of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-4.1', 'gpt-4.1-mini', 'o4-mini']) {
      expect(lookupModel(bundledPrices, id)!.notes, id).toMatch(/Batch derived/);
    }
  });

  it('documents the moderation model as free ($0 is a real price)', () => {
    const mod = lookupModel(bundledPrices, 'omni-moderation-latest')!;
    expect(mod.free).toBe(true);
    expect(mod.standard).toEqual({ input: 0, cachedInput: null, output: 0 });
    expect(mod.batchEndpoints).toEqual(['/v1/moderations']);
    expect(mod.notes).toMatch(/free/i);
  });

  it('matches its published JSON Schema file', async () => {
    await expect(`${JSON.stringify(priceTableJsonSchema(), null, 2)}\n`).toMatchFileSnapshot('../../src/pricing/prices.schema.json');
    expect(bundledJson.$schema).toBe('./prices.schema.json');
  });
});

describe('lookupModel', () => {
  it('maps dated snapshots, gateway prefixes and -latest aliases to the family', () => {
    expect(lookupModel(bundledPrices, 'gpt-5-mini-2025-08-07')!.model).toBe('gpt-5-mini');
    expect(lookupModel(bundledPrices, 'gpt-4o-mini-2024-07-18')!.model).toBe('gpt-4o-mini');
    expect(lookupModel(bundledPrices, 'openai/gpt-5.6-terra')!.model).toBe('gpt-5.6-terra');
    expect(lookupModel(bundledPrices, 'omni-moderation-2024-09-26')!.model).toBe('omni-moderation-latest');
    expect(lookupModel(bundledPrices, 'omni-moderation')!.model).toBe('omni-moderation-latest');
    expect(lookupModel(bundledPrices, ' GPT-5 ')!.model).toBe('gpt-5');
  });
  it('does not guess: near names and other families are unknown', () => {
    expect(lookupModel(bundledPrices, 'gpt-5-chat-latest')).toBeNull();
    expect(lookupModel(bundledPrices, 'gpt-5-pro')).toBeNull();
    expect(lookupModel(bundledPrices, 'gpt-4o-mini-tts')).toBeNull();
    expect(lookupModel(bundledPrices, 'my-azure-deployment')).toBeNull();
  });
});

describe('flexEligibility / batchAccepts', () => {
  it('reads the evidence from the table', () => {
    expect(flexEligibility(bundledPrices, 'o3-2025-04-16')).toBe('eligible');
    expect(flexEligibility(bundledPrices, 'gpt-5-nano')).toBe('eligible');
    expect(flexEligibility(bundledPrices, 'gpt-4o')).toBe('not-eligible');
    expect(flexEligibility(bundledPrices, 'gpt-4.1-mini')).toBe('not-eligible');
    expect(flexEligibility(bundledPrices, 'text-embedding-3-small')).toBe('not-eligible');
    expect(flexEligibility(bundledPrices, 'gpt-5.1')).toBe('unknown');
    expect(flexEligibility(bundledPrices, 'not-a-model')).toBe('unknown');
  });
  it('knows which Batch endpoints take which model', () => {
    expect(batchAccepts(bundledPrices, 'gpt-5-mini', '/v1/chat/completions')).toBe(true);
    expect(batchAccepts(bundledPrices, 'gpt-5-mini', '/v1/responses')).toBe(true);
    expect(batchAccepts(bundledPrices, 'gpt-5-mini', '/v1/embeddings')).toBe(false);
    expect(batchAccepts(bundledPrices, 'text-embedding-3-large', '/v1/embeddings')).toBe(true);
    expect(batchAccepts(bundledPrices, 'omni-moderation-latest', '/v1/moderations')).toBe(true);
    expect(batchAccepts(bundledPrices, 'nope', '/v1/responses')).toBe('unknown');
  });
});

describe('loadPriceTable (--prices <file>)', () => {
  it('loads a valid user table and uses it for lookups', () => {
    const table = {
      checked: '2026-11-01',
      models: [
        {
          model: 'my-model',
          standard: { input: 1, cachedInput: null, output: 2 },
          batch: { input: 0.5, cachedInput: null, output: 1 },
          flex: null,
          priority: null,
          flexEligible: false,
          batchEndpoints: ['/v1/chat/completions'],
          sources: ['https://example.com/prices'],
          checked: '2026-11-01',
        },
      ],
    };
    const loaded = loadPriceTable(writeJson('ok.json', table));
    expect(lookupModel(loaded, 'my-model-2026-10-01')!.standard.output).toBe(2);
  });

  it('names the model and the field of a bad value', () => {
    const bad = clone(bundledJson) as { models: Array<Record<string, unknown>> };
    (bad.models[4]!.standard as Record<string, unknown>).input = '1.25';
    const file = writeJson('bad-field.json', bad);
    expect(() => loadPriceTable(file)).toThrow(PriceTableError);
    expect(() => loadPriceTable(file)).toThrow(/model `gpt-5` \(models\[4\]\), field `standard\.input`: .*number/);
    expect(() => loadPriceTable(file)).toThrow(file);
  });

  it('rejects unknown fields (strict), bad dates, bad endpoints and duplicate models', () => {
    const extra = clone(bundledJson) as { models: Array<Record<string, unknown>> };
    extra.models[0]!.flexPrice = 1;
    expect(() => parsePriceTable(extra)).toThrow(/model `gpt-5\.5` \(models\[0\]\).*flexPrice/);

    const date = clone(bundledJson) as { models: Array<Record<string, unknown>> };
    date.models[1]!.checked = '23/11/2026';
    expect(() => parsePriceTable(date)).toThrow(/model `gpt-5\.4` \(models\[1\]\), field `checked`: expected a date as YYYY-MM-DD/);

    const endpoint = clone(bundledJson) as { models: Array<Record<string, unknown>> };
    endpoint.models[2]!.batchEndpoints = ['/v1/chat'];
    expect(() => parsePriceTable(endpoint)).toThrow(/field `batchEndpoints\[0\]`/);

    const dup = clone(bundledJson) as { models: Array<Record<string, unknown>> };
    dup.models[3]!.model = 'gpt-5';
    expect(() => parsePriceTable(dup)).toThrow(/model id `gpt-5` is already used by models\[3\]/);

    const missing = clone(bundledJson) as Record<string, unknown>;
    delete missing.checked;
    expect(() => parsePriceTable(missing)).toThrow(/field `checked`/);
  });

  it('reports unreadable files and invalid JSON clearly', () => {
    expect(() => loadPriceTable(join(dir, 'missing.json'))).toThrow(/cannot read prices file .*missing\.json/);
    expect(() => loadPriceTable(writeJson('broken.json', '{ "checked": '))).toThrow(/is not valid JSON/);
  });
});
