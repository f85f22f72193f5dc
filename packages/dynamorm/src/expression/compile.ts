import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Condition, Operand, Path, SetValue, UpdateAction } from './nodes.js';

/**
 * Compiles expression trees to DynamoDB expression text with `#n`/`:v` placeholders. One
 * compiler serves a whole request, so key condition, filter, projection and condition share
 * one set of names and values and never collide; a repeated name reuses its token.
 */
/** Placeholder tokens, made once: most requests use a handful. */
const NAME_TOKENS = Array.from({ length: 64 }, (_, i) => `#${i.toString(36)}`);
const VALUE_TOKENS = Array.from({ length: 64 }, (_, i) => `:${i.toString(36)}`);

export class ExpressionCompiler {
  private readonly nameTokens = new Map<string, string>();
  private names: Record<string, string> | undefined;
  private values: Record<string, AttributeValue> | undefined;
  private valueCount = 0;

  /** The ExpressionAttributeNames/Values to send, or undefined when none were used. */
  attributes(): { ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Record<string, AttributeValue> } {
    return {
      ...(this.names === undefined ? {} : { ExpressionAttributeNames: this.names }),
      ...(this.values === undefined ? {} : { ExpressionAttributeValues: this.values }),
    };
  }

  /** Sets the names and values used so far on a request (without the copies attributes() makes). */
  applyTo(request: { ExpressionAttributeNames?: Record<string, string> | undefined; ExpressionAttributeValues?: Record<string, AttributeValue> | undefined }): void {
    if (this.names !== undefined) request.ExpressionAttributeNames = this.names;
    if (this.values !== undefined) request.ExpressionAttributeValues = this.values;
  }

  name(segment: string): string {
    let token = this.nameTokens.get(segment);
    if (token === undefined) {
      const n = this.nameTokens.size;
      token = NAME_TOKENS[n] ?? `#${n.toString(36)}`;
      this.nameTokens.set(segment, token);
      (this.names ??= {})[token] = segment;
    }
    return token;
  }

  value(v: AttributeValue): string {
    const n = this.valueCount++;
    const token = VALUE_TOKENS[n] ?? `:${n.toString(36)}`;
    (this.values ??= {})[token] = v;
    return token;
  }

  path(p: Path): string {
    let out = '';
    for (const segment of p) out += typeof segment === 'number' ? `[${segment}]` : out === '' ? this.name(segment) : `.${this.name(segment)}`;
    return out;
  }

  operand(o: Operand): string {
    switch (o.kind) {
      case 'path': return this.path(o.path);
      case 'value': return this.value(o.value);
      case 'size': return `size(${this.path(o.path)})`;
    }
  }

  condition(c: Condition): string {
    switch (c.kind) {
      case 'compare': return `${this.operand(c.left)} ${c.op} ${this.operand(c.right)}`;
      case 'between': return `${this.operand(c.operand)} BETWEEN ${this.operand(c.low)} AND ${this.operand(c.high)}`;
      case 'in': return `${this.operand(c.operand)} IN (${c.values.map((v) => this.operand(v)).join(', ')})`;
      case 'begins_with':
      case 'contains': return `${c.kind}(${this.path(c.path)}, ${this.operand(c.value)})`;
      case 'exists': return `attribute_exists(${this.path(c.path)})`;
      case 'not_exists': return `attribute_not_exists(${this.path(c.path)})`;
      case 'attribute_type': return `attribute_type(${this.path(c.path)}, ${this.value({ S: c.type })})`;
      case 'and':
      case 'or': {
        const joiner = c.kind === 'and' ? ' AND ' : ' OR ';
        let out = '';
        for (const i of c.items) {
          const text = i.kind === 'and' || i.kind === 'or' ? `(${this.condition(i)})` : this.condition(i);
          out = out === '' ? text : out + joiner + text;
        }
        return out;
      }
      case 'not': return `NOT (${this.condition(c.item)})`;
    }
  }

  setValue(v: SetValue): string {
    switch (v.kind) {
      case 'plus': return `${this.setValue(v.left)} + ${this.setValue(v.right)}`;
      case 'minus': return `${this.setValue(v.left)} - ${this.setValue(v.right)}`;
      case 'if_not_exists': return `if_not_exists(${this.path(v.path)}, ${this.setValue(v.value)})`;
      case 'list_append': return `list_append(${this.setValue(v.first)}, ${this.setValue(v.second)})`;
      default: return this.operand(v);
    }
  }

  update(actions: readonly UpdateAction[]): string {
    const set: string[] = [];
    const remove: string[] = [];
    const add: string[] = [];
    const del: string[] = [];
    for (const a of actions) {
      switch (a.kind) {
        case 'set': set.push(`${this.path(a.path)} = ${this.setValue(a.value)}`); break;
        case 'remove': remove.push(this.path(a.path)); break;
        case 'add': add.push(`${this.path(a.path)} ${this.value(a.value)}`); break;
        case 'delete': del.push(`${this.path(a.path)} ${this.value(a.value)}`); break;
      }
    }
    const clauses: string[] = [];
    if (set.length > 0) clauses.push(`SET ${set.join(', ')}`);
    if (remove.length > 0) clauses.push(`REMOVE ${remove.join(', ')}`);
    if (add.length > 0) clauses.push(`ADD ${add.join(', ')}`);
    if (del.length > 0) clauses.push(`DELETE ${del.join(', ')}`);
    return clauses.join(' ');
  }

  projection(paths: readonly Path[]): string {
    return paths.map((p) => this.path(p)).join(', ');
  }
}
