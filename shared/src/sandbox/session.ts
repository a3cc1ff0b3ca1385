/**
 * One sandboxed run: a labelled volume shared by its phases, one hardened container per phase, steps
 * exec'd into it as argv arrays, a wall-clock deadline for the whole run, copy-out only from a stopped
 * container, and removal of everything in `finally` (also on cancel, timeout and failed starts).
 */
import { randomBytes } from 'node:crypto';
import { copyOutValidated, type CopyOutLimits, type CopyOutResult } from './copyOut';
import type { PhaseContainer, SandboxEngine, StepResult } from './docker';
import { BUILD_MOUNT, keeperContainerConfig, phaseContainerConfig, RUN_LABEL, SANDBOX_HOME, VOLUME_MOUNT, type ReadOnlyFile, type SandboxLimits } from './hardening';
import type { ProgressSink } from './progress';
import { buildTar, type TarEntry } from './tarBuilder';

/** The run ran out of wall-clock time. */
export class SandboxTimeoutError extends Error {
  override readonly name = 'SandboxTimeoutError';
}

/** The run was cancelled (AbortSignal, SIGINT). */
export class SandboxCancelledError extends Error {
  override readonly name = 'SandboxCancelledError';
}

/** A step exited non-zero. */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
  constructor(readonly step: string, readonly result: StepResult) {
    super(`${step} failed with exit code ${result.exitCode}${tail(result.stderr || result.stdout)}`);
  }
}

function tail(text: string): string {
  const lines = text.trim().split('\n').filter((l) => l.trim() !== '').slice(-6);
  return lines.length > 0 ? `:\n  ${lines.join('\n  ')}` : '';
}

/**
 * Directories every run starts with (owned by the sandbox user). `build` is the capped build area on its own
 * volume: the only place the build phase can write besides the small HOME and /tmp tmpfs.
 */
export const VOLUME_DIRS = { in: `${VOLUME_MOUNT}/in`, dl: `${VOLUME_MOUNT}/dl`, out: `${VOLUME_MOUNT}/out`, work: `${VOLUME_MOUNT}/work`, tmp: `${VOLUME_MOUNT}/tmp`, build: `${BUILD_MOUNT}/area` } as const;

const MAIN_DIRS = ['in', 'dl', 'out', 'work', 'tmp'] as const;
const BUILD_TMP = `${VOLUME_DIRS.build}/tmp`;

/** Tar entries owned by the sandbox user; a name ending in `/` is a folder. */
function ownedEntries(files: Readonly<Record<string, string | Buffer>>): TarEntry[] {
  return Object.entries(files).map(([name, content]) => name.endsWith('/')
    ? { path: name, type: 'Directory' as const, mode: 0o755, uid: 10001, gid: 10001 }
    : { path: name, content, mode: 0o644, uid: 10001, gid: 10001 });
}

/** The run volume's folders, then `files` (relative to the volume; a name ending in `/` is a folder). */
function seedTar(files: Readonly<Record<string, string | Buffer>>): Buffer {
  return buildTar(ownedEntries({ ...Object.fromEntries(MAIN_DIRS.map((name) => [`${name}/`, ''])), ...files }));
}

/** What a session needs. */
export interface SessionOptions {
  engine: SandboxEngine;
  image: string;
  /** Network mode of the fetch phase (the build phase is always `none`). */
  fetchNetwork: string;
  /** How progress and the report name the fetch network (default: the mode itself). */
  fetchNetworkLabel?: string;
  limits: SandboxLimits;
  /** Environment of the fetch phase only (proxy and CA variables). */
  fetchEnv: Readonly<Record<string, string>>;
  readOnlyFiles: readonly ReadOnlyFile[];
  /** Fetch containers join this container's network namespace (the registry-only network's holder). */
  fetchJoinNetworkOf?: string;
  progress: ProgressSink;
  signal?: AbortSignal;
  copyOutLimits?: Partial<CopyOutLimits>;
  /** Parent of copy-out directories (default: the OS temp dir; npm uses the project so it can rename into place). */
  tempParent?: string;
  /** Injected for tests. */
  now?: () => number;
}

/** A step to exec: argv plus a label for the report. */
export interface Step {
  label: string;
  argv: readonly string[];
  env?: Readonly<Record<string, string>>;
  workingDir?: string;
}

/** Runs steps inside one phase container. */
export interface PhaseRunner {
  readonly container: PhaseContainer;
  /** Runs a step; throws StepFailedError on a non-zero exit unless `allowFailure`. */
  run(step: Step, options?: { allowFailure?: boolean }): Promise<StepResult>;
  /** Writes files onto the run volume, owned by the sandbox user; a name ending in `/` is a directory. */
  put(dir: string, files: Record<string, string | Buffer>): Promise<void>;
}

const BASE_ENV: Readonly<Record<string, string>> = {
  HOME: SANDBOX_HOME,
  TMPDIR: '/tmp',
  LANG: 'C.UTF-8',
  NO_COLOR: '1',
  CI: '1',
};

/** A sandboxed run; call `close()` in a finally block. */
export class SandboxSession {
  readonly runId: string;
  readonly volumeName: string;
  readonly buildVolumeName: string;
  private volumeCreated = false;
  private buildVolumeCreated = false;
  private keeper: PhaseContainer | undefined;
  /** What the report should say about the run's containment (e.g. the build area's cap). */
  readonly notes: string[] = [];
  private readonly live = new Set<PhaseContainer>();
  /** Removals of stopped containers still in flight (close() waits for them). */
  private readonly removals: Array<Promise<void>> = [];
  private closing: Promise<void> | undefined;
  private readonly deadline: number;
  private readonly controller = new AbortController();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  /** Milliseconds spent creating and starting containers (the start-up share of the run). */
  startupMs = 0;

  constructor(private readonly options: SessionOptions) {
    this.runId = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    this.volumeName = `safe-install-${this.runId}`;
    this.buildVolumeName = `safe-install-${this.runId}-build`;
    this.now = options.now ?? Date.now;
    this.deadline = this.now() + options.limits.timeoutMs;
    // One signal for everything in flight: the caller's cancel, or our own deadline.
    const onCancel = (): void => this.controller.abort(new SandboxCancelledError('cancelled'));
    if (options.signal?.aborted) onCancel();
    options.signal?.addEventListener('abort', onCancel, { once: true });
    this.timer = setTimeout(() => this.controller.abort(new SandboxTimeoutError(`the sandbox ran out of time (${Math.round(options.limits.timeoutMs / 1000)} s, [sandbox] timeout)`)), options.limits.timeoutMs);
    this.timer.unref();
  }

  /** Aborted on cancel or timeout. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  private checkAlive(): void {
    if (this.controller.signal.aborted) throw this.controller.signal.reason instanceof Error ? this.controller.signal.reason : new SandboxCancelledError('cancelled');
  }

  /**
   * Runs one phase in a fresh hardened container. When `copyOut` names a directory, the container is
   * stopped first, then that directory is streamed through the validator into a host temp dir. A fetch
   * phase writes `options.files` (paths relative to the run volume) in the same archive as the volume's folders.
   * The build area exists from the first build phase on: fetch phases before it do not mount it.
   */
  async phase<T>(phase: 'fetch' | 'build', fn: (runner: PhaseRunner) => Promise<T>, copyOut?: string, options: { files?: Readonly<Record<string, string | Buffer>> } = {}): Promise<{ value: T; copied?: CopyOutResult }> {
    this.checkAlive();
    const dockerNetwork = phase === 'build' ? 'none' : this.options.fetchNetwork;
    const network = phase === 'build' ? 'none' : this.options.fetchNetworkLabel ?? this.options.fetchNetwork;
    const started = this.now();
    this.options.progress({ type: 'phase', phase, state: 'start', network });
    // Both volumes at once; the keeper starts beside the first build container (it only has to run before that phase ends).
    const volumes: Array<Promise<unknown>> = [];
    if (!this.volumeCreated) volumes.push(this.options.engine.createVolume(this.volumeName, { [RUN_LABEL]: this.runId }).then(() => { this.volumeCreated = true; }));
    let needKeeper = false;
    const newBuildArea = phase === 'build' && !this.buildVolumeCreated;
    if (newBuildArea) volumes.push(this.createBuildVolume().then((capped) => { needKeeper = capped; }));
    await Promise.all(volumes);
    const config = phaseContainerConfig({
      runId: this.runId,
      phase,
      image: this.options.image,
      network: dockerNetwork,
      volumeName: this.volumeName,
      ...(this.buildVolumeCreated ? { buildVolumeName: this.buildVolumeName } : {}),
      limits: this.options.limits,
      env: phase === 'fetch' ? { ...BASE_ENV, ...this.options.fetchEnv } : { ...BASE_ENV, TMPDIR: BUILD_TMP },
      readOnlyFiles: phase === 'fetch' ? this.options.readOnlyFiles : [],
      ...(phase === 'fetch' && this.options.fetchJoinNetworkOf !== undefined ? { joinNetworkOf: this.options.fetchJoinNetworkOf } : {}),
    });
    const t0 = this.now();
    const [launched, keeper] = await Promise.allSettled([this.options.engine.startContainer(config), needKeeper ? this.startKeeper() : Promise.resolve()]);
    this.startupMs += this.now() - t0;
    if (launched.status === 'fulfilled') this.live.add(launched.value);
    if (launched.status === 'rejected') throw launched.reason;
    if (keeper.status === 'rejected') throw keeper.reason;
    const container = launched.value;
    const onAbort = (): void => { void container.stop().catch(() => undefined); };
    this.controller.signal.addEventListener('abort', onAbort, { once: true });
    let stopped = false;
    try {
      this.checkAlive();
      const runner = this.runner(container, phase);
      // The volumes' folders must belong to the sandbox user; Docker keeps the tar's owner. The run volume is
      // read-only in the build phase (its folders exist from the fetch phase by then); the build area gets its
      // folders once, when it is new (later, package code may have left links there).
      if (phase === 'fetch') {
        await container.putArchive(seedTar(options.files ?? {}), VOLUME_MOUNT);
      } else if (newBuildArea) {
        await container.putArchive(buildTar(ownedEntries({ 'area/': '', 'area/tmp/': '' })), BUILD_MOUNT);
      }
      const value = await fn(runner);
      this.checkAlive();
      let copied: CopyOutResult | undefined;
      await container.stop();
      stopped = true;
      if (copyOut !== undefined) {
        this.options.progress({ type: 'phase', phase: 'copy-out', state: 'start' });
        const c0 = this.now();
        const archive = await container.getArchive(copyOut);
        copied = await copyOutValidated(archive, {
          stripComponents: 1,
          signal: this.controller.signal,
          ...(this.options.copyOutLimits ? { limits: this.options.copyOutLimits } : {}),
          ...(this.options.tempParent !== undefined ? { tempParent: this.options.tempParent } : {}),
        });
        this.options.progress({ type: 'bytes', phase: 'copy-out', what: copyOut, bytes: copied.totalBytes });
        this.options.progress({ type: 'phase', phase: 'copy-out', state: 'end', ms: this.now() - c0, detail: `${copied.files.length} files, ${copied.totalBytes} bytes` });
      }
      this.options.progress({ type: 'phase', phase, state: 'end', network, ms: this.now() - started });
      return copied ? { value, copied } : { value };
    } catch (error) {
      this.options.progress({ type: 'phase', phase, state: 'failed', network, ms: this.now() - started, detail: error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error) });
      // Prefer the cancel/timeout reason over whatever broke because of it.
      if (this.controller.signal.aborted && this.controller.signal.reason instanceof Error) throw this.controller.signal.reason;
      throw error;
    } finally {
      this.controller.signal.removeEventListener('abort', onAbort);
      // A stopped container is removed in the background (close() waits for it); a running one (a failure) is killed now.
      const removal = container.remove().catch(() => undefined).finally(() => this.live.delete(container));
      this.removals.push(removal);
      if (!stopped) await removal;
    }
  }

  private runner(container: PhaseContainer, phase: 'fetch' | 'build'): PhaseRunner {
    const progress = this.options.progress;
    const signal = this.controller.signal;
    return {
      container,
      run: async (step, opts = {}) => {
        this.checkAlive();
        progress({ type: 'log', phase, stream: 'info', line: `$ ${step.argv.join(' ')}` });
        const result = await container.exec(step.argv, {
          ...(step.env ? { env: step.env } : {}),
          // Package code starts in the writable build area; fetch steps in the run volume's work folder.
          workingDir: step.workingDir ?? (phase === 'build' ? VOLUME_DIRS.build : VOLUME_DIRS.work),
          signal,
          onLine: (stream, line) => progress({ type: 'log', phase, stream, line }),
        });
        this.checkAlive();
        if (result.exitCode !== 0 && !opts.allowFailure) throw new StepFailedError(step.label, result);
        return result;
      },
      put: async (dir, files) => {
        await container.putArchive(buildTar(ownedEntries(files)), dir);
      },
    };
  }

  /**
   * The build area: a tmpfs volume capped at `limits.diskBytes` (true), held mounted by a keeper container
   * between phases. An engine that cannot make tmpfs volumes gets a plain one (false), and the report says it is uncapped.
   */
  private async createBuildVolume(): Promise<boolean> {
    const bytes = this.options.limits.diskBytes;
    const labels = { [RUN_LABEL]: this.runId };
    if (bytes > 0) {
      try {
        await this.options.engine.createVolume(this.buildVolumeName, labels, { tmpfsBytes: bytes });
        this.buildVolumeCreated = true;
        this.notes.push(`sandbox: package code could write only to a build area capped at ${Math.round(bytes / 1024 ** 2)} MiB (tmpfs; it also counts against the memory limit), HOME and /tmp`);
        return true;
      } catch (error) {
        this.options.progress({ type: 'log', phase: 'plan', stream: 'warning', line: `the engine could not create a size-capped build area (${error instanceof Error ? error.message : String(error)}); using a plain volume` });
      }
    }
    await this.options.engine.createVolume(this.buildVolumeName, labels);
    this.buildVolumeCreated = true;
    this.notes.push('sandbox: the build area is NOT size-capped here (a build could fill the engine\'s disk until the timeout)');
    return false;
  }

  private async startKeeper(): Promise<void> {
    this.keeper = await this.options.engine.startContainer(keeperContainerConfig({ runId: this.runId, image: this.options.image, limits: this.options.limits, buildVolumeName: this.buildVolumeName }));
  }

  /** Removes every container still alive and the volumes; safe to call twice (the second call waits for the first). */
  close(): Promise<void> {
    this.closing ??= this.removeEverything();
    return this.closing;
  }

  private async removeEverything(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await Promise.all([...this.removals.splice(0), ...[...this.live].map((c) => c.remove())]);
    this.live.clear();
    // The run volume goes while the keeper is removed; the build area once nothing holds it.
    const keeper = this.keeper;
    this.keeper = undefined;
    const main = this.volumeCreated ? this.options.engine.removeVolume(this.volumeName) : Promise.resolve();
    this.volumeCreated = false;
    const area = (async (): Promise<void> => {
      await keeper?.remove();
      if (this.buildVolumeCreated) {
        this.buildVolumeCreated = false;
        await this.options.engine.removeVolume(this.buildVolumeName);
      }
    })();
    await Promise.all([main, area]);
  }

  /** Milliseconds left before the deadline. */
  remainingMs(): number {
    return Math.max(0, this.deadline - this.now());
  }
}
