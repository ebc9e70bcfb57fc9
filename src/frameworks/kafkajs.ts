import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { localInit, receiverOf } from './receivers.js';

/** kafkajs: `consumer.run({ eachMessage })` / `consumer.run({ eachBatch })`. */
export const kafkajs: FrameworkEntry = {
  id: 'kafkajs',
  name: 'KafkaJS',
  kinds: ['queue'],
  modules: ['kafkajs'],
  recognises: '`consumer.run({ eachMessage | eachBatch })` on a kafkajs consumer',
  fixture: 'brokers',
  registrations: [
    {
      form: 'call',
      name: 'run',
      via: 'member',
      handler: { objectProps: { arg: 0, props: ['eachMessage', 'eachBatch'] } },
      read(call, h) {
        const opts = call.arguments?.[0];
        const which = h.prop(opts, 'eachBatch') ? 'eachBatch' : 'eachMessage';
        // `kafka.consumer({ groupId: 'summaries' })` in the same file names the consumer group.
        const init = localInit(receiverOf(call, h), h);
        const group = init && h.ts.isCallExpression(init) ? h.str(h.prop(init.arguments[0], 'groupId')) : null;
        return { kind: 'queue', trigger: `kafkajs ${which}${group ? ` (group '${group}')` : ''}`, cadence: cadence.unknown() };
      },
    },
  ],
};
