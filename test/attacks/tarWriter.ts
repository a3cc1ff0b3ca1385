/**
 * A minimal ustar writer that writes exactly the entries it is given — including the ones every safe
 * extractor must refuse (`../` paths, absolute paths, symlinks and hardlinks pointing anywhere, device
 * nodes, setuid bits). Real archivers normalise those away, which is why the hostile-archive fixtures
 * need their own writer. Also used for the benign archives so every fixture is built the same way.
 */
import { gzipSync } from 'node:zlib';

/** One archive entry, written verbatim. */
export type TarEntry =
  | { type: 'file'; path: string; data: string | Buffer; mode?: number }
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'hardlink'; path: string; target: string }
  | { type: 'chardev' | 'blockdev'; path: string; major: number; minor: number; mode?: number }
  | { type: 'fifo'; path: string; mode?: number };

const TYPE_FLAG: Record<TarEntry['type'], string> = {
  file: '0', hardlink: '1', symlink: '2', chardev: '3', blockdev: '4', dir: '5', fifo: '6',
};

// Fixed mtime so rebuilt fixtures are byte-identical (stable hashes across runs).
const MTIME = 1_700_000_000;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(entry: TarEntry, size: number): Buffer {
  const h = Buffer.alloc(512, 0);
  let name = entry.path;
  let prefix = '';
  if (Buffer.byteLength(name) > 100) {
    // ustar splits long paths at a slash: up to 155 bytes of prefix, 100 of name.
    const cut = name.lastIndexOf('/', name.length - 1);
    prefix = name.slice(0, cut);
    name = name.slice(cut + 1);
    if (Buffer.byteLength(prefix) > 155 || Buffer.byteLength(name) > 100) throw new Error(`path too long for ustar: ${entry.path}`);
  }
  const defaultMode = entry.type === 'dir' ? 0o755 : entry.type === 'symlink' || entry.type === 'hardlink' ? 0o777 : 0o644;
  const mode = 'mode' in entry && entry.mode !== undefined ? entry.mode : defaultMode;
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 8, 'ascii');
  h.write(octal(0, 8), 108, 8, 'ascii'); // uid
  h.write(octal(0, 8), 116, 8, 'ascii'); // gid
  h.write(octal(size, 12), 124, 12, 'ascii');
  h.write(octal(MTIME, 12), 136, 12, 'ascii');
  h.write('        ', 148, 8, 'ascii'); // checksum placeholder: spaces while summing
  h.write(TYPE_FLAG[entry.type], 156, 1, 'ascii');
  if (entry.type === 'symlink' || entry.type === 'hardlink') h.write(entry.target, 157, 100, 'utf8');
  h.write('ustar\0', 257, 6, 'ascii');
  h.write('00', 263, 2, 'ascii');
  h.write('root', 265, 32, 'ascii');
  h.write('root', 297, 32, 'ascii');
  if (entry.type === 'chardev' || entry.type === 'blockdev') {
    h.write(octal(entry.major, 8), 329, 8, 'ascii');
    h.write(octal(entry.minor, 8), 337, 8, 'ascii');
  }
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return h;
}

/** The uncompressed archive. */
export function tar(entries: readonly TarEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.type === 'file' ? (typeof entry.data === 'string' ? Buffer.from(entry.data) : entry.data) : Buffer.alloc(0);
    blocks.push(header(entry, data.length), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad > 0) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(1024, 0)); // two zero blocks end the archive
  return Buffer.concat(blocks);
}

/** The archive gzip-compressed (npm tarballs, sdists, .crate files). */
export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tar(entries), { level: 6 });
}
