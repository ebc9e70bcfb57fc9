import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const tsc = path.join(root, 'node_modules/.bin/tsc');

async function typecheck(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(tsc, ['-p', project, '--listFiles'], {
      cwd: root,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
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
