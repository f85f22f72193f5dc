import type { Comparator, ConditionOf, PathSegment } from './nodes.js';

/**
 * A parser for DynamoDB's condition grammar, as raw filter strings write it with model attribute
 * names and `:named` parameters: comparisons, BETWEEN, IN, AND / OR / NOT, parentheses, and the
 * functions attribute_exists, attribute_not_exists, attribute_type, begins_with, contains, size.
 * Its output is a syntax tree of names and parameters; `query/raw-filter.ts` maps it onto a model.
 * `#placeholders`, literals and anything outside the grammar are syntax errors: text never
 * reaches DynamoDB as it was written.
 */
export type RawOperand =
  | { readonly kind: 'path'; readonly segments: readonly PathSegment[]; readonly at: number }
  | { readonly kind: 'param'; readonly name: string; readonly at: number }
  | { readonly kind: 'size'; readonly segments: readonly PathSegment[]; readonly at: number };

export type RawPath = Extract<RawOperand, { kind: 'path' }>;

export type RawCondition = ConditionOf<RawOperand, RawPath, RawOperand>;

/** A syntax error at a 0-based position of the text. */
export class ExpressionSyntaxError extends Error {
  constructor(readonly position: number, readonly problem: string) {
    super(problem);
  }
}

type TokenKind = 'name' | 'param' | 'number' | 'op' | '(' | ')' | ',' | '.' | '[' | ']' | 'end';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly at: number;
}

const isNameStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isNamePart = (c: number): boolean => isNameStart(c) || (c >= 48 && c <= 57);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    const start = i;
    if (isNameStart(c)) {
      while (i < text.length && isNamePart(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'name', text: text.slice(start, i), at: start });
    } else if (isDigit(c)) {
      while (i < text.length && isDigit(text.charCodeAt(i))) i++;
      tokens.push({ kind: 'number', text: text.slice(start, i), at: start });
    } else if (c === 58 /* : */) {
      i++;
      while (i < text.length && isNamePart(text.charCodeAt(i))) i++;
      if (i === start + 1) throw new ExpressionSyntaxError(start, 'a parameter name after ":" (letters, digits, _)');
      tokens.push({ kind: 'param', text: text.slice(start + 1, i), at: start });
    } else if (c === 60 /* < */) {
      const next = text[i + 1];
      const op = next === '>' ? '<>' : next === '=' ? '<=' : '<';
      i += op.length;
      tokens.push({ kind: 'op', text: op, at: start });
    } else if (c === 62 /* > */) {
      const op = text[i + 1] === '=' ? '>=' : '>';
      i += op.length;
      tokens.push({ kind: 'op', text: op, at: start });
    } else if (c === 61 /* = */) {
      i++;
      tokens.push({ kind: 'op', text: '=', at: start });
    } else if ('(),.[]'.includes(text[i]!)) {
      i++;
      tokens.push({ kind: text[start] as TokenKind, text: text[start]!, at: start });
    } else {
      const what = text[i] === '#' ? '"#": write attribute names as the model names them, without # placeholders' : `character ${JSON.stringify(text[i])}`;
      throw new ExpressionSyntaxError(start, `unexpected ${what}`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']);
const CONDITION_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains']);

class Parser {
  private i = 0;
  constructor(private readonly tokens: readonly Token[]) {}

  private get peek(): Token {
    return this.tokens[this.i]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private keyword(word: string): boolean {
    const t = this.peek;
    if (t.kind === 'name' && t.text.toUpperCase() === word) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(kind: TokenKind, what: string): Token {
    const t = this.peek;
    if (t.kind !== kind) this.fail(what, t);
    return this.next();
  }
  private fail(expected: string, t: Token = this.peek): never {
    throw new ExpressionSyntaxError(t.at, `expected ${expected}, found ${t.kind === 'end' ? 'the end' : JSON.stringify(t.kind === 'param' ? `:${t.text}` : t.text)}`);
  }

  parse(): RawCondition {
    const condition = this.or();
    if (this.peek.kind !== 'end') this.fail('AND, OR or the end');
    return condition;
  }

  private or(): RawCondition {
    const items = [this.and()];
    while (this.keyword('OR')) items.push(this.and());
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  }

  private and(): RawCondition {
    const items = [this.not()];
    while (this.keyword('AND')) items.push(this.not());
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  }

  private not(): RawCondition {
    if (this.keyword('NOT')) return { kind: 'not', item: this.not() };
    return this.primary();
  }

  private primary(): RawCondition {
    const t = this.peek;
    if (t.kind === '(') {
      this.next();
      const inner = this.or();
      this.expect(')', '")"');
      return inner;
    }
    if (t.kind === 'name' && this.tokens[this.i + 1]?.kind === '(' && CONDITION_FUNCTIONS.has(t.text)) return this.func();
    const left = this.operand();
    if (this.peek.kind === 'op') {
      const op = this.next().text as Comparator;
      return { kind: 'compare', op, left, right: this.operand() };
    }
    if (this.keyword('BETWEEN')) {
      const low = this.operand();
      if (!this.keyword('AND')) this.fail('AND in BETWEEN … AND …');
      return { kind: 'between', operand: left, low, high: this.operand() };
    }
    if (this.keyword('IN')) {
      this.expect('(', '"(" after IN');
      const values = [this.operand()];
      while (this.peek.kind === ',') {
        this.next();
        values.push(this.operand());
      }
      this.expect(')', '"," or ")" in IN (…)');
      if (values.length > 100) throw new ExpressionSyntaxError(t.at, 'at most 100 values in IN (…)');
      return { kind: 'in', operand: left, values };
    }
    return this.fail('a comparator (=, <>, <, <=, >, >=), BETWEEN or IN');
  }

  private func(): RawCondition {
    const name = this.next().text;
    this.expect('(', '"("');
    const path = this.path();
    let result: RawCondition;
    if (name === 'attribute_exists' || name === 'attribute_not_exists') {
      result = { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', path };
    } else {
      this.expect(',', `"," and a second argument of ${name}`);
      const second = this.operand();
      result = name === 'attribute_type' ? { kind: 'attribute_type', path, type: second } : { kind: name as 'begins_with' | 'contains', path, value: second };
    }
    this.expect(')', `")" closing ${name}(…)`);
    return result;
  }

  private operand(): RawOperand {
    const t = this.peek;
    if (t.kind === 'param') {
      this.next();
      return { kind: 'param', name: t.text, at: t.at };
    }
    if (t.kind === 'name' && t.text === 'size' && this.tokens[this.i + 1]?.kind === '(') {
      this.next();
      this.next();
      const path = this.path();
      this.expect(')', '")" closing size(…)');
      return { kind: 'size', segments: path.segments, at: t.at };
    }
    return this.path();
  }

  private path(): RawPath {
    const first = this.peek;
    if (first.kind !== 'name' || KEYWORDS.has(first.text.toUpperCase())) this.fail('an attribute name, a :parameter or size(…)');
    this.next();
    const segments: PathSegment[] = [first.text];
    for (;;) {
      if (this.peek.kind === '.') {
        this.next();
        const name = this.peek;
        if (name.kind !== 'name') this.fail('a name after "."');
        this.next();
        segments.push(name.text);
      } else if (this.peek.kind === '[') {
        this.next();
        const index = this.expect('number', 'a list index');
        this.expect(']', '"]"');
        segments.push(Number(index.text));
      } else break;
    }
    return { kind: 'path', segments, at: first.at };
  }
}

const parsed = new Map<string, RawCondition>();
const CACHE_LIMIT = 512;

/** Parses a condition; the tree of a text seen before is reused (trees are never mutated). */
export function parseCondition(text: string): RawCondition {
  let tree = parsed.get(text);
  if (tree === undefined) {
    tree = new Parser(tokenize(text)).parse();
    if (parsed.size >= CACHE_LIMIT) parsed.clear();
    parsed.set(text, tree);
  }
  return tree;
}
