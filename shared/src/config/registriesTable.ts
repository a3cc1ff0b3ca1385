import type { RegistriesConfig } from './schema';

/** snake_case key in `[registries]` → RegistriesConfig field (URLs; `pypi_extra_indexes` is a list). */
const REGISTRY_KEYS: ReadonlyArray<[string, Exclude<keyof RegistriesConfig, 'pypiExtraIndexes'>]> = [
  ['npm', 'npm'],
  ['npm_downloads', 'npmDownloads'],
  ['pypi_index', 'pypiIndex'],
  ['pypi_json', 'pypiJson'],
  ['crates', 'crates'],
  ['go_proxy', 'goProxy'],
  ['rubygems', 'rubygems'],
  ['osv', 'osv'],
];

const trimSlash = (url: string): string => url.replace(/\/+$/, '');

/**
 * `[registries]` from a parsed TOML table. Kept here rather than importing the registry module's reader,
 * so loading config does not pull the package-manager config parsers into every bundle.
 */
export function readRegistriesTable(table: Record<string, unknown>): RegistriesConfig {
  const out: RegistriesConfig = {};
  for (const [key, field] of REGISTRY_KEYS) {
    const value = table[key];
    if (typeof value === 'string') out[field] = trimSlash(value);
  }
  const extra = table['pypi_extra_indexes'];
  if (Array.isArray(extra)) out.pypiExtraIndexes = extra.filter((url): url is string => typeof url === 'string').map(trimSlash);
  return out;
}
