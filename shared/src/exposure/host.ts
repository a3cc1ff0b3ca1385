/**
 * Everything check-env reads from the machine, behind one interface so tests run on a fake home and a fake
 * environment. The node implementation is async throughout (the language server and extension host use it).
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import { access, lstat, open, readdir, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** What check-env needs to know about a path. */
export interface PathFacts {
  kind: 'file' | 'directory' | 'symlink' | 'socket' | 'other';
  sizeBytes: number;
  modifiedAt: Date;
  /** Permission bits (mode & 0o7777). */
  mode: number;
}

/** A directory entry. */
export interface DirEntryFacts {
  name: string;
  kind: PathFacts['kind'];
}

/** Read-only, async file access. Every method resolves to undefined instead of throwing for missing/unreadable paths. */
export interface ExposureFileSystem {
  /** Facts about the path itself (symlinks not followed). */
  lstat(filePath: string): Promise<PathFacts | undefined>;
  /** Facts about what the path points to (symlinks followed). */
  stat(filePath: string): Promise<PathFacts | undefined>;
  /** At most `maxBytes` from the start of the file. */
  readHead(filePath: string, maxBytes: number): Promise<Buffer | undefined>;
  /** At most `maxBytes` from the end of the file (histories grow at the end). */
  readTail(filePath: string, maxBytes: number): Promise<Buffer | undefined>;
  readDir(dirPath: string): Promise<DirEntryFacts[] | undefined>;
}

/** The outcome of running a probe command. */
export interface ProbeResult {
  /** Exit code; undefined when it could not start, was killed or timed out. */
  code: number | undefined;
  stdout: string;
  timedOut: boolean;
}

/** Finds and runs helper programs (docker, bwrap, crontab) with argument arrays and a time limit. */
export interface CommandProbe {
  /** Absolute path of an executable on PATH, or undefined. */
  findExecutable(name: string): Promise<string | undefined>;
  run(file: string, args: readonly string[], timeoutMs: number): Promise<ProbeResult>;
}

/** The machine as check-env sees it. */
export interface ExposureHost {
  homeDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The project folder whose .env files are checked; undefined skips the workspace walk. */
  workspaceRoot?: string;
  platform: NodeJS.Platform;
  /** Effective user id when known (root changes some advice). */
  uid?: number;
  fs: ExposureFileSystem;
  commands: CommandProbe;
}

function kindOf(s: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean; isSocket(): boolean }): PathFacts['kind'] {
  if (s.isFile()) return 'file';
  if (s.isDirectory()) return 'directory';
  if (s.isSymbolicLink()) return 'symlink';
  if (s.isSocket()) return 'socket';
  return 'other';
}

async function facts(getter: () => ReturnType<typeof lstat>): Promise<PathFacts | undefined> {
  try {
    const s = await getter();
    return { kind: kindOf(s), sizeBytes: Number(s.size), modifiedAt: s.mtime, mode: Number(s.mode) & 0o7777 };
  } catch {
    return undefined;
  }
}

async function readRange(filePath: string, maxBytes: number, fromEnd: boolean): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(filePath, fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0));
    const size = (await handle.stat()).size;
    const length = Math.min(size, maxBytes);
    const position = fromEnd ? size - length : 0;
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** The real file system, read-only and async. */
export const nodeExposureFileSystem: ExposureFileSystem = {
  lstat: (p) => facts(() => lstat(p)),
  stat: (p) => facts(() => stat(p)),
  readHead: (p, n) => readRange(p, n, false),
  readTail: (p, n) => readRange(p, n, true),
  async readDir(p) {
    try {
      const entries = await readdir(p, { withFileTypes: true });
      return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
    } catch {
      return undefined;
    }
  },
};

/** Largest stdout a probe keeps; probes only need a version string or a crontab. */
const PROBE_OUTPUT_LIMIT = 256 * 1024;

/** Runs probes with spawn (argument arrays, no shell), a filtered environment and a hard timeout. */
export function nodeCommandProbe(env: Readonly<Record<string, string | undefined>>): CommandProbe {
  const searchPath = env.PATH ?? '';
  return {
    async findExecutable(name) {
      const extensions = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
      for (const dir of searchPath.split(path.delimiter)) {
        if (dir === '') continue;
        for (const ext of extensions) {
          const candidate = path.join(dir, name + ext);
          try {
            await access(candidate, fsConstants.X_OK);
            if ((await stat(candidate)).isFile()) return candidate;
          } catch {
            // not here; keep looking
          }
        }
      }
      return undefined;
    },
    run(file, args, timeoutMs) {
      return new Promise((resolve) => {
        let stdout = '';
        let settled = false;
        let timedOut = false;
        // The probe gets PATH/HOME/locale only: docker needs DOCKER_HOST/DOCKER_CONTEXT, nothing secret.
        const childEnv: Record<string, string> = {};
        for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'DOCKER_HOST', 'DOCKER_CONTEXT', 'DOCKER_CONFIG', 'XDG_RUNTIME_DIR', 'USER', 'LOGNAME']) {
          const value = env[key];
          if (value !== undefined) childEnv[key] = value;
        }
        const finish = (code: number | undefined): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ code, stdout, timedOut });
        };
        const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'ignore'], env: childEnv });
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
          finish(undefined);
        }, timeoutMs);
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (chunk: string) => {
          if (stdout.length < PROBE_OUTPUT_LIMIT) stdout += chunk;
        });
        child.on('error', () => finish(undefined));
        child.on('close', (code) => finish(code ?? undefined));
      });
    },
  };
}

/** The real machine: this user's home, the given environment, and an optional workspace. */
export function nodeExposureHost(options: { env: Readonly<Record<string, string | undefined>>; workspaceRoot?: string; homeDir?: string }): ExposureHost {
  return {
    homeDir: options.homeDir ?? os.homedir(),
    env: options.env,
    workspaceRoot: options.workspaceRoot,
    platform: process.platform,
    uid: typeof process.getuid === 'function' ? process.getuid() : undefined,
    fs: nodeExposureFileSystem,
    commands: nodeCommandProbe(options.env),
  };
}
