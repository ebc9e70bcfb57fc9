import type { FrameworkEntry } from './types.js';
import { bullmq } from './bullmq.js';
import { bull } from './bull.js';
import { beeQueue } from './bee-queue.js';
import { pgBoss } from './pg-boss.js';
import { graphileWorker } from './graphile-worker.js';
import { kafkajs } from './kafkajs.js';
import { amqplib } from './amqplib.js';
import { googlePubsub } from './pubsub.js';

/** Queue workers and message consumers. */
export const queueFrameworks: readonly FrameworkEntry[] = [bullmq, bull, beeQueue, pgBoss, graphileWorker, kafkajs, amqplib, googlePubsub];
