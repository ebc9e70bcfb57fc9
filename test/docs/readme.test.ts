import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { withTable } from '../../src/frameworks/docs.js';
import { publishedSchemas } from '../../src/schemas.js';
import { defaultKeys, defaultsRows, defaultsTable } from '../../src/pricing/defaults-table.js';

const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');

describe('docs do not drift from the code', () => {
  it("README's Develop section is exactly the two commands, and the scripts behind them exist", () => {
    const develop = /## Develop\s+```sh\n([\s\S]*?)```/.exec(readme)?.[1]?.trim().split('\n');
    expect(develop).toEqual(['npm install && npm run demo', 'npm test']);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    // A fresh install no longer builds (no prepare): demo must build before it runs the CLI from dist.
    expect(pkg.scripts['demo']).toMatch(/^npm run build && node dist\/src\/cli\.js audit fixtures\/demo\b/);
    expect(pkg.scripts['test']).toBe('vitest run');
  });

  it("README starts with what a user types: the audit, the ESLint config, the CI step, before Develop", () => {
    const at = (s: string) => readme.indexOf(s);
    expect(at('npx tierwise audit')).toBeGreaterThan(0);
    expect(at('npx tierwise audit')).toBeLessThan(at("import tierwise from 'tierwise/eslint-plugin'"));
    expect(at("import tierwise from 'tierwise/eslint-plugin'")).toBeLessThan(at('- run: npx tierwise audit'));
    expect(at('- run: npx tierwise audit')).toBeLessThan(at('## Develop'));
    // The typed snippet lints eslint.config.ts itself, and the caveats a typed-config user needs are stated.
    expect(readme).toContain("projectService: { allowDefaultProject: ['eslint.config.ts'] }");
    expect(readme).toMatch(/jiti/);
    expect(readme).toMatch(/eslint --cache/);
    expect(readme).toMatch(/GITHUB_STEP_SUMMARY/);
  });

  it("README's frameworks table is generated from the catalogue (npm run docs:frameworks)", () => {
    expect(readme).toBe(withTable(readme));
  });

  it('schema/*.json are generated from the zod schemas (npm run schema)', () => {
    for (const [name, text] of Object.entries(publishedSchemas())) {
      expect(fs.readFileSync(path.join(REPO, 'schema', name), 'utf8'), name).toBe(text);
    }
  });

  it("README's Savings section lists every estimate default with the value in the code (DEFAULTS)", () => {
    expect(defaultsRows().map((r) => r.key).sort()).toEqual(defaultKeys().sort());
    const savings = /### Savings\n([\s\S]*?)\n### /.exec(readme)?.[1] ?? '';
    expect(savings).toContain(defaultsTable());
    // The values the issue names, spelled out once by hand.
    for (const row of ['| Jobs per month of a queue worker / event consumer | 10,000 |', '| Calls per run of a loop over a collection of unknown size | 100 |', '| 500 |', '| 1,000 |', '| 200 |']) {
      expect(savings).toContain(row);
    }
    for (const key of ['defaults.runsPerMonth.queue', 'defaults.callsPerRun', 'defaults.tokensPerInterpolation', 'defaults.outputTokens', 'usage[].cachedInputShare', '`prices`']) {
      expect(savings).toContain(key);
    }
  });

  it('every audit option is documented in the README', async () => {
    const { auditCommand } = await import('../../src/audit/command.js');
    const yargs = (await import('yargs')).default;
    const parser = (auditCommand.builder as (y: ReturnType<typeof yargs>) => ReturnType<typeof yargs>)(yargs([]));
    // `getOptions` is yargs' runtime API for the declared options; its typings do not expose it.
    const declared = (parser as unknown as { getOptions(): { key: Record<string, unknown> } }).getOptions();
    const options = Object.keys(declared.key).filter((k) => k.length > 1 && !['help', 'version', '$0', 'dir'].includes(k));
    for (const o of options) expect(readme.includes(`--${o}`) || readme.includes(`--no-${o}`), `--${o} is not documented`).toBe(true);
  });
});
