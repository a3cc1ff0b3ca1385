/**
 * Can installs run isolated here? Asks the docker CLI whether its daemon answers and bubblewrap whether it can
 * create a sandbox, each through an argument array with a bounded timeout.
 */
import type { ExposureHost } from './host';
import type { ExposureItem, SandboxStatus } from './types';

/** How long a probe may take before it counts as "not answering". */
export const PROBE_TIMEOUT_MS = 8000;

/** The sandbox status plus the report items that explain it. */
export interface SandboxProbeResult {
  status: SandboxStatus;
  items: ExposureItem[];
}

type DockerState = 'missing' | 'no-daemon' | 'ready';
type BwrapState = 'not-linux' | 'missing' | 'blocked' | 'ready';

async function dockerState(host: ExposureHost): Promise<DockerState> {
  const docker = await host.commands.findExecutable('docker');
  if (docker === undefined) return 'missing';
  const result = await host.commands.run(docker, ['version', '--format', '{{.Server.Version}}'], PROBE_TIMEOUT_MS);
  return result.code === 0 && result.stdout.trim() !== '' ? 'ready' : 'no-daemon';
}

async function bwrapState(host: ExposureHost): Promise<BwrapState> {
  if (host.platform !== 'linux') return 'not-linux';
  const bwrap = await host.commands.findExecutable('bwrap');
  if (bwrap === undefined) return 'missing';
  // The smallest real sandbox: new namespaces, read-only root. Fails where unprivileged user namespaces are off.
  const result = await host.commands.run(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-all', '--die-with-parent', '--', 'true'], PROBE_TIMEOUT_MS);
  return result.code === 0 ? 'ready' : 'blocked';
}

const DOCKER_WORDS: Record<DockerState, string> = {
  ready: 'the Docker daemon answers',
  'no-daemon': 'the docker CLI is present but its daemon did not answer',
  missing: 'Docker is not installed',
};
const BWRAP_WORDS: Record<BwrapState, string> = {
  ready: 'bubblewrap can create a sandbox',
  blocked: 'bubblewrap is installed but cannot create namespaces here (unprivileged user namespaces may be disabled)',
  missing: 'bubblewrap is not installed',
  'not-linux': 'bubblewrap is Linux-only',
};

/** Probes Docker and bubblewrap and describes what `install` would use. */
export async function probeSandbox(host: ExposureHost): Promise<SandboxProbeResult> {
  const [docker, bwrap] = await Promise.all([dockerState(host), bwrapState(host)]);
  const mode: SandboxStatus['mode'] = docker === 'ready' ? 'docker' : bwrap === 'ready' ? 'bwrap' : 'vault';
  const reason = `${DOCKER_WORDS[docker][0]?.toUpperCase()}${DOCKER_WORDS[docker].slice(1)}; ${BWRAP_WORDS[bwrap]}.`;
  const items: ExposureItem[] = [];
  if (docker === 'ready') {
    items.push({
      id: 'docker:daemon',
      category: 'docker',
      severity: 'medium',
      title: 'Docker daemon reachable by this user',
      location: host.env.DOCKER_HOST ?? 'docker socket',
      kind: 'docker-daemon-access',
      advice: 'A program that can reach a rootful Docker daemon can become root; prefer rootless Docker, and never run installs outside the sandbox.',
    });
  } else {
    items.push({
      id: `docker:${docker}`,
      category: 'docker',
      severity: 'info',
      title: docker === 'missing' ? 'Docker is not installed' : 'Docker daemon not answering',
      location: 'docker',
      kind: docker === 'missing' ? 'docker-missing' : 'docker-daemon-down',
      advice: docker === 'missing' ? 'Install Docker (or Podman with the docker CLI) so installs run in the container sandbox.' : 'Start the Docker daemon (or Docker Desktop) so installs run in the container sandbox.',
    });
  }
  const modeItem: Record<SandboxStatus['mode'], Omit<ExposureItem, 'id' | 'category' | 'location'>> = {
    docker: { severity: 'info', title: 'Installs run in the Docker sandbox', kind: 'sandbox-docker', advice: 'Nothing to do; keep using safe-install install instead of the package manager directly.' },
    bwrap: { severity: 'low', title: 'Docker unavailable: installs run under bubblewrap with an empty home', kind: 'sandbox-bwrap', advice: 'Start Docker for the stronger container sandbox when you can.' },
    vault: { severity: 'high', title: 'No sandbox can run: installs fall back to hiding credentials (vault)', kind: 'sandbox-none', advice: 'Install and start Docker (or bubblewrap on Linux) so package code never runs with access to your home folder.' },
  };
  items.push({ id: `sandbox:${mode}`, category: 'sandbox', location: mode, ...modeItem[mode] });
  return { status: { docker: docker === 'ready', bwrap: bwrap === 'ready', mode, reason }, items };
}
