import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { ECOSYSTEMS, type Ecosystem } from '../model';
import { createTyposquatDetector, type DetectorOptions, type PopularNameDetector } from './createDetector';
import { resolvePopularDataDir } from './dataDir';
import { parsePopularList, POPULAR_FILES, type PopularList } from './popularList';

const gunzipAsync = promisify(gunzip);

/** Reads one shipped list (gzip text) without blocking the event loop. */
export async function readPopularList(dataDir: string, ecosystem: Ecosystem): Promise<PopularList> {
  const file = path.join(dataDir, POPULAR_FILES[ecosystem]);
  const bytes = await readFile(file);
  const text = (await gunzipAsync(bytes)).toString('utf8');
  return parsePopularList(text);
}

/**
 * Loads every ecosystem's shipped list and builds the detector. `dataDir` defaults to the data beside
 * the bundle (dist/data/popular) or, run from source, shared/data/popular. The indexes are built here,
 * one ecosystem per event-loop turn (each under ~100 ms), so neither start-up nor the first check blocks long.
 */
export async function loadTyposquatDetector(dataDir?: string, options?: DetectorOptions): Promise<PopularNameDetector> {
  const dir = dataDir ?? (await resolvePopularDataDir());
  const entries = await Promise.all(ECOSYSTEMS.map(async (e) => [e, await readPopularList(dir, e)] as const));
  const detector = createTyposquatDetector(Object.fromEntries(entries), options);
  for (const ecosystem of detector.ecosystems) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    detector.prepare(ecosystem);
  }
  return detector;
}
