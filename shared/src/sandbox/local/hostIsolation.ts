/**
 * `install --no-sandbox`: the plain package manager on this machine, as contained as it can be without
 * Docker. On Linux with a working bubblewrap it runs in a bwrap sandbox (empty tmpfs home, the project
 * bound read-write, credential paths outside home and the Docker socket masked, filtered environment,
 * network shared for the registry); only the package manager's own install folders under home come back,
 * read-only. Without bubblewrap the credential vault moves credential files away for the length of the
 * install (the last resort). Nothing is moved when bwrap runs.
 */
import { constants } from 'node:fs';
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { Ecosystem } from '../../model';
import { bwrapArgs, collectBwrapMasks } from '../../vault/bwrap';
import { withCredentialsHidden, type VaultReport } from '../../vault/withCredentialsHidden';
import { stripProxyCredentials } from '../environment';
import { pathExists } from '../pathExists';
import { pipArgv } from './pip';
import type { ProcessResult, ProcessRunner } from './process';

/** How the unsandboxed install was contained. */
export type HostIsolationMode = 'bwrap' | 'vault';

/** What the caller knows. */
export interface HostInstallOptions {
  ecosystem: Ecosystem;
  /** Package-manager arguments, already validated (`name==1.0`, `name@1`). */
  packages: readonly string[];
  registry: string;
  projectDir: string;
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The interpreter for pip (already chosen: --python, $VIRTUAL_ENV, .venv or python3). */
  python?: string;
  platform?: string;
  /** `[vault] extra_paths` / `extra_env_vars`: masked by bwrap too. */
  extraPaths?: readonly string[];
  extraEnvVars?: readonly string[];
  run: ProcessRunner;
  signal?: AbortSignal;
}

/** What happened. */
export interface HostInstallResult {
  mode: HostIsolationMode;
  result: ProcessResult;
  notes: string[];
  vault?: VaultReport;
}

/** Home folders that hold package managers and language runtimes (never credentials), bound read-only under bwrap. */
export const TOOL_DIRS_IN_HOME: readonly string[] = ['.pyenv', '.nvm', '.volta', '.asdf', '.rbenv', '.rustup', '.cargo/bin', '.local/bin', '.local/share/fnm', '.local/share/pnpm', '.bun/bin', '.deno/bin', '.sdkman/candidates', 'go/bin', '.go'];

/**
 * Variables the package manager may see: locale, terminal, proxies (without credentials), CA bundles and the
 * version managers' own settings. Everything else stays out, because a secret can sit in a variable with an
 * ordinary name that no deny-list recognises; the vault's credential filter still runs on what is left.
 */
const PASSED_VARIABLES = /^(?:PATH|LANG|LANGUAGE|LC_[A-Z_]+|TERM|COLORTERM|TZ|TMPDIR|USER|LOGNAME|SHELL|COLUMNS|LINES|NO_COLOR|FORCE_COLOR|CI|HTTPS?_PROXY|NO_PROXY|ALL_PROXY|https?_proxy|no_proxy|all_proxy|SSL_CERT_FILE|SSL_CERT_DIR|NODE_EXTRA_CA_CERTS|REQUESTS_CA_BUNDLE|PIP_CERT|VIRTUAL_ENV|PYENV_[A-Z_]+|PYENV|NVM_[A-Z_]+|VOLTA_HOME|ASDF_[A-Z_]+|RBENV_[A-Z_]+|RUSTUP_HOME|RUSTUP_TOOLCHAIN|GOROOT|XDG_[A-Z]+_HOME|XDG_RUNTIME_DIR|XDG_[A-Z]+_DIRS)$/;

/** The environment for the package manager: the allow-list above, proxy URLs without user:password. */
export function hostInstallEnvironment(env: Readonly<Record<string, string | undefined>>): { env: Record<string, string>; dropped: string[] } {
  const out: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (!PASSED_VARIABLES.test(name)) {
      dropped.push(name);
      continue;
    }
    out[name] = /proxy$/i.test(name) ? stripProxyCredentials(value).value : value;
  }
  return { env: out, dropped: dropped.sort() };
}

/** The first executable `name` on `PATH` (no shell), or undefined. */
export async function findOnPath(name: string, env: Readonly<Record<string, string | undefined>>): Promise<string | undefined> {
  if (name.includes('/')) return (await pathExists(name, constants.X_OK)) ? path.resolve(name) : undefined;
  for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, name);
    if (await pathExists(candidate, constants.X_OK)) return candidate;
  }
  return undefined;
}

/** bubblewrap's path when it can create a sandbox here (Linux, user namespaces allowed), else undefined with the reason. */
export async function usableBwrap(env: Readonly<Record<string, string | undefined>>, run: ProcessRunner, platform: string = process.platform): Promise<{ bwrap?: string; reason: string }> {
  if (platform !== 'linux') return { reason: 'bubblewrap is Linux-only' };
  const bwrap = await findOnPath('bwrap', env);
  if (bwrap === undefined) return { reason: 'bubblewrap (bwrap) is not on PATH' };
  // The smallest real sandbox; fails where unprivileged user namespaces are off.
  const probe = await run(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', '--', 'true'], { cwd: '/', env: { PATH: env['PATH'] ?? '' }, signal: AbortSignal.timeout(8000) });
  if (probe.code !== 0) return { reason: `bubblewrap cannot create a sandbox here (${probe.stderr.trim().split('\n').pop() ?? `exit ${probe.code}`})` };
  return { bwrap, reason: 'bubblewrap can create a sandbox' };
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * Read-only binds for the package manager's own folders under home (pyenv, nvm, ~/.cargo/bin…), and a
 * read-write bind for a virtualenv that lives in home outside the project (pip installs into it).
 */
export async function toolBinds(homeDir: string, projectDir: string, executable: string | undefined, python: string | undefined): Promise<{ readOnly: string[]; readWrite: string[] }> {
  const home = path.resolve(homeDir);
  const readOnly: string[] = [];
  for (const rel of TOOL_DIRS_IN_HOME) {
    const dir = path.join(home, rel);
    if (await pathExists(dir)) readOnly.push(dir);
  }
  // An executable elsewhere in home (a hand-made ~/tools/node/bin/npm): its folder's parent, read-only.
  for (const exe of [executable, python]) {
    if (exe === undefined || !path.isAbsolute(exe)) continue;
    const real = await realpath(exe).catch(() => exe);
    for (const p of [exe, real]) {
      if (!isInside(p, home) || isInside(p, path.resolve(projectDir)) || readOnly.some((d) => isInside(p, d))) continue;
      // Never home itself, nor a whole dot-folder such as ~/.config: then only the executable's own folder.
      const parent = path.dirname(path.dirname(p));
      const rel = path.relative(home, parent);
      readOnly.push(rel === '' || (!rel.includes(path.sep) && rel.startsWith('.')) ? path.dirname(p) : parent);
    }
  }
  const readWrite: string[] = [];
  if (python !== undefined && path.isAbsolute(python)) {
    const venv = path.dirname(path.dirname(python));
    if (await pathExists(path.join(venv, 'pyvenv.cfg')) && isInside(venv, home) && !isInside(venv, path.resolve(projectDir))) readWrite.push(venv);
  }
  return { readOnly: [...new Set(readOnly)].filter((d) => !readWrite.includes(d)), readWrite };
}

function command(options: HostInstallOptions): { program: string; args: string[] } {
  if (options.ecosystem === 'PyPI') return { program: options.python ?? 'python3', args: pipArgv(['install', '--disable-pip-version-check', '--index-url', options.registry, '--', ...options.packages]) };
  return { program: (options.platform ?? process.platform) === 'win32' ? 'npm.cmd' : 'npm', args: ['install', '--no-audit', '--no-fund', '--registry', options.registry, '--', ...options.packages] };
}

/** Runs the package manager under bubblewrap when possible, else with the vault hiding credentials. */
export async function installOnHost(options: HostInstallOptions): Promise<HostInstallResult> {
  const { program, args } = command(options);
  const passed = hostInstallEnvironment(options.env);
  const envNote = `isolation: ${passed.dropped.length} environment variables were not passed to the package manager (only locale, terminal, proxy, CA and version-manager settings are)`;
  const bw = await usableBwrap(options.env, options.run, options.platform);
  if (bw.bwrap !== undefined) {
    const executable = await findOnPath(program, options.env);
    if (executable === undefined) return { mode: 'bwrap', result: { code: 127, stdout: '', stderr: `${program} is not on PATH\n` }, notes: [] };
    const binds = await toolBinds(options.homeDir, options.projectDir, executable, options.python);
    const masks = await collectBwrapMasks(options.extraPaths ?? []);
    const argv = bwrapArgs({
      homeDir: options.homeDir,
      projectDir: options.projectDir,
      env: passed.env,
      command: [executable, ...args],
      network: true,
      maskPaths: masks,
      readOnlyBinds: binds.readOnly,
      readWriteBinds: binds.readWrite,
      ...(options.extraEnvVars ? { extraEnvVars: options.extraEnvVars } : {}),
      ...(options.env['XDG_RUNTIME_DIR'] ? { runtimeDir: options.env['XDG_RUNTIME_DIR'] } : {}),
    });
    const result = await options.run(bw.bwrap, argv, { cwd: options.projectDir, env: { PATH: options.env['PATH'] ?? '' }, ...(options.signal ? { signal: options.signal } : {}) });
    return {
      mode: 'bwrap',
      result,
      notes: [
        'isolation: bubblewrap — install scripts ran on this machine with an empty home, the project folder writable, credential paths and the Docker socket masked, and a filtered environment; the network was shared (the registry needs it)',
        envNote,
        ...(binds.readOnly.length > 0 ? [`isolation: read-only in the sandbox: ${binds.readOnly.join(', ')}`] : []),
        ...(binds.readWrite.length > 0 ? [`isolation: writable in the sandbox: ${binds.readWrite.join(', ')}`] : []),
      ],
    };
  }
  const run = await withCredentialsHidden({ homeDir: options.homeDir, env: passed.env, ...(options.extraPaths ? { extraPaths: options.extraPaths } : {}), ...(options.extraEnvVars ? { extraEnvVars: options.extraEnvVars } : {}) },
    (childEnv, context) => options.run(program, args, { cwd: options.projectDir, env: childEnv, signal: options.signal ? AbortSignal.any([options.signal, context.signal]) : context.signal }));
  return {
    mode: 'vault',
    result: run.value,
    vault: run.report,
    notes: [
      `isolation: credential vault (${bw.reason}) — install scripts ran as you with your home in reach; ${run.report.hidden.length} credential paths were moved away while they ran`,
      envNote,
      ...(run.report.errors.length > 0 ? [`vault: restore problems: ${run.report.errors.join('; ')} (run \`safe-install vault recover\`)`] : []),
    ],
  };
}
