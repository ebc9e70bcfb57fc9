import type { ApiFamily, ClientInfo, Endpoint, PerItem, PromptFacts, ServiceTier, SourcePoint, Timeout } from './types.js';
import type { TS, TsModule } from './ts.js';
import { bindingOfDeclaration, importsOf, isModule } from './imports.js';
import { Evaluator, propertyNameText, type StaticValue } from './values.js';

export const SDK_DEFAULT_TIMEOUT_MS = 600_000;

/** Callee paths below the client, longest first so `beta.chat.completions.parse` wins over `completions.parse`. */
const ENDPOINTS: ReadonlyArray<{ path: string[]; endpoint: Endpoint; family: ApiFamily }> = [
  { path: ['beta', 'chat', 'completions', 'parse'], endpoint: 'beta.chat.completions.parse', family: 'chat' },
  { path: ['beta', 'chat', 'completions', 'stream'], endpoint: 'beta.chat.completions.stream', family: 'chat' },
  { path: ['chat', 'completions', 'create'], endpoint: 'chat.completions.create', family: 'chat' },
  { path: ['chat', 'completions', 'parse'], endpoint: 'chat.completions.parse', family: 'chat' },
  { path: ['chat', 'completions', 'stream'], endpoint: 'chat.completions.stream', family: 'chat' },
  { path: ['responses', 'create'], endpoint: 'responses.create', family: 'responses' },
  { path: ['responses', 'parse'], endpoint: 'responses.parse', family: 'responses' },
  { path: ['responses', 'stream'], endpoint: 'responses.stream', family: 'responses' },
  { path: ['embeddings', 'create'], endpoint: 'embeddings.create', family: 'embeddings' },
  { path: ['completions', 'create'], endpoint: 'completions.create', family: 'completions' },
  { path: ['moderations', 'create'], endpoint: 'moderations.create', family: 'moderations' },
];

/** Cheap text pre-filter: can this file contain an SDK call at all? */
export const CALL_TEXT = /(?:completions|responses|embeddings|moderations)\s*\??\.\s*(?:create|parse|stream)\b/;

const OPENAI_MODULES = ['openai'];
const CLIENT_CLASSES = new Set(['OpenAI', 'AzureOpenAI', 'default']);
const SDK_PATH = /[\\/]node_modules[\\/](?:openai|openai-v\d+)[\\/]/;

export interface EndpointMatch {
  endpoint: Endpoint;
  family: ApiFamily;
  /** The client expression (`this.openai`, `openai`, `getClient()`). */
  receiver: TS.Expression;
}

/**
 * Matches `<receiver>.chat.completions.create(...)` and friends by the callee's shape. With an evaluator, an alias of
 * part of a client is looked through: `const chat = openai.chat; chat.completions.create(…)` and
 * `const { responses } = openai; responses.create(…)` match with `openai` as the receiver.
 */
export function matchEndpoint(ts: TsModule, call: TS.CallExpression, ev?: Evaluator): EndpointMatch | undefined {
  const names: string[] = [];
  const exprs: TS.Expression[] = [];
  let e: TS.Expression = call.expression;
  const collect = (): void => {
    while (ts.isPropertyAccessExpression(e) || ts.isNonNullExpression(e) || ts.isParenthesizedExpression(e)) {
      if (ts.isPropertyAccessExpression(e)) {
        names.unshift(e.name.text);
        exprs.unshift(e.expression);
      }
      e = e.expression;
    }
  };
  collect();
  for (let depth = 0; ev && depth < 4 && names.length < 4; depth++) {
    const alias = aliasOf(ts, ev, e);
    if (!alias) break;
    // The alias's own path goes in front, each name with the expression it is read from (for a nested destructuring,
    // the inner names have no expression of their own: the source stands for them).
    names.unshift(...alias.path);
    exprs.unshift(...alias.path.map(() => alias.source));
    e = alias.source;
    collect();
  }
  for (const candidate of ENDPOINTS) {
    const n = candidate.path.length;
    if (names.length <= n - 1) continue;
    const tail = names.slice(names.length - n);
    if (tail.length === n && tail.every((x, i) => x === candidate.path[i])) {
      const receiver = exprs[names.length - n];
      if (!receiver) continue;
      // `completions.create` must not be the tail of `chat.completions.create` (handled above, longer first)
      return { endpoint: candidate.endpoint, family: candidate.family, receiver };
    }
  }
  return undefined;
}

/**
 * A variable that holds part of a client: `const chat = openai.chat` (no path of its own, the initializer is the
 * source) or `const { chat: { completions } } = openai` (path `chat.completions`, source `openai`).
 */
function aliasOf(ts: TsModule, ev: Evaluator, base: TS.Expression): { path: string[]; source: TS.Expression } | undefined {
  const e = ev.unwrap(base);
  if (!ts.isIdentifier(e)) return undefined;
  const decl = ev.declarationOf(e);
  if (!decl) return undefined;
  if (ts.isVariableDeclaration(decl)) {
    if (!ts.isIdentifier(decl.name) || !decl.initializer) return undefined;
    const init = ev.unwrap(decl.initializer);
    return ts.isPropertyAccessExpression(init) ? { path: [], source: init } : undefined;
  }
  if (!ts.isBindingElement(decl)) return undefined;
  const path: string[] = [];
  let el: TS.BindingElement = decl;
  for (;;) {
    if (el.dotDotDotToken) return undefined;
    const prop = el.propertyName ? propertyNameText(ts, el.propertyName) : ts.isIdentifier(el.name) ? el.name.text : undefined;
    if (prop === undefined || !ts.isObjectBindingPattern(el.parent)) return undefined;
    path.unshift(prop);
    const holder = el.parent.parent;
    if (ts.isBindingElement(holder)) {
      el = holder;
      continue;
    }
    if (ts.isVariableDeclaration(holder) && holder.initializer) return { path, source: holder.initializer };
    return undefined;
  }
}

export type SdkVerdict = { sdk: true; by: 'checker' | 'imports' } | { sdk: false; why: string };

/**
 * Recognises OpenAI SDK clients. With types, the callee's declaration must live in the `openai` package; without
 * them (no node_modules), the receiver must originate, through the project's own code, from `new OpenAI(...)`, an
 * `OpenAI`-typed parameter/field, or a factory returning one.
 */
export class ClientResolver {
  private readonly evaluator: Evaluator;
  private readonly constructionsCache = new Map<string, TS.NewExpression[]>();
  private readonly assignmentsCache = new WeakMap<TS.SourceFile, TS.BinaryExpression[]>();
  private providersCache: Array<{ token: TS.Expression; kind: 'useFactory' | 'useValue'; value: TS.Expression }> | undefined;
  /** Untyped parameters resolved from their callers' arguments (undefined while in progress: recursion). */
  private readonly paramCache = new Map<TS.ParameterDeclaration, TS.NewExpression | null | undefined>();
  /**
   * The project's calls of a function (set by the analysis from its tracer): an untyped parameter is a client when an
   * argument passed to it is one.
   */
  callsOf: ((fn: TS.SignatureDeclaration) => ReadonlyArray<TS.CallExpression | TS.NewExpression>) | undefined;

  constructor(
    private readonly ts: TsModule,
    private readonly checker: TS.TypeChecker,
    private readonly program: TS.Program,
  ) {
    this.evaluator = new Evaluator(ts, checker);
  }

  verdict(call: TS.CallExpression, match: EndpointMatch): SdkVerdict {
    const ts = this.ts;
    const callee = call.expression;
    const nameNode = ts.isPropertyAccessExpression(callee) ? callee.name : undefined;
    if (nameNode) {
      let symbol: TS.Symbol | undefined;
      try {
        symbol = this.checker.getSymbolAtLocation(nameNode);
      } catch {
        symbol = undefined;
      }
      const decls = symbol?.declarations ?? [];
      if (decls.length > 0) {
        const inSdk = decls.some((d) => SDK_PATH.test(d.getSourceFile().fileName) || isOpenAiAmbient(ts, d));
        if (inSdk) return { sdk: true, by: 'checker' };
        return { sdk: false, why: `\`${nameNode.text}\` resolves to ${decls[0]!.getSourceFile().fileName}` };
      }
    }
    if (this.originOf(match.receiver, 0) !== undefined) return { sdk: true, by: 'imports' };
    return { sdk: false, why: 'receiver is not an OpenAI client' };
  }

  /**
   * Where a client value comes from: the `new OpenAI(...)` expression when found (or `null` when the value is an
   * OpenAI client by its declared type only, as with DI). Undefined when it is not an OpenAI client.
   */
  originOf(expr: TS.Expression, depth: number): TS.NewExpression | null | undefined {
    const ts = this.ts;
    if (depth > 8) return undefined;
    const e = this.evaluator.unwrap(expr);
    if (ts.isNewExpression(e)) return this.isClientClass(e.expression) ? e : undefined;
    if (ts.isAwaitExpression(e)) return this.originOf(e.expression, depth + 1);
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      // `g.openai ?? new OpenAI()`, `a || b`, and the assignment forms `(g.openai ??= new OpenAI())`, `(x = new OpenAI())`.
      if (op === ts.SyntaxKind.EqualsToken) return this.originOf(e.right, depth + 1);
      if (
        op === ts.SyntaxKind.QuestionQuestionToken ||
        op === ts.SyntaxKind.BarBarToken ||
        op === ts.SyntaxKind.QuestionQuestionEqualsToken ||
        op === ts.SyntaxKind.BarBarEqualsToken
      ) {
        return this.firstOrigin([e.right, e.left], depth + 1);
      }
      return undefined;
    }
    if (ts.isConditionalExpression(e)) return this.firstOrigin([e.whenTrue, e.whenFalse], depth + 1);
    if (ts.isCallExpression(e)) {
      // A factory returning a client, or `client.withOptions(...)`.
      if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'withOptions') {
        return this.originOf(e.expression.expression, depth + 1);
      }
      const fn = this.functionOf(e.expression);
      if (fn) return this.returnOrigin(fn, depth + 1);
      return undefined;
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const target = ts.isPropertyAccessExpression(e) ? e.name : e;
      const decl = this.evaluator.declarationOf(target);
      const o = decl ? this.declOrigin(decl, depth + 1) : undefined;
      if (o) return o;
      // A global singleton (`globalForOpenAI.openai ??= new OpenAI()`, then `globalForOpenAI.openai`): the assignment.
      const assigned = this.assignedInFile(e, depth + 1);
      return assigned ?? o;
    }
    return undefined;
  }

  /** The construction found first among `exprs` (a client by type only, `null`, when none is constructed). */
  private firstOrigin(exprs: readonly TS.Expression[], depth: number): TS.NewExpression | null | undefined {
    let result: TS.NewExpression | null | undefined;
    for (const x of exprs) {
      const o = this.originOf(x, depth);
      if (o) return o;
      if (o === null) result = null;
    }
    return result;
  }

  /**
   * `target = …`, `target ??= …`, `target ||= …` in the file of `target` (same text, same variable for an identifier):
   * the first assignment of a client. For singletons kept on `globalThis` and lazily assigned variables.
   */
  private assignedInFile(target: TS.Identifier | TS.PropertyAccessExpression, depth: number): TS.NewExpression | undefined {
    const ts = this.ts;
    const key = this.accessKey(target);
    if (!key) return undefined;
    const declOf = (x: TS.Expression) => this.evaluator.declarationOf(ts.isPropertyAccessExpression(x) ? x.name : x);
    const targetDecl = declOf(target);
    // Without a declaration to compare, only a plain chain's text (never `this.…`, which differs between classes).
    if (!targetDecl && (key === 'this' || key.startsWith('this.'))) return undefined;
    for (const n of this.assignmentsOf(target.getSourceFile())) {
      const left = this.evaluator.unwrap(n.left);
      if (left === target || this.accessKey(left) !== key) continue;
      if (targetDecl && declOf(left) !== targetDecl) continue;
      const o = this.originOf(n.right, depth);
      if (o) return o;
    }
    return undefined;
  }

  /** The file's `x = …`, `x ??= …`, `x ||= …` expressions with an identifier or property chain on the left. */
  private assignmentsOf(sf: TS.SourceFile): TS.BinaryExpression[] {
    const hit = this.assignmentsCache.get(sf);
    if (hit) return hit;
    const ts = this.ts;
    const out: TS.BinaryExpression[] = [];
    const kinds = new Set([ts.SyntaxKind.EqualsToken, ts.SyntaxKind.QuestionQuestionEqualsToken, ts.SyntaxKind.BarBarEqualsToken]);
    const visit = (n: TS.Node): void => {
      if (ts.isBinaryExpression(n) && kinds.has(n.operatorToken.kind)) {
        const left = this.evaluator.unwrap(n.left);
        if (ts.isIdentifier(left) || ts.isPropertyAccessExpression(left)) out.push(n);
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    this.assignmentsCache.set(sf, out);
    return out;
  }

  /** `a.b.c` for an identifier / property-access chain (through parentheses and casts), else undefined. */
  private accessKey(e: TS.Expression): string | undefined {
    const ts = this.ts;
    const u = this.evaluator.unwrap(e);
    if (ts.isIdentifier(u)) return u.text;
    if (u.kind === ts.SyntaxKind.ThisKeyword) return 'this';
    if (ts.isPropertyAccessExpression(u)) {
      const left = this.accessKey(u.expression);
      return left === undefined ? undefined : `${left}.${u.name.text}`;
    }
    return undefined;
  }

  /**
   * The `.withOptions(...)` calls between a client expression and its base client, the last applied first:
   * `slow.chat…` with `const slow = openai.withOptions({ timeout })` gives that `withOptions` call. Follows the same
   * variables, fields, `await`s and factories as `originOf` does (bounded depth).
   */
  withOptionsChain(expr: TS.Expression, depth = 0): TS.CallExpression[] {
    const ts = this.ts;
    if (depth > 8) return [];
    const e = this.evaluator.unwrap(expr);
    if (ts.isAwaitExpression(e)) return this.withOptionsChain(e.expression, depth + 1);
    if (ts.isCallExpression(e)) {
      if (ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === 'withOptions') {
        return [e, ...this.withOptionsChain(e.expression.expression, depth + 1)];
      }
      const fn = this.functionOf(e.expression);
      const body = fn && (fn as TS.FunctionLikeDeclaration).body;
      if (!body) return [];
      if (!ts.isBlock(body)) return this.withOptionsChain(body, depth + 1);
      const ret = body.statements.find((st): st is TS.ReturnStatement => ts.isReturnStatement(st) && !!st.expression);
      return ret ? this.withOptionsChain(ret.expression!, depth + 1) : [];
    }
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) {
      const decl = this.evaluator.declarationOf(ts.isPropertyAccessExpression(e) ? e.name : e);
      if (decl && (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl)) && decl.initializer) {
        return this.withOptionsChain(decl.initializer, depth + 1);
      }
    }
    return [];
  }

  private declOrigin(decl: TS.Declaration, depth: number): TS.NewExpression | null | undefined {
    const ts = this.ts;
    if (ts.isVariableDeclaration(decl) || ts.isPropertyDeclaration(decl) || ts.isParameter(decl) || ts.isPropertySignature(decl)) {
      if ('initializer' in decl && decl.initializer) {
        const o = this.originOf(decl.initializer as TS.Expression, depth);
        if (o !== undefined) return o;
      }
      if (decl.type && this.isClientType(decl.type, depth)) {
        return this.assignedInConstructor(decl) ?? this.injectedOrigin(decl, depth) ?? null;
      }
      if (ts.isPropertyDeclaration(decl) || ts.isParameter(decl)) {
        const assigned = this.assignedInConstructor(decl);
        if (assigned) return assigned;
      }
      if (ts.isParameter(decl) && !decl.type && !decl.initializer) return this.argumentOrigin(decl, depth);
      return undefined;
    }
    if (ts.isPropertyAssignment(decl)) return this.originOf(decl.initializer, depth);
    if (ts.isShorthandPropertyAssignment(decl)) return this.originOf(decl.name, depth);
    // `export default new OpenAI()` imported as `import openai from './client'`.
    if (ts.isExportAssignment(decl)) return this.originOf(decl.expression, depth);
    if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return this.returnOrigin(decl, depth);
    return undefined;
  }

  /**
   * An untyped parameter (`function f(client, t)`, plain JS): the argument at its position in the function's calls
   * across the project; a client when any of them is one. Bounded by the callers' limit, the depth, and a cache.
   */
  private argumentOrigin(param: TS.ParameterDeclaration, depth: number): TS.NewExpression | null | undefined {
    const ts = this.ts;
    if (!this.callsOf || param.dotDotDotToken || !ts.isIdentifier(param.name)) return undefined;
    if (this.paramCache.has(param)) return this.paramCache.get(param);
    const fn = param.parent;
    const index = fn.parameters.indexOf(param);
    this.paramCache.set(param, undefined);
    const args = this.callsOf(fn)
      .map((call) => call.arguments?.[index])
      .filter((arg): arg is TS.Expression => !!arg && !ts.isSpreadElement(arg));
    const result = this.firstOrigin(args, depth + 1);
    this.paramCache.set(param, result);
    return result;
  }

  /**
   * A NestJS injection `@Inject(TOKEN) private readonly openai: OpenAI`: the provider registered for that token
   * (`{ provide: TOKEN, useFactory: () => new OpenAI(…) }` or `useValue: new OpenAI(…)`) anywhere in the project.
   */
  private injectedOrigin(decl: TS.Declaration, depth: number): TS.NewExpression | undefined {
    const ts = this.ts;
    const decorators = (ts.canHaveDecorators?.(decl) ? ts.getDecorators?.(decl) : undefined) ?? (decl as unknown as { decorators?: readonly TS.Decorator[] }).decorators ?? [];
    for (const d of decorators) {
      const c = d.expression;
      if (!ts.isCallExpression(c) || !ts.isIdentifier(c.expression) || c.expression.text !== 'Inject' || !c.arguments[0]) continue;
      const token = c.arguments[0];
      for (const provider of this.providers()) {
        if (!this.sameToken(provider.token, token)) continue;
        const value = this.evaluator.unwrap(provider.value);
        let o: TS.NewExpression | null | undefined;
        if (provider.kind === 'useValue') o = this.originOf(value, depth + 1);
        else if (ts.isArrowFunction(value) || ts.isFunctionExpression(value)) o = this.returnOrigin(value, depth + 1);
        else {
          const fn = this.functionOf(value);
          o = fn ? this.returnOrigin(fn, depth + 1) : undefined;
        }
        if (o) return o;
      }
    }
    return undefined;
  }

  private sameToken(a: TS.Expression, b: TS.Expression): boolean {
    const ts = this.ts;
    const x = this.evaluator.unwrap(a);
    const y = this.evaluator.unwrap(b);
    if (ts.isStringLiteralLike(x) || ts.isStringLiteralLike(y)) {
      const vx = this.evaluator.evaluate(x);
      const vy = this.evaluator.evaluate(y);
      return vx.kind === 'string' && vy.kind === 'string' && vx.value === vy.value;
    }
    const kx = this.accessKey(x);
    const ky = this.accessKey(y);
    if (!kx || !ky) return false;
    const dx = this.evaluator.declarationOf(ts.isPropertyAccessExpression(x) ? x.name : x);
    const dy = this.evaluator.declarationOf(ts.isPropertyAccessExpression(y) ? y.name : y);
    if (dx && dy) return dx === dy;
    return kx === ky;
  }

  /** `{ provide: X, useFactory: … }` and `{ provide: X, useValue: … }` objects in the project's files. */
  private providers(): ReadonlyArray<{ token: TS.Expression; kind: 'useFactory' | 'useValue'; value: TS.Expression }> {
    if (this.providersCache) return this.providersCache;
    const ts = this.ts;
    const out: Array<{ token: TS.Expression; kind: 'useFactory' | 'useValue'; value: TS.Expression }> = [];
    for (const sf of this.program.getSourceFiles()) {
      if (sf.isDeclarationFile || /[\\/]node_modules[\\/]/.test(sf.fileName) || !/\bprovide\s*:/.test(sf.text)) continue;
      const visit = (n: TS.Node): void => {
        if (ts.isObjectLiteralExpression(n)) {
          let token: TS.Expression | undefined;
          let kind: 'useFactory' | 'useValue' | undefined;
          let value: TS.Expression | undefined;
          for (const p of n.properties) {
            if (!ts.isPropertyAssignment(p)) continue;
            const name = propertyNameText(ts, p.name);
            if (name === 'provide') token = p.initializer;
            else if (name === 'useFactory' || name === 'useValue') {
              kind = name;
              value = p.initializer;
            }
          }
          if (token && kind && value) out.push({ token, kind, value });
        }
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    this.providersCache = out;
    return out;
  }

  /** `this.x = new OpenAI(...)` inside the class's constructor. */
  private assignedInConstructor(decl: TS.Declaration): TS.NewExpression | undefined {
    const ts = this.ts;
    const name = (decl as TS.NamedDeclaration).name;
    if (!name || !ts.isIdentifier(name)) return undefined;
    let cls: TS.Node | undefined = decl.parent;
    while (cls && !ts.isClassLike(cls)) cls = cls.parent;
    if (!cls || !ts.isClassLike(cls)) return undefined;
    const ctor = cls.members.find(ts.isConstructorDeclaration);
    let found: TS.NewExpression | undefined;
    const visit = (n: TS.Node): void => {
      if (found) return;
      if (
        ts.isBinaryExpression(n) &&
        n.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
        ts.isPropertyAccessExpression(n.left) &&
        n.left.expression.kind === ts.SyntaxKind.ThisKeyword &&
        n.left.name.text === name.text
      ) {
        const o = this.originOf(n.right, 6);
        if (o) found = o;
      }
      ts.forEachChild(n, visit);
    };
    if (ctor?.body) visit(ctor.body);
    return found;
  }

  private functionOf(callee: TS.Expression): TS.SignatureDeclaration | undefined {
    const ts = this.ts;
    const target = ts.isPropertyAccessExpression(callee) ? callee.name : callee;
    const decl = this.evaluator.declarationOf(target);
    if (!decl) return undefined;
    if (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) return decl;
    if (ts.isVariableDeclaration(decl) && decl.initializer) {
      const init = this.evaluator.unwrap(decl.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    }
    return undefined;
  }

  private returnOrigin(fn: TS.SignatureDeclaration, depth: number): TS.NewExpression | null | undefined {
    const ts = this.ts;
    if (fn.type && this.isClientType(fn.type, depth)) {
      // Declared to return a client; find the construction if it is visible.
    }
    const body = (fn as TS.FunctionLikeDeclaration).body;
    if (!body) return fn.type && this.isClientType(fn.type, depth) ? null : undefined;
    if (!ts.isBlock(body)) return this.originOf(body, depth);
    let result: TS.NewExpression | null | undefined;
    const visit = (n: TS.Node): void => {
      if (result) return;
      if (ts.isFunctionLike(n) && n !== fn) return;
      if (ts.isReturnStatement(n) && n.expression) {
        const o = this.originOf(n.expression, depth);
        if (o) result = o;
        else if (o === null && result === undefined) result = null;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    if (result === undefined && fn.type && this.isClientType(fn.type, depth)) return null;
    return result;
  }

  /** `OpenAI`, `AzureOpenAI`, `OpenAI.default`, `InstanceType<typeof OpenAI>`, or a local alias of those. */
  isClientType(type: TS.TypeNode, depth: number): boolean {
    const ts = this.ts;
    if (depth > 8) return false;
    if (ts.isTypeReferenceNode(type)) {
      const tn = type.typeName;
      const id = ts.isIdentifier(tn) ? tn : tn.right;
      const left = ts.isQualifiedName(tn) ? tn.left : undefined;
      const sf = type.getSourceFile();
      const imports = importsOf(ts, sf);
      if (ts.isIdentifier(tn)) {
        const b = imports.get(tn.text);
        if (b && OPENAI_MODULES.some((m) => isModule(b.module, m)) && CLIENT_CLASSES.has(b.imported)) return true;
      } else if (left && ts.isIdentifier(left)) {
        const b = imports.get(left.text);
        if (b && OPENAI_MODULES.some((m) => isModule(b.module, m)) && CLIENT_CLASSES.has(id.text)) return true;
      }
      if (tn.getText() === 'InstanceType' && type.typeArguments?.[0] && ts.isTypeQueryNode(type.typeArguments[0])) {
        return this.isClientClass(entityToExpression(ts, type.typeArguments[0].exprName));
      }
      const decl = this.evaluator.declarationOf(id);
      if (decl && ts.isTypeAliasDeclaration(decl)) return this.isClientType(decl.type, depth + 1);
      return false;
    }
    if (ts.isUnionTypeNode(type)) return type.types.some((t) => this.isClientType(t, depth + 1));
    return false;
  }

  /** `OpenAI`, `AzureOpenAI`, `openai.OpenAI`, the default import, or `require('openai')`. */
  isClientClass(expr: TS.Expression | TS.LeftHandSideExpression): boolean {
    const ts = this.ts;
    const sf = expr.getSourceFile();
    const imports = importsOf(ts, sf);
    if (ts.isIdentifier(expr)) {
      const b = imports.get(expr.text);
      if (b && OPENAI_MODULES.some((m) => isModule(b.module, m))) return CLIENT_CLASSES.has(b.imported) || b.imported === '*';
      // A re-export through the project's own module (`export { OpenAI } from 'openai'`).
      const decl = this.evaluator.declarationOf(expr);
      if (decl && ts.isExportSpecifier(decl)) return false;
      // A lazy import inside a function: `const { default: O } = await import('openai'); new O()`.
      const local = decl && bindingOfDeclaration(ts, decl);
      if (local && OPENAI_MODULES.some((m) => isModule(local.module, m))) return CLIENT_CLASSES.has(local.imported) || local.imported === '*';
      return false;
    }
    if (ts.isPropertyAccessExpression(expr) && ts.isIdentifier(expr.expression)) {
      let b = imports.get(expr.expression.text);
      if (!b) {
        // `const mod = await import('openai'); new mod.default()`
        const decl = this.evaluator.declarationOf(expr.expression);
        b = decl && bindingOfDeclaration(ts, decl);
      }
      if (b && OPENAI_MODULES.some((m) => isModule(b.module, m))) return CLIENT_CLASSES.has(expr.name.text);
    }
    return false;
  }

  /** Every `new OpenAI(...)` in the program's project files (for DI-injected clients). */
  constructions(projectFiles: readonly TS.SourceFile[]): TS.NewExpression[] {
    const key = 'all';
    const hit = this.constructionsCache.get(key);
    if (hit) return hit;
    const ts = this.ts;
    const out: TS.NewExpression[] = [];
    for (const sf of projectFiles) {
      if (!/OpenAI|openai/.test(sf.text)) continue;
      const visit = (n: TS.Node): void => {
        if (ts.isNewExpression(n) && this.isClientClass(n.expression)) out.push(n);
        ts.forEachChild(n, visit);
      };
      visit(sf);
    }
    this.constructionsCache.set(key, out);
    return out;
  }

  get evaluatorInstance(): Evaluator {
    return this.evaluator;
  }
}

function entityToExpression(ts: TsModule, name: TS.EntityName): TS.Expression {
  return ts.isIdentifier(name) ? name : (name.right as unknown as TS.Expression);
}

function isOpenAiAmbient(ts: TsModule, d: TS.Declaration): boolean {
  // `declare module 'openai' { ... }` shims in a project.
  let n: TS.Node | undefined = d;
  while (n) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name) && n.name.text === 'openai') return true;
    n = n.parent;
  }
  return false;
}

export interface ParamFacts {
  model: string | null;
  /** When the model is not one literal but one of a few (`fast ? 'gpt-5-nano' : 'gpt-5-mini'`): those literals. */
  modelCandidates: string[] | null;
  modelNode: TS.Expression | undefined;
  serviceTier: ServiceTier;
  tierNode: TS.Expression | undefined;
  stream: boolean | 'dynamic';
  prompt: PromptFacts;
  /** The params object as evaluated (for edits). */
  params: StaticValue;
}

const TIERS: ReadonlySet<string> = new Set(['auto', 'default', 'flex', 'priority', 'fast', 'scale']);

/**
 * The string literals an expression can be when it is a choice between them: a conditional (`a ? 'x' : 'y'`, nested)
 * whose every branch evaluates to a string, directly or through a `const`. Null when any branch is not static.
 */
export function literalAlternatives(ts: TsModule, ev: Evaluator, expr: TS.Expression, depth = 0): string[] | null {
  if (depth > 4) return null;
  const e = ev.unwrap(expr);
  const v = ev.evaluate(e);
  if (v.kind === 'string') return [v.value];
  let target: TS.Expression | undefined = e;
  if (ts.isIdentifier(e)) target = ev.initializerOf(e);
  if (!target) return null;
  target = ev.unwrap(target);
  if (!ts.isConditionalExpression(target)) return null;
  const a = literalAlternatives(ts, ev, target.whenTrue, depth + 1);
  const b = a && literalAlternatives(ts, ev, target.whenFalse, depth + 1);
  return a && b ? [...new Set([...a, ...b])] : null;
}

export function readParams(ts: TsModule, ev: Evaluator, call: TS.CallExpression, endpoint: Endpoint): ParamFacts {
  const arg = call.arguments[0];
  let params = ev.evaluate(arg);
  // `params.service_tier = 'flex'` / `Object.assign(params, {...})` between building the object and the call.
  let unsure: ReadonlySet<string> = new Set();
  if (params.kind === 'object' && arg) {
    const m = paramMutations(ts, ev, call, arg, params);
    params = m.params;
    unsure = m.unsure;
  }
  const prompt: PromptFacts = { literalText: [], interpolations: 0, maxOutputTokens: null };
  if (params.kind !== 'object') {
    return {
      model: null,
      modelCandidates: null,
      modelNode: undefined,
      serviceTier: 'dynamic',
      tierNode: undefined,
      stream: endpoint.endsWith('.stream') ? true : 'dynamic',
      prompt,
      params,
    };
  }
  const modelNode = unsure.has('model') ? undefined : params.props.get('model');
  const modelValue = ev.evaluate(modelNode);
  const model = modelValue.kind === 'string' ? modelValue.value : null;
  const modelCandidates = model === null && modelNode ? literalAlternatives(ts, ev, modelNode) : null;

  const tierNode = unsure.has('service_tier') ? undefined : params.props.get('service_tier');
  let serviceTier: ServiceTier;
  if (unsure.has('service_tier')) {
    serviceTier = 'dynamic';
  } else if (tierNode) {
    const v = ev.evaluate(tierNode);
    serviceTier = v.kind === 'string' && TIERS.has(v.value) ? (v.value as ServiceTier) : 'dynamic';
    if (tierNode.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isIdentifier(tierNode) && tierNode.text === 'undefined')) serviceTier = 'absent';
  } else {
    serviceTier = params.openSpread ? 'dynamic' : 'absent';
  }

  let stream: boolean | 'dynamic' = endpoint.endsWith('.stream');
  if (!stream && unsure.has('stream')) {
    stream = 'dynamic';
  } else if (!stream) {
    const s = params.props.get('stream');
    if (s) {
      const v = ev.evaluate(s);
      stream = v.kind === 'boolean' ? v.value : 'dynamic';
    }
  }

  const out = { text: [] as string[], interpolations: 0 };
  for (const key of ['instructions', 'messages', 'input', 'prompt']) {
    const p = params.props.get(key);
    if (p) ev.collectText(p, out);
  }
  prompt.literalText = out.text;
  prompt.interpolations = out.interpolations;
  for (const key of ['max_completion_tokens', 'max_output_tokens', 'max_tokens']) {
    const p = params.props.get(key);
    if (p) {
      const v = ev.evaluate(p);
      if (v.kind === 'number') {
        prompt.maxOutputTokens = v.value;
        break;
      }
    }
  }
  return { model, modelCandidates, modelNode, serviceTier, tierNode, stream, prompt, params };
}

/**
 * Property writes to a params variable in the call's own function body, before the call: `p.service_tier = 'flex'`,
 * `p['model'] = m`, `Object.assign(p, { service_tier })`. An unconditional write replaces the property (its value
 * read as usual, so `dynamic` when not static); a write under a condition or in a loop leaves it `unsure`; a write
 * whose key or source cannot be read opens the object (`openSpread`). Writes in nested functions are not followed.
 */
function paramMutations(
  ts: TsModule,
  ev: Evaluator,
  call: TS.CallExpression,
  arg: TS.Expression,
  params: StaticValue & { kind: 'object' },
): { params: StaticValue & { kind: 'object' }; unsure: Set<string> } {
  const unsure = new Set<string>();
  const id = ev.unwrap(arg);
  if (!ts.isIdentifier(id)) return { params, unsure };
  const decl = ev.declarationOf(id);
  if (!decl) return { params, unsure };
  let fn: TS.Node = call;
  while (fn.parent && !ts.isFunctionLike(fn) && !ts.isSourceFile(fn)) fn = fn.parent;
  const body = ts.isSourceFile(fn) ? fn : (fn as TS.FunctionLikeDeclaration).body;
  if (!body || !body.getText().includes(id.text)) return { params, unsure };
  const isTarget = (x: TS.Expression) => {
    const u = ev.unwrap(x);
    return ts.isIdentifier(u) && u.text === id.text && ev.declarationOf(u) === decl;
  };
  // Statements that run exactly once, in order, on the way to the call: blocks and expression statements only.
  const definite = (n: TS.Node): boolean => {
    for (let p = n.parent; p && p !== body; p = p.parent) {
      if (!(ts.isBlock(p) || ts.isExpressionStatement(p) || ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isVoidExpression(p))) return false;
    }
    return true;
  };
  const props = new Map(params.props);
  let openSpread = params.openSpread;
  const literals = [...params.literals];
  const write = (name: string, value: TS.Expression, at: TS.Node) => {
    if (definite(at)) {
      props.set(name, value);
      unsure.delete(name);
    } else {
      unsure.add(name);
    }
  };
  const end = call.getStart();
  let changed = false;
  const visit = (n: TS.Node): void => {
    if (n.getStart() >= end) return;
    if (n !== body && ts.isFunctionLike(n)) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.EqualsToken && n.getEnd() <= end) {
      const left = ev.unwrap(n.left);
      if ((ts.isPropertyAccessExpression(left) || ts.isElementAccessExpression(left)) && isTarget(left.expression)) {
        changed = true;
        const name = ts.isPropertyAccessExpression(left)
          ? left.name.text
          : ts.isStringLiteralLike(left.argumentExpression)
            ? left.argumentExpression.text
            : undefined;
        if (name === undefined) openSpread = true;
        else write(name, n.right, n);
      }
    } else if (
      ts.isCallExpression(n) &&
      n.getEnd() <= end &&
      ts.isPropertyAccessExpression(n.expression) &&
      n.expression.getText().replace(/\s+/g, '') === 'Object.assign' &&
      n.arguments[0] &&
      isTarget(n.arguments[0])
    ) {
      changed = true;
      for (const src of n.arguments.slice(1)) {
        const v = ts.isSpreadElement(src) ? undefined : ev.evaluate(src);
        if (!v || v.kind !== 'object') {
          openSpread = true;
          continue;
        }
        for (const [k, val] of v.props) write(k, val, n);
        if (v.openSpread) openSpread = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  if (!changed) return { params, unsure };
  return { params: { ...params, props, openSpread, literals }, unsure };
}

/**
 * The per-request timeout, else the last `.withOptions({ timeout })` on the way to the client (`withOptions` is the
 * `ClientResolver.withOptionsChain` of the receiver), else the client constructor's, else the SDK default.
 */
export function readTimeout(
  ev: Evaluator,
  call: TS.CallExpression,
  client: TS.NewExpression | null | undefined,
  withOptions: readonly TS.CallExpression[] = [],
): Timeout {
  const rt = timeoutOption(ev, call.arguments[1]);
  if (rt === 'dynamic') return { ms: null, source: 'dynamic' };
  if (rt !== null) return { ms: rt, source: 'request' };
  const ot = withOptionsTimeout(ev, withOptions);
  if (ot === 'dynamic') return { ms: null, source: 'dynamic' };
  if (ot !== null) return { ms: ot, source: 'client' };
  const ct = clientTimeout(ev, client);
  if (ct === 'dynamic') return { ms: null, source: 'dynamic' };
  if (ct !== null) return { ms: ct, source: 'client' };
  return { ms: SDK_DEFAULT_TIMEOUT_MS, source: 'sdk-default' };
}

/** The timeout the `.withOptions(...)` calls set (the last applied first in `chain`), null when none sets one. */
export function withOptionsTimeout(ev: Evaluator, chain: readonly TS.CallExpression[]): number | null | 'dynamic' {
  for (const c of chain) {
    const t = timeoutOption(ev, c.arguments[0]);
    if (t !== null) return t;
  }
  return null;
}

export function clientTimeout(ev: Evaluator, client: TS.NewExpression | null | undefined): number | null | 'dynamic' {
  return client ? timeoutOption(ev, client.arguments?.[0]) : null;
}

/**
 * The `timeout` of an SDK options object (the constructor's, `withOptions`', or a request's second argument): its
 * milliseconds, null when the object sets none, `dynamic` when it cannot be read (not an object literal, a
 * non-literal value, or a spread that may carry one).
 */
function timeoutOption(ev: Evaluator, arg: TS.Expression | undefined): number | null | 'dynamic' {
  if (!arg) return null;
  const v = ev.evaluate(arg);
  if (v.kind !== 'object') return 'dynamic';
  const t = v.props.get('timeout');
  if (!t) return v.openSpread ? 'dynamic' : null;
  const tv = ev.evaluate(t);
  return tv.kind === 'number' ? tv.value : 'dynamic';
}

export function clientInfo(ts: TsModule, ev: Evaluator, client: TS.NewExpression | null | undefined, point: (n: TS.Node) => SourcePoint): ClientInfo {
  if (!client) return { createdAt: null, timeoutMs: null, className: null };
  const t = clientTimeout(ev, client);
  const ce = client.expression;
  const className = ts.isIdentifier(ce) ? ce.text : ts.isPropertyAccessExpression(ce) ? ce.name.text : null;
  return { createdAt: point(client), timeoutMs: typeof t === 'number' ? t : null, className };
}

const LOOP_METHODS = new Set(['map', 'forEach', 'flatMap']);
const LOOP_MODULES = new Set(['p-map', 'p-map-series']);

/** The loop a call runs its callback in: `items.map|forEach|flatMap(fn)`, or `pMap(items, fn)` from p-map. */
export function loopKindOf(ts: TsModule, call: TS.CallExpression): 'map' | 'forEach' | 'flatMap' | 'p-map' | null {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee)) return LOOP_METHODS.has(callee.name.text) ? (callee.name.text as 'map' | 'forEach' | 'flatMap') : null;
  if (ts.isIdentifier(callee)) {
    const b = importsOf(ts, call.getSourceFile()).get(callee.text);
    if (b && LOOP_MODULES.has(b.module)) return 'p-map';
  }
  return null;
}

/** The per-item loop a call runs a function argument in (`items.map(fn)`, `pMap(items, fn)`), or null. */
export function loopOfCall(ts: TsModule, ev: Evaluator, call: TS.CallExpression): PerItem | null {
  const kind = loopKindOf(ts, call);
  if (!kind) return null;
  const items = kind === 'p-map' ? call.arguments[0] : (call.expression as TS.PropertyAccessExpression).expression;
  return loopItem(ts, ev, kind, items, call);
}

/** A per-item loop and the node that makes it one (the loop statement, or the `.map(…)` / p-map call). */
export interface LoopAt {
  item: PerItem;
  node: TS.Node;
}

/**
 * Every per-item loop around `node` within its function, innermost first: loop bodies, callbacks passed to
 * `.map`/`.forEach`/`.flatMap`/p-map (and the loops around those calls), looking through anonymous wrappers.
 */
export function loopsAt(ts: TsModule, ev: Evaluator, node: TS.Node, stopAt?: TS.Node): LoopAt[] {
  const out: LoopAt[] = [];
  let child: TS.Node = node;
  let n: TS.Node | undefined = node.parent;
  while (n && n !== stopAt) {
    if (ts.isForOfStatement(n) || ts.isForInStatement(n)) {
      if (child === n.statement) out.push({ item: loopItem(ts, ev, n.kind === ts.SyntaxKind.ForOfStatement ? 'for-of' : 'for-in', n.expression, n), node: n });
    } else if (ts.isForStatement(n)) {
      if (child === n.statement) out.push({ item: forItem(ts, ev, n), node: n });
    } else if (ts.isWhileStatement(n)) {
      if (child === n.statement) out.push({ item: { kind: 'while', collection: null, size: null, line: lineOf(n) }, node: n });
    } else if (ts.isDoStatement(n)) {
      if (child === n.statement) out.push({ item: { kind: 'do-while', collection: null, size: null, line: lineOf(n) }, node: n });
    } else if (ts.isFunctionLike(n)) {
      const fn = n;
      const parent = fn.parent;
      if (parent && ts.isCallExpression(parent) && parent.arguments.includes(fn as unknown as TS.Expression)) {
        const loop = loopOfCall(ts, ev, parent);
        // A loop callback runs in the enclosing function: keep looking outward for loops around the call.
        if (loop) out.push({ item: loop, node: parent });
        // An anonymous wrapper (`limit(() => …)`, `retry(() => …)`, `step.run('x', () => …)`): keep looking outward.
        if (loop || !isNamedFunction(ts, fn)) {
          child = n;
          n = n.parent;
          continue;
        }
      }
      return out;
    }
    child = n;
    n = n.parent;
  }
  return out;
}

/** One `PerItem` for loops listed innermost first: the innermost, with the others in `outer` (outermost last). */
export function nestLoops(loops: readonly PerItem[]): PerItem | null {
  const flat = loops.map(({ outer: _outer, ...item }) => item as PerItem);
  if (flat.length === 0) return null;
  return flat.length === 1 ? flat[0]! : { ...flat[0]!, outer: flat.slice(1) };
}

/** The loops of a `PerItem`, innermost first (the item itself, then its `outer` loops). */
export function loopsOf(p: PerItem | null | undefined): PerItem[] {
  if (!p) return [];
  const { outer, ...item } = p;
  return [item as PerItem, ...(outer ?? [])];
}

function isNamedFunction(ts: TsModule, fn: TS.Node): boolean {
  return (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && !!fn.name;
}

function lineOf(n: TS.Node): number {
  const sf = n.getSourceFile();
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
}

function loopItem(ts: TsModule, ev: Evaluator, kind: PerItem['kind'], coll: TS.Expression | undefined, at: TS.Node): PerItem {
  return { kind, collection: coll ? coll.getText() : null, size: coll ? collectionSize(ts, ev, coll) : null, line: lineOf(at) };
}

function forItem(ts: TsModule, ev: Evaluator, st: TS.ForStatement): PerItem {
  let size: number | null = null;
  let collection: string | null = null;
  const cond = st.condition;
  if (cond && ts.isBinaryExpression(cond) && (cond.operatorToken.kind === ts.SyntaxKind.LessThanToken || cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken)) {
    const right = ev.unwrap(cond.right);
    if (ts.isPropertyAccessExpression(right) && right.name.text === 'length') {
      collection = right.expression.getText();
      size = collectionSize(ts, ev, right.expression);
    } else {
      const v = ev.evaluate(right);
      let start = 0;
      const init = st.initializer;
      if (init && ts.isVariableDeclarationList(init) && init.declarations[0]?.initializer) {
        const s = ev.evaluate(init.declarations[0].initializer);
        if (s.kind === 'number') start = s.value;
      }
      if (v.kind === 'number') size = Math.max(0, v.value - start + (cond.operatorToken.kind === ts.SyntaxKind.LessThanEqualsToken ? 1 : 0));
    }
  }
  return { kind: 'for', collection, size, line: lineOf(st) };
}

function collectionSize(ts: TsModule, ev: Evaluator, coll: TS.Expression): number | null {
  const v = ev.evaluate(coll);
  if (v.kind === 'array') return v.elements.some((e) => ts.isSpreadElement(e)) ? null : v.elements.length;
  const e = ev.unwrap(coll);
  // Array.from({ length: N })
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.getText() === 'Array.from') {
    const obj = ev.evaluate(e.arguments[0]);
    if (obj.kind === 'object') {
      const len = ev.evaluate(obj.props.get('length'));
      if (len.kind === 'number') return len.value;
    }
  }
  if (ts.isIdentifier(e)) {
    const init = ev.initializerOf(e);
    if (init && init !== coll) return collectionSize(ts, ev, init);
  }
  return null;
}
