/**
 * The price table: schema, the bundled table (`prices.json`, data with sources and dates), `--prices <file>` loading,
 * and model lookup. Prices are USD per 1M tokens; null means "not published by any source we found".
 *
 * The bundled JSON is imported with an import attribute so `tsc` copies it next to the compiled module
 * (`dist/src/pricing/prices.json`) and vitest reads it from source; it is validated with the same strict schema
 * users' own tables go through.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod/v4';
import bundledJson from './prices.json' with { type: 'json' };

const usd = z.number().nonnegative().describe('USD per 1M tokens.');

export const TierPricesSchema = z.strictObject({
  input: usd.describe('USD per 1M input tokens.'),
  cachedInput: usd.nullable().describe('USD per 1M cached input tokens; null when not published.'),
  output: usd.describe('USD per 1M output tokens (0 for models that produce no output tokens, e.g. embeddings).'),
});

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const BATCH_ENDPOINTS = [
  '/v1/responses',
  '/v1/chat/completions',
  '/v1/embeddings',
  '/v1/completions',
  '/v1/moderations',
  '/v1/images/generations',
  '/v1/images/edits',
  '/v1/videos',
] as const;
export type BatchEndpoint = (typeof BATCH_ENDPOINTS)[number];

export const FlexStatusSchema = z.enum(['eligible', 'not-eligible', 'unknown']);
export type FlexStatus = z.infer<typeof FlexStatusSchema>;

export const ModelEntrySchema = z.strictObject({
  model: z.string().min(1).describe('Model family id as used in requests, e.g. `gpt-5-mini`. Dated snapshots map to it.'),
  aliases: z.array(z.string().min(1)).optional().describe('Other ids that mean this model (snapshots that do not follow the `-YYYY-MM-DD` pattern).'),
  free: z.boolean().optional().describe('True when the model is free to use (prices of 0 are real, not missing).'),
  standard: TierPricesSchema.describe('Standard (default) tier prices.'),
  batch: TierPricesSchema.nullable().describe('Batch API prices; null when not published.'),
  flex: TierPricesSchema.nullable().describe('Flex processing prices; null when not published or not eligible.'),
  priority: TierPricesSchema.nullable().describe('Priority / Fast mode prices; null when not published.'),
  flexEligible: z.boolean().describe('Whether `service_tier: "flex"` is accepted for this model.'),
  flexStatus: FlexStatusSchema.optional().describe(
    'Evidence for flex: `eligible`, `not-eligible`, or `unknown` (no source either way). Defaults from `flexEligible`.',
  ),
  batchEndpoints: z.array(z.enum(BATCH_ENDPOINTS)).describe('Batch API endpoints that accept this model.'),
  sources: z.array(z.url()).min(1).describe('Where the prices and facts come from.'),
  checked: isoDate.describe('When the prices were last checked against the sources.'),
  notes: z.string().optional().describe('Derived values, conflicts between sources, caveats.'),
});

export const PriceTableSchema = z
  .strictObject({
    $schema: z.string().optional(),
    checked: isoDate.describe('When the table was compiled.'),
    notes: z.string().optional(),
    models: z.array(ModelEntrySchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Map<string, number>();
    table.models.forEach((m, i) => {
      for (const id of [m.model, ...(m.aliases ?? [])]) {
        const first = seen.get(id);
        if (first !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['models', i, 'model'],
            message: `model id \`${id}\` is already used by models[${first}]`,
          });
        } else seen.set(id, i);
      }
      if (m.flexEligible && m.flexStatus !== undefined && m.flexStatus !== 'eligible') {
        ctx.addIssue({
          code: 'custom',
          path: ['models', i, 'flexStatus'],
          message: `flexStatus \`${m.flexStatus}\` contradicts flexEligible: true`,
        });
      }
    });
  });

export type TierPrices = z.infer<typeof TierPricesSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;
export type PriceTable = z.infer<typeof PriceTableSchema>;

/** JSON Schema of the price table, for users' own `--prices` files (generated from the zod schema). */
export function priceTableJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(PriceTableSchema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>;
}

export class PriceTableError extends Error {
  override name = 'PriceTableError';
  constructor(
    message: string,
    readonly issues: string[] = [],
  ) {
    super(message);
  }
}

/** Validates parsed JSON as a price table; throws a PriceTableError naming each bad field and its model. */
export function parsePriceTable(data: unknown, origin = 'price table'): PriceTable {
  const result = PriceTableSchema.safeParse(data);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => describeIssue(data, issue));
  throw new PriceTableError(`${origin} is not a valid price table:\n${issues.map((i) => `  - ${i}`).join('\n')}`, issues);
}

function describeIssue(data: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  let where = path.length ? formatPath(path) : '(top level)';
  if (path[0] === 'models' && typeof path[1] === 'number') {
    const models = (data as { models?: unknown[] } | null)?.models;
    const entry = Array.isArray(models) ? models[path[1]] : undefined;
    const name =
      entry && typeof entry === 'object' && typeof (entry as { model?: unknown }).model === 'string'
        ? (entry as { model: string }).model
        : null;
    const rest = path.slice(2);
    where = `model ${name ? `\`${name}\`` : '(unnamed)'} (models[${path[1]}])${rest.length ? `, field \`${formatPath(rest)}\`` : ''}`;
  } else if (path.length) {
    where = `field \`${where}\``;
  }
  return `${where}: ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out;
}

/** Reads and validates a user's price table (`--prices <file>` / config `prices`). */
export function loadPriceTable(file: string): PriceTable {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new PriceTableError(`cannot read prices file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PriceTableError(`prices file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parsePriceTable(data, `prices file ${file}`);
}

/** The table shipped with tierwise (src/pricing/prices.json), validated at load. */
export const bundledPrices: PriceTable = parsePriceTable(bundledJson, 'bundled prices.json');

const DATED_SNAPSHOT = /-\d{4}-\d{2}-\d{2}$/;

/**
 * Finds a model's entry. Accepts: the exact id; an alias; a dated snapshot (`gpt-5-mini-2025-08-07` → `gpt-5-mini`);
 * a provider-prefixed gateway id (`openai/gpt-5`); `<family>-latest` → `<family>` and `<family>` → `<family>-latest`.
 * Returns null for anything else (never guesses a price for an unknown model).
 */
export function lookupModel(table: PriceTable, model: string): ModelEntry | null {
  const wanted = model.trim().toLowerCase().replace(/^openai\//, '');
  const byId = (id: string) => table.models.find((m) => m.model === id || (m.aliases ?? []).includes(id)) ?? null;
  const candidates = [wanted];
  const undated = wanted.replace(DATED_SNAPSHOT, '');
  if (undated !== wanted) candidates.push(undated);
  for (const c of [...candidates]) {
    if (c.endsWith('-latest')) candidates.push(c.slice(0, -'-latest'.length));
    else candidates.push(`${c}-latest`);
  }
  for (const c of candidates) {
    const hit = byId(c);
    if (hit) return hit;
  }
  return null;
}

/** Whether `service_tier: "flex"` works for a model: from the table's evidence; `unknown` for models not in it. */
export function flexEligibility(table: PriceTable, model: string): FlexStatus {
  const entry = lookupModel(table, model);
  if (!entry) return 'unknown';
  return entry.flexStatus ?? (entry.flexEligible ? 'eligible' : 'not-eligible');
}

/**
 * Whether the Batch API accepts this model on this endpoint path (`/v1/chat/completions` …).
 * `unknown` when the model is not in the table.
 */
export function batchAccepts(table: PriceTable, model: string, endpointPath: string): boolean | 'unknown' {
  const entry = lookupModel(table, model);
  if (!entry) return 'unknown';
  return (entry.batchEndpoints as string[]).includes(endpointPath);
}

/** The Batch `endpoint` / `url` path for each API family. */
export const FAMILY_BATCH_PATH = {
  chat: '/v1/chat/completions',
  responses: '/v1/responses',
  embeddings: '/v1/embeddings',
  completions: '/v1/completions',
  moderations: '/v1/moderations',
} as const satisfies Record<string, BatchEndpoint>;
