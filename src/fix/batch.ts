/**
 * STUB owned by the batch-codemod developer, who replaces this file: `tierwise fix batch [dir]`.
 * It exists so that src/fix/command.ts can register the subcommand. Shared mechanics: src/fix/runner.ts.
 */
import type { CommandModule } from 'yargs';

export const batchCommand: CommandModule<object, { dir?: string }> = {
  command: 'batch [dir]',
  describe: 'Rewrite per-item background loops to the Batch API (not implemented yet)',
  handler: () => {
    throw new Error('tierwise fix batch is not implemented yet');
  },
};
