/**
 * The install pipeline: request → plan → fetch → build in the sandbox → copy out → verify → install
 * locally → report. Docker, host processes, the prompt and the clock come in through `InstallDeps`,
 * so the pipeline's decisions are testable without any of them.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Ecosystem } from '../model';
import { EngineUnavailableError, type SandboxEngine } from './docker';
import { EgressUnavailableError, openRunNetwork, withoutProxyVars, type FetchNetwork } from './egress/fetchNetwork';
import { fetchEnvironment } from './environment';
import type { SandboxLimits } from './hardening';
import { imageFor } from './images';
import { installNodeModules } from './local/npm';
import { choosePython, installWheels, probePython, startWarmPip, type PythonProbe } from './local/pip';
import type { ProcessRunner, ProcessStarter, WaitingProcess } from './local/process';
import { LOCKFILE_NAME, updateLockfile, type LockPackage } from './lockfile';
import { parsePackageRequest, type PackageRequest } from './names';
import { runNpmPlan } from './plans/npm';
import { PlanRefusedError, runPipPlan } from './plans/pip';
import type { SandboxOutcome, ScriptPackage } from './plans/types';
import { runVendorPlan, installVendored } from './plans/vendor';
import { safeSink, type FindingEvent, type PhaseEvent, type ProgressSink } from './progress';
import { SandboxCancelledError, SandboxSession, SandboxTimeoutError } from './session';
import { verifyOutcome, type PthFile } from './verify';

/** What the user asked for. */
export interface InstallRequest {
  ecosystem: Ecosystem;
  packages: readonly string[];
  projectDir: string;
  dryRun: boolean;
  binaryOnly: boolean;
  /** Non-interactive: a critical finding fails instead of prompting. */
  ci: boolean;
  python?: string;
  /**
   * Fetch-phase network: `registry-only` (internal network + egress proxy to this run's registries), or a
   * Docker network mode (`bridge`, `host`, a network name), which is unrestricted.
   */
  networkMode: string;
  /** When registry-only cannot be set up here, use this mode instead and say so; without it the run is refused. */
  networkFallback?: string;
  /** Hosts the fetch phase may reach besides the registries (`network.allowed_hosts`). */
  allowedHosts?: readonly string[];
  /** Registry / index URL per ecosystem (already resolved from the user's config or --registry). */
  registry: string;
  extraIndexUrls?: readonly string[];
  /** Packages whose install scripts may run (offline, in the build phase). */
  allowScripts: readonly string[];
  limits: SandboxLimits;
  images?: Readonly<Partial<Record<Ecosystem, string>>>;
}

/** Everything from outside. */
export interface InstallDeps {
  engine: SandboxEngine;
  run: ProcessRunner;
  /** Starts host processes ahead of time (pip imports while the sandbox works); without it pip starts cold. */
  start?: ProcessStarter;
  /** Asks the user (only called when not in CI and on a TTY). */
  confirm?: (question: string) => Promise<boolean>;
  progress?: ProgressSink;
  signal?: AbortSignal;
  env: Readonly<Record<string, string | undefined>>;
  isOwnerAlive?: (pid: number) => boolean;
  platform?: string;
}

/** Final verdict of a run. */
export type InstallVerdict = 'installed' | 'dry-run' | 'blocked' | 'failed' | 'cancelled' | 'unavailable' | 'refused';

/** The report the CLI prints (text or JSON) and the editor shows. */
export interface InstallReport {
  verdict: InstallVerdict;
  message: string;
  ecosystem: Ecosystem;
  image?: string;
  phases: PhaseEvent[];
  packages: LockPackage[];
  findings: FindingEvent[];
  pthFiles: PthFile[];
  scripts: ScriptPackage[];
  notes: string[];
  lockfile?: string;
  installedInto?: string;
  timings: { totalMs: number; containerStartupMs: number };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How to get Docker working, by platform. */
export function dockerHelp(platform: string, why: string): string {
  const start = platform === 'darwin' || platform === 'win32'
    ? 'Start Docker Desktop (or another engine such as Colima/Rancher Desktop) and set DOCKER_HOST if it uses a non-default socket.'
    : 'Install Docker Engine (e.g. the docker.io package), start it (sudo systemctl start docker) and add yourself to the docker group, or set DOCKER_HOST.';
  return `Docker is not available: ${why}. safe-install builds packages in a Docker container so install scripts never see your files or credentials. ${start} To install without the sandbox (credential vault only, weaker), pass --no-sandbox.`;
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The same promise, with a handler attached: a rejection nobody awaits (the run failed earlier) is not unhandled. */
function observed<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/** Runs one sandboxed install. Never throws for expected failures: they become the report's verdict. */
export async function sandboxInstall(request: InstallRequest, deps: InstallDeps): Promise<InstallReport> {
  const started = Date.now();
  const phases: PhaseEvent[] = [];
  const outer = safeSink(deps.progress ?? (() => undefined));
  const progress: ProgressSink = (event) => {
    if (event.type === 'phase' && event.state !== 'start') phases.push(event);
    outer(event);
  };
  const report: InstallReport = { verdict: 'failed', message: '', ecosystem: request.ecosystem, phases, packages: [], findings: [], pthFiles: [], scripts: [], notes: [], timings: { totalMs: 0, containerStartupMs: 0 } };
  const finish = (verdict: InstallVerdict, message: string): InstallReport => {
    report.verdict = verdict;
    report.message = message;
    report.timings.totalMs = Date.now() - started;
    outer({ type: 'verdict', verdict: verdict === 'unavailable' || verdict === 'refused' ? 'failed' : verdict, message });
    return report;
  };

  const requests: PackageRequest[] = request.packages.map((p) => parsePackageRequest(request.ecosystem, p));
  let image: string;
  try {
    image = imageFor(request.ecosystem, request.images);
  } catch (error) {
    return finish('refused', (error as Error).message);
  }
  report.image = image;
  // The interpreter probe (pip only) overlaps with the engine checks and the sandbox's start; the plan awaits it before resolving.
  const choosing = request.ecosystem === 'PyPI' ? choosePython(request.python, request.projectDir, deps.env, deps.platform) : undefined;
  const probing: Promise<{ python: string; source: string; probe: PythonProbe }> | undefined = choosing && observed(choosing.then(async (choice) => ({ ...choice, probe: await probePython(choice.python, deps.run, request.projectDir, deps.env) })));
  try {
    await deps.engine.ping();
  } catch (error) {
    if (error instanceof EngineUnavailableError) return finish('unavailable', dockerHelp(deps.platform ?? process.platform, error.message));
    throw error;
  }
  await deps.engine.sweep({ isOwnerAlive: deps.isOwnerAlive ?? isAlive, maxAgeMs: 24 * 3600_000, now: Date.now() });

  let session: SandboxSession | undefined;
  let outcome: SandboxOutcome | undefined;
  let warmPip: WaitingProcess | undefined;
  let fetchNetwork: FetchNetwork | undefined;
  try {
    progress({ type: 'phase', phase: 'image', state: 'start', detail: image });
    if (!(await deps.engine.hasImage(image))) {
      await deps.engine.pullImage(image, (p) => {
        if (p.current !== undefined) progress({ type: 'bytes', phase: 'image', what: p.id ?? image, bytes: p.current, ...(p.total !== undefined ? { total: p.total } : {}) });
      }, deps.signal);
    }
    progress({ type: 'phase', phase: 'image', state: 'end', detail: image });

    // The host pip imports while the sandbox works; it does nothing until it is handed the copied wheels.
    if (choosing && !request.dryRun && deps.start) warmPip = startWarmPip((await choosing).python, deps.start, request.projectDir, deps.env);
    const fetchEnv = await fetchEnvironment(deps.env);
    fetchNetwork = await openRunNetwork({
      mode: request.networkMode,
      ...(request.networkFallback !== undefined ? { fallback: request.networkFallback } : {}),
      ecosystem: request.ecosystem,
      image,
      engine: deps.engine,
      registryUrls: [request.registry, ...(request.extraIndexUrls ?? [])],
      allowedHosts: request.allowedHosts ?? [],
      hostEnv: deps.env,
      onWarning: (line, phase) => progress({ type: 'log', phase, stream: 'warning', line }),
    });
    if (!fetchNetwork.replacesProxyVars) for (const warning of fetchEnv.warnings) progress({ type: 'log', phase: 'plan', stream: 'warning', line: warning });
    session = new SandboxSession({
      engine: deps.engine,
      image,
      fetchNetwork: fetchNetwork.dockerMode,
      fetchNetworkLabel: fetchNetwork.label,
      ...(fetchNetwork.joinNetworkOf !== undefined ? { fetchJoinNetworkOf: fetchNetwork.joinNetworkOf } : {}),
      limits: request.limits,
      fetchEnv: fetchNetwork.replacesProxyVars ? { ...withoutProxyVars(fetchEnv.env), ...fetchNetwork.env } : fetchEnv.env,
      readOnlyFiles: fetchEnv.files,
      progress,
      ...(deps.signal ? { signal: deps.signal } : {}),
      ...(request.ecosystem !== 'PyPI' ? { tempParent: request.projectDir } : {}),
    });
    for (const r of requests) progress({ type: 'package', ecosystem: request.ecosystem, name: r.name, ...(r.spec ? { version: r.spec } : {}), state: 'resolved', detail: 'requested' });
    switch (request.ecosystem) {
      case 'PyPI':
        outcome = await runPipPlan(session, { requests, indexUrl: request.registry, extraIndexUrls: request.extraIndexUrls ?? [], binaryOnly: request.binaryOnly, ...(probing ? { target: observed(probing.then((c) => c.probe.target)) } : {}) });
        break;
      case 'npm': {
        const allow = new Set(request.allowScripts);
        const packageJson = await readOptional(path.join(request.projectDir, 'package.json'));
        const packageLock = await readOptional(path.join(request.projectDir, 'package-lock.json'));
        outcome = await runNpmPlan(session, {
          requests,
          registry: request.registry,
          ...(packageJson !== undefined ? { packageJson } : {}),
          ...(packageLock !== undefined ? { packageLock } : {}),
          allowScripts: (name) => allow.has(name),
        });
        break;
      }
      default:
        outcome = await runVendorPlan(session, { ecosystem: request.ecosystem, requests, registry: request.registry });
    }
    let python: string | undefined;
    let sitePackages: string[] = [];
    if (probing) {
      const chosen = await probing;
      python = chosen.python;
      sitePackages = chosen.probe.sitePackages;
      const target = chosen.probe.target;
      report.notes.push(`pip: target interpreter ${chosen.python} (from ${chosen.source}), Python ${target.pythonVersion}, tags like ${target.tags[0] ?? '?'}`);
    }
    report.timings.containerStartupMs = session.startupMs;
    // Every container has stopped; their removal runs while the artifacts are verified (awaited in `finally`).
    session.close().catch(() => undefined);
    report.notes.push(...session.notes);
    report.packages = outcome.packages;
    report.scripts = outcome.scripts;
    report.notes.push(...outcome.notes);
    for (const p of outcome.packages) progress({ type: 'package', ecosystem: p.ecosystem, name: p.name, version: p.version, state: 'fetched' });
    for (const s of outcome.scripts) progress({ type: 'package', ecosystem: request.ecosystem, name: s.name, ...(s.version ? { version: s.version } : {}), state: s.ran ? 'scripts-allowed' : 'wants-scripts', detail: s.scripts.join(', ') });

    progress({ type: 'phase', phase: 'verify', state: 'start' });
    const v0 = Date.now();
    const verified = await verifyOutcome(outcome, progress, deps.signal);
    for (const finding of outcome.findings ?? []) {
      progress(finding);
      verified.findings.push(finding);
      if (finding.severity === 'critical') verified.critical = true;
    }
    report.findings = verified.findings;
    report.pthFiles = verified.pthFiles;
    progress({ type: 'phase', phase: 'verify', state: 'end', ms: Date.now() - v0, detail: `${verified.findings.length} findings` });
    if (verified.critical) {
      const names = [...new Set(verified.findings.filter((f) => f.severity === 'critical').map((f) => f.package))].join(', ');
      const question = `Critical findings in ${names}. Install anyway?`;
      const confirmed = !request.ci && deps.confirm !== undefined ? await deps.confirm(question) : false;
      if (!confirmed) return finish('blocked', `critical findings in ${names}: nothing was installed${request.ci ? ' (CI mode does not prompt)' : ''}`);
      report.notes.push(`installed despite critical findings in ${names} (confirmed by the user)`);
    }
    if (request.dryRun) {
      progress({ type: 'phase', phase: 'install', state: 'skipped', detail: '--dry-run' });
      return finish('dry-run', `dry run: ${outcome.packages.length} packages fetched, built and verified; nothing installed`);
    }
    progress({ type: 'phase', phase: 'install', state: 'start' });
    const i0 = Date.now();
    if (request.ecosystem === 'PyPI' && python !== undefined) {
      const wheels = outcome.artifacts.filter((a) => a.format === 'wheel').map((a) => path.join(outcome!.copied.dir, a.path));
      const result = await installWheels(python, sitePackages, wheels, deps.run, request.projectDir, deps.env, warmPip);
      report.installedInto = python;
      if (result.changed.length > 0) report.notes.push(`pip: upgraded ${result.changed.join(', ')}`);
    } else if (request.ecosystem === 'npm') {
      const links = await installNodeModules(request.projectDir, outcome.copied.dir, deps.run, deps.env);
      report.installedInto = path.join(request.projectDir, 'node_modules');
      if (!links.binLinks) report.notes.push('npm: npm is not on PATH here, so node_modules/.bin links were not created');
    } else {
      report.installedInto = await installVendored(request.ecosystem, request.projectDir, outcome.copied.dir);
    }
    progress({ type: 'phase', phase: 'install', state: 'end', ms: Date.now() - i0, detail: report.installedInto });
    report.lockfile = path.join(request.projectDir, LOCKFILE_NAME);
    await updateLockfile(report.lockfile, outcome.packages);
    for (const p of outcome.packages) progress({ type: 'package', ecosystem: p.ecosystem, name: p.name, version: p.version, state: 'installed' });
    return finish('installed', `${outcome.packages.length} packages installed into ${report.installedInto}`);
  } catch (error) {
    if (error instanceof SandboxCancelledError) return finish('cancelled', 'cancelled; every container and volume of this run was removed');
    if (error instanceof SandboxTimeoutError) return finish('failed', error.message);
    if (error instanceof PlanRefusedError || error instanceof EgressUnavailableError) return finish('refused', error.message);
    const refused = fetchNetwork?.refused() ?? [];
    const hint = refused.length > 0 ? ` (the fetch network refused ${[...new Set(refused.map((d) => `${d.host}:${d.port}`))].join(', ')}: a host the install needs must be in network.allowed_hosts)` : '';
    return finish('failed', `${error instanceof Error ? error.message : String(error)}${hint}`);
  } finally {
    await warmPip?.cancel();
    if (fetchNetwork) report.notes.push(...await fetchNetwork.close());
    if (session) {
      report.timings.containerStartupMs = session.startupMs;
      await session.close();
    }
    if (outcome) await rm(outcome.copied.dir, { recursive: true, force: true });
  }
}
