/**
 * The bubblewrap alternative to moving files (Linux, Docker missing): the package manager runs with an empty
 * tmpfs home, fresh /tmp and /run/user, the project folder bound read-write, the credential paths outside home
 * masked, the Docker socket hidden, every namespace unshared (network only when asked), all capabilities
 * dropped, and only a filtered environment.
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { filterChildEnvironment } from './envFilter';

/** A path to mask inside the sandbox; folders get an empty tmpfs, files /dev/null. */
export interface MaskedPath {
  path: string;
  isDirectory: boolean;
}

/** What the sandbox needs to know. */
export interface BwrapOptions {
  /** The real home folder; it becomes an empty tmpfs. */
  homeDir: string;
  /** The project folder, bound read-write at the same path (it may be inside the home folder). */
  projectDir: string;
  /** The environment to filter for the child. */
  env: Readonly<Record<string, string | undefined>>;
  /** The command and its arguments. */
  command: readonly string[];
  /** Keep the host network (the registry fetch needs it); default false. */
  network?: boolean;
  /** Paths outside home to mask: credential files elsewhere, the Docker socket. */
  maskPaths?: readonly MaskedPath[];
  /** More read-only binds into the sandbox (a package cache, a CA bundle, the package manager's own folders in home). */
  readOnlyBinds?: readonly string[];
  /** More read-write binds (a virtualenv in home outside the project). */
  readWriteBinds?: readonly string[];
  /** More variables to strip. */
  extraEnvVars?: readonly string[];
  /** The user's runtime folder (XDG_RUNTIME_DIR: agent sockets, keyrings); masked with a tmpfs. */
  runtimeDir?: string;
}

/** Sockets that give root-equivalent control of the host when reachable. */
export const DOCKER_SOCKETS: readonly string[] = ['/var/run/docker.sock', '/run/docker.sock', '/run/containerd/containerd.sock', '/run/podman/podman.sock'];

/** The bwrap argument array (no shell involved): `spawn('bwrap', bwrapArgs(opts))`. */
export function bwrapArgs(options: BwrapOptions): string[] {
  const home = path.resolve(options.homeDir);
  const project = path.resolve(options.projectDir);
  const args: string[] = [
    '--die-with-parent',
    // New session: the sandbox cannot push keystrokes into our terminal (TIOCSTI).
    '--new-session',
    '--unshare-all',
    ...(options.network === true ? ['--share-net'] : []),
    '--cap-drop',
    'ALL',
    '--ro-bind',
    '/',
    '/',
    '--dev',
    '/dev',
    '--proc',
    '/proc',
    '--tmpfs',
    '/tmp',
    '--tmpfs',
    '/var/tmp',
    '--tmpfs',
    '/dev/shm',
  ];
  if (options.runtimeDir !== undefined && path.isAbsolute(options.runtimeDir)) args.push('--tmpfs', options.runtimeDir);
  for (const mask of options.maskPaths ?? []) {
    // Masks inside home are already covered by the empty home.
    if (isInside(mask.path, home)) continue;
    if (mask.isDirectory) args.push('--tmpfs', mask.path);
    else args.push('--ro-bind', '/dev/null', mask.path);
  }
  // Home last among the masks: an empty tmpfs, then the project bound back in at its real path.
  args.push('--tmpfs', home);
  for (const bind of options.readOnlyBinds ?? []) args.push('--ro-bind', bind, bind);
  for (const bind of options.readWriteBinds ?? []) args.push('--bind', bind, bind);
  args.push('--bind', project, project, '--chdir', project, '--clearenv');
  const { env } = filterChildEnvironment(options.env, options.extraEnvVars);
  for (const [name, value] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    // bwrap takes names as given; skip ones it cannot set.
    if (name === '' || name.includes('=')) continue;
    args.push('--setenv', name, value);
  }
  args.push('--setenv', 'HOME', home, '--', ...options.command);
  return args;
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** Existing paths outside home worth masking (Docker/containerd sockets, extra vault paths), symlinks resolved and deduplicated. */
export async function collectBwrapMasks(paths: readonly string[] = []): Promise<MaskedPath[]> {
  const masks = new Map<string, MaskedPath>();
  for (const p of [...DOCKER_SOCKETS, ...paths]) {
    try {
      // bwrap mounts onto the real path: /var/run is usually a symlink to /run.
      const real = await realpath(p);
      masks.set(real, { path: real, isDirectory: (await stat(real)).isDirectory() });
    } catch {
      // absent: nothing to mask
    }
  }
  return [...masks.values()];
}
