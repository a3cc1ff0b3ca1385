import { intelligenceFromToml } from '../intelligence/settings';
import type { Range } from '../model';
import { isTable, TomlDocument } from '../toml/document';
import { readRegistriesTable } from './registriesTable';
import { CONFIG_RULES, type ConfigFinding } from './configFinding';
import { readDiskLimit, readNetworkMode, readSandboxImages, type SandboxImages } from './installerSettings';
import { isCpuLimit, isMemoryLimit } from './limits';
import type { IntelligenceConfig, RegistriesConfig } from './schema';

/** Every setting a config file may hold, by its dotted TOML key, with the type it has once read. */
export interface ConfigValues {
  'sandbox.enabled': boolean;
  'sandbox.memory_limit': string;
  'sandbox.cpu_limit': string;
  'sandbox.timeout': number;
  'sandbox.network_mode': string;
  'sandbox.allow_scripts': string[];
  'sandbox.disk_limit': string;
  'vault.extra_paths': string[];
  'vault.extra_env_vars': string[];
  'network.allowed_hosts': string[];
  'typosquat.enabled': boolean;
  'typosquat.allow': string[];
}

export type ConfigKey = keyof ConfigValues;

/** A whole table read by its owning module's reader, with the position of each key it holds (snake_case). */
export interface ConfigTableSetting<T> {
  value: T;
  range: Range;
  keyRanges: Record<string, Range>;
}

/**
 * What one file sets: each present key with its value and where it is written. `[registries]` and
 * `[intelligence]` are read as whole tables (the intelligence module's reader owns the latter's keys).
 */
export type ConfigLayer = { [K in ConfigKey]?: { value: ConfigValues[K]; range: Range } } & {
  /** `[sandbox.images]`, read entry by entry (a bad entry costs that entry only). */
  'sandbox.images'?: { value: SandboxImages; range: Range };
  registries?: ConfigTableSetting<RegistriesConfig>;
  intelligence?: ConfigTableSetting<IntelligenceConfig>;
};

/** The result of reading one config file's text. */
export interface ConfigFileContents {
  layer: ConfigLayer;
  findings: ConfigFinding[];
}

type Reader<T> = (raw: unknown) => T | undefined;

const readBoolean: Reader<boolean> = (raw) => (typeof raw === 'boolean' ? raw : undefined);
const readStringArray: Reader<string[]> = (raw) =>
  Array.isArray(raw) && raw.every((item) => typeof item === 'string') ? [...(raw as string[])] : undefined;
const readMemory: Reader<string> = (raw) => (typeof raw === 'string' && isMemoryLimit(raw) ? raw.trim() : undefined);
const readCpu: Reader<string> = (raw) => {
  // The seed wrote `cpu_limit = "2"`; a bare number means the same and is accepted too.
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  return text !== undefined && isCpuLimit(text) ? text : undefined;
};
const readTimeout: Reader<number> = (raw) => (typeof raw === 'number' && Number.isInteger(raw) && raw > 0 ? raw : undefined);

/** How each key is read and what its value must look like (for the error message). */
const KEY_READERS: { [K in ConfigKey]: { read: Reader<ConfigValues[K]>; expected: string } } = {
  'sandbox.enabled': { read: readBoolean, expected: 'true or false' },
  'sandbox.memory_limit': { read: readMemory, expected: 'a size such as "512m" or "2g"' },
  'sandbox.cpu_limit': { read: readCpu, expected: 'a positive number of CPUs such as "2" or "0.5"' },
  'sandbox.timeout': { read: readTimeout, expected: 'a positive whole number of seconds' },
  'sandbox.network_mode': { read: readNetworkMode, expected: '"registry-only" (the default) or a Docker network mode such as "bridge", "none" or a network name' },
  'sandbox.allow_scripts': { read: readStringArray, expected: 'an array of package names' },
  'sandbox.disk_limit': { read: readDiskLimit, expected: 'a size such as "512m" or "2g", or "0" for no cap' },
  'vault.extra_paths': { read: readStringArray, expected: 'an array of strings' },
  'vault.extra_env_vars': { read: readStringArray, expected: 'an array of strings' },
  'network.allowed_hosts': { read: readStringArray, expected: 'an array of strings' },
  'typosquat.enabled': { read: readBoolean, expected: 'true or false' },
  'typosquat.allow': { read: readStringArray, expected: 'an array of strings' },
};

/** Tables read whole; their keys are not checked one by one here. */
const DELEGATED_TABLES = { registries: readRegistriesTable, intelligence: intelligenceFromToml } as const;

const KNOWN_TABLES = new Set([...Object.keys(KEY_READERS).map((key) => key.split('.')[0] ?? ''), ...Object.keys(DELEGATED_TABLES)]);

/**
 * Reads a config file's text (pure). Never throws: a syntax error becomes one `config-error` finding and
 * an empty layer; a wrong value is an error at its key and that key is left out; unknown keys are warnings.
 */
export function readConfigText(text: string): ConfigFileContents {
  const document = new TomlDocument(text);
  if (!document.valid) {
    // The scanner could recover the lines that parse, but half a security config is worse than none.
    const findings = document.errors.map((error): ConfigFinding => ({
      rule: CONFIG_RULES.error,
      severity: 'error',
      message: `${error.message}; the whole file is ignored until it parses`,
      range: error.range,
    }));
    return { layer: {}, findings };
  }
  // A table without a `key = ` line of its own (e.g. made by `[a.b]` only) still has the key that made it.
  const rangeOf = (path: string[]): Range => document.keyRange(path) ?? document.range(0, 0);
  const layer: ConfigLayer = {};
  const findings: ConfigFinding[] = [];

  for (const [tableName, table] of Object.entries(document.value)) {
    if (!KNOWN_TABLES.has(tableName)) {
      findings.push(unknownKey(tableName, rangeOf([tableName])));
      continue;
    }
    if (!isTable(table)) {
      findings.push(notATable(tableName, rangeOf([tableName])));
      continue;
    }
    if (tableName === 'registries' || tableName === 'intelligence') {
      const keyRanges: Record<string, Range> = {};
      for (const name of Object.keys(table)) keyRanges[name] = rangeOf([tableName, name]);
      const setting = { range: rangeOf([tableName]), keyRanges };
      if (tableName === 'registries') layer.registries = { value: readRegistriesTable(table), ...setting };
      else layer.intelligence = { value: intelligenceFromToml(table), ...setting };
      continue;
    }
    for (const [name, raw] of Object.entries(table)) {
      const dotted = `${tableName}.${name}`;
      const range = rangeOf([tableName, name]);
      if (dotted === 'sandbox.images') {
        if (!isTable(raw)) {
          findings.push(notATable(dotted, range));
          continue;
        }
        const images = readSandboxImages(raw, (image) => rangeOf([tableName, name, image]));
        layer['sandbox.images'] = { value: images.value, range };
        findings.push(...images.findings);
        continue;
      }
      if (!isConfigKey(dotted)) {
        findings.push(unknownKey(dotted, range));
        continue;
      }
      if (!setLayerValue(layer, dotted, raw, range)) {
        findings.push({
          rule: CONFIG_RULES.error,
          severity: 'error',
          message: `'${dotted}' must be ${KEY_READERS[dotted].expected}; this value is ignored`,
          range,
          key: dotted,
        });
      }
    }
  }
  return { layer, findings };
}

function setLayerValue<K extends ConfigKey>(layer: ConfigLayer, key: K, raw: unknown, range: Range): boolean {
  const value = KEY_READERS[key].read(raw);
  if (value === undefined) return false;
  (layer as Record<K, { value: ConfigValues[K]; range: Range }>)[key] = { value, range };
  return true;
}

function isConfigKey(key: string): key is ConfigKey {
  return Object.prototype.hasOwnProperty.call(KEY_READERS, key);
}

function notATable(key: string, range: Range): ConfigFinding {
  return { rule: CONFIG_RULES.error, severity: 'error', message: `'${key}' must be a table ([${key}])`, range, key };
}

function unknownKey(key: string, range: Range): ConfigFinding {
  const known = [...Object.keys(KEY_READERS), ...['sandbox.images', ...Object.keys(DELEGATED_TABLES)].map((table) => `[${table}]`)].join(', ');
  return {
    rule: CONFIG_RULES.unknownKey,
    severity: 'warning',
    message: `Unknown setting '${key}' is ignored (known settings: ${known})`,
    range,
    key,
  };
}
