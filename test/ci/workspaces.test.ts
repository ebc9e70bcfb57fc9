import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkspaceError, detectWorkspaces } from '../../src/audit/workspaces.js';

const dirs: string[] = [];

function monorepo(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'tierwise-ws-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
  }
  return root;
}

const pkg = (name?: string) => JSON.stringify(name ? { name, version: '1.0.0' } : { version: '1.0.0' });

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('detectWorkspaces', () => {
  it('reads npm workspaces (array), expands globs, needs a package.json, finds tsconfigs', async () => {
    const root = monorepo({
      'package.json': JSON.stringify({ name: 'root', private: true, workspaces: ['packages/*', 'apps/web'] }),
      'packages/api/package.json': pkg('@acme/api'),
      'packages/api/tsconfig.json': '{}',
      'packages/jobs/package.json': pkg(),
      'packages/not-a-package/README.md': '# no package.json',
      'packages/api/node_modules/dep/package.json': pkg('dep'),
      'apps/web/package.json': pkg('web'),
      'apps/other/package.json': pkg('other'),
    });
    expect(await detectWorkspaces(root)).toEqual([
      { name: 'web', dir: 'apps/web', tsconfig: null },
      { name: '@acme/api', dir: 'packages/api', tsconfig: 'packages/api/tsconfig.json' },
      { name: 'packages/jobs', dir: 'packages/jobs', tsconfig: null },
    ]);
  });

  it('reads yarn { packages } workspaces', async () => {
    const root = monorepo({
      'package.json': JSON.stringify({ private: true, workspaces: { packages: ['libs/**'], nohoist: ['**/x'] } }),
      'libs/a/package.json': pkg('a'),
      'libs/group/b/package.json': pkg('b'),
    });
    expect((await detectWorkspaces(root)).map((w) => w.dir)).toEqual(['libs/a', 'libs/group/b']);
  });

  it('reads pnpm-workspace.yaml with exclusions', async () => {
    const root = monorepo({
      'package.json': pkg('root'),
      'pnpm-workspace.yaml': "packages:\n  - 'packages/*'\n  - 'tools/cli'\n  - '!packages/legacy'\ncatalog:\n  openai: ^5\n",
      'packages/a/package.json': pkg('a'),
      'packages/legacy/package.json': pkg('legacy'),
      'tools/cli/package.json': pkg('cli'),
      'tools/cli/tsconfig.json': '{}',
    });
    expect(await detectWorkspaces(root)).toEqual([
      { name: 'a', dir: 'packages/a', tsconfig: null },
      { name: 'cli', dir: 'tools/cli', tsconfig: 'tools/cli/tsconfig.json' },
    ]);
  });

  it('returns [] for a single-package repo', async () => {
    const root = monorepo({ 'package.json': pkg('solo'), 'src/index.ts': '' });
    expect(await detectWorkspaces(root)).toEqual([]);
  });

  it('--workspace narrows by directory (relative or absolute) or package name', async () => {
    const root = monorepo({
      'package.json': JSON.stringify({ workspaces: ['packages/*'] }),
      'packages/api/package.json': pkg('@acme/api'),
      'packages/jobs/package.json': pkg('@acme/jobs'),
    });
    expect((await detectWorkspaces(root, { workspace: 'packages/jobs/' })).map((w) => w.name)).toEqual(['@acme/jobs']);
    expect((await detectWorkspaces(root, { workspace: ['@acme/api', join(root, 'packages/jobs')] })).map((w) => w.dir)).toEqual([
      'packages/api',
      'packages/jobs',
    ]);
    await expect(detectWorkspaces(root, { workspace: 'packages/nope' })).rejects.toThrow(
      '--workspace packages/nope: no such workspace. Workspaces: packages/api (@acme/api), packages/jobs (@acme/jobs)',
    );
  });

  it('explains malformed configuration', async () => {
    const badYaml = monorepo({ 'pnpm-workspace.yaml': 'packages: [unclosed\n' });
    await expect(detectWorkspaces(badYaml)).rejects.toThrow(/pnpm-workspace\.yaml: not valid YAML/);
    const badShape = monorepo({ 'package.json': JSON.stringify({ workspaces: 'packages/*' }) });
    await expect(detectWorkspaces(badShape)).rejects.toBeInstanceOf(WorkspaceError);
    await expect(detectWorkspaces(badShape)).rejects.toThrow('"workspaces" must be an array of globs or { "packages": [...] }');
  });
});
