import OpenAI, { toFile } from 'openai';
import OpenAIv4, { toFile as toFileV4 } from 'openai-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeEmbedding, startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 0 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

function jsonl(lines: unknown[]): string {
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
}

async function uploadBatchFile(c: OpenAI, lines: unknown[]) {
  return c.files.create({
    file: await toFile(Buffer.from(jsonl(lines)), 'batch.jsonl'),
    purpose: 'batch',
  });
}

const chatLine = (id: string, text: string, model = 'gpt-5-mini') => ({
  custom_id: id,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content: text }] },
});

describe('sync endpoints through the openai v7 SDK', () => {
  it('chat completions echo the last user message and report the served tier', async () => {
    const r = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [
        { role: 'user', content: 'first' },
        { role: 'assistant', content: 'x' },
        { role: 'user', content: 'second' },
      ],
      service_tier: 'flex',
    });
    expect(r.choices[0]?.message.content).toBe('echo:second');
    expect(r.service_tier).toBe('flex');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      path: '/v1/chat/completions',
      status: 200,
    });
    expect((fake.requests[0]?.body as { service_tier: string }).service_tier).toBe('flex');
  });

  it('streams chat completions', async () => {
    const stream = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('echo:hello');
  });

  it('responses give output_text derived from the input', async () => {
    const r = await client.responses.create({
      model: 'gpt-5-mini',
      input: 'summarise this',
    });
    expect(r.output_text).toBe('echo:summarise this');
    const r2 = await client.responses.create({
      model: 'gpt-5-mini',
      input: [{ role: 'user', content: 'as messages' }],
    });
    expect(r2.output_text).toBe('echo:as messages');
  });

  it('embeddings are deterministic per input, with the SDK default base64 encoding and with floats', async () => {
    const r = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: ['a', 'b'],
    });
    expect((fake.requests[0]?.body as { encoding_format: string }).encoding_format).toBe('base64');
    expect(Array.from(r.data[0]?.embedding ?? [])).toEqual(fakeEmbedding('a'));
    expect(Array.from(r.data[1]?.embedding ?? [])).toEqual(fakeEmbedding('b'));
    expect(fakeEmbedding('a')).not.toEqual(fakeEmbedding('b'));
    const f = await client.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'a',
      encoding_format: 'float',
    });
    expect(f.data[0]?.embedding).toEqual(fakeEmbedding('a'));
  });

  it('legacy completions and moderations', async () => {
    const c = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'p',
    });
    expect(c.choices[0]?.text).toBe('echo:p');
    const m = await client.moderations.create({
      input: ['fine', 'please flag me'],
    });
    expect(m.results.map((x) => x.flagged)).toEqual([false, true]);
  });

  it('a missing model is a 400 BadRequestError', async () => {
    await expect(
      client.chat.completions.create({
        messages: [{ role: 'user', content: 'x' }],
      } as never),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('records the x-stainless-timeout the SDK applied, per request', async () => {
    const body = {
      model: 'gpt-5-mini',
      messages: [{ role: 'user' as const, content: 'x' }],
    };
    await client.chat.completions.create(body, { timeout: 15 * 60 * 1000 });
    await client.chat.completions.create(body);
    await new OpenAI({
      apiKey: 'test',
      baseURL: fake.baseURL,
      maxRetries: 0,
      timeout: 20 * 60 * 1000,
    }).chat.completions.create(body);
    // openai v7 sends X-Stainless-Timeout only for a per-request `timeout`; a client-level timeout is not on the wire.
    expect(fake.requests.map((r) => r.timeoutSeconds)).toEqual([900, undefined, undefined]);
  });
});

describe('injected failures', () => {
  it('answers 500 once on a chosen route; the SDK retry then succeeds', async () => {
    fake.setOptions({ errorOnce: [{ route: 'POST /v1/chat/completions' }] });
    const retrying = new OpenAI({
      apiKey: 'test',
      baseURL: fake.baseURL,
      maxRetries: 2,
    });
    const r = await retrying.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'z' }],
    });
    expect(r.choices[0]?.message.content).toBe('echo:z');
    expect(fake.requests.map((x) => [x.status, x.retryCount])).toEqual([
      [500, 0],
      [200, 1],
    ]);
  });

  it('answers 429 resource_unavailable to flex requests the first N times only', async () => {
    fake.setOptions({ flex429: { times: 1 } });
    const error = await client.responses
      .create({ model: 'gpt-5-mini', input: 'x', service_tier: 'flex' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('resource_unavailable');
    const ok = await client.responses.create({
      model: 'gpt-5-mini',
      input: 'x',
      service_tier: 'flex',
    });
    expect(ok.output_text).toBe('echo:x');
    // non-flex requests are never refused
    fake.setOptions({ flex429: { times: Infinity } });
    await expect(
      client.responses.create({
        model: 'gpt-5-mini',
        input: 'x',
        service_tier: 'flex',
      }),
    ).rejects.toBeInstanceOf(OpenAI.RateLimitError);
    await expect(
      client.responses.create({
        model: 'gpt-5-mini',
        input: 'x',
        service_tier: 'auto',
      }),
    ).resolves.toBeTruthy();
  });
});

describe('files and batches through the v7 SDK', () => {
  it('keeps uploaded file content and serves it back', async () => {
    const file = await uploadBatchFile(client, [chatLine('a', 'x')]);
    expect(file).toMatchObject({
      object: 'file',
      purpose: 'batch',
      filename: 'batch.jsonl',
    });
    expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
    expect(await (await client.files.content(file.id)).text()).toBe(jsonl([chatLine('a', 'x')]));
    expect(fake.requests[0]?.body).toMatchObject({
      fields: { purpose: 'batch' },
      files: [{ field: 'file', filename: 'batch.jsonl' }],
    });
  });

  it('moves validating → in_progress → completed and writes shuffled output joined by custom_id', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => chatLine(`req-${i}`, `text ${i}`));
    const file = await uploadBatchFile(client, lines);
    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect(created.status).toBe('validating');
    expect((await client.batches.retrieve(created.id)).status).toBe('in_progress');
    const done = await client.batches.retrieve(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({
      total: 20,
      completed: 20,
      failed: 0,
    });
    expect(done.error_file_id).toBeUndefined();
    const out = (await (await client.files.content(done.output_file_id!)).text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.map((l) => l.custom_id)).not.toEqual(lines.map((l) => l.custom_id));
    expect(out.map((l) => l.custom_id).sort()).toEqual(lines.map((l) => l.custom_id).sort());
    for (const line of out) {
      expect(line).toMatchObject({
        error: null,
        response: { status_code: 200 },
      });
      expect(line.id).toMatch(/^batch_req_/);
      expect(line.response.request_id).toMatch(/^req_/);
      // the same answer the sync endpoint gives for that request
      expect(line.response.body.choices[0].message.content).toBe(`echo:text ${line.custom_id.slice(4)}`);
    }
  });

  it('puts failed lines in the error file with a non-2xx response, or an error object', async () => {
    fake.setOptions({
      batchPollsToComplete: 1,
      failLine: (l) =>
        l.customId === 'b'
          ? {
              kind: 'http',
              statusCode: 400,
              code: 'invalid_value',
              message: 'bad',
            }
          : l.customId === 'c'
            ? { kind: 'error', code: 'server_error' }
            : undefined,
    });
    const file = await uploadBatchFile(client, [chatLine('a', '1'), chatLine('b', '2'), chatLine('c', '3')]);
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 3, completed: 1, failed: 2 });
    expect(fake.jsonl(done.output_file_id!).map((l) => l.custom_id)).toEqual(['a']);
    const errors = fake.jsonl(done.error_file_id!);
    expect(errors.find((l) => l.custom_id === 'b')).toMatchObject({
      response: {
        status_code: 400,
        body: { error: { code: 'invalid_value', message: 'bad' } },
      },
      error: null,
    });
    expect(errors.find((l) => l.custom_id === 'c')).toMatchObject({
      response: null,
      error: { code: 'server_error' },
    });
  });

  it('expires a batch: unfinished lines become batch_expired errors', async () => {
    fake.setOptions({
      batchPollsToComplete: 1,
      expireBatches: { completedLines: 1 },
    });
    const file = await uploadBatchFile(client, [chatLine('a', '1'), chatLine('b', '2')]);
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('expired');
    expect(fake.jsonl(done.output_file_id!).map((l) => l.custom_id)).toEqual(['a']);
    expect(fake.jsonl(done.error_file_id!)).toEqual([
      expect.objectContaining({
        custom_id: 'b',
        response: null,
        error: expect.objectContaining({ code: 'batch_expired' }),
      }),
    ]);
  });

  it.each([
    ['duplicate_custom_id', [chatLine('a', '1'), chatLine('a', '2')]],
    ['model_mismatch', [chatLine('a', '1', 'gpt-5-mini'), chatLine('b', '2', 'gpt-5')]],
    ['url_mismatch', [{ ...chatLine('a', '1'), url: '/v1/responses' }]],
    ['invalid_method', [{ ...chatLine('a', '1'), method: 'GET' }]],
  ])('fails a batch whose input has %s', async (code, lines) => {
    fake.setOptions({ batchPollsToComplete: 1 });
    const file = await uploadBatchFile(client, lines);
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(b.id);
    expect(done.status).toBe('failed');
    expect(done.errors?.data?.map((e) => e.code)).toContain(code);
    expect(done.output_file_id).toBeUndefined();
  });

  it('fails a batch on demand and cancels one', async () => {
    fake.setOptions({
      failBatches: {
        code: 'token_limit_exceeded',
        message: 'Enqueued token limit reached.',
      },
    });
    const file = await uploadBatchFile(client, [chatLine('a', '1')]);
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await client.batches.retrieve(b.id);
    const failed = await client.batches.retrieve(b.id);
    expect(failed.status).toBe('failed');
    expect(failed.errors?.data?.[0]).toMatchObject({
      code: 'token_limit_exceeded',
    });

    fake.setOptions({ failBatches: undefined });
    const c = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    expect((await client.batches.cancel(c.id)).status).toBe('cancelling');
    expect((await client.batches.retrieve(c.id)).status).toBe('cancelled');
  });

  it('runs embeddings and responses lines through the same handlers', async () => {
    fake.setOptions({ batchPollsToComplete: 1 });
    const file = await uploadBatchFile(client, [
      {
        custom_id: 'e',
        method: 'POST',
        url: '/v1/embeddings',
        body: { model: 'text-embedding-3-small', input: 'hi' },
      },
    ]);
    const b = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(b.id);
    const [line] = fake.jsonl(done.output_file_id!) as Array<{
      response: { body: { data: Array<{ embedding: number[] }> } };
    }>;
    expect(line?.response.body.data[0]?.embedding).toEqual(fakeEmbedding('hi'));
  });

  it('rejects a batch for an unknown file synchronously', async () => {
    await expect(
      client.batches.create({
        input_file_id: 'file-nope',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('openai v4 SDK', () => {
  it('parses the sync answers and the batch flow', async () => {
    const v4 = new OpenAIv4({
      apiKey: 'test',
      baseURL: fake.baseURL,
      maxRetries: 0,
    });
    const chat = await v4.chat.completions.create(
      { model: 'gpt-5-mini', messages: [{ role: 'user', content: 'v4' }] },
      { timeout: 900_000 },
    );
    expect(chat.choices[0]?.message.content).toBe('echo:v4');
    expect(fake.requests.at(-1)?.timeoutSeconds).toBe(900);
    // v4 sends the effective timeout always: the client default (600 s) or the client-level option
    await v4.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'p',
    });
    expect(fake.requests.at(-1)?.timeoutSeconds).toBe(600);
    await new OpenAIv4({
      apiKey: 'test',
      baseURL: fake.baseURL,
      maxRetries: 0,
      timeout: 1_200_000,
    }).completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'p' });
    expect(fake.requests.at(-1)?.timeoutSeconds).toBe(1200);
    const r = await v4.responses.create({ model: 'gpt-5-mini', input: 'v4r' });
    expect(r.output_text).toBe('echo:v4r');
    const e = await v4.embeddings.create({
      model: 'text-embedding-3-small',
      input: 'q',
    });
    expect(Array.from(e.data[0]?.embedding ?? [])).toEqual(fakeEmbedding('q'));

    fake.setOptions({ batchPollsToComplete: 1 });
    const file = await v4.files.create({
      file: await toFileV4(Buffer.from(jsonl([chatLine('a', 'v4b')])), 'batch.jsonl'),
      purpose: 'batch',
    });
    const b = await v4.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const done = await v4.batches.retrieve(b.id);
    const text = await (await v4.files.content(done.output_file_id!)).text();
    expect(JSON.parse(text.trim()).response.body.choices[0].message.content).toBe('echo:v4b');
  });
});

describe('lifecycle', () => {
  it('close() ends keep-alive connections and frees the port', async () => {
    const own = await startFakeOpenAI();
    const c = new OpenAI({ apiKey: 'test', baseURL: own.baseURL, maxRetries: 0 });
    await c.models.list().catch(() => undefined); // unknown route: 404, connection stays open (keep-alive)
    await c.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'x' }] });
    await own.close();
    await expect(
      c.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
