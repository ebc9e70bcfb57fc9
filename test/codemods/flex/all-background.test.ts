/**
 * `tierwise fix flex --all-background`: a background site the audit recommends for the Batch API (a per-item loop in
 * a daily cron job) is left alone by default — with a warning pointing at `fix batch` / --all-background — and gets
 * `service_tier: 'flex'` (and the 15-minute timeout) with the option, when its model is flex-eligible in the price
 * data. A batch-recommended site on a model that is not flex-eligible stays alone even with the option.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixFlex } from '../../../src/fix/flex.js';
import { audit } from '../../../src/audit/audit.js';
import { bundledPrices, flexEligibility } from '../../../src/pricing/prices.js';
import { typecheck } from '../../support/fixtures.js';
import { repoTmp, TSCONFIG } from './support.js';

const tmp = repoTmp('flex-all-background');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const job = (model: string) => `import cron from 'node-cron';
import OpenAI from 'openai';

const client = new OpenAI();

export async function tagAll(items: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const item of items) {
    const r = await client.chat.completions.create({ model: '${model}', messages: [{ role: 'user', content: \`Tag: \${item}\` }] });
    out.push(r.choices[0]?.message.content ?? '');
  }
  return out;
}

cron.schedule('0 3 * * *', () => tagAll(['a', 'b']));
`;

function project(name: string, model: string): { dir: string; file: string } {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  const file = path.join(dir, 'src', 'daily.ts');
  fs.writeFileSync(file, job(model));
  return { dir, file };
}

const run = (dir: string, allBackground?: boolean) => fixFlex({ dir, force: true, format: false, undici: false, sdkMajor: 7, allBackground });

describe('tierwise fix flex --all-background', () => {
  it('moves a batch-recommended loop on a flex-eligible model to flex only with the option', async () => {
    expect(flexEligibility(bundledPrices, 'gpt-5-mini')).toBe('eligible');
    const { dir, file } = project('eligible', 'gpt-5-mini');
    const before = fs.readFileSync(file, 'utf8');
    const findings = audit({ dir }).findings.filter((f) => f.rule === 'no-standard-tier-in-background');
    expect(findings.map((f) => f.recommendation?.tier)).toEqual(['batch']);

    const plain = await run(dir);
    expect(plain.selected).toBe(0);
    expect(plain.summary.changed).toEqual([]);
    expect(plain.summary.warnings.join('\n')).toMatch(/1 background call site\(s\) recommended for the Batch API were left alone.*--all-background/);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);

    const all = await run(dir, true);
    expect(all.selected).toBe(1);
    expect(all.summary.changed).toEqual(['src/daily.ts']);
    expect(all.summary.applied).toHaveLength(1);
    const after = fs.readFileSync(file, 'utf8');
    expect(after).toBe(
      before
        .replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })')
        .replace("content: `Tag: ${item}` }] })", "content: `Tag: ${item}` }], service_tier: 'flex' })"),
    );
    await typecheck(dir, 'v7');

    const again = await run(dir, true);
    expect(again.summary.changed).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(after);
  }, 120_000);

  it('leaves a batch-recommended loop on a model that is not flex-eligible alone even with the option', async () => {
    expect(flexEligibility(bundledPrices, 'gpt-4o-mini')).toBe('not-eligible');
    const { dir, file } = project('not-eligible', 'gpt-4o-mini');
    const before = fs.readFileSync(file, 'utf8');
    const findings = audit({ dir }).findings.filter((f) => f.rule === 'no-standard-tier-in-background');
    expect(findings.map((f) => f.recommendation?.tier)).toEqual(['batch']);
    const all = await run(dir, true);
    expect(all.selected).toBe(0);
    expect(all.summary.changed).toEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  }, 120_000);
});
