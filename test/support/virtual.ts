import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { analyzeProgram, type Analysis } from '../../src/core/analyze.js';
import type { TsModule } from '../../src/core/ts.js';
import type { TierwiseConfig } from '../../src/core/config.js';
import type { ProjectFiles } from '../../src/frameworks/types.js';
import { REPO } from './fixtures.js';
import { shareNodeModules } from './typecheck.js';
import picomatch from 'picomatch';

/**
 * An in-memory project: its files live in a Map under a virtual root inside the repo (which does not exist on disk),
 * so `openai` and framework packages resolve from the repo's node_modules while the project itself is never written.
 */
export function analyzeVirtual(
  files: Record<string, string>,
  opts: { config?: TierwiseConfig; root?: string; noNodeModules?: boolean; compilerOptions?: ts.CompilerOptions } = {},
): Analysis {
  const root = opts.root ?? path.join(REPO, 'test/.virtual/app');
  const abs = new Map(Object.entries(files).map(([rel, text]) => [path.join(root, rel), text]));
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    experimentalDecorators: true,
    types: ['node'],
    allowJs: true,
    ...opts.compilerOptions,
  };
  const host = ts.createCompilerHost(options);
  const realFileExists = host.fileExists.bind(host);
  const realReadFile = host.readFile.bind(host);
  const blocked = (f: string) => !!opts.noNodeModules && /[\\/]node_modules[\\/](openai|node-cron|bullmq|express|@nestjs)/.test(f);
  host.fileExists = (f) => abs.has(f) || (!blocked(f) && realFileExists(f));
  host.readFile = (f) => abs.get(f) ?? (blocked(f) ? undefined : realReadFile(f));
  // node_modules' declarations (lib, @types/node, openai …) are parsed once per worker, not once per test.
  const realGetSourceFile = shareNodeModules(host, options).getSourceFile.bind(host);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = abs.get(f);
    if (text !== undefined) return ts.createSourceFile(f, text, lang, true);
    return realGetSourceFile(f, lang, onError, create);
  };
  host.directoryExists = (d) => [...abs.keys()].some((k) => k.startsWith(d + path.sep)) || fs.existsSync(d);
  const rootNames = [...abs.keys()].filter((f) => /\.[cm]?[jt]sx?$/.test(f));
  const program = ts.createProgram({ rootNames, options, host });
  const projectFiles: ProjectFiles = {
    root,
    read: (rel) => files[rel],
    glob: (patterns) => {
      const isMatch = picomatch(patterns, { dot: true });
      return Object.keys(files).filter((f) => isMatch(f));
    },
    imports: (module) => Object.values(files).some((t) => t.includes(`'${module}'`) || t.includes(`"${module}"`)),
  };
  return analyzeProgram({ ts: ts as unknown as TsModule, program, root, projectFiles, config: opts.config });
}

/** Compiler options that resolve `openai` to openai v4 (the repo's `openai-v4` npm alias; ESM typings, as in test/codemods). */
export const OPENAI_V4_OPTIONS: ts.CompilerOptions = {
  paths: { openai: [path.join(REPO, 'node_modules/openai-v4/index.d.mts')], 'openai/*': [path.join(REPO, 'node_modules/openai-v4/*')] },
};
