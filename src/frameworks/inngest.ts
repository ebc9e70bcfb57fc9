import type { TS } from '../core/ts.js';
import type { FrameworkEntry, MatchHelpers } from './types.js';
import { cadence } from '../core/entries.js';

/** The trigger objects of a function: v4 `{ triggers: … }` in the options, v3 the second argument. */
function triggers(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): TS.Expression[] {
  const args = call.arguments ?? [];
  const raw = h.prop(args[0], 'triggers') ?? (args.length >= 3 ? args[1] : undefined);
  const v = h.evaluate(raw);
  if (v.kind === 'array') return v.elements;
  return raw ? [raw] : [];
}

/** `TZ=Europe/Paris 0 6 * * *` → expression and zone. */
function splitTz(expr: string): { expression: string; timezone?: string } {
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(expr.trim());
  return m ? { expression: m[2]!, timezone: m[1]! } : { expression: expr };
}

/**
 * Inngest: `inngest.createFunction({ id, triggers: [{ cron }] | { event } }, handler)` (v4) and
 * `createFunction({ id }, { cron } | { event }, handler)` (v3). A cron trigger makes a cron job; event triggers a queue.
 */
export const inngest: FrameworkEntry = {
  id: 'inngest',
  name: 'Inngest',
  kinds: ['cron', 'queue'],
  modules: ['inngest'],
  recognises: '`inngest.createFunction(options, [trigger,] handler)`: `{ cron }` triggers → cron, `{ event }` triggers → queue',
  fixture: 'inngest',
  registrations: [
    {
      form: 'call',
      name: 'createFunction',
      via: 'member',
      handler: { args: [1, 2] },
      read(call, h) {
        const args = call.arguments ?? [];
        const id = h.str(h.prop(args[0], 'id')) ?? h.str(h.prop(args[0], 'name')) ?? undefined;
        const ts = triggers(call, h);
        const crons = ts.map((t) => h.str(h.prop(t, 'cron'))).filter((c): c is string => !!c);
        const events = ts.map((t) => h.str(h.prop(t, 'event'))).filter((e): e is string => !!e);
        if (crons.length > 0) {
          const what = crons.map((c) => `'${c}'`).join(', ');
          return { kind: 'cron', trigger: `Inngest cron ${what}${id ? ` (${id})` : ''}`, cadence: cadence.crons(crons.map(splitTz)), name: id };
        }
        const what = events.length ? events.map((e) => `'${e}'`).join(', ') : '?';
        return { kind: 'queue', trigger: `Inngest event ${what}${id ? ` (${id})` : ''}`, cadence: cadence.unknown(), name: id };
      },
    },
  ],
};
