/**
 * A mistake in how tierwise was called (a missing directory, a bad option): the CLI prints its message on one line
 * and exits 2. Its own module, free of the analysis, so the CLI's command modules can throw it without loading
 * TypeScript at start-up.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
