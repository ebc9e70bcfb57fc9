/**
 * Rule docs stay true: every ❌ example is reported by its rule and every ✅ example is not, on ESLint 9 and 10;
 * every rule has a doc page; the generated README rules list and rule headers are up to date (eslint-doc-generator --check).
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { Linter as Linter10 } from 'eslint';
import { Linter as Linter9 } from 'eslint-v9';
import tseslint from 'typescript-eslint';
import plugin from '../../rules/index.js';
import { REPO } from '../support/fixtures.js';
import { UNTYPED } from './support.js';

const DOCS = path.join(REPO, 'docs/rules');

interface Example {
  kind: 'incorrect' | 'correct';
  code: string;
  line: number;
}

/** Code blocks under a `❌` heading are incorrect, under a `✅` heading correct (until the next heading). */
export function examplesOf(markdown: string): Example[] {
  const out: Example[] = [];
  let kind: Example['kind'] | null = null;
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^#+ /.test(line)) kind = line.includes('❌') ? 'incorrect' : line.includes('✅') ? 'correct' : null;
    const fence = /^```(ts|typescript|js|javascript)\s*$/.exec(line);
    if (fence && kind) {
      const start = i + 1;
      const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
      out.push({ kind, code: lines.slice(start, end).join('\n') + '\n', line: start + 1 });
      i = end;
    }
  }
  return out;
}

type AnyLinter = new (opts: { cwd: string }) => { verify(code: string, config: unknown, opts: { filename: string }): Linter10.LintMessage[] };
const linters: Array<[string, AnyLinter]> = [
  ['ESLint 10', Linter10 as unknown as AnyLinter],
  ['ESLint 9', Linter9 as unknown as AnyLinter],
];

const ruleIds = Object.keys(plugin.rules);

describe('rule docs', () => {
  it('every rule has a doc page and meta.docs.url points to it', () => {
    for (const id of ruleIds) {
      expect(fs.existsSync(path.join(DOCS, `${id}.md`)), id).toBe(true);
      expect(plugin.rules[id as keyof typeof plugin.rules].meta?.docs?.url).toMatch(new RegExp(`/docs/rules/${id}\\.md$`));
    }
    expect(fs.readdirSync(DOCS).filter((f) => f.endsWith('.md')).sort()).toEqual(ruleIds.map((id) => `${id}.md`).sort());
  });

  for (const id of ruleIds) {
    const examples = examplesOf(fs.readFileSync(path.join(DOCS, `${id}.md`), 'utf8'));
    it(`${id}: has ❌ and ✅ examples`, () => {
      expect(examples.some((e) => e.kind === 'incorrect')).toBe(true);
      expect(examples.some((e) => e.kind === 'correct')).toBe(true);
    });
    for (const [name, Linter] of linters) {
      for (const ex of examples) {
        it(`${id}: ${ex.kind === 'incorrect' ? '❌' : '✅'} example at line ${ex.line} (${name})`, () => {
          const linter = new Linter({ cwd: UNTYPED });
          const messages = linter.verify(
            ex.code,
            [
              { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
              { ...plugin.configs.recommended, settings: { tierwise: { root: UNTYPED } } },
            ] as never,
            { filename: path.join(UNTYPED, 'src/example.ts') },
          );
          expect(messages.filter((m) => m.fatal)).toEqual([]);
          const own = messages.filter((m) => m.ruleId === `tierwise/${id}`);
          if (ex.kind === 'incorrect') expect(own.length).toBeGreaterThan(0);
          else expect(own).toEqual([]);
        });
      }
    }
  }

  it('README rules list and rule doc headers are what eslint-doc-generator generates (--check)', async () => {
    const run = promisify(execFile);
    const r = await run(process.execPath, [path.join(REPO, 'fixtures/eslint/doc-generator/run.mjs'), '--check'], { cwd: REPO }).catch(
      (e: { code?: number; stdout?: string; stderr?: string }) => e,
    );
    expect((r as { code?: number }).code ?? 0, `${(r as { stdout?: string }).stdout ?? ''}${(r as { stderr?: string }).stderr ?? ''}`).toBe(0);
  }, 120_000);
});
