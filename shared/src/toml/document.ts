import { parse, TomlError } from 'smol-toml';
import type { ParseError, Range } from '../model';
import { LineIndex } from '../text/lineIndex';
import { scanToml, toPlain, type TomlEntry, type TomlNode, type TomlScan, type TomlTableNode } from './scanner';

/** The scanner's reading, for a file smol-toml rejected; empty if even that fails. */
function recovered(scan: TomlScan): PlainTable {
  try {
    return toPlain(scan.root) as PlainTable;
  } catch {
    return {};
  }
}

/** A path into a TOML document: table keys and array indices. */
export type TomlPath = ReadonlyArray<string | number>;

/** A plain TOML table as smol-toml returns it. */
export type PlainTable = Record<string, unknown>;

/** Own property of a plain table (never an inherited one such as `constructor`). */
export function own(table: unknown, key: string): unknown {
  if (!isTable(table)) return undefined;
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** True for a TOML table (a plain object, not an array or a date). */
export function isTable(value: unknown): value is PlainTable {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * A TOML document read twice: smol-toml gives the values (and the authoritative parse error),
 * the scanner gives positions. When smol-toml rejects the file, the scanner's lenient reading supplies
 * the values instead, so dependencies on the lines that do parse are still reported.
 */
export class TomlDocument {
  /** The document's values. */
  readonly value: PlainTable;
  readonly errors: ParseError[] = [];
  /** Whether smol-toml accepted the document. */
  readonly valid: boolean;
  readonly scan: TomlScan;
  private readonly index: LineIndex;

  constructor(private readonly text: string) {
    this.index = new LineIndex(text);
    this.scan = scanToml(text);
    let value: PlainTable | undefined;
    try {
      value = parse(text) as PlainTable;
    } catch (error) {
      this.errors.push(this.describe(error));
    }
    this.valid = value !== undefined;
    this.value = value ?? recovered(this.scan);
  }

  /** Value at `path`, own properties only. */
  get(path: TomlPath): unknown {
    let v: unknown = this.value;
    for (const seg of path) {
      if (typeof seg === 'number') v = Array.isArray(v) ? (v as unknown[])[seg] : undefined;
      else v = own(v, seg);
      if (v === undefined) return undefined;
    }
    return v;
  }

  /** The located node at `path`. */
  node(path: TomlPath): TomlNode | undefined {
    return this.entryOrItem(path)?.node;
  }

  /** File range of the key that ends `path` (inside quotes for a quoted key). */
  keyRange(path: TomlPath): Range | undefined {
    const found = this.entryOrItem(path);
    if (found?.entry === undefined) return undefined;
    return this.range(found.entry.keySpan.start, found.entry.keySpan.end);
  }

  /** Offsets of the key that ends `path`, for ranges over part of a key. */
  keySpan(path: TomlPath): { start: number; end: number } | undefined {
    return this.entryOrItem(path)?.entry?.keySpan;
  }

  /** File range of the whole value at `path`. */
  valueRange(path: TomlPath): Range | undefined {
    const node = this.node(path);
    return node === undefined ? undefined : this.range(node.span.start, node.span.end);
  }

  /**
   * File range of `value.slice(from, to)` for the string at `path`. The range is exact when the scanner
   * decoded the same string smol-toml did; otherwise it falls back to the whole literal.
   */
  stringRange(path: TomlPath, from = 0, to?: number): Range | undefined {
    const node = this.node(path);
    if (node === undefined) return undefined;
    const expected = this.get(path);
    if (node.type !== 'string' || (typeof expected === 'string' && expected !== node.value)) {
      return this.range(node.span.start, node.span.end);
    }
    const end = Math.min(to ?? node.value.length, node.value.length);
    const start = Math.min(from, end);
    const s = node.offsets[start] ?? node.span.start;
    const e = end > start ? (node.offsets[end - 1] ?? s) + 1 : s;
    return this.range(s, Math.max(s, e));
  }

  range(start: number, end: number): Range {
    return this.index.rangeAt(start, end);
  }

  private entryOrItem(path: TomlPath): { node: TomlNode; entry?: TomlEntry } | undefined {
    let node: TomlNode = this.scan.root;
    let entry: TomlEntry | undefined;
    for (const seg of path) {
      if (typeof seg === 'number') {
        if (node.type !== 'array') return undefined;
        const item: TomlNode | undefined = node.items[seg];
        if (item === undefined) return undefined;
        node = item;
        entry = undefined;
      } else {
        if (node.type !== 'table') return undefined;
        const next: TomlEntry | undefined = (node as TomlTableNode).entries.get(seg);
        if (next === undefined) return undefined;
        entry = next;
        node = next.node;
      }
    }
    return entry === undefined ? { node } : { node, entry };
  }

  /** smol-toml's message and 1-based line/column as a range over the offending token. */
  private describe(error: unknown): ParseError {
    if (!(error instanceof TomlError)) {
      return { message: `invalid TOML: ${error instanceof Error ? error.message : String(error)}`, range: this.range(0, 0) };
    }
    const message = error.message.split('\n')[0]?.replace(/^Invalid TOML document:\s*/, '') ?? 'invalid TOML';
    // smol-toml counts lines split on \r?\n, and columns in UTF-16 units from 1.
    let offset = 0;
    for (let line = 1; line < error.line && offset < this.text.length; line++) {
      const nl = this.text.indexOf('\n', offset);
      if (nl < 0) {
        offset = this.text.length;
        break;
      }
      offset = nl + 1;
    }
    let lineEnd = this.text.indexOf('\n', offset);
    if (lineEnd < 0) lineEnd = this.text.length;
    if (lineEnd > offset && this.text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
    let start = Math.min(offset + Math.max(0, error.column - 1), lineEnd);
    let end = start;
    while (end < lineEnd && !/\s/.test(this.text[end] ?? ' ')) end++;
    if (end === start) {
      if (start < lineEnd) end = start + 1;
      else if (start > offset) start--;
    }
    return { message: `invalid TOML: ${message}`, range: this.range(start, Math.max(start, end)) };
  }
}
