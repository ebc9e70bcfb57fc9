/**
 * Cadence → runs per month. Cron expressions are evaluated with croner (5- and 6-field, nicknames such as `@daily`,
 * `TZ=…` / `CRON_TZ=…` prefixes as Inngest and crontab write them) by counting the runs in a fixed 30-day window,
 * so reports are deterministic and do not change with the day the audit runs.
 */
import { Cron } from 'croner';
import type { Cadence } from '../core/types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A "month" is 30 days everywhere in tierwise. */
export const MONTH_MS = 30 * DAY_MS;

/**
 * Start of the 30-day window cron runs are counted in: 2026-01-01T00:00:00Z (a Thursday; no DST change in
 * January in either hemisphere's common zones). The window is [start, start + 30 days).
 */
export const CADENCE_WINDOW_START = new Date('2026-01-01T00:00:00.000Z');

/** Counting stops after this many runs in the window and extrapolates (sub-minute schedules). */
const MAX_COUNTED_RUNS = 50_000;

/** Counting cron runs is the costly part of an estimate; an audit asks about the same few expressions many times. */
const runsCache = new Map<string, RunsPerMonth | null>();
const gapCache = new Map<string, number | null>();
const MEMO_LIMIT = 10_000;

function memo<T>(cache: Map<string, T>, cadence: Cadence, options: CadenceOptions, compute: () => T): T {
  const key = `${JSON.stringify(cadence)}|${options.from?.toISOString() ?? ''}`;
  if (cache.has(key)) return cache.get(key) as T;
  const value = compute();
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

export interface RunsPerMonth {
  runs: number;
  source: 'cron' | 'code';
  detail: string;
}

export interface ParsedCron {
  /** The expression without its timezone prefix. */
  expression: string;
  timezone: string | undefined;
  cron: Cron;
}

export type CronParseResult = { ok: true; value: ParsedCron } | { ok: false; error: string };

/** No zone (tierwise evaluates those in UTC) or UTC by name. */
function isUtc(tz: string | undefined): boolean {
  return tz === undefined || tz === 'UTC' || tz === 'Etc/UTC';
}

const TZ_PREFIX = /^\s*(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/;

/** Parses a cron expression (with optional `TZ=`/`CRON_TZ=` prefix); `timezone` wins over none, the prefix over `timezone`. */
export function parseCron(expression: string, timezone?: string): CronParseResult {
  let expr = expression.trim();
  let tz = timezone;
  const prefixed = TZ_PREFIX.exec(expr);
  if (prefixed) {
    tz = prefixed[1];
    expr = prefixed[2]!.trim();
  }
  try {
    // `mode: '5-or-6-parts'`: 6 fields are seconds-first (node-cron, @nestjs/schedule, croner); no year field.
    // Without a zone, evaluate in UTC (not the machine's zone) so counts do not depend on where the audit runs.
    // UTC as a fixed offset: croner's `timezone` path converts every candidate date through Intl (about 17× slower
    // per run here), and UTC has no daylight saving time for it to handle.
    const cron = new Cron(expr, { paused: true, mode: '5-or-6-parts', ...(isUtc(tz) ? { utcOffset: 0 } : { timezone: tz }) });
    // Invalid time zones only fail when a date is computed.
    cron.nextRun(CADENCE_WINDOW_START);
    return { ok: true, value: { expression: expr, timezone: tz, cron } };
  } catch (error) {
    return { ok: false, error: `invalid cron expression \`${expression}\`: ${(error as Error).message}` };
  }
}

function runsBetween(parsed: ParsedCron, start: Date, end: Date, limit: number): Date[] {
  const { cron } = parsed;
  const span = end.getTime() - start.getTime();
  if (isDailyUniform(parsed) && span > DAY_MS && span % DAY_MS === 0) {
    // Every day runs at the same UTC times: enumerate one day with the parser and repeat it (exact, and avoids
    // stepping the parser through tens of thousands of runs for `*/1 * * * *`).
    const day = runsBetween({ ...parsed, expression: '' }, start, new Date(start.getTime() + DAY_MS), limit);
    const runs: Date[] = [];
    for (let d = 0; d * DAY_MS < span && runs.length < limit; d++) {
      for (const r of day) {
        if (runs.length >= limit) break;
        runs.push(new Date(r.getTime() + d * DAY_MS));
      }
    }
    return runs;
  }
  const runs: Date[] = [];
  // nextRun is exclusive of its argument: start 1 ms early so a run exactly at `start` counts.
  let next = cron.nextRun(new Date(start.getTime() - 1));
  while (next && next.getTime() < end.getTime() && runs.length < limit) {
    runs.push(next);
    next = cron.nextRun(next);
  }
  return runs;
}

/** A UTC schedule whose day-of-month, month and day-of-week fields are all `*` runs at the same times every day. */
function isDailyUniform(parsed: ParsedCron): boolean {
  if (!isUtc(parsed.timezone)) return false;
  const fields = parsed.expression.trim().split(/\s+/);
  const f = fields.length === 6 ? fields.slice(1) : fields;
  if (f.length === 1 && f[0] === '@hourly') return true;
  return f.length === 5 && f[2] === '*' && f[3] === '*' && f[4] === '*';
}

export interface CadenceOptions {
  /** Start of the 30-day window (default CADENCE_WINDOW_START). */
  from?: Date;
}

/** How many times a cadence runs in 30 days, or null when unknown (or the cron expression does not parse). */
export function runsPerMonth(cadence: Cadence, options: CadenceOptions = {}): RunsPerMonth | null {
  return memo(runsCache, cadence, options, () => computeRunsPerMonth(cadence, options));
}

function computeRunsPerMonth(cadence: Cadence, options: CadenceOptions): RunsPerMonth | null {
  switch (cadence.type) {
    case 'interval': {
      if (!(cadence.everyMs > 0)) return null;
      const runs = MONTH_MS / cadence.everyMs;
      return { runs, source: 'code', detail: `every ${formatDuration(cadence.everyMs)} → 30 days / ${formatDuration(cadence.everyMs)} = ${fmt(runs)} runs` };
    }
    case 'once':
      return { runs: 1, source: 'code', detail: 'runs once' };
    case 'unknown':
      return null;
    case 'cron': {
      if (cadence.also?.length) {
        // Several schedules of one entrypoint: each runs the handler, so the runs add up.
        const parts = [{ expression: cadence.expression, timezone: cadence.timezone }, ...cadence.also].map((s) =>
          computeRunsPerMonth({ type: 'cron', expression: s.expression, ...(s.timezone ? { timezone: s.timezone } : {}) }, options),
        );
        if (parts.some((p) => p === null)) return null;
        const runs = parts.reduce((sum, p) => sum + p!.runs, 0);
        return { runs, source: 'cron', detail: `${parts.map((p) => p!.detail).join(' + ')} = ${fmt(runs)} runs` };
      }
      const parsed = parseCron(cadence.expression, cadence.timezone);
      if (!parsed.ok) return null;
      const start = options.from ?? CADENCE_WINDOW_START;
      const end = new Date(start.getTime() + MONTH_MS);
      const runs = runsBetween(parsed.value, start, end, MAX_COUNTED_RUNS);
      const tz = parsed.value.timezone ? ` (${parsed.value.timezone})` : ' (UTC)';
      const window = `${start.toISOString().slice(0, 10)} → ${end.toISOString().slice(0, 10)}`;
      if (runs.length === MAX_COUNTED_RUNS) {
        // Rate from the counted runs: (n - 1) gaps over the time from the first to the last run.
        const covered = runs[runs.length - 1]!.getTime() - runs[0]!.getTime();
        const estimate = Math.round(((MAX_COUNTED_RUNS - 1) * MONTH_MS) / covered);
        return {
          runs: estimate,
          source: 'cron',
          detail: `cron \`${parsed.value.expression}\`${tz}: ${MAX_COUNTED_RUNS} runs in the first ${formatDuration(covered)}, extrapolated to ${fmt(estimate)} runs in 30 days`,
        };
      }
      return {
        runs: runs.length,
        source: 'cron',
        detail: `cron \`${parsed.value.expression}\`${tz}: ${fmt(runs.length)} runs in the 30 days ${window}`,
      };
    }
  }
}

/**
 * The smallest gap between two consecutive runs, in ms (e.g. to tell whether a job leaves room for the Batch API's
 * 24 h completion window). Null for `once`, `unknown` and unparsable cron expressions.
 * Cron gaps are measured over the 30-day window, extended up to 400 days until at least 3 runs are seen
 * (monthly / yearly schedules).
 */
export function minGapMs(cadence: Cadence, options: CadenceOptions = {}): number | null {
  return memo(gapCache, cadence, options, () => computeMinGapMs(cadence, options));
}

function computeMinGapMs(cadence: Cadence, options: CadenceOptions): number | null {
  switch (cadence.type) {
    case 'interval':
      return cadence.everyMs > 0 ? cadence.everyMs : null;
    case 'once':
    case 'unknown':
      return null;
    case 'cron': {
      const start = options.from ?? CADENCE_WINDOW_START;
      // Every schedule of the entrypoint (`also` included), merged: the gap is between consecutive runs of any of them.
      const times: number[] = [];
      for (const s of [{ expression: cadence.expression, timezone: cadence.timezone }, ...(cadence.also ?? [])]) {
        const parsed = parseCron(s.expression, s.timezone);
        if (!parsed.ok) return null;
        let runs = runsBetween(parsed.value, start, new Date(start.getTime() + MONTH_MS), MAX_COUNTED_RUNS);
        if (runs.length < 3) runs = runsBetween(parsed.value, start, new Date(start.getTime() + 400 * DAY_MS), 3);
        times.push(...runs.map((r) => r.getTime()));
      }
      const runs = [...new Set(times)].sort((a, b) => a - b);
      if (runs.length < 2) return null;
      let min = Infinity;
      for (let i = 1; i < runs.length; i++) min = Math.min(min, runs[i]! - runs[i - 1]!);
      return min;
    }
  }
}

/**
 * `@nestjs/schedule` `CronExpression` members (v6), as data so the audit works without node_modules.
 * test/pricing/cadence.test.ts compares this table with the installed enum.
 */
export const NEST_CRON_EXPRESSIONS: Readonly<Record<string, string>> = {
  EVERY_SECOND: '* * * * * *',
  EVERY_5_SECONDS: '*/5 * * * * *',
  EVERY_10_SECONDS: '*/10 * * * * *',
  EVERY_30_SECONDS: '*/30 * * * * *',
  EVERY_MINUTE: '*/1 * * * *',
  EVERY_5_MINUTES: '0 */5 * * * *',
  EVERY_10_MINUTES: '0 */10 * * * *',
  EVERY_30_MINUTES: '0 */30 * * * *',
  EVERY_HOUR: '0 0-23/1 * * *',
  EVERY_2_HOURS: '0 0-23/2 * * *',
  EVERY_3_HOURS: '0 0-23/3 * * *',
  EVERY_4_HOURS: '0 0-23/4 * * *',
  EVERY_5_HOURS: '0 0-23/5 * * *',
  EVERY_6_HOURS: '0 0-23/6 * * *',
  EVERY_7_HOURS: '0 0-23/7 * * *',
  EVERY_8_HOURS: '0 0-23/8 * * *',
  EVERY_9_HOURS: '0 0-23/9 * * *',
  EVERY_10_HOURS: '0 0-23/10 * * *',
  EVERY_11_HOURS: '0 0-23/11 * * *',
  EVERY_12_HOURS: '0 0-23/12 * * *',
  EVERY_DAY_AT_1AM: '0 01 * * *',
  EVERY_DAY_AT_2AM: '0 02 * * *',
  EVERY_DAY_AT_3AM: '0 03 * * *',
  EVERY_DAY_AT_4AM: '0 04 * * *',
  EVERY_DAY_AT_5AM: '0 05 * * *',
  EVERY_DAY_AT_6AM: '0 06 * * *',
  EVERY_DAY_AT_7AM: '0 07 * * *',
  EVERY_DAY_AT_8AM: '0 08 * * *',
  EVERY_DAY_AT_9AM: '0 09 * * *',
  EVERY_DAY_AT_10AM: '0 10 * * *',
  EVERY_DAY_AT_11AM: '0 11 * * *',
  EVERY_DAY_AT_NOON: '0 12 * * *',
  EVERY_DAY_AT_1PM: '0 13 * * *',
  EVERY_DAY_AT_2PM: '0 14 * * *',
  EVERY_DAY_AT_3PM: '0 15 * * *',
  EVERY_DAY_AT_4PM: '0 16 * * *',
  EVERY_DAY_AT_5PM: '0 17 * * *',
  EVERY_DAY_AT_6PM: '0 18 * * *',
  EVERY_DAY_AT_7PM: '0 19 * * *',
  EVERY_DAY_AT_8PM: '0 20 * * *',
  EVERY_DAY_AT_9PM: '0 21 * * *',
  EVERY_DAY_AT_10PM: '0 22 * * *',
  EVERY_DAY_AT_11PM: '0 23 * * *',
  EVERY_DAY_AT_MIDNIGHT: '0 0 * * *',
  EVERY_WEEK: '0 0 * * 0',
  EVERY_WEEKDAY: '0 0 * * 1-5',
  EVERY_WEEKEND: '0 0 * * 6,0',
  EVERY_1ST_DAY_OF_MONTH_AT_MIDNIGHT: '0 0 1 * *',
  EVERY_1ST_DAY_OF_MONTH_AT_NOON: '0 12 1 * *',
  EVERY_2ND_HOUR: '0 */2 * * *',
  EVERY_2ND_HOUR_FROM_1AM_THROUGH_11PM: '0 1-23/2 * * *',
  EVERY_2ND_MONTH: '0 0 1 */2 *',
  EVERY_QUARTER: '0 0 1 */3 *',
  EVERY_6_MONTHS: '0 0 1 */6 *',
  EVERY_YEAR: '0 0 1 1 *',
  EVERY_30_MINUTES_BETWEEN_9AM_AND_5PM: '0 */30 9-17 * * *',
  EVERY_30_MINUTES_BETWEEN_9AM_AND_6PM: '0 */30 9-18 * * *',
  EVERY_30_MINUTES_BETWEEN_10AM_AND_7PM: '0 */30 10-19 * * *',
  MONDAY_TO_FRIDAY_AT_1AM: '0 0 01 * * 1-5',
  MONDAY_TO_FRIDAY_AT_2AM: '0 0 02 * * 1-5',
  MONDAY_TO_FRIDAY_AT_3AM: '0 0 03 * * 1-5',
  MONDAY_TO_FRIDAY_AT_4AM: '0 0 04 * * 1-5',
  MONDAY_TO_FRIDAY_AT_5AM: '0 0 05 * * 1-5',
  MONDAY_TO_FRIDAY_AT_6AM: '0 0 06 * * 1-5',
  MONDAY_TO_FRIDAY_AT_7AM: '0 0 07 * * 1-5',
  MONDAY_TO_FRIDAY_AT_8AM: '0 0 08 * * 1-5',
  MONDAY_TO_FRIDAY_AT_9AM: '0 0 09 * * 1-5',
  MONDAY_TO_FRIDAY_AT_09_30AM: '0 30 09 * * 1-5',
  MONDAY_TO_FRIDAY_AT_10AM: '0 0 10 * * 1-5',
  MONDAY_TO_FRIDAY_AT_11AM: '0 0 11 * * 1-5',
  MONDAY_TO_FRIDAY_AT_11_30AM: '0 30 11 * * 1-5',
  MONDAY_TO_FRIDAY_AT_12PM: '0 0 12 * * 1-5',
  MONDAY_TO_FRIDAY_AT_1PM: '0 0 13 * * 1-5',
  MONDAY_TO_FRIDAY_AT_2PM: '0 0 14 * * 1-5',
  MONDAY_TO_FRIDAY_AT_3PM: '0 0 15 * * 1-5',
  MONDAY_TO_FRIDAY_AT_4PM: '0 0 16 * * 1-5',
  MONDAY_TO_FRIDAY_AT_5PM: '0 0 17 * * 1-5',
  MONDAY_TO_FRIDAY_AT_6PM: '0 0 18 * * 1-5',
  MONDAY_TO_FRIDAY_AT_7PM: '0 0 19 * * 1-5',
  MONDAY_TO_FRIDAY_AT_8PM: '0 0 20 * * 1-5',
  MONDAY_TO_FRIDAY_AT_9PM: '0 0 21 * * 1-5',
  MONDAY_TO_FRIDAY_AT_10PM: '0 0 22 * * 1-5',
  MONDAY_TO_FRIDAY_AT_11PM: '0 0 23 * * 1-5',
};

/** `CronExpression.EVERY_DAY_AT_6AM` or `EVERY_DAY_AT_6AM` → `0 06 * * *`; null for names @nestjs/schedule does not define. */
export function nestCronExpression(name: string): string | null {
  const member = name.trim().replace(/^CronExpression\./, '');
  return Object.hasOwn(NEST_CRON_EXPRESSIONS, member) ? NEST_CRON_EXPRESSIONS[member]! : null;
}

const FMT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

function fmt(n: number): string {
  return FMT.format(n);
}

function formatDuration(ms: number): string {
  const units: Array<[number, string]> = [
    [DAY_MS, 'd'],
    [60 * 60 * 1000, 'h'],
    [60 * 1000, 'min'],
    [1000, 's'],
  ];
  for (const [size, unit] of units) if (ms >= size && ms % size === 0) return `${ms / size} ${unit}`;
  for (const [size, unit] of units) if (ms >= size) return `${fmt(ms / size)} ${unit}`;
  return `${ms} ms`;
}
