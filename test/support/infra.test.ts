// Tests of the infrastructure probes: missing pieces yield a reason that names the setup script,
// present pieces yield their path, and (when the real stack is installed) the probes find it.
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  chromiumPath, codeServerPath, CODE_SERVER_VERSION, dockerAvailable, requireInfra, testImage, testImageRef, verdaccioPath,
} from './infra';

let tmp = '';
before(async () => { tmp = await mkdtemp(path.join(os.tmpdir(), 'si-infra-')); });
after(async () => { await rm(tmp, { recursive: true, force: true }); });

async function fakeExecutable(file: string, body: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

test('tools missing from an empty cache dir are reported with the script that installs them', async () => {
  const cacheDir = path.join(tmp, 'empty');
  const cs = await codeServerPath({ cacheDir });
  assert.equal(cs.ok, false);
  assert.match(cs.ok ? '' : cs.reason, /code-server\.sh/);
  const v = await verdaccioPath({ cacheDir });
  assert.equal(v.ok, false);
  assert.match(v.ok ? '' : v.reason, /verdaccio\.sh/);
  const c = await chromiumPath({ chromium: path.join(tmp, 'no-such-chromium') });
  assert.equal(c.ok, false);
  assert.match(c.ok ? '' : c.reason, /chromium\.sh/);
});

test('installed tools are found at the paths the setup scripts use', async (t) => {
  const cacheDir = path.join(tmp, 'full');
  const csDir = path.join(cacheDir, 'tools', `code-server-${CODE_SERVER_VERSION}`);
  const entry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  await mkdir(path.dirname(entry), { recursive: true });
  await writeFile(entry, '');
  // Without the stamp the install is unfinished and must not count.
  assert.equal((await codeServerPath({ cacheDir })).ok, false);
  await writeFile(path.join(csDir, '.installed'), '');
  if (process.versions.node.split('.')[0] !== '20') return t.skip('code-server probe requires Node 20');
  assert.deepEqual(await codeServerPath({ cacheDir }), { ok: true, path: entry });

  const verdaccio = path.join(cacheDir, 'tools', 'verdaccio', 'node_modules', '.bin', 'verdaccio');
  await fakeExecutable(verdaccio, 'exit 0');
  assert.deepEqual(await verdaccioPath({ cacheDir }), { ok: true, path: verdaccio });

  const chromium = path.join(tmp, 'bin', 'chromium');
  await fakeExecutable(chromium, 'exit 0');
  assert.deepEqual(await chromiumPath({ chromium }), { ok: true, path: chromium });
});

test('docker probe distinguishes a missing CLI from a daemon that does not answer', async () => {
  const missing = await dockerAvailable({ dockerCli: path.join(tmp, 'no-such-docker') });
  assert.equal(missing.ok, false);
  assert.match(missing.ok ? '' : missing.reason, /not found/);

  const dead = path.join(tmp, 'bin', 'dead-docker');
  await fakeExecutable(dead, 'echo "Cannot connect to the Docker daemon" >&2; exit 1');
  const down = await dockerAvailable({ dockerCli: dead });
  assert.equal(down.ok, false);
  assert.match(down.ok ? '' : down.reason, /not answering \(Cannot connect to the Docker daemon\).*docker\.sh/);
  // Images cannot exist without a daemon; the reason says why.
  const image = await testImage('python', { dockerCli: dead });
  assert.equal(image.ok, false);

  const alive = path.join(tmp, 'bin', 'fake-docker');
  // Answers `info`, and knows only the python image.
  await fakeExecutable(alive, 'case "$*" in info*) echo 20.10;; *safe-install-test/python:bookworm) echo sha256:1;; *) exit 1;; esac');
  assert.deepEqual(await dockerAvailable({ dockerCli: alive }), { ok: true, path: alive });
  assert.deepEqual(await testImage('python', { dockerCli: alive }), { ok: true, path: testImageRef('python') });
  const rust = await testImage('rust', { dockerCli: alive });
  assert.equal(rust.ok, false);
  assert.match(rust.ok ? '' : rust.reason, /safe-install-test\/rust:bookworm is not built.*test-images\.sh/);
});

test('requireInfra returns the path or skips with the reason', async (t) => {
  assert.equal(requireInfra(t, { ok: true, path: '/x' }), '/x');
  if (process.env.SAFE_INSTALL_REQUIRE_INFRA === '1') {
    assert.throws(() => requireInfra(t, { ok: false, reason: 'nothing here' }), /nothing here/);
    return;
  }
  let got: string | undefined = 'unset';
  await t.test('a probe that failed skips this subtest', (st) => { got = requireInfra(st, { ok: false, reason: 'nothing here' }); });
  assert.equal(got, undefined);
});

test('the real stack, when installed, passes every probe', async (t) => {
  const docker = requireInfra(t, await dockerAvailable());
  if (!docker) return;
  for (const name of ['python', 'node', 'ruby', 'rust', 'go'] as const) {
    const probe = await testImage(name);
    assert.ok(probe.ok, probe.ok ? '' : probe.reason);
  }
  const cs = requireInfra(t, await codeServerPath());
  if (!cs) return;
  assert.ok((await chromiumPath()).ok);
  assert.ok((await verdaccioPath()).ok);
});
