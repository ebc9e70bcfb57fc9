import type { FrameworkEntry, MatchHelpers } from './types.js';
import type { TS } from '../core/ts.js';
import { cadence } from '../core/entries.js';
import { nestCronExpression } from '../pricing/cadence.js';

/** `CronExpression.EVERY_DAY_AT_6AM` → its expression, from the checker or from our copy of the enum. */
function cronArg(expr: TS.Expression | undefined, h: MatchHelpers): string | null {
  const direct = h.str(expr);
  if (direct) return direct;
  if (expr && h.ts.isPropertyAccessExpression(expr) && h.text(expr.expression) === 'CronExpression') {
    return nestCronExpression(expr.name.text);
  }
  return null;
}

/** @nestjs/schedule: `@Cron(...)`, `@Interval(...)`, `@Timeout(...)` on provider methods. */
export const nestjsSchedule: FrameworkEntry = {
  id: 'nestjs-schedule',
  name: '@nestjs/schedule',
  kinds: ['cron', 'interval'],
  modules: ['@nestjs/schedule'],
  recognises: '`@Cron(expression | CronExpression.X)`, `@Interval([name,] ms)`, `@Timeout([name,] ms)` methods',
  fixture: 'nestjs',
  decorators: [
    {
      target: 'method',
      name: 'Cron',
      read(_d, args, h) {
        const expr = cronArg(args[0], h);
        const tz = h.str(h.prop(args[1], 'timeZone')) ?? undefined;
        return { kind: 'cron', trigger: `@nestjs/schedule @Cron(${args[0] ? h.text(args[0]) : ''})`, cadence: cadence.cron(expr, tz) };
      },
    },
    {
      target: 'method',
      name: 'Interval',
      read(_d, args, h) {
        const ms = h.num(args.length > 1 ? args[1] : args[0]);
        return { kind: 'interval', trigger: `@nestjs/schedule @Interval(${ms ?? '?'})`, cadence: cadence.every(ms) };
      },
    },
    {
      target: 'method',
      name: 'Timeout',
      read(_d, args, h) {
        const ms = h.num(args.length > 1 ? args[1] : args[0]);
        return { kind: 'cron', trigger: `@nestjs/schedule @Timeout(${ms ?? '?'})`, cadence: cadence.once(ms ?? undefined) };
      },
    },
  ],
};
