/**
 * A fake OpenAI API for tests: node:http on 127.0.0.1 with a random port.
 *
 * Answers are deterministic and derived from the request, so a sync call and the same request run through a batch
 * can be compared: chat / responses / completions answer `echo:<last user text>`, embeddings are a vector derived
 * from a hash of each input, moderations flag any input containing "flag".
 *
 * Batches run every JSONL line through the same handlers as the sync endpoints. They are validated like OpenAI does
 * (asynchronously: the batch is created, then a retrieve shows `failed` with `errors.data[] {code, line, message,
 * param}` — codes `empty_file`, `invalid_json_line`, `duplicate_custom_id`, `url_mismatch`, `model_mismatch`,
 * `too_many_tasks`), then move `validating` → `in_progress` → terminal over `batchPollsToComplete` retrieves.
 * Output lines (`{id, custom_id, response: {status_code, request_id, body}, error: null}`) are written in a seeded
 * shuffled order. Failed requests go to the error file (Batch guide: "Failed requests go to the error file"), as
 * OpenAI writes them: a non-2xx `response` with `body.error` and `error: null`; expired lines as
 * `{response: null, error: {code: 'batch_expired', ...}}`. The output file / error file ids are only set when the
 * file has lines, as on OpenAI.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SyncEndpoint =
  '/v1/chat/completions' | '/v1/responses' | '/v1/embeddings' | '/v1/completions' | '/v1/moderations';

const SYNC_ENDPOINTS: readonly SyncEndpoint[] = [
  '/v1/chat/completions',
  '/v1/responses',
  '/v1/embeddings',
  '/v1/completions',
  '/v1/moderations',
];

/** How one batch line fails. `file: 'output'` puts the non-2xx line in the output file instead of the error file. */
export type LineFailure =
  | {
      kind: 'http';
      statusCode: number;
      code?: string;
      message?: string;
      file?: 'error' | 'output';
    }
  | { kind: 'error'; code: string; message?: string };

export interface BatchLine {
  customId: string;
  url: string;
  body: Record<string, unknown>;
}

export interface FakeOpenAIOptions {
  /** Seed of the output-line shuffle. */
  seed: number;
  /** The batch reaches its terminal status on this retrieve (1 = first retrieve). Earlier retrieves show in_progress. */
  batchPollsToComplete: number;
  /** Decide per batch line whether it fails. */
  failLine?: ((line: BatchLine) => LineFailure | undefined) | undefined;
  /** Batches end `expired`: only the first `completedLines` lines (input order) ran, the rest are `batch_expired`. */
  expireBatches?: { completedLines: number } | undefined;
  /**
   * Batches (all, or those whose lines match `when`) fail validation with this error, on top of the automatic
   * input-validation failures. Like those, it shows on the first retrieve.
   */
  failBatches?: { code: string; message: string; when?: (lines: BatchLine[]) => boolean } | undefined;
  /** Answer HTTP `status` once for each listed route key, e.g. `POST /v1/batches` or `GET /v1/batches/{id}`. */
  errorOnce: Array<{ route: string; status?: number }>;
  /** Answer 429 `resource_unavailable` to requests with `service_tier: "flex"`: the first `times` such requests. */
  flex429?: { times: number } | undefined;
  /** `retry-after-ms` header sent with injected 429/500 answers, so SDK retries do not sleep in tests. */
  retryAfterMs: number;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. `/v1/batches/batch_1`. */
  path: string;
  /** Route key with ids replaced, e.g. `GET /v1/batches/{id}`. */
  route: string;
  headers: Record<string, string>;
  /** Parsed JSON body; for multipart uploads `{ fields, files: [{ field, filename, bytes }] }`; else undefined. */
  body: unknown;
  /**
   * `X-Stainless-Timeout` (seconds) the SDK sent. openai v4 always sends the effective timeout (client option or the
   * 600 s default); openai v7 sends it only when `timeout` is passed per request (a client-level timeout is not sent).
   */
  timeoutSeconds: number | undefined;
  /** `x-stainless-retry-count`: 0 for the first attempt, 1+ for SDK retries. */
  retryCount: number | undefined;
  /** HTTP status the fake answered. */
  status: number;
}

export interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: Buffer;
  createdAt: number;
}

interface BatchState {
  batch: Record<string, unknown> & {
    id: string;
    status: string;
    endpoint: string;
    input_file_id: string;
  };
  retrieves: number;
  cancelRequested: boolean;
  options: FakeOpenAIOptions;
}

export interface FakeOpenAI {
  /** Base URL for the SDK: `http://127.0.0.1:<port>/v1`. */
  readonly baseURL: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  readonly files: Map<string, StoredFile>;
  /** Current batch objects, as the last retrieve returned them. */
  batch(id: string): Record<string, unknown> | undefined;
  readonly options: FakeOpenAIOptions;
  /** Change options (between tests). Batches snapshot the options at creation. */
  setOptions(patch: Partial<FakeOpenAIOptions>): void;
  /** Forget requests, files, batches, and restore the start options. */
  reset(): void;
  /** Parsed JSONL lines of a stored file. */
  jsonl(fileId: string): Array<Record<string, unknown>>;
  close(): Promise<void>;
}

const DEFAULT_OPTIONS: FakeOpenAIOptions = {
  seed: 1,
  batchPollsToComplete: 2,
  errorOnce: [],
  retryAfterMs: 1,
};

export async function startFakeOpenAI(options: Partial<FakeOpenAIOptions> = {}): Promise<FakeOpenAI> {
  const startOptions: FakeOpenAIOptions = {
    ...DEFAULT_OPTIONS,
    ...options,
    errorOnce: [...(options.errorOnce ?? [])],
  };
  let current: FakeOpenAIOptions = {
    ...startOptions,
    errorOnce: [...startOptions.errorOnce],
  };
  const requests: RecordedRequest[] = [];
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, BatchState>();
  let counter = 0;
  let flex429Sent = 0;
  const nextId = (prefix: string) => `${prefix}${++counter}`;
  const now = () => Math.floor(Date.now() / 1000);

  function storeFile(filename: string, purpose: string, content: Buffer): StoredFile {
    const file = {
      id: nextId('file-'),
      filename,
      purpose,
      content,
      createdAt: now(),
    };
    files.set(file.id, file);
    return file;
  }

  function fileObject(file: StoredFile) {
    return {
      id: file.id,
      object: 'file',
      bytes: file.content.length,
      created_at: file.createdAt,
      filename: file.filename,
      purpose: file.purpose,
      status: 'processed',
    };
  }

  function retrieveBatch(state: BatchState): void {
    state.retrieves += 1;
    const b = state.batch;
    if (['completed', 'failed', 'expired', 'cancelled'].includes(b.status)) return;
    if (state.cancelRequested) {
      Object.assign(b, { status: 'cancelled', cancelled_at: now() });
      return;
    }
    const input = files.get(b.input_file_id);
    const parsed = validateBatchInput(input?.content.toString('utf8') ?? '', b.endpoint);
    const batchErrors = 'errors' in parsed ? parsed.errors : [];
    const fail = state.options.failBatches;
    if (fail && (!fail.when || ('lines' in parsed && fail.when(parsed.lines)))) {
      batchErrors.push({ code: fail.code, message: fail.message, line: null, param: null });
    }
    if (batchErrors.length > 0 || !('lines' in parsed)) {
      Object.assign(b, { status: 'failed', failed_at: now(), errors: { object: 'list', data: batchErrors } });
      return;
    }
    if (state.retrieves < state.options.batchPollsToComplete) {
      if (b.status === 'validating') Object.assign(b, { status: 'in_progress', in_progress_at: now() });
      return;
    }
    finishBatch(state, parsed.lines);
  }

  function finishBatch(state: BatchState, lines: BatchLine[]): void {
    const b = state.batch;
    const opts = state.options;
    if (typeof lines[0]?.body.model === 'string') b.model = lines[0].body.model;
    const outputLines: string[] = [];
    const errorLines: string[] = [];
    let completed = 0;
    let failed = 0;
    lines.forEach((line, index) => {
      const id = nextId('batch_req_');
      if (opts.expireBatches && index >= opts.expireBatches.completedLines) {
        failed += 1;
        errorLines.push(
          JSON.stringify({
            id,
            custom_id: line.customId,
            response: null,
            error: {
              code: 'batch_expired',
              message: 'This request could not be executed before the completion window expired.',
            },
          }),
        );
        return;
      }
      const failure = opts.failLine?.(line);
      if (failure?.kind === 'error') {
        failed += 1;
        errorLines.push(
          JSON.stringify({
            id,
            custom_id: line.customId,
            response: null,
            error: {
              code: failure.code,
              message: failure.message ?? `Request failed: ${failure.code}`,
            },
          }),
        );
        return;
      }
      const result = failure
        ? errorBody(failure.statusCode, failure.message ?? 'Injected failure.', failure.code ?? 'injected_failure')
        : handleSync(line.url as SyncEndpoint, line.body, nextId);
      const ok = result.status >= 200 && result.status < 300;
      const text = JSON.stringify({
        id,
        custom_id: line.customId,
        response: {
          status_code: result.status,
          request_id: nextId('req_'),
          body: result.body,
        },
        error: null,
      });
      if (ok) completed += 1;
      else failed += 1;
      if (ok || (failure?.kind === 'http' && failure.file === 'output')) outputLines.push(text);
      else errorLines.push(text);
    });
    const shuffled = seededShuffle(outputLines, opts.seed + counter);
    if (shuffled.length > 0) {
      b.output_file_id = storeFile('batch_output.jsonl', 'batch_output', Buffer.from(shuffled.join('\n') + '\n')).id;
    }
    if (errorLines.length > 0) {
      b.error_file_id = storeFile('batch_errors.jsonl', 'batch_output', Buffer.from(errorLines.join('\n') + '\n')).id;
    }
    b.request_counts = { total: lines.length, completed, failed };
    if (opts.expireBatches) Object.assign(b, { status: 'expired', expired_at: now() });
    else
      Object.assign(b, {
        status: 'completed',
        finalizing_at: now(),
        completed_at: now(),
      });
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const route = `${method} ${path.replace(/^(\/v1\/(?:files|batches)\/)[^/]+/, '$1{id}')}`;
    const raw = await readBody(req);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
    let body: unknown;
    const contentType = headers['content-type'] ?? '';
    if (contentType.startsWith('multipart/form-data')) body = await parseMultipart(raw, contentType);
    else if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = raw.toString('utf8');
      }
    }
    const record: RecordedRequest = {
      method,
      path,
      route,
      headers,
      body,
      timeoutSeconds: headers['x-stainless-timeout'] === undefined ? undefined : Number(headers['x-stainless-timeout']),
      retryCount:
        headers['x-stainless-retry-count'] === undefined ? undefined : Number(headers['x-stainless-retry-count']),
      status: 0,
    };
    requests.push(record);
    const send = (status: number, payload: unknown, extraHeaders: Record<string, string> = {}) => {
      record.status = status;
      const text = typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
      res.writeHead(status, {
        'content-type':
          typeof payload === 'string' || Buffer.isBuffer(payload) ? 'application/octet-stream' : 'application/json',
        'x-request-id': nextId('req_'),
        ...extraHeaders,
      });
      res.end(text);
    };
    const retryHeaders = { 'retry-after-ms': String(current.retryAfterMs) };

    const injected = current.errorOnce.findIndex((e) => e.route === route);
    if (injected >= 0) {
      const [entry] = current.errorOnce.splice(injected, 1);
      const status = entry?.status ?? 500;
      return send(
        status,
        errorBody(status, 'Injected server error.', 'server_error', 'server_error').body,
        retryHeaders,
      );
    }
    const json = (body ?? {}) as Record<string, unknown>;
    if (current.flex429 && json.service_tier === 'flex' && flex429Sent < current.flex429.times) {
      flex429Sent += 1;
      return send(
        429,
        {
          error: {
            message: 'Resource Unavailable: flex processing capacity is temporarily unavailable. Please retry later.',
            type: 'invalid_request_error',
            param: null,
            code: 'resource_unavailable',
          },
        },
        retryHeaders,
      );
    }

    if (method === 'POST' && (SYNC_ENDPOINTS as readonly string[]).includes(path)) {
      if (path === '/v1/chat/completions' && json.stream === true) return streamChat(json, res, record, nextId);
      if (json.stream === true) {
        const e = errorBody(400, 'The fake supports stream: true on /v1/chat/completions only.', 'unsupported_stream');
        return send(e.status, e.body);
      }
      const result = handleSync(path as SyncEndpoint, json, nextId);
      return send(result.status, result.body);
    }
    if (method === 'POST' && path === '/v1/files') {
      const form = body as MultipartBody | undefined;
      const upload = form?.files.find((f) => f.field === 'file');
      const purpose = form?.fields.purpose;
      if (!upload || !purpose) {
        const e = errorBody(400, "Both 'file' and 'purpose' are required.", 'missing_required_parameter');
        return send(e.status, e.body);
      }
      if (purpose === 'batch' && !upload.filename.endsWith('.jsonl')) {
        const e = errorBody(400, 'The Batch API only supports .jsonl files.', 'invalid_file_format');
        return send(e.status, e.body);
      }
      return send(200, fileObject(storeFile(upload.filename, purpose, upload.content)));
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (method === 'GET' && fileMatch) {
      const file = files.get(fileMatch[1] ?? '');
      if (!file) return send(404, errorBody(404, `No such File object: ${fileMatch[1]}`, null).body);
      return fileMatch[2] ? send(200, file.content) : send(200, fileObject(file));
    }
    if (method === 'POST' && path === '/v1/batches') {
      const input = files.get(String(json.input_file_id));
      let problem: string | undefined;
      if (!input) problem = `No such File object: ${String(json.input_file_id)}`;
      else if (input.purpose !== 'batch') problem = "The input file must be uploaded with purpose 'batch'.";
      else if (
        !['/v1/chat/completions', '/v1/responses', '/v1/embeddings', '/v1/completions', '/v1/moderations'].includes(
          String(json.endpoint),
        )
      )
        problem = `Invalid endpoint: ${String(json.endpoint)}`;
      else if (json.completion_window !== '24h') problem = "completion_window must be '24h'.";
      if (problem) return send(400, errorBody(400, problem, 'invalid_request').body);
      const created = now();
      const state: BatchState = {
        batch: {
          id: nextId('batch_'),
          object: 'batch',
          endpoint: String(json.endpoint),
          errors: null,
          input_file_id: String(json.input_file_id),
          completion_window: '24h',
          status: 'validating',
          created_at: created,
          expires_at: created + 86_400,
          request_counts: { total: 0, completed: 0, failed: 0 },
          metadata: (json.metadata as Record<string, string> | undefined) ?? null,
        },
        retrieves: 0,
        cancelRequested: false,
        options: { ...current, errorOnce: [] },
      };
      batches.set(state.batch.id, state);
      return send(200, state.batch);
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (batchMatch) {
      const state = batches.get(batchMatch[1] ?? '');
      if (!state) return send(404, errorBody(404, `No batch found with id '${batchMatch[1]}'.`, null).body);
      if (method === 'GET' && !batchMatch[2]) {
        retrieveBatch(state);
        return send(200, state.batch);
      }
      if (method === 'POST' && batchMatch[2]) {
        if (['completed', 'failed', 'expired', 'cancelled'].includes(state.batch.status)) {
          return send(409, errorBody(409, `Cannot cancel a batch with status '${state.batch.status}'.`, null).body);
        }
        state.cancelRequested = true;
        Object.assign(state.batch, {
          status: 'cancelling',
          cancelling_at: now(),
        });
        return send(200, state.batch);
      }
    }
    send(404, errorBody(404, `Unknown route: ${method} ${path}`, 'unknown_url').body);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: `fake-openai crashed: ${String(error)}`,
            type: 'server_error',
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    port,
    requests,
    files,
    batch: (id) => batches.get(id)?.batch,
    get options() {
      return current;
    },
    setOptions(patch) {
      current = { ...current, ...patch };
      if (patch.flex429) flex429Sent = 0;
    },
    reset() {
      requests.length = 0;
      files.clear();
      batches.clear();
      flex429Sent = 0;
      current = { ...startOptions, errorOnce: [...startOptions.errorOnce] };
    },
    jsonl(fileId) {
      const file = files.get(fileId);
      if (!file) throw new Error(`fake-openai: no file ${fileId}`);
      return file.content
        .toString('utf8')
        .split('\n')
        .filter((l) => l.trim() !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Sync handlers (also used for batch lines)

interface HandlerResult {
  status: number;
  body: unknown;
}

function errorBody(
  status: number,
  message: string,
  code: string | null,
  type = 'invalid_request_error',
): HandlerResult {
  return { status, body: { error: { message, type, param: null, code } } };
}

/** Text of the last user message / input, used for the deterministic `echo:` answers. */
function lastUserText(body: Record<string, unknown>): string {
  const messages = Array.isArray(body.messages) ? body.messages : Array.isArray(body.input) ? body.input : undefined;
  if (typeof body.input === 'string') return body.input;
  if (typeof body.prompt === 'string') return body.prompt;
  if (!messages) return '';
  const users = messages.filter(
    (m): m is Record<string, unknown> =>
      typeof m === 'object' && m !== null && (m as { role?: unknown }).role === 'user',
  );
  const last = users.at(-1);
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  if (Array.isArray(last.content)) {
    return last.content
      .map((p: unknown) =>
        typeof p === 'object' && p !== null && typeof (p as { text?: unknown }).text === 'string'
          ? (p as { text: string }).text
          : '',
      )
      .join('');
  }
  return '';
}

function inputsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
  return [];
}

function tokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** Deterministic 8-dimensional vector for a text (exported so tests can compute the expected embedding). */
export function fakeEmbedding(text: string): number[] {
  const hash = createHash('sha256').update(text).digest();
  return Array.from({ length: 8 }, (_, i) => Math.fround((hash[i] ?? 0) / 255 - 0.5));
}

export function handleSync(
  endpoint: SyncEndpoint,
  body: Record<string, unknown>,
  nextId: (prefix: string) => string,
): HandlerResult {
  if (typeof body.model !== 'string' && endpoint !== '/v1/moderations') {
    return errorBody(400, 'you must provide a model parameter', 'missing_required_parameter');
  }
  const model = typeof body.model === 'string' ? body.model : 'omni-moderation-latest';
  const created = Math.floor(Date.now() / 1000);
  const servedTier = body.service_tier === 'flex' ? 'flex' : 'default';
  switch (endpoint) {
    case '/v1/chat/completions': {
      if (!Array.isArray(body.messages))
        return errorBody(400, "Missing required parameter: 'messages'.", 'missing_required_parameter');
      const user = lastUserText(body);
      const content = `echo:${user}`;
      return {
        status: 200,
        body: {
          id: nextId('chatcmpl-'),
          object: 'chat.completion',
          created,
          model,
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content,
                refusal: null,
                annotations: [],
              },
              finish_reason: 'stop',
              logprobs: null,
            },
          ],
          usage: {
            prompt_tokens: tokens(user),
            completion_tokens: tokens(content),
            total_tokens: tokens(user) + tokens(content),
          },
          service_tier: servedTier,
          system_fingerprint: null,
        },
      };
    }
    case '/v1/responses': {
      if (body.input === undefined)
        return errorBody(400, "Missing required parameter: 'input'.", 'missing_required_parameter');
      const user = lastUserText(body);
      const text = `echo:${user}`;
      return {
        status: 200,
        body: {
          id: nextId('resp_'),
          object: 'response',
          created_at: created,
          status: 'completed',
          error: null,
          incomplete_details: null,
          instructions: body.instructions ?? null,
          metadata: {},
          model,
          output: [
            {
              type: 'message',
              id: nextId('msg_'),
              status: 'completed',
              role: 'assistant',
              content: [{ type: 'output_text', text, annotations: [] }],
            },
          ],
          parallel_tool_calls: true,
          temperature: 1,
          tool_choice: 'auto',
          tools: [],
          top_p: 1,
          service_tier: servedTier,
          usage: {
            input_tokens: tokens(user),
            input_tokens_details: { cached_tokens: 0 },
            output_tokens: tokens(text),
            output_tokens_details: { reasoning_tokens: 0 },
            total_tokens: tokens(user) + tokens(text),
          },
        },
      };
    }
    case '/v1/embeddings': {
      const inputs = inputsOf(body.input);
      if (inputs.length === 0) return errorBody(400, "'input' must be a non-empty string or array.", 'invalid_value');
      const base64 = body.encoding_format === 'base64';
      const total = inputs.reduce((n, t) => n + tokens(t), 0);
      return {
        status: 200,
        body: {
          object: 'list',
          model,
          data: inputs.map((text, index) => {
            const vector = fakeEmbedding(text);
            return {
              object: 'embedding',
              index,
              embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector,
            };
          }),
          usage: { prompt_tokens: total, total_tokens: total },
        },
      };
    }
    case '/v1/completions': {
      const prompts = inputsOf(body.prompt);
      if (prompts.length === 0)
        return errorBody(400, "Missing required parameter: 'prompt'.", 'missing_required_parameter');
      const total = prompts.reduce((n, t) => n + tokens(t), 0);
      return {
        status: 200,
        body: {
          id: nextId('cmpl-'),
          object: 'text_completion',
          created,
          model,
          choices: prompts.map((p, index) => ({
            index,
            text: `echo:${p}`,
            finish_reason: 'stop',
            logprobs: null,
          })),
          usage: {
            prompt_tokens: total,
            completion_tokens: total + 2,
            total_tokens: 2 * total + 2,
          },
        },
      };
    }
    case '/v1/moderations': {
      const inputs = inputsOf(body.input);
      if (inputs.length === 0)
        return errorBody(400, "Missing required parameter: 'input'.", 'missing_required_parameter');
      return {
        status: 200,
        body: {
          id: nextId('modr-'),
          model,
          results: inputs.map((text) => {
            const flagged = text.includes('flag');
            return {
              flagged,
              categories: { harassment: flagged, violence: false },
              category_scores: {
                harassment: flagged ? 0.9 : 0.01,
                violence: 0.01,
              },
              category_applied_input_types: {
                harassment: ['text'],
                violence: ['text'],
              },
            };
          }),
        },
      };
    }
  }
}

function streamChat(
  body: Record<string, unknown>,
  res: http.ServerResponse,
  record: RecordedRequest,
  nextId: (prefix: string) => string,
): void {
  const result = handleSync('/v1/chat/completions', { ...body, stream: undefined }, nextId);
  if (result.status !== 200) {
    record.status = result.status;
    res.writeHead(result.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(result.body));
    return;
  }
  const full = result.body as {
    id: string;
    created: number;
    model: string;
    choices: Array<{ message: { content: string } }>;
  };
  const content = full.choices[0]?.message.content ?? '';
  const chunk = (delta: Record<string, unknown>, finish: string | null) => ({
    id: full.id,
    object: 'chat.completion.chunk',
    created: full.created,
    model: full.model,
    choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
  });
  record.status = 200;
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const half = Math.ceil(content.length / 2);
  for (const c of [
    chunk({ role: 'assistant', content: '' }, null),
    chunk({ content: content.slice(0, half) }, null),
    chunk({ content: content.slice(half) }, null),
    chunk({}, 'stop'),
  ]) {
    res.write(`data: ${JSON.stringify(c)}\n\n`);
  }
  res.end('data: [DONE]\n\n');
}

// ---------------------------------------------------------------------------------------------------------------
// Batch input validation (OpenAI reports these asynchronously: the batch turns `failed` with `errors.data`)

interface BatchValidationError {
  code: string;
  message: string;
  line: number | null;
  param: string | null;
}

const MAX_BATCH_LINES = 50_000;

function validateBatchInput(
  text: string,
  endpoint: string,
): { lines: BatchLine[] } | { errors: BatchValidationError[] } {
  const errors: BatchValidationError[] = [];
  const rawLines = text.split('\n').filter((l) => l.trim() !== '');
  if (rawLines.length === 0)
    return {
      errors: [
        {
          code: 'empty_file',
          message: 'The batch input file is empty.',
          line: null,
          param: null,
        },
      ],
    };
  if (rawLines.length > MAX_BATCH_LINES) {
    errors.push({
      code: 'too_many_tasks',
      message: `The batch input file has more than ${MAX_BATCH_LINES} requests.`,
      line: null,
      param: null,
    });
  }
  const seen = new Set<string>();
  const lines: BatchLine[] = [];
  let model: string | undefined;
  rawLines.forEach((raw, i) => {
    const line = i + 1;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      errors.push({
        code: 'invalid_json_line',
        message: 'This line is not parseable as valid JSON.',
        line,
        param: null,
      });
      return;
    }
    const customId = parsed.custom_id;
    if (typeof customId !== 'string' || customId === '') {
      errors.push({
        code: 'missing_required_parameter',
        message: "Missing required parameter: 'custom_id'.",
        line,
        param: 'custom_id',
      });
      return;
    }
    if (seen.has(customId)) {
      errors.push({
        code: 'duplicate_custom_id',
        message: `The custom_id '${customId}' is duplicated; custom_id must be unique in a batch.`,
        line,
        param: 'custom_id',
      });
    }
    seen.add(customId);
    if (parsed.method !== 'POST') {
      errors.push({
        code: 'invalid_method',
        message: `Only POST is supported, got '${String(parsed.method)}'.`,
        line,
        param: 'method',
      });
    }
    if (parsed.url !== endpoint) {
      errors.push({
        code: 'url_mismatch',
        message: `The url '${String(parsed.url)}' does not match the batch endpoint '${endpoint}'.`,
        line,
        param: 'url',
      });
    }
    const body = (typeof parsed.body === 'object' && parsed.body !== null ? parsed.body : {}) as Record<
      string,
      unknown
    >;
    if (typeof body.model === 'string') {
      if (model === undefined) model = body.model;
      else if (body.model !== model) {
        errors.push({
          code: 'model_mismatch',
          message: `The model '${body.model}' does not match the model '${model}' of the file; each input file can only include requests to a single model.`,
          line,
          param: 'body.model',
        });
      }
    }
    lines.push({ customId, url: String(parsed.url), body });
  });
  return errors.length > 0 ? { errors } : { lines };
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  // mulberry32
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

interface MultipartBody {
  fields: Record<string, string>;
  files: Array<{
    field: string;
    filename: string;
    bytes: number;
    content: Buffer;
  }>;
}

/** Parse multipart/form-data with the platform's (undici) `Request.formData()`. */
async function parseMultipart(raw: Buffer, contentType: string): Promise<MultipartBody> {
  const form = await new Request('http://fake.invalid/', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: raw,
  }).formData();
  const result: MultipartBody = { fields: {}, files: [] };
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') result.fields[field] = value;
    else {
      const content = Buffer.from(await value.arrayBuffer());
      result.files.push({
        field,
        filename: value.name,
        bytes: content.length,
        content,
      });
    }
  }
  return result;
}
