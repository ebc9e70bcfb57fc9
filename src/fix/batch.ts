/**
 * `tierwise fix batch [dir]`: rewrites per-item loops of background jobs to one Batch API run each
 * (codemods/loop-to-batch.ts), for the audit's `no-standard-tier-in-background` findings recommended for the Batch
 * API. `--site file:line` narrows to those sites. Mixed sites (also reached from a request handler) are passed to the
 * transform, which refuses them with the reason, so the summary says why they were left alone.
 *
 * The transform writes `openai-batch.ts` (the runtime helper) next to each rewritten file unless one exists there.
 * Mechanics (dirty tree, --dry diff, --print, Prettier, atomic writes, summary with the monthly saving) are the
 * shared runner's (src/fix/runner.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import transformer, { batchTargets, type BatchTarget } from '../../codemods/loop-to-batch.js';
import { runAudit } from '../audit/audit.js';
import { UsageError } from '../core/project.js';
import { checkGitClean, mixedSitesWarning, runCodemod, type FixSummary, type SkippedSite } from './runner.js';

export interface FixBatchOptions {
  dir: string;
  project?: string | undefined;
  configFile?: string | undefined;
  dry?: boolean | undefined;
  print?: boolean | undefined;
  force?: boolean | undefined;
  format?: boolean | undefined;
  /** Only these sites: `file:line` (file relative to dir). */
  sites?: string[] | undefined;
}

export interface FixBatchResult {
  summary: FixSummary;
  /** Sites handed to the transform. */
  selected: number;
}

export async function fixBatch(opts: FixBatchOptions): Promise<FixBatchResult> {
  const root = path.resolve(opts.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`${opts.dir} is not a directory.`);
  const siteFilter = opts.sites?.length ? parseSites(opts.sites) : undefined;
  const git = checkGitClean(root, { force: opts.force, dry: opts.dry });
  const { analysis, project } = runAudit({ dir: root, project: opts.project, configFile: opts.configFile });
  const warnings: string[] = git.warning ? [git.warning] : [];
  const skipped: SkippedSite[] = project.skipped.map((s) => ({ file: s.file, reason: s.reason }));

  const findings = analysis.findings.filter((f) => !siteFilter || siteFilter.some((s) => s.file === f.file && s.line === f.line));
  const byFile = new Map<string, BatchTarget[]>();
  let selected = 0;
  for (const f of findings) {
    const [target] = batchTargets([f]);
    if (!target) continue;
    const abs = path.resolve(root, f.file);
    byFile.set(abs, [...(byFile.get(abs) ?? []), target]);
    selected++;
  }
  if (siteFilter) {
    for (const s of siteFilter) {
      if (byFile.get(path.resolve(root, s.file))?.some((t) => t.line === s.line)) continue;
      const other = analysis.findings.find((f) => f.file === s.file && f.line === s.line);
      warnings.push(
        other
          ? `--site ${s.file}:${s.line}: the audit recommends ${other.recommendation?.tier ?? 'no change'} there, not the Batch API${other.recommendation ? ` (${other.recommendation.reason})` : ''}.`
          : `--site ${s.file}:${s.line}: no background call site there (see \`tierwise audit\`).`,
      );
    }
  }
  // Mixed sites recommended for Batch reach the transform, which refuses them with the reason (a skip); those
  // recommended for Flex would go unmentioned (fix flex leaves them alone too), so they get the mixed-sites warning.
  const mixedWarning = mixedSitesWarning(
    findings.filter((f) => f.rule === 'no-standard-tier-in-background' && f.recommendation?.tier !== 'batch' && f.context?.mixed),
  );
  if (mixedWarning) warnings.push(mixedWarning);
  const flexLeft = analysis.findings.filter((f) => f.rule === 'no-standard-tier-in-background' && f.recommendation?.tier === 'flex' && !f.context?.mixed).length;
  if (!siteFilter && flexLeft) warnings.push(`${flexLeft} background call site(s) recommended for Flex were left alone (\`tierwise fix flex\`).`);

  const summary = await runCodemod(
    { root, files: [...byFile.keys()].sort(), transform: transformer, transformOptions: { batchTargets: byFile, root }, skipped, warnings },
    { dry: opts.dry, print: opts.print, format: opts.format },
  );
  return { summary, selected };
}

function parseSites(sites: string[]): Array<{ file: string; line: number }> {
  return sites.map((s) => {
    const m = /^(.+):(\d+)(?::\d+)?$/.exec(s.trim());
    if (!m) throw new UsageError(`--site ${s}: expected file:line (the file relative to the project directory).`);
    return { file: m[1]!.replace(/\\/g, '/').replace(/^\.\//, ''), line: Number(m[2]) };
  });
}
