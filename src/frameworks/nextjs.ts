import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `src/app/api/chat/[id]/route.ts` → `/api/chat/[id]`; `pages/api/x.ts` → `/api/x`. */
export function routePath(file: string): string {
  const app = /(?:^|\/)app\/(.*)\/route\.[cm]?[jt]sx?$/.exec(file);
  if (app) return '/' + app[1]!.split('/').filter((s) => !/^\(.*\)$/.test(s) && !s.startsWith('@')).join('/');
  const pages = /(?:^|\/)pages\/(api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(file);
  if (pages) return '/' + pages[1];
  const api = /(?:^|\/)(api\/.*?)(?:\/index)?\.[cm]?[jt]sx?$/.exec(file);
  return api ? '/' + api[1] : file;
}

/** Next.js route handlers, API routes and server actions: interactive. */
export const nextjs: FrameworkEntry = {
  id: 'nextjs',
  name: 'Next.js',
  kinds: ['interactive'],
  modules: ['next'],
  recognises: "`app/**/route.ts` exports (`GET`, `POST`, …), `pages/api/**` default exports, `'use server'` actions",
  fixture: 'nextjs',
  exports: [
    {
      globs: ['**/app/**/route.{ts,js,mts,mjs,tsx,jsx}'],
      exports: ROUTE_METHODS,
      read: (name, _fn, h) => ({ kind: 'interactive', trigger: `Next.js ${name} ${routePath(h.file)}`, cadence: cadence.unknown() }),
    },
    {
      globs: ['**/pages/api/**/*.{ts,js,mts,mjs,tsx,jsx}'],
      exports: ['default'],
      read: (_name, _fn, h) => ({ kind: 'interactive', trigger: `Next.js API route ${routePath(h.file)}`, cadence: cadence.unknown() }),
    },
    {
      globs: ['**/*.{ts,tsx,js,jsx,mts,mjs}'],
      exports: ['*'],
      read(name, fn, h) {
        const ts = h.ts;
        const directive = (stmts: readonly import('typescript').Statement[] | undefined) =>
          !!stmts?.some((s) => ts.isExpressionStatement(s) && ts.isStringLiteral(s.expression) && s.expression.text === 'use server');
        const body = (fn as import('typescript').FunctionLikeDeclaration).body;
        const inline = body && ts.isBlock(body) && directive(body.statements);
        if (!directive(h.sourceFile.statements) && !inline) return null;
        return { kind: 'interactive', trigger: `Next.js server action ${name}`, cadence: cadence.unknown() };
      },
    },
  ],
};
