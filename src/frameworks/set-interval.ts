import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** `setInterval(handler, ms)`: an interval job. */
export const setIntervalEntry: FrameworkEntry = {
  id: 'set-interval',
  name: 'setInterval',
  kinds: ['interval'],
  modules: [],
  recognises: '`setInterval(handler, ms)` (global)',
  fixture: 'node-cron',
  registrations: [
    {
      form: 'call',
      name: 'setInterval',
      via: 'global',
      handler: { args: [0] },
      read(call, h) {
        const ms = h.num(call.arguments?.[1]);
        return { kind: 'interval', trigger: `setInterval every ${ms === null ? '?' : `${ms} ms`}`, cadence: cadence.every(ms) };
      },
    },
  ],
};
