import type { FrameworkEntry } from './types.js';
import { cadence, decoratorsOf } from '../core/entries.js';
import { queueLabel, receiverFrom } from './receivers.js';

/**
 * Bull (v3/v4): `queue.process([name,] [concurrency,] handler)` on a `new Queue('name')`; @nestjs/bull
 * `@Processor('queue')` classes whose methods carry `@Process()` / `@Process('job')`.
 */
export const bull: FrameworkEntry = {
  id: 'bull',
  name: 'Bull',
  kinds: ['queue'],
  modules: ['bull', '@nestjs/bull'],
  recognises: "`queue.process([name,] [concurrency,] handler)` on a Bull queue; @nestjs/bull `@Processor(queue)` classes' `@Process()` methods",
  fixture: 'nestjs-queues',
  registrations: [
    {
      form: 'call',
      name: 'process',
      via: 'member',
      handler: { args: 'last' },
      read(call, h) {
        const args = call.arguments ?? [];
        if (args.length === 0 || !receiverFrom(call, h, ['bull'])) return null;
        const job = args.length > 1 ? h.str(args[0]) : null;
        const queue = queueLabel(call, h);
        return { kind: 'queue', trigger: `Bull process ${queue}${job ? ` job '${job}'` : ''}`, cadence: cadence.unknown(), name: job ?? undefined };
      },
    },
  ],
  decorators: [
    {
      target: 'class',
      name: 'Processor',
      methodDecorators: ['Process'],
      read(_d, args, h, method) {
        const q = args[0];
        const queue = h.str(q) ?? h.str(h.prop(q, 'name'));
        const process = decoratorsOf(h.ts, method).find((d) => d.name === 'Process');
        const a = process?.args[0];
        const job = h.str(a) ?? h.str(h.prop(a, 'name'));
        return {
          kind: 'queue',
          trigger: `@nestjs/bull @Processor(${queue ? `'${queue}'` : ''}) @Process(${job ? `'${job}'` : ''})`,
          cadence: cadence.unknown(),
        };
      },
    },
  ],
};
