import type { Range, Severity } from '../model';

/** Rule ids of findings about configuration files. */
export const CONFIG_RULES = {
  /** The file does not parse, or a key has a value of the wrong type or form. */
  error: 'config-error',
  /** A key or table this version does not know (a typo, or a setting from a newer version). */
  unknownKey: 'config-unknown-key',
  /** A project file tried to weaken a user-level security setting; the key was ignored. */
  refused: 'config-refused',
} as const;

/** A problem in a config file, at the key it concerns (LSP positions, like every other finding). */
export interface ConfigFinding {
  rule: (typeof CONFIG_RULES)[keyof typeof CONFIG_RULES];
  severity: Severity;
  message: string;
  range: Range;
  /** The dotted key as the file names it (`sandbox.enabled`), when the finding is about one key. */
  key?: string;
}
