/** Limits for reading untrusted archives in memory (GuardDog uses 2 GB, 100:1 and 100,000 files on disk). */
export interface ArchiveLimits {
  /** Total uncompressed bytes of all entries. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed, checked once the output is past `ratioFloorBytes`. */
  maxRatio: number;
  /** Small archives of repetitive text compress very well; the ratio only counts above this size. */
  ratioFloorBytes: number;
  maxEntries: number;
  /** Bytes of one entry. */
  maxEntryBytes: number;
}

/** In memory, so tighter than GuardDog's on-disk 2 GB. */
export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  maxTotalBytes: 512 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 8 * 1024 * 1024,
  maxEntries: 100_000,
  maxEntryBytes: 64 * 1024 * 1024,
};

/** A hostile or oversized archive: reading stopped before memory or time ran out. */
export class ArchiveLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveLimitError';
  }
}

/** Counts bytes and entries as they are produced and throws the moment a limit is passed. */
export class ArchiveBudget {
  private total = 0;
  private entries = 0;

  constructor(
    readonly limits: ArchiveLimits,
    private readonly compressedBytes: number,
  ) {}

  /** The most output a decompressor may produce for this input. */
  get maxOutput(): number {
    return Math.min(this.limits.maxTotalBytes, Math.max(this.limits.ratioFloorBytes, this.compressedBytes * this.limits.maxRatio));
  }

  addEntry(name: string): void {
    if (++this.entries > this.limits.maxEntries) throw new ArchiveLimitError(`archive has more than ${this.limits.maxEntries} entries (stopped at ${name})`);
  }

  addBytes(name: string, entryBytes: number, delta: number): void {
    this.total += delta;
    if (entryBytes > this.limits.maxEntryBytes) throw new ArchiveLimitError(`archive entry ${name} is larger than ${this.limits.maxEntryBytes} bytes`);
    if (this.total > this.limits.maxTotalBytes) throw new ArchiveLimitError(`archive expands past ${this.limits.maxTotalBytes} bytes`);
    if (this.total > this.limits.ratioFloorBytes && this.total > this.compressedBytes * this.limits.maxRatio) {
      throw new ArchiveLimitError(`archive expands more than ${this.limits.maxRatio}:1 (compression bomb?)`);
    }
  }
}
