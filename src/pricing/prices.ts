/**
 * STUB (owned by the pricing work): the API the core relies on. The full table, schema validation and
 * `--prices` loading replace this file's body; keep the exported names and shapes.
 */
export interface TierPrices {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M cached input tokens, null when not published. */
  cachedInput: number | null;
  /** USD per 1M output tokens. */
  output: number;
}

export interface ModelEntry {
  model: string;
  standard: TierPrices;
  batch: TierPrices | null;
  flex: TierPrices | null;
  priority: TierPrices | null;
  flexEligible: boolean;
  /** Batch API endpoints that accept this model, e.g. `/v1/chat/completions`. */
  batchEndpoints: string[];
  sources: string[];
  checked: string;
  notes?: string;
}

export interface PriceTable {
  checked: string;
  models: ModelEntry[];
}

const CHAT_BATCH = ['/v1/chat/completions', '/v1/responses'];

export const bundledPrices: PriceTable = {
  checked: '2026-11-23',
  models: [
    {
      model: 'gpt-5-mini',
      standard: { input: 0.25, cachedInput: 0.025, output: 2 },
      batch: { input: 0.125, cachedInput: null, output: 1 },
      flex: { input: 0.125, cachedInput: 0.0125, output: 1 },
      priority: { input: 0.45, cachedInput: 0.045, output: 3.6 },
      flexEligible: true,
      batchEndpoints: CHAT_BATCH,
      sources: ['https://developers.openai.com/api/docs/pricing'],
      checked: '2025-11-13',
    },
    {
      model: 'gpt-4o-mini',
      standard: { input: 0.15, cachedInput: 0.075, output: 0.6 },
      batch: { input: 0.075, cachedInput: null, output: 0.3 },
      flex: null,
      priority: null,
      flexEligible: false,
      batchEndpoints: CHAT_BATCH,
      sources: ['https://developers.openai.com/api/docs/pricing'],
      checked: '2025-07-04',
    },
  ],
};

/** Finds a model's entry; dated snapshot names map to their family (`gpt-5-mini-2025-08-07` → `gpt-5-mini`). */
export function lookupModel(table: PriceTable, model: string): ModelEntry | null {
  const exact = table.models.find((m) => m.model === model);
  if (exact) return exact;
  const family = model.replace(/-\d{4}-\d{2}-\d{2}$/, '');
  return table.models.find((m) => m.model === family) ?? null;
}
