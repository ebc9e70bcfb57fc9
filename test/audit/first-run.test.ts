/**
 * What a new user meets on a first run: ESLint's disable comments honoured by the audit, a --baseline that does not
 * exist yet, an unknown flag, and the markdown a PR comment renders.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit.js';
import { eslintSuppressions } from '../../src/core/suppressions.js';
import { toMarkdown } from '../../src/audit/reporters/markdown.js';
import { markdownText } from '../../src/audit/reporters/common.js';
import { runCli } from '../support/cli.js';
import { REPO } from '../support/fixtures.js';

const DEMO = path.join(REPO, 'fixtures/demo');

/** A project inside the repo (so `openai` and `node-cron` resolve) with one job file. */
function project(name: string, job: string): string {
  const dir = path.join(REPO, 'fixtures', `.tmp-${process.pid}-${name}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name, type: 'module' }));
  fs.writeFileSync(path.join(dir, 'src/job.ts'), job);
  return dir;
}

const JOB = (directive: string) => `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 * * * *', async () => {
  ${directive}
  await openai.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: 'hi' }] });
});
`;

describe('ESLint disable directives for tierwise rules silence the audit too', () => {
  it.each([
    ['// eslint-disable-next-line tierwise/no-standard-tier-in-background', 0],
    ['// eslint-disable-next-line tierwise/no-standard-tier-in-background -- batch job, latency matters', 0],
    ['/* eslint-disable-next-line */', 0],
    ['// eslint-disable-next-line tierwise/flex-needs-timeout', 1],
    ['// eslint-disable-next-line no-console', 1],
    ['// tierwise-ignore-next-line', 0],
    ['', 1],
  ])('%s → %i finding(s)', (directive, findings) => {
    const dir = project('directives', JOB(directive));
    try {
      expect(audit({ dir }).findings).toHaveLength(findings);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads same-line directives and disable/enable regions', () => {
    const text = [
      'a(); // eslint-disable-line tierwise/flex-needs-timeout',
      '/* eslint-disable tierwise/no-standard-tier-in-background */',
      'b();',
      '/* eslint-enable tierwise/no-standard-tier-in-background */',
      'c();',
      '/* eslint-disable */',
      'd();',
    ].join('\n');
    const silenced = eslintSuppressions(text);
    expect(silenced('flex-needs-timeout', 1)).toBe(true);
    expect(silenced('no-standard-tier-in-background', 1)).toBe(false);
    expect(silenced('no-standard-tier-in-background', 3)).toBe(true);
    expect(silenced('no-standard-tier-in-background', 5)).toBe(false);
    expect(silenced('flex-unsupported-model', 7)).toBe(true);
    expect(eslintSuppressions('x();\n')('flex-needs-timeout', 1)).toBe(false);
  });
});

describe('first runs of the CLI', () => {
  it('a --baseline that does not exist yet is an empty baseline, with a one-line note', async () => {
    const missing = path.join(REPO, 'test', `.tmp-missing-baseline-${process.pid}.json`);
    const r = await runCli(['audit', DEMO, '--baseline', missing, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([`tierwise: ${missing} does not exist yet, so every finding is new (write it with --write-baseline ${missing})`]);
    expect((JSON.parse(r.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('an unknown flag is named once, as typed, with the valid options', async () => {
    const r = await runCli(['audit', DEMO, '--bogus-flag']);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tierwise: Unknown option: --bogus-flag\. Valid options: .*--baseline.*--format.*$/);
    expect(lines[0]).not.toMatch(/bogusFlag/);
  });
});

describe('markdown', () => {
  it('renders code spans as <code> (inside <details> too) and escapes the rest', () => {
    expect(markdownText('`openai.chat` runs in *the* job | x')).toBe('<code>openai.chat</code> runs in \\*the\\* job \\| x');
    expect(markdownText('a `<b>` c')).toBe('a <code>&lt;b&gt;</code> c');
  });

  it('shows each saving once, the same in the table, the details and the arithmetic', () => {
    const report = audit({ dir: DEMO });
    const md = toMarkdown(report);
    expect(md).not.toMatch(/\\`/);
    for (const f of report.findings) {
      const s = f.savings;
      if (!s || s.unknown) continue;
      // savings = $standard − $recommended = $saving: the difference of the two rounded figures, as the table shows it.
      const line = s.arithmetic?.find((l) => l.startsWith('savings = '));
      const m = /^savings = \$([\d.,]+) − \$([\d.,]+) = \$([\d.,]+)\/month$/.exec(line ?? '');
      if (!m) continue;
      const [std, rec, saving] = m.slice(1).map((x) => Number(x!.replace(/,/g, '')));
      expect(Math.round((std! - rec!) * 1e6) / 1e6, line).toBe(saving);
      expect(saving).toBe(s.usdPerMonth);
      expect(md).toContain(`$${s.usdPerMonth >= 0.005 ? s.usdPerMonth.toFixed(2) : s.usdPerMonth}/mo`);
    }
  });
});
