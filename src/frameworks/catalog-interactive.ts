import type { FrameworkEntry } from './types.js';
import { express, fastify, hono, koa } from './express.js';
import { nextjs } from './nextjs.js';

/** Interactive request paths: HTTP routes, route handlers, server actions, RPC and GraphQL resolvers. */
export const interactiveFrameworks: readonly FrameworkEntry[] = [express, fastify, koa, hono, nextjs];
