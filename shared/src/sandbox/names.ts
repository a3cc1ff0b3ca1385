/**
 * Package requests from the command line or a manifest, validated against each ecosystem's name and
 * version grammar before they reach any command. Anything that could be read as an option, a path,
 * a URL or a VCS reference is refused: the sandbox fetches registry packages only.
 */
import type { Ecosystem } from '../model';

/** A validated package request. `argument` is the exact string handed to the package manager. */
export interface PackageRequest {
  ecosystem: Ecosystem;
  name: string;
  /** Version or range as the user wrote it ('' = latest). */
  spec: string;
  /** pip extras (`name[extra]`). */
  extras?: string[];
  /** What the package manager receives as one argv element, e.g. `requests==2.32.3`, `left-pad@^1`. */
  argument: string;
}

/** Thrown for a request that does not fit the ecosystem's grammar. */
export class InvalidPackageError extends Error {
  override readonly name = 'InvalidPackageError';
}

const PEP508_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,198}[A-Za-z0-9])?$/;
const PEP440_CLAUSE = /^(?:===|==|~=|!=|<=|>=|<|>)\s*[A-Za-z0-9][A-Za-z0-9.*+!_-]{0,63}$/;
const NPM_PART = /^[a-z0-9~][a-z0-9._~-]*$/;
// npm ranges: versions, dist-tags and operators only — no `:` or `/`, so no git, file, URL or alias specs.
const NPM_SPEC = /^[A-Za-z0-9.^~<>=|*+ -]{1,100}$/;
const CRATE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const CARGO_SPEC = /^[0-9A-Za-z.^~<>=,*+ -]{1,64}$/;
const GO_ELEMENT = /^[A-Za-z0-9_~][A-Za-z0-9._~-]*$/;
const GO_VERSION = /^(?:latest|v[0-9]+\.[0-9]+\.[0-9]+(?:[-+][0-9A-Za-z.+-]{1,80})?)$/;
const GEM_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const GEM_CLAUSE = /^(?:(?:=|!=|>=|<=|>|<|~>)\s*)?[0-9][0-9A-Za-z.]{0,40}$/;

function fail(ecosystem: Ecosystem, input: string, why: string): never {
  throw new InvalidPackageError(`'${input}' is not a valid ${ecosystem} package request: ${why}`);
}

function parsePip(input: string): PackageRequest {
  const m = /^([^\s[\]=<>!~@;]+)(?:\[([^\]]*)\])?\s*(?:@\s*([^\s]+)|(.*))$/.exec(input.trim());
  if (!m) fail('PyPI', input, 'expected NAME, NAME==VERSION or NAME[extra]>=VERSION');
  const name = m[1] ?? '';
  if (!PEP508_NAME.test(name)) fail('PyPI', input, 'names are letters, digits, . _ - and start and end with a letter or digit');
  const extras = (m[2] ?? '').split(',').map((e) => e.trim()).filter((e) => e.length > 0);
  for (const extra of extras) if (!PEP508_NAME.test(extra)) fail('PyPI', input, `bad extra '${extra}'`);
  let spec = (m[3] !== undefined ? `==${m[3]}` : (m[4] ?? '')).trim();
  if (spec !== '') {
    const clauses = spec.split(',').map((c) => c.trim());
    for (const clause of clauses) if (!PEP440_CLAUSE.test(clause)) fail('PyPI', input, `bad version clause '${clause}' (no URLs, paths or markers)`);
    spec = clauses.join(',');
  }
  const extraPart = extras.length > 0 ? `[${extras.join(',')}]` : '';
  const request: PackageRequest = { ecosystem: 'PyPI', name, spec, argument: `${name}${extraPart}${spec}` };
  if (extras.length > 0) request.extras = extras;
  return request;
}

function parseNpm(input: string): PackageRequest {
  const trimmed = input.trim();
  const at = trimmed.indexOf('@', trimmed.startsWith('@') ? 1 : 0);
  const name = at > 0 ? trimmed.slice(0, at) : trimmed;
  const spec = at > 0 ? trimmed.slice(at + 1).trim() : '';
  if (name.length > 214) fail('npm', input, 'names are at most 214 characters');
  const parts = name.startsWith('@') ? name.slice(1).split('/') : [name];
  if (parts.length > 2 || (name.startsWith('@') && parts.length !== 2) || parts.some((p) => !NPM_PART.test(p))) {
    fail('npm', input, 'names are lower-case letters, digits, - . _ ~ (optionally @scope/name), not starting with . or _');
  }
  if (spec !== '' && !NPM_SPEC.test(spec)) fail('npm', input, 'only versions, ranges and dist-tags are accepted (no git, file, URL or alias specs)');
  return { ecosystem: 'npm', name, spec, argument: spec === '' ? name : `${name}@${spec}` };
}

function parseCargo(input: string): PackageRequest {
  const [name = '', spec = ''] = input.trim().split('@', 2);
  if (!CRATE_NAME.test(name)) fail('crates.io', input, 'crate names are ASCII letters, digits, - and _, starting with a letter, at most 64 characters');
  if (spec !== '' && !CARGO_SPEC.test(spec)) fail('crates.io', input, 'bad version requirement');
  return { ecosystem: 'crates.io', name, spec, argument: spec === '' ? name : `${name}@${spec}` };
}

function parseGo(input: string): PackageRequest {
  const [name = '', spec = ''] = input.trim().split('@', 2);
  const elements = name.split('/');
  if (name.length > 300 || elements.length < 2 || !elements[0]?.includes('.')) fail('Go', input, 'module paths look like host.tld/owner/repo');
  for (const element of elements) {
    if (!GO_ELEMENT.test(element) || element.endsWith('.') || element === '..') fail('Go', input, `bad path element '${element}'`);
  }
  if (spec !== '' && !GO_VERSION.test(spec)) fail('Go', input, 'versions are vX.Y.Z[-pre] or latest (no branches or commits)');
  return { ecosystem: 'Go', name, spec, argument: `${name}@${spec === '' ? 'latest' : spec}` };
}

function parseGem(input: string): PackageRequest {
  const trimmed = input.trim();
  const sep = trimmed.search(/[@:]/);
  const name = sep > 0 ? trimmed.slice(0, sep) : trimmed;
  const spec = sep > 0 ? trimmed.slice(sep + 1).trim() : '';
  if (!GEM_NAME.test(name)) fail('RubyGems', input, 'gem names are letters, digits, . _ -, starting with a letter or digit');
  if (spec !== '') for (const clause of spec.split(',')) if (!GEM_CLAUSE.test(clause.trim())) fail('RubyGems', input, `bad version clause '${clause.trim()}'`);
  return { ecosystem: 'RubyGems', name, spec, argument: name };
}

/** Validates one request such as `requests==2.32.3`, `@scope/pkg@^1`, `serde@1`, `golang.org/x/mod@v0.20.0`, `rake@13.0`. */
export function parsePackageRequest(ecosystem: Ecosystem, input: string): PackageRequest {
  if (input.trim().startsWith('-')) fail(ecosystem, input, 'it starts with - (options are not package names)');
  if (/[\u0000-\u001f\u007f]/.test(input)) fail(ecosystem, input, 'it contains control characters');
  switch (ecosystem) {
    case 'PyPI': return parsePip(input);
    case 'npm': return parseNpm(input);
    case 'crates.io': return parseCargo(input);
    case 'Go': return parseGo(input);
    case 'RubyGems': return parseGem(input);
  }
}
