import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCodebase } from './generate.js';
import { installInto, pack } from './package.js';

/**
 * `npm run bench`: generates synthetic codebases (1 000 and 5 000 files by default; `--sizes 1000,5000`), then, in one
 * session, times `tsc --noEmit` and `tierwise audit` on each (wall time and peak RSS of each child process, median of
 * `--runs` runs), a warm `--cache` run against a cold one, and — when the ESLint bench is present — the ESLint ratios
 * (on codebases up to `--eslint-max` files, default 1 000; `--eslint-rounds`, default 7; `--eslint-dir DIR` for only
 * those, on any codebase). Prints ratios against the baselines measured in the same run; never asserts a time. First
 * it prints the install footprint of the packed package (`--footprint`: only that).
 */
const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const TMP = path.join(REPO, '.bench-tmp');
const HOOK = pathToFileURL(path.join(HERE, 'rss-hook.js')).href;
const TSC = path.join(REPO, 'node_modules/typescript/bin/tsc');
const CLI = path.join(REPO, 'dist/src/cli.js');

interface Measure {
  seconds: number;
  rssMiB: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

function measure(args: string[], cwd: string): Measure {
  const rssFile = path.join(os.tmpdir(), `tierwise-rss-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', HOOK, ...args], { cwd, env: { ...process.env, TIERWISE_RSS_FILE: rssFile, CI: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const rssKiB = Number(fs.readFileSync(rssFile, 'utf8'));
  fs.rmSync(rssFile, { force: true });
  return { seconds, rssMiB: rssKiB / 1024 };
}

function median(ms: Measure[]): Measure {
  const by = <K extends keyof Measure>(k: K) => [...ms].map((m) => m[k]).sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
  return { seconds: by('seconds'), rssMiB: by('rssMiB') };
}

function repeat(n: number, f: () => Measure): Measure {
  return median(Array.from({ length: n }, f));
}

const fmt = (n: number, d = 2) => n.toFixed(d);

/** `--eslint-rounds N`: measured rounds of the ESLint bench (default 7). */
function eslintRounds(): number {
  const n = Number(arg('eslint-rounds', '7'));
  if (!Number.isInteger(n) || n < 1) throw new Error('--eslint-rounds must be a whole number of at least 1');
  return n;
}

/** The ESLint ratios of one bench, two lines indented under the codebase's line. */
function eslintLines(r: Record<string, number>, prefix = ''): string {
  const v = (k: string) => r[prefix + k]!;
  const spread = (k: string) => `${fmt(v(k), 3)} [rounds ${fmt(v(`${k}Min`), 2)}–${fmt(v(`${k}Max`), 2)}]`;
  return (
    `  ESLint: recommended ÷ no rules = ${spread('recommendedRatio')} (one empty rule alone: ${spread('emptyRuleRatio')}; ` +
    `recommended ÷ empty rule = ${fmt(v('recommendedOverEmptyRule'), 3)})` +
    `\n  ESLint: recommended-type-checked ÷ typed no rules = ${spread('typedRatio')} ` +
    `(typed empty rule alone: ${spread('typedEmptyRuleRatio')}; ÷ typed empty rule = ${fmt(v('typedOverEmptyRule'), 3)})` +
    `\n  ESLint stats, time inside tierwise's rules ÷ the no-rules lint: recommended ${fmt(100 * v('recommendedRuleShare'), 1)} %, ` +
    `recommended-type-checked ${fmt(100 * v('typedRuleShare'), 1)} %`
  );
}

type EslintBench = (dir: string, opts?: { runs?: number }) => Promise<Record<string, number>>;

async function loadEslintBench(): Promise<EslintBench | undefined> {
  const eslintBench = path.join(HERE, 'eslint.js');
  if (!fs.existsSync(eslintBench)) return undefined;
  const mod = (await import(pathToFileURL(eslintBench).href)) as { benchEslint?: EslintBench };
  return mod.benchEslint;
}

/**
 * The install footprint: the packed tarball installed into an empty project (`npm i tierwise` without the optional
 * ESLint/jscodeshift peers), from npm's cache when it has the packages. Budgets (issue 17): under 100 packages,
 * 60 MB and 8 s on this machine. Printed; `--footprint` prints only this.
 */
function footprint(): void {
  const dir = path.join(TMP, 'footprint');
  fs.rmSync(dir, { recursive: true, force: true });
  const packed = pack(path.join(dir, 'pack'), { ignoreScripts: true });
  const app = path.join(dir, 'app');
  fs.mkdirSync(app, { recursive: true });
  const r = installInto(packed.tarball, app);
  console.log(
    `install footprint: tarball ${fmt(packed.bytes / 1024, 0)} KiB (${packed.files.length} files); npm i into an empty project: ` +
      `${r.packages.length} packages (< 100), ${fmt(r.bytes / 1e6, 1)} MB (< 60), ${fmt(r.seconds, 1)} s (< 8)`,
  );
}

async function main(): Promise<void> {
  // `--eslint-dir DIR`: only the ESLint ratios, on a codebase of your own (its tsconfig.json for the typed runs).
  const eslintDir = arg('eslint-dir', '');
  if (eslintDir) {
    const bench = await loadEslintBench();
    if (!bench) throw new Error('the ESLint bench is not built (npm run build)');
    const e = await bench(path.resolve(eslintDir), { runs: eslintRounds() });
    console.log(`${path.resolve(eslintDir)}: ${e.files} files\n${eslintLines(e)}`);
    return;
  }
  footprint();
  if (process.argv.includes('--footprint')) return;
  const sizes = arg('sizes', '1000,5000').split(',').map(Number);
  const runs = Number(arg('runs', '3'));
  const rows: Array<Record<string, number>> = [];
  for (const size of sizes) {
    const dir = path.join(TMP, `app-${size}`);
    generateCodebase(dir, size);
    const n = size >= 5000 ? Math.min(runs, 2) : runs;
    const floor = repeat(n, () => measure([path.join(HERE, 'parse-floor.js'), dir], dir));
    const tsc = repeat(n, () => measure([TSC, '-p', dir, '--noEmit'], dir));
    const auditArgs = [CLI, 'audit', dir, '--format', 'json', '--output', path.join(TMP, `report-${size}.json`), '--no-exit-code'];
    const auditM = repeat(n, () => measure(auditArgs, dir));
    const cacheDir = path.join(TMP, `cache-${size}`);
    fs.rmSync(cacheDir, { recursive: true, force: true });
    const cold = measure([...auditArgs, '--cache', '--cache-dir', cacheDir], dir);
    const warm = repeat(n, () => measure([...auditArgs, '--cache', '--cache-dir', cacheDir], dir));
    const report = JSON.parse(fs.readFileSync(path.join(TMP, `report-${size}.json`), 'utf8')) as { summary: { callSites: number; findings: number } };
    const row: Record<string, number> = {
      files: size,
      floorSeconds: floor.seconds,
      tscOverFloor: tsc.seconds / floor.seconds,
      auditOverFloor: auditM.seconds / floor.seconds,
      tscSeconds: tsc.seconds,
      tscRssMiB: tsc.rssMiB,
      auditSeconds: auditM.seconds,
      auditRssMiB: auditM.rssMiB,
      auditOverTsc: auditM.seconds / tsc.seconds,
      auditMsPerFile: (auditM.seconds * 1000) / size,
      warmOverCold: warm.seconds / cold.seconds,
      callSites: report.summary.callSites,
      findings: report.summary.findings,
    };
    const benchEslint = size <= Number(arg('eslint-max', '1000')) ? await loadEslintBench() : undefined;
    if (benchEslint) {
      const e = await benchEslint(dir, { runs: eslintRounds() });
      for (const [k, v] of Object.entries(e)) if (typeof v === 'number') row[`eslint.${k}`] = v;
    }
    rows.push(row);
    console.log(
      `${size} files: parse floor ${fmt(floor.seconds)} s; tsc --noEmit ${fmt(tsc.seconds)} s / ${fmt(tsc.rssMiB, 0)} MiB (${fmt(row.tscOverFloor!, 1)}× floor); ` +
        `audit ${fmt(auditM.seconds)} s / ${fmt(auditM.rssMiB, 0)} MiB (${fmt(row.auditOverFloor!, 1)}× floor); ` +
        `audit ÷ tsc = ${fmt(row.auditOverTsc!)}; ${fmt(row.auditMsPerFile!)} ms/file; warm cache ÷ cold = ${fmt(row.warmOverCold!)}; ` +
        `${report.summary.callSites} call sites, ${report.summary.findings} findings` +
        (row['eslint.recommendedRatio'] !== undefined ? `\n${eslintLines(row, 'eslint.')}` : ''),
    );
  }
  if (rows.length > 1) {
    const a = rows[0]!;
    const b = rows[rows.length - 1]!;
    console.log(`growth: ${b.files! / a.files!}× files → audit ${fmt(b.auditSeconds! / a.auditSeconds!)}× time (tsc ${fmt(b.tscSeconds! / a.tscSeconds!)}×)`);
  }
  fs.mkdirSync(TMP, { recursive: true });
  fs.writeFileSync(path.join(TMP, 'results.json'), JSON.stringify({ node: process.version, cpus: os.cpus().length, rows }, null, 2));
}

await main();
