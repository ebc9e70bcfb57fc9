import fs from 'node:fs';
import path from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { CHAT_OVERHEAD, countInputTokens, countTextTokens } from '../../src/pricing/tokens.js';

const opts = { tokensPerInterpolation: 200, unknownPromptTokens: 1000 };

describe('countTextTokens', () => {
  it('counts with o200k_base', () => {
    // o200k_base splits "hello world" into "hello" + " world".
    expect(countTextTokens('hello world')).toBe(2);
    expect(countTextTokens('')).toBe(0);
    const text = 'Summarize the following support ticket in two sentences.';
    expect(countTextTokens(text)).toBe(encode(text).length);
  });
});

describe('token counts do not change with the tokenizer package', () => {
  // Counted with gpt-tokenizer 3.4.0 before the move to 4.x (whose package is half the size): prompts, code, numbers,
  // whitespace runs and eight scripts, emoji included. A tokenizer upgrade that changes a count fails here.
  const corpus = JSON.parse(fs.readFileSync(path.join(REPO, 'test/pricing/token-counts.json'), 'utf8')) as {
    encoding: string;
    texts: Array<{ text: string; tokens: number }>;
  };
  it('o200k_base counts every text of the corpus as gpt-tokenizer 3.4.0 did', () => {
    expect(corpus.encoding).toBe('o200k_base');
    expect(corpus.texts.length).toBeGreaterThan(30);
    expect(corpus.texts.map((t) => countTextTokens(t.text))).toEqual(corpus.texts.map((t) => t.tokens));
  });

  it('counts special-token text in a prompt as plain text instead of throwing', () => {
    expect(countTextTokens('<|endoftext|> hi')).toBe(8);
    expect(countTextTokens('<|endoftext|> hi')).toBe(encode('<|endoftext|> hi', { disallowedSpecial: new Set() }).length);
  });
});

describe('countInputTokens', () => {
  it('adds 3 tokens per message and 3 per request for chat', () => {
    const system = 'You are a terse assistant.';
    const user = 'hello world';
    const text = countTextTokens(system) + countTextTokens(user);
    const r = countInputTokens({ literalText: [system, user], interpolations: 0, maxOutputTokens: null }, 'chat', opts);
    expect(r.overhead).toBe(2 * CHAT_OVERHEAD.perMessage + CHAT_OVERHEAD.perRequest);
    expect(r.overhead).toBe(9);
    expect(r.total).toBe(text + 9);
    expect(r.unknownPrompt).toBe(false);
  });

  it('adds interpolations × tokensPerInterpolation', () => {
    const r = countInputTokens({ literalText: ['hello world'], interpolations: 3, maxOutputTokens: null }, 'responses', opts);
    // 2 text + (1 message × 3 + 3) overhead + 3 × 200
    expect(r.total).toBe(2 + 6 + 600);
    expect(r.interpolated).toBe(600);
  });

  it('has no chat overhead for embeddings', () => {
    const r = countInputTokens({ literalText: ['hello world'], interpolations: 0, maxOutputTokens: null }, 'embeddings', opts);
    expect(r.total).toBe(2);
  });

  it('falls back to unknownPromptTokens when nothing of the prompt is visible', () => {
    const r = countInputTokens({ literalText: [], interpolations: 0, maxOutputTokens: null }, 'chat', opts);
    expect(r).toMatchObject({ total: 1000, unknownPrompt: true });
  });
});
