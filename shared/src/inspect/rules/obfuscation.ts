import { regexFinder, type HitFinder, type LineRule, type TextHit } from './ruleTypes';

// Signs that code is hiding from a reader. Weak alone; strong next to network or process use.

const HEX_IDENTIFIER = /\b_0x[0-9a-f]{4,6}\b/g;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}){24,}|(?:\\u00[0-9a-fA-F]{2}){24,}|(?:\\[0-7]{3}){24,}/g;
const PY_CHR_CHAIN = /(?:\bchr\(\s*\d{1,3}\s*\)\s*\+\s*){6,}|\bjoin\(\s*(?:map\(\s*chr\s*,|\[\s*chr\(\s*\w+\s*\)\s*for\b)/g;
const LATIN_NEXT_TO_LOOKALIKE = /[A-Za-z][\u0370-\u03FF\u0400-\u04FF]|[\u0370-\u03FF\u0400-\u04FF][A-Za-z]/g;

/** Columns past this many consecutive blanks are off screen in every editor. */
export const HIDDEN_WHITESPACE_RUN = 150;

/** True when the line holding `index` starts (after blanks) like a comment. */
function isCommentLine(text: string, index: number): boolean {
  const start = Math.max(text.lastIndexOf('\n', index) + 1, index - 4096);
  return /^[ \t]*(?:#|\/\/|\/?\*|<!--)/.test(text.slice(start, Math.min(index, start + 64)));
}

/** Code pushed past a run of 150+ blanks on one line (litellm-style `;exec(...)` far to the right). */
export const findHiddenCode: HitFinder = (text, maxHits) => {
  const hits: TextHit[] = [];
  let run = 0;
  for (let i = 0; i < text.length && hits.length < maxHits; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 32 || ch === 9) {
      run++;
      continue;
    }
    if (ch === 10 || ch === 13) {
      run = 0;
      continue;
    }
    if (run >= HIDDEN_WHITESPACE_RUN && !isCommentLine(text, i)) {
      // Only code counts: padding before a closing quote or a comment is layout, not hiding.
      const tail = text.slice(i, i + 200);
      const newline = tail.search(/[\r\n]/);
      const rest = newline >= 0 ? tail.slice(0, newline) : tail;
      // Payloads hidden this way are statements or calls (`;exec(...)`, `__import__('os')…`); prose is not.
      if (/^[;,]|[\w$\]'"]\(/.test(rest) && !/^(?:#|\/\/|\/\*|\*|['"`]\s*[,;)\]]?\s*$)/.test(rest)) hits.push({ index: i, text: rest.slice(0, 120) });
    }
    run = 0;
  }
  return hits;
};

/** Greek and Cyrillic letters that render like Latin ones. */
const LOOKALIKES = new Set([...'аеорсухіјѕԁӏһԛԝАВЕКМНОРСТХІЈЅοαρνικτυχΑΒΕΖΗΙΚΜΝΟΡΤΥΧ']);
const LATIN = /[A-Za-z]/;
const GREEK_OR_CYRILLIC = /[\u0370-\u03FF\u0400-\u04FF]/;

/**
 * A word that reads as Latin but holds one or two look-alike letters (`sеndData` with a Cyrillic е).
 * Words with other Greek or Cyrillic letters are real text (locale data such as `нe_пo`), not disguise.
 */
function isDisguisedWord(word: string): boolean {
  let latin = 0;
  let lookalike = 0;
  for (const ch of word) {
    if (LATIN.test(ch)) latin++;
    else if (LOOKALIKES.has(ch)) lookalike++;
    else if (GREEK_OR_CYRILLIC.test(ch)) return false;
  }
  return latin >= 3 && lookalike >= 1 && lookalike <= 2;
}

/** Latin letters glued to Greek or Cyrillic look-alikes inside one word: identifiers that look like others. */
const findHomoglyphs: HitFinder = (text, maxHits) => {
  const hits: TextHit[] = [];
  LATIN_NEXT_TO_LOOKALIKE.lastIndex = 0;
  let match: RegExpExecArray | null;
  let tried = 0;
  while (hits.length < maxHits && tried++ < 10_000 && (match = LATIN_NEXT_TO_LOOKALIKE.exec(text)) !== null) {
    // Walk out to the whole word (bounded) so the report shows the identifier.
    let start = match.index;
    while (start > 0 && start > match.index - 60 && /[\p{L}\p{N}_$]/u.test(text[start - 1] ?? '')) start--;
    let end = match.index + 2;
    while (end < text.length && end < match.index + 60 && /[\p{L}\p{N}_$]/u.test(text[end] ?? '')) end++;
    const word = text.slice(start, end);
    if (isDisguisedWord(word)) hits.push({ index: start, text: word });
    LATIN_NEXT_TO_LOOKALIKE.lastIndex = end;
  }
  return hits;
};

const CODE = ['python', 'pth', 'javascript', 'ruby', 'go', 'rust', 'shell'] as const;

/** Obfuscation families: `_0x` arrays, hidden code, escape runs, chr chains, homoglyphs. */
export const OBFUSCATION_RULES: readonly LineRule[] = [
  { id: 'obfuscated-identifiers', family: 'obfuscation', role: 'indicator', severity: 'medium', languages: ['javascript'], reason: 'uses javascript-obfuscator style _0x identifiers', find: regexFinder(HEX_IDENTIFIER), minCount: 10, escalateWith: ['network', 'spawn'] },
  { id: 'hidden-code', family: 'obfuscation', role: 'indicator', severity: 'medium', languages: CODE, reason: 'hides code past 150 blanks on a line', find: findHiddenCode, escalateWith: ['network', 'spawn'] },
  { id: 'escape-run', family: 'obfuscation', role: 'indicator', severity: 'low', languages: CODE, reason: 'holds a long run of \\x / octal escapes', find: regexFinder(ESCAPE_RUN), escalateWith: ['spawn'] },
  { id: 'chr-chain', family: 'obfuscation', role: 'indicator', severity: 'low', languages: ['python', 'pth'], reason: 'builds strings from chr() codes', find: regexFinder(PY_CHR_CHAIN), escalateWith: ['network', 'spawn'] },
  { id: 'homoglyph', family: 'obfuscation', role: 'indicator', severity: 'medium', languages: ['python', 'pth', 'javascript', 'ruby', 'go', 'rust'], reason: 'mixes Latin with Greek or Cyrillic look-alike letters in one word', find: findHomoglyphs, escalateWith: ['network', 'spawn'] },
];
