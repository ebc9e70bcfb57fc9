/**
 * add-flex-tier: a jscodeshift transform that moves background OpenAI calls to the Flex tier.
 *
 *   npx jscodeshift -t node_modules/tierwise/dist/codemods/add-flex-tier.js --parser=tsx src
 *   tierwise fix flex [dir]            (in-process, on the audit's findings; see docs/fix-flex.md)
 *
 * It never re-derives detection. Under `tierwise fix flex` it receives the audit's plans (site id, edits, skip
 * reasons, saving) in `options.flexPlans` and applies the edits that fall in the file it is given. Run directly, it
 * runs the core's single-file analysis on the file (src/core/single-file.ts) and applies the edits of its
 * flex-recommended, background-only findings, with the timeout per request unless the client is built in the same
 * file and used only by background calls there (a single file cannot see the client's other users).
 *
 * The output is the input with minimal text splices (`applyEdits`): no recast reprint, so formatting and comments are
 * kept by construction. A file that does not parse is skipped and reported.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Edit } from '../src/core/types.js';
import type { TsModule } from '../src/core/ts.js';
import { applyEdits, clientBackgroundOnlyOf, planFlexEdits } from '../src/core/edits.js';
import { analyzeSingleFile } from '../src/core/single-file.js';
import { createProjectFiles } from '../src/core/project.js';
import { loadConfig } from '../src/core/load-config.js';
import { syntaxError, type FixContext } from '../src/fix/runner.js';

/** One call site's planned fix (built by src/fix/flex.ts from the audit's findings). */
export interface FlexSitePlan {
  /** Call-site id, `file:line:column` relative to the audited root. */
  id: string;
  /** Absolute path of the file holding the call. */
  file: string;
  line: number;
  /** Absolute file names: the call's file, and the client's file when the timeout goes on its constructor. */
  edits: Edit[];
  skipped: string[];
  warnings: string[];
  usdPerMonth: number | null;
  /** `withFlexFallback` is imported from this file, which must exist (created from codemods/runtime when absent). */
  helperFile?: string;
}

export interface AddFlexTierOptions {
  /** The plans of `tierwise fix flex`; absent when run directly under jscodeshift. */
  flexPlans?: FlexSitePlan[];
  /** sha1 of each file's text when the plans were made (absolute path → hex); a file changed since is skipped. */
  fileHashes?: Record<string, string>;
  /** Set by src/fix/runner.ts. */
  tierwise?: FixContext;
  [key: string]: unknown;
}

interface JscodeshiftApi {
  report?: (msg: string) => void;
}

export default function transform(file: { path: string; source: string }, api: JscodeshiftApi, options: AddFlexTierOptions = {}): string | undefined {
  const abs = path.resolve(file.path);
  const ctx = options.tierwise;
  const report = (msg: string) => (api.report ? api.report(msg) : undefined);
  const skip = (reason: string, line?: number) => (ctx ? ctx.skip(abs, reason, line) : report(`skipped${line ? ` line ${line}` : ''}: ${reason}`));
  const warn = (msg: string) => (ctx ? ctx.warn(abs, msg) : report(`warning: ${msg}`));

  const parseError = syntaxError(abs, file.source);
  if (parseError) {
    skip(`does not parse (${parseError})`);
    return undefined;
  }
  const expected = options.fileHashes?.[abs];
  if (expected && sha1(file.source) !== expected) {
    skip('the file changed since the audit; run the command again');
    return undefined;
  }
  const plans = options.flexPlans ?? planStandalone(abs, file.source);

  const edits: Edit[] = [];
  for (const plan of plans) {
    const own = path.resolve(plan.file) === abs;
    if (own) {
      for (const reason of plan.skipped) skip(reason, plan.line);
      for (const w of plan.warnings) warn(w);
    }
    const here = plan.edits.filter((e) => path.resolve(e.file) === abs);
    if (own && plan.edits.length > 0) {
      ctx?.applied(abs, { id: plan.id, usdPerMonth: plan.usdPerMonth });
      if (plan.helperFile) ctx?.createFile(plan.helperFile, flexFallbackSource());
      if (!ctx && plan.edits.some((e) => path.resolve(e.file) !== abs)) {
        warn(`line ${plan.line}: part of the fix is in ${plan.edits.find((e) => path.resolve(e.file) !== abs)!.file}; run the transform on that file too`);
      }
      if (!ctx && plan.helperFile && !fs.existsSync(plan.helperFile)) {
        warn(`line ${plan.line}: copy tierwise's codemods/runtime/flex-fallback.ts to ${plan.helperFile}`);
      }
    }
    edits.push(...here);
  }
  if (edits.length === 0) return file.source;
  return applyEdits(file.source, edits);
}

export function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Run directly: the single-file analysis of this file, flex-recommended background findings only. */
function planStandalone(fileName: string, text: string): FlexSitePlan[] {
  const root = projectRoot(fileName);
  const tsm = ts as unknown as TsModule;
  let config;
  try {
    config = loadConfig(root).config;
  } catch {
    config = undefined;
  }
  const analysis = analyzeSingleFile({ ts: tsm, fileName, text, root, projectFiles: createProjectFiles(tsm, undefined, root), config });
  const backgroundOnly = clientBackgroundOnlyOf(analysis.callSites);
  const plans: FlexSitePlan[] = [];
  for (const f of analysis.findings) {
    if (f.rule !== 'no-standard-tier-in-background' || f.recommendation?.tier !== 'flex' || f.context?.mixed) continue;
    const site = analysis.callSites.find((s) => s.id === f.callSiteId);
    const nodes = analysis.nodes.get(f.callSiteId);
    if (!site || !nodes || site.classification !== 'background') continue;
    const clientHere = !!nodes.client && path.resolve(nodes.client.getSourceFile().fileName) === fileName;
    const plan = planFlexEdits(tsm, undefined, site, nodes, { clientBackgroundOnly: clientHere && backgroundOnly(site), dispatcher: 'warn' });
    plans.push({
      id: site.id,
      file: fileName,
      line: site.line,
      edits: plan.edits,
      skipped: plan.skipped,
      warnings: plan.warnings,
      usdPerMonth: f.savings && !f.savings.unknown ? f.savings.usdPerMonth : null,
    });
  }
  return plans;
}

function projectRoot(fileName: string): string {
  let dir = path.dirname(fileName);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'tsconfig.json')) || fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const up = path.dirname(dir);
    if (up === dir) return path.dirname(fileName);
    dir = up;
  }
}

let helperText: string | undefined;

/** The source of codemods/runtime/flex-fallback.ts, written into the user's project next to the rewritten file. */
export function flexFallbackSource(): string {
  if (helperText !== undefined) return helperText;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // From the sources (codemods/) or from the build (dist/codemods/ → the package's codemods/runtime).
  const candidates = [path.join(here, 'runtime/flex-fallback.ts'), path.join(here, '../../codemods/runtime/flex-fallback.ts')];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`tierwise's flex-fallback helper is missing (looked in ${candidates.join(', ')})`);
  helperText = fs.readFileSync(found, 'utf8');
  return helperText;
}
