/**
 * A tolerant tokenizer for the subset of Ruby that Gemfiles use. It never evaluates anything; it only
 * needs to find string literals, symbols, hash keys, keywords and brackets with exact offsets, and to
 * skip everything else (comments, regexps, heredocs, interpolation) without losing its place.
 */

/** Token kinds: `label` is a hash key written `key:`, `words` a `%w[]`/`%i[]` list. */
export type GemTokenType = 'string' | 'symbol' | 'label' | 'ident' | 'number' | 'words' | 'op' | 'newline';

/** One token. `start`/`end` cover the meaningful text (a string's content, a symbol's name). */
export interface GemToken {
  type: GemTokenType;
  value: string;
  start: number;
  end: number;
  /** The whole token including quotes, colons and delimiters. */
  outerStart: number;
  outerEnd: number;
  /** Strings with `#{…}` interpolation (their value is not known without running Ruby). */
  dynamic?: boolean;
  /** `%w[]` / `%i[]` items. */
  items?: Array<{ value: string; start: number; end: number }>;
}

/** Tokens plus lexing problems (unterminated strings and the like). */
export interface GemLexResult {
  tokens: GemToken[];
  problems: Array<{ message: string; start: number; end: number }>;
}

const IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const IDENT_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;
const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };
// Multi-character operators, longest first so `**=` wins over `**`.
const OPERATORS = ['**=', '<=>', '===', '...', '&&=', '||=', '<<=', '>>=', '=>', '->', '==', '!=', '=~', '!~', '>=', '<=', '&&', '||', '<<', '>>', '**', '::', '..', '+=', '-=', '*=', '/=', '&.'];

/** Tokenizes Gemfile text. Linear in the text length; never throws. */
export function lexGemfile(text: string): GemLexResult {
  return new GemfileLexer(text).run();
}

class GemfileLexer {
  private readonly tokens: GemToken[] = [];
  private readonly problems: GemLexResult['problems'] = [];
  private pos = 0;
  /** Heredoc terminators whose bodies start after the current line. */
  private pendingHeredocs: Array<{ id: string; indented: boolean; token: GemToken }> = [];

  constructor(private readonly text: string) {}

  run(): GemLexResult {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos] as string;
      if (this.atLineStart() && this.skipLineStartDirectives()) continue;
      if (ch === '\n' || ch === '\r') {
        this.newline();
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\f' || ch === '\v' || ch === '\ufeff') {
        this.pos++;
        continue;
      }
      if (ch === '\\' && (text[this.pos + 1] === '\n' || text[this.pos + 1] === '\r')) {
        // Line continuation: the break does not end the statement.
        this.pos += text[this.pos + 1] === '\r' && text[this.pos + 2] === '\n' ? 3 : 2;
        continue;
      }
      if (ch === '#') {
        while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') this.pos++;
        continue;
      }
      if (ch === '"' || ch === "'" || ch === '`') {
        this.quoted(ch, ch, this.pos, this.pos + 1, ch !== "'");
        continue;
      }
      if (ch === ':' && this.symbol()) continue;
      if (ch === '%' && this.percentLiteral()) continue;
      if (ch === '<' && text[this.pos + 1] === '<' && this.heredoc()) continue;
      if (ch === '/' && this.valueExpected() && this.regexp()) continue;
      if (ch === '?' && this.charLiteral()) continue;
      if (/[0-9]/.test(ch)) {
        this.number();
        continue;
      }
      if (IDENT_START.test(ch) || ((ch === '@' || ch === '$') && IDENT_START.test(text[this.pos + 1] ?? ''))) {
        this.identifier();
        continue;
      }
      this.operator();
    }
    for (const h of this.pendingHeredocs) {
      this.problems.push({ message: `Heredoc ${h.id} is never terminated`, start: h.token.outerStart, end: h.token.outerEnd });
    }
    return { tokens: this.tokens, problems: this.problems };
  }

  private push(token: GemToken): void {
    this.tokens.push(token);
  }

  private atLineStart(): boolean {
    return this.pos === 0 || this.text[this.pos - 1] === '\n' || this.text[this.pos - 1] === '\r';
  }

  /** `=begin … =end` comments and `__END__`, which only count at the start of a line. */
  private skipLineStartDirectives(): boolean {
    const text = this.text;
    if (text.startsWith('__END__', this.pos) && /^__END__\s*$/m.test(text.slice(this.pos, this.pos + 9))) {
      this.pos = text.length;
      return true;
    }
    if (text.startsWith('=begin', this.pos)) {
      const end = text.indexOf('\n=end', this.pos);
      this.pos = end === -1 ? text.length : end + 5;
      while (this.pos < text.length && text[this.pos] !== '\n' && text[this.pos] !== '\r') this.pos++;
      return true;
    }
    return false;
  }

  private newline(): void {
    const start = this.pos;
    this.pos += this.text[this.pos] === '\r' && this.text[this.pos + 1] === '\n' ? 2 : 1;
    const last = this.tokens[this.tokens.length - 1];
    if (last && last.type !== 'newline') this.push({ type: 'newline', value: '\n', start, end: start, outerStart: start, outerEnd: this.pos });
    if (this.pendingHeredocs.length > 0) this.heredocBodies();
  }

  /** Whether the previous token leaves Ruby expecting a value (so `/` starts a regexp, `%` a literal). */
  private valueExpected(): boolean {
    const prev = this.tokens[this.tokens.length - 1];
    if (!prev || prev.type === 'newline' || prev.type === 'label') return true;
    if (prev.type === 'op') return ![')', ']', '}'].includes(prev.value);
    if (prev.type === 'ident') {
      if (['if', 'unless', 'when', 'and', 'or', 'not', 'return', 'while', 'until', 'elsif'].includes(prev.value)) return true;
      // `foo /x/` (method call with a regexp argument) versus `a / b`: a space before and none after means a value.
      return this.text[this.pos - 1] === ' ' && this.text[this.pos + 1] !== ' ';
    }
    return false;
  }

  // Reads a string literal whose content starts at `contentStart`; `open`/`close` are its delimiters.
  private quoted(open: string, close: string, outerStart: number, contentStart: number, interpolates: boolean): void {
    const text = this.text;
    let i = contentStart;
    let depth = 0;
    let dynamic = false;
    let escaped = false;
    // Ruby lets quoted strings span lines, but in a Gemfile that is almost always a missing quote:
    // ending the string at its line keeps one typo from swallowing every gem below it.
    const lineBound = open === close && (open === '"' || open === "'" || open === '`');
    while (i < text.length) {
      const c = text[i] as string;
      if (lineBound && (c === '\n' || c === '\r')) {
        i = text.length;
        break;
      }
      if (c === '\\') {
        escaped = true;
        i += 2;
        continue;
      }
      if (interpolates && c === '#' && text[i + 1] === '{') {
        dynamic = true;
        i = this.skipInterpolation(i + 2);
        continue;
      }
      if (c === open && open !== close) depth++;
      else if (c === close) {
        if (depth === 0) break;
        depth--;
      }
      i++;
    }
    if (i >= text.length) {
      // Ruby strings may span lines, but an unterminated one would swallow the file: end it at its line.
      let lineEnd = contentStart;
      while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
      this.problems.push({ message: 'Unterminated string', start: outerStart, end: lineEnd });
      this.push({ type: 'string', value: text.slice(contentStart, lineEnd), start: contentStart, end: lineEnd, outerStart, outerEnd: lineEnd, dynamic: true });
      this.pos = lineEnd;
      return;
    }
    const raw = text.slice(contentStart, i);
    const value = escaped ? unescapeRuby(raw, interpolates) : raw;
    this.push({ type: 'string', value, start: contentStart, end: i, outerStart, outerEnd: i + 1, ...(dynamic ? { dynamic } : {}) });
    this.pos = i + 1;
    // `"key": value` is a hash key written as a string.
    if (text[this.pos] === ':' && text[this.pos + 1] !== ':' && (open === '"' || open === "'")) {
      const token = this.tokens[this.tokens.length - 1] as GemToken;
      token.type = 'label';
      token.outerEnd = ++this.pos;
    }
  }

  // Skips `#{ … }` (which may itself contain strings and braces); returns the offset after the closing brace.
  private skipInterpolation(from: number): number {
    const text = this.text;
    let depth = 1;
    let i = from;
    while (i < text.length && depth > 0) {
      const c = text[i] as string;
      if (c === '\\') i++;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
      else if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        if (close === -1) return text.length;
        i = close;
      }
      i++;
    }
    return i;
  }

  /** `:name`, `:"name"`, `:name?`; returns false for `::` and a ternary's lone `:`. */
  private symbol(): boolean {
    const text = this.text;
    const next = text[this.pos + 1] ?? '';
    if (next === ':') return false;
    if (next === '"' || next === "'") {
      const outerStart = this.pos;
      this.quoted(next, next, outerStart, this.pos + 2, next === '"');
      const token = this.tokens[this.tokens.length - 1] as GemToken;
      token.type = 'symbol';
      token.outerStart = outerStart;
      return true;
    }
    if (!IDENT_START.test(next) && !(next === '@' || next === '$')) return false;
    const start = this.pos + 1;
    let i = start + 1;
    while (i < text.length && IDENT_CHAR.test(text[i] as string)) i++;
    if (text[i] === '?' || text[i] === '!' || (text[i] === '=' && text[i + 1] !== '>' && text[i + 1] !== '=')) i++;
    this.push({ type: 'symbol', value: text.slice(start, i), start, end: i, outerStart: this.pos, outerEnd: i });
    this.pos = i;
    return true;
  }

  /** `%w[…]`, `%i(…)`, `%q{…}`, `%Q<…>`, `%(…)`; false when `%` is the modulo operator. */
  private percentLiteral(): boolean {
    const text = this.text;
    let type = text[this.pos + 1] ?? '';
    let delimAt = this.pos + 2;
    if (!/[wWiIqQsr]/.test(type) || /[A-Za-z0-9\s]/.test(text[delimAt] ?? ' ')) {
      if (!this.valueExpected() || !/[([{<|!/^]/.test(type)) return false;
      type = 'Q';
      delimAt = this.pos + 1;
    }
    const open = text[delimAt] as string;
    const close = CLOSERS[open] ?? open;
    const outerStart = this.pos;
    if (type === 'w' || type === 'W' || type === 'i' || type === 'I') {
      this.words(open, close, outerStart, delimAt + 1);
      return true;
    }
    this.quoted(open, close, outerStart, delimAt + 1, type === 'Q' || type === 'W' || type === 'I');
    const token = this.tokens[this.tokens.length - 1] as GemToken;
    token.outerStart = outerStart;
    if (type === 's') token.type = 'symbol';
    return true;
  }

  private words(open: string, close: string, outerStart: number, contentStart: number): void {
    const text = this.text;
    const items: NonNullable<GemToken['items']> = [];
    let i = contentStart;
    let depth = 0;
    while (i < text.length) {
      const c = text[i] as string;
      if (/\s/.test(c)) {
        i++;
        continue;
      }
      if (c === close && depth === 0) break;
      const wordStart = i;
      while (i < text.length && !/\s/.test(text[i] as string)) {
        const w = text[i] as string;
        if (w === open && open !== close) depth++;
        else if (w === close) {
          if (depth === 0) break;
          depth--;
        }
        i += w === '\\' ? 2 : 1;
      }
      items.push({ value: text.slice(wordStart, i), start: wordStart, end: i });
    }
    if (i >= text.length) this.problems.push({ message: 'Unterminated word list', start: outerStart, end: text.length });
    const end = Math.min(i + 1, text.length);
    this.push({ type: 'words', value: text.slice(contentStart, i), start: contentStart, end: i, outerStart, outerEnd: end, items });
    this.pos = end;
  }

  /** `<<~ID`, `<<-ID`, `<<ID`, optionally quoted; the body is skipped when the line ends. */
  private heredoc(): boolean {
    const match = /^<<([~-]?)(["'`]?)([A-Za-z_]\w*)\2/.exec(this.text.slice(this.pos, this.pos + 80));
    if (!match || (!match[1] && !match[2] && !/^[A-Z_]/.test(match[3] ?? '')) || !this.valueExpected()) return false;
    const outerStart = this.pos;
    this.pos += match[0].length;
    const token: GemToken = { type: 'string', value: '', start: this.pos, end: this.pos, outerStart, outerEnd: this.pos, dynamic: true };
    this.push(token);
    this.pendingHeredocs.push({ id: match[3] ?? '', indented: match[1] !== '', token });
    return true;
  }

  private heredocBodies(): void {
    const text = this.text;
    for (const h of this.pendingHeredocs) {
      let terminated = false;
      while (this.pos < text.length && !terminated) {
        let lineEnd = this.pos;
        while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
        const line = text.slice(this.pos, lineEnd);
        this.pos = Math.min(text.length, lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1));
        terminated = (h.indented ? line.trim() : line) === h.id;
      }
      if (!terminated) {
        this.problems.push({ message: `Heredoc ${h.id} is never terminated`, start: h.token.outerStart, end: h.token.outerEnd });
      }
    }
    this.pendingHeredocs = [];
  }

  private regexp(): boolean {
    const text = this.text;
    let i = this.pos + 1;
    while (i < text.length && text[i] !== '/' && text[i] !== '\n' && text[i] !== '\r') i += text[i] === '\\' ? 2 : 1;
    if (text[i] !== '/') return false;
    i++;
    while (i < text.length && /[a-z]/.test(text[i] as string)) i++;
    this.push({ type: 'op', value: 'regexp', start: this.pos, end: i, outerStart: this.pos, outerEnd: i });
    this.pos = i;
    return true;
  }

  /** `?a` character literals, which would otherwise look like a ternary operator. */
  private charLiteral(): boolean {
    const next = this.text[this.pos + 1] ?? '';
    const after = this.text[this.pos + 2] ?? '';
    if (!this.valueExpected() || !/\S/.test(next) || IDENT_CHAR.test(after)) return false;
    this.push({ type: 'string', value: next, start: this.pos + 1, end: this.pos + 2, outerStart: this.pos, outerEnd: this.pos + 2 });
    this.pos += 2;
    return true;
  }

  private number(): void {
    const match = /^[0-9][0-9_]*(?:\.[0-9][0-9_]*)?(?:e[+-]?[0-9]+)?/i.exec(this.text.slice(this.pos, this.pos + 64));
    const end = this.pos + (match?.[0].length ?? 1);
    this.push({ type: 'number', value: this.text.slice(this.pos, end), start: this.pos, end, outerStart: this.pos, outerEnd: end });
    this.pos = end;
  }

  private identifier(): void {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length && IDENT_CHAR.test(text[i] as string)) i++;
    if ((text[i] === '?' || text[i] === '!') && text[i + 1] !== '=') i++;
    const value = text.slice(start, i);
    // `key: value` hash keys, but not `Foo::Bar` and not a ternary's `a ? b : c` (space before the colon).
    if (text[i] === ':' && text[i + 1] !== ':') {
      this.push({ type: 'label', value, start, end: i, outerStart: start, outerEnd: i + 1 });
      this.pos = i + 1;
      return;
    }
    this.push({ type: 'ident', value, start, end: i, outerStart: start, outerEnd: i });
    this.pos = i;
  }

  private operator(): void {
    const text = this.text;
    const op = OPERATORS.find((o) => text.startsWith(o, this.pos)) ?? (text[this.pos] as string);
    this.push({ type: 'op', value: op, start: this.pos, end: this.pos + op.length, outerStart: this.pos, outerEnd: this.pos + op.length });
    this.pos += op.length;
  }
}

// Decodes the escapes that matter for names and versions; anything unusual keeps its backslash-free character.
function unescapeRuby(raw: string, doubleQuoted: boolean): string {
  if (!doubleQuoted) return raw.replace(/\\([\\'])/g, '$1');
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', s: ' ', '0': '\0', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' };
  return raw.replace(/\\(u\{[0-9a-fA-F ]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{1,2}|.)/gs, (_m, esc: string) => {
    if (esc.startsWith('u{')) {
      return esc
        .slice(2, -1)
        .trim()
        .split(/\s+/)
        .map((h) => String.fromCodePoint(Math.min(parseInt(h, 16), 0x10ffff)))
        .join('');
    }
    if (esc.startsWith('u') && esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    if (esc.startsWith('x') && esc.length > 1) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return simple[esc] ?? esc;
  });
}
