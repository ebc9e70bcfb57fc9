import { ESLintUtils } from '@typescript-eslint/utils';

/** Where rule docs live; `meta.docs.url` of every rule (editors link to it). */
export const DOCS_BASE = 'https://github.com/tierwise/tierwise/blob/main/docs/rules';

export interface TierwiseDocs {
  description: string;
}

export const createRule = ESLintUtils.RuleCreator<TierwiseDocs>((name) => `${DOCS_BASE}/${name}.md`);
