import type { Dependency, DependencyKind, DependencySource, ManifestInclude, ParsedManifest, ParseError, Range } from '../model';
import { normalizeName } from '../normalize';
import { LineIndex } from '../text/lineIndex';

/*
 * pip requirements files, read the way pip reads them: physical lines ending in `\` are joined first,
 * then `#` comments (at the start or after whitespace) are cut, then the line is either options
 * (`-r`, `-e`, `--index-url`, …) or a requirement followed by per-requirement options (`--hash`).
 * Every logical character keeps its offset in the file, so ranges stay exact across continuations.
 * All scanning is linear (hand-written loops, no backtracking regexes): hostile files cannot hang it.
 */

// ---------------------------------------------------------------------------------------------
// PEP 508, shared with pyproject.toml (its dependency arrays hold the same requirement strings)
// ---------------------------------------------------------------------------------------------

/** A PEP 508 requirement; every index points into the string that was parsed. */
export interface Pep508Requirement {
  name: string;
  nameStart: number;
  nameEnd: number;
  extras: string[];
  /** Version specifiers as written (`>=1.0,<2`), '' when none. */
  spec: string;
  specStart?: number;
  specEnd?: number;
  /** Direct reference (`name @ url`). */
  url?: string;
  urlStart?: number;
  urlEnd?: number;
  /** Environment marker after `;`, trimmed. */
  marker?: string;
}

/** Either a requirement or the reason (and place) it could not be read. */
export type Pep508Result =
  | { ok: true; requirement: Pep508Requirement }
  | { ok: false; message: string; start: number; end: number };

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
}

function isAlnum(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

function isNameChar(code: number): boolean {
  return isAlnum(code) || code === 45 /* - */ || code === 46 /* . */ || code === 95 /* _ */;
}

function skipSpaces(s: string, i: number, end: number): number {
  while (i < end && isSpace(s.charCodeAt(i))) i++;
  return i;
}

const VERSION_OPERATORS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'] as const;

function operatorAt(s: string, i: number): string | undefined {
  for (const op of VERSION_OPERATORS) if (s.startsWith(op, i)) return op;
  return undefined;
}

/** Reads a distribution name at `i`: `[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?`. Returns its end, or `i` when none. */
export function scanDistributionName(s: string, i: number, end = s.length): number {
  if (i >= end || !isAlnum(s.charCodeAt(i))) return i;
  let j = i;
  while (j < end && isNameChar(s.charCodeAt(j))) j++;
  // A name may not end in a separator; the caller then sees the stray separator as unexpected text.
  while (j > i && !isAlnum(s.charCodeAt(j - 1))) j--;
  return j;
}

/** Parses one PEP 508 requirement (`name[extras] specs ; marker` or `name[extras] @ url ; marker`). Never throws. */
export function parsePep508(s: string): Pep508Result {
  const end = s.length;
  const fail = (message: string, start: number, stop = end): Pep508Result => {
    const from = Math.min(start, end);
    return { ok: false, message, start: from, end: Math.max(Math.min(stop, end), from) };
  };
  let i = skipSpaces(s, 0, end);
  const nameStart = i;
  const nameEnd = scanDistributionName(s, i, end);
  if (nameEnd === nameStart) return fail('expected a package name', nameStart);
  const req: Pep508Requirement = { name: s.slice(nameStart, nameEnd), nameStart, nameEnd, extras: [], spec: '' };
  i = skipSpaces(s, nameEnd, end);
  if (s.charCodeAt(i) === 91 /* [ */) {
    const close = s.indexOf(']', i);
    if (close < 0) return fail("missing ']' after extras", i);
    for (const part of s.slice(i + 1, close).split(',')) {
      const extra = part.trim();
      if (extra === '') continue;
      if (scanDistributionName(extra, 0) !== extra.length) return fail(`invalid extra name '${extra}'`, i, close + 1);
      req.extras.push(extra);
    }
    i = skipSpaces(s, close + 1, end);
  }
  if (s.charCodeAt(i) === 64 /* @ */) {
    const urlStart = skipSpaces(s, i + 1, end);
    let urlEnd = urlStart;
    while (urlEnd < end && !isSpace(s.charCodeAt(urlEnd))) urlEnd++;
    if (urlEnd === urlStart) return fail("expected a URL after '@'", i);
    req.url = s.slice(urlStart, urlEnd);
    req.urlStart = urlStart;
    req.urlEnd = urlEnd;
    i = skipSpaces(s, urlEnd, end);
  } else {
    const parenthesised = s.charCodeAt(i) === 40; /* ( */
    if (parenthesised) i = skipSpaces(s, i + 1, end);
    let specStart = -1;
    let specEnd = -1;
    for (;;) {
      const op = operatorAt(s, i);
      if (op === undefined) {
        if (specStart >= 0) return fail('expected a version operator after ","', i);
        break;
      }
      if (specStart < 0) specStart = i;
      const versionStart = skipSpaces(s, i + op.length, end);
      let versionEnd = versionStart;
      while (versionEnd < end) {
        const c = s.charCodeAt(versionEnd);
        if (isSpace(c) || c === 44 /* , */ || c === 59 /* ; */ || c === 41 /* ) */ || c === 60 || c === 62 || c === 61 || c === 33 || c === 126) break;
        versionEnd++;
      }
      if (versionEnd === versionStart) return fail(`expected a version after '${op}'`, i, versionStart + 1);
      specEnd = versionEnd;
      i = skipSpaces(s, versionEnd, end);
      if (s.charCodeAt(i) !== 44 /* , */) break;
      i = skipSpaces(s, i + 1, end);
    }
    if (parenthesised) {
      if (s.charCodeAt(i) !== 41 /* ) */) return fail("missing ')' after version specifiers", i);
      i = skipSpaces(s, i + 1, end);
    }
    if (specStart >= 0) {
      req.spec = s.slice(specStart, specEnd);
      req.specStart = specStart;
      req.specEnd = specEnd;
    }
  }
  if (s.charCodeAt(i) === 59 /* ; */) {
    const marker = s.slice(i + 1).trim();
    if (marker === '') return fail("expected an environment marker after ';'", i);
    const bad = markerProblem(marker);
    if (bad !== undefined) return fail(bad, i);
    req.marker = marker;
    i = end;
  }
  if (i < end) return fail(`unexpected '${s.slice(i, Math.min(end, i + 20))}' in requirement`, i);
  return { ok: true, requirement: req };
}

/** A cheap sanity check of a marker: quotes closed and parentheses balanced (full grammar is pip's job). */
function markerProblem(marker: string): string | undefined {
  let depth = 0;
  let quote = 0;
  for (let i = 0; i < marker.length; i++) {
    const c = marker.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) quote = c;
    else if (c === 40) depth++;
    else if (c === 41 && --depth < 0) return "unbalanced ')' in environment marker";
  }
  if (quote !== 0) return 'unterminated string in environment marker';
  if (depth !== 0) return "missing ')' in environment marker";
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Logical lines
// ---------------------------------------------------------------------------------------------

/** A run of logical characters that sit side by side in the file. */
interface Segment {
  /** Logical index of the run's first character. */
  at: number;
  /** File offset of that character. */
  file: number;
}

/**
 * One logical line: its text and where each character came from. Stored as runs rather than one
 * offset per character, so a 100k-line lock file costs a few objects per line, not one number per byte.
 */
interface LogicalLine {
  text: string;
  /** Runs in logical order; the first starts at 0. */
  segments: Segment[];
  /** File offset just after the line's last character. */
  end: number;
}

/** File offset of logical index `i` (`i === text.length` gives the line's end). */
function fileOffset(line: LogicalLine, i: number): number {
  if (i >= line.text.length) return line.end;
  const segs = line.segments;
  let low = 0;
  let high = segs.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((segs[mid] as Segment).at <= i) low = mid;
    else high = mid - 1;
  }
  const seg = segs[low] as Segment;
  return seg.file + (i - seg.at);
}

/** Joins `\` continuations the way pip does and cuts comments; the offsets survive both. */
function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pendingText = '';
  let pendingSegments: Segment[] = [];
  let pending = false;
  let pos = 0;
  while (pos <= text.length) {
    let eol = pos;
    while (eol < text.length && text.charCodeAt(eol) !== 10 && text.charCodeAt(eol) !== 13) eol++;
    let next = eol;
    if (text.charCodeAt(next) === 13) next++;
    if (text.charCodeAt(next) === 10) next++;
    const line = text.slice(pos, eol);
    const isComment = commentStart(line) >= 0;
    if (!line.endsWith('\\') || isComment) {
      const lineText = line;
      // pip prefixes a continued comment line with a space so the comment is always recognised.
      if (isComment && pending) {
        pendingSegments.push({ at: pendingText.length, file: pos });
        pendingText += ' ';
      }
      pendingSegments.push({ at: pendingText.length, file: pos });
      out.push(finishLine(pendingText + lineText, pendingSegments, eol));
      pendingText = '';
      pendingSegments = [];
      pending = false;
    } else {
      // pip strips backslashes from both ends of a continued line before joining.
      let a = 0;
      let b = line.length;
      while (a < b && line.charCodeAt(a) === 92) a++;
      while (b > a && line.charCodeAt(b - 1) === 92) b--;
      pendingSegments.push({ at: pendingText.length, file: pos + a });
      pendingText += line.slice(a, b);
      pending = true;
    }
    if (next === pos || next > text.length) break;
    if (eol === text.length) break;
    pos = next;
  }
  if (pending) out.push(finishLine(pendingText, pendingSegments, text.length));
  return out;
}

/** Index of the `#` that starts a comment (at the start or after whitespace), or -1. */
function commentStart(line: string): number {
  for (let i = 0; i < line.length; i++) {
    if (line.charCodeAt(i) === 35 && (i === 0 || isSpace(line.charCodeAt(i - 1)))) return i;
  }
  return -1;
}

function finishLine(text: string, segments: Segment[], lineEnd: number): LogicalLine {
  let cut = commentStart(text);
  if (cut < 0) cut = text.length;
  while (cut > 0 && isSpace(text.charCodeAt(cut - 1))) cut--;
  const full: LogicalLine = { text, segments, end: lineEnd };
  const end = cut < text.length ? fileOffset(full, cut) : lineEnd;
  return { text: text.slice(0, cut), segments, end };
}

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

interface OptionSpec {
  canonical: string;
  takesValue: boolean;
}

const LONG_OPTIONS: Record<string, OptionSpec> = {};
const SHORT_OPTIONS: Record<string, OptionSpec> = {};
function option(canonical: string, takesValue: boolean, short?: string): void {
  const spec = { canonical, takesValue };
  LONG_OPTIONS[canonical] = spec;
  if (short) SHORT_OPTIONS[short] = spec;
}
option('--requirement', true, '-r');
option('--constraint', true, '-c');
option('--editable', true, '-e');
option('--index-url', true, '-i');
option('--extra-index-url', true);
option('--no-index', false);
option('--find-links', true, '-f');
option('--trusted-host', true);
option('--pre', false);
option('--prefer-binary', false);
option('--require-hashes', false);
option('--only-binary', true);
option('--no-binary', true);
option('--use-feature', true);
option('--hash', true);
option('--config-settings', true);
option('--global-option', true);
option('--install-option', true);

/** Options that name where packages come from; reported as registry options. */
const REGISTRY_OPTIONS = new Set(['--index-url', '--extra-index-url', '--no-index', '--find-links', '--trusted-host']);

interface Token {
  value: string;
  /** Logical-line index of each character of `value`, plus one past the end. */
  at: number[];
}

/** Splits option text like POSIX shlex (whitespace, '…' and "…" quotes), keeping character positions. */
function shellTokens(text: string, from: number, errors: Array<{ message: string; start: number; end: number }>): Token[] {
  const tokens: Token[] = [];
  let i = from;
  while (i < text.length) {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
    if (i >= text.length) break;
    let value = '';
    const at: number[] = [];
    while (i < text.length && !isSpace(text.charCodeAt(i))) {
      const c = text[i] ?? '';
      if (c === '"' || c === "'") {
        const close = text.indexOf(c, i + 1);
        if (close < 0) {
          errors.push({ message: 'no closing quotation', start: i, end: text.length });
          for (let k = i + 1; k < text.length; k++) at.push(k);
          value += text.slice(i + 1);
          i = text.length;
          break;
        }
        for (let k = i + 1; k < close; k++) at.push(k);
        value += text.slice(i + 1, close);
        i = close + 1;
      } else if (c === '\\' && i + 1 < text.length) {
        at.push(i + 1);
        value += text[i + 1];
        i += 2;
      } else {
        at.push(i);
        value += c;
        i++;
      }
    }
    at.push(i);
    tokens.push({ value, at });
  }
  return tokens;
}

/** Logical index just after a token's last character (a closing quote is not part of the value). */
function tokenEnd(token: Token, fallback: number): number {
  if (token.value.length === 0) return token.at[0] ?? fallback;
  return (token.at[token.value.length - 1] ?? fallback - 1) + 1;
}

interface ParsedOption {
  name: string;
  value: string;
  /** Logical-line indices of the value (or of the option when it takes none). */
  start: number;
  end: number;
}

function parseOptions(
  text: string,
  from: number,
  errors: Array<{ message: string; start: number; end: number }>,
): ParsedOption[] {
  const tokens = shellTokens(text, from, errors);
  const out: ParsedOption[] = [];
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] as Token;
    const tokStart = token.at[0] ?? from;
    const tokEnd = tokenEnd(token, text.length);
    let spec: OptionSpec | undefined;
    let inline: { value: string; offset: number } | undefined;
    if (token.value.startsWith('--')) {
      const eq = token.value.indexOf('=');
      spec = LONG_OPTIONS[eq < 0 ? token.value : token.value.slice(0, eq)];
      if (eq >= 0) inline = { value: token.value.slice(eq + 1), offset: eq + 1 };
    } else if (token.value.startsWith('-') && token.value.length > 1) {
      spec = SHORT_OPTIONS[token.value.slice(0, 2)];
      if (token.value.length > 2) {
        // `-rfile.txt` and `-r=file.txt` are both how optparse reads an attached short value.
        const skip = token.value[2] === '=' ? 3 : 2;
        inline = { value: token.value.slice(skip), offset: skip };
      }
    } else {
      errors.push({ message: `unexpected argument '${token.value}'`, start: tokStart, end: tokEnd });
      continue;
    }
    if (spec === undefined) {
      // Whether the next token is this option's value is unknowable: one error for the rest of the line.
      errors.push({ message: `unknown option '${token.value.split('=')[0] ?? token.value}'`, start: tokStart, end: tokEnd });
      break;
    }
    if (!spec.takesValue) {
      if (inline !== undefined) errors.push({ message: `option '${spec.canonical}' takes no value`, start: tokStart, end: tokEnd });
      out.push({ name: spec.canonical, value: '', start: tokStart, end: tokEnd });
      continue;
    }
    if (inline !== undefined) {
      out.push({
        name: spec.canonical,
        value: inline.value,
        start: token.at[inline.offset] ?? tokEnd,
        end: tokEnd,
      });
      continue;
    }
    const next = tokens[t + 1];
    if (next === undefined) {
      errors.push({ message: `option '${spec.canonical}' needs a value`, start: tokStart, end: tokEnd });
      continue;
    }
    t++;
    out.push({ name: spec.canonical, value: next.value, start: next.at[0] ?? tokEnd, end: tokenEnd(next, tokEnd) });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// URL and path requirements
// ---------------------------------------------------------------------------------------------

const ARCHIVE_SUFFIXES = ['.whl', '.tar.gz', '.tgz', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tar', '.zip'];

function hasScheme(s: string): boolean {
  const colon = s.indexOf(':');
  if (colon < 2) return false; // `C:\…` is a Windows drive, not a scheme
  for (let i = 0; i < colon; i++) {
    const c = s.charCodeAt(i);
    if (!(isAlnum(c) || c === 43 || c === 45 || c === 46)) return false;
  }
  return s.startsWith('//', colon + 1) || s.slice(0, colon).toLowerCase() === 'file';
}

function isArchiveName(s: string): boolean {
  const lower = s.toLowerCase();
  return ARCHIVE_SUFFIXES.some((suffix) => lower.endsWith(suffix));
}

function looksLikePath(s: string): boolean {
  return (
    s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || s.includes('/') || s.includes('\\') || /^[A-Za-z]:/.test(s) || isArchiveName(s)
  );
}

/** Where a URL or path requirement comes from. */
export function sourceOfReference(reference: string): { source: DependencySource; vcs?: string } {
  const lower = reference.toLowerCase();
  if (lower.startsWith('git+') || lower.startsWith('git://')) return { source: 'git', vcs: 'git' };
  for (const vcs of ['hg', 'svn', 'bzr']) if (lower.startsWith(`${vcs}+`)) return { source: 'url', vcs };
  if (lower.startsWith('file:') || !hasScheme(reference)) return { source: 'path' };
  return { source: 'url' };
}

/**
 * The PyPI dependency a parsed PEP 508 requirement declares (requirements files and pyproject share it).
 * `rangeOf` maps indices into the requirement string to document positions; `group` and `editable` are
 * the caller's context.
 */
export function pep508Dependency(
  req: Pep508Requirement,
  kind: DependencyKind,
  rangeOf: (start: number, end: number) => Range,
  context: { group?: string; editable?: boolean } = {},
): Dependency {
  const dep: Dependency = {
    ecosystem: 'PyPI',
    name: req.name,
    normalizedName: normalizeName('PyPI', req.name),
    spec: req.spec,
    kind,
    source: 'registry',
    nameRange: rangeOf(req.nameStart, req.nameEnd),
  };
  if (req.specStart !== undefined && req.specEnd !== undefined) {
    dep.specRange = rangeOf(req.specStart, req.specEnd);
  }
  if (context.group !== undefined) dep.group = context.group;
  const extras: Record<string, string | string[] | boolean> = {};
  if (req.extras.length > 0) extras.extras = req.extras;
  if (req.marker !== undefined) extras.markers = req.marker;
  if (req.url !== undefined) {
    extras.url = req.url;
    const from = sourceOfReference(req.url);
    dep.source = from.source;
    if (from.vcs !== undefined && from.source !== 'git') extras.vcs = from.vcs;
  }
  if (context.editable) extras.editable = true;
  if (Object.keys(extras).length > 0) dep.extras = extras;
  return dep;
}

/** The distribution name a URL or path names (`#egg=`, wheel or sdist file name), as indices into `ref`. */
export function nameFromReference(ref: string): { start: number; end: number } | undefined {
  const hash = ref.indexOf('#');
  if (hash >= 0) {
    let p = hash + 1;
    while (p < ref.length) {
      const amp = ref.indexOf('&', p);
      const stop = amp < 0 ? ref.length : amp;
      if (ref.startsWith('egg=', p)) {
        const end = scanDistributionName(ref, p + 4, stop);
        if (end > p + 4) return { start: p + 4, end };
      }
      p = stop + 1;
    }
  }
  let stop = ref.length;
  for (const sep of ['#', '?']) {
    const at = ref.indexOf(sep);
    if (at >= 0 && at < stop) stop = at;
  }
  let base = stop;
  while (base > 0 && ref[base - 1] !== '/' && ref[base - 1] !== '\\') base--;
  const file = ref.slice(base, stop);
  const lower = file.toLowerCase();
  if (lower.endsWith('.whl')) {
    const dash = file.indexOf('-');
    if (dash > 0 && scanDistributionName(file, 0, dash) === dash) return { start: base, end: base + dash };
    return undefined;
  }
  const suffix = ARCHIVE_SUFFIXES.find((s) => lower.endsWith(s));
  if (suffix === undefined) return undefined;
  // An sdist is `name-version.ext`: the name ends at the last '-' followed by a digit.
  const stem = file.slice(0, file.length - suffix.length);
  for (let k = stem.length - 1; k > 0; k--) {
    const c = stem.charCodeAt(k + 1);
    if (stem[k] === '-' && c >= 48 && c <= 57) {
      if (scanDistributionName(stem, 0, k) === k) return { start: base, end: base + k };
      return undefined;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The requirements file
// ---------------------------------------------------------------------------------------------

/** How to read a requirements file. */
export interface RequirementsParseOptions {
  /** Read as a constraints file (`-c` target or `constraints*.txt`): every dependency gets kind 'constraint'. */
  constraints?: boolean;
}

/** True for a file name pip users give constraints files (`constraints.txt`, `constraints-dev.txt`). */
export function isConstraintsFileName(filePath: string): boolean {
  const base = filePath.split(/[\\/]/).pop() ?? '';
  return /^constraints/i.test(base);
}

class LineReader {
  constructor(
    private readonly index: LineIndex,
    private readonly line: LogicalLine,
  ) {}

  /** File range of logical characters [start, end). Ends at the last real character, not across a joined break. */
  range(start: number, end: number): Range {
    const s = fileOffset(this.line, start);
    const e = end > start ? fileOffset(this.line, end - 1) + 1 : s;
    return this.index.rangeAt(s, Math.max(s, e));
  }
}

/** Parses a pip requirements (or constraints) file. Never throws; unreadable lines become `errors`. */
export function parseRequirements(text: string, options: RequirementsParseOptions = {}): ParsedManifest {
  const manifest: ParsedManifest = {
    kind: 'requirements',
    ecosystem: 'PyPI',
    dependencies: [],
    errors: [],
    includes: [],
    registryOptions: [],
  };
  const index = new LineIndex(text);
  for (const line of logicalLines(text)) {
    try {
      readLine(line, new LineReader(index, line), manifest, options);
    } catch (error) {
      // Defensive: a bug here must cost one line, never the whole file.
      const reader = new LineReader(index, line);
      manifest.errors.push({ message: `could not read line: ${String(error)}`, range: reader.range(0, line.text.length) });
    }
  }
  return manifest;
}

function readLine(line: LogicalLine, reader: LineReader, manifest: ParsedManifest, options: RequirementsParseOptions): void {
  const text = line.text;
  const begin = skipSpaces(text, 0, text.length);
  if (begin >= text.length) return;
  const lineErrors: Array<{ message: string; start: number; end: number }> = [];
  // pip's break_args_options: the requirement ends where the first token starting with '-' begins.
  let optionsAt = text.length;
  for (let i = begin; i < text.length; i++) {
    if (text.charCodeAt(i) === 45 && (i === begin || isSpace(text.charCodeAt(i - 1)))) {
      optionsAt = i;
      break;
    }
  }
  let reqEnd = optionsAt;
  while (reqEnd > begin && isSpace(text.charCodeAt(reqEnd - 1))) reqEnd--;
  const opts = optionsAt < text.length ? parseOptions(text, optionsAt, lineErrors) : [];
  for (const e of lineErrors) manifest.errors.push({ message: e.message, range: reader.range(e.start, e.end) });

  if (reqEnd > begin) {
    const dep = readRequirement(text, begin, reqEnd, reader, manifest.errors, options);
    if (dep === undefined) return;
    const hashes = opts.filter((o) => o.name === '--hash').map((o) => o.value);
    if (hashes.length > 0) (dep.extras ??= {}).hashes = hashes;
    const settings = opts.filter((o) => o.name === '--config-settings').map((o) => o.value);
    if (settings.length > 0) (dep.extras ??= {}).configSettings = settings;
    manifest.dependencies.push(dep);
    return;
  }

  for (const opt of opts) {
    const range = reader.range(opt.start, opt.end);
    if (opt.name === '--requirement' || opt.name === '--constraint') {
      const include: ManifestInclude = {
        path: opt.value,
        kind: opt.name === '--requirement' ? 'requirements' : 'constraints',
        range,
      };
      manifest.includes?.push(include);
    } else if (opt.name === '--editable') {
      const dep = readRequirement(text, opt.start, opt.end, reader, manifest.errors, options, true);
      if (dep !== undefined) manifest.dependencies.push(dep);
    } else if (REGISTRY_OPTIONS.has(opt.name)) {
      manifest.registryOptions?.push({ option: opt.name, value: opt.value, range });
    }
  }
}

/** Reads the requirement in `text[start, end)`: PEP 508, or a URL / local path. */
function readRequirement(
  text: string,
  start: number,
  end: number,
  reader: LineReader,
  errors: ParseError[],
  options: RequirementsParseOptions,
  editable = false,
): Dependency | undefined {
  const body = text.slice(start, end);
  const kind = options.constraints ? 'constraint' : 'runtime';
  if (!hasScheme(body)) {
    const parsed = parsePep508(body);
    if (parsed.ok) {
      return pep508Dependency(parsed.requirement, kind, (from, to) => reader.range(start + from, start + to), { editable });
    }
    if (!looksLikePath(body)) {
      errors.push({ message: `invalid requirement: ${parsed.message}`, range: reader.range(start + parsed.start, Math.max(start + parsed.end, start + parsed.start + 1)) });
      return undefined;
    }
  }
  return readReference(text, start, end, reader, kind, editable);
}

/** A URL or path requirement (`git+https://…#egg=name`, `./dist/pkg-1.0-py3-none-any.whl ; marker`). */
function readReference(
  text: string,
  start: number,
  end: number,
  reader: LineReader,
  kind: 'constraint' | 'runtime',
  editable: boolean,
): Dependency | undefined {
  let refEnd = end;
  let marker: string | undefined;
  // pip separates a marker from a URL or path with '; ' after whitespace, since ';' may occur in URLs.
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) === 59 && i > start && isSpace(text.charCodeAt(i - 1))) {
      marker = text.slice(i + 1, end).trim();
      refEnd = i;
      while (refEnd > start && isSpace(text.charCodeAt(refEnd - 1))) refEnd--;
      break;
    }
  }
  let ref = text.slice(start, refEnd);
  let pathExtras: string[] | undefined;
  // `./pkg[extra1,extra2]`: pip strips trailing extras off paths.
  if (!hasScheme(ref) && ref.endsWith(']')) {
    const open = ref.lastIndexOf('[');
    if (open > 0) {
      pathExtras = ref.slice(open + 1, -1).split(',').map((s) => s.trim()).filter((s) => s !== '');
      ref = ref.slice(0, open);
    }
  }
  const at = nameFromReference(ref);
  if (at === undefined) return undefined; // e.g. `-e .`: the name lives in the project's own metadata
  const name = ref.slice(at.start, at.end);
  const from = sourceOfReference(ref);
  const extras: Record<string, string | string[] | boolean> = { url: ref };
  if (from.vcs !== undefined && from.source !== 'git') extras.vcs = from.vcs;
  if (pathExtras !== undefined && pathExtras.length > 0) extras.extras = pathExtras;
  if (marker !== undefined && marker !== '') extras.markers = marker;
  if (editable) extras.editable = true;
  return {
    ecosystem: 'PyPI',
    name,
    normalizedName: normalizeName('PyPI', name),
    spec: '',
    kind,
    source: from.source,
    nameRange: reader.range(start + at.start, start + at.end),
    extras,
  };
}
