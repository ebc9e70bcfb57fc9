/**
 * The core is TypeScript-version-agnostic: the audit runs it on ts-morph's TypeScript 6.0, the ESLint rules on the
 * project's TypeScript 5.9 (what typescript-eslint uses). The same project analysed with either module must give
 * identical call sites and findings, edits included.
 *
 * Enum numbers are where a mix-up would bite. TypeScript 6.0.2 kept 5.9.3's SyntaxKind numbering, but TypeFlags
 * changed (String is 4 in 5.9 and 32 in 6.0): the last test pins that the two modules really differ there, so the
 * comparison is between two genuinely different compilers, and that the core only ever reaches `typescript` through
 * the module it is given.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts59 from 'typescript';
import { ts as ts60 } from 'ts-morph';
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
    it(`${name}: whole program (audit path on 6.0, ESLint typed path on 5.9)`, () => {
      const loaded = loadProject({ root });
      expect(loaded.ts.version).toMatch(/^6\./);
      const with60 = analyzeProgram({ ts: loaded.ts, program: loaded.program, root, projectFiles: loaded.projectFiles, analysable: loaded.files });
      const program59 = programWith(t59, root);
      const with59 = analyzeProgram({
        ts: t59,
        program: program59,
        root,
        projectFiles: createProjectFiles(t59, program59, root),
        analysable: new Set(projectSourceFiles(program59, root).map((sf) => sf.fileName)),
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

  it('the analysis core never imports a TypeScript module itself (only project.ts loads ts-morph)', () => {
    const dirs = ['src/core', 'src/frameworks', 'src/pricing'];
    const offenders: string[] = [];
    for (const dir of dirs) {
      for (const f of fs.readdirSync(path.join(REPO, dir))) {
        if (!f.endsWith('.ts')) continue;
        const rel = `${dir}/${f}`;
        const text = fs.readFileSync(path.join(REPO, rel), 'utf8');
        for (const m of text.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'(typescript|ts-morph)'/gm)) {
          if (m[1]) continue;
          if (rel === 'src/core/project.ts' && m[2] === 'ts-morph') continue;
          offenders.push(`${rel}: ${m[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
