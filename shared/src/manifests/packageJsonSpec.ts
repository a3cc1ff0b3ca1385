import type { DependencySource } from '../model';

/**
 * What an npm dependency value means, in the spirit of npm's own spec classification:
 * which source the package comes from, and for `npm:` aliases which registry package is really installed.
 * Offsets are relative to the start of the spec string so callers can map them back into the file.
 */
export interface NpmSpecInfo {
  source: DependencySource;
  /** For `npm:real@range` aliases: the real package name and where it sits in the spec. */
  alias?: { name: string; nameStart: number; nameEnd: number };
  /** The version range that applies to the registry package (for an alias, the part after `real@`). */
  range: string;
  rangeStart: number;
  rangeEnd: number;
  /** The protocol or shorthand that decided the source (`git+ssh:`, `github:`, `file:`, `shorthand`, …). */
  protocol?: string;
}

const GIT_PROTOCOLS = ['git:', 'git+ssh:', 'git+http:', 'git+https:', 'git+file:'];
const HOSTED_GIT_PREFIXES = ['github:', 'gitlab:', 'bitbucket:', 'gist:'];
const PATH_PROTOCOLS = ['file:', 'link:', 'portal:'];

// `user/repo` or `user/repo#ref`: npm reads this as a GitHub repository, not a registry name.
const GITHUB_SHORTHAND = /^[^@/\s:#][^/\s:#]*\/[^/\s:#]+(?:#.*)?$/;
// scp-like git URLs such as `git@github.com:user/repo.git`.
const SCP_LIKE_GIT = /^[\w.-]+@[\w.-]+:[^/\s]/;
// Local paths npm accepts without the `file:` prefix.
const BARE_PATH = /^(?:\.{1,2}(?:[\\/]|$)|[\\/]|~[\\/]|[A-Za-z]:[\\/])/;

/** Classifies one dependency value from package.json. Pure and total: every string gets an answer. */
export function classifyNpmSpec(spec: string): NpmSpecInfo {
  const trimmedStart = spec.length - spec.trimStart().length;
  const trimmed = spec.trim();
  const whole = (source: DependencySource, protocol?: string): NpmSpecInfo => ({
    source,
    range: trimmed,
    rangeStart: trimmedStart,
    rangeEnd: trimmedStart + trimmed.length,
    ...(protocol ? { protocol } : {}),
  });
  const lower = trimmed.toLowerCase();

  if (lower.startsWith('npm:')) return classifyAlias(trimmed, trimmedStart);
  if (lower.startsWith('workspace:')) return whole('workspace', 'workspace:');
  for (const p of PATH_PROTOCOLS) if (lower.startsWith(p)) return whole('path', p);
  for (const p of GIT_PROTOCOLS) if (lower.startsWith(p)) return whole('git', p);
  for (const p of HOSTED_GIT_PREFIXES) if (lower.startsWith(p)) return whole('git', p);
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    // A URL that names a git repository (`….git`, optionally `#ref`) is cloned; anything else is a tarball.
    const beforeHash = lower.split('#')[0] ?? '';
    return /\.git\/?$/.test(beforeHash) ? whole('git', 'git-url') : whole('url', lower.slice(0, lower.indexOf(':') + 1));
  }
  if (SCP_LIKE_GIT.test(trimmed)) return whole('git', 'scp');
  if (BARE_PATH.test(trimmed) || /\.(?:tgz|tar\.gz|tar)$/i.test(trimmed)) return whole('path', 'bare-path');
  if (GITHUB_SHORTHAND.test(trimmed)) return whole('git', 'shorthand');
  return whole('registry');
}

// `npm:name@range`, `npm:@scope/name@range` or `npm:name` (any version).
function classifyAlias(trimmed: string, base: number): NpmSpecInfo {
  const body = trimmed.slice(4);
  const bodyStart = base + 4;
  const at = body.indexOf('@', body.startsWith('@') ? 1 : 0);
  const name = at === -1 ? body : body.slice(0, at);
  const range = at === -1 ? '' : body.slice(at + 1);
  const rangeStart = at === -1 ? bodyStart + body.length : bodyStart + at + 1;
  return {
    source: 'registry',
    protocol: 'npm:',
    alias: { name, nameStart: bodyStart, nameEnd: bodyStart + name.length },
    range,
    rangeStart,
    rangeEnd: rangeStart + range.length,
  };
}

/**
 * Splits an overrides key such as `foo@1`, `@scope/foo@^2` or `foo` into the package name and the
 * selector that limits which versions the override applies to.
 */
export function splitOverrideKey(key: string): { name: string; selector: string } {
  const at = key.indexOf('@', key.startsWith('@') ? 1 : 0);
  if (at === -1) return { name: key, selector: '' };
  return { name: key.slice(0, at), selector: key.slice(at + 1) };
}

/** The package a yarn `resolutions` or pnpm `overrides` key targets, with where its name starts in the key. */
export interface SelectorTarget {
  name: string;
  selector: string;
  /** Offset of `name` inside the key. */
  start: number;
  /** The packages the key goes through to reach it (`parent/**\/child`, `parent>child`). */
  parents: string[];
}

/**
 * Reads `**\/foo`, `parent/foo`, `@s/parent/@s/foo@1` (yarn) or `parent@1>foo@<2` (pnpm) keys:
 * the last package is the one overridden.
 */
export function selectorTarget(key: string, style: 'yarn' | 'pnpm'): SelectorTarget {
  const parts: Array<{ text: string; start: number }> = [];
  if (style === 'pnpm') {
    let start = 0;
    for (const text of key.split('>')) {
      parts.push({ text, start });
      start += text.length + 1;
    }
  } else {
    // Split at '/', keeping `@scope/name` together and dropping `**` / `*` globs.
    const segments = key.split('/');
    let offset = 0;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i] as string;
      const start = offset;
      offset += seg.length + 1;
      if (seg === '**' || seg === '*') continue;
      if (seg.startsWith('@') && i + 1 < segments.length) {
        const next = segments[++i] as string;
        parts.push({ text: `${seg}/${next}`, start });
        offset += next.length + 1;
      } else {
        parts.push({ text: seg, start });
      }
    }
  }
  const last = parts[parts.length - 1] ?? { text: '', start: 0 };
  const { name, selector } = splitOverrideKey(last.text);
  return { name, selector, start: last.start, parents: parts.slice(0, -1).map((p) => splitOverrideKey(p.text).name) };
}
