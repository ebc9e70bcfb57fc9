import type { TS, TsModule } from '../core/ts.js';
import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

/** Whether a directive prologue (the leading string-literal statements of a file or function body) holds 'use server'. */
export function hasUseServer(ts: TsModule, stmts: readonly TS.Statement[] | undefined): boolean {
  for (const s of stmts ?? []) {
    if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) return false;
    if (s.expression.text === 'use server') return true;
  }
  return false;
}

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
  recognises: "`app/**/route.ts` exports (`GET`, `POST`, …), `pages/api/**` default exports, `'use server'` actions (exports of a `'use server'` file, any function whose body starts with it)",
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
      read(name, _fn, h) {
        // Every export of a file that starts with 'use server' is a server action.
        if (!hasUseServer(h.ts, h.sourceFile.statements)) return null;
        return { kind: 'interactive', trigger: `Next.js server action ${name}`, cadence: cadence.unknown() };
      },
    },
  ],
  functions: [
    {
      // A function whose body starts with 'use server' is a server action wherever it is declared (exported, or inline
      // in a component and passed to `<form action={…}>`).
      globs: ['**/*.{ts,tsx,js,jsx,mts,mjs}'],
      read(fn, name, h) {
        const body = (fn as TS.FunctionLikeDeclaration).body;
        if (!body || !h.ts.isBlock(body) || !hasUseServer(h.ts, body.statements)) return null;
        const short = name?.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
        return { kind: 'interactive', trigger: `Next.js server action ${short ?? '(inline)'}`, cadence: cadence.unknown() };
      },
    },
  ],
};
