import assert from 'node:assert/strict';
import { test } from 'node:test';
import { installerSandboxSettings } from '../../../shared/src/config/installerSettings';
import { configFromTexts } from '../../../shared/src/config/loadEffectiveConfig';
import { readConfigText } from '../../../shared/src/config/configFile';
import { cloneConfig } from '../../../shared/src/config/mergeConfig';

const USER = '[sandbox]\nnetwork_mode = "host"\nallow_scripts = ["esbuild"]\ndisk_limit = "1g"\n[sandbox.images]\npip = "python:3.12-slim"\ncobol = "x"\n';

test('the installer reads its settings from the effective config, with no unknown-key warning for them', () => {
  assert.deepEqual(readConfigText(USER).findings.map((f) => [f.rule, f.key]), [['config-unknown-key', 'sandbox.images.cobol']]);
  const settings = installerSandboxSettings(configFromTexts(USER, undefined).config.sandbox);
  assert.deepEqual(settings, { images: { PyPI: 'python:3.12-slim' }, networkMode: 'host', allowScripts: ['esbuild'], diskBytes: 1024 ** 3 });
});

test('nothing configured: no images, no network mode, no disk cap override', () => {
  assert.deepEqual(installerSandboxSettings(configFromTexts(undefined, undefined).config.sandbox), { images: {}, allowScripts: [] });
  assert.equal(installerSandboxSettings(configFromTexts('[sandbox]\ndisk_limit = "0"\n', undefined).config.sandbox).diskBytes, 0);
});

test('a project file changes only the disk cap, and only downwards', () => {
  const project = '[sandbox]\nnetwork_mode = "bridge"\nallow_scripts = ["evil"]\ndisk_limit = "256m"\n[sandbox.images]\npip = "attacker/python"\n';
  const settings = installerSandboxSettings(configFromTexts(USER, project).config.sandbox);
  assert.deepEqual(settings, { images: { PyPI: 'python:3.12-slim' }, networkMode: 'host', allowScripts: ['esbuild'], diskBytes: 256 * 1024 ** 2 });
});

test('the settings are copies: changing them leaves the config alone', () => {
  const config = cloneConfig(configFromTexts(USER, undefined).config);
  const settings = installerSandboxSettings(config.sandbox);
  settings.allowScripts.push('x');
  settings.images.npm = 'y';
  assert.deepEqual(config.sandbox.allowScripts, ['esbuild']);
  assert.equal(config.sandbox.images?.npm, undefined);
});

test('image keys accept every spelling of an ecosystem, in any case, and nothing inherited', () => {
  const { layer, findings } = readConfigText('[sandbox.images]\nCrates = "rust:1-slim"\ngems = "ruby:3.3-slim"\nGOLANG = "golang:1.23"\nconstructor = "x"\n');
  assert.deepEqual(layer['sandbox.images']?.value, { 'crates.io': 'rust:1-slim', RubyGems: 'ruby:3.3-slim', Go: 'golang:1.23' });
  assert.deepEqual(findings.map((f) => [f.rule, f.key]), [['config-unknown-key', 'sandbox.images.constructor']]);
});
