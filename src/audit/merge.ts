/**
 * Merging audit reports (`tierwise merge a.json b.json`, and the per-workspace runs of a monorepo) and recomputing a
 * report's summary after its findings change (baseline, changed-since). Pure: no I/O.
 */
import { isAbsolute, posix, relative, resolve, sep, win32 } from 'node:path';
import { z } from 'zod/v4';
import type { CallSite, Classification, Context, Finding, Report, RuleId } from '../core/types.js';
import { compareByLocation } from './reporters/common.js';

export class ReportInputError extends Error {
  override name = 'ReportInputError';
}

/** The outer shape every input report must have; the items are checked for the fields merging relies on. */
const ReportShape = z.looseObject({
  tool: z.literal('tierwise'),
  version: z.string(),
  root: z.string(),
  workspace: z.string().optional(),
  callSites: z.array(z.looseObject({ id: z.string(), file: z.string(), line: z.number(), column: z.number(), classification: z.string() })),
  findings: z.array(
    z.looseObject({ rule: z.string(), file: z.string(), line: z.number(), column: z.number(), callSiteId: z.string(), fingerprint: z.string() }),
  ),
  skipped: z.array(z.looseObject({ file: z.string(), reason: z.string() })),
  summary: z.looseObject({ files: z.number(), notes: z.array(z.string()) }),
});

/** Checks that a parsed value is a tierwise report; `source` names it in the error (a file path, `input 2` …). */
export function validateReport(value: unknown, source: string): Report {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ReportInputError(`${source}: not a tierwise report (expected a JSON object from \`tierwise audit --format json\`)`);
  }
  const tool = (value as { tool?: unknown }).tool;
  if (tool !== 'tierwise') {
    throw new ReportInputError(
      `${source}: not a tierwise report (tool is ${tool === undefined ? 'missing' : JSON.stringify(tool)}; expected "tierwise" from \`tierwise audit --format json\`)`,
    );
  }
  const parsed = ReportShape.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') || '(root)' : '(root)';
    throw new ReportInputError(`${source}: malformed tierwise report at ${where}: ${issue?.message ?? 'invalid'}`);
  }
  return value as Report;
}

/** Parses the text of a JSON report file. */
export function parseReport(text: string, source: string): Report {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ReportInputError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  return validateReport(value, source);
}

/** Recomputes the finding-dependent parts of the summary (counts by rule, savings) for a new list of findings. */
export function withFindings(report: Report, findings: Finding[], extraNotes: string[] = []): Report {
  const byRule: Partial<Record<RuleId, number>> = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const summary = { ...report.summary, findings: findings.length, byRule, notes: [...report.summary.notes, ...extraNotes] };
  const hasSavings = findings.some((f) => f.savings !== undefined) || report.summary.usdPerMonth !== undefined;
  if (hasSavings) {
    let usd = 0;
    let defaultsOnly = 0;
    let unknown = 0;
    for (const f of findings) {
      const s = f.savings;
      if (!s) continue;
      if (s.unknown === true) {
        unknown++;
        continue;
      }
      usd += s.usdPerMonth;
      // Same rule as audit.ts's summary: a low-confidence estimate rests only on documented defaults.
      if (s.confidence === 'low') defaultsOnly += s.usdPerMonth;
    }
    summary.usdPerMonth = round2(usd);
    summary.unknownSavings = unknown;
    if (report.summary.usdPerMonthFromDefaultsOnly !== undefined) summary.usdPerMonthFromDefaultsOnly = round2(defaultsOnly);
  }
  return { ...report, findings, summary };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

export interface MergeOptions {
  /** The directory every path of the merged report is relative to (usually the repository root). */
  root: string;
}

export function mergeReports(reports: readonly Report[], options: MergeOptions): Report {
  if (reports.length === 0) throw new ReportInputError('nothing to merge: give at least one report');
  reports.forEach((r, i) => validateReport(r, `input ${i + 1}`));
  const rootAbs = resolve(options.root);

  const outside = (abs: string): boolean => {
    const rel = relative(rootAbs, abs);
    return rel.startsWith('..') || isAbsolute(rel);
  };
  // A report written on another machine or checkout path (a remote build cache) has a `root` that is not under the merge
  // root, or not even a path of this platform: its `workspace` (root relative to the repository) places it instead.
  const baseOf = (r: Report): { base: string; from: string } => {
    const foreign = outside(resolve(rootAbs, r.root)) || (!isAbsolute(r.root) && win32.isAbsolute(r.root));
    if (foreign && r.workspace !== undefined) return { base: resolve(rootAbs, r.workspace), from: `workspace ${r.workspace}` };
    return { base: resolve(rootAbs, r.root), from: `root ${r.root}` };
  };
  const rebaser = (r: Report, index: number) => {
    const { base, from } = baseOf(r);
    return (file: string): string => {
      const abs = resolve(base, file);
      if (outside(abs)) {
        const hint = r.workspace === undefined ? '; the report has no "workspace" (re-audit with this tierwise version), so --root must contain its root' : '';
        throw new ReportInputError(`input ${index + 1}: ${file} (${from}) is outside the merge root ${rootAbs}${hint}`);
      }
      return relative(rootAbs, abs).split(sep).join(posix.sep);
    };
  };
  const rebaseId = (id: string, rb: (f: string) => string): string => {
    const m = /^(.*):(\d+):(\d+)$/.exec(id);
    return m ? `${rb(m[1]!)}:${m[2]}:${m[3]}` : id;
  };
  const rebaseContext = <C extends Context>(c: C, rb: (f: string) => string): C => ({
    ...c,
    entry: { ...c.entry, file: rb(c.entry.file) },
    chain: c.chain.map((s) => ({ ...s, file: rb(s.file) })),
  });

  const sites = new Map<string, CallSite>();
  const findings = new Map<string, Finding>();
  const skipped = new Map<string, Report['skipped'][number]>();
  const notes: string[] = [];
  let files = 0;
  let typeInfo: Report['summary']['typeInfo'] = 'checker';
  const versions = new Set<string>();

  reports.forEach((r, i) => {
    const rb = rebaser(r, i);
    versions.add(r.version);
    files += r.summary.files;
    if (r.summary.typeInfo === 'imports') typeInfo = 'imports';
    for (const n of r.summary.notes) if (!notes.includes(n)) notes.push(n);
    for (const c of r.callSites) {
      const file = rb(c.file);
      const site: CallSite = {
        ...c,
        file,
        id: `${file}:${c.line}:${c.column}`,
        contexts: c.contexts.map((x) => rebaseContext(x, rb)),
        client: { ...c.client, createdAt: c.client.createdAt ? { ...c.client.createdAt, file: rb(c.client.createdAt.file) } : null },
      };
      if (!sites.has(site.id)) sites.set(site.id, site);
    }
    for (const f of r.findings) {
      const finding: Finding = {
        ...f,
        file: rb(f.file),
        callSiteId: rebaseId(f.callSiteId, rb),
        context: f.context ? rebaseContext(f.context, rb) : null,
        contexts: f.contexts.map((x) => rebaseContext(x, rb)),
      };
      if (f.edits) finding.edits = f.edits.map((e) => ({ ...e, file: rb(e.file) }));
      const key = `${finding.callSiteId}\u0000${finding.rule}`;
      if (!findings.has(key)) findings.set(key, finding);
    }
    for (const s of r.skipped) {
      const file = rb(s.file);
      if (!skipped.has(file)) skipped.set(file, { ...s, file });
    }
  });
  if (versions.size > 1) notes.push(`merged reports from different tierwise versions: ${[...versions].sort().join(', ')}`);

  const callSites = [...sites.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
  const byClassification: Record<Classification, number> = { background: 0, interactive: 0, mixed: 0, unknown: 0 };
  for (const c of callSites) byClassification[c.classification]++;
  const first = reports[0]!;
  const base: Report = {
    tool: 'tierwise',
    version: first.version,
    root: rootAbs,
    callSites,
    findings: [],
    skipped: [...skipped.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)),
    summary: {
      ...first.summary,
      files,
      callSites: callSites.length,
      findings: 0,
      byRule: {},
      byClassification,
      typeInfo,
      notes,
    },
  };
  if (reports.some((r) => r.summary.usdPerMonthFromDefaultsOnly !== undefined)) base.summary.usdPerMonthFromDefaultsOnly = 0;
  if (reports.some((r) => r.summary.usdPerMonth !== undefined)) base.summary.usdPerMonth = 0;
  return withFindings(base, [...findings.values()].sort(compareByLocation));
}
