import type { TS } from '../core/ts.js';
import type { MatchHelpers } from './types.js';

/**
 * What a receiver (`queue`, `this.queue`, `consumer`) was initialised with in the same file: the initializer of a
 * `const`/`let` of that name or of a class field, unwrapping `await`. Syntactic: receivers built in another file
 * give undefined and triggers fall back to the receiver's text.
 */
export function localInit(receiver: TS.Expression | undefined, h: MatchHelpers): TS.Expression | undefined {
  const ts = h.ts;
  if (!receiver) return undefined;
  let name: string | undefined;
  let field = false;
  if (ts.isIdentifier(receiver)) name = receiver.text;
  else if (ts.isPropertyAccessExpression(receiver) && receiver.expression.kind === ts.SyntaxKind.ThisKeyword) {
    name = receiver.name.text;
    field = true;
  }
  if (!name) return undefined;
  let found: TS.Expression | undefined;
  const visit = (n: TS.Node): void => {
    if (found) return;
    if (!field && ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer;
    else if (field && ts.isPropertyDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === name && n.initializer) found = n.initializer;
    else ts.forEachChild(n, visit);
  };
  visit(h.sourceFile);
  while (found && (ts.isAwaitExpression(found) || ts.isParenthesizedExpression(found))) found = found.expression;
  return found;
}

/** The receiver of `receiver.method(...)`. */
export function receiverOf(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): TS.Expression | undefined {
  return h.ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
}

/** `new Queue('name')`, `boss.subscription('name')`, `channel`: the first string argument of the receiver's initializer. */
export function receiverName(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): string | null {
  const init = localInit(receiverOf(call, h), h);
  if (init && (h.ts.isNewExpression(init) || h.ts.isCallExpression(init))) return h.str(init.arguments?.[0]);
  return null;
}

/** `'name'` when known, else the receiver's source text. */
export function queueLabel(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): string {
  const name = receiverName(call, h);
  if (name !== null) return `'${name}'`;
  const r = receiverOf(call, h);
  return r ? h.text(r) : '?';
}
