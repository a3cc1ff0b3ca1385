// Settings → install flags: the user's own settings count as set, workspace and folder settings only
// where they tighten (the same rule as safe-install.toml), and every ignored value is reported.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { installCliArgs } from '../../../client/src/install/installArgs';
import { installSettingsFromScopes } from '../../../client/src/install/installPolicy';
import { scopedSettings, type InspectedValue } from '../../../client/src/settingsScopes';

const request = { ecosystem: 'npm' as const, packages: ['left-pad'], dryRun: false, cwd: '/tmp/p' };

describe('scopedSettings (inspect → per-scope values)', () => {
  it('takes the user value from globalValue and the project value from the folder, else the workspace', () => {
    const inspected: Record<string, InspectedValue> = {
      a: { globalValue: 1, workspaceValue: 2, workspaceFolderValue: 3 },
      b: { workspaceValue: 'w' },
      c: { globalValue: null, workspaceFolderValue: null },
    };
    const scoped = scopedSettings(['a', 'b', 'c', 'missing'], (key) => inspected[key]);
    assert.deepEqual(scoped, { user: { a: 1 }, workspace: { a: 3, b: 'w' } });
  });
});

describe('installSettingsFromScopes', () => {
  it('nothing set: the sandbox on, no flags beyond the defaults', () => {
    const { settings, ignored } = installSettingsFromScopes({ user: {}, workspace: {} });
    assert.deepEqual(settings, { sandboxEnabled: true, binaryOnly: false });
    assert.deepEqual(ignored, []);
    assert.ok(!installCliArgs(request, settings).includes('--no-sandbox'));
  });

  it('the user may switch the sandbox off; a workspace may not, and is told so', () => {
    const user = installSettingsFromScopes({ user: { 'sandbox.enabled': false }, workspace: {} });
    assert.equal(user.settings.sandboxEnabled, false);
    assert.ok(installCliArgs(request, user.settings).includes('--no-sandbox'));

    const project = installSettingsFromScopes({ user: {}, workspace: { 'sandbox.enabled': false } });
    assert.equal(project.settings.sandboxEnabled, true);
    assert.ok(!installCliArgs(request, project.settings).includes('--no-sandbox'));
    assert.equal(project.ignored.length, 1);
    assert.match(project.ignored[0] ?? '', /Workspace setting 'safeInstall\.sandbox\.enabled' is ignored: .*cannot turn the install sandbox off/);
  });

  it('a workspace may switch the sandbox and wheels-only on even when the user turned them off', () => {
    const { settings, ignored } = installSettingsFromScopes({
      user: { 'sandbox.enabled': false, 'sandbox.binaryOnly': false },
      workspace: { 'sandbox.enabled': true, 'sandbox.binaryOnly': true },
    });
    assert.deepEqual(settings, { sandboxEnabled: true, binaryOnly: true });
    assert.deepEqual(ignored, []);
    // Turning wheels-only off again from the workspace is a weakening.
    const off = installSettingsFromScopes({ user: { 'sandbox.binaryOnly': true }, workspace: { 'sandbox.binaryOnly': false } });
    assert.equal(off.settings.binaryOnly, true);
    assert.match(off.ignored.join('\n'), /sandbox\.binaryOnly/);
  });

  it('limits: a workspace value counts below the user value, not above it', () => {
    const lower = installSettingsFromScopes({
      user: { 'sandbox.memoryLimit': '2g', 'sandbox.cpuLimit': '2', 'sandbox.timeoutSeconds': 600 },
      workspace: { 'sandbox.memoryLimit': '512m', 'sandbox.cpuLimit': '0.5', 'sandbox.timeoutSeconds': 60 },
    });
    assert.deepEqual(lower.ignored, []);
    assert.deepEqual([lower.settings.memoryLimit, lower.settings.cpuLimit, lower.settings.timeoutSeconds], ['512m', '0.5', 60]);
    assert.deepEqual(installCliArgs(request, lower.settings).slice(-8, -2), ['--memory', '512m', '--cpus', '0.5', '--timeout', '60']);

    const higher = installSettingsFromScopes({
      user: { 'sandbox.memoryLimit': '1g', 'sandbox.timeoutSeconds': 120 },
      workspace: { 'sandbox.memoryLimit': '8g', 'sandbox.timeoutSeconds': 3600 },
    });
    assert.deepEqual([higher.settings.memoryLimit, higher.settings.timeoutSeconds], ['1g', 120]);
    assert.equal(higher.ignored.length, 2);
    assert.match(higher.ignored[0] ?? '', /safeInstall\.sandbox\.memoryLimit' is ignored: .*not raise it above your 1g/);

    // Only a workspace value: it passes on, and the CLI lowers the config's limit with it, never raises.
    const alone = installSettingsFromScopes({ user: {}, workspace: { 'sandbox.cpuLimit': '1' } });
    assert.equal(alone.settings.cpuLimit, '1');
  });

  it('malformed values are reported and left out', () => {
    const { settings, ignored } = installSettingsFromScopes({ user: { 'sandbox.memoryLimit': 'lots' }, workspace: { 'vault.extraEnvVars': ['OK_NAME', 'rm -rf', 7] } });
    assert.equal(settings.memoryLimit, undefined);
    assert.deepEqual(settings.vaultEnvVars, ['OK_NAME']);
    assert.equal(ignored.length, 3);
    assert.match(ignored[0] ?? '', /User setting 'safeInstall\.sandbox\.memoryLimit' is ignored: "lots" is not a size/);
  });

  it('vault entries of both scopes add up (hiding more only protects more) and reach the CLI as --flag=value', () => {
    const { settings, ignored } = installSettingsFromScopes({
      user: { 'vault.extraPaths': ['~/.secrets'], 'vault.extraEnvVars': ['MY_TOKEN'] },
      workspace: { 'vault.extraPaths': ['~/.secrets', '-weird'], 'vault.extraEnvVars': ['PROJECT_KEY'] },
    });
    assert.deepEqual(ignored, []);
    assert.deepEqual(settings.vaultPaths, ['~/.secrets', '-weird']);
    assert.deepEqual(settings.vaultEnvVars, ['MY_TOKEN', 'PROJECT_KEY']);
    const args = installCliArgs(request, { ...settings, sandboxEnabled: false });
    const options = args.slice(0, args.indexOf('--'));
    for (const flag of ['--vault-path=~/.secrets', '--vault-path=-weird', '--vault-env=MY_TOKEN', '--vault-env=PROJECT_KEY']) assert.ok(options.includes(flag), flag);
    assert.deepEqual(args.slice(args.indexOf('--') + 1), ['left-pad'], 'the package list is unchanged after --');
  });

  it('allowed hosts: yours reach the CLI as --allow-host; a workspace may narrow them but never add one', () => {
    const { settings, ignored } = installSettingsFromScopes({
      user: { 'network.allowedHosts': ['mirror.corp.example', 'git.corp.example'] },
      workspace: { 'network.allowedHosts': ['mirror.corp.example', 'evil.example'] },
    });
    assert.deepEqual(settings.allowedHosts, ['mirror.corp.example']);
    assert.equal(ignored.length, 1);
    assert.match(ignored[0]!, /may narrow the hosts installs reach, not add 'evil.example'/);
    const args = installCliArgs(request, settings);
    assert.ok(args.slice(0, args.indexOf('--')).includes('--allow-host=mirror.corp.example'));
    assert.ok(!args.some((a) => a.includes('evil.example')));
    assert.equal(installSettingsFromScopes({ user: {}, workspace: { 'network.allowedHosts': ['x.example'] } }).settings.allowedHosts, undefined, 'a workspace alone adds nothing');
  });
});
