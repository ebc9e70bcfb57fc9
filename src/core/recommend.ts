import type { CallSite, Classification, Context, ContextKind, Recommendation, RuleId, Savings } from './types.js';
import { minGapMs } from '../pricing/cadence.js';
import { formatUsd } from './format.js';
import { flexEligibility, lookupModel, type PriceTable } from '../pricing/prices.js';

/** How a free model's recommendation reason ends (the message reads it to say there is nothing to save). */
const FREE_REASON = 'so there is nothing to save: neither flex nor the Batch API lowers a $0 price';
export const FLEX_MIN_TIMEOUT_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const BACKGROUND: ReadonlySet<ContextKind> = new Set(['cron', 'interval', 'queue', 'eval', 'script']);
/** Tiers that pay the standard price or more. `absent`/`auto` mean the project default, which is standard unless changed. */
export const STANDARD_TIERS: ReadonlySet<string> = new Set(['absent', 'auto', 'default', 'priority', 'fast']);

export function isBackground(kind: ContextKind): boolean {
  return BACKGROUND.has(kind);
}

export function classify(contexts: readonly Context[]): Classification {
  const bg = contexts.some((c) => isBackground(c.kind));
  const fg = contexts.some((c) => c.kind === 'interactive');
  if (bg && fg) return 'mixed';
  if (bg) return 'background';
  if (fg) return 'interactive';
  return 'unknown';
}

/** Whether a context's cadence leaves room for the Batch API's 24 h window. */
export function leavesBatchWindow(ctx: Context): boolean {
  if (ctx.kind === 'eval' || ctx.kind === 'script') return true;
  if (ctx.kind === 'cron' || ctx.kind === 'interval') {
    const gap = minGapMs(ctx.cadence);
    return gap !== null && gap >= DAY_MS;
  }
  return false;
}

/**
 * Flex or Batch for a background call on the standard tier.
 * Batch when flex cannot apply (embeddings, completions, moderations, a model not known to be flex-eligible — not in
 * the price table, listed as unknown or not eligible, or not statically known), or when the work is a per-item loop
 * whose cadence leaves room for the 24 h window; flex otherwise.
 */
export function recommend(site: CallSite, background: readonly Context[], prices: PriceTable): Recommendation {
  const rec = recommendTier(site, background, prices);
  // A free model (the price table marks it `free`, e.g. `omni-moderation-latest`): no tier lowers a $0 price.
  const entry = site.model ? lookupModel(prices, site.model) : null;
  if (entry?.free) {
    return { tier: rec.tier, reason: `\`${site.model}\` is free (prices checked ${prices.checked}), ${FREE_REASON}` };
  }
  return rec;
}

/**
 * Whether a call site's model is flex-eligible per the dated price data: its model, or, when the code picks one of a
 * few literal models, every one of them (`eligible` only when all are; `not-eligible` when any is not).
 */
export function siteFlexEligibility(site: Pick<CallSite, 'model' | 'modelCandidates'>, prices: PriceTable): 'eligible' | 'not-eligible' | 'unknown' {
  if (site.model) return flexEligibility(prices, site.model);
  const all = site.modelCandidates?.map((m) => flexEligibility(prices, m));
  if (!all || all.length === 0) return 'unknown';
  if (all.every((e) => e === 'eligible')) return 'eligible';
  return all.includes('not-eligible') ? 'not-eligible' : 'unknown';
}

function recommendTier(site: CallSite, background: readonly Context[], prices: PriceTable): Recommendation {
  if (site.family !== 'chat' && site.family !== 'responses') {
    return { tier: 'batch', reason: `\`${site.endpoint}\` has no flex tier; the Batch API halves its price` };
  }
  // Flex only on a model the dated price data lists as flex-eligible: the API rejects flex on other models.
  const eligibility = siteFlexEligibility(site, prices);
  const choice = site.modelCandidates?.map((m) => `\`${m}\``).join(' or ');
  if (eligibility !== 'eligible') {
    const why = !site.model && choice
      ? `the code picks ${choice}, not all of which are known to be flex-eligible (prices checked ${prices.checked})`
      : !site.model
      ? 'the model could not be determined statically, so it is not known to be flex-eligible'
      : eligibility === 'not-eligible'
        ? `\`${site.model}\` is not flex-eligible (prices checked ${prices.checked})`
        : `\`${site.model}\` is not known to be flex-eligible (prices checked ${prices.checked})`;
    return { tier: 'batch', reason: `${why}; the Batch API halves its price` };
  }
  const perItem = site.perItem ?? background.map((c) => (c as Context & { perItem?: CallSite['perItem'] }).perItem).find(Boolean) ?? null;
  const roomy = background.length > 0 && background.every(leavesBatchWindow);
  if (perItem && roomy && site.stream !== true) {
    const what = background.map((c) => c.trigger).join(', ');
    return {
      tier: 'batch',
      reason: `one request per item (${perItem.kind} at line ${perItem.line}) in ${what}, which leaves room for the Batch API's 24 h window`,
    };
  }
  const why =
    site.stream === true
      ? 'the call streams'
      : !perItem
        ? 'a single call per run'
        : background.some((c) => c.kind === 'queue')
          ? "a queue worker handles each message as it arrives, too soon for the Batch API's 24 h window"
          : background.some((c) => c.cadence.type === 'unknown')
            ? "the job's schedule is not known, so the Batch API's 24 h window may not fit"
            : 'the job runs more often than the 24 h Batch window allows';
  const models = !site.model && choice ? ` (every model the code picks, ${choice}, is flex-eligible)` : '';
  return { tier: 'flex', reason: `${why}; flex halves the price with the same request shape${models}` };
}

export function describeContext(ctx: Context): string {
  const label: Record<ContextKind, string> = {
    cron: 'the cron job',
    interval: 'the interval job',
    queue: 'the queue worker',
    eval: 'the eval',
    script: 'the script',
    interactive: 'the request handler',
  };
  // An anonymous handler (`cron.schedule('0 6 * * *', async () => …)`) has no name worth quoting: name its schedule.
  if (ctx.entry.name.startsWith('<')) return `${label[ctx.kind]} ${ctx.trigger} (${ctx.entry.file}:${ctx.entry.line})`;
  return `${label[ctx.kind]} \`${ctx.entry.name}\` (${ctx.entry.file}:${ctx.entry.line}, ${ctx.trigger})`;
}

export function message(rule: RuleId, site: CallSite, ctx: Context | null, rec: Recommendation | null, savings: Savings | undefined, mixed: boolean): string {
  const callee = `\`${site.callee}\``;
  switch (rule) {
    case 'no-standard-tier-in-background': {
      const where = ctx ? `runs in ${describeContext(ctx)}` : 'runs in background work';
      const tier = site.serviceTier === 'absent' ? 'on the standard tier' : `on \`service_tier: "${site.serviceTier}"\``;
      const fix = rec?.tier === 'batch' ? 'the Batch API' : '`service_tier: "flex"`';
      // A free model costs nothing on the standard tier: say so rather than "would save about $0.00".
      if (rec?.reason.endsWith(FREE_REASON)) {
        return `${callee} ${where} ${tier}, but \`${site.model}\` is free, so moving it to ${rec.tier === 'batch' ? 'the Batch API' : 'flex'} would save nothing.${mixed ? ' It is also reached from an interactive request path.' : ''}`;
      }
      const money = savings && !savings.unknown ? ` would save about ${formatUsd(savings.usdPerMonth)}/month` : ' would halve its price (saving unknown: ' + (savings?.unknown ? savings.why : 'no estimate') + ')';
      const mixedNote = mixed ? ' It is also reached from an interactive request path, so change it per request, not on a shared client.' : '';
      return `${callee} ${where} ${tier}; ${fix}${money}.${mixedNote}`;
    }
    case 'flex-needs-timeout': {
      const t = site.timeout;
      const have = t.source === 'sdk-default' ? "the SDK's default 10-minute timeout" : `a ${Math.round((t.ms ?? 0) / 1000)} s timeout (${t.source === 'client' ? 'client' : 'per request'})`;
      return `${callee} uses \`service_tier: "flex"\` with ${have}; flex requests can take longer, so raise the timeout to at least 15 minutes.`;
    }
    case 'flex-unsupported-model':
      return `${callee} sets \`service_tier: "flex"\` on \`${site.model}\`, which is not flex-eligible; the API rejects it, so use a flex-eligible model or the Batch API.`;
  }
}
