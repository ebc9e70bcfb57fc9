import type * as TS from 'typescript';

/**
 * The core is written against a TypeScript module passed in at run time, never against a SyntaxKind imported at
 * module load: the audit builds its program with the `typescript` tierwise resolves (5.9 or 6.0, whichever the
 * install deduplicates to), while typescript-eslint hands the rules programs built by whatever TypeScript the
 * project's parser uses, and enum numbers differ between versions. Whoever owns the program passes its `ts`.
 */
export type TsModule = typeof TS;
export type { TS };
