import path from 'node:path';
import type { TextFileReader } from '../../../shared/src/io';
import type { LoadedConfig, ServerEngine } from '../engine/serverEngine';
import { uriPath, uriToFilePath } from './uris';

/** The project config file name, at a workspace folder's root. */
export const PROJECT_CONFIG_FILE = 'safe-install.toml';

/** Told each time a project's config has been (re)loaded, so its findings can be published. */
export type ConfigLoaded = (rootUri: string, loaded: LoadedConfig) => void;

/**
 * The effective config per project root, loaded once through the engine (user config + the root's
 * safe-install.toml) and kept until a config file changes.
 */
export class ProjectConfigs {
  private readonly cache = new Map<string, Promise<LoadedConfig>>();

  constructor(
    private readonly engine: ServerEngine,
    private readonly reader: TextFileReader,
    private readonly onLoaded: ConfigLoaded,
    /** False in an untrusted workspace: its safe-install.toml is then not read at all. */
    private readonly readProjectFile: () => boolean = () => true,
  ) {}

  /** The project config path of a root (for a virtual workspace, a path no file matches). */
  static projectConfigPath(rootUri: string): string {
    return path.join(uriToFilePath(rootUri) ?? uriPath(rootUri), PROJECT_CONFIG_FILE);
  }

  get(rootUri: string): Promise<LoadedConfig> {
    let entry = this.cache.get(rootUri);
    if (!entry) {
      entry = this.engine
        .loadConfig({
          userConfigPath: this.engine.userConfigPath(),
          ...(this.readProjectFile() ? { projectConfigPath: ProjectConfigs.projectConfigPath(rootUri) } : {}),
          reader: this.reader,
        })
        .then((loaded) => {
          this.onLoaded(rootUri, loaded);
          return loaded;
        });
      // A failed load must not stick: the next request tries again.
      entry.catch(() => this.cache.delete(rootUri));
      this.cache.set(rootUri, entry);
    }
    return entry;
  }

  /** Roots loaded so far. */
  roots(): string[] {
    return [...this.cache.keys()];
  }

  invalidate(): void {
    this.cache.clear();
  }
}
