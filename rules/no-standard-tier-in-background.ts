import { createRule } from './create-rule.js';
import { FETCH_TIMEOUT_NOTE, findingsFor, reportFinding } from './engine.js';

export type Options = [];
export type MessageIds = 'standardTier' | 'addFlexTier' | 'replaceTier' | 'raiseTimeoutOnRequest' | 'raiseTimeoutOnClient';

/**
 * An OpenAI call that only background work reaches (cron, queue, eval, script) runs on the standard tier. The core
 * decides all of it; this rule reports the core's finding and offers its edits as suggestions (never an autofix:
 * flex changes latency and availability).
 */
export const rule = createRule<Options, MessageIds>({
  name: 'no-standard-tier-in-background',
  meta: {
    type: 'suggestion',
    docs: {
      description: 'Disallow OpenAI calls in background work on the standard tier when Flex or the Batch API would halve their price',
    },
    hasSuggestions: true,
    schema: [],
    messages: {
      standardTier: '{{message}}',
      addFlexTier: "Add `service_tier: 'flex'` to this request.",
      replaceTier: "Replace `service_tier: '{{tier}}'` with `service_tier: 'flex'` in this request.",
      raiseTimeoutOnRequest: `Raise the timeout of this request to 15 minutes (flex requests can take longer). ${FETCH_TIMEOUT_NOTE}`,
      raiseTimeoutOnClient: `Raise the timeout of the OpenAI client to 15 minutes (only background calls use it). ${FETCH_TIMEOUT_NOTE}`,
    },
  },
  defaultOptions: [],
  create(context) {
    return {
      'Program:exit'() {
        for (const f of findingsFor(context, 'no-standard-tier-in-background')) {
          reportFinding(context, f, 'standardTier', [
            f.finding.serviceTier === 'absent'
              ? { messageId: 'addFlexTier', edits: f.tierEdits }
              : { messageId: 'replaceTier', edits: f.tierEdits, data: { tier: f.finding.serviceTier } },
            { messageId: f.timeoutAt === 'client' ? 'raiseTimeoutOnClient' : 'raiseTimeoutOnRequest', edits: f.timeoutEdits },
          ]);
        }
      },
    };
  },
});

export default rule;
