/**
 * Token counts for a call site's prompt, from the static PromptFacts the core extracts.
 * Text is counted with gpt-tokenizer's o200k_base encoding (the encoding of gpt-4o, o-series and gpt-5+ models),
 * imported by its own entry point so only that one encoding's tables are loaded.
 */
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ApiFamily, PromptFacts } from '../core/types.js';

/**
 * Chat-format overhead, from OpenAI's cookbook "How to count tokens with tiktoken"
 * (https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb):
 * `tokens_per_message = 3` (`<|start|>{role}<|message|>…<|end|>`) for gpt-3.5-turbo-0613 and later, gpt-4, gpt-4o,
 * and 3 more because "every reply is primed with <|start|>assistant<|message|>".
 */
export const CHAT_OVERHEAD = {
  perMessage: 3,
  perRequest: 3,
  source: 'https://github.com/openai/openai-cookbook/blob/main/examples/How_to_count_tokens_with_tiktoken.ipynb',
} as const;

export interface TokenOptions {
  /** Tokens assumed per interpolated value (a template `${x}` or a non-literal message). */
  tokensPerInterpolation: number;
  /** Input tokens assumed when nothing of the prompt is visible (no literal text, no interpolation). */
  unknownPromptTokens: number;
}

export interface InputTokenCount {
  total: number;
  /** Tokens counted from literal text, including chat overhead. */
  literal: number;
  /** Chat-format overhead included in `literal`. */
  overhead: number;
  /** Tokens assumed for interpolations (interpolations × tokensPerInterpolation). */
  interpolated: number;
  /** True when the prompt was not visible at all and `unknownPromptTokens` was used. */
  unknownPrompt: boolean;
}

/**
 * The API counts special-token text in a prompt (`<|endoftext|>` in a user's message) as plain text; the tokenizer
 * throws on it unless told the same.
 */
const AS_PLAIN_TEXT = { disallowedSpecial: new Set<string>() };

/** Counts tokens of a text with o200k_base. */
export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text, AS_PLAIN_TEXT);
}

/**
 * Input tokens per call: literal text (o200k_base) + per-message chat overhead (chat / responses families) +
 * interpolations × tokensPerInterpolation. When the prompt has neither literal text nor interpolations
 * (e.g. `messages: history`), the prompt is not visible and `unknownPromptTokens` is used instead.
 */
export function countInputTokens(prompt: PromptFacts, family: ApiFamily, options: TokenOptions): InputTokenCount {
  if (prompt.literalText.length === 0 && prompt.interpolations === 0) {
    return { total: options.unknownPromptTokens, literal: 0, overhead: 0, interpolated: 0, unknownPrompt: true };
  }
  const text = prompt.literalText.reduce((sum, piece) => sum + countTextTokens(piece), 0);
  const chatLike = family === 'chat' || family === 'responses';
  const messages = Math.max(1, prompt.literalText.length);
  const overhead = chatLike ? messages * CHAT_OVERHEAD.perMessage + CHAT_OVERHEAD.perRequest : 0;
  const interpolated = prompt.interpolations * options.tokensPerInterpolation;
  return { total: text + overhead + interpolated, literal: text + overhead, overhead, interpolated, unknownPrompt: false };
}
