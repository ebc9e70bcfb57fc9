/**
 * The fixture pairs (inputs and rewritten outputs) type-check with tsc against the real `openai` package, v7 and v4,
 * next to the runtime helper exactly as the codemod writes it (its text from codemods/runtime/openai-batch.ts).
 * Proves that the rewritten loop's result keeps the original type (`completion.choices…`, `response.output_text`,
 * `res.data[0].embedding` still compile) and that the generated request bodies fit the endpoint's params type.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { helperSource } from '../../../codemods/loop-to-batch.js';
import { typecheck } from '../../support/fixtures.js';
import { FIXTURES } from './fixtures.js';

const dir = path.join(path.dirname(FIXTURES), `.typecheck-loop-to-batch-${process.pid}`);

/** `chat.completions.parse` is v5+ (v4 has it under `beta`): that refusal fixture is left out of the v4 check. */
const V7_ONLY = ['refuse-parse.input.ts', 'refuse-parse.output.ts'];

function setup(sdk: 'v7' | 'v4'): string {
  const d = `${dir}-${sdk}`;
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.ts') && !(sdk === 'v4' && V7_ONLY.includes(f)));
  for (const f of files) fs.copyFileSync(path.join(FIXTURES, f), path.join(d, f));
  fs.writeFileSync(path.join(d, 'openai-batch.ts'), helperSource());
  fs.writeFileSync(
    path.join(d, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'Bundler',
        lib: ['ES2023', 'DOM'],
        types: ['node'],
        typeRoots: [path.resolve(FIXTURES, '../../../node_modules/@types')],
        strict: true,
        noUncheckedIndexedAccess: true,
        skipLibCheck: true,
        noEmit: true,
      },
      include: ['*.ts'],
    }),
  );
  return d;
}

afterAll(() => {
  for (const sdk of ['v7', 'v4']) fs.rmSync(`${dir}-${sdk}`, { recursive: true, force: true });
});

describe('loop-to-batch fixtures type-check against the real openai package', () => {
  it.each(['v7', 'v4'] as const)('openai %s', async (sdk) => {
    const d = setup(sdk);
    const outputs = fs.readdirSync(d).filter((f) => f.endsWith('.output.ts'));
    expect(outputs.length).toBeGreaterThan(10);
    await expect(typecheck(d, sdk)).resolves.toBeUndefined();
  }, 120_000);

  it('catches a rewritten loop whose result type changed', async () => {
    const d = setup('v7');
    // Using an embeddings result as a chat completion must fail: the check is not vacuous.
    const file = path.join(d, 'for-of-embeddings.output.ts');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('res.data[0]!.embedding', 'res.choices[0]!.message'));
    await expect(typecheck(d, 'v7')).rejects.toThrow(/for-of-embeddings\.output\.ts.*error TS2339/);
  }, 120_000);
});
