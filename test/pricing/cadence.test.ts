import { describe, expect, it } from 'vitest';
import { CronExpression } from '@nestjs/schedule';
import { Cron } from 'croner';
import {
  CADENCE_WINDOW_START,
  minGapMs,
  NEST_CRON_EXPRESSIONS,
  nestCronExpression,
  parseCron,
  runsPerMonth,
} from '../../src/pricing/cadence.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('runsPerMonth (cron)', () => {
  it('counts */30 * * * * as 2 runs/hour × 24 h × 30 days = 1 440', () => {
    const r = runsPerMonth({ type: 'cron', expression: '*/30 * * * *' });
    expect(r).toMatchObject({ runs: 1440, source: 'cron' });
    expect(r!.detail).toContain('*/30 * * * *');
  });

  it('counts CronExpression.EVERY_DAY_AT_6AM as 30 (one run per day)', () => {
    const expression = nestCronExpression('CronExpression.EVERY_DAY_AT_6AM')!;
    expect(expression).toBe('0 06 * * *');
    expect(runsPerMonth({ type: 'cron', expression })!.runs).toBe(30);
  });

  it('counts Mondays: 4 from the default Thursday start, 5 from a Monday start', () => {
    // Default window: 2026-01-01 (Thu) 00:00Z → 2026-01-31 00:00Z (exclusive): Mondays 5, 12, 19, 26 January = 4.
    expect(CADENCE_WINDOW_START.toISOString()).toBe('2026-01-01T00:00:00.000Z');
    expect(CADENCE_WINDOW_START.getUTCDay()).toBe(4);
    expect(runsPerMonth({ type: 'cron', expression: '0 0 * * 1' })!.runs).toBe(4);
    // From Monday 2026-01-05 00:00Z → 2026-02-04 00:00Z: 5, 12, 19, 26 January and 2 February = 5 (the start counts).
    const from = new Date('2026-01-05T00:00:00Z');
    expect(runsPerMonth({ type: 'cron', expression: '0 0 * * 1' }, { from })!.runs).toBe(5);
  });

  it('reads 6-field (seconds-first) expressions', () => {
    // Every 10 minutes at second 0: 6/hour × 24 × 30 = 4 320.
    expect(runsPerMonth({ type: 'cron', expression: '0 */10 * * * *' })!.runs).toBe(4320);
    // Weekdays at 01:00: January 2026 from Thu 1st to Fri 30th has 22 weekdays.
    expect(runsPerMonth({ type: 'cron', expression: CronExpression.MONDAY_TO_FRIDAY_AT_1AM })!.runs).toBe(22);
  });

  it('reads nicknames', () => {
    expect(runsPerMonth({ type: 'cron', expression: '@daily' })!.runs).toBe(30);
    expect(runsPerMonth({ type: 'cron', expression: '@hourly' })!.runs).toBe(720);
    expect(runsPerMonth({ type: 'cron', expression: '@monthly' })!.runs).toBe(1);
  });

  it('honours TZ= / CRON_TZ= prefixes and the timezone field', () => {
    const paris = parseCron('TZ=Europe/Paris 0 9 * * *');
    expect(paris.ok && paris.value.timezone).toBe('Europe/Paris');
    expect(paris.ok && paris.value.expression).toBe('0 9 * * *');
    // 09:00 Paris is 08:00Z in January.
    expect(paris.ok && paris.value.cron.nextRun(CADENCE_WINDOW_START)!.toISOString()).toBe('2026-01-01T08:00:00.000Z');
    const r = runsPerMonth({ type: 'cron', expression: 'CRON_TZ=America/New_York 30 8 * * *' });
    expect(r).toMatchObject({ runs: 30 });
    expect(r!.detail).toContain('America/New_York');
    const viaField = parseCron('0 9 * * *', 'Asia/Tokyo');
    // 09:00 Tokyo is 00:00Z; croner's nextRun is exclusive of its argument, so the next one after the start is the 2nd.
    expect(viaField.ok && viaField.value.cron.nextRun(CADENCE_WINDOW_START)!.toISOString()).toBe('2026-01-02T00:00:00.000Z');
    // …but runsPerMonth counts a run exactly at the window start: 30 runs, 1st to 30th January.
    expect(runsPerMonth({ type: 'cron', expression: '0 9 * * *', timezone: 'Asia/Tokyo' })!.runs).toBe(30);
  });

  it('evaluates expressions without a zone in UTC, whatever the machine zone', () => {
    const saved = process.env.TZ;
    process.env.TZ = 'Pacific/Auckland';
    try {
      const parsed = parseCron('0 9 * * *');
      expect(parsed.ok && parsed.value.cron.nextRun(CADENCE_WINDOW_START)!.toISOString()).toBe('2026-01-01T09:00:00.000Z');
      expect(runsPerMonth({ type: 'cron', expression: '0 9 * * *' })!.detail).toContain('(UTC)');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('gives the same runs in UTC (evaluated at a fixed offset) as croner with the named UTC zone', () => {
    // UTC is evaluated at a fixed offset, not through croner's (much slower) Intl time-zone path: same dates.
    const end = CADENCE_WINDOW_START.getTime() + 30 * DAY;
    for (const expression of ['0 9 * * 1-5', '0 0 L * *', '15 3 1,15 * *', '0 */7 * * *', '0 0 29 2 *', '0 12 * * 5#2']) {
      for (const zone of [undefined, 'UTC', 'Etc/UTC']) {
        const ours = parseCron(expression, zone);
        const named = new Cron(expression, { paused: true, timezone: 'UTC', mode: '5-or-6-parts' });
        expect(ours.ok).toBe(true);
        const a: string[] = [];
        const b: string[] = [];
        for (let d = ours.ok ? ours.value.cron.nextRun(new Date(CADENCE_WINDOW_START.getTime() - 1)) : null; d && d.getTime() < end; d = ours.ok ? ours.value.cron.nextRun(d) : null) a.push(d.toISOString());
        for (let d = named.nextRun(new Date(CADENCE_WINDOW_START.getTime() - 1)); d && d.getTime() < end; d = named.nextRun(d)) b.push(d.toISOString());
        expect(a, `${expression} (${zone ?? 'no zone'})`).toEqual(b);
      }
    }
  });

  it('returns null (and parseCron explains) for invalid expressions and zones', () => {
    expect(runsPerMonth({ type: 'cron', expression: '61 * * * *' })).toBeNull();
    const bad = parseCron('61 * * * *');
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/minute/);
    expect(parseCron('TZ=Nowhere/Nope 0 9 * * *').ok).toBe(false);
  });

  it('extrapolates sub-minute schedules instead of counting millions of runs', () => {
    // Every second: 86 400 × 30 = 2 592 000.
    expect(runsPerMonth({ type: 'cron', expression: NEST_CRON_EXPRESSIONS.EVERY_SECOND! })!.runs).toBe(2_592_000);
  });
});

describe('runsPerMonth (other cadences)', () => {
  it('interval: 30 days / period', () => {
    expect(runsPerMonth({ type: 'interval', everyMs: 15 * 60_000 })).toMatchObject({ runs: 2880, source: 'code' });
    expect(runsPerMonth({ type: 'interval', everyMs: 7 * DAY })!.runs).toBeCloseTo(30 / 7, 10);
  });
  it('once → 1, unknown → null', () => {
    expect(runsPerMonth({ type: 'once', delayMs: 5000 })).toMatchObject({ runs: 1, source: 'code' });
    expect(runsPerMonth({ type: 'unknown' })).toBeNull();
    expect(runsPerMonth({ type: 'interval', everyMs: 0 })).toBeNull();
  });
});

describe('minGapMs', () => {
  it('gives the smallest gap between consecutive runs', () => {
    expect(minGapMs({ type: 'cron', expression: '0 6 * * *' })).toBe(DAY);
    expect(minGapMs({ type: 'cron', expression: '*/30 * * * *' })).toBe(30 * 60_000);
    // 06:00 and 07:00 every day: the smallest gap is 1 h, not 23 h.
    expect(minGapMs({ type: 'cron', expression: '0 6,7 * * *' })).toBe(HOUR);
    expect(minGapMs({ type: 'cron', expression: '0 0 * * 1' })).toBe(7 * DAY);
    // Weekdays at midnight: Mon→Tue is 1 day.
    expect(minGapMs({ type: 'cron', expression: CronExpression.EVERY_WEEKDAY })).toBe(DAY);
    // Monthly: 1 Jan → 1 Feb is 31 days, 1 Feb → 1 Mar 28 days (2026 is not a leap year): 28.
    expect(minGapMs({ type: 'cron', expression: '0 0 1 * *' })).toBe(28 * DAY);
    expect(minGapMs({ type: 'interval', everyMs: 5000 })).toBe(5000);
    expect(minGapMs({ type: 'once' })).toBeNull();
    expect(minGapMs({ type: 'unknown' })).toBeNull();
  });
});

describe('nestCronExpression', () => {
  it('matches the installed @nestjs/schedule CronExpression enum exactly', () => {
    expect(NEST_CRON_EXPRESSIONS).toEqual({ ...CronExpression });
  });
  it('accepts bare member names and rejects unknown ones', () => {
    expect(nestCronExpression('EVERY_30_MINUTES')).toBe(CronExpression.EVERY_30_MINUTES);
    expect(nestCronExpression('CronExpression.NOPE')).toBeNull();
    expect(nestCronExpression('toString')).toBeNull();
  });
  it('every Nest expression parses with our cron reader', () => {
    for (const [name, expression] of Object.entries(NEST_CRON_EXPRESSIONS)) {
      expect(parseCron(expression).ok, name).toBe(true);
    }
  });
});
