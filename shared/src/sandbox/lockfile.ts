/**
 * `safe-install.lock`: what each sandboxed install brought into the project, with the SHA-256 of
 * every artifact, so a later install (or a reviewer) can tell whether the same bytes came back.
 *
 * Format (JSON, UTF-8, two-space indent, sorted, one trailing newline):
 *   { "lockfileVersion": 1, "generator": "safe-install",
 *     "packages": [ { "ecosystem": "PyPI", "name": "six", "version": "1.16.0",
 *       "artifacts": [ { "file": "six-1.16.0-py2.py3-none-any.whl", "kind": "wheel",
 *                        "url": "https://…/six-1.16.0-py2.py3-none-any.whl", "sha256": "…" } ] } ] }
 * `url` is where the fetch phase downloaded the artifact (absent when the package manager does not
 * say); a wheel built offline from an sdist has kind `built-wheel` and names the sdist in `builtFrom`.
 * Entries of other packages already in the file are kept; an entry for the same ecosystem and name is
 * replaced.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { Ecosystem } from '../model';
import { ECOSYSTEMS } from '../model';

/** The lockfile's name, written next to the manifest (the project root). */
export const LOCKFILE_NAME = 'safe-install.lock';

/** What kind of file an artifact is. */
export type ArtifactKind = 'wheel' | 'sdist' | 'built-wheel' | 'npm-tarball' | 'npm-package-dir' | 'crate' | 'go-module' | 'gem' | 'file';

/** One downloaded or built file. */
export interface LockArtifact {
  file: string;
  kind: ArtifactKind;
  sha256: string;
  url?: string;
  /** For a built wheel: the sdist file it came from. */
  builtFrom?: string;
  /** npm: the registry's integrity string (sha512-…), as recorded by npm. */
  integrity?: string;
}

/** One package version and its artifacts. */
export interface LockPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  artifacts: LockArtifact[];
}

/** The whole file. */
export interface Lockfile {
  lockfileVersion: 1;
  generator: 'safe-install';
  packages: LockPackage[];
}

/** Thrown for a lockfile that is not this format. */
export class LockfileError extends Error {
  override readonly name = 'LockfileError';
}

const SHA256 = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parses and checks a lockfile's text. */
export function parseLockfile(text: string): Lockfile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LockfileError(`${LOCKFILE_NAME} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(data) || data['lockfileVersion'] !== 1 || !Array.isArray(data['packages'])) {
    throw new LockfileError(`${LOCKFILE_NAME} is not a version 1 safe-install lockfile`);
  }
  const packages: LockPackage[] = [];
  for (const [i, raw] of data['packages'].entries()) {
    if (!isRecord(raw) || typeof raw['name'] !== 'string' || typeof raw['version'] !== 'string'
      || !ECOSYSTEMS.includes(raw['ecosystem'] as Ecosystem) || !Array.isArray(raw['artifacts'])) {
      throw new LockfileError(`${LOCKFILE_NAME}: package #${i + 1} needs ecosystem, name, version and artifacts`);
    }
    const artifacts: LockArtifact[] = [];
    for (const a of raw['artifacts']) {
      if (!isRecord(a) || typeof a['file'] !== 'string' || typeof a['sha256'] !== 'string' || !SHA256.test(a['sha256'])) {
        throw new LockfileError(`${LOCKFILE_NAME}: ${raw['name']} has an artifact without file or a valid sha256`);
      }
      const artifact: LockArtifact = { file: a['file'], kind: (typeof a['kind'] === 'string' ? a['kind'] : 'file') as ArtifactKind, sha256: a['sha256'] };
      if (typeof a['url'] === 'string') artifact.url = a['url'];
      if (typeof a['builtFrom'] === 'string') artifact.builtFrom = a['builtFrom'];
      if (typeof a['integrity'] === 'string') artifact.integrity = a['integrity'];
      artifacts.push(artifact);
    }
    packages.push({ ecosystem: raw['ecosystem'] as Ecosystem, name: raw['name'], version: raw['version'], artifacts });
  }
  return { lockfileVersion: 1, generator: 'safe-install', packages };
}

function packageKey(p: Pick<LockPackage, 'ecosystem' | 'name'>): string {
  return `${p.ecosystem}\u0000${p.name.toLowerCase()}`;
}

/** Merges new packages into an existing lockfile: same ecosystem+name replaced, the rest kept, all sorted. */
export function mergeLockfile(existing: Lockfile | undefined, added: readonly LockPackage[]): Lockfile {
  const byKey = new Map<string, LockPackage>();
  for (const p of existing?.packages ?? []) byKey.set(packageKey(p), p);
  for (const p of added) byKey.set(packageKey(p), p);
  const packages = [...byKey.values()].map((p) => ({
    ...p,
    artifacts: [...p.artifacts].sort((a, b) => a.file.localeCompare(b.file)),
  }));
  packages.sort((a, b) => a.ecosystem.localeCompare(b.ecosystem) || a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.version.localeCompare(b.version));
  return { lockfileVersion: 1, generator: 'safe-install', packages };
}

/** Deterministic text of a lockfile (stable key order). */
export function renderLockfile(lock: Lockfile): string {
  const packages = lock.packages.map((p) => ({
    ecosystem: p.ecosystem,
    name: p.name,
    version: p.version,
    artifacts: p.artifacts.map((a) => ({
      file: a.file,
      kind: a.kind,
      ...(a.url !== undefined ? { url: a.url } : {}),
      sha256: a.sha256,
      ...(a.integrity !== undefined ? { integrity: a.integrity } : {}),
      ...(a.builtFrom !== undefined ? { builtFrom: a.builtFrom } : {}),
    })),
  }));
  return `${JSON.stringify({ lockfileVersion: 1, generator: 'safe-install', packages }, null, 2)}\n`;
}

/** Reads the lockfile at `file`, merges `added`, and replaces it atomically (temp file + rename). */
export async function updateLockfile(file: string, added: readonly LockPackage[]): Promise<Lockfile> {
  let existing: Lockfile | undefined;
  try {
    existing = parseLockfile(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const merged = mergeLockfile(existing, added);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temp, renderLockfile(merged), { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return merged;
}
