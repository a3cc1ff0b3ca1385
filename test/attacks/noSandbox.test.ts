// `install --no-sandbox` against the canary-stealing postinstall fixture, with Docker unavailable (DOCKER_HOST
// points at a dead socket): under bubblewrap (empty home, nothing moved) and, with bwrap off PATH, under the
// credential vault. The payload really runs in both (it reaches the listener), yet no canary byte arrives
// and the fake home's SHA-256 tree is the same afterwards.
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { diffSnapshots, snapshotTree } from '../support/fakeHome';
import { requireInfra, type Probe } from '../support/infra';
import { snapshotCli } from './attacks';
import { AttackLab, runProcess } from './lab';
import { findOnPath, usableBwrap } from '../../shared/src/sandbox/local/hostIsolation';
import { spawnProcess } from '../../shared/src/sandbox/local/process';

const PKG = 'si-attack-postinstall';
let lab: AttackLab | undefined;
let labError: Error | undefined;
let cliSkip: string | undefined;

// A PATH holding only what npm needs (node, npm, sh), so bubblewrap cannot be found.
async function pathWithoutBwrap(root: string): Promise<string> {
  const dir = path.join(root, 'path-without-bwrap');
  await mkdir(dir, { recursive: true });
  for (const tool of ['node', 'npm', 'sh']) {
    const found = await findOnPath(tool, process.env);
    if (found) await symlink(found, path.join(dir, tool)).catch(() => undefined);
  }
  return dir;
}

async function runNoSandbox(l: AttackLab, label: string, extraEnv: Record<string, string>): Promise<{ json: Record<string, unknown>; canaryBytes: number; contacts: number; homeChanges: string[]; log: string }> {
  const dir = await l.workDir(`no-sandbox-${label}`);
  const project = path.join(dir, 'project');
  await mkdir(project, { recursive: true });
  await writeFile(path.join(project, 'package.json'), '{ "name": "attack-target", "version": "1.0.0", "private": true }\n');
  const since = Date.now();
  const homeBefore = await snapshotTree(l.home.dir);
  const env = l.baseEnv({ DOCKER_HOST: `unix://${path.join(dir, 'no-docker.sock')}`, XDG_STATE_HOME: path.join(dir, 'state'), ...extraEnv });
  const res = await runProcess(process.execPath, [l.cli, 'install', '-e', 'npm', PKG, '--no-sandbox', '--format', 'json', '--registry', l.npm?.url ?? ''], { cwd: project, env, timeoutMs: 240_000 });
  const contacts = l.listener.contactsFor(undefined, since);
  const { bytes } = l.listener.canaryBytes(contacts, l.home.canaries);
  const homeChanges = diffSnapshots(homeBefore, await snapshotTree(l.home.dir));
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(res.stdout) as Record<string, unknown>;
  } catch {
    // reported below through the log
  }
  return { json, canaryBytes: bytes, contacts: contacts.length, homeChanges, log: `exit ${String(res.code)}\n${res.stdout}\n${res.stderr}`.slice(-4000) };
}

describe('install --no-sandbox without Docker', { concurrency: 1 }, () => {
  before(async () => {
    try {
      lab = await AttackLab.start();
      cliSkip = await snapshotCli(lab);
    } catch (error) {
      labError = error as Error;
    }
  });
  after(async () => { await lab?.close(); });

  function ready(t: Parameters<typeof requireInfra>[0]): AttackLab | undefined {
    if (!lab) throw labError ?? new Error('attack lab did not start');
    const missing = cliSkip ?? (lab.npm ? undefined : lab.npmSkip ?? 'Verdaccio unavailable');
    if (missing) {
      requireInfra(t, { ok: false, reason: missing });
      return undefined;
    }
    return lab;
  }

  test('under bubblewrap: the postinstall runs in an empty home and gets no canary', async (t) => {
    const l = ready(t);
    if (!l) return;
    const bw = await usableBwrap(process.env, spawnProcess);
    const probe: Probe = bw.bwrap ? { ok: true, path: bw.bwrap } : { ok: false, reason: bw.reason };
    if (!requireInfra(t, probe)) return;
    const r = await runNoSandbox(l, 'bwrap', {});
    assert.equal(r.json.isolation, 'bwrap', r.log);
    assert.equal(r.json.verdict, 'installed', r.log);
    assert.ok(r.contacts > 0, `the postinstall did not run (no contact with the listener), so this proves nothing\n${r.log}`);
    assert.equal(r.canaryBytes, 0, `canary bytes arrived\n${r.log}`);
    assert.deepEqual(r.homeChanges, [], `the fake home changed\n${r.log}`);
  });

  test('with bwrap off PATH: the vault hides the credentials, the home is restored byte for byte', async (t) => {
    const l = ready(t);
    if (!l) return;
    const r = await runNoSandbox(l, 'vault', { PATH: await pathWithoutBwrap(l.root) });
    assert.equal(r.json.isolation, 'vault', r.log);
    assert.equal(r.json.verdict, 'installed', r.log);
    assert.ok(r.contacts > 0, `the postinstall did not run (no contact with the listener), so this proves nothing\n${r.log}`);
    assert.equal(r.canaryBytes, 0, `canary bytes arrived\n${r.log}`);
    assert.deepEqual(r.homeChanges, [], `the fake home changed\n${r.log}`);
  });
});
