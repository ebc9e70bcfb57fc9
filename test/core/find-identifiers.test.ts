import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { findIdentifiers } from '../../src/core/trace.js';
import type { TsModule } from '../../src/core/ts.js';
import { REPO } from '../support/fixtures.js';

/** Every source file of the repository's fixtures and of tierwise itself: real code in every style the tracer meets. */
function sources(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.[cm]?[jt]sx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
    }
  };
  for (const d of ['fixtures', 'src', 'rules', 'codemods']) walk(path.join(REPO, d));
  return out;
}

function kindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return /\.[cm]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
}

describe('findIdentifiers (the tracer finds identifiers by position, not by walking each file)', () => {
  it('finds exactly the identifiers a full forEachChild walk finds, for every name in every file', () => {
    const files = sources();
    expect(files.length).toBeGreaterThan(100);
    let names = 0;
    for (const file of files) {
      const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, kindOf(file));
      const walked = new Map<string, ts.Identifier[]>();
      const visit = (n: ts.Node): void => {
        if (ts.isIdentifier(n)) walked.set(n.text, [...(walked.get(n.text) ?? []), n]);
        else ts.forEachChild(n, visit);
      };
      visit(sf);
      for (const [name, ids] of walked) {
        // The tracer indexes ASCII identifier-like words only (trace.ts filesWithWord).
        if (!/^[A-Za-z_$][\w$]*$/.test(name)) continue;
        names++;
        const found = findIdentifiers(ts as unknown as TsModule, sf, name);
        expect(found, `${path.relative(REPO, file)}: ${name}`).toEqual(ids.filter((id) => sf.text.slice(id.getStart(sf), id.end) === name));
      }
    }
    expect(names).toBeGreaterThan(10_000);
  });
});
