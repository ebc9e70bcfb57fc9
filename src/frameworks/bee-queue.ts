import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { queueLabel, receiverFrom } from './receivers.js';

/** bee-queue: `queue.process([concurrency,] handler)` on a `new Queue('name')`. */
export const beeQueue: FrameworkEntry = {
  id: 'bee-queue',
  name: 'bee-queue',
  kinds: ['queue'],
  modules: ['bee-queue'],
  recognises: "`queue.process([concurrency,] handler)` on a bee-queue `new Queue(name)`",
  fixture: 'redis-queues',
  registrations: [
    {
      form: 'call',
      name: 'process',
      via: 'member',
      handler: { args: 'last' },
      read(call, h) {
        if ((call.arguments ?? []).length === 0 || !receiverFrom(call, h, ['bee-queue'])) return null;
        return { kind: 'queue', trigger: `bee-queue process ${queueLabel(call, h)}`, cadence: cadence.unknown() };
      },
    },
  ],
};
