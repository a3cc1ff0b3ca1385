import { isOneEditApart } from './osa';

/**
 * Finds the names within one edit (insert, delete, substitute or swap two adjacent characters) of a
 * query in microseconds. Every name is stored under itself and each of its one-character deletions
 * (SymSpell's idea): two strings within one such edit always share one of those keys, so a lookup only
 * probes the query's own deletions and verifies the few candidates.
 *
 * Keys are 32-bit polynomial hashes computed from prefix and suffix hashes, never built as strings, and
 * live in an open-addressing table of typed arrays: building over 10,000 names allocates two arrays instead
 * of 120,000 strings and map entries (measured: most of the build time was string and map churn). A hash
 * collision only adds a candidate, which verification then drops.
 */
export class DeletionIndex {
  private readonly hashes: Uint32Array;
  /** id + 1 per slot; 0 marks an empty slot. */
  private readonly slots: Int32Array;
  private readonly mask: number;
  private entries = 0;

  /** `names[id]` are the indexed names; ids are the caller's (popularity ranks, 0 = most popular). */
  constructor(private readonly names: readonly string[], ids: Iterable<number>) {
    // Ascending ids keep each key's entries in id order along its probe chain, which lets best1 stop early.
    const sorted = [...ids].sort((x, y) => x - y);
    let total = 0;
    for (const id of sorted) total += (names[id]?.length ?? 0) + 1;
    let size = 16;
    while (size < total * 2) size *= 2;
    this.hashes = new Uint32Array(size);
    this.slots = new Int32Array(size);
    this.mask = size - 1;
    for (const id of sorted) {
      const name = names[id];
      if (name !== undefined) forEachVariantHash(name, (h) => this.insert(h, id));
    }
  }

  private insert(hash: number, id: number): void {
    let slot = hash & this.mask;
    while (this.slots[slot] !== 0) {
      // The same name can yield one hash twice (deleting either of two equal neighbours): store it once.
      if (this.hashes[slot] === hash && this.slots[slot] === id + 1) return;
      slot = (slot + 1) & this.mask;
    }
    this.hashes[slot] = hash;
    this.slots[slot] = id + 1;
    this.entries++;
  }

  /** Ids of indexed names within one edit of `query` (excluding an exact match), ascending. */
  within1(query: string): number[] {
    const found = new Set<number>();
    forEachVariantHash(query, (hash) => {
      for (let slot = hash & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
        if (this.hashes[slot] !== hash) continue;
        const id = this.slots[slot]! - 1;
        if (isOneEditApart(query, this.names[id]!)) found.add(id);
      }
    });
    return [...found].sort((x, y) => x - y);
  }

  /** The smallest id (most popular name) within one edit of `query`, or -1. The hot path: no allocation. */
  best1(query: string): number {
    let best = -1;
    forEachVariantHash(query, (hash) => {
      for (let slot = hash & this.mask; this.slots[slot] !== 0; slot = (slot + 1) & this.mask) {
        if (this.hashes[slot] !== hash) continue;
        const id = this.slots[slot]! - 1;
        if (best >= 0 && id >= best) return; // later entries of this key have larger ids
        if (isOneEditApart(query, this.names[id]!)) {
          best = id;
          return;
        }
      }
    });
    return best;
  }

  /** Number of entries stored (for the benchmark's memory figure). */
  get size(): number {
    return this.entries;
  }
}

const BASE = 0x01000193;

let scratchSuffix = new Uint32Array(0);
let scratchPow = new Uint32Array(0);

function growScratch(length: number): void {
  const size = Math.max(length, 64, scratchSuffix.length * 2);
  scratchSuffix = new Uint32Array(size);
  scratchPow = new Uint32Array(size);
  scratchPow[0] = 1;
  for (let k = 1; k < size; k++) scratchPow[k] = Math.imul(scratchPow[k - 1]!, BASE);
}

/** Each distinct string with one character removed, as a string (tests and diagnostics). */
export function deletionVariants(name: string): string[] {
  const out = [name];
  for (let i = 0; i < name.length; i++) {
    if (i > 0 && name.charCodeAt(i) === name.charCodeAt(i - 1)) continue;
    out.push(name.slice(0, i) + name.slice(i + 1));
  }
  return out;
}

/**
 * Calls `visit` with the hash of `name` and of each of its one-character deletions, in O(length):
 * hash(s) = Σ s[k]·BASE^(len-1-k) mod 2^32, mixed with the length, so a deletion's hash is
 * prefixHash(i)·BASE^(n-1-i) + suffixHash(i+1) without building the string.
 */
export function forEachVariantHash(name: string, visit: (hash: number) => void): void {
  const n = name.length;
  // suffix[j] = hash of name[j..n); pow[k] = BASE^k. Scratch arrays are reused: allocating two typed
  // arrays per name was a fifth of the build time. Safe because `visit` never re-enters this function.
  if (scratchSuffix.length <= n) growScratch(n + 1);
  const suffix = scratchSuffix;
  const pow = scratchPow;
  suffix[n] = 0;
  for (let j = n - 1; j >= 0; j--) suffix[j] = (Math.imul(name.charCodeAt(j), pow[n - 1 - j]!) + suffix[j + 1]!) >>> 0;
  visit(mixLength(suffix[0]!, n));
  let prefix = 0; // hash of name[0..i)
  for (let i = 0; i < n; i++) {
    if (!(i > 0 && name.charCodeAt(i) === name.charCodeAt(i - 1))) {
      // name[0..i) shifted past the n-1-i characters that follow it, plus name[i+1..n).
      visit(mixLength((Math.imul(prefix, pow[n - 1 - i]!) + suffix[i + 1]!) >>> 0, n - 1));
    }
    prefix = (Math.imul(prefix, BASE) + name.charCodeAt(i)) >>> 0;
  }
}

function mixLength(hash: number, length: number): number {
  let h = (hash ^ Math.imul(length, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}
