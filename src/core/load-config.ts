import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseConfig, type TierwiseConfig } from './config.js';

/**
 * Finds the config: an explicit path, else `<root>/tierwise.config.json`, else the `tierwise` key of
 * `<root>/package.json`. Returns undefined when there is none. A file that exists but is invalid is an error.
 */
export function loadConfig(root: string, explicit?: string): { config: TierwiseConfig | undefined; file: string | null } {
  const candidates = explicit ? [path.resolve(explicit)] : [path.join(root, 'tierwise.config.json')];
  for (const file of candidates) {
    if (!fs.existsSync(file)) {
      if (explicit) throw new ConfigError(`--config ${explicit} does not exist.`);
      continue;
    }
    return { config: parseConfig(readJson(file), path.relative(process.cwd(), file) || file), file };
  }
  const pkgFile = path.join(root, 'package.json');
  if (fs.existsSync(pkgFile)) {
    const pkg = readJson(pkgFile) as { tierwise?: unknown };
    if (pkg && typeof pkg === 'object' && pkg.tierwise !== undefined) {
      return { config: parseConfig(pkg.tierwise, `the "tierwise" key of ${path.relative(process.cwd(), pkgFile) || pkgFile}`), file: pkgFile };
    }
  }
  return { config: undefined, file: null };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  } catch (e) {
    throw new ConfigError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
