import type { TS, TsModule } from './ts.js';

/** A local binding that comes from a module: `import x from 'm'`, `import { a as x }`, `import * as x`, `require`. */
export interface ImportBinding {
  module: string;
  /** `default`, `*` (namespace / whole `require`), or the exported name. */
  imported: string;
}

export type ImportTable = Map<string, ImportBinding>;

const cache = new WeakMap<TS.SourceFile, ImportTable>();

/** The file's import bindings, from top-level imports and `require` calls. Cached per source file. */
export function importsOf(ts: TsModule, sf: TS.SourceFile): ImportTable {
  const hit = cache.get(sf);
  if (hit) return hit;
  const table: ImportTable = new Map();
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const module = st.moduleSpecifier.text;
      const clause = st.importClause;
      if (!clause) continue;
      if (clause.name) table.set(clause.name.text, { module, imported: 'default' });
      const nb = clause.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) table.set(nb.name.text, { module, imported: '*' });
      if (nb && ts.isNamedImports(nb)) {
        for (const el of nb.elements) table.set(el.name.text, { module, imported: (el.propertyName ?? el.name).text });
      }
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      const expr = st.moduleReference.expression;
      if (ts.isStringLiteral(expr)) table.set(st.name.text, { module: expr.text, imported: '*' });
    } else if (ts.isVariableStatement(st)) {
      for (const decl of st.declarationList.declarations) addRequire(ts, decl, table);
    }
  }
  cache.set(sf, table);
  return table;
}

function requiredModule(ts: TsModule, init: TS.Expression | undefined): { module: string; member?: string } | undefined {
  if (!init) return undefined;
  let e = init;
  while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  let member: string | undefined;
  if (ts.isPropertyAccessExpression(e)) {
    member = e.name.text;
    e = e.expression;
    // `(await import('openai')).default`
    while (ts.isAwaitExpression(e) || ts.isParenthesizedExpression(e)) e = e.expression;
  }
  if (
    ts.isCallExpression(e) &&
    (ts.isIdentifier(e.expression) && e.expression.text === 'require' || e.expression.kind === ts.SyntaxKind.ImportKeyword) &&
    e.arguments.length === 1 &&
    ts.isStringLiteral(e.arguments[0]!)
  ) {
    return { module: (e.arguments[0] as TS.StringLiteral).text, member };
  }
  return undefined;
}

function addRequire(ts: TsModule, decl: TS.VariableDeclaration, table: ImportTable): void {
  const req = requiredModule(ts, decl.initializer);
  if (!req) return;
  if (ts.isIdentifier(decl.name)) {
    // `const OpenAI = require('openai')` is the module object (CJS default); `require('openai').OpenAI` a member.
    table.set(decl.name.text, { module: req.module, imported: req.member ?? '*' });
  } else if (ts.isObjectBindingPattern(decl.name)) {
    for (const el of decl.name.elements) {
      if (!ts.isIdentifier(el.name)) continue;
      const prop = el.propertyName && ts.isIdentifier(el.propertyName) ? el.propertyName.text : el.name.text;
      table.set(el.name.text, { module: req.module, imported: prop });
    }
  }
}

/**
 * The module binding of a declaration inside a function, which `importsOf` (top level only) does not list:
 * `const { default: OpenAI } = await import('openai')`, `const mod = await import('openai')`, `const O = require('openai')`.
 */
export function bindingOfDeclaration(ts: TsModule, decl: TS.Declaration): ImportBinding | undefined {
  const name = (decl as TS.NamedDeclaration).name;
  if (!name || !ts.isIdentifier(name)) return undefined;
  const vd = ts.isBindingElement(decl) ? decl.parent.parent : decl;
  if (!ts.isVariableDeclaration(vd)) return undefined;
  const table: ImportTable = new Map();
  addRequire(ts, vd, table);
  return table.get(name.text);
}

/** Whether `module` (e.g. `@nestjs/schedule`) is `spec` or a subpath of it. */
export function isModule(spec: string, module: string): boolean {
  return spec === module || spec.startsWith(module + '/');
}
