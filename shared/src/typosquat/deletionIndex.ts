import { isOneEditApart } from './osa';

/**
 * Finds the names within one edit (insert, delete, substitute or swap two adjacent characters) of a
 * query in microseconds: every name is stored under itself and each of its one-character deletions
 * (SymSpell's idea); two strings within one such edit always share one of those keys, so a lookup
 * only probes the query's own deletions and verifies the few candidates.
 */
export class DeletionIndex {
  /** Deletion variant → id, or ids when several names share the variant (most are unique). */
  private readonly buckets = new Map<string, number | number[]>();

  /** `names[id]` are the indexed names; ids are the caller's (popularity ranks, 0 = most popular). */
  constructor(private readonly names: readonly string[], ids: Iterable<number>) {
    // Ascending ids keep every bucket sorted, which lets best1 stop early.
    for (const id of [...ids].sort((x, y) => x - y)) {
      const name = names[id];
      if (name === undefined) continue;
      for (const key of deletionVariants(name)) this.add(key, id);
    }
  }

  private add(key: string, id: number): void {
    const cur = this.buckets.get(key);
    if (cur === undefined) this.buckets.set(key, id);
    else if (typeof cur === 'number') {
      if (cur !== id) this.buckets.set(key, [cur, id]);
    } else if (cur[cur.length - 1] !== id) cur.push(id);
  }

  /** Ids of indexed names within one edit of `query` (excluding an exact match), ascending. */
  within1(query: string): number[] {
    const out = new Set<number>();
    for (const key of deletionVariants(query)) {
      const hit = this.buckets.get(key);
      if (hit === undefined) continue;
      for (const id of typeof hit === 'number' ? [hit] : hit) {
        if (!out.has(id) && isOneEditApart(query, this.names[id]!)) out.add(id);
      }
    }
    return [...out].sort((x, y) => x - y);
  }

  /** The smallest id (most popular name) within one edit of `query`, or -1. The hot path: no allocation per candidate. */
  best1(query: string): number {
    let best = -1;
    const n = query.length;
    for (let i = -1; i < n; i++) {
      // i = -1 probes the query itself; else the query with character i deleted (repeats skipped).
      if (i > 0 && query.charCodeAt(i) === query.charCodeAt(i - 1)) continue;
      const key = i < 0 ? query : query.slice(0, i) + query.slice(i + 1);
      const hit = this.buckets.get(key);
      if (hit === undefined) continue;
      if (typeof hit === 'number') {
        if ((best < 0 || hit < best) && isOneEditApart(query, this.names[hit]!)) best = hit;
        continue;
      }
      // Ids were added in ascending order, so a bucket can stop at the first id not better than `best`.
      for (const id of hit) {
        if (best >= 0 && id >= best) break;
        if (isOneEditApart(query, this.names[id]!)) {
          best = id;
          break;
        }
      }
    }
    return best;
  }

  /** Number of keys stored (for the benchmark's memory figure). */
  get size(): number {
    return this.buckets.size;
  }
}

/** The name itself and each distinct string with one character removed. */
export function deletionVariants(name: string): string[] {
  const out = [name];
  for (let i = 0; i < name.length; i++) {
    // Deleting either of two equal neighbours gives the same string: skip the repeat.
    if (i > 0 && name.charCodeAt(i) === name.charCodeAt(i - 1)) continue;
    out.push(name.slice(0, i) + name.slice(i + 1));
  }
  return out;
}
