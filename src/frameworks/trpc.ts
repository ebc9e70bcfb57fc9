import type { FrameworkEntry } from './types.js';
import type { TS, TsModule } from '../core/ts.js';
import { cadence } from '../core/entries.js';
import { receiverFrom } from './receivers.js';

/** `summarize: publicProcedure.input(…).mutation(fn)` inside `router({ … })`: the dotted router key, when visible. */
function procedurePath(call: TS.Node, ts: TsModule): string | undefined {
  const keys: string[] = [];
  let n: TS.Node | undefined = call;
  while (n) {
    const p: TS.Node | undefined = n.parent;
    if (p && ts.isPropertyAssignment(p) && p.initializer === n) {
      const k = p.name;
      if (ts.isIdentifier(k) || ts.isStringLiteral(k)) keys.unshift(k.text);
      n = p.parent; // the object literal
      continue;
    }
    if (p && (ts.isObjectLiteralExpression(p) || ts.isCallExpression(p) || ts.isParenthesizedExpression(p))) {
      n = p;
      continue;
    }
    break;
  }
  return keys.length ? keys.join('.') : undefined;
}

/** tRPC (v10/v11): procedure resolvers `procedure.query(fn)`, `.mutation(fn)`, `.subscription(fn)`. */
export const trpc: FrameworkEntry = {
  id: 'trpc',
  name: 'tRPC',
  kinds: ['interactive'],
  modules: ['@trpc/server'],
  recognises: '`procedure.query(fn)` / `.mutation(fn)` / `.subscription(fn)` resolvers of @trpc/server procedures',
  fixture: 'api-rpc',
  registrations: [
    {
      form: 'call',
      name: ['query', 'mutation', 'subscription'],
      via: 'member',
      handler: { args: [0] },
      read(call, h) {
        if (!h.ts.isPropertyAccessExpression(call.expression) || !receiverFrom(call, h, ['@trpc/server'])) return null;
        const kind = call.expression.name.text;
        const path = procedurePath(call, h.ts);
        return { kind: 'interactive', trigger: `tRPC ${kind}${path ? ` ${path}` : ''}`, cadence: cadence.unknown(), name: path };
      },
    },
  ],
};
