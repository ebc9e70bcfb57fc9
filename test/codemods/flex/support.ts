import fs from 'node:fs';
import path from 'node:path';
import { REPO } from '../../support/fixtures.js';

export const PAIRS = path.join(REPO, 'fixtures/codemods/add-flex-tier');

/** A temp dir inside the repo (so fixtures resolve packages from the root node_modules); removed by the caller. */
export function repoTmp(name: string): string {
  const dir = path.join(REPO, 'fixtures', `.tmp-${process.pid}-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export const TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
  include: ['src'],
};

/**
 * TSCONFIG with `openai` mapped to openai v4 (the `openai-v4` npm alias). These projects are ES modules (the repo's
 * package.json says "type": "module"), so the mapping must name v4's ESM typings (index.d.mts): with its CJS
 * index.d.ts, `new OpenAI()` of the default import does not type-check. (test/support's typecheck(dir, 'v4') maps
 * index.d.mts too, through a tsconfig extending the project's own.)
 */
export const V4_TSCONFIG = {
  ...TSCONFIG,
  compilerOptions: {
    ...TSCONFIG.compilerOptions,
    paths: { openai: [path.join(REPO, 'node_modules/openai-v4/index.d.mts')], 'openai/*': [path.join(REPO, 'node_modules/openai-v4/*')] },
  },
};

export interface PairOptions {
  fallback?: boolean;
  undici?: boolean;
  sdkMajor?: number;
  /** A substring of a skip reason the run must report. */
  skipped?: string;
}

export interface Pair {
  name: string;
  input: string;
  output: string;
  options: PairOptions;
  /** Other files of the one-file project: `<behaviour>.<file>.ts` is written as `src/<file>.ts`; the fix must leave them as they are. */
  companions: Record<string, string>;
}

/**
 * Fixture pairs `<behaviour>.input.ts` / `.output.ts` (plus companion files `<behaviour>.<file>.ts`); options from a
 * first-line `// fixture-options: {json}`.
 */
export function pairs(): Pair[] {
  return fs
    .readdirSync(PAIRS)
    .filter((f) => f.endsWith('.input.ts'))
    .sort()
    .map((f) => {
      const name = f.slice(0, -'.input.ts'.length);
      const input = fs.readFileSync(path.join(PAIRS, f), 'utf8');
      const outFile = path.join(PAIRS, `${name}.output.ts`);
      const m = /^\/\/ fixture-options: (\{.*\})$/m.exec(input);
      return {
        name,
        input,
        output: fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '',
        options: m ? (JSON.parse(m[1]!) as PairOptions) : {},
        companions: Object.fromEntries(
          fs
            .readdirSync(PAIRS)
            .filter((c) => c.startsWith(`${name}.`) && c.endsWith('.ts') && c !== f && c !== `${name}.output.ts`)
            .map((c) => [c.slice(name.length + 1), fs.readFileSync(path.join(PAIRS, c), 'utf8')]),
        ),
      };
    });
}
