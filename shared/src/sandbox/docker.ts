/**
 * The Docker engine behind a small interface (so the installer's logic runs in plain Node tests with a
 * fake): images, the per-run volume, phase containers, exec'd steps, copy-out, and the sweep of
 * leftovers. Implemented with dockerode: the engine API, argv arrays, never a shell.
 */
import Docker from 'dockerode';
import type { ContainerCreateOptions } from 'dockerode';
import { Readable } from 'node:stream';
import { EGRESS_HOLDER, EGRESS_LABEL, EGRESS_NETWORK, egressHolderConfig, RUN_LABEL } from './hardening';

/** One step's outcome. Output is kept up to a cap (the tail wins); lines also stream to `onLine`. */
export interface StepResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** How to run one step inside a phase container. */
export interface StepOptions {
  env?: Readonly<Record<string, string>>;
  workingDir?: string;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  signal?: AbortSignal;
}

/** A started, hardened phase container. */
export interface PhaseContainer {
  readonly id: string;
  /** Runs argv inside the container (as the sandbox user). */
  exec(argv: readonly string[], options?: StepOptions): Promise<StepResult>;
  /** Extracts a tar into `dir` (a path on the run volume). */
  putArchive(tar: Buffer, dir: string): Promise<void>;
  /** Kills every process in the container and waits until it has stopped. */
  stop(): Promise<void>;
  /** The tar of `dir` from the stopped container (call stop() first). */
  getArchive(dir: string): Promise<NodeJS.ReadableStream>;
  /** Removes the container (force); never throws. */
  remove(): Promise<void>;
}

/** Image pull progress. */
export interface PullProgress {
  status: string;
  id?: string;
  current?: number;
  total?: number;
}

/** How a volume is backed. */
export interface VolumeOptions {
  /** A tmpfs of at most this many bytes (the local driver's `type=tmpfs`), instead of the engine's disk. */
  tmpfsBytes?: number;
}

/** What the installer needs from a container engine. */
export interface SandboxEngine {
  /** Resolves when the engine answers; rejects with EngineUnavailableError otherwise. */
  ping(): Promise<void>;
  /** True when the image is present locally. */
  hasImage(ref: string): Promise<boolean>;
  pullImage(ref: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void>;
  /** Creates a labelled volume; with `tmpfsBytes` a memory-backed one capped at that size (owned by the sandbox user). */
  createVolume(name: string, labels: Record<string, string>, options?: VolumeOptions): Promise<void>;
  removeVolume(name: string): Promise<void>;
  /** Creates and starts a container; on a failed start the container is removed before rejecting. */
  startContainer(config: ContainerCreateOptions): Promise<PhaseContainer>;
  /** Containers and volumes carrying the run label whose owner process is gone (or are older than maxAgeMs); removed. */
  sweep(options: { isOwnerAlive(pid: number): boolean; maxAgeMs: number; now: number }): Promise<{ containers: number; volumes: number }>;
  /**
   * The shared internal network of registry-only fetch phases (no route out; made on first use): its name
   * and the host's address on it, where the egress proxy listens. Engines without one leave it out.
   */
  egressNetwork?(image: string): Promise<{ name: string; gateway: string; holder?: string }>;
}



/** Docker is missing or not answering; `message` says what to do. */
export class EngineUnavailableError extends Error {
  override readonly name = 'EngineUnavailableError';
}

/** Label holding the pid of the safe-install process that owns a container or volume. */
export const OWNER_PID_LABEL = 'org.safe-install.pid';

const MAX_CAPTURE = 256 * 1024;

function appendCapped(text: string, add: string): string {
  const joined = text + add;
  return joined.length > MAX_CAPTURE ? joined.slice(joined.length - MAX_CAPTURE) : joined;
}

/** Splits Docker's multiplexed exec stream (8-byte frame headers) into stdout and stderr chunks. */
export class StreamDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  constructor(private readonly onChunk: (stream: 'stdout' | 'stderr', chunk: Buffer) => void) {}

  /** Feeds raw bytes; emits every complete frame. */
  push(data: Buffer): void {
    this.buffer = this.buffer.length === 0 ? data : Buffer.concat([this.buffer, data]);
    while (this.buffer.length >= 8) {
      const size = this.buffer.readUInt32BE(4);
      if (this.buffer.length < 8 + size) break;
      const type = this.buffer[0];
      const payload = this.buffer.subarray(8, 8 + size);
      this.buffer = this.buffer.subarray(8 + size);
      this.onChunk(type === 2 ? 'stderr' : 'stdout', payload);
    }
  }
}

/** Turns chunks into whole lines per stream. */
class LineSplitter {
  private partial: Record<'stdout' | 'stderr', string> = { stdout: '', stderr: '' };
  constructor(private readonly onLine: (stream: 'stdout' | 'stderr', line: string) => void) {}
  push(stream: 'stdout' | 'stderr', text: string): void {
    const lines = (this.partial[stream] + text).split(/\r?\n/);
    this.partial[stream] = lines.pop() ?? '';
    for (const line of lines) this.onLine(stream, line);
  }
  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.partial[stream] !== '') this.onLine(stream, this.partial[stream]);
      this.partial[stream] = '';
    }
  }
}

class DockerodeContainer implements PhaseContainer {
  constructor(private readonly container: Docker.Container, private readonly user: string) {}

  get id(): string {
    return this.container.id;
  }

  async exec(argv: readonly string[], options: StepOptions = {}): Promise<StepResult> {
    const started = Date.now();
    const exec = await this.container.exec({
      Cmd: [...argv],
      Env: Object.entries(options.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ...(options.workingDir !== undefined ? { WorkingDir: options.workingDir } : {}),
      User: this.user,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: false,
      Tty: false,
      Privileged: false,
    });
    const stream = await exec.start({ hijack: true, stdin: false });
    let stdout = '';
    let stderr = '';
    const decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    const lines = new LineSplitter((s, line) => options.onLine?.(s, line));
    const demux = new StreamDemuxer((s, chunk) => {
      const text = decoders[s].decode(chunk, { stream: true });
      if (s === 'stdout') stdout = appendCapped(stdout, text);
      else stderr = appendCapped(stderr, text);
      lines.push(s, text);
    });
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        stream.destroy();
        reject(options.signal?.reason instanceof Error ? options.signal.reason : new Error('cancelled'));
      };
      if (options.signal?.aborted) { onAbort(); return; }
      options.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => demux.push(chunk));
      const done = (): void => {
        options.signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      stream.once('end', done);
      stream.once('close', done);
      stream.once('error', (error: Error) => {
        options.signal?.removeEventListener('abort', onAbort);
        reject(error);
      });
    });
    lines.flush();
    const info = await exec.inspect();
    // A step whose process was killed (timeout, container stop) reports no exit code.
    return { exitCode: info.ExitCode ?? 137, stdout, stderr, ms: Date.now() - started };
  }

  async putArchive(tar: Buffer, dir: string): Promise<void> {
    await this.container.putArchive(tar, { path: dir });
  }

  async stop(): Promise<void> {
    try {
      await this.container.kill({ signal: 'SIGKILL' });
    } catch (error) {
      // 409: not running any more (it stopped on its own or was killed already).
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
    await this.container.wait({ condition: 'not-running' });
  }

  async getArchive(dir: string): Promise<NodeJS.ReadableStream> {
    const info = await this.container.inspect();
    // Copy-out is only allowed from a stopped container: nothing inside can still change the files.
    if (info.State.Running) throw new Error('refusing to copy out of a running container');
    return this.container.getArchive({ path: dir });
  }

  async remove(): Promise<void> {
    try {
      await this.container.remove({ force: true, v: true });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) {
        // Left for the sweep at the next start; never mask the original error with this one.
      }
    }
  }
}

function userOf(config: ContainerCreateOptions): string {
  return config.User ?? '10001:10001';
}

/** Options for connecting to Docker (defaults: DOCKER_HOST or the local socket, as dockerode reads them). */
export interface DockerEngineOptions {
  docker?: Docker;
  /** Names of the registry-only network and its holder (tests use their own, so they never disturb other runs). */
  egressNames?: { network: string; holder: string };
}

/** The real engine. */
export class DockerodeEngine implements SandboxEngine {
  private readonly docker: Docker;
  private readonly egressNames: { network: string; holder: string };

  constructor(options: DockerEngineOptions = {}) {
    this.docker = options.docker ?? new Docker();
    this.egressNames = options.egressNames ?? { network: EGRESS_NETWORK, holder: EGRESS_HOLDER };
  }

  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no Docker socket found'
        : code === 'EACCES' ? 'permission denied on the Docker socket'
        : code === 'ECONNREFUSED' ? 'the Docker daemon is not running'
        : error instanceof Error ? error.message : String(error);
      throw new EngineUnavailableError(why);
    }
  }

  async hasImage(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  async pullImage(ref: string, onProgress: (progress: PullProgress) => void, signal?: AbortSignal): Promise<void> {
    const stream = await this.docker.pull(ref, signal ? { abortSignal: signal } : {});
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve()), (event: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) => {
        const progress: PullProgress = { status: event.status ?? '' };
        if (event.id !== undefined) progress.id = event.id;
        if (event.progressDetail?.current !== undefined) progress.current = event.progressDetail.current;
        if (event.progressDetail?.total !== undefined) progress.total = event.progressDetail.total;
        onProgress(progress);
      });
    });
  }

  async egressNetwork(image: string): Promise<{ name: string; gateway: string; holder?: string }> {
    const network = this.egressNames.network;
    const gatewayOf = async (): Promise<string | undefined> => {
      const info = await this.docker.getNetwork(network).inspect() as { Internal?: boolean; IPAM?: { Config?: Array<{ Gateway?: string }> } };
      // A network of that name that is not internal would let the fetch phase out: never use it.
      if (info.Internal !== true) throw new Error(`a Docker network named '${network}' exists but is not internal; remove it (docker network rm ${network})`);
      return info.IPAM?.Config?.find((c) => c.Gateway !== undefined && c.Gateway !== '')?.Gateway;
    };
    let gateway: string | undefined;
    try {
      gateway = await gatewayOf();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      try {
        await this.docker.createNetwork({
          Name: network,
          Driver: 'bridge',
          Internal: true,
          CheckDuplicate: true,
          Labels: { [RUN_LABEL]: 'shared' },
          // Fetch containers of concurrent runs cannot talk to each other either.
          Options: { 'com.docker.network.bridge.enable_icc': 'false' },
        });
      } catch (createError) {
        // Another run made it first.
        if ((createError as { statusCode?: number }).statusCode !== 409) throw createError;
      }
      gateway = await gatewayOf();
    }
    if (gateway === undefined) throw new Error(`the Docker network '${network}' has no gateway address`);
    return { name: network, gateway, holder: await this.egressHolder(image) };
  }

  /** The running egress holder's id: started if stopped, made if missing (another run may make it first). */
  private async egressHolder(image: string): Promise<string> {
    const { network, holder: name } = this.egressNames;
    const holder = this.docker.getContainer(name);
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const info = await holder.inspect();
        // Only our own holder (by label) is ever joined.
        if (info.Config.Labels?.[EGRESS_LABEL] !== 'holder') throw new Error(`a container named '${name}' exists but is not safe-install's; remove it (docker rm -f ${name})`);
        if (info.State.Running) return info.Id;
        try {
          await holder.start();
        } catch (error) {
          // 304: started meanwhile. Otherwise it cannot start (its network was removed and made again, say):
          // it holds nothing, so it is made afresh.
          if ((error as { statusCode?: number }).statusCode !== 304) await holder.remove({ force: true }).catch(() => undefined);
        }
        continue;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
      try {
        await this.docker.createContainer({ ...egressHolderConfig({ image, network }), name });
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      }
    }
    throw new Error(`the egress holder container '${name}' does not stay running`);
  }

  async createVolume(name: string, labels: Record<string, string>, options: VolumeOptions = {}): Promise<void> {
    const tmpfs = options.tmpfsBytes !== undefined && options.tmpfsBytes > 0
      ? { Driver: 'local', DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${Math.floor(options.tmpfsBytes)},uid=10001,gid=10001,mode=0755,nosuid,nodev` } }
      : {};
    await this.docker.createVolume({ Name: name, Labels: { ...labels, [OWNER_PID_LABEL]: String(process.pid) }, ...tmpfs });
  }

  async removeVolume(name: string): Promise<void> {
    try {
      await this.docker.getVolume(name).remove({ force: true });
    } catch {
      // Left for the sweep.
    }
  }

  async startContainer(config: ContainerCreateOptions): Promise<PhaseContainer> {
    const withOwner: ContainerCreateOptions = { ...config, Labels: { ...config.Labels, [OWNER_PID_LABEL]: String(process.pid) } };
    const container = await this.docker.createContainer(withOwner);
    const phase = new DockerodeContainer(container, userOf(config));
    try {
      await container.start();
    } catch (error) {
      await phase.remove();
      throw error;
    }
    return phase;
  }

  async sweep(options: { isOwnerAlive(pid: number): boolean; maxAgeMs: number; now: number }): Promise<{ containers: number; volumes: number }> {
    const stale = (labels: Record<string, string> | undefined, createdMs: number): boolean => {
      const pid = Number(labels?.[OWNER_PID_LABEL]);
      if (options.now - createdMs > options.maxAgeMs) return true;
      return !Number.isInteger(pid) || pid <= 0 || !options.isOwnerAlive(pid);
    };
    let containers = 0;
    for (const info of await this.docker.listContainers({ all: true, filters: { label: [RUN_LABEL] } })) {
      if (!stale(info.Labels, info.Created * 1000)) continue;
      try {
        await this.docker.getContainer(info.Id).remove({ force: true, v: true });
        containers++;
      } catch {
        // Another sweeper got it first.
      }
    }
    let volumes = 0;
    const list = await this.docker.listVolumes({ filters: { label: [RUN_LABEL] } });
    for (const volume of list.Volumes ?? []) {
      const created = Date.parse((volume as { CreatedAt?: string }).CreatedAt ?? '') || 0;
      if (!stale(volume.Labels ?? undefined, created)) continue;
      try {
        await this.docker.getVolume(volume.Name).remove({ force: true });
        volumes++;
      } catch {
        // Still in use by a container being removed, or already gone.
      }
    }
    return { containers, volumes };
  }
}

/** Reads a whole stream (tests and small archives). */
export async function readAll(stream: NodeJS.ReadableStream | Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer | string>) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}
