/**
 * cargo, go and gem: fetch into a vendor or cache directory in the sandbox, copy it out, and place it
 * under `safe-install-vendor/<ecosystem>/` in the project. What still runs later is stated plainly:
 *  - cargo: `cargo vendor` compiles nothing; every `build.rs` and proc-macro runs at your next build.
 *  - go: `go mod download` runs nothing; `init()` functions run when your program starts.
 *  - gem: `gem install --explain` resolves the tree and `gem fetch` downloads it, running nothing; native
 *    extensions (`extconf.rb`) are built in the build phase with network none, and would run again if you
 *    `gem install` the .gem on the host.
 */
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Ecosystem } from '../../model';
import type { LockPackage } from '../lockfile';
import type { PackageRequest } from '../names';
import { VOLUME_DIRS, type SandboxSession } from '../session';
import type { SandboxOutcome } from './types';

/** Options of the vendor plans. */
export interface VendorPlanOptions {
  ecosystem: Ecosystem;
  requests: readonly PackageRequest[];
  registry: string;
}

const OUT = VOLUME_DIRS.out;

/** crates.io's API address: the default, which needs no source replacement. */
const CRATES_IO = /^https:\/\/crates\.io\/?$/;

/** `.cargo/config.toml` that replaces crates.io with another sparse index (the URL is checked by the CLI). */
export function cargoSourceConfig(registry: string): string | undefined {
  if (CRATES_IO.test(registry)) return undefined;
  const url = registry.startsWith('sparse+') ? registry : `sparse+${registry.replace(/\/?$/, '/')}`;
  return `[source.crates-io]\nreplace-with = "safe-install"\n\n[source.safe-install]\nregistry = ${JSON.stringify(url)}\n`;
}

/** The scratch Cargo.toml that names the requested crates (names and specs are validated before). */
export function scratchCargoToml(requests: readonly PackageRequest[]): string {
  const deps = requests.map((r) => `${r.name} = ${JSON.stringify(r.spec === '' ? '*' : r.spec)}`).join('\n');
  return `[package]\nname = "safe-install-vendor"\nversion = "0.0.0"\nedition = "2021"\n\n[dependencies]\n${deps}\n`;
}

async function cargo(session: SandboxSession, options: VendorPlanOptions): Promise<SandboxOutcome> {
  const env = { CARGO_HOME: '/home/si/.cargo', CARGO_TERM_COLOR: 'never', CARGO_NET_RETRY: '2' };
  const { copied } = await session.phase('fetch', async (runner) => {
    const source = cargoSourceConfig(options.registry);
    await runner.put(VOLUME_DIRS.work, { 'Cargo.toml': scratchCargoToml(options.requests), 'src/': '', 'src/lib.rs': '', ...(source ? { '.cargo/': '', '.cargo/config.toml': source } : {}) });
    await runner.run({ label: 'cargo generate-lockfile', argv: ['cargo', 'generate-lockfile'], env });
    // cargo vendor ignores [source] replacement unless told to, and would go to crates.io instead.
    await runner.run({ label: 'cargo vendor', argv: ['cargo', 'vendor', '--locked', '--versioned-dirs', ...(source ? ['--respect-source-config'] : []), `${OUT}/vendor`], env });
    await runner.run({ label: 'keep Cargo.lock', argv: ['cp', `${VOLUME_DIRS.work}/Cargo.lock`, `${OUT}/Cargo.lock`] });
  }, OUT);
  if (!copied) throw new Error('copy-out produced nothing');
  const packages: LockPackage[] = [];
  const artifacts: SandboxOutcome['artifacts'] = [];
  for (const file of copied.files) {
    const m = /^vendor\/([^/]+)-(\d[^/]*)\/\.cargo-checksum\.json$/.exec(file.path);
    if (!m?.[1] || !m[2]) continue;
    const checksum = JSON.parse(await readFile(path.join(copied.dir, file.path), 'utf8')) as { package?: string };
    packages.push({ ecosystem: 'crates.io', name: m[1], version: m[2], artifacts: [{ file: `${m[1]}-${m[2]}.crate`, kind: 'crate', sha256: checksum.package ?? file.sha256 }] });
    artifacts.push({ path: `vendor/${m[1]}-${m[2]}`, package: m[1], version: m[2], format: 'dir' });
  }
  return { ecosystem: 'crates.io', copied, packages, artifacts, scripts: [], notes: [
    'cargo: crates were fetched and vendored with network; nothing was compiled',
    'cargo: build.rs scripts and proc-macros of these crates WILL run at your next cargo build (on the host, with your credentials in reach)',
  ] };
}

async function go(session: SandboxSession, options: VendorPlanOptions): Promise<SandboxOutcome> {
  const env = { GOMODCACHE: `${OUT}/gomodcache`, GOPROXY: options.registry, GOFLAGS: '-modcacherw -mod=mod', GOTOOLCHAIN: 'local', GOCACHE: '/home/si/.cache/go-build', GOPATH: '/home/si/go', GOSUMDB: 'off' };
  let lines: Array<{ Path: string; Version: string; Zip?: string; Error?: string }> = [];
  const { copied } = await session.phase('fetch', async (runner) => {
    // A scratch main module that requires the requested modules, so `all` is their whole dependency graph.
    // `go get` in module mode (Go >= 1.18) only resolves and downloads; it builds and runs nothing.
    await runner.put(VOLUME_DIRS.work, { 'go.mod': 'module safe-install.invalid/vendor\n\ngo 1.19\n' });
    await runner.run({ label: 'go get (resolve)', argv: ['go', 'get', '--', ...options.requests.map((r) => r.argument)], env });
    const result = await runner.run({ label: 'go mod download all', argv: ['go', 'mod', 'download', '-json', 'all'], env });
    lines = result.stdout.split(/\n(?=\{)/).filter((t) => t.trim().startsWith('{')).map((t) => JSON.parse(t) as { Path: string; Version: string });
  }, OUT);
  if (!copied) throw new Error('copy-out produced nothing');
  const packages: LockPackage[] = [];
  const artifacts: SandboxOutcome['artifacts'] = [];
  for (const line of lines) {
    if (line.Error !== undefined || line.Path === 'safe-install.invalid/vendor') continue;
    const zip = `gomodcache/cache/download/${line.Path.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`)}/@v/${line.Version}.zip`;
    const file = copied.files.find((f) => f.path === zip);
    if (!file) continue;
    packages.push({ ecosystem: 'Go', name: line.Path, version: line.Version, artifacts: [{ file: zip.slice('gomodcache/cache/download/'.length), kind: 'go-module', url: `${options.registry.replace(/\/$/, '')}/${zip.slice('gomodcache/cache/download/'.length)}`, sha256: file.sha256 }] });
    artifacts.push({ path: zip, package: line.Path, version: line.Version, format: 'zip' });
  }
  return { ecosystem: 'Go', copied, packages, artifacts, scripts: [], notes: [
    `go: ${packages.length} modules (the requested ones and their dependencies) were resolved and downloaded with network; go runs no module code while downloading`,
    'go: init() functions of these modules run when your program starts; `go generate` runs only when you ask',
    'go: use the copy with GOFLAGS=-mod=mod GOPROXY=file://<project>/safe-install-vendor/go/gomodcache/cache/download',
  ] };
}

/** One line of `gem install --explain`: `name-version` or `name-version-platform`. */
export function parseExplainLine(line: string): { name: string; version: string; platform?: string } | undefined {
  const m = /^\s*([A-Za-z0-9_.-]+?)-(\d[A-Za-z0-9.]*)(?:-([A-Za-z0-9_.-]+))?\s*$/.exec(line);
  if (!m?.[1] || !m[2]) return undefined;
  return { name: m[1], version: m[2], ...(m[3] ? { platform: m[3] } : {}) };
}

async function gem(session: SandboxSession, options: VendorPlanOptions): Promise<SandboxOutcome> {
  const env = { GEM_HOME: '/home/si/gems', GEM_SPEC_CACHE: '/home/si/.gem/specs' };
  const source = ['--clear-sources', '--source', options.registry];
  const fetched: Array<{ name: string; version: string; file: string }> = [];
  await session.phase('fetch', async (runner) => {
    await runner.run({ label: 'create gem dirs', argv: ['mkdir', '-p', `${OUT}/gems`] });
    // Resolution only: `--explain` reads the index and prints the whole dependency tree without installing
    // (so no extconf.rb runs here, with the network up).
    const tree = new Map<string, { name: string; version: string; platform?: string }>();
    for (const r of options.requests) {
      const result = await runner.run({ label: `resolve ${r.name}`, argv: ['gem', 'install', '--explain', '--no-document', '--install-dir', '/home/si/resolve', ...source, r.name, ...(r.spec ? ['--version', r.spec] : [])], env });
      for (const line of result.stdout.split('\n').slice(1)) {
        const gemLine = parseExplainLine(line);
        if (gemLine) tree.set(`${gemLine.name}-${gemLine.version}-${gemLine.platform ?? ''}`, gemLine);
      }
    }
    if (tree.size === 0) throw new Error(`gem could not resolve ${options.requests.map((r) => r.name).join(', ')}`);
    for (const g of tree.values()) {
      const argv = ['gem', 'fetch', g.name, ...source, '--version', g.version, ...(g.platform ? ['--platform', g.platform] : [])];
      const result = await runner.run({ label: `gem fetch ${g.name}`, argv, env, workingDir: `${OUT}/gems` });
      const m = /Downloaded (\S+)/.exec(result.stdout);
      if (!m?.[1]) throw new Error(`gem fetch ${g.name} printed no file name`);
      fetched.push({ name: g.name, version: g.version, file: `${m[1]}.gem` });
    }
  });
  const built = `${VOLUME_DIRS.build}/out`;
  const { copied } = await session.phase('build', async (runner) => {
    // Native extensions (extconf.rb) build here, with network none, writing only to the capped build area.
    // Every gem of the tree is local by now, so dependencies need no index. gem's parser takes no `--`; the paths are ours.
    await runner.run({ label: 'copy gems into the build area', argv: ['mkdir', '-p', `${built}/gems`] });
    await runner.run({ label: 'copy gems into the build area', argv: ['cp', ...fetched.map((f) => `${OUT}/gems/${f.file}`), `${built}/gems/`] });
    await runner.run({ label: 'gem install --local (offline build)', argv: ['gem', 'install', '--local', '--no-document', '--ignore-dependencies', '--install-dir', `${built}/gemhome`, ...fetched.map((f) => `${built}/gems/${f.file}`)], env, workingDir: built });
  }, built);
  if (!copied) throw new Error('copy-out produced nothing');
  const packages: LockPackage[] = [];
  const artifacts: SandboxOutcome['artifacts'] = [];
  for (const f of fetched) {
    const file = copied.files.find((c) => c.path === `gems/${f.file}`);
    if (!file) continue;
    packages.push({ ecosystem: 'RubyGems', name: f.name, version: f.version, artifacts: [{ file: f.file, kind: 'gem', url: `${options.registry.replace(/\/$/, '')}/gems/${f.file}`, sha256: file.sha256 }] });
    artifacts.push({ path: `gems/${f.file}`, package: f.name, version: f.version, format: 'gem' });
  }
  return { ecosystem: 'RubyGems', copied, packages, artifacts, scripts: [], notes: [
    `gem: resolved the dependency tree (${fetched.map((f) => `${f.name} ${f.version}`).join(', ')}) and fetched it with network; nothing ran then`,
    'gem: native extensions (extconf.rb) were built in the build phase with network none',
    'gem: use the built gems with GEM_PATH=<project>/safe-install-vendor/gem/gemhome; a `gem install` of the .gem files on the host would run extconf.rb again there, with your credentials in reach',
    'gem: library code runs on require',
  ] };
}

/** Runs the fetch (and, for gems, build) phases of a vendor-style ecosystem. */
export async function runVendorPlan(session: SandboxSession, options: VendorPlanOptions): Promise<SandboxOutcome> {
  switch (options.ecosystem) {
    case 'crates.io': return cargo(session, options);
    case 'Go': return go(session, options);
    case 'RubyGems': return gem(session, options);
    default: throw new Error(`no vendor plan for ${options.ecosystem}`);
  }
}

const FOLDER: Partial<Record<Ecosystem, string>> = { 'crates.io': 'cargo', Go: 'go', RubyGems: 'gem' };

/** Moves the copied tree to `<project>/safe-install-vendor/<eco>` (replacing an earlier one only on success). */
export async function installVendored(ecosystem: Ecosystem, projectDir: string, copiedDir: string): Promise<string> {
  const parent = path.join(projectDir, 'safe-install-vendor');
  const target = path.join(parent, FOLDER[ecosystem] ?? ecosystem);
  await mkdir(parent, { recursive: true });
  const old = `${target}.old-${Date.now().toString(36)}`;
  let moved = false;
  try {
    await rename(target, old);
    moved = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  try {
    await rename(copiedDir, target);
  } catch (error) {
    if (moved) await rename(old, target);
    throw error;
  }
  if (moved) await rm(old, { recursive: true, force: true });
  return target;
}

