import fs from 'node:fs';
import path from 'node:path';
import type { Finding, Report, ReportSummary, Savings } from '../core/types.js';
import type { TierwiseConfig } from '../core/config.js';
import { analyzeProgram, type Analysis } from '../core/analyze.js';
import { loadProject, type LoadedProject } from '../core/project.js';
import { loadConfig } from '../core/load-config.js';
import { UsageError } from '../core/errors.js';
import { bundledPrices, loadPriceTable, type PriceTable } from '../pricing/prices.js';
import { matchUsageEntries } from '../pricing/estimate.js';
import { calibrate, loadUsageFile, otherVolumes } from '../pricing/usage-api.js';

import { VERSION } from '../version.js';

export { VERSION };

export interface AuditOptions {
  /** Directory to audit. */
  dir: string;
  /** tsconfig to use instead of `<dir>/tsconfig.json`. */
  project?: string;
  /** Config file to use instead of `<dir>/tierwise.config.json` / package.json#tierwise. */
  configFile?: string;
  /** An already-loaded config (tests, programmatic use); wins over configFile. */
  config?: TierwiseConfig;
  /** A prices table file (`--prices`). */
  pricesFile?: string;
  /** Measured usage from OpenAI's Usage API (`--usage`). */
  usageFile?: string;
}

export interface AuditResult {
  report: Report;
  analysis: Analysis;
  project: LoadedProject;
  prices: PriceTable;
  config: TierwiseConfig | undefined;
}

/** Runs the whole audit: load, analyse, estimate, calibrate. Reads the tree; never writes to it. */
export function runAudit(opts: AuditOptions): AuditResult {
  const root = path.resolve(opts.dir);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new UsageError(`${opts.dir} is not a directory; pass the folder of the project to audit.`);
  }
  const config = opts.config ?? loadConfig(root, opts.configFile).config;
  const pricesPath = opts.pricesFile ?? (config?.prices ? path.resolve(root, config.prices) : undefined);
  const prices = pricesPath ? loadPriceTable(pricesPath) : bundledPrices;
  const project = loadProject({ root, project: opts.project, ignore: config?.ignore });
  const analysis = analyzeProgram({
    ts: project.ts,
    program: project.program,
    root,
    projectFiles: project.projectFiles,
    config,
    prices,
    analysable: project.files,
    // One suppression for the editor and CI: `// eslint-disable-next-line tierwise/<rule>` silences the audit too.
    eslintDirectives: true,
  });
  const notes = [...analysis.notes];
  let findings = analysis.findings;
  if (opts.usageFile) {
    const measured = loadUsageFile(opts.usageFile, prices);
    // The measured tokens of a model cover all its call sites: estimate the others too, so findings get only their share.
    const others = otherVolumes(analysis.callSites, findings, { config, prices });
    const result = calibrate(findings, measured, others.volumes);
    findings = result.items;
    const calibrated = findings.filter((f) => f.savings && !f.savings.unknown && f.savings.calibrated).length;
    notes.push(`${calibrated} finding(s) calibrated to measured usage from ${path.basename(opts.usageFile)}.`);
    if (result.measuredOnly.length) notes.push(`Measured usage for ${result.measuredOnly.join(', ')} matches no background call site.`);
    if (others.unattributed.length) {
      notes.push(`Calibration could not attribute ${others.unattributed.length} call site(s) to a priced model (dynamic or unknown model): ${others.unattributed.join(', ')}; any measured tokens they use are attributed to the other call sites of their model.`);
    }
  }
  for (const key of analysis.unusedConfig) notes.push(`Config entrypoint \`${key}\` matches nothing.`);
  if (config?.usage?.length) {
    for (const u of matchUsageEntries(config, analysis.callSites).unmatched) notes.push(`Config ${u.why}.`);
  }
  findings = findings.map(stripBasis);
  const report: Report = {
    tool: 'tierwise',
    version: VERSION,
    root: root.split(path.sep).join('/'),
    callSites: analysis.callSites,
    findings,
    skipped: project.skipped,
    summary: summarize(analysis, findings, project, notes),
  };
  return { report, analysis, project, prices, config };
}

export function audit(opts: AuditOptions): Report {
  return runAudit(opts).report;
}

function stripBasis(f: Finding): Finding {
  if (!f.savings || f.savings.unknown) return f;
  const { basis: _b, ...rest } = f.savings as Savings & { basis?: unknown };
  return { ...f, savings: rest as Savings };
}

function summarize(analysis: Analysis, findings: Finding[], project: LoadedProject, notes: string[]): ReportSummary {
  const byRule: ReportSummary['byRule'] = {};
  for (const f of findings) byRule[f.rule] = (byRule[f.rule] ?? 0) + 1;
  const byClassification: ReportSummary['byClassification'] = { background: 0, interactive: 0, mixed: 0, unknown: 0 };
  for (const s of analysis.callSites) byClassification[s.classification]++;
  let usd = 0;
  let fromDefaults = 0;
  let unknown = 0;
  for (const f of findings) {
    const s = f.savings;
    if (!s) continue;
    if (s.unknown) {
      unknown++;
      continue;
    }
    usd += s.usdPerMonth;
    // "Rests only on defaults": the estimate's confidence is low, i.e. its volume comes from documented defaults.
    if (s.confidence === 'low') fromDefaults += s.usdPerMonth;
  }
  if (project.tsconfig === null) notes.push('No tsconfig.json: every source file under the root was analysed.');
  return {
    files: analysis.files,
    callSites: analysis.callSites.length,
    findings: findings.length,
    byRule,
    byClassification,
    typeInfo: analysis.typeInfo,
    usdPerMonth: round2(usd),
    usdPerMonthFromDefaultsOnly: round2(fromDefaults),
    unknownSavings: unknown,
    notes,
  };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
