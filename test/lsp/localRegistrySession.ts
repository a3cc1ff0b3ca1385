/**
 * A language server whose registries are the local wire-format server, found the way a user's own would be:
 * a temporary HOME's .npmrc and a user config naming the npm, OSV and download-count endpoints.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RegistryServer } from '../support/registryServer';
import { LspSession } from './lspHarness';

/** The running server with registry checks on, and how to take it all down. */
export interface LocalRegistrySession {
  session: LspSession;
  /** Stops the server (resolving to its exit code), then the registry, then removes the temporary HOME. */
  close(): Promise<number | null>;
}

/** Starts the local registry and a language server with intelligence on that uses it. */
export async function startLocalRegistrySession(): Promise<LocalRegistrySession> {
  const registry = await RegistryServer.start();
  const home = await mkdtemp(path.join(os.tmpdir(), 'si-lsp-home-'));
  await writeFile(path.join(home, '.npmrc'), `registry=${registry.url}/npm/\n`);
  const userConfig = `[registries]\nnpm = "${registry.url}/npm"\nosv = "${registry.url}/osv"\nnpm_downloads = "${registry.url}/npm-downloads"\n`;
  const session = await LspSession.start({ intelligence: true, userConfig, env: { HOME: home } });
  return {
    session,
    async close() {
      try {
        return await session.stop();
      } finally {
        await registry.close();
        await rm(home, { recursive: true, force: true });
      }
    },
  };
}
