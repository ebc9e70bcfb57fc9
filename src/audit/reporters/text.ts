import type { Context, Finding, Report } from '../../core/types.js';
import { formatUsd, savingOf } from './common.js';

export interface TextOptions {
  /** Print each finding's arithmetic (`--explain`). */
  explain?: boolean;
  /** Colour with ANSI escapes (the CLI decides: TTY and no NO_COLOR). */
  color?: boolean;
}

/** `cron '0 6 * * *' src/jobs/digest.ts:12 → buildDigest() → src/ai/summarize.ts:30 chat.completions.create` */
export function formatChain(ctx: Context, finding: Pick<Finding, 'file' | 'line' | 'endpoint'>): string {
  const parts = [`${ctx.trigger} ${ctx.entry.file}:${ctx.entry.line}`];
  let file = ctx.entry.file;
  for (const [i, step] of ctx.chain.entries()) {
    if (i === 0 && step.file === ctx.entry.file && (step.line === ctx.entry.line || step.name === `${ctx.entry.name}()`)) continue;
    parts.push(step.file === file ? step.name : `${step.file}:${step.line} ${step.name}`);
    file = step.file;
  }
  parts.push(`${finding.file}:${finding.line} ${finding.endpoint}`);
  return parts.join(' → ');
}

/**
 * The human report: files ranked by the savings they hold, each finding with its saving, message and the chain
 * from its entrypoint; then skipped files, notes and the summary.
 */
export function toText(report: Report, opts: TextOptions = {}): string {
  const c = colors(!!opts.color);
  const lines: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const list = byFile.get(f.file) ?? [];
    list.push(f);
    byFile.set(f.file, list);
  }
  const fileTotal = (fs: Finding[]) => fs.reduce((s, f) => s + (savingOf(f) ?? 0), 0);
  const files = [...byFile.entries()].sort((a, b) => fileTotal(b[1]) - fileTotal(a[1]) || (a[0] < b[0] ? -1 : 1));
  for (const [file, findings] of files) {
    lines.push(c.bold(file));
    findings.sort((a, b) => (savingOf(b) ?? -1) - (savingOf(a) ?? -1) || a.line - b.line || a.column - b.column);
    for (const f of findings) {
      const money = f.savings ? (f.savings.unknown ? 'saving unknown' : `${formatUsd(f.savings.usdPerMonth)}/mo`) : '';
      const rec = f.recommendation ? ` → ${f.recommendation.tier}` : '';
      const sev = f.severity === 'error' ? c.red('error') : c.yellow('warning');
      // A saving rescaled to the measured usage (--usage) says so on its line; the others rest on estimated volumes.
      const calibrated = f.savings && !f.savings.unknown && f.savings.calibrated ? c.dim('  (calibrated to measured usage)') : '';
      lines.push(`  ${f.line}:${f.column}  ${sev}  ${f.rule}${money ? `  ${c.green(money)}${rec}` : rec}${calibrated}`);
      lines.push(`    ${f.message}`);
      if (f.recommendation) lines.push(c.dim(`    why ${f.recommendation.tier}: ${f.recommendation.reason}`));
      for (const ctx of f.contexts) lines.push(c.dim(`    ${ctx.kind === 'interactive' ? 'interactive: ' : ''}${formatChain(ctx, f)}`));
      if (opts.explain && f.savings) {
        if (f.savings.unknown) {
          lines.push(c.dim(`    estimate: unknown — ${f.savings.why}`));
        } else {
          for (const a of f.savings.arithmetic ?? []) lines.push(c.dim(`    ${a}`));
          for (const a of f.savings.assumptions) lines.push(c.dim(`    · ${a.what}: ${a.value} (${a.source})`));
        }
      }
    }
    lines.push('');
  }
  if (report.skipped.length > 0) {
    lines.push(c.bold('Skipped'));
    for (const s of report.skipped) lines.push(`  ${s.file}: ${s.reason}`);
    lines.push('');
  }
  const s = report.summary;
  const cls = s.byClassification;
  lines.push(
    `${s.callSites} OpenAI call site${s.callSites === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'}: ` +
      `${cls.background} background, ${cls.interactive} interactive, ${cls.mixed} mixed, ${cls.unknown} unknown.`,
  );
  const byRule = Object.entries(s.byRule)
    .map(([r, n]) => `${n} ${r}`)
    .join(', ');
  lines.push(`${s.findings} finding${s.findings === 1 ? '' : 's'}${byRule ? ` (${byRule})` : ''}.`);
  if (s.usdPerMonth !== undefined && s.findings > 0) {
    const unknown = s.unknownSavings ? `; ${s.unknownSavings} with unknown savings` : '';
    const defaults = s.usdPerMonthFromDefaultsOnly ? ` (${formatUsd(s.usdPerMonthFromDefaultsOnly)} of it rests on default volumes)` : '';
    lines.push(c.green(`Estimated savings: ${formatUsd(s.usdPerMonth)}/month${defaults}${unknown}.`) + (opts.explain ? '' : ' Run with --explain for the arithmetic.'));
  }
  lines.push(`Types: ${s.typeInfo === 'checker' ? 'resolved with the type checker' : 'openai types not found; recognised from imports'}.`);
  for (const n of s.notes) lines.push(c.dim(`Note: ${n}`));
  return lines.join('\n') + '\n';
}

function colors(on: boolean) {
  const wrap = (code: number, end: number) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[${end}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), yellow: wrap(33, 39), green: wrap(32, 39) };
}
