import type { Dependency, DependencySource, ParsedManifest, ParseError, Range } from '../model';
import { normalizeName } from '../normalize';
import { LineIndex } from '../text/lineIndex';
import { lexGemfile, type GemToken } from './gemfileLexer';
import { splitGemStatements, type GemStatement } from './gemfileStatements';

/*
 * Gemfile → dependencies, without evaluating Ruby. The Bundler DSL subset is read statement by statement:
 * `gem` lines become dependencies; `group`, `platforms`, `source`, `git`, `github`, `path`, `install_if`,
 * `env` and `if`/`unless`/`case` blocks add context to the gems inside them; every `end` and `}` is matched
 * against the block it closes so that one odd construct does not derail the rest of the file.
 * Kinds: a gem whose groups are all `development`/`test` is 'dev'; anything else is 'runtime' (with `group`).
 * Gems whose name is computed (`gem name`, `"rails-#{x}"`) cannot be read statically and are skipped.
 */

type Extras = Record<string, string | string[] | boolean>;
type OptionValue = string | string[] | boolean;

const DEV_GROUPS = new Set(['development', 'test']);
const GIT_HOST_OPTIONS = new Set(['github', 'gitlab', 'bitbucket', 'gist']);
// Keywords that open a block closed by `end` when they start a statement.
const BLOCK_KEYWORDS = new Set(['if', 'unless', 'while', 'until', 'case', 'begin', 'def', 'class', 'module', 'for']);
const MODIFIER_KEYWORDS = new Set(['if', 'unless', 'while', 'until', 'rescue']);

interface Block {
  closer: 'end' | '}';
  start: number;
  end: number;
  groups?: string[];
  optionalGroup?: boolean;
  platforms?: string[];
  /** git/path/registry source every gem in the block uses. */
  source?: { source: DependencySource; key: string; value: string };
  condition?: string;
}

/** Parses Gemfile text into RubyGems dependencies with exact ranges. Never throws. */
export function parseGemfile(text: string): ParsedManifest {
  const reader = new GemfileReader(text);
  try {
    reader.read();
  } catch (error) {
    reader.error(`Gemfile could not be read: ${error instanceof Error ? error.message : String(error)}`, 0, Math.min(1, text.length));
  }
  const manifest: ParsedManifest = { kind: 'gemfile', ecosystem: 'RubyGems', dependencies: reader.dependencies, errors: reader.errors };
  if (reader.registryOptions.length > 0) manifest.registryOptions = reader.registryOptions;
  if (reader.references.length > 0) manifest.references = reader.references;
  return manifest;
}

class GemfileReader {
  readonly dependencies: Dependency[] = [];
  readonly errors: ParseError[] = [];
  readonly registryOptions: NonNullable<ParsedManifest['registryOptions']> = [];
  readonly references: NonNullable<ParsedManifest['references']> = [];
  private readonly lines: LineIndex;
  private readonly blocks: Block[] = [];
  /** Option names declared with `git_source(:name)`; gems using them come from git. */
  private readonly gitSources = new Set(GIT_HOST_OPTIONS);

  constructor(private readonly text: string) {
    this.lines = new LineIndex(text);
  }

  read(): void {
    const { tokens, problems } = lexGemfile(this.text);
    for (const p of problems) this.error(p.message, p.start, p.end);
    for (const statement of splitGemStatements(tokens)) this.statement(statement);
    for (const block of this.blocks) this.error("Block is never closed with 'end'", block.start, block.end);
  }

  private statement(stmt: GemStatement): void {
    let tokens = stmt.tokens;
    const head = tokens[0] as GemToken;
    if (head.type === 'op' && head.value === '}') {
      this.close('}', head);
      return;
    }
    if (head.type === 'ident' && head.value === 'end') {
      this.close('end', head);
      return;
    }
    // An endless method (`def name = expr`) has no `end`.
    if (head.type === 'ident' && head.value === 'def' && tokens.some((t) => t.type === 'op' && t.value === '=')) return;
    if (head.type === 'ident' && BLOCK_KEYWORDS.has(head.value)) {
      const isCondition = head.value === 'if' || head.value === 'unless' || head.value === 'case';
      const rest = this.source(tokens.slice(1));
      this.open({ closer: 'end', ...(isCondition ? { condition: head.value === 'unless' ? `!(${rest})` : rest } : {}) }, head);
      return;
    }
    if (head.type === 'ident' && ['elsif', 'else', 'when', 'in'].includes(head.value)) {
      this.branch(head, tokens);
      return;
    }
    // `gem "x" if cond`: the modifier guards the whole statement.
    let modifier: string | undefined;
    const modifierAt = findModifier(tokens);
    if (modifierAt > 0 && valuePosition(tokens[modifierAt - 1] as GemToken)) {
      // `x = if cond` … `end`: an if expression, not a modifier; it owns a block.
      const cond = this.source(tokens.slice(modifierAt + 1));
      this.open({ closer: 'end', condition: (tokens[modifierAt] as GemToken).value === 'unless' ? `!(${cond})` : cond }, head);
      return;
    }
    if (modifierAt > 0) {
      const keyword = (tokens[modifierAt] as GemToken).value;
      const cond = this.source(tokens.slice(modifierAt + 1, stmt.opens === 'do' ? lastDoIndex(tokens) : tokens.length));
      modifier = keyword === 'unless' ? `!(${cond})` : keyword === 'if' ? cond : `${keyword} ${cond}`;
      tokens = tokens.slice(0, modifierAt);
    }
    const args = callArguments(tokens.slice(1), stmt.opens === 'do');
    const verb = head.type === 'ident' ? head.value : '';
    const handled = this.dslCall(verb, head, args, stmt, modifier);
    if (!handled && stmt.opens) this.open({ closer: stmt.opens === 'do' ? 'end' : '}' }, head);
  }

  /** Handles the DSL methods; returns true when it opened the statement's block itself. */
  private dslCall(verb: string, head: GemToken, args: GemToken[][], stmt: GemStatement, modifier?: string): boolean {
    const opens = stmt.opens !== undefined;
    const closer = stmt.opens === 'brace' ? '}' : 'end';
    switch (verb) {
      case 'gem':
        this.gem(head, args, modifier);
        return false;
      case 'group':
      case 'groups': {
        if (!opens) return false;
        const { positional, options } = this.splitOptions(args);
        const groups = positional.flatMap((a) => toStrings(literal(a)));
        this.open({ closer, groups, ...(options.get('optional') === true ? { optionalGroup: true } : {}) }, head);
        return true;
      }
      case 'platforms':
      case 'platform': {
        if (!opens) return false;
        const platforms = this.splitOptions(args).positional.flatMap((a) => toStrings(literal(a)));
        this.open({ closer, platforms }, head);
        return true;
      }
      case 'source': {
        const arg = args[0];
        const value = arg ? this.valueText(arg) : '';
        if (opens) {
          this.open({ closer, source: { source: 'registry', key: 'source', value } }, head);
          return true;
        }
        if (arg) this.registryOptions.push({ option: 'source', value, range: this.tokensRange(arg) });
        return false;
      }
      case 'git':
      case 'github':
      case 'path': {
        if (!opens) return false;
        const arg = args[0];
        const source: DependencySource = verb === 'path' ? 'path' : 'git';
        this.open({ closer, source: { source, key: verb, value: arg ? this.valueText(arg) : '' } }, head);
        return true;
      }
      case 'install_if':
      case 'env': {
        if (!opens) return false;
        const cond = verb === 'env' ? `ENV[${this.source(args[0] ?? [])}]` : this.source(args.flat());
        this.open({ closer, condition: cond }, head);
        return true;
      }
      case 'git_source': {
        // `git_source(:name) { |repo| … }`: the block keeps the parentheses from being stripped.
        const name = args.flat().find((t) => t.type === 'symbol' || t.type === 'string');
        if (name) this.gitSources.add(name.value);
        return false;
      }
      case 'gemspec': {
        const { options } = this.splitOptions(args);
        const value = [options.get('path'), options.get('name')].filter((v): v is string => typeof v === 'string').join(' ');
        this.references.push({ directive: 'gemspec', value, range: this.lines.rangeAt(head.start, head.end) });
        return false;
      }
      case 'eval_gemfile': {
        const arg = args[0];
        if (arg) this.references.push({ directive: 'eval_gemfile', value: this.valueText(arg), range: this.tokensRange(arg) });
        return false;
      }
      default:
        return false;
    }
  }

  private gem(head: GemToken, args: GemToken[][], modifier?: string): void {
    const nameArg = args[0];
    const nameToken = nameArg?.[0];
    if (!nameArg || !nameToken) {
      this.error('gem needs a name', head.outerStart, head.outerEnd);
      return;
    }
    if (nameToken.type === 'symbol' || nameToken.type === 'number' || (nameToken.type === 'string' && nameToken.value.trim() === '' && !nameToken.dynamic)) {
      this.error('The gem name must be a non-empty string', nameToken.outerStart, nameToken.outerEnd);
      return;
    }
    // A computed name cannot be known without running Ruby.
    if (nameArg.length !== 1 || nameToken.type !== 'string' || nameToken.dynamic) return;

    const { positional, options } = this.splitOptions(args.slice(1));
    const requirements: GemToken[] = [];
    for (const arg of positional) {
      const tokens = arg[0]?.type === 'op' && arg[0].value === '[' ? arg.filter((t) => t.type === 'string') : arg.length === 1 && arg[0]?.type === 'string' ? arg : [];
      requirements.push(...tokens);
    }

    const ctx = this.context();
    const groups = [...ctx.groups];
    const platforms = [...ctx.platforms];
    let source: DependencySource = ctx.source?.source ?? 'registry';
    const extras: Extras = {};
    if (ctx.source) extras[ctx.source.key] = ctx.source.value;
    if (ctx.optionalGroup) extras.optionalGroup = true;
    for (const [key, value] of options) {
      if (key === 'group' || key === 'groups') groups.push(...toStrings(value));
      else if (key === 'platform' || key === 'platforms') platforms.push(...toStrings(value));
      else {
        extras[key] = value;
        if (key === 'git' || this.gitSources.has(key)) source = 'git';
        else if (key === 'path') source = 'path';
      }
    }
    const conditions = [...ctx.conditions, ...(modifier ? [modifier] : [])];
    if (conditions.length > 0) extras.condition = conditions.join(' && ');
    const uniqueGroups = [...new Set(groups)];
    if (platforms.length > 0) extras.platforms = [...new Set(platforms)];
    const specs = requirements.map((t) => t.value.trim());
    if (specs.length > 1) extras.requirements = specs;

    const first = requirements[0];
    const last = requirements[requirements.length - 1];
    const dep: Dependency = {
      ecosystem: 'RubyGems',
      name: nameToken.value,
      normalizedName: normalizeName('RubyGems', nameToken.value),
      spec: specs.join(', '),
      kind: uniqueGroups.length > 0 && uniqueGroups.every((g) => DEV_GROUPS.has(g)) ? 'dev' : 'runtime',
      source,
      nameRange: this.lines.rangeAt(nameToken.start, nameToken.end),
      ...(first && last ? { specRange: this.lines.rangeAt(first.start, last.end) } : {}),
      ...(uniqueGroups.length > 0 ? { group: uniqueGroups.join(',') } : {}),
      ...(Object.keys(extras).length > 0 ? { extras } : {}),
    };
    this.dependencies.push(dep);
  }

  /** What the enclosing blocks say about a gem: groups, platforms, source and conditions, outermost first. */
  private context(): { groups: string[]; platforms: string[]; conditions: string[]; source?: Block['source']; optionalGroup: boolean } {
    const ctx = { groups: [] as string[], platforms: [] as string[], conditions: [] as string[], source: undefined as Block['source'], optionalGroup: false };
    for (const b of this.blocks) {
      if (b.groups) ctx.groups.push(...b.groups);
      if (b.platforms) ctx.platforms.push(...b.platforms);
      if (b.condition) ctx.conditions.push(b.condition);
      if (b.source) ctx.source = b.source;
      if (b.optionalGroup) ctx.optionalGroup = true;
    }
    return ctx;
  }

  /** Splits call arguments into positional ones and `key: value` / `:key => value` / `{…}` options. */
  private splitOptions(args: GemToken[][]): { positional: GemToken[][]; options: Map<string, OptionValue> } {
    const positional: GemToken[][] = [];
    const options = new Map<string, OptionValue>();
    const addPair = (arg: GemToken[]): boolean => {
      const [k, arrow] = arg;
      if (k?.type === 'label') {
        options.set(k.value, this.optionValue(arg.slice(1)));
        return true;
      }
      if (k && (k.type === 'symbol' || k.type === 'string') && arrow?.type === 'op' && arrow.value === '=>') {
        options.set(k.value, this.optionValue(arg.slice(2)));
        return true;
      }
      return false;
    };
    for (const arg of args) {
      if (addPair(arg)) continue;
      const open = arg[0];
      const close = arg[arg.length - 1];
      if (open?.type === 'op' && open.value === '{' && close?.type === 'op' && close.value === '}' && arg.length > 1) {
        for (const inner of splitTopLevel(arg.slice(1, -1))) addPair(inner);
        continue;
      }
      if (open?.type === 'op' && (open.value === '**' || open.value === '*' || open.value === '&')) continue;
      positional.push(arg);
    }
    return { positional, options };
  }

  private optionValue(tokens: GemToken[]): OptionValue {
    return literal(tokens) ?? this.source(tokens);
  }

  /** A string or symbol argument's value, else the argument's source text. */
  private valueText(arg: GemToken[]): string {
    const only = arg[0];
    if (arg.length === 1 && only && (only.type === 'string' || only.type === 'symbol') && !only.dynamic) {
      return only.type === 'symbol' ? `:${only.value}` : only.value;
    }
    return this.source(arg);
  }

  private tokensRange(arg: GemToken[]): Range {
    const first = arg[0] as GemToken;
    const last = arg[arg.length - 1] as GemToken;
    if (arg.length === 1 && first.type === 'string') return this.lines.rangeAt(first.start, first.end);
    return this.lines.rangeAt(first.outerStart, last.outerEnd);
  }

  private source(tokens: GemToken[]): string {
    const first = tokens[0];
    const last = tokens[tokens.length - 1];
    if (!first || !last) return '';
    return this.text.slice(first.outerStart, last.outerEnd).replace(/\s+/g, ' ').trim();
  }

  private branch(head: GemToken, tokens: GemToken[]): void {
    const top = this.blocks[this.blocks.length - 1];
    if (!top || top.closer !== 'end') {
      this.error(`Unexpected '${head.value}'`, head.outerStart, head.outerEnd);
      return;
    }
    // Gems after `else` are guarded by the opposite of the original condition; keep that visible.
    const cond = this.source(tokens.slice(1));
    if (head.value === 'else') top.condition = top.condition !== undefined ? `!(${top.condition})` : 'else';
    else top.condition = head.value === 'elsif' ? cond : `${top.condition ?? 'case'} when ${cond}`;
  }

  private open(block: Omit<Block, 'start' | 'end'>, head: GemToken): void {
    this.blocks.push({ ...block, start: head.outerStart, end: head.outerEnd });
  }

  private close(closer: Block['closer'], token: GemToken): void {
    const top = this.blocks[this.blocks.length - 1];
    if (!top) {
      this.error(`Unexpected '${token.value}' with no open block`, token.outerStart, token.outerEnd);
      return;
    }
    if (top.closer !== closer) {
      this.error(`Expected '${top.closer}' but found '${token.value}'`, token.outerStart, token.outerEnd);
      // Recover: close the nearest block this token does close, if any.
      const match = this.blocks.map((b) => b.closer).lastIndexOf(closer);
      if (match >= 0) this.blocks.length = match;
      return;
    }
    this.blocks.pop();
  }

  error(message: string, start: number, end: number): void {
    this.errors.push({ message, range: this.lines.rangeAt(start, end) });
  }
}

/** Index of a trailing `if`/`unless`/… modifier at bracket depth 0, or -1. */
function findModifier(tokens: GemToken[]): number {
  let depth = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as GemToken;
    if (t.type === 'op') {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') depth--;
      continue;
    }
    if (depth === 0 && t.type === 'ident' && MODIFIER_KEYWORDS.has(t.value)) {
      const prev = tokens[i - 1];
      if (prev?.type === 'op' && ['.', '&.', '::'].includes(prev.value)) continue;
      return i;
    }
  }
  return -1;
}

// After these an `if` starts an expression rather than guarding the statement.
function valuePosition(prev: GemToken): boolean {
  return prev.type === 'op' && ['=', '||=', '&&=', '(', ',', '=>', '[', '+=', '<<'].includes(prev.value);
}

function lastDoIndex(tokens: GemToken[]): number {
  for (let i = tokens.length - 1; i >= 0; i--) {
    const t = tokens[i] as GemToken;
    if (t.type === 'ident' && t.value === 'do') return i;
  }
  return tokens.length;
}

/** The argument list of a call: optional parentheses removed, trailing `do |…|` dropped, split at top-level commas. */
function callArguments(tokens: GemToken[], opensDo: boolean): GemToken[][] {
  let body = opensDo ? tokens.slice(0, lastDoIndex(tokens)) : tokens;
  const open = body[0];
  const close = body[body.length - 1];
  if (open?.type === 'op' && open.value === '(' && close?.type === 'op' && close.value === ')' && matchingParen(body) === body.length - 1) {
    body = body.slice(1, -1);
  }
  return splitTopLevel(body);
}

function matchingParen(tokens: GemToken[]): number {
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as GemToken;
    if (t.type !== 'op') continue;
    if (t.value === '(') depth++;
    else if (t.value === ')' && --depth === 0) return i;
  }
  return -1;
}

function splitTopLevel(tokens: GemToken[]): GemToken[][] {
  const out: GemToken[][] = [];
  let current: GemToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === 'op') {
      if (t.value === '(' || t.value === '[' || t.value === '{') depth++;
      else if (t.value === ')' || t.value === ']' || t.value === '}') depth = Math.max(0, depth - 1);
      else if (t.value === ',' && depth === 0) {
        if (current.length > 0) out.push(current);
        current = [];
        continue;
      }
    }
    current.push(t);
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** The value of a literal argument: string, symbol, boolean, `%w[]` or an array of those; undefined otherwise. */
function literal(tokens: GemToken[]): OptionValue | undefined {
  const first = tokens[0];
  if (!first) return undefined;
  if (tokens.length === 1) {
    if ((first.type === 'string' && !first.dynamic) || first.type === 'symbol') return first.value;
    if (first.type === 'ident' && (first.value === 'true' || first.value === 'false')) return first.value === 'true';
    if (first.type === 'words') return (first.items ?? []).map((i) => i.value);
    return undefined;
  }
  const last = tokens[tokens.length - 1];
  if (first.type === 'op' && first.value === '[' && last?.type === 'op' && last.value === ']') {
    const inner = tokens.slice(1, -1).filter((t) => !(t.type === 'op' && t.value === ','));
    if (inner.every((t) => (t.type === 'string' && !t.dynamic) || t.type === 'symbol')) return inner.map((t) => t.value);
  }
  return undefined;
}

function toStrings(value: OptionValue | undefined): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value;
  return [];
}
