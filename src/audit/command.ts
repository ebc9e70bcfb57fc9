import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import type { Report } from '../core/types.js';
import { runAudit } from './audit.js';
import { pairFormatsAndOutputs, renderOutputs, type Renderers } from './outputs.js';
import { toText } from './reporters/text.js';
import { toJson } from './reporters/json.js';
import { toSarif } from './reporters/sarif.js';
import { toMarkdown } from './reporters/markdown.js';
import { toGithubAnnotations } from './reporters/github.js';

export interface AuditArgs {
  dir: string;
  project?: string;
  config?: string;
  format?: string[];
  output?: string[];
  prices?: string;
  usage?: string;
  explain?: boolean;
  'fail-above'?: number;
  'min-savings'?: number;
}

/** What the CLI does with a report: the exit code (0 clean, 1 findings / over the threshold). */
export function exitCodeFor(report: Report, failAbove: number | undefined): number {
  if (failAbove === undefined) return report.findings.length > 0 ? 1 : 0;
  return (report.summary.usdPerMonth ?? 0) > failAbove ? 1 : 0;
}

/** `--min-savings`: hide findings whose known saving is below the amount (unknown savings stay visible). */
export function hideSmall(report: Report, min: number | undefined): Report {
  if (min === undefined) return report;
  const findings = report.findings.filter((f) => f.rule !== 'no-standard-tier-in-background' || !f.savings || f.savings.unknown || f.savings.usdPerMonth >= min);
  const hidden = report.findings.length - findings.length;
  return {
    ...report,
    findings,
    summary: {
      ...report.summary,
      findings: findings.length,
      notes: hidden ? [...report.summary.notes, `${hidden} finding(s) under $${min}/month hidden by --min-savings.`] : report.summary.notes,
    },
  };
}

export const auditCommand: CommandModule<object, AuditArgs> = {
  command: 'audit [dir]',
  describe: 'Find OpenAI calls in background work that pay standard-tier prices, and estimate the savings',
  builder: (y: Argv<object>) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Project directory to audit' })
      .option('project', { alias: 'p', type: 'string', describe: 'tsconfig.json to use (default: <dir>/tsconfig.json)' })
      .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: <dir>/tierwise.config.json or package.json#tierwise)' })
      .option('format', { alias: 'f', type: 'string', array: true, describe: 'text | json | sarif | markdown | github (repeatable, pairs with --output)' })
      .option('output', { alias: 'o', type: 'string', array: true, describe: 'Write the report to a file (repeatable, pairs with --format by position)' })
      .option('prices', { type: 'string', describe: 'Price table JSON to use instead of the bundled one' })
      .option('usage', { type: 'string', describe: "OpenAI Usage API JSON (completions/embeddings grouped by model) to calibrate the estimates" })
      .option('explain', { type: 'boolean', describe: "Print each finding's savings arithmetic and assumptions" })
      .option('fail-above', { type: 'number', describe: 'Exit 1 only when the unrealised savings exceed this many USD per month' })
      .option('min-savings', { type: 'number', describe: 'Hide findings that would save less than this many USD per month' }) as unknown as Argv<AuditArgs>,
  handler: (args) => {
    const requests = pairFormatsAndOutputs(args.format, args.output);
    const { report: full } = runAudit({ dir: args.dir, project: args.project, configFile: args.config, pricesFile: args.prices, usageFile: args.usage });
    const report = hideSmall(full, args['min-savings']);
    const color = process.stdout.isTTY && !process.env.NO_COLOR && !process.env.CI;
    const renderers: Renderers = {
      text: (r) => toText(r, { explain: args.explain, color }),
      json: toJson,
      sarif: (r) => toSarif(r),
      markdown: (r) => toMarkdown(r),
      github: (r) => toGithubAnnotations(r),
    };
    for (const out of renderOutputs(report, requests, renderers, full)) {
      if (out.target === 'stdout') process.stdout.write(out.content);
      else {
        fs.mkdirSync(path.dirname(path.resolve(out.target)), { recursive: true });
        fs.writeFileSync(out.target, out.content);
      }
    }
    process.exitCode = exitCodeFor(report, args['fail-above']);
  },
};
