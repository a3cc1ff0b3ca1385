/**
 * npm in the sandbox.
 *  - fetch (network): the project's package.json and lockfile (never .npmrc: it may hold tokens) are
 *    copied onto the volume, then `npm install --ignore-scripts` resolves and fetches the whole tree
 *    from the configured registry. No lifecycle script runs while the network is up.
 *  - The tree is copied out; the lockfile's `hasInstallScript` says which packages want scripts.
 *  - build (network none), only when some of them are allowed (package.json `allowScripts`,
 *    pnpm `onlyBuiltDependencies`, `[sandbox] allow_scripts`, or --allow-scripts): `npm rebuild` for
 *    exactly those packages, offline; the tree is copied out again. Everyone else's scripts never run.
 *  - `.bin` folders are symlinks, which copy-out refuses: they are removed in the container and
 *    re-created on the host by `npm rebuild --ignore-scripts` (links only, no scripts). node-gyp's own
 *    `build/node_gyp_bins/python3` link is dropped (never followed) with a note; any other symlink a build
 *    leaves makes the copy-out refuse the run.
 *  - npm silently drops hostile tarball entries (`..`, absolute paths, links, devices): the fetched
 *    tarballs are copied out from npm's cache and read here, so the finding names the package.
 *  - The build phase copies the tree into the capped build area and works there (the rest of the run
 *    volume is read-only while package code runs).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CopyOutResult } from '../copyOut';
import type { LockPackage } from '../lockfile';
import type { PackageRequest } from '../names';
import { VOLUME_DIRS, type PhaseRunner, type SandboxSession } from '../session';
import type { FindingEvent } from '../progress';
import { describeHostileEntries, hostileTarballEntries } from '../tarballAudit';
import type { SandboxOutcome, ScriptPackage } from './types';

/** Options of the npm plan. */
export interface NpmPlanOptions {
  requests: readonly PackageRequest[];
  registry: string;
  /** The project's package.json and package-lock.json text, when present. */
  packageJson?: string;
  packageLock?: string;
  /** True for packages whose install scripts may run (offline, in the build phase). */
  allowScripts(name: string): boolean;
}

const PROJECT = VOLUME_DIRS.work;
/** Where the build phase works: a copy of the fetched tree in the capped build area. */
const BUILD_PROJECT = `${VOLUME_DIRS.build}/work`;
/** npm's cache on the run volume, so the fetched tarballs outlive the fetch container. */
const NPM_CACHE = `${VOLUME_DIRS.dl}/npm-cache`;
/** Folder (inside the copied project) the fetched tarballs are moved to for the host-side audit. */
export const TARBALLS_DIR = '.safe-install-tarballs';

/** npm's own arguments for the fetch step. */
export function npmInstallArgv(options: Pick<NpmPlanOptions, 'requests' | 'registry'>): string[] {
  return ['npm', 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel', 'warn',
    '--registry', options.registry, '--', ...options.requests.map((r) => r.argument)];
}

const removeBinLinks = (root: string): string[] => ['find', `${root}/node_modules`, '-name', '.bin', '-type', 'd', '-prune', '-exec', 'rm', '-rf', '{}', '+'];
// node-gyp links build/node_gyp_bins/python3 to the container's interpreter for every native addon: a
// known-safe link, dropped without being followed. Any other link stays, and copy-out refuses the run.
const removeGypPythonLinks = (root: string): string[] => ['find', `${root}/node_modules`, '-path', '*/build/node_gyp_bins/*', '-type', 'l', '-print', '-delete'];

/** One `packages` entry of package-lock.json (the fields the plan reads). */
export interface LockEntry { version?: string; resolved?: string; integrity?: string; hasInstallScript?: boolean; link?: boolean; name?: string }

/** Package name of a lockfile key such as `node_modules/a/node_modules/@s/b`. */
export function lockKeyName(key: string): string {
  const index = key.lastIndexOf('node_modules/');
  return index < 0 ? key : key.slice(index + 'node_modules/'.length);
}

/** Lockfile v2/v3 `packages` entries, without the root. */
export function lockPackages(lockText: string): Array<[string, LockEntry]> {
  const lock = JSON.parse(lockText) as { packages?: Record<string, LockEntry> };
  return Object.entries(lock.packages ?? {}).filter(([key]) => key.startsWith('node_modules/'));
}

/** Reads each package's declared install-time scripts from its package.json in the copied tree. */
async function installScriptsOf(dir: string, key: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await readFile(path.join(dir, ...key.split('/'), 'package.json'), 'utf8')) as { scripts?: Record<string, unknown> };
    const scripts = Object.keys(manifest.scripts ?? {}).filter((s) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(s));
    return scripts.length > 0 ? scripts : ['install (node-gyp rebuild: binding.gyp)'];
  } catch {
    return ['install'];
  }
}

/** SHA-256 over the sorted `path sha256` lines of a package directory in the copied tree. */
export function treeSha256(copied: CopyOutResult, prefix: string): string {
  const hash = createHash('sha256');
  for (const file of copied.files) {
    if (!file.path.startsWith(`${prefix}/`)) continue;
    const rest = file.path.slice(prefix.length + 1);
    // Nested node_modules belong to other packages.
    if (rest.startsWith('node_modules/') || rest.includes('/node_modules/')) continue;
    hash.update(`${rest} ${file.sha256}\n`);
  }
  return hash.digest('hex');
}

/** npm's own warnings about archive entries it refused to extract (`..`, absolute paths, links, devices). */
export function tarEntryWarnings(output: string): string[] {
  return [...output.matchAll(/^.*\b(TAR_ENTRY_\w+|TAR_BAD_ARCHIVE)\b.*$/gm)].map((m) => m[0].trim());
}

async function fetchStep(runner: PhaseRunner, options: NpmPlanOptions): Promise<{ warnings: string[] }> {
  const files: Record<string, string> = {
    'package.json': options.packageJson ?? `${JSON.stringify({ name: 'safe-install-project', version: '0.0.0', private: true }, null, 2)}\n`,
  };
  if (options.packageLock !== undefined) files['package-lock.json'] = options.packageLock;
  await runner.put(PROJECT, files);
  const install = await runner.run({ label: 'npm install --ignore-scripts', argv: npmInstallArgv(options), env: { npm_config_cache: NPM_CACHE } });
  await runner.run({ label: 'remove .bin links', argv: removeBinLinks(PROJECT) }, { allowFailure: true });
  // cacache keeps each tarball under content-v2/<algo>/<hex>; moved next to the tree so one copy-out brings both.
  await runner.run({ label: 'keep the fetched tarballs for the audit', argv: ['mv', `${NPM_CACHE}/_cacache/content-v2`, `${PROJECT}/${TARBALLS_DIR}`] }, { allowFailure: true });
  return { warnings: tarEntryWarnings(`${install.stdout}\n${install.stderr}`) };
}

function linesOf(text: string, root: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(`${root}/`, ''));
}

/** cacache's content path of an SRI integrity (`sha512-<base64>` → `sha512/ab/cd/<rest of hex>`). */
export function cacachePath(integrity: string): string | undefined {
  const m = /^(sha\d+)-([A-Za-z0-9+/=]+)$/.exec(integrity.trim().split(/\s+/)[0] ?? '');
  if (!m?.[1] || !m[2]) return undefined;
  const hex = Buffer.from(m[2], 'base64').toString('hex');
  return hex.length < 5 ? undefined : `${m[1]}/${hex.slice(0, 2)}/${hex.slice(2, 4)}/${hex.slice(4)}`;
}

/** Reads every fetched tarball of the lockfile and reports hostile entries per package (npm dropped them silently). */
export async function auditFetchedTarballs(copiedDir: string, entries: ReadonlyArray<[string, LockEntry]>): Promise<{ findings: FindingEvent[]; unreadable: string[] }> {
  const findings: FindingEvent[] = [];
  const unreadable: string[] = [];
  for (const [key, entry] of entries) {
    if (entry.link || entry.integrity === undefined) continue;
    const rel = cacachePath(entry.integrity);
    const name = entry.name ?? lockKeyName(key);
    if (rel === undefined) continue;
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(copiedDir, TARBALLS_DIR, ...rel.split('/')));
    } catch {
      unreadable.push(name);
      continue;
    }
    try {
      const hostile = await hostileTarballEntries(bytes);
      if (hostile.length === 0) continue;
      findings.push({ type: 'finding', ecosystem: 'npm', package: name, severity: 'high', rule: 'hostile-archive', file: `${name}-${entry.version ?? ''}.tgz`, message: `the tarball of ${name}${entry.version ? `@${entry.version}` : ''} has entries no extractor should write (${describeHostileEntries(hostile)}); npm dropped them and they never reached this machine` });
    } catch (error) {
      findings.push({ type: 'finding', ecosystem: 'npm', package: name, severity: 'high', rule: 'hostile-archive', message: `the tarball of ${name} could not be read safely: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  return { findings, unreadable };
}

/** Runs the plan's phases; the caller owns `session` and closes it. */
export async function runNpmPlan(session: SandboxSession, options: NpmPlanOptions): Promise<SandboxOutcome> {
  const notes = ['npm: resolution and download ran with network and with --ignore-scripts'];
  const fetched = await session.phase('fetch', (runner) => fetchStep(runner, options), PROJECT);
  let copied = fetched.copied;
  if (!copied) throw new Error('copy-out produced nothing');
  const lockText = await readFile(path.join(copied.dir, 'package-lock.json'), 'utf8');
  const entries = lockPackages(lockText);
  const audit = await auditFetchedTarballs(copied.dir, entries);
  const findings: FindingEvent[] = audit.findings;
  if (audit.unreadable.length > 0) notes.push(`npm: tarballs not found in the fetch cache, not audited for hostile entries: ${audit.unreadable.slice(0, 10).join(', ')}`);
  if (fetched.value.warnings.length > 0 && findings.length === 0) {
    // npm refused entries but no tarball we could read shows them: name the requested packages, whose trees carried them.
    for (const r of options.requests) {
      findings.push({ type: 'finding', ecosystem: 'npm', package: r.name, severity: 'high', rule: 'hostile-archive', message: `a tarball in the tree of ${r.name} has entries npm refused to extract (${fetched.value.warnings.slice(0, 3).join('; ')}); they were dropped and never reached this machine` });
    }
  }
  await rm(path.join(copied.dir, TARBALLS_DIR), { recursive: true, force: true });
  const scripts: ScriptPackage[] = [];
  for (const [key, entry] of entries) {
    if (!entry.hasInstallScript) continue;
    const name = entry.name ?? lockKeyName(key);
    const script: ScriptPackage = { name, scripts: await installScriptsOf(copied.dir, key), ran: options.allowScripts(name) };
    if (entry.version !== undefined) script.version = entry.version;
    scripts.push(script);
  }
  const allowed = [...new Set(scripts.filter((s) => s.ran).map((s) => s.name))];
  if (allowed.length > 0) {
    await rm(copied.dir, { recursive: true, force: true });
    notes.push(`npm: install scripts of ${allowed.join(', ')} ran in the build phase with network none`);
    const rebuilt = await session.phase('build', async (runner) => {
      // Package code may write only to the capped build area: the tree is copied there first.
      await runner.run({ label: 'copy the tree into the build area', argv: ['mkdir', '-p', BUILD_PROJECT] });
      await runner.run({ label: 'copy the tree into the build area', argv: ['cp', '-a', `${PROJECT}/node_modules`, `${PROJECT}/package.json`, `${PROJECT}/package-lock.json`, BUILD_PROJECT] });
      await runner.run({ label: `npm rebuild ${allowed.join(' ')}`, argv: ['npm', 'rebuild', '--offline', '--foreground-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--', ...allowed], env: { npm_config_cache: '/home/si/.npm', npm_config_ignore_scripts: 'false' }, workingDir: BUILD_PROJECT });
      await runner.run({ label: 'remove .bin links', argv: removeBinLinks(BUILD_PROJECT) }, { allowFailure: true });
      const links = await runner.run({ label: "remove node-gyp's python3 links", argv: removeGypPythonLinks(BUILD_PROJECT) }, { allowFailure: true });
      const removed = linesOf(links.stdout, BUILD_PROJECT);
      if (removed.length > 0) notes.push(`npm: node-gyp's interpreter links were dropped, not followed: ${removed.slice(0, 10).join(', ')}${removed.length > 10 ? ', …' : ''}`);
    }, BUILD_PROJECT);
    if (!rebuilt.copied) throw new Error('copy-out produced nothing');
    copied = rebuilt.copied;
  }
  const skipped = scripts.filter((s) => !s.ran);
  if (skipped.length > 0) notes.push(`npm: install scripts NOT run (not allow-listed): ${skipped.map((s) => `${s.name} (${s.scripts.join(', ')})`).join('; ')}`);
  notes.push('npm: installing on the host copies the tree and links bins with --ignore-scripts; package code runs when you require() it');
  const packages: LockPackage[] = [];
  const artifacts: SandboxOutcome['artifacts'] = [];
  for (const [key, entry] of entries) {
    if (entry.link || entry.version === undefined) continue;
    const name = entry.name ?? lockKeyName(key);
    const artifact: LockPackage['artifacts'][number] = { file: key, kind: 'npm-package-dir', sha256: treeSha256(copied, key) };
    if (entry.resolved !== undefined) artifact.url = entry.resolved;
    if (entry.integrity !== undefined) artifact.integrity = entry.integrity;
    packages.push({ ecosystem: 'npm', name, version: entry.version, artifacts: [artifact] });
    artifacts.push({ path: key, package: name, version: entry.version, format: 'dir' });
  }
  return { ecosystem: 'npm', copied, packages, artifacts, scripts, notes, findings };
}
