import fs from 'node:fs';
import path from 'node:path';
import tsModule from 'typescript';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { globSync } from 'tinyglobby';
import type { Skipped } from './types.js';
import type { TS, TsModule } from './ts.js';
import type { ProjectFiles } from '../frameworks/types.js';
import { importsOf, isModule } from './imports.js';
import { projectSourceFiles, toPosix } from './analyze.js';
import { UsageError } from './errors.js';

export { UsageError };

export interface LoadOptions {
  /** The directory to audit. */
  root: string;
  /** A tsconfig to use instead of `<root>/tsconfig.json`. */
  project?: string;
  /** Globs (relative to root) of files to leave out. */
  ignore?: string[];
  /**
   * Load every dependency's declarations too (default false). The analysis needs the project's own code and the
   * `openai` SDK's declarations only; skipping the standard library and other packages' types (which tsc must load)
   * is most of why the audit costs a fraction of `tsc --noEmit`. Framework calls are matched by their imports.
   */
  fullTypes?: boolean;
}

export interface LoadedProject {
  /** The TypeScript tierwise resolves (its `typescript` dependency, 5.9 or 6.0): the module that built `program`. */
  ts: TsModule;
  program: TS.Program;
  root: string;
  tsconfig: string | null;
  projectFiles: ProjectFiles;
  /** Files that did not parse (reported, left out of the analysis). */
  skipped: Skipped[];
  /** Absolute file names to analyse (parsed, not ignored). */
  files: Set<string>;
}

const SOURCE_GLOB = '**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

/**
 * Loads the project with the `typescript` tierwise depends on (the one the ESLint rules and fixes use too, so an
 * install holds one TypeScript): from its tsconfig (following `extends`, `paths` and project references) or,
 * without one, from every source file under the root, honouring `.gitignore` and never `node_modules`.
 * Reads files only; never writes.
 */
export function loadProject(opts: LoadOptions): LoadedProject {
  const root = path.resolve(opts.root);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new UsageError(`${opts.root} is not a directory; pass the folder of the project to audit.`);
  }
  let tsconfig: string | null = null;
  if (opts.project) {
    tsconfig = path.resolve(opts.project);
    if (!fs.existsSync(tsconfig)) throw new UsageError(`--project ${opts.project} does not exist.`);
  } else if (fs.existsSync(path.join(root, 'tsconfig.json'))) {
    tsconfig = path.join(root, 'tsconfig.json');
  }

  const ts = tsModule as unknown as TsModule;
  let rootNames: string[] = [];
  let options: TS.CompilerOptions;
  if (tsconfig) {
    const parsed = parseConfig(ts, tsconfig);
    options = parsed.options;
    rootNames = [...parsed.fileNames];
    for (const ref of referencedConfigs(tsconfig, new Set())) rootNames.push(...parseConfig(ts, ref).fileNames);
    if (rootNames.length === 0) rootNames = globbed(root);
  } else {
    options = {
      allowJs: true,
      checkJs: false,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.Preserve,
      experimentalDecorators: true,
      resolveJsonModule: true,
    };
    rootNames = globbed(root);
  }
  // The lean program: the project's code and the `openai` SDK's declarations only (no standard library, no other
  // packages' types — tsc must load those, the analysis does not need them), and no JSDoc parsing.
  const lean = !opts.fullTypes;
  options = { ...options, noEmit: true, skipLibCheck: true, ...(lean ? { noLib: true, types: [] } : {}) };
  const host = ts.createCompilerHost(options, false);
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseNone;
  if (lean) {
    const cache = ts.createModuleResolutionCache(root, (f) => (host.useCaseSensitiveFileNames() ? f : f.toLowerCase()), options);
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, opts, containingSourceFile) =>
      literals.map((literal) => {
        const mode = ts.getModeForUsageLocation(containingSourceFile, literal, opts);
        const result = ts.resolveModuleName(literal.text, containingFile, opts, host, cache, redirectedReference, mode);
        const file = result.resolvedModule?.resolvedFileName;
        if (file && /[\\/]node_modules[\\/]/.test(file) && !KEPT_PACKAGE.test(file)) return { resolvedModule: undefined };
        return result;
      });
  }
  const program = ts.createProgram({ rootNames: [...new Set(rootNames)], options, host });

  const skipped: Skipped[] = [];
  const files = new Set<string>();
  const ignored = opts.ignore?.length ? picomatch(opts.ignore, { dot: true }) : undefined;
  for (const sf of projectSourceFiles(program, root)) {
    const rel = toPosix(path.relative(root, sf.fileName));
    if (ignored?.(rel)) continue;
    const diags = program.getSyntacticDiagnostics(sf);
    if (diags.length > 0) {
      const d = diags[0]!;
      const pos = d.start !== undefined ? sf.getLineAndCharacterOfPosition(d.start) : undefined;
      const msg = ts.flattenDiagnosticMessageText(d.messageText, ' ');
      skipped.push({ file: rel, reason: `does not parse${pos ? ` (line ${pos.line + 1}:${pos.character + 1})` : ''}: ${msg}` });
      continue;
    }
    files.add(sf.fileName);
  }
  return { ts, program, root, tsconfig, projectFiles: createProjectFiles(ts, program, root), skipped, files };
}

/** The SDK whose declarations the checker needs; every other package resolves to nothing in a lean program. */
const KEPT_PACKAGE = /[\\/]node_modules[\\/](?:openai|openai-v\d+)[\\/]/;

function parseConfig(ts: TsModule, tsconfig: string): TS.ParsedCommandLine {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new UsageError(`${tsconfig}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
    },
  });
  if (!parsed) throw new UsageError(`${tsconfig} could not be read.`);
  return parsed;
}

/** Every source file under the root, honouring .gitignore files (the root's and nested ones), never node_modules (absolute paths). */
function globbed(root: string): string[] {
  const ignored = gitignored(root);
  return globSync([SOURCE_GLOB], { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], dot: false })
    .filter((rel) => !ignored(rel) && !rel.endsWith('.d.ts'))
    .map((rel) => path.join(root, rel));
}

/**
 * Whether git would ignore a path (posix, relative to the root) by the .gitignore files under the root: each one's
 * patterns are relative to its folder, a deeper file's rules (`!` re-includes too) come after its parents', and a
 * .gitignore inside an ignored folder counts for nothing (git never reads it). node_modules is never searched.
 */
export function gitignored(root: string): (rel: string) => boolean {
  const files = globSync(['**/.gitignore'], { cwd: root, ignore: ['**/node_modules/**', '**/.git/**'], dot: true })
    .map((f) => toPosix(f))
    .sort((a, b) => a.split('/').length - b.split('/').length || (a < b ? -1 : a > b ? 1 : 0));
  const levels: Array<{ dir: string; ig: ReturnType<typeof ignore> }> = [];
  const isIgnored = (rel: string): boolean => {
    let out = false;
    for (const { dir, ig } of levels) {
      if (dir && !rel.startsWith(`${dir}/`)) continue;
      const sub = dir ? rel.slice(dir.length + 1) : rel;
      if (!sub) continue;
      const r = ig.test(sub);
      if (r.ignored) out = true;
      else if (r.unignored) out = false;
    }
    return out;
  };
  for (const f of files) {
    const dir = path.posix.dirname(f) === '.' ? '' : path.posix.dirname(f);
    if (dir && isIgnored(`${dir}/`)) continue;
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, f), 'utf8');
    } catch {
      continue;
    }
    levels.push({ dir, ig: ignore().add(text) });
  }
  return isIgnored;
}

/** tsconfig `references` (solution-style configs), recursively. */
function referencedConfigs(tsconfig: string, seen: Set<string>): string[] {
  if (seen.has(tsconfig)) return [];
  seen.add(tsconfig);
  const read = tsModule.readConfigFile(tsconfig, tsModule.sys.readFile);
  const refs = (read.config?.references ?? []) as Array<{ path?: string }>;
  const out: string[] = [];
  for (const r of refs) {
    if (!r.path) continue;
    let p = path.resolve(path.dirname(tsconfig), r.path);
    if (fs.existsSync(p) && fs.statSync(p).isDirectory()) p = path.join(p, 'tsconfig.json');
    if (!fs.existsSync(p)) continue;
    out.push(p, ...referencedConfigs(p, seen));
  }
  return out;
}

/** A read-only, cached view of the project's files for framework entries. */
export function createProjectFiles(ts: TsModule, program: TS.Program | undefined, root: string): ProjectFiles {
  const cache = new Map<string, string | undefined>();
  const importCache = new Map<string, boolean>();
  let sources: TS.SourceFile[] | undefined;
  return {
    root,
    read(rel) {
      if (cache.has(rel)) return cache.get(rel);
      const abs = path.join(root, rel);
      let text: string | undefined;
      try {
        text = fs.statSync(abs).isFile() ? fs.readFileSync(abs, 'utf8') : undefined;
      } catch {
        text = undefined;
      }
      cache.set(rel, text);
      return text;
    },
    glob(patterns) {
      return globSync(patterns, { cwd: root, ignore: ['**/node_modules/**'], dot: true });
    },
    imports(module) {
      const hit = importCache.get(module);
      if (hit !== undefined) return hit;
      sources ??= program ? projectSourceFiles(program, root) : [];
      let found = false;
      for (const sf of sources) {
        if (!sf.text.includes(module)) continue;
        for (const b of importsOf(ts, sf).values()) {
          if (isModule(b.module, module)) {
            found = true;
            break;
          }
        }
        if (found) break;
      }
      importCache.set(module, found);
      return found;
    },
  };
}
