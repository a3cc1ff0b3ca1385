import type { Ecosystem } from './model';

/**
 * The registry's own notion of "same name", so lookups and comparisons agree with it:
 * PEP 503 for PyPI, `-`/`_` equivalence for crates, case-insensitivity for npm and gems,
 * and case-preserving module paths for Go (the proxy escapes capitals; they are distinct paths).
 */
export function normalizeName(ecosystem: Ecosystem, name: string): string {
  switch (ecosystem) {
    case 'PyPI':
      return name.trim().toLowerCase().replace(/[-_.]+/g, '-');
    case 'crates.io':
      return name.trim().toLowerCase().replace(/_/g, '-');
    case 'npm':
      return name.trim().toLowerCase();
    case 'RubyGems':
      return name.trim().toLowerCase();
    case 'Go':
      return name.trim().replace(/\/+$/, '');
  }
}
