/**
 * A temporary HOME whose package-manager and safe-install config point every registry client at a local
 * registry server, exactly as a user's own config would (`.npmrc`, `pip.conf`, the user config's
 * `[registries]`): the built CLI is never told about the test through a test-only switch.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The temporary user: HOME, its config folder, and the environment to run the CLI with. */
export interface FakeUser {
  home: string;
  configHome: string;
  env: Record<string, string>;
}

/** Creates the user; `extraConfig` is appended to its safe-install config.toml. */
export async function fakeUser(base: string, extraConfig = ''): Promise<FakeUser> {
  const home = await mkdtemp(path.join(os.tmpdir(), 'safe-install-user-'));
  const configHome = path.join(home, '.config');
  await mkdir(path.join(configHome, 'safe-install'), { recursive: true });
  await mkdir(path.join(configHome, 'pip'), { recursive: true });
  await writeFile(path.join(home, '.npmrc'), `registry=${base}/npm/\n`);
  await writeFile(path.join(configHome, 'pip', 'pip.conf'), `[global]\nindex-url = ${base}/pypi/simple\n`);
  // What no package manager config names here: OSV, npm's download counts, PyPI's JSON API, and (so no
  // request ever leaves 127.0.0.1) crates.io, the Go proxy and RubyGems.
  await writeFile(
    path.join(configHome, 'safe-install', 'config.toml'),
    `[registries]\nosv = "${base}/osv"\nnpm_downloads = "${base}/npm-downloads"\npypi_json = "${base}/pypi/pypi"\n` +
      `crates = "${base}/crates"\ngo_proxy = "${base}/go"\nrubygems = "${base}/gems"\n${extraConfig}`,
  );
  // PIP_CONFIG_FILE keeps the machine's /etc/pip.conf out of the test. GOPROXY without `,direct`, as a user
  // behind a module mirror sets it: a module the proxy lacks is then unknown rather than "ask version control".
  const env = { HOME: home, XDG_CACHE_HOME: path.join(home, '.cache'), PIP_CONFIG_FILE: path.join(configHome, 'pip', 'pip.conf'), GOPROXY: `${base}/go` };
  return { home, configHome, env };
}
