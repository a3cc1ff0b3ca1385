import type { Ecosystem } from '../model';

/** Which rule matched. */
export type TyposquatOperator =
  | 'edit-distance'
  | 'transposition'
  | 'separator'
  | 'homoglyph'
  | 'confusable'
  | 'affix'
  | 'version-suffix'
  | 'scope'
  | 'go-path'
  | 'word-order'
  | 'known-misspelling'
  | 'wrong-pick'
  | 'import-name';

/**
 * How sure the match is: `high` for look-alikes of a much more popular package that a person would not
 * notice (homoglyphs, separators, one swapped or missing letter in a longer name); `medium` for
 * plausible but noisier rules (two edits, affixes, version suffixes); `low` for advice (wrong picks).
 */
export type TyposquatConfidence = 'high' | 'medium' | 'low';

export interface TyposquatMatch {
  /** The popular package the name imitates (as the registry spells it). */
  intended: string;
  operator: TyposquatOperator;
  /** One sentence for the user: why this looks like `intended`. */
  reason: string;
  /** Absent from older detectors; treat as `high`. */
  confidence?: TyposquatConfidence;
}

/** Looks a (normalised) name up against the popular names of its ecosystem. */
export interface TyposquatDetector {
  /** `rawName` (as written) lets look-alike rules see what normalising erased, e.g. a capital `I` posing as `l`. */
  check(ecosystem: Ecosystem, normalizedName: string, rawName?: string): TyposquatMatch | undefined;
}
