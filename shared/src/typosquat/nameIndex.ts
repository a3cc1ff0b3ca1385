import type { Ecosystem } from '../model';
import { normalizeName } from '../normalize';
import type { TyposquatConfidence, TyposquatMatch, TyposquatOperator } from './detector';
import { DeletionIndex } from './deletionIndex';
import { LongNameIndex } from './longNameIndex';
import { asciiFold, hasNonAscii, separatorKey, visualSkeleton } from './lookalike';
import { stripAffixes, stripVersionSuffix } from './affixes';
import { isAdjacentSwap, osaDistance } from './osa';
import { describeOneEdit, rankPhrase } from './explain';
import type { PopularList } from './popularList';

/** Tuning shared by every ecosystem; the defaults are justified in DESIGN.md by measurements. */
export interface NameIndexOptions {
  /** How many of the most popular names are anchors (names worth imitating); the rest only allow. */
  anchorCount: number;
  /** Whether the list order is a popularity ranking (false for an alphabetical stand-in list). */
  ranked: boolean;
  /** Both names need this many characters for one edit to count (short names sit one edit apart). */
  minLengthOneEdit: number;
  /** Both names need this many characters for two edits to count. */
  minLengthTwoEdits: number;
  /** A one-edit look-alike is `high` confidence only when the anchor ranks this high (1-based) or better. */
  highConfidenceRank: number;
}

const LABEL: Record<Ecosystem, string> = { npm: 'npm', PyPI: 'PyPI', 'crates.io': 'crates.io', Go: 'Go', RubyGems: 'RubyGems' };

/**
 * One ecosystem's popular names, indexed for every look-alike rule. Built once (the language server
 * does it at start); `check` then costs microseconds. Ids are popularity ranks minus one.
 */
export class NameIndex {
  /** Normalised names, most popular first. */
  private readonly names: string[];
  /** Normalised name → id, over the whole list: the allow-set. */
  private readonly rankOf = new Map<string, number>();
  private readonly anchorCount: number;
  private readonly oneEdit: DeletionIndex;
  private readonly twoEdits: LongNameIndex;
  private readonly bySeparatorKey = new Map<string, number>();
  private readonly bySkeleton = new Map<string, number>();
  private readonly byWordSet = new Map<string, number>();
  private readonly byAffixCore = new Map<string, number>();
  /** npm: scoped anchors keyed by their pieces run together (`typesnode` → `@types/node`). */
  private readonly byScopePieces = new Map<string, number>();
  /** npm: scope → its anchor bases → id; and every scope seen in the allow-set. */
  private readonly scopeBases = new Map<string, Map<string, number>>();
  private readonly knownScopes = new Set<string>();

  constructor(
    private readonly ecosystem: Ecosystem,
    private readonly list: PopularList,
    private readonly options: NameIndexOptions,
  ) {
    this.names = list.names.map((n) => normalizeName(ecosystem, n));
    for (let id = 0; id < this.names.length; id++) {
      const n = this.names[id]!;
      if (!this.rankOf.has(n)) this.rankOf.set(n, id);
      if (n.charCodeAt(0) === 64 /* @ */) {
        const slash = n.indexOf('/');
        if (slash > 1) this.knownScopes.add(n.slice(1, slash));
      }
    }
    this.anchorCount = Math.min(options.anchorCount, this.names.length);
    const editable: number[] = [];
    for (let id = 0; id < this.anchorCount; id++) {
      const name = this.names[id]!;
      if (this.rankOf.get(name) !== id) continue; // duplicate after normalising
      const scope = splitScope(name);
      if (scope) {
        let bases = this.scopeBases.get(scope.scope);
        if (!bases) this.scopeBases.set(scope.scope, (bases = new Map()));
        if (!bases.has(scope.base)) bases.set(scope.base, id);
        setFirst(this.byScopePieces, separatorKey(scope.scope + scope.base), id);
        continue; // a scoped name is only ever compared with scoped names
      }
      if (name.length >= options.minLengthOneEdit) editable.push(id);
      setFirst(this.bySeparatorKey, separatorKey(name), id);
      setFirst(this.bySkeleton, visualSkeleton(name), id);
      const words = wordSetKey(name);
      if (words) setFirst(this.byWordSet, words, id);
      for (const { core } of stripAffixes(ecosystem, name)) setFirst(this.byAffixCore, core, id);
      const unversioned = stripVersionSuffix(name);
      if (unversioned) setFirst(this.byAffixCore, unversioned, id);
    }
    this.oneEdit = new DeletionIndex(this.names, editable);
    this.twoEdits = new LongNameIndex(this.names, editable, options.minLengthTwoEdits);
  }

  /** True when the name is in the popular list (never reported, whatever it resembles). */
  isPopular(normalizedName: string): boolean {
    return this.rankOf.has(normalizedName);
  }

  /** Number of anchors and of allowed names, for diagnostics and the benchmark. */
  get sizes(): { anchors: number; allowed: number; oneEditKeys: number } {
    return { anchors: this.anchorCount, allowed: this.rankOf.size, oneEditKeys: this.oneEdit.size };
  }

  /** The most popular anchor within the allowed edit distance (1, or 2 for long names), or -1: the core rule alone. */
  nearestAnchor(name: string): number {
    if (name.length < this.options.minLengthOneEdit) return -1;
    const one = this.oneEdit.best1(name);
    const two = this.twoEdits.best2(name, one);
    return two >= 0 ? two : one;
  }

  /** The anchor `name` imitates and why, or undefined. `rawName` keeps what normalising erased. */
  check(name: string, rawName?: string): TyposquatMatch | undefined {
    if (this.rankOf.has(name)) return undefined;
    const scope = splitScope(name);
    if (scope) return this.checkScoped(scope.scope, scope.base);
    const shown = rawName ?? name;

    // Same letters once Unicode look-alikes and separators are folded.
    const folded = separatorKey(asciiFold(shown));
    const sepHit = this.bySeparatorKey.get(folded);
    if (sepHit !== undefined) {
      if (hasNonAscii(shown)) return this.match(sepHit, 'confusable', 'high', 'uses non-ASCII characters that look like');
      return this.match(sepHit, 'separator', 'high', 'differs only in separators or case from');
    }
    // Short names fold into each other too easily (`yam`/`yarn`, `0x`/`ox`): look-alikes need 4+ characters.
    const skelHit = name.length >= this.options.minLengthOneEdit ? this.bySkeleton.get(visualSkeleton(shown)) : undefined;
    if (skelHit !== undefined) {
      if (hasNonAscii(shown)) return this.match(skelHit, 'confusable', 'high', 'uses look-alike characters for');
      return this.match(skelHit, 'homoglyph', 'high', 'swaps in look-alike characters (l/I/1, o/0, rn/m, vv/w) for');
    }

    // One edit (a swap counts as one), both names long enough.
    const one = name.length >= this.options.minLengthOneEdit ? this.oneEdit.best1(name) : -1;
    if (one >= 0) {
      const anchor = this.names[one]!;
      const swap = isAdjacentSwap(name, anchor);
      // Unranked lists (crates, gems) hold only widely used names, so any anchor there is far above a name outside it.
      const strong = name.length >= 5 && (!this.options.ranked || one < this.options.highConfidenceRank);
      return this.match(one, swap ? 'transposition' : 'edit-distance', strong ? 'high' : 'medium', `${describeOneEdit(name, anchor)} compared with`);
    }

    // npm: an unscoped name spelling out a popular scoped one (`types-node` for `@types/node`).
    const pieces = this.byScopePieces.get(separatorKey(name));
    // Medium: npm's pre-scope names (`babel-generator` for `@babel/generator`) are legitimate and look the same.
    if (pieces !== undefined) return this.match(pieces, 'scope', 'medium', 'joins the scope and the name of');

    const words = wordSetKey(name);
    const reordered = words ? this.byWordSet.get(words) : undefined;
    if (reordered !== undefined) return this.match(reordered, 'word-order', 'medium', 'reorders the words of');

    const affixed = this.affixMatch(name);
    if (affixed) return affixed;

    const unversioned = stripVersionSuffix(name);
    if (unversioned !== undefined) {
      const id = unversioned.length >= this.options.minLengthOneEdit ? this.anchorId(unversioned) : -1;
      if (id >= 0) return this.match(id, 'version-suffix', 'medium', 'adds a version number to');
    }


    const two = this.twoEdits.best2(name);
    if (two >= 0) return this.match(two, 'edit-distance', 'medium', 'is two edits away from');
    return undefined;
  }

  private affixMatch(name: string): TyposquatMatch | undefined {
    for (const { core, affix } of stripAffixes(this.ecosystem, name)) {
      const direct = this.anchorId(core);
      if (direct >= 0) return this.match(direct, 'affix', 'medium', `adds '${affix}' to`);
      const sibling = this.byAffixCore.get(core);
      if (sibling !== undefined && this.names[sibling] !== name) {
        return this.match(sibling, 'affix', 'medium', `swaps the prefix or suffix ('${affix}') of`);
      }
    }
    // The popular name with its affix dropped (`dateutil` for `python-dateutil`).
    const dropped = this.byAffixCore.get(name);
    if (dropped !== undefined) return this.match(dropped, 'affix', 'medium', 'drops a prefix or suffix of');
    return undefined;
  }

  /**
   * A scoped npm name. Scopes belong to one owner, so a name under a scope that already has popular
   * packages cannot be squatted by someone else; only a look-alike *scope* carrying a popular base is.
   */
  private checkScoped(scope: string, base: string): TyposquatMatch | undefined {
    if (this.knownScopes.has(scope)) return undefined;
    const key = separatorKey(scope);
    const skeleton = visualSkeleton(scope);
    let best = -1;
    for (const [popularScope, bases] of this.scopeBases) {
      const id = bases.get(base);
      if (id === undefined || (best >= 0 && id >= best)) continue;
      if (scopeLookalike(key, skeleton, popularScope, this.options)) best = id;
    }
    if (best < 0) return undefined;
    return this.match(best, 'scope', 'high', 'puts the same package under a look-alike scope of');
  }

  /** Id of `name` when it is an anchor, else -1. */
  private anchorId(name: string): number {
    const id = this.rankOf.get(name);
    return id !== undefined && id < this.anchorCount ? id : -1;
  }

  private match(id: number, operator: TyposquatOperator, confidence: TyposquatConfidence, how: string): TyposquatMatch {
    const intended = this.list.names[id]!;
    const popularity = rankPhrase(id + 1, LABEL[this.ecosystem], this.options.ranked, this.list.tiers?.[id]);
    return { intended, operator, confidence, reason: `It ${how} '${intended}', ${popularity}.` };
  }
}

/** Whether a scope (given as its separator key and skeleton) imitates a popular scope. */
function scopeLookalike(key: string, skeleton: string, popularScope: string, options: NameIndexOptions): boolean {
  const popularKey = separatorKey(popularScope);
  if (key === popularKey || skeleton === visualSkeleton(popularScope)) return true;
  const shortest = Math.min(key.length, popularKey.length);
  if (shortest >= options.minLengthTwoEdits) return osaDistance(key, popularKey, 2) <= 2;
  if (shortest >= options.minLengthOneEdit) return osaDistance(key, popularKey, 1) <= 1;
  return false;
}

/** `@scope/base` → its pieces; undefined for an unscoped name. */
export function splitScope(name: string): { scope: string; base: string } | undefined {
  if (!name.startsWith('@')) return undefined;
  const slash = name.indexOf('/');
  if (slash < 2) return undefined;
  return { scope: name.slice(1, slash), base: name.slice(slash + 1) };
}

/** The sorted words of a multi-word name (`dateutil-python` and `python-dateutil` share one); undefined for one word. */
function wordSetKey(name: string): string | undefined {
  const words = name.split(/[-_.]+/).filter((w) => w !== '');
  return words.length >= 2 ? words.sort().join(' ') : undefined;
}

function setFirst(map: Map<string, number>, key: string, id: number): void {
  if (!map.has(key)) map.set(key, id);
}
