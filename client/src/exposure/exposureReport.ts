/**
 * Reads `check-env --format json` (shared/src/exposure/types.ts) defensively and groups it the way the
 * Environment Exposure view shows it. The report names where secrets are, never their values; this
 * module keeps only the documented fields, so nothing else the child prints can reach the view.
 */
import {
  EXPOSURE_CATEGORIES,
  EXPOSURE_SEVERITIES,
  type ExposureCategory,
  type ExposureItem,
  type ExposureReport,
  type ExposureSeverity,
  type SandboxStatus,
} from '../../../shared/src/exposure/types';

/** One group of the view: a category with its items, most severe first. */
export interface ExposureGroup {
  category: ExposureCategory;
  title: string;
  items: ExposureItem[];
  /** The most severe item's severity. */
  worst: ExposureSeverity;
}

const CATEGORY_IDS = new Set<string>(EXPOSURE_CATEGORIES.map((c) => c.id));

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readItem(value: unknown): ExposureItem | undefined {
  if (!isRecord(value)) return undefined;
  const { id, category, severity, title, location, kind, advice } = value;
  if (typeof id !== 'string' || typeof category !== 'string' || !CATEGORY_IDS.has(category)) return undefined;
  if (typeof severity !== 'string' || !(EXPOSURE_SEVERITIES as readonly string[]).includes(severity)) return undefined;
  if (typeof title !== 'string' || typeof location !== 'string' || typeof kind !== 'string' || typeof advice !== 'string') return undefined;
  const item: ExposureItem = { id, category: category as ExposureCategory, severity: severity as ExposureSeverity, title, location, kind, advice };
  if (typeof value.sizeBytes === 'number') item.sizeBytes = value.sizeBytes;
  if (typeof value.modifiedAt === 'string') item.modifiedAt = value.modifiedAt;
  return item;
}

/** Parses the JSON text; throws with a readable message when it is not a version-1 report. */
export function parseExposureReport(text: string): ExposureReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error('check-env did not print a JSON report');
  }
  if (!isRecord(parsed) || parsed.version !== 1 || !Array.isArray(parsed.items)) throw new Error('check-env printed an unknown report format');
  const items = parsed.items.map(readItem).filter((i): i is ExposureItem => i !== undefined);
  const summary = Object.fromEntries(EXPOSURE_SEVERITIES.map((s) => [s, items.filter((i) => i.severity === s).length])) as Record<ExposureSeverity, number>;
  const rawSandbox = isRecord(parsed.sandbox) ? parsed.sandbox : {};
  const mode = rawSandbox.mode === 'docker' || rawSandbox.mode === 'bwrap' ? rawSandbox.mode : 'vault';
  const sandbox: SandboxStatus = {
    docker: rawSandbox.docker === true,
    bwrap: rawSandbox.bwrap === true,
    mode,
    reason: typeof rawSandbox.reason === 'string' ? rawSandbox.reason : '',
  };
  return { version: 1, items, summary, sandbox };
}

/** Groups items by category in the report's category order; empty categories are left out. */
export function groupExposure(items: readonly ExposureItem[]): ExposureGroup[] {
  const groups: ExposureGroup[] = [];
  for (const { id, title } of EXPOSURE_CATEGORIES) {
    const members = items.filter((i) => i.category === id)
      .sort((a, b) => EXPOSURE_SEVERITIES.indexOf(a.severity) - EXPOSURE_SEVERITIES.indexOf(b.severity) || a.location.localeCompare(b.location));
    const first = members[0];
    if (first) groups.push({ category: id, title, items: members, worst: first.severity });
  }
  return groups;
}

/**
 * The file an item points at, when it is one: `~/…` under `home`, an absolute path, or a
 * workspace-relative path under `workspaceRoot`. `$VARIABLES` and `path:line` suffixes are handled.
 */
export function exposureFilePath(location: string, home: string, workspaceRoot: string | undefined, join: (...parts: string[]) => string): { file: string; line?: number } | undefined {
  if (location.startsWith('$') || location.trim() === '') return undefined;
  const m = /^(.*?):(\d+)$/.exec(location);
  const pathPart = m?.[1] ?? location;
  const line = m?.[2] !== undefined ? Number(m[2]) : undefined;
  let file: string | undefined;
  if (pathPart === '~' || pathPart.startsWith('~/')) file = join(home, pathPart.slice(2));
  else if (pathPart.startsWith('/') || /^[A-Za-z]:[\\/]/.test(pathPart)) file = pathPart;
  else if (workspaceRoot !== undefined && !pathPart.includes(' ')) file = join(workspaceRoot, pathPart);
  if (file === undefined) return undefined;
  return line !== undefined ? { file, line } : { file };
}
