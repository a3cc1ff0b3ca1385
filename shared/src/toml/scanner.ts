/*
 * A position-aware TOML reader. smol-toml decides whether a document is valid and what its values are;
 * this scanner only has to find where keys and values sit in the text, so it is lenient: it reads
 * bare/quoted/dotted keys, table and array-of-table headers, all four string forms (with a file offset
 * for every decoded character), arrays across lines, inline tables and scalars, and after a broken
 * line it carries on with the next one. It is a single forward pass with bounded nesting: no regexes
 * that backtrack, no recursion deeper than MAX_DEPTH.
 */

/** Offsets into the text, end exclusive. */
export interface Span {
  start: number;
  end: number;
}

/** A string value and where each of its characters came from. */
export interface TomlStringNode {
  type: 'string';
  value: string;
  /** The whole literal, quotes included. */
  span: Span;
  /** `offsets[i]` is the file offset of `value[i]` (escapes map to their backslash); one extra entry for the end. */
  offsets: number[];
}

/** Booleans, numbers and dates (dates kept as written). */
export interface TomlScalarNode {
  type: 'scalar';
  value: boolean | number | string;
  span: Span;
}

export interface TomlArrayNode {
  type: 'array';
  items: TomlNode[];
  span: Span;
  /** Built from `[[header]]` tables rather than written inline. */
  ofTables?: boolean;
}

export interface TomlTableNode {
  type: 'table';
  entries: Map<string, TomlEntry>;
  span: Span;
  inline?: boolean;
  /** The `[header]` line that opens this table (brackets included); absent for tables made by dotted keys. */
  header?: Span;
}

export type TomlNode = TomlStringNode | TomlScalarNode | TomlArrayNode | TomlTableNode;

/** A key and its value; `keySpan` is the key as first written (inside the quotes for a quoted key). */
export interface TomlEntry {
  key: string;
  keySpan: Span;
  node: TomlNode;
}

export interface TomlScanError {
  message: string;
  start: number;
  end: number;
}

export interface TomlScan {
  root: TomlTableNode;
  errors: TomlScanError[];
}

const MAX_DEPTH = 64;

interface Failure {
  message: string;
  pos: number;
  /** Where to carry on; by default the line after `pos` (or `pos`'s own line when a value ran onto later lines). */
  resume?: number;
}

interface Key {
  key: string;
  span: Span;
}

function isBareKeyChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 95;
}

function isNewline(c: number): boolean {
  return c === 10 || c === 13;
}

/** Scans TOML text into a tree of located nodes. Never throws. */
export function scanToml(text: string): TomlScan {
  return new Scanner(text).run();
}

class Scanner {
  private pos = 0;
  private readonly errors: TomlScanError[] = [];
  private readonly root: TomlTableNode;

  constructor(private readonly text: string) {
    this.root = { type: 'table', entries: new Map(), span: { start: 0, end: text.length } };
  }

  run(): TomlScan {
    let current = this.root;
    const text = this.text;
    while (this.pos < text.length) {
      this.skipBlank(true);
      if (this.pos >= text.length) break;
      const stmtStart = this.pos;
      try {
        if (text.charCodeAt(this.pos) === 91 /* [ */) current = this.header();
        else this.keyValue(current);
        this.expectLineEnd();
      } catch (thrown) {
        const failure = toFailure(thrown, this.pos);
        this.errors.push({ message: failure.message, start: failure.pos, end: Math.min(text.length, failure.pos + 1) });
        this.pos = Math.max(this.recoveryPoint(stmtStart, failure), stmtStart + 1);
      }
    }
    return { root: this.root, errors: this.errors };
  }

  /** A value that ran onto later lines and broke there (an unclosed array) ends; the broken line is read afresh. */
  private recoveryPoint(stmtStart: number, failure: Failure): number {
    if (failure.resume !== undefined) return failure.resume;
    const failLine = this.lineStart(failure.pos);
    if (failLine > this.lineStart(stmtStart)) return failLine;
    return this.nextLine(failure.pos);
  }

  private lineStart(offset: number): number {
    let i = Math.min(offset, this.text.length);
    while (i > 0 && !isNewline(this.text.charCodeAt(i - 1))) i--;
    return i;
  }

  private nextLine(offset: number): number {
    let i = offset;
    while (i < this.text.length && !isNewline(this.text.charCodeAt(i))) i++;
    while (i < this.text.length && isNewline(this.text.charCodeAt(i))) i++;
    return i;
  }

  private fail(message: string, pos = this.pos, resume?: number): never {
    const failure: Failure = resume === undefined ? { message, pos } : { message, pos, resume };
    throw failure;
  }

  /** Skips spaces and tabs, and with `lines` also newlines and comments. */
  private skipBlank(lines: boolean): void {
    const text = this.text;
    while (this.pos < text.length) {
      const c = text.charCodeAt(this.pos);
      if (c === 32 || c === 9) this.pos++;
      else if (lines && isNewline(c)) this.pos++;
      else if (lines && c === 35 /* # */) this.skipComment();
      else break;
    }
  }

  private skipComment(): void {
    while (this.pos < this.text.length && !isNewline(this.text.charCodeAt(this.pos))) this.pos++;
  }

  private expectLineEnd(): void {
    this.skipBlank(false);
    if (this.text.charCodeAt(this.pos) === 35) this.skipComment();
    if (this.pos < this.text.length && !isNewline(this.text.charCodeAt(this.pos))) this.fail('expected the end of the line');
  }

  private header(): TomlTableNode {
    const text = this.text;
    const headerStart = this.pos;
    const isArray = text.charCodeAt(this.pos + 1) === 91;
    this.pos += isArray ? 2 : 1;
    const keys = this.keyPath();
    this.skipBlank(false);
    if (text.charCodeAt(this.pos) !== 93) this.fail("expected ']' to close the table header");
    this.pos++;
    if (isArray) {
      if (text.charCodeAt(this.pos) !== 93) this.fail("expected ']]' to close the array-of-tables header");
      this.pos++;
    }
    const parent = this.descend(this.root, keys.slice(0, -1));
    const last = keys[keys.length - 1] as Key;
    const existing = parent.entries.get(last.key);
    if (isArray) {
      let array: TomlArrayNode;
      if (existing === undefined) {
        array = { type: 'array', items: [], span: last.span, ofTables: true };
        parent.entries.set(last.key, { key: last.key, keySpan: last.span, node: array });
      } else if (existing.node.type === 'array' && existing.node.ofTables) {
        array = existing.node;
      } else {
        return this.fail(`'${last.key}' is already defined`, last.span.start);
      }
      const table: TomlTableNode = { type: 'table', entries: new Map(), span: last.span, header: { start: headerStart, end: this.pos } };
      array.items.push(table);
      return table;
    }
    if (existing === undefined) {
      const table: TomlTableNode = { type: 'table', entries: new Map(), span: last.span, header: { start: headerStart, end: this.pos } };
      parent.entries.set(last.key, { key: last.key, keySpan: last.span, node: table });
      return table;
    }
    if (existing.node.type === 'table' && !existing.node.inline) {
      // A table first made implicitly (by `[a.b]` or `a.b = 1`) gets its own header later.
      existing.node.header ??= { start: headerStart, end: this.pos };
      return existing.node;
    }
    return this.fail(`'${last.key}' is already defined`, last.span.start);
  }

  /** Walks (creating) the tables named by `keys`; arrays of tables lead into their last table. */
  private descend(from: TomlTableNode, keys: Key[]): TomlTableNode {
    let table = from;
    for (const k of keys) {
      const entry = table.entries.get(k.key);
      if (entry === undefined) {
        const next: TomlTableNode = { type: 'table', entries: new Map(), span: k.span };
        table.entries.set(k.key, { key: k.key, keySpan: k.span, node: next });
        table = next;
      } else if (entry.node.type === 'table') {
        table = entry.node;
      } else if (entry.node.type === 'array' && entry.node.ofTables && entry.node.items.length > 0) {
        table = entry.node.items[entry.node.items.length - 1] as TomlTableNode;
      } else {
        this.fail(`'${k.key}' is already defined as a value`, k.span.start);
      }
    }
    return table;
  }

  private keyPath(): Key[] {
    const keys: Key[] = [];
    for (;;) {
      this.skipBlank(false);
      // Bounded like value nesting: each part is a table level, and later walks recurse through them.
      if (keys.length >= MAX_DEPTH) this.fail('key has too many dotted parts');
      keys.push(this.key());
      this.skipBlank(false);
      if (this.text.charCodeAt(this.pos) !== 46 /* . */) return keys;
      this.pos++;
    }
  }

  private key(): Key {
    const c = this.text.charCodeAt(this.pos);
    if (c === 34 || c === 39) {
      const node = c === 34 ? this.basicString() : this.literalString();
      const start = node.span.start + 1;
      return { key: node.value, span: { start, end: Math.max(start, node.span.end - 1) } };
    }
    const start = this.pos;
    while (this.pos < this.text.length && isBareKeyChar(this.text.charCodeAt(this.pos))) this.pos++;
    if (this.pos === start) this.fail('expected a key');
    return { key: this.text.slice(start, this.pos), span: { start, end: this.pos } };
  }

  private keyValue(table: TomlTableNode): void {
    const keys = this.keyPath();
    if (this.text.charCodeAt(this.pos) !== 61 /* = */) this.fail("expected '=' after the key");
    this.pos++;
    this.skipBlank(false);
    const parent = this.descend(table, keys.slice(0, -1));
    const last = keys[keys.length - 1] as Key;
    if (parent.entries.has(last.key)) this.fail(`duplicate key '${last.key}'`, last.span.start);
    this.value(0, (node) => parent.entries.set(last.key, { key: last.key, keySpan: last.span, node }));
  }

  /** Reads a value; `attach` runs as soon as the node exists, so a half-read array still keeps its items. */
  private value(depth: number, attach: (node: TomlNode) => void): void {
    if (depth > MAX_DEPTH) this.fail('values nested too deeply');
    const text = this.text;
    const c = text.charCodeAt(this.pos);
    if (c === 34) {
      attach(text.startsWith('"""', this.pos) ? this.multilineString(true) : this.basicString());
    } else if (c === 39) {
      attach(text.startsWith("'''", this.pos) ? this.multilineString(false) : this.literalString());
    } else if (c === 91) {
      this.array(depth, attach);
    } else if (c === 123) {
      this.inlineTable(depth, attach);
    } else {
      attach(this.scalar());
    }
  }

  private array(depth: number, attach: (node: TomlNode) => void): void {
    const node: TomlArrayNode = { type: 'array', items: [], span: { start: this.pos, end: this.pos + 1 } };
    attach(node);
    node.span.end = this.commaList(node.span.start, ']', 'array', () => {
      // An item joins the array only once it is complete: a header line swallowed by an unclosed array is no item.
      let item: TomlNode | undefined;
      this.value(depth + 1, (read) => (item = read));
      if (item !== undefined) node.items.push(item);
    });
  }

  private inlineTable(depth: number, attach: (node: TomlNode) => void): void {
    const node: TomlTableNode = { type: 'table', entries: new Map(), span: { start: this.pos, end: this.pos + 1 }, inline: true };
    attach(node);
    node.span.end = this.commaList(node.span.start, '}', 'inline table', () => {
      const keys = this.keyPath();
      if (this.text.charCodeAt(this.pos) !== 61) this.fail("expected '=' after the key");
      this.pos++;
      this.skipBlank(false);
      const parent = this.descend(node, keys.slice(0, -1));
      const last = keys[keys.length - 1] as Key;
      if (parent.entries.has(last.key)) this.fail(`duplicate key '${last.key}'`, last.span.start);
      if (depth + 1 > MAX_DEPTH) this.fail('values nested too deeply');
      this.value(depth + 1, (value) => parent.entries.set(last.key, { key: last.key, keySpan: last.span, node: value }));
    });
  }

  /**
   * Reads `item, item, …` from the opening bracket at `open` through `close` (blank lines and comments
   * allowed between, a trailing comma too) and returns the offset after `close`.
   */
  private commaList(open: number, close: ']' | '}', what: string, readItem: () => void): number {
    const closeCode = close.charCodeAt(0);
    this.pos = open + 1;
    for (;;) {
      this.skipBlank(true);
      if (this.pos >= this.text.length) this.fail(`unterminated ${what}: expected '${close}'`, open, this.text.length);
      if (this.text.charCodeAt(this.pos) === closeCode) break;
      readItem();
      this.skipBlank(true);
      const c = this.text.charCodeAt(this.pos);
      if (c === 44 /* , */) {
        this.pos++;
        continue;
      }
      if (c === closeCode) break;
      this.fail(`expected ',' or '${close}' in ${what}`);
    }
    this.pos++;
    return this.pos;
  }

  private basicString(): TomlStringNode {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    let value = '';
    const offsets: number[] = [];
    for (;;) {
      if (i >= text.length || isNewline(text.charCodeAt(i))) this.fail('unterminated string', start);
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        const decoded = this.escape(i);
        for (let k = 0; k < decoded.text.length; k++) offsets.push(i);
        value += decoded.text;
        i = decoded.next;
      } else {
        offsets.push(i);
        value += text[i];
        i++;
      }
    }
    offsets.push(i);
    this.pos = i + 1;
    return { type: 'string', value, span: { start, end: this.pos }, offsets };
  }

  private literalString(): TomlStringNode {
    const text = this.text;
    const start = this.pos;
    let i = start + 1;
    while (i < text.length && text.charCodeAt(i) !== 39 && !isNewline(text.charCodeAt(i))) i++;
    if (i >= text.length || text.charCodeAt(i) !== 39) this.fail('unterminated string', start);
    const offsets: number[] = [];
    for (let k = start + 1; k <= i; k++) offsets.push(k);
    this.pos = i + 1;
    return { type: 'string', value: text.slice(start + 1, i), span: { start, end: this.pos }, offsets };
  }

  private multilineString(basic: boolean): TomlStringNode {
    const text = this.text;
    const quote = basic ? '"' : "'";
    const start = this.pos;
    let i = start + 3;
    // A newline right after the opening quotes is not part of the string.
    if (text.charCodeAt(i) === 13 && text.charCodeAt(i + 1) === 10) i += 2;
    else if (text.charCodeAt(i) === 10) i++;
    let value = '';
    const offsets: number[] = [];
    for (;;) {
      if (i >= text.length) this.fail('unterminated multi-line string', start, text.length);
      const c = text[i] ?? '';
      if (c === quote && text.startsWith(quote.repeat(3), i)) {
        // Up to two quotes right before the closing three belong to the string.
        let run = 3;
        while (run < 5 && text[i + run] === quote) run++;
        for (let k = 0; k < run - 3; k++) {
          offsets.push(i + k);
          value += quote;
        }
        i += run;
        offsets.push(i - 3);
        break;
      }
      if (basic && c === '\\') {
        // A backslash ending a line trims the line break and the whitespace after it.
        let j = i + 1;
        while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
        if (isNewline(text.charCodeAt(j))) {
          while (j < text.length && (text[j] === ' ' || text[j] === '\t' || isNewline(text.charCodeAt(j)))) j++;
          i = j;
          continue;
        }
        const decoded = this.escape(i);
        for (let k = 0; k < decoded.text.length; k++) offsets.push(i);
        value += decoded.text;
        i = decoded.next;
        continue;
      }
      offsets.push(i);
      value += c;
      i++;
    }
    this.pos = i;
    return { type: 'string', value, span: { start, end: i }, offsets };
  }

  private escape(at: number): { text: string; next: number } {
    const text = this.text;
    const e = text[at + 1];
    const simple: Record<string, string> = { b: '\b', t: '\t', n: '\n', f: '\f', r: '\r', e: '\u001b', '"': '"', '\\': '\\' };
    if (e !== undefined && simple[e] !== undefined) return { text: simple[e] as string, next: at + 2 };
    const width = e === 'u' ? 4 : e === 'U' ? 8 : e === 'x' ? 2 : 0;
    if (width === 0) this.fail(`invalid escape '\\${e ?? ''}'`, at);
    const hex = text.slice(at + 2, at + 2 + width);
    if (hex.length !== width || !/^[0-9A-Fa-f]+$/.test(hex)) this.fail('invalid unicode escape', at);
    const code = Number.parseInt(hex, 16);
    if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) this.fail('invalid unicode scalar value', at);
    return { text: String.fromCodePoint(code), next: at + 2 + width };
  }

  private scalar(): TomlScalarNode {
    const text = this.text;
    const start = this.pos;
    let i = start;
    const stop = (c: number): boolean => c === 32 || c === 9 || isNewline(c) || c === 44 || c === 93 || c === 125 || c === 35;
    while (i < text.length && !stop(text.charCodeAt(i))) i++;
    // A date and time may be separated by one space: `1979-05-27 07:32:00`.
    if (i - start === 10 && text.charCodeAt(i) === 32 && /^\d{4}-\d{2}-\d{2}$/.test(text.slice(start, i))) {
      const d = text.charCodeAt(i + 1);
      if (d >= 48 && d <= 57) {
        i++;
        while (i < text.length && !stop(text.charCodeAt(i))) i++;
      }
    }
    const raw = text.slice(start, i);
    if (raw === '') this.fail('expected a value');
    this.pos = i;
    const span = { start, end: i };
    if (raw === 'true' || raw === 'false') return { type: 'scalar', value: raw === 'true', span };
    if (/^[+-]?(inf|nan)$/.test(raw)) return { type: 'scalar', value: raw.endsWith('nan') ? Number.NaN : raw.startsWith('-') ? -Infinity : Infinity, span };
    const first = raw.charCodeAt(0);
    if (!((first >= 48 && first <= 57) || first === 43 || first === 45)) this.fail(`invalid value '${raw.slice(0, 30)}'`, start);
    const cleaned = raw.replace(/_/g, '');
    const body = cleaned.replace(/^[+-]/, '');
    const radix = /^0x/i.test(body) ? 16 : /^0o/i.test(body) ? 8 : /^0b/i.test(body) ? 2 : 10;
    const n = radix === 10 ? Number(cleaned) : (cleaned.startsWith('-') ? -1 : 1) * Number.parseInt(body.slice(2), radix);
    if (!Number.isNaN(n)) return { type: 'scalar', value: n, span };
    // Dates and times stay as written; smol-toml has the authoritative value.
    return { type: 'scalar', value: raw, span };
  }
}

function toFailure(thrown: unknown, pos: number): Failure {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown && 'pos' in thrown && !(thrown instanceof Error)) {
    return thrown as Failure;
  }
  // A RangeError (stack) or a bug: report it where we are and skip the line rather than lose the file.
  return { message: `could not read: ${String(thrown)}`, pos };
}

/** Converts located nodes to plain values (tables become objects), for when smol-toml rejects the file. */
export function toPlain(node: TomlNode): unknown {
  switch (node.type) {
    case 'string':
    case 'scalar':
      return node.value;
    case 'array':
      return node.items.map(toPlain);
    case 'table': {
      const out: Record<string, unknown> = {};
      for (const [key, entry] of node.entries) {
        // defineProperty, so a key named __proto__ stays data and never touches the prototype.
        Object.defineProperty(out, key, { value: toPlain(entry.node), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}
