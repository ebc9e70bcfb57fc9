#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { auditCommand, mergeCommand } from './audit/command.js';
import { VERSION } from './version.js';
import { batchCommand, fixCommand, flexCommand } from './fix/command.js';

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
        const e = new Error(unknownOptions(msg, argv) ?? msg);
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

/**
 * yargs says "Unknown arguments: bogus-flag, bogusFlag" (every unknown flag in both spellings). Name each once, as
 * typed, followed by the options the command does take; undefined for any other message.
 */
export function unknownOptions(msg: string | null | undefined, argv: readonly string[]): string | undefined {
  const m = /^Unknown arguments?: (.+)$/.exec(msg ?? '');
  if (!m) return undefined;
  const names = m[1]!.split(', ').map((n) => n.trim());
  const camel = (n: string) => n.replace(/-+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const typed = names.filter((n) => !names.some((o) => o !== n && o.includes('-') && camel(o) === n));
  const flag = (n: string) => (n.length === 1 ? `-${n}` : `--${n}`);
  const valid = commandOptions(argv).map(flag);
  const list = valid.length ? ` Valid options: ${valid.join(', ')}.` : '';
  return `Unknown option${typed.length === 1 ? '' : 's'}: ${typed.map(flag).join(', ')}.${list}`;
}

/** The long options of the command named first in argv (what its builder declares, plus --help and --version). */
function commandOptions(argv: readonly string[]): string[] {
  const name = (c: CommandModule<never, never>) => String(c.command).split(' ')[0];
  const top = [auditCommand, mergeCommand, fixCommand] as unknown as Array<CommandModule<never, never>>;
  let command = top.find((c) => name(c) === argv[0]);
  if (command === (fixCommand as unknown)) command = ([flexCommand, batchCommand] as unknown as Array<CommandModule<never, never>>).find((c) => name(c) === argv[1]);
  if (!command || typeof command.builder !== 'function') return [];
  // Positionals (`[dir]`, `<reports..>`) are not options.
  const positionals = new Set([...String(command.command).matchAll(/[[<]([\w-]+)(?:\.\.)?[\]>]/g)].map((m) => m[1]!));
  const parser = (command.builder as unknown as (y: Argv) => Argv)(yargs([]));
  // `getOptions` is yargs' runtime API for the declared options; its typings do not expose it.
  const declared = (parser as unknown as { getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> } }).getOptions();
  const aliases = new Set(Object.values(declared.alias ?? {}).flat());
  return Object.keys(declared.key)
    .filter((k) => k !== '$0' && k.length > 1 && !aliases.has(k) && !positionals.has(k) && !/[A-Z]/.test(k))
    .concat('help', 'version')
    .filter((k, i, all) => all.indexOf(k) === i)
    .sort();
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
