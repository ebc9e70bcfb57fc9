import { describe, expect, it } from 'vitest';
import { awsSchedule, cronOrInterval, intervalMs, looksLikeCron } from '../../src/frameworks/schedule-text.js';
import { auditFixture } from '../support/fixtures.js';

describe('schedule text helpers', () => {
  it('reads human intervals (agenda, bree) with ms', () => {
    expect(intervalMs('3 hours')).toBe(3 * 60 * 60 * 1000);
    expect(intervalMs('2h')).toBe(2 * 60 * 60 * 1000);
    expect(intervalMs('one minute')).toBe(60 * 1000);
    expect(intervalMs(5000)).toBe(5000);
    expect(intervalMs('whenever')).toBeNull();
  });

  it('tells cron expressions from human intervals', () => {
    expect(looksLikeCron('0 5 * * *')).toBe(true);
    expect(looksLikeCron('*/30 * * * * *')).toBe(true);
    expect(looksLikeCron('5 minutes')).toBe(false);
    expect(cronOrInterval('0 5 * * *')).toEqual({ kind: 'cron', cadence: { type: 'cron', expression: '0 5 * * *' } });
    expect(cronOrInterval('3 hours')).toEqual({ kind: 'interval', cadence: { type: 'interval', everyMs: 10_800_000 } });
  });

  it('converts AWS schedule expressions to standard cron or intervals', () => {
    expect(awsSchedule('cron(0 6 ? * MON-FRI *)')).toEqual({ type: 'cron', expression: '0 6 * * MON-FRI' });
    // AWS numbers days of week 1-7 from Sunday.
    expect(awsSchedule('cron(15 10 ? * 2 *)')).toEqual({ type: 'cron', expression: '15 10 * * 1' });
    expect(awsSchedule('rate(1 day)')).toEqual({ type: 'interval', everyMs: 86_400_000 });
    expect(awsSchedule('cron(0 6 * * ? 2027)')).toEqual({ type: 'unknown' });
  });
});

describe('schedule entries read cadences from code and config', () => {
  const cadenceOf = (fixture: string, file: string) =>
    auditFixture(fixture)
      .callSites.filter((s) => s.file === file)
      .flatMap((s) => s.contexts.map((c) => c.cadence));

  it('Cloudflare scheduled runs on wrangler.toml triggers.crons', () => {
    expect(cadenceOf('cloudflare', 'src/rankings.ts')).toContainEqual({ type: 'cron', expression: '*/30 * * * *' });
  });

  it('serverless.yml schedule events give the Lambda its cadence', () => {
    expect(cadenceOf('aws-lambda', 'src/handlers/digest.ts')).toEqual([{ type: 'cron', expression: '0 6 * * MON-FRI' }]);
  });

  it('Inngest TZ= prefixes become the cadence time zone; Trigger.dev cron objects keep theirs', () => {
    expect(cadenceOf('inngest', 'src/ai/writers.ts')).toContainEqual({ type: 'cron', expression: '0 9 * * 1', timezone: 'Europe/Paris' });
    expect(cadenceOf('trigger-dev', 'src/ai/tagging.ts')).toContainEqual({ type: 'cron', expression: '0 2 * * *', timezone: 'Asia/Tokyo' });
  });

  it('agenda every() and bree interval strings become intervals', () => {
    expect(cadenceOf('agenda', 'src/ai.ts')).toContainEqual({ type: 'interval', everyMs: 3 * 60 * 60 * 1000 });
    expect(cadenceOf('bree', 'src/jobs/refresh-faq.ts')).toEqual([{ type: 'interval', everyMs: 2 * 60 * 60 * 1000 }]);
  });
});
