/**
 * `tierwise fix batch` end to end on a small project: the audit's batch findings drive the codemod through the shared
 * fix runner (dry diff, writes, helper file, saving, refusals in the summary, --site, dirty tree, idempotence).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import transformer, { helperSource, rewriteLoops } from '../../../codemods/loop-to-batch.js';
import { fixBatch } from '../../../src/fix/batch.js';
import { DirtyTreeError, formatSummary } from '../../../src/fix/runner.js';
import { fixExitCode } from '../../../src/fix/command.js';
import { audit } from '../../../src/audit/audit.js';
import { REPO } from '../../support/fixtures.js';

const JOBS = `import cron from 'node-cron';
import OpenAI from 'openai';

const client = new OpenAI();

export async function nightlyDigest(texts: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const text of texts) {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: \`Summarize: \${text}\` }],
    });
    out.push(completion.choices[0]?.message.content ?? '');
  }
  return out;
}

export async function nightlyChat(questions: string[]): Promise<string> {
  let last = '';
  for (const q of questions) {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: \`\${last}\\n\${q}\` }],
    });
    last = completion.choices[0]?.message.content ?? '';
  }
  return last;
}

cron.schedule('0 3 * * *', async () => {
  await nightlyDigest(['a', 'b']);
  await nightlyChat(['x', 'y']);
});
`;

/** The call sits in a helper the loop calls once per item: the rewrite keeps a `batched ?? await …` in the helper. */
const HELPER_JOBS = `import cron from 'node-cron';
import OpenAI from 'openai';

const client = new OpenAI();

async function summarize(text: string): Promise<string> {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o',
    messages: [{ role: 'user', content: \`Summarize: \${text}\` }],
  });
  return completion.choices[0]?.message.content ?? '';
}

export async function nightlyDigest(texts: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const text of texts) {
    out.push(await summarize(text));
  }
  return out;
}

cron.schedule('0 3 * * *', async () => {
  await nightlyDigest(['a', 'b']);
});
`;

const dirs: string[] = [];
function project(jobs = JOBS): string {
  const dir = path.join(REPO, 'fixtures', `.tmp-${process.pid}-fix-batch-${dirs.length}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, noEmit: true, types: ['node'] }, include: ['src'] }),
  );
  fs.writeFileSync(path.join(dir, 'src/jobs.ts'), jobs);
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('tierwise fix batch', () => {
  it('the audit recommends the Batch API for both loops (the premise of these tests)', async () => {
    const dir = project();
    const report = await audit({ dir });
    const batch = report.findings.filter((f) => f.recommendation?.tier === 'batch').map((f) => f.line);
    expect(batch).toEqual([9, 21]);
  });

  it('--dry: prints a diff, writes nothing, reports the rewrite, the refusal and the saving', async () => {
    const dir = project();
    const report = await audit({ dir });
    const saving = report.findings.find((f) => f.line === 9)!.savings;
    expect(saving && !saving.unknown && saving.usdPerMonth > 0).toBe(true);
    const { summary, selected } = await fixBatch({ dir, dry: true, format: false });
    expect(selected).toBe(2);
    expect(fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8')).toBe(JOBS);
    expect(fs.existsSync(path.join(dir, 'src/openai-batch.ts'))).toBe(false);
    expect(summary.changed).toEqual(['src/jobs.ts']);
    expect(summary.created).toEqual(['src/openai-batch.ts']);
    expect(summary.diff).toContain("+  const batchResults = await runBatch(client, {");
    expect(summary.diff).toContain("+import { runBatch, unwrap } from './openai-batch.js';");
    expect(summary.applied.map((a) => a.id)).toEqual(['src/jobs.ts:9:30']);
    expect(summary.usdPerMonth).toBeCloseTo(saving && !saving.unknown ? saving.usdPerMonth : NaN, 2);
    expect(summary.skipped).toEqual([
      expect.objectContaining({ file: 'src/jobs.ts', line: 21, reason: expect.stringContaining('reads `last`, which the loop changes after the call') }),
    ]);
  });

  it('writes the rewrite and the helper; a second run changes nothing and reuses the helper', async () => {
    const dir = project();
    const expected = rewriteLoops(JOBS, path.join(dir, 'src/jobs.ts'), { targets: [{ line: 9 }] }).output;
    const first = await fixBatch({ dir, force: true, format: false });
    expect(first.summary.errors).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8')).toBe(expected);
    expect(fs.readFileSync(path.join(dir, 'src/openai-batch.ts'), 'utf8')).toBe(helperSource());
    const second = await fixBatch({ dir, force: true, format: false });
    expect(second.summary.changed).toEqual([]);
    expect(second.summary.created).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8')).toBe(expected);
  });

  it('a helper rewritten by a first run counts as unchanged on the second: nothing skipped, exit code 0', async () => {
    const dir = project(HELPER_JOBS);
    const first = await fixBatch({ dir, force: true, format: false });
    expect(first.summary.applied.map((a) => a.id)).toEqual(['src/jobs.ts:7:28']);
    expect(fixExitCode(first.summary)).toBe(0);
    const rewritten = fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8');
    expect(rewritten).toContain('batched ?? await client.chat.completions.create(');
    // the audit still reports the call in the helper (its direct-call fallback); the transform sees it is done
    const second = await fixBatch({ dir, force: true, format: false });
    expect(second.selected).toBe(1);
    expect(second.summary.skipped).toEqual([]);
    expect(second.summary.changed).toEqual([]);
    expect(second.summary.unchanged).toEqual(['src/jobs.ts']);
    expect(fixExitCode(second.summary)).toBe(0);
    expect(formatSummary(second.summary)).toContain('0 file(s) changed, 1 unchanged, 0 skipped, 0 error(s).');
    expect(fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8')).toBe(rewritten);
  });

  it('--site narrows to one call; a site the audit does not batch gets a warning', async () => {
    const dir = project();
    const { summary } = await fixBatch({ dir, dry: true, format: false, sites: ['src/jobs.ts:21', 'src/jobs.ts:40'] });
    expect(summary.applied).toEqual([]);
    expect(summary.skipped.map((s) => s.line)).toEqual([21]);
    expect(summary.warnings.join('\n')).toContain('--site src/jobs.ts:40: no background call site there');
  });

  it('refuses a dirty git tree without --force', async () => {
    const dir = project(); // untracked files inside the repo's work tree
    await expect(fixBatch({ dir, format: false })).rejects.toThrow(DirtyTreeError);
    expect(fs.readFileSync(path.join(dir, 'src/jobs.ts'), 'utf8')).toBe(JOBS);
  });
});

describe('the runtime helper ships with the package', () => {
  it('is found from the source layout (codemods/) and from the build layout (dist/codemods/)', () => {
    const text = fs.readFileSync(path.join(REPO, 'codemods/runtime/openai-batch.ts'), 'utf8');
    expect(helperSource()).toBe(text);
    expect(helperSource(path.join(REPO, 'codemods'))).toBe(text);
    expect(helperSource(path.join(REPO, 'dist/codemods'))).toBe(text);
    expect(() => helperSource(path.join(REPO, 'test'))).toThrow(/openai-batch\.ts was not found/);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('codemods/runtime');
  });
});

describe('run directly as a jscodeshift transform', () => {
  it('asks the analysis core for the batch findings of the file, writes the helper, reports refusals', async () => {
    const dir = project();
    const file = path.join(dir, 'src/jobs.ts');
    const reports: string[] = [];
    const api = { report: (m: string) => reports.push(m) } as unknown as Parameters<typeof transformer>[1];
    const dry = await transformer({ path: file, source: JOBS }, api, { root: dir, dry: true });
    expect(dry).toBe(rewriteLoops(JOBS, file, { targets: [{ line: 9 }] }).output);
    expect(fs.existsSync(path.join(dir, 'src/openai-batch.ts'))).toBe(false);
    expect(reports.join('\n')).toMatch(/jobs\.ts:21: skipped: each request reads `last`/);
    await transformer({ path: file, source: JOBS }, api, { root: dir });
    expect(fs.readFileSync(path.join(dir, 'src/openai-batch.ts'), 'utf8')).toBe(helperSource());
  });
});
