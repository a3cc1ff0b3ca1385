// The registry-only egress proxy on real sockets: allowed hosts are tunnelled (CONNECT) or forwarded
// (absolute-form http), anything else gets 403 and never a connection, link-local answers are refused,
// a malformed CONNECT is a 400, and the user's own proxy is used onward with its credentials.
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import { after, test } from 'node:test';
import { egressAllowList, parseHostEntry } from '../../../shared/src/sandbox/egress/allowList';
import { isForbiddenAddress, parseAuthority, startEgressProxy, type EgressProxy } from '../../../shared/src/sandbox/egress/proxy';

/** A TCP server that upper-cases what it gets and counts connections. */
async function echoServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0;
  const server = net.createServer((s) => { count++; s.on('data', (d) => s.write(d.toString().toUpperCase())); s.on('error', () => undefined); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, connections: () => count, close: () => new Promise((r) => { server.close(() => r()); }) };
}

/** An HTTP server answering with the path it saw. */
async function webServer(): Promise<{ port: number; hits: string[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const server = http.createServer((req, res) => { hits.push(req.url ?? ''); res.end(`saw ${req.url}`); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as net.AddressInfo).port, hits, close: () => new Promise((r) => { server.close(() => r()); }) };
}

function connectThrough(proxy: EgressProxy, authority: string): Promise<{ status: number; socket?: net.Socket; body: string }> {
  const url = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: Number(url.port), method: 'CONNECT', path: authority });
    req.on('connect', (res, socket, head: Buffer) => {
      if (res.statusCode === 200) resolve({ status: 200, socket, body: '' });
      else {
        let body = head.toString();
        socket.on('data', (d: Buffer) => { body += d.toString(); });
        socket.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        socket.on('close', () => resolve({ status: res.statusCode ?? 0, body }));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

function getThrough(proxy: EgressProxy, target: string): Promise<{ status: number; body: string }> {
  const url = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: Number(url.port), method: 'GET', path: target }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cleanups: Array<() => Promise<void>> = [];
after(async () => { for (const c of cleanups) await c(); });

test('allow-list: registry URLs allow their own host and port, related hosts and the user\'s hosts', () => {
  const list = egressAllowList(['https://pypi.org/simple', 'http://127.0.0.1:4873/'], ['my-registry.example', '*.corp.example', 'mirror.example:8443', 'not a host!']);
  assert.ok(list.allows('pypi.org', 443));
  assert.ok(list.allows('files.pythonhosted.org', 443), 'where PyPI serves its files');
  assert.ok(list.allows('127.0.0.1', 4873));
  assert.ok(!list.allows('127.0.0.1', 4874));
  assert.ok(list.allows('MY-REGISTRY.example', 443));
  assert.ok(list.allows('a.b.corp.example', 443));
  assert.ok(!list.allows('corp.example', 443), '*.domain means subdomains');
  assert.ok(list.allows('mirror.example', 8443));
  assert.ok(!list.allows('mirror.example', 443));
  assert.ok(!list.allows('evil.example', 443));
  assert.ok(!list.allows('pypi.org.evil.example', 443));
  assert.ok(!list.entries.includes('not a host!'));
  assert.equal(parseHostEntry('https://r.example:8080/path')?.port, 8080);
  assert.equal(parseHostEntry('host:99999'), undefined);
});

test('helpers: link-local addresses and CONNECT authorities', () => {
  assert.ok(isForbiddenAddress('169.254.169.254'));
  assert.ok(isForbiddenAddress('::ffff:169.254.169.254'));
  assert.ok(isForbiddenAddress('fe80::1'));
  assert.ok(!isForbiddenAddress('10.0.0.5'));
  assert.deepEqual(parseAuthority('[::1]:443'), { host: '::1', port: 443 });
  assert.equal(parseAuthority('host'), undefined);
  assert.equal(parseAuthority('host:0'), undefined);
  assert.equal(parseAuthority('a b:443'), undefined);
});

test('CONNECT to an allowed host tunnels; to any other host it is refused and never connected', async () => {
  const allowed = await echoServer();
  const other = await echoServer();
  cleanups.push(allowed.close, other.close);
  const proxy = await startEgressProxy({ listenHost: '127.0.0.1', allowList: egressAllowList([`http://127.0.0.1:${allowed.port}/`], []) });
  cleanups.push(() => proxy.close());
  const ok = await connectThrough(proxy, `127.0.0.1:${allowed.port}`);
  assert.equal(ok.status, 200);
  const echoed = await new Promise<string>((resolve) => { ok.socket!.once('data', (d: Buffer) => resolve(d.toString())); ok.socket!.write('hello'); });
  assert.equal(echoed, 'HELLO');
  ok.socket!.destroy();
  const denied = await connectThrough(proxy, `127.0.0.1:${other.port}`);
  assert.equal(denied.status, 403);
  assert.match(denied.body, /not a registry of this install/);
  assert.equal(other.connections(), 0, 'the refused host saw no connection');
  const bad = await connectThrough(proxy, 'no-port-here');
  assert.equal(bad.status, 400);
  assert.deepEqual(proxy.decisions.map((d) => `${d.port === allowed.port ? 'allowed-port' : d.port === other.port ? 'other-port' : d.port}:${d.allowed}`), ['allowed-port:true', 'other-port:false', '0:false']);
});

test('absolute-form http requests are forwarded only to allowed hosts', async () => {
  const web = await webServer();
  const other = await webServer();
  cleanups.push(web.close, other.close);
  const proxy = await startEgressProxy({ listenHost: '127.0.0.1', allowList: egressAllowList([`http://127.0.0.1:${web.port}/simple/`], []) });
  cleanups.push(() => proxy.close());
  const ok = await getThrough(proxy, `http://127.0.0.1:${web.port}/simple/six/?x=1`);
  assert.deepEqual(ok, { status: 200, body: 'saw /simple/six/?x=1' });
  const denied = await getThrough(proxy, `http://127.0.0.1:${other.port}/steal?data=secret`);
  assert.equal(denied.status, 403);
  assert.deepEqual(other.hits, []);
  const relative = await getThrough(proxy, '/not-absolute');
  assert.equal(relative.status, 400);
});

test('an allowed name that resolves to a link-local address (cloud metadata) is refused', async () => {
  const proxy = await startEgressProxy({ listenHost: '127.0.0.1', allowList: egressAllowList(['https://registry.example/'], []), lookup: async () => ['169.254.169.254'] });
  cleanups.push(() => proxy.close());
  const res = await connectThrough(proxy, 'registry.example:443');
  assert.equal(res.status, 502);
  assert.match(res.body, /link-local/);
  assert.equal(proxy.decisions.at(-1)?.allowed, false);
});

test('the user\'s proxy is used onward, with its credentials, and NO_PROXY is honoured', async () => {
  const target = await echoServer();
  cleanups.push(target.close);
  // A minimal upstream proxy that records what it was asked and tunnels.
  const seen: Array<{ authority: string; auth: string | undefined }> = [];
  const upstreamServer = http.createServer();
  upstreamServer.on('connect', (req, client: net.Socket) => {
    seen.push({ authority: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    const onward = net.connect(Number(port), host === 'registry.example' ? '127.0.0.1' : host!, () => {
      client.write('HTTP/1.1 200 OK\r\n\r\n');
      onward.pipe(client);
      client.pipe(onward);
    });
    onward.on('error', () => client.destroy());
  });
  await new Promise<void>((r) => upstreamServer.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => { upstreamServer.close(() => r()); }));
  const upPort = (upstreamServer.address() as net.AddressInfo).port;
  const proxy = await startEgressProxy({
    listenHost: '127.0.0.1',
    allowList: egressAllowList([`https://registry.example:${target.port}/`, `http://127.0.0.1:${target.port}/`], []),
    upstream: { https: `http://user:p%40ss@127.0.0.1:${upPort}`, noProxy: ['127.0.0.1'] },
    lookup: async () => { throw Object.assign(new Error('no DNS here'), { code: 'ENOTFOUND' }); },
  });
  cleanups.push(() => proxy.close());
  const viaUpstream = await connectThrough(proxy, `registry.example:${target.port}`);
  assert.equal(viaUpstream.status, 200, 'tunnelled through the user\'s proxy (our own DNS is never asked)');
  viaUpstream.socket!.destroy();
  assert.deepEqual(seen, [{ authority: `registry.example:${target.port}`, auth: `Basic ${Buffer.from('user:p@ss').toString('base64')}` }]);
  const direct = await connectThrough(proxy, `127.0.0.1:${target.port}`);
  assert.equal(direct.status, 200, 'NO_PROXY hosts go direct');
  direct.socket!.destroy();
  assert.equal(seen.length, 1);
});

test('a name is looked up once for all the tunnels of a run (a slow resolver stalls one request, not each)', async () => {
  const target = await echoServer();
  cleanups.push(target.close);
  let lookups = 0;
  const proxy = await startEgressProxy({
    listenHost: '127.0.0.1',
    allowList: egressAllowList([`https://registry.example:${target.port}/`], []),
    lookup: async () => { lookups++; await new Promise((r) => setTimeout(r, 50)); return ['127.0.0.1']; },
  });
  cleanups.push(() => proxy.close());
  const tunnels = await Promise.all(Array.from({ length: 8 }, () => connectThrough(proxy, `registry.example:${target.port}`)));
  assert.deepEqual(tunnels.map((t) => t.status), Array(8).fill(200));
  for (const t of tunnels) t.socket!.destroy();
  assert.equal(lookups, 1);
});
