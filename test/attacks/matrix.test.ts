// The attack matrix: every inert attack package run twice — by the plain package manager (the CONTROL:
// the canary must arrive, which proves the fixture works) and by `safe-install install` (the SANDBOX:
// zero canary bytes, the fake home's SHA-256 tree unchanged, nothing hostile in the project, the package
// flagged). Prints attack × control leaked × sandbox leaked × flagged at the end. A half that cannot run
// here is skipped with its printed reason and shown as "skip" in the matrix, never as a pass.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import { dockerAvailable, requireInfra, testImage, type Probe } from '../support/infra';
import { ATTACKS, IMAGE_FOR, LAB_DISK_LIMIT_BYTES, snapshotCli, runControl, runSandbox, skippedOutcome, type AttackCase, type Outcome } from './attacks';
import { AttackLab } from './lab';
import { formatMatrix } from './matrix';

const rows = new Map<string, { attack: AttackCase; control?: Outcome; sandbox?: Outcome }>();
let lab: AttackLab | undefined;
let labError: Error | undefined;
let cliSkip: string | undefined;

function skipWith(t: TestContext, reason: string): void {
  requireInfra(t, { ok: false, reason });
}

function explain(o: Outcome): string {
  return [
    `note: ${o.note}`,
    `canary bytes ${o.canaryBytes} over [${o.channels.join(', ')}], contacts ${o.contacts}`,
    o.fsViolations.length > 0 ? `file system: ${o.fsViolations.join('; ')}` : '',
    o.homeChanges.length > 0 ? `home changes: ${o.homeChanges.slice(0, 10).join('; ')}` : '',
    `log:\n${o.log}`,
  ].filter((s) => s !== '').join('\n');
}

describe('attack matrix', { concurrency: 1 }, () => {
  before(async () => {
    try {
      lab = await AttackLab.start();
    } catch (error) {
      labError = error as Error;
    }
    cliSkip = lab ? await snapshotCli(lab) : 'attack lab did not start';
  });

  after(async () => {
    console.log(formatMatrix([...rows.values()]));
    await lab?.close();
  });

  for (const attack of ATTACKS) {
    rows.set(attack.id, { attack });

    test(`${attack.id}: control — ${attack.hook} gets through the plain package manager`, async (t) => {
      if (!lab) throw labError ?? new Error('attack lab did not start');
      const outcome = await runControl(lab, attack);
      rows.get(attack.id)!.control = outcome;
      if (outcome.skipped) return skipWith(t, `${attack.id} control: ${outcome.skipped}`);
      t.diagnostic(`${attack.id} control: ${outcome.note || 'ok'} (${outcome.ms} ms)`);
      if (attack.kind === 'archive') {
        // The package manager itself may refuse hostile entries; the row shows what it let through.
        assert.notEqual(outcome.exitCode, undefined);
        return;
      }
      assert.ok(outcome.leaked, `the fixture did not get its canary out in the control run, so the sandbox result would prove nothing\n${explain(outcome)}`);
      if (attack.kind === 'exfil') assert.ok(outcome.canaryBytes > 0);
    });

    test(`${attack.id}: sandbox — safe-install install lets nothing out and flags it`, async (t) => {
      if (!lab) throw labError ?? new Error('attack lab did not start');
      const docker: Probe = await dockerAvailable();
      const image = docker.ok ? await testImage(IMAGE_FOR[attack.ecosystem]) : docker;
      const missing = !image.ok ? image.reason : cliSkip;
      if (missing) {
        rows.get(attack.id)!.sandbox = skippedOutcome(missing);
        return skipWith(t, missing);
      }
      const outcome = await runSandbox(lab, attack);
      rows.get(attack.id)!.sandbox = outcome;
      if (outcome.skipped) return skipWith(t, `${attack.id} sandbox: ${outcome.skipped}`);
      t.diagnostic(`${attack.id} sandbox: ${outcome.note} (${outcome.ms} ms)`);
      assert.ok(!outcome.note.includes('CLI timed out'), `safe-install install did not finish\n${explain(outcome)}`);
      assert.equal(outcome.canaryBytes, 0, `canary bytes arrived at the listener\n${explain(outcome)}`);
      assert.equal(outcome.contacts, 0, `package code reached the listener\n${explain(outcome)}`);
      assert.deepEqual(outcome.homeChanges, [], `the fake home changed\n${explain(outcome)}`);
      assert.deepEqual(outcome.fsViolations, [], `hostile files landed\n${explain(outcome)}`);
      assert.ok(outcome.flagged, `the report does not flag ${attack.pkg}\n${explain(outcome)}`);
      if (attack.laterNote) assert.match(outcome.reportText ?? '', attack.laterNote, `the report does not say what still runs later on the host\n${explain(outcome)}`);
      for (const name of attack.expectPackages ?? []) assert.ok(outcome.reportPackages?.includes(name), `the report does not list ${name} (dependency resolution)\n${explain(outcome)}`);
      if (attack.kind === 'disk-fill') {
        assert.ok(outcome.diskGrowthBytes !== undefined, 'host disk usage was not sampled');
        assert.ok(outcome.diskGrowthBytes <= LAB_DISK_LIMIT_BYTES, `the host disk grew by ${outcome.diskGrowthBytes} bytes, more than the ${LAB_DISK_LIMIT_BYTES}-byte cap\n${explain(outcome)}`);
        assert.match(outcome.note, /stop=ENOSPC/, `the build area's cap did not stop the fill\n${explain(outcome)}`);
      }
    });
  }
});
