import { describe, expect, it } from 'vitest';
import { MARKDOWN_MARKER, toMarkdown } from '../../src/audit/reporters/markdown.js';
import { bigReport, makeFinding, makeReport, sampleReport } from './sample-report.js';

/** Table body rows (lines starting with `| <number> |`), split into cells on unescaped pipes. */
function rows(md: string): string[][] {
  return md
    .split('\n')
    .filter((l) => /^\| \d+ \|/.test(l))
    .map((l) => l.slice(1, -1).split(/(?<!\\)\|/).map((c) => c.trim()));
}

describe('toMarkdown', () => {
  it('starts with the sticky-comment marker and states the total known saving', () => {
    const md = toMarkdown(sampleReport());
    expect(md.startsWith(`${MARKDOWN_MARKER}\n`)).toBe(true);
    // 182.40 + 12.50 known; the email worker's saving is unknown and not counted.
    expect(md).toContain('### tierwise audit: $194.90/month could be saved');
    expect(md).toContain('5 findings · 6 call sites in 12 files · 1 with unknown saving (not counted)');
  });

  it('ranks rows by saving, unknown and unestimated last, every row with 7 cells', () => {
    const table = rows(toMarkdown(sampleReport()));
    expect(table).toHaveLength(5);
    for (const r of table) expect(r).toHaveLength(7);
    expect(table.map((r) => [r[1], r[3]])).toEqual([
      ['$182.40/mo', 'src/jobs/digest.ts:14'],
      ['$12.50/mo', 'src/jobs/digest.ts:40'],
      ['unknown', 'src/workers/email.ts:30'],
      ['–', 'scripts/eval.ts:8'],
      ['–', 'src/jobs/report.ts:21'],
    ]);
    expect(table[1]![5]).toBe("node-cron '0 6 \\* \\* \\*' (also interactive)");
    expect(table[1]![6]).toBe('Batch API');
  });

  it('links locations to GitHub blobs when repoUrl and sha are given', () => {
    const md = toMarkdown(sampleReport(), { repoUrl: 'https://github.com/acme/app/', sha: 'abc123', pathPrefix: 'packages/api' });
    expect(md).toContain('[packages/api/src/jobs/digest.ts:14](https://github.com/acme/app/blob/abc123/packages/api/src/jobs/digest.ts#L14-L17)');
  });

  it('puts chain and arithmetic in a collapsed details block per finding', () => {
    const md = toMarkdown(sampleReport());
    const blocks = md.split('<details>').slice(1);
    expect(blocks).toHaveLength(5);
    const first = blocks[0]!;
    expect(first).toContain('<summary>1. src/jobs/digest.ts:14 — $182.40/mo</summary>');
    expect(first).toContain(
      '**Chain:** <code>dailyDigest</code> (src/jobs/schedule.ts:5) → <code>DigestService.build()</code> (src/services/digest.ts:22) → <code>summarize()</code> (src/jobs/digest.ts:10) → <code>openai.chat.completions.create</code>',
    );
    expect(first).toContain('30 runs/mo × 200 calls');
    expect(first).toContain('| calls per run | 200 | default |');
    expect(blocks[2]).toContain('**Saving:** unknown — no schedule: queue volume unknown; add a usage entry');
  });

  it('escapes pipes and HTML in user-controlled text so the table cannot break', () => {
    const f = makeFinding({ file: 'src/a|b.ts', line: 1, callee: 'x.`y`|<script>' });
    const md = toMarkdown(makeReport([f]));
    const table = rows(md);
    expect(table[0]).toHaveLength(7);
    expect(md).not.toContain('<script>');
  });

  it('says so when nothing is found, keeping the marker so the sticky comment updates', () => {
    const md = toMarkdown(makeReport([]), { baselined: 3 });
    expect(md).toContain(MARKDOWN_MARKER);
    expect(md).toContain('no findings');
    expect(md).toContain('3 baselined findings are not shown.');
  });

  it('stays under the 64 KB cap on a large report, dropping lowest-ranked rows with a count', () => {
    const report = bigReport(3000);
    const md = toMarkdown(report);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(60_000);
    const table = rows(md);
    expect(table.length).toBeGreaterThan(50);
    expect(table.length).toBeLessThan(3000);
    expect(md).toContain(`_${3000 - table.length} more findings not shown (size limit); run \`tierwise audit --format json\` for all._`);
    // The rows kept are the top savings.
    const top = Math.max(...report.findings.map((f) => (f.savings && f.savings.unknown !== true ? f.savings.usdPerMonth : 0)));
    expect(table[0]![1]).toBe(`$${top.toFixed(2)}/mo`);
  });

  it('honours a custom byte cap and drops details before rows', () => {
    const full = toMarkdown(sampleReport());
    const cap = Math.floor(Buffer.byteLength(full) * 0.6);
    const md = toMarkdown(sampleReport(), { maxBytes: cap });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(cap);
    expect(rows(md)).toHaveLength(5);
    expect(md).toMatch(/_Details for \d findings? not shown \(size limit\)\._/);
  });

  it('is deterministic regardless of input order', () => {
    const b = sampleReport();
    b.findings.reverse();
    expect(toMarkdown(b)).toBe(toMarkdown(sampleReport()));
  });
});
