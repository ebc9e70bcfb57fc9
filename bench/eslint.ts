/**
 * The ESLint side of `npm run bench`: lints one directory six ways and returns the ratios the issue budgets
 * (`recommended` < 1.10 × ESLint with the typescript-eslint parser and no rules; `recommended-type-checked` < 1.25 ×
 * ESLint with typed linting on and no rules). Prints nothing; never asserts a time.
 *
 * Fairness: every measured lint runs in a fresh Node process (as `npx eslint .` would), so no run inherits another's
 * heap, program or caches — in one process, a typed run after a typed run pays for collecting the previous program's
 * garbage, which skewed an earlier in-process version of this bench by up to 30 %. Rounds are interleaved (each round
 * runs every configuration once) after one unmeasured warm-up round (disk cache). A ratio is the median over the
 * rounds of the two lints' ratio within the round (paired, so drift of the machine between rounds cancels), with
 * its smallest and largest round beside it: single runs here move by ±10–15 %, as much as the budgets. `runs`
 * rounds (default 7). Only the `lintFiles` call is timed, not module loading. When this module runs
 * from TypeScript source (the unit test), there is no compiled child to spawn and the lints run in this process.
 */
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { clearCaches as clearParserCaches } from '@typescript-eslint/parser';
import plugin from '../rules/index.js';
import { clearCaches as clearRuleCaches, stats } from '../rules/engine.js';
import { clearSingleFileCaches } from '../src/core/single-file.js';

export interface EslintBenchOptions {
  /** Measured rounds (every configuration once per round; medians count). Default 7. */
  runs?: number;
  /** Globs to lint, relative to the directory. Default every .ts/.tsx file. */
  patterns?: string[];
  /** Run each lint in a fresh process (default: yes, when this module is compiled JavaScript). */
  isolate?: boolean;
}

export interface EslintBenchResult {
  files: number;
  /** Seconds (median run) per configuration. */
  parserOnlySeconds: number;
  /** One rule that listens to nothing and reports nothing: what ESLint charges for having any rule on at all. */
  emptyRuleSeconds: number;
  recommendedSeconds: number;
  typedNoRulesSeconds: number;
  typedEmptyRuleSeconds: number;
  typedRecommendedSeconds: number;
  /** recommended ÷ parser only (budget < 1.10): median of the rounds' ratios, and the smallest and largest round. */
  recommendedRatio: number;
  recommendedRatioMin: number;
  recommendedRatioMax: number;
  /** recommended-type-checked ÷ typed linting with no rules (budget < 1.25), likewise. */
  typedRatio: number;
  typedRatioMin: number;
  typedRatioMax: number;
  /** The empty rule alone ÷ no rules (untyped, typed): ESLint's floor for any rule, which no plugin can go under. */
  emptyRuleRatio: number;
  emptyRuleRatioMin: number;
  emptyRuleRatioMax: number;
  typedEmptyRuleRatio: number;
  typedEmptyRuleRatioMin: number;
  typedEmptyRuleRatioMax: number;
  /** recommended ÷ the empty rule alone; recommended-type-checked ÷ typed with the empty rule alone: tierwise's own cost. */
  recommendedOverEmptyRule: number;
  typedOverEmptyRule: number;
  /** Time inside tierwise's rules (ESLint's own per-rule `stats`, in one more lint with stats on) ÷ the median no-rules lint: what the plugin's
   * code adds, apart from the cost ESLint charges any rule (see the empty-rule ratios). */
  recommendedRuleShare: number;
  typedRuleShare: number;
  /** Problems reported (proves the rules ran): recommended, recommended-type-checked. */
  recommendedProblems: number;
  typedProblems: number;
  /** How many times the type-checked rules analysed a program during one typed run (1 = cached per program). */
  typedProgramAnalyses: number;
}

type Mode = 'parserOnly' | 'emptyRule' | 'recommended' | 'typedNoRules' | 'typedEmptyRule' | 'typedRecommended';

/**
 * A rule that listens to nothing and reports nothing: what ESLint charges for having any rule on. On many small files
 * that is far from nothing: ESLint 9/10 makes each rule's context with `Object.create(fileContext)`
 * (lib/linter/file-context.js), and the per-file context it turns into a prototype holds the file's SourceCode (AST,
 * tokens, scopes), which then survives V8's young-generation collections (see the README, Performance).
 */
const emptyRule = {
  plugins: { 'bench-floor': { rules: { nothing: { meta: { type: 'problem' as const, schema: [] }, create: () => ({}) } } } },
  rules: { 'bench-floor/nothing': 'error' as const },
};

const MODES: Mode[] = ['parserOnly', 'emptyRule', 'recommended', 'typedNoRules', 'typedEmptyRule', 'typedRecommended'];

interface LintRun {
  seconds: number;
  problems: number;
  files: number;
  analyses: number;
  /** Seconds spent inside tierwise's rules, as ESLint's own `stats` times them (0 for the other configurations). */
  ruleSeconds: number;
}

function configFor(mode: Mode, root: string) {
  const typed = mode.startsWith('typed');
  const base = {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: typed ? { projectService: true, tsconfigRootDir: root } : {} },
  };
  if (mode === 'recommended') return [base, { ...plugin.configs.recommended, settings: { tierwise: { root } } }];
  if (mode === 'typedRecommended') return [base, { ...plugin.configs['recommended-type-checked'], settings: { tierwise: { root, typeChecked: true } } }];
  if (mode === 'emptyRule' || mode === 'typedEmptyRule') return [base, emptyRule];
  return [base];
}

/** One lint of `root` in this process, caches cleared first; only `lintFiles` is timed. */
export async function lintOnce(root: string, mode: Mode, patterns: string[], withStats = false): Promise<LintRun> {
  clearParserCaches();
  clearRuleCaches();
  clearSingleFileCaches();
  const eslint = new ESLint({ cwd: root, overrideConfigFile: true, overrideConfig: configFor(mode, root) as never, ignorePatterns: ['**/node_modules/**'], stats: withStats });
  const before = stats.programAnalyses;
  const start = process.hrtime.bigint();
  const results = await eslint.lintFiles(patterns);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const fatal = results.flatMap((r) => r.messages.filter((m) => m.fatal).map((m) => `${r.filePath}: ${m.message}`));
  if (fatal.length) throw new Error(`ESLint could not lint ${fatal.length} file(s): ${fatal.slice(0, 3).join('; ')}`);
  const problems = results.reduce((n, r) => n + r.messages.length, 0);
  let ruleMs = 0;
  for (const r of results)
    for (const pass of r.stats?.times.passes ?? [])
      for (const [id, t] of Object.entries(pass.rules ?? {})) if (id.startsWith('tierwise/')) ruleMs += t.total;
  return { seconds, problems, files: results.length, analyses: stats.programAnalyses - before, ruleSeconds: ruleMs / 1000 };
}

const SELF = fileURLToPath(import.meta.url);
const CHILD_FLAG = '--tierwise-eslint-bench-child';

/** The same lint in a fresh Node process running this (compiled) module. */
function lintInChild(root: string, mode: Mode, patterns: string[], withStats = false): LintRun {
  const args = [SELF, CHILD_FLAG, mode, root, JSON.stringify(patterns), ...(withStats ? ['stats'] : [])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`ESLint bench child (${mode}) exited ${r.status}: ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as LintRun;
}

export async function benchEslint(dir: string, opts: EslintBenchOptions = {}): Promise<EslintBenchResult> {
  const root = path.resolve(dir);
  const runs = Math.max(1, opts.runs ?? 7);
  const patterns = opts.patterns ?? ['**/*.{ts,tsx}'];
  const isolate = (opts.isolate ?? true) && SELF.endsWith('.js');
  const lint = (mode: Mode, withStats = false) =>
    isolate ? Promise.resolve(lintInChild(root, mode, patterns, withStats)) : lintOnce(root, mode, patterns, withStats);

  for (const m of MODES) await lint(m); // warm-up: disk cache (and, in process, module loading and JIT); not measured
  const times = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  const last = {} as Record<Mode, LintRun>;
  for (let i = 0; i < runs; i++) {
    for (const m of MODES) {
      const r = await lint(m);
      times[m].push(r.seconds);
      last[m] = r;
    }
  }
  // The time inside tierwise's rules, from ESLint's own `stats`: in separate, untimed lints, because collecting stats
  // slows a lint down (every listener and parse is timed) and the timed lints must all be plain ESLint.
  const ruleSeconds = {
    recommended: (await lint('recommended', true)).ruleSeconds,
    typedRecommended: (await lint('typedRecommended', true)).ruleSeconds,
  };
  clearParserCaches();
  // What the unit suite used to check on a small project, checked here on every bench: the lints really ran the rules
  // (the type-checked config reports at least what the single-file one does) and one analysis served the program.
  if (last.typedRecommended.analyses !== 1) throw new Error(`bench: recommended-type-checked analysed the program ${last.typedRecommended.analyses} times, not once`);
  if (last.typedRecommended.problems < last.recommended.problems) {
    throw new Error(`bench: recommended-type-checked reported ${last.typedRecommended.problems} problems, fewer than recommended's ${last.recommended.problems}`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const t = Object.fromEntries(MODES.map((m) => [m, median(times[m])])) as Record<Mode, number>;
  /** Round by round: a's time ÷ b's time in the same round. */
  const paired = (a: number[], b: number[]) => a.map((x, i) => x / b[i]!);
  /** The median of the rounds' ratios, with the smallest and largest. */
  const ratio = (a: Mode, b: Mode) => {
    const rs = paired(times[a], times[b]);
    return { median: median(rs), min: Math.min(...rs), max: Math.max(...rs) };
  };
  const recommended = ratio('recommended', 'parserOnly');
  const typed = ratio('typedRecommended', 'typedNoRules');
  const empty = ratio('emptyRule', 'parserOnly');
  const typedEmpty = ratio('typedEmptyRule', 'typedNoRules');
  return {
    files: last.parserOnly.files,
    parserOnlySeconds: t.parserOnly,
    emptyRuleSeconds: t.emptyRule,
    recommendedSeconds: t.recommended,
    typedNoRulesSeconds: t.typedNoRules,
    typedEmptyRuleSeconds: t.typedEmptyRule,
    typedRecommendedSeconds: t.typedRecommended,
    recommendedRatio: recommended.median,
    recommendedRatioMin: recommended.min,
    recommendedRatioMax: recommended.max,
    typedRatio: typed.median,
    typedRatioMin: typed.min,
    typedRatioMax: typed.max,
    emptyRuleRatio: empty.median,
    emptyRuleRatioMin: empty.min,
    emptyRuleRatioMax: empty.max,
    typedEmptyRuleRatio: typedEmpty.median,
    typedEmptyRuleRatioMin: typedEmpty.min,
    typedEmptyRuleRatioMax: typedEmpty.max,
    recommendedOverEmptyRule: ratio('recommended', 'emptyRule').median,
    typedOverEmptyRule: ratio('typedRecommended', 'typedEmptyRule').median,
    recommendedRuleShare: ruleSeconds.recommended / t.parserOnly,
    typedRuleShare: ruleSeconds.typedRecommended / t.typedNoRules,
    recommendedProblems: last.recommended.problems,
    typedProblems: last.typedRecommended.problems,
    typedProgramAnalyses: last.typedRecommended.analyses,
  };
}

if (process.argv[2] === CHILD_FLAG && process.argv[1] && path.resolve(process.argv[1]) === SELF) {
  const [mode, root, patterns, withStats] = process.argv.slice(3) as [Mode, string, string, string | undefined];
  const r = await lintOnce(root, mode, JSON.parse(patterns) as string[], withStats === 'stats');
  process.stdout.write(`${JSON.stringify(r)}\n`);
}
