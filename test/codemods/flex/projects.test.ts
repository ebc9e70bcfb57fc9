/**
 * `tierwise fix flex --force --no-format` on every fixture project (copied into a temp dir inside the repo so packages
 * resolve from the root node_modules): the result type-checks against openai v7 and v4 (undici: false, so the fix
 * writes no v5-only fetch dispatcher; test/support's typecheck(dir, 'v4') maps `openai` to v4's ESM typings), the audit then reports no
 * flex-recommended finding on a background-only site and no flex-needs-timeout, and a second run changes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixFlex } from '../../../src/fix/flex.js';
import { audit } from '../../../src/audit/audit.js';
import { PROJECTS, fixtureProjects, typecheck } from '../../support/fixtures.js';
import { repoTmp } from './support.js';

const tmp = repoTmp('flex-projects');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('tierwise fix flex on the fixture projects', () => {
  for (const name of fixtureProjects()) {
    it(name, async () => {
      const dir = path.join(tmp, name);
      fs.cpSync(path.join(PROJECTS, name), dir, { recursive: true });
      const first = await fixFlex({ dir, force: true, format: false, undici: false });
      expect(first.summary.errors).toEqual([]);
      await typecheck(dir, 'v7');
      // undici: false writes no fetch dispatcher (the only v5-only edit), so the fixed project must also build on openai v4.
      await typecheck(dir, 'v4');
      const report = audit({ dir });
      const left = report.findings.filter(
        (f) =>
          f.rule === 'flex-needs-timeout' ||
          (f.rule === 'no-standard-tier-in-background' && f.recommendation?.tier === 'flex' && !f.context?.mixed && report.callSites.find((s) => s.id === f.callSiteId)?.classification === 'background' && !first.summary.skipped.some((k) => k.file === f.file && k.line === f.line)),
      );
      expect(left).toEqual([]);
      const second = await fixFlex({ dir, force: true, format: false, undici: false });
      expect(second.summary.changed).toEqual([]);
    }, 120_000);
  }

  it("the v4 check is real: a v5-only client option (fetchOptions) fails typecheck(dir, 'v4') in a fixture project", async () => {
    const dir = path.join(tmp, '_v4-sanity');
    fs.cpSync(path.join(PROJECTS, 'node-cron'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'v5-only.ts'), "import OpenAI from 'openai';\nexport const c = new OpenAI({ fetchOptions: {} });\n");
    await typecheck(dir, 'v7');
    await expect(typecheck(dir, 'v4')).rejects.toThrow(/fetchOptions/);
  }, 120_000);
});
