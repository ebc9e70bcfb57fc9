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
import { agenda } from './agenda.js';
import { bree } from './bree.js';
import { inngest } from './inngest.js';
import { triggerDev } from './trigger-dev.js';
import { cloudflareWorkers } from './cloudflare.js';
import { awsLambda, serverlessSchedule } from './aws-lambda.js';
import { braintrust, evalite, langsmith, promptfoo } from './eval-frameworks.js';

/**
 * Scheduled jobs (cron, interval), evals and scripts. Some families also produce queue or interactive entries
 * (Inngest events, Trigger.dev tasks, Cloudflare `queue`/`fetch`, Lambda SQS/API Gateway) from the same entry file.
 */
export const scheduleFrameworks: readonly FrameworkEntry[] = [
  nodeCron,
  cronPackage,
  nodeSchedule,
  croner,
  nestjsSchedule,
  setIntervalEntry,
  vercelCron,
  githubActions,
  agenda,
  bree,
  inngest,
  triggerDev,
  cloudflareWorkers,
  awsLambda,
  serverlessSchedule,
  evalConventions,
  scriptConventions,
  packageScriptsEntry,
  evalite,
  braintrust,
  langsmith,
  promptfoo,
];
