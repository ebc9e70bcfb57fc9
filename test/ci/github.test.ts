import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, toGithubAnnotations, toStepSummary } from '../../src/audit/reporters/github.js';
import { MARKDOWN_MARKER } from '../../src/audit/reporters/markdown.js';
import { bigReport, makeFinding, makeReport, sampleReport } from './sample-report.js';

/** Parses one workflow command line the way the runner does (split on the first `::` after the command). */
function parseCommand(line: string): { command: string; props: Record<string, string>; message: string } {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    props[kv.slice(0, i)] = unescape(kv.slice(i + 1));
  }
  return { command: m[1]!, props, message: unescape(m[3]!) };
}

describe('workflow-command escaping', () => {
  it('escapes data and properties per the toolkit rules', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('C:\\x,y%\n')).toBe('C%3A\\x%2Cy%25%0A');
  });
});

describe('toGithubAnnotations', () => {
  it('annotates findings highest saving first with file, lines and title', () => {
    const out = toGithubAnnotations(sampleReport());
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const first = parseCommand(lines[0]!);
    expect(first.command).toBe('warning');
    expect(first.props).toEqual({ file: 'src/jobs/digest.ts', line: '14', endLine: '17', title: 'tierwise no-standard-tier-in-background (saving $182.40/mo)' });
    expect(first.message).toContain("Entrypoint: node-cron '0 6 * * *' (src/jobs/schedule.ts:5).");
    expect(lines.map((l) => parseCommand(l).props.file)).toEqual([
      'src/jobs/digest.ts',
      'src/jobs/digest.ts',
      'src/workers/email.ts',
      'scripts/eval.ts',
      'src/jobs/report.ts',
    ]);
    expect(parseCommand(lines[4]!).command).toBe('error');
    expect(parseCommand(lines[4]!).props.title).toBe('tierwise flex-unsupported-model');
    expect(parseCommand(lines[2]!).props.title).toBe('tierwise no-standard-tier-in-background (saving unknown)');
  });

  it('keeps a message with newlines, colons and commas on one line, recoverable by the runner', () => {
    const f = makeFinding({ file: 'src/odd,name:1.ts', line: 2, message: 'line one\nline two: 50%, really' });
    const out = toGithubAnnotations(makeReport([f]), { pathPrefix: 'apps/web' });
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    const cmd = parseCommand(out.trimEnd());
    expect(cmd.props.file).toBe('apps/web/src/odd,name:1.ts');
    expect(cmd.message.startsWith('line one\nline two: 50%, really')).toBe(true);
  });

  it('adds columns only for single-line findings', () => {
    const f = makeFinding({ file: 'a.ts', line: 4 });
    f.endLine = 4;
    f.endColumn = 40;
    const cmd = parseCommand(toGithubAnnotations(makeReport([f])).trimEnd());
    expect(cmd.props).toMatchObject({ line: '4', endLine: '4', col: '18', endColumn: '40' });
  });

  it('stops at max and says how many were not annotated', () => {
    const out = toGithubAnnotations(bigReport(25), { max: 10 });
    const lines = out.trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).every((l) => l.startsWith('::warning '))).toBe(true);
    expect(lines[10]).toBe('tierwise: 15 more findings not annotated (GitHub shows at most 10 annotations of each level per step); see the step summary or the SARIF upload.');
  });

  it("names --max-annotations as tierwise's cap and keeps GitHub's own limit at 10", () => {
    const lines = toGithubAnnotations(bigReport(25), { max: 3 }).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('tierwise: 22 more findings not annotated (--max-annotations 3; GitHub shows at most 10 annotations of each level per step); see the step summary or the SARIF upload.');
  });

  it('prints nothing for a clean report', () => {
    expect(toGithubAnnotations(makeReport([]))).toBe('');
  });
});

describe('toStepSummary', () => {
  it('is the markdown table without the sticky marker', () => {
    const md = toStepSummary(sampleReport());
    expect(md).not.toContain(MARKDOWN_MARKER);
    expect(md).toContain('| # | Saving | Rule | Location | Call | Entrypoint | Fix |');
  });

  it('stays under 1 MiB on a huge report', () => {
    const md = toStepSummary(bigReport(12_000));
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(1_000_000);
    expect(md).toMatch(/_\d+ more findings not shown/);
  });
});
