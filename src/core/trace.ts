import type { ChainStep, Context, PerItem } from './types.js';
import type { TS, TsModule } from './ts.js';
import type { EntryFinder, EntryHit } from './entries.js';
import { loopKindOf, loopOfCall, loopsAt, nestLoops, type LoopAt } from './calls.js';
import type { Evaluator } from './values.js';
import { propertyNameText } from './values.js';

const MAX_CHAIN = 25;
const MAX_FRAMES = 2_000;

/** A function-like scope, or a module's top level. */
export type Scope = TS.SignatureDeclaration | TS.SourceFile;

interface Frame {
  scope: Scope;
  /** Steps from this scope down to the call site's scope (this scope first). */
  chain: ChainStep[];
  /** Per-item loops from the call site up to this scope, innermost first. */
  loops: LoopAt[];
}

export interface TraceResult {
  contexts: Array<Context & { perItem?: PerItem | null }>;
  /**
   * Per-item loops found along the chains, closest to the call first: the innermost, with the loops around it up to
   * an entrypoint in its `outer`.
   */
  perItem: PerItem | null;
  /** The same loops with the nodes that make them (for merging with the loops around the call in its own scope). */
  loops: LoopAt[];
}

/**
 * Traces a call site backwards through the project's call graph to the entrypoints that reach it. References are
 * found by name (a word index of the project's text, then the identifiers at the name's occurrences) and confirmed
 * with the checker (or, for `this.member` in the class's own members, the syntax), so the checker is only asked
 * about the few identifiers that can matter.
 */
export class Tracer {
  private readonly idIndex = new WeakMap<TS.SourceFile, Map<string, TS.Identifier[]>>();
  private readonly declCount = new Map<string, number>();
  private wordIndex: Map<string, TS.SourceFile[]> | undefined;
  private readonly refCache = new Map<string, Array<{ id: TS.Identifier; decls: readonly TS.Node[] | null }>>();

  constructor(
    private readonly ts: TsModule,
    private readonly ev: Evaluator,
    private readonly files: readonly TS.SourceFile[],
    private readonly entries: EntryFinder,
    private readonly relPath: (sf: TS.SourceFile) => string,
  ) {}

  trace(site: TS.Node): TraceResult {
    const ts = this.ts;
    const start = this.scopeOf(site);
    const queue: Frame[] = [{ scope: start, chain: [this.step(start)], loops: [] }];
    const seen = new Set<Scope>([start]);
    const contexts = new Map<string, Context & { perItem?: PerItem | null }>();
    // The first chain with loops; then, once an entrypoint is reached through it, that chain's loops up to the entry.
    let loops: LoopAt[] | null = null;
    let loopsReachEntry = false;
    let frames = 0;

    const record = (hits: EntryHit[], frame: Frame, entryStep?: ChainStep) => {
      // An entrypoint that runs its handler once per item (an eval's task per dataset row) is the outermost loop.
      const loopsTo = (hit: EntryHit | undefined): LoopAt[] => (hit?.perItem ? [...frame.loops, { item: hit.perItem, node: hit.at }] : frame.loops);
      for (const hit of hits) {
        const sf = hit.at.getSourceFile();
        const line = ts.isSourceFile(hit.at) ? 1 : lineOf(hit.at);
        const chain = entryStep && !sameStep(entryStep, frame.chain[0]) ? [entryStep, ...frame.chain] : frame.chain;
        // Anonymous handlers and module top levels are named after the first named function they run.
        const named = chain.find((s) => s.name.endsWith('()') && s.name !== '<anonymous>()');
        const name = hit.name ?? (named ? named.name.slice(0, -2) : '<module>');
        const ctx: Context & { perItem?: PerItem | null } = {
          kind: hit.kind,
          framework: hit.framework,
          entry: { file: this.relPath(sf), line, name },
          trigger: hit.trigger,
          cadence: hit.cadence,
          chain,
          why: hit.why,
          perItem: nestLoops(loopsTo(hit).map((l) => l.item)),
        };
        const key = `${ctx.entry.file}:${ctx.entry.line}|${ctx.trigger}`;
        if (!contexts.has(key)) contexts.set(key, ctx);
      }
      const reached = loopsTo(hits.find((h) => h.perItem));
      if (!loops && reached.length > frame.loops.length) loops = reached;
      if (!loopsReachEntry && loops && hits.length > 0 && reached.length >= loops.length && loops.every((l, i) => reached[i]!.node === l.node)) {
        loops = reached;
        loopsReachEntry = true;
      }
    };

    while (queue.length > 0 && frames++ < MAX_FRAMES) {
      const frame = queue.shift()!;
      if (frame.loops.length > 0 && !loops) loops = frame.loops;
      const { scope } = frame;
      if (frame.chain.length > MAX_CHAIN) continue;

      const enqueue = (next: Scope, via: TS.Node, step?: ChainStep) => {
        if (seen.has(next)) return;
        seen.add(next);
        const around = loopsAt(ts, this.ev, via, ts.isSourceFile(next) ? undefined : next);
        const chain = step ? [step, ...frame.chain] : [this.step(next), ...frame.chain];
        queue.push({ scope: next, chain, loops: [...frame.loops, ...around] });
      };

      if (ts.isSourceFile(scope)) {
        record(this.entries.forModule(scope), frame);
        continue;
      }

      const named = this.nameOf(scope);
      const fnHits = this.entries.forFunction(scope, named?.display);
      if (fnHits.length > 0) {
        record(fnHits, frame);
        if (fnHits.some((h) => h.framework === 'config')) continue;
      }

      // An anonymous function passed as an argument: a registration, or a callback run by the caller.
      const position = argumentPosition(ts, scope);
      if (position) {
        // A registration's handler; named only by its property (`{ task: async () => … }`, `{ async run() {} }`) or not.
        const hits = this.handlerHits(position);
        if (hits.length > 0) {
          record(hits, frame);
          continue;
        }
      }
      if (position && !named) {
        // The callback's own step already heads the chain; the caller comes next. Looking from inside the callback
        // finds `.map`/`.forEach`/p-map callbacks (and loops around `limit(() => …)` wrappers) as per-item work.
        const outer = this.scopeOf(position.call);
        const body = (scope as TS.FunctionLikeDeclaration).body;
        enqueue(outer, body ?? position.call);
        continue;
      }
      if (!named) {
        // IIFE, a returned closure, an event handler: attribute it to the enclosing scope.
        const parent = scope.parent;
        if (parent) enqueue(this.scopeOf(parent), parent);
        continue;
      }

      for (const ref of this.references(named)) {
        const { node, kind } = classifyReference(ts, ref);
        if (kind === 'call') {
          const caller = this.scopeOf(node);
          enqueue(caller, node);
        } else if (kind === 'argument') {
          const pos = argumentPosition(ts, node)!;
          const hits = this.handlerHits(pos);
          if (hits.length > 0) {
            record(hits, frame, this.step(scope));
            continue;
          }
          const caller = this.scopeOf(pos.call);
          const loop = ts.isCallExpression(pos.call) ? loopOfCall(ts, this.ev, pos.call) : null;
          if (loop) {
            if (!seen.has(caller)) {
              seen.add(caller);
              const around = loopsAt(ts, this.ev, pos.call, ts.isSourceFile(caller) ? undefined : caller);
              queue.push({ scope: caller, chain: [this.step(caller), ...frame.chain], loops: [...frame.loops, { item: loop, node: pos.call }, ...around] });
            }
          } else {
            enqueue(caller, pos.call);
          }
        } else if (kind === 'other') {
          // `{ Query: { summary } }`, `taskList: { summarize }`: a handler held in an object literal.
          const held = this.entries.forPropertyValue(node);
          if (held.length > 0) {
            record(held, frame, this.step(scope));
            continue;
          }
          enqueue(this.scopeOf(node), node);
        }
      }
    }
    const found = loops ?? [];
    return { contexts: [...contexts.values()], perItem: nestLoops(found.map((l) => l.item)), loops: found };
  }

  /**
   * The registrations a function passed at `pos` is a handler of: the call it is passed to, or, when that call is a
   * wrapper whose result is itself passed to a registration (`app.post('/a', asyncHandler(async (req, res) => …))`,
   * `router.get(path, mw, wrap(handler))`, `new Worker('q', withRetry(fn))`), that registration, up to two wrappers out.
   */
  private handlerHits(pos: { call: TS.CallExpression | TS.NewExpression; index: number; prop?: string }): EntryHit[] {
    const ts = this.ts;
    let cur = pos;
    for (let depth = 0; ; depth++) {
      const hits = this.entries.forArgument(cur.call, cur.index, cur.prop);
      if (hits.length > 0 || depth >= 2) return hits;
      // Only a plain call taking the function as an argument wraps it; `new X(fn)` and `{ prop: fn }` do not.
      if (cur.prop !== undefined || !ts.isCallExpression(cur.call) || isLoopCall(ts, cur.call)) return hits;
      const outer = argumentPosition(ts, cur.call);
      if (!outer) return hits;
      cur = outer;
    }
  }

  /**
   * The project's direct calls of a function (`fn(a, b)`, `obj.fn(a, b)`, `new C(a)` for a constructor), found the
   * way `trace` finds callers; at most `limit` of them.
   */
  callsOf(fn: TS.SignatureDeclaration, limit = 50): Array<TS.CallExpression | TS.NewExpression> {
    const ts = this.ts;
    const named = this.nameOf(fn);
    if (!named) return [];
    const out: Array<TS.CallExpression | TS.NewExpression> = [];
    for (const ref of this.references(named)) {
      const { node, kind } = classifyReference(ts, ref);
      if (kind !== 'call' || !(ts.isCallExpression(node) || ts.isNewExpression(node))) continue;
      // Not `fn.call(thisArg, …)` / `fn.apply(…)`: their arguments are shifted.
      if (node.expression !== ref && node.expression !== ref.parent) continue;
      out.push(node);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The nearest enclosing function-like, or the source file. */
  scopeOf(node: TS.Node): Scope {
    const ts = this.ts;
    let n: TS.Node | undefined = node.parent;
    while (n) {
      if (
        ts.isFunctionDeclaration(n) ||
        ts.isMethodDeclaration(n) ||
        ts.isArrowFunction(n) ||
        ts.isFunctionExpression(n) ||
        ts.isConstructorDeclaration(n) ||
        ts.isGetAccessorDeclaration(n) ||
        ts.isSetAccessorDeclaration(n)
      ) {
        return n;
      }
      if (ts.isSourceFile(n)) return n;
      n = n.parent;
    }
    return node.getSourceFile();
  }

  /** The name under which a function can be referenced, and the declaration references must resolve to. */
  nameOf(fn: TS.SignatureDeclaration): { name: string; display: string; decls: TS.Node[] } | undefined {
    const ts = this.ts;
    const cls = (n: TS.Node) => {
      const c = n.parent;
      return c && ts.isClassLike(c) && c.name ? `${c.name.text}.` : '';
    };
    if (ts.isFunctionDeclaration(fn)) {
      if (fn.name) return { name: fn.name.text, display: fn.name.text, decls: [fn] };
      return undefined;
    }
    if (ts.isMethodDeclaration(fn) || ts.isGetAccessorDeclaration(fn) || ts.isSetAccessorDeclaration(fn)) {
      const name = propertyNameText(ts, fn.name);
      if (!name) return undefined;
      return { name, display: `${cls(fn)}${name}`, decls: [fn, ...this.heritageDecls(fn, name)] };
    }
    if (ts.isConstructorDeclaration(fn)) {
      const c = fn.parent;
      if (c && ts.isClassLike(c) && c.name) return { name: c.name.text, display: `new ${c.name.text}`, decls: [c] };
      return undefined;
    }
    if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
      const p = fn.parent;
      if (p && ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return { name: p.name.text, display: p.name.text, decls: [p] };
      if (p && ts.isPropertyAssignment(p)) {
        const name = propertyNameText(ts, p.name);
        if (name) return { name, display: name, decls: [p] };
      }
      if (p && ts.isPropertyDeclaration(p)) {
        const name = propertyNameText(ts, p.name);
        if (name) return { name, display: `${cls(p)}${name}`, decls: [p] };
      }
      if (p && ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.EqualsToken && ts.isPropertyAccessExpression(p.left)) {
        return { name: p.left.name.text, display: p.left.getText(), decls: [p.left] };
      }
      if (ts.isFunctionExpression(fn) && fn.name) return { name: fn.name.text, display: fn.name.text, decls: [fn] };
    }
    return undefined;
  }

  /** Interface / abstract members a class method implements: calls through the interface reach the method. */
  private heritageDecls(method: TS.MethodDeclaration | TS.AccessorDeclaration, name: string): TS.Node[] {
    const ts = this.ts;
    const c = method.parent;
    if (!c || !ts.isClassLike(c)) return [];
    const out: TS.Node[] = [];
    for (const clause of c.heritageClauses ?? []) {
      for (const t of clause.types) {
        const decl = this.ev.declarationOf(ts.isPropertyAccessExpression(t.expression) ? t.expression.name : t.expression);
        const members = decl && (ts.isInterfaceDeclaration(decl) || ts.isClassLike(decl)) ? decl.members : undefined;
        for (const m of members ?? []) {
          if (m.name && propertyNameText(ts, m.name as TS.PropertyName) === name) out.push(m);
        }
      }
    }
    return out;
  }

  private references(named: { name: string; decls: TS.Node[] }): TS.Identifier[] {
    const ts = this.ts;
    const out: TS.Identifier[] = [];
    for (const ref of this.resolvedReferences(named.name)) {
      if (ref.decls) {
        if (ref.decls.some((d) => named.decls.includes(d))) out.push(ref.id);
      } else if (this.declarationCount(named.name) === 1 && (isCallee(ts, ref.id) || ts.isPropertyAccessExpression(ref.id.parent))) {
        // Unresolved (untyped receivers, JS without types): accept when the name is declared once in the project.
        out.push(ref.id);
      }
    }
    return out;
  }

  /**
   * Every use of a name in the project with the declarations the checker resolves it to (null when it cannot),
   * computed once per name: tracing many functions of the same name (`handle`, `run`) asks the checker once per use.
   */
  private resolvedReferences(name: string): Array<{ id: TS.Identifier; decls: readonly TS.Node[] | null }> {
    const hit = this.refCache.get(name);
    if (hit) return hit;
    const ts = this.ts;
    const out: Array<{ id: TS.Identifier; decls: readonly TS.Node[] | null }> = [];
    for (const sf of this.filesWithWord(name)) {
      for (const id of this.identifiersNamed(sf, name)) {
        const p = id.parent;
        // Declarations and import/export specifiers: the checker resolves importers straight to the declaration.
        if (p && (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p))) continue;
        if (
          p &&
          (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p) || ts.isPropertyAssignment(p) || ts.isClassDeclaration(p) || ts.isMethodSignature(p) || ts.isPropertySignature(p)) &&
          (p as TS.NamedDeclaration).name === id
        ) {
          continue;
        }
        // `exports.run = …` / `obj.run = function …`: the assignment target declares, it does not use.
        if (p && ts.isPropertyAccessExpression(p) && p.name === id && p.parent && ts.isBinaryExpression(p.parent) && p.parent.left === p && p.parent.operatorToken.kind === ts.SyntaxKind.EqualsToken) continue;
        const own = ownMemberDecls(ts, id);
        if (own) {
          out.push({ id, decls: own });
          continue;
        }
        const symbol = this.ev.symbolOf(id);
        out.push({ id, decls: symbol ? (symbol.declarations ?? []) : null });
      }
    }
    this.refCache.set(name, out);
    return out;
  }

  private declarationCount(name: string): number {
    const hit = this.declCount.get(name);
    if (hit !== undefined) return hit;
    const ts = this.ts;
    let count = 0;
    for (const sf of this.filesWithWord(name)) {
      for (const id of this.identifiersNamed(sf, name)) {
        const p = id.parent;
        if (
          p &&
          (ts.isFunctionDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertyAssignment(p) || ts.isVariableDeclaration(p)) &&
          p.name === id
        ) {
          count++;
        }
      }
    }
    this.declCount.set(name, count);
    return count;
  }

  /**
   * The files whose text has `word` as a whole identifier-like token. One pass over every file's text builds the
   * index the first time a name is looked up; each lookup after that is a map read (a plain `includes` scan per name
   * would cost files × names). The pass reads character codes rather than running a regular expression: it is the
   * one loop over all of the project's text.
   */
  private filesWithWord(word: string): readonly TS.SourceFile[] {
    if (!this.wordIndex) {
      const index = new Map<string, TS.SourceFile[]>();
      for (const sf of this.files) {
        const text = sf.text;
        const n = text.length;
        let i = 0;
        while (i < n) {
          if (!isWordStart(text.charCodeAt(i))) {
            i++;
            continue;
          }
          const start = i++;
          while (i < n && isWordPart(text.charCodeAt(i))) i++;
          const w = text.slice(start, i);
          const list = index.get(w);
          if (!list) index.set(w, [sf]);
          else if (list[list.length - 1] !== sf) list.push(sf);
        }
      }
      this.wordIndex = index;
    }
    return this.wordIndex.get(word) ?? [];
  }

  /** The identifiers `name` in a file (findIdentifiers), cached per file and name. */
  private identifiersNamed(sf: TS.SourceFile, name: string): readonly TS.Identifier[] {
    let perFile = this.idIndex.get(sf);
    if (!perFile) this.idIndex.set(sf, (perFile = new Map()));
    const hit = perFile.get(name);
    if (hit) return hit;
    const out = findIdentifiers(this.ts, sf, name);
    perFile.set(name, out);
    return out;
  }

  step(scope: Scope): ChainStep {
    const ts = this.ts;
    const sf = scope.getSourceFile();
    const file = this.relPath(sf);
    if (ts.isSourceFile(scope)) return { name: '<module>', file, line: 1 };
    const named = this.nameOf(scope);
    const line = lineOf(scope);
    if (named) return { name: `${named.display}()`, file, line };
    const pos = argumentPosition(ts, scope);
    if (pos) return this.callbackStep(pos.call, scope);
    return { name: '<anonymous>()', file, line };
  }

  private callbackStep(call: TS.CallExpression | TS.NewExpression, scope: Scope): ChainStep {
    const sf = call.getSourceFile();
    const callee = call.expression.getText(sf);
    const short = callee.length > 40 ? `…${callee.slice(-39)}` : callee;
    void scope;
    return { name: `${short}(callback)`, file: this.relPath(sf), line: lineOf(call) };
  }
}

/**
 * The identifiers `name` in a file, in order: each whole-word occurrence in its text, looked up in the tree by
 * position (a descent through the few nodes that contain it, rather than a walk of the whole file). Occurrences in
 * comments and strings find no identifier. The same identifiers as walking the tree with `forEachChild`.
 */
export function findIdentifiers(ts: TsModule, sf: TS.SourceFile, name: string): TS.Identifier[] {
  const text = sf.text;
  const out: TS.Identifier[] = [];
  for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
    const end = at + name.length;
    if ((at > 0 && isWordPart(text.charCodeAt(at - 1))) || (end < text.length && isWordPart(text.charCodeAt(end)))) continue;
    let node: TS.Node = sf;
    for (;;) {
      const next: TS.Node | undefined = ts.forEachChild(node, (c) => (c.pos <= at && at < c.end ? c : undefined));
      if (!next) break;
      if (ts.isIdentifier(next)) {
        if (next.end === end && next.text === name) out.push(next);
        break;
      }
      node = next;
    }
  }
  return out;
}

/** `[A-Za-z_$]` and `[A-Za-z0-9_$]`: the identifier-like words the tracer indexes. */
function isWordStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
}

function isWordPart(c: number): boolean {
  return isWordStart(c) || (c >= 48 && c <= 57);
}

function sameStep(a: ChainStep | undefined, b: ChainStep | undefined): boolean {
  return !!a && !!b && a.file === b.file && a.line === b.line && a.name === b.name;
}

export function lineOf(n: TS.Node): number {
  const sf = n.getSourceFile();
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
}

/**
 * `this.name` in a member of the class that declares `name` itself: that class's declarations of `name` (all its
 * overloads, both accessors), which is what the checker resolves it to — without asking it, which for a property
 * access means computing the type of `this`. Undefined (ask the checker) whenever `this` may be something else or
 * the member is not the class's own: inherited members, `this` rebound by a `function`, a `this` parameter, an
 * object literal's method, decorators and computed names (evaluated outside the instance).
 */
export function ownMemberDecls(ts: TsModule, id: TS.Identifier): TS.Node[] | undefined {
  const access = id.parent;
  if (!access || !ts.isPropertyAccessExpression(access) || access.name !== id || access.expression.kind !== ts.SyntaxKind.ThisKeyword) return undefined;
  let member: TS.ClassElement | undefined;
  for (let n: TS.Node | undefined = access.parent; n && !member; n = n.parent) {
    if (ts.isArrowFunction(n)) continue;
    if (ts.isDecorator(n) || ts.isComputedPropertyName(n) || ts.isSourceFile(n) || ts.isModuleBlock(n) || ts.isClassLike(n)) return undefined;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
    if (ts.isMethodDeclaration(n) || ts.isGetAccessorDeclaration(n) || ts.isSetAccessorDeclaration(n) || ts.isConstructorDeclaration(n) || ts.isPropertyDeclaration(n) || ts.isClassStaticBlockDeclaration(n)) {
      if (!n.parent || !ts.isClassLike(n.parent)) return undefined;
      if (ts.isFunctionLike(n) && n.parameters.some((p) => ts.isIdentifier(p.name) && p.name.text === 'this')) return undefined;
      member = n;
    }
  }
  if (!member) return undefined;
  const cls = member.parent as TS.ClassLikeDeclaration;
  const isStatic = (m: TS.Node) => ts.isClassStaticBlockDeclaration(m) || !!(ts.getCombinedModifierFlags(m as TS.Declaration) & ts.ModifierFlags.Static);
  const wantStatic = isStatic(member);
  const name = id.text;
  const decls: TS.Node[] = [];
  for (const m of cls.members) {
    if (m.name && !ts.isComputedPropertyName(m.name) && propertyNameText(ts, m.name as TS.PropertyName) === name && isStatic(m) === wantStatic) decls.push(m);
    // Parameter properties (`constructor(private readonly next: Next)`) are instance members too.
    if (!wantStatic && ts.isConstructorDeclaration(m)) {
      for (const p of m.parameters) {
        if (ts.isIdentifier(p.name) && p.name.text === name && ts.getCombinedModifierFlags(p) & ts.ModifierFlags.ParameterPropertyModifier) decls.push(p);
      }
    }
  }
  return decls.length > 0 ? decls : undefined;
}

function isCallee(ts: TsModule, id: TS.Identifier): boolean {
  const p = id.parent;
  if (!p) return false;
  if ((ts.isCallExpression(p) || ts.isNewExpression(p)) && p.expression === id) return true;
  return ts.isPropertyAccessExpression(p) && p.name === id && !!p.parent && ts.isCallExpression(p.parent) && p.parent.expression === p;
}

/** Where a function value sits in a call: argument index, or property of an object argument. */
export function argumentPosition(
  ts: TsModule,
  node: TS.Node,
): { call: TS.CallExpression | TS.NewExpression; index: number; prop?: string } | undefined {
  let n: TS.Node = node;
  let p = n.parent;
  // `handler.bind(x)`, `(handler)`, `handler as X`
  while (p && (ts.isParenthesizedExpression(p) || ts.isAsExpression(p) || ts.isSatisfiesExpression(p))) {
    n = p;
    p = p.parent;
  }
  if (p && ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'bind' && p.parent && ts.isCallExpression(p.parent)) {
    n = p.parent;
    p = n.parent;
  }
  if (p && (ts.isCallExpression(p) || ts.isNewExpression(p)) && p.arguments?.includes(n as TS.Expression)) {
    return { call: p, index: p.arguments.indexOf(n as TS.Expression) };
  }
  // `{ run: handler }`, `{ handler }`, `{ async run() {} }` as an argument
  let prop: string | undefined;
  let obj: TS.Node | undefined;
  if (p && (ts.isPropertyAssignment(p) && p.initializer === n)) {
    prop = propertyNameText(ts, p.name);
    obj = p.parent;
  } else if (p && ts.isShorthandPropertyAssignment(p)) {
    prop = p.name.text;
    obj = p.parent;
  } else if (ts.isMethodDeclaration(n) && p && ts.isObjectLiteralExpression(p)) {
    prop = propertyNameText(ts, n.name);
    obj = p;
  }
  if (prop !== undefined && obj && ts.isObjectLiteralExpression(obj)) {
    let o: TS.Node = obj;
    let op = o.parent;
    while (op && (ts.isParenthesizedExpression(op) || ts.isAsExpression(op) || ts.isSatisfiesExpression(op))) {
      o = op;
      op = op.parent;
    }
    if (op && (ts.isCallExpression(op) || ts.isNewExpression(op)) && op.arguments?.includes(o as TS.Expression)) {
      return { call: op, index: op.arguments.indexOf(o as TS.Expression), prop };
    }
  }
  return undefined;
}

type RefKind = 'call' | 'argument' | 'other' | 'ignore';

function classifyReference(ts: TsModule, id: TS.Identifier): { node: TS.Node; kind: RefKind } {
  let node: TS.Node = id;
  const p = id.parent;
  if (p && ts.isPropertyAccessExpression(p) && p.name === id) node = p;
  const q = node.parent;
  if (!q) return { node, kind: 'ignore' };
  if ((ts.isCallExpression(q) || ts.isNewExpression(q)) && q.expression === node) return { node: q, kind: 'call' };
  // fn.call(...) / fn.apply(...)
  if (ts.isPropertyAccessExpression(q) && q.expression === node && (q.name.text === 'call' || q.name.text === 'apply') && q.parent && ts.isCallExpression(q.parent)) {
    return { node: q.parent, kind: 'call' };
  }
  if (ts.isTaggedTemplateExpression(q)) return { node: q, kind: 'call' };
  if (argumentPosition(ts, node)) return { node, kind: 'argument' };
  if (ts.isTypeReferenceNode(q) || ts.isTypeQueryNode(q) || ts.isQualifiedName(q) || ts.isExpressionWithTypeArguments(q)) return { node, kind: 'ignore' };
  if (ts.isExportAssignment(q) || ts.isExportSpecifier(q)) return { node, kind: 'ignore' };
  return { node, kind: 'other' };
}

/** `items.map(fn)` / `pMap(items, fn)`: a loop, not a wrapper, even when its result is passed on. */
function isLoopCall(ts: TsModule, call: TS.CallExpression): boolean {
  const callee = call.expression;
  if (ts.isPropertyAccessExpression(callee) && (callee.name.text === 'filter' || callee.name.text === 'then')) return true;
  return loopKindOf(ts, call) !== null;
}
