import { describe, expect, it } from 'vitest';
import { OutputUsageError, pairFormatsAndOutputs, renderOutputs, stepSummaryPath } from '../../src/audit/outputs.js';
import { toMarkdown } from '../../src/audit/reporters/markdown.js';
import { toSarif } from '../../src/audit/reporters/sarif.js';
import { sampleReport } from './sample-report.js';

describe('pairFormatsAndOutputs', () => {
  it('defaults to text on stdout, or text to a single --output', () => {
    expect(pairFormatsAndOutputs(undefined, undefined)).toEqual([{ format: 'text' }]);
    expect(pairFormatsAndOutputs([], ['report.txt'])).toEqual([{ format: 'text', output: 'report.txt' }]);
  });

  it('pairs by position and sends an unpaired last format to stdout', () => {
    expect(pairFormatsAndOutputs(['sarif', 'json', 'text'], ['a.sarif', 'b.json'])).toEqual([
      { format: 'sarif', output: 'a.sarif' },
      { format: 'json', output: 'b.json' },
      { format: 'text' },
    ]);
    expect(pairFormatsAndOutputs('markdown', 'comment.md')).toEqual([{ format: 'markdown', output: 'comment.md' }]);
    expect(pairFormatsAndOutputs(['json', 'github'], ['out.json', '-'])).toEqual([{ format: 'json', output: 'out.json' }, { format: 'github' }]);
  });

  it('rejects mismatched counts with a clear error', () => {
    expect(() => pairFormatsAndOutputs(['sarif', 'json', 'text'], ['a.sarif'])).toThrow(
      '3 --format values but only 1 --output value: every format except the last needs its own --output (the last may go to stdout)',
    );
    expect(() => pairFormatsAndOutputs(['json'], ['a.json', 'b.json'])).toThrow(
      '2 --output values for 1 --format value: each --output pairs with the --format at the same position',
    );
  });

  it('rejects unknown formats, two stdout outputs and one file for two formats', () => {
    expect(() => pairFormatsAndOutputs(['xml'], [])).toThrow(OutputUsageError);
    expect(() => pairFormatsAndOutputs(['xml'], [])).toThrow("unknown --format 'xml'");
    expect(() => pairFormatsAndOutputs(['json', 'text'], ['-'])).toThrow('json and text would both go to stdout');
    expect(() => pairFormatsAndOutputs(['json', 'sarif'], ['out/x', './out/x'])).toThrow('--output ./out/x is given for both json and sarif');
  });
});

describe('renderOutputs', () => {
  it('renders each request with its renderer and names the target', () => {
    const report = sampleReport();
    const out = renderOutputs(report, pairFormatsAndOutputs(['sarif', 'markdown'], ['x.sarif']), {
      sarif: (r) => toSarif(r),
      markdown: (r) => toMarkdown(r),
    });
    expect(out.map((o) => [o.target, o.format])).toEqual([
      ['x.sarif', 'sarif'],
      ['stdout', 'markdown'],
    ]);
    expect(out[0]!.content).toBe(toSarif(report));
    expect(out[1]!.content).toBe(toMarkdown(report));
  });

  it('renders SARIF from the unfiltered report when one is given, everything else from the filtered one', () => {
    const full = sampleReport();
    const filtered = { ...full, findings: full.findings.slice(0, 1) };
    const out = renderOutputs(filtered, pairFormatsAndOutputs(['sarif', 'markdown'], ['x.sarif']), { sarif: (r) => String(r.findings.length), markdown: (r) => String(r.findings.length) }, full);
    expect(out.map((o) => o.content)).toEqual(['5', '1']);
  });

  it('fails clearly when a renderer is missing', () => {
    expect(() => renderOutputs(sampleReport(), [{ format: 'json' }], {})).toThrow("no renderer for format 'json'");
  });
});

describe('stepSummaryPath', () => {
  it('is the summary file only under GitHub Actions', () => {
    expect(stepSummaryPath({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: '/tmp/s.md' })).toBe('/tmp/s.md');
    expect(stepSummaryPath({ GITHUB_STEP_SUMMARY: '/tmp/s.md' })).toBeNull();
    expect(stepSummaryPath({ GITHUB_ACTIONS: 'true' })).toBeNull();
  });
});
