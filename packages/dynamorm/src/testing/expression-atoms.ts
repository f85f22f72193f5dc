import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ExpressionCompiler } from '../expression/compile.js';
import type { Condition, UpdateAction } from '../expression/nodes.js';
import { canonical, display } from './attribute-values.js';

/**
 * One condition or update clause of a compiled request with its placeholders put back:
 * `key` compares (stored names, canonical values), `text` is shown in messages (model names).
 */
export interface Atom {
  readonly key: string;
  readonly text: string;
}

export interface Placeholders {
  readonly names: Readonly<Record<string, string>> | undefined;
  readonly values: Readonly<Record<string, AttributeValue>> | undefined;
  /** Stored attribute name → the model's attribute name, for messages. */
  readonly rename: (field: string) => string;
}

/** Index just past the `)` that closes the `(` at `open`, or -1. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Splits at `separator` outside parentheses; `BETWEEN a AND b` keeps its own AND. */
function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  let between = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0) {
      if (text.startsWith(' BETWEEN ', i)) between = true;
      else if (text.startsWith(separator, i)) {
        if (separator === ' AND ' && between) between = false;
        else {
          parts.push(text.slice(start, i).trim());
          start = i + separator.length;
        }
      }
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/** Conjuncts of a condition: `a AND (b AND c)` gives a, b, c; an `(x OR y)` group stays whole. */
function conjuncts(text: string): string[] {
  const out: string[] = [];
  for (const part of splitTopLevel(text, ' AND ')) {
    const wrapped = part.startsWith('(') && closing(part, 0) === part.length;
    const inner = wrapped ? part.slice(1, -1) : '';
    if (wrapped && splitTopLevel(inner, ' OR ').length === 1) out.push(...conjuncts(inner));
    else out.push(part);
  }
  return out;
}

function substitute(text: string, p: Placeholders): Atom {
  const token = /([#:])([A-Za-z0-9_]+)/g;
  const key = text.replace(token, (t, kind: string) => (kind === '#' ? p.names?.[t] ?? t : p.values?.[t] === undefined ? t : canonical(p.values[t]!)));
  const shown = text.replace(token, (t, kind: string, _name: string, offset: number) => {
    if (kind === ':') return p.values?.[t] === undefined ? t : display(p.values[t]!);
    const name = p.names?.[t] ?? t;
    // Only a top-level name is an attribute of the model; nested map keys stay as they are.
    return text[offset - 1] === '.' ? name : p.rename(name);
  });
  return { key, text: shown };
}

/** The conjuncts of a condition expression (key condition, filter or write condition). */
export function conditionAtoms(expression: string | undefined, p: Placeholders): Atom[] {
  return expression === undefined ? [] : conjuncts(expression).map((c) => substitute(c, p));
}

/** The clauses of an update expression, each as `SET a = v`, `REMOVE a`, `ADD a v`, `DELETE a v`. */
export function updateAtoms(expression: string | undefined, p: Placeholders): Atom[] {
  if (expression === undefined) return [];
  const atoms: Atom[] = [];
  const clause = /(?:^|\s)(SET|REMOVE|ADD|DELETE)\s/g;
  const starts = [...expression.matchAll(clause)];
  starts.forEach((m, i) => {
    const from = m.index + m[0].length;
    const to = i + 1 < starts.length ? starts[i + 1]!.index : expression.length;
    for (const action of splitTopLevel(expression.slice(from, to), ',')) atoms.push(substitute(`${m[1]} ${action}`, p));
  });
  return atoms;
}

/** A condition built by the model, compiled by the production compiler and decoded as requests are. */
export function compiledAtoms(condition: Condition, rename: (field: string) => string): Atom[] {
  const compiler = new ExpressionCompiler();
  const text = compiler.condition(condition);
  const { ExpressionAttributeNames: names, ExpressionAttributeValues: values } = compiler.attributes();
  return conditionAtoms(text, { names, values, rename });
}

/** Update actions, compiled and decoded the same way. */
export function compiledUpdateAtoms(actions: readonly UpdateAction[], rename: (field: string) => string): Atom[] {
  const compiler = new ExpressionCompiler();
  const text = compiler.update(actions);
  const { ExpressionAttributeNames: names, ExpressionAttributeValues: values } = compiler.attributes();
  return updateAtoms(text, { names, values, rename });
}

/** The plain `SET a = :v` assignments of an update expression, as a stored (partial) item. */
export function assignedValues(expression: string | undefined, names: Readonly<Record<string, string>> | undefined, values: Readonly<Record<string, AttributeValue>> | undefined): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  const set = /(?:^|\s)SET\s(.*?)(?=\s(?:REMOVE|ADD|DELETE)\s|$)/.exec(expression ?? '');
  if (set === null) return out;
  for (const action of splitTopLevel(set[1]!, ',')) {
    const m = /^(#[A-Za-z0-9_]+) = (:[A-Za-z0-9_]+)$/.exec(action);
    const name = m === null ? undefined : names?.[m[1]!];
    const v = m === null ? undefined : values?.[m[2]!];
    if (name !== undefined && v !== undefined) out[name] = v;
  }
  return out;
}
