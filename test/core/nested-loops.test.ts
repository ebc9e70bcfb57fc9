import { describe, expect, it } from 'vitest';
import { analyzeVirtual } from '../support/virtual.js';
import type { Analysis } from '../../src/core/analyze.js';

// Calls per run is the product of the sizes of every per-item loop between the entrypoint and the call.
const callsPerRun = (a: Analysis, file: string, line: number) => {
  const s = a.callSites.find((c) => c.file === file && c.line === line);
  if (!s) throw new Error(`no call site at ${file}:${line}; have ${a.callSites.map((c) => c.id).join(', ')}`);
  const f = a.findings.find((x) => x.callSiteId === s.id);
  if (!f?.savings || f.savings.unknown) throw new Error('expected a priced finding');
  return { site: s, calls: f.savings.assumptions.find((x) => x.what.startsWith('calls per run'))! };
};

describe('nested per-item loops multiply calls per run', () => {
  it('two literal loops in the cron handler: 3 × 2 = 6', () => {
    const a = analyzeVirtual({
      'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 2 * * *', async () => {
  for (const a of [1, 2, 3])
    for (const b of [1, 2]) await openai.responses.create({ model: 'gpt-5-mini', input: \`\${a} \${b}\` });
});
`,
    });
    const { site, calls } = callsPerRun(a, 'src/job.ts', 6);
    expect(calls.value).toBe(6);
    expect(calls.source).toBe('code');
    expect(calls.what).toBe('calls per run (nested loops: for-of over [1, 2, 3] of 3 items × for-of over [1, 2] of 2 items)');
    // The innermost loop stays the `perItem` it always was; the loops around it are listed outermost last.
    expect(site.perItem).toMatchObject({ kind: 'for-of', collection: '[1, 2]', size: 2, line: 6 });
    expect(site.perItem?.outer).toEqual([{ kind: 'for-of', collection: '[1, 2, 3]', size: 3, line: 5 }]);
  });

  it('a loop over 10 users in the cron handler around a helper looping over 5 docs: 10 × 5 = 50', () => {
    const a = analyzeVirtual({
      'src/ai.ts': `import OpenAI from 'openai';
const openai = new OpenAI();
export async function perUser(u: string) {
  for (const d of ['d1', 'd2', 'd3', 'd4', 'd5']) await openai.responses.create({ model: 'gpt-5-mini', input: u + d });
}
`,
      'src/job.ts': `import cron from 'node-cron';
import { perUser } from './ai.js';
const users = ['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8', 'u9'];
cron.schedule('0 2 * * *', async () => {
  for (const u of users) await perUser(u);
});
`,
    });
    const { site, calls } = callsPerRun(a, 'src/ai.ts', 4);
    expect(calls.value).toBe(50);
    expect(calls.source).toBe('code');
    expect(site.perItem).toMatchObject({ collection: "['d1', 'd2', 'd3', 'd4', 'd5']", size: 5 });
    expect(site.perItem?.outer).toEqual([{ kind: 'for-of', collection: 'users', size: 10, line: 5 }]);
  });

  it('a .map callback inside a literal loop, and a loop of unknown size: known sizes × the default once', () => {
    const a = analyzeVirtual({
      'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
export async function run(rows: string[][]) {
  for (let i = 0; i < 4; i++) {
    for (const row of rows) await Promise.all(row.map((x) => openai.responses.create({ model: 'gpt-5-mini', input: x })));
  }
}
cron.schedule('0 2 * * *', () => run([]));
`,
    });
    const { calls } = callsPerRun(a, 'src/job.ts', 6);
    // for (4) × for-of rows (unknown) × map row (unknown): 4 × 100 (default, once for both unknown levels) = 400.
    expect(calls.value).toBe(400);
    expect(calls.source).toBe('default');
    expect(calls.what).toContain('once in total');
  });

  it('one loop stays as before', () => {
    const a = analyzeVirtual({
      'src/job.ts': `import cron from 'node-cron';
import OpenAI from 'openai';
const openai = new OpenAI();
cron.schedule('0 2 * * *', async () => {
  for (const b of [1, 2]) await openai.responses.create({ model: 'gpt-5-mini', input: String(b) });
});
`,
    });
    const { site, calls } = callsPerRun(a, 'src/job.ts', 5);
    expect(calls).toMatchObject({ value: 2, what: 'calls per run (for-of over [1, 2] of 2 items)' });
    expect(site.perItem).not.toHaveProperty('outer');
  });
});
