import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { receiverFrom, receiverInit } from './receivers.js';

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
        if (!receiverFrom(call, h, ['kafkajs'])) return null;
        const opts = call.arguments?.[0];
        const which = h.prop(opts, 'eachBatch') ? 'eachBatch' : 'eachMessage';
        // `kafka.consumer({ groupId: 'summaries' })` in the same file names the consumer group.
        const init = receiverInit(call, h);
        const group = init ? h.str(h.prop(init.arguments?.[0], 'groupId')) : null;
        return { kind: 'queue', trigger: `kafkajs ${which}${group ? ` (group '${group}')` : ''}`, cadence: cadence.unknown() };
      },
    },
  ],
};
