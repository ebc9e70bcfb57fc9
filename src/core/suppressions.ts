/**
 * ESLint's disable directives for tierwise's rules, read by the audit so that one suppression works in the editor
 * and in CI: `// eslint-disable-next-line tierwise/<rule>` (the line after the comment), `// eslint-disable-line
 * tierwise/<rule>` (its own line), and `/* eslint-disable tierwise/<rule> *\/` … `/* eslint-enable *\/` regions. A
 * directive without a rule list silences every rule, as in ESLint; one that lists only other plugins' rules silences
 * none of tierwise's. A `-- reason` after the list is ignored. Lines are 1-based, as findings report them.
 *
 * The ESLint rules never apply these (ESLint does, and would report a directive as unused if the finding vanished
 * before it saw it): only the audit, and through it the fixes, pass `eslintDirectives` to the analysis.
 */
import type { RuleId } from './types.js';

const DIRECTIVE = /(?:\/\/|\/\*)\s*eslint-(disable-next-line|disable-line|disable|enable)(?![\w-])([^\n]*?)(?:\*\/|$)/gm;

interface Region {
  from: number;
  to: number;
  rules: ReadonlySet<string> | 'all';
}

const covers = (rules: ReadonlySet<string> | 'all', rule: RuleId) => rules === 'all' || rules.has(`tierwise/${rule}`);

function ruleList(text: string): ReadonlySet<string> | 'all' {
  const list = text.split(/\s--\s|^--\s|\s--$/)[0]!.trim();
  if (!list) return 'all';
  return new Set(list.split(',').map((r) => r.trim()).filter(Boolean));
}

/** Whether an ESLint directive in `text` silences `rule` on `line`. Cheap when the file has no directive. */
export function eslintSuppressions(text: string): (rule: RuleId, line: number) => boolean {
  if (!text.includes('eslint-')) return () => false;
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (pos: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= pos) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const regions: Region[] = [];
  const open: Array<{ from: number; rules: ReadonlySet<string> | 'all' }> = [];
  for (const m of text.matchAll(DIRECTIVE)) {
    const kind = m[1]!;
    const rules = ruleList(m[2]!);
    const startLine = lineOf(m.index);
    const endLine = lineOf(m.index + m[0].length - 1);
    if (kind === 'disable-next-line') regions.push({ from: endLine + 1, to: endLine + 1, rules });
    else if (kind === 'disable-line') regions.push({ from: startLine, to: startLine, rules });
    else if (kind === 'disable') open.push({ from: startLine, rules });
    else {
      // `eslint-enable` closes the regions it names (all of them without a list).
      for (let i = open.length - 1; i >= 0; i--) {
        const o = open[i]!;
        const closes = rules === 'all' || (o.rules !== 'all' && [...o.rules].every((r) => rules.has(r)));
        if (closes) {
          regions.push({ from: o.from, to: startLine, rules: o.rules });
          open.splice(i, 1);
        }
      }
    }
  }
  for (const o of open) regions.push({ from: o.from, to: Number.POSITIVE_INFINITY, rules: o.rules });
  if (regions.length === 0) return () => false;
  return (rule, line) => regions.some((r) => line >= r.from && line <= r.to && covers(r.rules, rule));
}
