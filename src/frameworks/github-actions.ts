import { parse } from 'yaml';
import type { FileMatcher, FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { filesRunBy, packageScripts } from './script-commands.js';

interface Workflow {
  on?: unknown;
  jobs?: Record<string, { steps?: Array<{ run?: unknown }> }>;
}

/** GitHub Actions workflows with `on: schedule` that run a script of the repository. */
export const githubActions: FrameworkEntry = {
  id: 'github-actions',
  name: 'GitHub Actions schedule',
  kinds: ['cron'],
  modules: [],
  recognises: '`.github/workflows/*.yml` with `on: schedule` whose steps run a repo script (`tsx x.ts`, `npm run x`)',
  fixture: 'scripts',
  overrides: ['script-files', 'package-scripts'],
  project(p) {
    const files: FileMatcher[] = [];
    const scripts = packageScripts(p);
    for (const wf of p.glob(['.github/workflows/*.{yml,yaml}'])) {
      let doc: Workflow;
      try {
        doc = parse(p.read(wf) ?? '') as Workflow;
      } catch {
        continue;
      }
      const on = doc?.on as { schedule?: Array<{ cron?: unknown }> } | undefined;
      const crons = (on && typeof on === 'object' && Array.isArray(on.schedule) ? on.schedule : [])
        .map((s) => (typeof s?.cron === 'string' ? s.cron : null))
        .filter((s): s is string => !!s);
      if (crons.length === 0) continue;
      for (const job of Object.values(doc.jobs ?? {})) {
        for (const step of job?.steps ?? []) {
          if (typeof step?.run !== 'string') continue;
          for (const file of filesRunBy(step.run, p, scripts)) {
            files.push({
              globs: [file],
              read: () => ({ kind: 'cron', trigger: `GitHub Actions schedule '${crons[0]}' (${wf})`, cadence: cadence.cron(crons[0]!) }),
            });
          }
        }
      }
    }
    return { files };
  },
};
