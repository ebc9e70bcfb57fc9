import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { receiverFrom } from './receivers.js';

/** pg-boss (v10+): `boss.work(name, [options,] handler)`; the handler receives an array of jobs. */
export const pgBoss: FrameworkEntry = {
  id: 'pg-boss',
  name: 'pg-boss',
  kinds: ['queue'],
  modules: ['pg-boss'],
  recognises: '`boss.work(queue, [options,] handler)` on a `PgBoss` instance',
  fixture: 'postgres-jobs',
  registrations: [
    {
      form: 'call',
      name: 'work',
      via: 'member',
      handler: { args: 'last' },
      read(call, h) {
        const args = call.arguments ?? [];
        if (args.length < 2 || !receiverFrom(call, h, ['pg-boss'])) return null;
        const name = h.str(args[0]);
        return { kind: 'queue', trigger: `pg-boss work ${h.quoted(args[0])}`, cadence: cadence.unknown(), name: name ?? undefined };
      },
    },
  ],
};
