import type { FrameworkEntry } from './types.js';
import { cadence, decoratorsOf } from '../core/entries.js';

const OPERATIONS = ['Query', 'Mutation', 'Subscription'];
const METHOD_DECORATORS = ['Query', 'Mutation', 'Subscription', 'ResolveField', 'FieldResolver'];

/**
 * GraphQL resolvers: resolver maps (`{ Query: { field: fn }, Mutation: {…}, Subscription: { f: { subscribe } } }`) in
 * projects using a GraphQL server, and `@Resolver()` classes' `@Query`/`@Mutation`/`@Subscription`/`@ResolveField`
 * (@nestjs/graphql) or `@FieldResolver` (type-graphql) methods.
 */
export const graphql: FrameworkEntry = {
  id: 'graphql',
  name: 'GraphQL',
  kinds: ['interactive'],
  modules: ['graphql', '@apollo/server', 'apollo-server', 'graphql-yoga', '@graphql-tools/schema', 'mercurius', '@nestjs/graphql', 'type-graphql'],
  recognises: '`Query`/`Mutation`/`Subscription` resolver maps; `@Resolver()` classes\' `@Query`/`@Mutation`/`@ResolveField` methods (@nestjs/graphql, type-graphql)',
  fixture: 'api-rpc',
  objectPaths: [
    ...OPERATIONS.map((op) => ({
      path: [op, '*'],
      read: (path: string[]) => ({ kind: 'interactive' as const, trigger: `GraphQL ${op}.${path[path.length - 1]}`, cadence: cadence.unknown(), name: `${op}.${path[path.length - 1]}` }),
    })),
    {
      path: ['Subscription', '*', 'subscribe'],
      read: (path: string[]) => ({ kind: 'interactive' as const, trigger: `GraphQL Subscription.${path[path.length - 2]}`, cadence: cadence.unknown() }),
    },
  ],
  decorators: [
    {
      target: 'class',
      name: 'Resolver',
      methodDecorators: METHOD_DECORATORS,
      read(_d, _args, h, method) {
        const d = decoratorsOf(h.ts, method).find((x) => METHOD_DECORATORS.includes(x.name));
        const field = (method.name && h.ts.isIdentifier(method.name) ? method.name.text : undefined) ?? '?';
        const named = d ? (h.str(d.args[0]) ?? h.str(h.prop(d.args[d.args.length - 1], 'name'))) : null;
        return { kind: 'interactive', trigger: `GraphQL @${d?.name ?? '?'} ${named ?? field}`, cadence: cadence.unknown() };
      },
    },
  ],
};
