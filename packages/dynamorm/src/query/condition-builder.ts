import { ValidationError } from '../errors/errors.js';
import type { Condition } from '../expression/nodes.js';
import type { AnyModel } from '../schema/model.js';
import { parseWhere, type OperandFor, type Operator } from './operators.js';
import type { CheckedPath, CheckedPathFor, QueryPathValue } from './path-types.js';

type Arg<M extends AnyModel, K extends string, O extends Operator> = OperandFor<QueryPathValue<M, K>, O>[0];

declare const brand: unique symbol;

/** A condition on an item of model M, built by a ConditionBuilder: an immutable node. */
export interface ConditionExpression<M extends AnyModel = AnyModel> {
  readonly [brand]?: M;
  /** @internal the expression tree, with stored names and marshalled values. */
  readonly node: Condition;
}

const wrap = <M extends AnyModel>(node: Condition): ConditionExpression<M> => Object.freeze({ node: Object.freeze(node) });

/**
 * The typed condition builder of `.if(c => ...)` and `tx.conditionCheck(...)`: each method takes
 * an attribute of the model and a value of its type, checked by the compiler and marshalled by the
 * attribute's codec before any request. Conditions combine with `and`, `or` and `not`.
 *
 * @example c => c.and(c.eq('status', 'open'), c.gt('balance', 0))
 * // ConditionExpression: (#0 = :0 AND #1 > :1), with { '#0': 'status', '#1': 'balance' }
 */
export class ConditionBuilder<M extends AnyModel> {
  constructor(private readonly model: M, private readonly op = 'if') {}

  private node(attribute: string, operator: Operator, operand: unknown, arity: number): ConditionExpression<M> {
    return wrap(parseWhere(this.model, this.op, attribute, operator, operand, arity).node);
  }

  /** attribute = value */
  eq<K extends string>(attribute: CheckedPathFor<M, K, '='>, value: Arg<M, K, '='>): ConditionExpression<M> {
    return this.node(attribute, '=', value, 1);
  }
  /** attribute <> value */
  ne<K extends string>(attribute: CheckedPathFor<M, K, '<>'>, value: Arg<M, K, '<>'>): ConditionExpression<M> {
    return this.node(attribute, '<>', value, 1);
  }
  /** attribute < value */
  lt<K extends string>(attribute: CheckedPathFor<M, K, '<'>, value: Arg<M, K, '<'>): ConditionExpression<M> {
    return this.node(attribute, '<', value, 1);
  }
  /** attribute <= value */
  le<K extends string>(attribute: CheckedPathFor<M, K, '<='>, value: Arg<M, K, '<='>): ConditionExpression<M> {
    return this.node(attribute, '<=', value, 1);
  }
  /** attribute > value */
  gt<K extends string>(attribute: CheckedPathFor<M, K, '>'>, value: Arg<M, K, '>'>): ConditionExpression<M> {
    return this.node(attribute, '>', value, 1);
  }
  /** attribute >= value */
  ge<K extends string>(attribute: CheckedPathFor<M, K, '>='>, value: Arg<M, K, '>='>): ConditionExpression<M> {
    return this.node(attribute, '>=', value, 1);
  }
  /** attribute BETWEEN low AND high (inclusive) */
  between<K extends string>(attribute: CheckedPathFor<M, K, 'between'>, low: Arg<M, K, '>='>, high: Arg<M, K, '<='>): ConditionExpression<M> {
    return this.node(attribute, 'between', [low, high], 1);
  }
  /** attribute IN (v1, v2, ...): 1 to 100 values */
  in<K extends string>(attribute: CheckedPathFor<M, K, 'in'>, values: Arg<M, K, 'in'>): ConditionExpression<M> {
    return this.node(attribute, 'in', values, 1);
  }
  /** begins_with(attribute, prefix) */
  beginsWith<K extends string>(attribute: CheckedPathFor<M, K, 'begins_with'>, prefix: Arg<M, K, 'begins_with'>): ConditionExpression<M> {
    return this.node(attribute, 'begins_with', prefix, 1);
  }
  /** contains(attribute, value): a substring, or an element of a set or list */
  contains<K extends string>(attribute: CheckedPathFor<M, K, 'contains'>, value: Arg<M, K, 'contains'>): ConditionExpression<M> {
    return this.node(attribute, 'contains', value, 1);
  }
  /** attribute_exists(attribute): on a key attribute, "the item exists" */
  attributeExists<K extends string>(attribute: CheckedPath<M, K>): ConditionExpression<M> {
    return this.node(attribute, 'exists', undefined, 0);
  }
  /** attribute_not_exists(attribute): on a key attribute, "no such item yet" */
  attributeNotExists<K extends string>(attribute: CheckedPath<M, K>): ConditionExpression<M> {
    return this.node(attribute, 'not_exists', undefined, 0);
  }
  /** All of the conditions. */
  and(...conditions: [ConditionExpression<M>, ...ConditionExpression<M>[]]): ConditionExpression<M> {
    return this.combine('and', conditions);
  }
  /** Any of the conditions. */
  or(...conditions: [ConditionExpression<M>, ...ConditionExpression<M>[]]): ConditionExpression<M> {
    return this.combine('or', conditions);
  }
  /** NOT (condition) */
  not(condition: ConditionExpression<M>): ConditionExpression<M> {
    return wrap({ kind: 'not', item: nodeOf(this.model, this.op, condition) });
  }

  private combine(kind: 'and' | 'or', conditions: readonly ConditionExpression<M>[]): ConditionExpression<M> {
    const items = conditions.map((c) => nodeOf(this.model, this.op, c));
    if (items.length === 0) throw invalid(this.model, this.op, `${kind}() needs at least one condition`);
    return items.length === 1 ? wrap(items[0]!) : wrap({ kind, items: Object.freeze(items) });
  }
}

function invalid(model: AnyModel, op: string, message: string): ValidationError {
  return new ValidationError([{ attribute: '', expected: 'a condition built by the condition builder', received: message, message }], { op, model: model.name }, `${op} ${model.name}: ${message}`);
}

function nodeOf(model: AnyModel, op: string, condition: unknown): Condition {
  const node = (condition as ConditionExpression | undefined)?.node;
  if (node === undefined || typeof node !== 'object') throw invalid(model, op, 'expected a condition returned by the builder (c.eq(...), c.and(...), ...)');
  return node;
}

/** A function of the condition builder, as `.if()` and `conditionCheck()` take it. */
export type ConditionFn<M extends AnyModel> = (c: ConditionBuilder<M>) => ConditionExpression<M>;

/** Runs a condition function and returns its node, refusing anything the builder did not make. */
export function buildCondition<M extends AnyModel>(model: M, build: ConditionFn<M>, op = 'if'): Condition {
  if (typeof build !== 'function') throw invalid(model, op, 'expected a function c => c.eq(...)');
  return nodeOf(model, op, build(new ConditionBuilder(model, op)));
}
