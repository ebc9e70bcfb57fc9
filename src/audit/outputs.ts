/**
 * Several outputs in one audit run. Pure: decides what goes where; `cli.ts` does the writing.
 *
 * CLI form: `--format` and `--output` repeat and pair by position:
 *   tierwise audit --format sarif --output tierwise.sarif --format json --output tierwise.json --format text
 * Rules:
 *   - no `--format`: one `text` output (to `--output` if exactly one is given, else stdout);
 *   - formats[i] goes to outputs[i];
 *   - the last format may have no output: it goes to stdout (so at most one output reaches stdout);
 *   - any other count mismatch is a usage error, as are unknown formats and two outputs to the same file;
 *   - `-` as an output means stdout.
 */
import { resolve } from 'node:path';
import type { Report } from '../core/types.js';

export const OUTPUT_FORMATS = ['text', 'json', 'sarif', 'markdown', 'github'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

export interface OutputRequest {
  format: OutputFormat;
  /** File path; absent (or `-`) means stdout. */
  output?: string;
}

export type Renderers = Partial<Record<OutputFormat, (report: Report) => string>>;

export interface RenderedOutput {
  target: 'stdout' | string;
  format: OutputFormat;
  content: string;
}

export class OutputUsageError extends Error {
  override name = 'OutputUsageError';
}

function isFormat(s: string): s is OutputFormat {
  return (OUTPUT_FORMATS as readonly string[]).includes(s);
}

/** Pairs repeated `--format` / `--output` values by position (see the module comment for the rules). */
export function pairFormatsAndOutputs(formats: readonly string[] | string | undefined, outputs: readonly string[] | string | undefined): OutputRequest[] {
  const fs = formats === undefined ? [] : Array.isArray(formats) ? [...formats] : [formats as string];
  const os = outputs === undefined ? [] : Array.isArray(outputs) ? [...outputs] : [outputs as string];
  for (const f of fs) {
    if (!isFormat(f)) throw new OutputUsageError(`unknown --format '${f}'; expected one of: ${OUTPUT_FORMATS.join(', ')}`);
  }
  if (fs.length === 0) fs.push('text');
  if (os.length > fs.length) {
    throw new OutputUsageError(
      `${os.length} --output values for ${fs.length} --format value${fs.length === 1 ? '' : 's'}: each --output pairs with the --format at the same position`,
    );
  }
  if (os.length < fs.length - 1) {
    throw new OutputUsageError(
      `${fs.length} --format values but only ${os.length} --output value${os.length === 1 ? '' : 's'}: every format except the last needs its own --output (the last may go to stdout)`,
    );
  }
  const requests: OutputRequest[] = fs.map((format, i) => {
    const out = os[i];
    return out === undefined || out === '-' ? { format: format as OutputFormat } : { format: format as OutputFormat, output: out };
  });
  const toStdout = requests.filter((r) => r.output === undefined);
  if (toStdout.length > 1) {
    throw new OutputUsageError(`${toStdout.map((r) => r.format).join(' and ')} would both go to stdout; give all but one an --output file`);
  }
  const seen = new Map<string, OutputFormat>();
  for (const r of requests) {
    if (r.output === undefined) continue;
    const key = resolve(r.output);
    const prev = seen.get(key);
    if (prev) throw new OutputUsageError(`--output ${r.output} is given for both ${prev} and ${r.format}`);
    seen.set(key, r.format);
  }
  return requests;
}

/**
 * Formats rendered from the unfiltered report even when `--baseline` / `--changed-since` narrowed it: code scanning
 * closes alerts that are missing from an upload, so SARIF must always carry every finding (GitHub's own PR view shows
 * only what a PR introduced).
 */
export const UNFILTERED_FORMATS: readonly OutputFormat[] = ['sarif'];

/**
 * Renders each request with its renderer; throws when a requested format has no renderer.
 * `unfiltered` (the report before baseline / changed-since filtering) is used for UNFILTERED_FORMATS when given.
 */
export function renderOutputs(report: Report, requests: readonly OutputRequest[], renderers: Renderers, unfiltered?: Report): RenderedOutput[] {
  return requests.map((r) => {
    const render = renderers[r.format];
    if (!render) throw new OutputUsageError(`no renderer for format '${r.format}'`);
    const source = unfiltered && UNFILTERED_FORMATS.includes(r.format) ? unfiltered : report;
    return { target: r.output ?? 'stdout', format: r.format, content: render(source) };
  });
}

/**
 * When running under GitHub Actions, where the step summary goes (the file `$GITHUB_STEP_SUMMARY` names), else null.
 * The CLI appends `toStepSummary(report)` there whenever the `github` format is requested.
 */
export function stepSummaryPath(env: Record<string, string | undefined>): string | null {
  if (env.GITHUB_ACTIONS !== 'true') return null;
  const p = env.GITHUB_STEP_SUMMARY;
  return p && p.length > 0 ? p : null;
}
