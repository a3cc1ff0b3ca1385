import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TextFileReader } from '../../../shared/src/io';
import { configFromTexts, defaultUserConfigPath, loadEffectiveConfig } from '../../../shared/src/config/loadEffectiveConfig';
import { DEFAULT_CONFIG } from '../../../shared/src/config/schema';

function mapReader(files: Record<string, string | Error>): TextFileReader {
  return {
    async readText(filePath) {
      const entry = files[filePath];
      if (entry === undefined) throw Object.assign(new Error(`ENOENT: ${filePath}`), { code: 'ENOENT' });
      if (entry instanceof Error) throw entry;
      return entry;
    },
  };
}

test('missing files are not errors and give the defaults', async () => {
  const result = await loadEffectiveConfig({ userConfigPath: '/u/config.toml', projectConfigPath: '/p/safe-install.toml', reader: mapReader({}) });
  assert.deepEqual(result.config, DEFAULT_CONFIG);
  assert.deepEqual(result.files, [
    { role: 'user', path: '/u/config.toml', exists: false, findings: [] },
    { role: 'project', path: '/p/safe-install.toml', exists: false, findings: [] },
  ]);
});

test('findings are reported per file, refusals in the project file', async () => {
  const result = await loadEffectiveConfig({
    userConfigPath: '/u/config.toml',
    projectConfigPath: '/p/safe-install.toml',
    reader: mapReader({
      '/u/config.toml': '[sandbox]\ntimeout = 100\ncolour = true\n',
      '/p/safe-install.toml': '[sandbox]\ntimeout = 900\n[typosquat]\nallow = ["reqeusts"]\n',
    }),
  });
  assert.equal(result.config.sandbox.timeoutSeconds, 100);
  assert.deepEqual(result.config.typosquat.allow, ['reqeusts']);
  const [user, project] = result.files;
  assert.deepEqual(user?.findings.map((f) => f.rule), ['config-unknown-key']);
  assert.deepEqual(project?.findings.map((f) => [f.rule, f.key]), [['config-refused', 'sandbox.timeout']]);
});

test('a broken project file gives a config-error and the user settings still apply', async () => {
  const result = await loadEffectiveConfig({
    userConfigPath: '/u/config.toml',
    projectConfigPath: '/p/safe-install.toml',
    reader: mapReader({ '/u/config.toml': '[sandbox]\ncpu_limit = "1"\n', '/p/safe-install.toml': '[sandbox\n' }),
  });
  assert.equal(result.config.sandbox.cpuLimit, '1');
  assert.deepEqual(result.files[1]?.findings.map((f) => [f.rule, f.severity]), [['config-error', 'error']]);
});

test('an unreadable file (not ENOENT) is a config-error, not a rejection', async () => {
  const result = await loadEffectiveConfig({
    projectConfigPath: '/p/safe-install.toml',
    reader: mapReader({ '/p/safe-install.toml': Object.assign(new Error('EISDIR: illegal operation'), { code: 'EISDIR' }) }),
  });
  assert.equal(result.files.length, 1);
  assert.equal(result.files[0]?.findings[0]?.rule, 'config-error');
  assert.match(result.files[0]?.findings[0]?.message ?? '', /EISDIR/);
});

test('the user config path honours an absolute XDG_CONFIG_HOME only', () => {
  assert.equal(defaultUserConfigPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u'), '/x/cfg/safe-install/config.toml');
  assert.equal(defaultUserConfigPath({ XDG_CONFIG_HOME: 'relative' }, '/home/u'), '/home/u/.config/safe-install/config.toml');
  assert.equal(defaultUserConfigPath({}, '/home/u'), '/home/u/.config/safe-install/config.toml');
});

test('configFromTexts is the same merge: registries only from the user, intelligence only tightened by the project', async () => {
  const user = '[registries]\nnpm = "https://npm.mirror.example.test/"\n[intelligence]\nnew_package_days = 20\n';
  const project = '[registries]\nnpm = "http://127.0.0.1:9/npm"\n[intelligence]\nenabled = false\nnew_package_days = 45\nmin_release_age_hours = 1\n';
  const fromTexts = configFromTexts(user, project);
  const loaded = await loadEffectiveConfig({ userConfigPath: '/u/config.toml', projectConfigPath: '/p/safe-install.toml', reader: mapReader({ '/u/config.toml': user, '/p/safe-install.toml': project }) });
  assert.deepEqual(fromTexts.config, loaded.config);
  assert.equal(fromTexts.config.registries?.npm, 'https://npm.mirror.example.test');
  assert.deepEqual(fromTexts.config.intelligence, { newPackageDays: 45 });
  assert.deepEqual(fromTexts.projectFindings.map((f) => f.key).sort(), ['intelligence.enabled', 'intelligence.min_release_age_hours', 'registries.npm']);
  assert.deepEqual(configFromTexts(undefined, undefined).config, DEFAULT_CONFIG);
});
