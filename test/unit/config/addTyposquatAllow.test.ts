import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { addTyposquatAllow } from '../../../shared/src/config/addTyposquatAllow';

const cases: Array<{ name: string; before: string; after: string }> = [
  { name: 'empty file', before: '', after: '[typosquat]\nallow = ["reqeusts"]\n' },
  {
    name: 'no typosquat table: appended after a blank line',
    before: '# project settings\n[sandbox]\ntimeout = 60\n',
    after: '# project settings\n[sandbox]\ntimeout = 60\n\n[typosquat]\nallow = ["reqeusts"]\n',
  },
  {
    name: 'no final newline',
    before: '[sandbox]\ntimeout = 60',
    after: '[sandbox]\ntimeout = 60\n\n[typosquat]\nallow = ["reqeusts"]\n',
  },
  {
    name: 'table without allow: the key goes right under the header',
    before: '[typosquat] # checks\nenabled = true\n\n[sandbox]\ntimeout = 60\n',
    after: '[typosquat] # checks\nallow = ["reqeusts"]\nenabled = true\n\n[sandbox]\ntimeout = 60\n',
  },
  { name: 'empty array', before: '[typosquat]\nallow = []\n', after: '[typosquat]\nallow = ["reqeusts"]\n' },
  { name: 'one-line array', before: '[typosquat]\nallow = ["a", \'b\']  # ok\n', after: '[typosquat]\nallow = ["a", \'b\', "reqeusts"]  # ok\n' },
  {
    name: 'multi-line array with trailing comma and comments keeps each comment with its element',
    before: '[typosquat]\nallow = [\n    "a", # why a\n    "b", # why b\n]\n',
    after: '[typosquat]\nallow = [\n    "a", # why a\n    "b", # why b\n    "reqeusts",\n]\n',
  },
  {
    name: 'multi-line array without trailing comma',
    before: '[typosquat]\nallow = [\n  "a",\n  "b" # why b\n]\n',
    after: '[typosquat]\nallow = [\n  "a",\n  "b", # why b\n  "reqeusts"\n]\n',
  },
  {
    name: 'CRLF line endings are kept',
    before: '[sandbox]\r\ntimeout = 60\r\n',
    after: '[sandbox]\r\ntimeout = 60\r\n\r\n[typosquat]\r\nallow = ["reqeusts"]\r\n',
  },
  { name: 'dotted keys at the root', before: 'typosquat.enabled = true\n[sandbox]\n', after: 'typosquat.enabled = true\ntyposquat.allow = ["reqeusts"]\n[sandbox]\n' },
  { name: 'inline table', before: 'typosquat = { enabled = true }\n', after: 'typosquat = { enabled = true, allow = ["reqeusts"] }\n' },
  {
    name: 'dotted keys at the root with a sub-table section: the new line stays at the root',
    before: 'typosquat.enabled = true\ntyposquat.x.y = 1\n\n[typosquat.extra]\nz = 2\n',
    after: 'typosquat.enabled = true\ntyposquat.x.y = 1\ntyposquat.allow = ["reqeusts"]\n\n[typosquat.extra]\nz = 2\n',
  },
  {
    name: 'only a sub-table: a new [typosquat] table, not a key inside the sub-table',
    before: '[typosquat.extra]\nz = 2\n',
    after: '[typosquat.extra]\nz = 2\n\n[typosquat]\nallow = ["reqeusts"]\n',
  },
  {
    name: 'header written after its sub-table, with blanks and quotes',
    before: '[typosquat.extra]\nz = 2\n[ "typosquat" ]\nenabled = true\n',
    after: '[typosquat.extra]\nz = 2\n[ "typosquat" ]\nallow = ["reqeusts"]\nenabled = true\n',
  },
  { name: 'empty inline table', before: 'typosquat = {}\n', after: 'typosquat = { allow = ["reqeusts"] }\n' },
  { name: 'already listed: unchanged', before: '[typosquat]\nallow = ["reqeusts"]\n', after: '[typosquat]\nallow = ["reqeusts"]\n' },
];

for (const { name, before, after } of cases) {
  test(`addTyposquatAllow: ${name}`, () => {
    assert.equal(addTyposquatAllow(before, 'reqeusts'), after);
  });
}

test('entries needing escapes stay valid TOML', () => {
  const entry = 'npm:we"ird\\name';
  const result = addTyposquatAllow('[typosquat]\nallow = ["a"]\n', entry);
  assert.deepEqual((parse(result) as { typosquat: { allow: string[] } }).typosquat.allow, ['a', entry]);
});

test('refuses to edit a file that does not parse or has the wrong shape', () => {
  assert.throws(() => addTyposquatAllow('[typosquat\n', 'x'));
  assert.throws(() => addTyposquatAllow('typosquat = 1\n', 'x'), /not a table/);
  assert.throws(() => addTyposquatAllow('[typosquat]\nallow = "x"\n', 'y'), /not an array/);
});
