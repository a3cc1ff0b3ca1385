import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Log } from 'sarif';
import type { CliIo } from '../../shared/src/cli/command';
import { exitCodeFor } from '../../shared/src/cli/commands/scan';
import { formatSarif } from '../../shared/src/cli/format/sarif';
import { formatText, useColour } from '../../shared/src/cli/format/text';
import { runCli } from '../../shared/src/cli/runCli';
import type { ReportFinding, ScanReport } from '../../shared/src/cli/scanReport';
import { UsageError } from '../../shared/src/cli/usageError';

function finding(overrides: Partial<ReportFinding>): ReportFinding {
  return {
    file: 'requirements.txt',
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 9,
    ecosystem: 'PyPI',
    package: 'reqeusts',
    rule: 'typosquat',
    severity: 'error',
    message: "'reqeusts' looks like 'requests'",
    suggestion: 'requests',
    ...overrides,
  };
}

function report(findings: ReportFinding[]): ScanReport {
  return { version: 1, manifests: [{ file: 'requirements.txt', ecosystem: 'PyPI', dependencies: [], errors: [] }], findings };
}

function captureIo(): CliIo & { out: string; err: string } {
  const io = {
    out: '',
    err: '',
    stdout(text: string) {
      io.out += text;
    },
    stderr(text: string) {
      io.err += text;
    },
    cwd: '/',
    env: {},
    isTTY: false,
  };
  return io;
}

test('exit code follows --fail-on', () => {
  const warningOnly = report([finding({ severity: 'warning' })]);
  assert.equal(exitCodeFor(warningOnly, 'error'), 0);
  assert.equal(exitCodeFor(warningOnly, 'warning'), 1);
  assert.equal(exitCodeFor(warningOnly, 'hint'), 1);
  assert.equal(exitCodeFor(warningOnly, 'none'), 0);
  assert.equal(exitCodeFor(report([]), 'hint'), 0);
  assert.equal(exitCodeFor(report([finding({ severity: 'error' })]), 'error'), 1);
});

test('colour only on a terminal without NO_COLOR', () => {
  assert.equal(useColour(true, {}), true);
  assert.equal(useColour(false, {}), false);
  assert.equal(useColour(true, { NO_COLOR: '1' }), false);
  assert.equal(useColour(true, { TERM: 'dumb' }), false);
  const coloured = formatText(report([finding({})]), { colour: true });
  assert.match(coloured, /\u001b\[31merror\u001b\[0m/);
  const plain = formatText(report([finding({})]), { colour: false });
  assert.doesNotMatch(plain, /\u001b/);
  assert.equal(
    plain,
    "requirements.txt\n  requirements.txt:1:1 error typosquat 'reqeusts' looks like 'requests' (→ requests)\n\n1 problem (1 error, 0 warnings) in 1 manifest, 0 dependencies checked.\n",
  );
});

test('SARIF: user-config findings get a file URI, empty ranges one column, severities map to levels', () => {
  const log = JSON.parse(
    formatSarif(
      report([
        finding({ file: '/home/someone/.config/safe-install/config.toml', ecosystem: null, package: '', rule: 'config-unknown-key', severity: 'warning', suggestion: null, endColumn: 1 }),
        finding({ file: 'dir with space/requirements.txt', severity: 'hint' }),
      ]),
      '9.9.9',
    ),
  ) as Log;
  const results = log.runs[0]?.results ?? [];
  assert.equal(results[0]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'file:///home/someone/.config/safe-install/config.toml');
  assert.equal(results[0]?.locations?.[0]?.physicalLocation?.region?.endColumn, 2);
  assert.equal(results[0]?.level, 'warning');
  assert.equal(results[1]?.locations?.[0]?.physicalLocation?.artifactLocation?.uri, 'dir%20with%20space/requirements.txt');
  assert.equal(results[1]?.level, 'note');
  assert.equal(log.runs[0]?.tool.driver.version, '9.9.9');
});

test('runCli: dispatch, usage errors and internal errors map to exit codes', async () => {
  const commands = {
    ok: { summary: 'ok', run: async () => 0 },
    usage: {
      summary: 'usage',
      run: async () => {
        throw new UsageError('bad flag');
      },
    },
    boom: {
      summary: 'boom',
      run: async () => {
        throw new Error('kaput');
      },
    },
  };
  const io = captureIo();
  assert.equal(await runCli(['ok'], io, commands), 0);
  assert.equal(await runCli(['usage'], io, commands), 2);
  assert.match(io.err, /safe-install usage: bad flag\nRun 'safe-install usage --help'/);
  assert.equal(await runCli(['boom'], io, commands), 2);
  assert.match(io.err, /internal error: Error: kaput/);
  assert.equal(await runCli(['toString'], io, commands), 2, 'inherited property names are not commands');
  const help = captureIo();
  assert.equal(await runCli(['--help'], help, commands), 0);
  assert.match(help.out, /ok {5}ok\n {2}usage {2}usage\n {2}boom {3}boom/);
});
