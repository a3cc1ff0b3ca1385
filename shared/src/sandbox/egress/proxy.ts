/**
 * The registry-only fetch network's way out: an HTTP proxy on the host, listening only on the address
 * the sandbox network's containers see the host at. It tunnels `CONNECT host:port` and forwards
 * absolute-form `http://` requests for allowed hosts, refuses everything else with 403, and records
 * every decision for the report. Link-local addresses (cloud metadata) are refused even for an allowed
 * name unless the allow-list names that address itself. The user's own proxy (with its credentials,
 * which never enter the container) is used for onward connections, honouring NO_PROXY.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { AllowList } from './allowList';

/** One connection attempt and what the proxy did with it. */
export interface EgressDecision {
  host: string;
  port: number;
  allowed: boolean;
  /** Why it was refused or failed. */
  reason?: string;
}

/** The user's proxy settings (from the host environment). */
export interface UpstreamProxy {
  http?: string;
  https?: string;
  noProxy: readonly string[];
}

/** What the proxy needs. */
export interface EgressProxyOptions {
  /** The address to listen on (the sandbox network's gateway). */
  listenHost: string;
  allowList: AllowList;
  upstream?: UpstreamProxy;
  onDecision?: (decision: EgressDecision) => void;
  /** DNS, injectable for tests. */
  lookup?: (host: string) => Promise<string[]>;
  /** Milliseconds to establish an onward connection. */
  connectTimeoutMs?: number;
}

/** A running proxy. */
export interface EgressProxy {
  /** `http://listenHost:port`, for the container's proxy variables. */
  readonly url: string;
  readonly decisions: readonly EgressDecision[];
  close(): Promise<void>;
}

/** The reason recorded for a host outside the allow-list (the report lists those hosts without it). */
export const NOT_ALLOWED = 'not a registry of this run';

const MAX_CONNECTIONS = 256;
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-authorization', 'proxy-authenticate', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

async function defaultLookup(host: string): Promise<string[]> {
  const found = await dnsLookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

/** Link-local and unspecified addresses: cloud metadata services live there. */
export function isForbiddenAddress(address: string): boolean {
  if (net.isIPv4(address)) return address.startsWith('169.254.') || address === '0.0.0.0';
  const a = address.toLowerCase();
  if (a.startsWith('::ffff:')) return isForbiddenAddress(a.slice(7));
  return /^fe[89ab]/.test(a) || a === '::';
}

/** `host:port` of a CONNECT request; undefined when malformed. */
export function parseAuthority(text: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(text);
  if (!m?.[1] || !m[2]) return undefined;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return undefined;
  return { host: m[1].replace(/^\[(.*)\]$/, '$1'), port };
}

function bypassesUpstream(host: string, noProxy: readonly string[]): boolean {
  const h = host.toLowerCase();
  return noProxy.some((raw) => {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (entry === '') return false;
    if (entry === '*') return true;
    const bare = entry.replace(/^\*?\./, '');
    return h === bare || h.endsWith(`.${bare}`);
  });
}

/** What the package manager is told about a host outside the allow-list. */
function notAllowedText(host: string, port: number): string {
  return `${host}:${port} is not a registry of this install (add it to network.allowed_hosts in your user config)`;
}

/** `Basic …` for a proxy URL's user:password, or undefined when it has none. */
function basicAuth(url: URL): string | undefined {
  return url.username !== '' ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}` : undefined;
}

function refuse(socket: Duplex, status: number, text: string): void {
  const body = `safe-install: ${text}\n`;
  socket.end(`HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Bad Gateway'}\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Starts the proxy; resolves once it listens. */
export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  const decisions: EgressDecision[] = [];
  const sockets = new Set<Duplex>();
  // One lookup per name for the proxy's life (a run): npm asks for a tunnel per request, and a resolver that
  // is slow to answer (an AAAA query timing out) would otherwise stall each of them.
  const resolved = new Map<string, Promise<string[]>>();
  const lookup = (host: string): Promise<string[]> => {
    let answer = resolved.get(host);
    if (!answer) {
      answer = (options.lookup ?? defaultLookup)(host);
      resolved.set(host, answer);
      // A failure is not kept: the next attempt asks again.
      answer.catch(() => resolved.delete(host));
    }
    return answer;
  };
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const decide = (decision: EgressDecision): void => {
    decisions.push(decision);
    options.onDecision?.(decision);
  };

  /** An allowed target's address, or why not. */
  const resolveTarget = async (host: string): Promise<{ address: string } | { reason: string }> => {
    // An address literal: a link-local one only when the allow-list names it as such.
    if (net.isIP(host)) return isForbiddenAddress(host) && !options.allowList.entries.includes(host) ? { reason: `${host} is a link-local address` } : { address: host };
    let addresses: string[];
    try {
      addresses = await lookup(host);
    } catch (error) {
      return { reason: `cannot resolve ${host} (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
    }
    // A name's link-local answers are never used.
    const first = addresses.find((a) => !isForbiddenAddress(a));
    return first !== undefined ? { address: first } : { reason: `${host} resolves only to link-local addresses` };
  };

  const upstreamFor = (host: string, scheme: 'http' | 'https'): URL | undefined => {
    const up = options.upstream;
    if (!up || bypassesUpstream(host, up.noProxy)) return undefined;
    const raw = scheme === 'https' ? up.https ?? up.http : up.http;
    if (!raw) return undefined;
    try {
      const url = new URL(raw);
      return url.protocol === 'http:' ? url : undefined;
    } catch {
      return undefined;
    }
  };

  const connectTcp = (host: string, port: number): Promise<net.Socket> => new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error(`timed out connecting to ${host}:${port}`)), connectTimeoutMs);
    socket.once('connect', () => { clearTimeout(timer); resolve(socket); });
    socket.once('error', (error) => { clearTimeout(timer); reject(error); });
  });

  /** An onward socket to host:port: direct, or a tunnel through the user's proxy. */
  const onward = async (host: string, port: number): Promise<net.Socket> => {
    const upstream = upstreamFor(host, 'https');
    if (!upstream) {
      const target = await resolveTarget(host);
      if ('reason' in target) throw new Error(target.reason);
      return connectTcp(target.address, port);
    }
    const socket = await connectTcp(upstream.hostname, Number(upstream.port || 80));
    const credentials = basicAuth(upstream);
    const auth = credentials !== undefined ? `Proxy-Authorization: ${credentials}\r\n` : '';
    const authority = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${auth}\r\n`);
    return new Promise((resolve, reject) => {
      let head = Buffer.alloc(0);
      const onData = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) {
          if (head.length > 16_384) fail(new Error('the upstream proxy sent an oversized answer'));
          return;
        }
        socket.removeListener('data', onData);
        const status = /^HTTP\/1\.[01] (\d{3})/.exec(head.subarray(0, end).toString('latin1'));
        if (status?.[1] !== '200') return fail(new Error(`the upstream proxy answered ${status?.[1] ?? 'garbage'} to CONNECT ${authority}`));
        const rest = head.subarray(end + 4);
        if (rest.length > 0) socket.unshift(rest);
        resolve(socket);
      };
      const fail = (error: Error): void => { socket.destroy(); reject(error); };
      socket.on('data', onData);
      socket.once('error', fail);
    });
  };

  const server = http.createServer((req, res) => {
    // Absolute-form request for a plain-http registry.
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('safe-install: only absolute http:// URLs are proxied\n');
      return;
    }
    const port = Number(url.port || 80);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.protocol !== 'http:' || !options.allowList.allows(host, port)) {
      decide({ host, port, allowed: false, reason: url.protocol !== 'http:' ? `unsupported scheme ${url.protocol}` : NOT_ALLOWED });
      res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`safe-install: ${notAllowedText(host, port)}\n`);
      return;
    }
    const headers: http.OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) headers[name] = value;
    void (async () => {
      const upstream = upstreamFor(host, 'http');
      let target: { host: string; port: number; path: string };
      if (upstream) {
        target = { host: upstream.hostname, port: Number(upstream.port || 80), path: url.toString() };
        const credentials = basicAuth(upstream);
        if (credentials !== undefined) headers['proxy-authorization'] = credentials;
      } else {
        const resolved = await resolveTarget(host);
        if ('reason' in resolved) {
          decide({ host, port, allowed: false, reason: resolved.reason });
          res.writeHead(403, { 'Content-Type': 'text/plain' }).end(`safe-install: ${resolved.reason}\n`);
          return;
        }
        target = { host: resolved.address, port, path: `${url.pathname}${url.search}` };
      }
      decide({ host, port, allowed: true });
      const forward = http.request({ host: target.host, port: target.port, path: target.path, method: req.method, headers, timeout: connectTimeoutMs }, (answer) => {
        const back: http.OutgoingHttpHeaders = {};
        for (const [name, value] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(name.toLowerCase()) && value !== undefined) back[name] = value;
        res.writeHead(answer.statusCode ?? 502, back);
        answer.pipe(res);
      });
      forward.on('timeout', () => forward.destroy(new Error('timed out')));
      forward.on('error', (error) => {
        if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`safe-install: ${host}:${port}: ${error.message}\n`);
        else res.destroy();
      });
      req.pipe(forward);
    })();
  });

  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    client.on('error', () => undefined);
    const target = parseAuthority(req.url ?? '');
    if (!target) {
      decide({ host: String(req.url ?? '').slice(0, 200), port: 0, allowed: false, reason: 'malformed CONNECT' });
      refuse(client, 400, 'malformed CONNECT target');
      return;
    }
    if (!options.allowList.allows(target.host, target.port)) {
      decide({ ...target, allowed: false, reason: NOT_ALLOWED });
      refuse(client, 403, notAllowedText(target.host, target.port));
      return;
    }
    onward(target.host, target.port).then((remote) => {
      decide({ ...target, allowed: true });
      sockets.add(remote);
      remote.once('close', () => sockets.delete(remote));
      remote.on('error', () => client.destroy());
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) remote.write(head);
      remote.pipe(client);
      client.pipe(remote);
      client.once('close', () => remote.destroy());
    }, (error: Error) => {
      decide({ ...target, allowed: false, reason: error.message });
      refuse(client, 502, `${target.host}:${target.port}: ${error.message}`);
    });
  });

  server.on('connection', (socket: net.Socket) => {
    if (sockets.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => {
    if (socket.writable) refuse(socket, 400, 'bad request');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.listenHost, port: 0 }, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}`,
    decisions,
    async close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
