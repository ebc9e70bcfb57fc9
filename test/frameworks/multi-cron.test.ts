import { describe, expect, it } from 'vitest';
import { analyzeVirtual } from '../support/virtual.js';
import { minGapMs, runsPerMonth } from '../../src/pricing/cadence.js';

// Every cron expression of an entrypoint counts: runs add up over the 30-day window 2026-01-01 → 2026-01-31.
describe('entrypoints with several cron schedules', () => {
  const job = `import OpenAI from 'openai';
const client = new OpenAI();
export async function rank(): Promise<void> {
  await client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'rank' }], max_tokens: 10 });
}
`;

  it('Cloudflare triggers.crons: every expression is in the cadence and the runs add up', () => {
    const analysis = analyzeVirtual({
      'wrangler.toml': 'name = "w"\nmain = "src/index.ts"\n\n[triggers]\ncrons = ["0 * * * *", "30 6 * * *"]\n',
      'src/job.ts': job,
      'src/index.ts': `import { rank } from './job.js';
export default {
  async scheduled(_controller: ScheduledController): Promise<void> {
    await rank();
  },
} satisfies ExportedHandler;
`,
    });
    const f = analysis.findings.find((x) => x.file === 'src/job.ts')!;
    expect(f.context!.cadence).toEqual({ type: 'cron', expression: '0 * * * *', also: [{ expression: '30 6 * * *' }] });
    expect(f.context!.trigger).toContain("'30 6 * * *'");
    // Hourly: 24 × 30 = 720 runs; daily at 06:30: 30 runs → 750 runs/month.
    const runs = f.savings && !f.savings.unknown ? f.savings.assumptions.find((a) => /^runs per month/.test(a.what)) : undefined;
    expect(runs).toMatchObject({ value: 750, source: 'cron' });
  });

  it('Inngest functions with several cron triggers', () => {
    const analysis = analyzeVirtual({
      'src/job.ts': job,
      'src/functions.ts': `import { Inngest } from 'inngest';
import { rank } from './job.js';
const inngest = new Inngest({ id: 'app' });
export const ranker = inngest.createFunction(
  { id: 'ranker', triggers: [{ cron: '0 9 * * *' }, { cron: 'TZ=Europe/Paris 0 18 * * *' }] },
  async () => {
    await rank();
  },
);
`,
    });
    const f = analysis.findings.find((x) => x.file === 'src/job.ts')!;
    expect(f.context!.cadence).toEqual({ type: 'cron', expression: '0 9 * * *', also: [{ expression: '0 18 * * *', timezone: 'Europe/Paris' }] });
    // 30 + 30 = 60 runs/month.
    const runs = f.savings && !f.savings.unknown ? f.savings.assumptions.find((a) => /^runs per month/.test(a.what)) : undefined;
    expect(runs).toMatchObject({ value: 60, source: 'cron' });
  });

  it('runsPerMonth sums the expressions; minGapMs merges their runs', () => {
    const cadence = { type: 'cron' as const, expression: '0 0 * * *', also: [{ expression: '0 12 * * *' }] };
    expect(runsPerMonth(cadence)!.runs).toBe(60);
    // Midnight and noon: runs 12 h apart, though each expression alone runs daily.
    expect(minGapMs(cadence)).toBe(12 * 60 * 60 * 1000);
    expect(runsPerMonth({ ...cadence, also: [{ expression: 'not a cron' }] })).toBeNull();
  });
});
