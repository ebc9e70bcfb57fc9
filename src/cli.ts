#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { auditCommand, mergeCommand } from './audit/command.js';
import { VERSION } from './version.js';
import { fixCommand } from './fix/command.js';

/** Errors that are the user's to fix: one clear line, exit 2. */
const USER_ERRORS = new Set(['UsageError', 'ConfigError', 'PriceTableError', 'UsageDataError', 'OutputUsageError', 'BaselineError', 'ReportInputError', 'WorkspaceError', 'ChangedFilesError', 'GitError', 'DirtyTreeError']);
// yargs' own argument errors (`--fail-above` without a value …) are YError: usage errors too.
USER_ERRORS.add('YError');

export async function main(argv: string[]): Promise<void> {
  try {
    await yargs(argv)
      .scriptName('tierwise')
      .version(VERSION)
      .command(auditCommand)
      .command(mergeCommand)
      .command(fixCommand)
      .demandCommand(1, 'Name a command: audit, fix flex, fix batch, merge.')
      .strict()
      .fail((msg, err) => {
        if (err) throw err;
        const e = new Error(msg);
        e.name = 'UsageError';
        throw e;
      })
      .help()
      .parseAsync();
  } catch (err) {
    const e = err as Error;
    const prefix = USER_ERRORS.has(e.name) ? 'tierwise: ' : 'tierwise: internal error: ';
    // One line on stderr, whatever the message holds.
    process.stderr.write(`${prefix}${e.message.trim().replace(/\s*\n\s*/g, ' ')}\n`);
    process.exitCode = 2;
  }
}

/** Run when executed (the `tierwise` bin), not when imported (tests call `main`). */
function isEntry(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) await main(hideBin(process.argv));
