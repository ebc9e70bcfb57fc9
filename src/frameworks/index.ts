import type { FrameworkEntry } from './types.js';
import { scheduleFrameworks } from './catalog-schedules.js';
import { queueFrameworks } from './catalog-queues.js';
import { interactiveFrameworks } from './catalog-interactive.js';

/** The catalogue of entrypoint families. The docs table is generated from these objects. */
export const frameworks: readonly FrameworkEntry[] = [...scheduleFrameworks, ...queueFrameworks, ...interactiveFrameworks];
