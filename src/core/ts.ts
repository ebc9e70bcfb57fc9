import type * as TS from 'typescript';

/**
 * The core is written against a TypeScript module passed in at run time, never against a SyntaxKind imported at
 * module load: ts-morph 28 bundles TypeScript 6.0 while typescript-eslint hands us programs built by the project's
 * TypeScript 5.9, and SyntaxKind numbers differ between versions. Whoever owns the program passes its `ts`.
 */
export type TsModule = typeof TS;
export type { TS };
