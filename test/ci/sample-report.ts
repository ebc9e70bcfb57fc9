/**
 * Realistic tierwise reports for the CI-face tests, built to the exact shape of src/core/types.ts.
 * The project they describe: a cron digest job, a BullMQ email worker, an eval script, a report job that already
 * uses flex on an unsupported model, and an interactive chat route (a call site without findings).
 */
import type { CallSite, Context, Finding, Report, RuleId, Savings } from '../../src/core/types.js';

export const cronContext: Context = {
  kind: 'cron',
  framework: 'node-cron',
  entry: { file: 'src/jobs/schedule.ts', line: 5, name: 'dailyDigest' },
  trigger: "node-cron '0 6 * * *'",
  cadence: { type: 'cron', expression: '0 6 * * *' },
  chain: [
    { name: 'dailyDigest', file: 'src/jobs/schedule.ts', line: 5 },
    { name: 'DigestService.build()', file: 'src/services/digest.ts', line: 22 },
    { name: 'summarize()', file: 'src/jobs/digest.ts', line: 10 },
  ],
  why: 'imports node-cron and passes the handler to cron.schedule',
};

export const queueContext: Context = {
  kind: 'queue',
  framework: 'bullmq',
  entry: { file: 'src/workers/email.ts', line: 3, name: 'emailWorker' },
  trigger: "BullMQ worker 'emails'",
  cadence: { type: 'unknown' },
  chain: [
    { name: 'emailWorker', file: 'src/workers/email.ts', line: 3 },
    { name: 'draftReply()', file: 'src/workers/email.ts', line: 28 },
  ],
  why: 'imports bullmq and passes the processor to new Worker()',
};

export const evalContext: Context = {
  kind: 'eval',
  framework: 'convention',
  entry: { file: 'scripts/eval.ts', line: 1, name: '<module>' },
  trigger: 'script scripts/eval.ts',
  cadence: { type: 'once' },
  chain: [{ name: '<module>', file: 'scripts/eval.ts', line: 1 }],
  why: 'matched `scripts/**`',
};

export const httpContext: Context = {
  kind: 'interactive',
  framework: 'express',
  entry: { file: 'src/api/chat.ts', line: 4, name: 'POST /api/chat' },
  trigger: 'POST /api/chat',
  cadence: { type: 'unknown' },
  chain: [{ name: 'POST /api/chat', file: 'src/api/chat.ts', line: 4 }],
  why: 'express app.post handler',
};

export function knownSavings(usdPerMonth: number, tier: 'flex' | 'batch' = 'flex'): Savings {
  const standard = usdPerMonth * 2;
  return {
    usdPerMonth,
    standardUsdPerMonth: standard,
    recommendedUsdPerMonth: standard - usdPerMonth,
    tier,
    assumptions: [
      { what: 'runs per month', value: 30, source: 'cron' },
      { what: 'calls per run', value: 200, source: 'default' },
      { what: 'input tokens per call', value: 1800, source: 'code' },
      { what: 'prices checked', value: '2026-11-23', source: 'default' },
    ],
    confidence: 'medium',
    arithmetic: [
      `30 runs/mo × 200 calls × (1800 in × $0.25/M + 400 out × $2/M) = $${standard.toFixed(2)}/mo standard`,
      `${tier}: half price → saves $${usdPerMonth.toFixed(2)}/mo`,
    ],
  };
}

export const unknownSavings = (why: string): Savings => ({ unknown: true, why });

export interface FindingSpec {
  rule?: RuleId;
  file: string;
  line: number;
  column?: number;
  fingerprint?: string;
  message?: string;
  severity?: 'error' | 'warning';
  model?: string | null;
  context?: Context | null;
  contexts?: Context[];
  savings?: Savings;
  callee?: string;
}

export function makeFinding(spec: FindingSpec): Finding {
  const column = spec.column ?? 18;
  const rule = spec.rule ?? 'no-standard-tier-in-background';
  const context = spec.context === undefined ? cronContext : spec.context;
  const contexts = spec.contexts ?? (context ? [context] : []);
  const finding: Finding = {
    rule,
    file: spec.file,
    line: spec.line,
    column,
    endLine: spec.line + 3,
    endColumn: 5,
    message:
      spec.message ??
      (rule === 'no-standard-tier-in-background'
        ? `chat.completions.create runs on the standard tier in ${context?.trigger ?? 'a background job'}; Flex would halve its cost`
        : rule === 'flex-needs-timeout'
          ? 'service_tier "flex" with the SDK default timeout (10 min); flex requests need >= 15 min'
          : `service_tier "flex" is not supported for model ${spec.model ?? 'gpt-4o-mini'}`),
    severity: spec.severity ?? (rule === 'flex-unsupported-model' ? 'error' : 'warning'),
    callSiteId: `${spec.file}:${spec.line}:${column}`,
    fingerprint: spec.fingerprint ?? `fp-${spec.file}-${spec.line}`,
    endpoint: 'chat.completions.create',
    callee: spec.callee ?? 'openai.chat.completions.create',
    model: spec.model === undefined ? 'gpt-5-mini' : spec.model,
    serviceTier: rule === 'no-standard-tier-in-background' ? 'absent' : 'flex',
    context: context ? { ...context } : null,
    contexts,
    recommendation:
      rule === 'no-standard-tier-in-background'
        ? { tier: spec.savings && spec.savings.unknown !== true ? spec.savings.tier : 'flex', reason: 'runs from a background job; latency is not user-facing' }
        : null,
  };
  if (spec.savings) finding.savings = spec.savings;
  return finding;
}

export function makeCallSite(f: Finding, classification: CallSite['classification'] = 'background'): CallSite {
  return {
    id: f.callSiteId,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    fingerprint: f.fingerprint,
    endpoint: f.endpoint,
    family: 'chat',
    callee: f.callee,
    model: f.model,
    serviceTier: f.serviceTier,
    stream: false,
    timeout: { ms: 600_000, source: 'sdk-default' },
    perItem: { kind: 'for-of', collection: 'users', size: null, line: f.line - 2 },
    client: { createdAt: { file: 'src/lib/openai.ts', line: 3 }, timeoutMs: null, className: 'OpenAI' },
    prompt: { literalText: ['Summarize the following activity for the user.'], interpolations: 1, maxOutputTokens: 400 },
    enclosing: 'summarize',
    classification,
    contexts: f.contexts,
    resolvedBy: 'checker',
    ignored: false,
  };
}

/** Builds a report whose summary is consistent with its findings and call sites. */
export function makeReport(findings: Finding[], extraCallSites: CallSite[] = [], root = '/repo'): Report {
  const callSites = [...findings.map((f) => makeCallSite(f)), ...extraCallSites];
  const uniqueSites = [...new Map(callSites.map((c) => [c.id, c])).values()];
  const byRule: Partial<Record<RuleId, number>> = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const byClassification = { background: 0, interactive: 0, mixed: 0, unknown: 0 };
  for (const c of uniqueSites) byClassification[c.classification]++;
  let usd = 0;
  let unknown = 0;
  for (const f of findings) {
    if (f.savings && f.savings.unknown !== true) usd += f.savings.usdPerMonth;
    else if (f.savings) unknown++;
  }
  return {
    tool: 'tierwise',
    version: '0.1.0',
    root,
    callSites: uniqueSites,
    findings,
    skipped: [{ file: 'src/legacy/broken.ts', reason: 'parse error: Unexpected token (3:7)' }],
    summary: {
      files: 12,
      callSites: uniqueSites.length,
      findings: findings.length,
      byRule,
      byClassification,
      typeInfo: 'checker',
      usdPerMonth: usd,
      unknownSavings: unknown,
      notes: ['prices checked 2026-11-23'],
    },
  };
}

export function sampleFindings(): Finding[] {
  return [
    makeFinding({ file: 'src/workers/email.ts', line: 30, context: queueContext, savings: unknownSavings('no schedule: queue volume unknown; add a usage entry') }),
    makeFinding({ file: 'src/jobs/digest.ts', line: 14, context: cronContext, savings: knownSavings(182.4) }),
    makeFinding({
      file: 'src/jobs/digest.ts',
      line: 40,
      context: cronContext,
      contexts: [cronContext, httpContext],
      savings: knownSavings(12.5, 'batch'),
    }),
    makeFinding({ rule: 'flex-needs-timeout', file: 'scripts/eval.ts', line: 8, context: evalContext }),
    makeFinding({ rule: 'flex-unsupported-model', file: 'src/jobs/report.ts', line: 21, model: 'gpt-4o-mini', context: cronContext }),
  ];
}

/** The sample project's report: 5 findings plus one interactive call site without findings. */
export function sampleReport(): Report {
  const chat = makeCallSite(makeFinding({ file: 'src/api/chat.ts', line: 9, context: httpContext }), 'interactive');
  chat.contexts = [httpContext];
  return makeReport(sampleFindings(), [chat]);
}

/** A large report: `n` findings spread over many files, with long messages; a tenth have unknown savings. */
export function bigReport(n: number): Report {
  const findings: Finding[] = [];
  for (let i = 0; i < n; i++) {
    findings.push(
      makeFinding({
        file: `packages/pkg-${i % 37}/src/jobs/job-${i}.ts`,
        line: 10 + (i % 500),
        savings: i % 10 === 0 ? unknownSavings('queue volume unknown') : knownSavings(((i * 7919) % 1000) + 0.5),
        message: `chat.completions.create runs on the standard tier in BullMQ worker 'queue-${i}'; Flex would halve its cost. ${'Context text. '.repeat(4)}`,
      }),
    );
  }
  return makeReport(findings);
}
