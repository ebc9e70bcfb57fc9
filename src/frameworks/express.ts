import type { FrameworkEntry, RegistrationMatcher } from './types.js';
import { cadence } from '../core/entries.js';
import { receiverFrom } from './receivers.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'all', 'head', 'options'];

function route(label: string, modules: string[]): RegistrationMatcher {
  return {
    form: 'call',
    name: METHODS,
    via: 'member',
    handler: { args: 'any' },
    read(call, h) {
      const args = call.arguments ?? [];
      const path = h.str(args[0]);
      if (path === null || !path.startsWith('/') || args.length < 2 || !receiverFrom(call, h, modules)) return null;
      const method = h.ts.isPropertyAccessExpression(call.expression) ? call.expression.name.text.toUpperCase() : '?';
      return { kind: 'interactive', trigger: `${label} ${method} ${path}`, cadence: cadence.unknown() };
    },
  };
}

/** Express, Koa (@koa/router), Hono: `app.get('/path', handler)`-style routes. */
export const express: FrameworkEntry = {
  id: 'express',
  name: 'Express',
  kinds: ['interactive'],
  modules: ['express'],
  recognises: "`app.get|post|…('/path', …handlers)` / `router.…` in files using 'express'",
  fixture: 'bullmq',
  registrations: [route('Express', ['express'])],
};

export const koa: FrameworkEntry = {
  id: 'koa',
  name: 'Koa',
  kinds: ['interactive'],
  modules: ['@koa/router', 'koa-router'],
  recognises: "`router.get|post|…('/path', …handlers)` from '@koa/router'",
  fixture: 'redis-queues',
  registrations: [route('Koa', ['@koa/router', 'koa-router'])],
};

export const hono: FrameworkEntry = {
  id: 'hono',
  name: 'Hono',
  kinds: ['interactive'],
  modules: ['hono'],
  recognises: "`app.get|post|…('/path', handler)` on a `new Hono()` app",
  fixture: 'postgres-jobs',
  registrations: [route('Hono', ['hono'])],
};

/** Fastify: `fastify.get('/path', [opts,] handler)`, `fastify.route({ method, url, handler })`. */
export const fastify: FrameworkEntry = {
  id: 'fastify',
  name: 'Fastify',
  kinds: ['interactive'],
  modules: ['fastify'],
  recognises: "`fastify.get|post|…('/path', [opts,] handler)` and `fastify.route({ url, handler })`",
  fixture: 'brokers',
  registrations: [
    route('Fastify', ['fastify']),
    {
      form: 'call',
      name: 'route',
      via: 'member',
      handler: { objectProps: { arg: 0, props: ['handler'] } },
      read(call, h) {
        const opts = call.arguments?.[0];
        const url = h.str(h.prop(opts, 'url'));
        const method = h.str(h.prop(opts, 'method')) ?? '?';
        return { kind: 'interactive', trigger: `Fastify ${method} ${url ?? '?'}`, cadence: cadence.unknown() };
      },
    },
  ],
};
