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
 *    re-created on the host by `npm rebuild --ignore-scripts` (links only, no scripts).
 */
import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CopyOutResult } from '../copyOut';
import type { LockPackage } from '../lockfile';
import type { PackageRequest } from '../names';
import { VOLUME_DIRS, type PhaseRunner, type SandboxSession } from '../session';
import type { FindingEvent } from '../progress';
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

/** npm's own arguments for the fetch step. */
export function npmInstallArgv(options: Pick<NpmPlanOptions, 'requests' | 'registry'>): string[] {
  return ['npm', 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--loglevel', 'warn',
    '--registry', options.registry, '--', ...options.requests.map((r) => r.argument)];
}

const REMOVE_BIN_LINKS = ['find', `${PROJECT}/node_modules`, '-name', '.bin', '-type', 'd', '-prune', '-exec', 'rm', '-rf', '{}', '+'];
// Other symlinks (node-gyp's build/node_gyp_bins/python3 and the like) point into the container; copy-out refuses links.
const REMOVE_OTHER_LINKS = ['find', `${PROJECT}/node_modules`, '-type', 'l', '-print', '-delete'];

interface LockEntry { version?: string; resolved?: string; integrity?: string; hasInstallScript?: boolean; link?: boolean; name?: string }

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

async function fetchStep(runner: PhaseRunner, options: NpmPlanOptions): Promise<{ warnings: string[]; removedLinks: string[] }> {
  const files: Record<string, string> = {
    'package.json': options.packageJson ?? `${JSON.stringify({ name: 'safe-install-project', version: '0.0.0', private: true }, null, 2)}\n`,
  };
  if (options.packageLock !== undefined) files['package-lock.json'] = options.packageLock;
  await runner.put(PROJECT, files);
  const install = await runner.run({ label: 'npm install --ignore-scripts', argv: npmInstallArgv(options), env: { npm_config_cache: '/home/si/.npm' } });
  await runner.run({ label: 'remove .bin links', argv: REMOVE_BIN_LINKS }, { allowFailure: true });
  const links = await runner.run({ label: 'remove other symlinks', argv: REMOVE_OTHER_LINKS }, { allowFailure: true });
  return { warnings: tarEntryWarnings(`${install.stdout}\n${install.stderr}`), removedLinks: linesOf(links.stdout) };
}

function linesOf(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => l.replace(`${PROJECT}/`, ''));
}

/** Runs the plan's phases; the caller owns `session` and closes it. */
export async function runNpmPlan(session: SandboxSession, options: NpmPlanOptions): Promise<SandboxOutcome> {
  const notes = ['npm: resolution and download ran with network and with --ignore-scripts'];
  const fetched = await session.phase('fetch', (runner) => fetchStep(runner, options), PROJECT);
  const findings: FindingEvent[] = [];
  if (fetched.value.warnings.length > 0) {
    // npm does not say which tarball the entries came from; the requested packages' trees carried them.
    for (const r of options.requests) {
      findings.push({ type: 'finding', ecosystem: 'npm', package: r.name, severity: 'high', rule: 'hostile-archive', message: `a tarball in the tree of ${r.name} has entries npm refused to extract (${fetched.value.warnings.slice(0, 3).join('; ')}); they were dropped and never reached this machine` });
    }
  }
  if (fetched.value.removedLinks.length > 0) notes.push(`npm: symlinks in the fetched tree were not copied out: ${fetched.value.removedLinks.slice(0, 10).join(', ')}`);
  let copied = fetched.copied;
  if (!copied) throw new Error('copy-out produced nothing');
  const lockText = await readFile(path.join(copied.dir, 'package-lock.json'), 'utf8');
  const entries = lockPackages(lockText);
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
      await runner.run({ label: `npm rebuild ${allowed.join(' ')}`, argv: ['npm', 'rebuild', '--offline', '--foreground-scripts', '--no-audit', '--no-fund', '--no-update-notifier', '--', ...allowed], env: { npm_config_cache: '/home/si/.npm', npm_config_ignore_scripts: 'false' } });
      await runner.run({ label: 'remove .bin links', argv: REMOVE_BIN_LINKS }, { allowFailure: true });
      const links = await runner.run({ label: 'remove other symlinks', argv: REMOVE_OTHER_LINKS }, { allowFailure: true });
      const removed = linesOf(links.stdout);
      if (removed.length > 0) notes.push(`npm: symlinks the build left were not copied out: ${removed.slice(0, 10).join(', ')}${removed.length > 10 ? ', …' : ''}`);
    }, PROJECT);
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
