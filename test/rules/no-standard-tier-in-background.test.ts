import fs from 'node:fs';
import { rule } from '../../rules/no-standard-tier-in-background.js';
import { runRule, typedFile, typedTester, untypedFile, untypedTester } from './support.js';

const cronJob = `import cron from 'node-cron';
import OpenAI from 'openai';

const openai = new OpenAI();

async function digest(): Promise<void> {
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hi' }] });
}

cron.schedule('0 6 * * *', digest);
`;

const evalFile = `import OpenAI from 'openai';
const openai = new OpenAI();

const res = await openai.responses.create({ model: 'gpt-5-mini', input: 'Is the sky blue?' });
console.log(res.output_text);
`;

const vercelRoute = `import OpenAI from 'openai';
const openai = new OpenAI();
export async function GET(): Promise<Response> {
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [] });
  return new Response('ok');
}
`;

/** A params variable with an explicit `'default' as const`: the suggestion keeps the `as const` (else TS2769). */
const asConstJob = `import cron from 'node-cron';
import OpenAI from 'openai';
const c3 = new OpenAI();
async function summarise(text: string) {
  const req = { model: 'gpt-5-mini', input: text, service_tier: 'default' as const };
  await c3.responses.create(req);
}
cron.schedule('0 5 * * *', () => summarise('...'));
`;

/** One params object for an interactive route and a cron job: the suggestion overrides the tier at the cron call only. */
const sharedParams = `import express from 'express';
import cron from 'node-cron';
import OpenAI from 'openai';
const client = new OpenAI();
const app = express();
const SUMMARY_PARAMS = { model: 'gpt-5-mini', input: 'Summarise the day' };
app.get('/api/summary', async (_q, res) => {
  res.json(await client.responses.create(SUMMARY_PARAMS));
});
export async function nightly() {
  return client.responses.create(SUMMARY_PARAMS);
}
cron.schedule('0 * * * *', () => nightly());
`;

/** JavaScript: no TypeScript-only `as const` in the suggestion. */
const jsJob = `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
async function digest(text) {
  const params = { model: 'gpt-5-mini', input: text };
  await openai.responses.create(params);
}
cron.schedule('0 6 * * *', () => digest('...'));
`;

runRule(untypedTester(), 'no-standard-tier-in-background (recommended, no types)', rule, {
  valid: [
    {
      name: 'interactive Express route in the same file',
      filename: untypedFile('src/routes/chat.ts'),
      code: `import express from 'express';
import OpenAI from 'openai';
const openai = new OpenAI();
const app = express();
app.post('/chat', async (req, res) => {
  const r = await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [] });
  res.json(r);
});
`,
    },
    {
      name: 'the handler is in another file: not visible without types',
      filename: untypedFile('src/ai/summarize.ts'),
      code: fs.readFileSync(typedFile('src/ai/summarize.ts'), 'utf8'),
    },
    {
      name: 'already on flex with a long client timeout',
      filename: untypedFile('src/jobs/ok.ts'),
      code: cronJob
        .replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })')
        .replace("model: 'gpt-5-mini',", "model: 'gpt-5-mini', service_tier: 'flex',"),
    },
    {
      name: 'a look-alike that is not the OpenAI SDK',
      filename: untypedFile('src/jobs/fake.ts'),
      code: `import cron from 'node-cron';
const fake = { chat: { completions: { create: async (_: unknown) => 1 } } };
cron.schedule('0 6 * * *', async () => { await fake.chat.completions.create({ model: 'gpt-5-mini' }); });
`,
    },
    {
      name: 'tierwise-ignore-next-line',
      filename: untypedFile('src/jobs/ignored.ts'),
      code: cronJob.replace('  await openai.chat', '  // tierwise-ignore-next-line\n  await openai.chat'),
    },
    {
      name: 'no SDK call at all (pre-filter)',
      filename: untypedFile('src/jobs/plain.ts'),
      code: `import cron from 'node-cron';\ncron.schedule('* * * * *', () => console.log('tick'));\n`,
    },
  ],
  invalid: [
    {
      name: 'node-cron handler in the same file: tier and client timeout suggestions',
      filename: untypedFile('src/jobs/digest.ts'),
      code: cronJob,
      errors: [
        {
          messageId: 'standardTier',
          line: 7,
          suggestions: [
            {
              messageId: 'addFlexTier',
              output: cronJob.replace("content: 'hi' }] }", "content: 'hi' }], service_tier: 'flex' }"),
            },
            {
              messageId: 'raiseTimeoutOnClient',
              output: cronJob.replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })'),
            },
          ],
        },
      ],
    },
    {
      name: "BullMQ worker in the same file, explicit 'default' tier, per-request options already present",
      filename: untypedFile('src/workers/translate.ts'),
      code: `import { Worker } from 'bullmq';
import OpenAI from 'openai';
import { mkClient } from './elsewhere.js';

const shared = new OpenAI();
export const w = new Worker('translate', async (job) => {
  await shared.responses.create({ model: 'gpt-5-nano', service_tier: 'default', input: String(job.data) }, { maxRetries: 1 });
});
void mkClient;
`,
      errors: [
        {
          messageId: 'standardTier',
          line: 7,
          suggestions: [
            {
              messageId: 'replaceTier',
              data: { tier: 'default' },
              output: `import { Worker } from 'bullmq';
import OpenAI from 'openai';
import { mkClient } from './elsewhere.js';

const shared = new OpenAI();
export const w = new Worker('translate', async (job) => {
  await shared.responses.create({ model: 'gpt-5-nano', service_tier: 'flex', input: String(job.data) }, { maxRetries: 1 });
});
void mkClient;
`,
            },
            {
              messageId: 'raiseTimeoutOnClient',
              output: `import { Worker } from 'bullmq';
import OpenAI from 'openai';
import { mkClient } from './elsewhere.js';

const shared = new OpenAI({ timeout: 15 * 60 * 1000 });
export const w = new Worker('translate', async (job) => {
  await shared.responses.create({ model: 'gpt-5-nano', service_tier: 'default', input: String(job.data) }, { maxRetries: 1 });
});
void mkClient;
`,
            },
          ],
        },
      ],
    },
    {
      name: 'Vercel cron route listed in vercel.json',
      filename: untypedFile('app/api/cron/digest/route.ts'),
      code: vercelRoute,
      errors: [
        {
          messageId: 'standardTier',
          line: 4,
          suggestions: [
            { messageId: 'addFlexTier', output: vercelRoute.replace('messages: [] }', "messages: [], service_tier: 'flex' }") },
            { messageId: 'raiseTimeoutOnClient', output: vercelRoute.replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })') },
          ],
        },
      ],
    },
    {
      name: 'eval file convention (evals/**): top-level call',
      filename: untypedFile('evals/answer-quality.ts'),
      code: evalFile,
      errors: [
        {
          messageId: 'standardTier',
          line: 4,
          suggestions: [
            { messageId: 'addFlexTier', output: evalFile.replace("input: 'Is the sky blue?' }", "input: 'Is the sky blue?', service_tier: 'flex' }") },
            { messageId: 'raiseTimeoutOnClient', output: evalFile.replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })') },
          ],
        },
      ],
    },
    {
      name: "params variable with 'default' as const: the tier suggestion keeps the `as const`",
      filename: untypedFile('src/jobs/as-const.ts'),
      code: asConstJob,
      errors: [
        {
          messageId: 'standardTier',
          line: 6,
          suggestions: [
            { messageId: 'replaceTier', data: { tier: 'default' }, output: asConstJob.replace("'default' as const", "'flex' as const") },
            { messageId: 'raiseTimeoutOnClient', output: asConstJob.replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })') },
          ],
        },
      ],
    },
    {
      name: 'params object shared with an interactive route: the tier goes on the cron call, the shared object stays',
      filename: untypedFile('src/jobs/shared-params.ts'),
      code: sharedParams,
      errors: [
        {
          messageId: 'standardTier',
          line: 11,
          suggestions: [
            {
              messageId: 'addFlexTier',
              output: sharedParams.replace(
                'return client.responses.create(SUMMARY_PARAMS);',
                "return client.responses.create({ ...SUMMARY_PARAMS, service_tier: 'flex' });",
              ),
            },
            {
              messageId: 'raiseTimeoutOnRequest',
              output: sharedParams.replace(
                'return client.responses.create(SUMMARY_PARAMS);',
                'return client.responses.create(SUMMARY_PARAMS, { timeout: 15 * 60 * 1000 });',
              ),
            },
          ],
        },
      ],
    },
    {
      name: 'JavaScript file: the params variable gets `service_tier: \'flex\'` without `as const`',
      filename: untypedFile('src/jobs/digest.js'),
      code: jsJob,
      errors: [
        {
          messageId: 'standardTier',
          line: 6,
          suggestions: [
            { messageId: 'addFlexTier', output: jsJob.replace('input: text };', "input: text, service_tier: 'flex' };") },
            { messageId: 'raiseTimeoutOnClient', output: jsJob.replace('new OpenAI()', 'new OpenAI({ timeout: 15 * 60 * 1000 })') },
          ],
        },
      ],
    },
    {
      name: 'config glob (tierwise.config.json entrypoints.background)',
      filename: untypedFile('src/tasks/reindex-job.ts'),
      code: `import OpenAI from 'openai';
const openai = new OpenAI();
export async function run(texts: string[]): Promise<void> {
  for (const input of texts) await openai.embeddings.create({ model: 'text-embedding-3-small', input });
}
`,
      errors: [{ messageId: 'standardTier', line: 4, suggestions: [] }],
    },
  ],
});

runRule(typedTester(), 'no-standard-tier-in-background (recommended-type-checked)', rule, {
  valid: [{ name: 'interactive route', filename: typedFile('src/routes/chat.ts'), code: fs.readFileSync(typedFile('src/routes/chat.ts'), 'utf8') }],
  invalid: [
    {
      name: 'reached from a cron job in another file; the client lives in another file, so the timeout goes per request',
      filename: typedFile('src/ai/summarize.ts'),
      code: fs.readFileSync(typedFile('src/ai/summarize.ts'), 'utf8'),
      errors: [
        {
          messageId: 'standardTier',
          line: 5,
          suggestions: [
            {
              messageId: 'addFlexTier',
              output: fs
                .readFileSync(typedFile('src/ai/summarize.ts'), 'utf8')
                .replace("content: `Summarise:\\n${posts.join('\\n')}` }],\n", "content: `Summarise:\\n${posts.join('\\n')}` }],\n    service_tier: 'flex',\n"),
            },
            {
              messageId: 'raiseTimeoutOnRequest',
              output: fs.readFileSync(typedFile('src/ai/summarize.ts'), 'utf8').replace("}],\n  });", "}],\n  }, { timeout: 15 * 60 * 1000 });"),
            },
          ],
        },
      ],
    },
  ],
});
