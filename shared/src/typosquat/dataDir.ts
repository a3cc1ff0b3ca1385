import { access } from 'node:fs/promises';
import path from 'node:path';

/**
 * Candidate folders for the shipped popular lists, relative to this code: `data/popular` beside the
 * bundle (dist/*.js → dist/data/popular) and the source tree (shared/src/typosquat → shared/data/popular).
 */
export function popularDataCandidates(baseDir: string = __dirname): string[] {
  return [
    path.join(baseDir, 'data', 'popular'),
    path.join(baseDir, '..', 'data', 'popular'),
    path.join(baseDir, '..', '..', 'data', 'popular'),
  ];
}

/** The first candidate folder that holds the npm list; rejects naming every place it looked. */
export async function resolvePopularDataDir(baseDir: string = __dirname, probeFile = 'npm.txt.gz'): Promise<string> {
  const candidates = popularDataCandidates(baseDir);
  for (const dir of candidates) {
    try {
      await access(path.join(dir, probeFile));
      return dir;
    } catch {
      // try the next place
    }
  }
  throw new Error(`popular-name data not found; looked in: ${candidates.join(', ')}`);
}
