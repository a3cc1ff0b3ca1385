// Tells integration tests whether each piece of test infrastructure (Docker engine, sandbox test
// images, code-server, Chromium, Verdaccio) is usable here, and if not, why and how to get it.
// Everything is installed by `npm run setup:test` (scripts/setup/); paths mirror those scripts.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { TestContext } from 'node:test';

/** Outcome of probing one piece of infrastructure: where it is, or why it cannot be used. */
export type Probe = { ok: true; path: string } | { ok: false; reason: string };

/** Language images built from test/images/<name>/Dockerfile. */
export type TestImageName = 'python' | 'node' | 'ruby' | 'rust' | 'go';

/** The non-root user every test image runs as (name `builder`). */
export const TEST_IMAGE_UID = 10001;

/** Version installed by scripts/setup/code-server.sh. */
export const CODE_SERVER_VERSION = process.env.SAFE_INSTALL_CODE_SERVER_VERSION ?? '4.96.4';

/** Overrides for tests of this module; real callers pass nothing. */
export interface ProbeOptions {
  cacheDir?: string;
  dockerCli?: string;
  chromium?: string;
  timeoutMs?: number;
}

const SETUP_HINT = 'run `npm run setup:test`';

/** Cache dir shared with scripts/setup/lib.sh (tools, rootfs tarball, daemon log). */
export function infraCacheDir(): string {
  return process.env.SAFE_INSTALL_CACHE_DIR
    ?? path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'safe-install-dev');
}

/** Image reference tests pass to `docker run`, e.g. safe-install-test/python:bookworm. */
export function testImageRef(name: TestImageName): string {
  return `safe-install-test/${name}:bookworm`;
}

interface RunResult { code: number | null; stdout: string; stderr: string; error?: NodeJS.ErrnoException }

// Argument arrays only, never a shell; a hung daemon must not hang the test run, hence the timer
// (our own: spawn's `timeout` option keeps a timer alive when the command does not exist).
function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.once('error', (error: NodeJS.ErrnoException) => { clearTimeout(timer); resolve({ code: null, stdout, stderr, error }); });
    child.once('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0]?.trim() ?? '';
}

async function isFile(file: string, mode = constants.R_OK): Promise<boolean> {
  try {
    await access(file, mode);
    return true;
  } catch {
    return false;
  }
}

const dockerProbes = new Map<string, Promise<Probe>>();

/** Docker engine answering `docker info`; `path` is the CLI to spawn. Memoized per CLI. */
export function dockerAvailable(options: ProbeOptions = {}): Promise<Probe> {
  const cli = options.dockerCli ?? process.env.SAFE_INSTALL_DOCKER_CLI ?? 'docker';
  let probe = dockerProbes.get(cli);
  if (!probe) {
    probe = probeDocker(cli, options.timeoutMs ?? 15_000);
    dockerProbes.set(cli, probe);
  }
  return probe;
}

async function probeDocker(cli: string, timeoutMs: number): Promise<Probe> {
  if (process.env.SAFE_INSTALL_NO_DOCKER === '1') return { ok: false, reason: 'Docker disabled by SAFE_INSTALL_NO_DOCKER=1' };
  const res = await run(cli, ['info', '--format', '{{.ServerVersion}}'], timeoutMs);
  if (res.error?.code === 'ENOENT') return { ok: false, reason: `docker CLI "${cli}" not found; ${SETUP_HINT}` };
  if (res.error) return { ok: false, reason: `cannot run "${cli}": ${res.error.message}` };
  if (res.code !== 0) {
    const why = firstLine(res.stderr) || firstLine(res.stdout) || `exit code ${String(res.code)}`;
    return { ok: false, reason: `Docker daemon not answering (${why}); run scripts/setup/docker.sh` };
  }
  return { ok: true, path: cli };
}

/** Whether a sandbox test image is built; `path` is its image reference. */
export async function testImage(name: TestImageName, options: ProbeOptions = {}): Promise<Probe> {
  const docker = await dockerAvailable(options);
  if (!docker.ok) return docker;
  const ref = testImageRef(name);
  const res = await run(docker.path, ['image', 'inspect', '--format', '{{.Id}}', ref], options.timeoutMs ?? 15_000);
  if (res.code !== 0) return { ok: false, reason: `test image ${ref} is not built; run scripts/setup/test-images.sh` };
  return { ok: true, path: ref };
}

/** code-server's entry script (run it with `node`, Node 20 only). */
export async function codeServerPath(options: ProbeOptions = {}): Promise<Probe> {
  const entry = path.join(options.cacheDir ?? infraCacheDir(), 'tools', `code-server-${CODE_SERVER_VERSION}`,
    'node_modules', 'code-server', 'out', 'node', 'entry.js');
  // The install stamp is written last, so a half-finished install does not count.
  const stamp = path.join(options.cacheDir ?? infraCacheDir(), 'tools', `code-server-${CODE_SERVER_VERSION}`, '.installed');
  if (!(await isFile(entry)) || !(await isFile(stamp))) {
    return { ok: false, reason: `code-server ${CODE_SERVER_VERSION} is not installed; run scripts/setup/code-server.sh` };
  }
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) return { ok: false, reason: `code-server ${CODE_SERVER_VERSION} needs Node 20, this is ${process.version}` };
  return { ok: true, path: entry };
}

/** Debian's Chromium (or SAFE_INSTALL_CHROMIUM), for playwright-core's `executablePath`. */
export async function chromiumPath(options: ProbeOptions = {}): Promise<Probe> {
  const exe = options.chromium ?? process.env.SAFE_INSTALL_CHROMIUM ?? '/usr/bin/chromium';
  if (!(await isFile(exe, constants.X_OK))) return { ok: false, reason: `no Chromium at ${exe}; run scripts/setup/chromium.sh` };
  return { ok: true, path: exe };
}

/** Arguments for launching that Chromium headless without background traffic. */
export const CHROMIUM_ARGS: readonly string[] = ['--headless', '--no-sandbox', '--disable-gpu',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Verdaccio's CLI (a local npm registry for tests; serve it on 127.0.0.1 only). */
export async function verdaccioPath(options: ProbeOptions = {}): Promise<Probe> {
  const bin = path.join(options.cacheDir ?? infraCacheDir(), 'tools', 'verdaccio', 'node_modules', '.bin', 'verdaccio');
  if (!(await isFile(bin, constants.X_OK))) return { ok: false, reason: `Verdaccio is not installed; run scripts/setup/verdaccio.sh` };
  return { ok: true, path: bin };
}

/**
 * Returns the probed path, or skips the test with the printed reason. With SAFE_INSTALL_REQUIRE_INFRA=1
 * (set it in CI after `npm run setup:test`) a missing piece fails the test instead of skipping it.
 */
export function requireInfra(t: TestContext, probe: Probe): string | undefined {
  if (probe.ok) return probe.path;
  if (process.env.SAFE_INSTALL_REQUIRE_INFRA === '1') {
    throw new Error(`required test infrastructure missing: ${probe.reason}`);
  }
  console.log(`# skipped: ${probe.reason}`);
  t.skip(probe.reason);
  return undefined;
}
