import type { FrameworkEntry } from './types.js';
import { nodeCron } from './node-cron.js';
import { cronPackage } from './cron.js';
import { nodeSchedule } from './node-schedule.js';
import { croner } from './croner.js';
import { nestjsSchedule } from './nestjs-schedule.js';
import { setIntervalEntry } from './set-interval.js';
import { vercelCron } from './vercel-cron.js';
import { githubActions } from './github-actions.js';
import { evalConventions, packageScriptsEntry, scriptConventions } from './conventions.js';

/** Scheduled jobs (cron, interval), evals and scripts. */
export const scheduleFrameworks: readonly FrameworkEntry[] = [
  nodeCron,
  cronPackage,
  nodeSchedule,
  croner,
  nestjsSchedule,
  setIntervalEntry,
  vercelCron,
  githubActions,
  evalConventions,
  scriptConventions,
  packageScriptsEntry,
];
