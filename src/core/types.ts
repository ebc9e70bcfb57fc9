/**
 * The data model shared by every face of tierwise (audit, ESLint rules, codemods, reporters).
 * Everything here is plain, JSON-serialisable data: the core decides, the faces adapt.
 */

/** The OpenAI SDK methods tierwise recognises, spelled as the callee path below the client. */
export type Endpoint =
  | 'chat.completions.create'
  | 'chat.completions.parse'
  | 'chat.completions.stream'
  | 'beta.chat.completions.parse'
  | 'beta.chat.completions.stream'
  | 'responses.create'
  | 'responses.parse'
  | 'responses.stream'
  | 'embeddings.create'
  | 'completions.create'
  | 'moderations.create';

/** The HTTP API family an endpoint belongs to (what the Batch API's `endpoint` field names). */
export type ApiFamily = 'chat' | 'responses' | 'embeddings' | 'completions' | 'moderations';

/** `service_tier` as written at the call site. `absent`: not set; `dynamic`: set to something not statically known. */
export type ServiceTier = 'absent' | 'auto' | 'default' | 'flex' | 'priority' | 'fast' | 'scale' | 'dynamic';

export type ContextKind = 'cron' | 'interval' | 'queue' | 'eval' | 'script' | 'interactive';

export type Classification = 'background' | 'interactive' | 'mixed' | 'unknown';

export type RuleId = 'no-standard-tier-in-background' | 'flex-needs-timeout' | 'flex-unsupported-model';

/** 1-based line and column, posix path relative to the audited root. */
export interface Location {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface SourcePoint {
  file: string;
  line: number;
}

/** A text splice in one file. Offsets are 0-based UTF-16 offsets into the file's current text. */
export interface Edit {
  file: string;
  start: number;
  end: number;
  text: string;
}

/** How often an entrypoint runs, as read from the code (the pricing layer turns it into runs/month). */
export type Cadence =
  | {
      type: 'cron';
      expression: string;
      timezone?: string;
      /** Further schedules of the same entrypoint (Cloudflare `triggers.crons`, Inngest functions with several cron triggers); their runs add up. */
      also?: Array<{ expression: string; timezone?: string }>;
    }
  | { type: 'interval'; everyMs: number }
  | { type: 'once'; delayMs?: number }
  | { type: 'unknown' };

/** One step of the chain from an entrypoint to a call site. */
export interface ChainStep {
  /** A readable name: `buildDigest()`, `DigestService.run()`, `handler` … */
  name: string;
  file: string;
  line: number;
}

/** One entrypoint that reaches a call site, and how. */
export interface Context {
  kind: ContextKind;
  /** Framework id from src/frameworks (e.g. `node-cron`, `bullmq`, `express`) or `config` / `convention`. */
  framework: string;
  entry: SourcePoint & { name: string };
  /** Human-readable trigger, e.g. `node-cron '0 6 * * *'`, `BullMQ worker 'emails'`, `GET /api/chat`. */
  trigger: string;
  cadence: Cadence;
  /** Entry first, the call site's enclosing function last. */
  chain: ChainStep[];
  /** Why this is an entrypoint (e.g. "imports node-cron and passes the handler to cron.schedule"). */
  why: string;
}

export interface Timeout {
  /** Effective timeout in ms, or null when not statically known. */
  ms: number | null;
  source: 'request' | 'client' | 'sdk-default' | 'dynamic';
}

/** A call runs once per item of a collection. */
export interface PerItem {
  kind: 'for-of' | 'for' | 'for-in' | 'while' | 'do-while' | 'map' | 'forEach' | 'p-map' | 'p-limit' | 'flatMap' | 'eval-data';
  /** Source text of the collection expression when there is one. */
  collection: string | null;
  /** Literal size of the collection when visible (array literal, `Array.from({length: N})`, numeric bound). */
  size: number | null;
  line: number;
  /**
   * Loops around this one along the way from the entrypoint (nested loops in the same function, or a loop around a
   * call of the function that holds this one), innermost first. Absent when this is the only loop.
   */
  outer?: PerItem[];
}

/** Static facts about the request params that pricing needs. */
export interface PromptFacts {
  /** Literal text pieces of the prompt (system/user messages, instructions, input), concatenated per message. */
  literalText: string[];
  /** Number of interpolated / non-literal values in the prompt. */
  interpolations: number;
  /** max_tokens / max_completion_tokens / max_output_tokens when literal. */
  maxOutputTokens: number | null;
}

export interface ClientInfo {
  /** Where the client was constructed (`new OpenAI(...)`), when found in the project. */
  createdAt: SourcePoint | null;
  /** Constructor `timeout` when literal. */
  timeoutMs: number | null;
  /** `OpenAI` | `AzureOpenAI` | … */
  className: string | null;
}

export interface CallSite extends Location {
  /** `file:line:column`, unique in a report. */
  id: string;
  /** Stable across line moves: hash of file + enclosing function + normalised call text. */
  fingerprint: string;
  endpoint: Endpoint;
  family: ApiFamily;
  /** Source text of the callee, e.g. `this.openai.chat.completions.create`. */
  callee: string;
  model: string | null;
  /** Set when `model` is null because the code picks one of a few literals (`fast ? 'gpt-5-nano' : 'gpt-5-mini'`). */
  modelCandidates?: string[];
  serviceTier: ServiceTier;
  stream: boolean | 'dynamic';
  timeout: Timeout;
  perItem: PerItem | null;
  client: ClientInfo;
  prompt: PromptFacts;
  /** Name of the function that contains the call (`summarize`, `DigestService.run`, `<module>`). */
  enclosing: string;
  classification: Classification;
  contexts: Context[];
  /** How the call was recognised. */
  resolvedBy: 'checker' | 'imports';
  /** Set when a `// tierwise-ignore-next-line` comment precedes the call. */
  ignored: boolean;
}

export interface Recommendation {
  tier: 'flex' | 'batch';
  reason: string;
}

export interface Assumption {
  what: string;
  value: number | string;
  source: 'code' | 'cron' | 'config' | 'usage' | 'default';
}

export type Savings =
  | {
      unknown?: false;
      usdPerMonth: number;
      standardUsdPerMonth: number;
      recommendedUsdPerMonth: number;
      tier: 'flex' | 'batch';
      assumptions: Assumption[];
      confidence: 'high' | 'medium' | 'low';
      calibrated?: boolean;
      /** Human-readable arithmetic, printed by `--explain`. */
      arithmetic?: string[];
    }
  | { unknown: true; why: string };

export interface Finding extends Location {
  rule: RuleId;
  message: string;
  severity: 'error' | 'warning';
  callSiteId: string;
  fingerprint: string;
  endpoint: Endpoint;
  callee: string;
  model: string | null;
  serviceTier: ServiceTier;
  /** The entrypoint the message names (the first background context); `mixed: true` when interactive ones reach it too. */
  context: (Context & { mixed?: boolean }) | null;
  /** Every context that reaches the call site. */
  contexts: Context[];
  recommendation: Recommendation | null;
  savings?: Savings;
  /** Text edits that apply the recommended fix (flex tier and timeout), when the core can compute them. */
  edits?: Edit[];
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface ReportSummary {
  files: number;
  callSites: number;
  findings: number;
  byRule: Partial<Record<RuleId, number>>;
  byClassification: Record<Classification, number>;
  /** Whether types were resolved with the checker or only from imports (no node_modules). */
  typeInfo: 'checker' | 'imports';
  usdPerMonth?: number;
  usdPerMonthFromDefaultsOnly?: number;
  unknownSavings?: number;
  notes: string[];
}

export interface Report {
  tool: 'tierwise';
  version: string;
  root: string;
  /** `root` relative to its repository (nearest `.git` or monorepo root), posix style, `.` at the top; absent outside one. */
  workspace?: string;
  callSites: CallSite[];
  findings: Finding[];
  skipped: Skipped[];
  summary: ReportSummary;
}
