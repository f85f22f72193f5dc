import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ItemNotFoundError, ModelDefinitionError, ValidationError } from '../errors/errors.js';
import type { Condition } from '../expression/nodes.js';
import type { AnyModel, InferItem } from '../schema/model.js';
import type { Explanation } from './builder.js';
import { compositeClauses } from './composite.js';
import { parseWhere, type WhereClause } from './operators.js';
import type { Plan } from './plan.js';
import { compileRead, ReadExecution, type Page, type ReadRequest } from './read.js';
import type { Session } from './session.js';

/** One item of a collection query: the model it belongs to, and the item decoded by that model. */
export type CollectionItem<Ms extends readonly AnyModel[]> = Ms[number] extends infer M
  ? M extends AnyModel ? { readonly entity: M['~types']['name']; readonly item: InferItem<M> } : never
  : never;

/** Attributes every model of the collection has (the partition key template's, typically). */
export type CollectionAttribute<Ms extends readonly AnyModel[]> = keyof Ms[number]['~types']['shape'] & string;
type CollectionValue<Ms extends readonly AnyModel[], K extends CollectionAttribute<Ms>> = Ms[number]['~types']['shape'][K]['~types']['value'];

interface CollectionState {
  readonly where: readonly WhereClause[];
  readonly limit: number | undefined;
  readonly consistent: boolean;
  readonly forward: boolean;
}

/**
 * A query over one partition of a table that several single-table models share: each item is
 * decoded by the model its discriminator names, and typed as a union discriminated by `entity`.
 * @example
 * const items = await orm.collection([User, Order, Address]).where('userId', '=', 'u1').all();
 * for (const { entity, item } of items) if (entity === 'Order') item.total;  // item: Order
 */
export class Collection<Ms extends readonly AnyModel[]> {
  private readonly head: AnyModel;
  private readonly byEntity: ReadonlyMap<string, AnyModel>;

  /** @internal */
  constructor(
    private readonly session: Session,
    readonly models: Ms,
    private readonly state: CollectionState = Object.freeze({ where: [], limit: undefined, consistent: false, forward: true }),
    byEntity?: ReadonlyMap<string, AnyModel>,
  ) {
    this.head = models[0]!;
    this.byEntity = byEntity ?? checkCollection(session, models);
  }

  private with(change: Partial<CollectionState>): Collection<Ms> {
    return new Collection(this.session, this.models, Object.freeze({ ...this.state, ...change }), this.byEntity);
  }

  /** An equality on an attribute of the partition key template (`userId` for `USER#{userId}`). */
  where<K extends CollectionAttribute<Ms>>(attribute: K, op: '=', value: CollectionValue<Ms, K>): Collection<Ms> {
    return this.with({ where: [...this.state.where, parseWhere(this.head, 'collection', attribute, op, value, 1)] });
  }

  /** At most n items. */
  limit(n: number): Collection<Ms> {
    if (!Number.isInteger(n) || n < 1) {
      throw new ValidationError([{ attribute: '', expected: 'a positive integer', received: String(n), message: 'limit' }], { op: 'limit', model: this.head.name }, `collection limit: expected a positive integer, received ${String(n)}`);
    }
    return this.with({ limit: n });
  }

  /** Newest sort key first. */
  descending(): Collection<Ms> {
    return this.with({ forward: false });
  }

  consistentRead(): Collection<Ms> {
    return this.with({ consistent: true });
  }

  private plan(): Plan {
    const model = this.head;
    const { where, consumed } = compositeClauses(model, this.state.where);
    const pk = where.find((w) => w.attribute === model.primary.pk && w.op === '=');
    const names = (model.keyTemplates?.pk.vars ?? [model.primary.pk]).map((a) => a.name);
    if (pk === undefined) {
      const message = `collection ${this.models.map((m) => m.name).join(', ')}: one partition is read: add where('${names.join("', '=', …).where('")}', '=', …)`;
      throw new ValidationError([{ attribute: names[0]!, expected: 'equality on the partition key', received: 'none', message }], { op: 'collection', model: model.name }, message);
    }
    const extra = this.state.where.find((w) => !consumed.has(w) && w !== pk);
    if (extra !== undefined) {
      const message = `collection: ${extra.name} is not part of the partition key (${names.join(', ')}); filter the items of one model with orm.model(M)`;
      throw new ValidationError([{ attribute: extra.name, expected: `an attribute of the partition key (${names.join(', ')})`, received: extra.name, message }], { op: 'collection', model: model.name }, message);
    }
    const entityField = model.entityField!;
    const filter: Condition = Object.freeze({ kind: 'in', operand: Object.freeze({ kind: 'path', path: [entityField] }), values: [...this.byEntity.keys()].map((e) => Object.freeze({ kind: 'value' as const, value: { S: e } })) });
    return {
      operation: 'Query', path: model.primary, key: undefined, keyCondition: pk.node, filter, predicate: undefined, allAttributes: false,
      forward: this.state.forward,
      reasons: () => [`one partition of the table: ${pk.name} = …`, `items of ${[...this.byEntity.values()].map((m) => m.name).join(', ')}, told apart by ${entityField}`],
      warning: undefined,
    };
  }

  private compile(p: Plan): ReadRequest {
    return compileRead(this.head, this.session.tableName(this.head), p, { limit: this.state.limit, consistent: this.state.consistent, select: undefined });
  }

  private execution(): ReadExecution<CollectionItem<Ms>> {
    const p = this.plan();
    const entityField = this.head.entityField!;
    const byEntity = this.byEntity;
    const decode = (raw: Record<string, AttributeValue>): CollectionItem<Ms> | undefined => {
      const model = byEntity.get(raw[entityField]?.S ?? '');
      return model === undefined ? undefined : ({ entity: model.name, item: model.unmarshal(raw, 'collection') } as CollectionItem<Ms>);
    };
    return new ReadExecution(this.session, this.head, p, this.compile(p), { limit: this.state.limit, consistent: this.state.consistent, select: undefined }, decode);
  }

  /** The plan without running it. */
  explain(): Explanation {
    const p = this.plan();
    return { operation: p.operation, index: undefined, request: this.compile(p).request, reasons: p.reasons() };
  }

  all(): Promise<CollectionItem<Ms>[]> {
    return this.execution().all();
  }

  /** The first item; rejects with ItemNotFoundError when the partition holds none of these models. */
  async first(): Promise<CollectionItem<Ms>> {
    const [item] = await this.limit(1).execution().all();
    if (item === undefined) throw new ItemNotFoundError(`collection ${this.models.map((m) => m.name).join(', ')}: no item in the partition`, { op: 'first', model: this.head.name });
    return item;
  }

  page(cursor?: string): Promise<Page<CollectionItem<Ms>>> {
    return this.execution().page(cursor);
  }

  iterate(): AsyncGenerator<CollectionItem<Ms>> {
    return this.execution().iterate();
  }

  count(): Promise<number> {
    return this.execution().count();
  }
}

/** The models must share a table, its partition key and the discriminator, with distinct entities. */
function checkCollection(session: Session, models: readonly AnyModel[]): ReadonlyMap<string, AnyModel> {
  const first = models[0];
  if (first === undefined) throw new ModelDefinitionError('collection', undefined, 'a collection needs at least one model');
  const byEntity = new Map<string, AnyModel>();
  for (const m of models) {
    const fail = (problem: string): never => {
      throw new ModelDefinitionError(m.name, undefined, `in collection with ${first.name}: ${problem}`);
    };
    if (m.entity === undefined) fail('the model has no entity discriminator: give it options.entity (or options.keys)');
    if (session.tableName(m) !== session.tableName(first)) fail(`it is stored in table ${m.table}, not ${first.table}`);
    if (m.entityField !== first.entityField) fail(`its discriminator is ${m.entityField}, not ${first.entityField}`);
    if (m.primary.pk.field !== first.primary.pk.field || m.keyTemplates?.pk.text !== first.keyTemplates?.pk.text) {
      fail(`its partition key (${m.keyTemplates?.pk.text ?? m.primary.pk.name}) differs from ${first.keyTemplates?.pk.text ?? first.primary.pk.name}`);
    }
    if (byEntity.has(m.entity!)) fail(`entity "${m.entity}" is used by ${byEntity.get(m.entity!)!.name} too`);
    byEntity.set(m.entity!, m);
  }
  return byEntity;
}
