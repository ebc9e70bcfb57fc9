import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Report } from '../../src/core/types.js';
import { audit } from '../../src/audit/audit.js';
import { checkProject } from './typecheck.js';


export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const PROJECTS = path.join(REPO, 'fixtures/projects');

/** Fixture projects (folders under fixtures/projects with an expected.json). */
export function fixtureProjects(): string[] {
  if (!fs.existsSync(PROJECTS)) return [];
  return fs
    .readdirSync(PROJECTS)
    .filter((d) => fs.existsSync(path.join(PROJECTS, d, 'expected.json')))
    .sort();
}

/** What expected.json pins: every finding and every call site, by location, with its contexts. */
export interface Expected {
  description?: string;
  findings: Array<{
    rule: string;
    file: string;
    line: number;
    recommendation: 'flex' | 'batch' | null;
    context: { kind: string; framework: string; trigger: string } | null;
    mixed?: true;
  }>;
  callSites: Array<{ file: string; line: number; classification: string; contexts: string[] }>;
}

export function readExpected(name: string): Expected {
  return JSON.parse(fs.readFileSync(path.join(PROJECTS, name, 'expected.json'), 'utf8')) as Expected;
}

/** The part of a report that expected.json pins, sorted. */
export function project(report: Report): Expected {
  const byLoc = <T extends { file: string; line: number }>(a: T, b: T) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  return {
    findings: report.findings
      .map((f) => ({
        rule: f.rule,
        file: f.file,
        line: f.line,
        recommendation: f.recommendation?.tier ?? null,
        context: f.context ? { kind: f.context.kind, framework: f.context.framework, trigger: f.context.trigger } : null,
        ...(f.context?.mixed ? { mixed: true as const } : {}),
      }))
      .sort((a, b) => byLoc(a, b) || (a.rule < b.rule ? -1 : 1)),
    callSites: report.callSites
      .map((s) => ({
        file: s.file,
        line: s.line,
        classification: s.classification,
        contexts: s.contexts.map((c) => `${c.framework}:${c.kind}`).sort(),
      }))
      .sort(byLoc),
  };
}

const audited = new Map<string, Report>();

/** Audits a fixture project once per test file (memoised: several suites read the same report). */
export function auditFixture(name: string): Report {
  let r = audited.get(name);
  if (!r) {
    r = audit({ dir: path.join(PROJECTS, name) });
    audited.set(name, r);
  }
  return r;
}

/**
 * Type-checks a fixture project as `tsc -p --noEmit` does, against the real packages: `openai` v7 (the newest), or v4
 * through a temporary tsconfig that maps `openai` to the `openai-v4` alias. Resolves when it type-checks; rejects
 * with tsc's errors otherwise. In-process, sharing node_modules' declarations between the projects a test file checks
 * (test/support/typecheck.ts).
 */
export async function typecheck(dir: string, sdk: 'v7' | 'v4' = 'v7'): Promise<void> {
  let project = path.join(dir, 'tsconfig.json');
  let tmp: string | undefined;
  if (sdk === 'v4') {
    tmp = path.join(dir, `.tsconfig.v4.${process.pid}.json`);
    const v4 = path.join(REPO, 'node_modules/openai-v4');
    fs.writeFileSync(
      tmp,
      JSON.stringify({
        extends: './tsconfig.json',
        compilerOptions: { baseUrl: '.', paths: { openai: [path.join(v4, 'index.d.mts')], 'openai/*': [path.join(v4, '*')] } },
      }),
    );
    project = tmp;
  }
  try {
    const { errors } = checkProject(project);
    if (errors) throw new Error(`tsc failed for ${path.relative(REPO, dir)} (openai ${sdk}):\n${errors}`);
  } finally {
    if (tmp) fs.rmSync(tmp, { force: true });
  }
}
