/**
 * Which index each client talks to. Precedence: the user's own package-manager configuration
 * (npmrc, pip.conf, GOPROXY, cargo source replacement, gemrc), then `safe-install.toml` `[registries]`,
 * then the built-in defaults. Parsers take text (pure); file access goes through `ConfigFileIo`.
 */
import ini from 'ini';
import { load as loadYaml } from 'js-yaml';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import type { RegistriesConfig } from '../config/schema';
import { DEFAULT_ENDPOINTS, DEFAULT_GOPROXY } from './defaults';

/** Reads configuration files; resolves undefined when a file does not exist or cannot be read. */
export interface ConfigFileIo {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  /** The project (workspace or manifest) directory, for project-level `.npmrc` / `.cargo/config.toml`. */
  projectDir: string;
  readText(filePath: string): Promise<string | undefined>;
}

/** One GOPROXY list element and how failure moves on from it. */
export interface GoProxyEntry {
  /** A proxy URL, or `direct` / `off`. */
  url: string;
  /** `|` separator: fall through on any error; `,`: only on 404/410. */
  fallThroughOnError: boolean;
}

/** Resolved endpoints for every client. */
export interface Endpoints {
  npm: { registry: string; scopes: Record<string, string>; publicRegistry: string; downloads: string };
  /**
   * `indexes` may hold `file://` URLs and folders besides http(s) URLs (pip reads all of them);
   * `findLinks` are pip's `find-links` locations: folders, `file://` URLs or http(s) pages.
   */
  pypi: { indexes: string[]; json: string; publicSimple: string; publicJson: string; findLinks?: string[] };
  crates: { api: string; publicApi: string; replacement?: CargoReplacement };
  go: { proxies: GoProxyEntry[]; privatePatterns: string[]; publicProxy: string };
  rubygems: { sources: string[]; publicSource: string };
  osv: string;
  /** PEM text of extra CA certificates named by npm's `cafile` / pip's `cert`. */
  extraCaPem: string[];
  /** Where each non-default endpoint came from, for diagnostics. */
  notes: string[];
}

/** Cargo's replacement of crates.io by another source. */
export interface CargoReplacement {
  name: string;
  kind: 'sparse' | 'git' | 'local-registry' | 'directory';
  /** URL (sparse/git) or path (local/directory). */
  location: string;
}

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

function expandEnv(value: string, env: Readonly<Record<string, string | undefined>>): string {
  return value.replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? '');
}

/** npmrc: default registry, `@scope:registry` entries and `cafile`. Credentials are never read. */
export function parseNpmrc(text: string, env: Readonly<Record<string, string | undefined>> = {}): { registry?: string; scopes: Record<string, string>; cafile?: string } {
  const parsed = ini.parse(text) as Record<string, unknown>;
  const out: { registry?: string; scopes: Record<string, string>; cafile?: string } = { scopes: {} };
  for (const [key, raw] of Object.entries(parsed)) {
    if (typeof raw !== 'string') continue;
    const value = expandEnv(raw.trim(), env);
    if (key === 'registry') out.registry = trimSlash(value);
    else if (key === 'cafile') out.cafile = value;
    else {
      const scoped = /^(@[^:]+):registry$/.exec(key);
      if (scoped?.[1]) out.scopes[scoped[1].toLowerCase()] = trimSlash(value);
    }
  }
  return out;
}

/**
 * Python configparser syntax as pip reads it: `[section]`, `key = value` or `key: value`, indented
 * continuation lines (how pip.conf lists several extra indexes), `#`/`;` comment lines.
 */
export function parseConfigParser(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  let section: Record<string, string> | undefined;
  let lastKey: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(line)) continue;
    const header = /^\[([^\]]+)\]\s*$/.exec(line);
    if (header?.[1]) {
      section = out[header[1].trim()] ??= {};
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(line) && section && lastKey !== undefined) {
      section[lastKey] = `${section[lastKey] ?? ''}\n${line.trim()}`;
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (pair?.[1] && section) {
      lastKey = pair[1].trim().toLowerCase();
      section[lastKey] = (pair[2] ?? '').trim();
    }
  }
  return out;
}

/** pip.conf / pip.ini: `index-url`, `extra-index-url` and `find-links` (whitespace-separated) and `cert`, from `[global]` or `[install]`. */
export function parsePipConf(text: string): { indexUrl?: string; extraIndexUrls: string[]; findLinks: string[]; cert?: string } {
  const parsed = parseConfigParser(text);
  const out: { indexUrl?: string; extraIndexUrls: string[]; findLinks: string[]; cert?: string } = { extraIndexUrls: [], findLinks: [] };
  for (const name of ['global', 'install']) {
    const t = parsed[name];
    if (!t) continue;
    const index = t['index-url'] ?? t.index_url;
    if (index) out.indexUrl = trimSlash(index);
    const extra = t['extra-index-url'] ?? t.extra_index_url;
    if (extra) out.extraIndexUrls = extra.split(/\s+/).filter(Boolean).map(trimSlash);
    const links = t['find-links'] ?? t.find_links;
    if (links) out.findLinks = links.split(/\s+/).filter(Boolean);
    if (t.cert) out.cert = t.cert;
  }
  return out;
}

/** GOPROXY: a list separated by `,` (fall through on 404/410) or `|` (fall through on any error). */
export function parseGoproxy(value: string): GoProxyEntry[] {
  const entries: GoProxyEntry[] = [];
  const re = /([^,|]+)([,|]?)/g;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    const url = (m[1] ?? '').trim();
    if (!url) continue;
    entries.push({ url: url === 'direct' || url === 'off' ? url : trimSlash(url), fallThroughOnError: m[2] === '|' });
  }
  return entries;
}

/** go env file (`go env -w`): KEY=value lines. */
export function parseGoEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m?.[1]) out[m[1]] = (m[2] ?? '').trim();
  }
  return out;
}

/** GOPRIVATE/GONOPROXY glob patterns match a module path prefix, element by element (as `path.Match`). */
export function matchesGoPrivate(patterns: readonly string[], modulePath: string): boolean {
  const elements = modulePath.split('/');
  return patterns.some((pattern) => {
    const parts = pattern.split('/').filter(Boolean);
    if (parts.length === 0 || parts.length > elements.length) return false;
    return parts.every((part, i) => globElement(part, elements[i] ?? ''));
  });
}

function globElement(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
  return re.test(value);
}

/** Cargo config: where `crates-io` is replaced to, if anywhere. */
export function parseCargoConfig(text: string): CargoReplacement | undefined {
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const sources = doc.source as Record<string, Record<string, unknown>> | undefined;
  const target = sources?.['crates-io']?.['replace-with'];
  if (typeof target !== 'string') return undefined;
  const source = sources?.[target];
  if (!source) return undefined;
  if (typeof source.registry === 'string') {
    const reg = source.registry;
    return reg.startsWith('sparse+')
      ? { name: target, kind: 'sparse', location: trimSlash(reg.slice('sparse+'.length)) }
      : { name: target, kind: 'git', location: reg };
  }
  if (typeof source['local-registry'] === 'string') return { name: target, kind: 'local-registry', location: source['local-registry'] };
  if (typeof source.directory === 'string') return { name: target, kind: 'directory', location: source.directory };
  return undefined;
}

/** ~/.gemrc: the `:sources:` list. */
export function parseGemrc(text: string): string[] {
  try {
    const doc = loadYaml(text) as Record<string, unknown> | null;
    const sources = doc?.[':sources'] ?? doc?.sources;
    return Array.isArray(sources) ? sources.filter((s): s is string => typeof s === 'string').map(trimSlash) : [];
  } catch {
    return [];
  }
}

/** `[registries]` of safe-install.toml, from its parsed TOML table (unknown keys ignored). */
export function registriesFromToml(table: unknown): RegistriesConfig {
  if (typeof table !== 'object' || table === null) return {};
  const t = table as Record<string, unknown>;
  const str = (k: string): string | undefined => (typeof t[k] === 'string' ? trimSlash(t[k] as string) : undefined);
  const out: RegistriesConfig = {};
  const pairs: Array<[keyof RegistriesConfig, string]> = [
    ['npm', 'npm'],
    ['npmDownloads', 'npm_downloads'],
    ['pypiIndex', 'pypi_index'],
    ['pypiJson', 'pypi_json'],
    ['crates', 'crates'],
    ['goProxy', 'go_proxy'],
    ['rubygems', 'rubygems'],
    ['osv', 'osv'],
  ];
  for (const [field, key] of pairs) {
    const value = str(key);
    if (value !== undefined) (out as Record<string, unknown>)[field] = value;
  }
  const extra = t.pypi_extra_indexes;
  if (Array.isArray(extra)) out.pypiExtraIndexes = extra.filter((s): s is string => typeof s === 'string').map(trimSlash);
  return out;
}

/**
 * A pip index or find-links entry as the clients read it: URLs (any scheme) as written without a
 * trailing slash, plain paths made absolute (`~` is the home folder; relative paths are taken from
 * the project folder, where pip would be run).
 */
export function localizePipEntry(entry: string, homeDir: string, projectDir: string): string {
  const value = entry.trim();
  // Two or more letters before the colon: a scheme, not a Windows drive.
  if (/^[a-z][a-z0-9+.-]+:/i.test(value)) return trimSlash(value) || value;
  const expanded = value === '~' ? homeDir : /^~[\\/]/.test(value) ? path.join(homeDir, value.slice(2)) : value;
  return path.resolve(projectDir, expanded);
}

/** The PyPI JSON API that belongs to a simple index (`…/simple` → `…/pypi`), when it is the public one. */
function jsonApiFor(simpleIndex: string): string | undefined {
  const m = /^(https?:\/\/[^/]+)\/simple$/.exec(trimSlash(simpleIndex));
  return m?.[1] ? `${m[1]}/pypi` : undefined;
}

/** Resolves every endpoint from the package managers' configs, safe-install.toml and the defaults. */
export async function resolveEndpoints(io: ConfigFileIo, registries: RegistriesConfig = {}): Promise<Endpoints> {
  const env = io.env;
  const home = io.homeDir;
  const notes: string[] = [];
  const caFiles: string[] = [];

  // npm: user npmrc, then project npmrc, then the environment win (npm's own order, lowest first).
  const npmScopes: Record<string, string> = {};
  let npmRegistry: string | undefined;
  for (const file of [env.NPM_CONFIG_USERCONFIG ?? env.npm_config_userconfig ?? path.join(home, '.npmrc'), path.join(io.projectDir, '.npmrc')]) {
    const text = await io.readText(file);
    if (text === undefined) continue;
    const rc = parseNpmrc(text, env);
    if (rc.registry) {
      npmRegistry = rc.registry;
      notes.push(`npm registry ${rc.registry} from ${file}`);
    }
    Object.assign(npmScopes, rc.scopes);
    if (rc.cafile) caFiles.push(rc.cafile);
  }
  const envRegistry = env.npm_config_registry ?? env.NPM_CONFIG_REGISTRY;
  if (envRegistry) npmRegistry = trimSlash(envRegistry);

  // pip: config files (global < user), then PIP_* variables.
  let pipIndex: string | undefined;
  let pipExtra: string[] = [];
  let pipFindLinks: string[] = [];
  const pipFiles = env.PIP_CONFIG_FILE ? [env.PIP_CONFIG_FILE] : ['/etc/pip.conf', path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'pip', 'pip.conf'), path.join(home, '.pip', 'pip.conf')];
  if (env.APPDATA) pipFiles.push(path.join(env.APPDATA, 'pip', 'pip.ini'));
  if (env.VIRTUAL_ENV) pipFiles.push(path.join(env.VIRTUAL_ENV, 'pip.conf'));
  for (const file of pipFiles) {
    const text = await io.readText(file);
    if (text === undefined) continue;
    const conf = parsePipConf(text);
    if (conf.indexUrl) pipIndex = conf.indexUrl;
    if (conf.extraIndexUrls.length > 0) pipExtra = conf.extraIndexUrls;
    if (conf.findLinks.length > 0) pipFindLinks = conf.findLinks;
    if (conf.cert) caFiles.push(conf.cert);
  }
  if (env.PIP_INDEX_URL) pipIndex = trimSlash(env.PIP_INDEX_URL);
  if (env.PIP_EXTRA_INDEX_URL) pipExtra = env.PIP_EXTRA_INDEX_URL.split(/\s+/).filter(Boolean).map(trimSlash);
  if (env.PIP_FIND_LINKS) pipFindLinks = env.PIP_FIND_LINKS.split(/\s+/).filter(Boolean);
  if (env.PIP_CERT) caFiles.push(env.PIP_CERT);
  const localize = (entry: string): string => localizePipEntry(entry, home, io.projectDir);
  if (pipIndex !== undefined) pipIndex = localize(pipIndex);
  pipExtra = pipExtra.map(localize);
  pipFindLinks = [...new Set(pipFindLinks.map(localize))];
  for (const entry of [pipIndex, ...pipExtra].filter((e): e is string => e !== undefined && !/^https?:/i.test(e))) notes.push(`pip index ${entry} is not an http(s) URL`);
  if (pipFindLinks.length > 0) notes.push(`pip find-links: ${pipFindLinks.join(', ')}`);
  const primaryIndex = pipIndex ?? registries.pypiIndex ?? DEFAULT_ENDPOINTS.pypiSimple;
  const extraIndexes = pipIndex || pipExtra.length > 0 ? pipExtra : (registries.pypiExtraIndexes ?? []);
  const pypiJson = registries.pypiJson ?? jsonApiFor(primaryIndex) ?? DEFAULT_ENDPOINTS.pypiJson;

  // Go: the environment beats the go env file.
  const goEnvText = await io.readText(env.GOENV ?? path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'go', 'env'));
  const goEnv = goEnvText ? parseGoEnvFile(goEnvText) : {};
  const goproxyValue = env.GOPROXY ?? goEnv.GOPROXY ?? (registries.goProxy ? `${registries.goProxy},direct` : DEFAULT_GOPROXY);
  const goPrivate = (env.GONOPROXY ?? goEnv.GONOPROXY ?? env.GOPRIVATE ?? goEnv.GOPRIVATE ?? '').split(',').map((s) => s.trim()).filter(Boolean);

  // Cargo: project config beats the user's.
  let replacement: CargoReplacement | undefined;
  const cargoHome = env.CARGO_HOME ?? path.join(home, '.cargo');
  for (const file of [path.join(cargoHome, 'config.toml'), path.join(cargoHome, 'config'), path.join(io.projectDir, '.cargo', 'config.toml')]) {
    const text = await io.readText(file);
    const found = text === undefined ? undefined : parseCargoConfig(text);
    if (found) {
      replacement = found;
      notes.push(`crates.io replaced by ${found.kind} source ${found.location} (${file})`);
    }
  }

  // RubyGems: ~/.gemrc sources.
  const gemrc = await io.readText(env.GEMRC ?? path.join(home, '.gemrc'));
  const gemSources = gemrc ? parseGemrc(gemrc) : [];

  const extraCaPem: string[] = [];
  for (const file of [...new Set(caFiles)]) {
    const pem = await io.readText(file);
    if (pem && pem.includes('BEGIN CERTIFICATE')) extraCaPem.push(pem);
  }

  const crates: Endpoints['crates'] = { api: registries.crates ?? DEFAULT_ENDPOINTS.crates, publicApi: DEFAULT_ENDPOINTS.crates };
  if (replacement) crates.replacement = replacement;
  return {
    npm: {
      registry: npmRegistry ?? registries.npm ?? DEFAULT_ENDPOINTS.npmRegistry,
      scopes: npmScopes,
      publicRegistry: registries.npm ?? DEFAULT_ENDPOINTS.npmRegistry,
      downloads: registries.npmDownloads ?? DEFAULT_ENDPOINTS.npmDownloads,
    },
    pypi: { indexes: [primaryIndex, ...extraIndexes.filter((u) => u !== primaryIndex)], json: pypiJson, publicSimple: registries.pypiIndex ?? DEFAULT_ENDPOINTS.pypiSimple, publicJson: registries.pypiJson ?? DEFAULT_ENDPOINTS.pypiJson, findLinks: pipFindLinks },
    crates,
    go: { proxies: parseGoproxy(goproxyValue), privatePatterns: goPrivate, publicProxy: registries.goProxy ?? DEFAULT_ENDPOINTS.goProxy },
    rubygems: { sources: gemSources.length > 0 ? gemSources : [registries.rubygems ?? DEFAULT_ENDPOINTS.rubygems], publicSource: registries.rubygems ?? DEFAULT_ENDPOINTS.rubygems },
    osv: registries.osv ?? DEFAULT_ENDPOINTS.osv,
    extraCaPem,
    notes,
  };
}
