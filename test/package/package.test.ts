/**
 * The package as users get it: packed (what `npm publish` would upload) and installed into an empty project with
 * npm, then imported and run from there. Checks what ships, what a CLI-only install pulls in, the programmatic API,
 * the bin and the ESLint plugin entry, and that the README's links resolve on the package page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installInto, pack, type Installed, type Packed } from '../../bench/package.js';
import { ensureBuilt } from '../support/build.js';
import { REPO } from '../support/fixtures.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-package-'));
let packed: Packed;
let installed: Installed;
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

beforeAll(() => {
  ensureBuilt();
  // The build is current (ensureBuilt): pack without running prepack's build again under other workers' feet.
  packed = pack(path.join(tmp, 'pack'), { ignoreScripts: true });
  fs.mkdirSync(path.join(tmp, 'app'));
  installed = installInto(packed.tarball, path.join(tmp, 'app'));
}, 600_000);

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as Record<string, unknown> & { scripts: Record<string, string> };

function node(code: string): string {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { cwd: installed.dir, encoding: 'utf8' });
}

describe('the manifest', () => {
  it('builds on prepack, not prepare; says where the project lives', () => {
    expect(pkg.scripts['prepare']).toBeUndefined();
    expect(pkg.scripts['prepack']).toBe('npm run build');
    expect(pkg.scripts['demo']).toMatch(/^npm run build && /);
    expect(pkg['repository']).toEqual({ type: 'git', url: 'git+https://github.com/tierwise/tierwise.git' });
    expect(pkg['homepage']).toBe('https://github.com/tierwise/tierwise#readme');
    expect(pkg['bugs']).toEqual({ url: 'https://github.com/tierwise/tierwise/issues' });
    expect(pkg['license']).toBe('MIT');
    expect(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
  });
});

describe('the tarball', () => {
  it('ships the API, the CLI, the plugin, the codemods, the schemas, the docs and the license', () => {
    for (const f of ['package.json', 'README.md', 'LICENSE', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli.js', 'dist/rules/index.js', 'dist/rules/index.d.ts', 'dist/codemods/add-flex-tier.js', 'dist/codemods/loop-to-batch.js', 'codemods/runtime/openai-batch.ts', 'schema/tierwise.config.schema.json', 'schema/prices.schema.json', 'docs/ci.md']) {
      expect(packed.files, f).toContain(f);
    }
  });

  it('ships no benchmark, no build info and no source maps (their sources are not shipped)', () => {
    expect(packed.files.filter((f) => f.startsWith('dist/bench/') || f.endsWith('.map') || f.endsWith('.tsbuildinfo'))).toEqual([]);
    const js = packed.files.filter((f) => f.endsWith('.js') || f.endsWith('.mjs'));
    const withMapComment = js.filter((f) => fs.readFileSync(path.join(REPO, f), 'utf8').includes('sourceMappingURL'));
    expect(withMapComment).toEqual([]);
  });

  it("every relative link in the README points at a file in the package (repository-only paths are absolute URLs)", () => {
    const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((l) => !/^(https?:|#|mailto:)/.test(l));
    expect(links.length).toBeGreaterThan(0);
    const shipped = new Set(packed.files);
    const broken = links.map((l) => l.split('#')[0]!.replace(/^\.\//, '')).filter((l) => !shipped.has(l) && !packed.files.some((f) => f.startsWith(`${l.replace(/\/$/, '')}/`)));
    expect(broken).toEqual([]);
    // Absolute links into this repository name paths that exist.
    const repoLinks = [...readme.matchAll(/https:\/\/github\.com\/tierwise\/tierwise\/(?:blob|tree)\/main\/([^)\s#]+)/g)].map((m) => m[1]!);
    expect(repoLinks.filter((p) => !fs.existsSync(path.join(REPO, p)))).toEqual([]);
  });
});

describe('a CLI-only install (npm i tierwise in an empty project)', () => {
  it('pulls no ESLint, no typescript-eslint, no jscodeshift/Babel, no second TypeScript', () => {
    const names = installed.packages;
    expect(names).toContain('tierwise');
    const unwanted = names.filter((n) => /^(eslint|typescript-eslint|@typescript-eslint\/.*|jscodeshift|@babel\/.*|flow-parser|ts-morph|@ts-morph\/.*|cron-parser|luxon|better-sqlite3)$/.test(n));
    expect(unwanted).toEqual([]);
    expect(names.filter((n) => n === 'typescript' || n.endsWith('/typescript'))).toEqual(['typescript']);
  });

  it('imports the programmatic API and audits a project with it', () => {
    const demo = path.join(REPO, 'fixtures/demo');
    const out = node(`
      const t = await import('tierwise');
      const report = await t.runAudit({ dir: ${JSON.stringify(demo)} });
      const merged = t.mergeReports([report], { root: ${JSON.stringify(demo)} });
      console.log(JSON.stringify({ tool: report.tool, version: t.VERSION, findings: report.findings.length, merged: merged.findings.length, md: t.toMarkdown(report).startsWith('<!-- tierwise-audit -->'), schema: typeof t.configJsonSchema() }));
    `);
    const expected = JSON.parse(fs.readFileSync(path.join(REPO, 'test/golden/demo.json'), 'utf8')) as { findings: unknown[] };
    expect(JSON.parse(out)).toEqual({ tool: 'tierwise', version: pkg['version'], findings: expected.findings.length, merged: expected.findings.length, md: true, schema: 'object' });
  });

  it('runs the bin', () => {
    const bin = path.join(installed.dir, 'node_modules/.bin/tierwise');
    const out = execFileSync(bin, ['audit', path.join(REPO, 'fixtures/demo'), '--format', 'json', '--no-exit-code'], { cwd: installed.dir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    expect((JSON.parse(out) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });

  it('loads the ESLint plugin entry (its rules load nothing from ESLint or typescript-eslint themselves)', () => {
    const out = node(`const p = (await import('tierwise/eslint-plugin')).default; console.log(JSON.stringify([p.meta.name, Object.keys(p.configs).sort()]));`);
    expect(JSON.parse(out)).toEqual(['tierwise/eslint-plugin', ['recommended', 'recommended-type-checked']]);
  });

  it('exposes the JSON Schemas', () => {
    const schema = path.join(installed.dir, 'node_modules/tierwise/schema/tierwise.config.schema.json');
    expect(JSON.parse(fs.readFileSync(schema, 'utf8'))).toHaveProperty('$id');
    const out = node(`import('tierwise/schema/prices.schema.json', { with: { type: 'json' } }).then((m) => console.log(typeof m.default.$id));`);
    expect(out.trim()).toBe('string');
  });
});
