import type { Ecosystem } from '../model';
import type { TyposquatDetector, TyposquatMatch } from './detector';
import { GoPathIndex } from './goPath';
import { KNOWN_MISSPELLINGS, KNOWN_WRONG_PICKS } from './knownNames';
import { NameIndex, type NameIndexOptions } from './nameIndex';
import type { PopularList } from './popularList';

/** Popular lists per ecosystem: a `PopularList` or just the names, most popular first. */
export type PopularLists = Partial<Record<Ecosystem, PopularList | readonly string[]>>;

/**
 * Defaults, each backed by a measurement in DESIGN.md: anchors are the top 10,000 for the two big ranked
 * lists (PyPI's own checker uses its top 10,000) and every name of the small lists; two edits only when
 * both names have 12+ characters; one edit needs 4+.
 */
export const DEFAULT_OPTIONS: Record<Ecosystem, NameIndexOptions> = {
  npm: { anchorCount: 10_000, ranked: true, minLengthOneEdit: 4, minLengthTwoEdits: 12, highConfidenceRank: 10_000 },
  PyPI: { anchorCount: 10_000, ranked: true, minLengthOneEdit: 4, minLengthTwoEdits: 12, highConfidenceRank: 5_000 },
  'crates.io': { anchorCount: Infinity, ranked: false, minLengthOneEdit: 4, minLengthTwoEdits: 12, highConfidenceRank: 0 },
  Go: { anchorCount: Infinity, ranked: true, minLengthOneEdit: 4, minLengthTwoEdits: 12, highConfidenceRank: 1_000 },
  RubyGems: { anchorCount: Infinity, ranked: false, minLengthOneEdit: 4, minLengthTwoEdits: 12, highConfidenceRank: 1_000 },
};

/** Per-ecosystem overrides of `DEFAULT_OPTIONS` (tests and the benchmark use them). */
export type DetectorOptions = Partial<Record<Ecosystem, Partial<NameIndexOptions>>>;

/** The detector over in-memory lists, built synchronously (tests; `loadTyposquatDetector` reads the shipped files). */
export function createTyposquatDetector(lists: PopularLists, options: DetectorOptions = {}): PopularNameDetector {
  return new PopularNameDetector(lists, options);
}

/** Checks names against each ecosystem's popular names; ecosystems without a list report nothing. */
export class PopularNameDetector implements TyposquatDetector {
  private readonly indexes = new Map<Ecosystem, NameIndex>();
  private go: GoPathIndex | undefined;

  constructor(lists: PopularLists, options: DetectorOptions = {}) {
    for (const [ecosystem, value] of Object.entries(lists) as Array<[Ecosystem, PopularList | readonly string[] | undefined]>) {
      if (!value) continue;
      const list: PopularList = isNameArray(value) ? { names: [...value] } : value;
      if (ecosystem === 'Go') this.go = new GoPathIndex(list.names);
      else this.indexes.set(ecosystem, new NameIndex(ecosystem, list, { ...DEFAULT_OPTIONS[ecosystem], ...options[ecosystem] }));
    }
  }

  /** The ecosystem's index (benchmark and tests); undefined when no list was given. */
  index(ecosystem: Exclude<Ecosystem, 'Go'>): NameIndex | undefined {
    return this.indexes.get(ecosystem);
  }

  check(ecosystem: Ecosystem, normalizedName: string, rawName?: string): TyposquatMatch | undefined {
    const misspelt = KNOWN_MISSPELLINGS[ecosystem]?.[normalizedName];
    if (misspelt !== undefined) {
      return {
        intended: misspelt,
        operator: 'known-misspelling',
        confidence: 'high',
        reason: `'${rawName ?? normalizedName}' is a known misspelling of '${misspelt}' that has been used for typosquatting.`,
      };
    }
    const wrong = KNOWN_WRONG_PICKS[ecosystem]?.[normalizedName];
    if (wrong) return { intended: wrong.intended, operator: 'wrong-pick', confidence: 'low', reason: wrong.reason };
    if (ecosystem === 'Go') return this.go?.check(normalizedName);
    return this.indexes.get(ecosystem)?.check(normalizedName, rawName);
  }
}

function isNameArray(value: PopularList | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}
