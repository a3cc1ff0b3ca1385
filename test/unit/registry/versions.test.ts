import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cargoToSemverRange, compareGemVersions, gemSatisfies, goPseudoVersionTime, resolveVersion } from '../../../shared/src/registry/versions';
import type { VersionInfo } from '../../../shared/src/registry/types';

const v = (...versions: string[]): VersionInfo[] => versions.map((version) => ({ version }));

describe('resolveVersion', () => {
  test('npm: dist-tag latest wins when it satisfies; otherwise the highest match; tags as specs', () => {
    const versions = v('1.0.0', '1.5.0', '2.0.0', '2.1.0-beta.1');
    assert.equal(resolveVersion('npm', '^1.0.0', versions, { latest: '2.0.0' }), '1.5.0');
    assert.equal(resolveVersion('npm', '', versions, { latest: '2.0.0' }), '2.0.0');
    assert.equal(resolveVersion('npm', '*', versions, { latest: '1.0.0' }), '1.0.0');
    assert.equal(resolveVersion('npm', 'next', versions, { latest: '2.0.0', next: '2.1.0-beta.1' }), '2.1.0-beta.1');
    assert.equal(resolveVersion('npm', 'github:a/b', versions, {}), undefined);
  });

  test('cargo: a bare version is a caret requirement; yanked versions are skipped', () => {
    assert.equal(cargoToSemverRange('1.2'), '>=1.2.0 <2.0.0-0');
    const versions: VersionInfo[] = [{ version: '0.3.0' }, { version: '0.3.1', yanked: true }, { version: '0.3.2', yanked: true }, { version: '0.4.0' }];
    assert.equal(resolveVersion('crates.io', '0.3', versions), '0.3.0');
    assert.equal(resolveVersion('crates.io', '>=0.3, <1', versions), '0.4.0');
  });

  test('RubyGems: pessimistic operator and Gem::Version ordering', () => {
    assert.ok(gemSatisfies('7.1.3', '~> 7.1'));
    assert.ok(!gemSatisfies('8.0.0', '~> 7.1'));
    assert.ok(gemSatisfies('1.2.9', '~> 1.2.3'));
    assert.ok(!gemSatisfies('1.3.0', '~> 1.2.3'));
    assert.ok(compareGemVersions('1.0.0.pre', '1.0.0') < 0);
    assert.ok(compareGemVersions('1.10', '1.9') > 0);
    assert.equal(resolveVersion('RubyGems', '~> 7.0, >= 7.0.1', v('7.0.0', '7.0.4', '7.1.0', '7.2.0.beta1', '8.0.0')), '7.1.0');
  });

  test('PyPI: PEP 440 specifiers, prereleases excluded, yanked skipped unless pinned', () => {
    const versions: VersionInfo[] = [{ version: '1.0' }, { version: '1.4.2' }, { version: '2.0.0', yanked: true }, { version: '2.1rc1' }, { version: '1.10.0' }];
    assert.equal(resolveVersion('PyPI', '>=1.0,<2', versions), '1.10.0');
    assert.equal(resolveVersion('PyPI', '~=1.4.0', versions), '1.4.2');
    assert.equal(resolveVersion('PyPI', '', versions), '1.10.0');
    assert.equal(resolveVersion('PyPI', '==2.0.0', versions), '2.0.0');
    assert.equal(resolveVersion('PyPI', '==1.*', versions), '1.10.0');
  });

  test('Go: required versions as written, pseudo-version dates', () => {
    assert.equal(resolveVersion('Go', 'v1.2.3', []), 'v1.2.3');
    assert.equal(resolveVersion('Go', 'v2.0.0+incompatible', []), 'v2.0.0+incompatible');
    assert.equal(goPseudoVersionTime('v0.0.0-20191109021931-daa7c04131f5')?.toISOString(), '2019-11-09T02:19:31.000Z');
    assert.equal(goPseudoVersionTime('v1.2.4-0.20191109021931-daa7c04131f5')?.toISOString(), '2019-11-09T02:19:31.000Z');
    assert.equal(goPseudoVersionTime('v1.2.3'), undefined);
  });
});
