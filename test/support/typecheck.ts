/**
 * `tsc -p <tsconfig> --noEmit`, in this process, sharing what does not change between the projects a test file
 * checks: every declaration file under node_modules (TypeScript's lib, @types/node, openai v7 and v4 …) is read and
 * parsed once per worker and reused by every program built with the same source-file-affecting options. The project's
 * own files are always read fresh. Diagnostics are tsc's (config, options, global, syntactic, semantic), formatted as
 * tsc prints them without --pretty.
 */
import path from 'node:path';
import ts from 'typescript';

const shared = new Map<string, ts.SourceFile>();
const SHARED = /[\\/]node_modules[\\/]/;

/** The options that change how a file parses or binds (the language service's document registry keys on these). */
function optionsKey(o: ts.CompilerOptions): string {
  return JSON.stringify([o.target, o.module, o.moduleResolution, o.jsx, o.allowJs, o.strict, o.alwaysStrict, o.experimentalDecorators, o.moduleDetection, o.verbatimModuleSyntax]);
}

/** Makes `host` reuse one parse of every file under node_modules per set of source-file-affecting options. */
export function shareNodeModules(host: ts.CompilerHost, options: ts.CompilerOptions): ts.CompilerHost {
  const own = host.getSourceFile.bind(host);
  const key = optionsKey(options);
  host.getSourceFile = (fileName, languageVersionOrOptions, onError, shouldCreate) => {
    if (!SHARED.test(fileName)) return own(fileName, languageVersionOrOptions, onError, shouldCreate);
    const o = typeof languageVersionOrOptions === 'object' ? languageVersionOrOptions : { languageVersion: languageVersionOrOptions };
    const k = `${fileName}\0${o.languageVersion}\0${o.impliedNodeFormat ?? ''}\0${key}`;
    let sf = shared.get(k);
    if (!sf) {
      sf = own(fileName, languageVersionOrOptions, onError, shouldCreate);
      if (sf) shared.set(k, sf);
    }
    return sf;
  };
  return host;
}

export interface Checked {
  /** tsc's error lines (empty when the project type-checks). */
  errors: string;
  /** Every file of the program (tsc --listFiles). */
  files: string[];
}

/** Type-checks the project of a tsconfig file as `tsc -p <tsconfig> --noEmit` does. */
export function checkProject(tsconfig: string): Checked {
  const dir = path.dirname(tsconfig);
  const configErrors: ts.Diagnostic[] = [];
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => configErrors.push(d),
  });
  const format = (diags: readonly ts.Diagnostic[]) =>
    ts.formatDiagnostics(diags, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' });
  if (!parsed) return { errors: format(configErrors), files: [] };
  const program = ts.createProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    host: shareNodeModules(ts.createCompilerHost(parsed.options, true), parsed.options),
    configFileParsingDiagnostics: parsed.errors,
  });
  const diags = [...configErrors, ...ts.getPreEmitDiagnostics(program)];
  return { errors: format(diags), files: program.getSourceFiles().map((sf) => sf.fileName) };
}
