import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';
import { parsePyproject } from '../../../shared/src/manifests/pyproject';

const fixtures = path.join(__dirname, '..', '..', 'fixtures', 'manifests', 'python');

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function dep(manifest: ParsedManifest, name: string, group?: string): Dependency {
  const found = manifest.dependencies.find((d) => d.name === name && (group === undefined || d.group === group));
  assert.ok(found, `dependency ${name}/${group ?? ''} not found; have ${manifest.dependencies.map((d) => `${d.name}/${d.group ?? ''}`).join(', ')}`);
  return found;
}

function assertRangesExact(text: string, manifest: ParsedManifest): void {
  for (const d of manifest.dependencies) {
    assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
    else if (d.extras?.constraints === undefined) assert.equal(d.spec, '', `${d.name} has a spec but no range`);
  }
}

test('PEP 621, PEP 735 and build-system sections, with kinds and groups', () => {
  const text = [
    '[build-system]',
    'requires = ["setuptools>=61", "wheel"]',
    '[project]',
    'dependencies = [',
    '  "requests[socks]>=2.31 ; python_version>=\'3.8\'",',
    "  'literal==1.0',",
    ']',
    '[project.optional-dependencies]',
    'docs = ["sphinx>=7"]',
    '[dependency-groups]',
    'dev = ["pytest>=8", {include-group = "lint"}]',
    'lint = ["ruff"]',
    'notebooks = ["jupyterlab"]',
  ].join('\n');
  const m = parsePyproject(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.spec, d.kind, d.group ?? '']),
    [
      ['requests', '>=2.31', 'runtime', ''],
      ['literal', '==1.0', 'runtime', ''],
      ['sphinx', '>=7', 'optional', 'docs'],
      ['pytest', '>=8', 'dev', 'dev'],
      ['ruff', '', 'dev', 'lint'],
      ['jupyterlab', '', 'optional', 'notebooks'],
      ['setuptools', '>=61', 'build', ''],
      ['wheel', '', 'build', ''],
    ],
  );
  assertRangesExact(text, m);
  assert.deepEqual(dep(m, 'requests').nameRange, { start: { line: 4, character: 3 }, end: { line: 4, character: 11 } });
  assert.deepEqual(dep(m, 'requests').extras, { extras: ['socks'], markers: "python_version>='3.8'" });
});

test('escapes inside a TOML string still map the name to the real characters', () => {
  const text = '[project]\ndependencies = ["\\u0072equests>=2", "a\\tb"]\n';
  const m = parsePyproject(text);
  const requests = dep(m, 'requests');
  assert.equal(textAt(text, requests.nameRange), '\\u0072equests');
  assert.equal(textAt(text, requests.specRange as Range), '>=2');
  assert.equal(m.errors.length, 1, 'a tab inside a requirement is an error');
  assert.equal(m.errors[0]?.range.start.line, 1);
});

test('include-group naming a missing group is an error; other entry types are errors', () => {
  const text = '[dependency-groups]\ndev = [{include-group = "nope"}, 5, "ok"]\n';
  const m = parsePyproject(text);
  assert.deepEqual(m.dependencies.map((d) => d.name), ['ok']);
  assert.deepEqual(m.errors.map((e) => textAt(text, e.range)), ['nope', '5']);
});

test('fixture: PEP 621 project with uv settings', async () => {
  const text = await readFile(path.join(fixtures, 'pyproject-pep621.toml'), 'utf8');
  const m = parsePyproject(text);
  assert.deepEqual(m.errors, []);
  assertRangesExact(text, m);
  assert.equal(m.dependencies.filter((d) => d.kind === 'runtime').length, 9);
  assert.deepEqual(
    m.dependencies.filter((d) => d.name === 'numpy').map((d) => [d.spec, d.extras?.markers]),
    [['>=1.23.2', "python_version == '3.11'"], ['>=1.22.4', "python_version < '3.11'"]],
  );
  assert.equal(dep(m, 'pyarrow').spec, '>=10.0.1');
  assert.equal(dep(m, 'importlib-metadata').extras?.markers, 'python_version < "3.10"');
  const priv = dep(m, 'private-lib');
  assert.equal(priv.source, 'git');
  assert.equal(priv.extras?.url, 'git+https://git.example.org/data/private-lib.git@v2');
  assert.deepEqual(
    m.dependencies.filter((d) => d.kind === 'build').map((d) => d.name),
    ['setuptools', 'setuptools-scm', 'wheel'],
  );
  assert.equal(dep(m, 'odfpy').group, 'excel');
  assert.equal(dep(m, 'coverage', 'test').kind, 'dev');
  assert.equal(dep(m, 'jupyterlab').kind, 'optional');
  assert.equal(dep(m, 'pre-commit').kind, 'dev');
  assert.equal(dep(m, 'grpcio').kind, 'constraint');
  assert.equal(dep(m, 'typing_extensions').normalizedName, 'typing-extensions');
  assert.deepEqual(
    m.registryOptions?.map((o) => [o.option, o.value, textAt(text, o.range)]),
    [
      ['tool.uv.index', 'https://pypi.internal.example/simple', 'https://pypi.internal.example/simple'],
      ['tool.uv.index-url', 'https://mirror.example.org/simple', 'https://mirror.example.org/simple'],
      ['tool.uv.extra-index-url', 'https://extra.example.org/simple', 'https://extra.example.org/simple'],
    ],
  );
});

test('fixture: Poetry project with groups, inline tables and constraint arrays', async () => {
  const text = await readFile(path.join(fixtures, 'pyproject-poetry.toml'), 'utf8');
  const m = parsePyproject(text);
  assert.deepEqual(m.errors, []);
  assertRangesExact(text, m);
  assert.ok(!m.dependencies.some((d) => d.name === 'python'), 'python is the interpreter, not a package');
  assert.equal(m.dependencies.length, 20);
  assert.deepEqual(dep(m, 'uvicorn').extras, { extras: ['standard'] });
  assert.equal(dep(m, 'uvicorn').spec, '^0.27.0');
  assert.equal(dep(m, 'SQLAlchemy').normalizedName, 'sqlalchemy');
  const numpy = dep(m, 'numpy');
  assert.equal(numpy.spec, '<1.25 || ^1.26');
  assert.deepEqual(numpy.extras?.constraints, ['<1.25 (python <3.9)', '^1.26 (python >=3.9)']);
  assert.equal(numpy.specRange, undefined, 'two constraints: no single place in the file');
  assert.deepEqual([dep(m, 'internal-auth').source, dep(m, 'internal-auth').extras?.tag], ['git', 'v3.1.0']);
  assert.deepEqual([dep(m, 'shared-models').source, dep(m, 'shared-models').extras?.develop], ['path', true]);
  assert.equal(dep(m, 'legacy-client').source, 'url');
  assert.equal(dep(m, 'redis').kind, 'optional');
  assert.equal(dep(m, 'boto3').extras?.source, 'private');
  assert.deepEqual([dep(m, 'pytest').kind, dep(m, 'pytest').group], ['dev', 'dev']);
  assert.deepEqual([dep(m, 'mkdocs-material').kind, dep(m, 'mkdocs-material').group], ['dev', 'docs']);
  assert.deepEqual([dep(m, 'locust').kind, dep(m, 'locust').group], ['optional', 'perf']);
  assert.deepEqual([dep(m, 'black').kind, dep(m, 'black').group], ['dev', 'dev']);
  assert.equal(dep(m, 'poetry-core').kind, 'build');
  assert.deepEqual(m.registryOptions?.map((o) => [o.option, o.value]), [['tool.poetry.source', 'https://pypi.internal.example/simple/']]);
});

test('broken TOML: one parse error where smol-toml stopped, deps before and after it still read', () => {
  const text = [
    '[project]',
    'dependencies = [',
    '  "requests>=2",',
    '  "flask",',
    '[tool.poetry.dependencies]',
    'django = "^4"',
    '[dependency-groups]',
    'dev = ["pytest"]',
  ].join('\n');
  const m = parsePyproject(text);
  assert.equal(m.errors.length, 1);
  assert.equal(m.errors[0]?.range.start.line, 4);
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.kind]), [['requests', 'runtime'], ['flask', 'runtime'], ['pytest', 'dev'], ['django', 'runtime']]);
  assertRangesExact(text, m);
});

test('invalid requirement strings are errors on the offending characters', () => {
  const text = '[project]\ndependencies = ["good", "bad==", "=nope"]\n';
  const m = parsePyproject(text);
  assert.deepEqual(m.dependencies.map((d) => d.name), ['good']);
  assert.deepEqual(m.errors.map((e) => textAt(text, e.range)), ['==', '=nope']);
});
