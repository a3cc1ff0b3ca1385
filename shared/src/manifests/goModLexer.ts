/**
 * Splits go.mod text into lines of tokens the way the Go toolchain's own reader does:
 * words end at white space or one of `( ) [ ] { } ,`; `"…"` and `` `…` `` are quoted words;
 * `//` starts a comment that runs to the end of the line. `=>` is an ordinary word.
 */

/** One word of a go.mod line. Offsets are into the whole text; `start`/`end` exclude quotes. */
export interface GoModToken {
  /** The word's value (quotes removed, escapes decoded). */
  value: string;
  start: number;
  end: number;
  /** Offsets including the quotes (same as start/end for bare words). */
  outerStart: number;
  outerEnd: number;
  quoted: boolean;
}

/** One physical line: its tokens, its trailing `//` comment, and any lexing problems. */
export interface GoModLine {
  tokens: GoModToken[];
  /** Comment text after `//`, trimmed; undefined when the line has none. */
  comment?: string;
  /** Offsets of the line's content (without the line break). */
  start: number;
  end: number;
  problems: Array<{ message: string; start: number; end: number }>;
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',']);

/** Lexes go.mod text into lines. Linear in the text length; never throws. */
export function lexGoMod(text: string): GoModLine[] {
  const lines: GoModLine[] = [];
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = lineStart;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    lines.push(lexLine(text, lineStart, lineEnd));
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1);
  }
  return lines;
}

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\v' || ch === '\f' || ch === '\u00a0' || ch === '\ufeff';
}

function lexLine(text: string, start: number, end: number): GoModLine {
  const line: GoModLine = { tokens: [], start, end, problems: [] };
  let i = start;
  while (i < end) {
    const ch = text[i] as string;
    if (isSpace(ch)) {
      i++;
      continue;
    }
    if (ch === '/' && text[i + 1] === '/') {
      line.comment = text.slice(i + 2, end).trim();
      break;
    }
    if (ch === '/' && text[i + 1] === '*') {
      line.problems.push({ message: 'go.mod files must use // comments', start: i, end: Math.min(i + 2, end) });
      break;
    }
    if (PUNCTUATION.has(ch)) {
      line.tokens.push({ value: ch, start: i, end: i + 1, outerStart: i, outerEnd: i + 1, quoted: false });
      i++;
      continue;
    }
    if (ch === '"' || ch === '`') {
      i = lexQuoted(text, i, end, line);
      continue;
    }
    const wordStart = i;
    while (i < end) {
      const c = text[i] as string;
      if (isSpace(c) || PUNCTUATION.has(c) || c === '"' || c === '`') break;
      if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) break;
      i++;
    }
    line.tokens.push({ value: text.slice(wordStart, i), start: wordStart, end: i, outerStart: wordStart, outerEnd: i, quoted: false });
  }
  return line;
}

// Reads a "…" or `…` word starting at `open`; returns the offset after it.
function lexQuoted(text: string, open: number, end: number, line: GoModLine): number {
  const quote = text[open];
  let i = open + 1;
  while (i < end && text[i] !== quote) i += quote === '"' && text[i] === '\\' ? 2 : 1;
  if (i >= end) {
    line.problems.push({ message: 'Unterminated quoted string', start: open, end });
    return end;
  }
  const raw = text.slice(open + 1, i);
  let value = raw;
  if (quote === '"' && raw.includes('\\')) {
    try {
      value = JSON.parse(`"${raw}"`) as string;
    } catch {
      line.problems.push({ message: 'Invalid escape in quoted string', start: open, end: i + 1 });
    }
  }
  line.tokens.push({ value, start: open + 1, end: i, outerStart: open, outerEnd: i + 1, quoted: true });
  return i + 1;
}
