/** Turns absolute paths into the home-relative (`~/…`) form the report shows, and builds item ids. */
import path from 'node:path';
import type { PathFacts } from './host';
import type { ExposureItem } from './types';

/** `~/rest` for paths under home, the path itself otherwise; always with `/` separators. */
export function displayPath(homeDir: string, absolute: string): string {
  const relative = path.relative(homeDir, absolute);
  if (relative === '') return '~';
  if (!relative.startsWith('..') && !path.isAbsolute(relative)) return `~/${relative.split(path.sep).join('/')}`;
  return absolute.split(path.sep).join('/');
}

/** Joins a `/`-separated home-relative path onto the home folder with the platform separator. */
export function homePath(homeDir: string, relative: string): string {
  return path.join(homeDir, ...relative.split('/'));
}

/** Size and ISO mtime fields for an item about a file. */
export function fileFields(facts: PathFacts | undefined): Pick<ExposureItem, 'sizeBytes' | 'modifiedAt'> {
  if (facts === undefined) return {};
  return facts.kind === 'directory' ? { modifiedAt: facts.modifiedAt.toISOString() } : { sizeBytes: facts.sizeBytes, modifiedAt: facts.modifiedAt.toISOString() };
}
