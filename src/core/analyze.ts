import { createHash } from 'node:crypto';
import path from 'node:path';
import type { TierwiseConfig } from './config.js';
import type { CallSite, Context, Finding, Location, PerItem, RuleId, SourcePoint } from './types.js';
import type { TS, TsModule } from './ts.js';
import { CALL_TEXT, ClientResolver, clientInfo, loopsAt, matchEndpoint, nestLoops, readParams, readTimeout, type ParamFacts } from './calls.js';
import { EntryFinder } from './entries.js';
import { Tracer, lineOf } from './trace.js';
import { FLEX_MIN_TIMEOUT_MS, STANDARD_TIERS, classify, isBackground, message, recommend } from './recommend.js';
import { clientBackgroundOnlyOf, planFlexEdits } from './edits.js';
import { eslintSuppressions } from './suppressions.js';
import { tokenText } from './fingerprint.js';
import { tierThroughCallers } from './spread-tier.js';
import type { FrameworkEntry, ProjectFiles } from '../frameworks/types.js';
import { frameworks as defaultFrameworks } from '../frameworks/index.js';
import { bundledPrices, flexEligibility, type PriceTable } from '../pricing/prices.js';
import { estimateSavings } from '../pricing/estimate.js';

export interface AnalyzeInput {
  /** The TypeScript module that built `program` (never mix versions). */
  ts: TsModule;
  program: TS.Program;
  /** Absolute path of the audited root; report paths are relative to it. */
  root: string;
  projectFiles: ProjectFiles;
  config?: TierwiseConfig;
  prices?: PriceTable;
  frameworks?: readonly FrameworkEntry[];
  /** Report call sites only in these absolute file names (default: every project file under the root). */
  only?: ReadonlySet<string>;
  /** The files that may be analysed at all (e.g. those that parsed); default: every project file under the root. */
  analysable?: ReadonlySet<string>;
  /** Compute savings estimates (default true). */
  savings?: boolean;
  /** Honour ESLint's disable directives for tierwise's rules (src/core/suppressions.ts): the audit does, the ESLint
   * rules leave them to ESLint. Default false. */
  eslintDirectives?: boolean;
}

/** The syntax behind a call site, for the faces that edit code. Never serialised. */
export interface SiteNodes {
  call: TS.CallExpression;
  params: ParamFacts;
  client: TS.NewExpression | null | undefined;
  /** The `.withOptions(...)` calls between the receiver and its client, the last applied first (may set the timeout). */
  withOptions?: TS.CallExpression[];
  sourceFile: TS.SourceFile;
}

export interface Analysis {
  callSites: CallSite[];
  findings: Finding[];
  typeInfo: 'checker' | 'imports';
  notes: string[];
  /** Config entrypoint entries that matched nothing. */
  unusedConfig: string[];
  nodes: Map<string, SiteNodes>;
  files: number;
}

export function toPosix(p: string): string {
  return p.split(path.sep).join('/').replace(/\\/g, '/');
}

/** Files of the program that belong to the audited project (not declarations, not node_modules, under the root). */
export function projectSourceFiles(program: TS.Program, root: string): TS.SourceFile[] {
  const rootPosix = toPosix(root).replace(/\/$/, '') + '/';
  return program
    .getSourceFiles()
    .filter((sf) => !sf.isDeclarationFile && !/[\\/]node_modules[\\/]/.test(sf.fileName) && toPosix(sf.fileName).startsWith(rootPosix));
}

export function analyzeProgram(input: AnalyzeInput): Analysis {
  const { ts, program, root } = input;
  const prices = input.prices ?? bundledPrices;
  const checker = program.getTypeChecker();
  const files = projectSourceFiles(program, root).filter((sf) => !input.analysable || input.analysable.has(sf.fileName));
  // Asked for every step of every chain and every entrypoint test: one path.relative per file.
  const relPaths = new WeakMap<TS.SourceFile, string>();
  const rel = (sf: TS.SourceFile) => {
    let r = relPaths.get(sf);
    if (r === undefined) relPaths.set(sf, (r = toPosix(path.relative(root, sf.fileName))));
    return r;
  };
  const clients = new ClientResolver(ts, checker, program);
  const ev = clients.evaluatorInstance;
  const entries = new EntryFinder(ts, ev, checker, input.frameworks ?? defaultFrameworks, input.projectFiles, rel, input.config);
  const tracer = new Tracer(ts, ev, files, entries, rel);
  clients.callsOf = (fn) => tracer.callsOf(fn);
  const typeInfo = resolvesOpenAi(ts, program, root) ? 'checker' : 'imports';
  const notes: string[] = [];
  if (typeInfo === 'imports') {
    notes.push("The `openai` package's types did not resolve (no node_modules?): OpenAI calls were recognised from imports and the project's own code.");
  }

  const relEdits = (edits: Finding['edits'] & object) => edits.map((e) => ({ ...e, file: toPosix(path.relative(root, e.file)) }));
  const point = (n: TS.Node): SourcePoint => ({ file: rel(n.getSourceFile()), line: lineOf(n) });
  const callSites: CallSite[] = [];
  const nodes = new Map<string, SiteNodes>();
  const fingerprintCounts = new Map<string, number>();

  for (const sf of files) {
    if (input.only && !input.only.has(sf.fileName)) continue;
    if (!CALL_TEXT.test(sf.text)) continue;
    const visit = (n: TS.Node): void => {
      if (ts.isCallExpression(n)) {
        const m = matchEndpoint(ts, n, ev);
        if (m) {
          const verdict = clients.verdict(n, m);
          if (verdict.sdk) {
            const site = buildSite(n, m.endpoint, m.family, verdict.by);
            if (site) {
              callSites.push(site.site);
              nodes.set(site.site.id, site.nodes);
            }
          }
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }

  function buildSite(call: TS.CallExpression, endpoint: CallSite['endpoint'], family: CallSite['family'], by: 'checker' | 'imports') {
    const sf = call.getSourceFile();
    const loc = location(ts, sf, call, rel(sf));
    const params = readParams(ts, ev, call, endpoint);
    // `{ ...extra }` where `extra` is a parameter: the callers decide the tier (src/core/spread-tier.ts).
    if (params.serviceTier === 'dynamic') params.serviceTier = tierThroughCallers(ts, ev, call, (fn) => tracer.callsOf(fn)) ?? 'dynamic';
    const receiver = matchEndpoint(ts, call, ev)!.receiver;
    let client = clients.originOf(receiver, 0);
    if (client === null || client === undefined) {
      // DI or an untyped path: when the project constructs exactly one client, that is the one. Otherwise the client
      // is unknown and so is its constructor's timeout: the effective timeout is then the SDK default, as the SDK's
      // own rule says (per request, else the client's, else 600 000 ms), and `fix flex` sets it per request.
      const all = clients.constructions(files);
      if (all.length === 1) client = all[0];
    }
    const withOptions = clients.withOptionsChain(receiver);
    const timeout = readTimeout(ev, call, client, withOptions);
    const traced = tracer.trace(call);
    // Loops around the call in its own function, then those around the calls that lead to it (each loop once).
    const local = loopsAt(ts, ev, call);
    const loops = [...local, ...traced.loops.filter((l) => !local.some((m) => m.node === l.node))];
    const perItem: PerItem | null = nestLoops(loops.map((l) => l.item));
    const contexts: Context[] = traced.contexts;
    const enclosingScope = tracer.scopeOf(call);
    const enclosing = ts.isSourceFile(enclosingScope) ? '<module>' : (tracer.nameOf(enclosingScope)?.display ?? '<anonymous>');
    const calleeText = call.expression.getText(sf).replace(/\s+/g, '');
    // Tokens, not text: reformatting (line breaks, comments, trailing commas, quotes) keeps baselines matching.
    const base = createHash('sha1').update(`${loc.file}\0${enclosing}\0${tokenText(ts, call, sf)}`).digest('hex').slice(0, 16);
    const seenCount = fingerprintCounts.get(base) ?? 0;
    fingerprintCounts.set(base, seenCount + 1);
    const fingerprint = seenCount === 0 ? base : `${base}-${seenCount}`;
    const site: CallSite = {
      ...loc,
      id: `${loc.file}:${loc.line}:${loc.column}`,
      fingerprint,
      endpoint,
      family,
      callee: calleeText,
      model: params.model,
      ...(params.modelCandidates ? { modelCandidates: params.modelCandidates } : {}),
      serviceTier: params.serviceTier,
      stream: params.stream,
      timeout,
      perItem,
      client: clientInfo(ts, ev, client, point),
      prompt: params.prompt,
      enclosing,
      classification: classify(contexts),
      contexts,
      resolvedBy: by,
      ignored: hasIgnoreComment(sf, loc.line),
    };
    return { site, nodes: { call, params, client, withOptions, sourceFile: sf } satisfies SiteNodes };
  }

  // Which clients are used only by background calls (the fix may raise their constructor timeout).
  const clientBackgroundOnly = clientBackgroundOnlyOf(callSites);

  const findings: Finding[] = [];
  const directives = new Map<TS.SourceFile, (rule: RuleId, line: number) => boolean>();
  const silenced = (rule: RuleId, site: CallSite, sf: TS.SourceFile): boolean => {
    if (!input.eslintDirectives) return false;
    let of = directives.get(sf);
    if (!of) directives.set(sf, (of = eslintSuppressions(sf.text)));
    return of(rule, site.line);
  };
  for (const site of callSites) {
    if (site.ignored) continue;
    const siteNodes = nodes.get(site.id)!;
    const background = site.contexts.filter((c) => isBackground(c.kind));
    const mixed = site.classification === 'mixed';
    const add = (rule: RuleId, severity: Finding['severity'], ctx: Context | null, rec: Finding['recommendation'], extra: Partial<Finding> = {}) => {
      if (silenced(rule, site, siteNodes.sourceFile)) return;
      const f: Finding = {
        rule,
        file: site.file,
        line: site.line,
        column: site.column,
        endLine: site.endLine,
        endColumn: site.endColumn,
        message: '',
        severity,
        callSiteId: site.id,
        fingerprint: site.fingerprint,
        endpoint: site.endpoint,
        callee: site.callee,
        model: site.model,
        serviceTier: site.serviceTier,
        context: ctx ? (mixed ? { ...ctx, mixed: true } : ctx) : null,
        contexts: site.contexts,
        recommendation: rec,
        ...extra,
      };
      f.message = message(rule, site, ctx, rec, f.savings, mixed);
      findings.push(f);
    };

    if ((site.classification === 'background' || mixed) && STANDARD_TIERS.has(site.serviceTier)) {
      const rec = recommend(site, background, prices);
      const ctx = background[0] ?? null;
      const extra: Partial<Finding> = {};
      if (input.savings !== false) {
        // Priced over every background entrypoint (runs per month add up), not only the one the message names.
        const est = estimateSavings({ callSite: site, context: ctx, contexts: background, recommended: rec.tier, config: input.config, prices });
        // The estimate keeps its `basis` so that usage calibration can rescale it; the audit strips it from the report.
        extra.savings = est;
      }
      if (rec.tier === 'flex' && !mixed) {
        const plan = planFlexEdits(ts, ev, site, siteNodes, { clientBackgroundOnly: clientBackgroundOnly(site) });
        if (plan.edits.length > 0) extra.edits = relEdits(plan.edits);
      }
      add('no-standard-tier-in-background', 'warning', ctx, rec, extra);
    }
    if (site.serviceTier === 'flex') {
      if (site.timeout.ms !== null && site.timeout.ms < FLEX_MIN_TIMEOUT_MS) {
        const plan = planFlexEdits(ts, ev, site, siteNodes, { clientBackgroundOnly: clientBackgroundOnly(site), timeoutOnly: true });
        add('flex-needs-timeout', 'warning', background[0] ?? site.contexts[0] ?? null, null, plan.edits.length ? { edits: relEdits(plan.edits) } : {});
      }
      if (site.model && flexEligibility(prices, site.model) === 'not-eligible') {
        add('flex-unsupported-model', 'error', background[0] ?? site.contexts[0] ?? null, null);
      }
    }
  }

  callSites.sort(byLocation);
  findings.sort(byLocation);
  // A background call whose tier cannot be read gets no finding: say so instead of saying nothing.
  const unreadable = callSites.filter((s) => s.serviceTier === 'dynamic' && (s.classification === 'background' || s.classification === 'mixed') && !s.ignored);
  if (unreadable.length > 0) {
    const list = unreadable.slice(0, 10).map((s) => `${s.file}:${s.line}`).join(', ');
    const more = unreadable.length > 10 ? ` and ${unreadable.length - 10} more` : '';
    notes.push(
      `${unreadable.length} background call site${unreadable.length === 1 ? '' : 's'} set \`service_tier\` to a value tierwise cannot read (${list}${more}), so ${unreadable.length === 1 ? 'it is' : 'they are'} not reported; if ${unreadable.length === 1 ? 'it runs' : 'they run'} on the standard tier, set \`service_tier\` where the request is built.`,
    );
  }
  const unusedConfig = entries.unusedConfig();
  return { callSites, findings, typeInfo, notes, unusedConfig, nodes, files: files.length };
}

export function byLocation(a: Location, b: Location): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column;
}

function location(ts: TsModule, sf: TS.SourceFile, node: TS.Node, file: string): Location {
  const start = sf.getLineAndCharacterOfPosition(node.getStart(sf));
  const end = sf.getLineAndCharacterOfPosition(node.getEnd());
  void ts;
  return { file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 };
}

function hasIgnoreComment(sf: TS.SourceFile, line: number): boolean {
  if (line < 2) return false;
  const starts = sf.getLineStarts();
  const prev = sf.text.slice(starts[line - 2], starts[line - 1]);
  return /\/\/\s*tierwise-ignore-next-line\b/.test(prev);
}

/** Whether `openai` resolves from the project (types available) or not (a bare clone without node_modules). */
function resolvesOpenAi(ts: TsModule, program: TS.Program, root: string): boolean {
  try {
    const res = ts.resolveModuleName('openai', path.join(root, '__tierwise__.ts'), program.getCompilerOptions(), ts.sys);
    return !!res.resolvedModule;
  } catch {
    return false;
  }
}
