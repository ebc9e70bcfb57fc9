/**
 * Parity: on every fixture project, the type-checked config reports exactly the findings (rule, file, line, message)
 * that `tierwise audit` reports, and the whole lint analyses each program once.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../rules/index.js';
import { stats } from '../../rules/engine.js';
import { runAudit } from '../../src/audit/audit.js';
import { PROJECTS, REPO, fixtureProjects } from '../support/fixtures.js';

const projects = [
  ...fixtureProjects().map((name) => ({ name, dir: path.join(PROJECTS, name) })),
  { name: 'demo', dir: path.join(REPO, 'fixtures/demo') },
  { name: 'eslint/typed', dir: path.join(REPO, 'fixtures/eslint/typed') },
];

type Row = string;

async function lintTyped(dir: string, files: string[]): Promise<Row[]> {
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}'],
        languageOptions: { parser: tseslint.parser, parserOptions: { projectService: true, tsconfigRootDir: dir } },
      },
      plugin.configs['recommended-type-checked'],
    ] as never,
  });
  const results = await eslint.lintFiles(files);
  const rows: Row[] = [];
  for (const r of results) {
    for (const m of r.messages) {
      // A parse error or config error is a failure of the lint, not a finding: surface it.
      rows.push(`${m.ruleId ?? 'FATAL'} ${path.relative(dir, r.filePath).split(path.sep).join('/')}:${m.line} ${m.message}`);
    }
  }
  return rows.sort();
}

describe('type-checked ESLint config ≡ tierwise audit', () => {
  it('has fixture projects to compare', () => {
    expect(projects.length).toBeGreaterThan(2);
  });

  for (const { name, dir } of projects) {
    it(`${name}: same (rule, file, line, message)`, async () => {
      const { report, project } = runAudit({ dir });
      const expected = report.findings.map((f) => `tierwise/${f.rule} ${f.file}:${f.line} ${f.message}`).sort();
      const before = stats.programAnalyses;
      const files = [...project.files].filter((f) => /\.[cm]?[jt]sx?$/.test(f));
      const actual = await lintTyped(dir, files);
      expect(actual).toEqual(expected);
      // One analysis per program (one tsconfig here), not one per linted file.
      expect(stats.programAnalyses - before).toBe(1);
    });
  }
});
