import { DEFAULT_SETTINGS, readResourceSettings, type ResourceSettings } from './resourceSettings';

/** Asks the client for the settings section of one resource (`workspace/configuration` with scopeUri). */
export type FetchResourceSettings = (scopeUri: string) => Promise<unknown>;

/**
 * Settings cached per document URI, never held in server globals, because they can differ per
 * workspace folder. The cache is dropped on `didChangeConfiguration`; clients that cannot answer
 * `workspace/configuration` get the settings pushed with that notification instead.
 */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<ResourceSettings>>();
  private pushed: ResourceSettings = DEFAULT_SETTINGS;

  constructor(
    private readonly fetch: FetchResourceSettings | undefined,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The settings for `uri`; one request per document until invalidated. */
  get(uri: string): Promise<ResourceSettings> {
    if (!this.fetch) return Promise.resolve(this.pushed);
    let entry = this.cache.get(uri);
    if (!entry) {
      entry = this.fetch(uri).then(readResourceSettings, (error: unknown) => {
        this.onError(error);
        return DEFAULT_SETTINGS;
      });
      this.cache.set(uri, entry);
    }
    return entry;
  }

  /** Forgets everything; `pushedSection` is the `safeInstall` section from didChangeConfiguration, if any. */
  invalidate(pushedSection?: unknown): void {
    this.cache.clear();
    if (pushedSection !== undefined) this.pushed = readResourceSettings(pushedSection);
  }

  /** Forgets one document (closed). */
  delete(uri: string): void {
    this.cache.delete(uri);
  }
}
