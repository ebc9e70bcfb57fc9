import type { FrameworkEntry } from './types.js';
import { bullmq } from './bullmq.js';

/** Queue workers and message consumers. */
export const queueFrameworks: readonly FrameworkEntry[] = [bullmq];
