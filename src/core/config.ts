import { z } from 'zod/v4';

/** One usage override: either `site` (`file:line` as the report prints it) or `entry` (`file:functionName`). */
export const UsageEntrySchema = z
  .strictObject({
    site: z.string().optional().describe('A call site as `file:line`, exactly as the report prints it.'),
    entry: z.string().optional().describe('An entrypoint as `file:functionName`; applies to every call it reaches.'),
    runsPerMonth: z.number().nonnegative().optional().describe('How many times the entrypoint runs per month.'),
    callsPerRun: z.number().nonnegative().optional().describe('How many times the call runs per entrypoint run.'),
    inputTokens: z.number().nonnegative().optional().describe('Input tokens per call.'),
    outputTokens: z.number().nonnegative().optional().describe('Output tokens per call.'),
    cachedInputShare: z.number().min(0).max(1).optional().describe('Share of input tokens served from the prompt cache (0..1).'),
  })
  .refine((e) => (e.site === undefined) !== (e.entry === undefined), {
    message: 'each usage entry needs exactly one of `site` or `entry`',
  });

export const ConfigSchema = z
  .strictObject({
    $schema: z.string().optional(),
    entrypoints: z
      .strictObject({
        background: z
          .array(z.string())
          .optional()
          .describe('Globs (`src/jobs/**`) or `file:function` that are background entrypoints (kind from `kind`, default `script`).'),
        interactive: z
          .array(z.string())
          .optional()
          .describe('Globs or `file:function` that are interactive entrypoints (request paths).'),
        kind: z
          .enum(['cron', 'interval', 'queue', 'eval', 'script'])
          .optional()
          .describe('The kind given to `background` entries (default `script`).'),
      })
      .optional()
      .describe('Entrypoints the framework catalogue does not find, or overrides of what it found.'),
    ignore: z.array(z.string()).optional().describe('Globs of files the audit skips.'),
    usage: z.array(UsageEntrySchema).optional().describe('Measured or known volumes that override the estimate.'),
    defaults: z
      .strictObject({
        runsPerMonth: z
          .strictObject({
            queue: z.number().nonnegative().optional(),
            eval: z.number().nonnegative().optional(),
            script: z.number().nonnegative().optional(),
          })
          .optional()
          .describe('Runs per month assumed for entrypoints without a schedule.'),
        callsPerRun: z.number().nonnegative().optional().describe('Calls per run assumed for a per-item loop of unknown size.'),
        tokensPerInterpolation: z.number().nonnegative().optional().describe('Tokens assumed per interpolated value in a prompt.'),
        outputTokens: z.number().nonnegative().optional().describe('Output tokens assumed when no max is set.'),
      })
      .optional()
      .describe('Defaults for the savings estimate.'),
    prices: z.string().optional().describe('Path to a prices table (same schema as the bundled one) to use instead.'),
  });

export type TierwiseConfig = z.infer<typeof ConfigSchema>;
export type UsageEntry = z.infer<typeof UsageEntrySchema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Formats zod issues as `path: message` items on one line (`a.b: …; (root): …`): the CLI's errors are one line. */
function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(root)'}: ${i.message.replace(/\s*\n\s*/g, ' ')}`).join('; ');
}

/** Validates a config object; throws ConfigError naming the bad keys. */
export function parseConfig(data: unknown, origin: string): TierwiseConfig {
  const r = ConfigSchema.safeParse(data);
  if (!r.success) throw new ConfigError(`${origin} is not a valid tierwise config: ${issues(r.error)}. See schema/tierwise.config.schema.json.`);
  return r.data;
}

/** The JSON Schema of the config file, generated from the zod schema (published as schema/tierwise.config.schema.json). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ConfigSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
}
