import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ecosystem } from '../../../shared/src/model';
import { normalizeName } from '../../../shared/src/normalize';
import { loadTyposquatDetector } from '../../../shared/src/typosquat/loadDetector';
import type { PopularNameDetector } from '../../../shared/src/typosquat/createDetector';
import type { TyposquatOperator } from '../../../shared/src/typosquat/detector';

// Runs against the shipped lists (found from source the way the language server finds them beside its bundle).
let detector: PopularNameDetector;
before(async () => {
  detector = await loadTyposquatDetector();
});

function check(ecosystem: Ecosystem, raw: string) {
  return detector.check(ecosystem, normalizeName(ecosystem, raw), raw);
}

/** [ecosystem, name as written, intended, operator, confidence]: real historical squats where known. */
const POSITIVES: Array<[Ecosystem, string, string, TyposquatOperator, 'high' | 'medium' | 'low']> = [
  ['npm', 'crossenv', 'cross-env', 'known-misspelling', 'high'], // 2017 npm credential stealer
  ['npm', 'loadsh', 'lodash', 'known-misspelling', 'high'],
  ['npm', 'electorn', 'electron', 'transposition', 'high'], // 2017 npm squat
  ['PyPI', 'reqeusts', 'requests', 'transposition', 'high'],
  ['PyPI', 'colourama', 'colorama', 'edit-distance', 'high'], // 2018 PyPI clipboard hijacker
  ['PyPI', 'python3-dateutil', 'python-dateutil', 'edit-distance', 'high'], // 2019 PyPI
  ['PyPI', 'jeIlyfish', 'jellyfish', 'homoglyph', 'high'], // 2019 PyPI, capital I for l
  ['crates.io', 'rustdecimal', 'rust-decimal', 'separator', 'high'], // 2022 crates.io
  ['Go', 'github.com/boltdb-go/bolt', 'github.com/boltdb/bolt', 'go-path', 'high'], // 2025 Go module squat
  ['npm', 'lodаsh', 'lodash', 'confusable', 'high'], // Cyrillic а
  ['npm', 'expreѕs', 'express', 'confusable', 'high'], // Cyrillic ѕ
  ['npm', 'reac\u200bt', 'react', 'confusable', 'high'], // zero-width space
  ['PyPI', 'djang0', 'django', 'homoglyph', 'high'],
  ['RubyGems', 'rai1s', 'rails', 'homoglyph', 'high'],
  ['npm', 'node-fetcch', 'node-fetch', 'edit-distance', 'high'],
  ['npm', 'cross_env', 'cross-env', 'separator', 'high'],
  ['npm', '@typescript_eslinter/parser', '@typescript-eslint/parser', 'scope', 'high'],
  ['npm', '@type/node', '@types/node', 'scope', 'high'],
  ['npm', 'types-node', '@types/node', 'scope', 'medium'],
  ['PyPI', 'dateutil-python', 'python-dateutil', 'word-order', 'medium'],
  ['PyPI', 'python-numpy', 'numpy', 'affix', 'medium'],
  ['PyPI', 'py-urllib3', 'urllib3', 'affix', 'medium'],
  ['npm', 'chalk-js', 'chalk', 'affix', 'medium'],
  ['crates.io', 'serde-rs', 'serde', 'affix', 'medium'],
  ['PyPI', 'requests-2', 'requests', 'version-suffix', 'medium'],
  ['npm', 'typescript-eslitn', 'typescript-eslint', 'transposition', 'high'],
  ['npm', 'eslint-config-prettierxx', 'eslint-config-prettier', 'edit-distance', 'medium'], // two edits, long name
  ['Go', 'github.com/stretchrr/testify', 'github.com/stretchr/testify', 'go-path', 'high'],
  ['Go', 'githib.com/stretchr/testify', 'github.com/stretchr/testify', 'go-path', 'high'],
  ['Go', 'go.ubor.org/zap', 'go.uber.org/zap', 'go-path', 'high'],
  ['Go', 'github.com/go-yml/yaml', 'github.com/go-yaml/yaml', 'go-path', 'high'],
  // Only the original's owner can publish these: a likely typo, reported as a warning, not an impostor.
  ['Go', 'github.com/sirupsen/logruss', 'github.com/sirupsen/logrus', 'go-path', 'medium'],
  ['Go', 'github.com/go-kit/kit-go', 'github.com/go-kit/kit', 'go-path', 'medium'],
  ['Go', 'go.uber.org/atomik', 'go.uber.org/atomic', 'go-path', 'medium'],
  ['RubyGems', 'nokogirl', 'nokogiri', 'edit-distance', 'high'], // unranked list: every name in it is widely used
  ['PyPI', 'sklearn', 'scikit-learn', 'wrong-pick', 'low'],
  ['PyPI', 'cv2', 'opencv-python', 'import-name', 'medium'], // an import name nobody popular owns
  ['PyPI', 'jwt', 'PyJWT', 'import-name', 'low'], // a popular, different project
  ['PyPI', 'dateutil', 'python-dateutil', 'import-name', 'medium'],
  ['npm', 'posthog', 'posthog-js', 'affix', 'medium'], // the popular name with its affix dropped
];

/** Benign look-alikes that must not fire: popular names near other popular names, and unrelated names. */
const NEGATIVES: Array<[Ecosystem, string]> = [
  ['npm', 'preact'], ['npm', 'react'], ['npm', 'request'], ['PyPI', 'requests'], ['PyPI', 'request'.concat('s')],
  ['npm', 'lodash-es'], ['npm', '@types/node'], ['PyPI', 'numba'], ['PyPI', 'boto'], ['PyPI', 'boto3'], ['PyPI', 'urllib3'],
  ['npm', 'nuxt'], ['npm', 'colors'], ['npm', 'node-sass'], ['PyPI', 'moto'], ['PyPI', 'toml'], ['PyPI', 'tomli'],
  ['npm', 'ms'], ['npm', 'ws'], ['npm', 'qs'], ['npm', 'JSONStream'], ['PyPI', 'scipy'], ['PyPI', 'scapy'],
  ['PyPI', 'Python_Dateutil'], // PEP 503 spelling of a popular name
  ['Go', 'github.com/sirupsen/logrus'], ['Go', 'github.com/Sirupsen/logrus'], ['Go', 'github.com/SIRUPSEN/LOGRUS'], // case trap
  ['Go', 'github.com/sirupsen/logrus/hooks/syslog'], ['Go', 'gopkg.in/yaml.v2'], ['Go', 'github.com/stretchr/testify/v2'],
  ['Go', 'github.com/acme/internal-tool'],
 ['npm', '@mycorp/lodash'], ['npm', '@babel/coree'], // own scope: only its owner publishes there
  ['npm', 'my-internal-widget'], ['PyPI', 'acme-billing'], ['crates.io', 'serde'], ['crates.io', 'serde_json'], ['RubyGems', 'rails'],
  ['npm', 'abc'], ['PyPI', 'ab'], ['npm', 'yam'], ['PyPI', 'PyYAML'], ['PyPI', 'attrs'], ['PyPI', 'opencv-python'], ['npm', 'cv2'],
];

describe('typosquat detector on the shipped lists', () => {
  for (const [ecosystem, raw, intended, operator, confidence] of POSITIVES) {
    test(`${ecosystem} ${raw} imitates ${intended} (${operator})`, () => {
      const match = check(ecosystem, raw);
      assert.ok(match, `expected a match for ${raw}`);
      assert.equal(match.intended, intended);
      assert.equal(match.operator, operator);
      assert.equal(match.confidence, confidence);
      assert.match(match.reason, /^[^\n]+\.$/, 'one sentence');
      assert.ok(match.reason.includes(intended) || operator === 'wrong-pick', 'the reason names the intended package');
    });
  }
  for (const [ecosystem, raw] of NEGATIVES) {
    test(`${ecosystem} ${raw} is not reported`, () => {
      assert.equal(check(ecosystem, raw), undefined);
    });
  }
  test('an ecosystem without a list reports nothing', async () => {
    const { createTyposquatDetector } = await import('../../../shared/src/typosquat/createDetector');
    assert.equal(createTyposquatDetector({ npm: ['lodash'] }).check('PyPI', 'lodahs'), undefined);
  });
});
