import type { FrameworkEntry } from './types.js';
import { cadence } from '../core/entries.js';

const TASK_FILES = ['**/tasks/**/*.{ts,js,mts,mjs,cts,cjs}'];

/**
 * graphile-worker: task functions in a task list (`run({ taskList: { name: fn } })`, `const taskList: TaskList = {…}`),
 * and the default export of files in a `tasks/` directory (`taskDirectory`) when the project uses graphile-worker.
 */
export const graphileWorker: FrameworkEntry = {
  id: 'graphile-worker',
  name: 'graphile-worker',
  kinds: ['queue'],
  modules: ['graphile-worker'],
  recognises: "task functions of `taskList: { name: fn }` / `const taskList: TaskList = {…}`; default exports of `tasks/**` files",
  fixture: 'postgres-jobs',
  objectPaths: [
    {
      path: ['taskList', '*'],
      read: (path) => ({ kind: 'queue', trigger: `graphile-worker task '${path[path.length - 1]}'`, cadence: cadence.unknown() }),
    },
    {
      path: ['TaskList', '*'],
      read: (path) => ({ kind: 'queue', trigger: `graphile-worker task '${path[path.length - 1]}'`, cadence: cadence.unknown() }),
    },
  ],
  project(p) {
    if (!p.imports('graphile-worker')) return {};
    return {
      exports: [
        {
          globs: TASK_FILES,
          exports: ['*'],
          read(name, _fn, h) {
            const ts = h.ts;
            const isDefault =
              name === 'default' ||
              h.sourceFile.statements.some((st) => ts.isExportAssignment(st) && ts.isIdentifier(st.expression) && st.expression.text === name) ||
              h.sourceFile.statements.some(
                (st) =>
                  ts.isExpressionStatement(st) &&
                  ts.isBinaryExpression(st.expression) &&
                  st.expression.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
                  h.text(st.expression.left) === 'module.exports' &&
                  ts.isIdentifier(st.expression.right) &&
                  st.expression.right.text === name,
              );
            if (!isDefault) return null;
            const task = h.file.replace(/^.*\/tasks\//, '').replace(/\.[cm]?[jt]s$/, '');
            return { kind: 'queue', trigger: `graphile-worker task '${task}' (taskDirectory)`, cadence: cadence.unknown() };
          },
        },
      ],
    };
  },
};
