/**
 * The codemods run directly under the real jscodeshift CLI, from the compiled package (`dist/codemods/*.js`, as the
 * issue and README show: `npx jscodeshift -t node_modules/tierwise/dist/codemods/add-flex-tier.js --parser=tsx src`),
 * with jscodeshift's default Babel require hook and with `--no-babel`: jscodeshift loads the CommonJS entry that
 * codemods/cjs-entries.mjs writes, which loads the ESM transform; the transform asks the analysis core for the file's findings,
 * rewrites exactly what `tierwise fix` would, and reports a file that does not parse instead of touching it.
 * Needs the build (test/support/build.ts runs it when it is stale).
 */
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../support/fixtures.js';
import { ensureBuilt } from '../support/build.js';
import { helperSource } from '../../codemods/loop-to-batch.js';

const JSCODESHIFT = path.join(REPO, 'node_modules/jscodeshift/bin/jscodeshift.js');
const FLEX = path.join(REPO, 'fixtures/codemods/add-flex-tier');
const BATCH = path.join(REPO, 'fixtures/codemods/loop-to-batch');
const BROKEN = 'export const broken = (;\n';

let tmp: string;

function jscodeshift(transform: string, cwd: string, paths: string[], babel: boolean) {
  const t = path.join(REPO, 'dist/codemods', `${transform}.js`);
  if (!fs.existsSync(t)) throw new Error(`${path.relative(REPO, t)} is missing: run npm run build`);
  const r = spawnSync(process.execPath, [JSCODESHIFT, '-t', t, '--parser=tsx', ...(babel ? [] : ['--no-babel']), '--verbose=2', '--run-in-band', ...paths], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
  });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(REPO, 'test', '.tmp-jscodeshift-'));
}, 600_000);
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe.each([
  { babel: true, name: 'with Babel (the default)' },
  { babel: false, name: 'with --no-babel' },
])('the codemods under the jscodeshift CLI, $name', ({ babel }) => {
  it('add-flex-tier: rewrites a background call as `tierwise fix flex` does, reports an unparseable file', () => {
    const dir = path.join(tmp, `flex-${babel}`);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'flex-app', type: 'module', private: true }));
    fs.copyFileSync(path.join(FLEX, 'inline-params.input.ts'), path.join(dir, 'src/digest.ts'));
    fs.copyFileSync(path.join(FLEX, 'negative-interactive.input.ts'), path.join(dir, 'src/route.ts'));
    fs.writeFileSync(path.join(dir, 'src/broken.ts'), BROKEN);

    const r = jscodeshift('add-flex-tier', dir, ['src'], babel);
    expect(r.code, r.out).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src/digest.ts'), 'utf8')).toBe(fs.readFileSync(path.join(FLEX, 'inline-params.output.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'src/route.ts'), 'utf8')).toBe(fs.readFileSync(path.join(FLEX, 'negative-interactive.output.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'src/broken.ts'), 'utf8')).toBe(BROKEN);
    expect(r.out).toMatch(/broken\.ts skipped: does not parse \(line 1:24: Expression expected\.\)/);
    expect(r.out).toMatch(/1 ok/);
    expect(r.out).toMatch(/0 errors/);
  });

  it('loop-to-batch: rewrites a script\'s loop, writes the helper beside it, reports an unparseable file', () => {
    const dir = path.join(tmp, `batch-${babel}`);
    fs.mkdirSync(path.join(dir, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'batch-app', type: 'module', private: true }));
    // A script (scripts/**) that runs its main: the loop in it is background work recommended for batch.
    fs.writeFileSync(path.join(dir, 'scripts/summarize.ts'), `${fs.readFileSync(path.join(BATCH, 'for-of-chat.input.ts'), 'utf8')}\nawait main();\n`);
    fs.copyFileSync(path.join(BATCH, 'data.ts'), path.join(dir, 'scripts/data.ts'));
    fs.writeFileSync(path.join(dir, 'scripts/broken.ts'), BROKEN);

    const r = jscodeshift('loop-to-batch', dir, ['scripts'], babel);
    expect(r.code, r.out).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'scripts/summarize.ts'), 'utf8')).toBe(`${fs.readFileSync(path.join(BATCH, 'for-of-chat.output.ts'), 'utf8')}\nawait main();\n`);
    expect(fs.readFileSync(path.join(dir, 'scripts/openai-batch.ts'), 'utf8')).toBe(helperSource());
    expect(fs.readFileSync(path.join(dir, 'scripts/data.ts'), 'utf8')).toBe(fs.readFileSync(path.join(BATCH, 'data.ts'), 'utf8'));
    expect(fs.readFileSync(path.join(dir, 'scripts/broken.ts'), 'utf8')).toBe(BROKEN);
    expect(r.out).toMatch(/broken\.ts: skipped: does not parse \(line 1:24: Expression expected\.\)/);
    expect(r.out).toMatch(/1 ok/);
  });
});
