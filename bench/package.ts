/**
 * The package as a user gets it: `npm pack` (which builds through `prepack`), then `npm install <tarball>` into an
 * empty project, the way `npm i tierwise` would (dependencies only; the optional ESLint and jscodeshift peers are not
 * installed). Used by `npm run bench` for the install footprint (packages, size, seconds: a ratio-free fact of this
 * machine, printed, never asserted) and by test/package/package.test.ts, which imports what it installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The repository root, from bench/ (sources) or dist/bench/ (compiled). */
export const REPO = fs.existsSync(path.join(HERE, '../package.json')) ? path.resolve(HERE, '..') : path.resolve(HERE, '../..');

export interface Packed {
  /** Absolute path of the tarball. */
  tarball: string;
  /** Paths inside the tarball, relative to its `package/` folder. */
  files: string[];
  /** Size of the tarball, bytes. */
  bytes: number;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' }, maxBuffer: 64 * 1024 * 1024 });
}

/** `npm pack` into `dest` (runs `prepack`, i.e. the build, unless `ignoreScripts`). */
export function pack(dest: string, opts: { ignoreScripts?: boolean } = {}): Packed {
  fs.mkdirSync(dest, { recursive: true });
  const out = npm(['pack', '--json', '--pack-destination', dest, ...(opts.ignoreScripts ? ['--ignore-scripts'] : [])], REPO);
  // npm prints the build's output before the JSON when prepack runs.
  const json = JSON.parse(out.slice(out.indexOf('[\n'))) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
  const info = json[0]!;
  return { tarball: path.join(dest, info.filename), files: info.files.map((f) => f.path).sort(), bytes: info.size };
}

export interface Installed {
  /** The empty project tierwise was installed into. */
  dir: string;
  seconds: number;
  /** Installed packages (node_modules/**\/package.json of real packages), tierwise included. */
  packages: string[];
  /** Bytes on disk under node_modules (apparent size). */
  bytes: number;
}

/** Installs a tarball into a fresh empty project (the npm cache is used when it has a package). */
export function installInto(tarball: string, dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-install-'))): Installed {
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'tierwise-install-check', version: '1.0.0', private: true, type: 'module' }));
  const start = process.hrtime.bigint();
  npm(['install', '--prefer-offline', '--no-package-lock', '--omit=dev', tarball], dir);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const packages: string[] = [];
  let bytes = 0;
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isSymbolicLink()) continue;
      if (e.isDirectory()) walk(p);
      else {
        bytes += fs.statSync(p).size;
        if (e.name === 'package.json' && isPackageRoot(p)) packages.push(path.relative(path.join(dir, 'node_modules'), path.dirname(p)));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return { dir, seconds, packages: packages.sort(), bytes };
}

/** A package.json that sits directly in node_modules/<name> or node_modules/@scope/<name> (not a nested folder's). */
function isPackageRoot(file: string): boolean {
  const parts = path.dirname(file).split(path.sep);
  const i = parts.lastIndexOf('node_modules');
  const rest = parts.slice(i + 1);
  return i >= 0 && (rest.length === 1 || (rest.length === 2 && rest[0]!.startsWith('@')));
}
