import picomatch from 'picomatch';
import type { TierwiseConfig } from './config.js';
import type { Cadence, ContextKind, PerItem } from './types.js';
import type { TS, TsModule } from './ts.js';
import { importsOf, isModule } from './imports.js';
import type { Evaluator } from './values.js';
import type {
  EntryMatch,
  ExportMatcher,
  FileMatcher,
  FrameworkEntry,
  FunctionMatcher,
  HandlerPosition,
  MatchHelpers,
  ProjectFiles,
  RegistrationMatcher,
} from '../frameworks/types.js';

/** An entrypoint recognised at a node, with the framework that recognised it. */
export interface EntryHit extends EntryMatch {
  framework: string;
  why: string;
  /** Node whose position is the entry's location. */
  at: TS.Node;
  /** Index into config entrypoint entries, when config made it. */
  configKey?: string;
  /** The framework runs the handler once per item (an eval's task per dataset row). */
  perItem?: PerItem;
}

type Call = TS.CallExpression | TS.NewExpression;

/**
 * Asks the framework catalogue and the user's config whether a node is an entrypoint. The engine (trace.ts)
 * decides which nodes to ask about; this class only matches.
 */
/** The catalogue compiled against one project's files: glob matchers and a name index, built once and reused. */
interface CompiledCatalogue {
  fileMatchers: Array<{ entry: FrameworkEntry; m: FileMatcher; isMatch: (f: string) => boolean }>;
  exportMatchers: Array<{ entry: FrameworkEntry; m: ExportMatcher; isMatch: (f: string) => boolean }>;
  functionMatchers: Array<{ entry: FrameworkEntry; m: FunctionMatcher; isMatch: (f: string) => boolean }>;
  byName: Map<string, Array<{ entry: FrameworkEntry; m: RegistrationMatcher }>>;
}

/**
 * Compiling every entry's globs (and reading vercel.json, workflows, package.json through `project()`) costs more
 * than most single-file analyses: the ESLint rules analyse file after file against the same project files, so the
 * compiled catalogue is kept per (project files, catalogue) pair.
 */
const compiledCache = new WeakMap<ProjectFiles, WeakMap<readonly FrameworkEntry[], CompiledCatalogue>>();

function compileCatalogue(frameworks: readonly FrameworkEntry[], project: ProjectFiles): CompiledCatalogue {
  let perProject = compiledCache.get(project);
  if (!perProject) {
    perProject = new WeakMap();
    compiledCache.set(project, perProject);
  }
  const hit = perProject.get(frameworks);
  if (hit) return hit;
  const compiled: CompiledCatalogue = { fileMatchers: [], exportMatchers: [], functionMatchers: [], byName: new Map() };
  for (const entry of frameworks) {
    for (const m of entry.registrations ?? []) {
      for (const name of Array.isArray(m.name) ? m.name : [m.name]) {
        const list = compiled.byName.get(name) ?? [];
        list.push({ entry, m });
        compiled.byName.set(name, list);
      }
    }
    const extra = entry.project?.(project) ?? {};
    for (const m of [...(entry.files ?? []), ...(extra.files ?? [])]) {
      compiled.fileMatchers.push({ entry, m, isMatch: picomatch(m.globs, { dot: true }) });
    }
    for (const m of [...(entry.exports ?? []), ...(extra.exports ?? [])]) {
      compiled.exportMatchers.push({ entry, m, isMatch: picomatch(m.globs, { dot: true }) });
    }
    for (const m of entry.functions ?? []) {
      compiled.functionMatchers.push({ entry, m, isMatch: picomatch(m.globs, { dot: true }) });
    }
  }
  perProject.set(frameworks, compiled);
  return compiled;
}

export class EntryFinder {
  private readonly fileMatchers: CompiledCatalogue['fileMatchers'];
  private readonly exportMatchers: CompiledCatalogue['exportMatchers'];
  private readonly functionMatchers: CompiledCatalogue['functionMatchers'];
  private readonly byName: CompiledCatalogue['byName'];
  private readonly configGlobs: Array<{ key: string; kind: ContextKind; isMatch: (f: string) => boolean }> = [];
  private readonly configFunctions: Array<{ key: string; kind: ContextKind; file: string; fn: string }> = [];
  readonly usedConfig = new Set<string>();

  constructor(
    private readonly ts: TsModule,
    private readonly ev: Evaluator,
    private readonly checker: TS.TypeChecker,
    private readonly frameworks: readonly FrameworkEntry[],
    private readonly project: ProjectFiles,
    private readonly relPath: (sf: TS.SourceFile) => string,
    config: TierwiseConfig | undefined,
  ) {
    ({ fileMatchers: this.fileMatchers, exportMatchers: this.exportMatchers, functionMatchers: this.functionMatchers, byName: this.byName } = compileCatalogue(frameworks, project));
    const eps = config?.entrypoints;
    const bgKind: ContextKind = eps?.kind ?? 'script';
    for (const [list, kind] of [
      [eps?.background ?? [], bgKind],
      [eps?.interactive ?? [], 'interactive'],
    ] as const) {
      for (const spec of list) {
        const key = `${kind === 'interactive' ? 'interactive' : 'background'}:${spec}`;
        const colon = spec.lastIndexOf(':');
        if (colon > 0 && !/[*?{[]/.test(spec.slice(colon + 1))) {
          this.configFunctions.push({ key, kind, file: spec.slice(0, colon), fn: spec.slice(colon + 1) });
        } else {
          this.configGlobs.push({ key, kind, isMatch: picomatch(spec, { dot: true }) });
        }
      }
    }
  }

  /** Registration names worth a text pre-filter. */
  get registrationNames(): string[] {
    return [...this.byName.keys()];
  }

  helpers(sf: TS.SourceFile): MatchHelpers {
    const ts = this.ts;
    const ev = this.ev;
    return {
      ts,
      sourceFile: sf,
      file: this.relPath(sf),
      evaluate: (e) => ev.evaluate(e),
      str: (e) => {
        const v = ev.evaluate(e);
        return v.kind === 'string' ? v.value : null;
      },
      num: (e) => {
        const v = ev.evaluate(e);
        return v.kind === 'number' ? v.value : null;
      },
      prop: (obj, name) => {
        const v = ev.evaluate(obj);
        return v.kind === 'object' ? v.props.get(name) : undefined;
      },
      text: (n) => n.getText(sf),
      quoted: (e) => {
        if (!e) return '?';
        const v = ev.evaluate(e);
        return v.kind === 'string' ? `'${v.value}'` : v.kind === 'number' ? String(v.value) : e.getText(sf);
      },
      project: this.project,
      origin: (e) => (e ? this.origin(e, 0) : undefined),
      moduleOf: (e) => (e ? this.moduleOf(e, 0) : undefined),
    };
  }

  private origin(expr: TS.Expression, depth: number): TS.Node | undefined {
    const ts = this.ts;
    if (depth > 6) return undefined;
    let e = this.ev.unwrap(expr);
    while (ts.isAwaitExpression(e)) e = this.ev.unwrap(e.expression);
    if (ts.isNewExpression(e) || ts.isCallExpression(e)) return e;
    if (!ts.isIdentifier(e) && !ts.isPropertyAccessExpression(e)) return undefined;
    const decl = this.ev.declarationOf(ts.isPropertyAccessExpression(e) ? e.name : e);
    if (!decl) return undefined;
    if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
      if (decl.initializer) return this.origin(decl.initializer, depth + 1);
      return decl.type;
    }
    return undefined;
  }

  private moduleOf(expr: TS.Expression | TS.Node, depth: number): string | undefined {
    const ts = this.ts;
    if (depth > 6) return undefined;
    const node =
      ts.isTypeReferenceNode(expr) || ts.isNewExpression(expr) || ts.isCallExpression(expr)
        ? expr
        : (this.origin(expr as TS.Expression, depth) ?? (ts.isPropertyAccessExpression(expr) || ts.isIdentifier(expr) ? expr : undefined));
    if (!node) return undefined;
    // The root of `x.y.z`, `new X()`, `a.b().c()`, `Queue<T>`.
    let root: TS.Node = ts.isTypeReferenceNode(node) ? node.typeName : node;
    for (;;) {
      if (ts.isNewExpression(root) || ts.isCallExpression(root)) root = root.expression;
      else if (ts.isPropertyAccessExpression(root)) {
        if (root.expression.kind === ts.SyntaxKind.ThisKeyword) return root === node ? undefined : this.moduleOf(root, depth + 1);
        root = root.expression;
      } else if (ts.isQualifiedName(root)) root = root.left;
      else if (ts.isParenthesizedExpression(root) || ts.isAwaitExpression(root)) root = root.expression;
      else break;
    }
    if (!ts.isIdentifier(root)) return undefined;
    const b = importsOf(ts, root.getSourceFile()).get(root.text);
    if (b && !b.module.startsWith('.')) return b.module;
    const decl = this.ev.declarationOf(root);
    // Declared nowhere in the program: a global such as `process` (dependency types are not loaded).
    if (!decl) return b ? undefined : `global:${root.text}`;
    const pkg = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(decl.getSourceFile().fileName)?.[1]?.replace(/\\/g, '/');
    if (pkg) return pkg.startsWith('@types/') ? pkg.slice(7).replace('__', '/') : pkg;
    // A project value (`kafka` in `kafka.consumer()`, an imported `tagQueue`): where it comes from.
    return root === expr ? undefined : this.moduleOf(root, depth + 1);
  }

  /**
   * The handler at argument `argIndex` of `call` (or at property `prop` of an object argument): is `call` a
   * registration that makes it an entrypoint?
   */
  forArgument(call: Call, argIndex: number, prop?: string): EntryHit[] {
    const ts = this.ts;
    const callee = call.expression;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (!name) return [];
    const candidates = this.byName.get(name);
    if (!candidates) return [];
    const sf = call.getSourceFile();
    const nArgs = call.arguments?.length ?? 0;
    const hits: EntryHit[] = [];
    for (const { entry, m } of candidates) {
      if ((m.form === 'new') !== ts.isNewExpression(call)) continue;
      if (!handlerAt(m.handler, argIndex, nArgs, prop)) continue;
      const via = this.viaMatches(m, entry, callee, sf);
      if (!via) continue;
      const h = this.helpers(sf);
      let read: EntryMatch | null = null;
      try {
        read = m.read(call, h);
      } catch {
        read = null;
      }
      if (!read) continue;
      let perItem: PerItem | undefined;
      if (m.perItem && handlerAt(m.perItem.handler, argIndex, nArgs, prop)) {
        const items = safe(() => m.perItem!.items(call, h));
        if (items) perItem = { kind: 'eval-data', collection: items.collection, size: items.size, line: sf.getLineAndCharacterOfPosition(call.getStart(sf)).line + 1 };
      }
      hits.push({ ...read, framework: entry.id, why: `${via}; the handler is passed to \`${calleeText(ts, call)}\``, at: call, ...(perItem ? { perItem } : {}) });
    }
    return this.applyOverrides(hits);
  }

  /** Decorators, exports, default-export objects and config `file:function` entries for a function. */
  forFunction(fn: TS.Node, name: string | undefined): EntryHit[] {
    const ts = this.ts;
    const sf = fn.getSourceFile();
    const file = this.relPath(sf);
    const hits: EntryHit[] = [];

    // Config `file:function` entries win over the catalogue.
    if (name) {
      for (const c of this.configFunctions) {
        const shortName = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
        if (c.file === file && (c.fn === name || c.fn === shortName)) {
          this.usedConfig.add(c.key);
          return [{ kind: c.kind, trigger: `config ${c.kind} '${c.file}:${c.fn}'`, cadence: { type: 'unknown' }, framework: 'config', why: `listed in the tierwise config as ${c.kind === 'interactive' ? 'interactive' : 'background'}`, at: fn, configKey: c.key }];
        }
      }
    }

    // Method and class decorators.
    if (ts.isMethodDeclaration(fn) || ts.isPropertyDeclaration(fn)) {
      hits.push(...this.decoratorHits(fn));
    } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent && ts.isPropertyDeclaration(fn.parent)) {
      hits.push(...this.decoratorHits(fn.parent));
    }

    // Exports by name.
    const exportName = exportNameOf(ts, fn);
    if (exportName) {
      const h = this.helpers(sf);
      for (const { entry, m, isMatch } of this.exportMatchers) {
        if (!isMatch(file) || !(m.exports.includes(exportName) || m.exports.includes('*'))) continue;
        const read = safe(() => m.read(exportName, fn, h));
        if (read) hits.push({ ...read, framework: entry.id, why: `\`${exportName}\` exported from a file matching ${m.globs.join(', ')}`, at: fn });
      }
      // Files whose exports are entries (config globs, conventions such as evals/**).
      for (const hit of this.fileHits(sf, true)) hits.push({ ...hit, at: fn });
    }

    // Any function of matching files that the matcher accepts (inline `'use server'` actions).
    if (this.functionMatchers.length > 0 && (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn) || ts.isArrowFunction(fn) || ts.isMethodDeclaration(fn))) {
      const h = this.helpers(sf);
      for (const { entry, m, isMatch } of this.functionMatchers) {
        if (!isMatch(file)) continue;
        const read = safe(() => m.read(fn, name, h));
        if (read) hits.push({ ...read, framework: entry.id, why: `${name ? `\`${name}\`` : 'the function'} is recognised by ${entry.name} in a file matching ${m.globs.join(', ')}`, at: fn });
      }
    }

    // Methods of exported classes, for file matchers that name them (promptfoo providers' `callApi`).
    if (ts.isMethodDeclaration(fn) && fn.parent && ts.isClassDeclaration(fn.parent) && isExportedClass(ts, fn.parent)) {
      const method = ts.isIdentifier(fn.name) ? fn.name.text : undefined;
      for (const { entry, m, isMatch } of this.fileMatchers) {
        if (!method || !m.classMethods?.includes(method) || !isMatch(file)) continue;
        const read = safe(() => m.read(file));
        if (read) hits.push({ ...read, framework: entry.id, why: `\`${method}\` of a class exported from a file matching ${m.globs.join(', ')}`, at: fn });
      }
    }

    // Functions in nested object literals (resolver maps, task lists).
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn) || ts.isMethodDeclaration(fn)) hits.push(...this.objectPathHits(fn));

    // Methods of a default-exported object (Cloudflare Workers).
    const objMethod = defaultExportObjectMethod(ts, fn);
    if (objMethod) {
      const h = this.helpers(sf);
      for (const entry of this.frameworks) {
        const m = entry.defaultExportObject;
        if (!m || !m.methods.includes(objMethod)) continue;
        if (!entry.modules.length || this.fileOrProjectImports(sf, entry.modules)) {
          const read = safe(() => m.read(objMethod, h));
          if (read) hits.push({ ...read, framework: entry.id, why: `\`${objMethod}\` handler of the default-exported ${entry.name} object`, at: fn });
        }
      }
    }
    return this.applyOverrides(hits);
  }

  /** A reference to a function in an object literal (`{ Query: { summary } }`, `taskList: { summarize }`). */
  forPropertyValue(ref: TS.Node): EntryHit[] {
    return this.applyOverrides(this.objectPathHits(ref));
  }

  private objectPathHits(node: TS.Node): EntryHit[] {
    const ts = this.ts;
    if (!this.frameworks.some((f) => f.objectPaths?.length)) return [];
    const paths = objectPaths(ts, node);
    if (paths.length === 0) return [];
    const sf = node.getSourceFile();
    const hits: EntryHit[] = [];
    for (const entry of this.frameworks) {
      for (const m of entry.objectPaths ?? []) {
        const path = paths.find((p) => endsWithPattern(p, m.path));
        if (!path || !this.fileOrProjectImports(sf, entry.modules)) continue;
        const read = safe(() => m.read(path, this.helpers(sf)));
        if (read) hits.push({ ...read, framework: entry.id, why: `held at \`${path.join('.')}\` in an object literal (${entry.name} ${m.path.join('.')})`, at: node });
      }
    }
    return hits;
  }

  /** A module's top level: scripts, evals, config globs. */
  forModule(sf: TS.SourceFile): EntryHit[] {
    return this.applyOverrides(this.fileHits(sf, false));
  }

  private fileHits(sf: TS.SourceFile, exportsOnly: boolean): EntryHit[] {
    const file = this.relPath(sf);
    for (const c of this.configGlobs) {
      if (c.isMatch(file)) {
        this.usedConfig.add(c.key);
        return [{ kind: c.kind, trigger: `config ${c.kind} glob`, cadence: { type: 'unknown' }, framework: 'config', why: `matches the config glob \`${c.key.slice(c.key.indexOf(':') + 1)}\``, at: sf, name: file }];
      }
    }
    const hits: EntryHit[] = [];
    for (const { entry, m, isMatch } of this.fileMatchers) {
      if (exportsOnly && !m.exportsAreEntries) continue;
      if (!isMatch(file)) continue;
      const read = safe(() => m.read(file));
      if (read) hits.push({ ...read, framework: entry.id, why: `the file matches ${m.globs.join(', ')}`, at: sf });
    }
    return hits;
  }

  private decoratorHits(member: TS.MethodDeclaration | TS.PropertyDeclaration): EntryHit[] {
    const ts = this.ts;
    const sf = member.getSourceFile();
    const h = this.helpers(sf);
    const hits: EntryHit[] = [];
    const memberDecorators = decoratorsOf(ts, member);
    const cls = member.parent;
    const classDecorators = cls && ts.isClassLike(cls) ? decoratorsOf(ts, cls) : [];
    const memberName = member.name && (ts.isIdentifier(member.name) || ts.isStringLiteral(member.name)) ? member.name.text : undefined;
    for (const entry of this.frameworks) {
      for (const m of entry.decorators ?? []) {
        const names = Array.isArray(m.name) ? m.name : [m.name];
        const pool = m.target === 'method' ? memberDecorators : classDecorators;
        for (const d of pool) {
          if (!names.includes(d.name) || !this.decoratorFrom(d, entry.modules, sf)) continue;
          if (m.target === 'class') {
            if (m.methods && (!memberName || !m.methods.includes(memberName))) continue;
            if (m.methodDecorators && !memberDecorators.some((md) => m.methodDecorators!.includes(md.name))) continue;
          }
          const read = safe(() => m.read(d.node, d.args, h, member));
          if (read) hits.push({ ...read, framework: entry.id, why: `decorated with @${d.name} from ${entry.modules.join(' / ')}`, at: member });
        }
      }
    }
    return hits;
  }

  private decoratorFrom(d: { ident: TS.Identifier | undefined }, modules: string[], sf: TS.SourceFile): boolean {
    if (!d.ident) return false;
    const b = importsOf(this.ts, sf).get(d.ident.text);
    if (b) return modules.some((m) => isModule(b.module, m));
    return false;
  }

  private viaMatches(m: RegistrationMatcher, entry: FrameworkEntry, callee: TS.Expression, sf: TS.SourceFile): string | undefined {
    const ts = this.ts;
    const imports = importsOf(ts, sf);
    const fromModules = (spec: string) => entry.modules.some((mod) => isModule(spec, mod));
    if (m.via === 'global') {
      if (!ts.isIdentifier(callee)) return undefined;
      if (imports.has(callee.text)) return undefined;
      const decl = this.ev.declarationOf(callee);
      if (decl && !decl.getSourceFile().isDeclarationFile) return undefined;
      return `global \`${callee.text}\``;
    }
    if (m.via === 'import') {
      if (ts.isIdentifier(callee)) {
        const b = imports.get(callee.text);
        if (b && fromModules(b.module)) return `\`${callee.text}\` is imported from '${b.module}'`;
        return undefined;
      }
      let base: TS.Expression = callee;
      while (ts.isPropertyAccessExpression(base)) base = base.expression;
      if (ts.isIdentifier(base)) {
        const b = imports.get(base.text);
        if (b && fromModules(b.module)) return `\`${base.text}\` is imported from '${b.module}'`;
      }
      return undefined;
    }
    // member
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    for (const b of imports.values()) if (fromModules(b.module)) return `the file imports '${b.module}'`;
    const decl = this.checkerDeclFile(callee.name);
    if (decl && entry.modules.some((mod) => decl.includes(`/node_modules/${mod}/`) || decl.includes(`/node_modules/@types/${mod.replace(/^@/, '').replace('/', '__')}/`))) {
      return `\`${callee.name.text}\` is declared by ${entry.modules.join(' / ')}`;
    }
    if (!decl && entry.modules.some((mod) => this.project.imports(mod))) return `the project imports ${entry.modules.join(' / ')}`;
    return undefined;
  }

  private checkerDeclFile(name: TS.Node): string | undefined {
    try {
      const s = this.checker.getSymbolAtLocation(name);
      const d = s?.declarations?.[0];
      return d ? d.getSourceFile().fileName.replace(/\\/g, '/') : undefined;
    } catch {
      return undefined;
    }
  }

  private fileOrProjectImports(sf: TS.SourceFile, modules: string[]): boolean {
    const imports = importsOf(this.ts, sf);
    for (const b of imports.values()) if (modules.some((m) => isModule(b.module, m))) return true;
    return modules.some((m) => this.project.imports(m));
  }

  private applyOverrides(hits: EntryHit[]): EntryHit[] {
    if (hits.length < 2) return hits;
    const overridden = new Set<string>();
    for (const h of hits) {
      const entry = this.frameworks.find((f) => f.id === h.framework);
      for (const o of entry?.overrides ?? []) overridden.add(o);
    }
    const seen = new Set<string>();
    return hits.filter((h) => {
      if (overridden.has(h.framework)) return false;
      const key = `${h.framework}|${h.trigger}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  }

  unusedConfig(): string[] {
    const all = [...this.configGlobs.map((c) => c.key), ...this.configFunctions.map((c) => c.key)];
    return all.filter((k) => !this.usedConfig.has(k));
  }
}

function safe<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null;
  }
}

function handlerAt(hp: HandlerPosition, argIndex: number, nArgs: number, prop: string | undefined): boolean {
  if (prop !== undefined) {
    const op = hp.objectProps;
    if (!op) return false;
    return (op.arg === 'any' || op.arg === argIndex) && op.props.includes(prop);
  }
  if (!hp.args) return false;
  if (hp.args === 'any') return true;
  if (hp.args === 'last') return argIndex === nArgs - 1;
  return hp.args.includes(argIndex);
}

function calleeText(ts: TsModule, call: Call): string {
  const t = call.expression.getText();
  return ts.isNewExpression(call) ? `new ${t}` : t;
}

interface DecoratorInfo {
  name: string;
  ident: TS.Identifier | undefined;
  args: readonly TS.Expression[];
  node: TS.Decorator;
}

export function decoratorsOf(ts: TsModule, node: TS.Node): DecoratorInfo[] {
  const ds = ts.canHaveDecorators(node) ? ts.getDecorators(node) ?? [] : [];
  return ds.map((d) => {
    const e = d.expression;
    const callee = ts.isCallExpression(e) ? e.expression : e;
    const ident = ts.isIdentifier(callee) ? callee : ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) ? callee.expression : undefined;
    const name = ts.isIdentifier(callee) ? callee.text : ts.isPropertyAccessExpression(callee) ? callee.name.text : '';
    return { name, ident, args: ts.isCallExpression(e) ? e.arguments : [], node: d };
  });
}

/** The name a function is exported under from its module, if it is exported directly. */
export function exportNameOf(ts: TsModule, fn: TS.Node): string | undefined {
  const hasExport = (n: TS.Node) =>
    ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const isDefault = (n: TS.Node) =>
    ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);
  if (ts.isFunctionDeclaration(fn) && hasExport(fn)) return isDefault(fn) ? 'default' : fn.name?.text;
  if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent) {
    const p = fn.parent;
    if (ts.isExportAssignment(p)) return 'default';
    if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) {
      const stmt = p.parent?.parent;
      if (stmt && ts.isVariableStatement(stmt) && hasExport(stmt)) return p.name.text;
      // `const handler = …; export { handler }` / `module.exports.handler = …` are resolved by name below.
      if (isExportedByName(ts, fn.getSourceFile(), p.name.text)) return p.name.text;
    }
    // CommonJS: `module.exports.handler = async function () {}` / `exports.handler = async () => {}`.
    const cjs = cjsExportTarget(ts, p, fn);
    if (cjs) return cjs;
    // `module.exports = { handler: async () => {} }`
    if (ts.isPropertyAssignment(p) && p.initializer === fn && p.parent && ts.isObjectLiteralExpression(p.parent)) {
      const name = propertyNameOf(ts, p.name);
      const q = p.parent.parent;
      if (name && q && ts.isBinaryExpression(q) && q.right === p.parent && q.operatorToken.kind === ts.SyntaxKind.EqualsToken && q.left.getText() === 'module.exports') return name;
    }
    // `export const handler: Handler = middy(async () => …)` and similar wrappers are not followed.
  }
  if (ts.isFunctionDeclaration(fn) && fn.name && isExportedByName(ts, fn.getSourceFile(), fn.name.text)) return fn.name.text;
  return undefined;
}

/** `exports.x = fn` / `module.exports.x = fn` (directly or through parentheses): `x`. */
function cjsExportTarget(ts: TsModule, p: TS.Node, fn: TS.Node): string | undefined {
  let value: TS.Node = fn;
  let q: TS.Node | undefined = p;
  while (q && ts.isParenthesizedExpression(q)) {
    value = q;
    q = q.parent;
  }
  if (!q || !ts.isBinaryExpression(q) || q.right !== value || q.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return undefined;
  if (!ts.isPropertyAccessExpression(q.left)) return undefined;
  const target = q.left.expression.getText();
  return target === 'exports' || target === 'module.exports' ? q.left.name.text : undefined;
}

function isExportedByName(ts: TsModule, sf: TS.SourceFile, name: string): boolean {
  for (const st of sf.statements) {
    if (ts.isExportDeclaration(st) && !st.moduleSpecifier && st.exportClause && ts.isNamedExports(st.exportClause)) {
      if (st.exportClause.elements.some((el) => (el.propertyName ?? el.name).text === name)) return true;
    }
    if (ts.isExportAssignment(st) && ts.isIdentifier(st.expression) && st.expression.text === name) return true;
    // CommonJS: exports.handler = handler / module.exports = { handler }
    if (ts.isExpressionStatement(st) && ts.isBinaryExpression(st.expression) && st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = st.expression.left.getText(sf);
      if (left === `exports.${name}` || left === `module.exports.${name}`) return true;
      // module.exports = { handler } / { handler: handler }
      const right = st.expression.right;
      if (left === 'module.exports' && ts.isObjectLiteralExpression(right)) {
        for (const pr of right.properties) {
          if (ts.isShorthandPropertyAssignment(pr) && pr.name.text === name) return true;
          if (ts.isPropertyAssignment(pr) && ts.isIdentifier(pr.initializer) && pr.initializer.text === name && propertyNameOf(ts, pr.name) === name) return true;
        }
      }
    }
  }
  return false;
}

function isExportedClass(ts: TsModule, cls: TS.ClassDeclaration): boolean {
  const mods = ts.canHaveModifiers(cls) ? ts.getModifiers(cls) ?? [] : [];
  if (mods.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return true;
  return !!cls.name && isExportedByName(ts, cls.getSourceFile(), cls.name.text);
}

/**
 * Property paths from the outermost enclosing object literal down to `node` (a function or a reference held as a
 * property value). When a variable holds the outermost literal, its name and its type annotation's name each give
 * a path with that extra first element.
 */
function objectPaths(ts: TsModule, node: TS.Node): string[][] {
  const names: string[] = [];
  let cur: TS.Node = node;
  for (;;) {
    let p = cur.parent;
    while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) {
      cur = p;
      p = p.parent;
    }
    if (!p) break;
    let name: string | undefined;
    if (ts.isPropertyAssignment(p) && p.initializer === cur) name = propertyNameOf(ts, p.name);
    else if (ts.isShorthandPropertyAssignment(p) && p.name === cur) name = p.name.text;
    else if (ts.isMethodDeclaration(cur) && ts.isObjectLiteralExpression(p)) name = propertyNameOf(ts, cur.name);
    else break;
    const obj = ts.isObjectLiteralExpression(p) ? p : p.parent;
    if (name === undefined || !obj || !ts.isObjectLiteralExpression(obj)) return [];
    names.unshift(name);
    cur = obj;
  }
  if (names.length === 0) return [];
  const paths = [names];
  let holder = cur.parent;
  while (holder && (ts.isParenthesizedExpression(holder) || ts.isAsExpression(holder) || ts.isSatisfiesExpression(holder))) holder = holder.parent;
  if (holder && ts.isVariableDeclaration(holder) && ts.isIdentifier(holder.name)) {
    paths.push([holder.name.text, ...names]);
    const t = holder.type;
    if (t && ts.isTypeReferenceNode(t)) paths.push([ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text, ...names]);
  }
  return paths;
}

function propertyNameOf(ts: TsModule, name: TS.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) ? name.text : undefined;
}

function endsWithPattern(path: readonly string[], pattern: readonly string[]): boolean {
  if (pattern.length > path.length) return false;
  const off = path.length - pattern.length;
  return pattern.every((p, i) => p === '*' || p === path[off + i]);
}

/** `export default { async scheduled() {} }` or `export default { scheduled } satisfies ExportedHandler`: the method name. */
function defaultExportObjectMethod(ts: TsModule, fn: TS.Node): string | undefined {
  let member: TS.Node | undefined;
  let name: string | undefined;
  if (ts.isMethodDeclaration(fn) && fn.parent && ts.isObjectLiteralExpression(fn.parent)) {
    member = fn;
    name = ts.isIdentifier(fn.name) ? fn.name.text : undefined;
  } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent && ts.isPropertyAssignment(fn.parent)) {
    member = fn.parent;
    name = ts.isIdentifier(fn.parent.name) ? fn.parent.name.text : undefined;
  }
  if (!member || !name) return undefined;
  let obj: TS.Node | undefined = member.parent;
  let n = obj?.parent;
  while (n && (ts.isSatisfiesExpression(n) || ts.isAsExpression(n) || ts.isParenthesizedExpression(n))) n = n.parent;
  if (n && ts.isExportAssignment(n)) return name;
  // const worker = { … }; export default worker;
  if (n && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) {
    const varName = n.name.text;
    const sf = fn.getSourceFile();
    if (sf.statements.some((st) => ts.isExportAssignment(st) && ts.isIdentifier(st.expression) && st.expression.text === varName)) return name;
  }
  obj = undefined;
  return undefined;
}

/** Cadence helpers for framework entries. */
export const cadence = {
  cron(expression: string | null, timezone?: string): Cadence {
    return expression ? { type: 'cron', expression, ...(timezone ? { timezone } : {}) } : { type: 'unknown' };
  },
  /** Several cron schedules of one entrypoint: the first is `expression`, the rest `also` (their runs add up). */
  crons(schedules: ReadonlyArray<{ expression: string; timezone?: string }>): Cadence {
    const [first, ...rest] = schedules;
    if (!first) return { type: 'unknown' };
    const one = (s: { expression: string; timezone?: string }) => ({ expression: s.expression, ...(s.timezone ? { timezone: s.timezone } : {}) });
    return { type: 'cron', ...one(first), ...(rest.length ? { also: rest.map(one) } : {}) };
  },
  every(ms: number | null): Cadence {
    return ms && ms > 0 ? { type: 'interval', everyMs: ms } : { type: 'unknown' };
  },
  unknown(): Cadence {
    return { type: 'unknown' };
  },
  once(delayMs?: number): Cadence {
    return delayMs === undefined ? { type: 'once' } : { type: 'once', delayMs };
  },
};
