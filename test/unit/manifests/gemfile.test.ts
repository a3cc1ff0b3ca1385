import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGemfile } from '../../../shared/src/manifests/gemfile';
import { lexGemfile } from '../../../shared/src/manifests/gemfileLexer';
import type { Dependency, ParsedManifest, Range } from '../../../shared/src/model';
import { LineIndex } from '../../../shared/src/text/lineIndex';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/manifests/ruby');

function textAt(text: string, range: Range): string {
  const index = new LineIndex(text);
  return text.slice(index.offsetAt(range.start), index.offsetAt(range.end));
}

function gem(m: ParsedManifest, name: string): Dependency {
  const dep = m.dependencies.find((d) => d.name === name);
  assert.ok(dep, `expected gem ${name}`);
  return dep;
}

test('Rails/GitLab-style Gemfile: groups, platforms, sources, git and path gems, modifiers', async () => {
  const text = await readFile(path.join(fixtures, 'rails-app.Gemfile'), 'utf8');
  const m = parseGemfile(text);
  assert.deepEqual(m.errors, []);
  assert.equal(m.kind, 'gemfile');
  assert.equal(m.ecosystem, 'RubyGems');
  assert.equal(m.dependencies.length, 93);

  for (const d of m.dependencies) {
    assert.equal(textAt(text, d.nameRange), d.name, `name range of ${d.name}`);
    if (d.specRange && !d.extras?.requirements) assert.equal(textAt(text, d.specRange), d.spec, `spec range of ${d.name}`);
  }

  const rails = gem(m, 'rails');
  assert.deepEqual([rails.kind, rails.spec, rails.source, rails.group], ['runtime', '~> 7.0.8.4', 'registry', undefined]);
  assert.deepEqual(rails.nameRange, { start: { line: 16, character: 5 }, end: { line: 16, character: 10 } });
  assert.equal(rails.extras?.feature_category, 'shared');

  const bcrypt = gem(m, 'bcrypt');
  assert.equal(bcrypt.spec, '~> 3.1, >= 3.1.14');
  assert.deepEqual(bcrypt.extras?.requirements, ['~> 3.1', '>= 3.1.14']);
  // Several requirements: the range spans from the first to the last, inside the outer quotes.
  assert.equal(textAt(text, bcrypt.specRange as Range), "~> 3.1', '>= 3.1.14");

  assert.deepEqual([gem(m, 'ipaddress').extras?.feature_category], ['shared'], 'hash-rocket options');
  assert.deepEqual(gem(m, 'tzinfo-data').extras?.platforms, ['windows', 'jruby']);
  assert.deepEqual(gem(m, 'mini_racer').extras?.platforms, ['mri']);
  assert.deepEqual(gem(m, 'activerecord-jdbcpostgresql-adapter').extras?.platforms, ['jruby']);

  const multiLine = gem(m, 'gitlab-topology-service-client');
  assert.deepEqual([multiLine.source, multiLine.spec, multiLine.extras?.path], ['path', '~> 0.1', 'vendor/gems/gitlab-topology-service-client']);

  assert.deepEqual([gem(m, 'puma').kind, gem(m, 'puma').group], ['runtime', 'puma']);
  assert.deepEqual([gem(m, 'listen').kind, gem(m, 'listen').group], ['dev', 'development']);
  assert.deepEqual([gem(m, 'rspec-rails').kind, gem(m, 'rspec-rails').group], ['dev', 'development,test']);
  assert.deepEqual([gem(m, 'capybara').kind, gem(m, 'capybara').group], ['dev', 'test']);
  // A group that is also installed outside development/test makes the gem a runtime gem.
  assert.deepEqual([gem(m, 'simplecov').kind, gem(m, 'simplecov').group], ['runtime', 'development,test,coverage']);
  assert.deepEqual(gem(m, 'pry-byebug').extras?.platforms, ['mri']);
  assert.equal(gem(m, 'gitlab-styles').extras?.require, false);
  assert.equal(gem(m, 'prometheus-client-mmap').extras?.require, 'prometheus/client');
  assert.equal(gem(m, 'gitlab-utils').extras?.optionalGroup, true);
  assert.equal(gem(m, 'gitlab-rspec').source, 'path');
  assert.equal(gem(m, 'gitlab-rspec').kind, 'dev');

  assert.deepEqual([gem(m, 'acme-billing').source, gem(m, 'acme-billing').extras?.source], ['registry', 'https://gems.internal.example']);
  assert.deepEqual([gem(m, 'toolbox-core').source, gem(m, 'toolbox-core').extras?.github], ['git', 'acme/toolbox']);
  assert.deepEqual([gem(m, 'ruby-magic').source, gem(m, 'ruby-magic').extras?.ref], ['git', 'a1b2c3d4']);
  assert.deepEqual([gem(m, 'ed25519').source, gem(m, 'ed25519').extras?.tag], ['git', 'v1.3.0']);
  assert.equal(gem(m, 'sidekiq').source, 'path');

  assert.equal(gem(m, 'activerecord-explain-analyze').extras?.condition, "ENV['EXPLAIN_ANALYZE']");
  assert.equal(gem(m, 'stackprof').extras?.condition, '!(RUBY_PLATFORM =~ /java/)');
  assert.equal(gem(m, 'terminal-notifier').extras?.condition, '-> { RUBY_PLATFORM =~ /darwin/ }');
  // The `if ENV.fetch(...)` block before it closed cleanly: no condition leaks onto later gems.
  assert.equal(gem(m, 'bundler-checksum').extras?.condition, undefined);
  // Names computed at run time (`gem lib, …` in a loop) are skipped, not guessed.
  assert.equal(m.dependencies.some((d) => d.name === 'lib'), false);

  assert.deepEqual(m.registryOptions?.map((o) => [o.option, o.value, textAt(text, o.range)]), [
    ['source', 'https://rubygems.org', 'https://rubygems.org'],
  ]);
  assert.deepEqual(m.references?.map((r) => [r.directive, r.value]), [['eval_gemfile', 'Gemfile.local']]);
});

test('both hash syntaxes, quotes, %w groups, nested blocks and trailing modifiers', () => {
  const text = [
    "source 'https://rubygems.org'",
    'gemspec path: "engine"',
    'ruby "3.2"',
    'gem "a", "~> 1.0", ">= 1.0.1", require: false, git: "https://g.test/a.git", branch: "main"',
    "gem 'b', :group => [:development, :test], :require => 'b/setup'",
    "gem 'c', groups: %w[development test]",
    'gem "d", github: "u/d" if ENV["D"]',
    "gem 'e', path: '../e' unless ENV['CI']",
    "group :development do; gem 'f'; end",
    'group :test do',
    '  platforms :mri, :windows do',
    '    gem "g", "1.0"',
    '  end',
    '  source "https://other.test" do',
    '    gem "h"',
    '  end',
    'end',
    'gem("i", ["> 1", "< 2"])',
    'gem "j", { "require" => false }',
    'gem "k", "1.0" # trailing comment',
    "gem 'l', '~> 2' if RUBY_VERSION >= '3.0' && ENV.fetch('X') { 'y' }",
    'unless ENV["NO_M"]',
    '  gem "m"',
    'end',
    'case ENV["DB"]',
    'when "mysql" then gem "mysql2"',
    'else gem "pg"',
    'end',
    'gem "n", install_if: -> { true }',
    'git_source(:corp) { |r| "https://corp.test/#{r}.git" }',
    'gem "o", corp: "team/o"',
    'gem "rails-#{x}"',
    'gem "p", :platforms => :jruby, group: "docs"',
  ].join('\n');
  const m = parseGemfile(text);
  assert.deepEqual(m.errors, []);
  const rows = m.dependencies.map((d) => [d.name, d.kind, d.spec, d.source, d.group ?? '']);
  assert.deepEqual(rows, [
    ['a', 'runtime', '~> 1.0, >= 1.0.1', 'git', ''],
    ['b', 'dev', '', 'registry', 'development,test'],
    ['c', 'dev', '', 'registry', 'development,test'],
    ['d', 'runtime', '', 'git', ''],
    ['e', 'runtime', '', 'path', ''],
    ['f', 'dev', '', 'registry', 'development'],
    ['g', 'dev', '1.0', 'registry', 'test'],
    ['h', 'dev', '', 'registry', 'test'],
    ['i', 'runtime', '> 1, < 2', 'registry', ''],
    ['j', 'runtime', '', 'registry', ''],
    ['k', 'runtime', '1.0', 'registry', ''],
    ['l', 'runtime', '~> 2', 'registry', ''],
    ['m', 'runtime', '', 'registry', ''],
    ['mysql2', 'runtime', '', 'registry', ''],
    ['pg', 'runtime', '', 'registry', ''],
    ['n', 'runtime', '', 'registry', ''],
    ['o', 'runtime', '', 'git', ''],
    ['p', 'runtime', '', 'registry', 'docs'],
  ]);
  for (const d of m.dependencies) assert.equal(textAt(text, d.nameRange), d.name);
  assert.deepEqual(gem(m, 'a').extras, { requirements: ['~> 1.0', '>= 1.0.1'], require: false, git: 'https://g.test/a.git', branch: 'main' });
  assert.equal(gem(m, 'b').extras?.require, 'b/setup');
  assert.deepEqual(gem(m, 'g').extras?.platforms, ['mri', 'windows']);
  assert.equal(gem(m, 'h').extras?.source, 'https://other.test');
  assert.equal(gem(m, 'j').extras?.require, false);
  assert.equal(gem(m, 'd').extras?.condition, 'ENV["D"]');
  assert.equal(gem(m, 'e').extras?.condition, "!(ENV['CI'])");
  assert.equal(gem(m, 'l').extras?.condition, "RUBY_VERSION >= '3.0' && ENV.fetch('X') { 'y' }");
  assert.equal(gem(m, 'm').extras?.condition, '!(ENV["NO_M"])');
  assert.equal(gem(m, 'mysql2').extras?.condition, 'ENV["DB"] when "mysql"');
  assert.equal(gem(m, 'pg').extras?.condition, '!(ENV["DB"] when "mysql")');
  assert.equal(gem(m, 'n').extras?.install_if, '-> { true }');
  assert.deepEqual(gem(m, 'p').extras?.platforms, ['jruby']);
  assert.deepEqual(m.references, [{ directive: 'gemspec', value: 'engine', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 7 } } }]);
  assert.equal(m.registryOptions?.length, 1);
});

test('heredocs, =begin comments, regexps and __END__ do not derail the reader', () => {
  const text = [
    'BANNER = <<~TXT',
    '  gem "not-a-gem"',
    '  end',
    'TXT',
    '=begin',
    'gem "commented-out"',
    '=end',
    'gem "after-heredoc" if RUBY_PLATFORM =~ /x86_64-linux/',
    "gem 'q', %q(1.0)",
    'x = y ? "a" : "b"',
    'gem "last"',
    '__END__',
    'gem "data-section"',
  ].join('\n');
  const m = parseGemfile(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.spec]), [['after-heredoc', ''], ['q', '1.0'], ['last', '']]);
});

test('broken Gemfiles: errors with ranges, and everything readable is still read', () => {
  const text = [
    'gem "ok", "1.0"',
    'gem',
    'gem :sym',
    'gem ""',
    'gem "unterminated',
    'gem "next-line-ok"',
    'end',
    '}',
    'group :test do',
    '  gem "inside"',
  ].join('\n');
  const m = parseGemfile(text);
  assert.deepEqual(m.dependencies.map((d) => [d.name, d.kind]), [['ok', 'runtime'], ['next-line-ok', 'runtime'], ['inside', 'dev']]);
  assert.deepEqual(
    m.errors.map((e) => [e.range.start.line, e.message, textAt(text, e.range)]),
    [
      [4, 'Unterminated string', '"unterminated'],
      [1, 'gem needs a name', 'gem'],
      [2, 'The gem name must be a non-empty string', ':sym'],
      [3, 'The gem name must be a non-empty string', '""'],
      [6, "Unexpected 'end' with no open block", 'end'],
      [7, "Unexpected '}' with no open block", '}'],
      [8, "Block is never closed with 'end'", 'group'],
    ],
  );
});

test('lexer: labels, symbols, string labels and ternaries', () => {
  const { tokens, problems } = lexGemfile('f a: 1, :b => :"c d", "e": x ? y : z, A::B');
  assert.deepEqual(problems, []);
  assert.deepEqual(
    tokens.map((t) => `${t.type}:${t.value}`),
    ['ident:f', 'label:a', 'number:1', 'op:,', 'symbol:b', 'op:=>', 'symbol:c d', 'op:,', 'label:e', 'ident:x', 'op:?', 'ident:y', 'op::', 'ident:z', 'op:,', 'ident:A', 'op:::', 'ident:B'],
  );
});

test('helper methods, endless defs and if-expressions keep blocks balanced', () => {
  const text = [
    'def next?',
    '  File.basename(__FILE__) == "Gemfile.next"',
    'end',
    'def rails_version = "7.1"',
    'RAILS = if next?',
    '  "~> 7.2"',
    'else',
    '  "~> 7.1"',
    'end',
    'if next?',
    '  gem "rails", "~> 7.2"',
    'else',
    '  gem "rails", "~> 7.1"',
    'end',
    'gem "after"',
  ].join('\n');
  const m = parseGemfile(text);
  assert.deepEqual(m.errors, []);
  assert.deepEqual(
    m.dependencies.map((d) => [d.name, d.spec, d.extras?.condition]),
    [
      ['rails', '~> 7.2', 'next?'],
      ['rails', '~> 7.1', '!(next?)'],
      ['after', '', undefined],
    ],
  );
});
