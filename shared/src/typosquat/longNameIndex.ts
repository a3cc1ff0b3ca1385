import { osaDistance } from './osa';

/**
 * Names of at least `minLength` characters bucketed by length, for the two-edit check only long names
 * get. A two-edit deletion index would cost gigabytes; long anchors are few, so a scan of the five
 * nearby length buckets with a character-set prefilter and a bounded distance is fast enough.
 */
export class LongNameIndex {
  private readonly byLength = new Map<number, { ids: number[]; masks: number[] }>();

  constructor(
    private readonly names: readonly string[],
    ids: Iterable<number>,
    readonly minLength: number,
  ) {
    for (const id of ids) {
      const name = names[id];
      if (name === undefined || name.length < minLength) continue;
      let bucket = this.byLength.get(name.length);
      if (!bucket) this.byLength.set(name.length, (bucket = { ids: [], masks: [] }));
      bucket.ids.push(id);
      bucket.masks.push(charMask(name));
    }
  }

  /**
   * The smallest id (most popular name) at distance exactly 2 from `query`, or -1. Ids ascend within a
   * bucket. `below` skips ids not smaller than it (a one-edit match already found).
   */
  best2(query: string, below = -1): number {
    if (query.length < this.minLength) return -1;
    const qmask = charMask(query);
    let best = below;
    for (let len = query.length - 2; len <= query.length + 2; len++) {
      const bucket = this.byLength.get(len);
      if (!bucket) continue;
      const { ids, masks } = bucket;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        if (best >= 0 && id >= best) break;
        // Each edit adds or removes at most one character class from the set: two edits change ≤ 4 bits.
        if (popcount(qmask ^ masks[k]!) > 4) continue;
        if (osaDistance(query, this.names[id]!, 2) === 2) {
          best = id;
          break;
        }
      }
    }
    return best === below ? -1 : best;
  }
}

/** A 32-bit set of the character classes in `s` (letters fold onto 26 bits, everything else onto 6). */
export function charMask(s: string): number {
  let m = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    m |= 1 << (c >= 97 && c <= 122 ? c - 97 : 26 + (c % 6));
  }
  return m;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}
