import { parse as parseYaml } from 'yaml';
import type { TS } from '../core/ts.js';
import type { FileMatcher, FrameworkEntry, MatchHelpers } from './types.js';
import { cadence } from '../core/entries.js';

/**
 * The dataset an eval runs its task over, once per row: `data: [...]`, `data: () => [...]` (also async, or a block
 * that returns the array), a constant holding either, or a dataset name (LangSmith). The size when the rows are literal.
 */
export function evalData(data: TS.Expression | undefined, h: MatchHelpers): { collection: string | null; size: number | null } {
  if (!data) return { collection: null, size: null };
  const ts = h.ts;
  const text = h.text(data);
  const collection = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  let e: TS.Expression = data;
  for (let i = 0; i < 4; i++) {
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      const body: TS.ConciseBody = e.body;
      if (!ts.isBlock(body)) e = body;
      else {
        const ret = body.statements.length === 1 && ts.isReturnStatement(body.statements[0]!) ? body.statements[0].expression : undefined;
        if (!ret) break;
        e = ret;
      }
      continue;
    }
    break;
  }
  const v = h.evaluate(e);
  if (v.kind === 'array') return { collection, size: v.elements.some((x) => ts.isSpreadElement(x)) ? null : v.elements.length };
  if (v.kind === 'string') return { collection: `dataset '${v.value}'`, size: null };
  return { collection, size: null };
}

/** evalite: `evalite('name', { data, task, scorers })` (and `evalite.skip`), usually in `*.eval.ts` files. */
export const evalite: FrameworkEntry = {
  id: 'evalite',
  name: 'evalite',
  kinds: ['eval'],
  modules: ['evalite'],
  recognises: "`evalite(name, { data, task })` from 'evalite': `task` and `data` run as an eval, `task` once per row of `data`",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: ['evalite', 'skip'],
      via: 'import',
      handler: { objectProps: { arg: 1, props: ['task', 'data'] } },
      perItem: { handler: { objectProps: { arg: 1, props: ['task'] } }, items: (call, h) => evalData(h.prop(call.arguments?.[1], 'data'), h) },
      read(call, h) {
        if (!/^evalite(?:\.skip)?$/.test(h.text(call.expression))) return null;
        const name = h.str(call.arguments?.[0]) ?? undefined;
        return { kind: 'eval', trigger: `evalite ${h.quoted(call.arguments?.[0])}`, cadence: cadence.unknown(), name };
      },
    },
  ],
};

/** Braintrust: `Eval('project', { data, task, scores })` from 'braintrust'. */
export const braintrust: FrameworkEntry = {
  id: 'braintrust',
  name: 'Braintrust',
  kinds: ['eval'],
  modules: ['braintrust'],
  recognises: "`Eval(project, { data, task, scores })` from 'braintrust': `task` and `data` run as an eval, `task` once per row of `data`",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: 'Eval',
      via: 'import',
      handler: { objectProps: { arg: 1, props: ['task', 'data'] } },
      perItem: { handler: { objectProps: { arg: 1, props: ['task'] } }, items: (call, h) => evalData(h.prop(call.arguments?.[1], 'data'), h) },
      read(call, h) {
        const name = h.str(call.arguments?.[0]) ?? undefined;
        return { kind: 'eval', trigger: `Braintrust Eval ${h.quoted(call.arguments?.[0])}`, cadence: cadence.unknown(), name };
      },
    },
  ],
};

/** LangSmith: `evaluate(target, { data, evaluators })` from 'langsmith/evaluation'. */
export const langsmith: FrameworkEntry = {
  id: 'langsmith',
  name: 'LangSmith',
  kinds: ['eval'],
  modules: ['langsmith'],
  recognises: "`evaluate(target, { data, evaluators })` from 'langsmith/evaluation': the target runs as an eval, once per example of `data`",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: 'evaluate',
      via: 'import',
      handler: { args: [0] },
      perItem: { handler: { args: [0] }, items: (call, h) => evalData(h.prop(call.arguments?.[1], 'data'), h) },
      read(call, h) {
        const data = h.str(h.prop(call.arguments?.[1], 'data'));
        const prefix = h.str(h.prop(call.arguments?.[1], 'experimentPrefix'));
        return {
          kind: 'eval',
          trigger: `LangSmith evaluate${data ? ` on '${data}'` : ''}${prefix ? ` (${prefix})` : ''}`,
          cadence: cadence.unknown(),
          ...(prefix ? { name: prefix } : {}),
        };
      },
    },
  ],
};

interface PromptfooConfig {
  providers?: unknown;
}

/** `file://providers/x.ts`, `file://providers/x.ts:ExportName` → the path relative to the config's folder. */
function providerFile(id: unknown, dir: string): string | null {
  if (typeof id !== 'string' || !id.startsWith('file://')) return null;
  const spec = id.slice('file://'.length).replace(/:[A-Za-z_$][\w$]*$/, '').replace(/^\.\//, '');
  if (!/\.(?:[cm]?[jt]s)$/.test(spec)) return null;
  return dir + spec;
}

/** promptfoo: custom TS/JS providers named by `promptfooconfig.yaml` (`file://…`); their `callApi` runs per test case. */
export const promptfoo: FrameworkEntry = {
  id: 'promptfoo',
  name: 'promptfoo',
  kinds: ['eval'],
  modules: [],
  recognises: '`promptfooconfig.yaml` `providers: [file://provider.ts]` → the provider class\'s `callApi` (and the file\'s exports)',
  fixture: 'evals',
  overrides: ['eval-files'],
  project(p) {
    const files: FileMatcher[] = [];
    for (const config of p.glob(['**/promptfooconfig.{yaml,yml}'])) {
      let doc: PromptfooConfig;
      try {
        doc = parseYaml(p.read(config) ?? '') as PromptfooConfig;
      } catch {
        continue;
      }
      const dir = config.includes('/') ? config.slice(0, config.lastIndexOf('/') + 1) : '';
      const providers = Array.isArray(doc?.providers) ? doc.providers : doc?.providers ? [doc.providers] : [];
      for (const prov of providers) {
        const id = typeof prov === 'string' ? prov : (prov as { id?: unknown })?.id;
        const file = providerFile(id, dir);
        if (!file) continue;
        files.push({
          globs: [file],
          exportsAreEntries: true,
          classMethods: ['callApi'],
          read: () => ({ kind: 'eval', trigger: `promptfoo provider ${String(id)} (${config})`, cadence: cadence.unknown() }),
        });
      }
    }
    return { files };
  },
};
