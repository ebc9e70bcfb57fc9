import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { posix } from 'node:path';
import { SERVER_SCRIPTS, filesRunBy, packageJsonFiles, packageScripts } from './script-commands.js';

/** Eval suites by convention: `evals/**`, `*.eval.ts`. */
export const evalConventions: FrameworkEntry = {
  id: 'eval-files',
  name: 'Eval files',
  kinds: ['eval'],
  modules: [],
  recognises: '`evals/**`, `*.eval.ts` / `*.evals.ts` files (their top level and exports)',
  fixture: 'evals',
  files: [
    {
      globs: ['**/evals/**/*.{ts,tsx,mts,cts,js,mjs,cjs}', '**/*.eval.{ts,tsx,mts,js,mjs}', '**/*.evals.{ts,mts,js}'],
      exportsAreEntries: true,
      read: (file) => ({ kind: 'eval', trigger: `eval file ${file}`, cadence: cadence.unknown() }),
    },
  ],
};

/** Scripts by convention: `scripts/**`, backfill/seed/reindex/migrate files. */
export const scriptConventions: FrameworkEntry = {
  id: 'script-files',
  name: 'Script files',
  kinds: ['script'],
  modules: [],
  recognises: '`scripts/**` and `*backfill*` / `*seed*` / `*reindex*` / `*migrate*` files (their top level)',
  fixture: 'scripts',
  files: [
    {
      globs: ['**/scripts/**/*.{ts,mts,cts,js,mjs,cjs}', '**/*{backfill,seed,reindex,migrate}*.{ts,mts,cts,js,mjs,cjs}'],
      read: (file) => ({ kind: 'script', trigger: `script ${file}`, cadence: cadence.unknown() }),
    },
  ],
};

/** Files that package.json scripts run with tsx / ts-node / node. */
export const packageScriptsEntry: FrameworkEntry = {
  id: 'package-scripts',
  name: 'package.json scripts',
  kinds: ['script'],
  modules: [],
  recognises: 'files run by `package.json` scripts (`tsx`, `ts-node`, `node`, `bun`), except start/dev/serve',
  fixture: 'scripts',
  overrides: ['script-files'],
  project(p) {
    const files = [];
    // The root's package.json and every workspace's: a workspace script's paths are relative to its own folder.
    for (const pkg of packageJsonFiles(p)) {
      const base = posix.dirname(pkg) === '.' ? '' : posix.dirname(pkg);
      const scripts = packageScripts(p, pkg);
      for (const [name, command] of Object.entries(scripts)) {
        if (SERVER_SCRIPTS.test(name)) continue;
        const where = base ? ` (${base})` : '';
        for (const file of filesRunBy(command, p, scripts, 0, base)) {
          files.push({ globs: [file], read: () => ({ kind: 'script' as const, trigger: `npm run ${name}${where}`, cadence: cadence.unknown() }) });
        }
      }
    }
    return { files };
  },
};
