/** A model the code picks from a few literals (`fast ? 'gpt-5-nano' : 'gpt-5-mini'`): flex only when every one is eligible. */
import { describe, expect, it } from 'vitest';
import { analyzeVirtual } from '../support/virtual.js';
import { siteFlexEligibility } from '../../src/core/recommend.js';
import { bundledPrices } from '../../src/pricing/prices.js';

const job = (model: string) => ({
  'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
const CHEAP = 'gpt-5-nano';
export async function summarize(text: string, fast: boolean) {
  const model = fast ? CHEAP : ${model};
  return openai.responses.create({ model, input: text });
}
cron.schedule('*/10 * * * *', () => summarize('x', Math.random() > 0.5));
`,
});

describe('a model picked from literals', () => {
  it('records the candidates and recommends flex when every one is flex-eligible', () => {
    const a = analyzeVirtual(job("'gpt-5-mini'"));
    const site = a.callSites[0]!;
    expect(site.model).toBeNull();
    expect(site.modelCandidates).toEqual(['gpt-5-nano', 'gpt-5-mini']);
    const f = a.findings.find((x) => x.rule === 'no-standard-tier-in-background')!;
    expect(f.recommendation?.tier).toBe('flex');
    expect(f.recommendation?.reason).toContain('every model the code picks, `gpt-5-nano` or `gpt-5-mini`, is flex-eligible');
  });

  it('recommends Batch when one of them is not flex-eligible, and says which were considered', () => {
    const a = analyzeVirtual(job("'gpt-4o-mini'"));
    expect(a.callSites[0]!.modelCandidates).toEqual(['gpt-5-nano', 'gpt-4o-mini']);
    const f = a.findings.find((x) => x.rule === 'no-standard-tier-in-background')!;
    expect(f.recommendation?.tier).toBe('batch');
    expect(f.recommendation?.reason).toMatch(/^the code picks `gpt-5-nano` or `gpt-4o-mini`, not all of which are known to be flex-eligible/);
  });

  it('leaves a model that is not a choice of literals unknown (no candidates)', () => {
    const a = analyzeVirtual(job('process.env.MODEL!'));
    expect(a.callSites[0]!.model).toBeNull();
    expect(a.callSites[0]!.modelCandidates).toBeUndefined();
    expect(siteFlexEligibility(a.callSites[0]!, bundledPrices)).toBe('unknown');
  });
});
