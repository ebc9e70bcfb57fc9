/**
 * The ESLint side of `npm run bench`: lints one directory four ways in this process and returns the ratios the issue
 * budgets (`recommended` < 1.10 × ESLint with the typescript-eslint parser and no rules; `recommended-type-checked`
 * < 1.25 × ESLint with typed linting on and no rules). Prints nothing; never asserts a time.
 *
 * Fairness: before every measured run, typescript-eslint's caches (programs, project service) and tierwise's own
 * caches are cleared, so no run reuses another's program or analysis; one unmeasured warm-up round loads the modules.
 * Each configuration's time is the median of `runs` rounds.
 */
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { clearCaches as clearParserCaches } from '@typescript-eslint/parser';
import plugin from '../rules/index.js';
import { clearCaches as clearRuleCaches, stats } from '../rules/engine.js';
import { clearSingleFileCaches } from '../src/core/single-file.js';

export interface EslintBenchOptions {
  /** Measured rounds per configuration (median). Default 3. */
  runs?: number;
  /** Globs to lint, relative to the directory. Default every .ts/.tsx file. */
  patterns?: string[];
}

export interface EslintBenchResult {
  files: number;
  /** Seconds (median) per configuration. */
  parserOnlySeconds: number;
  recommendedSeconds: number;
  typedNoRulesSeconds: number;
  typedRecommendedSeconds: number;
  /** recommended ÷ parser only (budget < 1.10). */
  recommendedRatio: number;
  /** recommended-type-checked ÷ typed linting with no rules (budget < 1.25). */
  typedRatio: number;
  /** Problems reported (proves the rules ran): recommended, recommended-type-checked. */
  recommendedProblems: number;
  typedProblems: number;
  /** How many times the type-checked rules analysed a program during one typed run (1 = cached per program). */
  typedProgramAnalyses: number;
}

type Mode = 'parserOnly' | 'recommended' | 'typedNoRules' | 'typedRecommended';

export async function benchEslint(dir: string, opts: EslintBenchOptions = {}): Promise<EslintBenchResult> {
  const root = path.resolve(dir);
  const runs = Math.max(1, opts.runs ?? 3);
  const patterns = opts.patterns ?? ['**/*.{ts,tsx}'];

  const configFor = (mode: Mode) => {
    const typed = mode === 'typedNoRules' || mode === 'typedRecommended';
    const base = {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parser: tseslint.parser, parserOptions: typed ? { projectService: true, tsconfigRootDir: root } : {} },
    };
    if (mode === 'recommended') return [base, { ...plugin.configs.recommended, settings: { tierwise: { root } } }];
    if (mode === 'typedRecommended') return [base, { ...plugin.configs['recommended-type-checked'], settings: { tierwise: { root, typeChecked: true } } }];
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

  const modes: Mode[] = ['parserOnly', 'recommended', 'typedNoRules', 'typedRecommended'];
  for (const m of modes) await lintOnce(m); // warm-up: module loading and JIT, not measured
  const times: Record<Mode, number[]> = { parserOnly: [], recommended: [], typedNoRules: [], typedRecommended: [] };
  const last = {} as Record<Mode, Awaited<ReturnType<typeof lintOnce>>>;
  for (let i = 0; i < runs; i++) {
    for (const m of modes) {
      const r = await lintOnce(m);
      times[m].push(r.seconds);
      last[m] = r;
    }
  }
  clearParserCaches();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const t = { parserOnly: med(times.parserOnly), recommended: med(times.recommended), typedNoRules: med(times.typedNoRules), typedRecommended: med(times.typedRecommended) };
  return {
    files: last.parserOnly.files,
    parserOnlySeconds: t.parserOnly,
    recommendedSeconds: t.recommended,
    typedNoRulesSeconds: t.typedNoRules,
    typedRecommendedSeconds: t.typedRecommended,
    recommendedRatio: t.recommended / t.parserOnly,
    typedRatio: t.typedRecommended / t.typedNoRules,
    recommendedProblems: last.recommended.problems,
    typedProblems: last.typedRecommended.problems,
    typedProgramAnalyses: last.typedRecommended.analyses,
  };
}
