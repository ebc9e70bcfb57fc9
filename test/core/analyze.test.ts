import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPENAI_V4_OPTIONS, analyzeVirtual } from '../support/virtual.js';
import type { Analysis } from '../../src/core/analyze.js';

const site = (a: Analysis, file: string, line: number) => {
  const s = a.callSites.find((c) => c.file === file && c.line === line);
  if (!s) throw new Error(`no call site at ${file}:${line}; have ${a.callSites.map((c) => c.id).join(', ')}`);
  return s;
};

const cronJob = (body: string) => `import cron from 'node-cron';
${body}`;

describe('call-site recognition', () => {
  it('recognises every import style and endpoint, and nothing else', () => {
    const a = analyzeVirtual({
      'src/a.ts': `import OpenAI from 'openai';
const c = new OpenAI();
export async function run() {
  await c.chat.completions.create({ model: 'gpt-5-mini', messages: [] });
  await c.responses.create({ model: 'gpt-5-mini', input: 'x' });
  await c.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
  await c.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'x' });
  await c.moderations.create({ model: 'omni-moderation-latest', input: 'x' });
  await c.chat.completions.parse({ model: 'gpt-5-mini', messages: [] });
  c.chat.completions.stream({ model: 'gpt-5-mini', messages: [] });
  c.responses.stream({ model: 'gpt-5-mini', input: 'x' });
  await c.responses.parse({ model: 'gpt-5-mini', input: 'x' });
  await c.beta.chat.completions.parse({ model: 'gpt-5-mini', messages: [] });
  c.beta.chat.completions.stream({ model: 'gpt-5-mini', messages: [] });
}
`,
      'src/b.ts': `import { OpenAI as Client, AzureOpenAI } from 'openai';
import * as oai from 'openai';
const x = new Client();
const az = new AzureOpenAI({ apiVersion: '2025-01-01', endpoint: 'https://x' });
const ns = new oai.OpenAI();
export const go = () => Promise.all([
  x.chat.completions.create({ model: 'gpt-5', messages: [] }),
  az.chat.completions.create({ model: 'gpt-5', messages: [] }),
  ns.chat.completions.create({ model: 'gpt-5', messages: [] }),
]);
`,
      'src/c.cjs': `const OpenAI = require('openai');
const client = new OpenAI();
module.exports.run = () => client.chat.completions.create({ model: 'gpt-5', messages: [] });
`,
      'src/other-sdk.ts': `class FakeSdk { chat = { completions: { create: async (_: { model: string }) => 1 } } }
const sdk = new FakeSdk();
export const nope = () => sdk.chat.completions.create({ model: 'gpt-5' });
`,
    });
    expect(a.callSites.map((s) => `${s.file}:${s.line} ${s.endpoint}`)).toEqual([
      'src/a.ts:4 chat.completions.create',
      'src/a.ts:5 responses.create',
      'src/a.ts:6 embeddings.create',
      'src/a.ts:7 completions.create',
      'src/a.ts:8 moderations.create',
      'src/a.ts:9 chat.completions.parse',
      'src/a.ts:10 chat.completions.stream',
      'src/a.ts:11 responses.stream',
      'src/a.ts:12 responses.parse',
      'src/a.ts:13 beta.chat.completions.parse',
      'src/a.ts:14 beta.chat.completions.stream',
      'src/b.ts:7 chat.completions.create',
      'src/b.ts:8 chat.completions.create',
      'src/b.ts:9 chat.completions.create',
      'src/c.cjs:3 chat.completions.create',
    ]);
    expect(a.typeInfo).toBe('checker');
    expect(site(a, 'src/a.ts', 10).stream).toBe(true);
    expect(site(a, 'src/a.ts', 14).stream).toBe(true);
    expect(site(a, 'src/a.ts', 13).family).toBe('chat');
  });

  it('recognises the v4 endpoints beta.chat.completions.parse / .stream with types from openai v4', () => {
    const a = analyzeVirtual(
      {
        'src/v4.ts': cronJob(`import OpenAI from 'openai';
export async function summarize(client: OpenAI) {
  await client.beta.chat.completions.parse({ model: 'gpt-5-mini', messages: [] });
  const s = client.beta.chat.completions.stream({ model: 'gpt-5-mini', messages: [], service_tier: 'flex' });
  return s.finalChatCompletion();
}
const notSdk = { beta: { chat: { completions: { parse: (_: { model: string }) => 1 } } } };
export const nope = () => notSdk.beta.chat.completions.parse({ model: 'gpt-5' });
cron.schedule('*/5 * * * *', () => summarize(new OpenAI()));
`),
      },
      { compilerOptions: OPENAI_V4_OPTIONS },
    );
    expect(a.typeInfo).toBe('checker');
    expect(a.callSites.map((s) => `${s.line} ${s.endpoint} ${s.resolvedBy} ${s.classification} ${s.stream}`)).toEqual([
      '4 beta.chat.completions.parse checker background false',
      '5 beta.chat.completions.stream checker background true',
    ]);
    expect(site(a, 'src/v4.ts', 5).serviceTier).toBe('flex');
    expect(a.findings.map((f) => `${f.line} ${f.rule} ${f.recommendation?.tier ?? '-'}`)).toEqual([
      '4 no-standard-tier-in-background flex',
      '5 flex-needs-timeout -',
    ]);
  });

  it('follows clients across modules, factories, class fields, DI constructor params and arguments', () => {
    const a = analyzeVirtual({
      'src/client.ts': `import OpenAI from 'openai';
export const openai = new OpenAI({ timeout: 20_000 });
export function makeClient(): OpenAI { return new OpenAI({ timeout: 30_000 }); }
`,
      'src/use.ts': `import OpenAI from 'openai';
import { openai, makeClient } from './client.js';
export const viaExport = () => openai.chat.completions.create({ model: 'gpt-5', messages: [] });
export const viaFactory = () => makeClient().chat.completions.create({ model: 'gpt-5', messages: [] });
export class Svc {
  constructor(private readonly llm: OpenAI) {}
  run() { return this.llm.chat.completions.create({ model: 'gpt-5', messages: [] }); }
}
export function withArg(client: OpenAI) { return client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }); }
`,
    });
    expect(a.callSites).toHaveLength(4);
    expect(site(a, 'src/use.ts', 3).timeout).toEqual({ ms: 20_000, source: 'client' });
    expect(site(a, 'src/use.ts', 3).client.createdAt).toEqual({ file: 'src/client.ts', line: 2 });
    expect(site(a, 'src/use.ts', 4).timeout).toEqual({ ms: 30_000, source: 'client' });
    expect(site(a, 'src/use.ts', 7).resolvedBy).toBe('checker');
  });

  it('recognises a client passed to an untyped parameter, from the callers in the same file and across files (.ts and .js)', () => {
    const helper = `export function summarize(client, t) {
  return client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: t }] });
}
export const embed = (c, input) => c.embeddings.create({ model: 'text-embedding-3-small', input });
export function notAClient(x, t) { return x.chat.completions.create({ model: 'gpt-5-mini', t }); }
`;
    const job = (ext: string) =>
      cronJob(`import OpenAI from 'openai';
import { summarize, embed, notAClient } from './helper${ext}';
const openai = new OpenAI({ timeout: 20_000 });
const fake = { chat: { completions: { create: (_) => 1 } } };
cron.schedule('0 6 * * *', () => summarize(openai, 'x'));
cron.schedule('0 6 * * *', () => embed(openai, 'x'));
cron.schedule('0 6 * * *', () => notAClient(fake, 'x'));
`);
    const a = analyzeVirtual({
      'src/ts/helper.ts': helper,
      'src/ts/job.ts': job('.js'),
      'src/js/helper.js': helper,
      'src/js/job.js': job('.js'),
      'src/local.js': cronJob(`import OpenAI from 'openai';
function run(client) { return client.responses.create({ model: 'gpt-5-mini', input: 'x' }); }
cron.schedule('*/5 * * * *', () => run(new OpenAI()));
`),
    });
    expect(a.callSites.map((s) => `${s.file}:${s.line} ${s.endpoint} ${s.classification}`)).toEqual([
      'src/js/helper.js:2 chat.completions.create background',
      'src/js/helper.js:4 embeddings.create background',
      'src/local.js:3 responses.create background',
      'src/ts/helper.ts:2 chat.completions.create background',
      'src/ts/helper.ts:4 embeddings.create background',
    ]);
    expect(site(a, 'src/ts/helper.ts', 2).timeout).toEqual({ ms: 20_000, source: 'client' });
    expect(site(a, 'src/js/helper.js', 2).client.createdAt).toEqual({ file: 'src/js/job.js', line: 4 });
  });

  it('reads model, tier, stream and timeout through constants, variables and spreads', () => {
    const a = analyzeVirtual({
      'src/config.ts': `export const MODEL = 'gpt-5-mini';
export const base = { model: MODEL, temperature: 0 } as const;
`,
      'src/p.ts': `import OpenAI from 'openai';
import { base, MODEL } from './config.js';
const c = new OpenAI();
const TIER = 'priority';
export async function f(dyn: string) {
  await c.chat.completions.create({ ...base, messages: [] });
  const params = { model: MODEL, messages: [], service_tier: TIER } as const;
  await c.chat.completions.create(params);
  await c.chat.completions.create({ model: dyn, messages: [], stream: true, service_tier: 'flex' }, { timeout: 15 * 60 * 1000 });
  await c.responses.create({ model: 'gpt-5', input: 'x', service_tier: 'default' }, { timeout: 5000 });
  await c.responses.create({ model: \`gpt-\${'5'}\`, input: 'x' });
}
`,
    });
    const s6 = site(a, 'src/p.ts', 6);
    expect([s6.model, s6.serviceTier, s6.stream, s6.timeout]).toEqual(['gpt-5-mini', 'absent', false, { ms: 600_000, source: 'sdk-default' }]);
    const s8 = site(a, 'src/p.ts', 8);
    expect([s8.model, s8.serviceTier]).toEqual(['gpt-5-mini', 'priority']);
    const s9 = site(a, 'src/p.ts', 9);
    expect([s9.model, s9.serviceTier, s9.stream, s9.timeout]).toEqual([null, 'flex', true, { ms: 900_000, source: 'request' }]);
    expect(site(a, 'src/p.ts', 10).timeout).toEqual({ ms: 5000, source: 'request' });
    expect(site(a, 'src/p.ts', 11).model).toBe('gpt-5');
  });

  it('marks per-item calls: loops, map under Promise.all, forEach, p-limit wrappers, with literal sizes', () => {
    const a = analyzeVirtual({
      'src/l.ts': `import OpenAI from 'openai';
const c = new OpenAI();
const items = ['a', 'b', 'c'];
export async function f(xs: string[]) {
  for (const x of items) await c.embeddings.create({ model: 'text-embedding-3-small', input: x });
  for (let i = 0; i < 10; i++) await c.embeddings.create({ model: 'text-embedding-3-small', input: String(i) });
  await Promise.all(xs.map(async (x) => c.embeddings.create({ model: 'text-embedding-3-small', input: x })));
  xs.forEach((x) => void c.embeddings.create({ model: 'text-embedding-3-small', input: x }));
  const limit = <T>(fn: () => Promise<T>) => fn();
  await Promise.all(xs.map((x) => limit(() => c.embeddings.create({ model: 'text-embedding-3-small', input: x }))));
  let n = 0;
  while (n++ < 3) await c.embeddings.create({ model: 'text-embedding-3-small', input: 'w' });
  await c.embeddings.create({ model: 'text-embedding-3-small', input: 'once' });
}
`,
    });
    const kinds = a.callSites.map((s) => s.perItem && `${s.perItem.kind}:${s.perItem.size ?? '?'}`);
    expect(kinds).toEqual(['for-of:3', 'for:10', 'map:?', 'forEach:?', 'map:?', 'while:?', null]);
  });
});

describe('tracing to entrypoints', () => {
  it('follows calls across files, methods and DI to a cron job and a route: mixed, with both chains', () => {
    const a = analyzeVirtual({
      'src/ai.ts': `import OpenAI from 'openai';
const openai = new OpenAI();
export async function summarize(t: string) {
  return openai.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: t }] });
}
`,
      'src/service.ts': `import { summarize } from './ai.js';
export class DigestService {
  async build(texts: string[]) { for (const t of texts) await summarize(t); }
}
`,
      'src/job.ts': cronJob(`import { DigestService } from './service.js';
const svc = new DigestService();
cron.schedule('0 6 * * *', () => svc.build([]));
`),
      'src/routes.ts': `import express from 'express';
import { summarize } from './ai.js';
const app = express();
app.post('/summarize', async (req, res) => { res.json(await summarize(String(req.body))); });
`,
    });
    const s = site(a, 'src/ai.ts', 4);
    expect(s.classification).toBe('mixed');
    const cron = s.contexts.find((c) => c.kind === 'cron')!;
    expect(cron.trigger).toBe("node-cron '0 6 * * *'");
    expect(cron.entry).toEqual({ file: 'src/job.ts', line: 4, name: 'DigestService.build' });
    expect(cron.chain.map((c) => c.name)).toEqual(['cron.schedule(callback)', 'DigestService.build()', 'summarize()']);
    expect(s.contexts.find((c) => c.kind === 'interactive')!.trigger).toBe('Express POST /summarize');
    expect(s.perItem?.kind).toBe('for-of');
    const f = a.findings.find((x) => x.callSiteId === s.id)!;
    expect(f.rule).toBe('no-standard-tier-in-background');
    expect(f.context?.mixed).toBe(true);
    expect(f.edits).toBeUndefined();
  });

  it('a call reached from nothing is unknown and not flagged; an interactive-only call is not flagged', () => {
    const a = analyzeVirtual({
      'src/x.ts': `import OpenAI from 'openai';
const c = new OpenAI();
export const orphan = () => c.chat.completions.create({ model: 'gpt-5', messages: [] });
`,
      'src/r.ts': `import express from 'express';
import OpenAI from 'openai';
const c = new OpenAI();
const app = express();
app.get('/x', async (_req, res) => { res.json(await c.chat.completions.create({ model: 'gpt-5', messages: [] })); });
`,
    });
    expect(a.callSites.map((s) => s.classification)).toEqual(['interactive', 'unknown']);
    expect(a.findings).toEqual([]);
  });

  it('config globs and file:function entries mark entrypoints; unused entries are reported; ignore comments silence a call', () => {
    const a = analyzeVirtual(
      {
        'src/jobs/nightly.ts': `import OpenAI from 'openai';
const c = new OpenAI();
export async function nightly() { return c.chat.completions.create({ model: 'gpt-5', messages: [] }); }
export async function quiet() {
  // tierwise-ignore-next-line
  return c.chat.completions.create({ model: 'gpt-5', messages: [] });
}
`,
        'src/handlers.ts': `import OpenAI from 'openai';
const c = new OpenAI();
export async function handle() { return c.chat.completions.create({ model: 'gpt-5', messages: [] }); }
`,
      },
      { config: { entrypoints: { background: ['src/jobs/**', 'src/missing.ts:nothing'], interactive: ['src/handlers.ts:handle'], kind: 'cron' } } },
    );
    expect(site(a, 'src/jobs/nightly.ts', 3).contexts[0]).toMatchObject({ kind: 'cron', framework: 'config' });
    expect(site(a, 'src/handlers.ts', 3).classification).toBe('interactive');
    expect(site(a, 'src/jobs/nightly.ts', 6).ignored).toBe(true);
    expect(a.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/jobs/nightly.ts:3']);
    expect(a.unusedConfig).toEqual(['background:src/missing.ts:nothing']);
  });
});

describe('findings', () => {
  it('recommends flex for frequent single calls, batch for per-item daily loops, embeddings and non-flex models', () => {
    const a = analyzeVirtual({
      'src/jobs.ts': cronJob(`import OpenAI from 'openai';
const c = new OpenAI();
cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'gpt-5-mini', messages: [] }));
cron.schedule('0 3 * * *', async () => {
  for (const t of ['a', 'b']) await c.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: t }] });
});
cron.schedule('*/5 * * * *', () => c.embeddings.create({ model: 'text-embedding-3-small', input: 'x' }));
cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'gpt-4o-mini', messages: [] }));
cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'gpt-5-mini', messages: [], service_tier: 'flex' }));
cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'gpt-4o', messages: [], service_tier: 'flex' }, { timeout: 900_000 }));
`),
    });
    expect(a.findings.map((f) => `${f.line} ${f.rule} ${f.recommendation?.tier ?? '-'}`)).toEqual([
      '4 no-standard-tier-in-background flex',
      '6 no-standard-tier-in-background batch',
      '8 no-standard-tier-in-background batch',
      '9 no-standard-tier-in-background batch',
      '10 flex-needs-timeout -',
      '11 flex-unsupported-model -',
    ]);
    const flex = a.findings[0]!;
    expect(flex.message).toContain("node-cron '*/5 * * * *'");
    expect(flex.savings && !flex.savings.unknown && flex.savings.usdPerMonth).toBeGreaterThan(0);
    expect(flex.edits?.length).toBeGreaterThan(0);
  });

  it('recommends flex only on a model known flex-eligible: unknown, unlisted and dynamic models get batch', () => {
    const a = analyzeVirtual({
      'src/jobs.ts': cronJob(`import OpenAI from 'openai';
const c = new OpenAI();
export function run(dyn: string) {
  cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'gpt-5.1', messages: [] }));
  cron.schedule('*/5 * * * *', () => c.chat.completions.create({ model: 'my-finetune', messages: [] }));
  cron.schedule('*/5 * * * *', () => c.responses.create({ model: dyn, input: 'x' }));
  cron.schedule('*/5 * * * *', () => c.responses.create({ model: 'gpt-5-mini', input: 'x' }));
}
`),
    });
    expect(a.findings.map((f) => `${f.line} ${f.recommendation?.tier ?? '-'}`)).toEqual(['5 batch', '6 batch', '7 batch', '8 flex']);
    const [unknownStatus, unlisted, dynamic, flex] = a.findings;
    expect(unknownStatus!.recommendation!.reason).toMatch(/`gpt-5\.1` is not known to be flex-eligible/);
    expect(unlisted!.recommendation!.reason).toMatch(/`my-finetune` is not known to be flex-eligible/);
    expect(dynamic!.recommendation!.reason).toMatch(/model could not be determined/);
    for (const f of [unknownStatus, unlisted, dynamic]) {
      expect(f!.recommendation!.reason).not.toMatch(/check that/);
      expect(f!.edits).toBeUndefined();
    }
    expect(unlisted!.savings).toMatchObject({ unknown: true, why: expect.stringMatching(/not in the price table/) });
    expect(dynamic!.savings).toMatchObject({ unknown: true, why: expect.stringMatching(/not statically known/) });
    expect(flex!.edits?.length).toBeGreaterThan(0);
  });

  it('reads a timeout set with client.withOptions(); a raise on such a client goes per request, not on the shared client', async () => {
    const files = {
      'src/job.ts': cronJob(`import OpenAI from 'openai';
const openai = new OpenAI();
const slow = openai.withOptions({ timeout: 20 * 60 * 1000 });
const short = openai.withOptions({ timeout: 60_000 });
cron.schedule('*/5 * * * *', () => slow.chat.completions.create({ model: 'gpt-5-mini', messages: [], service_tier: 'flex' }));
cron.schedule('*/5 * * * *', () => short.chat.completions.create({ model: 'gpt-5-mini', messages: [], service_tier: 'flex' }));
cron.schedule('*/5 * * * *', () => slow.withOptions({ maxRetries: 1 }).chat.completions.create({ model: 'gpt-5-mini', messages: [], service_tier: 'flex' }, { timeout: 1000 }));
cron.schedule('*/5 * * * *', () => openai.withOptions({ maxRetries: 1 }).chat.completions.create({ model: 'gpt-5-mini', messages: [] }));
`),
    };
    const a = analyzeVirtual(files);
    expect(site(a, 'src/job.ts', 6).timeout).toEqual({ ms: 1_200_000, source: 'client' });
    expect(site(a, 'src/job.ts', 7).timeout).toEqual({ ms: 60_000, source: 'client' });
    expect(site(a, 'src/job.ts', 8).timeout).toEqual({ ms: 1000, source: 'request' });
    expect(site(a, 'src/job.ts', 9).timeout).toEqual({ ms: 600_000, source: 'sdk-default' });
    expect(a.findings.map((f) => `${f.line} ${f.rule}`)).toEqual(['7 flex-needs-timeout', '8 flex-needs-timeout', '9 no-standard-tier-in-background']);
    const { applyEdits } = await import('../../src/core/edits.js');
    for (const f of a.findings) {
      const out = applyEdits(files['src/job.ts'], f.edits!);
      expect(out).toContain('const openai = new OpenAI();');
      expect(out.split('\n')[f.line - 1]).toContain('timeout: 15 * 60 * 1000');
    }
  });

  it('flex edits add the tier and raise the timeout on a client used only in the background', async () => {
    const files = {
      'src/job.ts': cronJob(`import OpenAI from 'openai';
const c = new OpenAI({ apiKey: 'k' });
cron.schedule('*/5 * * * *', () =>
  c.chat.completions.create({
    model: 'gpt-5-mini',
    messages: [],
  }),
);
`),
    };
    const a = analyzeVirtual(files);
    const { applyEdits } = await import('../../src/core/edits.js');
    const edits = a.findings[0]!.edits!;
    const out = applyEdits(files['src/job.ts'], edits);
    expect(out).toContain("new OpenAI({ apiKey: 'k', timeout: 15 * 60 * 1000 })");
    expect(out).toContain("    messages: [],\n    service_tier: 'flex',\n  }),");
  });
});

describe('without node_modules', () => {
  it('recognises calls from imports and says so', () => {
    const a = analyzeVirtual(
      {
        'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const c = new OpenAI();
class Other { chat = { completions: { create: (_: unknown) => 1 } } }
const o = new Other();
cron.schedule('0 6 * * *', () => c.chat.completions.create({ model: 'gpt-5-mini', messages: [] }));
cron.schedule('0 6 * * *', () => o.chat.completions.create({ model: 'gpt-5-mini' }));
`,
      },
      { root: path.join(os.tmpdir(), 'tierwise-no-node-modules', 'app') },
    );
    expect(a.typeInfo).toBe('imports');
    expect(a.callSites.map((s) => `${s.line} ${s.resolvedBy} ${s.classification}`)).toEqual(['6 imports background']);
    expect(a.notes.join(' ')).toMatch(/did not resolve/);
  });
});

/** Runs an analysis with the real `openai` types, then again as a bare clone without node_modules. */
const bothModes = (files: Record<string, string>, check: (a: Analysis, mode: 'checker' | 'imports') => void) => {
  const typed = analyzeVirtual(files);
  expect(typed.typeInfo).toBe('checker');
  check(typed, 'checker');
  const bare = analyzeVirtual(files, { root: path.join(os.tmpdir(), 'tierwise-no-node-modules', 'app') });
  expect(bare.typeInfo).toBe('imports');
  check(bare, 'imports');
};

describe('client creation forms, aliases, mutated params and DI providers', () => {
  it('follows `??`/`||`/`??=` singletons, `export default new OpenAI()` and a lazy `await import("openai")` to the constructor', () => {
    const flexCall = (recv: string) => `await ${recv}.responses.create({ model: 'gpt-5-mini', input: 'x', service_tier: 'flex' });`;
    bothModes(
      {
        'src/client.ts': `import OpenAI from 'openai';
const g = globalThis as unknown as { openai?: OpenAI };
export const openai = g.openai ?? new OpenAI({ timeout: 20 * 60 * 1000 });
`,
        'src/or.ts': `import OpenAI from 'openai';
const g = globalThis as any;
export const orClient = g.orClient || new OpenAI({ timeout: 16 * 60 * 1000 });
export const ternary = g.t ? g.t : new OpenAI({ timeout: 21 * 60 * 1000 });
`,
        'src/assign.ts': `import OpenAI from 'openai';
const globalForOpenAI = globalThis as unknown as { openai?: OpenAI };
globalForOpenAI.openai ??= new OpenAI({ timeout: 17 * 60 * 1000 });
export const assigned = globalForOpenAI.openai;
`,
        'src/default.ts': `import OpenAI from 'openai';
export default new OpenAI({ timeout: 18 * 60 * 1000 });
`,
        'src/lazy.ts': `export async function getClient() {
  const { default: O } = await import('openai');
  return new O({ timeout: 19 * 60 * 1000 });
}
`,
        'src/job.ts': cronJob(`import { openai } from './client.js';
import { orClient, ternary } from './or.js';
import { assigned } from './assign.js';
import dflt from './default.js';
import { getClient } from './lazy.js';
cron.schedule('*/5 * * * *', async () => {
  ${flexCall('openai')}
  ${flexCall('orClient')}
  ${flexCall('assigned!')}
  ${flexCall('dflt')}
  const c = await getClient();
  ${flexCall('c')}
  ${flexCall('ternary')}
});
`),
      },
      (a, mode) => {
        const got = a.callSites.map((s) => `${mode} ${s.line} ${s.endpoint} ${s.timeout.ms} ${s.timeout.source} ${s.client.createdAt?.file}`);
        expect(got).toEqual([
          `${mode} 8 responses.create 1200000 client src/client.ts`,
          `${mode} 9 responses.create 960000 client src/or.ts`,
          `${mode} 10 responses.create 1020000 client src/assign.ts`,
          `${mode} 11 responses.create 1080000 client src/default.ts`,
          `${mode} 13 responses.create 1140000 client src/lazy.ts`,
          `${mode} 14 responses.create 1260000 client src/or.ts`,
        ]);
        expect(a.findings).toEqual([]);
      },
    );
  });

  it('resolves the endpoint through an alias of part of the client (`const chat = openai.chat`, `const { responses } = openai`)', () => {
    bothModes(
      {
        'src/alias.ts': cronJob(`import OpenAI from 'openai';
const openai = new OpenAI({ timeout: 20 * 60 * 1000 });
const chat = openai.chat;
const { responses } = openai;
const { chat: { completions } } = openai;
const fake = { completions: { create: (_: unknown) => 1 } };
const { completions: notSdk } = fake;
cron.schedule('*/5 * * * *', async () => {
  await chat.completions.create({ model: 'gpt-5-mini', messages: [] });
  await responses.create({ model: 'gpt-5-mini', input: 'x' });
  await completions.create({ model: 'gpt-5-mini', messages: [] });
  notSdk.create({ model: 'gpt-5-mini' });
});
`),
      },
      (a, mode) => {
        expect(a.callSites.map((s) => `${mode} ${s.line} ${s.endpoint} ${s.family} ${s.timeout.ms}`)).toEqual([
          `${mode} 10 chat.completions.create chat 1200000`,
          `${mode} 11 responses.create responses 1200000`,
          `${mode} 12 chat.completions.create chat 1200000`,
        ]);
      },
    );
  });

  it('reads service_tier and model assigned to the params object before the call (property writes, Object.assign)', () => {
    bothModes(
      {
        'src/mut.ts': cronJob(`import OpenAI from 'openai';
const openai = new OpenAI({ timeout: 20 * 60 * 1000 });
export async function run(tier: string, flag: boolean) {
  const params: any = { model: 'o4-mini', input: 'x' };
  params.service_tier = 'flex';
  await openai.responses.create(params);
  const p2: any = { model: 'gpt-5-mini', input: 'x' };
  p2.service_tier = tier;
  p2['model'] = 'gpt-5';
  await openai.responses.create(p2);
  const p3: any = { model: 'gpt-5-mini', input: 'x' };
  Object.assign(p3, { service_tier: 'flex', model: 'o3' });
  await openai.responses.create(p3);
  const p4: any = { model: 'gpt-5-mini', input: 'x' };
  if (flag) p4.service_tier = 'flex';
  await openai.responses.create(p4);
  const p5: any = { model: 'gpt-5-mini', input: 'x' };
  await openai.responses.create(p5);
  p5.service_tier = 'flex';
}
cron.schedule('*/5 * * * *', () => run('flex', true));
`),
      },
      (a, mode) => {
        expect(a.callSites.map((s) => `${mode} ${s.line} ${s.model} ${s.serviceTier}`)).toEqual([
          `${mode} 7 o4-mini flex`,
          `${mode} 11 gpt-5 dynamic`,
          `${mode} 14 o3 flex`,
          `${mode} 17 gpt-5-mini dynamic`,
          `${mode} 19 gpt-5-mini absent`,
        ]);
        expect(a.findings.map((f) => `${mode} ${f.line} ${f.rule}`)).toEqual([`${mode} 19 no-standard-tier-in-background`]);
      },
    );
  });

  it('follows a NestJS DI token to its provider; an injected client of unknown origin has the SDK default timeout', () => {
    bothModes(
      {
        'src/tokens.ts': `export const OPENAI = Symbol('OPENAI');
`,
        'src/ai.module.ts': `import { Module } from '@nestjs/common';
import OpenAI from 'openai';
import { OPENAI } from './tokens.js';
import { Summarizer } from './summarizer.js';
@Module({
  providers: [
    { provide: OPENAI, useFactory: () => new OpenAI({ timeout: 30 * 60 * 1000 }) },
    { provide: 'OPENAI_VALUE', useValue: new OpenAI({ timeout: 25 * 60 * 1000 }) },
    Summarizer,
  ],
})
export class AiModule {}
`,
        'src/summarizer.ts': `import { Inject, Injectable } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import OpenAI from 'openai';
import { OPENAI } from './tokens.js';
@Injectable()
export class Summarizer {
  constructor(
    @Inject(OPENAI) private readonly openai: OpenAI,
    @Inject('OPENAI_VALUE') private readonly byValue: OpenAI,
    private readonly untokened: OpenAI,
  ) {}
  @Interval(60_000)
  async tick() {
    await this.openai.responses.create({ model: 'gpt-5-mini', input: 'x', service_tier: 'flex' });
    await this.byValue.responses.create({ model: 'gpt-5-mini', input: 'x', service_tier: 'flex' });
    await this.untokened.responses.create({ model: 'gpt-5-mini', input: 'x', service_tier: 'flex' });
  }
}
`,
        'src/side.ts': `import OpenAI from 'openai';
export const side = new OpenAI();
`,
      },
      (a, mode) => {
        expect(a.callSites.map((s) => `${mode} ${s.line} ${s.classification} ${s.timeout.ms} ${s.timeout.source} ${s.client.createdAt?.line ?? '-'}`)).toEqual([
          `${mode} 14 background 1800000 client 7`,
          `${mode} 15 background 1500000 client 8`,
          `${mode} 16 background 600000 sdk-default -`,
        ]);
        // Followed providers carry their timeouts; a client of unknown origin falls back to the SDK default.
        expect(a.findings.map((f) => `${f.rule} ${f.line}`)).toEqual(['flex-needs-timeout 16']);
      },
    );
  });
});
