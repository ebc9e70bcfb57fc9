/**
 * The README's table of the estimate's defaults, generated from `DEFAULTS` so the documented values cannot drift
 * (test/docs/readme.test.ts checks that README.md contains it verbatim and that it covers every default).
 */
import { DEFAULTS } from './estimate.js';

interface Row {
  /** Path of the value in DEFAULTS (`runsPerMonth.queue`). */
  key: string;
  what: string;
  value: string;
  /** Config keys that replace it. */
  config: string[];
}

const n = (v: number) => v.toLocaleString('en-US');
const code = (k: string) => `\`${k}\``;

export function defaultsRows(): Row[] {
  const r = DEFAULTS.runsPerMonth;
  return [
    { key: 'runsPerMonth.queue', what: 'Jobs per month of a queue worker / event consumer', value: n(r.queue), config: ['defaults.runsPerMonth.queue', 'usage[].runsPerMonth'] },
    { key: 'runsPerMonth.eval', what: 'Runs per month of an eval', value: n(r.eval), config: ['defaults.runsPerMonth.eval', 'usage[].runsPerMonth'] },
    { key: 'runsPerMonth.script', what: 'Runs per month of a script (one a day)', value: n(r.script), config: ['defaults.runsPerMonth.script', 'usage[].runsPerMonth'] },
    { key: 'runsPerMonth.cron', what: 'Runs per month of a cron job whose expression cannot be read (daily)', value: n(r.cron), config: ['usage[].runsPerMonth'] },
    { key: 'runsPerMonth.interval', what: 'Runs per month of an interval whose period cannot be read (daily)', value: n(r.interval), config: ['usage[].runsPerMonth'] },
    {
      key: 'runsPerMonth.interactive',
      what: 'Requests per month of an interactive entrypoint or an unreached call — only to share `--usage` totals, never priced',
      value: n(r.interactive),
      config: ['usage[].runsPerMonth'],
    },
    { key: 'callsPerRun', what: 'Calls per run of a loop over a collection of unknown size', value: n(DEFAULTS.callsPerRun), config: ['defaults.callsPerRun', 'usage[].callsPerRun'] },
    { key: 'tokensPerInterpolation', what: 'Input tokens per interpolated value in a prompt (`${doc}`, a variable message)', value: n(DEFAULTS.tokensPerInterpolation), config: ['defaults.tokensPerInterpolation', 'usage[].inputTokens'] },
    { key: 'unknownPromptTokens', what: 'Input tokens of a prompt not visible in the code (`messages: history`)', value: n(DEFAULTS.unknownPromptTokens), config: ['usage[].inputTokens'] },
    { key: 'outputTokens', what: 'Output tokens per call when no `max_tokens` / `max_output_tokens` is set', value: n(DEFAULTS.outputTokens), config: ['defaults.outputTokens', 'usage[].outputTokens'] },
    { key: 'cachedInputShare', what: 'Share of input tokens served from the prompt cache', value: n(DEFAULTS.cachedInputShare), config: ['usage[].cachedInputShare'] },
    { key: 'chatOverhead.perMessage', what: 'Chat-format tokens per message (OpenAI cookbook)', value: n(DEFAULTS.chatOverhead.perMessage), config: [] },
    { key: 'chatOverhead.perRequest', what: 'Chat-format tokens per request (OpenAI cookbook)', value: n(DEFAULTS.chatOverhead.perRequest), config: [] },
  ];
}

/** Every leaf of DEFAULTS as a dotted path, to check the table covers them all. */
export function defaultKeys(value: unknown = DEFAULTS, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => defaultKeys(v, prefix ? `${prefix}.${k}` : k));
}

export function defaultsTable(): string {
  const lines = ['| Default | Value | Config keys that replace it |', '| --- | --- | --- |'];
  for (const row of defaultsRows()) lines.push(`| ${row.what} | ${row.value} | ${row.config.length ? row.config.map(code).join(', ') : '—'} |`);
  return lines.join('\n');
}
