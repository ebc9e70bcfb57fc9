/**
 * Which Prettier `tierwise fix` runs: the fixed project's own (resolved from its root), else tierwise's; and a warning
 * when the project has a Prettier config but no Prettier loads. tierwise's own Prettier (a devDependency, present
 * here) is hidden in this file with vi.mock, as it is for users who install tierwise without its devDependencies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { formatSummary, runCodemod } from '../../../src/fix/runner.js';
import { tempProjects } from '../../support/temp.js';

vi.mock('prettier', () => {
  throw new Error("Cannot find package 'prettier'");
});

const tmp = tempProjects('prettier');

/** A stand-in for the project's Prettier, with the four functions the runner calls; format() marks its output. */
const FAKE_PRETTIER = {
  'node_modules/prettier/package.json': JSON.stringify({ name: 'prettier', version: '0.0.0-fake', main: 'index.cjs' }),
  'node_modules/prettier/index.cjs': `
const fs = require('node:fs');
const path = require('node:path');
exports.resolveConfigFile = async (file) => {
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.prettierrc.json'))) return path.join(d, '.prettierrc.json');
    if (path.dirname(d) === d) return null;
  }
};
exports.getFileInfo = async () => ({ ignored: false, inferredParser: 'typescript' });
exports.resolveConfig = async (file, opts) => JSON.parse(fs.readFileSync(opts.config, 'utf8'));
exports.format = async (text, options) => '// formatted by the project prettier, marker=' + options.marker + '\\n' + text;
`,
};

const rename = (f: { source: string }) => f.source.replace('foo', 'bar');

describe('Prettier in tierwise fix', () => {
  it("formats with the project's own Prettier, resolved from the project's root", async () => {
    const dir = tmp({ ...FAKE_PRETTIER, 'package.json': '{}', '.prettierrc.json': '{ "marker": "ok" }', 'src/a.ts': 'const foo = 1;\n' });
    const s = await runCodemod({ root: dir, files: [path.join(dir, 'src/a.ts')], transform: rename });
    expect(s.changed).toEqual(['src/a.ts']);
    expect(s.warnings).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'src/a.ts'), 'utf8')).toBe('// formatted by the project prettier, marker=ok\nconst bar = 1;\n');
  });

  it('warns when the project has a Prettier config but Prettier cannot be loaded, unless --no-format', async () => {
    const dir = tmp({ 'package.json': '{}', '.prettierrc': 'semi: false\n', 'src/a.ts': 'const foo = 1;\n', 'src/b.ts': 'const foo = 2;\n' });
    const files = ['src/a.ts', 'src/b.ts'].map((f) => path.join(dir, f));
    const s = await runCodemod({ root: dir, files, transform: rename });
    expect(s.changed).toEqual(['src/a.ts', 'src/b.ts']);
    expect(fs.readFileSync(files[0]!, 'utf8')).toBe('const bar = 1;\n');
    expect(s.warnings).toHaveLength(1); // once, not per file
    expect(s.warnings[0]).toMatch(/^\.prettierrc: the project has a Prettier config but Prettier could not be loaded/);
    expect(s.warnings[0]).toMatch(/install prettier in the project .* or pass --no-format/);
    expect(formatSummary(s)).toContain('Warnings:\n  .prettierrc: the project has a Prettier config');

    const inPackageJson = tmp({ 'package.json': '{ "prettier": { "semi": false } }', 'a.ts': 'const foo = 1;\n' });
    const p = await runCodemod({ root: inPackageJson, files: [path.join(inPackageJson, 'a.ts')], transform: rename }, { dry: true });
    expect(p.warnings).toEqual([expect.stringMatching(/^package\.json: .* would be written unformatted/)]);

    const off = tmp({ '.prettierrc': '{}', 'a.ts': 'const foo = 1;\n' });
    expect((await runCodemod({ root: off, files: [path.join(off, 'a.ts')], transform: rename }, { format: false })).warnings).toEqual([]);
    const noConfig = tmp({ 'a.ts': 'const foo = 1;\n' });
    expect((await runCodemod({ root: noConfig, files: [path.join(noConfig, 'a.ts')], transform: rename })).warnings).toEqual([]);
  });
});
