/**
 * Baselines: adopt tierwise on an existing codebase and fail CI only on new findings.
 *
 * An entry is keyed by rule + file + fingerprint — never the line, which drifts as code moves. The fingerprint is the
 * core's hash of file + enclosing function + normalised call text, so two identical calls in one function share a
 * key; `count` records how many findings the key stood for, and applying the baseline suppresses at most that many.
 * Pure: text/objects in, text/objects out; the CLI reads and writes the file.
 */
import { z } from 'zod/v4';
import type { Finding, Report, RuleId } from '../core/types.js';
import { withFindings } from './merge.js';
import { RULE_IDS, sortByLocation } from './reporters/common.js';

export interface BaselineEntry {
  rule: RuleId;
  file: string;
  fingerprint: string;
  /** The finding's message when the baseline was written (for humans reading the file). */
  message: string;
  /** How many findings share this key (omitted when 1). */
  count?: number;
}

export interface Baseline {
  version: 1;
  tool: 'tierwise';
  entries: BaselineEntry[];
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

const BaselineSchema = z.strictObject({
  version: z.literal(1),
  tool: z.literal('tierwise'),
  entries: z.array(
    z.strictObject({
      rule: z.enum(RULE_IDS as [RuleId, ...RuleId[]]),
      file: z.string().min(1),
      fingerprint: z.string().min(1),
      message: z.string(),
      count: z.number().int().positive().optional(),
    }),
  ),
});

const keyOf = (e: { rule: string; file: string; fingerprint: string }): string => `${e.rule}\u0000${e.file}\u0000${e.fingerprint}`;

/** The baseline object for a report: one entry per rule + file + fingerprint, sorted, with counts for duplicates. */
export function createBaseline(report: Report): Baseline {
  const entries = new Map<string, BaselineEntry>();
  for (const f of sortByLocation(report.findings)) {
    const key = keyOf(f);
    const e = entries.get(key);
    if (e) e.count = (e.count ?? 1) + 1;
    else entries.set(key, { rule: f.rule, file: f.file, fingerprint: f.fingerprint, message: f.message });
  }
  const sorted = [...entries.values()].sort((a, b) => {
    const ka = `${a.file}\u0000${a.rule}\u0000${a.fingerprint}`;
    const kb = `${b.file}\u0000${b.rule}\u0000${b.fingerprint}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  return { version: 1, tool: 'tierwise', entries: sorted };
}

/** The baseline file's text (stable key order, sorted entries, trailing newline: diff-friendly). */
export function writeBaseline(report: Report): string {
  return serializeBaseline(createBaseline(report));
}

export function serializeBaseline(baseline: Baseline): string {
  const entries = baseline.entries.map((e) => ({
    rule: e.rule,
    file: e.file,
    fingerprint: e.fingerprint,
    message: e.message,
    ...(e.count !== undefined && e.count > 1 ? { count: e.count } : {}),
  }));
  return `${JSON.stringify({ version: 1, tool: 'tierwise', entries }, null, 2)}\n`;
}

/** Parses and validates a baseline file's text; `source` (the path) names it in errors. */
export function parseBaseline(text: string, source = 'baseline'): Baseline {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const parsed = BaselineSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length ? issue.path.join('.') : '(root)';
    throw new BaselineError(`${source}: not a tierwise baseline (${where}: ${issue?.message ?? 'invalid'}); write one with \`tierwise audit --write-baseline ${source}\``);
  }
  return parsed.data as Baseline;
}

export interface BaselineResult {
  /** The report with only the findings the baseline does not cover; summary recomputed. */
  report: Report;
  /** How many findings the baseline suppressed. */
  baselined: number;
  /** Entries (or the unmatched part of their count) that matched no finding: fixed or moved to another file. */
  stale: BaselineEntry[];
}

export function applyBaseline(report: Report, baseline: Baseline): BaselineResult {
  const budget = new Map<string, number>();
  for (const e of baseline.entries) budget.set(keyOf(e), (budget.get(keyOf(e)) ?? 0) + (e.count ?? 1));
  const kept: Finding[] = [];
  let baselined = 0;
  for (const f of sortByLocation(report.findings)) {
    const key = keyOf(f);
    const left = budget.get(key) ?? 0;
    if (left > 0) {
      budget.set(key, left - 1);
      baselined++;
    } else {
      kept.push(f);
    }
  }
  const stale: BaselineEntry[] = [];
  const seen = new Set<string>();
  for (const e of baseline.entries) {
    const key = keyOf(e);
    if (seen.has(key)) continue;
    seen.add(key);
    const left = budget.get(key) ?? 0;
    if (left > 0) {
      const { count: _count, ...rest } = e;
      stale.push(left > 1 ? { ...rest, count: left } : rest);
    }
  }
  const notes = baselined > 0 ? [`${baselined} finding${baselined === 1 ? '' : 's'} baselined`] : [];
  return { report: withFindings(report, kept, notes), baselined, stale };
}

/** The baseline without its stale part (`--prune-baseline`): counts reduced, fully stale entries removed. */
export function pruneBaseline(baseline: Baseline, stale: readonly BaselineEntry[]): Baseline {
  const drop = new Map<string, number>();
  for (const s of stale) drop.set(keyOf(s), (drop.get(keyOf(s)) ?? 0) + (s.count ?? 1));
  const entries: BaselineEntry[] = [];
  for (const e of baseline.entries) {
    const key = keyOf(e);
    const d = drop.get(key) ?? 0;
    const count = (e.count ?? 1) - d;
    drop.set(key, Math.max(0, d - (e.count ?? 1)));
    if (count <= 0) continue;
    const { count: _c, ...rest } = e;
    entries.push(count > 1 ? { ...rest, count } : rest);
  }
  return { version: 1, tool: 'tierwise', entries };
}
