/**
 * The container configuration every sandbox phase runs with (SECURITY.md §3), built as plain data so
 * unit tests can assert each hardening flag without a Docker engine.
 */
import type { ContainerCreateOptions } from 'dockerode';
import { cpuCount, memoryBytes } from '../config/limits';
import type { SafeInstallConfig } from '../config/schema';
import type { SandboxPhase } from './progress';

/** Label every sandbox container and volume carries; its value is the run id (leftovers are swept by it). */
export const RUN_LABEL = 'org.safe-install.run';
/** Label naming the phase a container belongs to. */
export const PHASE_LABEL = 'org.safe-install.phase';
/** The unprivileged uid:gid package code runs as (matches the test images' `builder`). */
export const SANDBOX_USER = '10001:10001';
/** Where the per-run volume is mounted: inputs, downloads and outputs live under it. */
export const VOLUME_MOUNT = '/si';
/**
 * The run's build area: a second volume, size-capped (tmpfs with `size=`), mounted in every phase. The
 * build phase, where package code runs, may write only here (the main volume is read-only then), so a
 * build that fills the disk stops with ENOSPC at the cap and never touches the host's disk.
 */
// Beside /si, not inside it: a mount point below the read-only run volume could not be created.
export const BUILD_MOUNT = '/build';
/** HOME inside the sandbox: a small tmpfs, gone when the container stops. */
export const SANDBOX_HOME = '/home/si';
/** The internal Docker network of registry-only fetch phases (no route out; the egress proxy is the way out). */
export const EGRESS_NETWORK = 'safe-install-fetch';
/**
 * The idle container that holds a network namespace on that network. Fetch containers join it
 * (`container:` network mode), which starts them as fast as host networking; setting up a namespace on a
 * bridge network per container costs more than the rest of a small install's start-up.
 */
export const EGRESS_HOLDER = 'safe-install-fetch-net';
/** Marks the holder (it carries no run label: it belongs to no run, and the sweep leaves it). */
export const EGRESS_LABEL = 'org.safe-install.egress';
/**
 * DNS of a container on the egress network: its package manager asks the proxy by name and never needs
 * DNS itself, and older engines forward an internal network's DNS queries to the host's resolvers (a way
 * out: CVE-2024-29018). Pointing the embedded resolver at the container's own loopback ends that; a lookup
 * fails after one second.
 */
export const EGRESS_DNS: readonly string[] = ['127.0.0.1'];
/** Where a host CA bundle appears inside the fetch container (the path Debian's tools read). */
export const CONTAINER_CA_PATH = '/etc/ssl/certs/ca-certificates.crt';
/** Where NODE_EXTRA_CA_CERTS (extra CAs only) appears inside the fetch container. */
export const CONTAINER_EXTRA_CA_PATH = '/etc/ssl/certs/safe-install-extra-ca.pem';

/** Resource limits for one container. */
export interface SandboxLimits {
  memoryBytes: number;
  nanoCpus: number;
  pidsLimit: number;
  /** Size cap of each tmpfs (HOME, /tmp). */
  tmpfsBytes: number;
  /** RLIMIT_FSIZE: the largest single file package code may write. */
  maxFileBytes: number;
  /** Wall-clock limit for the whole phase. */
  timeoutMs: number;
  /** Size cap of the build area (tmpfs pages also count against `memoryBytes`); 0 leaves it uncapped. */
  diskBytes: number;
}

/** Default limits; memory, CPUs and timeout come from `[sandbox]` config. */
export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 2 * 1024 ** 3,
  nanoCpus: 2e9,
  pidsLimit: 512,
  tmpfsBytes: 512 * 1024 ** 2,
  maxFileBytes: 1024 ** 3,
  timeoutMs: 600_000,
  diskBytes: 2 * 1024 ** 3,
};

/** Limits from the effective config (malformed values fall back to the defaults; config validation reports them). */
export function limitsFromConfig(sandbox: SafeInstallConfig['sandbox'], overrides: Partial<SandboxLimits> = {}): SandboxLimits {
  const memory = memoryBytes(sandbox.memoryLimit) ?? DEFAULT_LIMITS.memoryBytes;
  const cpus = cpuCount(sandbox.cpuLimit) ?? DEFAULT_LIMITS.nanoCpus / 1e9;
  return {
    ...DEFAULT_LIMITS,
    memoryBytes: Math.floor(memory),
    nanoCpus: Math.round(cpus * 1e9),
    timeoutMs: sandbox.timeoutSeconds > 0 ? sandbox.timeoutSeconds * 1000 : DEFAULT_LIMITS.timeoutMs,
    ...overrides,
  };
}

/** A read-only host file made visible in the fetch phase (the CA bundle is the only one allowed). */
export interface ReadOnlyFile {
  hostPath: string;
  containerPath: string;
}

/** Everything that varies between phase containers; the hardening itself does not. */
export interface PhaseContainerOptions {
  runId: string;
  phase: Extract<SandboxPhase, 'fetch' | 'build'>;
  image: string;
  /** The run's build-area volume, mounted at BUILD_MOUNT (read-write in every phase). */
  buildVolumeName?: string;
  /** Docker network mode; forced to `none` for the build phase whatever is passed. */
  network: string;
  volumeName: string;
  limits: SandboxLimits;
  /** The only environment the container gets (no host variables). */
  env: Readonly<Record<string, string>>;
  /** CA bundle files (fetch phase only). */
  readOnlyFiles?: readonly ReadOnlyFile[];
  /** Join the network namespace of this container (the egress holder) instead of `network` (fetch phase only). */
  joinNetworkOf?: string;
}

function tmpfsOptions(limits: SandboxLimits, extra: string): string {
  return `rw,nosuid,nodev,noexec,size=${limits.tmpfsBytes}${extra}`;
}

/** The full `docker create` body for one phase: hardened, labelled, idle until steps are exec'd into it. */
export function phaseContainerConfig(options: PhaseContainerOptions): ContainerCreateOptions {
  // Package code may run in the build phase, so it never gets a network, whatever the caller asked for.
  const network = options.phase === 'build' ? 'none' : options.network;
  if (network === 'container' || network.startsWith('container:')) throw new Error(`network mode '${network}' would share another container's network`);
  // Only the egress holder's namespace may be joined, and only by a fetch phase.
  const joined = options.phase === 'fetch' && options.joinNetworkOf !== undefined ? `container:${options.joinNetworkOf}` : undefined;
  const binds = options.phase === 'fetch'
    ? (options.readOnlyFiles ?? []).map((file) => `${file.hostPath}:${file.containerPath}:ro`)
    : [];
  const env = Object.entries(options.env).map(([key, value]) => `${key}=${value}`);
  return {
    Image: options.image,
    // PID 1 only waits; every step is an argv array exec'd into the container, never a shell string.
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    User: SANDBOX_USER,
    WorkingDir: VOLUME_MOUNT,
    Env: env,
    // A container that joins another's network namespace also takes its hostname, hosts file and DNS.
    ...(joined === undefined ? { Hostname: 'sandbox' } : {}),
    Labels: { [RUN_LABEL]: options.runId, [PHASE_LABEL]: options.phase },
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    NetworkDisabled: network === 'none',
    StopSignal: 'SIGKILL',
    HostConfig: {
      CapDrop: ['ALL'],
      // Docker's default seccomp profile stays on: never `seccomp=unconfined`.
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: {
        '/tmp': tmpfsOptions(options.limits, ''),
        [SANDBOX_HOME]: tmpfsOptions(options.limits, `,uid=10001,gid=10001,mode=0700`),
      },
      // Package code runs in the build phase: it reads the fetched files but may write only to the capped build area.
      Mounts: [
        { Type: 'volume', Source: options.volumeName, Target: VOLUME_MOUNT, ReadOnly: options.phase === 'build' },
        ...(options.buildVolumeName !== undefined ? [{ Type: 'volume' as const, Source: options.buildVolumeName, Target: BUILD_MOUNT, ReadOnly: false }] : []),
      ],
      Binds: binds,
      Memory: options.limits.memoryBytes,
      // Equal to Memory: no swap on top.
      MemorySwap: options.limits.memoryBytes,
      NanoCpus: options.limits.nanoCpus,
      PidsLimit: options.limits.pidsLimit,
      Ulimits: [
        { Name: 'fsize', Soft: options.limits.maxFileBytes, Hard: options.limits.maxFileBytes },
        { Name: 'nofile', Soft: 4096, Hard: 4096 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      NetworkMode: joined ?? network,
      ...(joined === undefined && network === EGRESS_NETWORK ? { Dns: [...EGRESS_DNS], DnsOptions: ['timeout:1', 'attempts:1'] } : {}),
      IpcMode: 'private',
      ShmSize: 64 * 1024 * 1024,
      // Zombies of package code would count against PidsLimit; a tiny init reaps them.
      Init: true,
      AutoRemove: false,
      RestartPolicy: { Name: 'no' },
      LogConfig: { Type: 'none', Config: {} },
    },
  };
}

/**
 * The egress holder: idle, hardened like every phase container, on the internal fetch network with its DNS
 * pointed at its own loopback; no volume, no host file, no environment.
 */
export function egressHolderConfig(options: { image: string; network?: string }): ContainerCreateOptions {
  const config = phaseContainerConfig({ runId: 'egress', phase: 'fetch', image: options.image, network: options.network ?? EGRESS_NETWORK, volumeName: 'unused', limits: DEFAULT_LIMITS, env: {} });
  return {
    ...config,
    Labels: { [EGRESS_LABEL]: 'holder' },
    HostConfig: { ...config.HostConfig, Mounts: [], Binds: [], Memory: 32 * 1024 * 1024, MemorySwap: 32 * 1024 * 1024, PidsLimit: 8, RestartPolicy: { Name: 'no' }, Dns: [...EGRESS_DNS], DnsOptions: ['timeout:1', 'attempts:1'] },
  };
}

/**
 * The keeper: an idle container that only holds the build-area volume mounted, because Docker unmounts
 * (and so empties) a tmpfs volume as soon as no container uses it, and the phases run one after another.
 * Same hardening, no network, the volume read-only.
 */
export function keeperContainerConfig(options: Pick<PhaseContainerOptions, 'runId' | 'image' | 'limits'> & { buildVolumeName: string }): ContainerCreateOptions {
  const config = phaseContainerConfig({ runId: options.runId, phase: 'build', image: options.image, network: 'none', volumeName: options.buildVolumeName, limits: options.limits, env: {} });
  config.Labels = { ...config.Labels, [PHASE_LABEL]: 'keeper' };
  config.HostConfig = { ...config.HostConfig, Mounts: [{ Type: 'volume', Source: options.buildVolumeName, Target: BUILD_MOUNT, ReadOnly: true }], Memory: 64 * 1024 * 1024, MemorySwap: 64 * 1024 * 1024, PidsLimit: 8 };
  return config;
}
