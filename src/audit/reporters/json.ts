import type { Report } from '../../core/types.js';

/** The JSON report: the stable contract `{ tool, version, root, workspace?, callSites, findings, skipped, summary }`. */
export function toJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
