import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** The `cron` package: `new CronJob('0 6 * * *', onTick)`, `CronJob.from({ cronTime, onTick })`. */
export const cronPackage: FrameworkEntry = {
  id: 'cron',
  name: 'cron',
  kinds: ['cron'],
  modules: ['cron'],
  recognises: "`new CronJob(cronTime, onTick)` and `CronJob.from({ cronTime, onTick })` from 'cron'",
  fixture: 'cron',
  registrations: [
    {
      form: 'new',
      name: 'CronJob',
      via: 'import',
      handler: { args: [1] },
      read(call, h) {
        const args = call.arguments ?? [];
        const tz = h.str(args[4]) ?? undefined;
        return { kind: 'cron', trigger: `cron CronJob ${h.quoted(args[0])}`, cadence: cadence.cron(h.str(args[0]), tz) };
      },
    },
    {
      form: 'call',
      name: 'from',
      via: 'import',
      handler: { objectProps: { arg: 0, props: ['onTick'] } },
      read(call, h) {
        const opts = call.arguments?.[0];
        if (!h.text(call.expression).endsWith('CronJob.from')) return null;
        const time = h.prop(opts, 'cronTime');
        const tz = h.str(h.prop(opts, 'timeZone')) ?? undefined;
        return { kind: 'cron', trigger: `cron CronJob.from ${h.quoted(time)}`, cadence: cadence.cron(h.str(time), tz) };
      },
    },
  ],
};
