import yauzl from 'yauzl';
import { isWorthKeeping, safeEntryName, type ArchiveFiles } from './entries';
import { ArchiveBudget, ArchiveLimitError, type ArchiveLimits } from './limits';

/*
 * Wheels and zips through yauzl: it reads the central directory from a buffer, rejects absolute and `..`
 * names, and (validateEntrySizes) fails an entry whose data inflates past its declared size — the usual
 * zip-bomb trick. Declared sizes are checked against our limits before an entry is inflated at all.
 */

function openZip(bytes: Uint8Array): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length), { lazyEntries: true, validateEntrySizes: true, decodeStrings: true }, (error, zip) => {
      if (error || !zip) reject(new Error(`not a readable zip archive: ${error?.message ?? 'unknown error'}`));
      else resolve(zip);
    });
  });
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: ArchiveBudget, name: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error || !stream) return reject(new Error(`cannot read ${name}: ${error?.message ?? 'unknown error'}`));
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        try {
          budget.addBytes(name, size, chunk.length);
        } catch (limitError) {
          stream.destroy();
          reject(limitError);
          return;
        }
        chunks.push(chunk);
      });
      stream.on('error', (streamError) => reject(new ArchiveLimitError(`zip entry ${name}: ${streamError.message}`)));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

/** Reads a wheel or zip held in memory; keeps the bytes of files the scanner looks at. */
export async function readZip(bytes: Uint8Array, limits: ArchiveLimits, keep: (name: string) => boolean = isWorthKeeping): Promise<ArchiveFiles> {
  const budget = new ArchiveBudget(limits, bytes.length);
  const zip = await openZip(bytes);
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw new ArchiveLimitError(`archive has ${zip.entryCount} entries (limit ${limits.maxEntries})`);
  }
  const files: ArchiveFiles = new Map();
  let declaredTotal = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (error: Error) => reject(new Error(`broken zip archive: ${error.message}`)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        void (async () => {
          budget.addEntry(entry.fileName);
          const name = safeEntryName(entry.fileName);
          declaredTotal += entry.uncompressedSize;
          if (entry.uncompressedSize > limits.maxEntryBytes) throw new ArchiveLimitError(`zip entry ${entry.fileName} declares ${entry.uncompressedSize} bytes (limit ${limits.maxEntryBytes})`);
          if (declaredTotal > limits.maxTotalBytes) throw new ArchiveLimitError(`zip declares more than ${limits.maxTotalBytes} bytes in total`);
          if (entry.uncompressedSize > limits.ratioFloorBytes && entry.uncompressedSize > Math.max(1, entry.compressedSize) * limits.maxRatio) {
            throw new ArchiveLimitError(`zip entry ${entry.fileName} expands more than ${limits.maxRatio}:1 (compression bomb?)`);
          }
          if (name !== undefined && !entry.fileName.endsWith('/') && keep(name)) files.set(name, await readEntry(zip, entry, budget, name));
          zip.readEntry();
        })().catch(reject);
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
  return files;
}
