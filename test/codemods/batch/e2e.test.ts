/**
 * End to end, per loop shape: the original fixture program and the codemod's rewrite of it, transpiled to ESM and run
 * as separate Node processes against the fake OpenAI server (sync endpoints for the original; files + batches for the
 * rewrite, output lines shuffled). The results of the items that succeed must be the same; failed lines, expired
 * items and failed batches must be reported by the rewrite.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helperSource } from '../../../codemods/loop-to-batch.js';
import { startFakeOpenAI, type FakeOpenAI, type FakeOpenAIOptions } from '../../support/fake-openai.js';
import { FIXTURES, runFixture } from './fixtures.js';

/** Fixtures with a `main()`; `catches`: the loop body catches per-item errors (else the first failure ends the run). */
const SHAPES = [
  { name: 'for-of-chat', catches: false },
  { name: 'for-of-embeddings', catches: true },
  { name: 'indexed-for', catches: true },
  { name: 'while-index', catches: true },
  { name: 'promise-all-map', catches: true },
  { name: 'promise-all-map-expression', catches: false },
  { name: 'helper-same-file', catches: true },
  { name: 'model-varies', catches: false, batches: 2 },
] as const;

const DOCS = Array.from({ length: 7 }, (_, i) => ({ id: `d${i}`, text: `document number ${i}` }));
const dir = path.join(path.dirname(FIXTURES), `.e2e-loop-to-batch-${process.pid}`);
let fake: FakeOpenAI;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

type Entry = { id: string; error?: string } & Record<string, unknown>;

function transpile(text: string): string {
  return ts.transpileModule(text, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText;
}

function run(file: string): Promise<Run> {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(path.join(dir, file)).href)}); await m.main();`;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { cwd: dir, env: { ...process.env, OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'test-key', DOCS: JSON.stringify(DOCS) }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function runWith(file: string, options: Partial<FakeOpenAIOptions>): Promise<Run> {
  fake.reset();
  fake.setOptions({ batchPollsToComplete: 1, ...options });
  return run(file);
}

function entries(r: Run): Entry[] {
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Entry[];
}

const originals = new Map<string, Entry[]>();

beforeAll(async () => {
  fake = await startFakeOpenAI({ seed: 7 });
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'data.js'), transpile(fs.readFileSync(path.join(FIXTURES, 'data.ts'), 'utf8')));
  fs.writeFileSync(path.join(dir, 'openai-batch.js'), transpile(helperSource()));
  for (const { name } of SHAPES) {
    const { input, output, outcomes } = runFixture(name);
    expect(outcomes.map((o) => o.status)).toEqual(['rewritten']);
    fs.writeFileSync(path.join(dir, `${name}.original.js`), transpile(input));
    fs.writeFileSync(path.join(dir, `${name}.batched.js`), transpile(output));
  }
}, 60_000);

afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await fake?.close();
});

describe.each(SHAPES.map((s) => ({ batches: 1, ...s })))('$name: original vs rewritten program', ({ name, catches, batches }) => {
  it('same results; the original calls the sync endpoint, the rewrite one batch (shuffled output, a 500 once)', async () => {
    const original = await runWith(`${name}.original.js`, {});
    const syncCalls = fake.requests.filter((r) => ['POST /v1/chat/completions', 'POST /v1/embeddings', 'POST /v1/responses'].includes(r.route));
    expect(syncCalls).toHaveLength(DOCS.length);
    expect(fake.requests.some((r) => r.route === 'POST /v1/batches')).toBe(false);
    const before = entries(original);
    originals.set(name, before);
    expect(before).toHaveLength(DOCS.length);
    // real answers from the fake (echo of the prompt, or an embedding), not empty entries
    expect(before.every((e) => !e.error && /echo:|"first":-?\d|"dims":\d/.test(JSON.stringify(e)))).toBe(true);

    const batched = await runWith(`${name}.batched.js`, { errorOnce: [{ route: 'POST /v1/batches', status: 500 }] });
    expect(entries(batched)).toEqual(before);
    // One batch per model (an input file holds one model), the first create retried once after the 500; no sync
    // calls; the output file really was shuffled.
    expect(fake.requests.filter((r) => r.route === 'POST /v1/batches').map((r) => r.status)).toEqual([500, ...Array<number>(batches).fill(200)]);
    expect(fake.requests.filter((r) => ['POST /v1/chat/completions', 'POST /v1/embeddings', 'POST /v1/responses'].includes(r.route))).toEqual([]);
    const inputs = [...fake.files.values()].filter((f) => f.purpose === 'batch');
    expect(inputs).toHaveLength(batches);
    for (const input of inputs) expect(new Set(fake.jsonl(input.id).map((l) => (l.body as { model: string }).model)).size).toBe(1);
    const inOrder = inputs.flatMap((f) => fake.jsonl(f.id).map((l) => l.custom_id));
    expect([...inOrder].sort()).toEqual(DOCS.map((_, i) => String(i)).sort());
    const outOrder = [...fake.files.values()].filter((f) => f.purpose === 'batch_output').flatMap((f) => fake.jsonl(f.id).map((l) => l.custom_id));
    expect(outOrder).not.toEqual(inOrder);
  }, 60_000);

  it('failed lines surface as errors for those items only', async () => {
    const before = originals.get(name)!;
    const failed = new Set(['2', '5']);
    const r = await runWith(`${name}.batched.js`, {
      failLine: (l) =>
        l.customId === '2'
          ? { kind: 'http', statusCode: 400, code: 'invalid_prompt', message: 'bad prompt' }
          : l.customId === '5'
            ? { kind: 'error', code: 'server_error', message: 'boom' }
            : undefined,
    });
    if (catches) {
      const after = entries(r);
      expect(after.map((e) => e.id)).toEqual(before.map((e) => e.id));
      after.forEach((e, i) => {
        if (failed.has(String(i))) {
          expect(e.error).toMatch(/BatchItemError: Batch request \d failed \((invalid_prompt|server_error)\)/);
        } else expect(e).toEqual(before[i]);
      });
      expect(after[2]!.error).toContain('invalid_prompt');
      expect(after[5]!.error).toContain('server_error');
    } else {
      // No try/catch in the loop: like the original's throwing call, the first failed item ends the run.
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/BatchItemError: Batch request 2 failed \(invalid_prompt\): bad prompt/);
    }
  }, 60_000);

  it('an expired batch: completed items keep their results, the rest are batch_expired errors', async () => {
    const before = originals.get(name)!;
    const r = await runWith(`${name}.batched.js`, { expireBatches: { completedLines: 3 } });
    // The fake runs the first 3 lines of each input file (one file per model) and expires the rest.
    const expired = new Set(
      [...fake.files.values()].filter((f) => f.purpose === 'batch').flatMap((f) => fake.jsonl(f.id).slice(3).map((l) => String(l.custom_id))),
    );
    expect(expired.size).toBeGreaterThan(0);
    if (catches) {
      const after = entries(r);
      after.forEach((e, i) => {
        if (!expired.has(String(i))) expect(e).toEqual(before[i]);
        else expect(e.error).toContain(`Batch request ${i} failed (batch_expired)`);
      });
    } else {
      const first = DOCS.findIndex((_, i) => expired.has(String(i)));
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain(`BatchItemError: Batch request ${first} failed (batch_expired)`);
    }
  }, 60_000);
});

describe('a failed batch', () => {
  it('throws BatchRunError naming the batch, before any item is processed', async () => {
    const r = await runWith('indexed-for.batched.js', { failBatches: { code: 'token_limit_exceeded', message: 'Enqueued token limit reached.' } });
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/BatchRunError: Batch batch_\w+ failed: token_limit_exceeded: Enqueued token limit reached\./);
  }, 60_000);
});
