/**
 * `--changed-since <ref>`: keep only the findings a branch could have introduced.
 *
 * Changed = files that differ between the merge base of <ref> and HEAD (`git diff <ref>...HEAD`), plus uncommitted
 * changes (staged or not) and untracked, non-ignored files. Paths come back relative to the audited root (which may be
 * a subfolder of the repository); files outside the root are dropped.
 */
import { execFile } from 'node:child_process';
import { realpath } from 'node:fs/promises';
import { isAbsolute, join, posix, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import type { Finding, Report } from '../core/types.js';
import { withFindings } from './merge.js';

const run = promisify(execFile);

export class ChangedFilesError extends Error {
  override name = 'ChangedFilesError';
}

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' });
    return stdout;
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === 'ENOENT') throw new ChangedFilesError('--changed-since needs git, and git is not on PATH');
    throw new ChangedFilesError(`git ${args.join(' ')} failed: ${(err.stderr ?? err.message).trim()}`);
  }
}

function splitZ(out: string): string[] {
  return out.split('\0').filter((s) => s.length > 0);
}

/** Files changed since `ref` (committed on this branch, uncommitted, or untracked), relative to `root`, sorted. */
export async function changedFiles(root: string, ref: string): Promise<string[]> {
  if (!ref || ref.startsWith('-')) throw new ChangedFilesError(`--changed-since: '${ref}' is not a git ref`);
  let top: string;
  try {
    top = (await git(root, ['rev-parse', '--show-toplevel'])).trim();
  } catch (e) {
    throw new ChangedFilesError(`--changed-since needs a git repository, and ${root} is not inside one (${(e as Error).message})`);
  }
  try {
    await git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  } catch {
    throw new ChangedFilesError(
      `--changed-since: unknown git ref '${ref}'. In CI, fetch it first (actions/checkout with fetch-depth: 0, or git fetch origin ${ref.replace(/^origin\//, '')}).`,
    );
  }
  const [committed, uncommitted, untracked] = await Promise.all([
    git(top, ['diff', '--name-only', '-z', '--no-renames', `${ref}...HEAD`, '--']),
    git(top, ['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--']),
    git(top, ['ls-files', '--others', '--exclude-standard', '-z', '--full-name']),
  ]);
  const rootReal = await realpath(root);
  const topReal = await realpath(top);
  const out = new Set<string>();
  for (const p of [...splitZ(committed), ...splitZ(uncommitted), ...splitZ(untracked)]) {
    const rel = relative(rootReal, join(topReal, p));
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    out.add(rel.split(sep).join(posix.sep));
  }
  return [...out].sort();
}

/**
 * Where `root` sits inside its git repository, posix style without trailing slash (`packages/api`; `''` at the top),
 * or null when it is not in a repository. Reporters take it as `pathPrefix` so SARIF / annotation paths are repo-relative.
 */
export async function repoPrefix(root: string): Promise<string | null> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-prefix'], { cwd: root, encoding: 'utf8' });
    return stdout.trim().replace(/\/+$/, '');
  } catch {
    return null;
  }
}

/** Whether the finding is in a changed file, or its entrypoint or any chain step is. */
export function touchesChanged(f: Finding, changed: ReadonlySet<string>): boolean {
  if (changed.has(f.file)) return true;
  const contexts = f.context ? [f.context, ...f.contexts] : f.contexts;
  return contexts.some((c) => changed.has(c.entry.file) || c.chain.some((s) => changed.has(s.file)));
}

/** The report with only findings that touch a changed file; summary recomputed. */
export function filterByChanged(report: Report, changed: Iterable<string>): Report {
  const set = new Set(changed);
  const kept = report.findings.filter((f) => touchesChanged(f, set));
  const dropped = report.findings.length - kept.length;
  const notes = dropped > 0 ? [`${dropped} finding${dropped === 1 ? '' : 's'} in unchanged code not shown (--changed-since)`] : [];
  return withFindings(report, kept, notes);
}
