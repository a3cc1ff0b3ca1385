// --no-sandbox without Docker: which folders of the home come back into the bubblewrap sandbox (the package
// managers' own, read-only; never home itself or a credential folder) and which variables the package manager sees.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { hostInstallEnvironment, toolBinds } from '../../../shared/src/sandbox/local/hostIsolation';
import { bwrapArgs } from '../../../shared/src/vault/bwrap';

test('tool folders in home are bound read-only, credentials and home itself never', async () => {
  const home = await mkdtemp(path.join(os.tmpdir(), 'si-home-'));
  try {
    for (const dir of ['.pyenv/shims', '.cargo/bin', '.ssh', 'bin', 'envs/tools/bin', 'project/.venv/bin']) await mkdir(path.join(home, dir), { recursive: true });
    await writeFile(path.join(home, '.cargo', 'credentials.toml'), 'token = "x"\n');
    await writeFile(path.join(home, 'bin', 'npm'), '#!/bin/sh\n', { mode: 0o755 });
    await writeFile(path.join(home, 'envs', 'tools', 'pyvenv.cfg'), 'home = /usr/bin\n');
    const project = path.join(home, 'project');
    const npm = await toolBinds(home, project, path.join(home, 'bin', 'npm'), undefined);
    assert.deepEqual(npm.readOnly.sort(), [path.join(home, '.cargo', 'bin'), path.join(home, '.pyenv'), path.join(home, 'bin')].sort());
    assert.ok(!npm.readOnly.includes(home) && !npm.readOnly.includes(path.join(home, '.cargo')));
    const pip = await toolBinds(home, project, path.join(home, '.pyenv', 'shims', 'python3'), path.join(home, 'envs', 'tools', 'bin', 'python'));
    assert.deepEqual(pip.readWrite, [path.join(home, 'envs', 'tools')], 'a venv in home outside the project is writable');
    const inProject = await toolBinds(home, project, undefined, path.join(project, '.venv', 'bin', 'python'));
    assert.deepEqual(inProject.readWrite, [], 'the project is bound already');
    const args = bwrapArgs({ homeDir: home, projectDir: project, env: {}, command: ['npm', 'install'], readOnlyBinds: npm.readOnly, readWriteBinds: pip.readWrite });
    // The empty home comes first, then the binds on top of it.
    assert.ok(args.indexOf('--tmpfs') < args.indexOf(path.join(home, '.pyenv')));
    assert.deepEqual(args.slice(args.indexOf(path.join(home, 'envs', 'tools')) - 1, args.indexOf(path.join(home, 'envs', 'tools')) + 2), ['--bind', path.join(home, 'envs', 'tools'), path.join(home, 'envs', 'tools')]);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
});

test('the package manager sees an allow-list of variables, proxies without credentials', () => {
  const { env, dropped } = hostInstallEnvironment({
    PATH: '/usr/bin', LANG: 'C.UTF-8', HTTPS_PROXY: 'http://user:pw@proxy:3128', PYENV_ROOT: '/h/.pyenv',
    INNOCENT_LOOKING: 'SICANARY-secret', AWS_SECRET_ACCESS_KEY: 'x', SSH_AUTH_SOCK: '/run/agent', npm_config__authToken: 't',
  });
  assert.deepEqual(Object.keys(env).sort(), ['HTTPS_PROXY', 'LANG', 'PATH', 'PYENV_ROOT']);
  assert.equal(env.HTTPS_PROXY, 'http://proxy:3128/');
  assert.deepEqual(dropped, ['AWS_SECRET_ACCESS_KEY', 'INNOCENT_LOOKING', 'SSH_AUTH_SOCK', 'npm_config__authToken']);
});
