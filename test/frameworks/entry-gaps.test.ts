import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { Report } from '../../src/core/types.js';
import { tempProjects } from '../support/temp.js';

/**
 * Entrypoint shapes the fixture projects do not show: wrapped route handlers, evals that run their task per dataset
 * row, inline server actions, CommonJS Lambda handlers named by serverless.yml, and Bree's default jobs root. Projects
 * are written to a temporary folder without node_modules (the audit's untyped path).
 */
const write = tempProjects('gaps');
const auditFiles = (files: Record<string, string>): Report => audit({ dir: write(files) });

const OPENAI = `import OpenAI from 'openai';
export const openai = new OpenAI();
export async function a(q: string) {
  const r = await openai.responses.create({ model: 'gpt-5-mini', input: q });
  return r.output_text;
}
`;

const CRON = `import cron from 'node-cron';
import { a } from './ai.js';
cron.schedule('0 6 * * *', async () => { await a('daily'); });
`;

const triggers = (r: Report) => r.callSites.flatMap((s) => s.contexts.map((c) => `${c.framework}: ${c.trigger}`)).sort();

describe('route handlers passed through a wrapper call are still handlers', () => {
  it('express-async-handler around an inline handler: the helper is mixed, with no auto-fix edits', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/cron.ts': CRON,
      'src/server.ts': `import express from 'express';
import asyncHandler from 'express-async-handler';
import { a } from './ai.js';
const app = express();
app.post('/a', asyncHandler(async (req, res) => res.json(await a(req.body.t))));
`,
    });
    expect(triggers(r)).toEqual(["express: Express POST /a", "node-cron: node-cron '0 6 * * *'"]);
    expect(r.callSites[0]?.classification).toBe('mixed');
    expect(r.findings[0]?.context?.mixed).toBe(true);
    expect(r.findings[0]?.edits ?? []).toEqual([]);
  });

  it('a locally defined wrapper, and router.get(path, mw, wrap(handler)) with a named handler', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/cron.ts': CRON,
      'src/routes.ts': `import { Router, type Request, type Response, type NextFunction } from 'express';
import { a } from './ai.js';
const wrap = (fn: (req: Request, res: Response) => Promise<unknown>) => (req: Request, res: Response, next: NextFunction) => fn(req, res).catch(next);
const auth = (_req: Request, _res: Response, next: NextFunction) => next();
async function summarize(req: Request, res: Response) {
  res.json(await a(String(req.query.t)));
}
const PATH = '/summary';
export const router = Router();
router.get(PATH, auth, wrap(summarize));
router.post('/twice', wrap(wrap(async (req, res) => res.json(await a(req.body.t)))));
`,
    });
    expect(triggers(r)).toEqual(['express: Express GET /summary', 'express: Express POST /twice', "node-cron: node-cron '0 6 * * *'"]);
    expect(r.callSites[0]?.classification).toBe('mixed');
  });

  it('a queue processor wrapped the same way is still the worker', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/worker.ts': `import { Worker } from 'bullmq';
import { a } from './ai.js';
const traced = <T extends (...args: any[]) => any>(fn: T) => fn;
new Worker('emails', traced(async (job: { data: { q: string } }) => { await a(job.data.q); }));
`,
    });
    expect(triggers(r)).toEqual(["bullmq: BullMQ worker 'emails'"]);
  });
});

describe('eval tasks run once per dataset row', () => {
  it('Braintrust Eval with literal rows: per item with the literal size', () => {
    const r = auditFiles({
      'evals/summary.eval.ts': `import { Eval } from 'braintrust';
import OpenAI from 'openai';
const openai = new OpenAI();
Eval('summaries', {
  data: () => [{ input: 'a' }, { input: 'b' }, { input: 'c' }],
  task: async (input: string) => (await openai.responses.create({ model: 'gpt-5-mini', input })).output_text,
  scores: [],
});
`,
    });
    const site = r.callSites[0]!;
    expect(site.contexts.map((c) => c.framework)).toEqual(['braintrust']);
    expect(site.perItem).toMatchObject({ kind: 'eval-data', size: 3 });
    const f = r.findings[0]!;
    expect(f.recommendation?.reason).not.toContain('a single call per run');
    const calls = f.savings && !f.savings.unknown ? f.savings.assumptions.find((x) => x.what.startsWith('calls per run')) : undefined;
    expect(calls).toMatchObject({ value: 3, source: 'code' });
  });

  it('evalite with a task defined apart and data of unknown size; LangSmith evaluate on a dataset name', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'evals/qa.eval.ts': `import { evalite } from 'evalite';
import { a } from '../src/ai.js';
import { loadRows } from './rows.js';
const task = async (input: string) => a(input);
evalite('qa', { data: loadRows, task, scorers: [] });
`,
      'evals/rows.ts': `export async function loadRows() { return [] as Array<{ input: string }>; }\n`,
      'evals/ls.ts': `import { evaluate } from 'langsmith/evaluation';
import { a } from '../src/ai.js';
await evaluate(async (inputs: { q: string }) => ({ answer: await a(inputs.q) }), { data: 'qa-dataset', evaluators: [] });
`,
    });
    const site = r.callSites[0]!;
    const byFw = Object.fromEntries(site.contexts.map((c) => [c.framework, (c as { perItem?: unknown }).perItem]));
    expect(Object.keys(byFw).sort()).toEqual(['evalite', 'langsmith']);
    expect(byFw.evalite).toMatchObject({ kind: 'eval-data', collection: 'loadRows', size: null });
    expect(byFw.langsmith).toMatchObject({ kind: 'eval-data', collection: "dataset 'qa-dataset'", size: null });
    expect(site.perItem).toMatchObject({ kind: 'eval-data', size: null });
    expect(r.findings[0]?.recommendation?.reason).not.toContain('a single call per run');
  });
});

describe('Next.js inline server actions', () => {
  it("a function whose body starts with 'use server' inside a page component is interactive", () => {
    const r = auditFiles({
      'package.json': JSON.stringify({ dependencies: { next: '15.0.0' } }),
      'src/lib/ai.ts': OPENAI,
      'src/app/page.tsx': `import { a } from '../lib/ai.js';
export default function Page() {
  async function act(fd: FormData) {
    'use server';
    await a(String(fd.get('q')));
  }
  return <form action={act} />;
}
`,
    });
    expect(triggers(r)).toEqual(['nextjs: Next.js server action act']);
    expect(r.callSites[0]?.classification).toBe('interactive');
  });

  it("exports of a file whose first statement is 'use server' are actions; a later string statement is not a directive", () => {
    const r = auditFiles({
      'src/lib/ai.ts': OPENAI,
      'src/app/actions.ts': `'use server';
import { a } from '../lib/ai.js';
export const save = async (q: string) => a(q);
`,
      'src/app/not-actions.ts': `import { a } from '../lib/ai.js';
'use server';
export async function later(q: string) { return a(q); }
`,
    });
    expect(triggers(r)).toEqual(['nextjs: Next.js server action save']);
  });
});

describe('serverless.yml with CommonJS and untyped handlers', () => {
  it('module.exports.handler / exports.handler named by schedule and sqs events', () => {
    const r = auditFiles({
      'serverless.yml': `service: x
provider: { name: aws, runtime: nodejs20.x }
functions:
  daily:
    handler: src/fn/daily.handler
    events:
      - schedule: cron(0 6 * * ? *)
  hourly:
    handler: src/fn/hourly.handler
    events:
      - schedule: rate(1 hour)
  ingest:
    handler: src/fn/ingest.handler
    events:
      - sqs:
          arn: arn:aws:sqs:eu-west-1:123456789012:orders
`,
      'src/ai.js': `const OpenAI = require('openai');
const openai = new OpenAI();
async function ask(q) {
  const r = await openai.responses.create({ model: 'gpt-5-mini', input: q });
  return r.output_text;
}
module.exports = { ask };
`,
      'src/fn/daily.js': `const { ask } = require('../ai');
module.exports.handler = async function (event) { await ask('daily'); };
`,
      'src/fn/hourly.js': `const { ask } = require('../ai');
exports.handler = async (event) => { await ask('hourly'); };
`,
      'src/fn/ingest.ts': `import { ask } from '../ai.js';
export const handler = async (event: { Records: Array<{ body: string }> }) => {
  for (const r of event.Records) await ask(r.body);
};
`,
    });
    const ctx = r.callSites.flatMap((s) => s.contexts).map((c) => [c.kind, c.trigger, c.cadence]).sort((x, y) => String(x[1]).localeCompare(String(y[1])));
    expect(ctx).toEqual([
      ['cron', "serverless.yml daily schedule 'cron(0 6 * * ? *)'", { type: 'cron', expression: '0 6 * * *' }],
      ['interval', "serverless.yml hourly schedule 'rate(1 hour)'", { type: 'interval', everyMs: 3_600_000 }],
      ['queue', "serverless.yml ingest sqs 'orders'", { type: 'unknown' }],
    ]);
    expect(r.callSites[0]?.classification).toBe('background');
  });
});

describe('Bree default jobs root', () => {
  it("jobs resolve from <root>/jobs (path.resolve('jobs')) when new Bree sets no root", () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/bree.ts': `import Bree from 'bree';
const bree = new Bree({ jobs: [{ name: 'bree-job', interval: '2h' }] });
await bree.start();
`,
      'jobs/bree-job.ts': `import { a } from '../src/ai.js';
await a('job');
`,
    });
    expect(triggers(r)).toEqual(["bree: Bree job 'bree-job' interval '2h'"]);
    expect(r.callSites[0]?.contexts[0]?.cadence).toEqual({ type: 'interval', everyMs: 7_200_000 });
  });
});
