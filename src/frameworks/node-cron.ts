import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** node-cron: `cron.schedule('0 6 * * *', handler, { timezone })`. */
export const nodeCron: FrameworkEntry = {
  id: 'node-cron',
  name: 'node-cron',
  kinds: ['cron'],
  modules: ['node-cron'],
  recognises: "`cron.schedule(expression, handler)` / `schedule(...)` imported from 'node-cron'",
  fixture: 'node-cron',
  registrations: [
    {
      form: 'call',
      name: 'schedule',
      via: 'import',
      handler: { args: [1] },
      read(call, h) {
        const expr = h.str(call.arguments?.[0]);
        const tz = h.str(h.prop(call.arguments?.[2], 'timezone')) ?? undefined;
        return { kind: 'cron', trigger: `node-cron ${h.quoted(call.arguments?.[0])}`, cadence: cadence.cron(expr, tz) };
      },
    },
  ],
};
