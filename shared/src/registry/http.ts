/**
 * The one HTTP path every registry client uses: cache first, then a bounded number of in-flight
 * requests per host, a timeout per attempt and a deadline per call, retries with backoff (honouring
 * Retry-After) on 429/5xx, a cap on body size that stops reading instead of buffering, and
 * content-type/JSON checks that turn garbage into a clear error. The transport, clock and cache are
 * injected so unit tests need no sockets and no waiting.
 */
import { setMaxListeners } from 'node:events';
import { cacheKey, type CacheEntry, type CacheStore } from './cache';

/** Why a request produced no usable answer. */
export type HttpFailureKind = 'timeout' | 'network' | 'status' | 'too-large' | 'bad-content' | 'offline' | 'aborted' | 'unsupported';

/** A request that produced no usable answer; `message` is written for the user. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpFailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** What the transport is asked to send. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** A response whose body has not been read yet. */
export interface TransportResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string | undefined>;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading and releases the connection. */
  discard(): void;
}

/** Sends one request; rejects on network failure or when `signal` aborts. */
export type Transport = (request: HttpRequest, signal: AbortSignal) => Promise<TransportResponse>;

/** Time, behind an interface so cache freshness and backoff are testable. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }),
};

/** Limits and behaviour of the HTTP layer. */
export interface HttpSettings {
  /** One attempt, from sending to the last body byte. */
  timeoutMs: number;
  /** A whole call including retries and backoff. */
  totalTimeoutMs: number;
  maxRetries: number;
  retryBaseMs: number;
  /** Longest Retry-After we are willing to wait. */
  maxRetryDelayMs: number;
  maxBodyBytes: number;
  perHostConcurrency: number;
  /** Use only the cache; never touch the network. */
  offline: boolean;
  userAgent: string;
}

export const DEFAULT_HTTP_SETTINGS: HttpSettings = {
  timeoutMs: 10_000,
  totalTimeoutMs: 20_000,
  maxRetries: 2,
  retryBaseMs: 250,
  maxRetryDelayMs: 5_000,
  maxBodyBytes: 32 * 1024 * 1024,
  perHostConcurrency: 8,
  offline: false,
  userAgent: 'safe-install (+registry intelligence)',
};

/** Per-call options. */
export interface FetchOptions {
  signal: AbortSignal;
  method?: 'GET' | 'POST';
  body?: string;
  accept?: string;
  contentType?: string;
  /** What the body must be: parsed and checked JSON, or any text. */
  expect: 'json' | 'text';
  /** How long a cached success stays fresh. */
  ttlMs: number;
  /** How long a cached 404/410 stays fresh (default: a tenth of ttlMs). */
  notFoundTtlMs?: number;
  maxBodyBytes?: number;
}

/** A usable answer: 200 (body checked) or 404/410 (body ignored). */
export interface HttpResponse {
  status: number;
  url: string;
  text: string;
  /** Parsed body for `expect: 'json'` and status 200. */
  json?: unknown;
  fromCache: boolean;
  /** True when a stale cached copy was used because the network failed. */
  stale?: boolean;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
/**
 * How long a host whose name did not resolve (ENOTFOUND) fails at once instead of being looked up again.
 * Without it every dependency waits for its own failed DNS look-ups and retries (half a minute on a demo
 * scan without DNS); a name that does not exist now will not exist a second later.
 */
const UNRESOLVED_HOST_MEMORY_MS = 30_000;
const NOT_FOUND = new Set([404, 410]);
const MAX_ERROR_BODY = 64 * 1024;

/**
 * Counts waiters per host and lets at most `limit` through at once. Until the host has answered once (or
 * failed to), only one request is let through: a host whose name does not resolve then costs one DNS
 * look-up, not `limit` of them queued on Node's four resolver threads.
 */
class HostLimiter {
  private active = 0;
  private reached = false;
  private readonly waiting: Array<() => void> = [];
  constructor(private readonly limit: number) {}

  /** The first attempt finished (answer or failure): open up to the full limit. */
  markReached(): void {
    if (this.reached) return;
    this.reached = true;
    // Woken waiters count themselves active only once they resume, so count the grants here.
    for (let free = this.limit - this.active; free > 0 && this.waiting.length > 0; free--) this.waiting.shift()?.();
  }

  async acquire(signal: AbortSignal): Promise<() => void> {
    if (this.active < (this.reached ? this.limit : 1)) {
      this.active++;
      return () => this.release();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiting.indexOf(grant);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal.reason);
      };
      this.waiting.push(grant);
      signal.addEventListener('abort', onAbort, { once: true });
    });
    this.active++;
    return () => this.release();
  }

  private release(): void {
    this.active--;
    this.waiting.shift()?.();
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Seconds or an HTTP date → milliseconds to wait; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function isJsonContentType(contentType: string | undefined): boolean {
  // Absent content types are tolerated (some private mirrors omit it); a declared non-JSON type is not.
  return contentType === undefined || /json/i.test(contentType);
}

/** The system error code of a network failure (`ENOTFOUND`, `ECONNREFUSED` …), on the error or its cause. */
function networkErrorCode(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 4; current = (current as Error & { cause?: unknown }).cause, depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: string }).code;
    const cause = (error as Error & { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return code ? `${code} ${error.message}${causeText}` : `${error.message}${causeText}`;
  }
  return String(error);
}

/** The HTTP layer; one instance per process is shared by every client. */
export class HttpClient {
  /** Requests actually sent (cache hits do not count). */
  networkRequests = 0;
  private readonly limiters = new Map<string, HostLimiter>();
  private readonly widenedSignals = new WeakSet<AbortSignal>();
  /** Hosts whose name did not resolve, with the failure and until when it is repeated without asking. */
  private readonly unresolvedHosts = new Map<string, { until: number; error: HttpError }>();
  readonly settings: HttpSettings;

  constructor(
    private readonly transport: Transport,
    private readonly cache: CacheStore | undefined,
    private readonly clock: Clock = systemClock,
    settings: Partial<HttpSettings> = {},
  ) {
    this.settings = { ...DEFAULT_HTTP_SETTINGS, ...settings };
  }

  private limiterFor(host: string): HostLimiter {
    let limiter = this.limiters.get(host);
    if (!limiter) {
      limiter = new HostLimiter(this.settings.perHostConcurrency);
      this.limiters.set(host, limiter);
    }
    return limiter;
  }

  /** Fetches through the cache; resolves for 200/404/410, rejects with HttpError otherwise. */
  async fetch(url: string, options: FetchOptions): Promise<HttpResponse> {
    // One caller signal is shared by every request of a check (hundreds of dependencies): each in-flight
    // request listens to it, which is expected, not a leak.
    if (!this.widenedSignals.has(options.signal)) {
      this.widenedSignals.add(options.signal);
      setMaxListeners(0, options.signal);
    }
    // Checked here so a file:// or ftp:// endpoint reads as such, not as the transport's invalid-argument error.
    const unsupported = unsupportedUrl(url);
    if (unsupported) throw new HttpError('unsupported', unsupported);
    const method = options.method ?? 'GET';
    const key = cacheKey(method, url, options.body);
    const cached = await this.readCache(key);
    const now = this.clock.now();
    if (cached && this.isFresh(cached, options, now)) return this.fromEntry(cached, options, false);
    if (this.settings.offline) {
      if (cached) return this.fromEntry(cached, options, cached.storedAt + options.ttlMs < now);
      throw new HttpError('offline', `offline mode: ${url} is not in the cache`);
    }
    try {
      return await this.fetchFromNetwork(url, method, key, cached, options);
    } catch (error) {
      // A stale copy beats no answer when the network fails; an abort is not a failure to paper over.
      if (cached && error instanceof HttpError && error.kind !== 'aborted') return this.fromEntry(cached, options, true);
      throw error;
    }
  }

  private async readCache(key: string): Promise<CacheEntry | undefined> {
    if (!this.cache) return undefined;
    try {
      return await this.cache.get(key);
    } catch {
      return undefined;
    }
  }

  private async writeCache(entry: CacheEntry): Promise<void> {
    if (!this.cache) return;
    try {
      await this.cache.set(entry);
    } catch {
      // A read-only or full cache directory must not turn a good answer into a failure.
    }
  }

  private isFresh(entry: CacheEntry, options: FetchOptions, now: number): boolean {
    const ttl = NOT_FOUND.has(entry.status) ? (options.notFoundTtlMs ?? options.ttlMs / 10) : options.ttlMs;
    return now - entry.storedAt < ttl && now >= entry.storedAt;
  }

  private fromEntry(entry: CacheEntry, options: FetchOptions, stale: boolean): HttpResponse {
    const response: HttpResponse = { status: entry.status, url: entry.url, text: entry.body, fromCache: true };
    if (stale) response.stale = true;
    if (entry.status === 200 && options.expect === 'json') response.json = JSON.parse(entry.body) as unknown;
    return response;
  }

  private async fetchFromNetwork(url: string, method: 'GET' | 'POST', key: string, cached: CacheEntry | undefined, options: FetchOptions): Promise<HttpResponse> {
    const host = hostOf(url);
    const deadline = this.clock.now() + this.settings.totalTimeoutMs;
    const headers: Record<string, string> = { 'user-agent': this.settings.userAgent };
    if (options.accept) headers.accept = options.accept;
    if (options.contentType) headers['content-type'] = options.contentType;
    if (cached && cached.status === 200) {
      if (cached.headers.etag) headers['if-none-match'] = cached.headers.etag;
      if (cached.headers['last-modified']) headers['if-modified-since'] = cached.headers['last-modified'];
    }
    const request: HttpRequest = { method, url, headers };
    if (options.body !== undefined) request.body = options.body;
    const unresolved = this.unresolvedHosts.get(host);
    if (unresolved && unresolved.until > this.clock.now()) throw unresolved.error;

    for (let attempt = 0; ; attempt++) {
      if (options.signal.aborted) throw new HttpError('aborted', `request to ${host} was cancelled`);
      const outcome = await this.attempt(request, host, deadline, options);
      if (outcome.kind === 'done') {
        const { status, headers: responseHeaders, text } = outcome;
        if (status === 304 && cached) {
          const refreshed: CacheEntry = { ...cached, storedAt: this.clock.now() };
          await this.writeCache(refreshed);
          return this.fromEntry(refreshed, options, false);
        }
        const kept: Record<string, string> = {};
        for (const name of ['etag', 'last-modified', 'content-type']) {
          const value = responseHeaders[name];
          if (value !== undefined) kept[name] = value;
        }
        const entry: CacheEntry = { key, url, status, headers: kept, body: NOT_FOUND.has(status) ? '' : text, storedAt: this.clock.now() };
        const response = this.fromEntry(entry, options, false);
        response.fromCache = false;
        await this.writeCache(entry);
        return response;
      }
      // Retryable failure: wait (Retry-After or exponential backoff) if the deadline allows.
      const backoff = this.settings.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5);
      const delay = Math.min(Math.max(outcome.retryAfterMs ?? 0, backoff), this.settings.maxRetryDelayMs);
      if (attempt >= this.settings.maxRetries || this.clock.now() + delay >= deadline) throw outcome.error;
      try {
        await this.clock.sleep(delay, options.signal);
      } catch {
        throw new HttpError('aborted', `request to ${host} was cancelled`);
      }
    }
  }

  /** One attempt: either a usable, fully read response or a (possibly retryable) failure. */
  private async attempt(
    request: HttpRequest,
    host: string,
    deadline: number,
    options: FetchOptions,
  ): Promise<
    | { kind: 'done'; status: number; headers: Record<string, string | undefined>; text: string }
    | { kind: 'retry'; error: HttpError; retryAfterMs?: number }
  > {
    const budget = Math.max(1, Math.min(this.settings.timeoutMs, deadline - this.clock.now()));
    const controller = new AbortController();
    const timeoutError = new HttpError('timeout', `${host} did not answer within ${Math.round(budget / 100) / 10} s`);
    const timer = setTimeout(() => controller.abort(timeoutError), budget);
    const onOuterAbort = (): void => controller.abort(new HttpError('aborted', `request to ${host} was cancelled`));
    if (options.signal.aborted) onOuterAbort();
    options.signal.addEventListener('abort', onOuterAbort, { once: true });
    let release: (() => void) | undefined;
    let response: TransportResponse | undefined;
    const limiter = this.limiterFor(host);
    try {
      release = await limiter.acquire(controller.signal);
      // The host may have proved unresolvable while this request waited its turn.
      const unresolved = this.unresolvedHosts.get(host);
      if (unresolved && unresolved.until > this.clock.now()) throw unresolved.error;
      this.networkRequests++;
      try {
        response = await this.transport(request, controller.signal);
      } finally {
        limiter.markReached();
      }
      const status = response.status;
      if (RETRYABLE.has(status)) {
        response.discard();
        const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.now());
        const error = new HttpError('status', `${host} answered HTTP ${status}${status === 429 ? ' (rate limited)' : ''}`, status);
        return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
      }
      if (status === 304) {
        response.discard();
        return { kind: 'done', status, headers: response.headers, text: '' };
      }
      if (NOT_FOUND.has(status)) {
        await readCapped(response, MAX_ERROR_BODY, host).catch(() => '');
        return { kind: 'done', status, headers: response.headers, text: '' };
      }
      if (status !== 200) {
        response.discard();
        throw new HttpError('status', `${host} answered HTTP ${status}${status === 401 || status === 403 ? ' (authentication required?)' : ''}`, status);
      }
      const contentType = response.headers['content-type'];
      if (options.expect === 'json' && !isJsonContentType(contentType)) {
        response.discard();
        throw new HttpError('bad-content', `${host} answered ${contentType?.split(';')[0] ?? 'no content type'} where JSON was expected (a proxy or login page?)`);
      }
      const text = await readCapped(response, options.maxBodyBytes ?? this.settings.maxBodyBytes, host);
      if (options.expect === 'json') {
        try {
          JSON.parse(text);
        } catch {
          throw new HttpError('bad-content', `${host} answered malformed JSON (${text.length} bytes${text.length === 0 ? ', empty body' : ''})`);
        }
      }
      return { kind: 'done', status, headers: response.headers, text };
    } catch (error) {
      response?.discard();
      const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
      if (reason instanceof HttpError) throw reason;
      if (error instanceof HttpError) throw error;
      const failure = new HttpError('network', `cannot reach ${host}: ${describeNetworkError(error)}`);
      if (networkErrorCode(error) === 'ENOTFOUND') {
        // The name does not resolve: no retry, and the host's other requests fail at once for a while.
        this.unresolvedHosts.set(host, { until: this.clock.now() + UNRESOLVED_HOST_MEMORY_MS, error: failure });
        throw failure;
      }
      // Connection refused/reset and similar: worth another try.
      return { kind: 'retry', error: failure };
    } finally {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onOuterAbort);
      release?.();
    }
  }
}

/** Why `url` cannot be fetched over HTTP (not a URL, or another scheme), or undefined when it can. */
export function unsupportedUrl(url: string): string | undefined {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    return `${url} is not a URL`;
  }
  if (protocol === 'http:' || protocol === 'https:') return undefined;
  return `${url} uses the unsupported scheme '${protocol}' (only http:// and https:// are fetched)`;
}

/** Reads a body up to `maxBytes`; past that it stops reading (never buffers the rest) and fails. */
async function readCapped(response: TransportResponse, maxBytes: number, host: string): Promise<string> {
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    response.discard();
    throw new HttpError('too-large', `${host} sent a ${formatBytes(declared)} body; the limit is ${formatBytes(maxBytes)}`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of response.body) {
      total += chunk.byteLength;
      if (total > maxBytes) {
        response.discard();
        throw new HttpError('too-large', `${host} sent more than ${formatBytes(maxBytes)}; stopped reading`);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError('network', `${host} closed the connection before the response was complete (${describeNetworkError(error)})`);
  }
  if (Number.isFinite(declared) && declared > total) {
    throw new HttpError('network', `${host} closed the connection before the response was complete (${total} of ${declared} bytes)`);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / 1024 / 1024)} MB` : `${Math.round(n / 1024)} KB`;
}
