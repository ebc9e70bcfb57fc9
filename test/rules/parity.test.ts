/**
 * Parity: on every fixture project, the type-checked config reports exactly the findings (rule, file, line, message)
 * that `tierwise audit` reports, and the whole lint analyses each program once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import plugin from '../../rules/index.js';
import { stats } from '../../rules/engine.js';
import { runAudit } from '../../src/audit/audit.js';
import { auditTree } from '../../src/audit/command.js';
import { applyEdits } from '../../src/core/edits.js';
import { PROJECTS, REPO, fixtureProjects } from '../support/fixtures.js';

const projects = [
  ...fixtureProjects().map((name) => ({ name, dir: path.join(PROJECTS, name) })),
  { name: 'demo', dir: path.join(REPO, 'fixtures/demo') },
  { name: 'eslint/typed', dir: path.join(REPO, 'fixtures/eslint/typed') },
];

type Row = string;
interface Suggested {
  file: string;
  line: number;
  rule: string;
  fixes: Array<{ range: [number, number]; text: string }>;
}

async function lintTyped(dir: string, files: string[], suggested: Suggested[] = []): Promise<Row[]> {
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
      const file = path.relative(dir, r.filePath).split(path.sep).join('/');
      rows.push(`${m.ruleId ?? 'FATAL'} ${file}:${m.line} ${m.message}`);
      if (m.suggestions?.length) suggested.push({ file, line: m.line, rule: m.ruleId ?? '', fixes: m.suggestions.map((s) => s.fix) });
    }
  }
  return rows.sort();
}

let editsCompared = 0;

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
      const suggested: Suggested[] = [];
      const actual = await lintTyped(dir, files, suggested);
      expect(actual).toEqual(expected);
      // Edits come from the core: where the audit's edits stay in the reported file, applying every suggestion of
      // that report gives the same text as applying the audit's edits (what \`tierwise fix flex\` writes).
      for (const f of report.findings) {
        if (!f.edits?.length || f.edits.some((e) => e.file !== f.file)) continue;
        const s = suggested.find((x) => x.file === f.file && x.line === f.line && x.rule === `tierwise/${f.rule}`);
        expect(s, `${f.rule} ${f.file}:${f.line} has suggestions`).toBeDefined();
        const text = fs.readFileSync(path.join(dir, f.file), 'utf8');
        const viaEslint = [...s!.fixes].sort((a, b) => b.range[0] - a.range[0]).reduce((t, x) => t.slice(0, x.range[0]) + x.text + t.slice(x.range[1]), text);
        expect(viaEslint).toBe(applyEdits(text, f.edits));
        editsCompared++;
      }
      // One analysis per program (one tsconfig here), not one per linted file.
      expect(stats.programAnalyses - before).toBe(1);
    });
  }

  // A monorepo: `tierwise audit <root>` audits each workspace with its own tsconfig and merges (paths relative to the
  // monorepo root); the lint runs from the monorepo root, and projectService picks each workspace's tsconfig.
  it('workspaces/monorepo: same (rule, file, line, message) as `tierwise audit` of the monorepo root', async () => {
    const dir = path.join(REPO, 'fixtures/workspaces/monorepo');
    const report = await auditTree({ dir, progress: false } as Parameters<typeof auditTree>[0]);
    const expected = report.findings.map((f) => `tierwise/${f.rule} ${f.file}:${f.line} ${f.message}`).sort();
    expect(expected.length).toBeGreaterThan(1);
    expect(new Set(report.findings.map((f) => f.file.split('/').slice(0, 2).join('/'))).size).toBeGreaterThan(1);
    const before = stats.programAnalyses;
    const actual = await lintTyped(dir, ['packages/*/src/**/*.ts']);
    expect(actual).toEqual(expected);
    // One analysis per workspace program (two tsconfigs), not one per linted file.
    expect(stats.programAnalyses - before).toBe(2);
  });

  it('compared the suggestions with the audit edits at least once', () => {
    expect(editsCompared).toBeGreaterThan(0);
  });
});
