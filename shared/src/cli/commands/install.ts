/**
 * `safe-install install [-e ECOSYSTEM] PKG… [options]`: fetch and build in a locked-down Docker
 * container, copy out, verify, install locally without running package code. Flags are stable (the
 * attack test suite drives them).
 */
import os from 'node:os';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { defaultUserConfigPath, loadEffectiveConfig, projectConfigPath } from '../../config/loadEffectiveConfig';
import type { Ecosystem } from '../../model';
import { fileSystemConfigIo } from '../../intelligence/context';
import { resolveEndpoints } from '../../registry/endpoints';
import { DockerodeEngine, type SandboxEngine } from '../../sandbox/docker';
import { cpuCount, memoryBytes } from '../../config/limits';
import { limitsFromConfig, type SandboxLimits } from '../../sandbox/hardening';
import { sandboxInstall, type InstallReport, type InstallRequest } from '../../sandbox/installer';
import { spawnProcess, startProcess, type ProcessRunner, type ProcessStarter } from '../../sandbox/local/process';
import { InvalidPackageError, parsePackageRequest } from '../../sandbox/names';
import type { SandboxEvent } from '../../sandbox/progress';
import { eventLine, formatInstallReport } from '../../sandbox/progressText';
import { FETCH_NETWORK_MODES, installerSandboxSettings } from '../../config/installerSettings';
import { parseHostEntry } from '../../sandbox/egress/allowList';
import { REGISTRY_ONLY } from '../../sandbox/egress/fetchNetwork';
import { packageJsonScriptAllowList } from '../../sandbox/settings';
import { installOnHost, type HostInstallResult } from '../../sandbox/local/hostIsolation';
import { choosePython } from '../../sandbox/local/pip';
import type { CliCommand, CliIo } from '../command';
import { parseCommandLine } from '../parseCommandLine';
import { UsageError } from '../usageError';
import { detectEcosystem } from './audit';

/** One-line summary for the top-level help. */
export const INSTALL_SUMMARY = 'Install packages through a locked-down Docker sandbox (no package code runs on your machine)';

export const INSTALL_USAGE = `Usage: safe-install install [-e ECOSYSTEM] PKG... [options]

Fetches PKG and its dependencies in a hardened container (no capabilities, read-only root, non-root,
memory/CPU/PID limits, nothing of your home or environment), runs install scripts and builds only in a
second container with no network, copies the result out through a validator, scans it, writes
safe-install.lock, and installs it without running package code.

Ecosystems: pip (default), npm, cargo, go, gem. PKG: name, name==1.2 / name@1.2, @scope/name@^1.
cargo/go/gem results go to safe-install-vendor/<ecosystem>/ with instructions.

Options:
  -e, --ecosystem NAME    pip | npm | cargo | go | gem
  --dry-run               Fetch, build and verify; install nothing, write no lockfile
  --binary-only           pip: refuse sdists (wheels only)
  --no-sandbox            No Docker: run the package manager under bubblewrap (empty home) where it
                          works, else with credential files and variables hidden (vault); both weaker
  --python PATH           pip: the interpreter to install into (default: $VIRTUAL_ENV, ./.venv, python3)
  --allow-scripts NAME    npm: let NAME's install scripts run (offline, in the sandbox); repeatable
  --ci                    Never prompt: a critical finding fails the install (also CI=true without a TTY)
  --format text|json      Report format (default: text); progress goes to stderr
  --progress text|json    Progress on stderr as text lines (default) or one JSON event per line (for editors)
  --memory SIZE           Tighten the container memory limit (e.g. 1g); never above [sandbox] memory_limit
  --cpus N                Tighten the CPU limit; never above [sandbox] cpu_limit
  --timeout SECONDS       Tighten the wall-clock limit; never above [sandbox] timeout
  --vault-path PATH       --no-sandbox: also hide PATH (added to [vault] extra_paths); repeatable
  --vault-env NAME        --no-sandbox: also strip variable NAME (added to [vault] extra_env_vars); repeatable
  --network-mode MODE     Fetch-phase network: registry-only (default: only this install's registries,
                          through safe-install's proxy), or a Docker network mode such as bridge or host
                          (unrestricted); the build phase never has a network
  --allow-host HOST       Also let the registry-only fetch phase reach HOST (host, host:port or *.domain;
                          repeatable; adds to [network] allowed_hosts of your user config)
  --registry URL          Registry / index URL (overrides your package-manager config)
  -h, --help              Show this help

Exit codes: 0 installed (or dry run), 1 blocked by findings or refused by policy, 2 error or Docker missing.
`;

const ECOSYSTEM_DEFAULT_REGISTRY: Record<Ecosystem, (e: Awaited<ReturnType<typeof resolveEndpoints>>) => string> = {
  PyPI: (e) => e.pypi.indexes[0] ?? e.pypi.publicSimple,
  npm: (e) => e.npm.registry,
  'crates.io': (e) => e.crates.api,
  Go: (e) => e.go.proxies.find((p) => p.url !== 'direct' && p.url !== 'off')?.url ?? e.go.publicProxy,
  RubyGems: (e) => e.rubygems.sources[0] ?? e.rubygems.publicSource,
};

/** What the command needs from outside; tests swap in their own. */
export interface InstallCommandDeps {
  engine(): SandboxEngine;
  run: ProcessRunner;
  /** Starts host processes ahead of time (a warm pip); without it pip starts cold. */
  start?: ProcessStarter;
  homeDir(): string;
  /** Asks a yes/no question on the terminal. */
  confirm?(question: string, io: CliIo): Promise<boolean>;
  platform?: string;
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

const DEFAULT_DEPS: InstallCommandDeps = { engine: () => new DockerodeEngine(), run: spawnProcess, start: startProcess, homeDir: () => os.homedir(), confirm: (q) => askOnTerminal(q) };

/** Renders progress: a live status line on a TTY, plain lines otherwise. */
function progressRenderer(io: CliIo, live: boolean): { sink: (event: SandboxEvent) => void; done(): void } {
  let status = false;
  const clear = (): void => {
    if (status) io.stderr('\r\x1b[2K');
    status = false;
  };
  return {
    sink: (event) => {
      const line = eventLine(event);
      if (line === undefined) return;
      if (live && event.type === 'log' && event.stream !== 'warning') {
        // Package-manager chatter replaces itself on one status line.
        clear();
        io.stderr(line.trim().slice(0, (process.stderr.columns ?? 100) - 1));
        status = true;
        return;
      }
      clear();
      io.stderr(`${line}\n`);
    },
    done: clear,
  };
}

/**
 * Applies --memory/--cpus/--timeout (the editor passes its settings this way). They only ever lower
 * the configured limits, so a flag can never loosen what safe-install.toml or the user config set.
 */
function tightenedLimits(base: SandboxLimits, v: { memory?: string; cpus?: string; timeout?: string }): SandboxLimits {
  const limits = { ...base };
  if (v.memory !== undefined) {
    const bytes = memoryBytes(v.memory);
    if (bytes === undefined || bytes <= 0) throw new UsageError(`--memory '${v.memory}' is not a size such as 512m or 2g`);
    limits.memoryBytes = Math.min(limits.memoryBytes, Math.floor(bytes));
  }
  if (v.cpus !== undefined) {
    const cpus = cpuCount(v.cpus);
    if (cpus === undefined || cpus <= 0) throw new UsageError(`--cpus '${v.cpus}' is not a positive number`);
    limits.nanoCpus = Math.min(limits.nanoCpus, Math.round(cpus * 1e9));
  }
  if (v.timeout !== undefined) {
    const seconds = Number(v.timeout);
    if (!/^\d+$/.test(v.timeout) || seconds <= 0) throw new UsageError(`--timeout '${v.timeout}' is not a whole number of seconds`);
    limits.timeoutMs = Math.min(limits.timeoutMs, seconds * 1000);
  }
  return limits;
}

/** Builds the install command with injectable dependencies. */
export function createInstallCommand(deps: InstallCommandDeps = DEFAULT_DEPS): CliCommand {
  return async (argv, io) => {
    const parsed = parseCommandLine({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ecosystem: { type: 'string', short: 'e' },
        'dry-run': { type: 'boolean' },
        'binary-only': { type: 'boolean' },
        'no-sandbox': { type: 'boolean' },
        python: { type: 'string' },
        'allow-scripts': { type: 'string', multiple: true },
        ci: { type: 'boolean' },
        format: { type: 'string', short: 'f' },
        'network-mode': { type: 'string' },
        'allow-host': { type: 'string', multiple: true },
        registry: { type: 'string' },
        progress: { type: 'string' },
        memory: { type: 'string' },
        cpus: { type: 'string' },
        timeout: { type: 'string' },
        'vault-path': { type: 'string', multiple: true },
        'vault-env': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(INSTALL_USAGE);
      return 0;
    }
    if (parsed.positionals.length === 0) throw new UsageError('name at least one package');
    const format = v.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown format '${format}' (use text or json)`);
    const first = parsed.positionals[0] ?? '';
    const ecosystem = detectEcosystem(first, v.ecosystem);
    for (const p of parsed.positionals) {
      try {
        parsePackageRequest(ecosystem, p);
      } catch (error) {
        if (error instanceof InvalidPackageError) throw new UsageError(error.message);
        throw error;
      }
    }
    if (v['binary-only'] && ecosystem !== 'PyPI') throw new UsageError('--binary-only applies to pip only');
    if (v.registry !== undefined && !/^https?:\/\/[^\s]+$/.test(v.registry)) throw new UsageError('--registry takes an http(s) URL');

    const home = deps.homeDir();
    const userConfigPath = defaultUserConfigPath(io.env, home);
    const effective = await loadEffectiveConfig({
      userConfigPath,
      projectConfigPath: projectConfigPath(io.cwd),
      reader: { readText: (file) => readFile(file, 'utf8') },
    });
    // The config files' own problems (a refused project key, a mistyped image) are said before anything runs.
    for (const file of effective.files) {
      for (const finding of file.findings) {
        if (finding.severity === 'error' || finding.severity === 'warning') {
          io.stderr(`${file.path}:${finding.range.start.line + 1}:${finding.range.start.character + 1}: ${finding.severity}: ${finding.message}\n`);
        }
      }
    }
    const user = installerSandboxSettings(effective.config.sandbox);
    // Registry-only unless the user chose a mode; only the default falls back (with a warning) where it cannot be had.
    const networkMode = v['network-mode'] ?? user.networkMode ?? REGISTRY_ONLY;
    const networkChosen = v['network-mode'] !== undefined || user.networkMode !== undefined;
    if (!FETCH_NETWORK_MODES.test(networkMode) || networkMode.startsWith('container')) throw new UsageError(`--network-mode '${networkMode}' is not allowed`);
    for (const host of v['allow-host'] ?? []) if (parseHostEntry(host) === undefined) throw new UsageError(`--allow-host '${host}' is not a host, host:port or *.domain`);
    let registry = v.registry;
    let extraIndexUrls: string[] = [];
    if (registry === undefined) {
      const endpoints = await resolveEndpoints(fileSystemConfigIo(io.env, home, io.cwd), effective.config.registries ?? {});
      registry = ECOSYSTEM_DEFAULT_REGISTRY[ecosystem](endpoints);
      if (ecosystem === 'PyPI') extraIndexUrls = endpoints.pypi.indexes.slice(1);
    }
    const ci = v.ci === true || ((io.env['CI'] === 'true' || io.env['CI'] === '1') && !io.isTTY);
    if (v.progress !== undefined && v.progress !== 'text' && v.progress !== 'json') throw new UsageError(`unknown progress format '${v.progress}' (use text or json)`);
    // Editors read typed events, one JSON object per stderr line (the report stays on stdout).
    const renderer = v.progress === 'json'
      ? { sink: (event: SandboxEvent) => io.stderr(`${JSON.stringify(event)}\n`), done: () => undefined }
      : progressRenderer(io, io.isTTY && !ci && format === 'text');

    // The editor's vault settings only ever add to what the config files hide.
    const vault = {
      extraPaths: [...new Set([...effective.config.vault.extraPaths, ...(v['vault-path'] ?? [])])],
      extraEnvVars: [...new Set([...effective.config.vault.extraEnvVars, ...(v['vault-env'] ?? [])])],
    };
    if (v['no-sandbox']) return runWithoutSandbox(ecosystem, parsed.positionals, registry, v.python, io, home, vault, format, deps.run);

    const packageJsonText = ecosystem === 'npm' ? await readText(path.join(io.cwd, 'package.json')) : undefined;
    const request: InstallRequest = {
      ecosystem,
      packages: parsed.positionals,
      projectDir: io.cwd,
      dryRun: v['dry-run'] === true,
      binaryOnly: v['binary-only'] === true,
      ci,
      networkMode,
      ...(networkChosen ? {} : { networkFallback: 'bridge' }),
      allowedHosts: [...new Set([...effective.config.network.allowedHosts, ...(v['allow-host'] ?? [])])],
      registry,
      extraIndexUrls,
      allowScripts: [...(v['allow-scripts'] ?? []).flatMap((a) => a.split(',')), ...user.allowScripts, ...packageJsonScriptAllowList(packageJsonText)],
      limits: tightenedLimits(limitsFromConfig(effective.config.sandbox, user.diskBytes !== undefined ? { diskBytes: user.diskBytes } : {}), v),
      images: user.images,
      ...(v.python !== undefined ? { python: v.python } : {}),
    };
    const controller = new AbortController();
    const onSigint = (): void => controller.abort();
    process.once('SIGINT', onSigint);
    let report: InstallReport;
    try {
      report = await sandboxInstall(request, {
        engine: deps.engine(),
        run: deps.run,
        ...(deps.start ? { start: deps.start } : {}),
        env: io.env,
        progress: renderer.sink,
        signal: controller.signal,
        ...(deps.platform !== undefined ? { platform: deps.platform } : {}),
        ...(deps.confirm && io.isTTY && !ci ? { confirm: (q: string) => deps.confirm!(q, io) } : {}),
      });
    } finally {
      process.removeListener('SIGINT', onSigint);
      renderer.done();
    }
    io.stdout(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : formatInstallReport(report));
    switch (report.verdict) {
      case 'installed':
      case 'dry-run':
        return 0;
      case 'blocked':
      case 'refused':
        return 1;
      default:
        return 2;
    }
  };
}

/**
 * --no-sandbox: the plain package manager on this machine, under bubblewrap when it can run (empty home,
 * nothing moved), else with the credential vault hiding credential files and variables.
 */
async function runWithoutSandbox(ecosystem: Ecosystem, packages: readonly string[], registry: string, python: string | undefined, io: CliIo, home: string, vault: { extraPaths: string[]; extraEnvVars: string[] }, format: string, run: ProcessRunner): Promise<number> {
  if (ecosystem !== 'PyPI' && ecosystem !== 'npm') {
    io.stderr(`safe-install install: --no-sandbox supports pip and npm only; ${ecosystem} packages are only fetched inside the sandbox\n`);
    return 2;
  }
  io.stderr('warning: --no-sandbox runs install scripts on this machine (under bubblewrap when it can run, else with only your credential files and variables hidden)\n');
  const argv = packages.map((p) => parsePackageRequest(ecosystem, p).argument);
  const interpreter = ecosystem === 'PyPI' ? (await choosePython(python, io.cwd, io.env)).python : undefined;
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let outcome: HostInstallResult;
  try {
    outcome = await installOnHost({
      ecosystem, packages: argv, registry, projectDir: io.cwd, homeDir: home, env: io.env, run,
      extraPaths: vault.extraPaths, extraEnvVars: vault.extraEnvVars, signal: controller.signal,
      ...(interpreter !== undefined ? { python: interpreter } : {}),
    });
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
  io.stderr(outcome.result.stderr);
  const verdict = outcome.result.code === 0 ? 'installed' : 'failed';
  if (format === 'json') {
    io.stdout(`${JSON.stringify({ verdict, isolation: outcome.mode, exitCode: outcome.result.code, notes: outcome.notes, ...(outcome.vault ? { vault: { hidden: outcome.vault.hidden.length, strippedVariables: outcome.vault.strippedVariables, errors: outcome.vault.errors } } : {}), output: outcome.result.stdout }, null, 2)}\n`);
  } else {
    io.stdout(outcome.result.stdout);
    for (const note of outcome.notes) io.stdout(`${note}\n`);
  }
  return outcome.result.code === 0 ? 0 : 2;
}

/** The command as main.ts wires it. */
export const installCommand: CliCommand = (argv, io) => createInstallCommand()(argv, io);
