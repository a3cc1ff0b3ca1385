import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePackageJson } from '../../../shared/src/manifests/packageJson';
import { classifyNpmSpec, splitOverrideKey } from '../../../shared/src/manifests/packageJsonSpec';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/manifests/npm');

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function find(manifest: ParsedManifest, name: string, kind?: Dependency['kind']): Dependency {
  const dep = manifest.dependencies.find((d) => d.name === name && (kind === undefined || d.kind === kind));
  assert.ok(dep, `expected a dependency named ${name}${kind ? ` (${kind})` : ''}`);
  return dep;
}

test('monorepo root: every section, exact ranges, aliases, sources and overrides', async () => {
  const text = await readFile(path.join(fixtures, 'monorepo-root.package.json'), 'utf8');
  const m = parsePackageJson(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.kind, 'package-json');
  assert.equal(m.ecosystem, 'npm');

  const counts: Record<string, number> = {};
  for (const d of m.dependencies) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  assert.deepEqual(counts, { runtime: 17, dev: 27, optional: 2, peer: 1, bundled: 2, override: 9 });

  for (const d of m.dependencies) {
    assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
    assert.equal(d.normalizedName, d.name.toLowerCase());
    assert.equal(d.ecosystem, 'npm');
  }

  const react = find(m, 'react', 'runtime');
  assert.equal(react.spec, '^18.3.1');
  assert.deepEqual(react.nameRange, { start: { line: 12, character: 5 }, end: { line: 12, character: 10 } });
  assert.deepEqual(react.specRange, { start: { line: 12, character: 14 }, end: { line: 12, character: 21 } });

  const sw = find(m, 'string-width');
  assert.equal(sw.alias, 'string-width-cjs');
  assert.equal(sw.spec, '^4.2.0');
  assert.equal(sw.source, 'registry');
  assert.equal(sw.nameRange.start.line, 16);
  assert.equal(sw.nameRange.start.character, '    "string-width-cjs": "npm:'.length);

  const scopedAlias = find(m, '@types/react');
  assert.equal(scopedAlias.alias, '@types/react-legacy');
  assert.equal(scopedAlias.spec, '17.0.80');

  const sources = Object.fromEntries(m.dependencies.filter((d) => d.kind === 'runtime').map((d) => [d.name, d.source]));
  assert.equal(sources['@acme/design-system'], 'workspace');
  assert.equal(sources['@acme/utils'], 'workspace');
  assert.equal(sources['left-pad'], 'url');
  assert.equal(sources['internal-sdk'], 'git');
  assert.equal(sources['forked-lib'], 'git');
  assert.equal(sources['shorthand-lib'], 'git');
  assert.equal(sources['vendored'], 'path');
  assert.equal(sources['linked'], 'path');
  assert.equal(sources['chalk'], 'registry');
  assert.equal(sources['debug'], 'registry');
  assert.equal(find(m, 'internal-sdk', 'runtime').spec, 'git+ssh://git@git.example.test/acme/internal-sdk.git#v2.4.1');

  assert.equal(find(m, 'vitest').kind, 'dev');
  assert.equal(find(m, 'vitest').spec, '>=2.1.0 <3');
  assert.equal(find(m, 'fsevents').kind, 'optional');
  assert.equal(find(m, 'react', 'peer').spec, '>=17 || ^18');
  assert.deepEqual(
    m.dependencies.filter((d) => d.kind === 'bundled').map((d) => d.name),
    ['internal-sdk', 'vendored'],
  );

  const overrides = m.dependencies.filter((d) => d.kind === 'override');
  assert.deepEqual(
    overrides.map((d) => [d.name, d.spec, d.extras?.parents ?? [], d.extras?.selector ?? '']),
    [
      ['semver', '^7.6.3', [], ''],
      ['minimist', '1.2.8', [], '<1.2.6'],
      ['@babel/traverse', '$@babel/core', [], ''],
      ['webpack', '$webpack', [], ''],
      ['terser', '5.31.6', ['webpack'], ''],
      ['watchpack', '', ['webpack'], ''],
      ['glob-parent', '^6.0.2', ['webpack', 'watchpack'], ''],
      ['@acme/legacy', '', [], '1'],
      ['node-fetch', '^2.7.0', ['@acme/legacy@1'], ''],
    ],
  );
  assert.equal(find(m, '@babel/traverse').extras?.reference, '@babel/core');
  assert.equal(find(m, 'glob-parent').alias, 'glob-parent');
  // The minimist key is `minimist@<1.2.6`: the name range stops before the selector.
  assert.equal(textAt(text, find(m, 'minimist').nameRange), 'minimist');
});

test('broken JSON: errors at jsonc-parser positions plus every dependency that can still be read', async () => {
  const text = await readFile(path.join(fixtures, 'broken.package.json'), 'utf8');
  const m = parsePackageJson(text);
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.kind, d.spec]),
    [
      ['express', 'runtime', '^4.19.2'],
      ['expres', 'runtime', '^4.0.0'],
      ['body-parser', 'runtime', ''],
      ['react', 'peer', '^18'],
      ['react-dom', 'peer', '^18'],
    ],
  );
  const messages = m.errors.map((e) => [e.message, textAt(text, e.range), e.range.start.line]);
  assert.deepEqual(messages, [
    ['Expected a property name', '}', 5],
    ["Expected ','", '"react-dom"', 9],
    ["Expected '}'", '', 11],
    ["The version spec of 'body-parser' must be a string", '1.20', 4],
    ["'devDependencies' must be an object of package names to version specs", '"devDependencies"', 6],
  ]);
});

test('non-object roots, empty files and comments are errors, never exceptions', () => {
  assert.equal(parsePackageJson('').errors.length, 1);
  assert.equal(parsePackageJson('[1,2]').errors[0]?.message, 'package.json must contain a JSON object');
  assert.equal(parsePackageJson('"x"').dependencies.length, 0);
  const withComment = parsePackageJson('{\n  // note\n  "dependencies": {"a": "1"}\n}');
  assert.equal(withComment.errors[0]?.message, 'Comments are not allowed in package.json');
  assert.deepEqual(withComment.errors[0]?.range.start, { line: 1, character: 2 });
  assert.equal(withComment.dependencies[0]?.name, 'a');
});

test('columns are UTF-16 code units and CRLF files keep exact lines', () => {
  const text = '{"description": "😀 é", "dependencies": {"ａb": "1.0.0"}}';
  const dep = parsePackageJson(text).dependencies[0] as Dependency;
  assert.equal(dep.nameRange.start.character, text.indexOf('ａb'));
  assert.equal(textAt(text, dep.nameRange), 'ａb');

  const crlf = '{\r\n  "dependencies": {\r\n    "left-pad": "^1.3.0"\r\n  }\r\n}\r\n';
  const d = parsePackageJson(crlf).dependencies[0] as Dependency;
  assert.deepEqual(d.nameRange, { start: { line: 2, character: 5 }, end: { line: 2, character: 13 } });
  assert.equal(textAt(crlf, d.specRange as Range), '^1.3.0');
});

test('escaped keys keep a range over the whole written key', () => {
  const text = '{"dependencies": {"\\u006codash": "npm:\\u006codash@1"}}';
  const dep = parsePackageJson(text).dependencies[0] as Dependency;
  assert.equal(dep.name, 'lodash');
  assert.equal(dep.alias, 'lodash');
  assert.equal(textAt(text, dep.nameRange), 'npm:\\u006codash@1');
});

test('bundleDependencies: true marks runtime dependencies; a non-array is an error on the key', () => {
  const m = parsePackageJson('{"dependencies": {"a": "1", "b": "2"}, "devDependencies": {"c": "3"}, "bundleDependencies": true}');
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.extras?.bundled ?? false]),
    [['a', true], ['b', true], ['c', false]],
  );
  const bad = parsePackageJson('{"bundledDependencies": "a", "overrides": [], "peerDependencies": null}');
  assert.deepEqual(
    bad.errors.map((e) => e.message),
    [
      "'bundledDependencies' must be an array of package names or a boolean",
      "'overrides' must be an object",
      "'peerDependencies' must be an object of package names to version specs",
    ],
  );
});

test('empty names and empty aliases are errors, not dependencies', () => {
  const m = parsePackageJson('{"dependencies": {"": "1", "x": "npm:", "y": "npm:@scope/real"}}');
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.alias, d.spec]), [['@scope/real', 'y', '']]);
  assert.deepEqual(m.errors.map((e) => e.message), ['Empty package name', "The alias 'x' does not name a package after 'npm:'"]);
});

test('classifyNpmSpec: sources the way npm reads them', () => {
  const cases: Array<[string, string, string?]> = [
    ['^1.2.3', 'registry'],
    ['', 'registry'],
    ['latest', 'registry'],
    ['>=1 <2 || 3', 'registry'],
    ['npm:real@^1', 'registry', 'real'],
    ['npm:@scope/real@~2', 'registry', '@scope/real'],
    ['git+ssh://git@host/x.git', 'git'],
    ['git://host/x.git#main', 'git'],
    ['git+https://host/x.git', 'git'],
    ['github:user/repo', 'git'],
    ['gitlab:user/repo#v1', 'git'],
    ['bitbucket:user/repo', 'git'],
    ['user/repo', 'git'],
    ['user/repo#semver:^1', 'git'],
    ['git@github.com:user/repo.git', 'git'],
    ['https://host/user/repo.git#v1', 'git'],
    ['https://host/pkg-1.0.0.tgz', 'url'],
    ['http://host/pkg.tgz', 'url'],
    ['file:../x', 'path'],
    ['link:../x', 'path'],
    ['./local', 'path'],
    ['../local', 'path'],
    ['~/local', 'path'],
    ['pkg.tgz', 'path'],
    ['workspace:^', 'workspace'],
  ];
  for (const [spec, source, alias] of cases) {
    const info = classifyNpmSpec(spec);
    assert.equal(info.source, source, spec);
    assert.equal(info.alias?.name, alias, spec);
  }
  const a = classifyNpmSpec('  npm:@s/x@^1 ');
  assert.deepEqual([a.range, a.rangeStart, a.rangeEnd, a.alias?.nameStart, a.alias?.nameEnd], ['^1', 11, 13, 6, 10]);
  assert.deepEqual(splitOverrideKey('@scope/a@>=2'), { name: '@scope/a', selector: '>=2' });
  assert.deepEqual(splitOverrideKey('plain'), { name: 'plain', selector: '' });
});

test('yarn resolutions and pnpm overrides: the last package of the selector is the override', () => {
  const text = [
    '{',
    '  "resolutions": { "**/lodash": "4.17.21", "webpack/@babel/core": "7.0.0", "@s/p/**/@s/q@1": "2", "x": 3 },',
    '  "pnpm": { "overrides": { "foo@1>bar@<2": "2.1.0", "baz": "$baz", "qux": "npm:quux@1" } }',
    '}',
  ].join('\n');
  const m = parsePackageJson(text);
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.spec, d.kind, d.extras?.manager, d.extras?.selector ?? '', d.extras?.parents ?? [], d.alias ?? '']),
    [
      ['lodash', '4.17.21', 'override', 'yarn', '', [], ''],
      ['@babel/core', '7.0.0', 'override', 'yarn', '', ['webpack'], ''],
      ['@s/q', '2', 'override', 'yarn', '1', ['@s/p'], ''],
      ['bar', '2.1.0', 'override', 'pnpm', '<2', ['foo'], ''],
      ['baz', '$baz', 'override', 'pnpm', '', [], ''],
      ['quux', '1', 'override', 'pnpm', '', [], 'qux'],
    ],
  );
  for (const d of m.dependencies) assert.equal(textAt(text, d.nameRange), d.name);
  assert.deepEqual(m.errors.map((e) => [e.message, textAt(text, e.range)]), [["The override of 'x' must be a string", '3']]);
});
