import fs from 'node:fs';
import { rule } from '../../rules/flex-needs-timeout.js';
import { runRule, typedFile, typedTester, untypedFile, untypedTester } from './support.js';

const job = (clientArgs: string, requestOptions = '') => `import cron from 'node-cron';
import OpenAI from 'openai';

const client = new OpenAI(${clientArgs});

cron.schedule('0 * * * *', async () => {
  await client.responses.create({ model: 'gpt-5-nano', service_tier: 'flex', input: 'tag' }${requestOptions});
});
`;

runRule(untypedTester(), 'flex-needs-timeout (recommended, no types)', rule, {
  valid: [
    { name: 'client timeout of 15 minutes', filename: untypedFile('src/jobs/a.ts'), code: job('{ timeout: 15 * 60 * 1000 }') },
    { name: 'per-request timeout of 20 minutes', filename: untypedFile('src/jobs/b.ts'), code: job('', ', { timeout: 1_200_000 }') },
    {
      name: 'not flex',
      filename: untypedFile('src/jobs/c.ts'),
      code: job('{ timeout: 1000 }').replace("service_tier: 'flex', ", ''),
    },
  ],
  invalid: [
    {
      name: "SDK default (10 min): raise it on the client, used only by this background job",
      filename: untypedFile('src/jobs/d.ts'),
      code: job(''),
      errors: [{ messageId: 'shortTimeout', line: 7, suggestions: [{ messageId: 'raiseTimeoutOnClient', output: job('{ timeout: 15 * 60 * 1000 }') }] }],
    },
    {
      name: 'a short client timeout is replaced',
      filename: untypedFile('src/jobs/e.ts'),
      code: job('{ maxRetries: 2, timeout: 30_000 }'),
      errors: [
        {
          messageId: 'shortTimeout',
          line: 7,
          suggestions: [{ messageId: 'raiseTimeoutOnClient', output: job('{ maxRetries: 2, timeout: 15 * 60 * 1000 }') }],
        },
      ],
    },
    {
      name: 'a short per-request timeout is raised in place',
      filename: untypedFile('src/jobs/f.ts'),
      code: job('', ', { timeout: 60_000 }'),
      errors: [
        {
          messageId: 'shortTimeout',
          line: 7,
          suggestions: [{ messageId: 'raiseTimeoutOnRequest', output: job('', ', { timeout: 15 * 60 * 1000 }') }],
        },
      ],
    },
  ],
});

const flexFile = fs.readFileSync(typedFile('src/jobs/flex.ts'), 'utf8');

runRule(typedTester(), 'flex-needs-timeout (recommended-type-checked)', rule, {
  valid: [{ name: 'no flex call', filename: typedFile('src/ai/summarize.ts'), code: fs.readFileSync(typedFile('src/ai/summarize.ts'), 'utf8') }],
  invalid: [
    {
      name: 'client timeout of 60 s, one of two calls on the client',
      filename: typedFile('src/jobs/flex.ts'),
      code: flexFile,
      errors: [
        {
          messageId: 'shortTimeout',
          line: 7,
          suggestions: [{ messageId: 'raiseTimeoutOnClient', output: flexFile.replace('timeout: 60_000', 'timeout: 15 * 60 * 1000') }],
        },
      ],
    },
  ],
});
