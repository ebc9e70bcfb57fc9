import type { TSESLint } from '@typescript-eslint/utils';

/** Where rule docs live; `meta.docs.url` of every rule (editors link to it). */
export const DOCS_BASE = 'https://github.com/tierwise/tierwise/blob/main/docs/rules';

export interface TierwiseDocs {
  description: string;
}

/**
 * What typescript-eslint's `ESLintUtils.RuleCreator` does for these rules (sets `meta.docs.url`, keeps
 * `defaultOptions`), without loading @typescript-eslint/utils at run time: the plugin then needs nothing beyond
 * ESLint and TypeScript, which a typescript-eslint user has, and a CLI-only install pulls in no ESLint at all.
 * @typescript-eslint/utils is a devDependency for its types only.
 */
export function createRule<Options extends readonly unknown[], MessageIds extends string>(rule: {
  name: string;
  meta: Omit<TSESLint.RuleMetaData<MessageIds, TierwiseDocs, Options>, 'docs'> & { docs: TierwiseDocs };
  defaultOptions: Readonly<Options>;
  create: (context: Readonly<TSESLint.RuleContext<MessageIds, Options>>) => TSESLint.RuleListener;
}): TSESLint.RuleModule<MessageIds, Options, TierwiseDocs> & { name: string } {
  const { name, meta, defaultOptions, create } = rule;
  return { name, meta: { ...meta, docs: { ...meta.docs, url: `${DOCS_BASE}/${name}.md` } }, defaultOptions, create };
}
