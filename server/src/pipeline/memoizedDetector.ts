import type { Ecosystem } from '../../../shared/src/model';
import type { TyposquatDetector, TyposquatMatch } from '../../../shared/src/typosquat/detector';

/**
 * Remembers typosquat answers per (ecosystem, normalised name) so an edit re-checks only the names
 * that changed. Allow lists are applied after the detector, so the memo survives config changes.
 */
export class MemoizedDetector implements TyposquatDetector {
  private readonly memo = new Map<string, TyposquatMatch | null>();

  constructor(
    private readonly inner: TyposquatDetector,
    private readonly maxEntries = 200_000,
  ) {}

  /** How many distinct names have been looked up (tests use it to see the memo work). */
  get size(): number {
    return this.memo.size;
  }

  check(ecosystem: Ecosystem, normalizedName: string, rawName?: string): TyposquatMatch | undefined {
    // A NUL cannot occur in a package name, so the key is unambiguous. The raw spelling is part of
    // the key because look-alike rules see what normalising erased (a capital I posing as l).
    const key = rawName === undefined || rawName === normalizedName ? `${ecosystem}\u0000${normalizedName}` : `${ecosystem}\u0000${normalizedName}\u0000${rawName}`;
    const known = this.memo.get(key);
    if (known !== undefined) return known ?? undefined;
    const match = this.inner.check(ecosystem, normalizedName, rawName);
    // Bounded: a pathological session (generated files) must not grow the memo without limit.
    if (this.memo.size >= this.maxEntries) this.memo.clear();
    this.memo.set(key, match ?? null);
    return match;
  }
}
