import type { Ecosystem } from '../model';

/**
 * Words squatters add to or drop from a popular name: the language or ecosystem name (`python-`,
 * `-js`, `-rs`), and generic ones the registries' own checkers list (`-cli`, `-lib`, `-core`, `-sys`).
 * Ordered longest first so `python3-` is tried before `python-` and `py`.
 */
const AFFIXES: Record<Ecosystem, { prefixes: string[]; suffixes: string[] }> = {
  PyPI: {
    prefixes: ['python3-', 'python-', 'python', 'py3-', 'py-', 'py'],
    suffixes: ['-python3', '-python', 'python', '-py3', '-py', '-lib', '-api', '-sdk'],
  },
  npm: {
    prefixes: ['nodejs-', 'node-', 'node.', 'js-'],
    // No `-cli`/`-lib`/`-core` here: on npm they are the normal names of a package's companions
    // (`postcss-cli`, `aws-cdk-lib`), and they produced most affix false positives in the measurement.
    suffixes: ['-nodejs', '-node', '.js', '-js', 'js'],
  },
  'crates.io': {
    prefixes: ['rust-', 'cargo-'],
    suffixes: ['-rust', '-rs', '-sys', '-core', '-cli', '-lib', '-api'],
  },
  RubyGems: {
    prefixes: ['ruby-', 'rb-'],
    suffixes: ['-ruby', '-rb', '-rails'],
  },
  Go: {
    prefixes: ['golang-', 'go-'],
    suffixes: ['-golang', '-go', '.go'],
  },
};

/** The shortest core a word may have left once an affix is removed (below this, `py` + `pi` style noise). */
const MIN_CORE = 3;

/**
 * Every way to remove one known affix from `name` (digits such as `3` in `python3-` included in the affix),
 * each with the affix removed. Names are compared lower-cased.
 */
export function stripAffixes(ecosystem: Ecosystem, name: string): Array<{ core: string; affix: string }> {
  const { prefixes, suffixes } = AFFIXES[ecosystem];
  const out: Array<{ core: string; affix: string }> = [];
  // Longest first; a shorter affix contained in one already removed (`py` in `python3-`) would only cut a word in half.
  let matched = '';
  for (const p of prefixes) {
    if (matched.startsWith(p)) continue;
    if (name.startsWith(p) && name.length - p.length >= MIN_CORE) {
      out.push({ core: name.slice(p.length), affix: p });
      matched = p;
    }
  }
  matched = '';
  for (const s of suffixes) {
    if (matched.endsWith(s)) continue;
    if (name.endsWith(s) && name.length - s.length >= MIN_CORE) {
      out.push({ core: name.slice(0, -s.length), affix: s });
      matched = s;
    }
  }
  return out;
}

/** `name` without a trailing version number (`requests2`, `lodash-4`, `yaml.v3`); undefined when it has none. */
export function stripVersionSuffix(name: string): string | undefined {
  const m = /^(.*?[a-z])[-_.]?v?\d+$/i.exec(name);
  return m && m[1] !== undefined && m[1].length >= MIN_CORE ? m[1].replace(/[-_.]$/, '') : undefined;
}
