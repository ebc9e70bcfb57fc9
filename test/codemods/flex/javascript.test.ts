/**
 * `fix flex` on JavaScript files (.mjs / .js): the edits must not write TypeScript-only syntax (`as const`), which
 * made the codemod's output fail to parse ("the codemod's output does not parse").
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixFlex } from '../../../src/fix/flex.js';
import { syntaxError } from '../../../src/fix/runner.js';
import { repoTmp } from './support.js';

const job = `import cron from 'node-cron';
import OpenAI from 'openai';

const client = new OpenAI();

export async function nightly(text) {
  const params = { model: 'gpt-5-mini', input: text };
  return client.responses.create(params);
}

export async function tagged(text) {
  const req = { model: 'gpt-5-mini', input: text, service_tier: 'default' };
  return client.responses.create(req);
}

cron.schedule('0 * * * *', async () => {
  await nightly('...');
  await tagged('...');
});
`;

const fixed = job
  .replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })')
  .replace('input: text };', "input: text, service_tier: 'flex' };")
  .replace("service_tier: 'default'", "service_tier: 'flex'");

const tmp = repoTmp('flex-js');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('fix flex on JavaScript files', () => {
  for (const ext of ['mjs', 'js']) {
    it(`.${ext}: params variables get service_tier: 'flex' without \`as const\``, async () => {
      const dir = path.join(tmp, ext);
      fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
      const file = path.join(dir, 'src', `job.${ext}`);
      fs.writeFileSync(file, job);
      const result = await fixFlex({ dir, force: true, format: false, undici: false, sdkMajor: 7 });
      const out = fs.readFileSync(file, 'utf8');
      expect(result.summary.skipped).toEqual([]);
      expect(result.summary.changed).toEqual([`src/job.${ext}`]);
      expect(out).toBe(fixed);
      expect(syntaxError(file, out)).toBeUndefined();
    });
  }
});
