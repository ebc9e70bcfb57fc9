/**
 * The mechanics every `tierwise fix …` codemod shares: git dirty-tree check, running a jscodeshift transform
 * in-process over chosen files, checking that each output parses, Prettier on changed files, atomic writes, new
 * helper files, unified diffs for --dry, --print, and the summary (changed / unchanged / skipped with reasons /
 * errors / monthly saving realised).
 *
 * API (stable; `tierwise fix batch` uses it too):
 *
 *   import { checkGitClean, runCodemod, formatSummary, type FixContext } from './runner.js';
 *
 *   const git = checkGitClean(root, { force, dry });         // throws DirtyTreeError; returns { warning? }
 *   const summary = await runCodemod({
 *     root,                                                   // the target directory (paths in the summary are relative to it)
 *     files,                                                  // absolute paths to transform (each parsed by jscodeshift with
 *                                                             // the `ts` parser, or `tsx` for .tsx / .jsx)
 *     transform,                                              // a jscodeshift transform: (file, api, options) => string | undefined
 *     transformOptions,                                       // the transform's 3rd argument (in-process: any values, even functions)
 *     skipped,                                                // skips known before running (e.g. files the audit could not parse)
 *   }, { dry, print, format });
 *   process.stdout.write(formatSummary(summary));            // and summary.diff under --dry, summary.printed under --print
 *
 * The transform receives `options.tierwise: FixContext` to report per-site results: `applied(file, { id, usdPerMonth })`
 * (counted in the saving when its file is written, or would be under --dry), `skip(file, reason, line?)`,
 * `warn(file, message)`, `createFile(file, text)` (a helper file to create when absent; an existing one is reused).
 * A transform returns the new source (jscodeshift's contract: `undefined` = skipped, same text = unchanged); it may
 * throw, which counts as an error for that file. Run directly under the jscodeshift CLI, `options.tierwise` is absent.
 *
 * How jscodeshift runs here: its `Runner.run(transformFile, paths, options)` with `runInBand: true`, so the worker is
 * this process and `options` reach the transform by reference. The transform *file* the Runner `require`s is a
 * two-line CommonJS bridge written to a temp dir, which calls the function passed in options (so the same code runs
 * from TypeScript sources under vitest and from dist). The Runner always runs with `dry: true, silent: true`: its
 * counters (ok / nochange / skip / error) come back as its return value, outputs are captured by the bridge, and
 * this module does the writing (parse check, Prettier, atomic rename) itself. Runs are serialised (jscodeshift's
 * in-band worker is a module-level singleton).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { createTwoFilesPatch } from 'diff';

const require = createRequire(import.meta.url);

/** What a transform may report through `options.tierwise`. */
export interface FixContext {
  /** A site the transform changed (its saving counts once its file is written). */
  applied(file: string, site: { id: string; usdPerMonth?: number | null }): void;
  /** A site (or file) the transform left alone, and why. */
  skip(file: string, reason: string, line?: number): void;
  /** Something the user must know or do by hand (printed with the summary). */
  warn(file: string, message: string): void;
  /** A file to create when absent (helpers such as flex-fallback.ts); an existing file is kept. */
  createFile(file: string, text: string): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Transform = (file: { path: string; source: string }, api: any, options: any) => string | undefined | null | Promise<string | undefined | null>;

export interface CodemodRun {
  /** The target directory; summary paths are relative to it. */
  root: string;
  /** Absolute paths of the files to transform. */
  files: string[];
  transform: Transform;
  /** The transform's third argument (plus `tierwise: FixContext`, added here). */
  transformOptions?: Record<string, unknown>;
  /** Skips known before running (reported in the summary as is). */
  skipped?: SkippedSite[];
  /** Warnings known before running. */
  warnings?: string[];
}

export interface FixModes {
  /** Change nothing; build `summary.diff`. */
  dry?: boolean;
  /** Fill `summary.printed` with the new text of each changed file. */
  print?: boolean;
  /** Run Prettier on changed files when the project (the root or a folder under it) has a Prettier config. Default true. */
  format?: boolean;
}

export interface SkippedSite {
  /** Relative to the root (posix). */
  file: string;
  line?: number;
  reason: string;
}

export interface FixSummary {
  /** Files written (or that would be, under --dry), relative posix paths. */
  changed: string[];
  /** Helper files created (or that would be). */
  created: string[];
  /** Files the transform ran on and left as they were. */
  unchanged: string[];
  skipped: SkippedSite[];
  errors: Array<{ file: string; message: string }>;
  warnings: string[];
  /** Sites applied in written files. */
  applied: Array<{ file: string; id: string; usdPerMonth: number | null }>;
  /** Sum of the applied sites' monthly savings (sites without an estimate count 0; see `unknownSavings`). */
  usdPerMonth: number;
  unknownSavings: number;
  /** Unified diff of every change (always computed; printed under --dry). */
  diff: string;
  /** New text of each changed or created file (under --print). */
  printed: Array<{ file: string; text: string }>;
  dry: boolean;
  /** jscodeshift Runner counters, summed over the parser groups. */
  runner: { ok: number; nochange: number; skip: number; error: number };
}

export class DirtyTreeError extends Error {
  override name = 'DirtyTreeError';
}

/**
 * Refuses to run on a git work tree with uncommitted changes under `root` (so the codemod's change can be reviewed
 * and reverted on its own), unless `force`. Not checked under `dry`. A directory outside git gets a warning.
 */
export function checkGitClean(root: string, opts: { force?: boolean; dry?: boolean }): { warning?: string } {
  if (opts.dry) return {};
  let out: string;
  try {
    out = execFileSync('git', ['status', '--porcelain', '--', '.'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    if (/not a git repository/i.test(stderr) || (e as { code?: string }).code === 'ENOENT') {
      return { warning: `${root} is not in a git work tree (or git is not installed): the changes cannot be reviewed or reverted with git.` };
    }
    throw e;
  }
  if (out.trim() && !opts.force) {
    const files = out.trim().split('\n').slice(0, 5).map((l) => `  ${l}`);
    throw new DirtyTreeError(
      `The git work tree has uncommitted changes under ${root}:\n${files.join('\n')}${out.trim().split('\n').length > 5 ? '\n  …' : ''}\n` +
        'Commit or stash them first so the codemod lands as one reviewable change, or pass --force.',
    );
  }
  return {};
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs a transform over files and writes the results (see the file header). Never throws for one file's failure. */
export function runCodemod(run: CodemodRun, modes: FixModes = {}): Promise<FixSummary> {
  const next = queue.then(() => runSerial(run, modes));
  queue = next.catch(() => undefined);
  return next;
}

async function runSerial(run: CodemodRun, modes: FixModes): Promise<FixSummary> {
  const root = path.resolve(run.root);
  const rel = (f: string) => path.relative(root, f).split(path.sep).join('/');
  const summary: FixSummary = {
    changed: [],
    created: [],
    unchanged: [],
    skipped: [...(run.skipped ?? [])],
    errors: [],
    warnings: [...(run.warnings ?? [])],
    applied: [],
    usdPerMonth: 0,
    unknownSavings: 0,
    diff: '',
    printed: [],
    dry: !!modes.dry,
    runner: { ok: 0, nochange: 0, skip: 0, error: 0 },
  };
  const outputs = new Map<string, string>();
  const sources = new Map<string, string>();
  const applied = new Map<string, Array<{ id: string; usdPerMonth: number | null }>>();
  const created = new Map<string, string>();
  const transformErrors = new Map<string, string>();
  const skippedFiles = new Set<string>();
  const ctx: FixContext = {
    applied: (file, site) => {
      const list = applied.get(path.resolve(file)) ?? [];
      list.push({ id: site.id, usdPerMonth: site.usdPerMonth ?? null });
      applied.set(path.resolve(file), list);
    },
    skip: (file, reason, line) => summary.skipped.push({ file: rel(path.resolve(file)), ...(line ? { line } : {}), reason }),
    warn: (file, message) => {
      const w = `${rel(path.resolve(file))}: ${message}`;
      if (!summary.warnings.includes(w)) summary.warnings.push(w);
    },
    createFile: (file, text) => {
      if (!created.has(path.resolve(file))) created.set(path.resolve(file), text);
    },
  };
  const bridgeTransform: Transform = async (file, api, options) => {
    const abs = path.resolve(file.path);
    sources.set(abs, file.source);
    try {
      const out = await run.transform(file, api, options);
      if (typeof out === 'string' && out !== file.source) outputs.set(abs, out);
      if (typeof out !== 'string') skippedFiles.add(abs);
      return out;
    } catch (e) {
      transformErrors.set(abs, e instanceof Error ? e.message : String(e));
      throw e;
    }
  };

  const files = [...new Set(run.files.map((f) => path.resolve(f)))].filter((f) => {
    if (fs.existsSync(f)) return true;
    summary.errors.push({ file: rel(f), message: 'file does not exist' });
    return false;
  });
  const groups = new Map<'ts' | 'tsx', string[]>();
  for (const f of files) {
    const parser = /\.[jt]sx$/.test(f) ? 'tsx' : 'ts';
    groups.set(parser, [...(groups.get(parser) ?? []), f]);
  }
  const { run: jscodeshiftRun } = require('jscodeshift/src/Runner.js') as {
    run: (t: string, p: string[], o: Record<string, unknown>) => Promise<{ ok: number; nochange: number; skip: number; error: number }>;
  };
  const bridgeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-fix-'));
  const bridge = path.join(bridgeDir, 'bridge.cjs');
  fs.writeFileSync(bridge, "module.exports = (file, api, options) => options.__tierwiseTransform(file, api, options);\n");
  try {
    for (const [parser, paths] of groups) {
      const counts = await jscodeshiftRun(bridge, paths, {
        ...run.transformOptions,
        tierwise: ctx,
        __tierwiseTransform: bridgeTransform,
        parser,
        babel: false,
        runInBand: true,
        dry: true,
        print: false,
        silent: true,
        verbose: -1,
      });
      for (const k of ['ok', 'nochange', 'skip', 'error'] as const) summary.runner[k] += counts?.[k] ?? 0;
      releaseInBandWorker(bridge);
    }
  } finally {
    fs.rmSync(bridgeDir, { recursive: true, force: true });
  }

  for (const [file, message] of transformErrors) summary.errors.push({ file: rel(file), message: `transform failed: ${message}` });

  const prettier = modes.format === false ? undefined : await loadPrettier(root);
  let prettierMissingWarned = false;
  /** The project has a Prettier config but no Prettier could be loaded: say so once, rather than write unformatted in silence. */
  const warnIfPrettierMissing = (file: string) => {
    if (modes.format === false || prettier || prettierMissingWarned) return;
    const config = findPrettierConfigFile(root, file);
    if (!config) return;
    prettierMissingWarned = true;
    summary.warnings.push(
      `${rel(config)}: the project has a Prettier config but Prettier could not be loaded (neither from ${root} nor from tierwise), ` +
        `so changed files ${modes.dry ? 'would be' : 'were'} written unformatted; install prettier in the project (npm install --save-dev prettier) or pass --no-format.`,
    );
  };
  for (const file of files) {
    if (transformErrors.has(file) || skippedFiles.has(file)) continue;
    const before = sources.get(file);
    let after = outputs.get(file);
    if (before === undefined) continue; // the Runner did not read it (should not happen)
    if (after === undefined) {
      summary.unchanged.push(rel(file));
      continue;
    }
    const parseError = syntaxError(file, after);
    if (parseError) {
      summary.errors.push({ file: rel(file), message: `the codemod's output does not parse (${parseError}); file left unchanged` });
      continue;
    }
    warnIfPrettierMissing(file);
    if (prettier) {
      try {
        after = await formatWithPrettier(prettier, root, file, after);
      } catch (e) {
        summary.warnings.push(`${rel(file)}: Prettier failed (${e instanceof Error ? e.message.split('\n')[0] : String(e)}); written unformatted`);
      }
    }
    if (after === before) {
      summary.unchanged.push(rel(file));
      continue;
    }
    if (!modes.dry) {
      try {
        writeFileAtomic(file, after);
      } catch (e) {
        summary.errors.push({ file: rel(file), message: `write failed: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
    }
    summary.changed.push(rel(file));
    summary.diff += createTwoFilesPatch(`a/${rel(file)}`, `b/${rel(file)}`, before, after, undefined, undefined, { context: 3 });
    if (modes.print) summary.printed.push({ file: rel(file), text: after });
    for (const site of applied.get(file) ?? []) summary.applied.push({ file: rel(file), ...site });
  }

  for (const [file, text] of created) {
    if (fs.existsSync(file)) continue;
    const usedBy = summary.changed.some((c) => path.dirname(path.resolve(root, c)) === path.dirname(file));
    if (!usedBy) continue; // its user was not written
    let out = text;
    if (prettier) out = await formatWithPrettier(prettier, root, file, out).catch(() => text);
    if (!modes.dry) {
      try {
        writeFileAtomic(file, out, true);
      } catch (e) {
        summary.errors.push({ file: rel(file), message: `write failed: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
    }
    summary.created.push(rel(file));
    summary.diff += createTwoFilesPatch('/dev/null', `b/${rel(file)}`, '', out, undefined, undefined, { context: 3 });
    if (modes.print) summary.printed.push({ file: rel(file), text: out });
  }

  for (const a of summary.applied) {
    if (a.usdPerMonth === null) summary.unknownSavings++;
    else summary.usdPerMonth += a.usdPerMonth;
  }
  summary.usdPerMonth = Math.round(summary.usdPerMonth * 100) / 100;
  summary.changed.sort();
  summary.unchanged.sort();
  summary.skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return summary;
}

/**
 * jscodeshift's in-band worker is one EventEmitter for the process; every run adds listeners to it. Remove them so
 * that runs do not accumulate listeners (and the MaxListeners warning).
 */
function releaseInBandWorker(bridge: string): void {
  const worker = require('jscodeshift/src/Worker.js') as (args: string[]) => NodeJS.EventEmitter;
  const emitter = worker([bridge, 'no-babel']);
  emitter.removeAllListeners('message');
  emitter.removeAllListeners('disconnect');
}

/** The first syntax error of a TypeScript/JavaScript text, or undefined when it parses. */
export function syntaxError(file: string, text: string): string | undefined {
  const out = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { jsx: ts.JsxEmit.Preserve } });
  const d = out.diagnostics?.find((x) => x.category === ts.DiagnosticCategory.Error);
  if (!d) return undefined;
  const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
  if (d.file && d.start !== undefined) {
    const p = d.file.getLineAndCharacterOfPosition(d.start);
    return `line ${p.line + 1}:${p.character + 1}: ${msg}`;
  }
  return msg;
}

/** Writes through a temp file in the same directory and a rename, keeping the file's mode. */
export function writeFileAtomic(file: string, text: string, create = false): void {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.tierwise-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const mode = create ? undefined : fs.statSync(file).mode;
  try {
    fs.writeFileSync(tmp, text, mode === undefined ? undefined : { mode });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

type Prettier = typeof import('prettier');

/**
 * Prettier as the fixed project would run it: resolved from the project's root first (its own version and plugins),
 * then tierwise's own copy (a devDependency, so usually absent for users). Undefined when neither loads.
 */
export async function loadPrettier(root: string): Promise<Prettier | undefined> {
  try {
    const resolved = createRequire(path.join(path.resolve(root), 'package.json')).resolve('prettier');
    const mod = (await import(pathToFileURL(resolved).href)) as Prettier & { default?: Prettier };
    // The CommonJS entry (what require.resolve finds) imports as a namespace whose `default` is module.exports.
    const prettier = typeof mod.format === 'function' ? mod : mod.default;
    if (prettier && typeof prettier.format === 'function') return prettier;
  } catch {
    // not installed in the project: fall back to tierwise's own
  }
  try {
    return await import('prettier');
  } catch {
    return undefined;
  }
}

const PRETTIER_CONFIG_FILES = [
  '.prettierrc',
  '.prettierrc.json',
  '.prettierrc.yaml',
  '.prettierrc.yml',
  '.prettierrc.json5',
  '.prettierrc.toml',
  ...['js', 'cjs', 'mjs', 'ts', 'cts', 'mts'].flatMap((ext) => [`.prettierrc.${ext}`, `prettier.config.${ext}`]),
];

/**
 * The Prettier config that applies to a file, looked up without Prettier (so that a missing Prettier can be reported):
 * a config file or a package.json "prettier" key in the file's folder or a folder above it, up to the root.
 */
export function findPrettierConfigFile(root: string, file: string): string | undefined {
  const top = path.resolve(root);
  for (let dir = path.dirname(path.resolve(file)); ; dir = path.dirname(dir)) {
    if (path.relative(top, dir).startsWith('..')) return undefined;
    for (const name of PRETTIER_CONFIG_FILES) if (fs.existsSync(path.join(dir, name))) return path.join(dir, name);
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { prettier?: unknown }).prettier !== undefined) return pkg;
      } catch {
        // an unreadable package.json carries no config
      }
    }
    if (dir === top || path.dirname(dir) === dir) return undefined;
  }
}

/** Formats with the project's Prettier config; leaves the text as is when no config is found inside the root. */
async function formatWithPrettier(prettier: Prettier, root: string, file: string, text: string): Promise<string> {
  const configFile = await prettier.resolveConfigFile(file);
  if (!configFile || path.relative(root, configFile).startsWith('..')) {
    // A config above the target (e.g. the monorepo root) counts only when it is in the same package.json-less tree…
    // keep it simple and strict: the project's own config, inside the target directory.
    return text;
  }
  const info = await prettier.getFileInfo(file, { ignorePath: path.join(root, '.prettierignore') });
  if (info.ignored) return text;
  const config = (await prettier.resolveConfig(file, { config: configFile })) ?? {};
  return prettier.format(text, { ...config, filepath: file });
}

/** Does the target (or a folder between it and a file) have a Prettier config? */
export async function hasPrettierConfig(root: string, file: string): Promise<boolean> {
  const prettier = await loadPrettier(root);
  if (!prettier) return false;
  const configFile = await prettier.resolveConfigFile(file);
  return !!configFile && !path.relative(root, configFile).startsWith('..');
}

/**
 * The warning for mixed call sites (reached from background and interactive entrypoints), which no `tierwise fix`
 * changes: undefined when there are none; their file:line when few.
 */
export function mixedSitesWarning(sites: ReadonlyArray<{ file: string; line: number }>): string | undefined {
  const where = [...new Set(sites.map((s) => `${s.file}:${s.line}`))];
  if (!where.length) return undefined;
  const list = where.length <= 5 ? ` (${where.join(', ')})` : ` (${where.slice(0, 5).join(', ')}, …)`;
  return (
    `${where.length} mixed call site(s) left alone${list}: reached from both background and interactive entrypoints; ` +
    'change them per request by hand (see the audit).'
  );
}

/** The human summary that ends every `tierwise fix` run. */
export function formatSummary(s: FixSummary): string {
  const lines: string[] = [];
  const verb = s.dry ? 'would change' : 'changed';
  lines.push(`${s.dry ? 'Dry run: ' : ''}${s.changed.length} file(s) ${verb}, ${s.unchanged.length} unchanged, ${s.skipped.length} skipped, ${s.errors.length} error(s).`);
  for (const f of s.changed) lines.push(`  ${s.dry ? 'would change' : 'changed'}  ${f}`);
  for (const f of s.created) lines.push(`  ${s.dry ? 'would create' : 'created'}  ${f}`);
  if (s.skipped.length) {
    lines.push('Skipped:');
    for (const k of s.skipped) lines.push(`  ${k.file}${k.line ? `:${k.line}` : ''}  ${k.reason}`);
  }
  if (s.errors.length) {
    lines.push('Errors:');
    for (const e of s.errors) lines.push(`  ${e.file}  ${e.message}`);
  }
  if (s.warnings.length) {
    lines.push('Warnings:');
    for (const w of s.warnings) lines.push(`  ${w}`);
  }
  const sites = s.applied.length;
  const money = `$${s.usdPerMonth.toFixed(2)}/month`;
  lines.push(
    `${sites} call site(s) ${s.dry ? 'would be' : ''}${s.dry ? ' ' : ''}fixed; estimated saving ${s.dry ? 'it would realise' : 'realised'}: ${money}` +
      (s.unknownSavings ? ` (+ ${s.unknownSavings} site(s) without an estimate)` : '') +
      '.',
  );
  return lines.join('\n') + '\n';
}
