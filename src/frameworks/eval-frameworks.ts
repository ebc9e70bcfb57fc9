import { parse as parseYaml } from 'yaml';
import type { FileMatcher, FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** evalite: `evalite('name', { data, task, scorers })` (and `evalite.skip`), usually in `*.eval.ts` files. */
export const evalite: FrameworkEntry = {
  id: 'evalite',
  name: 'evalite',
  kinds: ['eval'],
  modules: ['evalite'],
  recognises: "`evalite(name, { data, task })` from 'evalite': `task` and `data` run as an eval",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: ['evalite', 'skip'],
      via: 'import',
      handler: { objectProps: { arg: 1, props: ['task', 'data'] } },
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
  recognises: "`Eval(project, { data, task, scores })` from 'braintrust': `task` and `data` run as an eval",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: 'Eval',
      via: 'import',
      handler: { objectProps: { arg: 1, props: ['task', 'data'] } },
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
  recognises: "`evaluate(target, { data, evaluators })` from 'langsmith/evaluation': the target runs as an eval",
  fixture: 'evals',
  overrides: ['eval-files'],
  registrations: [
    {
      form: 'call',
      name: 'evaluate',
      via: 'import',
      handler: { args: [0] },
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
