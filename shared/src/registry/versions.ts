/**
 * The version a dependency spec would install, per ecosystem's own rules, so signals describe what the
 * user would actually get: npm ranges (dist-tag `latest` first, as npm does), Cargo requirements (a bare
 * `1.2` means `^1.2`), RubyGems requirements (`~>` pessimistic), PEP 440 specifiers, and Go's exact
 * module versions (pseudo-versions and `+incompatible` included).
 */
import * as pep440 from '@renovatebot/pep440';
import semver from 'semver';
import type { Ecosystem } from '../model';
import type { VersionInfo } from './types';

/** Picks the version `spec` resolves to among the published ones, or undefined when none matches or the spec is not a registry range. */
export function resolveVersion(ecosystem: Ecosystem, spec: string, versions: readonly VersionInfo[], distTags: Record<string, string> = {}): string | undefined {
  const trimmed = spec.trim();
  switch (ecosystem) {
    case 'npm':
      return resolveNpm(trimmed, versions, distTags);
    case 'crates.io':
      return resolveCargo(trimmed, versions);
    case 'RubyGems':
      return resolveGem(trimmed, versions);
    case 'PyPI':
      return resolvePep440(trimmed, versions);
    case 'Go':
      return resolveGo(trimmed, versions);
  }
}

function resolveNpm(spec: string, versions: readonly VersionInfo[], distTags: Record<string, string>): string | undefined {
  const all = versions.map((v) => v.version);
  const tagged = distTags[spec === '' ? 'latest' : spec];
  if (tagged) return tagged;
  const range = semver.validRange(spec === '' ? '*' : spec);
  if (range === null) return undefined;
  // npm prefers the `latest` tag whenever it satisfies the range.
  const latest = distTags.latest;
  if (latest && semver.satisfies(latest, range)) return latest;
  return semver.maxSatisfying(all, range) ?? undefined;
}

/** Cargo requirement syntax → node-semver range: bare versions are caret requirements. */
export function cargoToSemverRange(spec: string): string | null {
  if (spec === '' || spec === '*') return '*';
  const parts = spec.split(',').map((p) => p.trim()).filter(Boolean);
  const converted = parts.map((p) => (/^\d/.test(p) ? `^${p}` : p.replace(/^=\s*/, '')));
  return semver.validRange(converted.join(' '));
}

function resolveCargo(spec: string, versions: readonly VersionInfo[]): string | undefined {
  const range = cargoToSemverRange(spec);
  if (range === null) return undefined;
  // Cargo never picks a yanked version for a new resolution.
  const candidates = versions.filter((v) => !v.yanked).map((v) => v.version);
  return semver.maxSatisfying(candidates, range) ?? undefined;
}

/** RubyGems version segments: numbers compare numerically, strings (prerelease markers) sort before numbers. */
function gemSegments(version: string): Array<number | string> {
  return version.split(/\.|(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)/i).filter(Boolean).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** Compares RubyGems versions (Gem::Version semantics, close enough for resolution). */
export function compareGemVersions(a: string, b: string): number {
  const x = gemSegments(a);
  const y = gemSegments(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    if (typeof p === 'string' && typeof q === 'string') return p < q ? -1 : 1;
    return typeof p === 'string' ? -1 : 1;
  }
  return 0;
}

const isGemPrerelease = (v: string): boolean => /[a-z]/i.test(v);

/** Whether `version` meets one RubyGems requirement (`~> 1.2`, `>= 1`, `!= 2`, `1.0`). */
export function gemSatisfies(version: string, requirement: string): boolean {
  const m = /^\s*(~>|>=|<=|!=|>|<|=)?\s*([0-9][0-9A-Za-z.]*)\s*$/.exec(requirement);
  if (!m?.[2]) return false;
  const op = m[1] ?? '=';
  const target = m[2];
  const c = compareGemVersions(version, target);
  switch (op) {
    case '=':
      return c === 0;
    case '!=':
      return c !== 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '>=':
      return c >= 0;
    case '<=':
      return c <= 0;
    case '~>': {
      // ~> 1.2.3 means >= 1.2.3 and < 1.3; ~> 1.2 means >= 1.2 and < 2.
      const segs = target.split('.').filter((s) => /^\d+$/.test(s)).map(Number);
      const bump = segs.length > 1 ? segs.slice(0, -1) : segs.slice();
      bump[bump.length - 1] = (bump[bump.length - 1] ?? 0) + 1;
      return c >= 0 && compareGemVersions(version, bump.join('.')) < 0;
    }
    default:
      return false;
  }
}

function resolveGem(spec: string, versions: readonly VersionInfo[]): string | undefined {
  const requirements = spec.split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean);
  const wantsPre = requirements.some(isGemPrerelease);
  const candidates = versions
    .map((v) => v.version)
    .filter((v) => (wantsPre || !isGemPrerelease(v)) && requirements.every((r) => gemSatisfies(v, r)))
    .sort(compareGemVersions);
  return candidates[candidates.length - 1];
}

function resolvePep440(spec: string, versions: readonly VersionInfo[]): string | undefined {
  // Markers and extras never reach here; `==1.2` pins may select a yanked release (pip allows that), ranges may not.
  const specifier = spec.replace(/\s*;.*$/, '').trim();
  const pinned = /^===?\s*([^,*\s]+)$/.exec(specifier);
  if (pinned?.[1]) {
    const exact = versions.find((v) => pep440.eq(v.version, pinned[1] ?? '') || v.version === pinned[1]);
    if (exact) return exact.version;
  }
  const candidates = versions.filter((v) => !v.yanked && pep440.valid(v.version) !== null).map((v) => v.version);
  if (specifier === '') return pep440.maxSatisfying(candidates, '>=0') ?? undefined;
  if (!pep440.validRange(specifier)) return undefined;
  return pep440.maxSatisfying(candidates, specifier) ?? undefined;
}

/** Go pseudo-versions (`v0.0.0-20191109021931-daa7c04131f5`) carry their commit time. */
export function goPseudoVersionTime(version: string): Date | undefined {
  const m = /(?:^|[-.])(\d{14})-[0-9a-f]{12}(?:\+incompatible)?$/.exec(version);
  if (!m?.[1]) return undefined;
  const s = m[1];
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Compares Go module versions (semver with a `v`, `+incompatible` ignored). */
export function compareGoVersions(a: string, b: string): number {
  const ca = semver.coerce(a) && semver.valid(a.replace(/\+incompatible$/, '')) ? a.replace(/\+incompatible$/, '') : '0.0.0';
  const cb = semver.coerce(b) && semver.valid(b.replace(/\+incompatible$/, '')) ? b.replace(/\+incompatible$/, '') : '0.0.0';
  return semver.compare(ca, cb);
}

function resolveGo(spec: string, versions: readonly VersionInfo[]): string | undefined {
  // go.mod requires exact versions; Minimal Version Selection may pick higher ones, which only the
  // full build list knows. The required version is the honest answer for this line.
  if (/^v\d+\.\d+\.\d+/.test(spec)) return spec;
  if (spec === '' || spec === 'latest') {
    const sorted = versions.map((v) => v.version).filter((v) => semver.valid(v.replace(/\+incompatible$/, '')) && !semver.prerelease(v.replace(/\+incompatible$/, ''))).sort(compareGoVersions);
    return sorted[sorted.length - 1];
  }
  return undefined;
}
