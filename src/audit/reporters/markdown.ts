/**
 * Markdown reporter: the body of one sticky PR comment (found again by its hidden marker and edited on each push),
 * also used for the GitHub step summary.
 *
 * Findings are ranked by estimated monthly saving (unknown savings last, shown as "unknown"). Each gets one table row
 * and a collapsed `<details>` block with its entrypoint chain and the arithmetic behind the number. The output is
 * kept under `maxBytes` (GitHub comments are limited to 65 536 characters): rows that do not fit are counted in an
 * "N more not shown" line, and details are dropped before rows are.
 * Pure and deterministic: no timestamps, ties broken by file, line, column.
 */
import type { Finding, Report } from '../../core/types.js';
import { byteLength, escapeMarkdown, formatSaving, formatUsd, htmlText, inlineCode, markdownText, rankBySaving, repoPath, totalSaving } from './common.js';

export const MARKDOWN_MARKER = '<!-- tierwise-audit -->';
/** Default size cap, safely under GitHub's 65 536-character comment limit (bytes ≥ characters). */
export const MARKDOWN_MAX_BYTES = 60_000;

export interface MarkdownOptions {
  /** e.g. `https://github.com/acme/app`; with `sha`, locations become blob links. */
  repoUrl?: string;
  /** Commit the links point at (use the PR head sha). */
  sha?: string;
  /** Where the audited root sits inside the repository, e.g. `packages/api`. */
  pathPrefix?: string;
  /** Size cap in UTF-8 bytes. */
  maxBytes?: number;
  /** Emit the hidden sticky-comment marker (default true). */
  marker?: boolean;
  /** Heading text (default `tierwise audit`). */
  title?: string;
  /** How many findings a baseline hid, to say so. */
  baselined?: number;
  /** The command users can run for the full list (shown when rows are cut). */
  fullReportHint?: string;
}

function location(f: Finding, opts: MarkdownOptions): string {
  const path = repoPath(f.file, opts.pathPrefix);
  const label = escapeMarkdown(`${path}:${f.line}`);
  if (opts.repoUrl && opts.sha) {
    const base = opts.repoUrl.replace(/\/+$/, '');
    const encoded = path.split('/').map(encodeURIComponent).join('/');
    const anchor = f.endLine > f.line ? `#L${f.line}-L${f.endLine}` : `#L${f.line}`;
    return `[${label}](${base}/blob/${encodeURIComponent(opts.sha)}/${encoded}${anchor})`;
  }
  return label;
}

function isMixed(f: Finding): boolean {
  return f.context?.mixed === true || f.contexts.some((c) => c.kind === 'interactive');
}

function entrypoint(f: Finding): string {
  if (!f.context) return '–';
  const text = escapeMarkdown(f.context.trigger);
  return isMixed(f) ? `${text} (also interactive)` : text;
}

function fix(f: Finding): string {
  if (f.recommendation) return f.recommendation.tier === 'batch' ? 'Batch API' : 'Flex';
  if (f.rule === 'flex-needs-timeout') return 'timeout ≥ 15 min';
  if (f.rule === 'flex-unsupported-model') return 'change model or tier';
  return '–';
}

function row(n: number, f: Finding, opts: MarkdownOptions): string {
  const call = `${inlineCode(f.callee)}${f.model ? ` (${escapeMarkdown(f.model)})` : ''}`;
  return `| ${n} | ${formatSaving(f)} | ${inlineCode(f.rule)} | ${location(f, opts)} | ${call} | ${entrypoint(f)} | ${fix(f)} |\n`;
}

function details(n: number, f: Finding, opts: MarkdownOptions): string {
  const lines: string[] = [];
  lines.push(`<details><summary>${n}. ${htmlText(`${repoPath(f.file, opts.pathPrefix)}:${f.line}`)} — ${formatSaving(f)}</summary>`, '');
  lines.push(markdownText(f.message), '');
  if (f.context) {
    const chain = f.context.chain.map((s) => `${inlineCode(s.name)} (${escapeMarkdown(`${s.file}:${s.line}`)})`).join(' → ');
    lines.push(`**Entrypoint:** ${escapeMarkdown(f.context.trigger)} — ${markdownText(f.context.why)}`, '');
    if (chain) lines.push(`**Chain:** ${chain} → ${inlineCode(f.callee)}`, '');
    if (isMixed(f)) lines.push('**Note:** interactive code reaches this call too; a per-call tier choice may be needed.', '');
  }
  if (f.recommendation) lines.push(`**Recommendation:** ${fix(f)} — ${markdownText(f.recommendation.reason)}`, '');
  const s = f.savings;
  if (s && s.unknown === true) {
    lines.push(`**Saving:** unknown — ${markdownText(s.why)}`, '');
  } else if (s) {
    lines.push(
      `**Saving:** ${formatUsd(s.usdPerMonth)}/mo (standard ${formatUsd(s.standardUsdPerMonth)}/mo → ${s.tier} ${formatUsd(s.recommendedUsdPerMonth)}/mo, confidence ${s.confidence}${s.calibrated ? ', calibrated to measured usage' : ''})`,
      '',
    );
    if (s.arithmetic && s.arithmetic.length > 0) {
      lines.push('```text', ...s.arithmetic.map((a) => a.replace(/```/g, "'''")), '```', '');
    }
    if (s.assumptions.length > 0) {
      lines.push('| Assumption | Value | Source |', '|---|---|---|');
      for (const a of s.assumptions) lines.push(`| ${markdownText(a.what)} | ${escapeMarkdown(String(a.value))} | ${a.source} |`);
      lines.push('');
    }
  }
  lines.push('</details>', '');
  return `${lines.join('\n')}\n`;
}

export function toMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxBytes = options.maxBytes ?? MARKDOWN_MAX_BYTES;
  const ranked = rankBySaving(report.findings);
  const total = totalSaving(ranked);
  const head: string[] = [];
  if (options.marker !== false) head.push(MARKDOWN_MARKER);
  const title = options.title ?? 'tierwise audit';
  if (ranked.length === 0) {
    head.push(`### ${escapeMarkdown(title)}: no findings`, '');
    head.push(`No standard-tier OpenAI calls in background work (${report.summary.callSites} call sites in ${report.summary.files} files).`);
    if (options.baselined) head.push('', `${options.baselined} baselined findings are not shown.`);
    return `${head.join('\n')}\n`;
  }
  head.push(`### ${escapeMarkdown(title)}: ${formatUsd(total.usdPerMonth)}/month could be saved`, '');
  const facts = [`${ranked.length} finding${ranked.length === 1 ? '' : 's'}`, `${report.summary.callSites} call sites in ${report.summary.files} files`];
  if (total.unknown > 0) facts.push(`${total.unknown} with unknown saving (not counted)`);
  if (options.baselined) facts.push(`${options.baselined} baselined (not shown)`);
  head.push(facts.join(' · '));
  for (const note of report.summary.notes) head.push(`> ${markdownText(note)}`);
  head.push('', '| # | Saving | Rule | Location | Call | Entrypoint | Fix |', '|---:|---:|---|---|---|---|---|', '');
  const header = head.join('\n');

  const hint = options.fullReportHint ?? 'tierwise audit --format json';
  const footerFor = (rowsLeft: number, detailsLeft: number): string => {
    const parts: string[] = [];
    if (rowsLeft > 0) parts.push(`_${rowsLeft} more finding${rowsLeft === 1 ? '' : 's'} not shown (size limit); run \`${hint}\` for all._`);
    if (detailsLeft > 0) parts.push(`_Details for ${detailsLeft} finding${detailsLeft === 1 ? '' : 's'} not shown (size limit)._`);
    return parts.length ? `\n${parts.join('\n\n')}\n` : '';
  };
  // Worst-case footer size, reserved while filling.
  const reserve = byteLength(footerFor(ranked.length, ranked.length)) + 2;

  let body = header;
  let size = byteLength(body);
  let shown = 0;
  for (const f of ranked) {
    const r = row(shown + 1, f, options);
    const n = byteLength(r);
    if (size + n + reserve > maxBytes) break;
    body += r;
    size += n;
    shown++;
  }
  body += '\n';
  size += 1;
  let detailed = 0;
  for (let i = 0; i < shown; i++) {
    const d = details(i + 1, ranked[i]!, options);
    const n = byteLength(d);
    if (size + n + reserve > maxBytes) break;
    body += d;
    size += n;
    detailed++;
  }
  return `${body.replace(/\n+$/, '\n')}${footerFor(ranked.length - shown, shown - detailed)}`;
}
