/**
 * Baselines survive reformatting: every fixture project is reformatted with Prettier in a style unlike its own (calls
 * and objects split over lines with trailing commas, double quotes, no semicolons, parenthesised arrow parameters),
 * and a baseline written before matches every finding after, with nothing stale. The fingerprint's token rules are
 * pinned one by one below.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { applyBaseline, parseBaseline, writeBaseline } from '../../src/audit/baseline.js';
import { audit } from '../../src/audit/audit.js';
import { tokenText } from '../../src/core/fingerprint.js';
import type { TsModule } from '../../src/core/ts.js';
import { PROJECTS, REPO, auditFixture, fixtureProjects } from '../support/fixtures.js';

const STYLE: prettier.Options = { printWidth: 30, singleQuote: false, trailingComma: 'all', semi: false, arrowParens: 'always' };
const TMP = path.join(REPO, 'fixtures', `.tmp-${process.pid}-reformat`);
afterAll(() => fs.rmSync(TMP, { recursive: true, force: true }));

async function reformatted(name: string, from: string): Promise<{ dir: string; changed: number }> {
  const dir = path.join(TMP, name);
  fs.cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) });
  let changed = 0;
  for (const rel of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    if (!/\.[cm]?[jt]sx?$/.test(rel) || rel.endsWith('.d.ts')) continue;
    const file = path.join(dir, rel);
    const text = fs.readFileSync(file, 'utf8');
    const out = await prettier.format(text, { ...STYLE, filepath: file });
    if (out !== text) changed++;
    fs.writeFileSync(file, out);
  }
  return { dir, changed };
}

const projects = [...fixtureProjects().map((name) => ({ name, dir: path.join(PROJECTS, name) })), { name: 'demo', dir: path.join(REPO, 'fixtures/demo') }];

describe('a baseline written before Prettier reformats a project matches every finding after', () => {
  for (const { name, dir } of projects) {
    it(name, async () => {
      const before = name === 'demo' ? audit({ dir }) : auditFixture(name);
      const after = await reformatted(name, dir);
      expect(after.changed).toBeGreaterThan(0);
      const now = audit({ dir: after.dir });
      expect(now.findings.length).toBe(before.findings.length);
      const result = applyBaseline(now, parseBaseline(writeBaseline(before)));
      expect(result.report.findings.map((f) => `${f.rule} ${f.file}:${f.line}`)).toEqual([]);
      expect(result.stale).toEqual([]);
      expect(result.baselined).toBe(before.findings.length);
    });
  }
});

describe('tokenText: what the fingerprint ignores and what it keeps', () => {
  const tokens = (code: string) => {
    const sf = ts.createSourceFile('a.ts', code, ts.ScriptTarget.Latest, true);
    const stmt = sf.statements[0] as ts.ExpressionStatement;
    return tokenText(ts as unknown as TsModule, stmt.expression, sf);
  };
  const base = "client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: `Hi ${name}` }], max_tokens: 1.50 })";

  it.each([
    ['line breaks and indentation', "client.chat.completions.create({\n  model: 'gpt-5-mini',\n  messages: [{ role: 'user', content: `Hi ${name}` }],\n  max_tokens: 1.50\n})"],
    ['trailing commas', "client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: `Hi ${name}`, },], max_tokens: 1.50, },)"],
    ['comments', "client.chat.completions.create({ model: 'gpt-5-mini', /* cheap */ messages: [{ role: 'user', content: `Hi ${name}` }], // who\n max_tokens: 1.50 })"],
    ['quote style', 'client.chat.completions.create({ model: "gpt-5-mini", messages: [{ role: `user`, content: `Hi ${name}` }], max_tokens: 1.50 })'],
    ['quoted property names', "client.chat.completions.create({ 'model': 'gpt-5-mini', \"messages\": [{ role: 'user', content: `Hi ${name}` }], max_tokens: 1.50 })"],
    ['number spelling', "client.chat.completions.create({ model: 'gpt-5-mini', messages: [{ role: 'user', content: `Hi ${name}` }], max_tokens: 1.5 })"],
    ['redundant parentheses', "client.chat.completions.create(({ model: ('gpt-5-mini'), messages: [{ role: 'user', content: `Hi ${name}` }], max_tokens: 1.50 }))"],
  ])('ignores %s', (_what, code) => {
    expect(tokens(code)).toBe(tokens(base));
  });

  it.each([
    ['another model', base.replace('gpt-5-mini', 'gpt-5')],
    ['another property', base.replace('max_tokens', 'max_output_tokens')],
    ['another template', base.replace('Hi ${name}', 'Hello ${name}')],
    ['a property name that needs quotes', base.replace('model:', "'mo del':")],
  ])('keeps %s', (_what, code) => {
    expect(tokens(code)).not.toBe(tokens(base));
  });
});
