/**
 * `tierwise fix flex|batch [dir]`: the codemod commands. Shared flags are declared here; the mechanics are in
 * src/fix/runner.ts.
 *
 * Exit codes: 0 every selected site was fixed (or there was nothing to fix); 1 the change is partial — some site was
 * skipped with a reason or some file failed (the summary says which; fix those by hand or re-run); 2 usage errors
 * (bad directory, bad --site, dirty git tree without --force) and crashes. A --dry run uses the same codes for what it
 * would do.
 */
import type { Argv, CommandModule } from 'yargs';
import type { FixSummary } from './runner.js';

export interface FixArgs {
  dir?: string;
  dry?: boolean;
  print?: boolean;
  force?: boolean;
  format?: boolean;
  fallback?: boolean;
  'all-background'?: boolean;
  site?: string[];
  project?: string;
  config?: string;
  yes?: boolean;
}

/** Options every `fix` subcommand takes. */
export function fixOptions<T>(y: Argv<T>): Argv<T & FixArgs> {
  return y
    .option('dry', { alias: 'd', type: 'boolean', default: false, describe: 'Print a unified diff; change nothing' })
    .option('print', { alias: 'p', type: 'boolean', default: false, describe: 'Print the new text of each changed file' })
    .option('force', { type: 'boolean', default: false, describe: 'Write even when the git work tree has uncommitted changes' })
    .option('format', { type: 'boolean', default: true, describe: "Run Prettier on changed files when the project has a Prettier config (--no-format to skip)" })
    .option('site', { type: 'string', array: true, describe: 'Only this call site, as file:line (repeatable)' })
    .option('project', { type: 'string', describe: 'tsconfig to use instead of <dir>/tsconfig.json' })
    .option('config', { type: 'string', describe: 'tierwise config file' })
    .option('yes', { alias: 'y', type: 'boolean', default: false, describe: 'Never prompt (tierwise fix never prompts; accepted for scripts)' }) as Argv<T & FixArgs>;
}

/** The exit code of a fix run (see the file header). */
export function fixExitCode(s: FixSummary): number {
  return s.skipped.length > 0 || s.errors.length > 0 ? 1 : 0;
}

/** Prints a fix run's output: the diff (--dry), the files (--print), then the summary. */
export async function printFixResult(s: FixSummary, args: { dry?: boolean; print?: boolean }): Promise<void> {
  const { formatSummary } = await import('./runner.js');
  if (args.dry && s.diff) process.stdout.write(s.diff.endsWith('\n') ? s.diff : `${s.diff}\n`);
  if (args.print) for (const p of s.printed) process.stdout.write(`// ${p.file}\n${p.text}${p.text.endsWith('\n') ? '' : '\n'}`);
  process.stdout.write(formatSummary(s));
}

/** Runs a fix and reports it. The codemods (TypeScript, jscodeshift, Prettier) load only when a fix runs. */
async function runFix(args: FixArgs, run: () => Promise<{ summary: FixSummary }>): Promise<void> {
  const { summary } = await run();
  await printFixResult(summary, args);
  process.exitCode = fixExitCode(summary);
}

const common = (args: FixArgs) => ({
  dir: args.dir ?? '.',
  project: args.project,
  configFile: args.config,
  dry: args.dry,
  print: args.print,
  force: args.force,
  format: args.format,
  sites: args.site,
});

export const flexCommand: CommandModule<object, FixArgs> = {
  command: 'flex [dir]',
  describe: "Move background calls recommended for Flex to service_tier 'flex' with a 15-minute timeout",
  builder: (y) =>
    fixOptions(y)
      .positional('dir', { type: 'string', default: '.', describe: 'Project directory' })
      .option('fallback', { type: 'boolean', default: false, describe: 'Wrap calls so a flex 429 (no capacity) is retried once on the standard tier' })
      .option('all-background', { type: 'boolean', default: false, describe: 'Also move Batch-recommended background calls whose model is flex-eligible' }) as Argv<FixArgs>,
  handler: (args) =>
    runFix(args, async () => (await import('./flex.js')).fixFlex({ ...common(args), fallback: args.fallback, allBackground: args['all-background'] })),
};

export const batchCommand: CommandModule<object, FixArgs> = {
  command: 'batch [dir]',
  describe: 'Rewrite per-item loops of background jobs to one Batch API run (half price, results within 24 h)',
  builder: (y) => fixOptions(y).positional('dir', { type: 'string', default: '.', describe: 'Project directory' }) as Argv<FixArgs>,
  handler: (args) => runFix(args, async () => (await import('./batch.js')).fixBatch(common(args))),
};

export const fixCommand: CommandModule<object, object> = {
  command: 'fix <codemod>',
  describe: 'Apply a codemod: flex (service_tier flex + timeout) or batch (loops to the Batch API)',
  builder: (y) => y.command(flexCommand).command(batchCommand as CommandModule<object, object>).demandCommand(1, 'Name a codemod: flex or batch.'),
  handler: () => undefined,
};
