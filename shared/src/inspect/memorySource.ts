import type { FileSource } from './inspectSource';

/** Files already in memory (an archive's contents, a test's fixtures) as a FileSource. */
export class MemorySource implements FileSource {
  constructor(private readonly files: ReadonlyMap<string, Uint8Array | string>) {}

  async list(): Promise<string[]> {
    return [...this.files.keys()].sort();
  }

  async read(path: string, maxBytes: number): Promise<Uint8Array | undefined> {
    const content = this.files.get(path);
    if (content === undefined) return undefined;
    const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
    return bytes.length > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
  }
}
