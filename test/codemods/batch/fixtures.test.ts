/**
 * Fixture pairs of loop-to-batch: `fixtures/codemods/loop-to-batch/<behaviour>.input.ts` → `.output.ts`.
 * Targets: `<behaviour>.options.json` (`{ "targets": [...] }`) or every OpenAI call of the file.
 * `<behaviour>.outcome.json` pins the outcome per site (status and a reason fragment).
 * Set UPDATE_FIXTURES=1 to write missing outputs (then review them by hand).
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { diffLines } from 'diff';
import { describe, expect, it } from 'vitest';
import { rewriteLoops } from '../../../codemods/loop-to-batch.js';
import { FIXTURES, fixtureNames, runFixture, targetsOf } from './fixtures.js';

function syntaxErrors(text: string): string[] {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diags = (sf as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diags.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('loop-to-batch fixture pairs', () => {
  const names = fixtureNames();
  it('has fixtures', () => {
    expect(names.length).toBeGreaterThan(10);
  });

  for (const name of names) {
    describe(name, () => {
      const { input, output, outcomes } = runFixture(name);
      const expectedFile = path.join(FIXTURES, `${name}.output.ts`);
      if (!fs.existsSync(expectedFile) && process.env['UPDATE_FIXTURES']) fs.writeFileSync(expectedFile, output);

      it('produces the expected output', () => {
        expect(output).toBe(fs.readFileSync(expectedFile, 'utf8'));
      });

      it('matches the pinned outcomes', () => {
        const pinned = JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.outcome.json`), 'utf8')) as Array<{ status: string; reason: string }>;
        expect(outcomes.map((o) => o.status)).toEqual(pinned.map((p) => p.status));
        pinned.forEach((p, i) => expect(outcomes[i]!.reason).toContain(p.reason));
      });

      it('output parses', () => {
        expect(syntaxErrors(output)).toEqual([]);
      });

      it('a second run changes nothing', () => {
        const file = path.join(FIXTURES, `${name}.output.ts`);
        const again = rewriteLoops(output, file, { targets: targetsOf(name) });
        expect(again.output).toBe(output);
      });

      it('changes nothing outside the rewritten statements and the import', () => {
        const spans = outcomes.flatMap((o) => o.spans ?? []);
        let line = 1;
        const touched: number[] = [];
        for (const part of diffLines(input, output)) {
          const count = part.count ?? 0;
          if (part.removed) for (let i = 0; i < count; i++) touched.push(line + i);
          if (part.added) touched.push(line);
          if (!part.added) line += count;
        }
        for (const l of touched) {
          const inSpan = spans.some(([a, b]) => l >= a && l <= b + 1);
          const isImport = /^import /.test(output.split('\n').find((x) => x.includes('openai-batch')) ?? '') && output.split('\n').some((x) => x.includes("from './openai-batch"));
          if (!inSpan) {
            // the only other change allowed: the helper import after the last import, or a review comment above a loop
            const added = diffLines(input, output).filter((p) => p.added).map((p) => p.value);
            expect(added.every((a) => spans.length === 0 ? /^\s*\/\/ tierwise:/.test(a) : true)).toBe(true);
            expect(isImport || spans.length === 0).toBe(true);
          }
        }
        // review-only outcomes add exactly one comment line per site and nothing else
        if (outcomes.every((o) => o.status !== 'rewritten')) {
          const removed = diffLines(input, output).filter((p) => p.removed);
          expect(removed).toEqual([]);
          const reviews = outcomes.filter((o) => o.status === 'review').length;
          expect(output.split('\n').length - input.split('\n').length).toBe(reviews);
          if (outcomes.every((o) => o.status === 'refused')) expect(output).toBe(input);
        }
      });
    });
  }
});
