import type { GemToken } from './gemfileLexer';

/**
 * Groups Gemfile tokens into statements the way Ruby ends them: at a line break (unless the line
 * obviously continues: open brackets, a trailing comma or operator), at `;`, after a block-opening
 * `do |…|`, at `then`, and around `end`. A statement remembers whether it opens a `do`/`{` block, so the
 * reader can match every `end` and `}` against the block it closes.
 */
export interface GemStatement {
  tokens: GemToken[];
  /** `do` for `… do |x|`, `brace` for a `{` left open at the end of a line. */
  opens?: 'do' | 'brace';
}

// A line ending in one of these continues on the next line.
const CONTINUING_OPS = new Set([',', '=>', '&&', '||', '+', '-', '*', '/', '.', '&.', '::', '=', '==', '!=', '?', '<<', '|', '->', '(', '[', '{']);
const CONTINUING_WORDS = new Set(['and', 'or', 'not']);
// After these a `{` starts a hash, not a block.
const HASH_CONTEXT_OPS = new Set(['(', ',', '=>', '=', '[', '{', '||', '&&', '?', ':', '**', '==', '!=', '<<']);

/** Splits a token stream into statements. Linear; never throws. */
export function splitGemStatements(tokens: readonly GemToken[]): GemStatement[] {
  const statements: GemStatement[] = [];
  let current: GemToken[] = [];
  let brackets: string[] = [];
  const finish = (opens?: GemStatement['opens']): void => {
    if (current.length > 0) statements.push(opens ? { tokens: current, opens } : { tokens: current });
    current = [];
    brackets = [];
  };

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as GemToken;
    const prev = current[current.length - 1];
    if (t.type === 'newline') {
      const top = brackets[brackets.length - 1];
      if (top === '{block') finish('brace');
      else if (top !== undefined) continue;
      else if (prev && continues(prev)) continue;
      else finish();
      continue;
    }
    if (t.type === 'op' && t.value === ';' && brackets.length === 0) {
      finish();
      continue;
    }
    if (t.type === 'op') {
      if (t.value === '(' || t.value === '[') brackets.push(t.value);
      else if (t.value === '{') brackets.push(isHashBrace(prev) ? '{hash' : '{block');
      else if (t.value === ')' || t.value === ']' || t.value === '}') {
        if (brackets.length === 0 && t.value === '}') {
          // Closes a brace block opened on an earlier line.
          finish();
          current.push(t);
          finish();
          continue;
        }
        brackets.pop();
      }
      current.push(t);
      continue;
    }
    if (t.type === 'ident' && brackets.length === 0 && !afterDot(prev)) {
      if (t.value === 'do') {
        current.push(t);
        i = takeBlockParams(tokens, i, current);
        finish('do');
        continue;
      }
      if (t.value === 'then') {
        finish();
        continue;
      }
      if (t.value === 'else' && current.length === 0) {
        // `else gem "x"` on one line: the branch keyword is a statement of its own.
        current.push(t);
        finish();
        continue;
      }
      if (t.value === 'end') {
        finish();
        current.push(t);
        finish();
        continue;
      }
    }
    current.push(t);
  }
  const top = brackets[brackets.length - 1];
  finish(top === '{block' ? 'brace' : undefined);
  return statements;
}

function continues(last: GemToken): boolean {
  if (last.type === 'label') return true;
  if (last.type === 'op') return CONTINUING_OPS.has(last.value);
  return last.type === 'ident' && CONTINUING_WORDS.has(last.value);
}

function isHashBrace(prev: GemToken | undefined): boolean {
  if (!prev || prev.type === 'label') return true;
  if (prev.type === 'op') return HASH_CONTEXT_OPS.has(prev.value);
  return prev.type === 'ident' && ['return', 'if', 'unless', 'and', 'or', 'when'].includes(prev.value);
}

function afterDot(prev: GemToken | undefined): boolean {
  return prev?.type === 'op' && (prev.value === '.' || prev.value === '&.' || prev.value === '::');
}

// Consumes `|a, b|` after `do` into the statement; returns the index of the last token consumed.
function takeBlockParams(tokens: readonly GemToken[], doIndex: number, into: GemToken[]): number {
  const open = tokens[doIndex + 1];
  if (open?.type === 'op' && open.value === '||') {
    into.push(open);
    return doIndex + 1;
  }
  if (open?.type !== 'op' || open.value !== '|') return doIndex;
  for (let j = doIndex + 1; j < tokens.length; j++) {
    const t = tokens[j] as GemToken;
    if (t.type === 'newline') return j - 1;
    into.push(t);
    if (j > doIndex + 1 && t.type === 'op' && t.value === '|') return j;
  }
  return tokens.length - 1;
}
