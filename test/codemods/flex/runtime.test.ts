/**
 * Runtime: a project fixed by `tierwise fix flex` (fixtures/codemods/add-flex-tier/runtime-project) runs against the
 * fake OpenAI server and sends `service_tier: 'flex'` with the raised timeout; with --fallback a flex 429 is retried
 * once on the standard tier.
 *
 * Which timeout is visible where: openai v7 sends `X-Stainless-Timeout` only for a per-request timeout, so the
 * per-request site (injected client) is checked on the wire (900 s), and the client-constructor site by the client's
 * `timeout` (v4 would send the header in both cases, but the project resolves `openai`, which is v7).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixFlex } from '../../../src/fix/flex.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../support/fake-openai.js';
import { PAIRS, repoTmp } from './support.js';
import { Agent } from 'undici';

type Nightly = {
  client: { timeout: number; fetchOptions?: { dispatcher?: unknown } };
  viaOwnClient(text: string): Promise<string>;
  viaInjected(client: unknown, text: string): Promise<string>;
};

let fake: FakeOpenAI;
let tmp: string;
const env = { base: process.env.OPENAI_BASE_URL, key: process.env.OPENAI_API_KEY };

async function fixedCopy(name: string, fallback: boolean, undici = false): Promise<Nightly> {
  const dir = path.join(tmp, name);
  fs.cpSync(path.join(PAIRS, 'runtime-project'), dir, { recursive: true });
  const { summary } = await fixFlex({ dir, force: true, format: false, fallback, undici, sdkMajor: 7 });
  expect(summary.applied.map((a) => a.id)).toHaveLength(2);
  expect(summary.errors).toEqual([]);
  return (await import(path.join(dir, 'scripts/nightly.ts'))) as Nightly;
}

beforeAll(async () => {
  fake = await startFakeOpenAI();
  process.env.OPENAI_BASE_URL = fake.baseURL;
  process.env.OPENAI_API_KEY = 'test';
  tmp = repoTmp('flex-runtime');
});
afterAll(async () => {
  if (env.base === undefined) delete process.env.OPENAI_BASE_URL;
  else process.env.OPENAI_BASE_URL = env.base;
  if (env.key === undefined) delete process.env.OPENAI_API_KEY;
  else process.env.OPENAI_API_KEY = env.key;
  fs.rmSync(tmp, { recursive: true, force: true });
  await fake.close();
});

describe('a project fixed by tierwise fix flex, at runtime', () => {
  it('sends service_tier flex with the raised timeout (client constructor and per request)', async () => {
    fake.reset();
    const m = await fixedCopy('plain', false);
    expect(m.client.timeout).toBe(15 * 60 * 1000);
    expect(await m.viaOwnClient('hello')).toBe('echo:hello');
    expect(await m.viaInjected(m.client, 'there')).toBe('echo:there');
    const body = (i: number) => fake.requests[i]!.body as { service_tier?: string };
    expect(fake.requests.map((r) => r.path)).toEqual(['/v1/responses', '/v1/chat/completions']);
    expect([body(0).service_tier, body(1).service_tier]).toEqual(['flex', 'flex']);
    // per-request timeout on the wire (v7 sends the header only for per-request timeouts)
    expect(fake.requests[1]!.timeoutSeconds).toBe(900);
  });

  it('with --fallback, a flex 429 is retried once on the standard tier', async () => {
    fake.reset();
    const m = await fixedCopy('fallback', true);
    expect(fs.existsSync(path.join(tmp, 'fallback/scripts/flex-fallback.ts'))).toBe(true);
    fake.setOptions({ flex429: { times: 2 } });
    expect(await m.viaOwnClient('hello')).toBe('echo:hello');
    expect(await m.viaInjected(m.client, 'there')).toBe('echo:there');
    const seen = fake.requests.map((r) => [r.path, (r.body as { service_tier?: string }).service_tier, r.status]);
    expect(seen).toEqual([
      ['/v1/responses', 'flex', 429],
      ['/v1/responses', 'auto', 200],
      ['/v1/chat/completions', 'flex', 429],
      ['/v1/chat/completions', 'auto', 200],
    ]);
    expect(fake.requests.slice(2).map((r) => r.timeoutSeconds)).toEqual([900, 900]);

    fake.reset();
    expect(await m.viaOwnClient('again')).toBe('echo:again');
    expect(fake.requests.map((r) => (r.body as { service_tier?: string }).service_tier)).toEqual(['flex']);
  });

  it('with undici in the project, requests go through an undici Agent dispatcher with 15-minute header/body timeouts', async () => {
    fake.reset();
    const m = await fixedCopy('undici', false, true);
    const text = fs.readFileSync(path.join(tmp, 'undici/scripts/nightly.ts'), 'utf8');
    expect(text).toContain("import { Agent } from 'undici';");
    expect(text).toContain('new Agent({ headersTimeout: 15 * 60 * 1000, bodyTimeout: 15 * 60 * 1000 })');
    expect(m.client.fetchOptions?.dispatcher).toBeInstanceOf(Agent);
    expect(await m.viaOwnClient('hello')).toBe('echo:hello');
    expect(await m.viaInjected(m.client, 'there')).toBe('echo:there');
    expect(fake.requests.map((r) => [(r.body as { service_tier?: string }).service_tier, r.status])).toEqual([
      ['flex', 200],
      ['flex', 200],
    ]);
  });
});
