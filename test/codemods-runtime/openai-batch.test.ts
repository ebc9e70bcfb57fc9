import OpenAI from 'openai';
import OpenAIv4 from 'openai-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BatchItemError, BatchRunError, runBatch, unwrap } from '../../codemods/runtime/openai-batch.js';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

let fake: FakeOpenAI;
let client: OpenAI;
const fastPoll = { initialMs: 1, maxMs: 5, timeoutMs: 5_000 };

beforeAll(async () => {
  fake = await startFakeOpenAI({ batchPollsToComplete: 3 });
  client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 2 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const chat = (ids: string[], model = 'gpt-5-mini') =>
  ids.map((id) => ({ customId: id, body: { model, messages: [{ role: 'user' as const, content: `text ${id}` }] } }));

const ids = (n: number, prefix = 'u') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('runBatch', () => {
  it('returns every result joined by custom_id although the output file is shuffled', async () => {
    const requests = chat(ids(30));
    const results = await runBatch(client, { endpoint: '/v1/chat/completions', requests, poll: fastPoll });
    const batchId = fake.requests.find((r) => r.route === 'POST /v1/batches' && r.status === 200);
    expect(batchId).toBeDefined();
    // the fake really shuffled: the output file order differs from the input order
    const outputFile = [...fake.files.values()].find((f) => f.purpose === 'batch_output')!;
    const order = fake.jsonl(outputFile.id).map((l) => l.custom_id);
    expect(order).not.toEqual(requests.map((r) => r.customId));
    expect(results.size).toBe(30);
    for (const { customId } of requests) {
      expect(unwrap(results.get(customId)).choices[0]?.message.content).toBe(`echo:text ${customId}`);
    }
    // polled until terminal, then read the output file
    expect(fake.requests.filter((r) => r.route === 'GET /v1/batches/{id}')).toHaveLength(3);
    const upload = fake.requests.find((r) => r.route === 'POST /v1/files')!.body as { fields: { purpose: string } };
    expect(upload.fields.purpose).toBe('batch');
  });

  it('turns failed lines into errors for those items only', async () => {
    fake.setOptions({
      failLine: (l) =>
        l.customId === 'u1'
          ? { kind: 'http', statusCode: 400, code: 'context_length_exceeded', message: 'too long' }
          : l.customId === 'u2'
            ? { kind: 'error', code: 'server_error', message: 'boom' }
            : l.customId === 'u3'
              ? { kind: 'http', statusCode: 500, file: 'output' }
              : undefined,
    });
    const results = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(5)),
      poll: fastPoll,
    });
    expect(results.get('u0')).toMatchObject({ ok: true });
    expect(results.get('u4')).toMatchObject({ ok: true });
    const failed = (id: string) => {
      const r = results.get(id);
      if (!r || r.ok) throw new Error(`expected ${id} to fail`);
      return r.error;
    };
    expect(failed('u1')).toMatchObject({ customId: 'u1', code: 'context_length_exceeded', status: 400 });
    expect(failed('u1').message).toContain('too long');
    expect(failed('u2')).toMatchObject({ customId: 'u2', code: 'server_error' });
    expect(failed('u3')).toMatchObject({ customId: 'u3', code: 'injected_failure', status: 500 });
    expect(failed('u1').batchId).toMatch(/^batch_/);
    expect(() => unwrap(results.get('u1'))).toThrow(BatchItemError);
    expect(() => unwrap(results.get('u1'))).toThrow(/u1.*context_length_exceeded/);
  });

  it('returns the completed lines of an expired batch and batch_expired errors for the rest', async () => {
    fake.setOptions({ expireBatches: { completedLines: 2 } });
    const results = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(4)),
      poll: fastPoll,
    });
    expect(['u0', 'u1'].map((id) => results.get(id)?.ok)).toEqual([true, true]);
    // docs/fix-batch.md: the completed items return their results…
    for (const id of ['u0', 'u1']) expect(unwrap(results.get(id)).choices[0]?.message.content).toBe(`echo:text ${id}`);
    const batchId = fake.requests.find((r) => r.route === 'GET /v1/batches/{id}')!.path.split('/').at(-1)!;
    expect(fake.batch(batchId)?.status).toBe('expired');
    // …and each item it did not reach throws a BatchItemError with code batch_expired at its turn.
    for (const id of ['u2', 'u3']) {
      const r = results.get(id);
      expect(r?.ok).toBe(false);
      if (r && !r.ok) {
        expect(r.error).toBeInstanceOf(BatchItemError);
        expect(r.error).toMatchObject({ customId: id, code: 'batch_expired', batchId });
      }
      expect(() => unwrap(r)).toThrow(BatchItemError);
    }
  });

  it('reports a request with no line in either file as a per-item missing_result error', async () => {
    const results = await runBatchDroppingLine(['a', 'b', 'c'], 'b');
    expect(results.get('a')?.ok).toBe(true);
    expect(results.get('c')?.ok).toBe(true);
    const missing = results.get('b');
    expect(missing?.ok).toBe(false);
    if (missing && !missing.ok) expect(missing.error).toMatchObject({ customId: 'b', code: 'missing_result' });
  });

  it('marks requests missing from an expired batch as batch_expired even if the error file lacks them', async () => {
    fake.setOptions({ expireBatches: { completedLines: 1 } });
    const results = await runBatchDroppingLine(['a', 'b'], 'b');
    expect(results.get('a')?.ok).toBe(true);
    const b = results.get('b');
    if (!b || b.ok) throw new Error('expected b to fail');
    expect(b.error.code).toBe('batch_expired');
  });

  it('throws a BatchRunError naming the batch id when the batch fails', async () => {
    fake.setOptions({
      failBatches: { code: 'token_limit_exceeded', message: 'Enqueued token limit reached for gpt-5-mini.' },
    });
    const error = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(2)),
      poll: fastPoll,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRunError);
    const batchId = fake.requests
      .find((r) => r.route === 'GET /v1/batches/{id}')!
      .path.split('/')
      .at(-1)!;
    expect((error as BatchRunError).batchId).toBe(batchId);
    expect((error as BatchRunError).message).toContain(batchId);
    expect((error as BatchRunError).message).toContain('token_limit_exceeded');
  });

  it('throws a BatchRunError naming the batch id when the batch is cancelled (e.g. from the dashboard)', async () => {
    fake.setOptions({ batchPollsToComplete: 1_000_000 });
    const running = runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(2)),
      poll: { initialMs: 5, maxMs: 10, timeoutMs: 10_000 },
    }).catch((e: unknown) => e);
    // Cancel it from outside once runBatch polls it: the fake shows `cancelling`, then `cancelled` on the next retrieve.
    let batchId: string | undefined;
    for (let i = 0; i < 500 && !batchId; i++) {
      batchId = fake.requests.find((r) => r.route === 'GET /v1/batches/{id}')?.path.split('/').at(-1);
      if (!batchId) await new Promise((r) => setTimeout(r, 5));
    }
    expect(batchId).toMatch(/^batch_/);
    const other = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
    expect((await other.batches.cancel(batchId!)).status).toBe('cancelling');
    const error = await running;
    expect(error).toBeInstanceOf(BatchRunError);
    expect((error as BatchRunError).batchId).toBe(batchId);
    expect((error as BatchRunError).status).toBe('cancelled');
    expect((error as BatchRunError).message).toContain(`Batch ${batchId} cancelled`);
    expect(fake.batch(batchId!)?.status).toBe('cancelled');
    // No item was processed: no output or error file was read.
    expect(fake.requests.some((r) => r.route === 'GET /v1/files/{id}/content')).toBe(false);
  });

  it('when one of several batches fails, throws its id and stops polling the others', async () => {
    fake.setOptions({
      batchPollsToComplete: 1_000_000,
      failBatches: {
        code: 'token_limit_exceeded',
        message: 'Enqueued token limit reached for gpt-5.',
        when: (lines) => lines.some((l) => l.body.model === 'gpt-5'),
      },
    });
    const requests = [...chat(['a'], 'gpt-5-mini'), ...chat(['b'], 'gpt-5')];
    const error = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests,
      poll: { initialMs: 5, maxMs: 10, timeoutMs: 60_000 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRunError);
    const failedId = [...fake.requests.filter((r) => r.route === 'GET /v1/batches/{id}')]
      .map((r) => r.path.split('/').at(-1)!)
      .find((id) => fake.batch(id)?.status === 'failed');
    expect((error as BatchRunError).batchId).toBe(failedId);
    const retrieves = () => fake.requests.filter((r) => r.route === 'GET /v1/batches/{id}').length;
    await new Promise((r) => setTimeout(r, 30));
    const settled = retrieves();
    await new Promise((r) => setTimeout(r, 100));
    expect(retrieves()).toBe(settled);
  });

  it('times out with the batch id when the batch never finishes, without cancelling it', async () => {
    fake.setOptions({ batchPollsToComplete: 1_000_000 });
    const error = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(1)),
      poll: { initialMs: 5, maxMs: 20, timeoutMs: 100 },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatchRunError);
    expect((error as BatchRunError).status).toBe('in_progress');
    expect((error as BatchRunError).message).toMatch(/Batch batch_\d+ is still in_progress/);
    expect(fake.requests.some((r) => r.route === 'POST /v1/batches/{id}/cancel')).toBe(false);
  });

  it('survives a 500 on upload, create and retrieve through the SDK retries', async () => {
    fake.setOptions({
      errorOnce: [
        { route: 'POST /v1/files' },
        { route: 'POST /v1/batches' },
        { route: 'GET /v1/batches/{id}' },
        { route: 'GET /v1/files/{id}/content', status: 503 },
      ],
    });
    const results = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(3)),
      poll: fastPoll,
    });
    expect([...results.values()].every((r) => r.ok)).toBe(true);
    expect(fake.requests.filter((r) => r.status >= 500).map((r) => r.route)).toEqual([
      'POST /v1/files',
      'POST /v1/batches',
      'GET /v1/batches/{id}',
      'GET /v1/files/{id}/content',
    ]);
    // only one batch was created despite the retried POST
    expect(fake.requests.filter((r) => r.route === 'POST /v1/batches' && r.status === 200)).toHaveLength(1);
  });

  it('splits at the request limit and by size', async () => {
    const results = await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(7)),
      poll: fastPoll,
      limits: { maxRequestsPerFile: 3 },
    });
    expect(results.size).toBe(7);
    const uploads = inputFiles();
    expect(uploads.map((f) => f.length)).toEqual([3, 3, 1]);
    expect(uploads.flat().map((l) => l.custom_id)).toEqual(ids(7));

    fake.reset();
    const oneLine =
      JSON.stringify({ custom_id: 'u0', method: 'POST', url: '/v1/chat/completions', body: chat(['u0'])[0]!.body })
        .length + 1;
    await runBatch(client, {
      endpoint: '/v1/chat/completions',
      requests: chat(ids(5)),
      poll: fastPoll,
      limits: { maxBytesPerFile: 2 * oneLine + 1 },
    });
    expect(inputFiles().map((f) => f.length)).toEqual([2, 2, 1]);
  });

  it('splits embeddings batches by the number of inputs', async () => {
    const requests = ['a', 'b', 'c'].map((id) => ({
      customId: id,
      body: { model: 'text-embedding-3-small', input: [`${id}1`, `${id}2`] },
    }));
    const results = await runBatch(client, {
      endpoint: '/v1/embeddings',
      requests,
      poll: fastPoll,
      limits: { maxEmbeddingInputsPerFile: 4 },
    });
    expect(inputFiles().map((f) => f.map((l) => l.custom_id))).toEqual([['a', 'b'], ['c']]);
    expect(unwrap(results.get('c')).data.map((d) => d.embedding)).toEqual([fakeEmbedding('c1'), fakeEmbedding('c2')]);
  });

  it('puts two models into two batch files (one model per file)', async () => {
    const requests = [...chat(['a1', 'a2'], 'gpt-5-mini'), ...chat(['b1'], 'gpt-5'), ...chat(['a3'], 'gpt-5-mini')];
    const results = await runBatch(client, { endpoint: '/v1/chat/completions', requests, poll: fastPoll });
    const models = inputFiles().map((f) => [...new Set(f.map((l) => (l.body as { model: string }).model))]);
    expect(models).toEqual([['gpt-5-mini'], ['gpt-5']]);
    expect(fake.requests.filter((r) => r.route === 'POST /v1/batches' && r.status === 200)).toHaveLength(2);
    expect([...results.keys()].sort()).toEqual(['a1', 'a2', 'a3', 'b1']);
    expect([...results.values()].every((r) => r.ok)).toBe(true);
  });

  it('unwrap names the request when there is no result at all', () => {
    expect(() => unwrap(undefined, 'user-7')).toThrow(/user-7.*missing_result/);
    expect(unwrap({ ok: true, value: 3 })).toBe(3);
  });

  it('rejects duplicate customIds before uploading anything', async () => {
    await expect(
      runBatch(client, { endpoint: '/v1/chat/completions', requests: chat(['x', 'x']), poll: fastPoll }),
    ).rejects.toThrow(/duplicate customId "x"/);
    expect(fake.requests).toEqual([]);
  });

  it('handles /v1/responses (with output_text) and /v1/embeddings, and works with the v4 SDK', async () => {
    const v4 = new OpenAIv4({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 2 });
    const responses = await runBatch(client, {
      endpoint: '/v1/responses',
      requests: [{ customId: 'r', body: { model: 'gpt-5-mini', input: 'hello' } }],
      poll: fastPoll,
    });
    expect(unwrap(responses.get('r')).output_text).toBe('echo:hello');
    const embeddings = await runBatch(v4 as unknown as OpenAI, {
      endpoint: '/v1/embeddings',
      requests: [{ customId: 'e', body: { model: 'text-embedding-3-small', input: 'q' } }],
      poll: fastPoll,
    });
    expect(unwrap(embeddings.get('e')).data[0]?.embedding).toEqual(fakeEmbedding('q'));
  });
});

/** The parsed input files uploaded for batches, in upload order. */
function inputFiles(): Array<Array<Record<string, unknown>>> {
  return [...fake.files.values()].filter((f) => f.purpose === 'batch').map((f) => fake.jsonl(f.id));
}

/** Run a batch whose output file loses the line of `drop` (as if OpenAI returned an incomplete file). */
async function runBatchDroppingLine(customIds: string[], drop: string) {
  const proxy = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'files') return Reflect.get(target, prop, receiver);
      const files = target.files;
      return new Proxy(files, {
        get(t, p, r) {
          if (p !== 'content') return Reflect.get(t, p, r);
          return async (id: string) => {
            const text = await (await t.content(id)).text();
            const kept = text.split('\n').filter((l) => !l.includes(`"custom_id":"${drop}"`));
            return new Response(kept.join('\n'));
          };
        },
      });
    },
  });
  return runBatch(proxy, { endpoint: '/v1/chat/completions', requests: chat(customIds), poll: fastPoll });
}
