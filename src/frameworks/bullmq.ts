import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** BullMQ: `new Worker('queue', processor)`; @nestjs/bullmq `@Processor('queue')` classes with `process()`. */
export const bullmq: FrameworkEntry = {
  id: 'bullmq',
  name: 'BullMQ',
  kinds: ['queue'],
  modules: ['bullmq', '@nestjs/bullmq'],
  recognises: "`new Worker(queueName, processor)` from 'bullmq'; `@Processor(queue)` classes' `process()` (@nestjs/bullmq)",
  fixture: 'bullmq',
  registrations: [
    {
      form: 'new',
      name: 'Worker',
      via: 'import',
      handler: { args: [1] },
      read(call, h) {
        const q = call.arguments?.[0];
        return { kind: 'queue', trigger: `BullMQ worker ${h.quoted(q)}`, cadence: cadence.unknown(), name: h.str(q) ?? undefined };
      },
    },
  ],
  decorators: [
    {
      target: 'class',
      name: 'Processor',
      methods: ['process'],
      read(_d, args, h) {
        const q = args[0];
        const name = h.str(q) ?? h.str(h.prop(q, 'name'));
        return { kind: 'queue', trigger: `@nestjs/bullmq @Processor(${name ? `'${name}'` : ''})`, cadence: cadence.unknown() };
      },
    },
  ],
};
