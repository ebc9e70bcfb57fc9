import ms from 'ms';
import type { Cadence } from '../core/types.js';
import { cadence } from '../core/entries.js';

/** A human interval (`'1 hour'`, `'5m'`, `'2 days'`) or a number of ms → ms, via the `ms` package; null when unreadable. */
export function intervalMs(value: string | number | null | undefined): number | null {
  if (typeof value === 'number') return value > 0 ? value : null;
  if (typeof value !== 'string') return null;
  const words: Record<string, string> = { one: '1', two: '2', three: '3', five: '5', ten: '10', fifteen: '15', thirty: '30' };
  const normal = value.trim().replace(/^(?:every\s+)?/i, '').replace(/^([a-z]+)\b/i, (w) => words[w.toLowerCase()] ?? w);
  const n = ms(normal as ms.StringValue);
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
}

const CRON_FIELD = /^[\d*?/,LW#A-Z-]+$/i;

/** Whether a string looks like a 5- or 6-field cron expression (not a human interval such as `'5 minutes'`). */
export function looksLikeCron(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return (fields.length === 5 || fields.length === 6) && fields.every((f) => CRON_FIELD.test(f)) && /[*\d]/.test(fields[0]!) && !/^\d+$/.test(fields.join(''));
}

/** A schedule given as a cron expression or a human interval (agenda `every`, bree `interval`). */
export function cronOrInterval(value: string | number | null, timezone?: string): { kind: 'cron' | 'interval'; cadence: Cadence } {
  if (typeof value === 'string' && looksLikeCron(value)) return { kind: 'cron', cadence: cadence.cron(value, timezone) };
  return { kind: 'interval', cadence: cadence.every(intervalMs(value)) };
}

/**
 * An AWS schedule expression: `cron(0 6 * * ? *)` (minutes hours day-of-month month day-of-week year) → the 5-field
 * standard form (`?` → `*`, year dropped, only when it is `*`); `rate(1 day)` → an interval.
 */
export function awsSchedule(expr: string): Cadence {
  const cronM = /^cron\((.*)\)$/.exec(expr.trim());
  if (cronM) {
    const f = cronM[1]!.trim().split(/\s+/);
    if (f.length !== 6 || f[5] !== '*') return cadence.unknown();
    const std = f.slice(0, 5).map((x) => (x === '?' ? '*' : x));
    // AWS numbers days of week 1-7 from Sunday; standard cron 0-6 from Sunday.
    std[4] = std[4]!.replace(/\d/g, (d) => String((Number(d) + 6) % 7));
    return cadence.cron(std.join(' '));
  }
  const rateM = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expr.trim());
  if (rateM) return cadence.every(intervalMs(`${rateM[1]} ${rateM[2]}`));
  return cadence.unknown();
}
