import { osaDistance } from './osa';

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
    for (const id of ids) {
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

  /** Ids of indexed names within one edit of `query` (excluding an exact match), in no particular order. */
  within1(query: string): number[] {
    const seen = new Set<number>();
    const out: number[] = [];
    for (const key of deletionVariants(query)) {
      const hit = this.buckets.get(key);
      if (hit === undefined) continue;
      for (const id of typeof hit === 'number' ? [hit] : hit) {
        if (seen.has(id)) continue;
        seen.add(id);
        const name = this.names[id]!;
        if (name !== query && osaDistance(query, name, 1) === 1) out.push(id);
      }
    }
    return out;
  }

  /** The smallest id (most popular name) within one edit of `query`, or -1. */
  best1(query: string): number {
    let best = -1;
    for (const id of this.within1(query)) if (best < 0 || id < best) best = id;
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
