/**
 * A local stand-in for every registry the intelligence engine talks to, on 127.0.0.1 at a random port.
 * Each route answers in its service's real wire format from the fixtures in test/fixtures/registry;
 * faults can be switched on per route (404, 429 then success, 500, slow, truncated, malformed JSON,
 * an HTML login page, a 100 MB streamed body), and every request is counted.
 *
 * Layout (one server, one prefix per service):
 *   /npm/<name>                                  npm packuments
 *   /npm-downloads/downloads/point/last-month/<name>
 *   /pypi/pypi/<name>/json, /pypi/pypi/<name>/<version>/json, /pypi/simple/<name>/
 *   /private-pypi/simple/<name>/                 a private index (PEP 691 JSON)
 *   /crates/api/v1/crates/<name>[/owners]
 *   /go/<escaped module>/@v/list | @v/<v>.info | @latest
 *   /gems/api/v1/gems/<name>.json, /gems/api/v1/versions/<name>.json, /gems/api/v1/gems/<name>/owners.json
 *   /osv/v1/querybatch, /osv/v1/query, /osv/v1/vulns/<id>
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import semver from 'semver';
import type { RegistriesConfig } from '../../shared/src/config/schema';
import type { Endpoints } from '../../shared/src/registry/endpoints';

/** How a route misbehaves. */
export type FaultMode = '404' | '429' | '500' | 'slow' | 'truncated' | 'malformed' | 'html' | 'huge' | 'huge-declared' | 'reset';

interface FaultRule {
  match: string;
  mode: FaultMode;
  remaining: number;
}

/** When the fixtures "are": tests pin the engine's clock here so ages never drift. */
export const FIXTURE_NOW = Date.parse('2025-06-01T00:00:00Z');

const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'fixtures', 'registry');
// Fixtures are read once at start-up by the test process; the product never reads them.
const load = (name: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8')) as Record<string, unknown>;

interface Fixtures {
  npm: { packuments: Record<string, Record<string, unknown>>; downloads: Record<string, number> };
  pypi: { projects: Record<string, Record<string, unknown>>; privateIndex: Record<string, string[]> };
  crates: { crates: Record<string, { crate: unknown; owners: unknown }> };
  go: { modules: Record<string, Array<{ Version: string; Time: string }>>; pseudoLatest: Record<string, { Version: string; Time: string }> };
  gems: { gems: Record<string, { gem: unknown; versions: unknown; owners: unknown }> };
  osv: { vulns: Array<Record<string, unknown>> };
}

/** A generated npm packument for benchmark names (`bench-<n>`), shaped like the fixtures. */
function benchPackument(name: string): Record<string, unknown> {
  const versions: Record<string, unknown> = {};
  const time: Record<string, string> = { created: '2018-01-01T00:00:00.000Z', modified: '2024-01-01T00:00:00.000Z' };
  for (const [i, v] of ['1.0.0', '1.1.0', '2.0.0'].entries()) {
    versions[v] = {
      name,
      version: v,
      description: 'benchmark package',
      main: 'index.js',
      scripts: { test: 'node test.js' },
      license: 'MIT',
      repository: { type: 'git', url: `git+https://github.com/example/${name}.git` },
      _id: `${name}@${v}`,
      _npmUser: { name: 'benchbot', email: 'bench@example.com' },
      maintainers: [{ name: 'benchbot', email: 'bench@example.com' }],
      dist: { integrity: 'sha512-AAAA', shasum: '0'.repeat(40), tarball: `https://registry.npmjs.org/${name}/-/${name}-${v}.tgz` },
    };
    time[v] = `${2018 + i * 2}-01-01T00:00:00.000Z`;
  }
  return { _id: name, name, 'dist-tags': { latest: '2.0.0' }, versions, time, maintainers: [{ name: 'benchbot', email: 'bench@example.com' }], repository: { type: 'git', url: `git+https://github.com/example/${name}.git` }, license: 'MIT' };
}

function unescapeModule(escaped: string): string {
  return escaped.replace(/!([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Whether an OSV `affected` entry covers this version (exact list, or introduced/fixed events). */
function affects(affected: Record<string, unknown>, version: string | undefined): boolean {
  if (version === undefined) return true;
  const versions = affected.versions;
  if (Array.isArray(versions) && versions.includes(version)) return true;
  for (const range of (affected.ranges as Array<{ events: Array<Record<string, string>> }> | undefined) ?? []) {
    let introduced: string | undefined;
    let fixed: string | undefined;
    for (const e of range.events) {
      if (e.introduced !== undefined) introduced = e.introduced;
      if (e.fixed !== undefined) fixed = e.fixed;
    }
    const v = semver.coerce(version)?.version ?? version;
    const geIntroduced = introduced === '0' || introduced === undefined || (semver.valid(introduced) !== null && semver.gte(v, introduced));
    const ltFixed = fixed === undefined || (semver.valid(semver.coerce(fixed)) !== null && semver.lt(v, semver.coerce(fixed)?.version ?? fixed));
    if (geIntroduced && ltFixed) return true;
  }
  return false;
}

/** The local registry server. */
export class RegistryServer {
  /** Every request path, in arrival order. */
  readonly log: string[] = [];
  private faults: FaultRule[] = [];
  private readonly fixtures: Fixtures;
  /** Sockets, so close() never waits for a slow response. */
  private readonly sockets = new Set<import('node:net').Socket>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
    /** Added to every response (benchmark). */
    public latencyMs: number,
    fixtures: Fixtures,
  ) {
    this.fixtures = fixtures;
  }

  /** Starts a server on 127.0.0.1 at a random port. */
  static async start(options: { latencyMs?: number } = {}): Promise<RegistryServer> {
    const fixtures: Fixtures = {
      npm: load('npm.json') as unknown as Fixtures['npm'],
      pypi: load('pypi.json') as unknown as Fixtures['pypi'],
      crates: load('crates.json') as unknown as Fixtures['crates'],
      go: load('go.json') as unknown as Fixtures['go'],
      gems: load('rubygems.json') as unknown as Fixtures['gems'],
      osv: load('osv.json') as unknown as Fixtures['osv'],
    };
    let instance: RegistryServer | undefined;
    const server = createServer((req, res) => {
      void instance?.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    instance = new RegistryServer(server, `http://127.0.0.1:${port}`, options.latencyMs ?? 0, fixtures);
    server.on('connection', (socket) => {
      instance?.sockets.add(socket);
      socket.on('close', () => instance?.sockets.delete(socket));
    });
    return instance;
  }

  /** Requests received so far. */
  get requests(): number {
    return this.log.length;
  }

  /** Makes requests whose path contains `match` misbehave, `times` times (default: always). */
  fault(match: string, mode: FaultMode, times = Number.POSITIVE_INFINITY): void {
    this.faults.push({ match, mode, remaining: times });
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** `[registries]` settings pointing every client here. */
  registries(): RegistriesConfig {
    return {
      npm: `${this.url}/npm`,
      npmDownloads: `${this.url}/npm-downloads`,
      pypiIndex: `${this.url}/pypi/simple`,
      pypiJson: `${this.url}/pypi/pypi`,
      crates: `${this.url}/crates`,
      goProxy: `${this.url}/go`,
      rubygems: `${this.url}/gems`,
      osv: `${this.url}/osv`,
    };
  }

  /** Resolved endpoints pointing every client here (no package-manager config involved). */
  endpoints(overrides: { pypiExtra?: boolean } = {}): Endpoints {
    const u = this.url;
    return {
      npm: { registry: `${u}/npm`, scopes: {}, publicRegistry: `${u}/npm`, downloads: `${u}/npm-downloads` },
      pypi: { indexes: overrides.pypiExtra ? [`${u}/pypi/simple`, `${u}/private-pypi/simple`] : [`${u}/pypi/simple`], json: `${u}/pypi/pypi`, publicSimple: `${u}/pypi/simple`, publicJson: `${u}/pypi/pypi` },
      crates: { api: `${u}/crates`, publicApi: `${u}/crates` },
      go: { proxies: [{ url: `${u}/go`, fallThroughOnError: false }, { url: 'direct', fallThroughOnError: false }], privatePatterns: [], publicProxy: `${u}/go` },
      rubygems: { sources: [`${u}/gems`], publicSource: `${u}/gems` },
      osv: `${u}/osv`,
      extraCaPem: [],
      notes: [],
    };
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private takeFault(pathname: string): FaultMode | undefined {
    const rule = this.faults.find((f) => f.remaining > 0 && pathname.includes(f.match));
    if (!rule) return undefined;
    rule.remaining--;
    return rule.mode;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    const pathname = url.pathname;
    this.log.push(`${req.method} ${pathname}`);
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const fault = this.takeFault(decodeURIComponent(pathname));
    if (fault && (await this.misbehave(fault, res))) return;
    try {
      this.route(req.method ?? 'GET', pathname, body, req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  }

  /** Plays a fault; returns false when the fault means "answer normally" (none do today). */
  private async misbehave(mode: FaultMode, res: ServerResponse): Promise<boolean> {
    switch (mode) {
      case '404':
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"Not found"}');
        return true;
      case '429':
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': '1' }).end('Too Many Requests');
        return true;
      case '500':
        res.writeHead(500, { 'content-type': 'text/html' }).end('<html><body>Internal Server Error</body></html>');
        return true;
      case 'slow':
        // Headers never come; the client's timeout must end this. The socket is destroyed by close().
        return true;
      case 'truncated':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '5000' });
        res.write('{"name":"truncated","versions":{"1.0.0":{');
        setImmediate(() => res.socket?.destroy());
        return true;
      case 'malformed':
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"name": "oops", "versions": {,,}');
        return true;
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in</title><form>…</form>');
        return true;
      case 'reset':
        res.socket?.destroy();
        return true;
      case 'huge':
      case 'huge-declared': {
        // 100 MB of JSON-looking bytes, generated as the client reads (never held in memory here either).
        const total = 100 * 1024 * 1024;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (mode === 'huge-declared') headers['content-length'] = String(total);
        res.writeHead(200, headers);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < total) {
            sent += chunk.length;
            if (!res.write(chunk)) {
              res.once('drain', pump);
              return;
            }
          }
          res.end();
        };
        res.on('close', () => {
          sent = total;
        });
        pump();
        return true;
      }
    }
  }

  private json(res: ServerResponse, status: number, value: unknown, contentType = 'application/json'): void {
    const text = JSON.stringify(value);
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), etag: `"${text.length}-${status}"` }).end(text);
  }

  private text(res: ServerResponse, status: number, value: string): void {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(value);
  }

  private route(method: string, pathname: string, body: string, req: IncomingMessage, res: ServerResponse): void {
    const f = this.fixtures;
    let m: RegExpExecArray | null;
    if ((m = /^\/npm\/(.+)$/.exec(pathname))) {
      const name = decodeURIComponent(m[1] ?? '');
      const doc = f.npm.packuments[name] ?? (/^bench-\d+$/.test(name) ? benchPackument(name) : undefined);
      if (!doc) return this.json(res, 404, { error: 'Not found' });
      // Conditional requests: same ETag, no body.
      const text = JSON.stringify(doc);
      const etag = `W/"${text.length.toString(16)}"`;
      if (req.headers['if-none-match'] === etag) {
        res.writeHead(304, { etag }).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }
    if ((m = /^\/npm-downloads\/downloads\/point\/last-month\/(.+)$/.exec(pathname))) {
      const name = decodeURIComponent(m[1] ?? '');
      const count = f.npm.downloads[name] ?? (/^bench-\d+$/.test(name) ? 100_000 : undefined);
      if (count === undefined) return this.json(res, 404, { error: `package ${name} not found` });
      return this.json(res, 200, { downloads: count, start: '2025-05-01', end: '2025-05-31', package: name });
    }
    if ((m = /^\/pypi\/pypi\/([^/]+)\/json$/.exec(pathname))) {
      const doc = f.pypi.projects[m[1] ?? ''];
      return doc ? this.json(res, 200, doc) : this.json(res, 404, { message: 'Not Found' });
    }
    if ((m = /^\/pypi\/pypi\/([^/]+)\/([^/]+)\/json$/.exec(pathname))) {
      const doc = f.pypi.projects[m[1] ?? ''];
      const version = decodeURIComponent(m[2] ?? '');
      const files = (doc?.releases as Record<string, Array<Record<string, unknown>>> | undefined)?.[version];
      if (!doc || !files) return this.json(res, 404, { message: 'Not Found' });
      const yanked = files.length > 0 && files.every((x) => x.yanked === true);
      return this.json(res, 200, { info: { ...(doc.info as Record<string, unknown>), version, yanked, yanked_reason: yanked ? (files[0]?.yanked_reason ?? null) : null }, last_serial: doc.last_serial, urls: files, vulnerabilities: [] });
    }
    if ((m = /^\/(pypi|private-pypi)\/simple\/([^/]+)\/$/.exec(pathname))) {
      const name = m[2] ?? '';
      const versions = m[1] === 'pypi' ? Object.keys((f.pypi.projects[name]?.releases as Record<string, unknown> | undefined) ?? {}) : f.pypi.privateIndex[name];
      if (m[1] === 'pypi' && !f.pypi.projects[name]) return this.text(res, 404, 'Not Found');
      if (!versions) return this.text(res, 404, 'Not Found');
      const files = versions.map((v) => ({ filename: `${name.replace(/-/g, '_')}-${v}-py3-none-any.whl`, url: `https://files.example/${name}-${v}.whl`, hashes: { sha256: '0'.repeat(64) }, 'requires-python': '>=3.8', 'dist-info-metadata': false, 'core-metadata': false, 'data-dist-info-metadata': false, size: 1234, 'upload-time': '2024-01-01T00:00:00.000000Z', yanked: false }));
      return this.json(res, 200, { meta: { 'api-version': '1.1', '_last-serial': 1 }, name, files, versions }, 'application/vnd.pypi.simple.v1+json');
    }
    if ((m = /^\/crates\/api\/v1\/crates\/([^/]+)(\/owners)?$/.exec(pathname))) {
      const entry = f.crates.crates[m[1] ?? ''];
      if (!entry) return this.json(res, 404, { errors: [{ detail: `crate \`${m[1]}\` does not exist` }] });
      return this.json(res, 200, m[2] ? entry.owners : entry.crate);
    }
    if ((m = /^\/go\/(.+)\/@(v\/list|latest|v\/(.+)\.info)$/.exec(pathname))) {
      const module = unescapeModule(m[1] ?? '');
      const versions = f.go.modules[module];
      if (!versions) return this.text(res, 404, `not found: module ${module}: no matching versions for query "latest"`);
      if (m[2] === 'v/list') return this.text(res, 200, versions.map((v) => `${v.Version}\n`).join(''));
      if (m[2] === 'latest') {
        const latest = f.go.pseudoLatest[module] ?? [...versions].sort((a, b) => Date.parse(a.Time) - Date.parse(b.Time)).pop();
        return latest ? this.json(res, 200, latest) : this.text(res, 404, 'not found');
      }
      const wanted = unescapeModule(m[3] ?? '');
      const info = versions.find((v) => v.Version === wanted) ?? (f.go.pseudoLatest[module]?.Version === wanted ? f.go.pseudoLatest[module] : undefined);
      return info ? this.json(res, 200, { ...info, Origin: { VCS: 'git', URL: `https://${module}`, Ref: `refs/tags/${wanted}`, Hash: '0'.repeat(40) } }) : this.text(res, 404, `not found: ${module}@${wanted}: invalid version: unknown revision ${wanted}`);
    }
    if ((m = /^\/gems\/api\/v1\/(gems|versions)\/([^/]+?)(\/owners)?\.json$/.exec(pathname))) {
      const entry = f.gems.gems[m[2] ?? ''];
      if (!entry) return this.text(res, 404, 'This rubygem could not be found.');
      return this.json(res, 200, m[1] === 'versions' ? entry.versions : m[3] ? entry.owners : entry.gem);
    }
    if (pathname === '/osv/v1/querybatch' && method === 'POST') {
      const queries = (JSON.parse(body) as { queries: Array<{ package: { name: string; ecosystem: string }; version?: string }> }).queries;
      const results = queries.map((q) => {
        const vulns = this.matchingVulns(q.package.ecosystem, q.package.name, q.version).map((v) => ({ id: v.id, modified: v.modified }));
        return vulns.length > 0 ? { vulns } : {};
      });
      return this.json(res, 200, { results });
    }
    if ((m = /^\/osv\/v1\/vulns\/(.+)$/.exec(pathname))) {
      const record = f.osv.vulns.find((v) => v.id === decodeURIComponent(m?.[1] ?? ''));
      return record ? this.json(res, 200, record) : this.json(res, 404, { code: 5, message: 'Bug not found.' });
    }
    this.text(res, 404, 'no such route');
  }

  private matchingVulns(ecosystem: string, name: string, version: string | undefined): Array<Record<string, unknown>> {
    return this.fixtures.osv.vulns.filter((v) =>
      (v.affected as Array<Record<string, unknown>>).some((a) => {
        const pkg = a.package as { ecosystem: string; name: string };
        return pkg.ecosystem === ecosystem && pkg.name === name && affects(a, version);
      }),
    );
  }
}

import { MemoryCacheStore, type CacheStore } from '../../shared/src/registry/cache';
import type { Clock, HttpSettings } from '../../shared/src/registry/http';
import { createRegistryClients, type RegistryClients } from '../../shared/src/registry/index';

/** A clock fixed at the fixtures' "now" whose sleeps are real (retries against the server really wait). */
export function fixtureClock(now = FIXTURE_NOW): Clock {
  return {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(signal.reason);
        }, { once: true });
      }),
  };
}

/** Clients wired to this server with an in-memory cache and a fixed clock, unless told otherwise. */
export function clientsFor(server: RegistryServer, options: { cache?: CacheStore | null; http?: Partial<HttpSettings>; clock?: Clock; pypiExtra?: boolean } = {}): RegistryClients {
  return createRegistryClients({
    endpoints: server.endpoints({ pypiExtra: options.pypiExtra ?? false }),
    env: {},
    homeDir: '/nonexistent',
    cache: options.cache === undefined ? new MemoryCacheStore() : options.cache,
    clock: options.clock ?? fixtureClock(),
    http: { timeoutMs: 2_000, totalTimeoutMs: 4_000, retryBaseMs: 20, maxRetryDelayMs: 1_500, ...options.http },
  });
}
