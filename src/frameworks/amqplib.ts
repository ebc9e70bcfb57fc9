import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { receiverFrom } from './receivers.js';

/** amqplib (RabbitMQ): `channel.consume(queue, onMessage, options)`. */
export const amqplib: FrameworkEntry = {
  id: 'amqplib',
  name: 'amqplib',
  kinds: ['queue'],
  modules: ['amqplib'],
  recognises: '`channel.consume(queue, onMessage)` on an amqplib channel',
  fixture: 'brokers',
  registrations: [
    {
      form: 'call',
      name: 'consume',
      via: 'member',
      handler: { args: [1] },
      read(call, h) {
        if (!receiverFrom(call, h, ['amqplib', 'amqp-connection-manager'])) return null;
        const q = call.arguments?.[0];
        return { kind: 'queue', trigger: `amqplib consume ${h.quoted(q)}`, cadence: cadence.unknown(), name: h.str(q) ?? undefined };
      },
    },
  ],
};
