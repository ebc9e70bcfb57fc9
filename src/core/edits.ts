import path from 'node:path';
import type { CallSite, Edit } from './types.js';
import type { TS, TsModule } from './ts.js';
import { unwrapExpression, type Evaluator } from './values.js';
import type { SiteNodes } from './analyze.js';
import { FLEX_MIN_TIMEOUT_MS } from './recommend.js';

/** The timeout the fixes write: the 15 minutes OpenAI's flex guide uses. */
export const FLEX_TIMEOUT_TEXT = '15 * 60 * 1000';

export interface FlexEditPlan {
  edits: Edit[];
  /** Why the tier (or timeout) could not be changed safely, when it could not. */
  skipped: string[];
  /** Where the timeout was raised: on the client constructor or per request. */
  timeoutAt: 'client' | 'request' | 'none';
  /** What the user must still do by hand (e.g. the Node fetch 5-minute timeouts without undici). */
  warnings: string[];
  /** The call was wrapped in `withFlexFallback` (the helper module must exist at `fallback.helperFile`). */
  fallbackApplied: boolean;
}

export interface FlexEditOptions {
  /** The client is constructed in the project and used only by background calls: raise its constructor timeout. */
  clientBackgroundOnly: boolean;
  /** Only fix the timeout (flex-needs-timeout). */
  timeoutOnly?: boolean;
  /**
   * The project's `openai` major version (null: unknown). From v5 the SDK uses Node's fetch, whose undici defaults
   * end a request after 5 minutes without headers / body data, whatever the SDK timeout.
   */
  sdkMajor?: number | null;
  /**
   * How to handle those fetch timeouts for v5+ (and unknown) SDKs: `agent` adds an undici `Agent` dispatcher in
   * `fetchOptions` (when the project depends on `undici`), `warn` explains the change to make. Default `none`
   * (the audit and ESLint suggestions leave it to the codemod).
   */
  dispatcher?: 'agent' | 'warn' | 'none';
  /** Wrap the call in `withFlexFallback` from this module specifier (relative to the call's file, e.g. `./flex-fallback.js`). */
  fallback?: { importFrom: string };
}

/** The undici timeouts the dispatcher gets (same 15 minutes as the SDK timeout). */
export const FLEX_DISPATCHER_OPTIONS_TEXT = `{ headersTimeout: ${FLEX_TIMEOUT_TEXT}, bodyTimeout: ${FLEX_TIMEOUT_TEXT} }`;

/**
 * The minimal text splices that move a call to flex: `service_tier: 'flex'` in the params (inline literal, the local
 * object they come from, or replacing an explicit 'default'/'auto'), and a timeout of at least 15 minutes on the
 * client (when only background calls use it) or per request. The ESLint suggestions and the codemod apply these
 * same edits. Edits carry absolute file names; callers relativise if they need to.
 * With `dispatcher` / `fallback` (the codemod), also the undici dispatcher for v5+ SDKs and the 429 fallback wrapper.
 * Calls already on flex never get tier edits.
 */
export function planFlexEdits(ts: TsModule, ev: Evaluator | undefined, site: CallSite, nodes: SiteNodes, opts: FlexEditOptions): FlexEditPlan {
  void ev;
  const plan: FlexEditPlan = { edits: [], skipped: [], timeoutAt: 'none', warnings: [], fallbackApplied: false };
  const sf = nodes.sourceFile;
  const q = quoteOf(ts, sf);
  const call = nodes.call;

  // --fallback: the call becomes `withFlexFallback((serviceTier, requestOptions) => <call>)`.
  let fallback = !!opts.fallback && !opts.timeoutOnly && site.serviceTier !== 'flex';
  if (fallback) {
    const why = fallbackBlocker(ts, call);
    if (why) {
      plan.warnings.push(`${path.basename(sf.fileName)}:${site.line}: no --fallback wrapper: ${why}`);
      fallback = false;
    }
  }
  const arg0 = call.arguments[0];

  if (!opts.timeoutOnly && site.serviceTier !== 'flex') {
    const p = nodes.params.params;
    if (p.kind !== 'object') {
      plan.skipped.push('the request params are not an object literal or a local constant the fix can reach');
      return plan;
    }
    const tierValue = fallback ? 'serviceTier' : `${q}flex${q}`;
    const tierNode = nodes.params.tierNode;
    const arg0Literal = arg0 ? unwrapObject(ts, arg0) : undefined;
    const js = isJavaScript(ts, sf);
    // `create(params)` → `create({ ...params, service_tier: … })`: the shared object stays as it was (and the new
    // literal is contextually typed by the call, so `'flex'` needs no `as const`).
    const spreadAtCall = (): void => {
      plan.edits.push({ file: sf.fileName, start: arg0!.getStart(sf), end: arg0!.getEnd(), text: `{ ...${arg0!.getText(sf)}, service_tier: ${tierValue} }` });
    };
    if (fallback && arg0 && !(arg0Literal && arg0Literal.getSourceFile() === sf)) {
      spreadAtCall();
    } else if (tierNode && (!fallback || within(tierNode, arg0Literal))) {
      if (tierNode.getSourceFile() !== sf) {
        plan.skipped.push('`service_tier` is set in another file (shared params); change it there');
        return plan;
      }
      const holder = ts.isObjectLiteralExpression(tierNode.parent.parent) ? tierNode.parent.parent : undefined;
      if (!within(tierNode, arg0Literal) && !(holder && ownedByCall(ts, holder, arg0!))) {
        // The tier comes from an object something else uses too (another call, an interactive route): override it at
        // this call instead of changing it for everyone.
        const top = p.literals[p.literals.length - 1];
        if (arg0Literal && arg0Literal.getSourceFile() === sf) plan.edits.push(...addProperty(ts, sf, arg0Literal, `service_tier: ${tierValue}`));
        else if (!fallback && top && top !== holder && top.getSourceFile() === sf && ownedByCall(ts, top, arg0!)) {
          // `const request = { ...SHARED, input }; create(request)`: ours goes last in `request`, overriding the spread.
          plan.edits.push(...addProperty(ts, sf, top, `service_tier: ${tierValue}${!js && !hasDeclaredType(ts, top) ? ' as const' : ''}`));
        } else spreadAtCall();
      } else {
        plan.edits.push(replaceTier(ts, sf, tierNode, fallback ? tierValue : undefined, !js && !within(tierNode, arg0Literal) && !(holder && hasDeclaredType(ts, holder))));
      }
    } else {
      const top = fallback ? arg0Literal : p.literals[p.literals.length - 1];
      if (!top || top.getSourceFile() !== sf) {
        plan.skipped.push('the request params are built in another file; add `service_tier` there');
        return plan;
      }
      if (!fallback && top !== arg0Literal && !ownedByCall(ts, top, arg0!)) {
        spreadAtCall();
      } else {
        // A spread we cannot read may carry its own service_tier; putting ours last makes flex win, which is the intent.
        // An object built apart from the call is not contextually typed: `'flex'` would widen to string (TypeScript only).
        const widens = !fallback && !js && !(arg0Literal === top) && !hasDeclaredType(ts, top);
        plan.edits.push(...addProperty(ts, sf, top, `service_tier: ${tierValue}${widens ? ' as const' : ''}`));
      }
    }
  }

  // The timeout (and, for v5+ SDKs, the fetch dispatcher).
  const sdkUsesFetch = opts.sdkMajor === undefined || opts.sdkMajor === null || opts.sdkMajor >= 5;
  const wantDispatcher = (opts.dispatcher ?? 'none') !== 'none' && sdkUsesFetch;
  const client = nodes.client;
  const requestProps: Array<[string, string]> = [];
  const effective = site.timeout.ms;
  let timeoutDone = effective !== null && effective >= FLEX_MIN_TIMEOUT_MS;
  if (!timeoutDone && site.timeout.source === 'dynamic') {
    plan.skipped.push('the timeout is not statically known; make sure it is at least 15 minutes');
    timeoutDone = true;
  }
  // A client derived with `.withOptions(...)`: its options (a timeout among them) override the constructor's, and the
  // constructed client is usually shared, so the timeout and dispatcher go per request, never on `new OpenAI()`.
  const derived = (nodes.withOptions?.length ?? 0) > 0;
  let dispatcherAt: 'client' | 'request' | 'none' = 'none';
  if (timeoutDone) {
    if (site.timeout.source === 'client' && client && !derived) dispatcherAt = 'client';
    else if (site.timeout.source === 'request' || (site.timeout.source === 'client' && derived)) dispatcherAt = 'request';
  } else {
    const requestHasTimeout = site.timeout.source === 'request';
    if (!requestHasTimeout && !derived && opts.clientBackgroundOnly && client && clientArgEditable(ts, client)) {
      plan.timeoutAt = 'client';
      dispatcherAt = 'client';
    } else {
      plan.timeoutAt = 'request';
      dispatcherAt = 'request';
      requestProps.push(['timeout', FLEX_TIMEOUT_TEXT]);
    }
  }

  const clientProps: Array<[string, string]> = plan.timeoutAt === 'client' ? [['timeout', FLEX_TIMEOUT_TEXT]] : [];
  if (wantDispatcher && dispatcherAt !== 'none') {
    const holder = dispatcherAt === 'client' ? client! : call;
    const holderSf = holder.getSourceFile();
    const existing = objectArg(ts, holder, dispatcherAt === 'client' ? 0 : 1);
    const where = `${path.basename(holderSf.fileName)}:${holderSf.getLineAndCharacterOfPosition(holder.getStart(holderSf)).line + 1}`;
    if (existing && hasProperty(ts, existing, 'fetchOptions')) {
      plan.warnings.push(`\`fetchOptions\` is already set at ${where}: make sure its dispatcher allows 15 minutes (undici's headersTimeout / bodyTimeout default to 5)`);
    } else if (dispatcherAt === 'client' && existing && hasProperty(ts, existing, 'fetch')) {
      plan.warnings.push(`a custom \`fetch\` is set at ${where}: make sure it allows 15 minutes without response headers / body data`);
    } else if (opts.dispatcher === 'agent') {
      const header = undiciHeader(ts, holderSf, dispatcherAt === 'request');
      if (!header) {
        plan.warnings.push(dispatcherWarning(opts.sdkMajor, where, 'the file has no ES imports to add `undici` to'));
      } else {
        plan.edits.push(...header.edits);
        const value = dispatcherAt === 'client' ? `{ dispatcher: new ${header.agent}(${FLEX_DISPATCHER_OPTIONS_TEXT}) }` : `{ dispatcher: ${header.constName} }`;
        (dispatcherAt === 'client' ? clientProps : requestProps).push(['fetchOptions', value]);
      }
    } else {
      plan.warnings.push(dispatcherWarning(opts.sdkMajor, where));
    }
  }

  if (clientProps.length > 0) {
    const edits = setObjectProperties(ts, client!.getSourceFile(), client!, 0, clientProps);
    if (edits) plan.edits.push(...edits);
  }
  if (fallback) {
    const edits = requestOptionsWithFallback(ts, sf, call, requestProps);
    if (!edits) {
      // The per-request options are not something we can spread: leave the call unwrapped.
      return planFlexEdits(ts, ev, site, nodes, { ...opts, fallback: undefined });
    }
    plan.edits.push(...edits);
    plan.edits.push({ file: sf.fileName, start: call.getStart(sf), end: call.getStart(sf), text: 'withFlexFallback((serviceTier, requestOptions) => ' });
    plan.edits.push({ file: sf.fileName, start: call.getEnd(), end: call.getEnd(), text: ')' });
    if (!importsName(ts, sf, 'withFlexFallback')) {
      plan.edits.push(importEdit(ts, sf, `import { withFlexFallback } from ${q}${opts.fallback!.importFrom}${q};`));
    }
    plan.fallbackApplied = true;
  } else if (requestProps.length > 0) {
    const edits = setObjectProperties(ts, sf, call, 1, requestProps);
    if (edits) {
      plan.edits.push(...edits);
    } else {
      plan.timeoutAt = 'none';
      plan.skipped.push('the per-request options are not an object literal; add `timeout: 15 * 60 * 1000` by hand');
    }
  }
  return plan;
}

/** Which clients (by construction site) are used only by background calls: their constructor may take the timeout. */
export function clientBackgroundOnlyOf(callSites: readonly CallSite[]): (site: CallSite) => boolean {
  const users = new Map<string, CallSite[]>();
  const key = (s: CallSite) => (s.client.createdAt ? `${s.client.createdAt.file}:${s.client.createdAt.line}` : undefined);
  for (const s of callSites) {
    const k = key(s);
    if (k) users.set(k, [...(users.get(k) ?? []), s]);
  }
  return (s) => {
    const k = key(s);
    return !!k && (users.get(k) ?? []).every((u) => u.classification === 'background');
  };
}

function dispatcherWarning(sdkMajor: number | null | undefined, where: string, why?: string): string {
  const version = sdkMajor ? `openai v${sdkMajor}` : 'openai v5+';
  return (
    `${version} uses Node's fetch, whose undici defaults end a request after 5 minutes without response headers or body data, ` +
    `whatever the SDK timeout${why ? ` (${why})` : ''}. Flex requests can wait longer: add \`undici\` to your dependencies, ` +
    `\`import { Agent } from 'undici'\` and pass \`fetchOptions: { dispatcher: new Agent(${FLEX_DISPATCHER_OPTIONS_TEXT}) }\` at ${where}.`
  );
}

/** A JavaScript file (.js/.mjs/.cjs/.jsx): no TypeScript-only syntax such as `as const` may be written. */
export function isJavaScript(ts: TsModule, sf: TS.SourceFile): boolean {
  const kind = (sf as { scriptKind?: TS.ScriptKind }).scriptKind;
  if (kind === ts.ScriptKind.JS || kind === ts.ScriptKind.JSX) return true;
  return /\.(?:[cm]?js|jsx)$/i.test(sf.fileName);
}

/**
 * The edit replacing an explicit tier. A string literal is replaced on its own, so a wrapper stays (`'default' as
 * const` → `'flex' as const`, `<const>'auto'`, `satisfies …`) and its own quotes are kept. Another expression (a
 * constant, a conditional) is replaced whole, with `as const` when `needsConst` (not contextually typed, TypeScript).
 */
function replaceTier(ts: TsModule, sf: TS.SourceFile, tierNode: TS.Expression, value: string | undefined, needsConst: boolean): Edit {
  let lit: TS.Expression = tierNode;
  // A wrapper naming literal types (`'default' as 'default'`) would not accept 'flex': then the whole value goes.
  let keepWrappers = true;
  while (ts.isParenthesizedExpression(lit) || ts.isAsExpression(lit) || ts.isSatisfiesExpression(lit) || ts.isTypeAssertionExpression(lit) || ts.isNonNullExpression(lit)) {
    if ((ts.isAsExpression(lit) || ts.isSatisfiesExpression(lit) || ts.isTypeAssertionExpression(lit)) && namesLiteralType(ts, lit.type)) keepWrappers = false;
    lit = lit.expression;
  }
  if (!keepWrappers) lit = tierNode;
  const q = quoteOf(ts, sf);
  if (ts.isShorthandPropertyAssignment(tierNode.parent) && tierNode.parent.name === tierNode) {
    // `{ service_tier }` → `{ service_tier: 'flex' }`
    return { file: sf.fileName, start: tierNode.getStart(sf), end: tierNode.getEnd(), text: `service_tier: ${value ?? `${q}flex${q}${needsConst ? ' as const' : ''}`}` };
  }
  if (ts.isStringLiteral(lit) || ts.isNoSubstitutionTemplateLiteral(lit)) {
    const own = sf.text[lit.getStart(sf)]!;
    return { file: sf.fileName, start: lit.getStart(sf), end: lit.getEnd(), text: value ?? `${own}flex${own}` };
  }
  return { file: sf.fileName, start: tierNode.getStart(sf), end: tierNode.getEnd(), text: value ?? `${q}flex${q}${needsConst ? ' as const' : ''}` };
}

/** The type node is (or is a union with) a literal type such as `'default'`. */
function namesLiteralType(ts: TsModule, t: TS.TypeNode): boolean {
  if (ts.isParenthesizedTypeNode(t)) return namesLiteralType(ts, t.type);
  if (ts.isUnionTypeNode(t)) return t.types.some((u) => namesLiteralType(ts, u));
  return ts.isLiteralTypeNode(t);
}

/**
 * The object literal belongs to this call alone: it initialises a local (non-exported) variable whose one reference
 * is the call's params argument. Anything else (another call, a spread into another object, an export, a
 * reassignment, a property of a larger object) means editing it would move other requests to flex too.
 */
function ownedByCall(ts: TsModule, obj: TS.ObjectLiteralExpression, arg0: TS.Expression): boolean {
  let n: TS.Node = obj;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent) || ts.isTypeAssertionExpression(n.parent)) n = n.parent;
  const decl = n.parent;
  if (!ts.isVariableDeclaration(decl) || decl.initializer !== n || !ts.isIdentifier(decl.name)) return false;
  const list = decl.parent;
  if (!ts.isVariableDeclarationList(list)) return false;
  const stmt = list.parent;
  if (ts.isVariableStatement(stmt) && stmt.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return false;
  const target = unwrapExpression(ts, arg0);
  const name = decl.name.text;
  // Every identifier of that name in the declaration's scope (its block for let/const, its function for var;
  // shadowing locals inside count too: conservative).
  const blockScoped = (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const)) !== 0;
  let scope: TS.Node = list;
  while (scope.parent && !ts.isSourceFile(scope) && !(ts.isFunctionLike(scope) || (blockScoped && (ts.isBlock(scope) || ts.isModuleBlock(scope) || ts.isCaseBlock(scope) || ts.isForStatement(scope) || ts.isForOfStatement(scope) || ts.isForInStatement(scope))))) {
    scope = scope.parent;
  }
  const refs: TS.Identifier[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIdentifier(node) && node.text === name && node !== decl.name && !isPropertyName(ts, node)) refs.push(node);
    ts.forEachChild(node, visit);
  };
  visit(scope);
  return refs.length === 1 && refs[0] === target;
}

/** The identifier is a property name (`a.name`, `{ name: … }`, a member declaration), not a reference. */
function isPropertyName(ts: TsModule, id: TS.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return true;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodDeclaration(p) || ts.isMethodSignature(p) || ts.isGetAccessorDeclaration(p) || ts.isSetAccessorDeclaration(p) || ts.isEnumMember(p)) && p.name === id) return true;
  if (ts.isQualifiedName(p) && p.right === id) return true;
  return false;
}

/** The object literal initialises a declaration with a type annotation (or sits in an `as` / `satisfies`). */
function hasDeclaredType(ts: TsModule, obj: TS.ObjectLiteralExpression): boolean {
  let n: TS.Node = obj;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) {
    if (!ts.isParenthesizedExpression(n.parent)) return true;
    n = n.parent;
  }
  const p = n.parent;
  return (ts.isVariableDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isParameter(p)) && !!p.type;
}

function unwrapObject(ts: TsModule, e: TS.Expression): TS.ObjectLiteralExpression | undefined {
  let t = e;
  while (ts.isParenthesizedExpression(t) || ts.isAsExpression(t) || ts.isSatisfiesExpression(t)) t = t.expression;
  return ts.isObjectLiteralExpression(t) ? t : undefined;
}

function within(node: TS.Node, container: TS.Node | undefined): boolean {
  return !!container && node.getSourceFile() === container.getSourceFile() && node.pos >= container.pos && node.end <= container.end;
}

function objectArg(ts: TsModule, call: TS.CallExpression | TS.NewExpression, i: number): TS.ObjectLiteralExpression | undefined {
  const a = call.arguments?.[i];
  return a ? unwrapObject(ts, a) : undefined;
}

function hasProperty(ts: TsModule, obj: TS.ObjectLiteralExpression, name: string): boolean {
  return obj.properties.some(
    (p) => (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
}

/** The client constructor's first argument can take a property (absent, or an object literal). */
function clientArgEditable(ts: TsModule, client: TS.NewExpression): boolean {
  const a = client.arguments?.[0];
  return !a || !!unwrapObject(ts, a) || ts.isIdentifier(a);
}

/** Why a call cannot be wrapped in `withFlexFallback`, or undefined. */
function fallbackBlocker(ts: TsModule, call: TS.CallExpression): string | undefined {
  const parent = call.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isElementAccessExpression(parent)) && parent.expression === call) {
    return 'the call is chained (`.withResponse()`, `.asResponse()`, …), which the wrapper\'s plain Promise does not have';
  }
  if (!call.arguments[0]) return 'the call has no params argument';
  if (call.arguments.length > 2) return 'the call has more than two arguments';
  if (/\.(?:[cm]?js|jsx)$/.test(call.getSourceFile().fileName)) return 'the helper is TypeScript and this file is JavaScript';
  return undefined;
}

/** The per-request options of a fallback-wrapped call: `{ ...requestOptions, <existing>, <props> }`. */
function requestOptionsWithFallback(ts: TsModule, sf: TS.SourceFile, call: TS.CallExpression, props: Array<[string, string]>): Edit[] | undefined {
  const file = sf.fileName;
  const extra = props.map(([k, v]) => `, ${k}: ${v}`).join('');
  const arg1 = call.arguments[1];
  if (!arg1) {
    const a0 = call.arguments[0]!;
    return [{ file, start: a0.getEnd(), end: a0.getEnd(), text: `, { ...requestOptions${extra} }` }];
  }
  const obj = unwrapObject(ts, arg1);
  if (!obj) {
    if (!ts.isIdentifier(arg1) && !ts.isPropertyAccessExpression(arg1)) return undefined;
    return [{ file, start: arg1.getStart(sf), end: arg1.getEnd(), text: `{ ...requestOptions, ...${arg1.getText(sf)}${extra} }` }];
  }
  if (obj.properties.length === 0) {
    return [{ file, start: obj.getStart(sf) + 1, end: obj.getEnd() - 1, text: ` ...requestOptions${extra} ` }];
  }
  const first = obj.properties[0]!;
  const edits: Edit[] = [{ file, start: first.getStart(sf), end: first.getStart(sf), text: '...requestOptions, ' }];
  if (props.length) {
    const rest = setObjectProperties(ts, sf, call, 1, props);
    if (!rest) return undefined;
    edits.push(...rest);
  }
  return edits;
}

function importsName(ts: TsModule, sf: TS.SourceFile, name: string): boolean {
  return sf.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      !!s.importClause?.namedBindings &&
      ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === name),
  );
}

/** Inserts a statement after the file's last import (or before its first statement). */
function importEdit(ts: TsModule, sf: TS.SourceFile, text: string): Edit {
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s));
  const newline = sf.text.includes('\r\n') ? '\r\n' : '\n';
  const last = imports[imports.length - 1];
  if (last) return { file: sf.fileName, start: last.getEnd(), end: last.getEnd(), text: `${newline}${text}` };
  const first = sf.statements[0];
  const at = first ? first.getStart(sf) : sf.text.length;
  return { file: sf.fileName, start: at, end: at, text: `${text}${newline}${first ? newline : ''}` };
}

/**
 * The undici `Agent` import (reusing one the file has) and, for per-request use, one module-level dispatcher const.
 * Undefined when the file is not an ES module.
 */
function undiciHeader(ts: TsModule, sf: TS.SourceFile, withConst: boolean): { edits: Edit[]; agent: string; constName: string } | undefined {
  const hasEsm = sf.statements.some((s) => ts.isImportDeclaration(s) || ts.isExportDeclaration(s) || ts.isExportAssignment(s));
  if (!hasEsm) return undefined;
  const q = quoteOf(ts, sf);
  let agent: string | undefined;
  for (const s of sf.statements) {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || s.moduleSpecifier.text !== 'undici') continue;
    const nb = s.importClause?.namedBindings;
    if (nb && ts.isNamedImports(nb)) {
      const el = nb.elements.find((e) => (e.propertyName ?? e.name).text === 'Agent');
      if (el) agent = el.name.text;
    }
  }
  const lines: string[] = [];
  if (!agent) {
    agent = /\bAgent\b/.test(sf.text) ? 'UndiciAgent' : 'Agent';
    lines.push(`import { ${agent === 'Agent' ? 'Agent' : 'Agent as UndiciAgent'} } from ${q}undici${q};`);
  }
  let constName = 'flexDispatcher';
  if (withConst) {
    const declared = new RegExp(`\\b(?:const|let|var)\\s+${constName}\\b`).test(sf.text);
    if (!declared) {
      if (new RegExp(`\\b${constName}\\b`).test(sf.text)) constName = 'tierwiseFlexDispatcher';
      lines.push('', `/** Node's fetch (undici) ends a request after 5 minutes without headers / body data; flex requests can wait longer. */`);
      lines.push(`const ${constName} = new ${agent}(${FLEX_DISPATCHER_OPTIONS_TEXT});`);
    }
  }
  // One edit per statement, the import first: two sites of a file share the identical import edit (deduplicated).
  const newline = sf.text.includes('\r\n') ? '\r\n' : '\n';
  const edits: Edit[] = [];
  if (lines[0]?.startsWith('import ')) edits.push(importEdit(ts, sf, lines.shift()!));
  if (lines.length) edits.push(importEdit(ts, sf, lines.join(newline)));
  return { edits, agent, constName };
}

/** Sets several `name: value` properties in the object literal at argument `argIndex` (one edit per position). */
export function setObjectProperties(
  ts: TsModule,
  sf: TS.SourceFile,
  call: TS.CallExpression | TS.NewExpression,
  argIndex: number,
  props: Array<[string, string]>,
): Edit[] | undefined {
  if (props.length === 0) return [];
  const arg = call.arguments?.[argIndex];
  const obj = arg ? unwrapObject(ts, arg) : undefined;
  if (!obj) {
    // Absent argument or an identifier: one property at a time would nest spreads; build the whole text at once.
    const [first, ...rest] = props;
    const edits = setObjectProperty(ts, sf, call, argIndex, first![0], first![1]);
    if (!edits || rest.length === 0) return edits;
    const e = edits[0]!;
    const extra = rest.map(([k, v]) => `, ${k}: ${v}`).join('');
    const close = e.text.lastIndexOf('}');
    return [{ ...e, text: `${e.text.slice(0, close).replace(/ $/, '')}${extra} ${e.text.slice(close)}` }];
  }
  const edits: Edit[] = [];
  const added: string[] = [];
  for (const [name, value] of props) {
    const existing = obj.properties.find(
      (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
    );
    if (existing) edits.push({ file: sf.fileName, start: existing.initializer.getStart(sf), end: existing.initializer.getEnd(), text: value });
    else added.push(`${name}: ${value}`);
  }
  if (added.length) edits.push(...addProperty(ts, sf, obj, added));
  return edits;
}

/** Sets `name: value` in the object literal at argument `argIndex` of a call or `new`, creating the argument if absent. */
export function setObjectProperty(
  ts: TsModule,
  sf: TS.SourceFile,
  call: TS.CallExpression | TS.NewExpression,
  argIndex: number,
  name: string,
  value: string,
): Edit[] | undefined {
  const args = call.arguments ?? ts.factory.createNodeArray();
  const arg = args[argIndex];
  if (!arg) {
    if (args.length < argIndex) return undefined;
    if (args.length === 0) {
      // `new OpenAI()` → `new OpenAI({ timeout })`; `new OpenAI` (no parens) → add them.
      const open = call.arguments ? sf.text.indexOf('(', call.expression.getEnd()) : -1;
      if (open === -1) return [{ file: sf.fileName, start: call.getEnd(), end: call.getEnd(), text: `({ ${name}: ${value} })` }];
      return [{ file: sf.fileName, start: open + 1, end: open + 1, text: `{ ${name}: ${value} }` }];
    }
    const last = args[args.length - 1]!;
    return [{ file: sf.fileName, start: last.getEnd(), end: last.getEnd(), text: `, { ${name}: ${value} }` }];
  }
  let target: TS.Expression = arg;
  while (ts.isParenthesizedExpression(target) || ts.isAsExpression(target) || ts.isSatisfiesExpression(target)) target = target.expression;
  if (!ts.isObjectLiteralExpression(target)) {
    // `create(params, opts)` → `create(params, { ...opts, timeout })`
    if (ts.isIdentifier(target)) {
      return [{ file: sf.fileName, start: arg.getStart(sf), end: arg.getEnd(), text: `{ ...${arg.getText(sf)}, ${name}: ${value} }` }];
    }
    return undefined;
  }
  const existing = target.properties.find(
    (p): p is TS.PropertyAssignment => ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name,
  );
  if (existing) return [{ file: sf.fileName, start: existing.initializer.getStart(sf), end: existing.initializer.getEnd(), text: value }];
  return addProperty(ts, sf, target, `${name}: ${value}`);
}

/** Adds a property at the end of an object literal, keeping its layout (one line or one property per line). */
export function addProperty(ts: TsModule, sf: TS.SourceFile, obj: TS.ObjectLiteralExpression, texts: string | readonly string[]): Edit[] {
  const file = sf.fileName;
  const props = obj.properties;
  const list = typeof texts === 'string' ? [texts] : texts;
  let text = list.join(', ');
  if (props.length === 0) {
    return [{ file, start: obj.getStart(sf) + 1, end: obj.getEnd() - 1, text: ` ${text} ` }];
  }
  const last = props[props.length - 1]!;
  const lastLine = sf.getLineAndCharacterOfPosition(last.getStart(sf)).line;
  const objLine = sf.getLineAndCharacterOfPosition(obj.getStart(sf)).line;
  const closeLine = sf.getLineAndCharacterOfPosition(obj.getEnd() - 1).line;
  const trailingComma = props.hasTrailingComma;
  if (lastLine === objLine || lastLine === closeLine) {
    return [{ file, start: last.getEnd(), end: last.getEnd(), text: `, ${text}` }];
  }
  const lineStart = sf.getLineStarts()[lastLine]!;
  const indent = /^[ \t]*/.exec(sf.text.slice(lineStart))![0];
  text = list.join(`,${sf.text.includes('\r\n') ? '\r\n' : '\n'}${indent}`);
  // Insert after the last property's line (after any trailing comment), keeping the file's trailing-comma style.
  const afterLast = trailingComma ? sf.text.indexOf(',', last.getEnd()) + 1 : last.getEnd();
  const lastPropEndLine = sf.getLineAndCharacterOfPosition(afterLast).line;
  const nextLineStart = sf.getLineStarts()[lastPropEndLine + 1];
  const eol = nextLineStart === undefined ? sf.text.length : sf.text.lastIndexOf('\n', nextLineStart - 1);
  const edits: Edit[] = [];
  if (!trailingComma) edits.push({ file, start: last.getEnd(), end: last.getEnd(), text: ',' });
  const newline = sf.text.includes('\r\n') ? '\r\n' : '\n';
  const lineEnd = sf.text[eol - 1] === '\r' ? eol - 1 : eol;
  edits.push({ file, start: lineEnd, end: lineEnd, text: `${newline}${indent}${text}${trailingComma ? ',' : ''}` });
  void ts;
  return edits;
}

/** The file's string quote: the quote of its first string literal, single by default. */
export function quoteOf(ts: TsModule, sf: TS.SourceFile): string {
  let quote: string | undefined;
  const visit = (n: TS.Node): void => {
    if (quote) return;
    if (ts.isStringLiteral(n) && !ts.isImportDeclaration(n.parent) && !ts.isExternalModuleReference(n.parent)) {
      quote = sf.text[n.getStart(sf)];
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!quote) {
    const imp = sf.statements.find((s) => ts.isImportDeclaration(s)) as TS.ImportDeclaration | undefined;
    if (imp) quote = sf.text[imp.moduleSpecifier.getStart(sf)];
  }
  return quote === '"' ? '"' : "'";
}

/**
 * Applies non-overlapping edits to a text (identical duplicates collapse). Throws on conflicting overlaps.
 * Several insertions at one position appear in the order of the list.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const unique = dedupeEdits(edits);
  // Applied from the end; insertions at one position come out in the order given (so apply the later ones first).
  const sorted = unique.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i).map((x) => x.e);
  let out = text;
  let lastStart = Infinity;
  for (const e of sorted) {
    if (e.end > lastStart) throw new Error(`overlapping edits at ${e.start}-${e.end}`);
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    lastStart = e.start;
  }
  return out;
}

export function dedupeEdits(edits: readonly Edit[]): Edit[] {
  const seen = new Set<string>();
  const out: Edit[] = [];
  for (const e of edits) {
    const key = `${path.normalize(e.file)}\0${e.start}\0${e.end}\0${e.text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
  }
  return out;
}

export interface FlexEditParts {
  /** The edits that set `service_tier: 'flex'` (empty when the tier is already flex or cannot be changed safely). */
  tier: Edit[];
  /** The edits that raise the timeout to 15 minutes (empty when it is already long enough or cannot be raised). */
  timeout: Edit[];
  /** Where the timeout edits put it. */
  timeoutAt: FlexEditPlan['timeoutAt'];
  skipped: string[];
}

/**
 * `planFlexEdits`, split into the tier edits and the timeout edits (the ESLint rules offer them as separate
 * suggestions). Same edits as `planFlexEdits`: the tier part is the full plan minus the timeout-only plan.
 * `sameFileOnly`: a suggestion can only edit the linted file, so when the timeout would go on a client constructed in
 * another file, plan it per request instead.
 */
export function planFlexEditParts(
  ts: TsModule,
  ev: Evaluator,
  site: CallSite,
  nodes: SiteNodes,
  opts: FlexEditOptions & { sameFileOnly?: boolean },
): FlexEditParts {
  const { sameFileOnly, ...planOpts } = opts;
  const full = planFlexEdits(ts, ev, site, nodes, { ...planOpts, timeoutOnly: false });
  let timeoutPlan = planFlexEdits(ts, ev, site, nodes, { ...planOpts, timeoutOnly: true });
  const key = (e: Edit) => `${path.normalize(e.file)}\0${e.start}\0${e.end}\0${e.text}`;
  const timeoutKeys = new Set(timeoutPlan.edits.map(key));
  const tier = site.serviceTier === 'flex' ? [] : full.edits.filter((e) => !timeoutKeys.has(key(e)));
  const here = path.normalize(nodes.sourceFile.fileName);
  if (sameFileOnly && timeoutPlan.edits.some((e) => path.normalize(e.file) !== here)) {
    timeoutPlan = planFlexEdits(ts, ev, site, nodes, { ...planOpts, clientBackgroundOnly: false, timeoutOnly: true });
  }
  const skipped = [...new Set([...full.skipped, ...timeoutPlan.skipped])];
  return { tier, timeout: timeoutPlan.edits, timeoutAt: timeoutPlan.timeoutAt, skipped };
}
