/**
 * The ESLint side of `npm run bench`: lints one directory four ways in this process and returns the ratios the issue
 * budgets (`recommended` < 1.10 × ESLint with the typescript-eslint parser and no rules; `recommended-type-checked`
 * < 1.25 × ESLint with typed linting on and no rules). Prints nothing; never asserts a time.
 *
 * Fairness: before every measured run, typescript-eslint's caches (programs, project service) and tierwise's own
 * caches are cleared, so no run reuses another's program or analysis; one unmeasured warm-up round loads the modules.
 * Each configuration's time is the fastest of `runs` interleaved rounds (default 5).
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { clearCaches as clearParserCaches } from '@typescript-eslint/parser';
import plugin from '../rules/index.js';
import { clearCaches as clearRuleCaches, stats } from '../rules/engine.js';
import { clearSingleFileCaches } from '../src/core/single-file.js';

export interface EslintBenchOptions {
  /** Measured rounds per configuration (the fastest counts). Default 5. */
  runs?: number;
  /** Globs to lint, relative to the directory. Default every .ts/.tsx file. */
  patterns?: string[];
}

export interface EslintBenchResult {
  files: number;
  /** Seconds (fastest run) per configuration. */
  parserOnlySeconds: number;
  /** One rule that does nothing (`create: () => ({})`): what ESLint's per-rule machinery costs by itself. */
  emptyRuleSeconds: number;
  recommendedSeconds: number;
  typedNoRulesSeconds: number;
  typedEmptyRuleSeconds: number;
  typedRecommendedSeconds: number;
  /** recommended ÷ parser only (budget < 1.10). */
  recommendedRatio: number;
  /** recommended-type-checked ÷ typed linting with no rules (budget < 1.25). */
  typedRatio: number;
  /** Any rule at all ÷ no rules (untyped, typed): the floor no plugin can go under. */
  emptyRuleRatio: number;
  typedEmptyRuleRatio: number;
  /** recommended ÷ one empty rule; recommended-type-checked ÷ typed with one empty rule: tierwise's own cost. */
  recommendedOverEmptyRule: number;
  typedOverEmptyRule: number;
  /** Problems reported (proves the rules ran): recommended, recommended-type-checked. */
  recommendedProblems: number;
  typedProblems: number;
  /** How many times the type-checked rules analysed a program during one typed run (1 = cached per program). */
  typedProgramAnalyses: number;
}

type Mode = 'parserOnly' | 'emptyRule' | 'recommended' | 'typedNoRules' | 'typedEmptyRule' | 'typedRecommended';

const emptyRule = { plugins: { bench: { rules: { empty: { meta: { type: 'problem' as const, schema: [] }, create: () => ({}) } } } }, rules: { 'bench/empty': 'error' as const } };

export async function benchEslint(dir: string, opts: EslintBenchOptions = {}): Promise<EslintBenchResult> {
  const root = path.resolve(dir);
  const runs = Math.max(1, opts.runs ?? 5);
  const patterns = opts.patterns ?? ['**/*.{ts,tsx}'];

  const configFor = (mode: Mode) => {
    const typed = mode.startsWith('typed');
    const base = {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parser: tseslint.parser, parserOptions: typed ? { projectService: true, tsconfigRootDir: root } : {} },
    };
    if (mode === 'recommended') return [base, { ...plugin.configs.recommended, settings: { tierwise: { root } } }];
    if (mode === 'typedRecommended') return [base, { ...plugin.configs['recommended-type-checked'], settings: { tierwise: { root, typeChecked: true } } }];
    if (mode === 'emptyRule' || mode === 'typedEmptyRule') return [base, emptyRule];
    return [base];
  };

  const lintOnce = async (mode: Mode) => {
    clearParserCaches();
    clearRuleCaches();
    clearSingleFileCaches();
    const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: configFor(mode) as never, ignorePatterns: ['**/node_modules/**'] });
    const before = stats.programAnalyses;
    const start = process.hrtime.bigint();
    const results = await eslint.lintFiles(patterns);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`));
    if (fatal.length) throw new Error(`ESLint could not lint ${fatal.length} file(s): ${fatal.slice(0, 3).join('; ')}`);
    const problems = results.reduce((n, r) => n + r.messages.length, 0);
    return { seconds, problems, files: results.length, analyses: stats.programAnalyses - before };
  };

  const modes: Mode[] = ['parserOnly', 'emptyRule', 'recommended', 'typedNoRules', 'typedEmptyRule', 'typedRecommended'];
  for (const m of modes) await lintOnce(m); // warm-up: module loading and JIT, not measured
  const times: Record<Mode, number[]> = { parserOnly: [], emptyRule: [], recommended: [], typedNoRules: [], typedEmptyRule: [], typedRecommended: [] };
  const last = {} as Record<Mode, Awaited<ReturnType<typeof lintOnce>>>;
  for (let i = 0; i < runs; i++) {
    for (const m of modes) {
      const r = await lintOnce(m);
      times[m].push(r.seconds);
      last[m] = r;
    }
  }
  clearParserCaches();
  // The fastest of the interleaved runs: in one process, garbage collection and JIT noise only ever add time, so the
  // minimum is the least noisy estimate of each configuration's own cost.
  const best = (xs: number[]) => Math.min(...xs);
  const t = Object.fromEntries(modes.map((m) => [m, best(times[m])])) as Record<Mode, number>;
  return {
    files: last.parserOnly.files,
    parserOnlySeconds: t.parserOnly,
    emptyRuleSeconds: t.emptyRule,
    recommendedSeconds: t.recommended,
    typedNoRulesSeconds: t.typedNoRules,
    typedEmptyRuleSeconds: t.typedEmptyRule,
    typedRecommendedSeconds: t.typedRecommended,
    recommendedRatio: t.recommended / t.parserOnly,
    typedRatio: t.typedRecommended / t.typedNoRules,
    emptyRuleRatio: t.emptyRule / t.parserOnly,
    typedEmptyRuleRatio: t.typedEmptyRule / t.typedNoRules,
    recommendedOverEmptyRule: t.recommended / t.emptyRule,
    typedOverEmptyRule: t.typedRecommended / t.typedEmptyRule,
    recommendedProblems: last.recommended.problems,
    typedProblems: last.typedRecommended.problems,
    typedProgramAnalyses: last.typedRecommended.analyses,
  };
}
