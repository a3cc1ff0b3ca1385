/**
 * Finds `.env`-style files in the workspace with a bounded walk (depth, entry count, skipped dependency and VCS
 * folders, no symlinked folders) and reports the ones that hold secrets — by count and kind only.
 */
import path from 'node:path';
import type { ExposureHost } from './host';
import { fileFields } from './location';
import { classifyVariableName, isPlaceholderValue, tokenShapeOf } from './secretShapes';
import type { ExposureItem } from './types';

/** Bounds of the walk: a workspace can be huge; .env files sit near the top. */
export const WORKSPACE_WALK_LIMITS = { maxDepth: 6, maxEntries: 20000, maxFileBytes: 256 * 1024 };

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', '__pycache__', '.tox', '.nox', 'target', '.cache', '.next', '.nuxt', 'bower_components', 'vendor', '.terraform', '.gradle', '.idea']);
const ENV_FILE = /^(?:\.env(?:\..+)?|\.envrc|.+\.env|\.flaskenv)$/;

/** What a .env file holds: secret-named keys with real values and token-shaped values. */
export function inspectEnvFileText(text: string): { secretKeys: number; tokens: number } {
  let secretKeys = 0;
  let tokens = 0;
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]\s*(.*)$/.exec(line);
    if (!m) continue;
    const value = (m[2] ?? '').trim();
    if (value === '' || isPlaceholderValue(value)) continue;
    if (tokenShapeOf(value) !== undefined) tokens += 1;
    else if (classifyVariableName(m[1] ?? '') !== 'ordinary' && classifyVariableName(m[1] ?? '') !== 'credential-path') secretKeys += 1;
  }
  return { secretKeys, tokens };
}

/** Items for workspace .env files that hold secrets. */
export async function scanWorkspaceEnvFiles(host: ExposureHost): Promise<ExposureItem[]> {
  const root = host.workspaceRoot;
  if (root === undefined) return [];
  const items: ExposureItem[] = [];
  let budget = WORKSPACE_WALK_LIMITS.maxEntries;
  const visit = async (dir: string, depth: number): Promise<void> => {
    const entries = await host.fs.readDir(dir);
    if (entries === undefined) return;
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (--budget < 0) return;
      const full = path.join(dir, entry.name);
      if (entry.kind === 'directory') {
        if (depth < WORKSPACE_WALK_LIMITS.maxDepth && !SKIPPED_FOLDERS.has(entry.name)) await visit(full, depth + 1);
        continue;
      }
      if (entry.kind !== 'file' || !ENV_FILE.test(entry.name)) continue;
      const facts = await host.fs.stat(full);
      if (facts === undefined) continue;
      const text = (await host.fs.readHead(full, WORKSPACE_WALK_LIMITS.maxFileBytes))?.toString('utf8') ?? '';
      const { secretKeys, tokens } = inspectEnvFileText(text);
      if (secretKeys === 0 && tokens === 0) continue;
      const location = path.relative(root, full).split(path.sep).join('/');
      const parts = [tokens > 0 ? `${tokens} token-shaped value${tokens === 1 ? '' : 's'}` : '', secretKeys > 0 ? `${secretKeys} secret-named key${secretKeys === 1 ? '' : 's'}` : ''].filter((p) => p !== '');
      items.push({
        id: `workspace-env-files:${location}`,
        category: 'workspace-env-files',
        severity: tokens > 0 ? 'critical' : 'high',
        title: `.env file with ${parts.join(' and ')}`,
        location,
        kind: tokens > 0 ? 'env-file-with-tokens' : 'env-file-with-secrets',
        ...fileFields(facts),
        advice: 'Install dependencies through the sandbox (it never mounts .env files), keep only development values here, and load production secrets from a secret manager.',
      });
    }
  };
  await visit(root, 1);
  return items;
}
