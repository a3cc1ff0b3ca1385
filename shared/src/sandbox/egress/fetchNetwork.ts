/**
 * The fetch phase's network. `registry-only` (the default): the container sits on an internal Docker
 * network with no route out, and its package manager reaches the registries of this run, and nothing
 * else, through safe-install's egress proxy on the host. Any other mode is a Docker network mode the
 * user chose (`bridge`, `host`, a network name): unrestricted, and the report says so.
 */
import type { Ecosystem } from '../../model';
import type { SandboxEngine } from '../docker';
import { PROXY_VARS } from '../environment';
import { egressAllowList } from './allowList';
import { NOT_ALLOWED, startEgressProxy, type EgressDecision, type EgressProxy, type UpstreamProxy } from './proxy';

/** The default fetch network mode. */
export const REGISTRY_ONLY = 'registry-only';

/** What the fetch phase gets. */
export interface FetchNetwork {
  /** The Docker network mode of the fetch container. */
  dockerMode: string;
  /** How the report names it. */
  label: string;
  /** Proxy variables for the fetch container (they replace the host's). */
  env: Record<string, string>;
  /** The container whose network namespace fetch containers join (the egress holder), when there is one. */
  joinNetworkOf?: string;
  /** True when the host's own proxy variables must not reach the container (the egress proxy uses them). */
  replacesProxyVars: boolean;
  /** Connection attempts refused so far (registry-only). */
  refused(): EgressDecision[];
  /** Stops the proxy; returns the report's notes. */
  close(): Promise<string[]>;
}

/** Registry-only egress cannot be set up here. */
export class EgressUnavailableError extends Error {
  override readonly name = 'EgressUnavailableError';
}

/** What opening the fetch network needs. */
export interface FetchNetworkOptions {
  mode: string;
  /** The run's image (the egress holder is made from it when it does not exist yet). */
  image: string;
  engine: SandboxEngine;
  registryUrls: readonly string[];
  allowedHosts: readonly string[];
  hostEnv: Readonly<Record<string, string | undefined>>;
  onDecision?: (decision: EgressDecision) => void;
}

/** The user's proxy from the host environment (credentials included: they stay on the host). */
export function upstreamFromEnv(env: Readonly<Record<string, string | undefined>>): UpstreamProxy | undefined {
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const https = pick('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy');
  const http = pick('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy');
  if (https === undefined && http === undefined) return undefined;
  const noProxy = (pick('NO_PROXY', 'no_proxy') ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  return { ...(https !== undefined ? { https } : {}), ...(http !== undefined ? { http } : {}), noProxy };
}

/** The container's proxy variables: every spelling the package managers read, and no bypass list. */
export function proxyEnv(proxyUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy', 'npm_config_proxy', 'npm_config_https_proxy', 'CARGO_HTTP_PROXY']) env[name] = proxyUrl;
  env['NO_PROXY'] = '';
  env['no_proxy'] = '';
  env['npm_config_noproxy'] = '';
  return env;
}

/** Opens the fetch network for one run; throws EgressUnavailableError when registry-only cannot be had. */
export async function openFetchNetwork(options: FetchNetworkOptions): Promise<FetchNetwork> {
  if (options.mode !== REGISTRY_ONLY) {
    return { dockerMode: options.mode, label: options.mode, env: {}, replacesProxyVars: false, refused: () => [], close: async () => [`fetch network: ${options.mode} (unrestricted: the fetch phase could connect anywhere this network reaches; no package code runs there)`] };
  }
  if (!options.engine.egressNetwork) throw new EgressUnavailableError('this container engine has no internal network for registry-only fetches');
  let network: { name: string; gateway: string; holder?: string };
  try {
    network = await options.engine.egressNetwork(options.image);
  } catch (error) {
    throw new EgressUnavailableError(`cannot set up the internal fetch network: ${error instanceof Error ? error.message : String(error)}`);
  }
  const allowList = egressAllowList(options.registryUrls, options.allowedHosts);
  const upstream = upstreamFromEnv(options.hostEnv);
  let proxy: EgressProxy;
  try {
    proxy = await startEgressProxy({ listenHost: network.gateway, allowList, ...(upstream ? { upstream } : {}), ...(options.onDecision ? { onDecision: options.onDecision } : {}) });
  } catch (error) {
    // Docker Desktop and rootless engines keep the network's gateway inside their own VM or namespace.
    throw new EgressUnavailableError(`cannot listen on the fetch network's gateway ${network.gateway} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): the engine's networks are not on this machine`);
  }
  const refused = (): EgressDecision[] => proxy.decisions.filter((d) => !d.allowed);
  return {
    dockerMode: network.name,
    label: REGISTRY_ONLY,
    env: proxyEnv(proxy.url),
    ...(network.holder !== undefined ? { joinNetworkOf: network.holder } : {}),
    replacesProxyVars: true,
    refused,
    async close(): Promise<string[]> {
      await proxy.close();
      const notes = [`fetch network: registry-only — the fetch phase had no route out; through safe-install's proxy it could reach only ${allowList.entries.join(', ')}${upstream ? ' (onward through your proxy)' : ''}`];
      const denied = [...new Set(refused().map((d) => `${d.host}:${d.port}${d.reason && d.reason !== NOT_ALLOWED ? ` (${d.reason})` : ''}`))];
      if (denied.length > 0) notes.push(`fetch network: refused ${denied.join(', ')}; if the install needs one of them, add it to network.allowed_hosts in your user config`);
      return notes;
    },
  };
}

/** What a run asks for. */
export interface RunNetworkOptions extends Omit<FetchNetworkOptions, 'onDecision'> {
  /** When registry-only cannot be had here, use this mode instead and say so; without it the run is refused. */
  fallback?: string;
  ecosystem: Ecosystem;
  /** A warning for the progress display (refused connections in the fetch phase, the fallback in the plan). */
  onWarning: (line: string, phase: 'plan' | 'fetch') => void;
}

function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    return host === 'localhost' || host === '::1' || /^127\./.test(host);
  } catch {
    return false;
  }
}

/**
 * The fetch network of one run. Registry-only that cannot be had here falls back to `fallback` (given when
 * the user did not choose registry-only themselves) with a warning and a note; otherwise it is refused.
 */
export async function openRunNetwork(options: RunNetworkOptions): Promise<FetchNetwork> {
  const { fallback, ecosystem, onWarning, ...rest } = options;
  const base: FetchNetworkOptions = {
    ...rest,
    onDecision: (d) => {
      if (!d.allowed) onWarning(`fetch network: refused ${d.host}:${d.port}${d.reason ? ` (${d.reason})` : ''}`, 'fetch');
    },
  };
  const registry = options.registryUrls[0] ?? '';
  if (options.mode === REGISTRY_ONLY && ecosystem === 'Go' && isLoopbackUrl(registry)) {
    throw new EgressUnavailableError(`Go never sends a request for this machine's own address (${new URL(registry).host}) through a proxy, so the registry-only fetch network cannot reach that GOPROXY; run with --network-mode host (or [sandbox] network_mode = "host") for a proxy on this machine`);
  }
  try {
    return await openFetchNetwork(base);
  } catch (error) {
    if (!(error instanceof EgressUnavailableError) || options.mode !== REGISTRY_ONLY || fallback === undefined) throw error;
    onWarning(`registry-only fetch network unavailable (${error.message}); the fetch phase uses '${fallback}' and can connect anywhere (set [sandbox] network_mode to choose)`, 'plan');
    const opened = await openFetchNetwork({ ...base, mode: fallback });
    return { ...opened, close: async () => [`fetch network: ${fallback} because registry-only was unavailable here (${error.message}); the fetch phase could connect anywhere (no package code runs there)`] };
  }
}

/** The host's proxy variables removed (the egress proxy uses them on the host instead). */
export function withoutProxyVars(env: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (!PROXY_VARS.includes(name)) out[name] = value;
  return out;
}
