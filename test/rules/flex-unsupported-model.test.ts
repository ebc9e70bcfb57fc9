import fs from 'node:fs';
import { rule } from '../../rules/flex-unsupported-model.js';
import { runRule, typedFile, typedTester, untypedFile, untypedTester } from './support.js';

const call = (model: string, tier = "service_tier: 'flex', ") => `import OpenAI from 'openai';
const openai = new OpenAI({ timeout: 15 * 60 * 1000 });
export async function run(): Promise<void> {
  await openai.chat.completions.create({ model: '${model}', ${tier}messages: [] });
}
`;

runRule(untypedTester(), 'flex-unsupported-model (recommended, no types)', rule, {
  valid: [
    { name: 'flex-eligible model', filename: untypedFile('src/a.ts'), code: call('gpt-5-mini') },
    { name: 'unknown model (not reported: no evidence either way)', filename: untypedFile('src/b.ts'), code: call('gpt-5.1') },
    { name: 'not flex', filename: untypedFile('src/c.ts'), code: call('gpt-4o', '') },
  ],
  invalid: [
    {
      name: 'gpt-4o-mini is not flex-eligible (no entrypoint needed)',
      filename: untypedFile('src/d.ts'),
      code: call('gpt-4o-mini'),
      errors: [{ messageId: 'unsupportedModel', line: 4, suggestions: [] }],
    },
    {
      name: 'model from a local constant',
      filename: untypedFile('src/e.ts'),
      code: `import OpenAI from 'openai';
const MODEL = 'gpt-4.1';
const openai = new OpenAI({ timeout: 15 * 60 * 1000 });
export const run = () =>
  openai.chat.completions.create({ model: MODEL, service_tier: 'flex', messages: [] });
`,
      errors: [{ messageId: 'unsupportedModel', line: 5 }],
    },
  ],
});

runRule(typedTester(), 'flex-unsupported-model (recommended-type-checked)', rule, {
  valid: [{ name: 'interactive route without flex', filename: typedFile('src/routes/chat.ts'), code: fs.readFileSync(typedFile('src/routes/chat.ts'), 'utf8') }],
  invalid: [
    {
      name: 'gpt-4o-mini on flex in a cron job',
      filename: typedFile('src/jobs/flex.ts'),
      code: fs.readFileSync(typedFile('src/jobs/flex.ts'), 'utf8'),
      errors: [{ messageId: 'unsupportedModel', line: 8 }],
    },
  ],
});
