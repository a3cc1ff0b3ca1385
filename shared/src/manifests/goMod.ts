import type { Dependency, DependencyKind, DependencySource, ParsedManifest, ParseError, Range } from '../model';
import { normalizeName } from '../normalize';
import { LineIndex } from '../text/lineIndex';
import { lexGoMod, type GoModLine, type GoModToken } from './goModLexer';

/*
 * go.mod → dependencies. How each directive is modelled:
 * - `require path v` → kind 'runtime' (`// indirect` sets `indirect`).
 * - `exclude path v` → kind 'exclude'.
 * - `replace old [v] => new [v]` → ONE dependency for the replacement, because that is what gets fetched:
 *   name/nameRange/spec are the new side, `extras.replaces` (and `extras.replacesVersion`) the old side.
 *   A replacement by a directory (`=> ./local`) has source 'path' and spec ''.
 * - `retract v` / `retract [lo, hi]` → kind 'retract', name = this module's path (nameRange is where the
 *   `module` directive writes it), spec/specRange = the retracted version or interval as written,
 *   `extras.rationale` = the comment that explains it.
 * - `toolchain go1.21.3` → kind 'toolchain', name 'golang.org/toolchain' (the module the go command
 *   downloads toolchains from), spec 'go1.21.3'. No name is written, so nameRange is the `toolchain` keyword.
 * `module`, `go`, `godebug`, `tool` and `ignore` are checked but are not dependencies.
 */

const TOOLCHAIN_MODULE = 'golang.org/toolchain';
const BLOCK_VERBS = new Set(['require', 'replace', 'exclude', 'retract', 'tool', 'godebug', 'ignore']);
const GO_VERSION = /^[1-9]\d*(?:\.(?:0|[1-9]\d*)){0,2}(?:(?:rc|beta)[1-9]\d*)?$/;
const TOOLCHAIN_NAME = /^(?:default|go[1-9]\d*(?:\.(?:0|[1-9]\d*)){0,2}(?:(?:rc|beta)[1-9]\d*)?(?:-[\w.-]+)?)$/;

/** Parses go.mod text into Go module dependencies with exact ranges. Never throws. */
export function parseGoMod(text: string): ParsedManifest {
  const reader = new GoModReader(text);
  try {
    reader.read();
  } catch (error) {
    reader.error(`go.mod could not be read: ${error instanceof Error ? error.message : String(error)}`, 0, Math.min(1, text.length));
  }
  return { kind: 'go-mod', ecosystem: 'Go', dependencies: reader.dependencies, errors: reader.errors };
}

interface OpenBlock {
  verb: string;
  start: number;
  end: number;
}

class GoModReader {
  readonly dependencies: Dependency[] = [];
  readonly errors: ParseError[] = [];
  private readonly lines: LineIndex;
  private modulePath?: { value: string; range: Range };
  /** Retractions seen before the `module` line get the module path once it is known. */
  private readonly retractions: Dependency[] = [];
  /** Comment lines directly above the current directive (the rationale for a retraction). */
  private pendingComments: string[] = [];

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  read(): void {
    let block: OpenBlock | undefined;
    for (const line of lexGoMod(this.text)) {
      for (const p of line.problems) this.error(p.message, p.start, p.end);
      const tokens = line.tokens;
      const first = tokens[0];
      if (!first) {
        if (line.comment !== undefined) this.pendingComments.push(line.comment);
        else this.pendingComments = [];
        continue;
      }
      if (block) {
        if (first.value === ')' && !first.quoted) {
          const extra = tokens[1];
          if (extra) this.errorSpan('Unexpected text after )', extra, tokens[tokens.length - 1] ?? extra);
          block = undefined;
        } else {
          this.directive(block.verb, first, tokens, line);
        }
      } else if (tokens[1]?.value === '(' && !tokens[1].quoted) {
        block = this.openBlock(first, tokens);
      } else {
        this.directive(first.value, first, tokens.slice(1), line);
      }
      this.pendingComments = [];
    }
    if (block) this.error(`'${block.verb} (' block is never closed with ')'`, block.start, block.end);
    this.finishRetractions();
  }

  private openBlock(verb: GoModToken, tokens: GoModToken[]): OpenBlock | undefined {
    if (!BLOCK_VERBS.has(verb.value)) {
      this.errorSpan(`'${verb.value}' cannot start a block`, verb, tokens[1] ?? verb);
      return undefined;
    }
    // `require ()` on one line is an empty block; anything else after '(' is a syntax error.
    if (tokens[2]?.value === ')' && tokens.length === 3) return undefined;
    const extra = tokens[2];
    if (extra) this.errorSpan("A block's '(' must end its line", extra, tokens[tokens.length - 1] ?? extra);
    return { verb: verb.value, start: verb.start, end: (tokens[1] ?? verb).end };
  }

  /** Handles one directive; `at` locates errors when there are no arguments. */
  private directive(verb: string, at: GoModToken, args: GoModToken[], line: GoModLine): void {
    switch (verb) {
      case 'module':
        this.moduleDirective(at, args);
        return;
      case 'go':
        this.versionDirective('go', at, args, GO_VERSION, 'a Go version such as 1.22 or 1.22.3');
        return;
      case 'toolchain':
        this.toolchainDirective(at, args);
        return;
      case 'require':
        this.pathVersion('runtime', at, args, line);
        return;
      case 'exclude':
        this.pathVersion('exclude', at, args, line);
        return;
      case 'replace':
        this.replaceDirective(at, args);
        return;
      case 'retract':
        this.retractDirective(at, args, line);
        return;
      case 'tool':
      case 'ignore':
        if (args.length !== 1) this.usage(`${verb} path`, at, args);
        return;
      case 'godebug':
        if (args.length !== 1 || !/^[^=]+=[^=]*$/.test(args[0]?.value ?? '')) this.usage('godebug key=value', at, args);
        return;
      default:
        this.errorSpan(`Unknown directive: ${verb}`, at, at);
    }
  }

  private moduleDirective(at: GoModToken, args: GoModToken[]): void {
    const path = args[0];
    if (!path || args.length !== 1 || path.value === '') {
      this.usage('module module/path', at, args);
      return;
    }
    if (this.modulePath) {
      this.errorSpan('Repeated module directive', at, path);
      return;
    }
    this.modulePath = { value: path.value, range: this.lines.rangeAt(path.start, path.end) };
  }

  private versionDirective(verb: string, at: GoModToken, args: GoModToken[], pattern: RegExp, expected: string): boolean {
    const version = args[0];
    if (!version || args.length !== 1) {
      this.usage(`${verb} version`, at, args);
      return false;
    }
    if (!pattern.test(version.value)) {
      this.errorSpan(`Invalid ${verb} version '${version.value}': expected ${expected}`, version, version);
      return false;
    }
    return true;
  }

  private toolchainDirective(at: GoModToken, args: GoModToken[]): void {
    if (!this.versionDirective('toolchain', at, args, TOOLCHAIN_NAME, 'a toolchain name such as go1.22.3')) return;
    const version = args[0] as GoModToken;
    this.push({
      name: TOOLCHAIN_MODULE,
      nameRange: this.lines.rangeAt(at.start, at.end),
      spec: version.value,
      specRange: this.lines.rangeAt(version.start, version.end),
      kind: 'toolchain',
      source: 'registry',
    });
  }

  private pathVersion(kind: DependencyKind, at: GoModToken, args: GoModToken[], line: GoModLine): void {
    const [path, version] = args;
    if (!path || !version || args.length !== 2 || path.value === '' || version.value === '') {
      this.usage(kind === 'exclude' ? 'exclude module/path version' : 'require module/path version', at, args);
      return;
    }
    const indirect = kind === 'runtime' && isIndirectComment(line.comment);
    this.push({
      name: path.value,
      nameRange: this.lines.rangeAt(path.start, path.end),
      spec: version.value,
      specRange: this.lines.rangeAt(version.start, version.end),
      kind,
      source: 'registry',
      ...(indirect ? { indirect: true } : {}),
    });
  }

  private replaceDirective(at: GoModToken, args: GoModToken[]): void {
    const arrow = args.findIndex((t) => t.value === '=>' && !t.quoted);
    const old = arrow === -1 ? [] : args.slice(0, arrow);
    const target = arrow === -1 ? [] : args.slice(arrow + 1);
    if (arrow === -1 || old.length < 1 || old.length > 2 || target.length < 1 || target.length > 2) {
      this.usage('replace module/path [version] => new/path [version]', at, args);
      return;
    }
    const [newPath, newVersion] = target as [GoModToken, GoModToken | undefined];
    const local = isDirectoryPath(newPath.value);
    if (local && newVersion) {
      this.errorSpan('A replacement directory must not have a version', newVersion, newVersion);
      return;
    }
    if (!local && !newVersion) {
      this.errorSpan('A replacement module needs a version (or a directory path starting with ./ or ../)', newPath, newPath);
      return;
    }
    const source: DependencySource = local ? 'path' : 'registry';
    const [oldPath, oldVersion] = old as [GoModToken, GoModToken | undefined];
    this.push({
      name: newPath.value,
      nameRange: this.lines.rangeAt(newPath.start, newPath.end),
      spec: newVersion?.value ?? '',
      ...(newVersion ? { specRange: this.lines.rangeAt(newVersion.start, newVersion.end) } : {}),
      kind: 'replace',
      source,
      extras: { replaces: oldPath.value, ...(oldVersion ? { replacesVersion: oldVersion.value } : {}) },
    });
  }

  private retractDirective(at: GoModToken, args: GoModToken[], line: GoModLine): void {
    let spec: string;
    if (args.length === 1 && args[0]?.value !== '[') {
      spec = args[0]?.value ?? '';
    } else if (
      args.length === 5 &&
      args[0]?.value === '[' &&
      args[2]?.value === ',' &&
      args[4]?.value === ']' &&
      !['[', ',', ']'].includes(args[1]?.value ?? '') &&
      !['[', ',', ']'].includes(args[3]?.value ?? '')
    ) {
      spec = `[${args[1]?.value}, ${args[3]?.value}]`;
    } else {
      this.usage('retract version or retract [low, high]', at, args);
      return;
    }
    const first = args[0] as GoModToken;
    const last = args[args.length - 1] as GoModToken;
    const rationale = [...this.pendingComments, ...(line.comment ? [line.comment] : [])].join('\n').trim();
    const dep: Dependency = {
      ecosystem: 'Go',
      name: '',
      normalizedName: '',
      spec,
      // The range is the version or the whole interval, brackets included.
      specRange: this.lines.rangeAt(first.start, last.end),
      nameRange: this.lines.rangeAt(first.start, last.end),
      kind: 'retract',
      source: 'registry',
      ...(rationale ? { extras: { rationale } } : {}),
    };
    this.retractions.push(dep);
  }

  private finishRetractions(): void {
    if (this.retractions.length === 0) return;
    if (!this.modulePath) {
      for (const dep of this.retractions) this.errors.push({ message: 'retract needs a module directive', range: dep.nameRange });
      return;
    }
    for (const dep of this.retractions) {
      dep.name = this.modulePath.value;
      dep.normalizedName = normalizeName('Go', dep.name);
      dep.nameRange = this.modulePath.range;
      this.dependencies.push(dep);
    }
  }

  private push(dep: Omit<Dependency, 'ecosystem' | 'normalizedName'>): void {
    this.dependencies.push({ ecosystem: 'Go', normalizedName: normalizeName('Go', dep.name), ...dep });
  }

  private usage(expected: string, at: GoModToken, args: GoModToken[]): void {
    this.errorSpan(`Malformed directive: expected '${expected}'`, at, args[args.length - 1] ?? at);
  }

  private errorSpan(message: string, from: GoModToken, to: GoModToken): void {
    this.error(message, from.outerStart, Math.max(from.outerEnd, to.outerEnd));
  }

  error(message: string, start: number, end: number): void {
    this.errors.push({ message, range: this.lines.rangeAt(start, end) });
  }
}

// The go command's own rule: the comment is exactly `indirect`, or starts with the word `indirect;` and says more.
function isIndirectComment(comment: string | undefined): boolean {
  const words = comment?.split(/\s+/).filter(Boolean) ?? [];
  return (words.length === 1 && words[0] === 'indirect') || (words.length > 1 && words[0] === 'indirect;');
}

// What the go command treats as a directory replacement rather than a module path.
function isDirectoryPath(path: string): boolean {
  return (
    path === '.' ||
    path === '..' ||
    /^\.\.?[\\/]/.test(path) ||
    path.startsWith('/') ||
    path.startsWith('\\') ||
    /^[A-Za-z]:[\\/]/.test(path)
  );
}
