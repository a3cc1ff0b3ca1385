/**
 * INTERIM: stand-ins used only while the shared parsers, detector and config loader are being written.
 * Each is the smallest thing that lets the server run end to end; engineAdapter.ts prefers the real
 * module as soon as it exists, and this file goes away then.
 */
import { parseTree, type Node as JsonNode, type ParseError as JsonParseError } from 'jsonc-parser';
import { parse as parseToml, stringify as stringifyToml, TomlError } from 'smol-toml';
import { DEFAULT_CONFIG, type SafeInstallConfig } from '../../../shared/src/config/schema';
import type { Dependency, Ecosystem, Finding, ManifestKind, ParsedManifest } from '../../../shared/src/model';
import { normalizeName } from '../../../shared/src/normalize';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import type { TyposquatDetector } from '../../../shared/src/typosquat/detector';
import type { ConfigLocations, LoadedConfig } from './serverEngine';

const ECOSYSTEM_OF: Record<ManifestKind, Ecosystem> = {
  requirements: 'PyPI',
  pyproject: 'PyPI',
  'package-json': 'npm',
  cargo: 'crates.io',
  'go-mod': 'Go',
  gemfile: 'RubyGems',
};

function dependency(ecosystem: Ecosystem, name: string, index: LineIndex, start: number): Dependency {
  return {
    ecosystem,
    name,
    normalizedName: normalizeName(ecosystem, name),
    spec: '',
    kind: 'runtime',
    source: 'registry',
    nameRange: index.rangeAt(start, start + name.length),
  };
}

/** INTERIM requirements reader: one name per line, options and comments skipped. */
function interimRequirements(text: string): ParsedManifest {
  const index = new LineIndex(text);
  const dependencies: Dependency[] = [];
  const line = /^[ \t]*([A-Za-z0-9][A-Za-z0-9._-]*)/gm;
  for (let m = line.exec(text); m; m = line.exec(text)) {
    const name = m[1] ?? '';
    dependencies.push(dependency('PyPI', name, index, m.index + m[0].length - name.length));
  }
  return { kind: 'requirements', ecosystem: 'PyPI', dependencies, errors: [] };
}

/** INTERIM package.json reader: the keys of the dependency objects. */
function interimPackageJson(text: string): ParsedManifest {
  const index = new LineIndex(text);
  const errors: JsonParseError[] = [];
  const root: JsonNode | undefined = parseTree(text, errors, { allowTrailingComma: true });
  const dependencies: Dependency[] = [];
  for (const prop of root?.type === 'object' ? (root.children ?? []) : []) {
    const [key, value] = prop.children ?? [];
    if (!key || !value || value.type !== 'object' || !/^(dev|peer|optional)?[dD]ependencies$/.test(String(key.value))) continue;
    for (const dep of value.children ?? []) {
      const depKey = dep.children?.[0];
      if (depKey && typeof depKey.value === 'string') dependencies.push(dependency('npm', depKey.value, index, depKey.offset + 1));
    }
  }
  return {
    kind: 'package-json',
    ecosystem: 'npm',
    dependencies,
    errors: errors.map((e) => ({ message: 'package.json is not valid JSON', range: index.rangeAt(e.offset, e.offset + Math.max(1, e.length)) })),
  };
}

/** INTERIM parser dispatch; kinds without a stand-in read as empty. */
export function interimParse(kind: ManifestKind, text: string): ParsedManifest {
  if (kind === 'requirements') return interimRequirements(text);
  if (kind === 'package-json') return interimPackageJson(text);
  return { kind, ecosystem: ECOSYSTEM_OF[kind], dependencies: [], errors: [] };
}

const INTERIM_POPULAR: Record<string, string[]> = {
  PyPI: ['requests', 'numpy', 'pandas', 'django', 'flask', 'urllib3', 'setuptools', 'boto3', 'pyyaml'],
  npm: ['react', 'lodash', 'express', 'axios', 'chalk', 'commander', 'typescript', 'webpack', 'moment'],
};

function osaDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** INTERIM detector: one edit (swaps count one) from a handful of well-known names. */
export const interimDetector: TyposquatDetector = {
  check(ecosystem, name) {
    const popular = INTERIM_POPULAR[ecosystem] ?? [];
    if (name.length < 4 || popular.includes(name)) return undefined;
    const intended = popular.find((p) => osaDistanceAtMostOne(name, p));
    return intended ? { intended, operator: 'edit-distance', reason: `one edit away from '${intended}'` } : undefined;
  },
};

/** INTERIM config loader: only `[typosquat]` of the project file, errors as config-error findings. */
export async function interimLoadConfig(locations: ConfigLocations): Promise<LoadedConfig> {
  const config: SafeInstallConfig = structuredClone(DEFAULT_CONFIG);
  const findings: Finding[] = [];
  for (const file of [locations.userConfigPath, locations.projectConfigPath]) {
    let text: string;
    try {
      text = await locations.reader.readText(file);
    } catch {
      continue;
    }
    try {
      const typosquat = parseToml(text).typosquat as { enabled?: unknown; allow?: unknown } | undefined;
      if (typeof typosquat?.enabled === 'boolean') config.typosquat.enabled = config.typosquat.enabled && typosquat.enabled;
      if (Array.isArray(typosquat?.allow)) config.typosquat.allow.push(...typosquat.allow.filter((a): a is string => typeof a === 'string'));
    } catch (error) {
      const line = error instanceof TomlError ? error.line - 1 : 0;
      const character = error instanceof TomlError ? error.column - 1 : 0;
      findings.push({
        rule: 'config-error',
        severity: 'error',
        message: `${file.split(/[\\/]/).pop() ?? file}: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
        ecosystem: 'PyPI',
        package: '',
        file,
        range: { start: { line, character }, end: { line, character: character + 1 } },
      });
    }
  }
  return { config, findings };
}

/** INTERIM allow-list writer (re-serialises the file; the real one keeps comments). */
export function interimAddTyposquatAllow(text: string, entry: string): string {
  const doc = text.trim() === '' ? {} : parseToml(text);
  const section = (doc.typosquat ?? {}) as Record<string, unknown>;
  const allow = Array.isArray(section.allow) ? section.allow : [];
  if (!allow.includes(entry)) allow.push(entry);
  doc.typosquat = { ...section, allow };
  return `${stringifyToml(doc)}\n`;
}
