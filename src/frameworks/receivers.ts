import type { TS } from '../core/ts.js';
import type { MatchHelpers } from './types.js';
import { isModule } from '../core/imports.js';

/** The receiver of `receiver.method(...)`. */
export function receiverOf(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): TS.Expression | undefined {
  return h.ts.isPropertyAccessExpression(call.expression) ? call.expression.expression : undefined;
}

/**
 * Whether the receiver of `x.method(...)` may belong to one of `modules`: false only when its origin is known to
 * come from another package (`ws.on('message')` is not Pub/Sub; a bee-queue queue's `process` is not Bull's).
 */
export function receiverFrom(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers, modules: readonly string[]): boolean {
  const mod = h.moduleOf(receiverOf(call, h));
  return mod === undefined || modules.some((m) => isModule(mod, m));
}

/** What the receiver was created by (`new Queue('name')`, `pubsub.subscription('name')`, `kafka.consumer({…})`). */
export function receiverInit(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): TS.NewExpression | TS.CallExpression | undefined {
  const o = h.origin(receiverOf(call, h));
  return o && (h.ts.isNewExpression(o) || h.ts.isCallExpression(o)) ? o : undefined;
}

/** The first string argument of the receiver's creation: the queue / subscription name. */
export function receiverName(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): string | null {
  const init = receiverInit(call, h);
  return init ? h.str(init.arguments?.[0]) : null;
}

/** `'name'` when known, else the receiver's source text. */
export function queueLabel(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): string {
  const name = receiverName(call, h);
  if (name !== null) return `'${name}'`;
  const r = receiverOf(call, h);
  return r ? h.text(r) : '?';
}
