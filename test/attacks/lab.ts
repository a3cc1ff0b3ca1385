/**
 * The attack lab: everything one run of the matrix shares, started once — a fake home full of canaries,
 * the canary listener, Verdaccio, one static server for the PyPI/cargo/gem registries, and every fixture
 * built with the listener's ports baked in. Also runs processes (controls and the CLI) with a clean,
 * explicit environment and a process-group kill on timeout, so a runaway fixture never outlives its test.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CanaryListener } from '../support/canaryListener';
import { createCanaryHome, type CanaryHome } from './canaryHome';
import { testImageRef, verdaccioPath, type Probe } from '../support/infra';
import {
  StaticServer, runTool, startVerdaccio, writeCargoLocalRegistry, writeCargoSparseRegistry, writeGemIndex, writeGoProxy, writePythonIndex,
  type LocalNpmRegistry,
} from '../support/localRegistries';
import { LAB_DISK_LIMIT_BYTES } from './limits';
import { buildCrates, buildGoModules, buildNpmPackages, buildPythonDistributions, gemDependencyFiles, gemSourceFiles, type Bake, type FileMap } from './fixturePackages';

/** Repository root (for dist/cli.js). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Outcome of one process run. */
export interface ProcResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
  /** Set when the command could not start (ENOENT…). */
  error?: string;
}

/** Runs `cmd args` (never a shell) in its own process group; kills the whole group on timeout. */
export function runProcess(cmd: string, args: readonly string[], options: { cwd?: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<ProcResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const cap = (s: string, d: Buffer): string => (s.length > 4_000_000 ? s : s + d.toString());
    child.stdout.on('data', (d: Buffer) => { stdout = cap(stdout, d); });
    child.stderr.on('data', (d: Buffer) => { stderr = cap(stderr, d); });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // group already gone
      }
    };
    const timer = setTimeout(() => { timedOut = true; killGroup(); }, options.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, stdout, stderr, ms: Date.now() - t0, timedOut, error: e.message });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      // Leftover members of the group (a fixture's detached children) end with the run.
      killGroup();
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0, timedOut });
    });
  });
}

async function exists(p: string, mode = constants.F_OK): Promise<boolean> {
  try {
    await access(p, mode);
    return true;
  } catch {
    return false;
  }
}

/** The host tools the controls need, each probed once. */
export interface HostTools {
  npm: Probe;
  /** A python3 whose standard environment has setuptools and wheel (sdists build without isolation). */
  python: Probe;
  cargo: Probe;
  gem: Probe;
  go: Probe;
  git: Probe;
  prlimit: Probe;
}

async function probeTool(cmd: string, args: string[], hint: string, env: NodeJS.ProcessEnv = process.env): Promise<Probe> {
  const res = await runProcess(cmd, args, { env, timeoutMs: 30_000 });
  if (res.code === 0) return { ok: true, path: cmd };
  return { ok: false, reason: `${cmd} ${args.join(' ')} failed (${res.error ?? (res.stderr.trim().split('\n').pop() ?? `exit ${String(res.code)}`)}); ${hint}` };
}

async function probePython(): Promise<Probe> {
  const check = ['-c', 'import setuptools, wheel, venv, ensurepip'];
  const reasons: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const p = await probeTool(candidate, check, 'run scripts/setup/attack-tools.sh (python3-setuptools python3-wheel python3-venv)');
    if (p.ok) return p;
    reasons.push(p.reason);
  }
  return { ok: false, reason: reasons.join('; ') };
}

/** Everything a run shares. Create with `AttackLab.start()`, end with `close()`. */
export class AttackLab {
  npm: LocalNpmRegistry | undefined;
  npmSkip: string | undefined;
  pypiUrl = '';
  cargoSparseUrl = '';
  /** The sparse registry's plain http URL (what `--registry` accepts). */
  cargoHttpUrl = '';
  cargoLocalRegistry = '';
  gemUrl: string | undefined;
  gemSkip: string | undefined;
  /** GOPROXY URL of the local module proxy. */
  goProxyUrl = '';
  prepareGitUrl: string | undefined;
  /** The CLI snapshot the sandbox half runs (set by snapshotCli). */
  cli = '';
  /** The real home's rustup dir (controls run with the fake HOME; rustup's cargo proxy must still find its toolchains). */
  readonly rustupHome = process.env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup');
  readonly realCargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo');
  private counter = 0;

  private constructor(
    readonly root: string,
    readonly home: CanaryHome,
    readonly listener: CanaryListener,
    readonly files: StaticServer,
    readonly tools: HostTools,
    readonly bake: Bake,
  ) {}

  /** Starts the shared servers and builds and publishes every fixture (~seconds). */
  static async start(): Promise<AttackLab> {
    const root = await mkdtemp(path.join(os.tmpdir(), 'si-attacks-'));
    const home = await createCanaryHome(root);
    const listener = await CanaryListener.start();
    const files = await StaticServer.start(path.join(root, 'registry-files'));
    const tools: HostTools = {
      npm: await probeTool('npm', ['--version'], 'npm ships with Node'),
      python: await probePython(),
      cargo: await probeTool('cargo', ['--version'], 'install cargo (e.g. Debian: apt-get install cargo)'),
      gem: await probeTool('gem', ['--version'], 'run scripts/setup/attack-tools.sh (ruby)'),
      go: await probeTool('go', ['version'], 'run scripts/setup/attack-tools.sh (golang-go)'),
      git: await probeTool('git', ['--version'], 'install git'),
      prlimit: await probeTool('prlimit', ['--version'], 'install util-linux'),
    };
    const bake: Bake = { httpPort: listener.httpPort, dnsPort: listener.dnsPort, fakeHome: home.dir, absoluteEscape: path.join(root, 'si-escape-absolute.txt') };
    const lab = new AttackLab(root, home, listener, files, tools, bake);
    await mkdir(path.join(root, 'tmp'), { recursive: true });
    await lab.writeUserConfig();
    await lab.buildRegistries();
    return lab;
  }

  // The CLI's user config (under XDG_CONFIG_HOME, outside the fake home so its tree hash stays clean):
  // the sandbox uses the locally built test images, since no image registry is reachable in tests.
  private async writeUserConfig(): Promise<void> {
    const dir = path.join(this.root, 'xdg-config', 'safe-install');
    await mkdir(dir, { recursive: true });
    const images = (['python', 'node', 'rust', 'go', 'ruby'] as const).map((n) => `${{ python: 'pip', node: 'npm', rust: 'cargo', go: 'go', ruby: 'gem' }[n]} = "${testImageRef(n)}"`);
    // A small build-area cap, so the disk-fill row shows the cap stopping the fill (ENOSPC) well before its own 1.5 GiB bound.
    await writeFile(path.join(dir, 'config.toml'), `[sandbox]\ndisk_limit = "${LAB_DISK_LIMIT_BYTES}"\n\n[sandbox.images]\n${images.join('\n')}\n`);
  }

  private async buildRegistries(): Promise<void> {
    const npm = await buildNpmPackages(this.bake);
    const verdaccio = await verdaccioPath();
    if (verdaccio.ok) {
      this.npm = await startVerdaccio(verdaccio.path, path.join(this.root, 'verdaccio'));
      for (const pkg of npm.packages.values()) await this.npm.publish(pkg);
    } else {
      this.npmSkip = verdaccio.reason;
    }
    if (this.tools.git.ok) this.prepareGitUrl = await this.gitRepo('si-attack-prepare', { ...npm.prepareFiles, 'package.json': `${JSON.stringify(npm.prepareManifest, null, 2)}\n` });

    await writePythonIndex(path.join(this.files.root, 'pypi'), [...(await buildPythonDistributions(this.bake)).values()]);
    this.pypiUrl = `${this.files.url}/pypi/simple/`;

    const crates = [...(await buildCrates(this.bake)).values()];
    this.cargoSparseUrl = await writeCargoSparseRegistry(this.files.root, 'cargo', this.files.url, crates);
    this.cargoHttpUrl = this.cargoSparseUrl.replace(/^sparse\+/, '');
    this.cargoLocalRegistry = path.join(this.root, 'cargo-local-registry');
    await writeCargoLocalRegistry(this.cargoLocalRegistry, crates);

    await writeGoProxy(path.join(this.files.root, 'goproxy'), await buildGoModules(this.bake));
    this.goProxyUrl = `${this.files.url}/goproxy`;

    if (this.tools.gem.ok) {
      // A host whose Ruby cannot build or index gems loses the gem row only (skipped with the reason).
      try {
        const src = path.join(this.root, 'gem-src');
        await writeTree(src, await gemSourceFiles(this.bake));
        await runTool('gem', ['build', 'si-attack-extconf.gemspec'], { cwd: src, env: this.baseEnv() });
        const dep = path.join(this.root, 'gem-dep-src');
        await writeTree(dep, gemDependencyFiles());
        await runTool('gem', ['build', 'si-attack-gemdep.gemspec'], { cwd: dep, env: this.baseEnv() });
        await writeGemIndex(path.join(this.files.root, 'gems'), [path.join(src, 'si-attack-extconf-1.0.0.gem'), path.join(dep, 'si-attack-gemdep-1.0.1.gem')]);
        this.gemUrl = `${this.files.url}/gems/`;
      } catch (error) {
        this.gemSkip = `building the gem index failed: ${(error as Error).message.split('\n').slice(0, 3).join(' ')}`;
      }
    } else {
      this.gemSkip = this.tools.gem.reason;
    }
  }

  // A git repository holding the package: npm runs `prepare` for git dependencies, not registry tarballs.
  private async gitRepo(name: string, files: FileMap): Promise<string> {
    const dir = path.join(this.root, 'git', name);
    await writeTree(dir, files);
    const env = { ...this.baseEnv(), GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
    const git = (...args: string[]): Promise<string> => runTool('git', ['-c', 'user.name=si-tests', '-c', 'user.email=si-tests@invalid', '-c', 'init.defaultBranch=main', ...args], { cwd: dir, env });
    await git('init', '-q');
    await git('add', '.');
    await git('commit', '-q', '-m', 'fixture');
    return `git+file://${dir}`;
  }

  /** A fresh directory for one run of one attack. */
  async workDir(label: string): Promise<string> {
    this.counter += 1;
    const dir = path.join(this.root, 'work', `${String(this.counter).padStart(2, '0')}-${label}`);
    await mkdir(dir, { recursive: true });
    return dir;
  }

  /** Environment of every process the lab starts: PATH, the fake home and its canaries, loopback without proxies. */
  baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'C.UTF-8',
      TMPDIR: path.join(this.root, 'tmp'),
      NO_PROXY: '127.0.0.1,localhost',
      no_proxy: '127.0.0.1,localhost',
      RUSTUP_HOME: this.rustupHome,
      ...this.home.env(),
      XDG_CACHE_HOME: path.join(this.root, 'xdg-cache'),
      XDG_CONFIG_HOME: path.join(this.root, 'xdg-config'),
      ...extra,
    };
    // The CLI reaches the engine the same way the developer's shell does.
    for (const k of ['DOCKER_HOST', 'DOCKER_CERT_PATH', 'DOCKER_TLS_VERIFY', 'SAFE_INSTALL_DOCKER_CLI']) {
      const v = process.env[k];
      if (v !== undefined) env[k] = v;
    }
    return env;
  }

  /** Whether Node's headers are installed locally, so node-gyp needs no download (`--nodedir`). */
  async nodeDir(): Promise<string | undefined> {
    const prefix = path.dirname(path.dirname(process.execPath));
    for (const dir of [prefix, '/usr', '/usr/local']) if (await exists(path.join(dir, 'include', 'node', 'common.gypi'))) return dir;
    return undefined;
  }

  /** Stops the servers and removes the run's temp dir. */
  async close(): Promise<void> {
    await this.npm?.close();
    await this.files.close();
    await this.listener.close();
    if (process.env.SAFE_INSTALL_KEEP_ATTACK_DIR === '1') console.log(`# attack lab kept at ${this.root}`);
    else {
      try {
        await rm(this.root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
      } catch (error) {
        console.log(`# could not remove the attack lab ${this.root}: ${(error as Error).message}`);
      }
    }
  }
}

/** Writes a file map under `dir`. */
export async function writeTree(dir: string, files: FileMap): Promise<void> {
  for (const [rel, data] of Object.entries(files)) {
    const file = path.join(dir, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, data);
  }
}
