/**
 * Sandbox settings only the user's own config file may set (`~/.config/safe-install/config.toml`):
 * images (untrusted input must never choose the image), the fetch network mode and the install-script
 * allow-list. A project's package.json allow-lists (`allowScripts`, pnpm `onlyBuiltDependencies`) are
 * read separately: they are the project's own decision about its own dependencies.
 *
 *   [sandbox]
 *   network_mode = "bridge"          # fetch phase only; the build phase is always "none"
 *   allow_scripts = ["esbuild"]      # npm packages whose install scripts may run (offline)
 *   disk_limit = "2g"                # size cap of the build area package code writes to ("0" = no cap)
 *   [sandbox.images]
 *   pip = "python:3.12-slim@sha256:…"
 */
import { parse as parseToml } from 'smol-toml';
import { memoryBytes } from '../config/limits';
import type { Ecosystem } from '../model';

/** User-level sandbox settings. */
export interface UserSandboxSettings {
  images: Partial<Record<Ecosystem, string>>;
  networkMode?: string;
  allowScripts: string[];
  /** Size cap of the build area in bytes (0: none). */
  diskBytes?: number;
}

const IMAGE_KEYS: Record<string, Ecosystem> = { pip: 'PyPI', pypi: 'PyPI', python: 'PyPI', npm: 'npm', node: 'npm', cargo: 'crates.io', rust: 'crates.io', 'crates.io': 'crates.io', go: 'Go', golang: 'Go', gem: 'RubyGems', ruby: 'RubyGems', rubygems: 'RubyGems' };

/** Network modes the fetch phase accepts (never `container:…`, which would share another container's network). */
export const FETCH_NETWORK_MODES = /^(?:bridge|host|none|[A-Za-z0-9][A-Za-z0-9_.-]{0,63})$/;

/** Reads `[sandbox]` extras from the user's config text; malformed values are ignored. */
export function userSandboxSettings(text: string | undefined): UserSandboxSettings {
  const settings: UserSandboxSettings = { images: {}, allowScripts: [] };
  if (text === undefined) return settings;
  let data: Record<string, unknown>;
  try {
    data = parseToml(text) as Record<string, unknown>;
  } catch {
    return settings;
  }
  const sandbox = data['sandbox'];
  if (typeof sandbox !== 'object' || sandbox === null) return settings;
  const table = sandbox as Record<string, unknown>;
  const images = table['images'];
  if (typeof images === 'object' && images !== null) {
    for (const [key, value] of Object.entries(images)) {
      const eco = IMAGE_KEYS[key.toLowerCase()];
      if (eco && typeof value === 'string') settings.images[eco] = value;
    }
  }
  const mode = table['network_mode'];
  if (typeof mode === 'string' && FETCH_NETWORK_MODES.test(mode)) settings.networkMode = mode;
  const disk = table['disk_limit'];
  if (disk === '0' || disk === 0) settings.diskBytes = 0;
  else if (typeof disk === 'string' || typeof disk === 'number') {
    const bytes = memoryBytes(String(disk));
    if (bytes !== undefined && bytes > 0) settings.diskBytes = Math.floor(bytes);
  }
  const allow = table['allow_scripts'];
  if (Array.isArray(allow)) settings.allowScripts = allow.filter((a): a is string => typeof a === 'string');
  return settings;
}

/** npm packages a project's package.json allows to run install scripts (`allowScripts`, pnpm `onlyBuiltDependencies`). */
export function packageJsonScriptAllowList(text: string | undefined): string[] {
  if (text === undefined) return [];
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return [];
  }
  const out: string[] = [];
  const allowScripts = data['allowScripts'];
  // npm's allowScripts: { "name": true } or { "name@range": true }.
  if (typeof allowScripts === 'object' && allowScripts !== null) {
    for (const [key, value] of Object.entries(allowScripts)) {
      if (value !== true) continue;
      const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
      out.push(at > 0 ? key.slice(0, at) : key);
    }
  }
  const pnpm = data['pnpm'];
  if (typeof pnpm === 'object' && pnpm !== null) {
    const only = (pnpm as Record<string, unknown>)['onlyBuiltDependencies'];
    if (Array.isArray(only)) out.push(...only.filter((a): a is string => typeof a === 'string'));
  }
  return [...new Set(out)];
}
