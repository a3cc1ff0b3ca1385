// The Environment Exposure view's data: the check-env JSON read defensively, grouped, and file locations resolved.
import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { exposureFilePath, groupExposure, parseExposureReport } from '../../../client/src/exposure/exposureReport';

const item = (over: Record<string, unknown>): Record<string, unknown> => ({
  id: 'x', category: 'ssh-keys', severity: 'high', title: 'Key', location: '~/.ssh/id_ed25519', kind: 'openssh-private-key-unencrypted', advice: 'Encrypt it.', ...over,
});

test('parses a report, keeping only documented fields and dropping malformed items', () => {
  const text = JSON.stringify({
    version: 1,
    items: [
      item({ id: 'a', secret: 'AKIAXXXXXXXX' }),
      item({ id: 'b', category: 'cloud-credentials', severity: 'critical', location: '~/.aws/credentials' }),
      item({ id: 'c', category: 'no-such-category' }),
      item({ id: 'd', severity: 'apocalyptic' }),
      'garbage',
    ],
    summary: { critical: 99 },
    sandbox: { docker: true, bwrap: false, mode: 'docker', reason: 'ok' },
  });
  const report = parseExposureReport(text);
  assert.deepEqual(report.items.map((i) => i.id), ['a', 'b']);
  assert.ok(!JSON.stringify(report).includes('AKIA'), 'undocumented fields never reach the view');
  assert.equal(report.summary.critical, 1, 'the summary is recounted, not trusted');
  assert.equal(report.sandbox.mode, 'docker');
  assert.throws(() => parseExposureReport('not json'), /did not print a JSON report/);
  assert.throws(() => parseExposureReport('{"version":2,"items":[]}'), /unknown report format/);
});

test('groups follow the report order, most severe first inside a group', () => {
  const report = parseExposureReport(JSON.stringify({ version: 1, items: [
    item({ id: '1', category: 'secret-variables', severity: 'medium', location: '$B' }),
    item({ id: '2', category: 'ssh-keys', severity: 'low' }),
    item({ id: '3', category: 'secret-variables', severity: 'critical', location: '$A' }),
  ], sandbox: {} }));
  const groups = groupExposure(report.items);
  assert.deepEqual(groups.map((g) => [g.title, g.worst, g.items.map((i) => i.id)]), [
    ['SSH and signing keys', 'low', ['2']],
    ['Secret environment variables', 'critical', ['3', '1']],
  ]);
});

test('locations resolve to files under home or the workspace; variables are not files', () => {
  assert.deepEqual(exposureFilePath('~/.aws/credentials', '/home/me', '/ws', path.posix.join), { file: '/home/me/.aws/credentials' });
  assert.deepEqual(exposureFilePath('~/.bash_history:12', '/home/me', undefined, path.posix.join), { file: '/home/me/.bash_history', line: 12 });
  assert.deepEqual(exposureFilePath('config/.env.production', '/home/me', '/ws', path.posix.join), { file: '/ws/config/.env.production' });
  assert.equal(exposureFilePath('$GITHUB_TOKEN', '/home/me', '/ws', path.posix.join), undefined);
  assert.equal(exposureFilePath('docker socket', '/home/me', '/ws', path.posix.join), undefined);
  assert.equal(exposureFilePath('config/.env', '/home/me', undefined, path.posix.join), undefined);
});
