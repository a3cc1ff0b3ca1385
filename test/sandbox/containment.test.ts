// Docker-backed proof of the container hardening: runtime flags, no network in the build phase, PID
// limit against a fork bomb, and removal after timeout and cancel. Skips with a reason without Docker.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { DockerodeEngine } from '../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS, type SandboxLimits } from '../../shared/src/sandbox/hardening';
import type { SandboxEvent } from '../../shared/src/sandbox/progress';
import { SandboxCancelledError, SandboxSession, SandboxTimeoutError } from '../../shared/src/sandbox/session';
import { requireInfra, testImage } from '../support/infra';

function newSession(image: string, limits: Partial<SandboxLimits> = {}, extra: { signal?: AbortSignal; events?: SandboxEvent[] } = {}): SandboxSession {
  return new SandboxSession({
    engine: new DockerodeEngine(),
    image,
    fetchNetwork: 'host',
    limits: { ...DEFAULT_LIMITS, timeoutMs: 60_000, ...limits },
    fetchEnv: {},
    readOnlyFiles: [],
    progress: (e) => extra.events?.push(e),
    ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

/** Containers and volumes still carrying this run's label (via the docker CLI, independent of our engine code). */
function leftovers(runId: string): Promise<string> {
  return new Promise((resolve) => {
    let out = '';
    const ps = spawn('docker', ['ps', '-aq', '--filter', `label=org.safe-install.run=${runId}`]);
    ps.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    ps.on('close', () => {
      const vol = spawn('docker', ['volume', 'ls', '-q', '--filter', `label=org.safe-install.run=${runId}`]);
      vol.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      vol.on('close', () => resolve(out.trim()));
    });
  });
}

test('the running container has no capabilities, no new privileges, a read-only root and uid 10001', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  const s = newSession(image);
  try {
    await s.phase('build', async (r) => {
      const status = await r.run({ label: 'status', argv: ['cat', '/proc/self/status'] });
      assert.match(status.stdout, /^CapEff:\s+0+$/m);
      assert.match(status.stdout, /^CapBnd:\s+0+$/m);
      assert.match(status.stdout, /^NoNewPrivs:\s+1$/m);
      assert.match(status.stdout, /^Seccomp:\s+2$/m, 'the default seccomp filter is on');
      assert.match(status.stdout, /^Uid:\s+10001\s/m);
      const write = await r.run({ label: 'write root', argv: ['touch', '/usr/evil'] }, { allowFailure: true });
      assert.notEqual(write.exitCode, 0);
      assert.match(write.stderr, /Read-only file system/);
      const env = await r.run({ label: 'env', argv: ['env'] });
      assert.doesNotMatch(env.stdout, /AWS|TOKEN|SECRET|SSH_AUTH_SOCK/);
    });
  } finally {
    await s.close();
  }
  assert.equal(await leftovers(s.runId), '');
});

test('the build phase cannot reach a listener on the host; the fetch phase (control) can', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  let connections = 0;
  const server = net.createServer((socket) => { connections++; socket.end('canary'); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const probe = ['python3', '-c', 'import socket,sys\ntry:\n socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=3).recv(10); print("connected")\nexcept OSError as e: print("blocked", e)', String(port)];
  const s = newSession(image);
  try {
    const control = await s.phase('fetch', (r) => r.run({ label: 'probe', argv: probe }));
    assert.match(control.value.stdout, /connected/, 'control: host networking reaches the listener');
    assert.equal(connections, 1);
    const build = await s.phase('build', (r) => r.run({ label: 'probe', argv: probe }));
    assert.match(build.value.stdout, /blocked/);
    assert.equal(connections, 1, 'no connection arrived from the build phase');
  } finally {
    await s.close();
    server.close();
  }
});

test('a fork bomb is contained by PidsLimit', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  const s = newSession(image, { pidsLimit: 64 });
  try {
    const bomb = ['python3', '-c', 'import os,sys,time\nn=0\ntry:\n while n < 100000:\n  if os.fork()==0:\n   time.sleep(60); os._exit(0)\n  n+=1\nexcept OSError as e:\n print("forks", n, e)'];
    const { value } = await s.phase('build', (r) => r.run({ label: 'fork bomb', argv: bomb }));
    const m = /forks (\d+)/.exec(value.stdout);
    assert.ok(m, `the bomb hit the limit: ${value.stdout}${value.stderr}`);
    assert.ok(Number(m[1]) < 64, `forked ${m[1]} times under PidsLimit 64`);
  } finally {
    await s.close();
  }
  assert.equal(await leftovers(s.runId), '');
});

test('a step that outlives the wall-clock timeout is killed and everything removed', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  const s = newSession(image, { timeoutMs: 3000 });
  const started = Date.now();
  try {
    await assert.rejects(s.phase('build', (r) => r.run({ label: 'sleep', argv: ['sleep', '120'] })), SandboxTimeoutError);
  } finally {
    await s.close();
  }
  assert.ok(Date.now() - started < 30_000, 'the timeout fired, not the sleep');
  assert.equal(await leftovers(s.runId), '');
});

test('cancelling removes the container and the volume', async (t) => {
  const image = requireInfra(t, await testImage('python'));
  if (!image) return;
  const controller = new AbortController();
  let stepStarted: () => void = () => undefined;
  const started = new Promise<void>((resolve) => { stepStarted = resolve; });
  const s = new SandboxSession({
    engine: new DockerodeEngine(), image, fetchNetwork: 'host', limits: { ...DEFAULT_LIMITS, timeoutMs: 60_000 }, fetchEnv: {}, readOnlyFiles: [],
    signal: controller.signal,
    // The step's command line is logged right before it is exec'd.
    progress: (e) => { if (e.type === 'log' && e.line.includes('sleep 120')) stepStarted(); },
  });
  try {
    const running = s.phase('fetch', (r) => r.run({ label: 'sleep', argv: ['sleep', '120'] }));
    await started;
    controller.abort();
    await assert.rejects(running, SandboxCancelledError);
  } finally {
    await s.close();
  }
  assert.equal(await leftovers(s.runId), '');
});
