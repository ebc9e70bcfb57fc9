import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheKey, canonicalJson, defaultCacheDir, hashFiles, readCache, writeCache } from '../../src/audit/cache.js';
import { sampleReport } from './sample-report.js';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tierwise-cache-'));
  mkdirSync(join(root, 'src/jobs'), { recursive: true });
  writeFileSync(join(root, 'src/jobs/digest.ts'), 'export async function summarize() {}\n');
  writeFileSync(join(root, 'src/index.ts'), 'export {};\n');
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

async function keyFor(overrides: Partial<Parameters<typeof cacheKey>[0]> = {}): Promise<string> {
  return cacheKey({
    toolVersion: '0.1.0',
    config: { ignore: ['dist/**'], defaults: { callsPerRun: 10 } },
    pricesChecked: '2026-11-23',
    files: await hashFiles(root, ['src/jobs/digest.ts', 'src/index.ts']),
    ...overrides,
  });
}

describe('cache', () => {
  it('misses, then hits after a write, under node_modules/.cache/tierwise', async () => {
    const dir = defaultCacheDir(root);
    expect(dir).toBe(join(root, 'node_modules', '.cache', 'tierwise'));
    const key = await keyFor();
    expect(await readCache(dir, key)).toBeNull();
    const report = sampleReport();
    await writeCache(dir, key, report);
    expect(await readCache(dir, key)).toEqual(report);
    // Atomic write leaves no temp files behind.
    expect(readdirSync(dir)).toEqual([`${key}.json`]);
  });

  it('the key ignores file order and config key order', async () => {
    const a = await keyFor();
    const b = await keyFor({ files: (await hashFiles(root, ['src/index.ts', 'src/jobs/digest.ts'])).reverse() });
    const c = await keyFor({ config: { defaults: { callsPerRun: 10 }, ignore: ['dist/**'] } });
    expect(b).toBe(a);
    expect(c).toBe(a);
    expect(canonicalJson({ b: 1, a: { d: 2, c: [3, { f: 1, e: 2 }] } })).toBe('{"a":{"c":[3,{"e":2,"f":1}],"d":2},"b":1}');
  });

  it('invalidates on file content, file set, config, prices date and tool version', async () => {
    const base = await keyFor();
    writeFileSync(join(root, 'src/jobs/digest.ts'), 'export async function summarize() { /* changed */ }\n');
    const edited = await keyFor();
    expect(edited).not.toBe(base);
    writeFileSync(join(root, 'src/jobs/digest.ts'), 'export async function summarize() {}\n');
    expect(await keyFor()).toBe(base);
    expect(await keyFor({ files: await hashFiles(root, ['src/index.ts']) })).not.toBe(base);
    expect(await keyFor({ config: { ignore: ['build/**'], defaults: { callsPerRun: 10 } } })).not.toBe(base);
    expect(await keyFor({ pricesChecked: '2026-12-01' })).not.toBe(base);
    expect(await keyFor({ toolVersion: '0.2.0' })).not.toBe(base);

    const dir = defaultCacheDir(root);
    await writeCache(dir, base, sampleReport());
    expect(await readCache(dir, edited)).toBeNull();
  });

  it('treats a corrupt or foreign entry as a miss and rejects malformed keys', async () => {
    const dir = join(root, 'custom-cache');
    const key = await keyFor();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${key}.json`), '{"key": "');
    expect(await readCache(dir, key)).toBeNull();
    writeFileSync(join(dir, `${key}.json`), JSON.stringify({ key, report: { tool: 'other' } }));
    expect(await readCache(dir, key)).toBeNull();
    await expect(writeCache(dir, '../escape', sampleReport())).rejects.toThrow(/invalid cache key/);
  });
});
