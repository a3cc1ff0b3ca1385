/**
 * The real network transport: undici with proxy support from HTTPS_PROXY/HTTP_PROXY/NO_PROXY
 * (read from the environment we are given, not the process's) and extra CA certificates on top of
 * Node's bundled roots (NODE_EXTRA_CA_CERTS already applies; npm's `cafile` and pip's `cert` add more).
 */
import { createSecureContext, rootCertificates } from 'node:tls';
import { EnvHttpProxyAgent, interceptors, request, type Dispatcher } from 'undici';
import type { Transport } from './http';

/** What the transport needs to know about the environment. */
export interface TransportOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** PEM text of extra certificate authorities (already read from disk). */
  extraCaPem?: string[];
}

// Loopback traffic (test registries, local mirrors) never goes through a proxy.
const ALWAYS_DIRECT = ['localhost', '127.0.0.1', '::1', '[::1]'];

/** Builds the undici dispatcher: proxy-aware, follows a few redirects. */
export function createDispatcher(options: TransportOptions): Dispatcher {
  const env = options.env;
  const pick = (...names: string[]): string | undefined => names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const noProxy = [pick('NO_PROXY', 'no_proxy'), ...ALWAYS_DIRECT].filter((v): v is string => Boolean(v)).join(',');
  const ca = options.extraCaPem && options.extraCaPem.length > 0 ? [...rootCertificates, ...options.extraCaPem] : undefined;
  const agentOptions: EnvHttpProxyAgent.Options = { noProxy };
  const httpProxy = pick('HTTP_PROXY', 'http_proxy');
  const httpsProxy = pick('HTTPS_PROXY', 'https_proxy');
  // Passing '' tells undici "no proxy" instead of letting it read process.env behind our back.
  agentOptions.httpProxy = httpProxy ?? '';
  agentOptions.httpsProxy = httpsProxy ?? httpProxy ?? '';
  if (ca) {
    // One secure context for every connection: handing `ca` to each connect re-parses the whole bundle
    // per TLS handshake (seconds per scan when pip's `cert` names the system bundle).
    const secureContext = createSecureContext({ ca });
    agentOptions.connect = { secureContext };
    agentOptions.requestTls = { secureContext };
  }
  return new EnvHttpProxyAgent(agentOptions).compose(interceptors.redirect({ maxRedirections: 5 }));
}

/** A Transport backed by undici. */
export function createUndiciTransport(options: TransportOptions): Transport {
  const dispatcher = createDispatcher(options);
  return async (req, signal) => {
    const init: Parameters<typeof request>[1] = { method: req.method, headers: req.headers, signal, dispatcher };
    if (req.body !== undefined) init.body = req.body;
    const res = await request(req.url, init);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(res.headers)) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      status: res.statusCode,
      headers,
      body: res.body,
      discard: () => {
        // Destroying an unread undici body emits an AbortError; without a listener that would crash the process.
        res.body.on('error', () => undefined);
        res.body.destroy();
      },
    };
  };
}
