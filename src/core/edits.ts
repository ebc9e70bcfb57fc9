import path from 'node:path';
import type { CallSite, Edit } from './types.js';
import type { TS, TsModule } from './ts.js';
import type { Evaluator } from './values.js';
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
}

export interface FlexEditOptions {
  /** The client is constructed in the project and used only by background calls: raise its constructor timeout. */
  clientBackgroundOnly: boolean;
  /** Only fix the timeout (flex-needs-timeout). */
  timeoutOnly?: boolean;
}

/**
 * The minimal text splices that move a call to flex: `service_tier: 'flex'` in the params (inline literal, the local
 * object they come from, or replacing an explicit 'default'/'auto'), and a timeout of at least 15 minutes on the
 * client (when only background calls use it) or per request. The ESLint suggestions and the codemod apply these
 * same edits. Edits carry absolute file names; callers relativise if they need to.
 */
export function planFlexEdits(ts: TsModule, ev: Evaluator, site: CallSite, nodes: SiteNodes, opts: FlexEditOptions): FlexEditPlan {
  const plan: FlexEditPlan = { edits: [], skipped: [], timeoutAt: 'none' };
  const sf = nodes.sourceFile;
  const q = quoteOf(ts, sf);

  if (!opts.timeoutOnly && site.serviceTier !== 'flex') {
    const p = nodes.params.params;
    if (p.kind !== 'object') {
      plan.skipped.push('the request params are not an object literal or a local constant the fix can reach');
      return plan;
    }
    const tierNode = nodes.params.tierNode;
    if (tierNode) {
      if (tierNode.getSourceFile() !== sf) {
        plan.skipped.push('`service_tier` is set in another file (shared params); change it there');
        return plan;
      }
      plan.edits.push({ file: sf.fileName, start: tierNode.getStart(sf), end: tierNode.getEnd(), text: `${q}flex${q}` });
    } else {
      const top = p.literals[p.literals.length - 1];
      if (!top || top.getSourceFile() !== sf) {
        plan.skipped.push('the request params are built in another file; add `service_tier` there');
        return plan;
      }
      if (p.openSpread) {
        // A spread we cannot read may carry its own service_tier; putting ours last makes flex win, which is the intent.
      }
      plan.edits.push(...addProperty(ts, sf, top, `service_tier: ${q}flex${q}`));
    }
  }

  const effective = site.timeout.ms;
  if (effective !== null && effective >= FLEX_MIN_TIMEOUT_MS) return plan;
  if (site.timeout.source === 'dynamic') {
    plan.skipped.push('the timeout is not statically known; make sure it is at least 15 minutes');
    return plan;
  }

  const client = nodes.client;
  const requestHasTimeout = site.timeout.source === 'request';
  if (!requestHasTimeout && opts.clientBackgroundOnly && client) {
    const edits = setObjectProperty(ts, client.getSourceFile(), client, 0, 'timeout', FLEX_TIMEOUT_TEXT);
    if (edits) {
      plan.edits.push(...edits);
      plan.timeoutAt = 'client';
      return plan;
    }
  }
  const edits = setObjectProperty(ts, sf, nodes.call, 1, 'timeout', FLEX_TIMEOUT_TEXT);
  if (edits) {
    plan.edits.push(...edits);
    plan.timeoutAt = 'request';
  } else {
    plan.skipped.push('the per-request options are not an object literal; add `timeout: 15 * 60 * 1000` by hand');
  }
  return plan;
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
export function addProperty(ts: TsModule, sf: TS.SourceFile, obj: TS.ObjectLiteralExpression, text: string): Edit[] {
  const file = sf.fileName;
  const props = obj.properties;
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

/** Applies non-overlapping edits to a text (identical duplicates collapse). Throws on conflicting overlaps. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const unique = dedupeEdits(edits);
  const sorted = [...unique].sort((a, b) => b.start - a.start || b.end - a.end);
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
