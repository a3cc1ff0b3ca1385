import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Ecosystem } from '../../../shared/src/model';
import { InvalidPackageError, parsePackageRequest } from '../../../shared/src/sandbox/names';

test('valid requests become one argv element each', () => {
  assert.equal(parsePackageRequest('PyPI', 'requests==2.32.3').argument, 'requests==2.32.3');
  assert.equal(parsePackageRequest('PyPI', 'Django >=4.2, <5').argument, 'Django>=4.2,<5');
  assert.equal(parsePackageRequest('PyPI', 'uvicorn[standard]~=0.30').argument, 'uvicorn[standard]~=0.30');
  assert.equal(parsePackageRequest('PyPI', 'six@1.16.0').argument, 'six==1.16.0');
  assert.equal(parsePackageRequest('npm', '@types/node@^20').argument, '@types/node@^20');
  assert.equal(parsePackageRequest('npm', 'left-pad').argument, 'left-pad');
  assert.equal(parsePackageRequest('crates.io', 'serde@1.0').argument, 'serde@1.0');
  assert.equal(parsePackageRequest('Go', 'golang.org/x/mod@v0.20.0').argument, 'golang.org/x/mod@v0.20.0');
  assert.equal(parsePackageRequest('Go', 'github.com/pkg/errors').argument, 'github.com/pkg/errors@latest');
  assert.equal(parsePackageRequest('RubyGems', 'rake@13.0.6').spec, '13.0.6');
});

const invalid: Array<[Ecosystem, string]> = [
  ['PyPI', '--index-url=http://evil'],
  ['PyPI', 'pkg @ https://evil/x.whl'],
  ['PyPI', 'pkg; python_version<"4"'],
  ['PyPI', '../../etc/passwd'],
  ['PyPI', 'a$(id)'],
  ['npm', 'git+https://github.com/x/y'],
  ['npm', 'x@file:../y'],
  ['npm', 'x@github:user/repo'],
  ['npm', 'x@npm:evil'],
  ['npm', 'Upper'],
  ['npm', '.hidden'],
  ['npm', 'a;rm -rf ~'],
  ['crates.io', '-Zunstable'],
  ['crates.io', 'serde@1;ls'],
  ['Go', 'example.com/../x'],
  ['Go', 'github.com/x/y@master'],
  ['Go', 'noDot/x'],
  ['RubyGems', 'rake --source http://evil'],
  ['RubyGems', "x\nrm"],
];

for (const [ecosystem, input] of invalid) {
  test(`refuses ${ecosystem} ${JSON.stringify(input)}`, () => {
    assert.throws(() => parsePackageRequest(ecosystem, input), InvalidPackageError);
  });
}
