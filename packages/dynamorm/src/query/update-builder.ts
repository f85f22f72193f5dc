import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UpdateAction } from '../expression/nodes.js';
import { value as valueOperand } from '../expression/nodes.js';
import { compileEncoder } from '../schema/codec/compile.js';
import { numberProblem, numberTextProblem } from '../schema/codec/number.js';
import { describe, type EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';
import type { AttrDef } from '../schema/attribute.js';
import type { Simplify } from '../schema/infer.js';
import type { OneOf } from './path-types.js';
import { PathError, resolveUpdatePath, type NumericPath, type PathValue, type UpdateTarget, type UpdatableName, type UpdatePath } from './update-path.js';

export type { NumericPath, PathValue, UpdatableName, UpdatePath };

type S<M extends AnyModel> = M['~types']['shape'];
type T<M extends AnyModel, K extends keyof S<M>> = S<M>[K]['~types'];

type WhereValue<M extends AnyModel, V> = { [K in UpdatableName<M>]: [NonNullable<T<M, K>['value']>] extends [V] ? K : never }[UpdatableName<M>];
/** Optional attributes, which `remove` may delete. */
export type RemovableName<M extends AnyModel> = { [K in UpdatableName<M>]: T<M, K>['optional'] extends true ? K : never }[UpdatableName<M>];
/** Paths inside an attribute (`preferences.theme`, `history[0]`); REMOVE checks at runtime that the step may go. */
export type NestedPath<M extends AnyModel> = Exclude<UpdatePath<M>, UpdatableName<M>>;
export type AddableName<M extends AnyModel> = WhereValue<M, number | bigint | ReadonlySet<unknown>>;
export type SetName<M extends AnyModel> = WhereValue<M, ReadonlySet<unknown>>;
/** Lists, at the top level or nested: what append/prepend take. */
export type ListName<M extends AnyModel> = {
  [P in UpdatePath<M>]: [NonNullable<PathValue<M, P>>] extends [readonly unknown[]] ? ([NonNullable<PathValue<M, P>>] extends [never] ? never : P) : never;
}[UpdatePath<M>];
type Input<M extends AnyModel, K extends keyof S<M>> = T<M, K>['input'];

/** The changes of an object-form update: any updatable attribute; undefined removes an optional one. */
export type UpdateChanges<M extends AnyModel> = Simplify<{ [K in UpdatableName<M>]?: Input<M, K> }>;

/** The update actions that replace or remove a value whole: the only ones a compressed attribute takes. */
const WHOLE_VALUE: ReadonlySet<string> = new Set(['set', 'setIfNotExists', 'remove']);

export class UpdateError extends Error {
  constructor(readonly attribute: string, readonly expected: string, readonly received: string) {
    super(`${attribute}: expected ${expected}, received ${received}`);
  }
}

/**
 * Builds the actions of an update: `u.set('name', 'Jane').add('age', 1).remove('ttl')`.
 * Immutable: each call returns a new builder. Values are marshalled by the attribute's codec.
 * Paths may go into maps, objects and lists: `u.set('preferences.theme', 'dark')`,
 * `u.set('history[0]', entry)` (SET #0.#1 = :0, SET #0[0] = :0).
 */
export class UpdateBuilder<M extends AnyModel> {
  /** @internal */
  readonly actions: readonly UpdateAction[];
  /** @internal */
  readonly model: M;

  constructor(model: M, actions: readonly UpdateAction[] = []) {
    this.model = model;
    this.actions = actions;
  }

  private attr(name: string, verb: string): UpdateTarget {
    let target: UpdateTarget;
    try {
      target = resolveUpdatePath(this.model, name, verb);
    } catch (error) {
      if (error instanceof PathError) throw new UpdateError(error.attribute, error.expected, error.received);
      throw error;
    }
    // DynamoDB holds a compressed attribute as bytes: it can replace or remove them, not compute on them.
    if (target.def.compress !== undefined && !WHOLE_VALUE.has(verb)) {
      throw new UpdateError(target.text, `set(...) of the whole value: it is stored compressed (.compress()), as bytes DynamoDB cannot ${verb}; read the item, change the value and set it whole`, `${verb}(...)`);
    }
    return target;
  }

  private encode(entry: { readonly def: AttrDef; readonly text: string }, value: unknown, encode = compileEncoder(entry.def)): AttributeValue {
    const ctx: EncodeContext = { issues: [] };
    const out = encode(value, ctx);
    const issue = ctx.issues[0];
    if (issue !== undefined || out === undefined) {
      const at = [entry.text, ...(issue?.path ?? [])].join('.');
      throw new UpdateError(at, issue?.note ?? issue?.expected ?? 'a value', issue?.received ?? describe(value));
    }
    return out;
  }

  private element(entry: UpdateTarget, items: unknown, verb: string): AttributeValue {
    if (entry.def.kind !== 'list') throw new UpdateError(entry.text, `a list attribute for ${verb}`, entry.def.kind);
    return this.encode(entry, items);
  }

  private next(action: UpdateAction): UpdateBuilder<M> {
    return new UpdateBuilder(this.model, [...this.actions, Object.freeze(action)]);
  }

  /**
   * SET path = value, on an attribute or a path into one (the parent map must exist).
   * @example u.set('preferences.theme', 'dark')  // SET #0.#1 = :0 with { '#0': 'preferences', '#1': 'theme' }
   */
  set<P extends string>(path: OneOf<P, UpdatePath<M>>, value: PathValue<M, P>): UpdateBuilder<M> {
    const entry = this.attr(path, 'set');
    if (value === undefined) return this.remove(path as never);
    return this.next({ kind: 'set', path: entry.path, value: valueOperand(this.encode(entry, value)) });
  }

  /** SET path = if_not_exists(path, value): writes only when the attribute is absent. */
  setIfNotExists<P extends string>(path: OneOf<P, UpdatePath<M>>, value: PathValue<M, P>): UpdateBuilder<M> {
    const entry = this.attr(path, 'setIfNotExists');
    return this.next({ kind: 'set', path: entry.path, value: { kind: 'if_not_exists', path: entry.path, value: valueOperand(this.encode(entry, value)) } });
  }

  /** REMOVE path: an optional attribute or property, a map entry or a list element. */
  remove<P extends string>(path: OneOf<P, RemovableName<M> | NestedPath<M>>): UpdateBuilder<M> {
    const entry = this.attr(path, 'remove');
    if (!entry.removable) throw new UpdateError(entry.text, 'an optional attribute for remove (a required one must stay)', 'a required attribute');
    return this.next({ kind: 'remove', path: entry.path });
  }

  /**
   * SET path = if_not_exists(path, 0) + by: an atomic counter that starts from 0 when absent.
   * @example u.increment('age', 1)  // SET #0 = if_not_exists(#0, :0) + :1 with { ':0': { N: '0' }, ':1': { N: '1' } }
   */
  increment<P extends string>(path: OneOf<P, NumericPath<M>>, by: number | bigint = 1): UpdateBuilder<M> {
    return this.arithmetic(path, by, 'plus', 'increment');
  }

  /** SET path = if_not_exists(path, 0) - by. */
  decrement<P extends string>(path: OneOf<P, NumericPath<M>>, by: number | bigint = 1): UpdateBuilder<M> {
    return this.arithmetic(path, by, 'minus', 'decrement');
  }

  private arithmetic(path: string, by: unknown, kind: 'plus' | 'minus', verb: string): UpdateBuilder<M> {
    const entry = this.attr(path, verb);
    if (!['number', 'bigint', 'unknown'].includes(entry.def.kind)) throw new UpdateError(entry.text, `a number attribute to ${verb}`, `a ${entry.def.kind} attribute`);
    const amount = this.number(entry, by);
    const current = { kind: 'if_not_exists' as const, path: entry.path, value: valueOperand({ N: '0' }) };
    return this.next({ kind: 'set', path: entry.path, value: { kind, left: current, right: valueOperand(amount) } });
  }

  /** ADD: atomically adds to a number, or adds elements to a set. */
  add<K extends string>(attribute: OneOf<K, AddableName<M>>, value: T<M, K & AddableName<M>>['value'] extends ReadonlySet<unknown> ? T<M, K & AddableName<M>>['value'] : number | bigint): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'add');
    const stored = entry.def.kind === 'number' || entry.def.kind === 'bigint' ? this.number(entry, value) : this.encode(entry, value);
    return this.next({ kind: 'add', path: entry.path, value: stored });
  }

  /** DELETE: removes elements from a set. */
  delete<K extends string>(attribute: OneOf<K, SetName<M>>, values: NonNullable<T<M, K & SetName<M>>['value']>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'delete');
    return this.next({ kind: 'delete', path: entry.path, value: this.encode(entry, values) });
  }

  /** SET path = list_append(path, items): adds items at the end (creating the list if absent). */
  append<P extends string>(path: OneOf<P, ListName<M>>, items: NonNullable<PathValue<M, P>>): UpdateBuilder<M> {
    const entry = this.attr(path, 'append');
    const list = this.element(entry, items, 'append');
    const current = { kind: 'if_not_exists' as const, path: entry.path, value: valueOperand({ L: [] }) };
    return this.next({ kind: 'set', path: entry.path, value: { kind: 'list_append', first: current, second: valueOperand(list) } });
  }

  /** SET path = list_append(items, path): adds items at the start. */
  prepend<P extends string>(path: OneOf<P, ListName<M>>, items: NonNullable<PathValue<M, P>>): UpdateBuilder<M> {
    const entry = this.attr(path, 'prepend');
    const list = this.element(entry, items, 'prepend');
    const current = { kind: 'if_not_exists' as const, path: entry.path, value: valueOperand({ L: [] }) };
    return this.next({ kind: 'set', path: entry.path, value: { kind: 'list_append', first: valueOperand(list), second: current } });
  }

  /** An amount to ADD or increment by: a number or bigint DynamoDB can store, whatever the attribute's validators say. */
  private number(entry: UpdateTarget, value: unknown): AttributeValue {
    if (typeof value !== 'number' && typeof value !== 'bigint') throw new UpdateError(entry.text, 'a number', describe(value));
    const text = String(value);
    const problem = typeof value === 'number' ? numberProblem(value) : numberTextProblem(text);
    if (problem !== undefined) throw new UpdateError(entry.text, 'a number DynamoDB can store', `${describe(value)} (${problem})`);
    return { N: text };
  }
}

export type Updater<M extends AnyModel> = (u: UpdateBuilder<M>) => UpdateBuilder<M>;
