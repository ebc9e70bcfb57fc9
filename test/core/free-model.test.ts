import { describe, expect, it } from 'vitest';
import { analyzeVirtual } from '../support/virtual.js';

describe('a background call on a free model', () => {
  it('is reported at $0 with a reason and message that say there is nothing to save, not that batch halves its price', () => {
    const a = analyzeVirtual({
      'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 2 * * *', async () => {
  await openai.moderations.create({ model: 'omni-moderation-latest', input: 'x' });
});
`,
    });
    const f = a.findings.find((x) => x.rule === 'no-standard-tier-in-background' && x.line === 5)!;
    expect(f).toBeDefined();
    expect(f.recommendation?.reason).toMatch(/^`omni-moderation-latest` is free \(prices checked [^)]+\), so there is nothing to save: neither flex nor the Batch API lowers a \$0 price$/);
    expect(f.recommendation?.reason).not.toMatch(/halves/);
    expect(f.message).toContain('`omni-moderation-latest` is free, so moving it to the Batch API would save nothing.');
    expect(f.message).not.toMatch(/halve|would save about/);
    expect(f.savings).toMatchObject({ usdPerMonth: 0, standardUsdPerMonth: 0 });
  });

  it('a paid model keeps the halving reason', () => {
    const a = analyzeVirtual({
      'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 2 * * *', async () => {
  await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
});
`,
    });
    const f = a.findings.find((x) => x.rule === 'no-standard-tier-in-background' && x.line === 5)!;
    expect(f.recommendation?.reason).toBe('`embeddings.create` has no flex tier; the Batch API halves its price');
  });
});
