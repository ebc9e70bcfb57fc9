import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { runCli } from '../support/cli.js';
import { GOLDEN, golden } from '../support/golden.js';
import type { Report } from '../../src/core/types.js';

const DEMO = path.join(REPO, 'fixtures/demo');
const TMP = fs.mkdtempSync(path.join(REPO, 'test/.tmp-cli-'));
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

function treeState(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules') continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(`${path.relative(dir, p)} ${fs.statSync(p).mtimeMs} ${fs.statSync(p).size}`);
    }
  };
  walk(dir);
  return out.sort();
}

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
}

describe('tierwise audit on the demo app: every format, golden', () => {
  const before = treeState(DEMO);
  const outputs = path.join(TMP, 'out');
  let json: Report;

  it('writes several formats in one run and exits 1 on findings', async () => {
    const r = await runCli([
      'audit', DEMO,
      '--format', 'json', '--output', path.join(outputs, 'report.json'),
      '--format', 'sarif', '--output', path.join(outputs, 'report.sarif'),
      '--format', 'markdown', '--output', path.join(outputs, 'report.md'),
      '--format', 'text',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    golden('demo.txt', r.stdout);
    json = JSON.parse(fs.readFileSync(path.join(outputs, 'report.json'), 'utf8')) as Report;
    golden('demo.json', fs.readFileSync(path.join(outputs, 'report.json'), 'utf8'));
    golden('demo.sarif', fs.readFileSync(path.join(outputs, 'report.sarif'), 'utf8'));
    golden('demo.md', fs.readFileSync(path.join(outputs, 'report.md'), 'utf8'));
    expect(json.findings.map((f) => `${f.file}:${f.line} ${f.recommendation?.tier}`)).toEqual([
      'scripts/backfill-embeddings.ts:7 batch',
      'src/ai/summarize.ts:6 batch',
      'src/jobs/moderation.ts:8 flex',
      'src/workers/translate.ts:8 batch',
    ]);
    expect(json.findings.find((f) => f.file === 'src/ai/summarize.ts')!.context?.mixed).toBe(true);
  });

  it('prints GitHub annotations and appends a step summary under GitHub Actions', async () => {
    const summary = path.join(TMP, 'step-summary.md');
    const r = await runCli(['audit', DEMO, '--format', 'github'], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    golden('demo.github.txt', r.stdout);
    expect(r.stdout).toMatch(/^::warning file=/m);
    expect(fs.readFileSync(summary, 'utf8')).toContain('| ');
  });

  it('--explain prints the arithmetic; --min-savings hides small findings; --fail-above gates on dollars', async () => {
    const explain = await runCli(['audit', DEMO, '--explain']);
    expect(explain.stdout).toMatch(/runs\/month|runs per month/i);
    const hidden = await runCli(['audit', DEMO, '--min-savings', '1', '--format', 'json']);
    const rep = JSON.parse(hidden.stdout) as Report;
    expect(rep.findings.every((f) => !f.savings || f.savings.unknown || f.savings.usdPerMonth >= 1)).toBe(true);
    expect(rep.findings.length).toBeLessThan(json.findings.length);
    expect((await runCli(['audit', DEMO, '--fail-above', '1000000'])).code).toBe(0);
    expect((await runCli(['audit', DEMO, '--fail-above', '0'])).code).toBe(1);
    expect((await runCli(['audit', DEMO, '--no-exit-code'])).code).toBe(0);
  });

  it('never writes to the audited tree', () => {
    expect(treeState(DEMO)).toEqual(before);
  });
});

describe('errors are clear and exit 2', () => {
  it('a missing directory', async () => {
    const r = await runCli(['audit', path.join(TMP, 'nope')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/is not a directory/);
  });

  it('a bad config names the key', async () => {
    const dir = path.join(TMP, 'bad-config');
    copyDir(DEMO, dir);
    fs.writeFileSync(path.join(dir, 'tierwise.config.json'), JSON.stringify({ entrypoints: { backgrund: ['x'] } }));
    const r = await runCli(['audit', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/backgrund/);
  });

  it('an unknown option, a bad --format, a bad prices file', async () => {
    expect((await runCli(['audit', DEMO, '--frobnicate'])).code).toBe(2);
    expect((await runCli(['audit', DEMO, '--format', 'yaml'])).stderr).toMatch(/unknown --format 'yaml'/);
    const prices = path.join(TMP, 'prices.json');
    fs.writeFileSync(prices, JSON.stringify({ checked: '2026-11-23', models: [{ model: 'x' }] }));
    const r = await runCli(['audit', DEMO, '--prices', prices]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/standard/);
  });
});

describe('bad input loses nothing', () => {
  it('a file that does not parse is skipped and reported; the rest is audited', async () => {
    const dir = path.join(TMP, 'broken');
    copyDir(DEMO, dir);
    fs.writeFileSync(path.join(dir, 'src/jobs/broken.ts'), 'export function (oops {\n');
    const r = await runCli(['audit', dir, '--format', 'json']);
    const rep = JSON.parse(r.stdout) as Report;
    expect(rep.skipped).toEqual([{ file: 'src/jobs/broken.ts', reason: expect.stringMatching(/^does not parse \(line 1:/) }]);
    expect(rep.findings).toHaveLength(json_findings_count());
  });

  it('works on a bare clone without node_modules, and says so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-bare-'));
    try {
      copyDir(DEMO, dir);
      const r = await runCli(['audit', dir, '--format', 'json']);
      const rep = JSON.parse(r.stdout) as Report;
      expect(rep.summary.typeInfo).toBe('imports');
      expect(rep.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual(demoFindingKeys());
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

let demoKeys: string[] | undefined;
function demoFindingKeys(): string[] {
  demoKeys ??= (JSON.parse(fs.readFileSync(path.join(GOLDEN, 'demo.json'), 'utf8')) as Report).findings.map((f) => `${f.rule} ${f.file}:${f.line}`);
  return demoKeys;
}
function json_findings_count(): number {
  return demoFindingKeys().length;
}

describe('CI workflows', () => {
  it('baseline round trip: write, then only new findings; stale entries are reported', async () => {
    const baseline = path.join(TMP, 'baseline.json');
    expect((await runCli(['audit', DEMO, '--write-baseline', baseline])).code).toBe(0);
    const again = await runCli(['audit', DEMO, '--baseline', baseline, '--format', 'json']);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as Report).findings).toEqual([]);
    const b = JSON.parse(fs.readFileSync(baseline, 'utf8')) as { entries: Array<{ fingerprint: string }> };
    b.entries.push({ ...b.entries[0]!, fingerprint: 'feedfacefeedface' });
    b.entries.shift();
    fs.writeFileSync(baseline, JSON.stringify(b));
    const one = await runCli(['audit', DEMO, '--baseline', baseline, '--format', 'json']);
    expect(one.code).toBe(1);
    expect((JSON.parse(one.stdout) as Report).findings).toHaveLength(1);
    expect(one.stderr).toMatch(/1 baseline entry matches no finding/);
  });

  it('--changed-since keeps findings whose file, entrypoint or chain changed', async () => {
    const dir = path.join(TMP, 'git');
    copyDir(DEMO, dir);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
    fs.appendFileSync(path.join(dir, 'src/jobs/digest.ts'), '\n// touched\n');
    const r = await runCli(['audit', dir, '--changed-since', 'HEAD', '--format', 'json']);
    const rep = JSON.parse(r.stdout) as Report;
    // summarize.ts itself did not change, but its cron chain starts in digest.ts, which did.
    expect(rep.findings.map((f) => f.file)).toEqual(['src/ai/summarize.ts']);
  });

  it('audits every workspace of a monorepo and merges them; --workspace narrows', async () => {
    const mono = path.join(REPO, 'fixtures/workspaces/monorepo');
    const all = JSON.parse((await runCli(['audit', mono, '--format', 'json'])).stdout) as Report;
    expect(all.findings.map((f) => `${f.file}:${f.line} ${f.recommendation?.tier}`)).toEqual([
      'packages/api/src/reindex.ts:9 batch',
      'packages/jobs/src/nightly.ts:8 flex',
    ]);
    expect(all.callSites.map((s) => `${s.file} ${s.classification}`)).toContain('packages/api/src/server.ts interactive');
    const jobs = JSON.parse((await runCli(['audit', mono, '--workspace', '@acme/jobs', '--format', 'json'])).stdout) as Report;
    expect(jobs.findings.map((f) => f.file)).toEqual(['packages/jobs/src/nightly.ts']);
  });

  it('merge: per-workspace JSON reports merge into one', async () => {
    const mono = path.join(REPO, 'fixtures/workspaces/monorepo');
    const a = path.join(TMP, 'jobs.json');
    const b = path.join(TMP, 'api.json');
    await runCli(['audit', path.join(mono, 'packages/jobs'), '--format', 'json', '--output', a]);
    await runCli(['audit', path.join(mono, 'packages/api'), '--format', 'json', '--output', b]);
    const r = await runCli(['merge', a, b, '--root', mono, '--format', 'json']);
    expect(r.code).toBe(1);
    expect((JSON.parse(r.stdout) as Report).findings.map((f) => f.file)).toEqual(['packages/api/src/reindex.ts', 'packages/jobs/src/nightly.ts']);
  });

  it('--cache: a warm run returns the same report; a changed file misses', async () => {
    const dir = path.join(TMP, 'cache');
    copyDir(DEMO, dir);
    const cacheDir = path.join(TMP, 'cache-dir');
    const cold = await runCli(['audit', dir, '--cache', '--cache-dir', cacheDir, '--format', 'json']);
    expect(fs.readdirSync(cacheDir).length).toBe(1);
    const warm = await runCli(['audit', dir, '--cache', '--cache-dir', cacheDir, '--format', 'json']);
    expect(warm.stdout).toBe(cold.stdout);
    fs.appendFileSync(path.join(dir, 'src/jobs/moderation.ts'), '\n');
    await runCli(['audit', dir, '--cache', '--cache-dir', cacheDir, '--format', 'json']);
    expect(fs.readdirSync(cacheDir).length).toBe(2);
  });

  it('--usage calibrates the estimates of a model to measured tokens and says so', async () => {
    const usage = path.join(TMP, 'usage.json');
    const day = 86_400;
    fs.writeFileSync(
      usage,
      JSON.stringify({
        object: 'page',
        has_more: false,
        next_page: null,
        data: [
          {
            object: 'bucket',
            start_time: 1_760_000_000,
            end_time: 1_760_000_000 + 30 * day,
            results: [{ object: 'organization.usage.completions.result', model: 'gpt-4o-mini', input_tokens: 50_000_000, output_tokens: 5_000_000, input_cached_tokens: 0, num_model_requests: 100_000 }],
          },
        ],
      }),
    );
    const rep = JSON.parse((await runCli(['audit', DEMO, '--usage', usage, '--format', 'json'])).stdout) as Report;
    const translate = rep.findings.find((f) => f.file === 'src/workers/translate.ts')!;
    expect(translate.savings && !translate.savings.unknown && translate.savings.calibrated).toBe(true);
    // 50M input at $0.15/M and 5M output at $0.60/M on standard = $10.50; batch saves half.
    expect(translate.savings && !translate.savings.unknown && translate.savings.usdPerMonth).toBeCloseTo(5.25, 2);
    expect(rep.summary.notes.join('\n')).toMatch(/calibrated/);

    // The text report tags each calibrated finding's savings line, and only those.
    const text = (await runCli(['audit', DEMO, '--usage', usage, '--no-exit-code'])).stdout;
    const savingsLines = text.split('\n').filter((l) => /^ {2}\d+:\d+ {2}/.test(l));
    const tagged = savingsLines.filter((l) => l.endsWith('  (calibrated to measured usage)'));
    const calibrated = rep.findings.filter((f) => f.savings && !f.savings.unknown && f.savings.calibrated);
    expect(tagged).toHaveLength(calibrated.length);
    expect(text).toMatch(/^src\/workers\/translate\.ts\n(?: {2}.*\n)*? {2}\d+:\d+ {2}warning {2}no-standard-tier-in-background {2}\$5\.25\/mo → batch {2}\(calibrated to measured usage\)$/m);
    expect(savingsLines.length).toBeGreaterThan(tagged.length);

    // So does the PR comment, in each calibrated finding's Saving line.
    const md = (await runCli(['audit', DEMO, '--usage', usage, '--format', 'markdown', '--no-exit-code'])).stdout;
    const mdSavings = md.split('\n').filter((l) => l.startsWith('**Saving:**'));
    expect(mdSavings.filter((l) => l.includes('calibrated to measured usage'))).toHaveLength(calibrated.length);
    expect(mdSavings.length).toBeGreaterThan(calibrated.length);
  });
});
