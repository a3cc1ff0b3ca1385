import type { SafeInstallConfig } from '../../../shared/src/config/schema';
import type { RegistryIntelligence, ServerEngine } from '../engine/serverEngine';

/** Projects × configs kept at once; each holds its remembered answers (a few hundred bytes a line). */
const MAX_ENTRIES = 8;

interface Entry {
  ready: Promise<RegistryIntelligence>;
  /** Set once `ready` resolves, for synchronous peeks (the first publish of a check must not wait). */
  value?: RegistryIntelligence;
}

/**
 * Registry intelligence per project root and registry-relevant config (endpoints, thresholds, offline):
 * the same settings share one set of clients and one memory of answers; a change of those settings gets
 * a fresh one, so answers never outlive the config that produced them.
 */
export class ProjectIntelligence {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly engine: ServerEngine) {}

  /** The intelligence for a project and config, built on first use. */
  get(rootUri: string, projectDir: string | undefined, config: SafeInstallConfig): Promise<RegistryIntelligence> {
    const key = ProjectIntelligence.key(rootUri, config);
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { ready: this.engine.registryIntelligence(projectDir, config) };
      created.ready.then(
        (value) => (created.value = value),
        () => this.entries.delete(key), // a failed build must not stick
      );
      entry = created;
      this.entries.set(key, entry);
      while (this.entries.size > MAX_ENTRIES) {
        const oldest = this.entries.keys().next();
        if (oldest.done) break;
        this.entries.delete(oldest.value);
      }
    }
    return entry.ready;
  }

  /** The intelligence if it is already built, else undefined (never waits). */
  peek(rootUri: string, config: SafeInstallConfig): RegistryIntelligence | undefined {
    return this.entries.get(ProjectIntelligence.key(rootUri, config))?.value;
  }

  /** Forgets everything (the user asked for a re-check: package-manager config may have changed). */
  clear(): void {
    this.entries.clear();
  }

  private static key(rootUri: string, config: SafeInstallConfig): string {
    return JSON.stringify([rootUri, config.registries ?? {}, config.intelligence ?? {}]);
  }
}
