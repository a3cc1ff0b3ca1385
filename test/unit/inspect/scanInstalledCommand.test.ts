import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScanInstalledArgs, scanInstalled } from '../../../shared/src/cli/commands/scanInstalled';
import type { InstalledOptions, InstalledReport } from '../../../shared/src/inspect/index';
import type { CliIo } from '../../../shared/src/cli/command';

function io(): CliIo & { out: string[] } {
  const out: string[] = [];
  return { out, stdout: (t) => out.push(t), stderr: (t) => out.push(t), cwd: '/project', env: {}, isTTY: false };
}

const critical: InstalledReport = {
  findings: [
    {
      rule: 'pth-exec',
      family: 'install-hook',
      severity: 'critical',
      file: '/site/evil.pth',
      message: 'executable .pth line',
      range: { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } },
      matches: [{ rule: 'pth-exec', line: 2, column: 0, reason: 'executable .pth line', excerpt: 'import os' }],
      score: 40,
      installTime: true,
    },
  ],
  sitePackages: ['/site'],
  pthFiles: 1,
  nodePackages: 0,
  packagesWithInstallScripts: 0,
  notes: [],
};

test('parses --python, repeated --node-modules and --format', () => {
  assert.deepEqual(parseScanInstalledArgs(['--installed', '--python', '/usr/bin/python3.12', '--node-modules', 'a', '--node-modules', 'b', '--format', 'json']), {
    format: 'json',
    python: '/usr/bin/python3.12',
    nodeModulesRoots: ['a', 'b'],
  });
  assert.throws(() => parseScanInstalledArgs(['--format', 'sarif']), /text or json/);
  assert.throws(() => parseScanInstalledArgs(['--bogus']));
});

test('exit 1 and 1-based lines when something critical is installed; roots resolved against cwd', async () => {
  let seen: InstalledOptions | undefined;
  const term = io();
  const code = await scanInstalled({ python: 'py', nodeModulesRoots: ['web/node_modules'] }, term, async (opts) => {
    seen = opts;
    return critical;
  });
  assert.equal(code, 1);
  assert.deepEqual(seen?.nodeModulesRoots, ['/project/web/node_modules']);
  assert.equal(seen?.python, 'py');
  assert.match(term.out.join(''), /CRITICAL +\/site\/evil\.pth:3 pth-exec[\s\S]*line 3: pth-exec/);
  const json = io();
  await scanInstalled({ format: 'json' }, json, async () => critical);
  const parsed = JSON.parse(json.out.join('')) as { findings: Array<{ line: number; severityLevel: string }> };
  assert.equal(parsed.findings[0]?.line, 3);
  assert.equal(parsed.findings[0]?.severityLevel, 'error');
});

test('exit 0 and a clear sentence when nothing is found', async () => {
  const term = io();
  const code = await scanInstalled({}, term, async () => ({ ...critical, findings: [] }));
  assert.equal(code, 0);
  assert.match(term.out.join(''), /No suspicious install hooks found/);
});
