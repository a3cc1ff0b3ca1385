import type { Dependency, DependencyKind, ParsedManifest, Range } from '../model';
import { normalizeName } from '../normalize';
import { parsePep508, pep508Dependency } from './requirements';
import { isTable, own, TomlDocument, type TomlPath } from '../toml/document';

/*
 * pyproject.toml: PEP 621 `[project]`, PEP 735 `[dependency-groups]`, `[build-system] requires`,
 * Poetry's tables, and uv/PDM's dev tables. Requirement strings go through the same PEP 508 reader as
 * requirements.txt; their ranges are mapped through the TOML string (escapes included) to the file.
 */

/** Group names that mean "only for developing this project". */
const DEV_GROUP = /^(dev|develop|development|devel|test|tests|testing|lint|linting|linters?|typing|types?|mypy|docs?|documentation|style|format|fmt|ci|bench|benchmarks?|coverage|qa|checks?|tools?|tox|pre-commit)$/i;

/** Kind for a dependency group: 'dev' for the usual development group names, otherwise `fallback`. */
export function kindForGroup(group: string, fallback: DependencyKind): DependencyKind {
  return DEV_GROUP.test(group) ? 'dev' : fallback;
}

class PyprojectReader {
  readonly manifest: ParsedManifest;

  constructor(readonly doc: TomlDocument) {
    this.manifest = { kind: 'pyproject', ecosystem: 'PyPI', dependencies: [], errors: [...doc.errors], registryOptions: [] };
  }

  private where(path: TomlPath): Range {
    return this.doc.keyRange(path) ?? this.doc.valueRange(path) ?? this.doc.range(0, 0);
  }

  private error(message: string, range: Range): void {
    this.manifest.errors.push({ message, range });
  }

  /** An array of PEP 508 strings (`dependencies = ["requests>=2"]`). */
  requirementArray(path: TomlPath, kind: DependencyKind, group?: string): void {
    const value = this.doc.get(path);
    if (value === undefined) return;
    if (!Array.isArray(value)) {
      this.error(`'${path.join('.')}' must be an array of requirement strings`, this.where(path));
      return;
    }
    value.forEach((item: unknown, i: number) => {
      if (typeof item === 'string') this.requirementString([...path, i], item, kind, group);
      else this.error('expected a requirement string', this.doc.valueRange([...path, i]) ?? this.where(path));
    });
  }

  requirementString(path: TomlPath, text: string, kind: DependencyKind, group?: string): void {
    const parsed = parsePep508(text);
    const fallback = this.doc.valueRange(path) ?? this.doc.range(0, 0);
    if (!parsed.ok) {
      this.error(`invalid requirement: ${parsed.message}`, this.doc.stringRange(path, parsed.start, Math.max(parsed.end, parsed.start + 1)) ?? fallback);
      return;
    }
    const rangeOf = (from: number, to: number): Range => this.doc.stringRange(path, from, to) ?? fallback;
    this.manifest.dependencies.push(pep508Dependency(parsed.requirement, kind, rangeOf, { group }));
  }

  /** `[dependency-groups]`: arrays of requirements and `{include-group = "…"}` references. */
  dependencyGroups(): void {
    const groups = this.doc.get(['dependency-groups']);
    if (!isTable(groups)) return;
    for (const [group, items] of Object.entries(groups)) {
      const path = ['dependency-groups', group];
      if (!Array.isArray(items)) {
        this.error(`dependency group '${group}' must be an array`, this.where(path));
        continue;
      }
      const kind = kindForGroup(group, 'optional');
      items.forEach((item: unknown, i: number) => {
        if (typeof item === 'string') this.requirementString([...path, i], item, kind, group);
        else if (isTable(item) && typeof own(item, 'include-group') === 'string') {
          // An include names another group, not a package; that group's own entries are read there.
          const target = own(item, 'include-group') as string;
          if (!Object.prototype.hasOwnProperty.call(groups, target)) {
            this.error(`included group '${target}' does not exist`, this.doc.stringRange([...path, i, 'include-group']) ?? this.where(path));
          }
        } else this.error('expected a requirement string or {include-group = "…"}', this.doc.valueRange([...path, i]) ?? this.where(path));
      });
    }
  }

  /** A Poetry dependency table (`requests = "^2.28"`, inline tables, arrays of constraints). */
  poetryTable(path: TomlPath, kind: DependencyKind, group?: string): void {
    const table = this.doc.get(path);
    if (table === undefined) return;
    if (!isTable(table)) {
      this.error(`'${path.join('.')}' must be a table`, this.where(path));
      return;
    }
    for (const [name, value] of Object.entries(table)) {
      if (name.toLowerCase() === 'python') continue; // the interpreter constraint, not a package
      this.poetryDependency([...path, name], name, value, kind, group);
    }
  }

  private poetryDependency(path: TomlPath, name: string, value: unknown, kind: DependencyKind, group?: string): void {
    const nameRange = this.where(path);
    const dep: Dependency = {
      ecosystem: 'PyPI',
      name,
      normalizedName: normalizeName('PyPI', name),
      spec: '',
      kind,
      source: 'registry',
      nameRange,
    };
    if (group !== undefined) dep.group = group;
    const extras: Record<string, string | string[] | boolean> = {};
    if (typeof value === 'string') {
      dep.spec = value.trim();
      dep.specRange = this.doc.stringRange(path) ?? nameRange;
    } else if (isTable(value)) {
      this.poetryConstraint(path, value, dep, extras);
    } else if (Array.isArray(value)) {
      // Several constraints, each for its own Python or platform: one dependency, all specs kept.
      const specs: string[] = [];
      const constraints: string[] = [];
      value.forEach((item: unknown, i: number) => {
        if (!isTable(item)) {
          this.error(`constraints of '${name}' must be tables`, this.doc.valueRange([...path, i]) ?? nameRange);
          return;
        }
        const one: Dependency = { ...dep, spec: '', specRange: undefined };
        const oneExtras: Record<string, string | string[] | boolean> = {};
        this.poetryConstraint([...path, i], item, one, oneExtras);
        if (one.spec !== '') specs.push(one.spec);
        dep.specRange ??= one.specRange;
        if (one.kind !== kind) dep.kind = one.kind;
        if (one.source !== 'registry') dep.source = one.source;
        const condition = [oneExtras.python === undefined ? '' : `python ${String(oneExtras.python)}`, typeof oneExtras.markers === 'string' ? oneExtras.markers : '']
          .filter((c) => c !== '')
          .join('; ');
        constraints.push(condition === '' ? one.spec : `${one.spec} (${condition})`);
        for (const [k, v] of Object.entries(oneExtras)) if (k !== 'python' && k !== 'markers' && !(k in extras)) extras[k] = v;
      });
      dep.spec = specs.join(' || ');
      // The joined spec is not written anywhere as such; only a single constraint keeps its range.
      if (specs.length !== 1) delete dep.specRange;
      extras.constraints = constraints;
    } else {
      this.error(`dependency '${name}' must be a version string, a table or an array of tables`, this.doc.valueRange(path) ?? nameRange);
      return;
    }
    if (Object.keys(extras).length > 0) dep.extras = extras;
    this.manifest.dependencies.push(dep);
  }

  private poetryConstraint(path: TomlPath, table: Record<string, unknown>, dep: Dependency, extras: Record<string, string | string[] | boolean>): void {
    const version = own(table, 'version');
    if (typeof version === 'string') {
      dep.spec = version.trim();
      dep.specRange = this.doc.stringRange([...path, 'version']) ?? dep.nameRange;
    }
    const wanted = own(table, 'extras');
    if (Array.isArray(wanted)) extras.extras = wanted.filter((e): e is string => typeof e === 'string');
    if (own(table, 'optional') === true) {
      extras.optional = true;
      if (dep.kind === 'runtime') dep.kind = 'optional';
    }
    for (const key of ['python', 'markers', 'source', 'branch', 'tag', 'rev', 'subdirectory']) {
      const v = own(table, key);
      if (typeof v === 'string') extras[key] = v;
    }
    if (typeof own(table, 'git') === 'string') {
      dep.source = 'git';
      extras.git = own(table, 'git') as string;
    } else if (typeof own(table, 'path') === 'string') {
      dep.source = 'path';
      extras.path = own(table, 'path') as string;
      if (own(table, 'develop') === true) extras.develop = true;
    } else if (typeof own(table, 'url') === 'string') {
      dep.source = 'url';
      extras.url = own(table, 'url') as string;
    }
  }

  /** Poetry `[[tool.poetry.source]]`, uv `[[tool.uv.index]]` and `index-url`-style settings. */
  registryOptions(): void {
    const push = (option: string, path: TomlPath): void => {
      const v = this.doc.get(path);
      if (typeof v === 'string') this.manifest.registryOptions?.push({ option, value: v, range: this.doc.stringRange(path) ?? this.where(path) });
      else if (Array.isArray(v)) v.forEach((_item: unknown, i: number) => push(option, [...path, i]));
    };
    for (const [table, option] of [
      [['tool', 'poetry', 'source'], 'tool.poetry.source'],
      [['tool', 'uv', 'index'], 'tool.uv.index'],
      [['tool', 'pdm', 'source'], 'tool.pdm.source'],
    ] as const) {
      const sources = this.doc.get(table);
      if (Array.isArray(sources)) sources.forEach((_s: unknown, i: number) => push(option, [...table, i, 'url']));
    }
    for (const key of ['index-url', 'extra-index-url', 'find-links']) push(`tool.uv.${key}`, ['tool', 'uv', key]);
    for (const key of ['index-url', 'extra-index-url', 'find-links']) push(`tool.uv.pip.${key}`, ['tool', 'uv', 'pip', key]);
  }
}

/** Parses pyproject.toml text into its Python dependencies. Never throws. */
export function parsePyproject(text: string): ParsedManifest {
  const doc = new TomlDocument(text);
  const reader = new PyprojectReader(doc);
  try {
    reader.requirementArray(['project', 'dependencies'], 'runtime');
    const optional = doc.get(['project', 'optional-dependencies']);
    if (isTable(optional)) {
      for (const extra of Object.keys(optional)) reader.requirementArray(['project', 'optional-dependencies', extra], 'optional', extra);
    }
    reader.dependencyGroups();
    reader.requirementArray(['build-system', 'requires'], 'build');
    reader.requirementArray(['tool', 'uv', 'dev-dependencies'], 'dev', 'dev');
    reader.requirementArray(['tool', 'uv', 'constraint-dependencies'], 'constraint');
    reader.requirementArray(['tool', 'uv', 'override-dependencies'], 'override');
    const pdm = doc.get(['tool', 'pdm', 'dev-dependencies']);
    if (isTable(pdm)) for (const group of Object.keys(pdm)) reader.requirementArray(['tool', 'pdm', 'dev-dependencies', group], 'dev', group);
    reader.poetryTable(['tool', 'poetry', 'dependencies'], 'runtime');
    reader.poetryTable(['tool', 'poetry', 'dev-dependencies'], 'dev', 'dev');
    const groups = doc.get(['tool', 'poetry', 'group']);
    if (isTable(groups)) {
      for (const [group, body] of Object.entries(groups)) {
        // Poetry installs a non-optional group by default, so only dev-like or optional groups leave 'runtime'.
        const fallback: DependencyKind = own(body, 'optional') === true ? 'optional' : 'runtime';
        reader.poetryTable(['tool', 'poetry', 'group', group, 'dependencies'], kindForGroup(group, fallback), group);
      }
    }
    reader.registryOptions();
  } catch (error) {
    // Defensive: the reader is written not to throw; if it ever does, keep what was read so far.
    reader.manifest.errors.push({ message: `could not read pyproject.toml: ${String(error)}`, range: doc.range(0, 0) });
  }
  return reader.manifest;
}
