import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gypCommands } from '../../../shared/src/inspect/hooks/bindingGyp';
import { inspectPackageJson } from '../../../shared/src/inspect/hooks/packageJson';
import { inspectPth, isExecutablePthLine } from '../../../shared/src/inspect/hooks/pth';
import { inspectPyproject } from '../../../shared/src/inspect/hooks/pyproject';
import { classifyFile } from '../../../shared/src/inspect/fileKind';

const MB = 1024 * 1024;

test('package.json: lifecycle scripts noted unless routine, their files marked install-time, URL deps flagged', () => {
  const text = JSON.stringify(
    {
      name: 'p',
      scripts: { preinstall: 'node ./scripts/pre.js --quiet', install: 'node-gyp rebuild', postinstall: 'sh setup.sh && node -e "require(\'./x\')"', test: 'node evil.js' },
      dependencies: { a: 'https://example.org/a.tgz', b: 'http://example.org/b.tgz', c: '^1.0.0' },
    },
    null,
    2,
  );
  const result = inspectPackageJson('pkg/package.json', text, MB);
  const notes = result.findings.filter((f) => f.rule === 'install-script').map((f) => f.message);
  assert.equal(notes.length, 2, notes.join('\n'));
  assert.ok(notes.some((m) => /at preinstall$/.test(m)) && notes.some((m) => /at postinstall$/.test(m)));
  assert.deepEqual(result.installTimeFiles.sort(), ['pkg/scripts/pre.js', 'pkg/setup.sh']);
  const urls = result.findings.filter((f) => f.rule === 'url-dependency');
  assert.deepEqual(urls.map((f) => f.severity).sort(), ['high', 'medium']);
  // Ranges point inside the quotes of the value.
  const lines = text.split('\n');
  const first = urls.find((f) => f.severity === 'medium');
  assert.ok(first);
  assert.equal(lines[first.range.start.line]?.slice(first.range.start.character, first.range.start.character + 8), 'https://');
});

test('package.json: broken JSON and hostile script paths do not throw or escape the package', () => {
  assert.doesNotThrow(() => inspectPackageJson('package.json', '{"scripts": {"postinstall": "node ../../x.js"', MB));
  const result = inspectPackageJson('package.json', JSON.stringify({ scripts: { postinstall: 'node ../../etc/x.js' } }), MB);
  assert.deepEqual(result.installTimeFiles, []);
});

test('.pth: plain paths are fine, known tool lines are low, anything else executable is critical', () => {
  assert.equal(isExecutablePthLine('import os'), true);
  assert.equal(isExecutablePthLine('importlib_stuff'), false);
  assert.equal(isExecutablePthLine(' import os'), false, 'site.py only runs lines starting with import');
  const text = [
    '/opt/lib',
    'import _virtualenv',
    "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); ",
    'import __editable___demo_1_0_finder; __editable___demo_1_0_finder.install()',
    'import _virtualenv; import socket',
    'import\tevilmod',
  ].join('\n');
  const result = inspectPth('site/x.pth', text, MB);
  const byLine = result.findings.filter((f) => f.rule === 'pth-exec' || f.rule === 'pth-known-hook').map((f) => [f.range.start.line, f.rule, f.severity]);
  assert.deepEqual(byLine, [
    [1, 'pth-known-hook', 'low'],
    [2, 'pth-known-hook', 'low'],
    [3, 'pth-known-hook', 'low'],
    [4, 'pth-exec', 'critical'],
    [5, 'pth-exec', 'critical'],
  ]);
  assert.deepEqual(result.importedModules.sort(), ['__editable___demo_1_0_finder', '_virtualenv', 'evilmod', 'os', 'socket'].sort());
});

test('pyproject: an in-tree backend is noted and its module marked install-time', () => {
  const result = inspectPyproject('sub/pyproject.toml', '[build-system]\nrequires = []\nbuild-backend = "tools.backend:api"\nbackend-path = ["_custom"]\n');
  assert.equal(result.findings[0]?.rule, 'in-tree-build-backend');
  assert.equal(result.findings[0]?.range.start.line, 3);
  assert.deepEqual(result.installTimeFiles, ['sub/_custom/tools/backend.py', 'sub/_custom/tools/backend/__init__.py']);
  assert.deepEqual(inspectPyproject('pyproject.toml', 'not toml = [').findings, []);
});

test('binding.gyp: commands are read with balanced parentheses', () => {
  const cmds = gypCommands('{"a": ["<!(node -p \\"require(\'nan\')\\")", "<!@(pkg-config --libs x)"]}').map((c) => c.command);
  assert.deepEqual(cmds, ['node -p \\"require(\'nan\')\\"', 'pkg-config --libs x']);
});

test('file kinds: install-time files by name, shebang for extension-less files, declarations skipped', () => {
  assert.deepEqual(classifyFile('a/setup.py'), { language: 'python', installTime: true });
  assert.deepEqual(classifyFile('build.rs'), { language: 'rust', installTime: true });
  assert.deepEqual(classifyFile('x/y.pth'), { language: 'pth', installTime: true });
  assert.equal(classifyFile('types/index.d.ts'), undefined);
  assert.equal(classifyFile('README.md'), undefined);
  assert.deepEqual(classifyFile('bin/tool', '#!/usr/bin/env node'), { language: 'javascript', installTime: false });
  assert.deepEqual(classifyFile('bin/run', '#!/bin/bash'), { language: 'shell', installTime: false });
});

test('package.json from a registry: prepare never runs there, so it is not noted', () => {
  const text = JSON.stringify({ name: 'lib', scripts: { prepare: 'tshy && bash build.sh' } });
  assert.equal(inspectPackageJson('package.json', text, MB).findings.length, 1);
  const registry = inspectPackageJson('package.json', text, MB, 'lib@1.0.0', { fromRegistry: true });
  assert.deepEqual(registry, { findings: [], installTimeFiles: [] });
});
