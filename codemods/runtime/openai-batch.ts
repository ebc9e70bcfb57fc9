/**
 * openai-batch: run many OpenAI requests through the Batch API (half price, results within 24 h) and get one result
 * per request back, keyed by your own id. Written by `tierwise fix batch`; yours to edit. Needs only `openai` (v4+).
 *
 *   const results = await runBatch(client, {
 *     endpoint: '/v1/chat/completions',
 *     requests: users.map((u) => ({ customId: u.id, body: { model: 'gpt-5-mini', messages: [...] } })),
 *   });
 *   for (const u of users) {
 *     const completion = unwrap(results.get(u.id), u.id); // throws BatchItemError like the original call would have
 *   }
 *
 * What it does:
 * - Splits the requests into input files of one model each, at most 50 000 requests (for embeddings: 50 000 inputs)
 *   and 200 MB per file (OpenAI's limits), uploads each (`purpose: 'batch'`), creates a batch per file and polls with bounded exponential backoff.
 * - Joins results by `custom_id`, never by line order (OpenAI does not keep the order). A line with a non-2xx status,
 *   an error-file line, or a request with no line at all becomes `{ ok: false, error }` for that request only.
 * - A batch that ends `failed` or `cancelled`, or is still running after `poll.timeoutMs`, throws `BatchRunError`
 *   naming the batch id (on timeout the batch is NOT cancelled: retrieve it later with that id).
 * - A batch that ends `expired` (not finished in the 24 h window) does NOT throw: the requests that completed are
 *   returned (OpenAI bills them), the unfinished ones come back as `{ ok: false, error: { code: 'batch_expired' } }`,
 *   so you can retry just those.
 * - Responses API bodies get `output_text` filled in, as `client.responses.create` does.
 * - When one of several batches throws, the others keep running on OpenAI's side; this helper stops polling them.
 */
import OpenAI, { toFile } from 'openai';

export type BatchEndpoint = '/v1/chat/completions' | '/v1/responses' | '/v1/embeddings' | '/v1/completions';

/** Request body per endpoint (the same object you would pass to `create`). */
export type BatchBody<E extends BatchEndpoint> = E extends '/v1/chat/completions'
  ? OpenAI.Chat.ChatCompletionCreateParamsNonStreaming
  : E extends '/v1/responses'
    ? OpenAI.Responses.ResponseCreateParamsNonStreaming
    : E extends '/v1/embeddings'
      ? OpenAI.EmbeddingCreateParams
      : OpenAI.CompletionCreateParamsNonStreaming;

/** Result per endpoint (what `create` would have returned). */
export type BatchResult<E extends BatchEndpoint> = E extends '/v1/chat/completions'
  ? OpenAI.Chat.ChatCompletion
  : E extends '/v1/responses'
    ? OpenAI.Responses.Response
    : E extends '/v1/embeddings'
      ? OpenAI.CreateEmbeddingResponse
      : OpenAI.Completion;

export type BatchItemResult<T> = { ok: true; value: T } | { ok: false; error: BatchItemError };

export interface RunBatchOptions<E extends BatchEndpoint> {
  endpoint: E;
  /** `customId` must be unique; it is how results are found again. */
  requests: ReadonlyArray<{ customId: string; body: BatchBody<E> }>;
  /** Polling of `batches.retrieve`: first wait, longest wait, total time before giving up (ms). */
  poll?: { initialMs?: number; maxMs?: number; timeoutMs?: number };
  completionWindow?: '24h';
  metadata?: Record<string, string>;
  /** Per input file limits; the defaults are OpenAI's. */
  limits?: { maxRequestsPerFile?: number; maxBytesPerFile?: number; maxEmbeddingInputsPerFile?: number };
}

/** One request failed (non-2xx answer, error-file line, expired, or no result). */
export class BatchItemError extends Error {
  override name = 'BatchItemError';
  constructor(
    readonly customId: string,
    readonly code: string,
    message: string,
    readonly status?: number,
    readonly batchId?: string,
  ) {
    super(`Batch request ${customId} failed (${code}): ${message}`);
  }
}

/** A whole batch failed, was cancelled, or did not finish in time. */
export class BatchRunError extends Error {
  override name = 'BatchRunError';
  constructor(
    readonly batchId: string,
    readonly status: string,
    message: string,
  ) {
    super(message);
  }
}

const DEFAULT_POLL = {
  initialMs: 5_000,
  maxMs: 60_000,
  timeoutMs: 26 * 60 * 60 * 1000,
};
const DEFAULT_LIMITS = {
  maxRequestsPerFile: 50_000,
  maxEmbeddingInputsPerFile: 50_000,
  maxBytesPerFile: 200 * 1000 * 1000,
};

export async function runBatch<E extends BatchEndpoint>(
  client: OpenAI,
  options: RunBatchOptions<E>,
): Promise<Map<string, BatchItemResult<BatchResult<E>>>> {
  const poll = {
    initialMs: options.poll?.initialMs ?? DEFAULT_POLL.initialMs,
    maxMs: options.poll?.maxMs ?? DEFAULT_POLL.maxMs,
    timeoutMs: options.poll?.timeoutMs ?? DEFAULT_POLL.timeoutMs,
  };
  const limits = {
    maxRequestsPerFile: options.limits?.maxRequestsPerFile ?? DEFAULT_LIMITS.maxRequestsPerFile,
    maxBytesPerFile: options.limits?.maxBytesPerFile ?? DEFAULT_LIMITS.maxBytesPerFile,
    maxEmbeddingInputsPerFile: options.limits?.maxEmbeddingInputsPerFile ?? DEFAULT_LIMITS.maxEmbeddingInputsPerFile,
  };
  const files = splitIntoFiles(options.endpoint, options.requests, limits);
  const results = new Map<string, BatchItemResult<BatchResult<E>>>();
  const created = await Promise.all(
    files.map(async ({ jsonl, customIds }) => {
      const file = await client.files.create({
        file: await toFile(Buffer.from(jsonl), 'batch.jsonl'),
        purpose: 'batch',
      });
      const batch = await client.batches.create({
        input_file_id: file.id,
        endpoint: options.endpoint,
        completion_window: options.completionWindow ?? '24h',
        ...(options.metadata ? { metadata: options.metadata } : {}),
      });
      return { batchId: batch.id, customIds };
    }),
  );
  // When one batch throws, stop polling the others (they keep running on OpenAI's side).
  const stopPolling = new AbortController();
  await Promise.all(
    created.map(async ({ batchId, customIds }) => {
      const batch = await waitForBatch(client, batchId, poll, stopPolling.signal).catch((error: unknown) => {
        stopPolling.abort();
        throw error;
      });
      if (batch.status === 'failed' || batch.status === 'cancelled') {
        stopPolling.abort();
        const reasons = (batch.errors?.data ?? []).map(
          (e) => `${e.code ?? 'error'}${e.line ? ` (line ${e.line})` : ''}: ${e.message ?? ''}`,
        );
        throw new BatchRunError(
          batch.id,
          batch.status,
          `Batch ${batch.id} ${batch.status}${reasons.length ? `: ${reasons.join('; ')}` : ''}`,
        );
      }
      for (const fileId of [batch.output_file_id, batch.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId)).text();
        for (const line of text.split('\n')) {
          if (line.trim() === '') continue;
          const [customId, result] = parseLine<BatchResult<E>>(line, options.endpoint, batch.id);
          results.set(customId, result);
        }
      }
      // Every request must come back; an expired batch explains the missing ones.
      for (const customId of customIds) {
        if (results.has(customId)) continue;
        const [code, message] =
          batch.status === 'expired'
            ? ['batch_expired', 'This request could not be executed before the completion window expired.']
            : ['missing_result', 'The batch returned no result for this request.'];
        results.set(customId, {
          ok: false,
          error: new BatchItemError(customId, code, message, undefined, batch.id),
        });
      }
    }),
  );
  return results;
}

/**
 * The value of a successful result; throws the item's `BatchItemError` otherwise, as the original call would have
 * thrown at that item. `customId` only names the request when there is no result at all.
 */
export function unwrap<T>(result: BatchItemResult<T> | undefined, customId = '(unknown)'): T {
  if (!result) throw new BatchItemError(customId, 'missing_result', 'No result for this request.');
  if (!result.ok) throw result.error;
  return result.value;
}

type Line = { customId: string; line: string; bytes: number; inputs: number };

function splitIntoFiles(
  endpoint: BatchEndpoint,
  requests: ReadonlyArray<{ customId: string; body: { model?: unknown; input?: unknown } }>,
  limits: typeof DEFAULT_LIMITS,
): Array<{ jsonl: string; customIds: string[] }> {
  const byModel = new Map<string, Line[]>();
  const seen = new Set<string>();
  for (const { customId, body } of requests) {
    if (seen.has(customId)) {
      throw new Error(`runBatch: duplicate customId ${JSON.stringify(customId)}; each request needs a unique id.`);
    }
    seen.add(customId);
    const line = JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body });
    const bytes = Buffer.byteLength(line) + 1;
    if (bytes > limits.maxBytesPerFile) {
      throw new Error(
        `runBatch: request ${customId} is ${bytes} bytes, over the ${limits.maxBytesPerFile}-byte file limit.`,
      );
    }
    // An embeddings batch may hold at most 50 000 inputs in total (an array of strings counts each string).
    const inputs =
      endpoint === '/v1/embeddings' && Array.isArray(body.input) && typeof body.input[0] !== 'number'
        ? body.input.length
        : 1;
    const group = byModel.get(String(body.model)) ?? [];
    group.push({ customId, line, bytes, inputs });
    byModel.set(String(body.model), group);
  }
  const files: Array<{ jsonl: string; customIds: string[] }> = [];
  for (const group of byModel.values()) {
    let current: Line[] = [];
    let bytes = 0;
    let inputs = 0;
    for (const entry of group) {
      const full =
        current.length >= limits.maxRequestsPerFile ||
        bytes + entry.bytes > limits.maxBytesPerFile ||
        (endpoint === '/v1/embeddings' && inputs + entry.inputs > limits.maxEmbeddingInputsPerFile);
      if (full && current.length > 0) {
        files.push(fileOf(current));
        current = [];
        bytes = 0;
        inputs = 0;
      }
      current.push(entry);
      bytes += entry.bytes;
      inputs += entry.inputs;
    }
    if (current.length > 0) files.push(fileOf(current));
  }
  return files;
}

function fileOf(lines: Line[]): { jsonl: string; customIds: string[] } {
  return { jsonl: lines.map((l) => l.line).join('\n') + '\n', customIds: lines.map((l) => l.customId) };
}

async function waitForBatch(
  client: OpenAI,
  batchId: string,
  poll: typeof DEFAULT_POLL,
  stop: AbortSignal,
): Promise<OpenAI.Batches.Batch> {
  const deadline = Date.now() + poll.timeoutMs;
  let wait = poll.initialMs;
  for (;;) {
    const batch = await client.batches.retrieve(batchId);
    if (['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) return batch;
    if (stop.aborted)
      throw new BatchRunError(batchId, batch.status, `Stopped polling batch ${batchId}: another batch failed.`);
    if (Date.now() + wait > deadline) {
      throw new BatchRunError(
        batchId,
        batch.status,
        `Batch ${batchId} is still ${batch.status} after ${poll.timeoutMs} ms; it keeps running, retrieve it later with this id.`,
      );
    }
    await sleep(wait, stop);
    wait = Math.min(wait * 2, poll.maxMs);
  }
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done);
  });
}

interface OutputLine {
  custom_id: string;
  response: { status_code: number; request_id?: string; body: unknown } | null;
  error: { code?: string; message?: string } | null;
}

function parseLine<T>(text: string, endpoint: BatchEndpoint, batchId: string): [string, BatchItemResult<T>] {
  const line = JSON.parse(text) as OutputLine;
  const id = line.custom_id;
  const status = line.response?.status_code;
  if (line.error || status === undefined) {
    const code = line.error?.code ?? 'unknown_error';
    return [
      id,
      {
        ok: false,
        error: new BatchItemError(id, code, line.error?.message ?? 'No response.', status, batchId),
      },
    ];
  }
  if (status < 200 || status >= 300) {
    const error = (line.response?.body as { error?: { code?: string | null; message?: string } } | undefined)?.error;
    const err = new BatchItemError(
      id,
      error?.code ?? `http_${status}`,
      error?.message ?? `HTTP ${status}`,
      status,
      batchId,
    );
    return [id, { ok: false, error: err }];
  }
  const body = line.response?.body as T;
  if (endpoint === '/v1/responses') addOutputText(body as OpenAI.Responses.Response);
  return [id, { ok: true, value: body }];
}

/** Same as the SDK's `output_text`: the concatenated text of all output_text parts. */
function addOutputText(response: OpenAI.Responses.Response): void {
  if (typeof response.output_text === 'string') return;
  const texts: string[] = [];
  for (const item of response.output ?? []) {
    if (item.type !== 'message') continue;
    for (const part of item.content) if (part.type === 'output_text') texts.push(part.text);
  }
  response.output_text = texts.join('');
}
