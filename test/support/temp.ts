import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';

/**
 * A writer of throw-away projects for the calling test file: each call writes a file map (paths relative to the
 * project, folders created) to a fresh folder under the OS temp dir named `tierwise-<prefix>-…` and returns it. The
 * folders are removed after each test.
 */
export function tempProjects(prefix: string): (files: Record<string, string>) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  return (files) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tierwise-${prefix}-`));
    dirs.push(dir);
    for (const [f, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), text);
    }
    return dir;
  };
}
