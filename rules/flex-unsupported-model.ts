import { createRule } from './create-rule.js';
import { findingsFor, reportFinding } from './engine.js';

export type Options = [];
export type MessageIds = 'unsupportedModel';

/** `service_tier: "flex"` on a model the price table marks as not flex-eligible (the API rejects the request). */
export const rule = createRule<Options, MessageIds>({
  name: 'flex-unsupported-model',
  meta: {
    type: 'problem',
    docs: {
      description: 'Disallow `service_tier: "flex"` on models that are not flex-eligible',
    },
    schema: [],
    messages: {
      unsupportedModel: '{{message}}',
    },
  },
  defaultOptions: [],
  create(context) {
    return {
      'Program:exit'() {
        for (const f of findingsFor(context, 'flex-unsupported-model')) reportFinding(context, f, 'unsupportedModel', []);
      },
    };
  },
});

export default rule;
