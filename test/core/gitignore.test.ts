/**
 * Without a tsconfig, the project's files are every source file under the root minus what git ignores: the root
 * .gitignore and nested ones (their patterns relative to their own folder), never node_modules.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitignored, loadProject } from '../../src/core/project.js';
import { tempProjects } from '../support/temp.js';

const tmp = tempProjects('gitignore');

const files = (root: string) =>
  [...loadProject({ root }).files].map((f) => path.relative(root, f).split(path.sep).join('/')).sort();

describe('file discovery without a tsconfig', () => {
  it('honours nested .gitignore files, relative to their folder', () => {
    const root = tmp({
      '.gitignore': 'dist/\n',
      'src/a.ts': 'export const a = 1;\n',
      'dist/a.js': 'export const a = 1;\n',
      'packages/api/.gitignore': '/generated\n*.gen.ts\n!keep.gen.ts\n',
      'packages/api/src/index.ts': 'export const b = 1;\n',
      'packages/api/src/client.gen.ts': 'export const c = 1;\n',
      'packages/api/src/keep.gen.ts': 'export const k = 1;\n',
      'packages/api/generated/types.ts': 'export const d = 1;\n',
      // Relative to packages/api: a top-level `generated` folder elsewhere is not ignored.
      'generated/top.ts': 'export const e = 1;\n',
      // A .gitignore inside an ignored folder counts for nothing; node_modules is never read.
      'dist/.gitignore': '!a.js\n',
      'node_modules/pkg/index.js': 'module.exports = 1;\n',
    });
    expect(files(root)).toEqual(['generated/top.ts', 'packages/api/src/index.ts', 'packages/api/src/keep.gen.ts', 'src/a.ts']);
  });

  it('a nested .gitignore re-includes what a parent ignores with `!`', () => {
    const root = tmp({ '.gitignore': '*.local.ts\n', 'lib/.gitignore': '!wanted.local.ts\n' });
    const ignored = gitignored(root);
    expect(ignored('x.local.ts')).toBe(true);
    expect(ignored('lib/other.local.ts')).toBe(true);
    expect(ignored('lib/wanted.local.ts')).toBe(false);
    expect(ignored('wanted.local.ts')).toBe(true);
  });
});
