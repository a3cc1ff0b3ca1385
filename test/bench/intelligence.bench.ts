// Registry intelligence for a 200-dependency package.json against the local registry with 50 ms added
// to every response: cold (empty cache) and warm (same file cache) wall time, and requests made.
// Target: a warm run makes zero requests.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_CONFIG } from '../../shared/src/config/schema';
import { networkFindings } from '../../shared/src/intelligence/networkFindings';
import { parseManifest } from '../../shared/src/manifests/index';
import { FileCacheStore } from '../../shared/src/registry/cache';
import { clientsFor, RegistryServer } from '../support/registryServer';

const DEPENDENCIES = 200;
const LATENCY_MS = 50;

const deps: Record<string, string> = {};
for (let i = 0; i < DEPENDENCIES; i++) deps[`bench-${String(i).padStart(3, '0')}`] = '^2.0.0';
const manifest = parseManifest('package-json', JSON.stringify({ name: 'bench-app', version: '1.0.0', dependencies: deps }, null, 2));
if (manifest.dependencies.length !== DEPENDENCIES) throw new Error(`parser returned ${manifest.dependencies.length} dependencies`);

async function main(): Promise<void> {
  const server = await RegistryServer.start({ latencyMs: LATENCY_MS });
  const cacheDir = await mkdtemp(path.join(os.tmpdir(), 'si-bench-cache-'));
  try {
    const run = async (label: string): Promise<void> => {
      // A fresh client each run, as a new CLI process would have; only the file cache carries over.
      const clients = clientsFor(server, { cache: new FileCacheStore(cacheDir) });
      const before = server.requests;
      const started = performance.now();
      const findings = await networkFindings(manifest, { clients, config: DEFAULT_CONFIG, signal: new AbortController().signal });
      const ms = performance.now() - started;
      const requests = server.requests - before;
      console.log(`${label.padEnd(5)} ${ms.toFixed(0).padStart(6)} ms  ${String(requests).padStart(4)} requests  ${findings.length} findings`);
      if (findings.length !== 0) console.log(findings.slice(0, 3));
    };
    console.log(`${DEPENDENCIES} npm dependencies, ${LATENCY_MS} ms added latency per request, 8 concurrent requests per host`);
    await run('cold');
    await run('warm');
  } finally {
    await server.close();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
