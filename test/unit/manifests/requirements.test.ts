import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { parsePep508, parseRequirements } from '../../../shared/src/manifests/requirements';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'manifests', 'python');

/** The file text a range covers, through the same offsets the editor uses. */
function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function dep(manifest: ParsedManifest, name: string): Dependency {
  const found = manifest.dependencies.find((d) => d.name === name);
  assert.ok(found, `dependency ${name} not found; have ${manifest.dependencies.map((d) => d.name).join(', ')}`);
  return found;
}

/** Every name and spec range points at exactly the characters of that name and spec. */
function assertRangesExact(text: string, manifest: ParsedManifest, except: string[] = []): void {
  for (const d of manifest.dependencies) {
    if (except.includes(d.name)) continue;
    assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
    else assert.equal(d.spec, '', `${d.name} has a spec but no range`);
    assert.equal(d.ecosystem, 'PyPI');
  }
}

test('PEP 508: name, extras, specifiers, marker and direct references', () => {
  const r = parsePep508('requests [security , socks]>=2.8.1, ==2.8.* ; python_version < "2.7"');
  assert.ok(r.ok);
  assert.equal(r.requirement.name, 'requests');
  assert.deepEqual(r.requirement.extras, ['security', 'socks']);
  assert.equal(r.requirement.spec, '>=2.8.1, ==2.8.*');
  assert.equal(r.requirement.marker, 'python_version < "2.7"');
  const url = parsePep508('pip @ https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee ; python_version >= "3"');
  assert.ok(url.ok);
  assert.equal(url.requirement.url, 'https://github.com/pypa/pip/archive/1.3.1.zip#sha1=da9234ee');
  assert.equal(url.requirement.spec, '');
  const paren = parsePep508('numpy (>=1.24, <2)');
  assert.ok(paren.ok);
  assert.equal(paren.requirement.spec, '>=1.24, <2');
});

test('PEP 508: rejects what pip rejects, with the place of the problem', () => {
  for (const [input, at] of [
    ['==1.0', 0],
    ['foo==', 3],
    ['foo[bar', 3],
    ['foo >=1,', 8],
    ['foo ; ', 4],
    ['foo bar', 4],
    ['foo (>=1', 8],
    ['foo ; python_version < "3', 4],
    ['foo-', 3],
  ] as const) {
    const r = parsePep508(input);
    assert.equal(r.ok, false, input);
    if (!r.ok) assert.equal(r.start, at, `${input}: ${r.message}`);
  }
});

test('requirements: comments, hashes across continuation lines, markers, exact ranges', () => {
  const text = [
    '# top comment',
    'django==4.2.7 \\',
    '    --hash=sha256:aaa \\',
    '    --hash=sha256:bbb',
    '    # via -r requirements.in',
    'requests[socks] >= 2.31 ; python_version >= "3.8"  # trailing',
    'url-frag @ https://x.example/a.whl#sha256=00',
  ].join('\n');
  const m = parseRequirements(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.spec, d.kind, d.source]),
    [
      ['django', '==4.2.7', 'runtime', 'registry'],
      ['requests', '>= 2.31', 'runtime', 'registry'],
      ['url-frag', '', 'runtime', 'url'],
    ],
  );
  const django = dep(m, 'django');
  assert.deepEqual(django.nameRange, { start: { line: 1, character: 0 }, end: { line: 1, character: 6 } });
  assert.deepEqual(django.extras?.hashes, ['sha256:aaa', 'sha256:bbb']);
  const requests = dep(m, 'requests');
  assert.deepEqual(requests.extras, { extras: ['socks'], markers: 'python_version >= "3.8"' });
  assert.deepEqual(requests.nameRange.start, { line: 5, character: 0 });
  assert.equal(dep(m, 'url-frag').extras?.url, 'https://x.example/a.whl#sha256=00');
  assertRangesExact(text, m);
});

test('requirements: a name split by a continuation keeps both ends exact', () => {
  const text = 'first==1\npkg-with-continuation\\\n-name>=1\n';
  const m = parseRequirements(text);
  const d = dep(m, 'pkg-with-continuation-name');
  assert.deepEqual(d.nameRange, { start: { line: 1, character: 0 }, end: { line: 2, character: 5 } });
  assert.equal(textAt(text, d.specRange as Range), '>=1');
});

test('requirements: CRLF and lone CR line endings keep positions', () => {
  for (const eol of ['\r\n', '\r']) {
    const text = ['alpha==1', 'beta>=2 \\', '  --hash=sha256:ff', 'gamma'].join(eol);
    const m = parseRequirements(text);
    assert.deepEqual(m.dependencies.map((d) => d.name), ['alpha', 'beta', 'gamma']);
    assert.deepEqual(dep(m, 'gamma').nameRange.start, { line: 3, character: 0 });
    assertRangesExact(text, m);
  }
});

test('requirements: includes, editables, VCS, URLs, wheels and registry options', () => {
  const text = [
    '-r base.txt',
    '--requirement=dev.txt',
    '-rshort.txt',
    '-c constraints.txt',
    '-i https://mirror.example/simple',
    '--extra-index-url https://extra.example/simple --trusted-host extra.example',
    '-f ./wheels',
    '-e git+https://github.com/org/repo.git@v1#egg=my-pkg',
    '-e .',
    'git+ssh://git@github.com/org/tool.git#egg=tool_x&subdirectory=py',
    'https://files.example/p/some-lib-2.0.tar.gz',
    './dist/foo_bar-1.0-py3-none-any.whl ; sys_platform == "linux"',
    'name_at @ file:///opt/src/name_at',
  ].join('\n');
  const m = parseRequirements(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.includes?.map((i) => [i.path, i.kind, textAt(text, i.range)]),
    [
      ['base.txt', 'requirements', 'base.txt'],
      ['dev.txt', 'requirements', 'dev.txt'],
      ['short.txt', 'requirements', 'short.txt'],
      ['constraints.txt', 'constraints', 'constraints.txt'],
    ],
  );
  assert.deepEqual(
    m.registryOptions?.map((o) => [o.option, o.value, textAt(text, o.range)]),
    [
      ['--index-url', 'https://mirror.example/simple', 'https://mirror.example/simple'],
      ['--extra-index-url', 'https://extra.example/simple', 'https://extra.example/simple'],
      ['--trusted-host', 'extra.example', 'extra.example'],
      ['--find-links', './wheels', './wheels'],
    ],
  );
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.source, d.extras?.editable ?? false]),
    [
      ['my-pkg', 'git', true],
      ['tool_x', 'git', false],
      ['some-lib', 'url', false],
      ['foo_bar', 'path', false],
      ['name_at', 'path', false],
    ],
  );
  assert.equal(dep(m, 'foo_bar').extras?.markers, 'sys_platform == "linux"');
  assert.equal(dep(m, 'foo_bar').normalizedName, 'foo-bar');
  assertRangesExact(text, m);
});

test('requirements: constraints files give kind constraint', () => {
  const m = parseRequirements('urllib3<2\ncertifi==2024.2.2\n', { constraints: true });
  assert.deepEqual(m.dependencies.map((d) => d.kind), ['constraint', 'constraint']);
});

test('requirements: bad lines become errors on the right characters, the rest still parses', () => {
  const text = 'good==1\nbad==\n=noname\n--bogus-option x\n-r\nalso-good\nfoo bar baz\n';
  const m = parseRequirements(text);
  assert.deepEqual(m.dependencies.map((d) => d.name), ['good', 'also-good']);
  assert.deepEqual(
    m.errors.map((e) => [e.range.start.line, textAt(text, e.range)]),
    [
      [1, '=='],
      [2, '=noname'],
      [3, '--bogus-option'],
      [4, '-r'],
      [6, 'bar baz'],
    ],
  );
  assert.match(m.errors[2]?.message ?? '', /unknown option/);
});

test('fixture: pip-compile lock file with hashes and markers (700 lines)', async () => {
  const text = await readFile(path.join(fixtures, 'requirements-lock.txt'), 'utf8');
  const m = parseRequirements(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.dependencies.length, 137);
  assertRangesExact(text, m);
  for (const d of m.dependencies) {
    const hashes = d.extras?.hashes;
    assert.ok(Array.isArray(hashes) && hashes.length >= 1, `${d.name} has hashes`);
    for (const h of hashes) assert.match(h, /^sha256:[0-9a-f]{64}$/);
    assert.match(d.spec, /^==\S+$/);
  }
  const greenlet = dep(m, 'greenlet');
  assert.match(String(greenlet.extras?.markers), /^platform_machine == "aarch64" or \(/);
  assert.equal(dep(m, 'connexion').extras?.extras?.toString(), 'flask');
  assert.equal(dep(m, 'async-timeout').extras?.markers, 'python_version < "3.11"');
  assert.equal(dep(m, 'setuptools').spec, '==69.0.3');
  assert.deepEqual(
    m.registryOptions?.map((o) => o.option),
    ['--index-url', '--extra-index-url', '--trusted-host'],
  );
});

test('fixture: constraints file in the style of a large project', async () => {
  const text = await readFile(path.join(fixtures, 'constraints-3.11.txt'), 'utf8');
  const m = parseRequirements(text, { constraints: true });
  assert.deepEqual(m.errors, []);
  assert.equal(m.dependencies.length, 137);
  assert.ok(m.dependencies.every((d) => d.kind === 'constraint' && d.spec.startsWith('==')));
  assertRangesExact(text, m);
});

test('fixture: edge cases pip accepts', async () => {
  const text = await readFile(path.join(fixtures, 'requirements-edge.txt'), 'utf8');
  const m = parseRequirements(text);
  assertRangesExact(text, m, ['pkg-with-continuation-name']);
  assert.deepEqual(
    m.dependencies.map((d) => d.name),
    [
      'Django', 'requests', 'numpy', 'Flask_SQLAlchemy', 'zope.interface', 'typing_extensions', 'pywin32', 'black',
      'pkg-with-continuation-name', 'example-toolkit', 'fast_parser', 'merc-pkg', 'some_lib', 'local_wheel', 'mylib',
      'localpkg', 'indented-package',
    ],
  );
  assert.equal(dep(m, 'Flask_SQLAlchemy').normalizedName, 'flask-sqlalchemy');
  assert.equal(dep(m, 'zope.interface').normalizedName, 'zope-interface');
  assert.equal(dep(m, 'merc-pkg').extras?.vcs, 'hg');
  assert.equal(dep(m, 'mylib').source, 'git');
  assert.equal(dep(m, 'typing_extensions').spec, '===4.9.0');
  assert.deepEqual(m.includes?.map((i) => i.path), ['base.txt', 'dev/more.txt', 'constraints.txt', '../shared/constraints.txt']);
  assert.deepEqual(
    m.registryOptions?.map((o) => o.option),
    ['--index-url', '--index-url', '--find-links', '--no-index'],
  );
  assert.deepEqual(
    m.errors.map((e) => textAt(text, e.range)),
    ['==', '=bad-name'],
  );
});

test('requirements: quoted option values are unquoted and their ranges exclude the quotes', () => {
  const text = `-e "git+https://x.example/a.git#egg=quoted-pkg"\n-r 'my reqs.txt'\n--index-url="https://m.example/simple"`;
  const m = parseRequirements(text);
  assert.deepEqual(m.errors, []);
  assert.equal(textAt(text, dep(m, 'quoted-pkg').nameRange), 'quoted-pkg');
  assert.deepEqual(m.includes?.map((i) => [i.path, textAt(text, i.range)]), [['my reqs.txt', 'my reqs.txt']]);
  assert.equal(textAt(text, m.registryOptions?.[0]?.range as Range), 'https://m.example/simple');
});
