import { describe, expect, it } from 'vitest';
import { applyBaseline, parseBaseline, pruneBaseline, writeBaseline } from '../../src/audit/baseline.js';
import { knownSavings, makeFinding, makeReport, sampleReport, unknownSavings } from './sample-report.js';

describe('writeBaseline', () => {
  it('keys entries on rule + file + fingerprint, never the line, and counts duplicates', () => {
    const report = makeReport([
      makeFinding({ file: 'src/jobs/a.ts', line: 30, fingerprint: 'dup' }),
      makeFinding({ file: 'src/jobs/a.ts', line: 10, fingerprint: 'dup' }),
      makeFinding({ file: 'src/jobs/a.ts', line: 50, fingerprint: 'other', rule: 'flex-needs-timeout' }),
    ]);
    const text = writeBaseline(report);
    expect(text.endsWith('\n')).toBe(true);
    expect(text).not.toMatch(/"line"/);
    const b = parseBaseline(text);
    expect(b.entries).toEqual([
      { rule: 'flex-needs-timeout', file: 'src/jobs/a.ts', fingerprint: 'other', message: report.findings[2]!.message },
      { rule: 'no-standard-tier-in-background', file: 'src/jobs/a.ts', fingerprint: 'dup', message: report.findings[1]!.message, count: 2 },
    ]);
  });

  it('is independent of finding order', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.findings.reverse();
    expect(writeBaseline(a)).toBe(writeBaseline(b));
  });
});

describe('applyBaseline', () => {
  it('round trip: the same findings after lines moved are all baselined', () => {
    const before = sampleReport();
    const baseline = parseBaseline(writeBaseline(before));
    const after = sampleReport();
    for (const f of after.findings) {
      f.line += 7;
      f.endLine += 7;
      f.callSiteId = `${f.file}:${f.line}:${f.column}`;
    }
    const result = applyBaseline(after, baseline);
    expect(result.baselined).toBe(5);
    expect(result.report.findings).toEqual([]);
    expect(result.stale).toEqual([]);
    expect(result.report.summary.findings).toBe(0);
    expect(result.report.summary.byRule).toEqual({});
    expect(result.report.summary.usdPerMonth).toBe(0);
    expect(result.report.summary.notes).toContain('5 findings baselined');
  });

  it('reports new findings, a third duplicate beyond the count, and stale entries', () => {
    const old = makeReport([
      makeFinding({ file: 'src/a.ts', line: 10, fingerprint: 'dup', savings: knownSavings(10) }),
      makeFinding({ file: 'src/a.ts', line: 20, fingerprint: 'dup', savings: knownSavings(10) }),
      makeFinding({ file: 'src/gone.ts', line: 5, fingerprint: 'fixed' }),
    ]);
    const baseline = parseBaseline(writeBaseline(old));
    const now = makeReport([
      makeFinding({ file: 'src/a.ts', line: 12, fingerprint: 'dup', savings: knownSavings(10) }),
      makeFinding({ file: 'src/a.ts', line: 22, fingerprint: 'dup', savings: knownSavings(10) }),
      makeFinding({ file: 'src/a.ts', line: 40, fingerprint: 'dup', savings: knownSavings(10) }),
      makeFinding({ file: 'src/new.ts', line: 3, fingerprint: 'new', savings: unknownSavings('queue volume unknown') }),
      // Same fingerprint, different file: not covered.
      makeFinding({ file: 'src/b.ts', line: 10, fingerprint: 'dup', savings: knownSavings(4) }),
    ]);
    const { report, baselined, stale } = applyBaseline(now, baseline);
    expect(baselined).toBe(2);
    expect(report.findings.map((f) => `${f.file}:${f.line}`)).toEqual(['src/a.ts:40', 'src/b.ts:10', 'src/new.ts:3']);
    expect(stale).toEqual([{ rule: 'no-standard-tier-in-background', file: 'src/gone.ts', fingerprint: 'fixed', message: old.findings[2]!.message }]);
    expect(report.summary.findings).toBe(3);
    expect(report.summary.usdPerMonth).toBe(14);
    expect(report.summary.unknownSavings).toBe(1);
  });

  it('a baseline keyed on another rule does not hide a finding', () => {
    const baseline = parseBaseline(writeBaseline(makeReport([makeFinding({ file: 'x.ts', line: 1, fingerprint: 'f', rule: 'flex-needs-timeout' })])));
    const { report, stale } = applyBaseline(makeReport([makeFinding({ file: 'x.ts', line: 1, fingerprint: 'f' })]), baseline);
    expect(report.findings).toHaveLength(1);
    expect(stale).toHaveLength(1);
  });

  it('pruning removes stale entries and reduces counts', () => {
    const baseline = parseBaseline(
      writeBaseline(
        makeReport([
          makeFinding({ file: 'a.ts', line: 1, fingerprint: 'd' }),
          makeFinding({ file: 'a.ts', line: 2, fingerprint: 'd' }),
          makeFinding({ file: 'a.ts', line: 3, fingerprint: 'd' }),
          makeFinding({ file: 'b.ts', line: 3, fingerprint: 'gone' }),
        ]),
      ),
    );
    const now = makeReport([makeFinding({ file: 'a.ts', line: 9, fingerprint: 'd' })]);
    const { stale } = applyBaseline(now, baseline);
    expect(stale.map((s) => [s.file, s.count ?? 1])).toEqual([
      ['a.ts', 2],
      ['b.ts', 1],
    ]);
    const pruned = pruneBaseline(baseline, stale);
    expect(pruned.entries.map((e) => [e.file, e.fingerprint, e.count ?? 1])).toEqual([['a.ts', 'd', 1]]);
    expect(applyBaseline(now, pruned).stale).toEqual([]);
  });
});

describe('parseBaseline', () => {
  it('rejects bad input with a clear error', () => {
    expect(() => parseBaseline('{nope', '.tierwise-baseline.json')).toThrow(/^\.tierwise-baseline\.json: not valid JSON/);
    expect(() => parseBaseline('{"version":2,"tool":"tierwise","entries":[]}', 'b.json')).toThrow(/b\.json: not a tierwise baseline \(version: /);
    expect(() =>
      parseBaseline('{"version":1,"tool":"tierwise","entries":[{"rule":"nope","file":"a","fingerprint":"f","message":""}]}', 'b.json'),
    ).toThrow(/entries\.0\.rule/);
  });
});
