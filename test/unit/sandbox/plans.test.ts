import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fetchEnvironment, stripProxyCredentials } from '../../../shared/src/sandbox/environment';
import { imageFor, isImageReference, DEFAULT_IMAGES } from '../../../shared/src/sandbox/images';
import { parsePackageRequest } from '../../../shared/src/sandbox/names';
import { lockKeyName, npmInstallArgv, tarEntryWarnings } from '../../../shared/src/sandbox/plans/npm';
import { parseMissingDistribution, parsePipDebug, reportArgv, targetArgs } from '../../../shared/src/sandbox/plans/pip';
import { scratchCargoToml } from '../../../shared/src/sandbox/plans/vendor';
import { installerSandboxSettings } from '../../../shared/src/config/installerSettings';
import { configFromTexts } from '../../../shared/src/config/loadEffectiveConfig';
import { packageJsonScriptAllowList } from '../../../shared/src/sandbox/settings';

/** The installer's view of a user config file's text. */
const userSandboxSettings = (text: string) => installerSandboxSettings(configFromTexts(text, undefined).config.sandbox);

const PIP_DEBUG = `pip version: pip 23.2.1
sys.version: 3.11.7 (main, Jan  1 2024, 00:00:00) [GCC 12.2.0]
sys.platform: linux
Compatible tags: 4
  cp311-cp311-manylinux_2_35_x86_64
  cp311-abi3-manylinux_2_17_x86_64.manylinux2014_x86_64
  py3-none-any
  cp311-none-any
`;

test('pip debug output becomes a download target', () => {
  const target = parsePipDebug(PIP_DEBUG)!;
  assert.equal(target.pythonVersion, '3.11');
  assert.equal(target.implementation, 'cp');
  assert.deepEqual(target.abis.sort(), ['abi3', 'cp311', 'none']);
  assert.deepEqual(target.platforms.sort(), ['manylinux2014_x86_64', 'manylinux_2_17_x86_64', 'manylinux_2_35_x86_64']);
  assert.deepEqual(targetArgs(target).slice(0, 4), ['--python-version', '3.11', '--implementation', 'cp']);
  assert.equal(parsePipDebug('nonsense'), undefined);
});

test('the pip resolve step is wheels-only, never installs, and ends options before names', () => {
  const argv = reportArgv({ requests: [parsePackageRequest('PyPI', 'six==1.16.0')], indexUrl: 'http://127.0.0.1:1/simple/', extraIndexUrls: [], binaryOnly: false, target: parsePipDebug(PIP_DEBUG)! }, 0);
  for (const flag of ['--dry-run', '--only-binary=:all:', '--ignore-installed', '--report', '--target']) assert.ok(argv.includes(flag), flag);
  assert.ok(!argv.includes('--no-binary'));
  assert.equal(argv[argv.indexOf('--') + 1], 'six==1.16.0');
  assert.equal(argv.indexOf('--'), argv.length - 2);
  assert.equal(parseMissingDistribution('ERROR: Could not find a version...\nERROR: No matching distribution found for si-gamma<2,>=1\n'), 'si-gamma<2,>=1');
  assert.equal(parseMissingDistribution('ERROR: something else'), undefined);
});

test('npm fetch never runs scripts and ends options before names', () => {
  const argv = npmInstallArgv({ requests: [parsePackageRequest('npm', '@scope/x@^1')], registry: 'http://127.0.0.1:4873/' });
  assert.ok(argv.includes('--ignore-scripts'));
  assert.deepEqual(argv.slice(-2), ['--', '@scope/x@^1']);
  assert.equal(lockKeyName('node_modules/a/node_modules/@s/b'), '@s/b');
  assert.deepEqual(tarEntryWarnings("added 1\nnpm WARN tar TAR_ENTRY_ERROR path contains '..'\nnpm WARN tar TAR_ENTRY_INVALID absolute path\n"), ["npm WARN tar TAR_ENTRY_ERROR path contains '..'", 'npm WARN tar TAR_ENTRY_INVALID absolute path']);
  assert.deepEqual(tarEntryWarnings('added 2 packages in 300ms'), []);
});

test('cargo scratch manifest quotes validated names and specs', () => {
  const text = scratchCargoToml([parsePackageRequest('crates.io', 'serde@1.0'), parsePackageRequest('crates.io', 'libc')]);
  assert.match(text, /^serde = "1\.0"$/m);
  assert.match(text, /^libc = "\*"$/m);
});

test('allow-lists come from package.json allowScripts and pnpm onlyBuiltDependencies', () => {
  const text = JSON.stringify({ allowScripts: { esbuild: true, 'sharp@0.33': true, evil: false }, pnpm: { onlyBuiltDependencies: ['@swc/core'] } });
  assert.deepEqual(packageJsonScriptAllowList(text).sort(), ['@swc/core', 'esbuild', 'sharp']);
  assert.deepEqual(packageJsonScriptAllowList('{broken'), []);
});

test('user settings: images, network mode and allow_scripts; odd values ignored', () => {
  const s = userSandboxSettings('[sandbox]\nnetwork_mode = "host"\nallow_scripts = ["esbuild"]\n[sandbox.images]\npip = "python:3.12-slim"\ncobol = "x"\n');
  assert.equal(s.networkMode, 'host');
  assert.deepEqual(s.allowScripts, ['esbuild']);
  assert.deepEqual(s.images, { PyPI: 'python:3.12-slim' });
  assert.equal(userSandboxSettings('[sandbox]\nnetwork_mode = "container:x y"\n').networkMode, undefined);
  assert.equal(imageFor('PyPI', s.images), 'python:3.12-slim');
  assert.equal(imageFor('npm', s.images), DEFAULT_IMAGES.npm);
  assert.throws(() => imageFor('PyPI', { PyPI: '--privileged' }), /not an image reference/);
  for (const ref of Object.values(DEFAULT_IMAGES)) assert.ok(isImageReference(ref) && /@sha256:[0-9a-f]{64}$/.test(ref), `${ref} is pinned by digest`);
});

test('the fetch phase gets proxies without credentials and the CA bundle read-only, nothing else', async () => {
  assert.deepEqual(stripProxyCredentials('http://user:secret@proxy:3128'), { value: 'http://proxy:3128/', stripped: true });
  const env = await fetchEnvironment({ HTTPS_PROXY: 'http://u:p@proxy:3128', NO_PROXY: 'localhost,.corp', AWS_SECRET_ACCESS_KEY: 'canary', SSL_CERT_FILE: '/corp/ca.pem', HOME: '/root' }, async (f) => f === '/corp/ca.pem');
  assert.equal(env.env['HTTPS_PROXY'], 'http://proxy:3128/');
  assert.equal(env.env['NO_PROXY'], 'localhost,.corp');
  assert.equal(env.env['AWS_SECRET_ACCESS_KEY'], undefined);
  assert.equal(env.env['HOME'], undefined);
  assert.deepEqual(env.files.map((f) => f.hostPath), ['/corp/ca.pem']);
  assert.equal(env.warnings.length, 1);
});
