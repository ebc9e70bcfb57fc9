import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ownMemberDecls } from '../../src/core/trace.js';
import type { TsModule } from '../../src/core/ts.js';

/**
 * The tracer resolves `this.name` in a class's own members without the checker (src/core/trace.ts ownMemberDecls).
 * Every answer it gives must be the checker's; where it cannot be sure it must defer (undefined).
 */
const SOURCE = `
export class Base {
  work() { return 1; }
  viaThis() { return this.work(); }
  arrow = () => this.work();
  nested() { return [1].map(() => this.work()); }
  static work() { return 's'; }
  static viaStatic() { return this.work(); }
  static field = this.work();
  static { this.work(); }
  rebound() { return function (this: Other) { return this.work(); }; }
  withThisParam(this: Other) { return this.work(); }
  literal() { return { work: () => 0, go() { return this.work(); } }; }
  get value(): number { return this.value2; }
  set value(v: number) { this.value2 = v; }
  value2 = 0;
  accessors() { return this.value; }
  overloaded(a: string): string;
  overloaded(a: number): number;
  overloaded(a: unknown): unknown { return a; }
  callsOverloaded() { return this.overloaded('x'); }
  constructor(private readonly dep: Other, public label = 'x') {}
  useDep() { return this.dep.work() + this.label; }
  inner() { return class { work() { return 2; } go() { return this.work(); } }; }
}
export class Other {
  work() { return 3; }
}
export class Child extends Base {
  inherited() { return this.viaThis(); }
  override work() { return 4; }
  overridden() { return this.work(); }
}
`;

function program() {
  const fileName = '/virtual/own.ts';
  const sf = ts.createSourceFile(fileName, SOURCE, ts.ScriptTarget.ES2022, true);
  const host = ts.createCompilerHost({});
  host.getSourceFile = (f) => (f === fileName ? sf : undefined);
  host.fileExists = (f) => f === fileName;
  const p = ts.createProgram({ rootNames: [fileName], options: { noLib: true, target: ts.ScriptTarget.ES2022, strict: true }, host });
  return { sf, checker: p.getTypeChecker() };
}

describe('ownMemberDecls (this.member without the checker)', () => {
  it("agrees with the checker wherever it answers, and answers for a class's own members", () => {
    const { sf, checker } = program();
    const answered: string[] = [];
    const deferred: string[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isPropertyAccessExpression(n) && n.expression.kind === ts.SyntaxKind.ThisKeyword && ts.isIdentifier(n.name)) {
        const line = sf.getLineAndCharacterOfPosition(n.getStart()).line;
        const label = `${line}:${n.name.text}`;
        const ours = ownMemberDecls(ts as unknown as TsModule, n.name);
        if (ours) {
          const symbol = checker.getSymbolAtLocation(n.name);
          expect(ours, label).toEqual(symbol?.declarations);
          answered.push(label);
        } else {
          deferred.push(label);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    // Own members: methods (instance and static), from arrows, fields and static blocks, accessors, overloads,
    // parameter properties, an inner class's own member, and an override.
    expect(answered).toEqual([
      '3:work', '4:work', '5:work', '7:work', '8:work', '9:work',
      '13:value2', '14:value2', '16:value', '20:overloaded', '22:dep', '22:label', '23:work', '31:work',
    ]);
    // Deferred to the checker: `this` rebound by a function or a `this` parameter, an object literal's method,
    // and members the class inherits.
    expect(deferred).toEqual(['10:work', '11:work', '12:work', '29:viaThis']);
  });
});
