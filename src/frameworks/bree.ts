import type { FileMatcher, FrameworkEntry, ProjectFiles } from './types.js';
import { cadence } from '../core/entries.js';
import { cronOrInterval } from './schedule-text.js';

const SOURCE = '**/*.{ts,mts,cts,js,mjs,cjs}';
const IMPORTS_BREE = /from\s+['"]bree['"]|require\(\s*['"]bree['"]\s*\)/;

interface BreeJob {
  name: string;
  schedule: { kind: 'cron' | 'interval'; cadence: ReturnType<typeof cadence.unknown> | ReturnType<typeof cadence.cron> } | null;
  label: string;
}

/**
 * The jobs of `new Bree({ jobs: [...] })` read from the text of the files that import bree: `'name'` strings and
 * `{ name, cron | interval, timezone }` objects with literal values (Bree's config is plain data in practice).
 */
function breeJobs(p: ProjectFiles): { jobs: Map<string, BreeJob>; roots: string[] } {
  const jobs = new Map<string, BreeJob>();
  const roots: string[] = [];
  for (const file of p.glob([SOURCE])) {
    const text = p.read(file) ?? '';
    if (!IMPORTS_BREE.test(text)) continue;
    const root = /\broot\s*:\s*[^\n]*?['"]([\w./-]+)['"]/.exec(text);
    const dir = file.includes('/') ? file.slice(0, file.lastIndexOf('/') + 1) : '';
    // `root: path.resolve('jobs')` (no `__dirname` / `import.meta`) is relative to the working directory.
    const cwdRelative = !!root && /\bresolve\(\s*['"]/.test(root[0]);
    if (root) roots.push(normalise((cwdRelative ? '' : dir) + root[1]!.replace(/^\.\//, '')));
    // Bree's default root is `path.resolve('jobs')`: `jobs/` in the working directory, which is the project root when
    // the app is started from it. `jobs/` beside the file is kept as a fallback for apps started from their source
    // folder (and for builds that copy jobs next to the compiled entry).
    else roots.push('jobs', `${dir}jobs`);
    const block = /\bjobs\s*:\s*\[([\s\S]*?)\]\s*[,}]/.exec(text)?.[1] ?? '';
    for (const obj of block.matchAll(/\{([^{}]*)\}/g)) {
      const body = obj[1]!;
      const name = /\bname\s*:\s*['"`]([^'"`]+)['"`]/.exec(body)?.[1];
      if (!name) continue;
      const cron = /\bcron\s*:\s*['"`]([^'"`]+)['"`]/.exec(body)?.[1];
      const interval = /\binterval\s*:\s*(?:['"`]([^'"`]+)['"`]|(\d+))/.exec(body);
      const tz = /\btimezone\s*:\s*['"`]([^'"`]+)['"`]/.exec(body)?.[1];
      if (cron) jobs.set(name, { name, schedule: { kind: 'cron', cadence: cadence.cron(cron, tz) }, label: `cron '${cron}'` });
      else if (interval) {
        const v = interval[1] ?? Number(interval[2]);
        jobs.set(name, { name, schedule: cronOrInterval(v, tz), label: `interval '${v}'` });
      } else jobs.set(name, { name, schedule: null, label: 'on start' });
    }
    for (const s of block.replace(/\{[^{}]*\}/g, '').matchAll(/['"`]([\w./-]+)['"`]/g)) {
      if (!jobs.has(s[1]!)) jobs.set(s[1]!, { name: s[1]!, schedule: null, label: 'on start' });
    }
  }
  return { jobs, roots };
}

function normalise(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '..') out.pop();
    else if (part && part !== '.') out.push(part);
  }
  return out.join('/');
}

/**
 * Bree: each job is a file under the jobs root (default `path.resolve('jobs')`, i.e. `<root>/jobs/`; else `jobs/` beside
 * the file that creates `new Bree`), run in a worker.
 */
export const bree: FrameworkEntry = {
  id: 'bree',
  name: 'Bree',
  kinds: ['cron', 'interval', 'script'],
  modules: ['bree'],
  recognises: "job files under Bree's root (`root`, default `<project>/jobs/`), with the `cron` / `interval` of their `new Bree({ jobs })` entry",
  fixture: 'bree',
  project(p) {
    if (!p.imports('bree')) return {};
    const { jobs, roots } = breeJobs(p);
    const files: FileMatcher[] = [];
    for (const root of new Set(roots)) {
      files.push({
        globs: [`${root}/**/*.{ts,mts,cts,js,mjs,cjs}`],
        read(file) {
          const name = file.slice(root.length + 1).replace(/(?:\/index)?\.[cm]?[jt]s$/, '');
          const job = jobs.get(name);
          if (!job?.schedule) return { kind: 'script', trigger: `Bree job '${name}'${job ? ` (${job.label})` : ''}`, cadence: cadence.unknown(), name };
          return { kind: job.schedule.kind, trigger: `Bree job '${name}' ${job.label}`, cadence: job.schedule.cadence, name };
        },
      });
    }
    return { files };
  },
};
