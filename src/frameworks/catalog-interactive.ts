import type { FrameworkEntry } from './types.js';
import { express, fastify, hono, koa } from './express.js';
import { nextjs } from './nextjs.js';
import { nestjs } from './nestjs.js';
import { trpc } from './trpc.js';
import { graphql } from './graphql.js';

/** Interactive request paths: HTTP routes, route handlers, server actions, RPC and GraphQL resolvers. */
export const interactiveFrameworks: readonly FrameworkEntry[] = [express, fastify, koa, hono, nextjs, nestjs, trpc, graphql];
