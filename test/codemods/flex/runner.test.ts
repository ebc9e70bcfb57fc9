import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { checkGitClean, DirtyTreeError, formatSummary, runCodemod, type FixContext } from '../../../src/fix/runner.js';
import { tempProjects } from '../../support/temp.js';

const tmp = tempProjects('runner');

/** Renames `foo` to `bar` in the text; reports the site and skips files that say so. */
const rename = (file: { path: string; source: string }, _api: unknown, options: { tierwise?: FixContext }) => {
  if (file.source.includes('SKIP')) {
    options.tierwise?.skip(file.path, 'asked to skip', 1);
    return undefined;
  }
  if (file.source.includes('THROW')) throw new Error('boom');
  if (!file.source.includes('foo')) return file.source;
  options.tierwise?.applied(file.path, { id: `${file.path}:1:1`, usdPerMonth: 1.25 });
  options.tierwise?.createFile(path.join(path.dirname(file.path), 'helper.ts'), 'export const helper = 1;\n');
  return file.source.replace('foo', 'bar');
};

describe('runCodemod', () => {
  it('writes changed files atomically, creates helpers, reports unchanged / skipped / errors and sums the saving', async () => {
    const dir = tmp({
      'a.ts': 'const foo = 1; // keep\n',
      'b.tsx': 'const x = <div>{1}</div>;\n',
      'c.ts': '// SKIP\n',
      'd.ts': 'THROW\n',
      'e.ts': 'const foo = <T,>(x: T) => x;\n',
    });
    const files = ['a.ts', 'b.tsx', 'c.ts', 'd.ts', 'e.ts'].map((f) => path.join(dir, f));
    const s = await runCodemod({ root: dir, files, transform: rename });
    expect(s.changed).toEqual(['a.ts', 'e.ts']);
    expect(s.unchanged).toEqual(['b.tsx']);
    expect(s.skipped).toEqual([{ file: 'c.ts', line: 1, reason: 'asked to skip' }]);
    expect(s.errors).toEqual([{ file: 'd.ts', message: 'transform failed: boom' }]);
    expect(s.created).toEqual(['helper.ts']);
    expect(s.usdPerMonth).toBe(2.5);
    expect(s.runner).toEqual({ ok: 2, nochange: 1, skip: 1, error: 1 });
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('const bar = 1; // keep\n');
    expect(fs.readFileSync(path.join(dir, 'helper.ts'), 'utf8')).toBe('export const helper = 1;\n');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(formatSummary(s)).toContain('2 file(s) changed, 1 unchanged, 1 skipped, 1 error(s).');
    expect(formatSummary(s)).toContain('$2.50/month');
  });

  it('--dry writes nothing and returns a unified diff; --print returns the new text', async () => {
    const dir = tmp({ 'a.ts': 'const foo = 1;\n' });
    const s = await runCodemod({ root: dir, files: [path.join(dir, 'a.ts')], transform: rename }, { dry: true, print: true });
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('const foo = 1;\n');
    expect(fs.existsSync(path.join(dir, 'helper.ts'))).toBe(false);
    expect(s.diff).toContain('--- a/a.ts\n+++ b/a.ts\n');
    expect(s.diff).toContain('-const foo = 1;\n+const bar = 1;\n');
    expect(s.diff).toContain('+++ b/helper.ts');
    expect(s.printed).toEqual([
      { file: 'a.ts', text: 'const bar = 1;\n' },
      { file: 'helper.ts', text: 'export const helper = 1;\n' },
    ]);
    expect(formatSummary(s)).toContain('Dry run: 1 file(s) would change');
  });

  it('refuses an output that does not parse and leaves the file as it was', async () => {
    const dir = tmp({ 'a.ts': 'const foo = 1;\n' });
    const s = await runCodemod({ root: dir, files: [path.join(dir, 'a.ts')], transform: (f) => f.source.replace('foo', 'foo foo (') });
    expect(s.changed).toEqual([]);
    expect(s.errors[0]!.message).toMatch(/output does not parse \(line 1:/);
    expect(fs.readFileSync(path.join(dir, 'a.ts'), 'utf8')).toBe('const foo = 1;\n');
  });

  it('runs Prettier on changed files only when the project has a Prettier config, unless format is off', async () => {
    const src = 'const foo = {a:1,b:2}\n';
    const withConfig = tmp({ 'a.ts': src, 'untouched.ts': src, '.prettierrc.json': '{ "singleQuote": true, "semi": false }' });
    const files = ['a.ts', 'untouched.ts'].map((f) => path.join(withConfig, f));
    await runCodemod({ root: withConfig, files, transform: (f) => (f.path.endsWith('a.ts') ? f.source.replace('foo', 'bar') : f.source) });
    expect(fs.readFileSync(files[0]!, 'utf8')).toBe('const bar = { a: 1, b: 2 }\n');
    expect(fs.readFileSync(files[1]!, 'utf8')).toBe(src);

    const noFormat = tmp({ 'a.ts': src, '.prettierrc.json': '{}' });
    await runCodemod({ root: noFormat, files: [path.join(noFormat, 'a.ts')], transform: (f) => f.source.replace('foo', 'bar') }, { format: false });
    expect(fs.readFileSync(path.join(noFormat, 'a.ts'), 'utf8')).toBe('const bar = {a:1,b:2}\n');

    const noConfig = tmp({ 'a.ts': src });
    await runCodemod({ root: noConfig, files: [path.join(noConfig, 'a.ts')], transform: (f) => f.source.replace('foo', 'bar') });
    expect(fs.readFileSync(path.join(noConfig, 'a.ts'), 'utf8')).toBe('const bar = {a:1,b:2}\n');
  });
});

describe('checkGitClean', () => {
  const git = (dir: string, ...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
  it('refuses a dirty tree unless forced, skips under --dry, warns outside git', () => {
    const dir = tmp({ 'a.ts': 'x\n' });
    expect(checkGitClean(dir, {}).warning).toMatch(/not in a git work tree/);
    git(dir, 'init', '-q');
    git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git(dir, '-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'x');
    expect(checkGitClean(dir, {})).toEqual({});
    fs.writeFileSync(path.join(dir, 'a.ts'), 'y\n');
    expect(() => checkGitClean(dir, {})).toThrow(DirtyTreeError);
    expect(() => checkGitClean(dir, {})).toThrow(/ M a.ts[\s\S]*--force/);
    expect(checkGitClean(dir, { force: true })).toEqual({});
    expect(checkGitClean(dir, { dry: true })).toEqual({});
  });
});
