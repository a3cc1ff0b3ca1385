/**
 * Python distribution file names, as pip reads them from a local index or a find-links folder:
 * wheels `name-version(-build)?-python-abi-platform.whl` (PEP 427, names escaped with `_`),
 * sdists `name-version.tar.gz` (PEP 625) and the legacy archive forms pip still accepts
 * (`.zip`, `.tar.bz2`, `.tgz`, …, where the name itself may contain `-`), and eggs.
 */
import * as pep440 from '@renovatebot/pep440';
import { normalizeName } from '../../normalize';

/** What one distribution file offers. */
export interface DistFile {
  filename: string;
  /** PEP 503 normalised project name. */
  project: string;
  /** PEP 440 normalised version. */
  version: string;
  kind: 'wheel' | 'sdist' | 'egg';
  /** PEP 592 `data-yanked` on an index page. */
  yanked?: boolean;
  yankedReason?: string;
  /** Hex SHA-256 when the index page lists it (`#sha256=` on the link). */
  sha256?: string;
  /** Bytes, when the file is on disk. */
  size?: number;
}

// Longest first, so `.tar.gz` wins over `.gz`-less forms.
const SDIST_EXTENSIONS = ['.tar.gz', '.tar.bz2', '.tar.xz', '.tar.lzma', '.tar.lz', '.tar', '.tgz', '.tbz', '.txz', '.tlz', '.zip'];

/** The version part of a file name, normalised, or undefined when it is not PEP 440 (pip skips those too). */
function cleanVersion(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  // Wheel names escape `-` inside the version as `_`.
  return pep440.clean(raw.replace(/_/g, '-')) ?? undefined;
}

function parseWheel(filename: string, base: string): DistFile | undefined {
  const parts = base.split('-');
  if (parts.length !== 5 && parts.length !== 6) return undefined;
  // The optional build tag must start with a digit (PEP 427).
  if (parts.length === 6 && !/^\d/.test(parts[2] ?? '')) return undefined;
  const [name, rawVersion] = parts;
  const version = cleanVersion(rawVersion);
  if (!name || !version) return undefined;
  return { filename, project: normalizeName('PyPI', name), version, kind: 'wheel' };
}

function parseEgg(filename: string, base: string): DistFile | undefined {
  const [name, rawVersion] = base.split('-');
  const version = cleanVersion(rawVersion);
  if (!name || !version) return undefined;
  return { filename, project: normalizeName('PyPI', name), version, kind: 'egg' };
}

/**
 * An sdist name is ambiguous when the project name contains `-` (`python-dateutil-2.8.2.tar.gz`):
 * with the wanted project we split where the prefix normalises to it (as pip does); without one,
 * at the first `-` that is followed by a digit.
 */
function parseSdist(filename: string, base: string, project: string | undefined): DistFile | undefined {
  const dashes: number[] = [];
  for (let i = base.indexOf('-'); i > 0; i = base.indexOf('-', i + 1)) dashes.push(i);
  const wanted = project === undefined ? undefined : normalizeName('PyPI', project);
  const split = wanted === undefined ? dashes.find((i) => /\d/.test(base.charAt(i + 1))) : dashes.find((i) => normalizeName('PyPI', base.slice(0, i)) === wanted);
  if (split === undefined) return undefined;
  const version = cleanVersion(base.slice(split + 1));
  if (!version) return undefined;
  return { filename, project: normalizeName('PyPI', base.slice(0, split)), version, kind: 'sdist' };
}

/**
 * Parses a distribution file name. Pass `project` when it is known (an index page or a find-links
 * folder scanned for one package): it settles where a legacy sdist's name ends.
 */
export function parseDistFilename(filename: string, project?: string): DistFile | undefined {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.whl')) return parseWheel(filename, filename.slice(0, -'.whl'.length));
  if (lower.endsWith('.egg')) return parseEgg(filename, filename.slice(0, -'.egg'.length));
  const extension = SDIST_EXTENSIONS.find((ext) => lower.endsWith(ext));
  if (!extension) return undefined;
  return parseSdist(filename, filename.slice(0, -extension.length), project);
}

/** A file offered by an index page or a folder; `yanked` is PEP 592's reason (`true` without one). */
export interface IndexLink {
  filename: string;
  yanked?: string | true;
  sha256?: string;
}

/**
 * Groups links by every project name they could belong to (a wheel's first part; each `-`-prefix of
 * an sdist), so a folder of thousands of files is parsed once, not once per package looked up.
 */
export function linksByCandidateProject(links: Iterable<IndexLink>): Map<string, IndexLink[]> {
  const out = new Map<string, IndexLink[]>();
  const add = (name: string, link: IndexLink): void => {
    const key = normalizeName('PyPI', name);
    const list = out.get(key);
    if (list) list.push(link);
    else out.set(key, [link]);
  };
  for (const link of links) {
    const lower = link.filename.toLowerCase();
    if (lower.endsWith('.whl') || lower.endsWith('.egg')) {
      add(link.filename.split('-')[0] ?? '', link);
      continue;
    }
    for (let i = link.filename.indexOf('-'); i > 0; i = link.filename.indexOf('-', i + 1)) add(link.filename.slice(0, i), link);
  }
  return out;
}

/** The files among `links` that belong to `project` (PEP 503 name equality), with their yank state. */
export function filesOfProject(project: string, links: Iterable<IndexLink>): DistFile[] {
  const wanted = normalizeName('PyPI', project);
  const out: DistFile[] = [];
  for (const link of links) {
    const file = parseDistFilename(link.filename, wanted);
    if (!file || file.project !== wanted) continue;
    if (link.yanked !== undefined) {
      file.yanked = true;
      if (typeof link.yanked === 'string' && link.yanked.trim()) file.yankedReason = link.yanked.trim();
    }
    if (link.sha256) file.sha256 = link.sha256;
    out.push(file);
  }
  return out;
}
