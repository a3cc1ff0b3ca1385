// The session's lifecycle against a fake engine: containers and the volume are removed after success,
// a failed step, a timeout and a cancel; the build phase always has network none.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import type { ContainerCreateOptions } from 'dockerode';
import type { PhaseContainer, SandboxEngine, StepResult, VolumeOptions } from '../../../shared/src/sandbox/docker';
import { DEFAULT_LIMITS } from '../../../shared/src/sandbox/hardening';
import type { SandboxEvent } from '../../../shared/src/sandbox/progress';
import { SandboxCancelledError, SandboxSession, SandboxTimeoutError, StepFailedError } from '../../../shared/src/sandbox/session';
import { buildTar } from '../../../shared/src/sandbox/tarBuilder';

class FakeEngine implements SandboxEngine {
  created: ContainerCreateOptions[] = [];
  live = new Set<string>();
  volumes = new Set<string>();
  /** How each exec behaves: resolves with a result, or hangs until the container stops. */
  behaviour: (argv: readonly string[]) => 'ok' | 'fail' | 'hang' = () => 'ok';
  async ping(): Promise<void> {}
  async hasImage(): Promise<boolean> { return true; }
  async pullImage(): Promise<void> {}
  volumeOptions = new Map<string, VolumeOptions | undefined>();
  async createVolume(name: string, _labels: Record<string, string>, options?: VolumeOptions): Promise<void> { this.volumes.add(name); this.volumeOptions.set(name, options); }
  async removeVolume(name: string): Promise<void> { this.volumes.delete(name); }
  async sweep(): Promise<{ containers: number; volumes: number }> { return { containers: 0, volumes: 0 }; }
  async startContainer(config: ContainerCreateOptions): Promise<PhaseContainer> {
    this.created.push(config);
    const id = `c${this.created.length}`;
    this.live.add(id);
    let stopped = false;
    const waiters: Array<() => void> = [];
    const engine = this;
    return {
      id,
      async exec(argv): Promise<StepResult> {
        const how = engine.behaviour(argv);
        // A hung process keeps the event loop busy, as a real Docker connection does.
        if (how === 'hang') {
          const keepAlive = setInterval(() => undefined, 1000);
          await new Promise<void>((resolve) => { if (stopped) resolve(); else waiters.push(resolve); });
          clearInterval(keepAlive);
        }
        return { exitCode: how === 'fail' ? 3 : stopped ? 137 : 0, stdout: '', stderr: how === 'fail' ? 'boom' : '', ms: 1 };
      },
      async putArchive(): Promise<void> {},
      async stop(): Promise<void> { stopped = true; for (const w of waiters.splice(0)) w(); },
      async getArchive(): Promise<NodeJS.ReadableStream> {
        if (!stopped) throw new Error('copy from a running container');
        return Readable.from([buildTar([{ path: 'out/', type: 'Directory' }, { path: 'out/a.whl', content: 'x' }])]);
      },
      async remove(): Promise<void> { engine.live.delete(id); },
    };
  }
}

function session(engine: FakeEngine, events: SandboxEvent[] = [], extra: { timeoutMs?: number; signal?: AbortSignal } = {}): SandboxSession {
  return new SandboxSession({
    engine, image: 'img', fetchNetwork: 'host', limits: { ...DEFAULT_LIMITS, timeoutMs: extra.timeoutMs ?? 60_000 },
    fetchEnv: { HTTPS_PROXY: 'http://p:1' }, readOnlyFiles: [], progress: (e) => events.push(e), ...(extra.signal ? { signal: extra.signal } : {}),
  });
}

test('phases run in separate containers, copy out after stop, and everything is removed', async () => {
  const engine = new FakeEngine();
  const events: SandboxEvent[] = [];
  const s = session(engine, events);
  try {
    await s.phase('fetch', async (r) => { await r.run({ label: 'x', argv: ['true'] }); });
    const { copied } = await s.phase('build', async (r) => { await r.run({ label: 'y', argv: ['true'] }); }, '/si/out');
    assert.deepEqual(copied?.files.map((f) => f.path), ['a.whl']);
  } finally {
    await s.close();
  }
  // One container per phase, plus the keeper that holds the capped build area mounted from the first build phase on.
  assert.equal(engine.created.length, 3);
  assert.deepEqual(engine.created.map((c) => c.Labels!['org.safe-install.phase']), ['fetch', 'build', 'keeper']);
  const keeper = engine.created.find((c) => c.Labels!['org.safe-install.phase'] === 'keeper');
  const [fetch, build] = engine.created.filter((c) => c !== keeper);
  assert.equal(keeper!.Labels!['org.safe-install.phase'], 'keeper');
  assert.equal(keeper!.HostConfig!.NetworkMode, 'none');
  assert.deepEqual(keeper!.HostConfig!.Mounts, [{ Type: 'volume', Source: `${s.volumeName}-build`, Target: '/build', ReadOnly: true }]);
  assert.deepEqual(engine.volumeOptions.get(`${s.volumeName}-build`), { tmpfsBytes: DEFAULT_LIMITS.diskBytes }, 'the build area is a capped tmpfs');
  assert.equal(fetch!.HostConfig!.NetworkMode, 'host');
  assert.equal(build!.HostConfig!.NetworkMode, 'none');
  // Package code runs in the build phase: the run volume is read-only, only the capped area is writable.
  assert.deepEqual(build!.HostConfig!.Mounts!.map((m) => `${m.Target}:${m.ReadOnly ? 'ro' : 'rw'}`), ['/si:ro', '/build:rw']);
  // The build area does not exist before the first build phase, so the first fetch phase cannot leave anything there.
  assert.deepEqual(fetch!.HostConfig!.Mounts!.map((m) => `${m.Target}:${m.ReadOnly ? 'ro' : 'rw'}`), ['/si:rw']);
  assert.ok(build!.Env!.includes('TMPDIR=/build/area/tmp'));
  assert.ok(fetch!.Env!.includes('HTTPS_PROXY=http://p:1'));
  assert.ok(!build!.Env!.some((e) => e.startsWith('HTTPS_PROXY')), 'the build phase gets no proxy');
  assert.equal(engine.live.size, 0);
  assert.equal(engine.volumes.size, 0);
  const ends = events.filter((e) => e.type === 'phase' && e.state === 'end' && (e.phase === 'fetch' || e.phase === 'build'));
  assert.deepEqual(ends.map((e) => e.type === 'phase' ? `${e.phase}:${e.network}` : ''), ['fetch:host', 'build:none']);
});

test('a failing step removes its container and reports the step', async () => {
  const engine = new FakeEngine();
  engine.behaviour = () => 'fail';
  const s = session(engine);
  await assert.rejects(s.phase('fetch', async (r) => { await r.run({ label: 'pip resolve', argv: ['pip'] }); }), (e: unknown) => e instanceof StepFailedError && /pip resolve failed with exit code 3/.test(e.message));
  await s.close();
  assert.equal(engine.live.size, 0);
  assert.equal(engine.volumes.size, 0);
});

test('the wall-clock timeout stops a hanging step and removes the container', async () => {
  const engine = new FakeEngine();
  engine.behaviour = () => 'hang';
  const s = session(engine, [], { timeoutMs: 200 });
  await assert.rejects(s.phase('build', async (r) => { await r.run({ label: 'fork bomb', argv: ['x'] }); }), SandboxTimeoutError);
  await s.close();
  assert.equal(engine.live.size, 0);
});

test('cancel stops the step and removes the container', async () => {
  const engine = new FakeEngine();
  engine.behaviour = () => 'hang';
  const controller = new AbortController();
  const s = session(engine, [], { signal: controller.signal });
  const running = s.phase('fetch', async (r) => { await r.run({ label: 'slow', argv: ['x'] }); });
  setImmediate(() => controller.abort());
  await assert.rejects(running, SandboxCancelledError);
  await s.close();
  assert.equal(engine.live.size, 0);
  assert.equal(engine.volumes.size, 0);
});
