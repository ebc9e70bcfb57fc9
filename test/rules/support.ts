import path from 'node:path';
import * as vitest from 'vitest';
import { RuleTester, type RunTests } from '@typescript-eslint/rule-tester';
import { REPO } from '../support/fixtures.js';

RuleTester.afterAll = vitest.afterAll;
RuleTester.describe = vitest.describe;
RuleTester.it = vitest.it;
RuleTester.itOnly = vitest.it.only;

export { RuleTester };

/** Root of the untyped rule tests: package.json, vercel.json and tierwise.config.json live there; code comes from the tests. */
export const UNTYPED = path.join(REPO, 'fixtures/eslint/untyped');
/** A small typed project for the type-checked cases. */
export const TYPED = path.join(REPO, 'fixtures/eslint/typed');

export const untypedTester = (): RuleTester => new RuleTester({ settings: { tierwise: { root: UNTYPED } } });

export const typedTester = (): RuleTester =>
  new RuleTester({
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: TYPED } },
    settings: { tierwise: { typeChecked: true } },
  });

export const untypedFile = (rel: string): string => path.join(UNTYPED, rel);
export const typedFile = (rel: string): string => path.join(TYPED, rel);

/**
 * `tester.run` for our rules. rule-tester carries its own copy of @typescript-eslint/utils' types, which differ in
 * the docs type parameter only; the runtime objects are the same.
 */
export function runRule<M extends string>(tester: RuleTester, name: string, rule: { meta: { messages: Record<M, string> } }, tests: RunTests<M, []>): void {
  tester.run(name, rule as never, tests);
}
