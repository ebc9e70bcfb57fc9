/**
 * loop-to-batch: rewrites a loop that sends one OpenAI request per item into one Batch API run (half price, results
 * within 24 h), with the rest of the loop body still running per item, in the items' order, on a result of the same
 * type as before.
 *
 *   for (const doc of docs) {                       const docList = Array.from(docs);
 *     const r = await client.chat.completions       const batch = await runBatch(client, {
 *       .create({ model, messages: m(doc) });  ──►    endpoint: '/v1/chat/completions',
 *     out.push(r.choices[0].message.content);         requests: docList.map((doc, index) => ({ customId: String(index), body: {...} })),
 *   }                                               });
 *                                                   for (const [index, doc] of docList.entries()) {
 *                                                     const r = unwrap(batch.get(String(index)), String(index));
 *                                                     out.push(r.choices[0].message.content);
 *                                                   }
 *
 * Loop shapes: `for…of`, the indexed `for (let i = 0; i < n; i++)`, `let i = 0; while (i < n) { …; i++; }`,
 * `Promise.all(items.map(async (item) => …))`, and a helper function of the same file called once per item by one
 * of those loops. The call may sit directly in the loop body or in a `try` block directly in it.
 *
 * `custom_id` is the item's index (as a string): both the request builder and the loop walk the same array snapshot
 * (`Array.from` of the collection, taken once), so index N names the same item on both sides; it is unique by
 * construction, which an `id` field of the user's data is not guaranteed to be.
 *
 * Failures: `unwrap` throws the item's `BatchItemError` (a failed line, or `batch_expired` for an item the expired
 * batch did not reach) at that item's turn in the loop, exactly where the original `await client…create()` would have
 * thrown, so a surrounding `try/catch` handles it as before. A batch that ends `failed`/`cancelled` throws
 * `BatchRunError` (with the batch id) before the loop runs.
 *
 * Refusals (analysis of the loop body, not guesses): a request that reads something the body changes after the call
 * (a conversation, a cursor: one request depends on an earlier result), `break`/`return`/`yield` in a statement loop
 * (the original stops sending requests), a streaming call, an endpoint the Batch API or the runtime helper does not
 * take, an interactive or mixed context (the caller waits for the answer), `for await`, a `while` whose items are not
 * known before it starts. Where the shape is one it cannot prove safe (a conditional request, request options, code
 * before the call that has side effects), it leaves one `// tierwise:` comment above the loop and changes nothing else.
 * A helper gets that comment too when it may skip its request (a `return`/`throw`/condition before or around it, or a
 * `try` around it), or when the `batched` parameter the rewrite adds could receive another argument (the helper is
 * exported, or used other than by a direct call: `docs.map(helper)` passes the index). A helper already rewritten
 * (`batched ?? await …`) is reported `unchanged`, not skipped, so a second run exits 0.
 *
 * The transform only splices text in the loop it rewrites (plus one import); the rest of the file stays byte-identical.
 * Run by `tierwise fix batch`, or directly: `jscodeshift -t node_modules/tierwise/dist/codemods/loop-to-batch.js --parser=tsx src/jobs/digest.ts`
 * (then it asks the analysis core which calls of the file are batch findings).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { API, FileInfo, Options } from 'jscodeshift';
import { matchEndpoint } from '../src/core/calls.js';
import type { Classification, Endpoint } from '../src/core/types.js';
import type { TsModule } from '../src/core/ts.js';
import { syntaxError } from '../src/fix/runner.js';

/** The core takes the TypeScript module as a value; this file uses the project's `typescript` 5.9 throughout. */
const TSM = ts as unknown as TsModule;

/** A call site to rewrite: 1-based line and (optionally) column of the call expression, as the audit reports them. */
export interface BatchTarget {
  line: number;
  column?: number;
  /** From the finding: an `interactive` or `mixed` site is refused (the caller waits for the result). */
  classification?: Classification;
  mixed?: boolean;
  /** Monthly saving of the finding, for the summary. */
  usdPerMonth?: number;
  /** The call site's id (`file:line:column`), reported back to the fix runner. */
  id?: string;
}

/** `unchanged`: the site is already in its rewritten form (a helper's `batched ?? await …`); not a skip. */
export type OutcomeStatus = 'rewritten' | 'refused' | 'review' | 'unchanged';

export interface SiteOutcome {
  line: number;
  column: number;
  status: OutcomeStatus;
  /** Why it was refused / needs review, or what was rewritten. */
  reason: string;
  /** The loop (or helper call) that was rewritten or commented, when there is one. */
  loopLine?: number;
  /** Lines (1-based, inclusive, of the input) of the statements a rewrite may change: the loop, and the helper function. */
  spans?: Array<[number, number]>;
  usdPerMonth?: number;
}

export interface RewriteOptions {
  /** The sites to rewrite, or `'all'`: every batch-eligible-looking OpenAI call of the file. */
  targets: readonly BatchTarget[] | 'all';
  /** Module specifier suffix for the helper import; default: detected from the file's relative imports. */
  importStyle?: ImportStyle;
  /** Name of the helper module next to the file (default `openai-batch`). */
  helperName?: string;
}

export type ImportStyle = '.js' | '.ts' | '';

export interface RewriteResult {
  output: string;
  outcomes: SiteOutcome[];
  /** True when the output imports the helper module (write it next to the file if absent). */
  usesHelper: boolean;
}

/** Endpoints the rewrite takes, with their Batch API `endpoint` (the runtime helper's `BatchEndpoint`). */
export const BATCH_URLS: Partial<Record<Endpoint, string>> = {
  'chat.completions.create': '/v1/chat/completions',
  'responses.create': '/v1/responses',
  'embeddings.create': '/v1/embeddings',
  'completions.create': '/v1/completions',
};

const HELPER_NAME = 'openai-batch';
const MARKER = '// tierwise:';

class Refusal extends Error {
  constructor(
    readonly status: 'refused' | 'review' | 'unchanged',
    readonly reason: string,
    /** Where the review comment goes (a statement); defaults to the loop or the call's statement. */
    readonly at?: ts.Node,
  ) {
    super(reason);
  }
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

/** Rewrites the target sites of one file. Pure: returns the new text and one outcome per target site. */
export function rewriteLoops(source: string, fileName: string, options: RewriteOptions): RewriteResult {
  const kind = /\.tsx$/.test(fileName) ? ts.ScriptKind.TSX : /\.[cm]?jsx?$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, kind);
  const ctx = new FileContext(sf, options);
  const calls = findCalls(sf);
  const outcomes: SiteOutcome[] = [];
  const wanted =
    options.targets === 'all'
      ? calls.map((c) => ({ call: c, target: { line: lineOf(sf, c), column: columnOf(sf, c) } as BatchTarget }))
      : options.targets.map((t) => ({ target: t, call: calls.find((c) => lineOf(sf, c) === t.line && (t.column === undefined || columnOf(sf, c) === t.column)) }));
  const splices: Splice[] = [];
  const comments = new Map<number, string>();
  const claimed: Array<[number, number]> = [];
  for (const { call, target } of wanted) {
    const base = { line: target.line, column: target.column ?? 0, ...(target.usdPerMonth !== undefined ? { usdPerMonth: target.usdPerMonth } : {}) };
    if (!call) {
      outcomes.push({ ...base, status: 'refused', reason: 'no OpenAI call at this line (already rewritten, or the file changed since the audit)' });
      continue;
    }
    base.column = columnOf(sf, call);
    try {
      const plan = planSite(ctx, call, target);
      const [from, to] = plan.range;
      if (claimed.some(([a, b]) => from < b && a < to)) {
        throw new Refusal('refused', 'another call in the same loop was rewritten in this run; run the codemod again for this one');
      }
      claimed.push(plan.range);
      splices.push(...plan.splices);
      outcomes.push({ ...base, status: 'rewritten', reason: plan.summary, loopLine: lineOf(sf, plan.anchor), spans: plan.spans.map((n) => [lineOf(sf, n), endLineOf(sf, n)]) });
    } catch (e) {
      if (!(e instanceof Refusal)) throw e;
      const at = e.at ?? call;
      outcomes.push({ ...base, status: e.status, reason: e.reason, loopLine: lineOf(sf, at) });
      if (e.status === 'review') {
        const stmtStart = at.getStart(sf);
        const lineStart = source.lastIndexOf('\n', stmtStart - 1) + 1;
        const prevLineStart = source.lastIndexOf('\n', lineStart - 2) + 1;
        const prev = lineStart > 0 ? source.slice(prevLineStart, lineStart) : '';
        if (!prev.includes(MARKER) && !comments.has(lineStart)) {
          comments.set(lineStart, `${indentAt(source, stmtStart)}${MARKER} ${e.reason}\n`);
        }
      }
    }
  }
  for (const [pos, text] of comments) splices.push({ start: pos, end: pos, text });
  const usesHelper = outcomes.some((o) => o.status === 'rewritten');
  if (usesHelper) splices.push(...ctx.importSplices());
  return { output: applySplices(source, splices), outcomes, usesHelper };
}

// ---------------------------------------------------------------------------------------------------------------
// Finding calls and planning one site

function findCalls(sf: ts.SourceFile): ts.CallExpression[] {
  const out: ts.CallExpression[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isCallExpression(n) && matchEndpoint(TSM, n)) out.push(n);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

interface SitePlan {
  splices: Splice[];
  /** The text range this rewrite touches (two rewrites of one loop in one run are refused). */
  range: [number, number];
  anchor: ts.Node;
  /** The statements this rewrite changes (the loop; a helper function). */
  spans: ts.Node[];
  summary: string;
}

/** One request: the call, what it sends, and where its value is used. */
interface RequestShape {
  url: string;
  client: string;
  params: ts.Expression;
  /** The expression that evaluates to the result (the `await …` or, in an async callback, the call itself). */
  value: ts.Expression;
  /** The call (or helper call) as written. */
  call: ts.CallExpression;
  /** For a helper of the same file: the helper's rewrite (request builder + optional result parameter). */
  helper?: HelperPlan;
}

interface HelperPlan {
  name: string;
  requestFn: string;
  splices: Splice[];
}

function planSite(ctx: FileContext, call: ts.CallExpression, target: BatchTarget): SitePlan {
  const { sf } = ctx;
  if (target.classification === 'interactive' || target.classification === 'mixed' || target.mixed) {
    throw new Refusal(
      'refused',
      `the call also runs in an interactive context (${target.classification ?? 'mixed'}): its caller waits for the answer, which a batch delivers within 24 h`,
    );
  }
  const m = matchEndpoint(TSM, call)!;
  const url = BATCH_URLS[m.endpoint];
  if (m.endpoint.endsWith('.stream')) throw new Refusal('refused', `\`${m.endpoint}\` streams; the Batch API does not stream`);
  if (!url) {
    const why =
      m.endpoint === 'moderations.create'
        ? 'moderations are free, a batch saves nothing'
        : `\`${m.endpoint}\` is not batch-eligible here (the runtime helper takes chat.completions.create, responses.create, embeddings.create, completions.create; \`.parse\` results would lose \`parsed\`)`;
    throw new Refusal('refused', why);
  }
  const params = call.arguments[0];
  if (!params) throw new Refusal('refused', 'the call has no params');
  checkStream(ctx, params);
  if (call.arguments.length > 1) {
    throw new Refusal('review', 'the call passes request options (timeout, headers…) that a Batch API line cannot carry; rewrite by hand or drop them');
  }
  if (ctx.kind === ts.ScriptKind.JS) throw new Refusal('refused', 'only TypeScript files are rewritten (the helper module is TypeScript)');
  const value = valueOf(call);
  const request: RequestShape = { url, client: m.receiver.getText(sf), params, value, call };
  return planLoop(ctx, request, target);
}

/** `await call` or, as the body/return of an async map callback, the call itself. */
function valueOf(call: ts.CallExpression): ts.Expression {
  let n: ts.Node = call;
  while (ts.isParenthesizedExpression(n.parent)) n = n.parent;
  if (ts.isAwaitExpression(n.parent)) {
    const up = n.parent.parent;
    if (up && ts.isBinaryExpression(up) && up.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken && up.right === n.parent) {
      throw new Refusal('unchanged', 'already rewritten: the helper takes the batched result (`?? await …` fallback)');
    }
    return n.parent;
  }
  const p = n.parent;
  if ((ts.isReturnStatement(p) || ts.isArrowFunction(p)) && insideMapCallback(p)) return call;
  throw new Refusal('review', 'the call is not awaited where it is made (its promise is passed on), so where its result is used is not clear');
}

function insideMapCallback(n: ts.Node): boolean {
  const fn = ts.isArrowFunction(n) ? n : enclosingFunction(n);
  return !!fn && !!mapCallOf(fn);
}

function checkStream(ctx: FileContext, params: ts.Expression): void {
  const obj = ctx.objectLiteralOf(params);
  if (!obj) return;
  for (const p of obj.properties) {
    if (ts.isPropertyAssignment(p) && propName(p.name) === 'stream' && p.initializer.kind !== ts.SyntaxKind.FalseKeyword) {
      throw new Refusal('refused', 'the call streams (`stream` is set); the Batch API does not stream');
    }
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === 'stream') {
      throw new Refusal('refused', 'the call may stream (`stream` is set from a variable); the Batch API does not stream');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Loops

type LoopShape =
  | { kind: 'for-of'; loop: ts.ForOfStatement }
  | { kind: 'for'; loop: ts.ForStatement; counter: string; bound: ts.Expression }
  | { kind: 'while'; loop: ts.WhileStatement; counter: string; bound: ts.Expression; counterDecl: ts.VariableStatement }
  | { kind: 'map'; callback: ts.ArrowFunction | ts.FunctionExpression; mapCall: ts.CallExpression; statement: ts.Statement };

/** The per-item body: the statements around the call (top level of the body, or of a `try` directly in it). */
interface Body {
  /** Statements before the call's statement (run per item before the request). */
  pre: ts.Statement[];
  /** The call's statement and everything after it in the body (the loop keeps these). */
  post: ts.Node[];
  /** The whole body (for break/return scans). */
  node: ts.Node;
  /** Names bound per item by the loop itself (loop variable, callback parameters). */
  itemNames: Set<string>;
}

function planLoop(ctx: FileContext, request: RequestShape, target: BatchTarget): SitePlan {
  const { sf } = ctx;
  const shape = findLoop(ctx, request);
  if (!shape) {
    const loopAround = ancestorLoop(request.value);
    if (loopAround) {
      throw new Refusal(
        'review',
        'the request is sent conditionally or from a nested block of this loop; batching it would need the condition evaluated up front',
        loopAround,
      );
    }
    const fn = enclosingFunction(request.value);
    if (fn && isHelperCandidate(fn) && !request.helper) return planHelper(ctx, request, fn, target);
    throw new Refusal('refused', 'the call is not in a per-item loop of this file');
  }
  const body = bodyOf(ctx, shape, request);
  const stmtFor = (s: LoopShape): ts.Statement => (s.kind === 'map' ? s.statement : s.kind === 'while' ? s.loop : s.loop);
  const anchor = stmtFor(shape);
  if (ts.isLabeledStatement(anchor.parent)) {
    throw new Refusal('review', 'the loop is labelled; the batch code would have to go between the label and the loop', anchor.parent);
  }
  if (!ts.isBlock(anchor.parent) && !ts.isSourceFile(anchor.parent) && !ts.isCaseOrDefaultClause(anchor.parent)) {
    throw new Refusal('review', 'the loop is the single statement of an `if`/`else`/loop without braces; add braces to batch it', anchor);
  }
  checkControlFlow(ctx, shape, body);
  const deps = analyseBody(ctx, shape, body, request);

  const names = ctx.names;
  const results = names.fresh('batchResults');
  const idx = shape.kind === 'for' || shape.kind === 'while' ? shape.counter : shape.kind === 'map' ? (mapIndexName(shape.callback) ?? names.fresh('index')) : names.fresh('index');
  const id = `String(${idx})`;
  const unit = ctx.indentUnit;
  const I = indentAt(sf.text, anchor.getStart(sf));
  const bodyIndent = indentAt(sf.text, request.value.getStart(sf));
  const splices: Splice[] = [];
  const lines: string[] = [];
  let itemsExpr: string;
  let builderParams: string;

  switch (shape.kind) {
    case 'for-of': {
      const coll = shape.loop.expression;
      const list = names.fresh(ts.isIdentifier(coll) ? `${coll.text}List` : 'batchItems');
      lines.push(`${I}const ${list} = Array.from(${coll.getText(sf)});`);
      const decl = shape.loop.initializer as ts.VariableDeclarationList;
      const binding = decl.declarations[0]!.name;
      itemsExpr = `${list}.map`;
      builderParams = `(${binding.getText(sf)}, ${idx})`;
      splices.push({ start: binding.getStart(sf), end: binding.getEnd(), text: `[${idx}, ${binding.getText(sf)}]` });
      splices.push({ start: coll.getStart(sf), end: coll.getEnd(), text: `${list}.entries()` });
      break;
    }
    case 'for':
    case 'while': {
      const placeholder = names.fresh('_');
      itemsExpr = `Array.from`;
      builderParams = `{ length: ${shape.bound.getText(sf)} }, (${placeholder}, ${idx})`;
      break;
    }
    case 'map': {
      const cb = shape.callback;
      const collExpr = (shape.mapCall.expression as ts.PropertyAccessExpression).expression;
      let coll = collExpr.getText(sf);
      if (!isStable(collExpr)) {
        coll = names.fresh('batchItems');
        lines.push(`${I}const ${coll} = ${collExpr.getText(sf)};`);
        splices.push({ start: collExpr.getStart(sf), end: collExpr.getEnd(), text: coll });
      }
      const first = cb.parameters[0];
      itemsExpr = `${coll}.map`;
      builderParams = `(${first ? first.getText(sf) : names.fresh('_')}, ${idx})`;
      if (!mapIndexName(cb)) {
        if (first) splices.push({ start: first.getEnd(), end: first.getEnd(), text: `, ${idx}` });
        else {
          const open = cb.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.OpenParenToken)!;
          splices.push({ start: open.getEnd(), end: open.getEnd(), text: `${names.fresh('_')}, ${idx}` });
        }
      }
      break;
    }
  }

  // The request builder: the statements the params need, then `{ customId, body }`.
  const inner = I + unit + unit;
  const paramsText = reindent(request.params.getText(sf), bodyIndent, inner);
  const builderPre = deps.builderPre.map((s) => reindent(statementText(sf, s), indentAt(sf.text, s.getStart(sf)), inner));
  const mapFn = itemsExpr === 'Array.from' ? `Array.from(${builderParams} =>` : `${itemsExpr}(${builderParams} =>`;
  lines.unshift(`${I}${MARKER} one Batch API run for all items (half price, results within 24 h); see ./${ctx.helperName}.ts`);
  lines.push(`${I}const ${results} = await runBatch(${request.client}, {`);
  lines.push(`${I}${unit}endpoint: '${request.url}',`);
  if (builderPre.length === 0) {
    lines.push(`${I}${unit}requests: ${mapFn} ({`);
    lines.push(`${inner}customId: ${id},`);
    lines.push(`${inner}body: ${paramsText},`);
    lines.push(`${I}${unit}})),`);
  } else {
    lines.push(`${I}${unit}requests: ${mapFn} {`);
    for (const b of builderPre) lines.push(`${inner}${b}`);
    lines.push(`${inner}return {`);
    lines.push(`${inner}${unit}customId: ${id},`);
    lines.push(`${inner}${unit}body: ${reindent(request.params.getText(sf), bodyIndent, inner + unit)},`);
    lines.push(`${inner}};`);
    lines.push(`${I}${unit}}),`);
  }
  lines.push(`${I}});`);
  const insertAt = lineStartOf(sf.text, anchor.getStart(sf));
  splices.push({ start: insertAt, end: insertAt, text: lines.join('\n') + '\n' });

  // In the loop: statements only the request needed go; the call becomes the item's result.
  for (const s of deps.removeFromLoop) splices.push(removeStatement(sf, s));
  splices.push({ start: request.value.getStart(sf), end: request.value.getEnd(), text: request.helper ? `await ${request.helper.name}(${request.call.arguments.map((a) => a.getText(sf)).join(', ')}${request.call.arguments.length ? ', ' : ''}unwrap(${results}.get(${id}), ${id}))` : `unwrap(${results}.get(${id}), ${id})` });
  if (request.helper) splices.push(...request.helper.splices);
  ctx.needImports.add('runBatch').add('unwrap');
  const range: [number, number] = [Math.min(anchor.getStart(sf), ...splices.map((s) => s.start)), Math.max(anchor.getEnd(), ...splices.map((s) => s.end))];
  return {
    splices,
    range,
    anchor,
    spans: [anchor],
    summary: `${shape.kind === 'map' ? 'Promise.all(map)' : shape.kind} loop at line ${lineOf(sf, anchor)} → one Batch API run (${request.url})`,
  };
}

function findLoop(ctx: FileContext, request: RequestShape): LoopShape | null {
  const { sf } = ctx;
  // The statement the value sits in, and the block that holds it.
  let n: ts.Node = request.value;
  const fn = enclosingFunction(n);
  // Async map callback with an expression body: `items.map(async (x) => client…create(…))`.
  if (fn && ts.isArrowFunction(fn) && !ts.isBlock(fn.body)) {
    const mc = mapCallOf(fn);
    if (mc) return mapShape(ctx, fn, mc);
  }
  while (n.parent && !(ts.isBlock(n.parent) && ts.isStatement(n))) {
    if (ts.isFunctionLike(n.parent) && n.parent !== fn) break;
    n = n.parent;
    if (n === fn) return null;
  }
  let block: ts.Node = n.parent;
  if (!block || !ts.isBlock(block)) return null;
  // One level of `try { … }` directly in the body.
  if (ts.isTryStatement(block.parent) && block.parent.tryBlock === block && ts.isBlock(block.parent.parent)) {
    block = block.parent.parent;
  }
  const owner = block.parent;
  if (!owner) return null;
  if (ts.isForOfStatement(owner) && owner.statement === block) {
    if (owner.awaitModifier) throw new Refusal('refused', '`for await` reads items as they arrive; they are not known before the loop');
    const init = owner.initializer;
    if (!ts.isVariableDeclarationList(init) || init.declarations.length !== 1) {
      throw new Refusal('review', 'the loop assigns an outer variable per item; declare the loop variable in the loop to batch it', owner);
    }
    return { kind: 'for-of', loop: owner };
  }
  if (ts.isForStatement(owner) && owner.statement === block) return forShape(ctx, owner);
  if (ts.isWhileStatement(owner) && owner.statement === block) return whileShape(ctx, owner, block as ts.Block);
  if (ts.isDoStatement(owner) || ts.isForInStatement(owner)) {
    throw new Refusal('review', `a \`${ts.isDoStatement(owner) ? 'do…while' : 'for…in'}\` loop is not rewritten; turn it into \`for…of\` to batch it`, owner);
  }
  if ((ts.isArrowFunction(owner) || ts.isFunctionExpression(owner)) && owner.body === block) {
    const mc = mapCallOf(owner);
    if (mc) return mapShape(ctx, owner, mc);
  }
  return null;
}

function forShape(ctx: FileContext, loop: ts.ForStatement): LoopShape {
  const { sf } = ctx;
  const init = loop.initializer;
  const bad = (why: string) => new Refusal('review', `this \`for\` loop is not of the form \`for (let i = 0; i < n; i++)\` (${why}), so its items are not known before it starts`, loop);
  if (!init || !ts.isVariableDeclarationList(init) || init.declarations.length !== 1) throw bad('initialiser');
  const d = init.declarations[0]!;
  if (!ts.isIdentifier(d.name) || !d.initializer || d.initializer.getText(sf) !== '0') throw bad('start');
  const counter = d.name.text;
  const cond = loop.condition;
  if (!cond || !ts.isBinaryExpression(cond) || cond.operatorToken.kind !== ts.SyntaxKind.LessThanToken || cond.left.getText(sf) !== counter) throw bad('condition');
  if (!loop.incrementor || !isIncrement(loop.incrementor, counter)) throw bad('step');
  if (writes(loop.statement).has(counter)) throw bad(`\`${counter}\` changes in the body`);
  return { kind: 'for', loop, counter, bound: cond.right };
}

function whileShape(ctx: FileContext, loop: ts.WhileStatement, block: ts.Block): LoopShape {
  const { sf } = ctx;
  const refuse = () =>
    new Refusal('refused', 'a `while` loop whose items are not known before it starts (only `let i = 0; while (i < n) { …; i++; }` is rewritten)', loop);
  const cond = loop.expression;
  if (!ts.isBinaryExpression(cond) || cond.operatorToken.kind !== ts.SyntaxKind.LessThanToken || !ts.isIdentifier(cond.left)) throw refuse();
  const counter = cond.left.text;
  const last = block.statements[block.statements.length - 1];
  if (!last || !ts.isExpressionStatement(last) || !isIncrement(last.expression, counter)) throw refuse();
  const others = block.statements.slice(0, -1);
  if (others.some((s) => writes(s).has(counter))) throw refuse();
  const parent = loop.parent;
  if (!ts.isBlock(parent) && !ts.isSourceFile(parent)) throw refuse();
  const list = parent.statements;
  const prev = list[list.indexOf(loop) - 1];
  const ok =
    prev &&
    ts.isVariableStatement(prev) &&
    prev.declarationList.declarations.length === 1 &&
    ts.isIdentifier(prev.declarationList.declarations[0]!.name) &&
    prev.declarationList.declarations[0]!.name.text === counter &&
    prev.declarationList.declarations[0]!.initializer?.getText(sf) === '0';
  if (!ok) throw refuse();
  return { kind: 'while', loop, counter, bound: cond.right, counterDecl: prev };
}

function isIncrement(e: ts.Expression, counter: string): boolean {
  if ((ts.isPostfixUnaryExpression(e) || ts.isPrefixUnaryExpression(e)) && e.operator === ts.SyntaxKind.PlusPlusToken) {
    return ts.isIdentifier(e.operand) && e.operand.text === counter;
  }
  return (
    ts.isBinaryExpression(e) &&
    e.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken &&
    ts.isIdentifier(e.left) &&
    e.left.text === counter &&
    ts.isNumericLiteral(e.right) &&
    e.right.text === '1'
  );
}

/** `Promise.all(<coll>.map(cb))` whose result is awaited or returned from an async function. */
function mapCallOf(fn: ts.Node): ts.CallExpression | null {
  const mc = fn.parent;
  if (!mc || !ts.isCallExpression(mc) || mc.arguments[0] !== fn) return null;
  if (!ts.isPropertyAccessExpression(mc.expression) || mc.expression.name.text !== 'map') return null;
  const all = mc.parent;
  if (!all || !ts.isCallExpression(all) || all.arguments[0] !== mc || all.expression.getText().replace(/\s/g, '') !== 'Promise.all') return null;
  return mc;
}

function mapShape(ctx: FileContext, callback: ts.ArrowFunction | ts.FunctionExpression, mapCall: ts.CallExpression): LoopShape {
  let n: ts.Node = mapCall;
  while (n.parent && !(ts.isStatement(n) && (ts.isBlock(n.parent) || ts.isSourceFile(n.parent)))) {
    if (ts.isFunctionLike(n.parent)) {
      throw new Refusal('review', 'the `Promise.all(…map(…))` is not a statement of its own block; hoist it into a statement to batch it', mapCall);
    }
    n = n.parent;
  }
  const statement = n as ts.Statement;
  const fn = enclosingFunction(statement);
  const isAsync = fn ? !!ts.getModifiers(fn as ts.FunctionLikeDeclaration & ts.HasModifiers)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword) : true;
  if (!isAsync) {
    throw new Refusal('review', 'the function around this `Promise.all` is not async, so it cannot wait for the batch; make it async to batch it', statement);
  }
  void ctx;
  return { kind: 'map', callback, mapCall, statement };
}

function mapIndexName(cb: ts.ArrowFunction | ts.FunctionExpression): string | null {
  const p = cb.parameters[1];
  return p && ts.isIdentifier(p.name) ? p.name.text : null;
}

function bodyOf(ctx: FileContext, shape: LoopShape, request: RequestShape): Body {
  const itemNames = new Set<string>();
  let block: ts.Node;
  switch (shape.kind) {
    case 'for-of':
      bindingNames((shape.loop.initializer as ts.VariableDeclarationList).declarations[0]!.name, itemNames);
      block = shape.loop.statement;
      break;
    case 'for':
    case 'while':
      itemNames.add(shape.counter);
      block = shape.loop.statement;
      break;
    case 'map':
      for (const p of shape.callback.parameters) bindingNames(p.name, itemNames);
      block = shape.callback.body;
      break;
  }
  if (!ts.isBlock(block)) return { pre: [], post: [request.value], node: block, itemNames };
  // The statement of the block that contains the call (possibly a `try`).
  const top = block.statements.find((s) => s.getStart() <= request.value.getStart() && request.value.getEnd() <= s.getEnd())!;
  const pre = block.statements.slice(0, block.statements.indexOf(top));
  if (ts.isTryStatement(top)) {
    const inTry = top.tryBlock.statements;
    const callStmt = inTry.find((s) => s.getStart() <= request.value.getStart() && request.value.getEnd() <= s.getEnd())!;
    if (inTry.indexOf(callStmt) > 0) {
      throw new Refusal('review', 'code runs inside the `try` before the request; move it above the `try` so its errors are handled the same way after batching', anchorOf(shape));
    }
  }
  void ctx;
  return { pre, post: block.statements.slice(block.statements.indexOf(top)), node: block, itemNames };
}

function anchorOf(shape: LoopShape): ts.Node {
  return shape.kind === 'map' ? shape.statement : shape.loop;
}

/** `break`, `return`, `yield` or a labelled `continue` leaving a statement loop change which requests are sent. */
function checkControlFlow(ctx: FileContext, shape: LoopShape, body: Body): void {
  const anchor = anchorOf(shape);
  const scan = (n: ts.Node, loopDepth: number, switchDepth: number): void => {
    if (ts.isFunctionLike(n) && n !== body.node.parent) return;
    if (shape.kind !== 'map') {
      if (ts.isReturnStatement(n)) throw new Refusal('refused', `the loop body \`return\`s (line ${lineOf(ctx.sf, n)}); the original stops sending requests there, a batch would send them all`, anchor);
      if (ts.isBreakStatement(n) && (n.label || (loopDepth === 0 && switchDepth === 0))) {
        throw new Refusal('refused', `the loop body \`break\`s (line ${lineOf(ctx.sf, n)}); the original stops sending requests there, a batch would send them all`, anchor);
      }
      if (ts.isContinueStatement(n) && n.label) throw new Refusal('refused', `the loop body continues an outer loop (line ${lineOf(ctx.sf, n)})`, anchor);
    }
    if (ts.isYieldExpression(n)) throw new Refusal('refused', `the loop body \`yield\`s (line ${lineOf(ctx.sf, n)}); its consumer may stop early`, anchor);
    const isLoop = ts.isIterationStatement(n, false);
    ts.forEachChild(n, (c) => scan(c, loopDepth + (isLoop ? 1 : 0), switchDepth + (ts.isSwitchStatement(n) ? 1 : 0)));
  };
  scan(body.node, 0, 0);
}

interface BodyDeps {
  /** Statements (before the call) the request needs: copied into the request builder. */
  builderPre: ts.Statement[];
  /** Statements only the request needed: removed from the loop. */
  removeFromLoop: ts.Statement[];
}

/**
 * Which code before the call the request needs, and whether batching changes meaning: the request must not read
 * anything the body changes after the call (that is how one request depends on an earlier result), and code before
 * the call must not decide whether the request is sent.
 */
function analyseBody(ctx: FileContext, shape: LoopShape, body: Body, request: RequestShape): BodyDeps {
  const { sf } = ctx;
  const anchor = anchorOf(shape);
  const declared = new Map<string, ts.Statement>();
  for (const s of body.pre) {
    if (ts.isVariableStatement(s)) for (const d of s.declarationList.declarations) bindingNames(d.name, new Set<string>(), (name) => declared.set(name, s));
  }
  // Statements the params need, transitively.
  const needed = new Set<ts.Statement>();
  const queue: ts.Node[] = [request.params, ...(request.helper ? request.call.arguments : [])];
  const requestReads = new Set<string>();
  while (queue.length) {
    const n = queue.pop()!;
    for (const name of freeNames(n)) {
      requestReads.add(name);
      const s = declared.get(name);
      if (s && !needed.has(s)) {
        needed.add(s);
        queue.push(s);
      }
    }
  }
  for (const s of body.pre) {
    if (containsKind(s, ts.SyntaxKind.ContinueStatement) || containsKind(s, ts.SyntaxKind.ThrowStatement) || containsKind(s, ts.SyntaxKind.ReturnStatement)) {
      throw new Refusal('review', `code before the request decides whether it is sent (line ${lineOf(sf, s)}); batching would send (and bill) requests that are skipped now`, anchor);
    }
    if (needed.has(s) && containsKind(s, ts.SyntaxKind.AwaitExpression)) {
      throw new Refusal('review', `the request needs a value awaited in the loop (line ${lineOf(sf, s)}); compute it before the loop to batch it`, anchor);
    }
  }
  const local = new Set([...declared.keys(), ...body.itemNames]);
  // What code before the call (kept in the loop) and after it changes.
  const postWrites = new Set<string>();
  for (const s of body.post) for (const w of writes(s, request.value)) postWrites.add(w);
  const preWrites = new Set<string>();
  for (const s of body.pre) for (const w of writes(s)) preWrites.add(w);
  // The collection and the bound are read by the request builder too.
  const extraReads = new Set<string>();
  if (shape.kind === 'for-of') for (const n of freeNames(shape.loop.expression)) extraReads.add(n);
  if (shape.kind === 'for' || shape.kind === 'while') for (const n of freeNames(shape.bound)) extraReads.add(n);
  if (shape.kind === 'map') for (const n of freeNames(shape.mapCall.expression)) extraReads.add(n);
  const counter = shape.kind === 'for' || shape.kind === 'while' ? shape.counter : null;
  const reads = [...requestReads, ...extraReads];
  for (const name of reads) {
    if (name === counter || local.has(name)) continue;
    if (postWrites.has(name)) {
      throw new Refusal(
        'refused',
        `each request reads \`${name}\`, which the loop changes after the call: one iteration's request depends on an earlier result`,
        anchor,
      );
    }
  }
  for (const name of reads) {
    if (preWrites.has(name) && !declared.has(name) && name !== counter) {
      throw new Refusal('review', `code before the request changes \`${name}\`, which the request reads; batching would build every request first`, anchor);
    }
    if (name === counter || local.has(name)) continue;
    // (reads the loop changes after the call were refused above)
    if (preWrites.has(name)) {
      throw new Refusal('review', `code before the request changes \`${name}\`, which the request reads; batching would compute every request first`, anchor);
    }
  }
  // Code after the call that uses values computed before it: keep those statements in the loop as well.
  const postReads = new Set<string>();
  for (const s of body.post) for (const n of freeNames(s, request.value)) postReads.add(n);
  const keepInLoop = new Set<ts.Statement>();
  const q2 = [...postReads];
  while (q2.length) {
    const s = declared.get(q2.pop()!);
    if (s && !keepInLoop.has(s)) {
      keepInLoop.add(s);
      for (const n of freeNames(s)) q2.push(n);
    }
  }
  for (const s of body.pre) {
    if (!ts.isVariableStatement(s)) keepInLoop.add(s);
  }
  for (const s of needed) {
    if (keepInLoop.has(s) && !isPure(s)) {
      throw new Refusal(
        'review',
        `line ${lineOf(sf, s)} is needed by the request and after it, and has side effects; batching would run it twice`,
        anchor,
      );
    }
  }
  return {
    builderPre: body.pre.filter((s) => needed.has(s)),
    removeFromLoop: body.pre.filter((s) => needed.has(s) && !keepInLoop.has(s)),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A helper function of the same file called once per item

function isHelperCandidate(fn: ts.Node): fn is ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression {
  if (ts.isFunctionDeclaration(fn) && fn.name) return true;
  return (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name);
}

function helperName(fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression): string {
  if (ts.isFunctionDeclaration(fn)) return fn.name!.text;
  return ((fn.parent as ts.VariableDeclaration).name as ts.Identifier).text;
}

/**
 * The call sits in `helper(args)`, called once per item by a loop of this file. The helper gets a twin that builds
 * the request (`<helper>Request`) and an optional last parameter with the batched result; the loop batches
 * `<helper>Request(args)` and passes each result to `helper(args, result)`. Other callers keep the direct call.
 */
function planHelper(ctx: FileContext, request: RequestShape, fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression, target: BatchTarget): SitePlan {
  const { sf } = ctx;
  const name = helperName(fn);
  const uses = ctx.callsTo(name);
  const inLoop = uses.filter((u) => ancestorLoop(u) || mapCallOf(enclosingFunction(u) ?? u));
  if (uses.length === 0 || inLoop.length === 0) {
    throw new Refusal(
      'refused',
      `the call is in \`${name}()\`, which is not called once per item in this file; batch the loop that calls it (call site ${sf.fileName.split(/[\\/]/).pop()}:${lineOf(sf, request.call)})`,
    );
  }
  if (inLoop.length > 1) throw new Refusal('review', `\`${name}()\` is called from ${inLoop.length} loops of this file; batch them by hand`, fn);
  if (!fn.body || !ts.isBlock(fn.body)) throw new Refusal('review', `\`${name}()\` has an expression body; give it a block body to batch it`, fn);
  const isAsync = ts.getModifiers(fn)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (!isAsync) throw new Refusal('review', `\`${name}()\` is not async`, fn);
  if (fn.parameters.some((p) => !!p.dotDotDotToken)) throw new Refusal('review', `\`${name}()\` takes rest parameters`, fn);
  // In the helper, the request must only depend on its parameters and on pure code before the call.
  const stmts = fn.body.statements;
  const top = stmts.find((s) => s.getStart() <= request.value.getStart() && request.value.getEnd() <= s.getEnd());
  if (!top) throw new Refusal('review', `the call in \`${name}()\` is nested`, fn);
  // The request must be sent on every call of the helper: a statement of its body, not under a condition (an `if`,
  // `?:`, `&&`…) or in a `try` (a failed batch line throws in the loop, where `unwrap` runs, not in the helper's `try`).
  const nesting = nestingOf(request.value, fn.body);
  if (nesting) {
    throw new Refusal(
      'review',
      nesting === 'try'
        ? `the request in \`${name}()\` is inside a \`try\`; after batching, a failed line would throw in the loop, outside that \`try\``
        : `the request in \`${name}()\` is sent conditionally; batching would send (and bill) it for every item`,
      fn,
    );
  }
  checkHelperReferences(ctx, fn, name);
  const pre = stmts.slice(0, stmts.indexOf(top));
  const fakeShape: LoopShape = { kind: 'map', callback: fn as ts.ArrowFunction, mapCall: request.call, statement: fn as unknown as ts.Statement };
  const params = new Set<string>();
  for (const p of fn.parameters) bindingNames(p.name, params);
  const body: Body = { pre, post: stmts.slice(stmts.indexOf(top)), node: fn.body, itemNames: params };
  const deps = analyseBody(ctx, fakeShape, body, request);
  for (const s of deps.builderPre) if (!isPure(s)) throw new Refusal('review', `\`${name}()\` computes its request with side effects (line ${lineOf(sf, s)})`, fn);
  // The loop's call `await helper(args)`.
  const use = inLoop[0]!;
  let v: ts.Node = use;
  while (ts.isParenthesizedExpression(v.parent)) v = v.parent;
  if (!ts.isAwaitExpression(v.parent) && !(ts.isArrowFunction(v.parent) || ts.isReturnStatement(v.parent))) {
    throw new Refusal('review', `\`${name}()\` is not awaited in its loop`, use);
  }
  const requestFn = ctx.names.fresh(`${name}Request`);
  const resultParam = ctx.names.fresh('batched');
  const I = indentAt(sf.text, (ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent).getStart(sf));
  const unit = ctx.indentUnit;
  const paramList = fn.parameters.map((p) => p.getText(sf)).join(', ');
  const callIndent = indentAt(sf.text, request.value.getStart(sf));
  const lines = [
    `${I}/** The request \`${name}()\` sends, for the Batch API. */`,
    `${I}function ${requestFn}(${paramList}): BatchBody<'${request.url}'> {`,
    ...deps.builderPre.map((s) => `${I}${unit}${reindent(statementText(sf, s), indentAt(sf.text, s.getStart(sf)), I + unit)}`),
    `${I}${unit}return ${reindent(request.params.getText(sf), callIndent, I + unit)};`,
    `${I}}`,
    '',
  ];
  const declStart = (ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent) as ts.Node;
  const at = lineStartOf(sf.text, leadingStart(sf, declStart));
  const lastParam = fn.parameters[fn.parameters.length - 1];
  const resultType = `BatchResult<'${request.url}'>`;
  const helperSplices: Splice[] = [
    { start: at, end: at, text: lines.join('\n') + '\n' },
    lastParam
      ? { start: lastParam.getEnd(), end: lastParam.getEnd(), text: `, ${resultParam}?: ${resultType}` }
      : (() => {
          const open = fn.getChildren(sf).find((c) => c.kind === ts.SyntaxKind.OpenParenToken)!;
          return { start: open.getEnd(), end: open.getEnd(), text: `${resultParam}?: ${resultType}` };
        })(),
    { start: request.value.getStart(sf), end: request.value.getEnd(), text: `(${resultParam} ?? ${request.value.getText(sf)})` },
  ];
  if (fn.parameters.some((p) => p.questionToken || p.initializer) && fn.parameters.length > 0) {
    // an optional parameter before ours is fine; the loop passes every argument explicitly below
  }
  const loopRequest: RequestShape = {
    url: request.url,
    client: request.client,
    params: ts.factory.createIdentifier('__unused__'),
    value: v.parent as ts.Expression,
    call: use,
    helper: { name, requestFn, splices: helperSplices },
  };
  if (use.arguments.length !== fn.parameters.length) {
    throw new Refusal('review', `\`${name}()\` is called with ${use.arguments.length} of its ${fn.parameters.length} parameters; pass them all to batch it`, use);
  }
  // Plan the loop around the helper call with a synthetic request: `<helper>Request(args)`.
  const argsText = use.arguments.map((a) => a.getText(sf)).join(', ');
  const synthetic = ts.createSourceFile('x.ts', `${requestFn}(${argsText})`, ts.ScriptTarget.Latest, true);
  const expr = (synthetic.statements[0] as ts.ExpressionStatement).expression;
  const plan = planLoop(ctx, { ...loopRequest, params: new TextExpr(expr, use.arguments) as unknown as ts.Expression }, target);
  ctx.needTypes.add('BatchBody').add('BatchResult');
  return { ...plan, spans: [...plan.spans, declStart], summary: `${plan.summary} through \`${name}()\`` };
}

/** Why the request is not sent on every run of `body`: `'conditional'`, `'try'`, or null (a plain statement of it). */
function nestingOf(value: ts.Node, body: ts.Block): 'conditional' | 'try' | null {
  let inTry = false;
  for (let n: ts.Node = value; n.parent && n !== body; n = n.parent) {
    const p = n.parent;
    if (ts.isConditionalExpression(p) && n !== p.condition) return 'conditional';
    if (ts.isBinaryExpression(p) && p.right === n && [ts.SyntaxKind.AmpersandAmpersandToken, ts.SyntaxKind.BarBarToken, ts.SyntaxKind.QuestionQuestionToken].includes(p.operatorToken.kind)) return 'conditional';
    if (ts.isTryStatement(p)) inTry = true;
    else if (ts.isBlock(p) && p !== body && !ts.isTryStatement(p.parent)) return 'conditional';
    else if (ts.isIfStatement(p) || ts.isSwitchStatement(p) || ts.isCaseOrDefaultClause(p) || ts.isIterationStatement(p, false) || ts.isCatchClause(p)) return 'conditional';
  }
  return inTry ? 'try' : null;
}

/**
 * The rewrite adds a last parameter (`batched?`) to the helper, which is safe only where every use of the helper is a
 * direct call with at most its declared arguments: a use as a value (`docs.map(classify)`, `{ classify }`, a
 * callback) could fill that parameter with something else (the map index), and an exported helper may be used that
 * way in another file. Those helpers get a review comment and are not rewritten.
 */
function checkHelperReferences(ctx: FileContext, fn: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression, name: string): void {
  const { sf } = ctx;
  const decl: ts.Node = ts.isFunctionDeclaration(fn) ? fn : fn.parent.parent.parent;
  const declName = ts.isFunctionDeclaration(fn) ? fn.name : (fn.parent as ts.VariableDeclaration).name;
  const exported = ts.canHaveModifiers(decl) && ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  const exportedAs = (x: ts.Identifier): boolean => ts.isExportSpecifier(x.parent) || ts.isExportAssignment(x.parent);
  let bad: ts.Identifier | undefined;
  let exportRef = false;
  const visit = (x: ts.Node): void => {
    if (bad || exportRef) return;
    if (ts.isIdentifier(x) && x.text === name && x !== declName) {
      const p = x.parent;
      const propertyName =
        (ts.isPropertyAccessExpression(p) && p.name === x) ||
        ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p)) && p.name === x);
      if (propertyName) return;
      if (exportedAs(x)) {
        exportRef = true;
        return;
      }
      const direct =
        ts.isCallExpression(p) && p.expression === x && p.arguments.length <= fn.parameters.length && !p.arguments.some(ts.isSpreadElement);
      if (!direct) bad = x;
      return;
    }
    ts.forEachChild(x, visit);
  };
  visit(sf);
  if (exported || exportRef) {
    throw new Refusal(
      'review',
      `\`${name}()\` is exported: another file may pass it as a value (\`.map(${name})\`), which would fill the \`batched\` parameter the rewrite adds; batch it by hand, or stop exporting it`,
      fn,
    );
  }
  if (bad) {
    throw new Refusal(
      'review',
      `\`${name}\` is used other than by a direct call (line ${lineOf(sf, bad)}: \`${bad.parent.getText(sf).slice(0, 60)}\`), which could fill the \`batched\` parameter the rewrite adds (\`.map(${name})\` passes the index); call it directly, e.g. \`(x) => ${name}(x)\`, to batch it`,
      fn,
    );
  }
}

/** Stands in for `<helper>Request(args)` in the loop plan: its text, and the loop values it reads (the args). */
class TextExpr {
  constructor(
    private readonly expr: ts.Expression,
    readonly args: ts.NodeArray<ts.Expression>,
  ) {}
  getText(): string {
    return this.expr.getText();
  }
  getStart(): number {
    return this.args[0]?.getStart() ?? 0;
  }
  getEnd(): number {
    return this.args[this.args.length - 1]?.getEnd() ?? 0;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Names, reads and writes

/** Identifiers read by `n` (not property names, declarations or types); `this.x` counts as `this.x`. */
function freeNames(n: ts.Node | TextExpr, skip?: ts.Node): Set<string> {
  const out = new Set<string>();
  if (n instanceof TextExpr) {
    for (const a of n.args) for (const x of freeNames(a)) out.add(x);
    return out;
  }
  const visit = (x: ts.Node): void => {
    if (ts.isTypeNode(x) || x === skip) return;
    if (ts.isIdentifier(x)) {
      const p = x.parent;
      if (ts.isPropertyAccessExpression(p) && p.name === x) return;
      if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p)) && p.name === x) return;
      if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) && p.name === x) return;
      if (ts.isBindingElement(p) && p.propertyName === x) return;
      if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return;
      out.add(x.text);
      return;
    }
    if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) {
      out.add(`this.${x.name.text}`);
      return;
    }
    ts.forEachChild(x, visit);
  };
  visit(n);
  return out;
}

/** Methods that change their receiver (arrays, maps, sets, objects). Calls of other functions are not followed. */
const MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice', 'sort', 'reverse', 'fill', 'copyWithin', 'set', 'add', 'delete', 'clear', 'assign', 'append']);

/** Names a statement may change: assignments, `++`/`--`, `delete`, and mutating method calls (`history.push(…)`); not inside `skip`. */
function writes(n: ts.Node, skip?: ts.Node): Set<string> {
  const out = new Set<string>();
  const root = (e: ts.Expression): string | null => {
    let x = e;
    for (;;) {
      if (ts.isPropertyAccessExpression(x) && x.expression.kind === ts.SyntaxKind.ThisKeyword) return `this.${x.name.text}`;
      if (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isNonNullExpression(x) || ts.isParenthesizedExpression(x) || ts.isCallExpression(x)) {
        x = x.expression;
        continue;
      }
      return ts.isIdentifier(x) ? x.text : null;
    }
  };
  const add = (e: ts.Expression) => {
    if (ts.isObjectLiteralExpression(e) || ts.isArrayLiteralExpression(e)) {
      for (const name of freeNames(e)) out.add(name);
      return;
    }
    const r = root(e);
    if (r) out.add(r);
  };
  const visit = (x: ts.Node): void => {
    if (skip && x === skip) return;
    if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment) add(x.left);
    if ((ts.isPostfixUnaryExpression(x) || ts.isPrefixUnaryExpression(x)) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) add(x.operand);
    if (ts.isDeleteExpression(x)) add(x.expression);
    if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && MUTATORS.has(x.expression.name.text)) add(x.expression.expression);
    ts.forEachChild(x, visit);
  };
  visit(n);
  return out;
}

/** Methods and globals without side effects (on strings, numbers, arrays with pure callbacks, JSON, Math). */
const PURE_METHODS = new Set([
  'slice', 'substring', 'trim', 'trimStart', 'trimEnd', 'toUpperCase', 'toLowerCase', 'split', 'join', 'concat', 'includes',
  'startsWith', 'endsWith', 'indexOf', 'lastIndexOf', 'replace', 'replaceAll', 'padStart', 'padEnd', 'at', 'toString',
  'toFixed', 'map', 'filter', 'flatMap', 'find', 'findIndex', 'some', 'every', 'reduce', 'charAt', 'normalize', 'repeat',
]);
const PURE_CALLS = /^(Number|String|Boolean|parseInt|parseFloat|encodeURIComponent|decodeURIComponent|JSON\.stringify|Math\.\w+|Object\.(keys|values|entries)|Array\.isArray)$/;

/** Code safe to run twice: no calls (but known pure ones), `new`, `await`, assignments or updates, callbacks included. */
function isPure(s: ts.Node): boolean {
  let pure = true;
  const visit = (x: ts.Node): void => {
    if (!pure) return;
    if (ts.isCallExpression(x)) {
      const callee = x.expression;
      const ok =
        PURE_CALLS.test(callee.getText().replace(/\s/g, '')) ||
        ((ts.isPropertyAccessExpression(callee) || ts.isPropertyAccessChain(callee)) && PURE_METHODS.has(callee.name.text));
      if (!ok) pure = false;
    } else if (ts.isNewExpression(x) || ts.isAwaitExpression(x) || ts.isTaggedTemplateExpression(x) || ts.isDeleteExpression(x) || ts.isYieldExpression(x)) pure = false;
    else if (ts.isBinaryExpression(x) && x.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && x.operatorToken.kind <= ts.SyntaxKind.LastAssignment) pure = false;
    else if ((ts.isPostfixUnaryExpression(x) || ts.isPrefixUnaryExpression(x)) && (x.operator === ts.SyntaxKind.PlusPlusToken || x.operator === ts.SyntaxKind.MinusMinusToken)) pure = false;
    if (pure) ts.forEachChild(x, visit);
  };
  visit(s);
  return pure;
}

function containsKind(n: ts.Node, kind: ts.SyntaxKind): boolean {
  let found = false;
  const visit = (x: ts.Node): void => {
    if (found || ts.isFunctionLike(x)) return;
    if (x.kind === kind) {
      // a `continue` inside a nested loop of the statement does not skip this loop's request
      if (kind === ts.SyntaxKind.ContinueStatement && ancestorLoopWithin(x, n)) return;
      found = true;
      return;
    }
    ts.forEachChild(x, visit);
  };
  visit(n);
  return found;
}

function ancestorLoopWithin(x: ts.Node, within: ts.Node): boolean {
  for (let p = x.parent; p && p !== within; p = p.parent) if (ts.isIterationStatement(p, false)) return true;
  return false;
}

function bindingNames(name: ts.BindingName, out: Set<string>, each?: (name: string) => void): void {
  if (ts.isIdentifier(name)) {
    out.add(name.text);
    each?.(name.text);
    return;
  }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindingNames(el.name, out, each);
}

function isStable(e: ts.Expression): boolean {
  if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) return true;
  if (ts.isPropertyAccessExpression(e)) return isStable(e.expression);
  return false;
}

function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = n.parent; p; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

function ancestorLoop(n: ts.Node): ts.IterationStatement | undefined {
  for (let p = n.parent; p; p = p.parent) {
    if (ts.isFunctionLike(p)) return undefined;
    if (ts.isIterationStatement(p, false)) return p;
  }
  return undefined;
}

function propName(n: ts.PropertyName): string | null {
  return ts.isIdentifier(n) || ts.isStringLiteral(n) ? n.text : null;
}

// ---------------------------------------------------------------------------------------------------------------
// File-level context: names, imports, indentation

class FileContext {
  readonly names: Names;
  readonly indentUnit: string;
  readonly needImports = new Set<string>();
  readonly needTypes = new Set<string>();
  readonly kind: ts.ScriptKind;
  readonly helperName: string;

  constructor(
    readonly sf: ts.SourceFile,
    private readonly options: RewriteOptions,
  ) {
    this.names = new Names(sf);
    this.indentUnit = detectIndent(sf.text);
    this.kind = /\.tsx$/.test(sf.fileName) ? ts.ScriptKind.TSX : /\.[cm]?jsx?$/.test(sf.fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    this.helperName = options.helperName ?? HELPER_NAME;
  }

  /** The object literal of the params: written inline, or a `const` of this file. */
  objectLiteralOf(e: ts.Expression): ts.ObjectLiteralExpression | null {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    if (ts.isObjectLiteralExpression(e)) return e;
    if (ts.isIdentifier(e)) {
      let found: ts.ObjectLiteralExpression | null = null;
      const visit = (n: ts.Node): void => {
        if (found) return;
        if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text && n.initializer && ts.isObjectLiteralExpression(n.initializer)) found = n.initializer;
        else ts.forEachChild(n, visit);
      };
      visit(this.sf);
      return found;
    }
    return null;
  }

  callsTo(name: string): ts.CallExpression[] {
    const out: ts.CallExpression[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) out.push(n);
      ts.forEachChild(n, visit);
    };
    visit(this.sf);
    return out;
  }

  importSplices(): Splice[] {
    const { sf } = this;
    const style = this.options.importStyle ?? detectImportStyle(sf);
    const spec = `./${this.helperName}${style}`;
    const quote = detectQuote(sf);
    const imports = sf.statements.filter(ts.isImportDeclaration);
    const existing = imports.find((i) => ts.isStringLiteral(i.moduleSpecifier) && i.moduleSpecifier.text.replace(/\.(js|ts)$/, '') === `./${this.helperName}`);
    const values = [...this.needImports];
    const types = [...this.needTypes];
    if (existing) {
      const bindings = existing.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings) && !existing.importClause?.isTypeOnly) {
        const have = new Set(bindings.elements.map((e) => e.name.text));
        const missing = [...values.filter((v) => !have.has(v)), ...types.filter((t) => !have.has(t)).map((t) => `type ${t}`)];
        if (missing.length === 0) return [];
        const last = bindings.elements[bindings.elements.length - 1];
        const at = last ? last.getEnd() : bindings.getStart(sf) + 1;
        return [{ start: at, end: at, text: `${last ? ', ' : ' '}${missing.join(', ')}` }];
      }
    }
    const names = [...values, ...types.map((t) => `type ${t}`)];
    const line = `import { ${names.join(', ')} } from ${quote}${spec}${quote};\n`;
    const last = imports[imports.length - 1];
    if (last) {
      const end = sf.text.indexOf('\n', last.getEnd());
      const at = end === -1 ? sf.text.length : end + 1;
      return [{ start: at, end: at, text: end === -1 ? `\n${line}` : line }];
    }
    const at = leadingStart(sf, sf.statements[0] ?? sf.endOfFileToken);
    return [{ start: at, end: at, text: line + '\n' }];
  }
}

class Names {
  private readonly used = new Set<string>();
  constructor(sf: ts.SourceFile) {
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) this.used.add(n.text);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  fresh(base: string): string {
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}${i}`;
    this.used.add(name);
    return name;
  }
}

function detectImportStyle(sf: ts.SourceFile): ImportStyle {
  for (const s of sf.statements) {
    if ((ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier)) {
      const spec = s.moduleSpecifier.text;
      if (!spec.startsWith('.')) continue;
      if (/\.[cm]?js$/.test(spec)) return '.js';
      if (/\.[cm]?ts$/.test(spec)) return '.ts';
      return '';
    }
  }
  return '.js';
}

function detectQuote(sf: ts.SourceFile): string {
  const first = sf.statements.find(ts.isImportDeclaration);
  return first && sf.text[first.moduleSpecifier.getStart(sf)] === '"' ? '"' : "'";
}

function detectIndent(text: string): string {
  const counts = new Map<string, number>();
  let prev = 0;
  for (const line of text.split('\n')) {
    const m = /^( +|\t+)\S/.exec(line);
    const cur = m ? m[1]! : '';
    if (cur.startsWith('\t')) return '\t';
    const d = cur.length - prev;
    if (d > 0) counts.set(' '.repeat(d), (counts.get(' '.repeat(d)) ?? 0) + 1);
    if (/\S/.test(line)) prev = cur.length;
  }
  let best = '  ';
  let n = 0;
  for (const [k, v] of counts) if (v > n) [best, n] = [k, v];
  return best;
}

// ---------------------------------------------------------------------------------------------------------------
// Text helpers

function lineOf(sf: ts.SourceFile, n: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
}

function endLineOf(sf: ts.SourceFile, n: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(n.getEnd()).line + 1;
}

function columnOf(sf: ts.SourceFile, n: ts.Node): number {
  return sf.getLineAndCharacterOfPosition(n.getStart(sf)).character + 1;
}

function lineStartOf(text: string, pos: number): number {
  return text.lastIndexOf('\n', pos - 1) + 1;
}

function indentAt(text: string, pos: number): string {
  const start = lineStartOf(text, pos);
  return /^[ \t]*/.exec(text.slice(start, pos))![0];
}

/** Start of a node including the comments on the lines above it. */
function leadingStart(sf: ts.SourceFile, n: ts.Node): number {
  const ranges = ts.getLeadingCommentRanges(sf.text, n.getFullStart()) ?? [];
  return ranges.length ? ranges[0]!.pos : n.getStart(sf);
}

/** A statement's text with its own leading comments. */
function statementText(sf: ts.SourceFile, s: ts.Statement): string {
  return sf.text.slice(leadingStart(sf, s), s.getEnd());
}

/** Removes a statement (with its comments) and its line. */
function removeStatement(sf: ts.SourceFile, s: ts.Statement): Splice {
  const start = lineStartOf(sf.text, leadingStart(sf, s));
  let end = s.getEnd();
  const nl = sf.text.indexOf('\n', end);
  if (nl !== -1 && /^[ \t]*$/.test(sf.text.slice(end, nl))) end = nl + 1;
  return { start, end, text: '' };
}

/** Moves a multi-line snippet written at indentation `from` to indentation `to` (the first line is placed by the caller). */
function reindent(text: string, from: string, to: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? line : line.startsWith(from) ? to + line.slice(from.length) : line))
    .join('\n');
}

function applySplices(text: string, splices: Splice[]): string {
  const sorted = [...splices].sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const s of sorted) out = out.slice(0, s.start) + s.text + out.slice(s.end);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The runtime helper's source, shipped with the package

/** The text of `codemods/runtime/openai-batch.ts`, found from the source layout and from `dist/codemods/`. */
export function helperSource(here = path.dirname(fileURLToPath(import.meta.url))): string {
  const candidates = [path.join(here, 'runtime/openai-batch.ts'), path.join(here, '../../codemods/runtime/openai-batch.ts')];
  for (const c of candidates) if (fs.existsSync(c)) return fs.readFileSync(c, 'utf8');
  throw new Error(`tierwise: the runtime helper openai-batch.ts was not found (looked in ${candidates.join(', ')})`);
}

/** Whether a file next to the rewritten one already provides the helper (then it is reused, not overwritten). */
export function existingHelper(dir: string, name = HELPER_NAME): string | null {
  for (const ext of ['.ts', '.mts', '.tsx']) {
    const p = path.join(dir, name + ext);
    if (fs.existsSync(p)) return p;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// jscodeshift entry

/**
 * jscodeshift transform. Targets: `options.batchTargets` (in-process from `tierwise fix batch`: a Map from absolute file
 * to targets), `options.sites` (JSON `[{ file, line, column? }]`, files relative to `options.root`) or, without
 * either, the analysis core's batch findings for the file (`root`: the project root, default the cwd).
 * Under `tierwise fix batch`, per-site results and the helper file go through `options.tierwise` (the fix runner);
 * run directly, it writes `openai-batch.ts` next to a rewritten file unless one exists (not under `--dry`).
 */
export default async function transformer(file: FileInfo, api: API, options: Options): Promise<string | undefined> {
  const abs = path.resolve(file.path);
  const root = path.resolve(String(options['root'] ?? process.cwd()));
  const fix = options['tierwise'] as FixContextLike | undefined;
  if (!fix) {
    // Run directly under jscodeshift: say why a file that does not parse is skipped (`tierwise fix batch` checks
    // every file before it calls the transform).
    const parseError = syntaxError(abs, file.source);
    if (parseError) {
      api.report(`${path.relative(process.cwd(), abs)}: skipped: does not parse (${parseError})`);
      return undefined;
    }
  }
  let targets: BatchTarget[];
  if (options['batchTargets'] instanceof Map) {
    targets = (options['batchTargets'] as Map<string, BatchTarget[]>).get(abs) ?? [];
  } else if (options['sites']) {
    const all = (typeof options['sites'] === 'string' ? JSON.parse(options['sites']) : options['sites']) as Array<BatchTarget & { file: string }>;
    targets = all.filter((s) => path.resolve(root, s.file) === abs);
  } else {
    targets = await coreTargets(abs, root);
  }
  if (targets.length === 0) return undefined;
  const result = rewriteLoops(file.source, abs, { targets });
  for (const o of result.outcomes) {
    const t = targets.find((x) => x.line === o.line && (x.column === undefined || x.column === o.column));
    if (o.status === 'unchanged') continue;
    if (o.status === 'rewritten') {
      fix?.applied(abs, { id: t?.id ?? `${path.relative(root, abs)}:${o.line}:${o.column}`, usdPerMonth: o.usdPerMonth ?? null });
    } else {
      const reason = o.status === 'review' ? `${o.reason} (left a \`${MARKER}\` comment)` : o.reason;
      if (fix) fix.skip(abs, reason, o.line);
      else api.report(`${path.relative(process.cwd(), abs)}:${o.line}: skipped: ${reason}`);
    }
  }
  if (result.output === file.source) return file.source;
  if (result.usesHelper) {
    const dir = path.dirname(abs);
    const existing = existingHelper(dir);
    if (existing && !/export\s+(async\s+)?function\s+runBatch\b/.test(fs.readFileSync(existing, 'utf8'))) {
      const msg = `${path.basename(existing)} exists next to this file but does not export runBatch; the rewritten code imports it`;
      if (fix) fix.warn(abs, msg);
      else api.report(msg);
    }
    if (!existing) {
      if (fix) fix.createFile(path.join(dir, `${HELPER_NAME}.ts`), helperSource());
      else if (!options['dry']) fs.writeFileSync(path.join(dir, `${HELPER_NAME}.ts`), helperSource());
    }
  }
  return result.output;
}

/** The part of the fix runner's `FixContext` this transform uses (src/fix/runner.ts). */
interface FixContextLike {
  applied(file: string, site: { id: string; usdPerMonth?: number | null }): void;
  skip(file: string, reason: string, line?: number): void;
  warn(file: string, message: string): void;
  createFile(file: string, text: string): void;
}

export const parser = 'ts';

/** One audit per root for a whole jscodeshift run (its workers call the transform once per file). */
const reports = new Map<string, Promise<import('../src/core/types.js').Report>>();

async function coreTargets(file: string, root: string): Promise<BatchTarget[]> {
  let report = reports.get(root);
  if (!report) {
    report = import('../src/audit/audit.js').then(({ runAudit }) => runAudit({ dir: root }).report);
    reports.set(root, report);
  }
  const rel = path.relative(root, file).split(path.sep).join('/');
  return batchTargets((await report).findings.filter((f) => f.file === rel));
}

/** Targets from findings: those whose recommendation is batch. */
export function batchTargets(findings: ReadonlyArray<import('../src/core/types.js').Finding>): BatchTarget[] {
  return findings
    .filter((f) => f.recommendation?.tier === 'batch' && f.rule === 'no-standard-tier-in-background')
    .map((f) => ({
      id: f.callSiteId,
      line: f.line,
      column: f.column,
      ...(f.context?.mixed ? { mixed: true, classification: 'mixed' as const } : {}),
      ...(f.savings && !f.savings.unknown ? { usdPerMonth: f.savings.usdPerMonth } : {}),
    }));
}
