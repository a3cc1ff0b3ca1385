import type { ConfigLayer } from '../../../shared/src/config/configFile';
import { readConfigText } from '../../../shared/src/config/configFile';

/** Reads a project's safe-install.toml text; undefined when there is none (or it is not to be read). */
export type ReadProjectConfig = (rootUri: string) => Promise<string | undefined>;

/**
 * The safe-install.toml of each project as a config layer, kept until a config file changes. The
 * config loader merges it already; it is needed once more to re-apply its tightening over user settings.
 */
export class ProjectLayers {
  private readonly cache = new Map<string, Promise<ConfigLayer>>();

  constructor(private readonly read: ReadProjectConfig) {}

  /** The layer of a project root ({} without a file, or for a file that does not parse). */
  get(rootUri: string): Promise<ConfigLayer> {
    let entry = this.cache.get(rootUri);
    if (!entry) {
      entry = this.read(rootUri).then(
        (text) => (text === undefined ? {} : readConfigText(text).layer),
        () => ({}),
      );
      this.cache.set(rootUri, entry);
    }
    return entry;
  }

  invalidate(): void {
    this.cache.clear();
  }
}
