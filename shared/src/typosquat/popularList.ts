import type { Ecosystem } from '../model';

/** One ecosystem's popular names, most popular first (index = rank - 1). */
export interface PopularList {
  /** Names as the registry spells them, most popular first. */
  names: string[];
  /** npm only: per name, floor(log10(monthly downloads)); absent when the source has no counts. */
  tiers?: Uint8Array;
}

/** The shipped file that holds each ecosystem's list (gzip of the text format `parsePopularList` reads). */
export const POPULAR_FILES: Record<Ecosystem, string> = {
  npm: 'npm.txt.gz',
  PyPI: 'pypi.txt.gz',
  'crates.io': 'crates.txt.gz',
  Go: 'go.txt.gz',
  RubyGems: 'rubygems.txt.gz',
};

/**
 * Reads the generated list format: `#` comment lines, optional `#tier N` markers (the names after one
 * have 10^N ≤ downloads < 10^(N+1)), then one name a line in popularity order. Pure.
 */
export function parsePopularList(text: string): PopularList {
  const names: string[] = [];
  const tierOf: number[] = [];
  let tier = -1;
  let sawTier = false;
  let start = 0;
  // Manual scan rather than split(): loading 88k lines happens at language-server start.
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue;
    if (line.startsWith('#')) {
      if (line.startsWith('#tier ')) {
        tier = Number(line.slice(6));
        sawTier = true;
      }
      continue;
    }
    names.push(line);
    tierOf.push(tier);
  }
  return sawTier ? { names, tiers: Uint8Array.from(tierOf, (t) => Math.max(0, t)) } : { names };
}
