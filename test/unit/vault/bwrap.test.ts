import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, test } from 'node:test';
import { bwrapArgs, collectBwrapMasks, DOCKER_SOCKETS } from '../../../shared/src/vault/index';
import { createFakeHome, leakedWindows } from '../../support/fakeHome';

function run(file: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', (error) => resolve({ code: -1, stdout, stderr: String(error) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function findBwrap(): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'bwrap');
    if (await access(candidate).then(() => true, () => false)) return candidate;
  }
  return undefined;
}

describe('bubblewrap sandbox arguments', () => {
  test('unshares everything, drops capabilities, empties home after the masks, binds the project back, filters the env', () => {
    const args = bwrapArgs({
      homeDir: '/home/me',
      projectDir: '/home/me/src/app',
      env: { PATH: '/usr/bin', GITHUB_TOKEN: 'ghp_' + 'a1'.repeat(20), LANG: 'C', SSH_AUTH_SOCK: '/run/user/1000/ssh' },
      command: ['npm', 'ci', '--ignore-scripts'],
      maskPaths: [{ path: '/var/run/docker.sock', isDirectory: false }, { path: '/home/me/.ssh', isDirectory: true }, { path: '/opt/creds', isDirectory: true }],
      runtimeDir: '/run/user/1000',
    });
    const joined = args.join(' ');
    for (const flag of ['--die-with-parent', '--new-session', '--unshare-all', '--clearenv']) assert.ok(args.includes(flag), flag);
    assert.ok(!args.includes('--share-net'));
    assert.match(joined, /--cap-drop ALL/);
    assert.match(joined, /--ro-bind \/ \/ /);
    assert.match(joined, /--ro-bind \/dev\/null \/var\/run\/docker\.sock/);
    assert.match(joined, /--tmpfs \/opt\/creds/);
    assert.match(joined, /--tmpfs \/run\/user\/1000/);
    assert.ok(!joined.includes('/home/me/.ssh'), 'paths inside home are covered by the empty home');
    const home = args.indexOf('/home/me', args.indexOf('--tmpfs'));
    assert.ok(args[home - 1] === '--tmpfs' && home < args.indexOf('--bind'), 'home becomes a tmpfs before the project is bound');
    assert.deepEqual(args.slice(args.indexOf('--bind'), args.indexOf('--bind') + 5), ['--bind', '/home/me/src/app', '/home/me/src/app', '--chdir', '/home/me/src/app']);
    assert.ok(!joined.includes('GITHUB_TOKEN') && !joined.includes('SSH_AUTH_SOCK'));
    assert.ok(joined.includes('--setenv PATH /usr/bin'));
    assert.deepEqual(args.slice(-4), ['--', 'npm', 'ci', '--ignore-scripts']);
    assert.ok(bwrapArgs({ homeDir: '/h', projectDir: '/p', env: {}, command: ['true'], network: true }).includes('--share-net'));
  });

  test('a real command under bwrap cannot see ~/.ssh, the secrets or the Docker socket, and can write the project', async (t) => {
    if (process.platform !== 'linux') {
      t.skip('bubblewrap is Linux-only');
      return;
    }
    const bwrap = await findBwrap();
    if (bwrap === undefined) {
      t.skip('bwrap is not installed (apt-get install bubblewrap)');
      return;
    }
    const probe = await run(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-all', '--', 'true']);
    if (probe.code !== 0) {
      t.skip(`bwrap cannot create namespaces here (unprivileged user namespaces off?): ${probe.stderr.trim()}`);
      return;
    }
    const fake = await createFakeHome();
    try {
      const script = [
        "const fs=require('fs');const p=require('path');const h=process.env.HOME;",
        'let dockerSocket=null;',
        `for (const s of ${JSON.stringify(DOCKER_SOCKETS)}) { try { if (fs.lstatSync(s).isSocket()) dockerSocket=s; } catch {} }`,
        "fs.writeFileSync(p.join(process.cwd(),'built.txt'),'ok');",
        "let key=null; try { key=fs.readFileSync(p.join(h,'.ssh','id_ed25519'),'utf8'); } catch {}",
        "process.stdout.write(JSON.stringify({home:fs.readdirSync(h),ssh:fs.existsSync(p.join(h,'.ssh')),aws:fs.existsSync(p.join(h,'.aws')),key,env:Object.keys(process.env).sort(),dockerSocket,cwd:process.cwd()}));",
      ].join('\n');
      const masks = await collectBwrapMasks();
      const args = bwrapArgs({ homeDir: fake.home, projectDir: fake.workspace, env: fake.env, command: [process.execPath, '-e', script], maskPaths: masks });
      const result = await run(bwrap, args);
      assert.equal(result.code, 0, result.stderr);
      const seen = JSON.parse(result.stdout) as { home: string[]; ssh: boolean; aws: boolean; key: string | null; env: string[]; dockerSocket: string | null; cwd: string };
      t.diagnostic(`inside bwrap: home=${JSON.stringify(seen.home)} env=${seen.env.join(',')} masks=${masks.map((m) => m.path).join(',') || 'none'}`);
      assert.equal(seen.ssh, false);
      assert.equal(seen.aws, false);
      assert.equal(seen.key, null);
      assert.deepEqual(seen.home, ['work'], 'only the path down to the project exists in the empty home');
      assert.equal(seen.dockerSocket, null);
      assert.equal(seen.cwd, fake.workspace);
      assert.deepEqual(seen.env, ['EDITOR', 'HOME', 'LANG', 'PASSWORD_STORE_DIR', 'PATH', 'PWD'], 'only ordinary variables (a store folder path is not a secret)');
      assert.deepEqual(leakedWindows(result.stdout, fake.canaries), []);
      assert.equal(await readFile(path.join(fake.workspace, 'built.txt'), 'utf8'), 'ok');
      assert.ok(await access(path.join(fake.home, '.ssh', 'id_ed25519')).then(() => true), 'nothing moved on the host');
    } finally {
      await fake.cleanup();
    }
  });
});
