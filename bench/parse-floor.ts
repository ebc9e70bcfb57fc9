import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The floor: read and parse every source file of a directory once (`ts.createSourceFile`), nothing else. */
const dir = process.argv[2]!;
let files = 0;
const walk = (d: string): void => {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.name === 'node_modules') continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (/\.[cm]?tsx?$/.test(e.name)) {
      ts.createSourceFile(p, fs.readFileSync(p, 'utf8'), ts.ScriptTarget.ES2022, false);
      files++;
    }
  }
};
walk(dir);
process.stdout.write(`${files}\n`);
