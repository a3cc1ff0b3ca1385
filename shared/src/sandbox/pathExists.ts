import { access, constants } from 'node:fs/promises';

/** True when something is at `p` (following symlinks) and, with `mode`, usable that way (e.g. `X_OK`). */
export async function pathExists(p: string, mode: number = constants.F_OK): Promise<boolean> {
  return access(p, mode).then(() => true, () => false);
}
