/**
 * Builds registry clients for a process (CLI or language server): endpoints from the package managers'
 * config files and `safe-install.toml`, the per-user cache, the real network.
 */
import { readFile } from 'node:fs/promises';
import type { SafeInstallConfig } from '../config/schema';
import { resolveEndpoints, type ConfigFileIo } from '../registry/endpoints';
import { createRegistryClients, type RegistryClientOptions, type RegistryClients } from '../registry/index';
import { intelligenceSettings } from './settings';

/** Reads config files asynchronously; a missing or unreadable file is simply absent. */
export function fileSystemConfigIo(env: Readonly<Record<string, string | undefined>>, homeDir: string, projectDir: string): ConfigFileIo {
  return {
    env,
    homeDir,
    projectDir,
    readText: async (file) => {
      try {
        return await readFile(file, 'utf8');
      } catch {
        return undefined;
      }
    },
  };
}

/** Clients for this user and project, honouring `[intelligence]` offline/timeout settings. */
export async function createClientsForProject(io: ConfigFileIo, config: SafeInstallConfig, overrides: Partial<Omit<RegistryClientOptions, 'endpoints' | 'env' | 'homeDir'>> = {}): Promise<RegistryClients> {
  const settings = intelligenceSettings(config.intelligence);
  const endpoints = await resolveEndpoints(io, config.registries);
  return createRegistryClients({
    ...overrides,
    endpoints,
    env: io.env,
    homeDir: io.homeDir,
    http: { offline: settings.offline, timeoutMs: settings.timeoutSeconds * 1000, totalTimeoutMs: settings.timeoutSeconds * 2000, ...overrides.http },
  });
}
