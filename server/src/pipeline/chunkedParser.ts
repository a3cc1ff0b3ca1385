import type { ManifestKind, ParsedManifest, Position, Range } from '../../../shared/src/model';

/** Parses a whole manifest text (the engine's parser). */
export type ParseText = (kind: ManifestKind, text: string, fileName?: string) => ParsedManifest;

/** Physical lines per chunk: small enough that an edit re-parses little, large enough to keep merging cheap. */
const CHUNK_LINES = 64;

function isPosition(value: unknown): value is Position {
  return typeof value === 'object' && value !== null && typeof (value as Position).line === 'number' && typeof (value as Position).character === 'number';
}

function isRange(value: unknown): value is Range {
  return typeof value === 'object' && value !== null && isPosition((value as Range).start) && isPosition((value as Range).end);
}

/** Deep copy of a parse result with every range moved down by `lines` (works for fields added later, too). */
function shiftRanges<T>(value: T, lines: number): T {
  if (lines === 0) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => shiftRanges(v, lines)) as T;
  if (typeof value !== 'object' || value === null) return value;
  if (isRange(value)) {
    return { ...value, start: { ...value.start, line: value.start.line + lines }, end: { ...value.end, line: value.end.line + lines } } as T;
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = shiftRanges(v, lines);
  return out as T;
}

/** Splits text into chunks of whole lines, never cutting after a line that may continue (`\` at the end). */
export function chunkLines(text: string, size = CHUNK_LINES): Array<{ startLine: number; text: string }> {
  const chunks: Array<{ startLine: number; text: string }> = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let line = 0;
  let linesInChunk = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch !== 10 && ch !== 13) continue;
    const lineEnd = i;
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i++;
    line++;
    linesInChunk++;
    if (linesInChunk >= size && text.charCodeAt(lineEnd - 1) !== 92 /* \ */) {
      chunks.push({ startLine: chunkLine, text: text.slice(chunkStart, i + 1) });
      chunkStart = i + 1;
      chunkLine = line;
      linesInChunk = 0;
    }
  }
  if (chunkStart < text.length || chunks.length === 0) chunks.push({ startLine: chunkLine, text: text.slice(chunkStart) });
  return chunks;
}

/**
 * Re-parses only the changed part of a line-oriented manifest (requirements files: every logical line
 * stands alone). The text is cut into chunks of whole lines; each chunk's parse is remembered by its text
 * and position, so an edit re-parses one chunk and reuses the rest. Other kinds are parsed whole.
 */
export class ChunkedParser {
  private readonly cache = new Map<string, Map<string, ParsedManifest>>();

  constructor(private readonly parseText: ParseText) {}

  parse(uri: string, kind: ManifestKind, text: string, fileName?: string): ParsedManifest {
    if (kind !== 'requirements') return this.parseText(kind, text, fileName);
    const previous = this.cache.get(uri) ?? new Map<string, ParsedManifest>();
    const next = new Map<string, ParsedManifest>();
    const parts: ParsedManifest[] = [];
    for (const chunk of chunkLines(text)) {
      // NUL never occurs in a requirements file worth parsing, so the key is unambiguous enough.
      const key = `${chunk.startLine}\u0000${chunk.text}`;
      let part = previous.get(key) ?? next.get(key);
      if (!part) part = shiftRanges(this.parseText(kind, chunk.text, fileName), chunk.startLine);
      next.set(key, part);
      parts.push(part);
    }
    // Only the chunks of the current text are kept: the cache never outgrows the document.
    this.cache.set(uri, next);
    return mergeParts(parts) ?? this.parseText(kind, text, fileName);
  }

  /** Forgets a closed document. */
  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

function mergeParts(parts: ParsedManifest[]): ParsedManifest | undefined {
  const [first] = parts;
  if (!first) return undefined;
  const merged: ParsedManifest = { kind: first.kind, ecosystem: first.ecosystem, dependencies: [], errors: [] };
  for (const part of parts) {
    merged.dependencies.push(...part.dependencies);
    merged.errors.push(...part.errors);
    if (part.includes) (merged.includes ??= []).push(...part.includes);
    if (part.registryOptions) (merged.registryOptions ??= []).push(...part.registryOptions);
  }
  if (first.includes && !merged.includes) merged.includes = [];
  return merged;
}
