/**
 * `tierwise fix flex [dir]`: audits the project, plans the flex edits of the findings it may touch, and applies them
 * with the add-flex-tier jscodeshift transform through src/fix/runner.ts.
 *
 * Which sites: `no-standard-tier-in-background` findings recommended for flex on background-only call sites
 * (`--all-background`: also those recommended for Batch whose model the price data lists as flex-eligible), plus
 * `flex-needs-timeout` findings (the tier is already flex; only the timeout is raised). A model not known to be
 * flex-eligible never gets the flex tier. Mixed and unknown call sites are never touched.
 * `--site file:line` narrows to those sites.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { CallSite, Finding } from '../core/types.js';
import { runAudit } from '../audit/audit.js';
import { applyEdits, clientBackgroundOnlyOf, planFlexEdits } from '../core/edits.js';
import { siteFlexEligibility } from '../core/recommend.js';
import { UsageError } from '../core/project.js';
import transform, { sha1, type FlexSitePlan } from '../../codemods/add-flex-tier.js';
import { checkGitClean, mixedSitesWarning, runCodemod, type FixSummary, type SkippedSite } from './runner.js';

export interface FixFlexOptions {
  dir: string;
  project?: string;
  configFile?: string;
  dry?: boolean;
  print?: boolean;
  force?: boolean;
  /** Prettier on changed files when the project has a config (default true). */
  format?: boolean;
  /** Wrap each call in `withFlexFallback` (a flex 429 is retried once on the standard tier). */
  fallback?: boolean;
  /** Also batch-recommended background sites whose model is known flex-eligible (per the price data). */
  allBackground?: boolean;
  /** Only these sites: `file:line` (file relative to dir). */
  sites?: string[];
  /** The project's openai major version; default: read from the node_modules the project resolves. */
  sdkMajor?: number | null;
  /** Whether the project depends on undici; default: read from its package.json. */
  undici?: boolean;
}

export interface FixFlexResult {
  summary: FixSummary;
  /** Sites selected for the fix. */
  selected: number;
}

export async function fixFlex(opts: FixFlexOptions): Promise<FixFlexResult> {
  const root = path.resolve(opts.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${opts.dir} is not a directory.`);
  const git = checkGitClean(root, { force: opts.force, dry: opts.dry });
  const { analysis, project, prices } = runAudit({ dir: root, project: opts.project, configFile: opts.configFile });
  const sdkMajor = opts.sdkMajor !== undefined ? opts.sdkMajor : openaiMajor(root);
  const undici = opts.undici ?? dependsOn(root, 'undici');
  const backgroundOnly = clientBackgroundOnlyOf(analysis.callSites);
  const siteFilter = opts.sites?.length ? parseSites(opts.sites) : undefined;
  const warnings: string[] = [];
  if (git.warning) warnings.push(git.warning);

  const byId = new Map<string, CallSite>(analysis.callSites.map((s) => [s.id, s]));
  const selected: Array<{ finding: Finding; site: CallSite; timeoutOnly: boolean }> = [];
  let leftForBatch = 0;
  const mixed: CallSite[] = [];
  for (const f of analysis.findings) {
    const site = byId.get(f.callSiteId);
    if (site && (f.context?.mixed || site.classification === 'mixed') && (f.rule === 'no-standard-tier-in-background' || f.rule === 'flex-needs-timeout')) {
      if (!siteFilter || siteFilter.some((s) => s.file === site.file && s.line === site.line)) mixed.push(site);
    }
    if (!site || site.classification !== 'background' || f.context?.mixed) continue;
    if (siteFilter && !siteFilter.some((s) => s.file === site.file && s.line === site.line)) continue;
    if (f.rule === 'flex-needs-timeout') {
      selected.push({ finding: f, site, timeoutOnly: true });
    } else if (f.rule === 'no-standard-tier-in-background') {
      // Never flex on a model the price data does not list as flex-eligible (unknown, not eligible, or not static).
      const knownEligible = (site.family === 'chat' || site.family === 'responses') && siteFlexEligibility(site, prices) === 'eligible';
      const flexOk = knownEligible && (f.recommendation?.tier === 'flex' || (opts.allBackground && f.recommendation?.tier === 'batch'));
      if (flexOk) selected.push({ finding: f, site, timeoutOnly: false });
      else if (f.recommendation?.tier === 'batch') leftForBatch++;
    }
  }
  if (siteFilter) {
    for (const s of siteFilter) {
      if (!selected.some((x) => x.site.file === s.file && x.site.line === s.line)) {
        warnings.push(`--site ${s.file}:${s.line}: no background call site there that fix flex can move (see \`tierwise audit\`).`);
      }
    }
  }
  const mixedWarning = mixedSitesWarning(mixed);
  if (mixedWarning) warnings.push(mixedWarning);
  if (leftForBatch) {
    warnings.push(`${leftForBatch} background call site(s) recommended for the Batch API were left alone (\`tierwise fix batch\`, or --all-background to move them to flex).`);
  }

  const skipped: SkippedSite[] = project.skipped.map((s) => ({ file: s.file, reason: s.reason }));
  const plans: FlexSitePlan[] = [];
  const accepted = new Map<string, FlexSitePlan['edits']>();
  const texts = new Map<string, string>();
  const text = (f: string) => {
    let t = texts.get(f);
    if (t === undefined) texts.set(f, (t = fs.readFileSync(f, 'utf8')));
    return t;
  };
  for (const { finding, site, timeoutOnly } of selected) {
    const nodes = analysis.nodes.get(site.id)!;
    const callFile = path.resolve(nodes.sourceFile.fileName);
    const helperFile = path.join(path.dirname(callFile), 'flex-fallback.ts');
    const plan = planFlexEdits(project.ts, undefined, site, nodes, {
      clientBackgroundOnly: backgroundOnly(site),
      timeoutOnly,
      sdkMajor,
      dispatcher: undici ? 'agent' : 'warn',
      fallback: opts.fallback ? { importFrom: `./flex-fallback${importSuffix(nodes.sourceFile.text)}` } : undefined,
    });
    const edits = plan.edits.map((e) => ({ ...e, file: path.resolve(e.file) }));
    // Two sites whose edits overlap (e.g. one params object shared by two calls): keep the first; the next run gets the rest.
    const files = [...new Set(edits.map((e) => e.file))];
    const clash = files.some((f) => {
      try {
        applyEdits(text(f), [...(accepted.get(f) ?? []), ...edits.filter((e) => e.file === f)]);
        return false;
      } catch {
        return true;
      }
    });
    if (clash) {
      skipped.push({ file: site.file, line: site.line, reason: "its edits overlap another site's (shared params or options); run `tierwise fix flex` again" });
      continue;
    }
    for (const f of files) accepted.set(f, [...(accepted.get(f) ?? []), ...edits.filter((e) => e.file === f)]);
    plans.push({
      id: site.id,
      file: callFile,
      line: site.line,
      edits,
      skipped: plan.skipped,
      warnings: plan.warnings,
      usdPerMonth: !timeoutOnly && finding.savings && !finding.savings.unknown ? finding.savings.usdPerMonth : timeoutOnly ? 0 : null,
      ...(plan.fallbackApplied ? { helperFile } : {}),
    });
  }

  // Files with edits, plus call files with only skip reasons (so the transform reports them).
  const files = [...new Set(plans.flatMap((p) => [...p.edits.map((e) => e.file), ...(p.skipped.length || p.warnings.length ? [p.file] : [])]))].sort();
  const fileHashes = Object.fromEntries(files.map((f) => [f, sha1(text(f))]));
  const summary = await runCodemod(
    { root, files, transform, transformOptions: { flexPlans: plans, fileHashes }, skipped, warnings },
    { dry: opts.dry, print: opts.print, format: opts.format },
  );
  return { summary, selected: selected.length };
}

function parseSites(sites: string[]): Array<{ file: string; line: number }> {
  return sites.map((s) => {
    const m = /^(.+):(\d+)$/.exec(s.trim());
    if (!m) throw new UsageError(`--site ${s}: expected file:line (the file relative to the project directory).`);
    return { file: m[1]!.replace(/\\/g, '/').replace(/^\.\//, ''), line: Number(m[2]) };
  });
}

/** `.js` when the file's relative imports carry extensions (or it has none: `.js` resolves under every TS mode). */
function importSuffix(text: string): string {
  const rel = [...text.matchAll(/\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  if (rel.length === 0) return '.js';
  return rel.some((r) => /\.[cm]?js$/.test(r)) ? '.js' : '';
}

/** The major version of the `openai` package the project resolves (node_modules lookup from the root up). */
export function openaiMajor(root: string): number | null {
  let dir = root;
  for (;;) {
    const pkg = path.join(dir, 'node_modules', 'openai', 'package.json');
    if (fs.existsSync(pkg)) {
      const v = (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string }).version;
      const major = v ? Number.parseInt(v, 10) : NaN;
      return Number.isFinite(major) ? major : null;
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Whether the nearest package.json (from the root up) lists `name` in dependencies or devDependencies. */
export function dependsOn(root: string, name: string): boolean {
  let dir = root;
  for (;;) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, Record<string, string> | undefined>;
      return !!(pkg.dependencies?.[name] ?? pkg.devDependencies?.[name] ?? pkg.optionalDependencies?.[name]);
    }
    const up = path.dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
}
