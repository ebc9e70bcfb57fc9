import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECTS, typecheck } from '../../support/fixtures.js';
import { flexProjects } from './projects-suite.js';

describe('tierwise fix flex on the fixture projects (first half)', () => {
  const tmp = flexProjects(0);

  it("the v4 check is real: a v5-only client option (fetchOptions) fails typecheck(dir, 'v4') in a fixture project", async () => {
    const dir = path.join(tmp, '_v4-sanity');
    fs.cpSync(path.join(PROJECTS, 'node-cron'), dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'src', 'v5-only.ts'), "import OpenAI from 'openai';\nexport const c = new OpenAI({ fetchOptions: {} });\n");
    await typecheck(dir, 'v7');
    await expect(typecheck(dir, 'v4')).rejects.toThrow(/fetchOptions/);
  }, 120_000);
});
