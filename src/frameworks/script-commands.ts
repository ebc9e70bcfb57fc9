import { posix } from 'node:path';
import type { ProjectFiles } from './types.js';

const RUNNER = /(?:^|[\s;&|(])(?:npx\s+|pnpm\s+exec\s+|yarn\s+)?(?:tsx|ts-node(?:-esm)?|node|bun|vite-node|esno|esrun|jiti|deno\s+run)((?:\s+-{1,2}[\w-]+(?:[= ](?!\S+\.(?:ts|mts|cts|js|mjs|cjs)\b)\S+)?)*)\s+(?:--\s+)?([\w@./-]+\.(?:ts|mts|cts|tsx|js|mjs|cjs))\b/g;
const NPM_RUN = /(?:^|[\s;&|(])(?:npm\s+run(?:-script)?|pnpm(?:\s+run)?|yarn(?:\s+run)?|bun\s+run)\s+([\w:.-]+)/g;

/** Scripts that start servers are not background entrypoints. */
export const SERVER_SCRIPTS = /^(?:start|dev|serve|preview|watch)(?::|$)/;

/** Source files a shell command runs (`tsx scripts/backfill.ts`, `node dist/jobs/x.js` → `src/jobs/x.ts`). */
export function filesRunBy(command: string, p: ProjectFiles, scripts: Record<string, string> = {}, depth = 0, base = ''): string[] {
  const out = new Set<string>();
  for (const m of command.matchAll(RUNNER)) {
    const file = resolveSource(m[2]!, p, base);
    if (file) out.add(file);
  }
  if (depth < 3) {
    for (const m of command.matchAll(NPM_RUN)) {
      const script = scripts[m[1]!];
      if (script) for (const f of filesRunBy(script, p, scripts, depth + 1, base)) out.add(f);
    }
  }
  return [...out];
}

/** `base`: the folder (relative to the root) of the package.json whose script runs the command. */
function resolveSource(spec: string, p: ProjectFiles, base: string): string | undefined {
  const clean = spec.replace(/^\.\//, '');
  const candidates = [clean];
  const noExt = clean.replace(/\.(?:m|c)?[jt]sx?$/, '');
  for (const ext of ['.ts', '.mts', '.cts', '.tsx', '.js', '.mjs']) candidates.push(noExt + ext);
  const fromOut = noExt.replace(/^(?:dist|build|lib|out)\//, 'src/');
  if (fromOut !== noExt) for (const ext of ['.ts', '.mts', '.tsx', '.js']) candidates.push(fromOut + ext);
  const fromOutRoot = noExt.replace(/^(?:dist|build|lib|out)\//, '');
  if (fromOutRoot !== noExt) for (const ext of ['.ts', '.mts', '.js']) candidates.push(fromOutRoot + ext);
  return candidates.map((c) => (base ? posix.join(base, c) : c)).find((c) => p.read(c) !== undefined);
}

/** Every package.json of the project (the root's and each workspace's), as root-relative posix paths. */
export function packageJsonFiles(p: ProjectFiles): string[] {
  return [...new Set(['package.json', ...p.glob(['**/package.json'])])].filter((f) => p.read(f) !== undefined).sort();
}

export function packageScripts(p: ProjectFiles, file = 'package.json'): Record<string, string> {
  const raw = p.read(file);
  if (!raw) return {};
  try {
    const pkg = JSON.parse(raw) as { scripts?: Record<string, unknown> };
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(pkg.scripts ?? {})) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return {};
  }
}
