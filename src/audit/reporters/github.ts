/**
 * GitHub Actions faces: workflow-command annotations (`::warning file=…,line=…::msg`) and the job step summary.
 *
 * GitHub shows at most 10 annotations of each level per step (50 per job) and drops the rest silently, so we annotate
 * the highest savings first and print one plain line saying how many were not annotated.
 * Escaping follows @actions/core's command.ts: in data `%`→%25, `\r`→%0D, `\n`→%0A; in properties also `:`→%3A and
 * `,`→%2C.
 */
import type { Finding, Report } from '../../core/types.js';
import { formatSaving, rankBySaving, repoPath } from './common.js';
import { toMarkdown } from './markdown.js';

/** GitHub's per-step display limit for one annotation level. */
export const GITHUB_MAX_ANNOTATIONS = 10;
/** The step summary is rejected above 1 MiB; keep well under. */
export const STEP_SUMMARY_MAX_BYTES = 1_000_000;

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export interface AnnotationOptions {
  /** How many findings to annotate (default 10, GitHub's per-step display limit). */
  max?: number;
  /** Where the audited root sits inside the repository (annotations need repo-relative paths). */
  pathPrefix?: string;
}

function annotation(f: Finding, pathPrefix?: string): string {
  const level = f.severity === 'error' ? 'error' : 'warning';
  const props: Array<[string, string]> = [
    ['file', repoPath(f.file, pathPrefix)],
    ['line', String(f.line)],
    ['endLine', String(Math.max(f.line, f.endLine))],
  ];
  // GitHub only honours columns on single-line annotations.
  if (f.endLine <= f.line) props.push(['col', String(f.column)], ['endColumn', String(f.endColumn)]);
  props.push(['title', f.savings ? `tierwise ${f.rule} (saving ${formatSaving(f)})` : `tierwise ${f.rule}`]);
  const propText = props.map(([k, v]) => `${k}=${escapeProperty(v)}`).join(',');
  const parts = [f.message];
  if (f.context) parts.push(`Entrypoint: ${f.context.trigger} (${f.context.entry.file}:${f.context.entry.line}).`);
  if (f.savings?.unknown === true) parts.push(`Saving unknown: ${f.savings.why}`);
  return `::${level} ${propText}::${escapeData(parts.join('\n'))}`;
}

/** Annotation lines (one per finding, highest saving first), then a plain "N more not annotated" line if any. */
export function toGithubAnnotations(report: Report, options: AnnotationOptions = {}): string {
  const max = Math.max(0, options.max ?? GITHUB_MAX_ANNOTATIONS);
  const ranked = rankBySaving(report.findings);
  const lines = ranked.slice(0, max).map((f) => annotation(f, options.pathPrefix));
  const rest = ranked.length - lines.length;
  if (rest > 0) {
    // `max` is tierwise's cap (--max-annotations), not GitHub's limit: name each for what it is.
    const cap = max === GITHUB_MAX_ANNOTATIONS ? '' : `--max-annotations ${max}; `;
    lines.push(
      `tierwise: ${rest} more finding${rest === 1 ? '' : 's'} not annotated (${cap}GitHub shows at most ${GITHUB_MAX_ANNOTATIONS} annotations of each level per step); see the step summary or the SARIF upload.`,
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

export interface StepSummaryOptions {
  repoUrl?: string;
  sha?: string;
  pathPrefix?: string;
  maxBytes?: number;
  baselined?: number;
}

/** Markdown for `$GITHUB_STEP_SUMMARY`: the same table as the PR comment, without the marker, under 1 MiB. */
export function toStepSummary(report: Report, options: StepSummaryOptions = {}): string {
  return toMarkdown(report, { ...options, marker: false, maxBytes: options.maxBytes ?? STEP_SUMMARY_MAX_BYTES });
}
