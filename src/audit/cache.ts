/**
 * Opt-in (`--cache`) whole-report cache, content-addressed.
 *
 * Key = sha256 of: cache format version, tierwise version, the resolved config (canonical JSON, keys sorted), the
 * price table's checked date, and the sorted list of (file path, sha256 of content) of every analysed file. Any change
 * to code, config, prices or tool version gives a new key, so entries never go stale; old ones are just unused.
 *
 * It lives in the audited project's `node_modules/.cache/tierwise` — the one place the audit may write, and only with
 * `--cache` — or in a directory the user gives (`--cache-dir`). Writes are atomic (temp file + rename), so a crashed or
 * concurrent run never leaves a half-written entry; an unreadable entry counts as a miss.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../core/types.js';

const CACHE_FORMAT = 1;

export function defaultCacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'tierwise');
}

export interface CacheKeyInput {
  toolVersion: string;
  /** The resolved configuration object (anything JSON-serialisable). */
  config: unknown;
  /** `checked` date of the price table in use. */
  pricesChecked: string;
  /** Every analysed file with the sha256 of its content (see `hashFiles`). */
  files: ReadonlyArray<{ path: string; hash: string }>;
}

/** JSON with object keys sorted at every level, so equal configs hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function cacheKey(input: CacheKeyInput): string {
  const files = [...input.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => [f.path, f.hash]);
  return sha256(
    canonicalJson({ format: CACHE_FORMAT, tool: 'tierwise', toolVersion: input.toolVersion, config: input.config ?? null, pricesChecked: input.pricesChecked, files }),
  );
}

/** sha256 of each file's bytes; `paths` relative to `root` (kept as given in the result). */
export async function hashFiles(root: string, paths: readonly string[]): Promise<Array<{ path: string; hash: string }>> {
  return Promise.all(paths.map(async (p) => ({ path: p, hash: sha256(await readFile(join(root, p))) })));
}

function entryPath(dir: string, key: string): string {
  if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`invalid cache key '${key}' (expected a sha256 hex digest)`);
  return join(dir, `${key}.json`);
}

/** The cached report for `key`, or null on a miss (absent, unreadable or not a tierwise report). */
export async function readCache(dir: string, key: string): Promise<Report | null> {
  let text: string;
  try {
    text = await readFile(entryPath(dir, key), 'utf8');
  } catch {
    return null;
  }
  try {
    const value = JSON.parse(text) as { key?: unknown; report?: unknown };
    const report = value.report as Report | undefined;
    if (value.key !== key || !report || report.tool !== 'tierwise' || !Array.isArray(report.findings)) return null;
    return report;
  } catch {
    return null;
  }
}

/** Stores `report` under `key` atomically; returns the entry's path. */
export async function writeCache(dir: string, key: string, report: Report): Promise<string> {
  const target = entryPath(dir, key);
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `.${key}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, JSON.stringify({ key, report }));
    await rename(tmp, target);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return target;
}
