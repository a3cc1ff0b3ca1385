/**
 * The attack suite's view of the shared fake home (test/support/fakeHome.ts): the same canary home,
 * plus the marker file that arms the fixtures (they read nothing in a home without it) and canary
 * environment variables carrying a per-run marker (they forward no variable without it).
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createFakeHome, type FakeHome } from '../support/fakeHome';

/** File whose presence tells an attack fixture that this home is a canary home. */
export const CANARY_HOME_MARKER_FILE = '.safe-install-canary-home';

/** Prefix of the per-run marker; fixtures forward only environment values containing it. */
export const CANARY_PREFIX = 'SICANARY';

/** A canary home armed for the attack fixtures. */
export interface CanaryHome {
  fake: FakeHome;
  /** The home directory itself. */
  dir: string;
  /** Per-run marker, e.g. SICANARY3f9a0c…; contained in every canary variable and the marker file. */
  marker: string;
  /** Canary environment variables stealers look for. */
  canaryEnv: Record<string, string>;
  /** Every secret value planted (files and variables): one of these arriving anywhere is a leak. */
  canaries: string[];
  /** Environment of a process living in this home: the fake home's variables plus the canary ones. */
  env(): Record<string, string>;
  dispose(): Promise<void>;
}

/** Creates the fake home under `parent` and arms it. */
export async function createCanaryHome(parent: string): Promise<CanaryHome> {
  const fake = await createFakeHome(parent);
  const marker = `${CANARY_PREFIX}${randomBytes(8).toString('hex')}`;
  await writeFile(path.join(fake.home, CANARY_HOME_MARKER_FILE), `${marker}\n`, { mode: 0o600 });
  const canaryEnv = {
    SAFE_INSTALL_TEST_CANARY: `${marker}-env`,
    AWS_SESSION_TOKEN: `${marker}-env-aws`,
    NODE_AUTH_TOKEN: `${marker}-env-npm`,
    CARGO_REGISTRY_TOKEN: `${marker}-env-cargo`,
  };
  return {
    fake,
    dir: fake.home,
    marker,
    canaryEnv,
    canaries: [marker, ...fake.canaries],
    env: () => ({ ...fake.env, ...canaryEnv }),
    dispose: () => fake.cleanup(),
  };
}
