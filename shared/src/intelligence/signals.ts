/**
 * Signals: pure functions from gathered facts to findings-to-be. Each has a rule id, a severity and its
 * evidence in the message; thresholds come from `[intelligence]`. A package whose facts could not all be
 * gathered gets exactly one `intelligence-unavailable` signal saying why — never silence.
 */
import type { Severity } from '../model';
import type { OsvRecord, OsvSeverity } from '../registry/clients/osv';
import type { PackageInfo, VersionInfo } from '../registry/types';
import { NPM_INSTALL_HOOKS } from '../registry/clients/npm';
import type { PackageFacts } from './facts';
import { pinnedVersion } from './facts';
import type { IntelligenceSettings } from './settings';

/** Every rule this module can produce. */
export const INTELLIGENCE_RULES = [
  'malware',
  'vulnerability',
  'unknown-package',
  'dependency-confusion',
  'new-package',
  'fresh-release',
  'dormant-reactivated',
  'maintainer-change',
  'low-downloads',
  'install-scripts',
  'deprecated',
  'yanked',
  'no-repository',
  'intelligence-unavailable',
] as const;

/** A signal about one package; `aboutVersion` marks those tied to the resolved version (shown on the spec). */
export interface Signal {
  rule: (typeof INTELLIGENCE_RULES)[number];
  severity: Severity;
  message: string;
  aboutVersion: boolean;
  data?: Record<string, unknown>;
}

const DAY = 24 * 60 * 60 * 1000;

/** "3 days", "5 hours", "2.1 years". */
export function describeAge(ms: number): string {
  const hours = ms / (60 * 60 * 1000);
  if (hours < 48) return `${Math.max(0, Math.round(hours))} hour${Math.round(hours) === 1 ? '' : 's'}`;
  const days = ms / DAY;
  if (days < 365) return `${Math.round(days)} days`;
  return `${(days / 365).toFixed(1)} years`;
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

const VULN_SEVERITY: Record<OsvSeverity, Severity> = { critical: 'error', high: 'warning', moderate: 'warning', low: 'information', unknown: 'warning' };
const SEVERITY_RANK: OsvSeverity[] = ['critical', 'high', 'moderate', 'low', 'unknown'];

function host(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function dated(versions: readonly VersionInfo[]): Array<VersionInfo & { publishedAt: Date }> {
  return versions.filter((v): v is VersionInfo & { publishedAt: Date } => v.publishedAt instanceof Date).sort((a, b) => a.publishedAt.getTime() - b.publishedAt.getTime());
}

function advisorySignals(facts: PackageFacts): Signal[] {
  const out: Signal[] = [];
  const { name } = facts.target;
  const malware = facts.advisories.filter((a) => a.malicious);
  if (malware.length > 0) {
    const first = malware[0] as OsvRecord;
    out.push({
      rule: 'malware',
      severity: 'error',
      message: `'${name}'${facts.osvVersioned ? ` ${facts.resolvedVersion}` : ''} is known malware: ${malware.map((m) => m.id).join(', ')}${first.summary ? ` (${first.summary})` : ''}. Do not install it; a machine that did should be treated as compromised.`,
      aboutVersion: false,
      data: { ids: malware.map((m) => m.id), urls: malware.map((m) => m.url) },
    });
  }
  const vulns = facts.advisories.filter((a) => !a.malicious);
  // Without a resolved version OSV answers for every version ever published: too broad to put on the line.
  if (vulns.length > 0 && facts.osvVersioned) {
    const sorted = [...vulns].sort((a, b) => SEVERITY_RANK.indexOf(a.severity) - SEVERITY_RANK.indexOf(b.severity));
    const worst = (sorted[0] as OsvRecord).severity;
    const shown = sorted.slice(0, 5).map((v) => `${v.id}${v.severity === 'unknown' ? '' : ` (${v.severity})`}`);
    out.push({
      rule: 'vulnerability',
      severity: VULN_SEVERITY[worst],
      message: `${name} ${facts.resolvedVersion} has ${vulns.length} known vulnerabilit${vulns.length === 1 ? 'y' : 'ies'}: ${shown.join(', ')}${vulns.length > 5 ? `, and ${vulns.length - 5} more` : ''}`,
      aboutVersion: true,
      data: { ids: sorted.map((v) => v.id), worst, version: facts.resolvedVersion },
    });
  }
  return out;
}

function ageSignals(info: PackageInfo, facts: PackageFacts, settings: IntelligenceSettings, now: number): Signal[] {
  const out: Signal[] = [];
  const versions = dated(info.versions);
  const created = info.createdAt ?? versions[0]?.publishedAt;
  if (created) {
    const age = now - created.getTime();
    if (age < settings.newPackageDays * DAY || age < settings.newPackageWeakDays * DAY) {
      const strong = age < settings.newPackageDays * DAY;
      out.push({
        rule: 'new-package',
        severity: strong ? 'warning' : 'information',
        message: `'${info.name}' was first published ${describeAge(age)} ago (${isoDay(created)}); new packages are where most malware lives`,
        aboutVersion: false,
        data: { createdAt: created.toISOString(), ageDays: Math.floor(age / DAY) },
      });
    }
  }
  const resolved = info.versions.find((v) => v.version === facts.resolvedVersion);
  if (resolved?.publishedAt && versions.length > 1) {
    const age = now - resolved.publishedAt.getTime();
    if (age < settings.minReleaseAgeHours * 60 * 60 * 1000 && age >= -DAY) {
      out.push({
        rule: 'fresh-release',
        severity: 'warning',
        message: `${info.name} ${resolved.version} was published ${describeAge(age)} ago; hijacked releases are usually caught within days — pin an older version or wait ${settings.minReleaseAgeHours} h`,
        aboutVersion: true,
        data: { version: resolved.version, publishedAt: resolved.publishedAt.toISOString() },
      });
    }
  }
  const newest = versions[versions.length - 1];
  const previous = versions[versions.length - 2];
  if (newest && previous) {
    const gap = newest.publishedAt.getTime() - previous.publishedAt.getTime();
    if (gap >= settings.dormantDays * DAY && now - newest.publishedAt.getTime() <= settings.reactivationWindowDays * DAY) {
      out.push({
        rule: 'dormant-reactivated',
        severity: 'warning',
        message: `${info.name} had no release for ${describeAge(gap)} before ${newest.version} (${isoDay(newest.publishedAt)}); revived packages are a takeover pattern`,
        aboutVersion: false,
        data: { version: newest.version, gapDays: Math.floor(gap / DAY) },
      });
    }
    const earlierPublishers = new Set(versions.slice(0, -1).map((v) => v.publisher).filter((p): p is string => Boolean(p)));
    if (newest.publisher && earlierPublishers.size > 0 && !earlierPublishers.has(newest.publisher) && now - newest.publishedAt.getTime() <= settings.reactivationWindowDays * DAY) {
      const earlier = [...earlierPublishers].slice(0, 3).map((p) => `'${p}'`).join(', ');
      out.push({
        rule: 'maintainer-change',
        severity: 'warning',
        message: `${info.name} ${newest.version} (${isoDay(newest.publishedAt)}) was published by '${newest.publisher}', who published none of the earlier releases (${earlier}${earlierPublishers.size > 3 ? ', …' : ''})`,
        aboutVersion: false,
        data: { version: newest.version, publisher: newest.publisher, earlier: [...earlierPublishers] },
      });
    }
  }
  return out;
}

function versionSignals(info: PackageInfo, facts: PackageFacts): Signal[] {
  const out: Signal[] = [];
  const pinned = pinnedVersion(info.ecosystem, facts.target.spec);
  const version = facts.resolvedVersion ?? pinned;
  const entry = info.versions.find((v) => v.version === version);
  if (entry?.deprecated) out.push({ rule: 'deprecated', severity: 'warning', message: `${info.name} ${entry.version} is deprecated: ${entry.deprecated}`, aboutVersion: true, data: { version: entry.version } });
  if (entry?.yanked) {
    out.push({ rule: 'yanked', severity: 'warning', message: `${info.name} ${entry.version} was yanked${entry.yankedReason ? `: ${entry.yankedReason}` : ''}`, aboutVersion: true, data: { version: entry.version } });
  } else if (pinned && !entry && !info.metadataLimited && (info.ecosystem === 'RubyGems' || info.ecosystem === 'crates.io' || info.ecosystem === 'npm')) {
    // RubyGems lists no yanked versions; a pin to a missing version is yanked or never existed.
    out.push({ rule: 'yanked', severity: 'warning', message: `${info.name} ${pinned} is not among the published versions (yanked, unpublished or never released)`, aboutVersion: true, data: { version: pinned } });
  }
  const scripts = (entry ?? info.versions.find((v) => v.version === info.latest))?.installScripts ?? [];
  const installHooks = scripts.filter((s) => (NPM_INSTALL_HOOKS as readonly string[]).includes(s) || s === 'binding.gyp');
  if (info.ecosystem === 'npm' && installHooks.length > 0) {
    out.push({ rule: 'install-scripts', severity: 'warning', message: `${info.name} ${entry?.version ?? info.latest} runs code at install time: ${installHooks.join(', ')}`, aboutVersion: true, data: { scripts: installHooks } });
  } else if (info.ecosystem === 'PyPI' && scripts.length > 0 && entry) {
    out.push({ rule: 'install-scripts', severity: 'information', message: `${info.name} ${entry.version} has no wheel: pip builds it from source, running its setup.py / build backend`, aboutVersion: true, data: { scripts } });
  }
  return out;
}

/** Every signal for one package's facts, at time `now` (epoch ms). */
export function signalsFor(facts: PackageFacts, settings: IntelligenceSettings, now: number): Signal[] {
  const out: Signal[] = [...advisorySignals(facts)];
  const unavailable: string[] = [];
  const lookup = facts.lookup;
  const { name } = facts.target;
  if (lookup.status === 'not-found') {
    out.push({
      rule: 'unknown-package',
      severity: 'error',
      message: `'${name}' does not exist on ${lookup.checked.map(host).join(', ')}: a mistyped or hallucinated name, or a name anyone could register and fill with malware`,
      aboutVersion: false,
      data: { checked: lookup.checked },
    });
  } else if (lookup.status === 'unavailable') {
    unavailable.push(lookup.reason);
  } else {
    const info = lookup.info;
    // Found, but an index that could not be asked may hold another copy (dependency confusion unverified).
    if (info.unverified) unavailable.push(...info.unverified);
    out.push(...ageSignals(info, facts, settings, now), ...versionSignals(info, facts));
    const threshold = settings.lowDownloads[info.ecosystem];
    if (info.downloads && threshold > 0 && info.downloads.count < threshold) {
      out.push({ rule: 'low-downloads', severity: 'information', message: `${info.name} has only ${info.downloads.count.toLocaleString('en-US')} downloads (${info.downloads.period})`, aboutVersion: false, data: { ...info.downloads } });
    }
    if (!info.repository && !info.metadataLimited && info.ecosystem !== 'Go') {
      out.push({ rule: 'no-repository', severity: 'information', message: `${info.name} links no source repository, so its published code cannot be compared with its source`, aboutVersion: false });
    }
    // Copies only in the user's own folders cannot be a stranger's upload; a mirror of the public files is the same package.
    const distinct = info.foundIn.filter((i) => !info.mirrorIndexes?.includes(i));
    const pypiPublic = info.ecosystem === 'PyPI' && distinct.length > 1 && distinct.some((i) => !info.localIndexes?.includes(i));
    if (pypiPublic) {
      out.push({
        rule: 'dependency-confusion',
        severity: 'warning',
        message: `'${name}' exists on several indexes (${info.foundIn.map(host).join(', ')}); pip takes the highest version from any of them, so the public copy can win`,
        aboutVersion: false,
        data: { indexes: info.foundIn },
      });
    }
  }
  if (facts.matchedPrefix && facts.publicExists === true) {
    out.push({
      rule: 'dependency-confusion',
      severity: 'error',
      message: `'${name}' matches the internal prefix '${facts.matchedPrefix}' but a package of that name exists on the public registry: an install may pick the public one`,
      aboutVersion: false,
      data: { prefix: facts.matchedPrefix },
    });
  }
  if (facts.osvError) unavailable.push(`known-malware check (OSV): ${facts.osvError}`);
  if (unavailable.length > 0) {
    out.push({
      rule: 'intelligence-unavailable',
      severity: 'information',
      message: `Registry checks for '${name}' did not complete, so it is unverified: ${unavailable.join('; ')}`,
      aboutVersion: false,
      data: { reasons: unavailable },
    });
  }
  return out.filter((s) => s.rule === 'intelligence-unavailable' || !settings.disabledRules.has(s.rule));
}
