import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameworks } from '../../src/frameworks/index.js';
import { PROJECTS, auditFixture, fixtureProjects, project, readExpected } from '../support/fixtures.js';

const names = fixtureProjects();

describe('fixture projects: the audit reports exactly the expected findings and contexts', () => {
  it('has fixture projects', () => {
    expect(names.length).toBeGreaterThan(0);
  });
  for (const name of names) {
    it(name, () => {
      const report = auditFixture(name);
      expect(report.summary.typeInfo).toBe('checker');
      expect(report.skipped).toEqual([]);
      const { description: _d, ...expected } = readExpected(name);
      expect(project(report)).toEqual(expected);
    });
  }
});

describe('every framework entry is proven by a fixture project', () => {
  for (const entry of frameworks) {
    it(`${entry.id} → fixtures/projects/${entry.fixture}`, () => {
      const dir = path.join(PROJECTS, entry.fixture);
      expect(fs.existsSync(path.join(dir, 'expected.json')), `${dir}/expected.json`).toBe(true);
      const report = auditFixture(entry.fixture);
      const frameworksSeen = new Set(report.callSites.flatMap((s) => s.contexts.map((c) => c.framework)));
      expect([...frameworksSeen]).toContain(entry.id);
    });
  }
});
