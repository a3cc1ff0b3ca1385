import type { Dependency, DependencyKind, ParsedManifest, Range } from '../model';
import { normalizeName } from '../normalize';
import { isTable, own, TomlDocument, type TomlPath } from '../toml/document';

/*
 * Cargo.toml: every table that declares crates. Dependencies may be written as a version string,
 * an inline table, a `[dependencies.name]` table or dotted keys (`serde.version = "1"`); the TOML
 * layer makes those the same value, and its scanner says where each key and string sits.
 */

interface Section {
  path: TomlPath;
  kind: DependencyKind;
  group?: string;
}

const DEPENDENCY_TABLES: ReadonlyArray<[string, DependencyKind]> = [
  ['dependencies', 'runtime'],
  ['dev-dependencies', 'dev'],
  ['dev_dependencies', 'dev'], // the old spelling Cargo still accepts
  ['build-dependencies', 'build'],
  ['build_dependencies', 'build'],
];

/** Crate names are ASCII letters, digits, '-' and '_'. */
const CRATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Parses Cargo.toml text into its crate dependencies. Never throws. */
export function parseCargoToml(text: string): ParsedManifest {
  const doc = new TomlDocument(text);
  const manifest: ParsedManifest = { kind: 'cargo', ecosystem: 'crates.io', dependencies: [], errors: [...doc.errors] };
  try {
    for (const section of sections(doc)) readSection(doc, section, manifest);
    readReplace(doc, manifest);
  } catch (error) {
    // Defensive: the reader is written not to throw; if it ever does, keep what was read so far.
    manifest.errors.push({ message: `could not read Cargo.toml: ${String(error)}`, range: doc.range(0, 0) });
  }
  return manifest;
}

function sections(doc: TomlDocument): Section[] {
  const out: Section[] = [];
  for (const [key, kind] of DEPENDENCY_TABLES) out.push({ path: [key], kind });
  const targets = doc.get(['target']);
  if (isTable(targets)) {
    for (const target of Object.keys(targets)) {
      for (const [key, kind] of DEPENDENCY_TABLES) out.push({ path: ['target', target, key], kind, group: target });
    }
  }
  out.push({ path: ['workspace', 'dependencies'], kind: 'runtime', group: 'workspace' });
  const patches = doc.get(['patch']);
  if (isTable(patches)) {
    for (const registry of Object.keys(patches)) out.push({ path: ['patch', registry], kind: 'override', group: registry });
  }
  return out;
}

function fallbackRange(doc: TomlDocument, path: TomlPath): Range {
  return doc.keyRange(path) ?? doc.valueRange(path) ?? doc.range(0, 0);
}

function readSection(doc: TomlDocument, section: Section, manifest: ParsedManifest): void {
  const table = doc.get(section.path);
  if (table === undefined) return;
  if (!isTable(table)) {
    manifest.errors.push({ message: `'${section.path.join('.')}' must be a table`, range: fallbackRange(doc, section.path) });
    return;
  }
  for (const [key, value] of Object.entries(table)) {
    const dep = readDependency(doc, section, key, value, manifest);
    if (dep !== undefined) manifest.dependencies.push(dep);
  }
}

function stringAt(doc: TomlDocument, path: TomlPath): string | undefined {
  const v = doc.get(path);
  return typeof v === 'string' ? v : undefined;
}

function readDependency(
  doc: TomlDocument,
  section: Section,
  key: string,
  value: unknown,
  manifest: ParsedManifest,
): Dependency | undefined {
  const path = [...section.path, key];
  const keyRange = fallbackRange(doc, path);
  const dep: Dependency = {
    ecosystem: 'crates.io',
    name: key,
    normalizedName: normalizeName('crates.io', key),
    spec: '',
    kind: section.kind,
    source: 'registry',
    nameRange: keyRange,
  };
  if (section.group !== undefined) dep.group = section.group;
  if (typeof value === 'string') {
    dep.spec = value.trim();
    dep.specRange = doc.stringRange(path) ?? keyRange;
  } else if (isTable(value)) {
    readDependencyTable(doc, path, key, value, dep, manifest);
  } else {
    manifest.errors.push({
      message: `dependency '${key}' must be a version string or a table`,
      range: doc.valueRange(path) ?? keyRange,
    });
    return undefined;
  }
  if (!CRATE_NAME.test(dep.name)) {
    manifest.errors.push({ message: `invalid crate name '${dep.name}'`, range: dep.nameRange });
    return undefined;
  }
  return dep;
}

function readDependencyTable(
  doc: TomlDocument,
  path: TomlPath,
  key: string,
  table: Record<string, unknown>,
  dep: Dependency,
  manifest: ParsedManifest,
): void {
  const extras: Record<string, string | string[] | boolean> = {};
  const version = stringAt(doc, [...path, 'version']);
  if (version !== undefined) {
    dep.spec = version.trim();
    dep.specRange = doc.stringRange([...path, 'version']);
  } else if (own(table, 'version') !== undefined) {
    manifest.errors.push({ message: `'version' of '${key}' must be a string`, range: doc.valueRange([...path, 'version']) ?? dep.nameRange });
  }
  const renamed = stringAt(doc, [...path, 'package']);
  if (renamed !== undefined) {
    // `alias = { package = "real-crate" }`: the registry knows the crate by `package`.
    dep.name = renamed;
    dep.normalizedName = normalizeName('crates.io', renamed);
    dep.alias = key;
    dep.nameRange = doc.stringRange([...path, 'package']) ?? dep.nameRange;
  }
  if (own(table, 'workspace') === true) {
    // Inherited from `[workspace.dependencies]`; the version lives in the workspace root.
    dep.source = 'workspace';
    extras.workspace = true;
  }
  const git = stringAt(doc, [...path, 'git']);
  const localPath = stringAt(doc, [...path, 'path']);
  if (git !== undefined) {
    dep.source = 'git';
    extras.git = git;
    for (const ref of ['branch', 'tag', 'rev']) {
      const v = stringAt(doc, [...path, ref]);
      if (v !== undefined) extras[ref] = v;
    }
  } else if (localPath !== undefined) {
    dep.source = 'path';
    extras.path = localPath;
  }
  for (const name of ['registry', 'registry-index']) {
    const v = stringAt(doc, [...path, name]);
    if (v !== undefined) extras[name] = v;
  }
  const features = own(table, 'features');
  if (Array.isArray(features)) extras.features = features.filter((f): f is string => typeof f === 'string');
  if (own(table, 'optional') === true) {
    extras.optional = true;
    if (dep.kind === 'runtime') dep.kind = 'optional';
  }
  const defaults = own(table, 'default-features') ?? own(table, 'default_features');
  if (typeof defaults === 'boolean') extras.defaultFeatures = defaults;
  if (Object.keys(extras).length > 0) dep.extras = extras;
}

/** `[replace]` keys are `"name:version"` package ids. */
function readReplace(doc: TomlDocument, manifest: ParsedManifest): void {
  const table = doc.get(['replace']);
  if (!isTable(table)) return;
  for (const key of Object.keys(table)) {
    const colon = key.indexOf(':');
    const name = colon < 0 ? key : key.slice(0, colon);
    const span = doc.keySpan(['replace', key]);
    const nameRange = span !== undefined && span.end - span.start === key.length ? doc.range(span.start, span.start + name.length) : fallbackRange(doc, ['replace', key]);
    if (!CRATE_NAME.test(name)) continue;
    const dep: Dependency = {
      ecosystem: 'crates.io',
      name,
      normalizedName: normalizeName('crates.io', name),
      spec: colon < 0 ? '' : key.slice(colon + 1),
      kind: 'replace',
      source: 'registry',
      nameRange,
    };
    const value = doc.get(['replace', key]);
    if (isTable(value)) {
      const git = own(value, 'git');
      const localPath = own(value, 'path');
      if (typeof git === 'string') {
        dep.source = 'git';
        dep.extras = { git };
      } else if (typeof localPath === 'string') {
        dep.source = 'path';
        dep.extras = { path: localPath };
      }
    }
    manifest.dependencies.push(dep);
  }
}
