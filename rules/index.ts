/**
 * tierwise/eslint-plugin: `{ meta, rules, configs }`.
 *
 * - `configs.recommended`: single-file analysis, no type information needed.
 * - `configs['recommended-type-checked']`: traces across files with the type-checked program, exactly as
 *   `tierwise audit` does (needs typed linting: `parserOptions.projectService` or `project`).
 */
import type { TSESLint } from '@typescript-eslint/utils';
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

/** A flat config object (no `files`: it applies wherever the user's config puts it). */
export interface TierwiseFlatConfig {
  name: string;
  plugins: { tierwise: TierwisePlugin };
  rules: RuleLevels;
  settings?: { tierwise: { typeChecked: boolean } };
}

export interface TierwisePlugin {
  meta: { name: string; version: string; namespace: 'tierwise' };
  rules: typeof rules;
  configs: {
    recommended: TierwiseFlatConfig;
    'recommended-type-checked': TierwiseFlatConfig;
  };
}

const plugin: TierwisePlugin = {
  meta: { name: 'tierwise/eslint-plugin', version: VERSION, namespace: 'tierwise' },
  rules,
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
  settings: { tierwise: { typeChecked: true } },
};

export const configs = plugin.configs;
export const meta = plugin.meta;
export default plugin;
