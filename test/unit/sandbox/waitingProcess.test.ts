// startProcess: a host process started ahead of time gets its input later; an empty stdin, a process that
// ignores stdin, and one that died before its input are all handled without hanging or losing the result.
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { startProcess } from '../../../shared/src/sandbox/local/process';

const options = { cwd: os.tmpdir(), env: process.env };
// Echoes stdin upper-cased, or says "nothing" when stdin closes empty.
const ECHO = 'let s = ""; process.stdin.on("data", (d) => { s += d; }); process.stdin.on("end", () => { process.stdout.write(s ? s.toUpperCase() : "nothing"); });';

test('finish hands the input over and returns the output and exit code', async () => {
  const waiting = startProcess(process.execPath, ['-e', ECHO], options);
  const result = await waiting.finish('hello\n');
  assert.deepEqual(result, { code: 0, stdout: 'HELLO\n', stderr: '' });
  await waiting.cancel();
});

test('cancel closes stdin empty and waits for the process to end', async () => {
  const marker = `${os.tmpdir()}/si-waiting-${process.pid}-${Date.now()}`;
  const program = `${ECHO} process.stdin.on("end", () => require("fs").writeFileSync(${JSON.stringify(marker)}, "ended"));`;
  const waiting = startProcess(process.execPath, ['-e', program], options);
  await waiting.cancel();
  const { readFile, rm } = await import('node:fs/promises');
  assert.equal(await readFile(marker, 'utf8'), 'ended', 'the process saw the end of stdin and ended before cancel resolved');
  await rm(marker, { force: true });
  assert.equal(await waiting.finish('late\n'), undefined, 'a cancelled process takes no input');
});

test('a process that ignores stdin is killed by cancel', async () => {
  const waiting = startProcess(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], options);
  const t0 = Date.now();
  await waiting.cancel();
  assert.ok(Date.now() - t0 < 10_000, 'cancel returned');
});

test('finish on a process that already ended returns undefined (the caller runs it cold)', async () => {
  const waiting = startProcess(process.execPath, ['-e', 'process.exit(3)'], options);
  await new Promise((resolve) => setTimeout(resolve, 2000));
  assert.equal(await waiting.finish('input\n'), undefined);
});

test('a missing program ends as code 127 and takes no input', async () => {
  const waiting = startProcess('/nonexistent/si-program', [], options);
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(await waiting.finish('input\n'), undefined);
});
