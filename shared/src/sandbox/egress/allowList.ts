/**
 * Where the fetch phase may connect in registry-only mode: the hosts (and ports) of the registry URLs
 * the run uses, the hosts those registries hand their files out from, and the user's
 * `network.allowed_hosts`. Everything else is refused by the egress proxy.
 */
import { RELATED_HOSTS } from '../../registry/defaults';

/** Answers whether a host:port may be reached. */
export interface AllowList {
  allows(host: string, port: number): boolean;
  /** What is allowed, for the report (`host`, `host:port` or `*.domain`). */
  readonly entries: readonly string[];
}

interface Entry { host: string; port?: number; suffix: boolean }

function normalHost(host: string): string {
  return host.toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

/** `host`, `host:port`, `[v6]:port` or `*.domain` from the user's list; undefined when it is none of those. */
export function parseHostEntry(text: string): Entry | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  // A full URL in the list means its host (and port).
  const source = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? urlEntry(trimmed) : undefined;
  if (source) return source;
  const suffix = trimmed.startsWith('*.');
  const rest = suffix ? trimmed.slice(2) : trimmed;
  const m = /^(\[[0-9a-f:.]+\]|[^:/\s]+)(?::(\d{1,5}))?$/i.exec(rest);
  if (!m?.[1]) return undefined;
  const port = m[2] !== undefined ? Number(m[2]) : undefined;
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const host = normalHost(m[1]);
  if (!/^[a-z0-9.:_-]+$/.test(host)) return undefined;
  return { host, suffix, ...(port !== undefined ? { port } : {}) };
}

function urlEntry(url: string): Entry | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const host = normalHost(u.hostname);
    return u.port !== '' ? { host, port: Number(u.port), suffix: false } : { host, suffix: false };
  } catch {
    return undefined;
  }
}

function label(entry: Entry): string {
  const host = entry.host.includes(':') ? `[${entry.host}]` : entry.host;
  return `${entry.suffix ? '*.' : ''}${host}${entry.port !== undefined ? `:${entry.port}` : ''}`;
}

/**
 * The allow-list of one run. A registry URL allows its own host on its own port (or 443/80 when it names
 * none, and both: a registry may redirect between them); hosts from `allowedHosts` without a port allow 443 and 80.
 */
export function egressAllowList(registryUrls: readonly string[], allowedHosts: readonly string[]): AllowList {
  const entries: Entry[] = [];
  for (const url of registryUrls) {
    const entry = urlEntry(url);
    if (!entry) continue;
    entries.push(entry);
    for (const related of RELATED_HOSTS[entry.host] ?? []) entries.push({ host: related, suffix: false });
  }
  for (const text of allowedHosts) {
    const entry = parseHostEntry(text);
    if (entry) entries.push(entry);
  }
  const unique = new Map(entries.map((e) => [label(e), e]));
  const list = [...unique.values()];
  return {
    entries: [...unique.keys()],
    allows(host: string, port: number): boolean {
      const h = normalHost(host);
      return list.some((e) => {
        const hostOk = e.suffix ? h.endsWith(`.${e.host}`) : h === e.host;
        const portOk = e.port !== undefined ? port === e.port : port === 443 || port === 80;
        return hostOk && portOk;
      });
    },
  };
}
