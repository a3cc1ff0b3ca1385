/**
 * The engine's vocabulary: ecosystems, dependencies read from manifests, and findings about them.
 * Positions follow LSP: 0-based lines, UTF-16 code-unit columns. The CLI converts to 1-based.
 */

/** Ecosystem names exactly as OSV spells them. */
export type Ecosystem = 'PyPI' | 'npm' | 'crates.io' | 'Go' | 'RubyGems';

export const ECOSYSTEMS: readonly Ecosystem[] = ['PyPI', 'npm', 'crates.io', 'Go', 'RubyGems'];

/** The six manifest formats the engine reads. */
export type ManifestKind = 'requirements' | 'pyproject' | 'package-json' | 'cargo' | 'go-mod' | 'gemfile';

export interface Position {
  /** 0-based line. */
  line: number;
  /** 0-based UTF-16 code-unit offset in the line. */
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** How a dependency is used; each parser maps its format's sections onto these. */
export type DependencyKind =
  | 'runtime'
  | 'dev'
  | 'optional'
  | 'build'
  | 'peer'
  | 'bundled'
  | 'override'
  | 'constraint'
  | 'replace'
  | 'exclude'
  | 'retract'
  | 'toolchain';

/** Where the package comes from. Only `registry` dependencies are checked against registries. */
export type DependencySource = 'registry' | 'git' | 'url' | 'path' | 'workspace';

export interface Dependency {
  ecosystem: Ecosystem;
  /** The real package name as the registry knows it (npm alias target, Cargo `package = …`). */
  name: string;
  /** `name` normalised per ecosystem (see normalize.ts); the key for every lookup. */
  normalizedName: string;
  /** The version spec as written, trimmed; '' when there is none. */
  spec: string;
  kind: DependencyKind;
  source: DependencySource;
  /** Range of the name as written in the file (for an alias, the range of the real name when present, else the key). */
  nameRange: Range;
  /** Range of the spec, when the spec is written in the file. */
  specRange?: Range;
  /** The key the manifest uses when it differs from `name` (npm alias, Cargo rename). */
  alias?: string;
  /** Group, extra or target the dependency belongs to (`dev`, `test`, `cfg(windows)`, …). */
  group?: string;
  /** go.mod `// indirect`. */
  indirect?: boolean;
  /** Format-specific extras worth keeping (markers, extras, hashes, gem options). */
  extras?: Record<string, string | string[] | boolean>;
}

/** A problem reading the manifest itself. */
export interface ParseError {
  message: string;
  range: Range;
}

/** A reference from one requirements file to another (`-r`, `-c`). */
export interface ManifestInclude {
  path: string;
  kind: 'requirements' | 'constraints';
  range: Range;
}

export interface ParsedManifest {
  kind: ManifestKind;
  ecosystem: Ecosystem;
  dependencies: Dependency[];
  errors: ParseError[];
  /** requirements files only: files this one includes, not yet followed. */
  includes?: ManifestInclude[];
  /** Registry options written in the manifest (`--index-url`, `source`, …) as they appear. */
  registryOptions?: Array<{ option: string; value: string; range: Range }>;
  /** Directives that pull in dependencies declared elsewhere (Gemfile `gemspec`, `eval_gemfile`); not followed. */
  references?: Array<{ directive: string; value: string; range: Range }>;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export const SEVERITY_ORDER: Record<Severity, number> = { hint: 0, information: 1, warning: 2, error: 3 };

/** Something worth telling the user about a dependency line or a manifest. */
export interface Finding {
  /** Stable rule id: `typosquat`, `parse-error`, `config-error`, … */
  rule: string;
  severity: Severity;
  message: string;
  ecosystem: Ecosystem;
  /** The package the finding is about ('' for file-level findings such as parse errors). */
  package: string;
  range: Range;
  /** The file the finding belongs to when it is not the document being checked (requirements includes). */
  file?: string;
  /** The likely intended package, or another one-line fix. */
  suggestion?: string;
  /** Machine-readable details code actions use. */
  data?: Record<string, unknown>;
}
