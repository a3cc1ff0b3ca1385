/**
 * Local package registries for integration tests, all on 127.0.0.1 and all started once per run:
 * - npm: Verdaccio (installed by scripts/setup/verdaccio.sh) with a temp storage and config, no uplinks;
 *   packages are published with the registry's own publish call (the document `npm publish` sends).
 * - PyPI: a static PEP 503 simple index (HTML, with `#sha256=` fragments) of wheels and sdists.
 * - crates.io: a sparse registry (config.json, index files, .crate downloads) for cargo >= 1.68, and the
 *   same crates as a `local-registry` folder for older cargo.
 * - RubyGems: a static gem server folder (`gem generate_index`: specs.4.8.gz + quick/Marshal.4.8).
 * - Go: a GOPROXY folder (list, .info, .mod, .zip per version), served over HTTP or used as file://.
 * Everything but Verdaccio is served by one small static server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** SHA-256 hex of a buffer. */
export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------------
// Static server

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.json': 'application/json', '.gz': 'application/gzip',
  '.whl': 'application/zip', '.zip': 'application/zip', '.mod': 'text/plain; charset=utf-8',
  '.info': 'application/json', '.rz': 'application/octet-stream', '.gem': 'application/octet-stream',
  '.crate': 'application/gzip',
};

/** Serves a folder read-only on 127.0.0.1; `requests` lists every path asked for (tests assert on it). */
export class StaticServer {
  readonly requests: string[] = [];
  private constructor(readonly root: string, private readonly server: Server) {}

  /** Starts serving `root` (created if missing). Directories answer with their `index.html`. */
  static async start(root: string): Promise<StaticServer> {
    await mkdir(root, { recursive: true });
    const server = createServer();
    const self = new StaticServer(root, server);
    server.on('request', (req, res) => {
      void (async () => {
        const urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
        self.requests.push(urlPath);
        const full = path.resolve(root, `.${urlPath}`);
        if (full !== root && !full.startsWith(root + path.sep)) return res.writeHead(403).end();
        let file = full;
        let st = await stat(file).catch(() => undefined);
        if (st?.isDirectory()) {
          file = path.join(full, 'index.html');
          st = await stat(file).catch(() => undefined);
        }
        if (!st?.isFile()) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
        res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream', 'content-length': st.size });
        if (req.method === 'HEAD') return res.end();
        createReadStream(file).pipe(res);
      })();
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return self;
  }

  /** Base URL without trailing slash, e.g. http://127.0.0.1:41234 */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

// ---------------------------------------------------------------------------------------------------
// npm: Verdaccio

/** A package to publish: its package.json (name, version, scripts…) and its .tgz (entries under `package/`). */
export interface NpmPublication {
  manifest: Record<string, unknown> & { name: string; version: string };
  tarball: Buffer;
}

/** A running Verdaccio. */
export interface LocalNpmRegistry {
  /** Registry URL with trailing slash. */
  url: string;
  publish(pkg: NpmPublication): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function waitForHttp(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.once('exit', () => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) throw new Error('Verdaccio exited during start-up');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    // Polling a port that is not open yet has no event to wait for; 100 ms keeps start-up snappy.
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Verdaccio did not answer ${url} within ${timeoutMs} ms`);
}

/** Starts Verdaccio (`bin`) with storage and config in `workDir`; anonymous publish, no uplinks. */
export async function startVerdaccio(bin: string, workDir: string): Promise<LocalNpmRegistry> {
  await mkdir(path.join(workDir, 'storage'), { recursive: true });
  const config = [
    `storage: ${JSON.stringify(path.join(workDir, 'storage'))}`,
    'uplinks: {}',
    'max_body_size: 200mb',
    'auth:',
    '  htpasswd:',
    `    file: ${JSON.stringify(path.join(workDir, 'htpasswd'))}`,
    '    max_users: -1',
    'packages:',
    "  '**':",
    '    access: $all',
    '    publish: $all',
    'log: { type: stdout, format: pretty, level: error }',
    '',
  ].join('\n');
  const configFile = path.join(workDir, 'config.yaml');
  await writeFile(configFile, config);
  const port = await freePort();
  const child = spawn(bin, ['--config', configFile, '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { log += d.toString(); });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitForHttp(`${url}-/ping`, child, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    url,
    async publish({ manifest, tarball }) {
      const { name, version } = manifest;
      const file = `${name.replace(/^@[^/]+\//, '')}-${version}.tgz`;
      const body = {
        _id: name,
        name,
        'dist-tags': { latest: version },
        versions: {
          [version]: {
            ...manifest,
            _id: `${name}@${version}`,
            dist: {
              shasum: createHash('sha1').update(tarball).digest('hex'),
              integrity: `sha512-${createHash('sha512').update(tarball).digest('base64')}`,
              tarball: `${url}${name}/-/${file}`,
            },
          },
        },
        _attachments: { [file]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
      };
      const res = await fetch(`${url}${name.replace('/', '%2f')}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`publishing ${name}@${version} to Verdaccio failed: ${res.status} ${await res.text()}`);
    },
    async close() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// PyPI: static simple index

/** A distribution file (wheel or sdist) of one project. */
export interface PythonDistribution {
  project: string;
  filename: string;
  data: Buffer;
}

/** PEP 503 name normalisation. */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Writes `<root>/simple/` (project list and one page per project) and `<root>/files/`. Serve `root` and
 * point pip at `<url>/simple/`.
 */
export async function writePythonIndex(root: string, dists: readonly PythonDistribution[]): Promise<void> {
  const byProject = new Map<string, PythonDistribution[]>();
  for (const d of dists) {
    const key = normalizePythonName(d.project);
    byProject.set(key, [...(byProject.get(key) ?? []), d]);
  }
  await mkdir(path.join(root, 'files'), { recursive: true });
  const projectLinks: string[] = [];
  for (const [project, files] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
    const links: string[] = [];
    for (const f of files) {
      await writeFile(path.join(root, 'files', f.filename), f.data);
      links.push(`    <a href="../../files/${encodeURIComponent(f.filename)}#sha256=${sha256Hex(f.data)}">${escapeHtml(f.filename)}</a><br/>`);
    }
    await mkdir(path.join(root, 'simple', project), { recursive: true });
    await writeFile(path.join(root, 'simple', project, 'index.html'),
      `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"><title>Links for ${project}</title></head><body>\n${links.join('\n')}\n</body></html>\n`);
    projectLinks.push(`    <a href="${project}/">${project}</a><br/>`);
  }
  await writeFile(path.join(root, 'simple', 'index.html'),
    `<!DOCTYPE html>\n<html><head><meta name="pypi:repository-version" content="1.0"></head><body>\n${projectLinks.join('\n')}\n</body></html>\n`);
}

// ---------------------------------------------------------------------------------------------------
// crates.io: sparse registry and local-registry folder

/** A packaged crate (.crate = tar.gz of `<name>-<version>/`). */
export interface CrateFile {
  name: string;
  version: string;
  data: Buffer;
}

/** Index path of a crate name (cargo's 1/2/3/xx/yy layout). */
export function crateIndexPath(name: string): string {
  const n = name.toLowerCase();
  if (n.length <= 2) return path.posix.join(String(n.length), n);
  if (n.length === 3) return path.posix.join('3', n.slice(0, 1), n);
  return path.posix.join(n.slice(0, 2), n.slice(2, 4), n);
}

function crateIndexLine(c: CrateFile): string {
  return JSON.stringify({ name: c.name, vers: c.version, deps: [], cksum: sha256Hex(c.data), features: {}, yanked: false, v: 1 });
}

/**
 * Writes a sparse registry under `<root>/<prefix>`: use `sparse+<baseUrl>/<prefix>/` as the registry
 * (cargo >= 1.68). Downloads are `<baseUrl>/<prefix>/dl/<name>/<version>.crate`.
 */
export async function writeCargoSparseRegistry(root: string, prefix: string, baseUrl: string, crates: readonly CrateFile[]): Promise<string> {
  const dir = path.join(root, prefix);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'config.json'), JSON.stringify({ dl: `${baseUrl}/${prefix}/dl/{crate}/{version}.crate`, api: null }));
  const lines = new Map<string, string[]>();
  for (const c of crates) {
    lines.set(c.name, [...(lines.get(c.name) ?? []), crateIndexLine(c)]);
    await mkdir(path.join(dir, 'dl', c.name), { recursive: true });
    await writeFile(path.join(dir, 'dl', c.name, `${c.version}.crate`), c.data);
  }
  for (const [name, entries] of lines) {
    const file = path.join(dir, crateIndexPath(name));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${entries.join('\n')}\n`);
  }
  return `sparse+${baseUrl}/${prefix}/`;
}

/** Writes a cargo `local-registry` folder (index/ + <name>-<version>.crate), usable by any cargo offline. */
export async function writeCargoLocalRegistry(dir: string, crates: readonly CrateFile[]): Promise<void> {
  await mkdir(path.join(dir, 'index'), { recursive: true });
  const lines = new Map<string, string[]>();
  for (const c of crates) {
    lines.set(c.name, [...(lines.get(c.name) ?? []), crateIndexLine(c)]);
    await writeFile(path.join(dir, `${c.name}-${c.version}.crate`), c.data);
  }
  for (const [name, entries] of lines) {
    const file = path.join(dir, 'index', crateIndexPath(name));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, `${entries.join('\n')}\n`);
  }
}

// ---------------------------------------------------------------------------------------------------
// RubyGems: static gem server folder

/** Runs a command with an argument array; rejects with its output on failure. */
export function runTool(cmd: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${cmd} ${args.join(' ')} exited ${String(code)}:\n${out}`));
    });
  });
}

/**
 * Copies .gem files into `<dir>/gems/` and runs `gem generate_index` there, so `dir` served over HTTP
 * answers `gem install --source <url>` (full index: specs.4.8.gz and quick/Marshal.4.8).
 */
export async function writeGemIndex(dir: string, gemFiles: readonly string[], gemBin = 'gem'): Promise<void> {
  await mkdir(path.join(dir, 'gems'), { recursive: true });
  for (const f of gemFiles) await copyFile(f, path.join(dir, 'gems', path.basename(f)));
  await runTool(gemBin, ['generate_index', '--directory', dir]);
}

// ---------------------------------------------------------------------------------------------------
// Go: GOPROXY folder

/** One module version: go.mod text and its module zip (entries under `<module>@<version>/`). */
export interface GoModuleVersion {
  module: string;
  version: string;
  goMod: string;
  zip: Buffer;
  time?: string;
}

/** Module path escaping of the GOPROXY protocol (upper-case letters become `!` + lower case). */
export function escapeGoModulePath(module: string): string {
  return module.replace(/[A-Z]/g, (c) => `!${c.toLowerCase()}`);
}

/** Writes a GOPROXY tree under `dir` (use `file://<dir>` or serve it and use its URL). */
export async function writeGoProxy(dir: string, versions: readonly GoModuleVersion[]): Promise<void> {
  const lists = new Map<string, string[]>();
  for (const v of versions) {
    const base = path.join(dir, escapeGoModulePath(v.module), '@v');
    await mkdir(base, { recursive: true });
    await writeFile(path.join(base, `${v.version}.info`), JSON.stringify({ Version: v.version, Time: v.time ?? '2024-01-01T00:00:00Z' }));
    await writeFile(path.join(base, `${v.version}.mod`), v.goMod);
    await writeFile(path.join(base, `${v.version}.zip`), v.zip);
    lists.set(base, [...(lists.get(base) ?? []), v.version]);
  }
  for (const [base, list] of lists) await writeFile(path.join(base, 'list'), `${list.join('\n')}\n`);
}
