/**
 * Helpers shared by the CI reporters (sarif, markdown, github): rule metadata, deterministic ordering, ranking by
 * saving, money formatting and markdown escaping. Pure functions, no I/O.
 */
import type { Finding, RuleId } from '../../core/types.js';
import { formatUsd } from '../../core/format.js';

export { formatUsd };

export interface RuleMeta {
  /** One line, shown by code scanning next to the alert. */
  shortDescription: string;
  /** A longer explanation (optional). */
  fullDescription?: string;
  /** The level a result of this rule has unless the finding says otherwise. */
  defaultLevel: 'error' | 'warning' | 'note';
}

/** Every rule tierwise reports, in a fixed order (SARIF `ruleIndex` points into this order). */
export const RULE_IDS: readonly RuleId[] = ['no-standard-tier-in-background', 'flex-needs-timeout', 'flex-unsupported-model'];

export const DEFAULT_RULES_META: Record<RuleId, RuleMeta> = {
  'no-standard-tier-in-background': {
    shortDescription: 'OpenAI call in background work runs on the standard tier; Flex or the Batch API costs half.',
    fullDescription:
      'A call reached only from cron jobs, queue workers, evals or scripts pays standard-tier prices. ' +
      'Flex processing (service_tier: "flex") or the Batch API bill the same tokens at about half the price, ' +
      'in exchange for higher latency and occasional unavailability.',
    defaultLevel: 'warning',
  },
  'flex-needs-timeout': {
    shortDescription: 'Flex request with a client timeout shorter than 15 minutes.',
    fullDescription:
      'Flex requests can queue for minutes. OpenAI recommends a client timeout of at least 15 minutes; ' +
      'with a shorter one the request times out and retries, paying nothing less and finishing later.',
    defaultLevel: 'warning',
  },
  'flex-unsupported-model': {
    shortDescription: 'service_tier "flex" on a model that Flex does not support.',
    fullDescription: 'The API rejects Flex for models outside the flex-eligible list; the request fails instead of running.',
    defaultLevel: 'error',
  },
};

export const RULE_DOCS_BASE = 'https://github.com/tierwise/tierwise/blob/main/docs/rules/';
export const INFORMATION_URI = 'https://github.com/tierwise/tierwise';

export function ruleHelpUri(rule: RuleId): string {
  return `${RULE_DOCS_BASE}${rule}.md`;
}

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** File, line, column, then rule and fingerprint: a total order, so output never depends on input order. */
export function compareByLocation(a: Finding, b: Finding): number {
  return (
    cmpStr(a.file, b.file) ||
    a.line - b.line ||
    a.column - b.column ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn ||
    cmpStr(a.rule, b.rule) ||
    cmpStr(a.fingerprint, b.fingerprint)
  );
}

export function sortByLocation(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(compareByLocation);
}

/** The finding's estimated monthly saving in USD, or null when unknown or not estimated. */
export function savingOf(f: Finding): number | null {
  const s = f.savings;
  if (!s || s.unknown === true) return null;
  return s.usdPerMonth;
}

/** 0: known saving, 1: unknown saving, 2: no estimate (rules that are not about cost). */
function savingClass(f: Finding): number {
  if (!f.savings) return 2;
  return f.savings.unknown === true ? 1 : 0;
}

/** Highest saving first; unknown savings after known ones; findings without an estimate last; ties by location. */
export function rankBySaving(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const ca = savingClass(a);
    const cb = savingClass(b);
    if (ca !== cb) return ca - cb;
    const sa = savingOf(a);
    const sb = savingOf(b);
    if (sa !== null && sb !== null && sa !== sb) return sb - sa;
    return compareByLocation(a, b);
  });
}

/** Sum of the known savings of these findings, and how many have an unknown saving (findings without an estimate are neither). */
export function totalSaving(findings: readonly Finding[]): { usdPerMonth: number; unknown: number } {
  let usd = 0;
  let unknown = 0;
  for (const f of findings) {
    if (!f.savings) continue;
    if (f.savings.unknown === true) unknown++;
    else usd += f.savings.usdPerMonth;
  }
  return { usdPerMonth: usd, unknown };
}

/** The saving as text: `$12.34/mo`, `unknown`, or `–` for findings that carry no estimate. */
export function formatSaving(f: Finding): string {
  if (!f.savings) return '–';
  const s = savingOf(f);
  return s === null ? 'unknown' : `${formatUsd(s)}/mo`;
}

/** Escape text for one GitHub-flavoured markdown table cell (or inline text): no pipes, no newlines, no raw HTML. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/([\\`*_[\]#])/g, '\\$1')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|')
    .replace(/\r?\n|\r/g, ' ');
}

/**
 * Text with `code spans` for markdown paragraphs (a finding's message, reason, assumptions): each backtick span
 * becomes `inlineCode` and renders as code, inside `<details>` too; the rest is escaped as by `escapeMarkdown`.
 */
export function markdownText(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((part, i) => (i % 2 === 1 ? inlineCode(part.slice(1, -1)) : escapeMarkdown(part)))
    .join('');
}

/** Text inside an HTML element where markdown is not rendered (`<summary>`): HTML-escaped only. */
export function htmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n|\r/g, ' ');
}

/** Inline code that survives any content: HTML `<code>` with escaped text (backticks in callee text cannot break it). */
export function inlineCode(text: string): string {
  return `<code>${text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;').replace(/\r?\n|\r/g, ' ')}</code>`;
}

/** Joins a path prefix (where the report root sits inside the repository) and a root-relative path, posix style. */
export function repoPath(file: string, pathPrefix?: string): string {
  if (!pathPrefix) return file;
  const p = pathPrefix.replace(/\\/g, '/').replace(/^\.\/?/, '').replace(/\/+$/, '');
  return p ? `${p}/${file}` : file;
}

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
