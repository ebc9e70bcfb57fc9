import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { CACHE_INPUTS } from '../../src/audit/command.js';

const ci = fs.readFileSync(path.join(REPO, 'docs/ci.md'), 'utf8');

/** The `"inputs": [...]` array of the first jsonc block that names `file`. */
function inputsOf(file: string): string[] {
  const block = [...ci.matchAll(/```jsonc\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.startsWith(`// ${file}`));
  expect(block, `docs/ci.md has a ${file} block`).toBeDefined();
  const list = /"inputs": \[([\s\S]*?)\]/.exec(block!)?.[1] ?? '';
  return [...list.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
}

describe('docs/ci.md: the Nx/Turborepo inputs are the files the audit reads', () => {
  it('names no config file tierwise never reads', () => {
    expect(ci).not.toMatch(/tierwiserc/);
  });

  it('turbo.json declares every cache input of the audit (relative to the package)', () => {
    const inputs = inputsOf('turbo.json');
    for (const glob of CACHE_INPUTS) expect(inputs, glob).toContain(glob);
  });

  it("Nx's project.json declares every cache input under {projectRoot}", () => {
    const inputs = inputsOf('project.json');
    for (const glob of CACHE_INPUTS) expect(inputs, glob).toContain(`{projectRoot}/${glob}`);
  });
});
