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

/** "the 123rd most popular npm package" style rank phrase; empty when the list has no ranking. */
export function rankPhrase(rank: number, ecosystemLabel: string, ranked: boolean): string {
  if (!ranked) return `a widely used ${ecosystemLabel} package`;
  return `the #${rank.toLocaleString('en-US')} most downloaded ${ecosystemLabel} package`;
}
