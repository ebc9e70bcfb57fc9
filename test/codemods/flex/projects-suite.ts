/**
 * `tierwise fix flex --force --no-format` on the fixture projects (copied into a temp dir inside the repo so packages
 * resolve from the root node_modules): the result type-checks against openai v7 and v4 (undici: false, so the fix
 * writes no v5-only fetch dispatcher; test/support's typecheck(dir, 'v4') maps `openai` to v4's ESM typings), the audit then reports no
 * flex-recommended finding on a background-only site and no flex-needs-timeout, and a second run changes nothing.
 * Split over projects.test.ts and projects-more.test.ts (every other project each), so two workers share the work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { fixFlex } from '../../../src/fix/flex.js';
import { audit } from '../../../src/audit/audit.js';
import { PROJECTS, fixtureProjects, typecheck } from '../../support/fixtures.js';
import { repoTmp } from './support.js';

export function flexProjects(which: 0 | 1): string {
  const tmp = repoTmp(`flex-projects-${which}`);
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
  for (const name of fixtureProjects().filter((_, i) => i % 2 === which)) {
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

  return tmp;
}
