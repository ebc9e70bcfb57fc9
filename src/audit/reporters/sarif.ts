/**
 * SARIF 2.1.0 reporter for GitHub code scanning (`github/codeql-action/upload-sarif`) and other SARIF consumers.
 *
 * - One run; `tool.driver.rules` always lists every tierwise rule in a fixed order, so `ruleIndex` is stable.
 * - Paths are root-relative URIs with `uriBaseId: "%SRCROOT%"` (optionally prefixed with where the root sits in the repo).
 * - `partialFingerprints["tierwise/v1"]` is the finding's line-independent fingerprint, so alerts survive line moves;
 *   the 2nd, 3rd … identical call in one file get `:2`, `:3` … appended so they stay distinct alerts.
 * - Results are capped (GitHub: 25 000 results per run, 10 MB per upload). When capped, the highest savings are kept
 *   and a tool notification says how many were left out.
 * Pure: report in, string out; output is sorted by file, line, column and contains no timestamps.
 */
import type { Finding, Report, RuleId } from '../../core/types.js';
import {
  DEFAULT_RULES_META,
  INFORMATION_URI,
  RULE_IDS,
  type RuleMeta,
  byteLength,
  formatSaving,
  rankBySaving,
  repoPath,
  ruleHelpUri,
  sortByLocation,
} from './common.js';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** GitHub code scanning accepts at most 25 000 results per run. */
export const SARIF_MAX_RESULTS = 25_000;
/** GitHub rejects uploads over 10 MB (gzipped); we keep the uncompressed file under it, which is stricter. */
export const SARIF_MAX_BYTES = 10 * 1024 * 1024;

export interface SarifOptions {
  /** tierwise's version (the report's `version` when omitted). */
  toolVersion?: string;
  /** Overrides of the built-in rule descriptions / levels. */
  rulesMeta?: Partial<Record<RuleId, Partial<RuleMeta>>>;
  /** Where the audited root sits inside the repository (e.g. `packages/api`), so URIs are repo-relative. */
  pathPrefix?: string;
  /** `runAutomationDetails.id` prefix, e.g. the workspace name, so several runs do not overwrite each other. */
  category?: string;
  maxResults?: number;
  maxBytes?: number;
}

function uri(file: string, prefix?: string): string {
  return repoPath(file, prefix)
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function toLevel(severity: Finding['severity']): 'error' | 'warning' {
  return severity === 'error' ? 'error' : 'warning';
}

/** A rule id as a PascalCase name (`NoStandardTierInBackground`), the SARIF `name` convention. */
function ruleName(id: string): string {
  return id
    .split('-')
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function savingsProperties(f: Finding): Record<string, unknown> | undefined {
  const s = f.savings;
  if (!s) return undefined;
  if (s.unknown === true) return { unknown: true, why: s.why };
  return {
    usdPerMonth: round2(s.usdPerMonth),
    standardUsdPerMonth: round2(s.standardUsdPerMonth),
    recommendedUsdPerMonth: round2(s.recommendedUsdPerMonth),
    tier: s.tier,
    confidence: s.confidence,
    assumptions: s.assumptions,
    ...(s.arithmetic ? { arithmetic: s.arithmetic } : {}),
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

function buildResult(f: Finding, fingerprint: string, opts: SarifOptions): Record<string, unknown> {
  const related: Array<Record<string, unknown>> = [];
  const seen = new Set<string>();
  const addRelated = (file: string, line: number, text: string): void => {
    const key = `${file}:${line}:${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    related.push({
      id: related.length + 1,
      physicalLocation: {
        artifactLocation: { uri: uri(file, opts.pathPrefix), uriBaseId: '%SRCROOT%' },
        region: { startLine: Math.max(1, line) },
      },
      message: { text },
    });
  };
  const ctx = f.context;
  if (ctx) {
    addRelated(ctx.entry.file, ctx.entry.line, `entrypoint: ${ctx.entry.name} (${ctx.trigger})`);
    ctx.chain.forEach((step, i) => addRelated(step.file, step.line, `step ${i + 1}: ${step.name}`));
  }
  const saving = formatSaving(f);
  const text = f.savings ? `${f.message} (estimated saving: ${saving})` : f.message;
  const properties: Record<string, unknown> = {
    callSiteId: f.callSiteId,
    endpoint: f.endpoint,
    callee: f.callee,
    model: f.model,
    serviceTier: f.serviceTier,
  };
  if (f.recommendation) properties.recommendation = f.recommendation;
  const savings = savingsProperties(f);
  if (savings) properties.savings = savings;
  if (ctx) properties.context = { kind: ctx.kind, framework: ctx.framework, trigger: ctx.trigger, why: ctx.why, mixed: ctx.mixed === true };

  const result: Record<string, unknown> = {
    ruleId: f.rule,
    ruleIndex: RULE_IDS.indexOf(f.rule),
    level: toLevel(f.severity),
    message: { text },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uri(f.file, opts.pathPrefix), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: Math.max(f.endLine, f.line),
            endColumn: f.endColumn,
          },
        },
      },
    ],
    partialFingerprints: { 'tierwise/v1': fingerprint },
    properties,
  };
  if (related.length > 0) result.relatedLocations = related;
  return result;
}

/** Assigns each finding its SARIF fingerprint: the finding's fingerprint, plus `:n` for the n-th (n ≥ 2) duplicate. */
function fingerprints(sorted: Finding[]): Map<Finding, string> {
  const counts = new Map<string, number>();
  const out = new Map<Finding, string>();
  for (const f of sorted) {
    const key = `${f.rule}\u0000${f.file}\u0000${f.fingerprint}`;
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    out.set(f, n === 1 ? f.fingerprint : `${f.fingerprint}:${n}`);
  }
  return out;
}

export function toSarif(report: Report, options: SarifOptions = {}): string {
  const maxResults = options.maxResults ?? SARIF_MAX_RESULTS;
  const maxBytes = options.maxBytes ?? SARIF_MAX_BYTES;
  const sorted = sortByLocation(report.findings);
  const fps = fingerprints(sorted);

  const rules = RULE_IDS.map((id) => {
    const meta = { ...DEFAULT_RULES_META[id], ...(options.rulesMeta?.[id] ?? {}) };
    return {
      id,
      name: ruleName(id),
      shortDescription: { text: meta.shortDescription },
      ...(meta.fullDescription ? { fullDescription: { text: meta.fullDescription } } : {}),
      helpUri: ruleHelpUri(id),
      help: { text: `See ${ruleHelpUri(id)}`, markdown: `See [${id}](${ruleHelpUri(id)}).` },
      defaultConfiguration: { level: meta.defaultLevel },
      properties: { tags: ['cost', 'openai'] },
    };
  });

  const build = (kept: Finding[], dropped: number): string => {
    const keptSet = new Set(kept);
    const results = sorted.filter((f) => keptSet.has(f)).map((f) => buildResult(f, fps.get(f) ?? f.fingerprint, options));
    const run: Record<string, unknown> = {
      tool: {
        driver: {
          name: 'tierwise',
          version: options.toolVersion ?? report.version,
          informationUri: INFORMATION_URI,
          rules,
        },
      },
      ...(options.category ? { automationDetails: { id: `${options.category.replace(/\/+$/, '')}/` } } : {}),
      columnKind: 'utf16CodeUnits',
      results,
    };
    if (dropped > 0) {
      run.invocations = [
        {
          executionSuccessful: true,
          toolExecutionNotifications: [
            {
              level: 'note',
              message: {
                text: `${dropped} more findings not included: SARIF output is capped (${maxResults} results, ${maxBytes} bytes); the highest savings were kept. Run with --format json for all findings.`,
              },
            },
          ],
        },
      ];
      run.properties = { truncated: true, omittedResults: dropped, totalResults: sorted.length };
    }
    return `${JSON.stringify({ version: '2.1.0', $schema: SARIF_SCHEMA_URI, runs: [run] }, null, 2)}\n`;
  };

  const ranked = rankBySaving(sorted);
  let count = Math.min(ranked.length, maxResults);
  let out = build(ranked.slice(0, count), ranked.length - count);
  if (byteLength(out) <= maxBytes) return out;
  // Too big: binary-search the largest number of top-ranked results that fits.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (byteLength(build(ranked.slice(0, mid), ranked.length - mid)) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  count = lo;
  out = build(ranked.slice(0, count), ranked.length - count);
  return out;
}
