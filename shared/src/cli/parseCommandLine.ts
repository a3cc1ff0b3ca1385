import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usageError';

/** `util.parseArgs`, with its complaints (unknown option, missing value, …) turned into a UsageError (exit 2, hint to run --help). */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
