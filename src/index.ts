/**
 * tierwise's programmatic API: `import { runAudit, mergeReports } from 'tierwise'`.
 *
 * Everything the CLI does with a report is here as functions on plain data: run the audit (every workspace of a
 * monorepo, as `tierwise audit` does), merge per-package JSON reports, apply or write a baseline, and render any
 * output format. Report types are the JSON contract of `tierwise audit --format json`. The ESLint plugin is
 * `tierwise/eslint-plugin`; the JSON Schemas of the config and price table are `tierwise/schema/*.json`.
 */
import path from 'node:path';
import type { Report } from './core/types.js';
import { auditTree } from './audit/command.js';

export type {
  ApiFamily,
  Assumption,
  Cadence,
  CallSite,
  ChainStep,
  Classification,
  ClientInfo,
  Context,
  ContextKind,
  Edit,
  Endpoint,
  Finding,
  Location,
  PerItem,
  PromptFacts,
  Recommendation,
  Report,
  ReportSummary,
  RuleId,
  Savings,
  ServiceTier,
  Skipped,
  SourcePoint,
  Timeout,
} from './core/types.js';
export type { TierwiseConfig, UsageEntry } from './core/config.js';
export type { PriceTable, ModelEntry, TierPrices } from './pricing/prices.js';
export type { Baseline, BaselineEntry, BaselineResult } from './audit/baseline.js';
export type { MergeOptions } from './audit/merge.js';
export type { MarkdownOptions } from './audit/reporters/markdown.js';
export type { SarifOptions } from './audit/reporters/sarif.js';
export type { AnnotationOptions, StepSummaryOptions } from './audit/reporters/github.js';
export type { TextOptions } from './audit/reporters/text.js';

export { VERSION } from './version.js';
export { mergeReports, parseReport, validateReport, ReportInputError } from './audit/merge.js';
export { applyBaseline, createBaseline, parseBaseline, pruneBaseline, serializeBaseline, BaselineError } from './audit/baseline.js';
export { toText } from './audit/reporters/text.js';
export { toJson } from './audit/reporters/json.js';
export { toSarif } from './audit/reporters/sarif.js';
export { toMarkdown } from './audit/reporters/markdown.js';
export { toGithubAnnotations, toStepSummary } from './audit/reporters/github.js';
export { parseConfig, configJsonSchema, ConfigError } from './core/config.js';
export { bundledPrices, parsePriceTable, priceTableJsonSchema, PriceTableError } from './pricing/prices.js';
export { UsageError } from './core/errors.js';

export interface AuditOptions {
  /** The project (or monorepo root) to audit. Default: the current directory. */
  dir?: string;
  /** A tsconfig to use instead of `<dir>/tsconfig.json` (`--project`). */
  project?: string;
  /** A config file instead of `<dir>/tierwise.config.json` or `package.json#tierwise` (`--config`). */
  configFile?: string;
  /** A price table to use instead of the bundled one (`--prices`). */
  pricesFile?: string;
  /** OpenAI Usage API JSON to calibrate the estimates with (`--usage`). */
  usageFile?: string;
  /** Only these workspaces of a monorepo (directories or package names; `--workspace`). Default: all, merged. */
  workspaces?: string[];
  /** Reuse the report when no input changed (`--cache`); a string is the cache directory (`--cache-dir`). */
  cache?: boolean | string;
}

/**
 * Audits a project exactly as `tierwise audit <dir> --format json` does and resolves with the report. Reads the
 * tree and never writes to it (except the cache, when asked). Bad input rejects with a `UsageError`, `ConfigError`
 * or `PriceTableError` whose message is the CLI's one-line error.
 */
export async function runAudit(options: AuditOptions = {}): Promise<Report> {
  return auditTree({
    dir: path.resolve(options.dir ?? '.'),
    project: options.project,
    config: options.configFile,
    prices: options.pricesFile,
    usage: options.usageFile,
    workspace: options.workspaces,
    cache: options.cache !== undefined && options.cache !== false,
    'cache-dir': typeof options.cache === 'string' ? options.cache : undefined,
    progress: false,
  });
}
