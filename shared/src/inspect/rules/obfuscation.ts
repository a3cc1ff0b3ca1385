import { regexFinder, type HitFinder, type LineRule, type TextHit } from './ruleTypes';

// Signs that code is hiding from a reader. Weak alone; strong next to network or process use.

const HEX_IDENTIFIER = /\b_0x[0-9a-f]{4,6}\b/g;
const ESCAPE_RUN = /(?:\\x[0-9a-fA-F]{2}){24,}|(?:\\u00[0-9a-fA-F]{2}){24,}|(?:\\[0-7]{3}){24,}/g;
const PY_CHR_CHAIN = /(?:\bchr\(\s*\d{1,3}\s*\)\s*\+\s*){6,}|\bjoin\(\s*(?:map\(\s*chr\s*,|\[\s*chr\(\s*\w+\s*\)\s*for\b)/g;
const LATIN_NEXT_TO_LOOKALIKE = /[A-Za-z][\u0370-\u03FF\u0400-\u04FF]|[\u0370-\u03FF\u0400-\u04FF][A-Za-z]/g;

/** Columns past this many consecutive blanks are off screen in every editor. */
export const HIDDEN_WHITESPACE_RUN = 150;

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
    if (run >= HIDDEN_WHITESPACE_RUN) {
      // Only code counts: padding before a closing quote or a comment is layout, not hiding.
      const tail = text.slice(i, i + 200);
      const newline = tail.search(/[\r\n]/);
      const rest = newline >= 0 ? tail.slice(0, newline) : tail;
      if (/[(;=]/.test(rest) && !/^(?:#|\/\/|\/\*|\*|['"`]\s*[,;)\]]?\s*$)/.test(rest)) hits.push({ index: i, text: rest.slice(0, 120) });
    }
    run = 0;
  }
  return hits;
};

/** Latin letters glued to Greek or Cyrillic ones inside one word: identifiers that look like others. */
const findHomoglyphs: HitFinder = (text, maxHits) => {
  const hits: TextHit[] = [];
  LATIN_NEXT_TO_LOOKALIKE.lastIndex = 0;
  let match: RegExpExecArray | null;
  while (hits.length < maxHits && (match = LATIN_NEXT_TO_LOOKALIKE.exec(text)) !== null) {
    // Walk out to the whole word so the report shows the identifier, and skip words that are all one script.
    let start = match.index;
    while (start > 0 && start > match.index - 60 && /[\p{L}\p{N}_$]/u.test(text[start - 1] ?? '')) start--;
    let end = match.index + 2;
    while (end < text.length && end < match.index + 60 && /[\p{L}\p{N}_$]/u.test(text[end] ?? '')) end++;
    hits.push({ index: start, text: text.slice(start, end) });
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
