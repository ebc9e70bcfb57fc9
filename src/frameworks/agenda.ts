import type { TS } from '../core/ts.js';
import type { FrameworkEntry, MatchHelpers } from './types.js';
import { cadence } from '../core/entries.js';
import { cronOrInterval } from './schedule-text.js';

/** The interval of `agenda.every(interval, 'name')` for this job: in the same file (static values), else in other files (literals). */
function everyFor(name: string, h: MatchHelpers): string | number | null {
  const ts = h.ts;
  let found: string | number | null = null;
  const visit = (n: TS.Node): void => {
    if (found !== null) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'every' && n.arguments.length >= 2) {
      const target = n.arguments[1]!;
      const v = h.evaluate(target);
      const names = v.kind === 'string' ? [v.value] : v.kind === 'array' ? v.elements.map((e) => h.str(e)) : [];
      if (names.includes(name)) found = h.str(n.arguments[0]) ?? h.num(n.arguments[0]);
    }
    ts.forEachChild(n, visit);
  };
  visit(h.sourceFile);
  if (found !== null) return found;
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`\\.every\\(\\s*(?:(['"\`])([^'"\`]+)\\1|(\\d+))\\s*,\\s*(['"\`])${esc}\\4`);
  for (const file of h.project.glob(['**/*.{ts,mts,cts,js,mjs,cjs}'])) {
    if (file === h.file) continue;
    const m = re.exec(h.project.read(file) ?? '');
    if (m) return m[2] ?? Number(m[3]);
  }
  return null;
}

/**
 * Agenda (v5/v6): `agenda.define('name', processor)` with `agenda.every(interval, 'name')` → cron (cron expression) or
 * interval (human interval); a defined job that is only `schedule`d / run `now` → queue. v6 decorators:
 * `@Every(interval)` methods → cron/interval, `@Define()` methods → queue.
 */
export const agenda: FrameworkEntry = {
  id: 'agenda',
  name: 'Agenda',
  kinds: ['cron', 'interval', 'queue'],
  modules: ['agenda', '@hokify/agenda'],
  recognises: "`agenda.define(name, processor)` + `agenda.every(interval, name)`; `@Every(interval)` / `@Define()` methods (v6 decorators)",
  fixture: 'agenda',
  registrations: [
    {
      form: 'call',
      name: 'define',
      via: 'member',
      handler: { args: [1] },
      read(call, h) {
        const name = h.str(call.arguments?.[0]);
        if (!name) return { kind: 'queue', trigger: `Agenda job ${h.quoted(call.arguments?.[0])}`, cadence: cadence.unknown() };
        const every = everyFor(name, h);
        if (every === null) return { kind: 'queue', trigger: `Agenda job '${name}'`, cadence: cadence.unknown(), name };
        const s = cronOrInterval(every);
        return { kind: s.kind, trigger: `Agenda every '${every}' '${name}'`, cadence: s.cadence, name };
      },
    },
  ],
  decorators: [
    {
      target: 'method',
      name: 'Every',
      read(_d, args, h) {
        const every = h.str(args[0]) ?? h.num(args[0]);
        const s = cronOrInterval(every, h.str(h.prop(args[1], 'timezone')) ?? undefined);
        return { kind: s.kind, trigger: `Agenda @Every(${args[0] ? h.text(args[0]) : ''})`, cadence: s.cadence };
      },
    },
    {
      target: 'method',
      name: 'Define',
      read: (_d, _args, _h, method) => ({ kind: 'queue', trigger: `Agenda @Define() ${method.name.getText()}`, cadence: cadence.unknown() }),
    },
  ],
};
