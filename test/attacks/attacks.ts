/**
 * The attack catalog and the two ways each attack is run: the CONTROL (the plain package manager on the
 * host against the local registry — the attack must succeed, proving the fixture works) and the
 * SANDBOX (`safe-install install` — zero canary bytes arrive, the fake home is unchanged, nothing
 * hostile lands in the project, and the report flags the package).
 */
import { access, cp, mkdir, statfs, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Channel, Contact } from '../support/canaryListener';
import { diffSnapshots, snapshotTree } from '../support/fakeHome';
import type { TestImageName } from '../support/infra';
import { GO_ATTACK_MODULE, goControlProgram } from './fixturePackages';
import { AttackLab, REPO_ROOT, runProcess, writeTree, type ProcResult } from './lab';
import { auditTree, findNamed } from './treeAudit';
import { LAB_DISK_LIMIT_BYTES } from './limits';

/** What an attack tries to do. */
export type AttackKind = 'exfil' | 'fork-bomb' | 'disk-fill' | 'archive' | 'copyout';

/** Ecosystems the suite covers. */
export type AttackEcosystem = 'npm' | 'PyPI' | 'crates.io' | 'RubyGems' | 'Go';

/** One row of the matrix. */
export interface AttackCase {
  id: string;
  /** Where the code runs, in words. */
  hook: string;
  ecosystem: AttackEcosystem;
  pkg: string;
  kind: AttackKind;
  /** Extra `safe-install install` arguments. npm rows allow the package's scripts, so they really run in the build phase. */
  sandboxArgs?: readonly string[];
  /** The sandbox report must say this (what still runs later on the host: cargo build.rs, Go init(), gem extconf.rb; what was dropped). */
  laterNote?: RegExp;
  /** Packages the sandbox report must list (dependencies it had to resolve). */
  expectPackages?: readonly string[];
}

export { LAB_DISK_LIMIT_BYTES } from './limits';

/** Every attack of the suite, in matrix order. */
export const ATTACKS: readonly AttackCase[] = [
  { id: 'npm-preinstall', hook: 'npm preinstall script', ecosystem: 'npm', pkg: 'si-attack-preinstall', kind: 'exfil', sandboxArgs: ['--allow-scripts', 'si-attack-preinstall'] },
  { id: 'npm-postinstall', hook: 'npm postinstall script', ecosystem: 'npm', pkg: 'si-attack-postinstall', kind: 'exfil', sandboxArgs: ['--allow-scripts', 'si-attack-postinstall'] },
  { id: 'npm-prepare', hook: 'npm prepare script (git dependency in the control)', ecosystem: 'npm', pkg: 'si-attack-prepare', kind: 'exfil', sandboxArgs: ['--allow-scripts', 'si-attack-prepare'] },
  { id: 'npm-binding-gyp', hook: 'binding.gyp action (node-gyp)', ecosystem: 'npm', pkg: 'si-attack-gyp', kind: 'exfil', sandboxArgs: ['--allow-scripts', 'si-attack-gyp'], laterNote: /node-gyp's interpreter links were dropped, not followed: [^\n]*node_gyp_bins\/python3/ },
  { id: 'pip-cmdclass', hook: 'setup.py cmdclass (build_py/install)', ecosystem: 'PyPI', pkg: 'si-attack-cmdclass', kind: 'exfil' },
  { id: 'pip-backend', hook: 'in-tree PEP 517 backend (backend-path)', ecosystem: 'PyPI', pkg: 'si-attack-backend', kind: 'exfil' },
  { id: 'pip-pth', hook: '.pth import line at every Python start', ecosystem: 'PyPI', pkg: 'si-attack-pth', kind: 'exfil' },
  { id: 'pip-metadata', hook: 'setup.py top level during metadata preparation (pip download)', ecosystem: 'PyPI', pkg: 'si-attack-metadata', kind: 'exfil' },
  { id: 'cargo-build-rs', hook: 'cargo build.rs', ecosystem: 'crates.io', pkg: 'si-attack-build-rs', kind: 'exfil', laterNote: /build\.rs[^\n]*next cargo build/ },
  { id: 'go-init', hook: 'Go init() (control: go run; sandbox: go mod download)', ecosystem: 'Go', pkg: GO_ATTACK_MODULE, kind: 'exfil', laterNote: /init\(\)[^\n]*run/ },
  { id: 'gem-extconf', hook: 'gem extconf.rb (native extension build)', ecosystem: 'RubyGems', pkg: 'si-attack-extconf', kind: 'exfil', laterNote: /extconf\.rb/, expectPackages: ['si-attack-extconf', 'si-attack-gemdep'] },
  { id: 'fork-bomb', hook: 'npm postinstall fork bomb (bounded)', ecosystem: 'npm', pkg: 'si-attack-forkbomb', kind: 'fork-bomb', sandboxArgs: ['--allow-scripts', 'si-attack-forkbomb'] },
  { id: 'disk-fill', hook: 'npm postinstall filling the disk (bounded)', ecosystem: 'npm', pkg: 'si-attack-diskfill', kind: 'disk-fill', sandboxArgs: ['--allow-scripts', 'si-attack-diskfill'] },
  { id: 'archive-npm', hook: 'tarball with ../, absolute path, symlink, hardlink, device, FIFO, setuid', ecosystem: 'npm', pkg: 'si-attack-archive', kind: 'archive', sandboxArgs: ['--allow-scripts', 'si-attack-archive'] },
  { id: 'archive-copyout', hook: 'install script planting links, FIFO, setuid for the copy-out', ecosystem: 'npm', pkg: 'si-attack-copyout', kind: 'copyout', sandboxArgs: ['--allow-scripts', 'si-attack-copyout'] },
];

/** The test image each ecosystem's sandbox needs. */
export const IMAGE_FOR: Record<AttackEcosystem, TestImageName> = { npm: 'node', PyPI: 'python', 'crates.io': 'rust', RubyGems: 'ruby', Go: 'go' };

/** `-e` value the CLI takes per ecosystem. */
export const CLI_ECOSYSTEM: Record<AttackEcosystem, string> = { npm: 'npm', PyPI: 'pip', 'crates.io': 'cargo', RubyGems: 'gem', Go: 'go' };

/** What one half of a row observed. */
export interface Outcome {
  /** Why this half did not run (a skip, never a pass). */
  skipped?: string;
  /** The attack got through: canary bytes arrived, or something hostile landed outside its place. */
  leaked: boolean;
  canaryBytes: number;
  /** Contacts of any kind with the listener during the run. */
  contacts: number;
  channels: Channel[];
  /** Hostile file-system results (escapes, links out, devices, setuid) in the project or the run dir. */
  fsViolations: string[];
  /** Differences in the fake home's SHA-256 tree. */
  homeChanges: string[];
  /** Sandbox half: the report flags the package. */
  flagged?: boolean;
  /** Sandbox half: the fetch phase's network. */
  fetchNetwork?: string;
  exitCode?: number | null;
  ms: number;
  /** Sandbox half: the fixture's "payload ran" line appeared in the installer's output. */
  payloadRan?: boolean;
  /** Short evidence (what arrived, how far a bomb got, why something failed). */
  note: string;
  /** Sandbox half: the report's notes and message (what still runs later on the host). */
  reportText?: string;
  /** Sandbox half: names of the packages the report lists. */
  reportPackages?: string[];
  /** Sandbox half of the disk-fill row: the largest growth of the Docker data file system seen during the run. */
  diskGrowthBytes?: number;
  /** Process output tail for failure messages. */
  log: string;
}

/** An outcome for a half that could not run. */
export function skippedOutcome(reason: string): Outcome {
  return { skipped: reason, leaked: false, canaryBytes: 0, contacts: 0, channels: [], fsViolations: [], homeChanges: [], ms: 0, note: reason, log: '' };
}

function tailOf(res: ProcResult, lines = 25): string {
  const text = `${res.stdout}\n${res.stderr}`.trim().split('\n');
  return `${res.error ? `spawn error: ${res.error}\n` : ''}${res.timedOut ? 'TIMED OUT\n' : ''}exit ${String(res.code)}${res.signal ? ` (${res.signal})` : ''}\n${text.slice(-lines).join('\n')}`;
}

const EVIDENCE = /(fork-bomb-leaves=\d+|disk-fill-bytes=\d+ stop=[A-Za-z0-9]+)/;

// How far a resource attack got, from what reached the listener or (sandbox) the installer's log.
function evidence(contacts: readonly Contact[], log = ''): string {
  for (const c of contacts) {
    const m = EVIDENCE.exec(c.decoded);
    if (m) return m[1] ?? '';
  }
  return EVIDENCE.exec(log)?.[1] ?? '';
}

const MiB = 1024 * 1024;

/** Which half-specific tool is missing for a control, or undefined when it can run. */
export function controlSkipReason(lab: AttackLab, attack: AttackCase): string | undefined {
  switch (attack.ecosystem) {
    case 'npm':
      if (!lab.npm) return lab.npmSkip ?? 'Verdaccio unavailable';
      if (!lab.tools.npm.ok) return lab.tools.npm.reason;
      if (attack.id === 'npm-prepare' && !lab.prepareGitUrl) return lab.tools.git.ok ? 'git repository not built' : lab.tools.git.reason;
      return undefined;
    case 'PyPI':
      return lab.tools.python.ok ? undefined : lab.tools.python.reason;
    case 'crates.io':
      return lab.tools.cargo.ok ? undefined : lab.tools.cargo.reason;
    case 'RubyGems':
      return lab.gemUrl ? undefined : lab.gemSkip ?? 'gem index not built';
    case 'Go':
      return lab.tools.go.ok ? undefined : lab.tools.go.reason;
  }
}

async function pathExists(p: string): Promise<boolean> {
  return access(p).then(() => true, () => false);
}

// Escapes and links out, in the project and across the run dir (an escaped entry may land anywhere above).
// Only what appeared during the run counts: the project's venv links its interpreter from outside by design.
async function hostileFsResults(lab: AttackLab, projectDir: string, baseline: ReadonlySet<string>): Promise<string[]> {
  const found: string[] = [];
  for (const v of await auditTree(projectDir)) {
    const line = `${v.what} ${v.path}${v.detail ? ` -> ${v.detail}` : ''}`;
    if (!baseline.has(line)) found.push(line);
  }
  if (await pathExists(lab.bake.absoluteEscape)) found.push(`absolute-path entry written: ${lab.bake.absoluteEscape}`);
  for (const p of await findNamed(lab.root, new Set(['si-escape-dotdot.txt']), new Set([path.join(lab.root, 'verdaccio')]))) found.push(`../ entry written: ${p}`);
  return found;
}

interface Prepared {
  dir: string;
  /** Tree-audit lines present before the run (the venv's interpreter links). */
  baseline: Set<string>;
  /** Interpreter of the project's venv (PyPI). */
  python?: string;
}

async function prepareProject(lab: AttackLab, attack: AttackCase, half: 'control' | 'sandbox'): Promise<Prepared> {
  const dir = await lab.workDir(`${half}-${attack.id}`);
  const project = path.join(dir, 'project');
  await mkdir(project, { recursive: true });
  if (attack.ecosystem === 'npm') await writeFile(path.join(project, 'package.json'), '{ "name": "attack-target", "version": "1.0.0", "private": true }\n');
  if (attack.ecosystem === 'PyPI' && lab.tools.python.ok) {
    const venv = path.join(project, '.venv');
    const res = await runProcess(lab.tools.python.path, ['-m', 'venv', '--system-site-packages', venv], { env: lab.baseEnv(), timeoutMs: 120_000 });
    if (res.code !== 0) throw new Error(`creating a venv failed:\n${tailOf(res)}`);
    return { dir: project, python: path.join(venv, 'bin', 'python'), baseline: new Set(await hostileFsResults(lab, project, new Set())) };
  }
  return { dir: project, baseline: new Set() };
}

async function runControlCommand(lab: AttackLab, attack: AttackCase, p: Prepared): Promise<ProcResult> {
  const env = lab.baseEnv();
  const limit = (args: string[]): string[] => {
    // Bounds for the two resource attacks when run bare on the host: files of at most 128 MiB; process
    // count capped where the kernel enforces RLIMIT_NPROC (not for root: the fixture's own depth bound holds).
    if (!lab.tools.prlimit.ok) return args;
    if (attack.kind === 'disk-fill') return ['prlimit', `--fsize=${128 * MiB}`, '--', ...args];
    if (attack.kind === 'fork-bomb') return ['prlimit', '--nproc=4096', '--', ...args];
    return args;
  };
  switch (attack.ecosystem) {
    case 'npm': {
      const spec = attack.id === 'npm-prepare' ? `si-attack-prepare@${lab.prepareGitUrl ?? ''}` : attack.pkg;
      const npmrc = path.join(p.dir, '..', 'npmrc');
      await writeFile(npmrc, '');
      const args = ['npm', 'install', spec, '--registry', lab.npm?.url ?? '', '--cache', path.join(p.dir, '..', 'npm-cache'),
        '--userconfig', npmrc, '--no-audit', '--no-fund', '--foreground-scripts', '--loglevel=warn'];
      const nodeDir = await lab.nodeDir();
      if (nodeDir) env.npm_config_nodedir = nodeDir;
      const [cmd = 'npm', ...rest] = limit(args);
      return runProcess(cmd, rest, { cwd: p.dir, env, timeoutMs: 240_000 });
    }
    case 'PyPI': {
      const python = p.python ?? 'python3';
      Object.assign(env, { PIP_CONFIG_FILE: '/dev/null', PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1' });
      // Without build isolation: the local index holds no setuptools, and the host's is what a developer builds with.
      const common = ['--no-deps', '--no-build-isolation', '--no-cache-dir', '--index-url', lab.pypiUrl, attack.pkg];
      if (attack.id === 'pip-metadata') {
        return runProcess(python, ['-m', 'pip', 'download', '-d', path.join(p.dir, 'downloads'), ...common], { cwd: p.dir, env, timeoutMs: 180_000 });
      }
      const res = await runProcess(python, ['-m', 'pip', 'install', ...common], { cwd: p.dir, env, timeoutMs: 180_000 });
      if (attack.id !== 'pip-pth' || res.code !== 0) return res;
      // The .pth hook fires at the next interpreter start, not during the install.
      const started = await runProcess(python, ['-c', 'print("python started")'], { cwd: p.dir, env, timeoutMs: 60_000 });
      return { ...started, stdout: `${res.stdout}\n${started.stdout}`, stderr: `${res.stderr}\n${started.stderr}`, ms: res.ms + started.ms };
    }
    case 'crates.io': {
      await mkdir(path.join(p.dir, 'src'), { recursive: true });
      await mkdir(path.join(p.dir, '.cargo'), { recursive: true });
      await writeFile(path.join(p.dir, 'Cargo.toml'), `[package]\nname = "attack-target"\nversion = "0.1.0"\nedition = "2018"\n\n[dependencies]\n${attack.pkg} = "1.0.0"\n`);
      await writeFile(path.join(p.dir, 'src', 'main.rs'), 'fn main() {}\n');
      await writeFile(path.join(p.dir, '.cargo', 'config.toml'),
        `[source.crates-io]\nreplace-with = "si-local"\n\n[source.si-local]\nregistry = "${lab.cargoSparseUrl}"\n`);
      env.CARGO_HOME = path.join(p.dir, '..', 'cargo-home');
      // rustup's cargo proxy lives in the real CARGO_HOME; RUSTUP_HOME (baseEnv) finds the toolchain.
      env.PATH = `${path.join(lab.realCargoHome, 'bin')}:${env.PATH ?? ''}`;
      return runProcess('cargo', ['build', '--quiet'], { cwd: p.dir, env, timeoutMs: 300_000 });
    }
    case 'Go': {
      // `go mod download` runs nothing; the payload is an init(), which runs when a program importing it starts.
      await writeTree(p.dir, goControlProgram());
      const work = path.join(p.dir, '..');
      Object.assign(env, { GOPROXY: lab.goProxyUrl, GOSUMDB: 'off', GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOPATH: path.join(work, 'gopath'), GOCACHE: path.join(work, 'gocache'), GOMODCACHE: path.join(work, 'gomodcache') });
      return runProcess('go', ['run', '.'], { cwd: p.dir, env, timeoutMs: 300_000 });
    }
    case 'RubyGems': {
      const gemHome = path.join(p.dir, 'gems');
      Object.assign(env, { GEM_HOME: gemHome, GEM_PATH: gemHome, GEM_SPEC_CACHE: path.join(p.dir, '..', 'gem-spec-cache') });
      return runProcess('gem', ['install', '--install-dir', gemHome, '--no-document', '--clear-sources', '--source', lab.gemUrl ?? '', attack.pkg],
        { cwd: p.dir, env, timeoutMs: 240_000 });
    }
  }
}

/** Runs the plain package manager on the host: the attack is expected to get through. */
export async function runControl(lab: AttackLab, attack: AttackCase): Promise<Outcome> {
  const why = controlSkipReason(lab, attack);
  if (why) return skippedOutcome(why);
  const since = Date.now();
  const homeBefore = await snapshotTree(lab.home.dir);
  const p = await prepareProject(lab, attack, 'control');
  const res = await runControlCommand(lab, attack, p);
  const contacts = lab.listener.contactsFor(undefined, since);
  const { bytes, channels } = lab.listener.canaryBytes(contacts, lab.home.canaries);
  const fsViolations = attack.kind === 'archive' || attack.kind === 'copyout' ? await hostileFsResults(lab, p.dir, p.baseline) : [];
  const homeChanges = diffSnapshots(homeBefore, await snapshotTree(lab.home.dir));
  const leaked = bytes > 0 || fsViolations.length > 0 || homeChanges.some((c) => c.includes('.ssh/'));
  const note = [evidence(contacts), res.code !== 0 ? `exit ${String(res.code)}` : ''].filter((s) => s !== '').join('; ');
  return { leaked, canaryBytes: bytes, contacts: contacts.length, channels, fsViolations, homeChanges, exitCode: res.code, ms: res.ms, note, log: tailOf(res) };
}

// ---------------------------------------------------------------------------------------------------
// Sandbox half

/**
 * Copies the built CLI (dist/cli.js and its data) into the lab, so a rebuild of dist/ during the run
 * cannot pull it away mid-matrix; returns a skip reason when `safe-install install` is not there.
 */
export async function snapshotCli(lab: AttackLab): Promise<string | undefined> {
  // SAFE_INSTALL_ATTACK_DIST: a copy of dist/ made right after a build, for runs beside others who rebuild dist/.
  const dist = process.env.SAFE_INSTALL_ATTACK_DIST ?? path.join(REPO_ROOT, 'dist');
  if (!(await pathExists(path.join(dist, 'cli.js')))) return 'dist/cli.js is not built (npm run build)';
  const target = path.join(lab.root, 'cli');
  await cp(path.join(dist, 'cli.js'), path.join(target, 'cli.js'));
  if (await pathExists(path.join(dist, 'data'))) await cp(path.join(dist, 'data'), path.join(target, 'data'), { recursive: true });
  lab.cli = path.join(target, 'cli.js');
  const cli = lab.cli;
  const res = await runProcess(process.execPath, [cli, 'install', '--help'], { env: { PATH: process.env.PATH ?? '' }, timeoutMs: 30_000 });
  if (res.code !== 0) return `\`safe-install install\` is not available in dist/cli.js yet (install --help exited ${String(res.code)}: ${(res.stderr || res.stdout).trim().split('\n')[0] ?? ''})`;
  return undefined;
}

const FLAG_SEVERITIES = new Set(['critical', 'high', 'error', 'warning', 'medium']);

/**
 * True when the JSON report holds a finding at warning level or above that concerns `pkg`: an object
 * with a qualifying `severity` whose own text, or an enclosing object's, names the package.
 */
export function reportFlagsPackage(report: unknown, pkg: string): boolean {
  const visit = (node: unknown, namedAbove: boolean): boolean => {
    if (Array.isArray(node)) return node.some((n) => visit(n, namedAbove));
    if (node === null || typeof node !== 'object') return false;
    const obj = node as Record<string, unknown>;
    const text = JSON.stringify(obj);
    const named = namedAbove || Object.values(obj).some((v) => v === pkg || (typeof v === 'string' && v.startsWith(`${pkg}@`)));
    const severity = typeof obj.severity === 'string' ? obj.severity.toLowerCase() : undefined;
    if (severity !== undefined && FLAG_SEVERITIES.has(severity) && (named || text.includes(pkg))) return true;
    return Object.values(obj).some((v) => visit(v, named));
  };
  return visit(report, false);
}

/** True when the run ended without installing and its message names the package (e.g. a copy-out refusal). */
export function reportRefusesPackage(report: unknown, pkg: string): boolean {
  if (report === null || typeof report !== 'object') return false;
  const { verdict, message } = report as { verdict?: unknown; message?: unknown };
  return typeof verdict === 'string' && ['blocked', 'failed', 'refused'].includes(verdict) && typeof message === 'string' && message.includes(pkg);
}

function refusal(report: unknown): string {
  if (report === null || typeof report !== 'object') return '';
  const { verdict, message } = report as { verdict?: unknown; message?: unknown };
  return typeof verdict === 'string' && verdict !== 'installed' ? `${verdict}: ${String(message).split('\n')[0]?.slice(0, 160) ?? ''}` : '';
}

function parseJsonReport(stdout: string): unknown {
  const text = stdout.trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Some reporters print one JSON document per line; take the last complete one.
    for (const line of text.split('\n').reverse()) {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        // keep looking
      }
    }
    return undefined;
  }
}

/** Runs `safe-install install` against the local registry: nothing may get through. */
export async function runSandbox(lab: AttackLab, attack: AttackCase): Promise<Outcome> {
  const registry = { npm: lab.npm?.url, PyPI: lab.pypiUrl, 'crates.io': lab.cargoHttpUrl, RubyGems: lab.gemUrl, Go: lab.goProxyUrl }[attack.ecosystem];
  if (!registry) return skippedOutcome(`no local ${attack.ecosystem} registry (${attack.ecosystem === 'npm' ? lab.npmSkip ?? '' : lab.gemSkip ?? ''})`);
  if (attack.ecosystem === 'PyPI' && !lab.tools.python.ok) return skippedOutcome(lab.tools.python.reason);
  const since = Date.now();
  const homeBefore = await snapshotTree(lab.home.dir);
  const p = await prepareProject(lab, attack, 'sandbox');
  // The default fetch network, asked for explicitly so it cannot fall back: the internal network, with the
  // 127.0.0.1 registry reached only through safe-install's egress proxy. Go never sends a loopback address
  // through a proxy, so its local proxy is reached with host networking. The build phase never has a network.
  const network = attack.ecosystem === 'Go' ? 'host' : 'registry-only';
  const args = [lab.cli, 'install', '-e', CLI_ECOSYSTEM[attack.ecosystem], attack.pkg,
    '--ci', '--format', 'json', '--network-mode', network, '--registry', registry];
  if (p.python) args.push('--python', p.python);
  args.push(...(attack.sandboxArgs ?? []));
  const disk = attack.kind === 'disk-fill' ? await DiskSampler.start(lab) : undefined;
  const res = await runProcess(process.execPath, args, { cwd: p.dir, env: lab.baseEnv(), timeoutMs: 600_000 });
  const diskGrowthBytes = await disk?.stop();
  let log = tailOf(res);
  if (p.python) {
    // Whatever was installed, start the project's Python once: an installed .pth would fire now.
    const started = await runProcess(p.python, ['-c', 'pass'], { cwd: p.dir, env: lab.baseEnv(), timeoutMs: 60_000 });
    log += `\n[python start] exit ${String(started.code)}`;
  }
  const contacts = lab.listener.contactsFor(undefined, since);
  const { bytes, channels } = lab.listener.canaryBytes(contacts, lab.home.canaries);
  const fsViolations = await hostileFsResults(lab, p.dir, p.baseline);
  const homeChanges = diffSnapshots(homeBefore, await snapshotTree(lab.home.dir));
  const report = parseJsonReport(res.stdout);
  const flagged = report !== undefined && (reportFlagsPackage(report, attack.pkg) || reportRefusesPackage(report, attack.pkg));
  const leaked = bytes > 0 || contacts.length > 0 || fsViolations.length > 0 || homeChanges.length > 0;
  const payloadRan = `${res.stdout}\n${res.stderr}`.includes(`si-attack-payload-ran ${attack.id}`);
  const note = [res.timedOut ? 'CLI timed out' : `exit ${String(res.code)}`, report === undefined ? 'no JSON report' : '', refusal(report), evidence(contacts, res.stderr)].filter((s) => s !== '').join('; ');
  const { reportText, reportPackages } = reportDetails(report);
  return {
    leaked, canaryBytes: bytes, contacts: contacts.length, channels, fsViolations, homeChanges, flagged, payloadRan, fetchNetwork: network, exitCode: res.code, ms: res.ms, note, log,
    reportText, reportPackages, ...(diskGrowthBytes !== undefined ? { diskGrowthBytes } : {}),
  };
}

function reportDetails(report: unknown): { reportText: string; reportPackages: string[] } {
  if (report === null || typeof report !== 'object') return { reportText: '', reportPackages: [] };
  const r = report as { message?: unknown; notes?: unknown; packages?: unknown };
  const notes = Array.isArray(r.notes) ? r.notes.filter((n): n is string => typeof n === 'string') : [];
  const packages = Array.isArray(r.packages) ? r.packages.map((p) => (p as { name?: unknown }).name).filter((n): n is string => typeof n === 'string') : [];
  return { reportText: [String(r.message ?? ''), ...notes].join('\n'), reportPackages: packages };
}

/**
 * Samples the used bytes of the file system holding Docker's data (images, containers, volumes) while a
 * run goes on, so the disk-fill row can show how much the host disk grew at most. Sampling a counter is
 * the only way to see a peak the fixture removes again before it ends.
 */
class DiskSampler {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;
  private busy = false;
  private constructor(private readonly dir: string, private readonly base: number) {
    this.timer = setInterval(() => { void this.sample(); }, 100);
  }

  static async start(lab: AttackLab): Promise<DiskSampler> {
    const info = await runProcess('docker', ['info', '--format', '{{.DockerRootDir}}'], { env: lab.baseEnv(), timeoutMs: 30_000 });
    const root = info.stdout.trim() || '/var/lib/docker';
    // The data root itself may not be searchable by this user; its parent sits on the same file system in a default setup.
    const dir = await statfs(root).then(() => root, () => path.dirname(root));
    return new DiskSampler(dir, await DiskSampler.used(dir));
  }

  private static async used(dir: string): Promise<number> {
    const s = await statfs(dir);
    return (s.blocks - s.bfree) * s.bsize;
  }

  private async sample(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      this.peak = Math.max(this.peak, (await DiskSampler.used(this.dir)) - this.base);
    } finally {
      this.busy = false;
    }
  }

  /** Stops sampling; the largest growth seen, in bytes. */
  async stop(): Promise<number> {
    clearInterval(this.timer);
    await this.sample();
    return this.peak;
  }
}
