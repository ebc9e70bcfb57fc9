import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import type { Report } from '../../src/core/types.js';
import { tempProjects } from '../support/temp.js';

/**
 * Edge cases of the queue and interactive entries that the fixture projects do not show. Projects are written to a
 * temporary folder without node_modules, so calls and frameworks are recognised from imports alone (the audit's
 * untyped path), which is also what a bare clone gets.
 */
const write = tempProjects('qi');
const auditFiles = (files: Record<string, string>): Report => audit({ dir: write(files) });

const OPENAI = `import OpenAI from 'openai';
export const openai = new OpenAI();
export async function ask(q: string) {
  const r = await openai.responses.create({ model: 'gpt-5-mini', input: q });
  return r.output_text;
}
`;

const triggers = (r: Report) => r.callSites.flatMap((s) => s.contexts.map((c) => `${c.framework}: ${c.trigger}`)).sort();

describe('queue entries tell receivers apart by package', () => {
  it("an EventEmitter's on('message') in a Pub/Sub project is not a subscription; the subscription is", () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/bus.ts': `import { EventEmitter } from 'node:events';
import { PubSub } from '@google-cloud/pubsub';
import { ask } from './ai.js';
const bus = new EventEmitter();
bus.on('message', async (m: string) => { await ask(m); });
const sub = new PubSub().subscription('questions');
sub.on('message', async (m: { data: Buffer }) => { await ask(m.data.toString()); });
`,
    });
    expect(triggers(r)).toEqual(["google-pubsub: Pub/Sub subscription 'questions' message"]);
  });

  it('a bee-queue and a Bull queue built in another file each keep their own framework and name', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/queues.ts': `import Bull from 'bull';
import Bee from 'bee-queue';
export const a = new Bull('alpha');
export const b = new Bee('beta');
`,
      'src/workers.ts': `import { a, b } from './queues.js';
import { ask } from './ai.js';
a.process(async (job: { data: string }) => ask(job.data));
b.process(3, async (job: { data: string }) => ask(job.data));
`,
    });
    expect(triggers(r)).toEqual(["bee-queue: bee-queue process 'beta'", "bull: Bull process 'alpha'"]);
  });

  it('kafkajs eachMessage on a class field consumer; amqplib consume on a Channel-typed parameter', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/consumers.ts': `import { Kafka } from 'kafkajs';
import type { Channel } from 'amqplib';
import { ask } from './ai.js';
export class Scorer {
  private readonly consumer = new Kafka({ brokers: [] }).consumer({ groupId: 'scorers' });
  async start() {
    await this.consumer.run({ eachMessage: async ({ message }) => { await ask(String(message.value)); } });
  }
}
export async function listen(channel: Channel) {
  await channel.consume('jobs', async (msg) => { if (msg) await ask(msg.content.toString()); });
}
`,
    });
    expect(triggers(r)).toEqual(["amqplib: amqplib consume 'jobs'", "kafkajs: kafkajs eachMessage (group 'scorers')"]);
    expect(r.findings.map((f) => f.recommendation?.tier)).toEqual(['flex']);
  });

  it('a per-item loop in a queue worker stays flex: a queue message is expected to finish well within 24 h', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/worker.ts': `import { PgBoss } from 'pg-boss';
import { ask } from './ai.js';
const boss = new PgBoss('postgres://x');
await boss.work<{ q: string }>('questions', { batchSize: 20 }, async (jobs) => {
  for (const job of jobs) await ask(job.data.q);
});
`,
    });
    const [f] = r.findings;
    expect(f?.context?.trigger).toBe("pg-boss work 'questions'");
    expect(r.callSites[0]?.perItem?.kind).toBe('for-of');
    expect(f?.recommendation?.tier).toBe('flex');
  });
});

describe('interactive entries', () => {
  it('NestJS controller paths join the prefix (string or { path }) and the method path', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/a.controller.ts': `import { Controller, Get, Post, Sse } from '@nestjs/common';
import { ask } from './ai.js';
@Controller({ path: '/v1/answers/' })
export class AnswersController {
  @Post() create() { return ask('a'); }
  @Sse('stream') stream() { return ask('b'); }
  helper() { return ask('c'); }
}
@Controller()
export class RootController {
  @Get('health/deep') deep() { return ask('d'); }
}
`,
    });
    expect(triggers(r)).toEqual(['nestjs: NestJS GET /health/deep', 'nestjs: NestJS POST /v1/answers', 'nestjs: NestJS SSE /v1/answers/stream']);
  });

  it('resolver maps held in a variable, and task lists typed TaskList, are found; a Query key outside GraphQL projects is not', () => {
    const withGraphql = auditFiles({
      'src/ai.ts': OPENAI,
      'src/schema.ts': `import { makeExecutableSchema } from '@graphql-tools/schema';
import { ask } from './ai.js';
const answer = (_: unknown, a: { q: string }) => ask(a.q);
export const resolvers = { Query: { answer }, Subscription: { live: { subscribe: async function* () { yield await ask('x'); } } } };
export const schema = makeExecutableSchema({ typeDefs: 'type Query { answer(q: String!): String }', resolvers });
`,
      'src/tasks.ts': `import type { TaskList } from 'graphile-worker';
import { ask } from './ai.js';
export const jobs: TaskList = { nightly_answers: async () => { await ask('n'); } };
`,
    });
    expect(triggers(withGraphql)).toEqual([
      "graphile-worker: graphile-worker task 'nightly_answers'",
      'graphql: GraphQL Query.answer',
      'graphql: GraphQL Subscription.live',
    ]);
    const without = auditFiles({
      'src/ai.ts': OPENAI,
      'src/config.ts': `import { ask } from './ai.js';
export const ui = { Query: { run: () => ask('q') } };
`,
    });
    expect(triggers(without)).toEqual([]);
  });

  it('tRPC procedures are named by their router key; a .query() on another package is not a procedure', () => {
    const r = auditFiles({
      'src/ai.ts': OPENAI,
      'src/router.ts': `import { initTRPC } from '@trpc/server';
import knex from 'knex';
import { ask } from './ai.js';
const t = initTRPC.create();
const db = knex({});
export const appRouter = t.router({
  answer: t.procedure.input((v: unknown) => v as string).query(({ input }) => ask(input)),
});
export const rows = db.query(async () => ask('not a procedure'));
`,
    });
    expect(triggers(r)).toEqual(['trpc: tRPC query answer']);
  });
});
