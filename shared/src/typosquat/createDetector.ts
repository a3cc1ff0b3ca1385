import type { Ecosystem } from '../model';
import type { TyposquatDetector, TyposquatMatch } from './detector';
import { GoPathIndex } from './goPath';
import { KNOWN_MISSPELLINGS, KNOWN_WRONG_PICKS, PYPI_IMPORT_NAMES } from './knownNames';
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

/**
 * Checks names against each ecosystem's popular names; ecosystems without a list report nothing.
 * Each ecosystem's index is built on its first check (npm's takes ~150 ms on an idle machine), so a
 * workspace with only a requirements file never pays for npm's.
 */
export class PopularNameDetector implements TyposquatDetector {
  private readonly lists = new Map<Ecosystem, PopularList>();
  private readonly indexes = new Map<Ecosystem, NameIndex>();
  private go: GoPathIndex | undefined;

  constructor(lists: PopularLists, private readonly options: DetectorOptions = {}) {
    for (const [ecosystem, value] of Object.entries(lists) as Array<[Ecosystem, PopularList | readonly string[] | undefined]>) {
      if (value) this.lists.set(ecosystem, isNameArray(value) ? { names: [...value] } : value);
    }
  }

  /** The ecosystem's index, built now if it was not yet; undefined when no list was given. */
  index(ecosystem: Exclude<Ecosystem, 'Go'>): NameIndex | undefined {
    let index = this.indexes.get(ecosystem);
    const list = this.lists.get(ecosystem);
    if (!index && list) {
      index = new NameIndex(ecosystem, list, { ...DEFAULT_OPTIONS[ecosystem], ...this.options[ecosystem] });
      this.indexes.set(ecosystem, index);
    }
    return index;
  }

  /** Builds one ecosystem's index now rather than on its first check. */
  prepare(ecosystem: Ecosystem): void {
    if (ecosystem === 'Go') this.goIndex();
    else this.index(ecosystem);
  }

  /** Builds every index now (benchmarks; a caller that prefers paying at start). */
  prepareAll(): this {
    for (const ecosystem of this.lists.keys()) this.prepare(ecosystem);
    return this;
  }

  /** The ecosystems that have a list. */
  get ecosystems(): Ecosystem[] {
    return [...this.lists.keys()];
  }

  /** A PyPI import name written as a requirement (`cv2`, `yaml`): advice when the name is a popular project, a warning when not. */
  private importName(name: string): TyposquatMatch {
    const project = PYPI_IMPORT_NAMES[name]!;
    if (this.index('PyPI')?.isPopular(name)) {
      return {
        intended: project,
        operator: 'import-name',
        confidence: 'low',
        reason: `'${name}' is a different project from '${project}', which provides the '${name}' module most code imports.`,
      };
    }
    return {
      intended: project,
      operator: 'import-name',
      confidence: 'medium',
      reason: `'${name}' is the module '${project}' provides, not that project's name; a PyPI project called '${name}' belongs to someone else.`,
    };
  }

  private goIndex(): GoPathIndex | undefined {
    const list = this.lists.get('Go');
    if (!this.go && list) this.go = new GoPathIndex(list.names);
    return this.go;
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
    if (ecosystem === 'PyPI' && Object.hasOwn(PYPI_IMPORT_NAMES, normalizedName)) return this.importName(normalizedName);
    if (ecosystem === 'Go') return this.goIndex()?.check(normalizedName);
    return this.index(ecosystem)?.check(normalizedName, rawName);
  }
}

function isNameArray(value: PopularList | readonly string[]): value is readonly string[] {
  return Array.isArray(value);
}
