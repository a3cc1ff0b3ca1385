import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { DEFAULT_ENDPOINTS } from '../../../shared/src/registry/defaults';
import { localizePipEntry, matchesGoPrivate, parseCargoConfig, parseGemrc, parseGoproxy, parseNpmrc, parsePipConf, registriesFromToml, resolveEndpoints, type ConfigFileIo } from '../../../shared/src/registry/endpoints';

const HOME = path.join(path.sep, 'home', 'dev');
const PROJECT = path.join(path.sep, 'projects', 'app');

function io(files: Record<string, string>, env: Record<string, string> = {}): ConfigFileIo {
  return { env, homeDir: HOME, projectDir: PROJECT, readText: async (file) => files[file] };
}

describe('package-manager config readers', () => {
  test('npmrc: registry, scoped registries, cafile, ${VAR} expansion; tokens are not read', () => {
    const rc = parseNpmrc('registry=https://npm.corp.example/\n@corp:registry=https://npm.corp.example/private/\n//npm.corp.example/:_authToken=${TOKEN}\ncafile=/etc/corp-ca.pem\n', {});
    assert.equal(rc.registry, 'https://npm.corp.example');
    assert.deepEqual(rc.scopes, { '@corp': 'https://npm.corp.example/private' });
    assert.equal(rc.cafile, '/etc/corp-ca.pem');
    assert.ok(!JSON.stringify(rc).includes('authToken'));
    assert.equal(parseNpmrc('registry=${REG}', { REG: 'https://mirror.example' }).registry, 'https://mirror.example');
  });

  test('pip.conf: index-url, multi-line extra-index-url, cert', () => {
    const conf = parsePipConf('[global]\nindex-url = https://pypi.corp.example/simple/\nextra-index-url =\n    https://a.example/simple\n    https://b.example/simple\ncert = /etc/ca.pem\n');
    assert.equal(conf.indexUrl, 'https://pypi.corp.example/simple');
    assert.equal(conf.cert, '/etc/ca.pem');
    assert.deepEqual(conf.extraIndexUrls, ['https://a.example/simple', 'https://b.example/simple']);
    assert.equal(parsePipConf('[install]\nextra_index_url: https://c.example/simple # not a comment in pip\n').extraIndexUrls[0], 'https://c.example/simple');
  });

  test('GOPROXY lists: comma vs pipe, direct and off', () => {
    assert.deepEqual(parseGoproxy('https://a.example|https://b.example,direct'), [
      { url: 'https://a.example', fallThroughOnError: true },
      { url: 'https://b.example', fallThroughOnError: false },
      { url: 'direct', fallThroughOnError: false },
    ]);
    assert.deepEqual(parseGoproxy('off'), [{ url: 'off', fallThroughOnError: false }]);
  });

  test('GOPRIVATE patterns match path prefixes element by element', () => {
    assert.equal(matchesGoPrivate(['*.corp.example', 'github.com/acme'], 'git.corp.example/team/mod'), true);
    assert.equal(matchesGoPrivate(['github.com/acme'], 'github.com/acme/tool/v2'), true);
    assert.equal(matchesGoPrivate(['github.com/acme'], 'github.com/acmeco/tool'), false);
  });

  test('cargo source replacement: sparse, git, directory', () => {
    assert.deepEqual(parseCargoConfig('[source.crates-io]\nreplace-with = "mirror"\n[source.mirror]\nregistry = "sparse+https://cargo.corp.example/index/"\n'), { name: 'mirror', kind: 'sparse', location: 'https://cargo.corp.example/index' });
    assert.equal(parseCargoConfig('[source.crates-io]\nreplace-with = "vendored"\n[source.vendored]\ndirectory = "vendor"\n')?.kind, 'directory');
    assert.equal(parseCargoConfig('not toml ['), undefined);
  });

  test('gemrc sources', () => {
    assert.deepEqual(parseGemrc('---\n:sources:\n- https://gems.corp.example/\n- https://rubygems.org/\n:update_sources: true\n'), ['https://gems.corp.example', 'https://rubygems.org']);
    assert.deepEqual(parseGemrc(': : :'), []);
  });

  test('[registries] of safe-install.toml', () => {
    assert.deepEqual(registriesFromToml({ npm: 'https://n.example/', pypi_extra_indexes: ['https://p.example/simple/'], bogus: 1 }), { npm: 'https://n.example', pypiExtraIndexes: ['https://p.example/simple'] });
  });
});

describe('resolveEndpoints precedence: package-manager config, then safe-install.toml, then defaults', () => {
  test('defaults when nothing is configured', async () => {
    const e = await resolveEndpoints(io({}));
    assert.equal(e.npm.registry, DEFAULT_ENDPOINTS.npmRegistry);
    assert.deepEqual(e.pypi.indexes, [DEFAULT_ENDPOINTS.pypiSimple]);
    assert.equal(e.pypi.json, DEFAULT_ENDPOINTS.pypiJson);
    assert.deepEqual(e.go.proxies.map((p) => p.url), [DEFAULT_ENDPOINTS.goProxy, 'direct']);
    assert.deepEqual(e.rubygems.sources, [DEFAULT_ENDPOINTS.rubygems]);
  });

  test('safe-install.toml beats defaults; the package managers beat safe-install.toml', async () => {
    const registries = { npm: 'https://toml-npm.example', pypiIndex: 'https://toml-pypi.example/simple', goProxy: 'https://toml-go.example' };
    const fromToml = await resolveEndpoints(io({}), registries);
    assert.equal(fromToml.npm.registry, 'https://toml-npm.example');
    assert.equal(fromToml.pypi.indexes[0], 'https://toml-pypi.example/simple');
    assert.equal(fromToml.go.proxies[0]?.url, 'https://toml-go.example');
    const files = {
      [path.join(HOME, '.npmrc')]: 'registry=https://user-npm.example/\n',
      [path.join(PROJECT, '.npmrc')]: '@acme:registry=https://acme-npm.example/\n',
      [path.join(HOME, '.config', 'pip', 'pip.conf')]: '[global]\nindex-url = https://pip-conf.example/simple\n',
      [path.join(HOME, '.gemrc')]: ':sources:\n- https://gems.corp.example/\n',
      [path.join(HOME, '.cargo', 'config.toml')]: '[source.crates-io]\nreplace-with = "m"\n[source.m]\nregistry = "sparse+https://crates-mirror.example/"\n',
      '/etc/corp-ca.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n',
    };
    const fromPm = await resolveEndpoints(io(files, { GOPROXY: 'https://env-go.example|off', GOPRIVATE: 'github.com/acme', PIP_CERT: '/etc/corp-ca.pem' }), registries);
    assert.equal(fromPm.npm.registry, 'https://user-npm.example');
    assert.equal(fromPm.npm.scopes['@acme'], 'https://acme-npm.example');
    assert.equal(fromPm.pypi.indexes[0], 'https://pip-conf.example/simple');
    assert.equal(fromPm.go.proxies[0]?.url, 'https://env-go.example');
    assert.deepEqual(fromPm.go.privatePatterns, ['github.com/acme']);
    assert.deepEqual(fromPm.rubygems.sources, ['https://gems.corp.example']);
    assert.equal(fromPm.crates.replacement?.location, 'https://crates-mirror.example');
    assert.equal(fromPm.extraCaPem.length, 1);
    // The environment beats files for npm and pip.
    const env = await resolveEndpoints(io(files, { npm_config_registry: 'https://env-npm.example/', PIP_INDEX_URL: 'https://env-pip.example/simple', PIP_EXTRA_INDEX_URL: 'https://x.example/simple https://y.example/simple' }));
    assert.equal(env.npm.registry, 'https://env-npm.example');
    assert.deepEqual(env.pypi.indexes, ['https://env-pip.example/simple', 'https://x.example/simple', 'https://y.example/simple']);
  });
});

describe('pip local indexes and find-links', () => {
  test('pip.conf find-links (several, either spelling) is read', () => {
    assert.deepEqual(parsePipConf('[global]\nfind-links =\n    /srv/wheels\n    https://wheels.example/links.html\n').findLinks, ['/srv/wheels', 'https://wheels.example/links.html']);
    assert.deepEqual(parsePipConf('[install]\nfind_links = ./wheels file:///srv/more\n').findLinks, ['./wheels', 'file:///srv/more']);
    assert.deepEqual(parsePipConf('[global]\nindex-url = https://a.example/simple\n').findLinks, []);
  });

  test('paths become absolute (home for ~, the project folder for relative ones); URLs of any scheme stay as written', () => {
    assert.equal(localizePipEntry('~/wheels', HOME, PROJECT), path.join(HOME, 'wheels'));
    assert.equal(localizePipEntry('wheels/', HOME, PROJECT), path.join(PROJECT, 'wheels'));
    assert.equal(localizePipEntry(path.join(path.sep, 'srv', 'simple'), HOME, PROJECT), path.join(path.sep, 'srv', 'simple'));
    assert.equal(localizePipEntry('file:///srv/simple/', HOME, PROJECT), 'file:///srv/simple');
    assert.equal(localizePipEntry('ftp://mirror.example/simple', HOME, PROJECT), 'ftp://mirror.example/simple');
  });

  test('resolveEndpoints: file:// and path extra indexes and find-links from pip.conf; PIP_FIND_LINKS wins', async () => {
    const files = { [path.join(HOME, '.config', 'pip', 'pip.conf')]: '[global]\nfind-links = vendor/wheels\nextra-index-url = file:///srv/pypi/simple ../shared/simple\n' };
    const e = await resolveEndpoints(io(files));
    assert.deepEqual(e.pypi.indexes, [DEFAULT_ENDPOINTS.pypiSimple, 'file:///srv/pypi/simple', path.join(PROJECT, '..', 'shared', 'simple')]);
    assert.deepEqual(e.pypi.findLinks, [path.join(PROJECT, 'vendor', 'wheels')]);
    assert.ok(e.notes.some((n) => n.includes('find-links')));
    const fromEnv = await resolveEndpoints(io(files, { PIP_FIND_LINKS: '/srv/a /srv/b' }));
    assert.deepEqual(fromEnv.pypi.findLinks, [path.resolve('/srv/a'), path.resolve('/srv/b')]);
    assert.deepEqual((await resolveEndpoints(io({}))).pypi.findLinks, []);
  });
});
