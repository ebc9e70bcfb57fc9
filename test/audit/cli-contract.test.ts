import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';
import { progressByDefault, progressWriter, repositoryRoot, withWorkspace } from '../../src/audit/command.js';
import type { Finding, Report } from '../../src/core/types.js';

const DEMO = path.join(REPO, 'fixtures/demo');
const MONO = path.join(REPO, 'fixtures/workspaces/monorepo');
const TMP = fs.mkdtempSync(path.join(REPO, 'test/.tmp-cli-contract-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

const read = (file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as Report;
const write = (file: string, r: unknown) => fs.writeFileSync(file, JSON.stringify(r));

describe('merge: reports from another machine or checkout path (remote build cache)', () => {
  it('the JSON report records its root relative to the repository', async () => {
    const out = path.join(TMP, 'jobs-local.json');
    await runCli(['audit', path.join(MONO, 'packages/jobs'), '--format', 'json', '--output', out]);
    const r = read(out);
    expect(r.root).toBe(path.join(MONO, 'packages/jobs'));
    expect(r.workspace).toBe('packages/jobs');
    expect(Object.keys(r).slice(0, 4)).toEqual(['tool', 'version', 'root', 'workspace']);
  });

  it('a report whose root is elsewhere is rebased with its workspace', async () => {
    const jobs = path.join(TMP, 'jobs.json');
    const api = path.join(TMP, 'api.json');
    await runCli(['audit', path.join(MONO, 'packages/jobs'), '--format', 'json', '--output', jobs]);
    await runCli(['audit', path.join(MONO, 'packages/api'), '--format', 'json', '--output', api]);
    // As restored from a cache filled on another machine: a POSIX path elsewhere, and a Windows path.
    write(jobs, { ...read(jobs), root: '/nonexistent/ci-runner-7/checkout/packages/jobs' });
    write(api, { ...read(api), root: 'D:\\a\\acme\\acme\\packages\\api' });
    const r = await runCli(['merge', jobs, api, '--root', MONO, '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    const merged = JSON.parse(r.stdout) as Report;
    expect(merged.root).toBe(MONO);
    expect(merged.findings.map((f) => `${f.file} ${f.callSiteId}`)).toEqual([
      expect.stringMatching(/^packages\/api\/src\/reindex\.ts packages\/api\/src\/reindex\.ts:9:\d+$/),
      expect.stringMatching(/^packages\/jobs\/src\/nightly\.ts packages\/jobs\/src\/nightly\.ts:8:\d+$/),
    ]);
    expect(merged.callSites.every((c) => c.file.startsWith('packages/'))).toBe(true);
  });

  it('without a workspace the foreign root is still an error, which says why', async () => {
    const jobs = path.join(TMP, 'jobs-old.json');
    await runCli(['audit', path.join(MONO, 'packages/jobs'), '--format', 'json', '--output', jobs]);
    const { workspace: _, ...old } = read(jobs);
    write(jobs, { ...old, root: '/nonexistent/elsewhere/packages/jobs' });
    const r = await runCli(['merge', jobs, '--root', MONO]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/outside the merge root .*no "workspace"/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('repositoryRoot: nearest .git or monorepo root; withWorkspace leaves the field out when there is none', () => {
    expect(repositoryRoot(path.join(MONO, 'packages/api/src'))).toBe(MONO);
    expect(repositoryRoot(DEMO)).toBe(REPO);
    const pnpm = path.join(TMP, 'pnpm');
    fs.mkdirSync(path.join(pnpm, 'apps/web'), { recursive: true });
    fs.writeFileSync(path.join(pnpm, 'pnpm-workspace.yaml'), 'packages: [apps/*]\n');
    expect(withWorkspace({ root: path.join(pnpm, 'apps/web') } as Report).workspace).toBe('apps/web');
    expect(withWorkspace({ root: pnpm } as Report).workspace).toBe('.');
    expect(withWorkspace({ root: path.parse(REPO).root } as Report)).not.toHaveProperty('workspace');
  });
});

describe('progress on stderr', () => {
  const fake = () => {
    const chunks: string[] = [];
    return { chunks, write: (s: string) => chunks.push(s) };
  };

  it('clearing writes only carriage return + erase line, and only after something was shown', () => {
    const s = fake();
    const show = progressWriter(s, true);
    show('');
    expect(s.chunks).toEqual([]);
    show('auditing packages/api');
    show('');
    expect(s.chunks).toEqual(['\r\u001b[2Ktierwise: auditing packages/api', '\r\u001b[2K']);
  });

  it('off by default under CI, NO_COLOR or without a TTY; disabled writes nothing', () => {
    expect(progressByDefault({ isTTY: true }, {})).toBe(true);
    expect(progressByDefault({ isTTY: true }, { CI: 'true' })).toBe(false);
    expect(progressByDefault({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(progressByDefault({ isTTY: false }, {})).toBe(false);
    expect(progressByDefault({}, {})).toBe(false);
    const s = fake();
    const show = progressWriter(s, false);
    show('x');
    show('');
    expect(s.chunks).toEqual([]);
  });

  it('an audit with --progress leaves a clean line: no "tierwise: " left after the last clear', async () => {
    const r = await runCli(['audit', path.join(MONO, 'packages/jobs'), '--progress', '--format', 'json', '--output', path.join(TMP, 'p.json')]);
    expect(r.stderr.startsWith('\r\u001b[2Ktierwise: auditing')).toBe(true);
    expect(r.stderr.endsWith('\r\u001b[2K')).toBe(true);
    expect(r.stderr.slice(r.stderr.lastIndexOf('tierwise: '))).toMatch(/^tierwise: auditing [^\r]*\r\u001b\[2K$/);
    expect((await runCli(['audit', path.join(MONO, 'packages/jobs'), '--format', 'json', '--output', path.join(TMP, 'q.json')])).stderr).toBe('');
  });
});

describe('numeric options are validated: exit 2, one line', () => {
  const cases: Array<[string, string[]]> = [
    ['--fail-above', ['audit', DEMO, '--fail-above', 'abc']],
    ['--min-savings', ['audit', DEMO, '--min-savings', 'abc']],
    ['--fail-above', ['audit', DEMO, '--fail-above', '-1']],
    ['--min-savings', ['audit', DEMO, '--min-savings', 'Infinity']],
    ['--max-annotations', ['audit', DEMO, '--max-annotations', 'ten']],
    ['--max-annotations', ['audit', DEMO, '--max-annotations', '2.5']],
    ['--fail-above', ['audit', DEMO, '--fail-above', '1', '--fail-above', '2']],
    ['--fail-above', ['merge', 'x.json', '--fail-above', 'abc']],
    ['--min-savings', ['merge', 'x.json', '--min-savings', 'abc']],
  ];
  it('audit --fail-above (no value) --explain', async () => {
    const r = await runCli(['audit', DEMO, '--fail-above', '--explain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^tierwise: Not enough arguments following: fail-above\n$/);
  });
  for (const [option, argv] of cases) {
    it(argv.slice(0, 1).concat(argv.slice(2)).join(' '), async () => {
      const r = await runCli(argv);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(new RegExp(`^tierwise: ${option} (must be a (whole )?number >= 0|was given more than once)`));
    });
  }
});

describe('a bad tierwise config is one line on stderr, exit 2', () => {
  it('joins every problem into one line', async () => {
    const dir = path.join(TMP, 'bad-config');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export const x = 1;\n');
    fs.writeFileSync(path.join(dir, 'tierwise.config.json'), JSON.stringify({ entrypoints: { backgrund: ['x'] }, prices: 5 }));
    const r = await runCli(['audit', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.endsWith('\n')).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tierwise: \S*tierwise\.config\.json is not a valid tierwise config: .*backgrund.*; prices: .*\. See schema\/tierwise\.config\.schema\.json\.\n$/);
  });
});

describe('--fail-above gates on every finding, including those --min-savings hides', () => {
  /** A report of ten findings that each save $4/month ($40 in all). */
  function tenFourDollarFindings(): string {
    const demo = read(path.join(REPO, 'test/golden/demo.json'));
    const base = demo.findings[0]!;
    const findings: Finding[] = Array.from({ length: 10 }, (_, i) => ({
      ...base,
      file: `src/jobs/job${i}.ts`,
      callSiteId: `src/jobs/job${i}.ts:${base.line}:${base.column}`,
      fingerprint: `f${i}`.padEnd(16, '0'),
      context: null,
      contexts: [],
      edits: undefined,
      savings: { ...(base.savings as object), usdPerMonth: 4, unknown: false } as Finding['savings'],
    }));
    const file = path.join(TMP, 'ten.json');
    write(file, { ...demo, root: TMP, callSites: [], findings, summary: { ...demo.summary, usdPerMonth: 40 } });
    return file;
  }

  it('ten $4 findings, --min-savings 5 --fail-above 10: hidden, yet exit 1', async () => {
    const file = tenFourDollarFindings();
    const r = await runCli(['merge', file, '--root', TMP, '--min-savings', '5', '--fail-above', '10', '--format', 'json']);
    const shown = JSON.parse(r.stdout) as Report;
    expect(shown.findings).toEqual([]);
    expect(shown.summary.notes.join('\n')).toMatch(/10 finding\(s\) under \$5\/month hidden by --min-savings[\s\S]*still count toward --fail-above: \$40\/month/);
    expect(r.code).toBe(1);
    expect((await runCli(['merge', file, '--root', TMP, '--min-savings', '5', '--fail-above', '50'])).code).toBe(0);
    // Without --fail-above the exit code follows the findings shown.
    expect((await runCli(['merge', file, '--root', TMP, '--min-savings', '5'])).code).toBe(0);
    expect((await runCli(['merge', file, '--root', TMP, '--fail-above', '10'])).code).toBe(1);
  });
});
