import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** node-schedule: `schedule.scheduleJob('0 6 * * *', handler)` / `scheduleJob(name, rule, handler)`. */
export const nodeSchedule: FrameworkEntry = {
  id: 'node-schedule',
  name: 'node-schedule',
  kinds: ['cron'],
  modules: ['node-schedule'],
  recognises: "`scheduleJob([name,] rule, handler)` from 'node-schedule'",
  fixture: 'node-schedule',
  registrations: [
    {
      form: 'call',
      name: 'scheduleJob',
      via: 'import',
      handler: { args: 'last' },
      read(call, h) {
        const args = call.arguments ?? [];
        const rule = args.length >= 3 ? args[1] : args[0];
        const expr = h.str(rule) ?? h.str(h.prop(rule, 'rule'));
        const tz = h.str(h.prop(rule, 'tz')) ?? undefined;
        const name = args.length >= 3 ? (h.str(args[0]) ?? undefined) : undefined;
        const what = expr ? `'${expr}'` : h.quoted(rule);
        return { kind: 'cron', trigger: `node-schedule ${what}${name ? ` (${name})` : ''}`, cadence: cadence.cron(expr, tz), name };
      },
    },
  ],
};
