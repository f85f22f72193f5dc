import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { UpdateAction } from '../expression/nodes.js';
import { value as valueOperand } from '../expression/nodes.js';
import type { ShapeEntry } from '../schema/codec/compile.js';
import { numberProblem, numberTextProblem } from '../schema/codec/number.js';
import { describe, type EncodeContext } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';

type S<M extends AnyModel> = M['~types']['shape'];
type T<M extends AnyModel, K extends keyof S<M>> = S<M>[K]['~types'];

/** Attributes an update may change: all but the primary key and the version. */
export type UpdatableName<M extends AnyModel> = {
  [K in keyof S<M>]: T<M, K>['key'] extends 'none' ? (K extends string ? K : never) : never;
}[keyof S<M>];
type WhereValue<M extends AnyModel, V> = { [K in UpdatableName<M>]: [NonNullable<T<M, K>['value']>] extends [V] ? K : never }[UpdatableName<M>];
/** Optional attributes, which `remove` may delete. */
export type RemovableName<M extends AnyModel> = { [K in UpdatableName<M>]: T<M, K>['optional'] extends true ? K : never }[UpdatableName<M>];
export type AddableName<M extends AnyModel> = WhereValue<M, number | bigint | ReadonlySet<unknown>>;
export type SetName<M extends AnyModel> = WhereValue<M, ReadonlySet<unknown>>;
export type ListName<M extends AnyModel> = WhereValue<M, readonly unknown[]>;
type Input<M extends AnyModel, K extends keyof S<M>> = T<M, K>['input'];

/** The changes of an object-form update: any updatable attribute; undefined removes an optional one. */
export type UpdateChanges<M extends AnyModel> = { [K in UpdatableName<M>]?: Input<M, K> };

export class UpdateError extends Error {
  constructor(readonly attribute: string, readonly expected: string, readonly received: string) {
    super(`${attribute}: expected ${expected}, received ${received}`);
  }
}

/**
 * Builds the actions of an update: `u.set('name', 'Jane').add('age', 1).remove('ttl')`.
 * Immutable: each call returns a new builder. Values are marshalled by the attribute's codec.
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

  private attr(name: string, verb: string): ShapeEntry {
    const entry = this.model.attribute(name);
    if (entry === undefined) throw new UpdateError(name, `an attribute of ${this.model.name}`, 'an unknown name');
    if (entry.def.key !== 'none' || this.model.primaryKeyAttributes.includes(entry)) throw new UpdateError(name, `a non-key attribute (${verb} cannot change the primary key: delete and create instead)`, 'a key attribute');
    if (entry.def.managed === 'version') throw new UpdateError(name, 'an attribute the library does not manage (the version is bumped by every write)', 'the version attribute');
    return entry;
  }

  private encode(entry: ShapeEntry, value: unknown): AttributeValue {
    const ctx: EncodeContext = { issues: [] };
    const out = entry.encode(value, ctx);
    const issue = ctx.issues[0];
    if (issue !== undefined || out === undefined) {
      const at = [entry.name, ...(issue?.path ?? [])].join('.');
      throw new UpdateError(at, issue?.note ?? issue?.expected ?? 'a value', issue?.received ?? describe(value));
    }
    return out;
  }

  private element(entry: ShapeEntry, items: unknown, verb: string): AttributeValue {
    if (entry.def.kind !== 'list') throw new UpdateError(entry.name, `a list attribute for ${verb}`, entry.def.kind);
    return this.encode(entry, items);
  }

  private next(action: UpdateAction): UpdateBuilder<M> {
    return new UpdateBuilder(this.model, [...this.actions, Object.freeze(action)]);
  }

  /** SET attr = value. */
  set<K extends UpdatableName<M>>(attribute: K, value: Input<M, K>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'set');
    if (value === undefined) return this.remove(attribute as never);
    return this.next({ kind: 'set', path: [entry.field], value: valueOperand(this.encode(entry, value)) });
  }

  /** SET attr = if_not_exists(attr, value): writes only when the attribute is absent. */
  setIfNotExists<K extends UpdatableName<M>>(attribute: K, value: Input<M, K>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'setIfNotExists');
    return this.next({ kind: 'set', path: [entry.field], value: { kind: 'if_not_exists', path: [entry.field], value: valueOperand(this.encode(entry, value)) } });
  }

  /** REMOVE attr (optional attributes only). */
  remove<K extends RemovableName<M>>(attribute: K): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'remove');
    if (!entry.def.optional) throw new UpdateError(entry.name, 'an optional attribute for remove (a required one must stay)', 'a required attribute');
    return this.next({ kind: 'remove', path: [entry.field] });
  }

  /** ADD: atomically adds to a number, or adds elements to a set. */
  add<K extends AddableName<M>>(attribute: K, value: T<M, K>['value'] extends ReadonlySet<unknown> ? T<M, K>['value'] : number | bigint): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'add');
    const stored = entry.def.kind === 'number' || entry.def.kind === 'bigint' ? this.number(entry, value) : this.encode(entry, value);
    return this.next({ kind: 'add', path: [entry.field], value: stored });
  }

  /** DELETE: removes elements from a set. */
  delete<K extends SetName<M>>(attribute: K, values: NonNullable<T<M, K>['value']>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'delete');
    return this.next({ kind: 'delete', path: [entry.field], value: this.encode(entry, values) });
  }

  /** SET attr = list_append(attr, items): adds items at the end (creating the list if absent). */
  append<K extends ListName<M>>(attribute: K, items: NonNullable<Input<M, K>>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'append');
    const list = this.element(entry, items, 'append');
    const current = { kind: 'if_not_exists' as const, path: [entry.field], value: valueOperand({ L: [] }) };
    return this.next({ kind: 'set', path: [entry.field], value: { kind: 'list_append', first: current, second: valueOperand(list) } });
  }

  /** SET attr = list_append(items, attr): adds items at the start. */
  prepend<K extends ListName<M>>(attribute: K, items: NonNullable<Input<M, K>>): UpdateBuilder<M> {
    const entry = this.attr(attribute, 'prepend');
    const list = this.element(entry, items, 'prepend');
    const current = { kind: 'if_not_exists' as const, path: [entry.field], value: valueOperand({ L: [] }) };
    return this.next({ kind: 'set', path: [entry.field], value: { kind: 'list_append', first: valueOperand(list), second: current } });
  }

  /** An amount to ADD: a number or bigint DynamoDB can store, whatever the attribute's validators say. */
  private number(entry: ShapeEntry, value: unknown): AttributeValue {
    if (typeof value !== 'number' && typeof value !== 'bigint') throw new UpdateError(entry.name, 'a number to add', describe(value));
    const text = String(value);
    const problem = typeof value === 'number' ? numberProblem(value) : numberTextProblem(text);
    if (problem !== undefined) throw new UpdateError(entry.name, 'a number DynamoDB can store', `${describe(value)} (${problem})`);
    return { N: text };
  }
}

export type Updater<M extends AnyModel> = (u: UpdateBuilder<M>) => UpdateBuilder<M>;
