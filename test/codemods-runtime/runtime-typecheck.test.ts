import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../support/typecheck.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

/** `tsc -p project --listFiles`, in process (test/support/typecheck.ts). */
async function typecheck(project: string): Promise<{ code: number; output: string }> {
  const { errors, files } = checkProject(project);
  return { code: errors ? 2 : 0, output: `${files.join('\n')}\n${errors}` };
}

describe('runtime helpers type-check against both openai majors', () => {
  it.each([
    ['v7', 'tsconfig.v7.json', 'node_modules/openai/', 'node_modules/openai-v4/'],
    ['v4', 'tsconfig.v4.json', 'node_modules/openai-v4/', 'node_modules/openai/'],
  ])('openai %s', async (_major, config, uses, avoids) => {
    const { code, output } = await typecheck(path.join(here, config));
    const errors = output.split('\n').filter((l) => l.includes('error TS'));
    expect(errors).toEqual([]);
    expect(code).toBe(0);
    // the SDK the helpers were checked against is the one we meant
    expect(output).toContain(uses);
    expect(output).not.toContain(avoids);
    expect(output).toContain('codemods/runtime/openai-batch.ts');
    expect(output).toContain('codemods/runtime/flex-fallback.ts');
  });

  it('the v4 check does catch code that only fits v7', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tierwise-v4-'));
    try {
      await writeFile(
        path.join(dir, 'bad.ts'),
        "import OpenAI from 'openai';\nexport const p: OpenAI.Chat.ChatCompletionCreateParams['service_tier'] = 'priority';\n",
      );
      await writeFile(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          extends: path.join(here, 'tsconfig.v4.json'),
          compilerOptions: {
            typeRoots: [path.join(root, 'node_modules/@types')],
          },
          files: ['bad.ts'],
        }),
      );
      const { code, output } = await typecheck(path.join(dir, 'tsconfig.json'));
      expect(code).not.toBe(0);
      expect(output).toMatch(/bad\.ts.*error TS2322/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
