/**
 * The one adapter between ESLint and the analysis core. The rules only pick their findings from here; every decision
 * (is it an OpenAI call, which entrypoints reach it, what to recommend, which edits fix it) is the core's.
 *
 * Two modes, chosen by the config (never silently by whether types happen to be present):
 * - `recommended` (default): single-file analysis (src/core/single-file.ts). Needs no type information, never throws
 *   for lack of it, and is cache-safe (a file's findings depend on its text and the project's non-code files only).
 * - `recommended-type-checked` (`settings.tierwise.typeChecked: true`): the program from `parserServices` is analysed
 *   once, exactly as `tierwise audit` does, and every file of the lint reuses that analysis (cache keyed by program).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import ts from 'typescript';
import picomatch from 'picomatch';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { TierwiseConfig } from '../src/core/config.js';
import type { CallSite, Finding, RuleId } from '../src/core/types.js';
import type { TS, TsModule } from '../src/core/ts.js';
import { analyzeProgram, projectSourceFiles, toPosix, type Analysis } from '../src/core/analyze.js';
import { createProjectFiles } from '../src/core/project.js';
import { workspacePatterns } from '../src/audit/workspaces.js';
import { loadConfig } from '../src/core/load-config.js';
import { analyzeSingleFile, mayContainCalls, nearestProjectRoot, singleFileProjectFiles } from '../src/core/single-file.js';
import { planFlexEditParts } from '../src/core/edits.js';
import { Evaluator } from '../src/core/values.js';
import { bundledPrices, loadPriceTable, type PriceTable } from '../src/pricing/prices.js';

const tsModule = ts as unknown as TsModule;
const require = createRequire(import.meta.url);

/**
 * The TypeScript module that built a source file. Usually the `typescript` this package imports (the one
 * typescript-eslint uses), but a project can hoist another version for its parser: then the node classes differ and
 * the module is looked up next to typescript-estree and the project. Never mix versions (src/core/ts.ts).
 */
export function tsModuleOf(sf: TS.SourceFile, cwd: string): TsModule | undefined {
  const ctor = sf.constructor;
  if (tsModulesByCtor.has(ctor)) return tsModulesByCtor.get(ctor) ?? undefined;
  const builtBy = (m: TsModule) =>
    (m as unknown as { objectAllocator?: { getSourceFileConstructor?: () => unknown } }).objectAllocator?.getSourceFileConstructor?.() === ctor;
  let found: TsModule | undefined = builtBy(tsModule) ? tsModule : undefined;
  if (!found) {
    const bases: string[] = [cwd, path.dirname(sf.fileName)];
    try {
      bases.unshift(path.dirname(require.resolve('@typescript-eslint/typescript-estree')));
    } catch {
      // not installed next to us
    }
    for (const base of bases) {
      try {
        const m = require(require.resolve('typescript', { paths: [base] })) as TsModule;
        if (builtBy(m)) {
          found = m;
          break;
        }
      } catch {
        // no typescript there
      }
    }
  }
  tsModulesByCtor.set(ctor, found ?? null);
  return found;
}
const tsModulesByCtor = new Map<unknown, TsModule | null>();

import type { TierwiseSettings } from './settings.js';

export type { TierwiseSettings };

/** A text edit as ESLint wants it: a range in the linted file. */
export interface RangeEdit {
  range: [number, number];
  text: string;
}

/** One finding of the linted file, with the suggestions the core's edits allow in this file. */
export interface FileFinding {
  finding: Finding;
  /** Adds `service_tier: 'flex'` (no-standard-tier-in-background). */
  tierEdits: RangeEdit[] | null;
  /** Raises the timeout to 15 minutes (no-standard-tier-in-background, flex-needs-timeout). */
  timeoutEdits: RangeEdit[] | null;
  /** Where the timeout edits put it. */
  timeoutAt: 'client' | 'request' | 'none';
}

interface ProjectSetup {
  config: TierwiseConfig | undefined;
  prices: PriceTable;
  ignored: ((rel: string) => boolean) | undefined;
}

interface AnalysisIndex {
  analysis: Analysis;
  /** The TypeScript module that built the analysed program. */
  ts: TsModule;
  ev: Evaluator;
  byFile: Map<string, Finding[]>;
  sites: Map<string, CallSite>;
  clientUsers: Map<string, CallSite[]>;
}

const setups = new Map<string, ProjectSetup>();
const programIndexes = new WeakMap<TS.Program, Map<string, AnalysisIndex>>();
const fileResults = new WeakMap<object, FileFinding[]>();

/** How many times a program was analysed (tests prove the per-program cache; never used for behaviour). */
export const stats = { programAnalyses: 0, singleFileAnalyses: 0 };

/** The findings of `rule` in the file being linted. Never throws on internal errors: it reports nothing instead. */
export function findingsFor(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, rule: RuleId): FileFinding[] {
  const settings = readSettings(context.settings);
  const sourceCode = context.sourceCode;
  // Type-checked mode uses the program typescript-eslint built; a file without one (a JavaScript or config file
  // outside the tsconfig, or a parser without type information) falls back to the single-file analysis.
  const program = settings.typeChecked ? programOf(sourceCode) : null;
  let all = fileResults.get(sourceCode);
  if (!all) {
    try {
      all = program ? typedFindings(context, program, settings) : singleFileFindings(context, settings);
    } catch (e) {
      // Bad input (an invalid tierwise.config.json or price table) is the user's to fix: say so.
      if (e instanceof Error && (e.name === 'ConfigError' || e.name === 'UsageError')) throw e;
      if (process.env.DEBUG?.includes('tierwise')) console.error(`tierwise: internal error while linting ${context.filename}:`, e);
      all = [];
    }
    fileResults.set(sourceCode, all);
  }
  return all.filter((f) => f.finding.rule === rule);
}

/** The type-checked program typescript-eslint's parser attached to the file, if any. */
function programOf(sourceCode: { parserServices?: unknown }): TS.Program | null {
  const services = sourceCode.parserServices as { program?: TS.Program | null } | undefined;
  return services?.program ?? null;
}

function readSettings(settings: Record<string, unknown>): TierwiseSettings {
  const s = settings['tierwise'];
  if (!s || typeof s !== 'object') return {};
  const t = s as Record<string, unknown>;
  return {
    root: typeof t['root'] === 'string' ? t['root'] : undefined,
    typeChecked: t['typeChecked'] === true,
  };
}

function rootOf(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, settings: TierwiseSettings): string {
  if (settings.root) return path.resolve(context.cwd, settings.root);
  const near = nearestProjectRoot(path.dirname(context.filename));
  // Both configs root a workspace that has its own tsconfig.json at its monorepo root, as the audit does.
  if (near) return monorepoRootOf(near) ?? near;
  const parserOptions = context.languageOptions.parserOptions as { tsconfigRootDir?: unknown } | undefined;
  if (typeof parserOptions?.tsconfigRootDir === 'string') return parserOptions.tsconfigRootDir;
  return context.cwd;
}

/**
 * The monorepo root of which `dir` is a workspace with its own tsconfig.json, if any. `tierwise audit <monorepo>`
 * audits such a workspace from the monorepo root (src/audit/command.ts auditTree), so its paths and messages are
 * relative to that root; a workspace without a tsconfig is audited as its own root.
 */
function monorepoRootOf(dir: string): string | undefined {
  const cached = monorepoRoots.get(dir);
  if (cached !== undefined) return cached ?? undefined;
  let found: string | undefined;
  if (fs.existsSync(path.join(dir, 'tsconfig.json')) && fs.existsSync(path.join(dir, 'package.json'))) {
    for (let d = path.dirname(dir); ; d = path.dirname(d)) {
      const patterns = workspaceGlobs(d);
      if (patterns) {
        const rel = toPosix(path.relative(d, dir));
        const clean = (p: string) => p.replace(/^!/, '').replace(/^\.\//, '').replace(/\/+$/, '');
        const include = patterns.filter((p) => !p.startsWith('!')).map(clean);
        const exclude = patterns.filter((p) => p.startsWith('!')).map(clean);
        if (include.length && picomatch(include)(rel) && !(exclude.length && picomatch(exclude)(rel)) && !rel.split('/').includes('node_modules')) found = d;
        break;
      }
      if (path.dirname(d) === d) break;
    }
  }
  monorepoRoots.set(dir, found ?? null);
  return found;
}
const monorepoRoots = new Map<string, string | null>();

/** The workspace globs a monorepo root declares, or undefined when `dir` is none (or declares them malformed). */
function workspaceGlobs(dir: string): string[] | undefined {
  try {
    const { patterns, sources } = workspacePatterns(dir);
    return sources.length > 0 ? patterns : undefined;
  } catch {
    return undefined;
  }
}

function setupFor(root: string): ProjectSetup {
  let s = setups.get(root);
  if (!s) {
    const config = loadConfig(root).config;
    const prices = config?.prices ? loadPriceTable(path.resolve(root, config.prices)) : bundledPrices;
    const ignored = config?.ignore?.length ? picomatch(config.ignore, { dot: true }) : undefined;
    s = { config, prices, ignored };
    setups.set(root, s);
  }
  return s;
}

/** Forget cached configs and analyses (tests that rewrite a project between lints). */
export function clearCaches(): void {
  setups.clear();
  monorepoRoots.clear();
}

function singleFileFindings(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>, settings: TierwiseSettings): FileFinding[] {
  const sourceCode = context.sourceCode;
  if (!mayContainCalls(sourceCode.text)) return [];
  const root = rootOf(context, settings);
  const fileName = path.resolve(context.filename);
  const setup = setupFor(root);
  if (setup.ignored?.(toPosix(path.relative(root, fileName)))) return [];
  // typescript-estree keeps the TS AST even without a program; reuse it when it is there.
  const maps = (sourceCode.parserServices as { esTreeNodeToTSNodeMap?: { get(n: unknown): unknown } } | undefined)?.esTreeNodeToTSNodeMap;
  const candidate = maps?.get(sourceCode.ast) as TS.SourceFile | undefined;
  const reusable = candidate && typeof candidate === 'object' && tsModuleOf(candidate, context.cwd) === tsModule && tsModule.isSourceFile(candidate);
  const tsText = reusable ? candidate.text : undefined;
  const analysis = analyzeSingleFile({
    ts: tsModule,
    fileName,
    text: tsText ?? sourceCode.text,
    sourceFile: tsText !== undefined ? candidate : undefined,
    root,
    projectFiles: singleFileProjectFiles(tsModule, root),
    config: setup.config,
    prices: setup.prices,
  });
  stats.singleFileAnalyses++;
  const index = indexOf(analysis, tsModule, new Evaluator(tsModule, analysis.program.getTypeChecker()), root);
  return toFileFindings(index, fileName, sourceCode.text);
}

function typedFindings(
  context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>,
  program: TS.Program | null,
  settings: TierwiseSettings,
): FileFinding[] {
  if (!program) return [];
  const root = rootOf(context, settings);
  const fileName = path.resolve(context.filename);
  const own = program.getSourceFile(fileName) ?? program.getSourceFiles()[0];
  const ts = own ? tsModuleOf(own, context.cwd) : tsModule;
  if (!ts) throw new Error('cannot find the TypeScript module that built the program');
  let perRoot = programIndexes.get(program);
  if (!perRoot) {
    perRoot = new Map();
    programIndexes.set(program, perRoot);
  }
  let index = perRoot.get(root);
  if (!index) {
    const setup = setupFor(root);
    // The same analysable set as the audit: project files under the root that parse and are not ignored.
    const analysable = new Set(
      projectSourceFiles(program, root)
        .filter((sf) => !setup.ignored?.(toPosix(path.relative(root, sf.fileName))))
        .filter((sf) => program.getSyntacticDiagnostics(sf).length === 0)
        .map((sf) => sf.fileName),
    );
    const analysis = analyzeProgram({
      ts,
      program,
      root,
      projectFiles: createProjectFiles(ts, program, root),
      config: setup.config,
      prices: setup.prices,
      analysable,
    });
    stats.programAnalyses++;
    index = indexOf(analysis, ts, new Evaluator(ts, program.getTypeChecker()), root);
    perRoot.set(root, index);
  }
  return toFileFindings(index, fileName, context.sourceCode.text);
}

function indexOf(analysis: Analysis, ts: TsModule, ev: Evaluator, root: string): AnalysisIndex {
  const byFile = new Map<string, Finding[]>();
  for (const f of analysis.findings) {
    const abs = path.resolve(root, f.file);
    const list = byFile.get(abs) ?? [];
    list.push(f);
    byFile.set(abs, list);
  }
  const sites = new Map(analysis.callSites.map((s) => [s.id, s]));
  const clientUsers = new Map<string, CallSite[]>();
  for (const s of analysis.callSites) {
    if (!s.client.createdAt) continue;
    const key = `${s.client.createdAt.file}:${s.client.createdAt.line}`;
    clientUsers.set(key, [...(clientUsers.get(key) ?? []), s]);
  }
  return { analysis, ts, ev, byFile, sites, clientUsers };
}

function toFileFindings(index: AnalysisIndex, fileName: string, eslintText: string): FileFinding[] {
  const out: FileFinding[] = [];
  for (const finding of index.byFile.get(fileName) ?? []) {
    const site = index.sites.get(finding.callSiteId);
    const nodes = index.analysis.nodes.get(finding.callSiteId);
    let tierEdits: RangeEdit[] | null = null;
    let timeoutEdits: RangeEdit[] | null = null;
    let timeoutAt: FileFinding['timeoutAt'] = 'none';
    const wantsEdits =
      (finding.rule === 'no-standard-tier-in-background' && finding.recommendation?.tier === 'flex' && !finding.context?.mixed) ||
      finding.rule === 'flex-needs-timeout';
    if (site && nodes && wantsEdits) {
      const users = site.client.createdAt ? (index.clientUsers.get(`${site.client.createdAt.file}:${site.client.createdAt.line}`) ?? []) : [];
      const clientBackgroundOnly = !!site.client.createdAt && users.every((u) => u.classification === 'background');
      const parts = planFlexEditParts(index.ts, index.ev, site, nodes, { clientBackgroundOnly, sameFileOnly: true });
      // A BOM is part of TypeScript's text but not of ESLint's.
      const shift = nodes.sourceFile.text.length - eslintText.length;
      const toRanges = (edits: typeof parts.tier): RangeEdit[] | null => {
        if (edits.length === 0) return null;
        if (edits.some((e) => path.resolve(e.file) !== fileName)) return null;
        return edits.map((e) => ({ range: [e.start - shift, e.end - shift], text: e.text }));
      };
      if (finding.rule === 'no-standard-tier-in-background') tierEdits = toRanges(parts.tier);
      timeoutEdits = toRanges(parts.timeout);
      if (timeoutEdits) timeoutAt = parts.timeoutAt;
    }
    out.push({ finding, tierEdits, timeoutEdits, timeoutAt });
  }
  return out;
}

/**
 * Said with every timeout suggestion: the SDK timeout alone is not enough from openai v5 on (the same limit
 * `tierwise fix flex` handles with an undici dispatcher, src/core/edits.ts).
 */
export const FETCH_TIMEOUT_NOTE =
  "With openai v5 or later, Node's fetch (undici) also ends a request after 5 minutes without response data: `tierwise fix flex` adds an undici Agent dispatcher with 15-minute headersTimeout/bodyTimeout, or prints the change.";

/** Reports a finding at its call, with the given suggestions (never autofixes: they change runtime behaviour). */
export function reportFinding<M extends string>(
  context: Readonly<TSESLint.RuleContext<M, readonly unknown[]>>,
  f: FileFinding,
  messageId: M,
  suggestions: Array<{ messageId: M; edits: RangeEdit[] | null; data?: Record<string, string> }>,
): void {
  const { finding } = f;
  const loc: TSESTree.SourceLocation = {
    start: { line: finding.line, column: finding.column - 1 },
    end: { line: finding.endLine, column: finding.endColumn - 1 },
  };
  const suggest: Array<TSESLint.SuggestionReportDescriptor<M>> = [];
  for (const s of suggestions) {
    const edits = s.edits;
    if (!edits) continue;
    suggest.push({ messageId: s.messageId, ...(s.data ? { data: s.data } : {}), fix: (fixer) => edits.map((e) => fixer.replaceTextRange(e.range, e.text)) });
  }
  context.report({ loc, messageId, data: { message: finding.message }, suggest });
}
