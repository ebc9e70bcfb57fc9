import { parse as parseToml } from 'smol-toml';
import type { FrameworkEntry, MatchHelpers } from './types.js';
import { cadence } from '../core/entries.js';

const WORKER_HINT = /\b(?:ExportedHandler|ScheduledController|ScheduledEvent|MessageBatch|ExecutionContext|ForwardableEmailMessage)\b|['"]cloudflare:workers['"]/;

/** `triggers.crons` of wrangler.toml / wrangler.json / wrangler.jsonc. */
function wranglerCrons(h: MatchHelpers): string[] {
  let config: unknown;
  const toml = h.project.read('wrangler.toml');
  if (toml !== undefined) {
    try {
      config = parseToml(toml);
    } catch {
      return [];
    }
  } else {
    for (const name of ['wrangler.jsonc', 'wrangler.json']) {
      const text = h.project.read(name);
      if (text === undefined) continue;
      const parsed = h.ts.parseConfigFileTextToJson(name, text);
      if (!parsed.error) config = parsed.config;
      break;
    }
  }
  const crons = (config as { triggers?: { crons?: unknown } } | undefined)?.triggers?.crons;
  return Array.isArray(crons) ? crons.filter((c): c is string => typeof c === 'string') : [];
}

function isWorker(h: MatchHelpers): boolean {
  if (WORKER_HINT.test(h.sourceFile.text)) return true;
  return ['wrangler.toml', 'wrangler.json', 'wrangler.jsonc'].some((f) => h.project.read(f) !== undefined);
}

/**
 * Cloudflare Workers: the default-exported handler object. `scheduled` runs on wrangler's `triggers.crons` (cron),
 * `queue` consumes a Queue (queue), `fetch` serves requests (interactive). A file counts as a Worker when it names the
 * Workers types (`ExportedHandler`, `ScheduledController`, `MessageBatch`, …) or the project has a wrangler config.
 */
export const cloudflareWorkers: FrameworkEntry = {
  id: 'cloudflare-workers',
  name: 'Cloudflare Workers',
  kinds: ['cron', 'queue', 'interactive'],
  modules: [],
  recognises: '`export default { scheduled, queue, fetch }` Worker handlers; `scheduled` cadence from wrangler `triggers.crons`',
  fixture: 'cloudflare',
  defaultExportObject: {
    methods: ['scheduled', 'queue', 'fetch'],
    read(method, h) {
      if (!isWorker(h)) return null;
      if (method === 'scheduled') {
        const crons = wranglerCrons(h);
        const what = crons.length ? crons.map((c) => `'${c}'`).join(', ') : '(no crons in wrangler config)';
        return { kind: 'cron', trigger: `Cloudflare Workers scheduled ${what}`, cadence: cadence.crons(crons.map((expression) => ({ expression }))) };
      }
      if (method === 'queue') return { kind: 'queue', trigger: 'Cloudflare Workers queue consumer', cadence: cadence.unknown() };
      return { kind: 'interactive', trigger: 'Cloudflare Workers fetch', cadence: cadence.unknown() };
    },
  },
};
