import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/**
 * Trigger.dev v3/v4: `schedules.task({ id, cron, run })` → cron (declarative schedule, or one attached from the dashboard
 * or `schedules.create`); `task({ id, run })` / `schemaTask({ id, schema, run })` → queue (runs when triggered).
 */
export const triggerDev: FrameworkEntry = {
  id: 'trigger.dev',
  name: 'Trigger.dev',
  kinds: ['cron', 'queue'],
  modules: ['@trigger.dev/sdk'],
  recognises: "`schedules.task({ cron, run })` → cron; `task({ run })` / `schemaTask({ run })` → queue, from '@trigger.dev/sdk'",
  fixture: 'trigger-dev',
  registrations: [
    {
      form: 'call',
      name: ['task', 'schemaTask'],
      via: 'import',
      handler: { objectProps: { arg: 0, props: ['run'] } },
      read(call, h) {
        const opts = call.arguments?.[0];
        const id = h.str(h.prop(opts, 'id')) ?? undefined;
        const callee = h.text(call.expression);
        if (callee.endsWith('schedules.task')) {
          const cron = h.prop(opts, 'cron');
          const pattern = h.str(cron) ?? h.str(h.prop(cron, 'pattern'));
          const tz = h.str(h.prop(cron, 'timezone')) ?? undefined;
          const what = pattern ? `'${pattern}'` : '(schedule attached at runtime)';
          return { kind: 'cron', trigger: `Trigger.dev schedules.task ${what}${id ? ` (${id})` : ''}`, cadence: cadence.cron(pattern, tz), name: id };
        }
        if (callee.includes('.') && !/^(?:\w+\.)?(?:task|schemaTask)$/.test(callee)) return null;
        return { kind: 'queue', trigger: `Trigger.dev task${id ? ` '${id}'` : ''}`, cadence: cadence.unknown(), name: id };
      },
    },
  ],
};
