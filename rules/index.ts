/**
 * tierwise/eslint-plugin: `{ meta, rules, configs }`.
 *
 * - `configs.recommended`: single-file analysis, no type information needed.
 * - `configs['recommended-type-checked']`: traces across files with the type-checked program, exactly as
 *   `tierwise audit` does (needs typed linting: `parserOptions.projectService` or `project`).
 */
import type { TSESLint } from '@typescript-eslint/utils';
import type { ESLint, Linter, Rule } from 'eslint';
import type { TierwiseSettings } from './engine.js';
import { VERSION } from '../src/version.js';
import { rule as noStandardTierInBackground } from './no-standard-tier-in-background.js';
import { rule as flexNeedsTimeout } from './flex-needs-timeout.js';
import { rule as flexUnsupportedModel } from './flex-unsupported-model.js';

export type { TierwiseSettings } from './engine.js';

export const rules = {
  'no-standard-tier-in-background': noStandardTierInBackground,
  'flex-needs-timeout': flexNeedsTimeout,
  'flex-unsupported-model': flexUnsupportedModel,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

type Severity = 'error' | 'warn';
type RuleLevels = { [K in keyof typeof rules as `tierwise/${K}`]: Severity };

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
  rules: Record<keyof typeof rules, Rule.RuleModule>;
  configs: {
    recommended: Linter.Config;
    'recommended-type-checked': Linter.Config;
  };
}

const plugin: TierwisePlugin = {
  meta: { name: 'tierwise/eslint-plugin', version: VERSION, namespace: 'tierwise' },
  // typescript-eslint's RuleModule and ESLint's differ only in their TypeScript declarations.
  rules: rules as unknown as TierwisePlugin['rules'],
  configs: {} as TierwisePlugin['configs'],
};

plugin.configs.recommended = {
  name: 'tierwise/recommended',
  plugins: { tierwise: plugin },
  rules: { ...ruleLevels },
};

plugin.configs['recommended-type-checked'] = {
  name: 'tierwise/recommended-type-checked',
  plugins: { tierwise: plugin },
  rules: { ...ruleLevels },
  settings: { tierwise: { typeChecked: true } satisfies TierwiseSettings },
};

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
