/**
 * The `[sandbox]` keys only the installer reads: images, the fetch phase's network mode, the install-script
 * allow-list and the build area's size cap. All but `disk_limit` are user-only (see mergeConfig): untrusted
 * input must never choose the image, the network or which packages may run scripts.
 */
import type { Ecosystem, Range } from '../model';
import { isImageReference } from '../sandbox/images';
import { CONFIG_RULES, type ConfigFinding } from './configFinding';
import { ECOSYSTEM_ALIASES, ecosystemFromAlias } from './ecosystemAliases';
import { diskLimitBytes } from './limits';
import type { SafeInstallConfig } from './schema';

/** Network modes the fetch phase accepts (never `container:…`, which would share another container's network). */
export const FETCH_NETWORK_MODES = /^(?:bridge|host|none|[A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/;

/** Per-ecosystem image overrides. */
export type SandboxImages = Partial<Record<Ecosystem, string>>;

/** What the installer needs from the effective `[sandbox]` table (the shape the sandbox settings reader returned). */
export interface InstallerSandboxSettings {
  images: SandboxImages;
  networkMode?: string;
  allowScripts: string[];
  /** Size cap of the build area in bytes (0: none); absent when no config sets one. */
  diskBytes?: number;
}

/** `network_mode` when it is a string the fetch phase accepts. */
export function readNetworkMode(raw: unknown): string | undefined {
  return typeof raw === 'string' && FETCH_NETWORK_MODES.test(raw) ? raw : undefined;
}

/** `disk_limit` as written (`"2g"`, `"0"`, or a bare number of bytes), when it is a size or zero. */
export function readDiskLimit(raw: unknown): string | undefined {
  const text = typeof raw === 'number' && Number.isFinite(raw) && raw >= 0 ? String(raw) : typeof raw === 'string' ? raw.trim() : undefined;
  return text !== undefined && diskLimitBytes(text) !== undefined ? text : undefined;
}

/**
 * `[sandbox.images]`: each entry is checked on its own, so one typo costs that entry only. Unknown
 * ecosystems are warnings, values that are not plain image references errors, both at the entry's key.
 */
export function readSandboxImages(table: Record<string, unknown>, keyRange: (name: string) => Range): { value: SandboxImages; findings: ConfigFinding[] } {
  const value: SandboxImages = {};
  const findings: ConfigFinding[] = [];
  for (const [name, raw] of Object.entries(table)) {
    const key = `sandbox.images.${name}`;
    const ecosystem = ecosystemFromAlias(name);
    if (ecosystem === undefined) {
      findings.push({
        rule: CONFIG_RULES.unknownKey,
        severity: 'warning',
        message: `Unknown ecosystem '${name}' in [sandbox.images] is ignored (known: ${Object.keys(ECOSYSTEM_ALIASES).join(', ')})`,
        range: keyRange(name),
        key,
      });
    } else if (typeof raw !== 'string' || !isImageReference(raw)) {
      findings.push({
        rule: CONFIG_RULES.error,
        severity: 'error',
        message: `'${key}' must be an image reference such as "python:3.12-slim@sha256:…"; this value is ignored`,
        range: keyRange(name),
        key,
      });
    } else {
      value[ecosystem] = raw;
    }
  }
  return { value, findings };
}

/** The installer's settings from the effective config (replaces reading the user file a second time). */
export function installerSandboxSettings(sandbox: SafeInstallConfig['sandbox']): InstallerSandboxSettings {
  const settings: InstallerSandboxSettings = { images: { ...sandbox.images }, allowScripts: [...(sandbox.allowScripts ?? [])] };
  if (sandbox.networkMode !== undefined) settings.networkMode = sandbox.networkMode;
  const diskBytes = sandbox.diskLimit === undefined ? undefined : diskLimitBytes(sandbox.diskLimit);
  if (diskBytes !== undefined) settings.diskBytes = diskBytes;
  return settings;
}
