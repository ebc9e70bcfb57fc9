/** Every fixture project type-checks against the real packages (apart from fixtures.test.ts, so they run in parallel). */
import path from 'node:path';
import { describe, it } from 'vitest';
import { PROJECTS, fixtureProjects, typecheck } from '../support/fixtures.js';

const names = fixtureProjects();

describe('fixture projects type-check against the real packages', () => {
  for (const name of names) {
    it(`${name} (openai v7)`, async () => {
      await typecheck(path.join(PROJECTS, name), 'v7');
    });
  }
});

