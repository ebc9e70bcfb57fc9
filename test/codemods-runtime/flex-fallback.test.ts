import OpenAI from 'openai';
import OpenAIv4 from 'openai-v4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isFlexCapacityError, withFlexFallback } from '../../codemods/runtime/flex-fallback.js';
import { startFakeOpenAI, type FakeOpenAI } from '../support/fake-openai.js';

let fake: FakeOpenAI;
let client: OpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
  // the SDK default: 2 retries, which would also retry a flex 429
  client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 2 });
});
afterAll(() => fake.close());
beforeEach(() => fake.reset());

const tiersSent = () => fake.requests.map((r) => (r.body as { service_tier?: string }).service_tier);

describe('withFlexFallback', () => {
  it('on a flex 429 resource_unavailable falls back once to auto: exactly 2 requests, no SDK retry of the flex attempt', async () => {
    fake.setOptions({ flex429: { times: Infinity } });
    const fallbacks: unknown[] = [];
    const response = await withFlexFallback(
      (serviceTier, requestOptions) =>
        client.responses.create(
          { model: 'gpt-5-mini', input: 'hi', service_tier: serviceTier },
          { ...requestOptions, timeout: 15 * 60 * 1000 },
        ),
      { onFallback: (e) => fallbacks.push(e) },
    );
    expect(response.output_text).toBe('echo:hi');
    expect(tiersSent()).toEqual(['flex', 'auto']);
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]).toBeInstanceOf(OpenAI.RateLimitError);
    // the raised timeout reached the wire on both attempts
    expect(fake.requests.map((r) => r.timeoutSeconds)).toEqual([900, 900]);
  });

  it('does not fall back when flex answers', async () => {
    const r = await withFlexFallback((service_tier, options) =>
      client.chat.completions.create(
        { model: 'o3', messages: [{ role: 'user', content: 'x' }], service_tier },
        options,
      ),
    );
    expect(r.service_tier).toBe('flex');
    expect(tiersSent()).toEqual(['flex']);
  });

  it('flexMaxRetries lets the SDK retry flex first', async () => {
    fake.setOptions({ flex429: { times: 1 } });
    const r = await withFlexFallback(
      (service_tier, options) =>
        client.chat.completions.create(
          { model: 'o3', messages: [{ role: 'user', content: 'x' }], service_tier },
          options,
        ),
      { flexMaxRetries: 1 },
    );
    expect(r.service_tier).toBe('flex');
    expect(tiersSent()).toEqual(['flex', 'flex']);
    expect(fake.requests.map((x) => x.retryCount)).toEqual([0, 1]);
  });

  it('rethrows errors that are not flex capacity errors without a second tier', async () => {
    fake.setOptions({ errorOnce: [{ route: 'POST /v1/chat/completions', status: 429 }] });
    const error = await withFlexFallback((service_tier, options) =>
      client.chat.completions.create(
        { model: 'o3', messages: [{ role: 'user', content: 'x' }], service_tier },
        options,
      ),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(isFlexCapacityError(error)).toBe(false);
    expect(tiersSent()).toEqual(['flex']);

    fake.reset();
    const bad = await withFlexFallback((service_tier, options) =>
      client.chat.completions.create({ messages: [{ role: 'user', content: 'x' }], service_tier } as never, options),
    ).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(fake.requests).toHaveLength(1);
  });

  it('works with the v4 SDK errors too', async () => {
    fake.setOptions({ flex429: { times: 1 } });
    const v4 = new OpenAIv4({ apiKey: 'test', baseURL: fake.baseURL, maxRetries: 2 });
    const r = await withFlexFallback((service_tier, options) =>
      v4.chat.completions.create({ model: 'o3', messages: [{ role: 'user', content: 'v4' }], service_tier }, options),
    );
    expect(r.choices[0]?.message.content).toBe('echo:v4');
    expect(tiersSent()).toEqual(['flex', 'auto']);
  });
});

describe('isFlexCapacityError', () => {
  it.each([
    [{ status: 429, code: 'resource_unavailable' }, true],
    [{ status: 429, error: { code: 'resource_unavailable' } }, true],
    [{ status: 429, code: null, message: '429 Resource Unavailable' }, true],
    [{ status: 429, code: 'rate_limit_exceeded', message: 'Rate limit reached' }, false],
    [{ status: 503, code: 'resource_unavailable' }, false],
    [new Error('resource unavailable'), false],
    [null, false],
  ])('%j → %s', (error, expected) => {
    expect(isFlexCapacityError(error)).toBe(expected);
  });
});
