/**
 * Monorepo workspaces: npm / yarn `package.json#workspaces` (an array, or `{ packages }`) and `pnpm-workspace.yaml`
 * (`packages:`), globs expanded with tinyglobby (`!` patterns exclude). A workspace is a matched directory that holds
 * a package.json. `--workspace <dir|name>` narrows the list. Reads files; never writes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { glob } from 'tinyglobby';
import { parse as parseYaml } from 'yaml';

export interface Workspace {
  /** `name` from the workspace's package.json, or its directory when it has none. */
  name: string;
  /** Directory relative to the root, posix style (`packages/api`). */
  dir: string;
  /** `tsconfig.json` of the workspace relative to the root, or null when it has none. */
  tsconfig: string | null;
}

export class WorkspaceError extends Error {
  override name = 'WorkspaceError';
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new WorkspaceError(`${path}: not valid JSON (${(e as Error).message})`);
  }
}

function stringArray(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new WorkspaceError(`${where} must be an array of glob strings`);
  }
  return value as string[];
}

/**
 * The workspace globs the root declares, and which files declared them (none: not a monorepo root). Synchronous, so
 * the ESLint rules (rules/engine.ts) can ask it too. Throws a WorkspaceError on a malformed declaration.
 */
export function workspacePatterns(root: string): { patterns: string[]; sources: string[] } {
  const patterns: string[] = [];
  const sources: string[] = [];
  const pkgPath = join(root, 'package.json');
  if (existsSync(pkgPath)) {
    const pkg = readJson(pkgPath) as { workspaces?: unknown } | null;
    const ws = pkg && typeof pkg === 'object' ? pkg.workspaces : undefined;
    if (ws !== undefined) {
      if (Array.isArray(ws)) patterns.push(...stringArray(ws, `${pkgPath}: "workspaces"`));
      else if (ws && typeof ws === 'object' && 'packages' in ws) patterns.push(...stringArray((ws as { packages: unknown }).packages, `${pkgPath}: "workspaces.packages"`));
      else throw new WorkspaceError(`${pkgPath}: "workspaces" must be an array of globs or { "packages": [...] }`);
      sources.push('package.json');
    }
  }
  const pnpmPath = join(root, 'pnpm-workspace.yaml');
  if (existsSync(pnpmPath)) {
    let doc: unknown;
    try {
      doc = parseYaml(readFileSync(pnpmPath, 'utf8'));
    } catch (e) {
      throw new WorkspaceError(`${pnpmPath}: not valid YAML (${(e as Error).message})`);
    }
    const pkgs = doc && typeof doc === 'object' ? (doc as { packages?: unknown }).packages : undefined;
    if (pkgs !== undefined && pkgs !== null) patterns.push(...stringArray(pkgs, `${pnpmPath}: "packages"`));
    sources.push('pnpm-workspace.yaml');
  }
  return { patterns: [...new Set(patterns)], sources };
}

function toPosix(p: string): string {
  return p.split(sep).join(posix.sep);
}

/** All workspaces under `root`, sorted by directory; empty when the root declares none. */
export async function detectWorkspaces(root: string, options: { workspace?: string | readonly string[] } = {}): Promise<Workspace[]> {
  const rootAbs = resolve(root);
  const { patterns } = workspacePatterns(rootAbs);
  const include = patterns.filter((p) => !p.startsWith('!')).map((p) => p.replace(/^\.\//, '').replace(/\/+$/, ''));
  const exclude = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1).replace(/^\.\//, '').replace(/\/+$/, ''));
  let all: Workspace[] = [];
  if (include.length > 0) {
    const dirs = await glob(include, {
      cwd: rootAbs,
      onlyDirectories: true,
      expandDirectories: false,
      ignore: ['**/node_modules/**', ...exclude],
    });
    const unique = [...new Set(dirs.map((d) => d.replace(/\/+$/, '')))].filter((d) => d !== '' && d !== '.').sort();
    for (const dir of unique) {
      const abs = join(rootAbs, dir);
      const pkgPath = join(abs, 'package.json');
      if (!existsSync(pkgPath)) continue;
      const pkg = readJson(pkgPath) as { name?: unknown } | null;
      const name = pkg && typeof pkg === 'object' && typeof pkg.name === 'string' && pkg.name ? pkg.name : dir;
      const tsconfig = existsSync(join(abs, 'tsconfig.json')) ? posix.join(toPosix(dir), 'tsconfig.json') : null;
      all.push({ name, dir: toPosix(dir), tsconfig });
    }
  }
  const wanted = options.workspace === undefined ? [] : typeof options.workspace === 'string' ? [options.workspace] : [...options.workspace];
  if (wanted.length > 0) all = selectWorkspaces(all, wanted, rootAbs);
  return all;
}

/** Narrows to the workspaces named by directory (relative to the root or absolute) or by package name. */
export function selectWorkspaces(all: readonly Workspace[], selectors: readonly string[], root: string): Workspace[] {
  const rootAbs = resolve(root);
  const picked = new Map<string, Workspace>();
  for (const sel of selectors) {
    const asDir = toPosix(relative(rootAbs, isAbsolute(sel) ? sel : resolve(rootAbs, sel)));
    const match = all.filter((w) => w.name === sel || w.dir === asDir);
    if (match.length === 0) {
      const list = all.length ? all.map((w) => `${w.dir} (${w.name})`).join(', ') : 'none: the root declares no workspaces';
      throw new WorkspaceError(`--workspace ${sel}: no such workspace. Workspaces: ${list}`);
    }
    for (const w of match) picked.set(w.dir, w);
  }
  return [...picked.values()].sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
}
