import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangedFilesError, changedFiles, filterByChanged, repoPrefix } from '../../src/audit/changed.js';
import { makeFinding, makeReport, queueContext, sampleReport } from './sample-report.js';

let repo: string;

function git(...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd: repo,
    encoding: 'utf8',
  });
}

function write(rel: string, text: string): void {
  const p = join(repo, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

beforeAll(() => {
  repo = mkdtempSync(join(tmpdir(), 'tierwise-changed-'));
  git('init', '-q', '-b', 'main');
  write('.gitignore', 'dist/\n');
  write('packages/api/src/jobs/old.ts', 'export const a = 1;\n');
  write('packages/api/src/jobs/edited.ts', 'export const b = 1;\n');
  write('packages/web/src/page.ts', 'export const c = 1;\n');
  write('README.md', '# x\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'feature');
  write('packages/api/src/jobs/new job.ts', 'export const d = 1;\n');
  write('packages/web/src/page.ts', 'export const c = 2;\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'feature work');
  // Main moves on after the branch point: not our change.
  git('checkout', '-q', 'main');
  write('README.md', '# changed on main\n');
  git('commit', '-q', '-am', 'main moves');
  git('checkout', '-q', 'feature');
  // Uncommitted edit, staged file, untracked file, ignored file.
  write('packages/api/src/jobs/edited.ts', 'export const b = 2;\n');
  write('packages/api/src/staged.ts', 'export const e = 1;\n');
  git('add', 'packages/api/src/staged.ts');
  write('packages/api/src/untracked.ts', 'export const f = 1;\n');
  write('packages/api/dist/out.js', 'ignored\n');
});

afterAll(() => {
  rmSync(repo, { recursive: true, force: true });
});

describe('changedFiles', () => {
  it('lists branch, uncommitted, staged and untracked files since the merge base, not ignored ones', async () => {
    expect(await changedFiles(repo, 'main')).toEqual([
      'packages/api/src/jobs/edited.ts',
      'packages/api/src/jobs/new job.ts',
      'packages/api/src/staged.ts',
      'packages/api/src/untracked.ts',
      'packages/web/src/page.ts',
    ]);
  });

  it('returns paths relative to a root that is a subfolder of the repo, dropping files outside it', async () => {
    expect(await changedFiles(join(repo, 'packages/api'), 'main')).toEqual(['src/jobs/edited.ts', 'src/jobs/new job.ts', 'src/staged.ts', 'src/untracked.ts']);
  });

  it('fails clearly on a bad ref or outside a repository', async () => {
    await expect(changedFiles(repo, 'no-such-branch')).rejects.toThrow("--changed-since: unknown git ref 'no-such-branch'");
    await expect(changedFiles(repo, '--output=x')).rejects.toBeInstanceOf(ChangedFilesError);
    const notRepo = mkdtempSync(join(tmpdir(), 'tierwise-norepo-'));
    try {
      await expect(changedFiles(notRepo, 'main')).rejects.toThrow(/needs a git repository/);
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });
});

describe('repoPrefix', () => {
  it('is where the root sits in the repository, or null outside one', async () => {
    expect(await repoPrefix(repo)).toBe('');
    expect(await repoPrefix(join(repo, 'packages/api'))).toBe('packages/api');
    const notRepo = mkdtempSync(join(tmpdir(), 'tierwise-norepo-'));
    try {
      expect(await repoPrefix(notRepo)).toBeNull();
    } finally {
      rmSync(notRepo, { recursive: true, force: true });
    }
  });
});

describe('filterByChanged', () => {
  it('keeps findings in changed files and findings whose entrypoint or chain touches one', () => {
    const report = sampleReport();
    // digest.ts findings reach through src/services/digest.ts (a chain step); email.ts only through itself.
    const out = filterByChanged(report, ['src/services/digest.ts']);
    expect(out.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/jobs/digest.ts:14', 'src/jobs/digest.ts:40', 'src/jobs/report.ts:21']);
    expect(out.summary.findings).toBe(3);
    expect(out.summary.usdPerMonth).toBe(194.9);
    expect(out.summary.notes.at(-1)).toBe('2 findings in unchanged code not shown (--changed-since)');

    const byFile = filterByChanged(report, ['src/workers/email.ts']);
    expect(byFile.findings.map((f) => f.file)).toEqual(['src/workers/email.ts']);
    expect(byFile.summary.unknownSavings).toBe(1);
  });

  it('keeps nothing when nothing relevant changed', () => {
    const report = makeReport([makeFinding({ file: 'src/workers/email.ts', line: 30, context: queueContext })]);
    expect(filterByChanged(report, ['README.md']).findings).toEqual([]);
  });
});
