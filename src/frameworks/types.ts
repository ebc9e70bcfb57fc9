import type { Cadence, ContextKind } from '../core/types.js';
import type { TS, TsModule } from '../core/ts.js';
import type { StaticValue } from '../core/values.js';

/**
 * A framework entry describes, declaratively, how to recognise one family of entrypoints. The engine
 * (src/core/entries.ts) finds candidate handler positions and asks the entries; entries never walk the program.
 */
export interface EntryMatch {
  kind: ContextKind;
  /** Human-readable trigger: `node-cron '0 6 * * *'`, `BullMQ worker 'emails'`, `GET /api/chat`. */
  trigger: string;
  cadence: Cadence;
  /** A name for the entry when the handler is anonymous (e.g. the queue or job name). */
  name?: string;
}

export type EntryRead = EntryMatch | null;

/** What a matcher may ask about the code around a candidate. */
export interface MatchHelpers {
  ts: TsModule;
  sourceFile: TS.SourceFile;
  /** Posix path of the file relative to the audited root. */
  file: string;
  evaluate(expr: TS.Expression | undefined): StaticValue;
  /** The string value of an expression, when static. */
  str(expr: TS.Expression | undefined): string | null;
  /** The numeric value of an expression, when static. */
  num(expr: TS.Expression | undefined): number | null;
  /** A property of an object-valued expression (object literal, constant, spreads followed). */
  prop(obj: TS.Expression | undefined, name: string): TS.Expression | undefined;
  /** Source text of a node. */
  text(node: TS.Node): string;
  /** `service.name` of `new Class('name')` style first arguments, quoted when a string. */
  quoted(expr: TS.Expression | undefined): string;
  /** The project's non-code files (wrangler.toml crons, serverless.yml, promptfoo config). */
  project: ProjectFiles;
  /**
   * What created a value: the `new X(…)` / `x.y(…)` expression, or the type annotation, that a receiver such as
   * `queue`, `this.queue` or an imported `tagQueue` comes from (following consts, imports, class fields, `await`).
   */
  origin(expr: TS.Expression | undefined): TS.Node | undefined;
  /**
   * The npm module a receiver comes from: the import of the root identifier of its origin (`new BeeQueue()` →
   * 'bee-queue', `kafka.consumer()` → 'kafkajs', a `(queue: Queue)` parameter → its type's module). Undefined when unknown.
   */
  moduleOf(expr: TS.Expression | undefined): string | undefined;
}

export interface HandlerPosition {
  /** Argument indexes that may hold the handler; `last` for the last argument; `any` for any. */
  args?: number[] | 'last' | 'any';
  /** Properties of an object argument that may hold the handler (`{ run }`, `{ eachMessage }`). */
  objectProps?: { arg: number | 'any'; props: string[] };
}

export interface RegistrationMatcher {
  /** `call`: `name(...)` / `x.name(...)`; `new`: `new Name(...)` / `new x.Name(...)`. */
  form: 'call' | 'new';
  /** The callee's last identifier. */
  name: string | string[];
  /**
   * How the callee relates to the framework's modules:
   * - `import`: the callee is a binding imported from one of `modules`, or a member of such a binding;
   * - `member`: `receiver.name(...)` where the file imports one of `modules` (or the checker types the callee from them,
   *   or, without types, some file of the project imports them);
   * - `global`: a global function such as `setInterval`.
   */
  via: 'import' | 'member' | 'global';
  handler: HandlerPosition;
  /** Reads kind, trigger and cadence from the call; null when the call is not a registration after all. */
  read(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): EntryRead;
  /**
   * Handlers the framework runs once per item of a collection (an eval's `task` per dataset row): the positions, and
   * the collection they run over (its source text and, when literal, its size).
   */
  perItem?: {
    handler: HandlerPosition;
    items(call: TS.CallExpression | TS.NewExpression, h: MatchHelpers): { collection: string | null; size: number | null };
  };
}

export interface DecoratorMatcher {
  /** `method`: the decorated method is the handler. `class`: the class's `methods` are handlers. */
  target: 'method' | 'class';
  name: string | string[];
  /** For class decorators: which methods are handlers (e.g. BullMQ `process`). */
  methods?: string[];
  /** For class decorators: a method is a handler only when it also has one of these decorators (NestJS `@Get`). */
  methodDecorators?: string[];
  read(decorator: TS.Decorator, args: readonly TS.Expression[], h: MatchHelpers, method: TS.MethodDeclaration | TS.PropertyDeclaration): EntryRead;
}

/** Files whose module top level (and exported functions) are entrypoints, e.g. `evals/**`. */
export interface FileMatcher {
  globs: string[];
  /** Also treat exported functions of the file as entrypoints (not only its top-level code). */
  exportsAreEntries?: boolean;
  /** Also treat these methods of classes the file exports as entrypoints (promptfoo providers' `callApi`). */
  classMethods?: string[];
  read(file: string): EntryRead;
}

/** Any function of matching files, exported or not, that `read` accepts (inline `'use server'` actions). */
export interface FunctionMatcher {
  globs: string[];
  read(fn: TS.SignatureDeclaration, name: string | undefined, h: MatchHelpers): EntryRead;
}

/** Exported functions of matching files, by export name (Next.js `GET`, Lambda `handler`). */
export interface ExportMatcher {
  globs: string[];
  exports: string[];
  read(exportName: string, fn: TS.Node, h: MatchHelpers): EntryRead;
}

/** Methods of an object that a module default-exports (Cloudflare Workers `{ scheduled, queue, fetch }`). */
export interface DefaultExportObjectMatcher {
  methods: string[];
  read(method: string, h: MatchHelpers): EntryRead;
}

/**
 * Functions held in nested object literals at a property path: GraphQL resolver maps (`{ Query: { summary: fn } }`),
 * graphile-worker task lists (`taskList: { summarize: fn }`). The pattern is matched against the end of the path from
 * the outermost object literal to the function (or to a reference to it, `{ summarize }`). A variable holding the
 * outermost literal, or the name of its type annotation, counts as the first path element (`const taskList: TaskList`).
 * Applies only when the file, or else the project, imports one of the entry's `modules`.
 */
export interface ObjectPathMatcher {
  /** Property names, outermost first; `*` matches any name. */
  path: string[];
  /** `path` is the full matched path (its last element is the handler's property name). */
  read(path: string[], h: MatchHelpers): EntryRead;
}

/** Read-only view of the project's non-code files (vercel.json, package.json, workflows). */
export interface ProjectFiles {
  root: string;
  read(relPath: string): string | undefined;
  /** Posix paths, relative to the root, of files matching the globs (never node_modules). */
  glob(patterns: string[]): string[];
  /** Whether any file of the project imports this module. */
  imports(module: string): boolean;
}

export interface FrameworkEntry {
  id: string;
  /** Display name for docs and triggers. */
  name: string;
  /** The kind(s) of entrypoint this family produces (for the docs table). */
  kinds: ContextKind[];
  /** npm modules whose imports identify the framework. */
  modules: string[];
  /** One line for the docs table: what is recognised. */
  recognises: string;
  /** The fixture project that proves the entry, under fixtures/projects/. */
  fixture: string;
  registrations?: RegistrationMatcher[];
  decorators?: DecoratorMatcher[];
  files?: FileMatcher[];
  exports?: ExportMatcher[];
  functions?: FunctionMatcher[];
  defaultExportObject?: DefaultExportObjectMatcher;
  objectPaths?: ObjectPathMatcher[];
  /** Matchers computed from project files (vercel.json crons, workflows, package.json scripts). */
  project?(p: ProjectFiles): { files?: FileMatcher[]; exports?: ExportMatcher[] };
  /** Entry ids whose match on the same handler this entry replaces (Vercel cron over a Next.js route). */
  overrides?: string[];
}
