import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { queueLabel, receiverFrom } from './receivers.js';

/** Google Cloud Pub/Sub: `subscription.on('message', handler)`. */
export const googlePubsub: FrameworkEntry = {
  id: 'google-pubsub',
  name: 'Google Cloud Pub/Sub',
  kinds: ['queue'],
  modules: ['@google-cloud/pubsub'],
  recognises: "`subscription.on('message', handler)` on a @google-cloud/pubsub subscription",
  fixture: 'brokers',
  registrations: [
    {
      form: 'call',
      name: ['on', 'addListener', 'once'],
      via: 'member',
      handler: { args: [1] },
      read(call, h) {
        if (h.str(call.arguments?.[0]) !== 'message' || !receiverFrom(call, h, ['@google-cloud/pubsub'])) return null;
        return { kind: 'queue', trigger: `Pub/Sub subscription ${queueLabel(call, h)} message`, cadence: cadence.unknown() };
      },
    },
  ],
};
