import { parse } from 'smol-toml';
import { scanToml, type TomlArrayNode, type TomlTableNode } from '../toml/scanner';

interface Insertion {
  at: number;
  text: string;
}

/**
 * Adds `entry` to `[typosquat] allow` in a safe-install.toml text and returns the new text; everything
 * else (comments, order, line endings) stays as it was. Returns the text unchanged when the entry is
 * already listed. Throws when the text does not parse or `typosquat`/`allow` has another type, since
 * no edit could then be trusted; the result is re-parsed to prove the entry landed.
 */
export function addTyposquatAllow(text: string, entry: string): string {
  const document = parse(text) as Record<string, unknown>;
  const typosquat = document['typosquat'];
  if (typosquat !== undefined && (typeof typosquat !== 'object' || typosquat === null || Array.isArray(typosquat))) {
    throw new Error("'typosquat' in this file is not a table; fix it before adding ignores");
  }
  const allow = (typosquat as Record<string, unknown> | undefined)?.['allow'];
  if (allow !== undefined && !Array.isArray(allow)) throw new Error("'typosquat.allow' in this file is not an array");
  if (Array.isArray(allow) && allow.includes(entry)) return text;

  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const quoted = JSON.stringify(entry); // JSON string escapes are valid TOML basic-string escapes.
  const table = scanToml(text).root.entries.get('typosquat')?.node;
  const allowNode = table?.type === 'table' ? table.entries.get('allow')?.node : undefined;
  let insertions: Insertion[];
  if (allowNode?.type === 'array' && !allowNode.ofTables) {
    insertions = appendToArray(text, allowNode, quoted, eol);
  } else if (table?.type === 'table' && table.header) {
    insertions = [{ at: lineEnd(text, table.header.end), text: `${eol}allow = [${quoted}]` }];
  } else if (table?.type === 'table' && table.inline) {
    const close = table.span.end - 1;
    const empty = text.slice(table.span.start + 1, close).trim() === '';
    insertions = [{ at: close, text: empty ? ` allow = [${quoted}] ` : `, allow = [${quoted}] ` }];
    // Keep `{ a = 1 }` tidy: drop the blank that stood before the brace.
    if (!empty && text[close - 1] === ' ') insertions = [{ at: close - 1, text: `, allow = [${quoted}]` }];
  } else if (table?.type === 'table' && lastDottedValueEnd(table) !== undefined) {
    // Made by root-level `typosquat.x = …` lines: add one more such line after the last of them.
    insertions = [{ at: lineEnd(text, lastDottedValueEnd(table) ?? text.length), text: `${eol}typosquat.allow = [${quoted}]` }];
  } else {
    // A new table at the end, after one blank line.
    let prefix = '';
    if (text.length > 0 && !text.endsWith('\n')) prefix = `${eol}${eol}`;
    else if (text.length > 0 && !/\n[ \t]*\r?\n$/.test(text)) prefix = eol;
    insertions = [{ at: text.length, text: `${prefix}[typosquat]${eol}allow = [${quoted}]${eol}` }];
  }

  const result = applyInsertions(text, insertions);
  const check = (parse(result) as { typosquat?: { allow?: unknown } }).typosquat?.allow;
  if (!Array.isArray(check) || !check.includes(entry)) throw new Error('could not add the entry to typosquat.allow');
  return result;
}

/** Adds one element to an existing array, following its layout (one line, or one element per line). */
function appendToArray(text: string, array: TomlArrayNode, quoted: string, eol: string): Insertion[] {
  const close = array.span.end - 1; // the `]`
  const elements = array.items.map((item) => item.span);
  const last = elements[elements.length - 1];
  if (!last) return [{ at: array.span.start + 1, text: quoted }];
  const afterLast = skipBlanksAndComments(text, last.end, close);
  const trailingComma = text[afterLast] === ',';
  const multiLine = /\n/.test(text.slice(array.span.start, (elements[0] ?? last).start));
  if (!multiLine) {
    return trailingComma ? [{ at: afterLast + 1, text: ` ${quoted},` }] : [{ at: last.end, text: `, ${quoted}` }];
  }
  const indent = /[ \t]*$/.exec(text.slice(text.lastIndexOf('\n', last.start) + 1, last.start))?.[0] ?? '';
  // Insert after any comment that ends the last element's line, so the comment stays with its element.
  const from = trailingComma ? afterLast + 1 : last.end;
  const end = lineEnd(text, from);
  const insertions: Insertion[] = [];
  if (!trailingComma) insertions.push({ at: last.end, text: ',' });
  if (end < close) insertions.push({ at: end, text: `${eol}${indent}${quoted}${trailingComma ? ',' : ''}` });
  else insertions.push({ at: close, text: ` ${quoted}${trailingComma ? ',' : ''}` });
  return insertions;
}

/**
 * Where the last value written through a dotted key (`typosquat.enabled = true`) ends, looking through
 * tables those keys made; tables with their own `[header]` are sections of their own and are skipped.
 */
function lastDottedValueEnd(table: TomlTableNode): number | undefined {
  let last: number | undefined;
  for (const { node } of table.entries.values()) {
    let end: number | undefined;
    if (node.type === 'table' && !node.inline) end = node.header ? undefined : lastDottedValueEnd(node);
    else if (!(node.type === 'array' && node.ofTables)) end = node.span.end;
    if (end !== undefined && (last === undefined || end > last)) last = end;
  }
  return last;
}

/** The offset of the line break (or text end) of the line holding `offset`. */
function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline === -1) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

/** The first offset at or after `from` that is not a blank, a line break or inside a comment. */
function skipBlanksAndComments(text: string, from: number, limit: number): number {
  let i = from;
  while (i < limit) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') i++;
    else if (ch === '#') {
      while (i < limit && text[i] !== '\n') i++;
    } else break;
  }
  return i;
}

function applyInsertions(text: string, insertions: Insertion[]): string {
  let result = text;
  for (const insertion of [...insertions].sort((a, b) => b.at - a.at)) {
    result = result.slice(0, insertion.at) + insertion.text + result.slice(insertion.at);
  }
  return result;
}
