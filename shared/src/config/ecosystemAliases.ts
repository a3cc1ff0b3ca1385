import type { Ecosystem } from '../model';

/**
 * The words people write for an ecosystem, lower case: tool, language or registry name. One table for
 * every place a user names one (`[sandbox.images]` keys, the CLI's `--ecosystem`), so they accept the same.
 */
export const ECOSYSTEM_ALIASES: Readonly<Record<string, Ecosystem>> = {
  pip: 'PyPI',
  pypi: 'PyPI',
  python: 'PyPI',
  npm: 'npm',
  node: 'npm',
  cargo: 'crates.io',
  crates: 'crates.io',
  'crates.io': 'crates.io',
  rust: 'crates.io',
  go: 'Go',
  golang: 'Go',
  gem: 'RubyGems',
  gems: 'RubyGems',
  rubygems: 'RubyGems',
  ruby: 'RubyGems',
};

/** The ecosystem a word names (any case), if any; own keys only, so `constructor` names none. */
export function ecosystemFromAlias(word: string): Ecosystem | undefined {
  const lower = word.toLowerCase();
  return Object.prototype.hasOwnProperty.call(ECOSYSTEM_ALIASES, lower) ? ECOSYSTEM_ALIASES[lower] : undefined;
}
