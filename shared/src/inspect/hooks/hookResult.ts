import type { SourceFinding } from '../types';

/** What a structural reader found: findings, plus other files it learned run at install time. */
export interface HookResult {
  findings: SourceFinding[];
  /** Posix paths relative to the package root (e.g. `install.js` named by a postinstall script). */
  installTimeFiles: string[];
}

/** Resolves `relative` against the directory of `manifestPath` (posix); undefined when it escapes the root. */
export function siblingPath(manifestPath: string, relative: string): string | undefined {
  const dir = manifestPath.includes('/') ? manifestPath.slice(0, manifestPath.lastIndexOf('/')) : '';
  const parts = dir === '' ? [] : dir.split('/');
  for (const part of relative.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(part);
  }
  return parts.join('/');
}
