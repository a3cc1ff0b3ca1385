import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';
import { CONTAINER_CA_PATH, DEFAULT_LIMITS, EGRESS_NETWORK, egressHolderConfig, limitsFromConfig, phaseContainerConfig, RUN_LABEL, type PhaseContainerOptions } from '../../../shared/src/sandbox/hardening';

const base: PhaseContainerOptions = {
  runId: 'run-1',
  phase: 'fetch',
  image: 'safe-install-test/python:bookworm',
  network: 'bridge',
  volumeName: 'safe-install-run-1',
  limits: { ...DEFAULT_LIMITS, memoryBytes: 512 * 1024 ** 2, nanoCpus: 1.5e9, pidsLimit: 256 },
  env: { HOME: '/home/si', HTTPS_PROXY: 'http://proxy:3128' },
  readOnlyFiles: [{ hostPath: '/etc/ssl/certs/ca-certificates.crt', containerPath: CONTAINER_CA_PATH }],
};

test('every hardening flag is in the created container config', () => {
  const c = phaseContainerConfig(base);
  const h = c.HostConfig!;
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.deepEqual(h.SecurityOpt, ['no-new-privileges']);
  assert.ok(!(h.SecurityOpt ?? []).some((o) => o.includes('unconfined')), 'default seccomp stays on');
  assert.equal(h.Privileged, false);
  assert.equal(h.ReadonlyRootfs, true);
  assert.equal(c.User, '10001:10001');
  assert.equal(h.Memory, 512 * 1024 ** 2);
  assert.equal(h.MemorySwap, h.Memory, 'memory = memory + swap');
  assert.equal(h.NanoCpus, 1.5e9);
  assert.equal(h.PidsLimit, 256);
  assert.equal(h.NetworkMode, 'bridge');
  assert.equal(h.AutoRemove, false);
  assert.equal(h.Init, true);
  assert.match(h.Tmpfs!['/tmp']!, /noexec/);
  assert.match(h.Tmpfs!['/tmp']!, /size=\d+/);
  assert.ok(Object.values(h.Tmpfs!).every((o) => o.includes('nosuid') && o.includes('nodev')));
  assert.ok(h.Ulimits!.some((u) => u.Name === 'fsize' && u.Hard === DEFAULT_LIMITS.maxFileBytes));
  assert.deepEqual(h.Mounts, [{ Type: 'volume', Source: 'safe-install-run-1', Target: '/si', ReadOnly: false }]);
  assert.deepEqual(h.Binds, [`/etc/ssl/certs/ca-certificates.crt:${CONTAINER_CA_PATH}:ro`], 'only the CA bundle, read-only');
  assert.equal(c.Labels![RUN_LABEL], 'run-1');
  // Only what we set, as KEY=value; PID 1 is an argv array, never a shell.
  assert.deepEqual(c.Env, ['HOME=/home/si', 'HTTPS_PROXY=http://proxy:3128']);
  assert.deepEqual([...(c.Entrypoint as string[]), ...(c.Cmd as string[])], ['sleep', 'infinity']);
});

test('the build phase never gets a network or host files, whatever is asked', () => {
  const c = phaseContainerConfig({ ...base, phase: 'build', network: 'host' });
  assert.equal(c.HostConfig!.NetworkMode, 'none');
  assert.equal(c.NetworkDisabled, true);
  assert.deepEqual(c.HostConfig!.Binds, []);
});

test('sharing another container network is refused', () => {
  assert.throws(() => phaseContainerConfig({ ...base, network: 'container:abc' }), /share another container/);
});

test('limits come from [sandbox] config', () => {
  const limits = limitsFromConfig({ ...DEFAULT_CONFIG.sandbox, memoryLimit: '1g', cpuLimit: '0.5', timeoutSeconds: 30 });
  assert.equal(limits.memoryBytes, 1024 ** 3);
  assert.equal(limits.nanoCpus, 0.5e9);
  assert.equal(limits.timeoutMs, 30_000);
  assert.equal(limitsFromConfig({ ...DEFAULT_CONFIG.sandbox, memoryLimit: 'lots' }).memoryBytes, DEFAULT_LIMITS.memoryBytes);
});

test('a fetch container on the registry-only network gets no DNS of its own (the proxy resolves names)', () => {
  const c = phaseContainerConfig({ ...base, network: EGRESS_NETWORK });
  assert.equal(c.HostConfig!.NetworkMode, EGRESS_NETWORK);
  assert.deepEqual(c.HostConfig!.Dns, ['127.0.0.1'], 'the embedded resolver forwards to the container\'s own loopback, never to the host\'s resolvers');
  assert.equal(phaseContainerConfig(base).HostConfig!.Dns, undefined, 'other networks keep Docker\'s DNS');
});

test('a fetch container may join only the egress holder\'s network namespace; the holder is hardened and belongs to no run', () => {
  const joined = phaseContainerConfig({ ...base, network: EGRESS_NETWORK, joinNetworkOf: 'abc123' });
  assert.equal(joined.HostConfig!.NetworkMode, 'container:abc123');
  assert.equal(joined.Hostname, undefined, 'a joined container takes the holder\'s hostname');
  assert.equal(joined.HostConfig!.Dns, undefined, 'and its DNS settings');
  const build = phaseContainerConfig({ ...base, phase: 'build', joinNetworkOf: 'abc123' });
  assert.equal(build.HostConfig!.NetworkMode, 'none', 'the build phase never joins anything');
  assert.throws(() => phaseContainerConfig({ ...base, network: 'container:other' }), /would share another container's network/);
  const holder = egressHolderConfig({ image: 'img' });
  const h = holder.HostConfig!;
  assert.deepEqual(h.CapDrop, ['ALL']);
  assert.equal(h.ReadonlyRootfs, true);
  assert.equal(holder.User, '10001:10001');
  assert.equal(h.NetworkMode, EGRESS_NETWORK);
  assert.deepEqual(h.Dns, ['127.0.0.1']);
  assert.deepEqual(h.Mounts, []);
  assert.deepEqual(h.Binds, []);
  assert.deepEqual(holder.Env, []);
  assert.equal(h.PidsLimit, 8);
  assert.deepEqual(holder.Labels, { 'org.safe-install.egress': 'holder' }, 'no run label: the sweep of dead runs leaves it');
});
