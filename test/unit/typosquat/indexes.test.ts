import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isAdjacentSwap, isOneEditApart, osaDistance } from '../../../shared/src/typosquat/osa';
import { DeletionIndex, deletionVariants, forEachVariantHash } from '../../../shared/src/typosquat/deletionIndex';
import { LongNameIndex } from '../../../shared/src/typosquat/longNameIndex';
import { asciiFold, separatorKey, visualSkeleton } from '../../../shared/src/typosquat/lookalike';
import { stripAffixes, stripVersionSuffix } from '../../../shared/src/typosquat/affixes';
import { describeOneEdit } from '../../../shared/src/typosquat/explain';

/** Unbounded textbook OSA, the reference the bounded one is checked against. */
function referenceOsa(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** Deterministic pseudo-random strings over a small alphabet, so near neighbours are common. */
function* randomNames(seed: number, count: number): Generator<string> {
  let x = seed;
  const next = () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0), x);
  for (let i = 0; i < count; i++) {
    const len = 3 + (next() % 12);
    let s = '';
    for (let k = 0; k < len; k++) s += 'abcde-'[next() % 6];
    yield s;
  }
}

describe('optimal string alignment distance', () => {
  test('a swap of neighbours costs one, unlike plain Levenshtein', () => {
    assert.equal(osaDistance('electorn', 'electron', 3), 1);
    assert.equal(osaDistance('colourama', 'colorama', 3), 1);
    assert.equal(osaDistance('abc', 'abc', 0), 0);
    assert.equal(osaDistance('ca', 'abc', 5), 3); // OSA, not Damerau: no edits inside a swapped pair
  });
  test('bounded result agrees with the reference or says "more than max"', () => {
    const names = [...randomNames(7, 300)];
    for (let i = 0; i + 1 < names.length; i++) {
      const a = names[i]!, b = names[i + 1]!;
      const ref = referenceOsa(a, b);
      for (const max of [0, 1, 2, 3]) assert.equal(osaDistance(a, b, max), Math.min(ref, max + 1), `${a} ${b} max ${max}`);
    }
  });
  test('isOneEditApart is OSA distance exactly one', () => {
    const names = [...randomNames(5, 3000)];
    for (let i = 0; i + 1 < names.length; i++) {
      const a = names[i]!;
      for (const b of [names[i + 1]!, a.slice(1), a + 'e', a.slice(0, 1) + 'x' + a.slice(2), a[1]! + a[0]! + a.slice(2)]) {
        assert.equal(isOneEditApart(a, b), referenceOsa(a, b) === 1, `${a} ${b}`);
      }
    }
  });
  test('isAdjacentSwap', () => {
    assert.equal(isAdjacentSwap('reqeusts', 'requests'), true);
    assert.equal(isAdjacentSwap('requests', 'requests'), false);
    assert.equal(isAdjacentSwap('reqiests', 'requests'), false);
  });
});

describe('deletion index', () => {
  test('finds exactly the names within one edit, as brute force does', () => {
    const names = [...new Set(randomNames(11, 2000))];
    const index = new DeletionIndex(names, names.keys());
    for (const q of randomNames(12, 500)) {
      const expected = names.flatMap((n, id) => (n !== q && referenceOsa(q, n) === 1 ? [id] : [])).sort((x, y) => x - y);
      assert.deepEqual(index.within1(q).sort((x, y) => x - y), expected, q);
      assert.equal(index.best1(q), expected[0] ?? -1);
    }
  });
  test('a deletion hash computed from prefix and suffix equals the hash of the deleted string itself', () => {
    const fullHash = (s: string) => {
      let first = -1;
      forEachVariantHash(s, (h) => (first = first < 0 ? h : first));
      return first;
    };
    for (const name of randomNames(3, 400)) {
      const viaRolling: number[] = [];
      forEachVariantHash(name, (h) => viaRolling.push(h));
      assert.deepEqual(viaRolling, deletionVariants(name).map(fullHash), name);
    }
    assert.notEqual(fullHash('ab'), fullHash('ba'));
  });
  test('variants skip repeated deletions of equal neighbours', () => {
    assert.deepEqual(deletionVariants('aab'), ['aab', 'ab', 'aa']);
  });
});

describe('long-name index', () => {
  test('returns the most popular name at distance exactly two, only for long names', () => {
    const names = ['eslint-config-prettier', 'eslint-config-prettiex', 'short', 'eslint-plugin-prettier'];
    const index = new LongNameIndex(names, names.keys(), 12);
    assert.equal(index.best2('eslint-config-prettierxx'), 0);
    assert.equal(index.best2('eslint-config-pretteirx'), 0); // swap + insert
    assert.equal(index.best2('shrt'), -1); // too short to get two edits
    assert.equal(index.best2('eslint-config-prettier'), -1); // distance 0 is not two
  });
  test('agrees with brute force on random long names', () => {
    const names = [...new Set(randomNames(21, 3000))].filter((n) => n.length >= 9);
    const index = new LongNameIndex(names, names.keys(), 9);
    for (const q of [...randomNames(22, 400)].filter((n) => n.length >= 9)) {
      const expected = names.findIndex((n) => referenceOsa(q, n) === 2);
      assert.equal(index.best2(q), expected, q);
    }
  });
});

describe('look-alike keys', () => {
  test('separators and case', () => {
    assert.equal(separatorKey('Cross_Env'), separatorKey('cross-env'));
    assert.equal(separatorKey('rust.decimal'), 'rustdecimal');
  });
  test('Unicode confusables fold to ASCII; ASCII stays put', () => {
    assert.equal(asciiFold('lodаsh'), 'lodash'); // Cyrillic а
    assert.equal(asciiFold('ｒｅａｃｔ'), 'react'); // full-width, NFKC
    assert.equal(asciiFold('rea\u200bct'), 'react');
    assert.equal(asciiFold('Express'), 'express');
  });
  test('ASCII homoglyphs share a skeleton, a lower-case i does not', () => {
    assert.equal(visualSkeleton('jeIlyfish'), visualSkeleton('jellyfish'));
    assert.equal(visualSkeleton('djang0'), visualSkeleton('django'));
    assert.equal(visualSkeleton('modernizr'), visualSkeleton('modemizr'));
    assert.equal(visualSkeleton('vvebpack'), visualSkeleton('webpack'));
    assert.notEqual(visualSkeleton('is-uri'), visualSkeleton('is-url'));
  });
});

describe('affixes and version numbers', () => {
  test('strips one known affix', () => {
    assert.deepEqual(stripAffixes('PyPI', 'python3-dateutil').map((x) => x.core), ['dateutil']);
    assert.deepEqual(stripAffixes('crates.io', 'serde-rs').map((x) => x.core), ['serde']);
    assert.deepEqual(stripAffixes('npm', 'postcss-cli'), []); // a companion, not an affix, on npm
  });
  test('trailing version numbers', () => {
    assert.equal(stripVersionSuffix('requests2'), 'requests');
    assert.equal(stripVersionSuffix('lodash-4'), 'lodash');
    assert.equal(stripVersionSuffix('yaml.v3'), 'yaml');
    assert.equal(stripVersionSuffix('lodash'), undefined);
  });
  test('edit descriptions', () => {
    assert.equal(describeOneEdit('colourama', 'colorama'), "adds 'u'");
    assert.equal(describeOneEdit('expres', 'express'), "drops 's'");
    assert.equal(describeOneEdit('electorn', 'electron'), "swaps 'r' and 'o'");
    assert.equal(describeOneEdit('lodesh', 'lodash'), "has 'e' where it has 'a'");
  });
});
