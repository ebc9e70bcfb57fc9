import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** croner: `new Cron('0 6 * * *', handler)` / `Cron(pattern, options, handler)`. */
export const croner: FrameworkEntry = {
  id: 'croner',
  name: 'croner',
  kinds: ['cron'],
  modules: ['croner'],
  recognises: "`new Cron(pattern, [options,] handler)` from 'croner'",
  fixture: 'croner',
  registrations: ['new', 'call'].map((form) => ({
    form: form as 'new' | 'call',
    name: 'Cron',
    via: 'import' as const,
    handler: { args: [1, 2] },
    read(call: import('typescript').CallExpression | import('typescript').NewExpression, h: import('./types.js').MatchHelpers) {
      const args = call.arguments ?? [];
      const tz = h.str(h.prop(args[1], 'timezone')) ?? undefined;
      return { kind: 'cron' as const, trigger: `croner ${h.quoted(args[0])}`, cadence: cadence.cron(h.str(args[0]), tz) };
    },
  })),
};
