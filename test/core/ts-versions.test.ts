/**
 * The core is TypeScript-version-agnostic: the audit runs it on the `typescript` tierwise resolves (5.9 here, 6.0 in a
 * bare CLI install: its range is `~5.9.3 || ~6.0.2`), the type-checked ESLint rules on whatever TypeScript built the
 * project's program. The same project analysed with either module must give identical call sites and findings,
 * edits included.
 *
 * Enum numbers are where a mix-up would bite. TypeScript 6.0.2 kept 5.9.3's SyntaxKind numbering, but TypeFlags
 * changed (String is 4 in 5.9 and 32 in 6.0): the last test pins that the two modules really differ there, so the
 * comparison is between two genuinely different compilers, and that the core only ever reaches `typescript` through
 * the module it is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts59 from 'typescript';
import ts60 from 'typescript-6';
import { describe, expect, it } from 'vitest';
import type { TsModule, TS } from '../../src/core/ts.js';
import { analyzeProgram, projectSourceFiles, type Analysis } from '../../src/core/analyze.js';
import { createProjectFiles, loadProject } from '../../src/core/project.js';
import { analyzeSingleFile, clearSingleFileCaches, singleFileProjectFiles } from '../../src/core/single-file.js';
import { REPO } from '../support/fixtures.js';

const t59 = ts59 as unknown as TsModule;
const t60 = ts60 as unknown as TsModule;

const PROJECTS = [path.join(REPO, 'fixtures/demo'), path.join(REPO, 'fixtures/eslint/typed')];

function programWith(ts: TsModule, root: string): TS.Program {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(root, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!parsed) throw new Error(`cannot read ${root}/tsconfig.json`);
  return ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
}

function comparable(a: Analysis) {
  return { callSites: a.callSites, findings: a.findings, typeInfo: a.typeInfo, unusedConfig: a.unusedConfig, files: a.files };
}

describe('the core gives the same answers on TypeScript 5.9 and 6.0', () => {
  for (const root of PROJECTS) {
    const name = path.relative(REPO, root);
    it(`${name}: whole program (the audit's lean program on 5.9, a full 6.0 program as a parser would build it)`, () => {
      const loaded = loadProject({ root });
      expect(loaded.ts).toBe(t59);
      const with59 = analyzeProgram({ ts: loaded.ts, program: loaded.program, root, projectFiles: loaded.projectFiles, analysable: loaded.files });
      const program60 = programWith(t60, root);
      const with60 = analyzeProgram({
        ts: t60,
        program: program60,
        root,
        projectFiles: createProjectFiles(t60, program60, root),
        analysable: new Set(projectSourceFiles(program60, root).map((sf) => sf.fileName)),
      });
      expect(with60.findings.length).toBeGreaterThan(0);
      expect(comparable(with59)).toEqual(comparable(with60));
    });

    it(`${name}: single-file analysis of every file`, () => {
      clearSingleFileCaches();
      const files = projectSourceFiles(programWith(t59, root), root).map((sf) => sf.fileName);
      let found = 0;
      for (const fileName of files) {
        const text = fs.readFileSync(fileName, 'utf8');
        const run = (ts: TsModule) =>
          comparable(analyzeSingleFile({ ts, fileName, text, root, projectFiles: singleFileProjectFiles(ts, root) }));
        const a = run(t59);
        clearSingleFileCaches();
        const b = run(t60);
        clearSingleFileCaches();
        expect(a, fileName).toEqual(b);
        found += a.findings.length;
      }
      expect(found).toBeGreaterThan(0);
    });
  }
});

describe('TypeScript modules', () => {
  it('5.9 and 6.0 are really different compilers (TypeFlags numbering differs)', () => {
    expect(t59.version).toMatch(/^5\.9\./);
    expect(t60.version).toMatch(/^6\./);
    expect(t59).not.toBe(t60);
    expect(t59.TypeFlags.StringLiteral).not.toBe(t60.TypeFlags.StringLiteral);
    expect(t59.TypeFlags.String).not.toBe(t60.TypeFlags.String);
  });

  it('the analysis core never imports a TypeScript module itself (only project.ts loads `typescript`, for the audit)', () => {
    const dirs = ['src/core', 'src/frameworks', 'src/pricing'];
    const offenders: string[] = [];
    for (const dir of dirs) {
      for (const f of fs.readdirSync(path.join(REPO, dir))) {
        if (!f.endsWith('.ts')) continue;
        const rel = `${dir}/${f}`;
        const text = fs.readFileSync(path.join(REPO, rel), 'utf8');
        for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(typescript|typescript-6|ts-morph)'/gm)) {
          if (m[1]) continue;
          if (rel === 'src/core/project.ts' && m[2] === 'typescript') continue;
          offenders.push(`${rel}: ${m[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
