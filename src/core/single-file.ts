import fs from 'node:fs';
import path from 'node:path';
import type { TierwiseConfig } from './config.js';
import type { TS, TsModule } from './ts.js';
import type { ProjectFiles } from '../frameworks/types.js';
import type { PriceTable } from '../pricing/prices.js';
import { analyzeProgram, type Analysis } from './analyze.js';
import { CALL_TEXT } from './calls.js';
import { createProjectFiles } from './project.js';

/**
 * Single-file analysis, for the ESLint `recommended` config (no type information).
 *
 * The file's own source file is wrapped in a tiny program whose compiler host serves that file only (no lib, no
 * packages resolved): the checker still resolves in-file symbols (local functions, consts, classes) and the project
 * modules the file imports directly (so a shared `export const openai = new OpenAI()` is recognised); everything
 * else falls back to the core's import-based recognition. Entrypoints are those visible from the file: handlers
 * registered in the same file, file conventions and config globs, and project files such as vercel.json.
 */
export interface SingleFileInput {
  ts: TsModule;
  /** Absolute file name. */
  fileName: string;
  /** The file's text (what the editor holds, not necessarily what is on disk). */
  text: string;
  /**
   * A source file of `text` built by the same `ts` module with parent pointers set (typescript-estree's AST when
   * linting without a project). Created with `ts.createSourceFile` when absent or when its text differs.
   */
  sourceFile?: TS.SourceFile;
  /** Absolute path of the project root (report paths and file conventions are relative to it). */
  root: string;
  projectFiles: ProjectFiles;
  config?: TierwiseConfig;
  prices?: PriceTable;
}

/** Whether a text can contain an OpenAI SDK call at all (the cheap pre-filter every face uses). */
export function mayContainCalls(text: string): boolean {
  return CALL_TEXT.test(text);
}

/** The analysis, and the one-file program it ran on (for the faces that plan edits with its checker). */
export interface SingleFileAnalysis extends Analysis {
  program: TS.Program;
}

export function analyzeSingleFile(input: SingleFileInput): SingleFileAnalysis {
  const { ts, fileName, text, root } = input;
  const sf =
    input.sourceFile && input.sourceFile.text === text && input.sourceFile.fileName === fileName
      ? input.sourceFile
      : ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, scriptKind(ts, fileName));
  const options: TS.CompilerOptions = {
    noLib: true,
    noEmit: true,
    allowJs: true,
    checkJs: false,
    types: [],
    experimentalDecorators: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    jsx: ts.JsxEmit.Preserve,
  };
  // The file itself, plus the project modules it imports directly (parsed, not type-checked against libs): enough
  // to see that `import { openai } from './lib/openai'` is a `new OpenAI()`, without loading the project.
  const imported = new Map<string, TS.SourceFile>();
  const host: TS.CompilerHost = {
    getSourceFile: (name) => (samePath(name, fileName) ? sf : imported.get(path.resolve(name))),
    getDefaultLibFileName: () => 'lib.d.ts',
    writeFile: () => undefined,
    getCurrentDirectory: () => root,
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => '\n',
    fileExists: (name) => samePath(name, fileName) || imported.has(path.resolve(name)),
    readFile: (name) => (samePath(name, fileName) ? text : imported.get(path.resolve(name))?.text),
    directoryExists: () => false,
    getDirectories: () => [],
    resolveModuleNameLiterals(literals, containingFile) {
      return literals.map((lit) => {
        if (!samePath(containingFile, fileName) || !lit.text.startsWith('.')) return { resolvedModule: undefined };
        const target = localModule(ts, lit.text, fileName, root);
        if (!target) return { resolvedModule: undefined };
        imported.set(target.fileName, target);
        return { resolvedModule: { resolvedFileName: target.fileName, extension: extensionOf(ts, target.fileName), isExternalLibraryImport: false } };
      });
    },
  };
  const program = ts.createProgram({ rootNames: [fileName], options, host });
  const analysis = analyzeProgram({
    ts: withCachedSys(ts),
    program,
    root,
    projectFiles: input.projectFiles,
    config: input.config,
    prices: input.prices,
    only: new Set([sf.fileName]),
  });
  return { ...analysis, program };
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const parsedModules = new Map<string, { mtimeMs: number; sf: TS.SourceFile }>();

/** A relative import of the linted file, resolved to a project source file (`.js` → `.ts`, `/index`), parsed once per mtime. */
function localModule(ts: TsModule, specifier: string, from: string, root: string): TS.SourceFile | undefined {
  const base = path.resolve(path.dirname(from), specifier);
  const stem = base.replace(/\.(?:[mc]?js|jsx)$/, '');
  const candidates = [
    ...SOURCE_EXTENSIONS.map((e) => stem + e),
    ...SOURCE_EXTENSIONS.map((e) => path.join(base, 'index' + e)),
  ];
  const rootPrefix = path.resolve(root) + path.sep;
  for (const file of candidates) {
    if (!file.startsWith(rootPrefix) || /[\\/]node_modules[\\/]/.test(file)) continue;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    const hit = parsedModules.get(file);
    if (hit && hit.mtimeMs === st.mtimeMs) return hit.sf;
    const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true, scriptKind(ts, file));
    parsedModules.set(file, { mtimeMs: st.mtimeMs, sf });
    return sf;
  }
  return undefined;
}

function extensionOf(ts: TsModule, file: string): TS.Extension {
  const ext = path.extname(file);
  const map: Record<string, TS.Extension> = {
    '.ts': ts.Extension.Ts,
    '.tsx': ts.Extension.Tsx,
    '.mts': ts.Extension.Mts,
    '.cts': ts.Extension.Cts,
    '.js': ts.Extension.Js,
    '.jsx': ts.Extension.Jsx,
    '.mjs': ts.Extension.Mjs,
    '.cjs': ts.Extension.Cjs,
  };
  return map[ext] ?? ts.Extension.Ts;
}

function samePath(a: string, b: string): boolean {
  return a === b || path.resolve(a) === path.resolve(b);
}

function scriptKind(ts: TsModule, fileName: string): TS.ScriptKind {
  const ext = path.extname(fileName).toLowerCase();
  switch (ext) {
    case '.tsx':
      return ts.ScriptKind.TSX;
    case '.jsx':
      return ts.ScriptKind.JSX;
    case '.js':
    case '.mjs':
    case '.cjs':
      return ts.ScriptKind.JS;
    default:
      return ts.ScriptKind.TS;
  }
}

const cachedSysModules = new WeakMap<TsModule, TsModule>();

/**
 * The same TypeScript module, with a `sys` whose file-system probes are memoised and a memoised `resolveModuleName`:
 * the core resolves `openai` from the root once per analysis (only to word a note), which would otherwise read and
 * parse node_modules package.json files again for every linted file.
 * Cleared with the other single-file caches.
 */
function withCachedSys(ts: TsModule): TsModule {
  let hit = cachedSysModules.get(ts);
  if (hit) return hit;
  const memo = <T>(f: (p: string) => T) => {
    const cache = new Map<string, T>();
    sysCaches.push(cache);
    return (p: string) => {
      if (cache.has(p)) return cache.get(p)!;
      const v = f(p);
      cache.set(p, v);
      return v;
    };
  };
  const sys: TS.System = Object.create(ts.sys, {
    fileExists: { value: memo((p) => ts.sys.fileExists(p)) },
    directoryExists: { value: memo((p) => ts.sys.directoryExists(p)) },
    readFile: { value: memo((p) => ts.sys.readFile(p)) },
    realpath: { value: ts.sys.realpath ? memo((p) => ts.sys.realpath!(p)) : undefined },
  }) as TS.System;
  const resolutions = new Map<string, TS.ResolvedModuleWithFailedLookupLocations>();
  sysCaches.push(resolutions as Map<string, unknown>);
  const resolveModuleName: TsModule['resolveModuleName'] = (name, containingFile, options, host, ...rest) => {
    const key = `${name}\0${containingFile}`;
    let r = resolutions.get(key);
    if (!r) {
      r = ts.resolveModuleName(name, containingFile, options, host, ...rest);
      resolutions.set(key, r);
    }
    return r;
  };
  hit = Object.create(ts, { sys: { value: sys }, resolveModuleName: { value: resolveModuleName } }) as TsModule;
  cachedSysModules.set(ts, hit);
  return hit;
}
const sysCaches: Array<Map<string, unknown>> = [];

const projectFilesCache = new Map<string, ProjectFiles>();

/**
 * A cached, read-only view of a root's project files for single-file analyses: file reads and globs are memoised
 * per root (the first lint of a root pays for them, the other files reuse them). Without a program, "does the
 * project import module X" is answered from package.json's dependencies.
 */
export function singleFileProjectFiles(ts: TsModule, root: string): ProjectFiles {
  const hit = projectFilesCache.get(root);
  if (hit) return hit;
  const base = createProjectFiles(ts, undefined, root);
  const globs = new Map<string, string[]>();
  let deps: Set<string> | undefined;
  const files: ProjectFiles = {
    root,
    read: (rel) => base.read(rel),
    glob(patterns) {
      const key = patterns.join('\0');
      let found = globs.get(key);
      if (!found) {
        found = base.glob(patterns);
        globs.set(key, found);
      }
      return found;
    },
    imports(module) {
      deps ??= dependenciesOf(base.read('package.json'));
      return deps.has(module);
    },
  };
  projectFilesCache.set(root, files);
  return files;
}

/** Forget cached project files (tests that rewrite a project's files between lints). */
export function clearSingleFileCaches(): void {
  projectFilesCache.clear();
  parsedModules.clear();
  for (const c of sysCaches) c.clear();
}

function dependenciesOf(pkgText: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!pkgText) return out;
  try {
    const pkg = JSON.parse(pkgText) as Record<string, unknown>;
    for (const key of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
      const deps = pkg[key];
      if (deps && typeof deps === 'object') for (const name of Object.keys(deps)) out.add(name);
    }
  } catch {
    // an unreadable package.json names no dependencies
  }
  return out;
}

/** The nearest directory at or above `dir` holding a package.json or tsconfig.json (memoised), else undefined. */
export function nearestProjectRoot(dir: string): string | undefined {
  const seen: string[] = [];
  let cur = path.resolve(dir);
  for (;;) {
    const cached = rootCache.get(cur);
    if (cached !== undefined) {
      for (const d of seen) rootCache.set(d, cached);
      return cached ?? undefined;
    }
    seen.push(cur);
    if (fs.existsSync(path.join(cur, 'package.json')) || fs.existsSync(path.join(cur, 'tsconfig.json'))) {
      for (const d of seen) rootCache.set(d, cur);
      return cur;
    }
    const parent = path.dirname(cur);
    if (parent === cur) {
      for (const d of seen) rootCache.set(d, null);
      return undefined;
    }
    cur = parent;
  }
}
const rootCache = new Map<string, string | null>();
