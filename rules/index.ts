/**
 * tierwise/eslint-plugin: `{ meta, rules, configs }`.
 *
 * - `configs.recommended`: single-file analysis, no type information needed.
 * - `configs['recommended-type-checked']`: TypeScript files; traces across files with the type-checked program,
 *   exactly as `tierwise audit` does (needs typed linting: `parserOptions.projectService` or `project`). A file the
 *   parser gives no program falls back to the single-file analysis instead of failing the lint. Its findings depend on
 *   other files (the job that reaches a call), so `eslint --cache`, which re-lints only changed files, can keep stale
 *   results: lint without the cache where that matters (CI). `recommended` is per-file and cache-safe.
 *
 * Its published types name only ESLint's own types (no @typescript-eslint/utils), and at run time it loads nothing
 * but ESLint's API through the objects ESLint passes in, TypeScript and tierwise's own code.
 */
import type { TSESLint } from '@typescript-eslint/utils';
import type { ESLint, Linter, Rule } from 'eslint';
import type { TierwiseSettings } from './settings.js';
import { VERSION } from '../src/version.js';
import { rule as noStandardTierInBackground } from './no-standard-tier-in-background.js';
import { rule as flexNeedsTimeout } from './flex-needs-timeout.js';
import { rule as flexUnsupportedModel } from './flex-unsupported-model.js';

export type { TierwiseSettings } from './settings.js';

const ruleModules = {
  'no-standard-tier-in-background': noStandardTierInBackground,
  'flex-needs-timeout': flexNeedsTimeout,
  'flex-unsupported-model': flexUnsupportedModel,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type RuleName = keyof typeof ruleModules;
type Severity = 'error' | 'warn';
type RuleLevels = { [K in RuleName as `tierwise/${K}`]: Severity };

/** The files `recommended-type-checked` applies to: TypeScript, which typed linting covers. */
export const TYPE_CHECKED_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

const ruleLevels: RuleLevels = {
  'tierwise/no-standard-tier-in-background': 'warn',
  'tierwise/flex-needs-timeout': 'warn',
  'tierwise/flex-unsupported-model': 'error',
};

/**
 * The plugin, typed with ESLint's own types (whichever of ESLint 9 or 10 the consumer has), so that
 * `defineConfig([...])`, `plugins: { tierwise }` and `extends: ['tierwise/recommended']` type-check under `strict`;
 * both configs are declared keys (no `| undefined` under `noUncheckedIndexedAccess`).
 */
export interface TierwisePlugin extends ESLint.Plugin {
  meta: { name: string; version: string; namespace: 'tierwise' };
  rules: Record<RuleName, Rule.RuleModule>;
  configs: {
    recommended: Linter.Config;
    'recommended-type-checked': Linter.Config;
  };
}

const plugin: TierwisePlugin = {
  meta: { name: 'tierwise/eslint-plugin', version: VERSION, namespace: 'tierwise' },
  // typescript-eslint's RuleModule and ESLint's differ only in their TypeScript declarations.
  rules: ruleModules as unknown as TierwisePlugin['rules'],
  configs: {} as TierwisePlugin['configs'],
};

plugin.configs.recommended = {
  name: 'tierwise/recommended',
  plugins: { tierwise: plugin },
  rules: { ...ruleLevels },
};

plugin.configs['recommended-type-checked'] = {
  name: 'tierwise/recommended-type-checked',
  files: TYPE_CHECKED_FILES,
  plugins: { tierwise: plugin },
  rules: { ...ruleLevels },
  settings: { tierwise: { typeChecked: true } satisfies TierwiseSettings },
};

export const rules: TierwisePlugin['rules'] = plugin.rules;
export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
