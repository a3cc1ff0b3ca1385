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
  | 'word-order';

export interface TyposquatMatch {
  /** The popular package the name imitates (as the registry spells it). */
  intended: string;
  operator: TyposquatOperator;
  /** One sentence for the user: why this looks like `intended`. */
  reason: string;
}

/** Looks a (normalised) name up against the popular names of its ecosystem. */
export interface TyposquatDetector {
  check(ecosystem: Ecosystem, normalizedName: string): TyposquatMatch | undefined;
}
