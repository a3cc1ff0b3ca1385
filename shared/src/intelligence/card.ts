/** The package card hovers and `audit` show: the facts behind the signals, in one plain structure. */
import type { Ecosystem } from '../model';
import type { PackageFacts } from './facts';

/** What a hover shows about one package. */
export interface PackageCard {
  ecosystem: Ecosystem;
  name: string;
  exists: boolean | 'unknown';
  latest?: string;
  latestPublishedAt?: string;
  createdAt?: string;
  ageDays?: number;
  resolvedVersion?: string;
  resolvedPublishedAt?: string;
  versionCount?: number;
  downloads?: { count: number; period: string };
  /** Why there are no download figures (e.g. the Go proxy has none). */
  downloadsNote?: string;
  maintainers: string[];
  installScripts: string[];
  osvIds: string[];
  malwareIds: string[];
  /** Why OSV could not be asked; when set, empty id lists mean "unknown", not "none". */
  advisoriesUnavailable?: string;
  links: { registry?: string; repository?: string; homepage?: string; advisories: string[] };
  /** Indexes that list the package. */
  foundIn: string[];
  note?: string;
}

/** Builds the card from gathered facts. */
export function packageCard(facts: PackageFacts, now: number): PackageCard {
  const { target, lookup } = facts;
  const card: PackageCard = {
    ecosystem: target.ecosystem,
    name: target.name,
    exists: lookup.status === 'found' ? true : lookup.status === 'not-found' ? false : 'unknown',
    maintainers: [],
    installScripts: [],
    osvIds: facts.advisories.filter((a) => !a.malicious).map((a) => a.id),
    malwareIds: facts.advisories.filter((a) => a.malicious).map((a) => a.id),
    links: { advisories: facts.advisories.map((a) => a.url) },
    foundIn: [],
  };
  if (facts.resolvedVersion) card.resolvedVersion = facts.resolvedVersion;
  if (facts.osvError) card.advisoriesUnavailable = facts.osvError;
  if (lookup.status === 'unavailable') card.note = lookup.reason;
  if (lookup.status !== 'found') return card;
  const info = lookup.info;
  card.foundIn = info.foundIn;
  card.maintainers = info.maintainers;
  card.versionCount = info.versions.length;
  if (info.latest) card.latest = info.latest;
  const latest = info.versions.find((v) => v.version === info.latest);
  if (latest?.publishedAt) card.latestPublishedAt = latest.publishedAt.toISOString();
  if (info.createdAt) {
    card.createdAt = info.createdAt.toISOString();
    card.ageDays = Math.floor((now - info.createdAt.getTime()) / 86_400_000);
  }
  const resolved = info.versions.find((v) => v.version === facts.resolvedVersion);
  if (resolved?.publishedAt) card.resolvedPublishedAt = resolved.publishedAt.toISOString();
  card.installScripts = (resolved ?? latest)?.installScripts ?? [];
  if (info.downloads) card.downloads = info.downloads;
  if (info.downloadsUnavailable) card.downloadsNote = info.downloadsUnavailable;
  if (info.pageUrl) card.links.registry = info.pageUrl;
  if (info.repository) card.links.repository = info.repository;
  if (info.homepage) card.links.homepage = info.homepage;
  if (info.metadataLimited) card.note = info.metadataLimited;
  return card;
}

/** The card as Markdown (hover text). */
export function cardMarkdown(card: PackageCard): string {
  const lines = [`**${card.name}** (${card.ecosystem})`];
  if (card.exists === false) lines.push('', 'Not found on any configured index.');
  if (card.latest) lines.push('', `Latest: ${card.latest}${card.latestPublishedAt ? ` (${card.latestPublishedAt.slice(0, 10)})` : ''}`);
  if (card.resolvedVersion && card.resolvedVersion !== card.latest) lines.push(`This line installs: ${card.resolvedVersion}${card.resolvedPublishedAt ? ` (${card.resolvedPublishedAt.slice(0, 10)})` : ''}`);
  if (card.createdAt) lines.push(`First published: ${card.createdAt.slice(0, 10)} (${card.ageDays} days ago)`);
  lines.push(`Downloads: ${card.downloads ? `${card.downloads.count.toLocaleString('en-US')} (${card.downloads.period})` : (card.downloadsNote ?? 'unknown')}`);
  if (card.maintainers.length > 0) lines.push(`Maintainers: ${card.maintainers.slice(0, 8).join(', ')}${card.maintainers.length > 8 ? ', …' : ''}`);
  lines.push(`Install scripts: ${card.installScripts.length > 0 ? card.installScripts.join(', ') : 'none'}`);
  if (card.advisoriesUnavailable) lines.push(`Known malware / advisories: not checked (${card.advisoriesUnavailable})`);
  if (card.malwareIds.length > 0) lines.push(`**Known malware:** ${card.malwareIds.join(', ')}`);
  if (card.osvIds.length > 0) lines.push(`Advisories: ${card.osvIds.join(', ')}`);
  const links = [card.links.registry && `[registry](${card.links.registry})`, card.links.repository && `[source](${card.links.repository})`, card.links.homepage && `[homepage](${card.links.homepage})`].filter(Boolean);
  if (links.length > 0) lines.push(links.join(' · '));
  if (card.note) lines.push('', `_${card.note}_`);
  return lines.join('  \n');
}
