/**
 * Where keys, tables and array elements sit in a TOML text. smol-toml gives values but no positions;
 * findings must point at the offending key and edits must keep the rest of the file byte for byte, so
 * this small scanner walks the same text once more and records offsets. It expects text that already
 * parsed (callers parse first) and never throws: on anything unexpected it stops and keeps what it found.
 */

/** A `key = value` pair, with its full dotted path (table header + key). Offsets are string indices. */
export interface TomlKeyLocation {
  path: string[];
  /** Path of the `[table]` the pair is written under ([] for the root and inside inline tables of the root). */
  tablePath: string[];
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
  /** Top-level element ranges when the value is an array. */
  elements?: Array<{ start: number; end: number }>;
}

/** A `[table]` or `[[array.of.tables]]` header. */
export interface TomlTableLocation {
  path: string[];
  start: number;
  end: number;
  arrayOfTables: boolean;
}

/** Every key and table header of a document, in text order. */
export interface TomlLayout {
  keys: TomlKeyLocation[];
  tables: TomlTableLocation[];
}

const BARE_KEY = /[A-Za-z0-9_-]/;

class TomlScanner {
  private i = 0;
  readonly keys: TomlKeyLocation[] = [];
  readonly tables: TomlTableLocation[] = [];

  constructor(private readonly text: string) {}

  scan(): void {
    let table: string[] = [];
    while (this.i < this.text.length) {
      const before = this.i;
      this.skipTrivia();
      if (this.i >= this.text.length) break;
      if (this.text[this.i] === '[') {
        const start = this.i;
        const arrayOfTables = this.text[this.i + 1] === '[';
        this.i += arrayOfTables ? 2 : 1;
        const key = this.keyPath();
        if (!key) return;
        this.skipSpaces();
        this.i += arrayOfTables ? 2 : 1;
        this.tables.push({ path: key.parts, start, end: this.i, arrayOfTables });
        table = key.parts;
      } else if (!this.keyValue(table, table)) {
        return;
      }
      if (this.i === before) return;
    }
  }

  /** Reads `key = value`, recording it; false when the text is not a key-value pair. */
  private keyValue(prefix: string[], tablePath: string[]): boolean {
    const keyStart = this.i;
    const key = this.keyPath();
    if (!key) return false;
    this.skipSpaces();
    if (this.text[this.i] !== '=') return false;
    this.i++;
    this.skipSpaces();
    const path = [...prefix, ...key.parts];
    const location: TomlKeyLocation = { path, tablePath, keyStart, keyEnd: key.end, valueStart: this.i, valueEnd: this.i };
    this.keys.push(location);
    const elements = this.value(path, tablePath);
    location.valueEnd = this.i;
    if (elements) location.elements = elements;
    return true;
  }

  private keyPath(): { parts: string[]; end: number } | undefined {
    const parts: string[] = [];
    let end = this.i;
    for (;;) {
      this.skipSpaces();
      const part = this.simpleKey();
      if (part === undefined) return undefined;
      parts.push(part);
      end = this.i;
      this.skipSpaces();
      if (this.text[this.i] !== '.') break;
      this.i++;
    }
    return { parts, end };
  }

  private simpleKey(): string | undefined {
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") {
      const start = this.i;
      this.singleLineString(ch);
      const raw = this.text.slice(start, this.i);
      if (ch === "'") return raw.slice(1, -1);
      try {
        return JSON.parse(raw) as string;
      } catch {
        return raw.slice(1, -1);
      }
    }
    const start = this.i;
    while (this.i < this.text.length && BARE_KEY.test(this.text[this.i] ?? '')) this.i++;
    return this.i > start ? this.text.slice(start, this.i) : undefined;
  }

  /** Skips one value; returns element ranges when it was an array. */
  private value(path: string[], tablePath: string[]): Array<{ start: number; end: number }> | undefined {
    const ch = this.text[this.i];
    if (ch === '"' || ch === "'") {
      if (this.text.startsWith(ch.repeat(3), this.i)) this.multiLineString(ch);
      else this.singleLineString(ch);
      return undefined;
    }
    if (ch === '[') return this.array(path, tablePath);
    if (ch === '{') {
      this.inlineTable(path, tablePath);
      return undefined;
    }
    const start = this.i;
    while (this.i < this.text.length && !',]}#\r\n'.includes(this.text[this.i] ?? '')) this.i++;
    // Scalars end before trailing blanks (a local date-time may contain one space, so blanks are read then given back).
    while (this.i > start && /[ \t]/.test(this.text[this.i - 1] ?? '')) this.i--;
    return undefined;
  }

  private array(path: string[], tablePath: string[]): Array<{ start: number; end: number }> {
    const elements: Array<{ start: number; end: number }> = [];
    this.i++;
    while (this.i < this.text.length) {
      this.skipTrivia();
      if (this.text[this.i] === ']') {
        this.i++;
        break;
      }
      const start = this.i;
      this.value(path, tablePath);
      if (this.i === start) {
        this.i = this.text.length;
        break;
      }
      elements.push({ start, end: this.i });
      this.skipTrivia();
      if (this.text[this.i] === ',') this.i++;
    }
    return elements;
  }

  private inlineTable(path: string[], tablePath: string[]): void {
    this.i++;
    while (this.i < this.text.length) {
      this.skipSpaces();
      if (this.text[this.i] === '}') {
        this.i++;
        return;
      }
      if (!this.keyValue(path, tablePath)) {
        this.i = this.text.length;
        return;
      }
      this.skipSpaces();
      if (this.text[this.i] === ',') this.i++;
    }
  }

  private singleLineString(quote: string): void {
    this.i++;
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (ch === '\n') return;
      if (quote === '"' && ch === '\\') {
        this.i += 2;
        continue;
      }
      this.i++;
      if (ch === quote) return;
    }
  }

  private multiLineString(quote: string): void {
    const delimiter = quote.repeat(3);
    this.i += 3;
    while (this.i < this.text.length) {
      if (quote === '"' && this.text[this.i] === '\\') {
        this.i += 2;
        continue;
      }
      if (this.text.startsWith(delimiter, this.i)) {
        this.i += 3;
        // Up to two quotes may sit right before the closing delimiter; they belong to the content.
        for (let extra = 0; extra < 2 && this.text[this.i] === quote; extra++) this.i++;
        return;
      }
      this.i++;
    }
  }

  private skipSpaces(): void {
    while (this.text[this.i] === ' ' || this.text[this.i] === '\t') this.i++;
  }

  /** Blanks, newlines and comments. */
  private skipTrivia(): void {
    for (;;) {
      const ch = this.text[this.i];
      if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') this.i++;
      else if (ch === '#') {
        while (this.i < this.text.length && this.text[this.i] !== '\n') this.i++;
      } else return;
    }
  }
}

/** Scans a (valid) TOML text for the positions of its keys and table headers. */
export function tomlLayout(text: string): TomlLayout {
  const scanner = new TomlScanner(text);
  scanner.scan();
  return { keys: scanner.keys, tables: scanner.tables };
}

/** The last location written for this dotted key path, if any. */
export function findKey(layout: TomlLayout, path: readonly string[]): TomlKeyLocation | undefined {
  for (let k = layout.keys.length - 1; k >= 0; k--) {
    const key = layout.keys[k];
    if (key && samePath(key.path, path)) return key;
  }
  return undefined;
}

/** The header of this table, if it has one. */
export function findTable(layout: TomlLayout, path: readonly string[]): TomlTableLocation | undefined {
  return layout.tables.find((table) => samePath(table.path, path));
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index]);
}
