/**
 * Not run: type-checked against openai v7 and v4 by runtime-typecheck.test.ts, to prove that the code the codemods
 * generate around the runtime helpers compiles with both SDK majors.
 */
import OpenAI from 'openai';
import {
  runBatch,
  unwrap,
  BatchItemError,
  BatchRunError,
  type BatchItemResult,
} from '../../codemods/runtime/openai-batch.js';
import { withFlexFallback, isFlexCapacityError } from '../../codemods/runtime/flex-fallback.js';

export async function generatedBatchLoop(
  client: OpenAI,
  users: Array<{ id: string; name: string }>,
): Promise<string[]> {
  const results = await runBatch(client, {
    endpoint: '/v1/chat/completions',
    requests: users.map((user) => ({
      customId: user.id,
      body: {
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `Hello ${user.name}` }],
      },
    })),
  });
  const out: string[] = [];
  for (const user of users) {
    const completion = unwrap(results.get(user.id));
    out.push(completion.choices[0]?.message.content ?? '');
  }
  return out;
}

export async function generatedResponsesAndEmbeddings(client: OpenAI): Promise<number> {
  const responses = await runBatch(client, {
    endpoint: '/v1/responses',
    requests: [{ customId: 'a', body: { model: 'gpt-4o-mini', input: 'hi' } }],
    poll: { initialMs: 1000, maxMs: 30_000, timeoutMs: 3_600_000 },
    limits: { maxRequestsPerFile: 10 },
  });
  const text: string = unwrap(responses.get('a')).output_text;
  const embeddings = await runBatch(client, {
    endpoint: '/v1/embeddings',
    requests: [{ customId: 'e', body: { model: 'text-embedding-3-small', input: text } }],
  });
  const item: BatchItemResult<OpenAI.CreateEmbeddingResponse> | undefined = embeddings.get('e');
  if (item && !item.ok) {
    const error: BatchItemError = item.error;
    return error.status ?? 0;
  }
  return unwrap(item).data.length;
}

export async function generatedFlex(client: OpenAI): Promise<string> {
  const chat = await withFlexFallback((serviceTier, requestOptions) =>
    client.chat.completions.create(
      {
        model: 'o3',
        messages: [{ role: 'user', content: 'x' }],
        service_tier: serviceTier,
      },
      { ...requestOptions, timeout: 15 * 60 * 1000 },
    ),
  );
  const response = await withFlexFallback(
    (service_tier, options) =>
      client.responses.create({ model: 'o3', input: 'x', service_tier }, { ...options, timeout: 900_000 }),
    { flexMaxRetries: 1, onFallback: (e) => isFlexCapacityError(e) },
  );
  return (chat.choices[0]?.message.content ?? '') + response.output_text;
}

export function isRunError(e: unknown): string | undefined {
  return e instanceof BatchRunError ? e.batchId : undefined;
}
