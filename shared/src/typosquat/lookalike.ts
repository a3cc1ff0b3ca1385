/**
 * Keys under which names that *look* the same collide: separator-insensitive, homoglyph-folded and
 * Unicode-confusable-folded. Registries use the same idea (npm refuses names equal after removing
 * `-`, `_`, `.`; PyPI additionally folds `l`/`i`/`1` and `o`/`0`).
 */

/** Characters registries treat as word separators. */
const SEPARATORS = /[-_.]/g;

/** `name` lower-cased with `-`, `_`, `.` removed: `cross-env`, `crossenv` and `Cross_Env` share a key. */
export function separatorKey(name: string): string {
  return name.toLowerCase().replace(SEPARATORS, '');
}

/**
 * Non-ASCII letters that render like ASCII ones in editor fonts (Cyrillic, Greek, a few Latin
 * extensions). NFKC already folds full-width forms, ligatures and mathematical alphabets; this map
 * covers what NFKC keeps distinct. Lower-case only: input is lower-cased first.
 */
const CONFUSABLES: Record<string, string> = {
  // Cyrillic
  'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'з': '3', 'і': 'i', 'ї': 'i', 'ј': 'j', 'к': 'k', 'м': 'm',
  'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'ѕ': 's', 'ԁ': 'd', 'һ': 'h',
  'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ɡ': 'g', 'ь': 'b', 'п': 'n', 'г': 'r',
  // Greek
  'α': 'a', 'β': 'b', 'γ': 'y', 'ε': 'e', 'η': 'n', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p',
  'τ': 't', 'υ': 'u', 'χ': 'x', 'ω': 'w',
  // Latin extensions and symbols
  'ı': 'i', 'ȷ': 'j', 'ł': 'l', 'ɩ': 'i', 'ɑ': 'a', 'ß': 'ss', 'ø': 'o', 'đ': 'd', 'ħ': 'h',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2212': '-', '\u00b7': '.',
};

/** Zero-width and invisible characters that make two names differ without showing it. */
const INVISIBLE = /[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g;

/** Combining marks left after NFD: `é` → `e` for the skeleton. */
const COMBINING = /[\u0300-\u036f]/g;

/** True when the name has anything outside printable ASCII. */
export function hasNonAscii(name: string): boolean {
  return /[^\x20-\x7e]/.test(name);
}

/**
 * Folds Unicode only: NFKC, invisible characters removed, accents stripped, confusable letters mapped
 * to the ASCII they imitate, lower-cased. An all-ASCII name comes back lower-cased and otherwise unchanged.
 */
export function asciiFold(name: string): string {
  if (!hasNonAscii(name)) return name.toLowerCase(); // the common case: skip NFKC (index build time)
  let s = name.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
  if (!hasNonAscii(s)) return s;
  s = s.normalize('NFD').replace(COMBINING, '');
  let out = '';
  for (const ch of s) out += CONFUSABLES[ch] ?? ch;
  return out;
}

/**
 * The visual skeleton: Unicode folded, then the ASCII look-alikes folded too — capital `I`, `1` and `l`
 * become `l`; `0` becomes `o`; `rn` becomes `m`; `vv` becomes `w` — and separators removed. Two names
 * with the same skeleton are hard to tell apart on screen. A lower-case `i` is left alone: its dot
 * tells it from `l`, and folding it paired legitimate names such as `is-uri`/`is-url` (measured).
 */
export function visualSkeleton(name: string): string {
  // A capital I is the classic l look-alike: fold it before lower-casing turns it into a harmless `i`.
  const s = asciiFold(name.replace(/I/g, 'l'));
  return s.replace(SEPARATORS, '').replace(/[1|]/g, 'l').replace(/0/g, 'o').replace(/rn/g, 'm').replace(/vv/g, 'w');
}
