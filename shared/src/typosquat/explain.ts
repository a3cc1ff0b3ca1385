/** One-phrase descriptions of how a name differs from the one it imitates, for match reasons. */

/** Describes a single edit turning `intended` into `name` ("adds 'u'", "swaps 'e' and 'r'", …). */
export function describeOneEdit(name: string, intended: string): string {
  let i = 0;
  while (i < name.length && i < intended.length && name[i] === intended[i]) i++;
  if (name.length === intended.length + 1) return `adds '${name[i]}'`;
  if (name.length + 1 === intended.length) return `drops '${intended[i]}'`;
  if (name[i] === intended[i + 1] && name[i + 1] === intended[i] && name.slice(i + 2) === intended.slice(i + 2)) {
    return `swaps '${intended[i]}' and '${intended[i + 1]}'`;
  }
  return `has '${name[i]}' where it has '${intended[i]}'`;
}

/** Download magnitudes by tier (floor(log10(monthly downloads))) for reasons. */
const TIER_WORDS = ['1', '10', '100', '1,000', '10,000', '100,000', 'a million', '10 million', '100 million', 'a billion', '10 billion'];

/**
 * "the #145 most downloaded npm package (over 100 million downloads a month)"; for an unranked list,
 * "a widely used crates.io package". `tier` is floor(log10(monthly downloads)) when known.
 */
export function rankPhrase(rank: number, ecosystemLabel: string, ranked: boolean, tier?: number): string {
  if (!ranked) return `a widely used ${ecosystemLabel} package`;
  const downloads = tier !== undefined && TIER_WORDS[tier] ? ` (over ${TIER_WORDS[tier]} downloads a month)` : '';
  return `the #${rank.toLocaleString('en-US')} most downloaded ${ecosystemLabel} package${downloads}`;
}
