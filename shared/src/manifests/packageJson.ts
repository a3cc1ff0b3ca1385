import { parseTree, printParseErrorCode, type Node, type ParseError as JsonParseError } from 'jsonc-parser';
import type { Dependency, DependencyKind, ParsedManifest, ParseError, Range } from '../model';
import { normalizeName } from '../normalize';
import { LineIndex } from '../text/lineIndex';
import { classifyNpmSpec, selectorTarget, splitOverrideKey } from './packageJsonSpec';

/*
 * package.json → dependencies. jsonc-parser gives a tree with offsets even for broken JSON, so a file
 * with a syntax error still yields every dependency that can be read, plus the error at its position.
 * Ranges point inside the quotes: the text at `nameRange` is the name itself.
 */

const OBJECT_SECTIONS: Record<string, DependencyKind> = {
  dependencies: 'runtime',
  devDependencies: 'dev',
  optionalDependencies: 'optional',
  peerDependencies: 'peer',
};
const BUNDLE_SECTIONS = new Set(['bundleDependencies', 'bundledDependencies']);
// Nested overrides deeper than this are not real manifests; stop instead of recursing without bound.
const MAX_OVERRIDE_DEPTH = 32;

const JSON_ERROR_MESSAGES: Record<string, string> = {
  InvalidSymbol: 'Invalid symbol',
  InvalidNumberFormat: 'Invalid number',
  PropertyNameExpected: 'Expected a property name',
  ValueExpected: 'Expected a value',
  ColonExpected: "Expected ':'",
  CommaExpected: "Expected ','",
  CloseBraceExpected: "Expected '}'",
  CloseBracketExpected: "Expected ']'",
  EndOfFileExpected: 'Expected end of file',
  InvalidCommentToken: 'Comments are not allowed in package.json',
  UnexpectedEndOfComment: 'Unterminated comment',
  UnexpectedEndOfString: 'Unterminated string',
  UnexpectedEndOfNumber: 'Unterminated number',
  InvalidUnicode: 'Invalid unicode escape',
  InvalidEscapeCharacter: 'Invalid escape character',
  InvalidCharacter: 'Invalid character',
};

/** Parses package.json text into npm dependencies with exact ranges. Never throws. */
export function parsePackageJson(text: string): ParsedManifest {
  const reader = new PackageJsonReader(text);
  try {
    reader.read();
  } catch (error) {
    // jsonc-parser recurses per nesting level; pathological nesting can exhaust the stack.
    reader.fail(`package.json could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  return { kind: 'package-json', ecosystem: 'npm', dependencies: reader.dependencies, errors: reader.errors };
}

class PackageJsonReader {
  readonly dependencies: Dependency[] = [];
  readonly errors: ParseError[] = [];
  private readonly lines: LineIndex;

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  read(): void {
    const jsonErrors: JsonParseError[] = [];
    const root = parseTree(this.text, jsonErrors, { disallowComments: true, allowTrailingComma: false });
    let lastErrorOffset = -1;
    for (const e of jsonErrors) {
      // jsonc-parser can report two codes for one spot (a trailing comma); one message is enough.
      if (e.offset === lastErrorOffset) continue;
      lastErrorOffset = e.offset;
      const code = printParseErrorCode(e.error);
      this.error(JSON_ERROR_MESSAGES[code] ?? code, e.offset, e.offset + Math.max(e.length, 1));
    }
    if (!root) {
      if (jsonErrors.length === 0) this.error('package.json is empty', 0, 0);
      return;
    }
    if (root.type !== 'object') {
      this.error('package.json must contain a JSON object', root.offset, root.offset + root.length);
      return;
    }
    let bundleAll = false;
    for (const [key, value] of properties(root)) {
      const section = key.value as string;
      const kind = OBJECT_SECTIONS[section];
      if (kind) this.readDependencyObject(key, value, kind);
      else if (BUNDLE_SECTIONS.has(section)) bundleAll = this.readBundled(key, value) || bundleAll;
      else if (section === 'overrides') this.readOverridesSection(key, value);
      else if (section === 'resolutions') this.readSelectorOverrides(key, value, 'yarn');
      else if (section === 'pnpm' && value?.type === 'object') {
        const pnpmOverrides = properties(value).find(([k]) => k.value === 'overrides');
        if (pnpmOverrides) this.readSelectorOverrides(pnpmOverrides[0], pnpmOverrides[1], 'pnpm');
      }
    }
    // `bundleDependencies: true` bundles every runtime dependency; mark them rather than duplicating them.
    if (bundleAll) {
      for (const dep of this.dependencies) if (dep.kind === 'runtime') dep.extras = { ...dep.extras, bundled: true };
    }
  }

  fail(message: string): void {
    this.error(message, 0, Math.min(this.text.length, 1));
  }

  private readDependencyObject(key: Node, value: Node | undefined, kind: DependencyKind): void {
    if (!value || value.type !== 'object') {
      this.errorAt(`'${key.value as string}' must be an object of package names to version specs`, key);
      return;
    }
    for (const [depKey, depValue] of properties(value)) this.readDependency(depKey, depValue, kind);
  }

  private readDependency(key: Node, value: Node | undefined, kind: DependencyKind): void {
    const keyName = key.value as string;
    if (keyName.trim() === '') {
      this.errorAt('Empty package name', key);
      return;
    }
    if (!value || value.type !== 'string') {
      // Keep the name: it can still be checked for typosquats even though its spec is unusable.
      if (value) this.errorAt(`The version spec of '${keyName}' must be a string`, value);
      this.push({ name: keyName, nameRange: this.inner(key), spec: '', kind, source: 'registry' });
      return;
    }
    this.pushSpec(keyName, this.inner(key), value, kind, {});
  }

  /** Emits one dependency for `keyName: "<spec>"`, resolving `npm:` aliases to the real package. */
  private pushSpec(
    keyName: string,
    keyRange: Range,
    value: Node,
    kind: DependencyKind,
    extras: Record<string, string | string[] | boolean>,
  ): void {
    const spec = value.value as string;
    const info = classifyNpmSpec(spec);
    const specRange = this.innerSlice(value, info.rangeStart, info.rangeEnd);
    if (info.protocol && info.source !== 'registry') extras = { ...extras, protocol: info.protocol };
    if (info.alias) {
      if (info.alias.name === '') {
        this.errorAt(`The alias '${keyName}' does not name a package after 'npm:'`, value);
        return;
      }
      this.push({
        name: info.alias.name,
        alias: keyName,
        nameRange: this.innerSlice(value, info.alias.nameStart, info.alias.nameEnd),
        spec: info.range,
        ...(info.range !== '' ? { specRange } : {}),
        kind,
        source: 'registry',
        extras,
      });
      return;
    }
    this.push({ name: keyName, nameRange: keyRange, spec: info.range, specRange, kind, source: info.source, extras });
  }

  /** Returns true for `bundleDependencies: true`. */
  private readBundled(key: Node, value: Node | undefined): boolean {
    if (value?.type === 'boolean') return value.value === true;
    if (!value || value.type !== 'array') {
      this.errorAt(`'${key.value as string}' must be an array of package names or a boolean`, key);
      return false;
    }
    for (const item of value.children ?? []) {
      if (item.type !== 'string' || (item.value as string).trim() === '') {
        this.errorAt('Expected a package name', item);
        continue;
      }
      this.push({ name: item.value as string, nameRange: this.inner(item), spec: '', kind: 'bundled', source: 'registry' });
    }
    return false;
  }

  private readOverridesSection(key: Node, value: Node | undefined): void {
    if (!value || value.type !== 'object') {
      this.errorAt("'overrides' must be an object", key);
      return;
    }
    this.readOverrides(value, [], 0);
  }

  /**
   * npm overrides: `"foo": "1.0.0"`, `"foo@1": "npm:bar@2"`, `"foo": "$foo"` (the root spec of foo), or an
   * object whose `"."` is foo's own override and whose other keys override foo's dependencies.
   */
  private readOverrides(object: Node, parents: string[], depth: number): void {
    if (depth >= MAX_OVERRIDE_DEPTH) {
      this.errorAt('overrides are nested too deeply', object);
      return;
    }
    for (const [key, value] of properties(object)) {
      const keyText = key.value as string;
      if (keyText === '.') continue; // read by the parent, which it overrides
      const { name, selector } = splitOverrideKey(keyText);
      if (name.trim() === '') {
        this.errorAt('Empty package name', key);
        continue;
      }
      const extras: Record<string, string | string[] | boolean> = {};
      if (selector) extras.selector = selector;
      if (parents.length > 0) extras.parents = [...parents];
      const nameRange = this.innerSlice(key, 0, name.length);
      if (value?.type === 'object') {
        const self = properties(value).find(([k]) => k.value === '.')?.[1];
        if (self?.type === 'string') this.pushOverride(name, nameRange, self, extras);
        else {
          if (self) this.errorAt(`The override of '${name}' must be a string`, self);
          this.push({ name, nameRange, spec: '', kind: 'override', source: 'registry', extras });
        }
        this.readOverrides(value, [...parents, keyText], depth + 1);
      } else if (value?.type === 'string') {
        this.pushOverride(name, nameRange, value, extras);
      } else {
        this.errorAt(`The override of '${name}' must be a string or an object`, value ?? key);
      }
    }
  }

  /** yarn `resolutions` and pnpm `overrides`: flat maps from a package selector to a spec. */
  private readSelectorOverrides(key: Node, value: Node | undefined, style: 'yarn' | 'pnpm'): void {
    if (!value || value.type !== 'object') {
      this.errorAt(`'${key.value as string}' must be an object`, key);
      return;
    }
    for (const [selectorKey, spec] of properties(value)) {
      const target = selectorTarget(selectorKey.value as string, style);
      if (target.name.trim() === '') {
        this.errorAt('Expected a package name', selectorKey);
        continue;
      }
      if (spec?.type !== 'string') {
        this.errorAt(`The override of '${target.name}' must be a string`, spec ?? selectorKey);
        continue;
      }
      const extras: Record<string, string | string[] | boolean> = { manager: style };
      if (target.selector) extras.selector = target.selector;
      if (target.parents.length > 0) extras.parents = target.parents;
      const nameRange = this.innerSlice(selectorKey, target.start, target.start + target.name.length);
      this.pushOverride(target.name, nameRange, spec, extras);
    }
  }

  private pushOverride(name: string, nameRange: Range, value: Node, extras: Record<string, string | string[] | boolean>): void {
    const spec = value.value as string;
    if (spec.startsWith('$')) {
      // `$foo` reuses the spec the root manifest gives foo; the checker resolves it from the same manifest.
      this.push({
        name,
        nameRange,
        spec,
        specRange: this.inner(value),
        kind: 'override',
        source: 'registry',
        extras: { ...extras, reference: spec.slice(1) },
      });
      return;
    }
    this.pushSpec(name, nameRange, value, 'override', extras);
  }

  private push(dep: Omit<Dependency, 'ecosystem' | 'normalizedName'>): void {
    const full: Dependency = { ecosystem: 'npm', normalizedName: normalizeName('npm', dep.name), ...dep };
    if (full.extras && Object.keys(full.extras).length === 0) delete full.extras;
    this.dependencies.push(full);
  }

  /** Range of a string node's content, without the quotes. */
  private inner(node: Node): Range {
    if (node.type !== 'string' || node.length < 2) return this.lines.rangeAt(node.offset, node.offset + node.length);
    return this.lines.rangeAt(node.offset + 1, node.offset + node.length - 1);
  }

  /**
   * Range of [start, end) of a string node's decoded value. Exact when the raw text has no escapes;
   * otherwise decoded and raw offsets differ, so the whole string content is the honest answer.
   */
  private innerSlice(node: Node, start: number, end: number): Range {
    const raw = this.text.slice(node.offset + 1, node.offset + node.length - 1);
    if (node.type !== 'string' || raw !== node.value) return this.inner(node);
    return this.lines.rangeAt(node.offset + 1 + start, node.offset + 1 + end);
  }

  private errorAt(message: string, node: Node): void {
    this.error(message, node.offset, node.offset + node.length);
  }

  private error(message: string, start: number, end: number): void {
    this.errors.push({ message, range: this.lines.rangeAt(start, Math.min(end, this.text.length)) });
  }
}

/** The (key, value) pairs of an object node, skipping properties whose key did not parse. */
function properties(object: Node): Array<[Node, Node | undefined]> {
  const out: Array<[Node, Node | undefined]> = [];
  for (const prop of object.children ?? []) {
    const key = prop.children?.[0];
    if (prop.type !== 'property' || key?.type !== 'string') continue;
    out.push([key, prop.children?.[1]]);
  }
  return out;
}
