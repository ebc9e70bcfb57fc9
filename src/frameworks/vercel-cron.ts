import type { ExportMatcher, FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';
import { ROUTE_METHODS } from './nextjs.js';

interface VercelJson {
  crons?: Array<{ path?: unknown; schedule?: unknown }>;
}

/** Route files a cron path can land on, in Next.js (app and pages) and plain Vercel functions. */
function routeFiles(route: string): string[] {
  const p = route.split('?')[0]!.replace(/^\/+|\/+$/g, '');
  const exts = '{ts,js,mts,mjs,tsx,jsx}';
  return [
    `app/${p}/route.${exts}`,
    `src/app/${p}/route.${exts}`,
    `pages/${p}.${exts}`,
    `pages/${p}/index.${exts}`,
    `src/pages/${p}.${exts}`,
    `src/pages/${p}/index.${exts}`,
    `${p}.${exts}`,
    `${p}/index.${exts}`,
  ];
}

/** Vercel cron: `vercel.json` `crons[].path` → the route file's handler runs on `crons[].schedule`. */
export const vercelCron: FrameworkEntry = {
  id: 'vercel-cron',
  name: 'Vercel cron',
  kinds: ['cron'],
  modules: [],
  recognises: '`vercel.json` `crons[].path` → the route file (app router, pages/api, or `api/`) and its schedule',
  fixture: 'nextjs',
  overrides: ['nextjs'],
  project(p) {
    const raw = p.read('vercel.json');
    if (!raw) return {};
    let json: VercelJson;
    try {
      json = JSON.parse(raw) as VercelJson;
    } catch {
      return {};
    }
    const exports: ExportMatcher[] = [];
    for (const c of json.crons ?? []) {
      if (typeof c.path !== 'string' || typeof c.schedule !== 'string') continue;
      const schedule = c.schedule;
      const route = c.path;
      exports.push({
        globs: routeFiles(route),
        exports: [...ROUTE_METHODS, 'default'],
        read: () => ({ kind: 'cron', trigger: `Vercel cron '${schedule}' ${route}`, cadence: cadence.cron(schedule) }),
      });
    }
    return { exports };
  },
};
