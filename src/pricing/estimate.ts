/**
 * The savings estimate for one call site reached from one entrypoint:
 *   runs/month × calls/run × tokens/call × price per token, at the current tier and at the recommended one.
 * Every number is recorded as an Assumption with its source; `arithmetic` shows the multiplication for `--explain`.
 * Pure: no I/O. An unknown model or price is `{ unknown: true, why }`, never $0.
 */
import type { TierwiseConfig, UsageEntry } from '../core/config.js';
import type { Assumption, CallSite, Context, Savings, ServiceTier } from '../core/types.js';
import { loopsOf } from '../core/calls.js';
import { runsPerMonth } from './cadence.js';
import {
  batchAccepts,
  bundledPrices,
  FAMILY_BATCH_PATH,
  flexEligibility,
  lookupModel,
  type PriceTable,
  type TierPrices,
} from './prices.js';
import { CHAT_OVERHEAD, countInputTokens } from './tokens.js';

/**
 * Every default the estimate falls back on when neither the code, a cron schedule, nor the config says.
 * Numbers that come from here make the estimate's confidence `medium` or `low`.
 */
export const DEFAULTS = {
  /** Runs per month for entrypoints without a readable schedule, by context kind. */
  runsPerMonth: {
    /** A cron job whose expression could not be read: assume daily. */
    cron: 30,
    /** An interval whose period could not be read: assume daily. */
    interval: 30,
    /** Jobs a queue worker processes per month. */
    queue: 10_000,
    /** Eval runs per month. */
    eval: 30,
    /** Script runs per month (one a day). */
    script: 30,
    /**
     * Requests per month of an interactive entrypoint (a route, a handler) or of a call no entrypoint reaches. Never
     * priced as savings: only used to share a model's `--usage` total among all its call sites.
     */
    interactive: 10_000,
  },
  /** Calls per run when the call sits in a loop over a collection of unknown size. */
  callsPerRun: 100,
  /** Tokens assumed per interpolated value in a prompt (`${doc}`, a variable message). */
  tokensPerInterpolation: 200,
  /** Input tokens assumed when no part of the prompt is visible (`messages: history`). */
  unknownPromptTokens: 1_000,
  /** Output tokens assumed when no max_tokens / max_output_tokens is set. */
  outputTokens: 500,
  /** Share of input tokens assumed to be served from the prompt cache. */
  cachedInputShare: 0,
  /** Chat-format overhead per message and per request (OpenAI cookbook). */
  chatOverhead: { perMessage: CHAT_OVERHEAD.perMessage, perRequest: CHAT_OVERHEAD.perRequest },
} as const;

export type RecommendedTier = 'flex' | 'batch';

export type EstimateContext = Pick<Context, 'kind' | 'cadence'> & { entry?: Pick<Context['entry'], 'file' | 'name'> };

export interface EstimateInput {
  callSite: Pick<CallSite, 'file' | 'line' | 'model' | 'family' | 'prompt' | 'perItem' | 'serviceTier'> &
    Partial<Pick<CallSite, 'endpoint' | 'column'>>;
  /** The entrypoint the estimate is for (its kind and cadence); null when none is known. */
  context: EstimateContext | null;
  /**
   * Every background entrypoint that reaches the call site. When there are several, the site is priced once per
   * entrypoint (each with its own cadence and `usage[].entry` override) and the volumes and dollars add up;
   * `context` is then ignored.
   */
  contexts?: readonly EstimateContext[];
  recommended: RecommendedTier;
  /** The tier the call runs on today; defaults to `callSite.serviceTier`. */
  currentTier?: ServiceTier;
  config?: TierwiseConfig;
  /** Defaults to the bundled table. */
  prices?: PriceTable;
  /**
   * Estimate the call's monthly volume only (for `--usage` calibration): interactive entrypoints and calls no
   * entrypoint reaches get the interactive default, and the recommended tier is not checked (priced at standard).
   */
  volumeOnly?: boolean;
}

/** What the dollars were computed from; lets `calibrate` rescale tokens and recompute dollars. */
export interface EstimateBasis {
  /** The price table's model id (the family of a dated snapshot). */
  model: string;
  tier: RecommendedTier;
  currentTier: 'standard' | 'priority' | 'flex';
  callsPerMonth: number;
  inputTokensPerMonth: number;
  outputTokensPerMonth: number;
  cachedInputShare: number;
  currentPrices: TierPrices;
  recommendedPrices: TierPrices;
}

export type KnownSavings = Extract<Savings, { usdPerMonth: number }>;
export type PricedSavings = KnownSavings & { basis: EstimateBasis };
export type UnknownSavings = Extract<Savings, { unknown: true }>;
export type EstimateResult = PricedSavings | UnknownSavings;

type Source = Assumption['source'];
interface Sourced {
  value: number;
  source: Source;
  detail: string;
}

/** `file:line` as the report prints a call site. */
export function siteKey(site: { file: string; line: number }): string {
  return `${normalisePath(site.file)}:${site.line}`;
}

/** `file:functionName` of an entrypoint. */
export function entryKey(entry: { file: string; name: string }): string {
  return `${normalisePath(entry.file)}:${entry.name}`;
}

function normalisePath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^\.\//, '');
}

function usageKeyMatches(key: string, target: string): boolean {
  return normalisePath(key.trim()) === target;
}

/** The config usage entries that apply to this site: the `entry` one first, then the `site` one (which wins). */
function usageFor(config: TierwiseConfig | undefined, input: EstimateInput): { entry?: UsageEntry; site?: UsageEntry } {
  const usage = config?.usage ?? [];
  const site = siteKey(input.callSite);
  const entry = input.context?.entry ? entryKey(input.context.entry) : null;
  return {
    site: usage.find((u) => u.site !== undefined && usageKeyMatches(u.site, site)),
    entry: entry ? usage.find((u) => u.entry !== undefined && usageKeyMatches(u.entry, entry)) : undefined,
  };
}

function fromUsage(
  usage: { entry?: UsageEntry; site?: UsageEntry },
  field: 'runsPerMonth' | 'callsPerRun' | 'inputTokens' | 'outputTokens' | 'cachedInputShare',
): Sourced | null {
  const site = usage.site?.[field];
  if (site !== undefined) return { value: site, source: 'config', detail: `config usage site \`${usage.site!.site}\`` };
  const entry = usage.entry?.[field];
  if (entry !== undefined) return { value: entry, source: 'config', detail: `config usage entry \`${usage.entry!.entry}\`` };
  return null;
}

function unknown(why: string): UnknownSavings {
  return { unknown: true, why };
}

/** Monthly cost at a tier's prices, in USD. Cached input falls back to the uncached price when not published. */
export function monthlyCost(basis: Pick<EstimateBasis, 'inputTokensPerMonth' | 'outputTokensPerMonth' | 'cachedInputShare'>, prices: TierPrices): number {
  const cached = basis.inputTokensPerMonth * basis.cachedInputShare;
  const uncached = basis.inputTokensPerMonth - cached;
  return (uncached * prices.input + cached * (prices.cachedInput ?? prices.input) + basis.outputTokensPerMonth * prices.output) / 1e6;
}

/** Round to 12 significant digits to keep float noise (0.30000000000000004) out of reports. */
export function usd(n: number): number {
  return n === 0 ? 0 : Number(n.toPrecision(12));
}

/**
 * A monthly amount as reports show it, rounded once: to the cent, or to its first significant digit below half a
 * cent (as `formatUsd` prints it). Standard and recommended costs are rounded with it and the saving is their
 * difference, so the table, the message and the arithmetic all show the same figure.
 */
export function roundUsd(n: number): number {
  if (n === 0) return 0;
  const abs = Math.abs(n);
  return abs < 0.005 ? Number(n.toPrecision(1)) : usd(Math.round(n * 100) / 100);
}

/** The rounded standard and recommended monthly costs of a basis, and the saving between them. */
export function costs(basis: Pick<EstimateBasis, 'inputTokensPerMonth' | 'outputTokensPerMonth' | 'cachedInputShare' | 'currentPrices' | 'recommendedPrices'>): {
  standard: number;
  recommended: number;
  saving: number;
} {
  const standard = roundUsd(monthlyCost(basis, basis.currentPrices));
  const recommended = roundUsd(monthlyCost(basis, basis.recommendedPrices));
  return { standard, recommended, saving: usd(standard - recommended) };
}

/**
 * The savings estimate of a call site: for one entrypoint (`context`), or summed over several (`contexts`).
 * Several entrypoints: each is estimated on its own; runs, calls and tokens per month add up, and so do the dollars
 * (the cached share is the input-weighted mean). Assumptions shared by every entrypoint (the current tier, the price
 * date) are listed once; the others are prefixed with their entrypoint (`file:function: runs per month (…)`).
 * Confidence is the lowest of the entrypoints'. An entrypoint whose estimate is unknown makes the sum unknown.
 */
export function estimateSavings(input: EstimateInput): EstimateResult {
  const contexts = input.contexts;
  if (!contexts || contexts.length === 0) return estimateOne(input);
  if (contexts.length === 1) return estimateOne({ ...input, context: contexts[0]! });
  const parts = contexts.map((context) => ({ context, est: estimateOne({ ...input, context }) }));
  const failed = parts.find((p) => p.est.unknown === true);
  if (failed) return failed.est;
  const priced = parts as Array<{ context: EstimateContext; est: PricedSavings }>;
  const first = priced[0]!.est;
  const labels = labelContexts(contexts);

  const sum = (f: (b: EstimateBasis) => number) => priced.reduce((n, p) => n + f(p.est.basis), 0);
  const inputTokensPerMonth = sum((b) => b.inputTokensPerMonth);
  const basis: EstimateBasis = {
    ...first.basis,
    callsPerMonth: sum((b) => b.callsPerMonth),
    inputTokensPerMonth,
    outputTokensPerMonth: sum((b) => b.outputTokensPerMonth),
    cachedInputShare: inputTokensPerMonth > 0 ? sum((b) => b.inputTokensPerMonth * b.cachedInputShare) / inputTokensPerMonth : first.basis.cachedInputShare,
  };
  const same = (a: Assumption, b: Assumption) => a.what === b.what && a.value === b.value && a.source === b.source;
  const shared = first.assumptions.filter((a) => priced.every((p) => p.est.assumptions.some((b) => same(a, b))));
  const assumptions: Assumption[] = [
    ...shared,
    ...priced.flatMap((p, i) => p.est.assumptions.filter((a) => !shared.some((b) => same(a, b))).map((a) => ({ ...a, what: `${labels[i]}: ${a.what}` }))),
  ];
  const rank = { low: 0, medium: 1, high: 2 } as const;
  const confidence = priced.map((p) => p.est.confidence).reduce((a, b) => (rank[b] < rank[a] ? b : a));
  const current = priced.reduce((n, p) => n + p.est.standardUsdPerMonth, 0);
  const next = priced.reduce((n, p) => n + p.est.recommendedUsdPerMonth, 0);
  return {
    usdPerMonth: usd(current - next),
    standardUsdPerMonth: usd(current),
    recommendedUsdPerMonth: usd(next),
    tier: first.tier,
    assumptions,
    confidence,
    arithmetic: [
      ...priced.flatMap((p, i) => [`${labels[i]}:`, ...(p.est.arithmetic ?? []).map((l) => `  ${l}`)]),
      `savings = ${priced.map((p) => money(p.est.usdPerMonth)).join(' + ')} = ${money(current - next)}/month over ${priced.length} entrypoints`,
    ],
    basis,
  };
}

/** `file:function` of each context (with the cadence kind when two contexts share an entry). */
function labelContexts(contexts: readonly EstimateContext[]): string[] {
  const keys = contexts.map((c, i) => (c.entry ? entryKey(c.entry) : `entrypoint ${i + 1}`));
  return keys.map((k, i) => (keys.indexOf(k) !== keys.lastIndexOf(k) ? `${k} (${contexts[i]!.kind}, ${i + 1})` : k));
}

function estimateOne(input: EstimateInput): EstimateResult {
  const table = input.prices ?? bundledPrices;
  const { callSite, recommended, config } = input;

  if (callSite.model === null) return unknown('the model is not statically known (dynamic `model` value)');
  const entry = lookupModel(table, callSite.model);
  if (!entry) {
    return unknown(`model \`${callSite.model}\` is not in the price table (checked ${table.checked}); add it with \`--prices <file>\``);
  }
  const context: EstimateContext | null = input.context ?? (input.volumeOnly ? { kind: 'interactive', cadence: { type: 'unknown' } } : null);
  if (!context) return unknown('no entrypoint reaches this call, so there is no run rate to multiply');
  if (context.kind === 'interactive' && !input.volumeOnly) return unknown('interactive entrypoints are not priced (they should stay on the standard tier)');

  // --- Recommended tier price ------------------------------------------------------------------------------------
  let recommendedPrices: TierPrices | null;
  if (input.volumeOnly) {
    recommendedPrices = entry.standard;
  } else if (recommended === 'flex') {
    const status = flexEligibility(table, entry.model);
    if (status !== 'eligible') {
      return unknown(
        status === 'unknown'
          ? `no source says whether \`${entry.model}\` accepts flex processing`
          : `\`${entry.model}\` does not accept flex processing`,
      );
    }
    recommendedPrices = entry.flex;
  } else {
    const path = FAMILY_BATCH_PATH[callSite.family];
    if (batchAccepts(table, entry.model, path) !== true) {
      return unknown(`the price table does not list \`${path}\` as a Batch endpoint for \`${entry.model}\``);
    }
    recommendedPrices = entry.batch;
  }
  if (!recommendedPrices) return unknown(`no ${recommended} price is published for \`${entry.model}\``);

  const assumptions: Assumption[] = [];
  const note = (what: string, value: number | string, source: Source) => assumptions.push({ what, value, source });

  // --- Current tier price ------------------------------------------------------------------------------------------
  const tier = input.currentTier ?? callSite.serviceTier;
  let currentTier: EstimateBasis['currentTier'] = 'standard';
  let currentPrices: TierPrices = entry.standard;
  if (tier === 'priority' || tier === 'fast') {
    if (entry.priority) {
      currentTier = 'priority';
      currentPrices = entry.priority;
      note(`current tier: \`service_tier: "${tier}"\` billed at priority / Fast prices`, 'priority', 'code');
    } else {
      note(`current tier: \`service_tier: "${tier}"\`, but no priority price is published for ${entry.model}; standard prices used (savings understated)`, 'standard', 'default');
    }
  } else if (tier === 'flex') {
    if (entry.flex) {
      currentTier = 'flex';
      currentPrices = entry.flex;
    }
    note('current tier: already `service_tier: "flex"`', currentTier, 'code');
  } else if (tier === 'absent' || tier === 'auto') {
    note(
      `current tier: ${tier === 'absent' ? 'no `service_tier`' : '`service_tier: "auto"`'} → the project default, assumed Standard (a project set to Fast would cost more)`,
      'standard',
      'default',
    );
  } else if (tier === 'default') {
    note('current tier: `service_tier: "default"` (Standard)', 'standard', 'code');
  } else {
    note(`current tier: \`service_tier\` is ${tier === 'dynamic' ? 'not statically known' : `\`"${tier}"\``}; Standard prices assumed`, 'standard', 'default');
  }

  const usage = usageFor(config, input);

  // --- Runs per month ----------------------------------------------------------------------------------------------
  let runs: Sourced | null = fromUsage(usage, 'runsPerMonth');
  if (!runs && (context.kind === 'cron' || context.kind === 'interval' || context.cadence.type !== 'unknown')) {
    const counted = runsPerMonth(context.cadence);
    if (counted) runs = { value: counted.runs, source: counted.source, detail: counted.detail };
  }
  if (!runs) {
    const kind = context.kind;
    const configured = kind === 'queue' || kind === 'eval' || kind === 'script' ? config?.defaults?.runsPerMonth?.[kind] : undefined;
    runs =
      configured !== undefined
        ? { value: configured, source: 'config', detail: `config defaults.runsPerMonth.${kind}` }
        : {
            value: DEFAULTS.runsPerMonth[kind],
            source: 'default',
            detail:
              kind === 'interactive'
                ? input.context
                  ? 'default for an interactive entrypoint, which has no cadence (volume for --usage calibration only)'
                  : 'default for a call no entrypoint reaches (volume for --usage calibration only)'
                : context.cadence.type === 'cron'
                ? `cron expression${context.cadence.also?.length ? 's' : ''} ${[context.cadence.expression, ...(context.cadence.also ?? []).map((c) => c.expression)].map((e) => `\`${e}\``).join(', ')} could not be read; default for ${kind}`
                : `default for a ${kind} entrypoint`,
          };
  }
  note(`runs per month (${runs.detail})`, runs.value, runs.source);

  // --- Calls per run -----------------------------------------------------------------------------------------------
  let calls: Sourced | null = fromUsage(usage, 'callsPerRun');
  if (!calls) {
    const loop = callSite.perItem;
    // Nested loops (in the call's function, or around the calls that lead to it) multiply: the product of the literal
    // sizes, times the default calls per run once in total when any level's size is unknown.
    const nested = loop?.outer?.length ? loopsOf(loop).reverse() : null;
    if (!loop) calls = { value: 1, source: 'code', detail: 'no loop around the call' };
    else if (nested) {
      const describe = (l: typeof loop) => `${l.kind} over ${l.collection ?? 'a collection'} of ${l.size !== null ? `${l.size} items` : 'unknown size'}`;
      const known = nested.reduce((n, l) => (l.size !== null ? n * l.size : n), 1);
      const levels = `nested loops: ${nested.map(describe).join(' × ')}`;
      if (nested.every((l) => l.size !== null)) calls = { value: known, source: 'code', detail: levels };
      else if (config?.defaults?.callsPerRun !== undefined) {
        const d = config.defaults.callsPerRun;
        calls = { value: known * d, source: 'config', detail: `${levels}; the unknown sizes count as config defaults.callsPerRun (${d}) once in total` };
      } else {
        calls = { value: known * DEFAULTS.callsPerRun, source: 'default', detail: `${levels}; the unknown sizes count as the default ${DEFAULTS.callsPerRun} once in total` };
      }
    } else if (loop.size !== null) {
      calls = { value: loop.size, source: 'code', detail: `${loop.kind} over ${loop.collection ?? 'a collection'} of ${loop.size} items` };
    } else if (config?.defaults?.callsPerRun !== undefined) {
      calls = { value: config.defaults.callsPerRun, source: 'config', detail: `config defaults.callsPerRun (${loop.kind} over ${loop.collection ?? 'a collection'} of unknown size)` };
    } else {
      calls = { value: DEFAULTS.callsPerRun, source: 'default', detail: `${loop.kind} over ${loop.collection ?? 'a collection'} of unknown size` };
    }
  }
  note(`calls per run (${calls.detail})`, calls.value, calls.source);

  // --- Input tokens per call ---------------------------------------------------------------------------------------
  let inputTokens: Sourced | null = fromUsage(usage, 'inputTokens');
  if (!inputTokens) {
    const perInterpolation: Sourced =
      config?.defaults?.tokensPerInterpolation !== undefined
        ? { value: config.defaults.tokensPerInterpolation, source: 'config', detail: 'config defaults.tokensPerInterpolation' }
        : { value: DEFAULTS.tokensPerInterpolation, source: 'default', detail: 'default' };
    const count = countInputTokens(callSite.prompt, callSite.family, {
      tokensPerInterpolation: perInterpolation.value,
      unknownPromptTokens: DEFAULTS.unknownPromptTokens,
    });
    if (count.unknownPrompt) {
      inputTokens = { value: count.total, source: 'default', detail: 'prompt not visible in the code; default' };
    } else {
      if (count.literal > 0) {
        note(`literal prompt tokens (o200k_base, incl. ${count.overhead} chat-format tokens)`, count.literal, 'code');
      }
      if (callSite.prompt.interpolations > 0) {
        note('interpolated values in the prompt', callSite.prompt.interpolations, 'code');
        note(`tokens per interpolated value (${perInterpolation.detail})`, perInterpolation.value, perInterpolation.source);
      }
      const source: Source = callSite.prompt.interpolations > 0 ? perInterpolation.source : 'code';
      const detail =
        callSite.prompt.interpolations > 0
          ? `${count.literal} literal + ${callSite.prompt.interpolations} × ${perInterpolation.value} interpolated`
          : 'counted from the literal prompt';
      inputTokens = { value: count.total, source, detail };
    }
  }
  note(`input tokens per call (${inputTokens.detail})`, inputTokens.value, inputTokens.source);

  // --- Output tokens per call --------------------------------------------------------------------------------------
  let outputTokens: Sourced | null = fromUsage(usage, 'outputTokens');
  if (!outputTokens) {
    if (callSite.family === 'embeddings' || callSite.family === 'moderations') {
      outputTokens = { value: 0, source: 'code', detail: `${callSite.family} produce no output tokens` };
    } else if (callSite.prompt.maxOutputTokens !== null) {
      outputTokens = { value: callSite.prompt.maxOutputTokens, source: 'code', detail: 'the max output tokens set in the call (an upper bound)' };
    } else if (config?.defaults?.outputTokens !== undefined) {
      outputTokens = { value: config.defaults.outputTokens, source: 'config', detail: 'config defaults.outputTokens' };
    } else {
      outputTokens = { value: DEFAULTS.outputTokens, source: 'default', detail: 'no max output tokens in the call; default' };
    }
  }
  note(`output tokens per call (${outputTokens.detail})`, outputTokens.value, outputTokens.source);

  // --- Cached input share ------------------------------------------------------------------------------------------
  const cachedShare: Sourced = fromUsage(usage, 'cachedInputShare') ?? {
    value: DEFAULTS.cachedInputShare,
    source: 'default',
    detail: 'default',
  };
  if (cachedShare.value > 0 || cachedShare.source !== 'default') {
    note(`share of input tokens from the prompt cache (${cachedShare.detail})`, cachedShare.value, cachedShare.source);
    if (recommendedPrices.cachedInput === null) {
      note(`no cached-input ${recommended} price is published for ${entry.model}; cached tokens priced as uncached on ${recommended}`, recommendedPrices.input, 'default');
    }
  }

  // --- Dollars -----------------------------------------------------------------------------------------------------
  const callsPerMonth = runs.value * calls.value;
  const basis: EstimateBasis = {
    model: entry.model,
    tier: recommended,
    currentTier,
    callsPerMonth,
    inputTokensPerMonth: callsPerMonth * inputTokens.value,
    outputTokensPerMonth: callsPerMonth * outputTokens.value,
    cachedInputShare: cachedShare.value,
    currentPrices,
    recommendedPrices,
  };
  if (entry.free) note(`${entry.model} is free (a real $0 price, see the price table's sources)`, 0, 'code');
  note(`${entry.model} prices checked`, entry.checked, 'code');

  const coreSources = [runs.source, calls.source, inputTokens.source, outputTokens.source];
  const defaults = coreSources.filter((s) => s === 'default').length;
  const confidence = defaults === 0 ? 'high' : defaults <= 2 ? 'medium' : 'low';

  const { standard, recommended: next, saving } = costs(basis);
  return {
    usdPerMonth: saving,
    standardUsdPerMonth: standard,
    recommendedUsdPerMonth: next,
    tier: recommended,
    assumptions,
    confidence,
    arithmetic: explain(basis, runs.value, calls.value, inputTokens.value, outputTokens.value),
    basis,
  };
}

/** The readable multiplication behind a basis (also used after calibration). */
export function explain(basis: EstimateBasis, runs?: number, calls?: number, inputPerCall?: number, outputPerCall?: number): string[] {
  const lines: string[] = [];
  if (runs !== undefined && calls !== undefined) {
    lines.push(`calls/month = ${num(runs)} runs × ${num(calls)} calls/run = ${num(basis.callsPerMonth)}`);
  }
  if (inputPerCall !== undefined && outputPerCall !== undefined) {
    lines.push(`input tokens/month = ${num(basis.callsPerMonth)} × ${num(inputPerCall)} = ${num(basis.inputTokensPerMonth)}`);
    lines.push(`output tokens/month = ${num(basis.callsPerMonth)} × ${num(outputPerCall)} = ${num(basis.outputTokensPerMonth)}`);
  } else {
    lines.push(`input tokens/month = ${num(basis.inputTokensPerMonth)}; output tokens/month = ${num(basis.outputTokensPerMonth)}`);
  }
  const costLine = (label: string, p: TierPrices) => {
    const c = basis.cachedInputShare;
    const parts: string[] = [];
    const terms: number[] = [];
    const uncached = basis.inputTokensPerMonth * (1 - c);
    parts.push(`${num(uncached)} input × ${money(p.input)}/1M`);
    terms.push((uncached * p.input) / 1e6);
    if (c > 0) {
      const cachedPrice = p.cachedInput ?? p.input;
      parts.push(`${num(basis.inputTokensPerMonth * c)} cached × ${money(cachedPrice)}/1M`);
      terms.push((basis.inputTokensPerMonth * c * cachedPrice) / 1e6);
    }
    parts.push(`${num(basis.outputTokensPerMonth)} output × ${money(p.output)}/1M`);
    terms.push((basis.outputTokensPerMonth * p.output) / 1e6);
    const total = terms.reduce((a, b) => a + b, 0);
    return `${label} (${basis.model}): ${parts.join(' + ')} = ${terms.map(money).join(' + ')} = ${money(roundUsd(total))}/month`;
  };
  lines.push(costLine(basis.currentTier, basis.currentPrices));
  lines.push(costLine(basis.tier, basis.recommendedPrices));
  const { standard, recommended, saving } = costs(basis);
  lines.push(`savings = ${money(standard)} − ${money(recommended)} = ${money(saving)}/month`);
  return lines;
}

// One formatter each: `toLocaleString` with options builds a new Intl formatter on every call, which showed up in the
// typed ESLint profile (every finding's arithmetic formats dozens of numbers).
const NUM = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const CENTS = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const SUB_DOLLAR = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });

function num(n: number): string {
  return NUM.format(n);
}

function money(n: number): string {
  // Cents for amounts of a dollar or more; up to 6 decimals below (per-token prices like $0.0375, small jobs).
  return `$${(Math.abs(n) >= 1 ? CENTS : SUB_DOLLAR).format(n)}`;
}

export interface UnmatchedUsageEntry {
  /** Index in `config.usage`. */
  index: number;
  entry: UsageEntry;
  why: string;
}

/**
 * Which `config.usage` entries match no call site (`site`: `file:line`) or no entrypoint that reaches a call site
 * (`entry`: `file:functionName`). The audit reports them instead of ignoring them.
 */
export function matchUsageEntries(
  config: TierwiseConfig,
  sites: ReadonlyArray<Pick<CallSite, 'file' | 'line'> & { contexts?: ReadonlyArray<{ entry: { file: string; name: string } }> }>,
): { matched: number[]; unmatched: UnmatchedUsageEntry[] } {
  const siteKeys = new Set(sites.map(siteKey));
  const entryKeys = new Set(sites.flatMap((s) => (s.contexts ?? []).map((c) => entryKey(c.entry))));
  const matched: number[] = [];
  const unmatched: UnmatchedUsageEntry[] = [];
  (config.usage ?? []).forEach((entry, index) => {
    if (entry.site !== undefined) {
      const key = normalisePath(entry.site.trim());
      if (siteKeys.has(key)) matched.push(index);
      else unmatched.push({ index, entry, why: `usage[${index}].site \`${entry.site}\` matches no OpenAI call site (expected \`file:line\` as the report prints it)` });
    } else if (entry.entry !== undefined) {
      const key = normalisePath(entry.entry.trim());
      if (entryKeys.has(key)) matched.push(index);
      else unmatched.push({ index, entry, why: `usage[${index}].entry \`${entry.entry}\` matches no entrypoint that reaches an OpenAI call (expected \`file:functionName\`)` });
    }
  });
  return { matched, unmatched };
}
