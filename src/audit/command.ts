import fs from 'node:fs';
import path from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { globSync } from 'tinyglobby';
import ignore from 'ignore';
import type { Report } from '../core/types.js';
import { UsageError } from '../core/errors.js';
import { loadConfig } from '../core/load-config.js';
import { VERSION } from '../version.js';
import { pairFormatsAndOutputs, renderOutputs, stepSummaryPath, type Renderers } from './outputs.js';
import { toText } from './reporters/text.js';
import { toJson } from './reporters/json.js';
import { toSarif } from './reporters/sarif.js';
import { toMarkdown } from './reporters/markdown.js';
import { toGithubAnnotations, toStepSummary } from './reporters/github.js';
import { applyBaseline, parseBaseline, pruneBaseline, serializeBaseline, writeBaseline } from './baseline.js';
import { changedFiles, filterByChanged, repoPrefix } from './changed.js';
import { detectWorkspaces } from './workspaces.js';
import { mergeReports, parseReport, withFindings } from './merge.js';
import { cacheKey, defaultCacheDir, hashFiles, readCache, writeCache } from './cache.js';
import { bundledPrices, loadPriceTable } from '../pricing/prices.js';

export interface AuditArgs {
  dir: string;
  project?: string;
  config?: string;
  format?: string | string[];
  output?: string | string[];
  prices?: string;
  usage?: string;
  explain?: boolean;
  'fail-above'?: number;
  'min-savings'?: number;
  'exit-code'?: boolean;
  baseline?: string;
  'write-baseline'?: string;
  'prune-baseline'?: boolean;
  'changed-since'?: string;
  workspace?: string | string[];
  cache?: boolean;
  'cache-dir'?: string;
  'repo-url'?: string;
  sha?: string;
  'path-prefix'?: string;
  'sarif-category'?: string;
  'max-annotations'?: number;
  progress?: boolean;
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
  return hidden ? withFindings(report, findings, [`${hidden} finding(s) under $${min}/month hidden by --min-savings.`]) : report;
}

/** The files an audit reads besides --config/--prices/--usage (relative to the audited dir); docs/ci.md's Nx/Turborepo inputs list them. */
export const CACHE_INPUTS = ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}', '**/package.json', '**/tsconfig*.json', '**/vercel.json', '.github/workflows/*.{yml,yaml}', 'tierwise.config.json'];

/** The files whose content decides the report, for the cache key (cheap: list and hash, no parse). */
function cacheInputs(root: string): string[] {
  const ig = ignore();
  const gi = path.join(root, '.gitignore');
  if (fs.existsSync(gi)) ig.add(fs.readFileSync(gi, 'utf8'));
  return globSync(CACHE_INPUTS, { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], dot: true }).filter((f) => !ig.ignores(f));
}

/** Installed openai version (types present or not changes the analysis), for the cache key. */
function openaiVersion(root: string): string | null {
  let dir = root;
  for (;;) {
    const pkg = path.join(dir, 'node_modules', 'openai', 'package.json');
    if (fs.existsSync(pkg)) return (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version ?? 'unknown';
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Numeric options: a finite number >= 0 (integers where said); anything else is a usage error (yargs turns `abc` into NaN). */
export function checkNumbers(args: Partial<Record<string, unknown>>, options: Record<string, 'number' | 'integer'>): void {
  for (const [name, kind] of Object.entries(options)) {
    const v = args[name];
    if (v === undefined) continue;
    if (Array.isArray(v)) throw new UsageError(`--${name} was given more than once`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (kind === 'integer' && !Number.isInteger(v))) {
      throw new UsageError(`--${name} must be ${kind === 'integer' ? 'a whole number' : 'a number'} >= 0 (got ${typeof v === 'number' ? 'a non-number' : JSON.stringify(v)})`);
    }
  }
}

/** Whether to show progress by default: stderr is a TTY and neither CI nor NO_COLOR is set. */
export function progressByDefault(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  return !!stream.isTTY && !env.CI && !env.NO_COLOR;
}

/**
 * The progress line on stderr: `show(msg)` rewrites the line, `show('')` clears it (`\r` + erase line, nothing else,
 * and only when something was shown) so the next output starts on a clean line.
 */
export function progressWriter(stream: { write(s: string): unknown }, enabled: boolean): (msg: string) => void {
  if (!enabled) return () => {};
  let shown = false;
  return (msg) => {
    if (msg) {
      stream.write(`\r\u001b[2Ktierwise: ${msg}`);
      shown = true;
    } else if (shown) {
      stream.write('\r\u001b[2K');
      shown = false;
    }
  };
}

/** The nearest directory at or above `dir` that holds `.git` or is a monorepo root (package.json#workspaces, pnpm-workspace.yaml). */
export function repositoryRoot(dir: string): string | null {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git')) || fs.existsSync(path.join(d, 'pnpm-workspace.yaml'))) return d;
    const pkg = path.join(d, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        const json = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { workspaces?: unknown } | null;
        if (json && typeof json === 'object' && json.workspaces !== undefined) return d;
      } catch {
        // not JSON: not a monorepo root
      }
    }
    if (path.dirname(d) === d) return null;
  }
}

/**
 * The report with `workspace`: its root relative to the repository (posix, `.` at the top), so `tierwise merge` can rebase
 * a report written on another machine or checkout path. Without a repository the field is left out.
 */
export function withWorkspace(report: Report): Report {
  const { tool, version, root, workspace: _old, ...rest } = report;
  const repo = repositoryRoot(root);
  const rel = repo === null ? null : path.relative(repo, root).split(path.sep).join(path.posix.sep) || '.';
  return rel === null ? { tool, version, root, ...rest } : { tool, version, root, workspace: rel, ...rest };
}

/** Audits the root, or each workspace of a monorepo root and merges the reports. Uses the cache when asked. */
export async function auditTree(args: AuditArgs): Promise<Report> {
  const root = path.resolve(args.dir);
  const selectors = args.workspace === undefined ? [] : ([] as string[]).concat(args.workspace);
  const show = progressWriter(process.stderr, args.progress ?? progressByDefault(process.stderr, process.env));
  // The analysis (TypeScript, the tokenizer) loads only when there is something to analyse: a warm cache hit
  // costs little more than hashing the inputs.
  const run = async (dir: string, project?: string): Promise<Report> => {
    show(`auditing ${path.relative(process.cwd(), dir) || '.'}`);
    const { audit } = await import('./audit.js');
    return audit({ dir, project, configFile: args.config, pricesFile: args.prices, usageFile: args.usage });
  };

  let key: string | undefined;
  const cacheDir = args['cache-dir'] ? path.resolve(args['cache-dir']) : defaultCacheDir(root);
  if (args.cache) {
    const config = fs.existsSync(root) ? loadConfig(root, args.config).config : undefined;
    const prices = args.prices ? loadPriceTable(args.prices) : bundledPrices;
    const files = await hashFiles(root, cacheInputs(root));
    key = cacheKey({
      toolVersion: VERSION,
      config: { config: config ?? null, argv: { project: args.project ?? null, usage: args.usage ?? null, workspace: selectors, openai: openaiVersion(root) } },
      pricesChecked: `${prices.checked}:${prices.models.length}`,
      files,
    });
    const hit = await readCache(cacheDir, key);
    if (hit) {
      show('');
      return withWorkspace(hit);
    }
  }

  let report: Report;
  const workspaces = args.project ? [] : await detectWorkspaces(root, { workspace: selectors });
  if (workspaces.length > 0) {
    // A workspace with a tsconfig is audited from the monorepo root (so every path and message is root-relative);
    // one without is audited as its own directory and rebased by the merge.
    const reports: Report[] = [];
    for (const w of workspaces) reports.push(await (w.tsconfig ? run(root, path.join(root, w.tsconfig)) : run(path.join(root, w.dir))));
    report = mergeReports(reports, { root });
  } else {
    report = await run(root, args.project);
  }
  show('');
  report = withWorkspace(report);
  if (key) await writeCache(cacheDir, key, report);
  return report;
}

export const auditCommand: CommandModule<object, AuditArgs> = {
  command: 'audit [dir]',
  describe: 'Find OpenAI calls in background work that pay standard-tier prices, and estimate the savings',
  builder: (y: Argv<object>) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Project directory to audit' })
      .option('project', { alias: 'p', type: 'string', describe: 'tsconfig.json to use (default: <dir>/tsconfig.json)' })
      .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: <dir>/tierwise.config.json or package.json#tierwise)' })
      .option('format', { alias: 'f', type: 'string', describe: 'text | json | sarif | markdown | github; repeat for several outputs (pairs with --output by position)' })
      .option('output', { alias: 'o', type: 'string', describe: 'File for the report of the --format at the same position (`-` = stdout)' })
      .option('prices', { type: 'string', describe: 'Price table JSON to use instead of the bundled one' })
      .option('usage', { type: 'string', describe: 'OpenAI Usage API JSON (completions/embeddings grouped by model) to calibrate the estimates' })
      .option('explain', { type: 'boolean', describe: "Print each finding's savings arithmetic and assumptions" })
      .option('fail-above', { type: 'number', requiresArg: true, describe: 'Exit 1 only when the unrealised savings exceed this many USD per month' })
      .option('min-savings', { type: 'number', requiresArg: true, describe: 'Hide findings that would save less than this many USD per month' })
      .option('exit-code', { type: 'boolean', default: true, describe: 'Exit 1 on findings (--no-exit-code: always 0 unless an error)' })
      .option('baseline', { type: 'string', describe: 'Report only findings not in this baseline file' })
      .option('write-baseline', { type: 'string', describe: 'Record the current findings as a baseline file and exit 0' })
      .option('prune-baseline', { type: 'boolean', describe: 'With --baseline: remove stale entries from the baseline file' })
      .option('changed-since', { type: 'string', describe: 'Only findings in files changed since this git ref (or whose entrypoint/chain changed)' })
      .option('workspace', { alias: 'w', type: 'string', describe: 'Audit only this workspace (directory or package name); repeatable' })
      .option('cache', { type: 'boolean', describe: 'Reuse the report when no input changed (node_modules/.cache/tierwise)' })
      .option('cache-dir', { type: 'string', describe: 'Cache directory (default: <dir>/node_modules/.cache/tierwise)' })
      .option('repo-url', { type: 'string', describe: 'Repository URL for links in markdown/github output' })
      .option('sha', { type: 'string', describe: 'Commit SHA for links in markdown/github output' })
      .option('path-prefix', { type: 'string', describe: 'Prefix of the audited dir inside the repository (default: from git)' })
      .option('sarif-category', { type: 'string', describe: 'SARIF run category (automationDetails.id) for several uploads' })
      .option('max-annotations', { type: 'number', requiresArg: true, default: 10, describe: 'Most GitHub annotations to print' })
      .option('progress', { type: 'boolean', describe: 'Progress on stderr (default: when stderr is a TTY and neither CI nor NO_COLOR is set)' }) as unknown as Argv<AuditArgs>,
  handler: async (args) => {
    checkNumbers(args, { 'fail-above': 'number', 'min-savings': 'number', 'max-annotations': 'integer' });
    const requests = pairFormatsAndOutputs(args.format, args.output);
    const full = await auditTree(args);
    await emit(full, requests, args);
  },
};

/** Baseline, changed-since, min-savings, rendering and the exit code: shared by `audit` and `merge`. */
export async function emit(full: Report, requests: ReturnType<typeof pairFormatsAndOutputs>, args: AuditArgs): Promise<void> {
  const root = path.resolve(args.dir ?? '.');
  if (args['write-baseline']) {
    fs.writeFileSync(args['write-baseline'], writeBaseline(full));
    process.stderr.write(`tierwise: wrote ${full.findings.length} finding(s) to ${args['write-baseline']}\n`);
    process.exitCode = 0;
    return;
  }
  let report = full;
  let baselined = 0;
  if (args.baseline && !fs.existsSync(args.baseline)) {
    // The first CI run of a workflow that passes --baseline before one was committed: nothing is baselined yet.
    process.stderr.write(`tierwise: ${args.baseline} does not exist yet, so every finding is new (write it with --write-baseline ${args.baseline})\n`);
  } else if (args.baseline) {
    const text = fs.readFileSync(args.baseline, 'utf8');
    const baseline = parseBaseline(text, args.baseline);
    const result = applyBaseline(full, baseline);
    report = result.report;
    baselined = result.baselined;
    if (result.stale.length > 0) {
      if (args['prune-baseline']) {
        fs.writeFileSync(args.baseline, serializeBaseline(pruneBaseline(baseline, result.stale)));
        process.stderr.write(`tierwise: pruned ${result.stale.length} stale baseline entr${result.stale.length === 1 ? 'y' : 'ies'} from ${args.baseline}\n`);
      } else {
        process.stderr.write(`tierwise: ${result.stale.length} baseline entr${result.stale.length === 1 ? 'y matches' : 'ies match'} no finding any more (--prune-baseline removes them)\n`);
      }
    }
  }
  if (args['changed-since']) report = filterByChanged(report, await changedFiles(root, args['changed-since']));
  // The gate counts every finding left after the baseline and --changed-since, including the ones --min-savings hides.
  const gated = report;
  report = hideSmall(report, args['min-savings']);
  if (args['fail-above'] !== undefined && report !== gated) {
    report = withFindings(report, report.findings, [`Hidden findings still count toward --fail-above: $${gated.summary.usdPerMonth ?? 0}/month in all.`]);
  }

  const prefix = args['path-prefix'] ?? (await repoPrefix(root).catch(() => null)) ?? '';
  const color = !!process.stdout.isTTY && !process.env.NO_COLOR && !process.env.CI;
  const links = { repoUrl: args['repo-url'], sha: args.sha, pathPrefix: prefix };
  const renderers: Renderers = {
    text: (r) => toText(r, { explain: args.explain, color }),
    json: toJson,
    sarif: (r) => toSarif(r, { toolVersion: VERSION, pathPrefix: prefix, category: args['sarif-category'] }),
    markdown: (r) => toMarkdown(r, { ...links, baselined }),
    github: (r) => toGithubAnnotations(r, { max: args['max-annotations'], pathPrefix: prefix }),
  };
  for (const out of renderOutputs(report, requests, renderers, full)) {
    if (out.target === 'stdout') process.stdout.write(out.content);
    else {
      fs.mkdirSync(path.dirname(path.resolve(out.target)), { recursive: true });
      fs.writeFileSync(out.target, out.content);
    }
  }
  const summaryFile = requests.some((r) => r.format === 'github') ? stepSummaryPath(process.env) : null;
  if (summaryFile) fs.appendFileSync(summaryFile, toStepSummary(report, { ...links, baselined }));
  // With --fail-above the dollar gate is on all findings; without it, exit 1 when findings are shown.
  process.exitCode = args['exit-code'] === false ? 0 : args['fail-above'] === undefined ? exitCodeFor(report, undefined) : exitCodeFor(gated, args['fail-above']);
}

export const mergeCommand: CommandModule<object, AuditArgs & { reports: string[]; root?: string }> = {
  command: 'merge <reports..>',
  describe: 'Merge JSON reports (e.g. one per workspace from Nx/Turborepo tasks) into one, then report it like `audit`',
  builder: (y: Argv<object>) =>
    y
      .positional('reports', { type: 'string', array: true, describe: 'JSON reports written by `tierwise audit --format json`' })
      .option('root', { type: 'string', default: '.', describe: 'Directory the merged paths are relative to' })
      .option('format', { alias: 'f', type: 'string', describe: 'Output format(s), as for audit' })
      .option('output', { alias: 'o', type: 'string', describe: 'Output file(s), as for audit' })
      .option('baseline', { type: 'string' })
      .option('write-baseline', { type: 'string' })
      .option('min-savings', { type: 'number', requiresArg: true })
      .option('fail-above', { type: 'number', requiresArg: true })
      .option('exit-code', { type: 'boolean', default: true })
      .option('explain', { type: 'boolean' }) as unknown as Argv<AuditArgs & { reports: string[]; root?: string }>,
  handler: async (args) => {
    checkNumbers(args, { 'fail-above': 'number', 'min-savings': 'number' });
    const requests = pairFormatsAndOutputs(args.format, args.output);
    const reports = args.reports.map((f) => parseReport(fs.readFileSync(f, 'utf8'), f));
    const merged = withWorkspace(mergeReports(reports, { root: path.resolve(args.root ?? '.') }));
    await emit(merged, requests, { ...args, dir: args.root ?? '.' });
  },
};
