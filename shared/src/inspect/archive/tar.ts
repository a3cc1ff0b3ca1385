import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Parser, type ReadEntry } from 'tar';
import { isWorthKeeping, safeEntryName, type ArchiveFiles } from './entries';
import { ArchiveBudget, ArchiveLimitError, type ArchiveLimits } from './limits';

const gunzipAsync = promisify(gunzip);
const FEED_SLICE = 1024 * 1024;

function isCompressedAgain(bytes: Uint8Array): boolean {
  // node-tar would silently decompress a gzip/zstd stream itself, without our output cap.
  return (bytes[0] === 0x1f && bytes[1] === 0x8b) || (bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd);
}

/** Gunzips with the output capped by the budget (total size and ratio), so a bomb ends in an error. */
export async function gunzipCapped(bytes: Uint8Array, budget: ArchiveBudget, what: string): Promise<Buffer> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: budget.maxOutput });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ArchiveLimitError(`${what} expands past ${budget.maxOutput} bytes (limit ${budget.limits.maxTotalBytes}, ratio ${budget.limits.maxRatio}:1)`);
    }
    throw new Error(`${what} is not valid gzip: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Reads a plain tar held in memory with node-tar's parser (parse mode only: nothing touches the disk).
 * Regular files only; links, devices and unsafe names are skipped. `keep` decides whose bytes are kept.
 */
export function readTar(tarBytes: Uint8Array, budget: ArchiveBudget, keep: (name: string) => boolean = isWorthKeeping): Promise<ArchiveFiles> {
  if (isCompressedAgain(tarBytes)) return Promise.reject(new ArchiveLimitError('tar stream is compressed twice'));
  return new Promise((resolve, reject) => {
    const files: ArchiveFiles = new Map();
    let failed = false;
    const parser = new Parser({
      strict: false,
      onReadEntry: (entry: ReadEntry) => {
        if (failed) return entry.resume();
        try {
          budget.addEntry(entry.path);
        } catch (error) {
          fail(error);
          return entry.resume();
        }
        const name = safeEntryName(entry.path);
        const wanted = entry.type === 'File' || entry.type === 'OldFile' || entry.type === 'ContiguousFile';
        const chunks: Buffer[] = [];
        let size = 0;
        entry.on('data', (chunk: Buffer) => {
          if (failed) return;
          size += chunk.length;
          try {
            budget.addBytes(entry.path, size, chunk.length);
          } catch (error) {
            fail(error);
            return;
          }
          if (wanted && name !== undefined && keep(name)) chunks.push(chunk);
        });
        entry.on('end', () => {
          if (!failed && wanted && name !== undefined && keep(name)) files.set(name, Buffer.concat(chunks));
        });
      },
    });
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      reject(error instanceof Error ? error : new Error(String(error)));
      parser.abort(error instanceof Error ? error : new Error(String(error)));
    };
    parser.on('error', (error: Error) => fail(error));
    parser.on('end', () => {
      if (!failed) resolve(files);
    });
    // Feed in slices so a limit hit stops the work early instead of after the whole buffer.
    for (let offset = 0; offset < tarBytes.length && !failed; offset += FEED_SLICE) {
      parser.write(Buffer.from(tarBytes.buffer, tarBytes.byteOffset + offset, Math.min(FEED_SLICE, tarBytes.length - offset)));
    }
    if (!failed) parser.end();
  });
}

/** A gzipped tar (npm tgz, sdist, crate, gem data.tar.gz). */
export async function readTarGz(bytes: Uint8Array, limits: ArchiveLimits, what = 'archive', keep?: (name: string) => boolean): Promise<ArchiveFiles> {
  const budget = new ArchiveBudget(limits, bytes.length);
  const plain = await gunzipCapped(bytes, budget, what);
  return readTar(plain, budget, keep);
}
