import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { golden } from '../support/golden.js';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'tierwise-golden-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('golden()', () => {
  it('fails on a missing golden file under CI and writes nothing', () => {
    const dir = tmp();
    expect(() => golden('new.txt', 'text', { CI: 'true' }, dir)).toThrow(/golden file .*new\.txt is missing/);
    expect(fs.existsSync(path.join(dir, 'new.txt'))).toBe(false);
  });

  it('writes a missing golden file outside CI, then compares against it', () => {
    const dir = tmp();
    golden('new.txt', 'text', {}, dir);
    expect(fs.readFileSync(path.join(dir, 'new.txt'), 'utf8')).toBe('text');
    expect(() => golden('new.txt', 'other', { CI: 'true' }, dir)).toThrow();
  });

  it('rewrites with UPDATE_GOLDEN, in CI too', () => {
    const dir = tmp();
    golden('g.txt', 'one', { UPDATE_GOLDEN: '1', CI: 'true' }, dir);
    golden('g.txt', 'two', { UPDATE_GOLDEN: '1', CI: 'true' }, dir);
    expect(fs.readFileSync(path.join(dir, 'g.txt'), 'utf8')).toBe('two');
  });
});
