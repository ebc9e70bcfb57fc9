import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { toSarif } from '../../src/audit/reporters/sarif.js';
import { bigReport, makeFinding, makeReport, sampleReport } from './sample-report.js';

// ajv-draft-04 and ajv-formats are CommonJS with `exports.default`; under NodeNext the class sits on `.default`.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const require = createRequire(import.meta.url);
const schema = JSON.parse(readFileSync(require.resolve('./schema/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false }) // the schema's `language` pattern is not valid with the u flag;
addFormats(ajv);
const validate = ajv.compile(schema);

interface SarifLog {
  version: string;
  $schema: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; informationUri: string; rules: Array<{ id: string; helpUri: string; defaultConfiguration: { level: string } }> } };
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: Record<string, number> } }>;
      partialFingerprints: Record<string, string>;
      relatedLocations?: Array<{ id: number; message: { text: string }; physicalLocation: { artifactLocation: { uri: string } } }>;
      properties: Record<string, unknown>;
    }>;
    invocations?: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }>;
    automationDetails?: { id: string };
  }>;
}

function parse(s: string): SarifLog {
  return JSON.parse(s) as SarifLog;
}

function expectValid(s: string): void {
  const ok = validate(JSON.parse(s));
  expect(validate.errors ?? []).toEqual([]);
  expect(ok).toBe(true);
}

describe('toSarif', () => {
  it('produces schema-valid SARIF 2.1.0 with the tierwise driver and all rules', () => {
    const out = toSarif(sampleReport(), { toolVersion: '0.1.0' });
    expectValid(out);
    const log = parse(out);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const driver = log.runs[0]!.tool.driver;
    expect(driver.name).toBe('tierwise');
    expect(driver.version).toBe('0.1.0');
    expect(driver.rules.map((r) => r.id)).toEqual(['no-standard-tier-in-background', 'flex-needs-timeout', 'flex-unsupported-model']);
    expect(driver.rules[1]!.helpUri).toBe('https://github.com/tierwise/tierwise/blob/main/docs/rules/flex-needs-timeout.md');
    expect(driver.rules[2]!.defaultConfiguration.level).toBe('error');
  });

  it('the schema check can fail: a result without a message is rejected', () => {
    const log = parse(toSarif(sampleReport()));
    delete (log.runs[0]!.results[0] as { message?: unknown }).message;
    expect(validate(log)).toBe(false);
  });

  it('sorts results by file, line, column, with ruleIndex pointing at the rule', () => {
    const log = parse(toSarif(sampleReport()));
    const results = log.runs[0]!.results;
    expect(results.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`)).toEqual([
      'scripts/eval.ts:8',
      'src/jobs/digest.ts:14',
      'src/jobs/digest.ts:40',
      'src/jobs/report.ts:21',
      'src/workers/email.ts:30',
    ]);
    for (const r of results) expect(log.runs[0]!.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    const unsupported = results.find((r) => r.ruleId === 'flex-unsupported-model')!;
    expect(unsupported.level).toBe('error');
    const loc = results[1]!.locations[0]!.physicalLocation;
    expect(loc.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(loc.region).toEqual({ startLine: 14, startColumn: 18, endLine: 17, endColumn: 5 });
  });

  it('is deterministic regardless of input order', () => {
    const a = sampleReport();
    const b = sampleReport();
    b.findings.reverse();
    expect(toSarif(a)).toBe(toSarif(b));
  });

  it('puts the entrypoint and chain in relatedLocations and savings in properties', () => {
    const log = parse(toSarif(sampleReport()));
    const digest = log.runs[0]!.results[1]!;
    expect(digest.relatedLocations!.map((l) => l.message.text)).toEqual([
      "entrypoint: dailyDigest (node-cron '0 6 * * *')",
      'step 1: dailyDigest',
      'step 2: DigestService.build()',
      'step 3: summarize()',
    ]);
    expect(digest.relatedLocations!.map((l) => l.id)).toEqual([1, 2, 3, 4]);
    expect(digest.properties.savings).toMatchObject({ usdPerMonth: 182.4, tier: 'flex', confidence: 'medium' });
    expect(digest.message.text).toContain('estimated saving: $182.40/mo');
    const email = log.runs[0]!.results.find((r) => r.locations[0]!.physicalLocation.artifactLocation.uri === 'src/workers/email.ts')!;
    expect(email.properties.savings).toEqual({ unknown: true, why: 'no schedule: queue volume unknown; add a usage entry' });
    expect(email.message.text).toContain('estimated saving: unknown');
  });

  it('partialFingerprints follow the fingerprint, not the line; duplicates in a file get an ordinal', () => {
    const before = makeReport([makeFinding({ file: 'src/a.ts', line: 10, fingerprint: 'abc' }), makeFinding({ file: 'src/a.ts', line: 30, fingerprint: 'abc' })]);
    const after = makeReport([makeFinding({ file: 'src/a.ts', line: 15, fingerprint: 'abc' }), makeFinding({ file: 'src/a.ts', line: 35, fingerprint: 'abc' })]);
    const fp = (s: string) => parse(s).runs[0]!.results.map((r) => r.partialFingerprints['tierwise/v1']);
    expect(fp(toSarif(before))).toEqual(['abc', 'abc:2']);
    expect(fp(toSarif(after))).toEqual(fp(toSarif(before)));
  });

  it('prefixes URIs with where the root sits in the repo and percent-encodes them', () => {
    const r = makeReport([makeFinding({ file: 'src/my jobs/a#1.ts', line: 3 })]);
    const out = toSarif(r, { pathPrefix: 'packages/api', category: 'api' });
    expectValid(out);
    const run = parse(out).runs[0]!;
    expect(run.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri).toBe('packages/api/src/my%20jobs/a%231.ts');
    expect(run.automationDetails).toEqual({ id: 'api/' });
  });

  it('caps results by count, keeping the highest savings, with a note', () => {
    const report = bigReport(300);
    const out = toSarif(report, { maxResults: 50 });
    expectValid(out);
    const run = parse(out).runs[0]!;
    expect(run.results).toHaveLength(50);
    expect(run.invocations![0]!.toolExecutionNotifications[0]!.message.text).toMatch(/^250 more findings not included/);
    const kept = run.results.map((r) => (r.properties.savings as { usdPerMonth?: number }).usdPerMonth ?? -1);
    const minKept = Math.min(...kept);
    const all = report.findings.map((f) => (f.savings && f.savings.unknown !== true ? f.savings.usdPerMonth : -1)).sort((a, b) => b - a);
    expect(minKept).toBe(all[49]);
  });

  it('caps output size in bytes', () => {
    const report = bigReport(400);
    const full = toSarif(report);
    const limit = Math.floor(Buffer.byteLength(full) / 3);
    const out = toSarif(report, { maxBytes: limit });
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(limit);
    expectValid(out);
    const run = parse(out).runs[0]!;
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThan(400);
    expect(run.invocations![0]!.toolExecutionNotifications[0]!.message.text).toContain(`${400 - run.results.length} more findings`);
  });

  it('an empty report is valid with no results', () => {
    const out = toSarif(makeReport([]));
    expectValid(out);
    expect(parse(out).runs[0]!.results).toEqual([]);
  });
});
