/**
 * A background call whose params spread a parameter (`...extra`) has its tier read through the callers of its
 * function; when the callers disagree or pass something unreadable, the tier stays unknown and the report says so.
 */
import { describe, expect, it } from 'vitest';
import { analyzeVirtual } from '../support/virtual.js';

const AI = `import OpenAI from 'openai';
const openai = new OpenAI();
export async function summarize(text: string, extra: Partial<OpenAI.Chat.ChatCompletionCreateParamsNonStreaming> = {}) {
  return openai.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: text }], ...extra });
}
`;
const jobs = (calls: string) => `import cron from 'node-cron';
import { summarize } from './ai.js';
cron.schedule('0 6 * * *', async () => {
  ${calls}
});
`;

function run(calls: string) {
  const a = analyzeVirtual({ 'src/ai.ts': AI, 'src/jobs.ts': jobs(calls) });
  const site = a.callSites.find((s) => s.file === 'src/ai.ts')!;
  return { tier: site.serviceTier, classification: site.classification, findings: a.findings.map((f) => f.rule), notes: a.notes };
}

describe('service_tier through a spread parameter', () => {
  it('every caller passes an object without a tier (or leaves the default {}): the standard tier, reported', () => {
    const r = run("await summarize('a', { temperature: 0 });\n  await summarize('b');");
    expect(r).toMatchObject({ tier: 'absent', classification: 'background', findings: ['no-standard-tier-in-background'] });
    expect(r.notes.join('\n')).not.toMatch(/cannot read/);
  });

  it('every caller passes flex: on flex, nothing to report', () => {
    const r = run("await summarize('a', { service_tier: 'flex' });");
    expect(r.tier).toBe('flex');
    expect(r.findings.filter((f) => f === 'no-standard-tier-in-background')).toEqual([]);
  });

  it('callers that disagree leave the tier unknown, and the report says so', () => {
    const r = run("await summarize('a', { service_tier: 'flex' });\n  await summarize('b', {});");
    expect(r.tier).toBe('dynamic');
    expect(r.findings).toEqual([]);
    expect(r.notes).toContainEqual(expect.stringMatching(/^1 background call site set `service_tier` to a value tierwise cannot read \(src\/ai\.ts:4\), so it is not reported/));
  });

  it('a caller passing something unreadable leaves it unknown too', () => {
    const r = run("await summarize('a', JSON.parse(process.env.EXTRA ?? '{}'));");
    expect(r.tier).toBe('dynamic');
    expect(r.notes.some((n) => n.includes('src/ai.ts:4'))).toBe(true);
  });
});
