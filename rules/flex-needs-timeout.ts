import { createRule } from './create-rule.js';
import { FETCH_TIMEOUT_NOTE, findingsFor, reportFinding } from './engine.js';

export type Options = [];
export type MessageIds = 'shortTimeout' | 'raiseTimeoutOnRequest' | 'raiseTimeoutOnClient';

/** A flex request whose effective timeout (request → client → SDK default) is under 15 minutes. */
export const rule = createRule<Options, MessageIds>({
  name: 'flex-needs-timeout',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require a timeout of at least 15 minutes on requests that use `service_tier: "flex"`',
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      shortTimeout: '{{message}}',
      raiseTimeoutOnRequest: `Raise the timeout of this request to 15 minutes. ${FETCH_TIMEOUT_NOTE}`,
      raiseTimeoutOnClient: `Raise the timeout of the OpenAI client to 15 minutes (only background calls use it). ${FETCH_TIMEOUT_NOTE}`,
    },
  },
  defaultOptions: [],
  create(context) {
    return {
      'Program:exit'() {
        for (const f of findingsFor(context, 'flex-needs-timeout')) {
          reportFinding(context, f, 'shortTimeout', [
            { messageId: f.timeoutAt === 'client' ? 'raiseTimeoutOnClient' : 'raiseTimeoutOnRequest', edits: f.timeoutEdits },
          ]);
        }
      },
    };
  },
});

export default rule;
