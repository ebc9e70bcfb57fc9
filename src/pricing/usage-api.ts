/**
 * Measured usage from OpenAI's organization Usage API, and calibration of the static estimates against it.
 *
 * Shape (GET /v1/organization/usage/completions?group_by=model, and …/usage/embeddings?group_by=model), as in the
 * OpenAPI spec's `UsageResponse` / `UsageTimeBucket` / `UsageCompletionsResult` / `UsageEmbeddingsResult`:
 *   { object: 'page', data: [{ object: 'bucket', start_time, end_time, results: [
 *       { object: 'organization.usage.completions.result', input_tokens, output_tokens, input_cached_tokens,
 *         num_model_requests, model, project_id, batch, service_tier, … } ] }], has_more, next_page }
 * Embeddings results are `organization.usage.embeddings.result` with `input_tokens`, `num_model_requests`, `model`.
 * Times are Unix seconds; `end_time` is exclusive. Unknown extra fields are accepted (the API adds fields over time).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod/v4';
import { costs, estimateSavings, explain, siteKey, usd, type EstimateBasis, type PricedSavings } from './estimate.js';
import { MONTH_MS } from './cadence.js';
import { bundledPrices, lookupModel, type PriceTable } from './prices.js';
import type { CallSite, Savings } from '../core/types.js';
import type { TierwiseConfig } from '../core/config.js';

const count = z.number().int().nonnegative();

const CompletionsResultSchema = z.looseObject({
  object: z.literal('organization.usage.completions.result'),
  input_tokens: count,
  output_tokens: count,
  input_cached_tokens: count.nullish(),
  num_model_requests: count,
  model: z.string().nullish(),
});

const EmbeddingsResultSchema = z.looseObject({
  object: z.literal('organization.usage.embeddings.result'),
  input_tokens: count,
  num_model_requests: count,
  model: z.string().nullish(),
});

const ResultSchema = z.discriminatedUnion('object', [CompletionsResultSchema, EmbeddingsResultSchema]);

const BucketSchema = z.looseObject({
  object: z.literal('bucket'),
  start_time: count,
  end_time: count,
  results: z.array(z.unknown()),
});

const PageSchema = z.looseObject({
  object: z.literal('page'),
  data: z.array(BucketSchema),
  has_more: z.boolean().optional(),
  next_page: z.string().nullish(),
});

export interface MeasuredModel {
  /** Model id as the Usage API reports it (a snapshot such as `gpt-4o-mini-2024-07-18`). */
  model: string;
  /** The price table's id for it, or null when the table does not know the model. */
  tableModel: string | null;
  kind: 'completions' | 'embeddings';
  inputTokensPerMonth: number;
  cachedInputTokensPerMonth: number;
  outputTokensPerMonth: number;
  requestsPerMonth: number;
}

export interface MeasuredUsage {
  /** Days covered by the buckets (first start_time to last end_time, empty buckets included), per kind; null when absent. */
  days: { completions: number | null; embeddings: number | null };
  models: MeasuredModel[];
  /** Tokens from results without a `model` (the query was not grouped by model). */
  ungroupedResults: number;
}

export class UsageDataError extends Error {
  override name = 'UsageDataError';
}

function issuesText(error: z.ZodError, prefix: string): string {
  return error.issues.map((i) => `  - ${prefix}${i.path.length ? i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('') : ''}: ${i.message}`).join('\n');
}

function parsePages(data: unknown, label: string): Array<z.infer<typeof PageSchema>> {
  const pages = Array.isArray(data) ? data : [data];
  return pages.map((page, i) => {
    const r = PageSchema.safeParse(page);
    const where = Array.isArray(data) ? `${label}[${i}]` : label;
    if (!r.success) {
      throw new UsageDataError(`${where} is not a Usage API page ({ object: "page", data: [buckets] }):\n${issuesText(r.error, where)}`);
    }
    return r.data;
  });
}

/**
 * Parses Usage API JSON: one page, an array of pages (pagination), or `{ completions: page|pages, embeddings: page|pages }`,
 * and scales the totals per model to a 30-day month from the buckets' time span.
 */
export function parseUsage(data: unknown, table: PriceTable = bundledPrices): MeasuredUsage {
  const groups: Array<{ label: string; pages: Array<z.infer<typeof PageSchema>> }> = [];
  if (data && typeof data === 'object' && !Array.isArray(data) && !('object' in data) && ('completions' in data || 'embeddings' in data)) {
    const record = data as Record<string, unknown>;
    const extra = Object.keys(record).filter((k) => k !== 'completions' && k !== 'embeddings');
    if (extra.length) throw new UsageDataError(`usage data has unexpected keys ${extra.map((k) => `\`${k}\``).join(', ')} (expected \`completions\` and/or \`embeddings\`)`);
    for (const key of ['completions', 'embeddings'] as const) {
      if (record[key] !== undefined) groups.push({ label: key, pages: parsePages(record[key], key) });
    }
  } else {
    groups.push({ label: 'usage', pages: parsePages(data, 'usage') });
  }

  type Acc = { kind: MeasuredModel['kind']; input: number; cached: number; output: number; requests: number };
  const totals = new Map<string, Acc>();
  const days: MeasuredUsage['days'] = { completions: null, embeddings: null };
  let ungrouped = 0;

  for (const group of groups) {
    // The time span is that of every bucket returned, including buckets without results (days without usage).
    const buckets = group.pages.flatMap((page) => page.data);
    const start = Math.min(...buckets.map((b) => b.start_time));
    const end = Math.max(...buckets.map((b) => b.end_time));
    const spanDays = buckets.length > 0 && end > start ? (end - start) / 86_400 : null;
    const toMonth = spanDays === null ? 1 : MONTH_MS / (spanDays * 86_400_000);
    group.pages.forEach((page, p) => {
      page.data.forEach((bucket, b) => {
        bucket.results.forEach((raw, r) => {
          const parsed = ResultSchema.safeParse(raw);
          const where = `${group.label}${group.pages.length > 1 ? `[${p}]` : ''}.data[${b}].results[${r}]`;
          if (!parsed.success) throw new UsageDataError(`${where} is not a completions or embeddings usage result:\n${issuesText(parsed.error, where)}`);
          const result = parsed.data;
          const kind = result.object === 'organization.usage.completions.result' ? 'completions' : 'embeddings';
          days[kind] = spanDays;
          if (!result.model) {
            ungrouped += 1;
            return;
          }
          const key = `${kind}\u0000${result.model}`;
          const acc = totals.get(key) ?? { kind, input: 0, cached: 0, output: 0, requests: 0 };
          acc.input += result.input_tokens * toMonth;
          acc.requests += result.num_model_requests * toMonth;
          if (result.object === 'organization.usage.completions.result') {
            acc.output += result.output_tokens * toMonth;
            acc.cached += (result.input_cached_tokens ?? 0) * toMonth;
          }
          totals.set(key, acc);
        });
      });
    });
    if (group.label === 'completions' || group.label === 'embeddings') days[group.label] = spanDays;
  }

  const models: MeasuredModel[] = [...totals.entries()].map(([key, acc]) => {
    const model = key.split('\u0000')[1]!;
    return {
      model,
      tableModel: lookupModel(table, model)?.model ?? null,
      kind: acc.kind,
      inputTokensPerMonth: acc.input,
      cachedInputTokensPerMonth: acc.cached,
      outputTokensPerMonth: acc.output,
      requestsPerMonth: acc.requests,
    };
  });
  models.sort((a, b) => a.model.localeCompare(b.model) || a.kind.localeCompare(b.kind));
  return { days, models, ungroupedResults: ungrouped };
}

/** Reads a Usage API JSON file (`--usage <file>`). */
export function loadUsageFile(file: string, table: PriceTable = bundledPrices): MeasuredUsage {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageDataError(`cannot read usage file ${file}: ${(error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageDataError(`usage file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  try {
    return parseUsage(data, table);
  } catch (error) {
    if (error instanceof UsageDataError) throw new UsageDataError(`usage file ${file}: ${error.message}`);
    throw error;
  }
}

export interface ModelCalibration {
  model: string;
  estimatedInputTokensPerMonth: number;
  measuredInputTokensPerMonth: number;
  estimatedOutputTokensPerMonth: number;
  measuredOutputTokensPerMonth: number;
  inputFactor: number;
  outputFactor: number;
  /** Calibrated (priced) items on the model. */
  sites: number;
  /** Further call sites (or interactive entrypoints of calibrated ones) whose estimated volume shares the measured total. */
  otherSites: number;
}

/** The estimated monthly tokens of a call site (or part of one) that is not a priced item, for calibration. */
export interface SiteVolume {
  /** `file:line`. */
  site: string;
  /** The price table's model id. */
  model: string;
  inputTokensPerMonth: number;
  outputTokensPerMonth: number;
}

/**
 * The estimated volume of everything the priced items do not cover: call sites without a priced finding (interactive,
 * already on flex, unknown savings) and the interactive entrypoints of mixed ones. Estimated like a finding, per
 * entrypoint; interactive entrypoints (no cadence) and unreached calls use `DEFAULTS.runsPerMonth.interactive`.
 * Calls with a dynamic model or one the price table lacks cannot be attributed and are listed in `unattributed`.
 */
export function otherVolumes(
  callSites: readonly CallSite[],
  items: ReadonlyArray<{ callSiteId?: string; savings?: Savings }>,
  options: { config?: TierwiseConfig; prices?: PriceTable } = {},
): { volumes: SiteVolume[]; unattributed: string[] } {
  const priced = new Set(items.filter((i) => isPriced(i.savings) && i.callSiteId).map((i) => i.callSiteId!));
  const volumes: SiteVolume[] = [];
  const unattributed: string[] = [];
  for (const site of callSites) {
    const contexts = priced.has(site.id) ? site.contexts.filter((c) => c.kind === 'interactive') : site.contexts;
    if (priced.has(site.id) && contexts.length === 0) continue;
    const est = estimateSavings({
      callSite: site,
      context: null,
      ...(contexts.length ? { contexts } : {}),
      recommended: 'flex',
      config: options.config,
      prices: options.prices,
      volumeOnly: true,
    });
    if (!isPriced(est)) {
      unattributed.push(siteKey(site));
      continue;
    }
    volumes.push({ site: siteKey(site), model: est.basis.model, inputTokensPerMonth: est.basis.inputTokensPerMonth, outputTokensPerMonth: est.basis.outputTokensPerMonth });
  }
  return { volumes, unattributed };
}

export interface CalibrationResult<T> {
  items: T[];
  models: ModelCalibration[];
  /** Measured models no estimate uses (interactive-only traffic, or code the audit did not see). */
  measuredOnly: string[];
  /** Table models with estimates but no measured usage (left uncalibrated). */
  unmeasured: string[];
}

function isPriced(s: Savings | undefined): s is PricedSavings {
  return !!s && s.unknown !== true && 'basis' in s && typeof (s as PricedSavings).basis === 'object';
}

/**
 * Scales each model's call-site estimates so that, per model, their input and output tokens sum to the measured
 * monthly tokens of that model; dollars are recomputed from the scaled tokens. Calibrated estimates get
 * `calibrated: true` and assumptions with source `usage`. Items whose savings are unknown, or whose model has no
 * measured usage, are returned unchanged.
 *
 * The measured total covers every call on the model, interactive ones and those already on flex too: pass their
 * estimated volumes as `others` (see `otherVolumes`) so the factor is measured ÷ (items + others), and only the
 * items' share of the total is attributed to them.
 */
export function calibrate<T extends { savings?: Savings }>(items: readonly T[], measured: MeasuredUsage, others: readonly SiteVolume[] = []): CalibrationResult<T> {
  const measuredBy = new Map<string, { input: number; output: number; cached: number; names: string[] }>();
  for (const m of measured.models) {
    const key = m.tableModel ?? m.model;
    const acc = measuredBy.get(key) ?? { input: 0, output: 0, cached: 0, names: [] };
    acc.input += m.inputTokensPerMonth;
    acc.output += m.outputTokensPerMonth;
    acc.cached += m.cachedInputTokensPerMonth;
    acc.names.push(m.model);
    measuredBy.set(key, acc);
  }
  const estimatedBy = new Map<string, { input: number; output: number; sites: number; others: Set<string> }>();
  for (const item of items) {
    if (!isPriced(item.savings)) continue;
    const b = item.savings.basis;
    const acc = estimatedBy.get(b.model) ?? { input: 0, output: 0, sites: 0, others: new Set<string>() };
    acc.input += b.inputTokensPerMonth;
    acc.output += b.outputTokensPerMonth;
    acc.sites += 1;
    estimatedBy.set(b.model, acc);
  }
  // Other call sites of the same models share the measured total; they only matter for models with priced items.
  for (const o of others) {
    const acc = estimatedBy.get(o.model);
    if (!acc) continue;
    acc.input += o.inputTokensPerMonth;
    acc.output += o.outputTokensPerMonth;
    acc.others.add(o.site);
  }

  const models: ModelCalibration[] = [];
  const factors = new Map<string, { input: number; output: number; cachedShare: number | null }>();
  for (const [model, est] of estimatedBy) {
    const m = measuredBy.get(model);
    if (!m) continue;
    // A side with no estimated tokens cannot be scaled (e.g. embeddings output): keep it as is.
    const input = est.input > 0 ? m.input / est.input : 1;
    const output = est.output > 0 ? m.output / est.output : 1;
    factors.set(model, { input, output, cachedShare: m.input > 0 ? m.cached / m.input : null });
    models.push({
      model,
      estimatedInputTokensPerMonth: est.input,
      measuredInputTokensPerMonth: m.input,
      estimatedOutputTokensPerMonth: est.output,
      measuredOutputTokensPerMonth: m.output,
      inputFactor: input,
      outputFactor: output,
      sites: est.sites,
      otherSites: est.others.size,
    });
  }

  const calibrated = items.map((item) => {
    if (!isPriced(item.savings)) return item;
    const s = item.savings;
    const f = factors.get(s.basis.model);
    if (!f) return item;
    const est = estimatedBy.get(s.basis.model)!;
    const scope = est.others.size > 0 ? `the estimates of all ${s.basis.model} call sites (${est.sites} priced + ${est.others.size} other)` : `${s.basis.model} estimates`;
    const basis: EstimateBasis = {
      ...s.basis,
      inputTokensPerMonth: s.basis.inputTokensPerMonth * f.input,
      outputTokensPerMonth: s.basis.outputTokensPerMonth * f.output,
      cachedInputShare: f.cachedShare ?? s.basis.cachedInputShare,
    };
    const { standard: current, recommended: next } = costs(basis);
    const savings: PricedSavings = {
      ...s,
      usdPerMonth: usd(current - next),
      standardUsdPerMonth: usd(current),
      recommendedUsdPerMonth: usd(next),
      calibrated: true,
      confidence: s.confidence === 'low' ? 'medium' : s.confidence,
      assumptions: [
        ...s.assumptions,
        { what: `input tokens scaled × ${f.input.toPrecision(4)} so ${scope} sum to the Usage API total`, value: basis.inputTokensPerMonth, source: 'usage' },
        { what: `output tokens scaled × ${f.output.toPrecision(4)} so ${scope} sum to the Usage API total`, value: basis.outputTokensPerMonth, source: 'usage' },
        ...(f.cachedShare !== null ? [{ what: `share of ${s.basis.model} input tokens served from the prompt cache (Usage API)`, value: f.cachedShare, source: 'usage' as const }] : []),
      ],
      arithmetic: [...(s.arithmetic ?? []), 'calibrated to measured usage:', ...explain(basis)],
      basis,
    };
    return { ...item, savings };
  });

  return {
    items: calibrated,
    models: models.sort((a, b) => a.model.localeCompare(b.model)),
    measuredOnly: [...measuredBy.keys()].filter((k) => !estimatedBy.has(k)).sort(),
    unmeasured: [...estimatedBy.keys()].filter((k) => !measuredBy.has(k)).sort(),
  };
}
