import { describe, expect, it } from 'vitest';
import { mergeReports, parseReport, withFindings } from '../../src/audit/merge.js';
import { cronContext, knownSavings, makeFinding, makeReport, unknownSavings } from './sample-report.js';

function workspaceReport(root: string, file: string, line: number, usd: number | null) {
  const f = makeFinding({ file, line, context: { ...cronContext, entry: { ...cronContext.entry, file: 'src/schedule.ts' }, chain: [{ name: 'run', file, line: 2 }] }, savings: usd === null ? unknownSavings('unknown volume') : knownSavings(usd) });
  return makeReport([f], [], root);
}

describe('mergeReports', () => {
  it('re-bases paths to the common root and recomputes the summary', () => {
    const api = workspaceReport('/repo/packages/api', 'src/jobs/a.ts', 10, 100);
    const web = workspaceReport('/repo/packages/web', 'src/jobs/a.ts', 10, null);
    web.summary.typeInfo = 'imports';
    web.summary.notes.push('web: no node_modules');
    const merged = mergeReports([web, api], { root: '/repo' });
    expect(merged.root).toBe('/repo');
    expect(merged.findings.map((f) => f.file)).toEqual(['packages/api/src/jobs/a.ts', 'packages/web/src/jobs/a.ts']);
    expect(merged.findings[0]!.callSiteId).toBe('packages/api/src/jobs/a.ts:10:18');
    expect(merged.findings[0]!.context!.entry.file).toBe('packages/api/src/schedule.ts');
    expect(merged.findings[0]!.context!.chain[0]!.file).toBe('packages/api/src/jobs/a.ts');
    expect(merged.callSites.map((c) => c.id)).toEqual(['packages/api/src/jobs/a.ts:10:18', 'packages/web/src/jobs/a.ts:10:18']);
    expect(merged.callSites[0]!.client.createdAt!.file).toBe('packages/api/src/lib/openai.ts');
    expect(merged.skipped.map((s) => s.file)).toEqual(['packages/api/src/legacy/broken.ts', 'packages/web/src/legacy/broken.ts']);
    expect(merged.summary).toMatchObject({
      files: 24,
      callSites: 2,
      findings: 2,
      byRule: { 'no-standard-tier-in-background': 2 },
      byClassification: { background: 2, interactive: 0, mixed: 0, unknown: 0 },
      typeInfo: 'imports',
      usdPerMonth: 100,
      unknownSavings: 1,
    });
    expect(merged.summary.notes).toEqual(['prices checked 2026-11-23', 'web: no node_modules']);
  });

  it('collapses duplicate call sites and findings by id (the same file audited twice)', () => {
    const whole = workspaceReport('/repo', 'packages/api/src/jobs/a.ts', 10, 100);
    const part = workspaceReport('/repo/packages/api', 'src/jobs/a.ts', 10, 100);
    const merged = mergeReports([whole, part], { root: '/repo' });
    expect(merged.findings).toHaveLength(1);
    expect(merged.callSites).toHaveLength(1);
    expect(merged.summary.usdPerMonth).toBe(100);
  });

  it('rejects non-tierwise input and paths outside the root', () => {
    const bad = { ...workspaceReport('/repo', 'a.ts', 1, 1), tool: 'knip' } as unknown as ReturnType<typeof makeReport>;
    expect(() => mergeReports([bad], { root: '/repo' })).toThrow('input 1: not a tierwise report (tool is "knip"');
    expect(() => mergeReports([workspaceReport('/elsewhere', 'a.ts', 1, 1)], { root: '/repo' })).toThrow(/outside the merge root/);
    expect(() => mergeReports([], { root: '/repo' })).toThrow('nothing to merge');
  });
});

describe('parseReport', () => {
  it('round-trips a JSON report and explains bad files', () => {
    const r = workspaceReport('/repo', 'a.ts', 1, 5);
    expect(parseReport(JSON.stringify(r), 'a.json')).toEqual(r);
    expect(() => parseReport('not json', 'a.json')).toThrow(/^a\.json: not valid JSON/);
    expect(() => parseReport('[]', 'a.json')).toThrow('a.json: not a tierwise report');
    expect(() => parseReport(JSON.stringify({ ...r, findings: 'x' }), 'a.json')).toThrow(/a\.json: malformed tierwise report at findings/);
  });
});

describe('withFindings', () => {
  it('recomputes counts, savings and the defaults-only share', () => {
    const a = makeFinding({ file: 'a.ts', line: 1, savings: knownSavings(10) });
    const b = makeFinding({ file: 'b.ts', line: 1, savings: { ...(knownSavings(5) as Extract<ReturnType<typeof knownSavings>, { usdPerMonth: number }>), confidence: 'low' } });
    const r = makeReport([a, b]);
    r.summary.usdPerMonthFromDefaultsOnly = 999;
    const out = withFindings(r, [b], ['note']);
    expect(out.summary).toMatchObject({ findings: 1, usdPerMonth: 5, usdPerMonthFromDefaultsOnly: 5, unknownSavings: 0 });
    expect(out.summary.notes.at(-1)).toBe('note');
    expect(r.summary.findings).toBe(2);
  });
});
