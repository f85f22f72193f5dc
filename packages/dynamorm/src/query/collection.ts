import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { IndexNotFoundError, ItemNotFoundError, ModelDefinitionError, ValidationError } from '../errors/errors.js';
import { and, compare, path as pathOperand, value, type Condition } from '../expression/nodes.js';
import { keyStorage, type AccessPath, type AnyModel, type InferItem } from '../schema/model.js';
import type { Explanation } from './builder.js';
import { buildCondition, type ConditionFn } from './condition-builder.js';
import type { CheckedPath, PathOperator, QueryPathValue } from './path-types.js';
import { compositeClauses } from './composite.js';
import { parseWhere, type OperandFor, type WhereClause } from './operators.js';
import { parseFilter, type FilterParams } from './raw-filter.js';
import type { Plan } from './plan.js';
import { itemReader, type OnInvalid } from './item-reader.js';
import { compileRead, ReadExecution, type Page, type ReadOptions, type ReadRequest } from './read.js';
import type { Session } from './session.js';
import { unexpiredFilter } from '../ttl/expired.js';
import { merged } from '../util/merged.js';

/** One item of a collection query: the model it belongs to, and the item decoded by that model. */
export type CollectionItem<Ms extends readonly AnyModel[]> = Ms[number] extends infer M
  ? M extends AnyModel ? { readonly entity: M['~types']['name']; readonly item: InferItem<M> } : never
  : never;

/** Attributes every model of the collection has (the partition key template's, typically). */
export type CollectionAttribute<Ms extends readonly AnyModel[]> = keyof Ms[number]['~types']['shape'] & string;
type CollectionValue<Ms extends readonly AnyModel[], K extends CollectionAttribute<Ms>> = Ms[number]['~types']['shape'][K]['~types']['value'];
type HasIndex<M, I> = M extends AnyModel ? (I extends M['~types']['index'] ? true : false) : never;
/** Indexes every model of the collection has (a GSI they share, e.g. an overloaded composed one). */
export type CollectionIndex<Ms extends readonly AnyModel[]> = {
  [I in Ms[number]['~types']['index']]: false extends HasIndex<Ms[number], I> ? never : I;
}[Ms[number]['~types']['index']];
/** Operators on the sort key of a collection: its stored (composed) text. */
export type SortKeyOperator = '=' | '<' | '<=' | '>' | '>=' | 'begins_with';

interface CollectionState {
  readonly where: readonly WhereClause[];
  readonly limit: number | undefined;
  readonly consistent: boolean;
  readonly forward: boolean;
  readonly index: string | undefined;
  readonly sortKey: { readonly op: SortKeyOperator | 'between'; readonly values: readonly string[] } | undefined;
  /** Filters of one model's items: the items of the other models are not filtered by them. */
  readonly filters: readonly { readonly model: AnyModel; readonly node: Condition }[];
  /** Stored items that do not fit their model (undefined: the ORM's choice). */
  readonly onInvalid: OnInvalid | undefined;
}

const EMPTY: CollectionState = Object.freeze({ where: [], limit: undefined, consistent: false, forward: true, index: undefined, sortKey: undefined, filters: [], onInvalid: undefined });
const SORT_OPS: readonly string[] = ['=', '<', '<=', '>', '>=', 'begins_with', 'between'];

/**
 * A query over one partition of a table (or of a global index) that several single-table models
 * share: each item is decoded by the model its discriminator names, and typed as a union
 * discriminated by `entity`.
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
    private readonly state: CollectionState = EMPTY,
    byEntity?: ReadonlyMap<string, AnyModel>,
  ) {
    this.head = models[0]!;
    this.byEntity = byEntity ?? checkCollection(session, models);
  }

  private with(change: Partial<CollectionState>): Collection<Ms> {
    return new Collection(this.session, this.models, Object.freeze(merged(this.state, change)), this.byEntity);
  }

  private invalid(attribute: string, expected: string, received: string, problem: string): never {
    const message = `collection ${this.models.map((m) => m.name).join(', ')}: ${problem}`;
    throw new ValidationError([{ attribute, expected, received, message }], { op: 'collection', model: this.head.name }, message);
  }

  /** An equality on an attribute of the partition key template (`userId` for `USER#{userId}`). */
  where<K extends CollectionAttribute<Ms>>(attribute: K, op: '=', value: CollectionValue<Ms, K>): Collection<Ms> {
    return this.with({ where: [...this.state.where, parseWhere(this.head, 'collection', attribute, op, value, 1)] });
  }

  /**
   * A condition on the stored sort key, shared by the models (for composed keys, the composed
   * text): the key condition of the query. `sortKey('begins_with', 'ORDER#')` reads only the
   * items whose sort key starts with `ORDER#`.
   */
  sortKey(op: SortKeyOperator, value: string): Collection<Ms>;
  sortKey(op: 'between', range: readonly [string, string]): Collection<Ms>;
  sortKey(op: SortKeyOperator | 'between', operand: string | readonly [string, string]): Collection<Ms> {
    const values = op === 'between' ? operand : [operand];
    if (!SORT_OPS.includes(op)) this.invalid('sortKey', `one of ${SORT_OPS.join(', ')}`, String(op), `sortKey: "${String(op)}" is not a sort key operator (${SORT_OPS.join(', ')})`);
    if (!Array.isArray(values) || values.length !== (op === 'between' ? 2 : 1) || values.some((v) => typeof v !== 'string')) {
      this.invalid('sortKey', op === 'between' ? 'a [low, high] pair of strings' : 'a string', JSON.stringify(operand), `sortKey ${op}: expected ${op === 'between' ? 'a [low, high] pair of strings' : 'a string'}, received ${JSON.stringify(operand)}`);
    }
    return this.with({ sortKey: Object.freeze({ op, values: Object.freeze([...values as readonly string[]]) }) });
  }

  /**
   * A filter on the items of one model of the collection (the other models' items are not
   * filtered by it): typed like `where`, a raw condition string with `:named` parameters, or a
   * condition function like `.if()`.
   * @example .filter(Order, 'total', '>', 100)   .filter(Order, 'total > :t', { t: 100 })
   */
  filter<M extends Ms[number], K extends string, O extends PathOperator<M, K>, V = QueryPathValue<M, K>>(model: M, attribute: CheckedPath<M, K>, op: O, ...operand: OperandFor<NoInfer<V>, O>): Collection<Ms>;
  filter<M extends Ms[number]>(model: M, expression: string, params?: FilterParams): Collection<Ms>;
  filter<M extends Ms[number]>(model: M, condition: ConditionFn<M>): Collection<Ms>;
  filter(model: AnyModel, first: unknown, ...rest: readonly unknown[]): Collection<Ms> {
    if (!this.models.includes(model)) {
      this.invalid('', `a model of the collection (${this.models.map((m) => m.name).join(', ')})`, String((model as AnyModel | undefined)?.name), `filter: ${String((model as AnyModel | undefined)?.name)} is not a model of the collection`);
    }
    const node = typeof first === 'function'
      ? buildCondition(model, first as ConditionFn<AnyModel>, 'filter')
      : typeof rest[0] === 'string'
        ? parseWhere(model, 'filter', first as string, rest[0], rest[1], rest.length - 1).node
        : parseFilter(model, first as string, rest[0] as FilterParams | undefined);
    return this.with({ filters: [...this.state.filters, { model, node }] });
  }

  /** Read the partition of a global index every model of the collection has (e.g. an overloaded composed GSI). */
  index(name: CollectionIndex<Ms>): Collection<Ms> {
    return this.with({ index: name });
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

  /**
   * What this read does with a stored item that does not fit its model: `'throw'`, `'skip'` (the
   * item is left out and reported to the logger; the other items, of that model or another, are
   * read) or a callback, instead of the ORM's `onInvalid`.
   */
  onInvalid(policy: OnInvalid<Ms[number]>): Collection<Ms> {
    return this.with({ onInvalid: policy as OnInvalid });
  }

  /** The table, or the index every model has with the same partition key (and sort key field). */
  private path(): AccessPath {
    const { index } = this.state;
    if (index === undefined) return this.head.primary;
    const paths = this.models.map((m) => m.indexes.get(index));
    const lacking = this.models.filter((_, i) => paths[i] === undefined).map((m) => m.name);
    if (lacking.length > 0) {
      throw new IndexNotFoundError(`collection: ${lacking.join(', ')} ${lacking.length === 1 ? 'has' : 'have'} no index named "${index}"`, { op: 'collection', model: this.head.name, context: { index } });
    }
    const first = paths[0]!;
    paths.forEach((p, i) => {
      const m = this.models[i]!;
      if (p!.type !== 'GSI') this.invalid('', 'a global index', p!.type, `index ${index} of ${m.name} is local; a collection reads the table or a global index`);
      if (p!.projection !== 'ALL') this.invalid('', 'an index that projects every attribute', String(p!.projection), `index ${index} of ${m.name} does not project every attribute, so its items cannot be decoded: give it projection 'ALL'`);
      if (p!.pk.field !== first.pk.field || p!.templates?.pk.text !== first.templates?.pk.text || p!.sk?.field !== first.sk?.field) {
        this.invalid('', `the keys of ${this.head.name}'s index ${index}`, m.name, `index ${index} of ${m.name} is keyed ${describeKeys(p!)}, not ${describeKeys(first)} like ${this.head.name}'s`);
      }
    });
    return first;
  }

  private plan(): Plan {
    const model = this.head;
    const path = this.path();
    const { where, implied } = compositeClauses(model, this.state.where, path.templates === undefined ? [] : [path]);
    const pk = where.find((w) => !w.nested && w.attribute === path.pk && w.op === '=');
    const names = (path.templates?.pk.vars ?? [path.pk]).map((a) => a.name);
    const on = path.index === undefined ? 'the table' : `index ${path.index}`;
    if (pk === undefined) {
      this.invalid(names[0]!, 'equality on the partition key', 'none', `one partition of ${on} is read: add where('${names.join("', '=', …).where('")}', '=', …)`);
    }
    const keyed = new Set(implied.get(pk!) ?? [pk!]);
    const extra = this.state.where.find((w) => !keyed.has(w));
    if (extra !== undefined) {
      this.invalid(extra.name, `an attribute of the partition key (${names.join(', ')})`, extra.name, `${extra.name} is not part of the partition key of ${on} (${names.join(', ')}); filter the items of one model with filter(Model, ...)`);
    }
    const sortKey = this.sortKeyCondition(path);
    const reasons = [`one partition of ${on}: ${pk!.name} = …`];
    if (sortKey !== undefined) reasons.push(`sort key ${sortKey.kind === 'between' ? 'between' : sortKey.kind === 'begins_with' ? 'begins_with' : (sortKey as { op: string }).op} … from sortKey()`);
    reasons.push(`items of ${[...this.byEntity.values()].map((m) => m.name).join(', ')}, told apart by ${model.entityField!}${this.state.filters.length > 0 ? `, with the filters of ${[...new Set(this.state.filters.map((f) => f.model.name))].join(', ')}` : ''}`);
    return {
      operation: 'Query', path, key: undefined, keyCondition: and(sortKey === undefined ? [pk!.node] : [pk!.node, sortKey]), filter: this.entityFilter(path), predicate: undefined, allAttributes: false,
      forward: this.state.forward, reasons: () => reasons, warning: undefined,
    };
  }

  private sortKeyCondition(path: AccessPath): Condition | undefined {
    const sk = this.state.sortKey;
    if (sk === undefined) return undefined;
    if (path.sk === undefined || keyStorage(path.sk.def) !== 'S') {
      this.invalid('sortKey', 'a sort key stored as text', path.sk === undefined ? 'none' : keyStorage(path.sk.def)!, `sortKey: ${path.index === undefined ? 'the table' : `index ${path.index}`} has ${path.sk === undefined ? 'no sort key' : 'a sort key not stored as text'}`);
    }
    const field = [path.sk!.field];
    const [a, b] = sk.values;
    if (sk.op === 'between') return Object.freeze({ kind: 'between', operand: pathOperand(field), low: value({ S: a! }), high: value({ S: b! }) });
    if (sk.op === 'begins_with') return Object.freeze({ kind: 'begins_with', path: field, value: value({ S: a! }) });
    return compare(field, sk.op, { S: a! });
  }

  /**
   * Only the collection's entities; a model with filters or a TTL: its entity and its filters, and
   * its items whose TTL has passed left out by its own TTL attribute (ttl/expired.ts).
   */
  private entityFilter(path: AccessPath): Condition {
    const field = [this.head.entityField!];
    const own = new Map([...this.byEntity].map(([e, m]) => {
      const conditions = this.state.filters.filter((f) => f.model === m).map((f) => f.node);
      const unexpired = unexpiredFilter(m, path);
      return [e, unexpired === undefined ? conditions : [...conditions, unexpired]];
    }));
    const plain = [...own].filter(([, conditions]) => conditions.length === 0).map(([e]) => e);
    const items: Condition[] = [];
    if (plain.length === 1) items.push(compare(field, '=', { S: plain[0]! }));
    if (plain.length > 1) items.push(Object.freeze({ kind: 'in', operand: pathOperand(field), values: plain.map((e) => value({ S: e })) }));
    for (const [e, conditions] of own) {
      if (conditions.length > 0) items.push(and([compare(field, '=', { S: e }), ...conditions])!);
    }
    return items.length === 1 ? items[0]! : Object.freeze({ kind: 'or', items: Object.freeze(items) });
  }

  private compile(p: Plan): ReadRequest {
    return compileRead(this.head, this.session.tableName(this.head), p, this.readOptions());
  }

  /** The read's options: with lazy attributes in any model, the stored fields of every model's others. */
  private readOptions(): ReadOptions {
    const models = [...this.byEntity.values()];
    const fields = models.some((m) => m.eagerSelect !== undefined)
      ? [...new Set(models.flatMap((m) => m.codec.entries.filter((e) => !e.def.lazy).flatMap((e) => m.storedFields(e.name))))]
      : undefined;
    // Expired items are left out per model by entityFilter, not by the first model's TTL attribute.
    return { limit: this.state.limit, consistent: this.state.consistent, select: undefined, fields, includeExpired: true };
  }

  private execution(): ReadExecution<CollectionItem<Ms>> {
    const p = this.plan();
    const entityField = this.head.entityField!;
    const readers = new Map([...this.byEntity].map(([entity, model]) => [entity, { entity: model.name, read: itemReader(this.session, model, 'collection', this.state.onInvalid, model.eagerSelect) }]));
    const decode = (raw: Record<string, AttributeValue>): CollectionItem<Ms> | undefined => {
      const reader = readers.get(raw[entityField]?.S ?? '');
      const item = reader?.read(raw);
      return item === undefined ? undefined : ({ entity: reader!.entity, item } as CollectionItem<Ms>);
    };
    const options = this.readOptions();
    return new ReadExecution(this.session, this.head, p, compileRead(this.head, this.session.tableName(this.head), p, options), options, decode);
  }

  /** The plan without running it. */
  explain(): Explanation {
    const p = this.plan();
    return { operation: p.operation, index: p.path.index, request: this.compile(p).request, reasons: p.reasons() };
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

const describeKeys = (p: AccessPath): string => `${p.pk.field}${p.templates === undefined ? '' : ` (${p.templates.pk.text})`}${p.sk === undefined ? '' : ` / ${p.sk.field}`}`;

/** The models must share a table, its partition key and the discriminator, with distinct entities. */
function checkCollection(session: Session, models: readonly AnyModel[]): ReadonlyMap<string, AnyModel> {
  const first = models[0];
  if (first === undefined) throw new ModelDefinitionError('collection', undefined, 'a collection needs at least one model');
  const byEntity = new Map<string, AnyModel>();
  for (const m of models) {
    const fail = (problem: string): never => {
      throw new ModelDefinitionError(m.name, undefined, `in collection with ${first.name}: ${problem}`);
    };
    if (m.entity === undefined) fail('the model has no entity discriminator, which tells the items of a collection apart: give it options.keys (and leave out entityAttribute: false)');
    if (session.tableName(m) !== session.tableName(first)) fail(`it is stored in table ${m.table}, not ${first.table}`);
    if (m.entityField !== first.entityField) fail(`its discriminator is ${m.entityField}, not ${first.entityField}`);
    if (m.primary.pk.field !== first.primary.pk.field || m.keyTemplates?.pk.text !== first.keyTemplates?.pk.text || m.primary.sk?.field !== first.primary.sk?.field) {
      fail(`its partition key (${m.keyTemplates?.pk.text ?? m.primary.pk.name}) differs from ${first.keyTemplates?.pk.text ?? first.primary.pk.name}`);
    }
    if (byEntity.has(m.entity!)) fail(`entity "${m.entity}" is used by ${byEntity.get(m.entity!)!.name} too`);
    byEntity.set(m.entity!, m);
  }
  return byEntity;
}
