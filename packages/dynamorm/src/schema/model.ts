import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ItemTooLargeError, ModelDefinitionError, ValidationError, type ValidationIssue } from '../errors/errors.js';
import type { AttrDef, Shape } from './attribute.js';
import { compileShape, type ShapeCodec, type ShapeEntry } from './codec/compile.js';
import { formatPath, showKey, type EncodeContext, type RawIssue } from './codec/issues.js';
import { itemSize, MAX_ITEM_BYTES } from './codec/size.js';
import type { FullItemOf, IndexNameOf, InputOf, ItemOf, KeyOf, LazyNameOf, Simplify } from './infer.js';
import { compileTemplate, fill, fitsKeyTemplates, parse, templateIssues, type CheckedKeys, type CompiledTemplate, type KeyTemplate, type KeyTemplates, type KeyVars, type TemplateVars } from './key-template.js';

/** Which attributes an index copies: all, the keys only, or the keys plus the named ones. */
export type Projection = 'ALL' | 'KEYS_ONLY' | readonly string[];

export interface IndexOptions {
  readonly projection?: Projection;
  /** Provisioned capacity of a GSI; defaults to the table's. */
  readonly readCapacity?: number;
  readonly writeCapacity?: number;
}

/**
 * Single-table design: a global secondary index whose keys are composed from attributes by
 * templates, e.g. `{ pk: 'EMAIL#{email}', sk: 'USER#{userId}' }`, stored under `<name>PK` /
 * `<name>SK` (or name the fields: `{ field: 'GSI1PK', template: '…' }`). Several models of a
 * table may share one (an overloaded GSI). An item lacking an attribute a template names is left
 * out of the index (sparse).
 */
export interface ComposedIndexOptions extends IndexOptions {
  readonly pk: KeyTemplate;
  readonly sk?: KeyTemplate;
}

/**
 * Single-table design: a local secondary index whose sort key is composed by a template, e.g.
 * `{ local: true, sk: 'STATUS#{status}#{placedAt}' }`, stored under `<name>SK` (or name the field:
 * `{ field: 'LSI1SK', template: '…' }`). Its partition key is the table's; the table's keys must be
 * composed (options.keys). An item lacking an attribute the template names is left out (sparse).
 */
export interface ComposedLocalIndexOptions extends IndexOptions {
  readonly local: true;
  readonly sk: KeyTemplate;
}

/** `options.indexes`: settings of indexes the attributes declare, and composed indexes. */
export type IndexesOption = { readonly [name: string]: IndexOptions | ComposedIndexOptions | ComposedLocalIndexOptions | undefined };

/** Names of the composed indexes of an `indexes` option. */
export type ComposedIndexNames<X> = { [N in keyof X]: X[N] extends { readonly pk: KeyTemplate } | { readonly local: true; readonly sk: KeyTemplate } ? N & string : never }[keyof X];

/**
 * `indexes` with each entry checked: a composed index's `{name}`s must be attributes, and an
 * entry without `pk` must be an index some attribute declares.
 */
export type CheckedIndexes<X, S extends Shape> = {
  readonly [N in keyof X]: X[N] extends { readonly pk: KeyTemplate }
    ? CheckedKeys<X[N], S>
    : X[N] extends { readonly local: true; readonly sk: infer T }
      ? [Exclude<TemplateVars<T>, keyof S & string>] extends [never] ? X[N] : { readonly sk: `unknown attribute in key template: {${Exclude<TemplateVars<T>, keyof S & string>}}` }
    : N extends IndexNameOf<S> ? IndexOptions : `no attribute declares index ${N & string}: mark one .index('${N & string}'), or compose its keys with { pk: template }`;
};

export interface ModelOptions<S extends Shape, Ix extends string = IndexNameOf<S>, K extends KeyTemplates | undefined = KeyTemplates | undefined, X extends IndexesOption = { readonly [N in Ix]?: IndexOptions }> {
  /** The table's name; defaults to the model's name. */
  readonly table?: string;
  readonly attributes: S;
  /**
   * Per-index settings, such as the projection (default ALL), of the indexes attributes declare,
   * and composed indexes (single-table design): `{ GSI1: { pk: 'EMAIL#{email}', sk: 'USER#{userId}' } }`.
   */
  readonly indexes?: X;
  /**
   * Single-table design: the value of the entity discriminator stored with each item of this
   * model, so that models sharing a table tell their items apart (default: the model's name
   * when `keys` is given; a model with neither option stores no attribute of the library's).
   */
  readonly entity?: string;
  /**
   * Stored name of the discriminator attribute (default `__entity`), or `false` for a table whose
   * items carry none (an adopted design told apart by key prefixes): the model then stores no
   * discriminator and claims the items whose table key fits its key templates.
   */
  readonly entityAttribute?: string | false;
  /**
   * Single-table design: the table's key fields composed from attributes by templates, e.g.
   * `{ pk: 'USER#{userId}', sk: 'ORDER#{orderId}' }`, stored under `PK` / `SK` (or name them:
   * `{ field: 'GSI1PK', template: '…' }`). The model then marks no attribute `.pk()` / `.sk()`;
   * its key is the attributes the templates name.
   */
  readonly keys?: K;
  /**
   * Stored attributes the model does not declare (a table shared with other code): `'drop'`
   * (default) leaves them out of what reads return, so a put of an item read removes them;
   * `'keep'` carries them through read-modify-put: reads keep them on the item out of sight (not
   * in its type, not in `JSON.stringify`, kept by `{ ...item }`; see `undeclaredOf`), and a put or
   * create of that object (batches and transactions too) writes them back unchanged.
   */
  readonly undeclared?: 'drop' | 'keep';
}

/** Where an item read by a model with `undeclared: 'keep'` holds the attributes the model does not declare. */
const UNDECLARED: unique symbol = Symbol('dynamorm.undeclared');

/**
 * The stored attributes the model does not declare that an item read by a model with
 * `undeclared: 'keep'` carries (as DynamoDB stores them), or undefined.
 */
export function undeclaredOf(item: object): Readonly<Record<string, AttributeValue>> | undefined {
  return (item as { [UNDECLARED]?: Record<string, AttributeValue> })[UNDECLARED];
}

/** What `Model.decode` returns for a stored item that does not fit the model. @internal */
export class StoredIssues {
  constructor(readonly issues: readonly RawIssue[]) {}
}

/**
 * The issues of decodes, shared: decoding is synchronous and each decode takes back the issues it
 * added, so a valid item allocates nothing for error reporting.
 */
const scratch: EncodeContext = { issues: [] };

/** The key of a model: its .pk()/.sk() attributes, or the attributes its key templates name. */
type ModelKey<S extends Shape, K> = [K] extends [KeyTemplates]
  ? Simplify<{ [V in KeyVars<K> & keyof S]: S[V]['~types']['input'] }>
  : KeyOf<S>;

/** A key attribute of the table or an index, with its codec. */
export type KeyAttribute = ShapeEntry;

/** The table's primary key, or a secondary index: its keys and what it projects. */
export interface AccessPath {
  /** undefined for the table itself. */
  readonly index: string | undefined;
  readonly type: 'TABLE' | 'GSI' | 'LSI';
  readonly pk: KeyAttribute;
  readonly sk: KeyAttribute | undefined;
  readonly projection: Projection;
  readonly readCapacity: number | undefined;
  readonly writeCapacity: number | undefined;
  /** Composed keys (single-table design): the templates of the key fields. */
  readonly templates: ComposedKeys | undefined;
}

/** The templates of a composed key: partition and, where there is one, sort. */
export interface ComposedKeys {
  readonly pk: CompiledTemplate;
  readonly sk: CompiledTemplate | undefined;
}

const DYNAMO_STORAGE: Partial<Record<AttrDef['kind'], 'S' | 'N' | 'B'>> = {
  string: 'S', enum: 'S', number: 'N', bigint: 'N', ttl: 'N', binary: 'B',
};

/** The scalar type a key attribute is stored as, or undefined when DynamoDB cannot key on it. */
export function keyStorage(def: AttrDef): 'S' | 'N' | 'B' | undefined {
  if (def.kind === 'date') return def.dateFormat === 'iso' ? 'S' : 'N';
  if (def.kind === 'custom') return def.custom!.type;
  return DYNAMO_STORAGE[def.kind];
}

/**
 * A model: the schema of one kind of item, its table, keys and indexes. The inferred types live
 * on `~types` so that every other type looks them up instead of recomputing them.
 */
export class Model<Name extends string = string, S extends Shape = Shape, K extends KeyTemplates | undefined = undefined, CIx extends string = never> {
  declare readonly '~types': {
    readonly name: Name;
    readonly shape: S;
    /** The attribute names, as a plain union (compiler errors list them as they are). */
    readonly names: keyof S & string;
    readonly item: ItemOf<S>;
    readonly input: InputOf<S>;
    readonly key: ModelKey<S, K>;
    readonly index: IndexNameOf<S> | CIx;
  };
  readonly name: Name;
  readonly table: string;
  /** @internal the compiled codec of the item's attributes. */
  readonly codec: ShapeCodec;
  /** @internal the table's key. */
  readonly primary: AccessPath;
  /** @internal secondary indexes by name. */
  readonly indexes: ReadonlyMap<string, AccessPath>;
  /** @internal managed attributes. */
  readonly versionAttribute: ShapeEntry | undefined;
  readonly createdAtAttribute: ShapeEntry | undefined;
  readonly updatedAtAttribute: ShapeEntry | undefined;
  readonly ttlAttribute: ShapeEntry | undefined;
  /** The discriminator value of single-table models, undefined otherwise. */
  readonly entity: string | undefined;
  /** @internal stored name of the discriminator attribute. */
  readonly entityField: string | undefined;
  /** No discriminator (`entityAttribute: false`): the model's items are those its key templates fit. */
  private readonly ownedByKey: boolean;
  /** @internal composed key fields (single-table design). */
  readonly keyTemplates: ComposedKeys | undefined;
  /** @internal access paths with composed keys: the table's (when composed) and composed indexes. */
  readonly composedPaths: readonly AccessPath[];
  /** @internal the attributes that make up the primary key, as the model names them (a composed key: those its templates name). */
  readonly primaryKeyAttributes: readonly ShapeEntry[];
  /** @internal attributes stored only inside the table's composed key (`.keyOnly()`). */
  readonly keyOnlyAttributes: readonly ShapeEntry[];
  /** @internal the lazy attributes (`.lazy()`). */
  readonly lazyAttributes: readonly ShapeEntry[];
  /**
   * @internal What a read without select() reads: every attribute but the lazy ones, or
   * undefined when the model has none (the whole item is read).
   */
  readonly eagerSelect: readonly string[] | undefined;
  /** The stored fields the model knows, when it keeps the undeclared ones (`undeclared: 'keep'`). */
  private readonly declaredFields: ReadonlySet<string> | undefined;
  /** Key attributes of the table and every index, with what each keys, for the empty-key check. */
  private readonly keyAttributes: readonly { readonly entry: ShapeEntry; readonly what: string }[];

  constructor(name: Name, options: ModelOptions<S, IndexNameOf<S>, K, IndexesOption>) {
    this.name = name;
    this.table = options.table ?? name;
    const defs: Record<string, AttrDef> = {};
    for (const [attr, builder] of Object.entries(options.attributes)) defs[attr] = builder.def;
    this.codec = compileShape(Object.freeze(defs));
    const fail = (attribute: string | undefined, problem: string): never => {
      throw new ModelDefinitionError(name, attribute, problem);
    };
    checkFields(this.codec.entries, fail);
    if (options.keys !== undefined) {
      const keys = options.keys;
      const marked = this.codec.entries.find((e) => e.def.key !== 'none');
      if (marked !== undefined) fail(marked.name, `is marked .${marked.def.key}(), but the model composes its keys from templates (options.keys): drop one or the other`);
      this.keyTemplates = Object.freeze({
        pk: compileTemplate(keys.pk, 'PK', this.codec, fail),
        sk: keys.sk === undefined ? undefined : compileTemplate(keys.sk, 'SK', this.codec, fail),
      });
      this.primary = { index: undefined, type: 'TABLE', pk: this.keyTemplates.pk.entry, sk: this.keyTemplates.sk?.entry, projection: 'ALL', readCapacity: undefined, writeCapacity: undefined, templates: this.keyTemplates };
      this.primaryKeyAttributes = Object.freeze([...new Set([...this.keyTemplates.pk.vars, ...(this.keyTemplates.sk?.vars ?? [])])]);
    } else {
      this.keyTemplates = undefined;
      this.primary = primaryKey(this.codec.entries, fail);
      this.primaryKeyAttributes = Object.freeze(this.primary.sk === undefined ? [this.primary.pk] : [this.primary.pk, this.primary.sk]);
    }
    const composed = composedIndexes(this.codec, this.primary, options.indexes ?? {}, fail);
    if (options.entityAttribute === false && options.entity !== undefined) fail(undefined, 'entity needs a discriminator attribute to be stored in: leave out entityAttribute: false, or entity');
    if (options.entityAttribute === false && this.keyTemplates === undefined) fail(undefined, 'entityAttribute: false tells items apart by the key templates of options.keys: give keys');
    this.entity = options.entity ?? (options.entityAttribute === false || (options.keys === undefined && composed.length === 0) ? undefined : name);
    this.entityField = this.entity === undefined ? undefined : options.entityAttribute || '__entity';
    this.ownedByKey = options.entityAttribute === false;
    // The fields the library stores for itself: composed keys and the discriminator, each once.
    const own = new Map<string, string>();
    for (const path of [this.primary, ...composed]) {
      for (const t of [path.templates?.pk, path.templates?.sk]) {
        // A local index's partition template is the table's own.
        if (t === undefined || (path.type === 'LSI' && t === path.templates!.pk)) continue;
        const what = `the composed key of ${path.index === undefined ? 'the table' : `index ${path.index}`} ("${t.text}")`;
        if (own.has(t.field)) fail(undefined, `field "${t.field}" is used by ${own.get(t.field)} and by ${what}: give one another field`);
        own.set(t.field, what);
      }
    }
    if (this.entityField !== undefined) {
      if (own.has(this.entityField)) fail(undefined, `entityAttribute "${this.entityField}" is also ${own.get(this.entityField)}`);
      own.set(this.entityField, 'the entity discriminator');
    }
    for (const [field, what] of own) {
      const clash = this.codec.entries.find((e) => e.field === field);
      if (clash !== undefined) fail(clash.name, `is stored as "${field}", which the model's ${what === 'the entity discriminator' ? 'entity discriminator uses' : `composed key uses (${what})`}: give it another .field()`);
    }
    this.declaredFields = options.undeclared === 'keep' ? new Set([...this.codec.entries.map((e) => e.field), ...own.keys()]) : undefined;
    this.indexes = secondaryIndexes(this.codec.entries, this.primary, options.indexes ?? {}, composed, fail);
    this.composedPaths = Object.freeze([this.primary, ...this.indexes.values()].filter((p) => p.templates !== undefined));
    const managed = (kind: AttrDef['managed']): ShapeEntry | undefined => {
      const found = this.codec.entries.filter((e) => e.def.managed === kind);
      if (found.length > 1) fail(found[1]!.name, `a second .${kind}() attribute; a model has at most one`);
      return found[0];
    };
    this.versionAttribute = managed('version');
    this.createdAtAttribute = managed('createdAt');
    this.updatedAtAttribute = managed('updatedAt');
    if (this.versionAttribute !== undefined && this.versionAttribute.def.kind !== 'number') {
      fail(this.versionAttribute.name, `.version() needs a t.number() attribute, not ${this.versionAttribute.def.kind}`);
    }
    for (const entry of [this.createdAtAttribute, this.updatedAtAttribute]) {
      if (entry !== undefined && !['date', 'number', 'string'].includes(entry.def.kind)) {
        fail(entry.name, `.${entry.def.managed}() needs a date, number or string attribute, not ${entry.def.kind}`);
      }
    }
    const ttls = this.codec.entries.filter((e) => e.def.kind === 'ttl');
    if (ttls.length > 1) fail(ttls[1]!.name, 'a second t.ttl() attribute; a table has one TTL attribute');
    this.ttlAttribute = ttls[0];
    this.keyOnlyAttributes = Object.freeze(this.codec.entries.filter((e) => e.def.keyOnly));
    for (const entry of this.keyOnlyAttributes) {
      const where = this.keyTemplates === undefined ? undefined : [this.keyTemplates.pk, this.keyTemplates.sk].find((t) => t?.vars.includes(entry));
      if (where === undefined) fail(entry.name, `is .keyOnly() (stored only inside the table's key), but ${this.keyTemplates === undefined ? 'the model has no key templates (options.keys)' : `neither key template (${[this.keyTemplates.pk, this.keyTemplates.sk].filter((t) => t !== undefined).map((t) => `"${t.text}"`).join(', ')}) names it`}: name it in options.keys, or drop .keyOnly()`);
    }
    this.lazyAttributes = Object.freeze(this.codec.entries.filter((e) => e.def.lazy));
    this.eagerSelect = this.lazyAttributes.length === 0 ? undefined : Object.freeze(this.codec.entries.filter((e) => !e.def.lazy).map((e) => e.name));
    const templated = new Set(this.composedPaths.flatMap((p) => [...p.templates!.pk.vars, ...(p.templates!.sk?.vars ?? [])]));
    for (const entry of this.lazyAttributes) {
      const why = templated.has(entry) ? 'a key template names it (keys are read with every item)'
        : entry.def.managed !== undefined ? `it is .${entry.def.managed}() (managed attributes are read with every item)`
        : entry.def.kind === 'ttl' ? 'it is the TTL attribute (reads check it on every item)'
        : undefined;
      if (why !== undefined) fail(entry.name, `cannot be .lazy(): ${why}; drop .lazy()`);
    }
    if (this.declaredFields !== undefined && this.lazyAttributes.length > 0) {
      fail(this.lazyAttributes[0]!.name, "is .lazy(), but the model has undeclared: 'keep', whose reads must fetch whole items to carry what the model does not declare: drop one or the other");
    }
    for (const entry of this.codec.entries) {
      const nested = lazyInside(entry.def);
      if (nested !== undefined) fail(`${entry.name}.${nested}`, 'is .lazy() inside a nested value: only top-level attributes can be left out of a read; mark the top-level attribute .lazy()');
    }
    const keys = new Map<ShapeEntry, string>();
    for (const path of [this.primary, ...this.indexes.values()]) {
      for (const key of [path.pk, path.sk]) {
        if (key === undefined || keys.has(key)) continue;
        keys.set(key, path.index === undefined ? `the table's ${key === path.pk ? 'partition' : 'sort'} key` : `a key of index ${path.index}`);
      }
    }
    this.keyAttributes = [...keys].map(([entry, what]) => ({ entry, what }));
    Object.freeze(this);
  }

  /** The model's attribute, or undefined. @internal */
  attribute(name: string): ShapeEntry | undefined {
    return this.codec.byName.get(name);
  }

  /** The stored fields a projection reads for an attribute: its own, or for a key-only one the table's key fields. @internal */
  storedFields(name: string): readonly string[] {
    const entry = this.codec.byName.get(name)!;
    if (!entry.def.keyOnly) return [entry.field];
    const { pk, sk } = this.keyTemplates!;
    return sk === undefined ? [pk.field] : [pk.field, sk.field];
  }

  /**
   * The item as DynamoDB would store it (an AttributeValue map, for raw SDK calls, streams,
   * exports): every attribute validated, plus what DynamORM stores for itself (composed key
   * fields, the entity discriminator) and, on a model with `undeclared: 'keep'`, the undeclared
   * attributes an item read carries. Defaults are applied; managed attributes (`createdAt()`,
   * `version()`...) are taken as given. Throws a ValidationError listing each problem.
   */
  marshal(item: this['~types']['input'], op = 'marshal'): Record<string, AttributeValue> {
    const ctx: EncodeContext = { issues: [] };
    const stored = this.codec.encode(item as Record<string, unknown>, ctx, false);
    if (ctx.issues.length === 0) {
      this.addOwnFields(stored);
      if (this.declaredFields !== undefined) this.restoreUndeclared(item as object, stored);
    }
    this.checkKeys(stored, ctx);
    // Key-only attributes are in the composed keys now; they are not stored on their own.
    for (const entry of this.keyOnlyAttributes) delete stored[entry.field];
    if (ctx.issues.length > 0) throw this.validationError(op, ctx.issues);
    const size = itemSize(stored);
    if (size > MAX_ITEM_BYTES) throw this.tooLargeError(op, this.storedKey(stored), size, 'the item is');
    return stored;
  }

  /**
   * The primary key of an item (or of any object holding it), as the model names it: the key
   * attributes only, e.g. to keep, log or pass on. Throws a ValidationError naming a key attribute
   * the object lacks.
   * @example const key = User.keyOf(user); // { id: 'u1', createdAt: Date }
   */
  keyOf(item: this['~types']['item'] | this['~types']['input'] | this['~types']['key'], op = 'keyOf'): this['~types']['key'] {
    const key: Record<string, unknown> = {};
    const issues: RawIssue[] = [];
    for (const a of this.primaryKeyAttributes) {
      const v = (item as Record<string, unknown> | undefined)?.[a.name];
      if (v !== undefined) key[a.name] = v;
      else {
        const role = this.keyTemplates !== undefined ? 'an attribute of the key templates' : a === this.primary.pk ? 'the partition key' : 'the sort key';
        issues.push({ path: [a.name], expected: `${role} (required in a key)`, received: 'nothing' });
      }
    }
    if (issues.length > 0) throw this.validationError(op, issues, op === 'keyOf' ? 'key' : 'write');
    return key as this['~types']['key'];
  }

  /**
   * The model's object of a stored item (an AttributeValue map, as a raw SDK call, a stream record
   * or an export holds it), without what DynamoDB stores for DynamORM itself. Always strict (the
   * `onInvalid` of reads does not apply): an item that does not fit the model (a required attribute
   * missing, a stored type or enum value it cannot hold) throws a ValidationError naming its key
   * and listing each issue.
   */
  unmarshal(stored: Record<string, AttributeValue>, op = 'unmarshal'): this['~types']['item'] {
    const item = this.decode(stored);
    if (item instanceof StoredIssues) throw this.invalidStored(op, stored, item.issues);
    return item as this['~types']['item'];
  }

  /**
   * The one decode of stored items, which every read goes through: the model's object, or the
   * issues when the item does not fit. `only`: just these attributes (a projection); `partial`:
   * no attribute is required (an update's changed attributes). @internal
   */
  decode(stored: Record<string, AttributeValue>, only?: readonly ShapeEntry[], partial = false): Record<string, unknown> | StoredIssues {
    const from = scratch.issues.length;
    const item = this.codec.decode(this.keyOnlyAttributes.length === 0 ? stored : this.withKeyFields(stored), scratch, only, partial);
    if (scratch.issues.length !== from) return new StoredIssues(scratch.issues.splice(from));
    if (this.declaredFields !== undefined && only === undefined && !partial) this.keepUndeclared(stored, item);
    return item;
  }

  /**
   * A stored item as errors show it (the item a failed condition found): its attributes decoded,
   * none required, so a partial or drifted item still shows; undefined when one does not decode. @internal
   */
  itemAsStored(stored: Record<string, AttributeValue>): Record<string, unknown> | undefined {
    const item = this.decode(stored, undefined, true);
    return item instanceof StoredIssues ? undefined : item;
  }

  /** The error of a stored item that does not fit the model: its key and each issue. @internal */
  invalidStored(op: string, stored: Record<string, AttributeValue>, issues: readonly RawIssue[]): ValidationError {
    return this.validationError(op, issues, 'read', this.storedKey(stored));
  }

  /**
   * A stored item's primary key as the model names it, or its stored key fields as they are when
   * those do not decode (another model's item). @internal
   */
  storedKey(stored: Record<string, AttributeValue>): Record<string, unknown> {
    const key = this.decode(this.withKeyFields(stored, this.primaryKeyAttributes), this.primaryKeyAttributes);
    if (!(key instanceof StoredIssues)) return key;
    const raw: Record<string, unknown> = {};
    for (const k of [this.primary.pk, this.primary.sk]) if (k !== undefined && stored[k.field] !== undefined) raw[k.field] = Object.values(stored[k.field]!)[0];
    return raw;
  }

  /** Keeps the stored fields the model does not know on the item read, under a symbol (`undeclared: 'keep'`). */
  private keepUndeclared(stored: Record<string, AttributeValue>, item: Record<string | symbol, unknown>): void {
    let kept: Record<string, AttributeValue> | undefined;
    for (const field in stored) if (!this.declaredFields!.has(field)) (kept ??= {})[field] = stored[field]!;
    // An enumerable symbol: object spread copies it, JSON.stringify and Object.keys skip it.
    if (kept !== undefined) item[UNDECLARED] = kept;
  }

  /** Writes back the undeclared fields an item read carries; the model's own fields always win. */
  private restoreUndeclared(item: object, stored: Record<string, AttributeValue>): void {
    const kept = undeclaredOf(item);
    if (kept === undefined) return;
    for (const field in kept) if (!this.declaredFields!.has(field) && stored[field] === undefined) stored[field] = kept[field]!;
  }

  /**
   * The stored item with `entries` (its key-only attributes by default) read back from the table's
   * composed key fields where it lacks them (a copy; the item as it is when it lacks none). A stored
   * key of a single-table model holds only those fields. @internal
   */
  withKeyFields(stored: Record<string, AttributeValue>, entries: readonly ShapeEntry[] = this.keyOnlyAttributes): Record<string, AttributeValue> {
    const templates = this.keyTemplates;
    if (templates === undefined || entries.every((e) => stored[e.field] !== undefined)) return stored;
    const out = { ...stored };
    for (const t of [templates.pk, templates.sk]) {
      const text = t === undefined ? undefined : stored[t.field]?.S;
      if (text === undefined) continue;
      const values = parse(t!, text);
      if (values === undefined) continue;
      for (const entry of entries) if (values[entry.field] !== undefined && out[entry.field] === undefined) out[entry.field] = values[entry.field]!;
    }
    return out;
  }

  /**
   * Whether a stored item is this model's: a single-table key may hold another model's item, or
   * one written without a discriminator, which no model claims (as queries filter on it). Every
   * read projects the discriminator. @internal
   */
  owns(stored: Record<string, AttributeValue>): boolean {
    const field = this.entityField;
    if (field !== undefined) return stored[field]?.S === this.entity;
    return !this.ownedByKey || fitsKeyTemplates(this.keyTemplates!, stored);
  }

  /** Adds the composed key fields and the discriminator to a stored item (single-table models). @internal */
  addOwnFields(stored: Record<string, AttributeValue>): void {
    const paths = this.composedPaths;
    for (let i = 0; i < paths.length; i++) {
      const { pk, sk } = paths[i]!.templates!;
      // All or nothing: an item lacking an attribute of an index's templates stays out of it (sparse).
      const pkText = fill(pk, stored);
      const skText = sk === undefined ? undefined : fill(sk, stored);
      if (pkText === undefined || (sk !== undefined && skText === undefined)) continue;
      stored[pk.field] = { S: pkText };
      if (sk !== undefined) stored[sk.field] = { S: skText! };
    }
    if (this.entityField !== undefined) stored[this.entityField] = { S: this.entity! };
  }

  /**
   * Key strings and binaries may not be empty: DynamoDB refuses them. Values composed into keys
   * may not be empty either, nor hold the delimiter that follows them (keys/key-template.ts). @internal
   */
  checkKeys(stored: Record<string, AttributeValue>, ctx: EncodeContext): void {
    for (const { entry, what } of this.keyAttributes) {
      const v = stored[entry.field];
      if (v !== undefined && (v.S === '' || v.B?.length === 0)) {
        ctx.issues.push({ path: [entry.name], expected: `a non-empty value (it is ${what})`, received: 'an empty value' });
      }
    }
    for (const path of this.composedPaths) {
      templateIssues(path.templates!.pk, stored, ctx.issues);
      if (path.templates!.sk !== undefined) templateIssues(path.templates!.sk, stored, ctx.issues);
    }
  }

  /** The ItemTooLargeError of a write DynamORM counts over 400 KB before sending: `what` is `size` bytes. @internal */
  tooLargeError(op: string, key: Record<string, unknown>, size: number, what: string): ItemTooLargeError {
    const message = `${op} ${this.name} ${showKey(key)}: ${what} ${size} bytes, over DynamoDB's 400 KB item limit (${MAX_ITEM_BYTES} bytes); nothing was sent: store large values elsewhere (S3), compress them (.compress()) or split the item`;
    return new ItemTooLargeError(message, { op, model: this.name, size, limit: MAX_ITEM_BYTES, context: { key, size, limit: MAX_ITEM_BYTES } });
  }

  /**
   * The ValidationError of an item: of a write (nothing was sent), of a key, or of a stored item
   * read (`key`: its key). @internal
   */
  validationError(op: string, issues: readonly RawIssue[], verb: 'write' | 'read' | 'key' = 'write', key?: Record<string, unknown>): ValidationError {
    const list: ValidationIssue[] = issues.map((issue) => {
      const attribute = formatPath(issue.path);
      const at = attribute === '' ? this.name : `${this.name}.${attribute}`;
      return {
        attribute,
        expected: issue.expected,
        received: issue.received,
        message: issue.note !== undefined ? `${at}: ${issue.note} (received ${issue.received})` : `${at}: expected ${issue.expected}, received ${issue.received}`,
      };
    });
    const problems = list.map((i) => i.message).join('; ');
    if (verb === 'read') {
      const message = `${op} ${this.name}${key === undefined ? '' : ` ${showKey(key)}`}: the stored item does not fit the model: ${problems} (fix the item, or read with onInvalid 'skip' or a callback to leave such items out)`;
      return new ValidationError(list, { op, model: this.name, context: { key } }, message);
    }
    return new ValidationError(list, { op, model: this.name }, `${op} ${this.name}: ${verb === 'write' ? 'nothing was sent: ' : ''}${problems}`);
  }
}

/** The path of a lazy attribute nested in a value's schema, or undefined. */
function lazyInside(def: AttrDef): string | undefined {
  if (def.element !== undefined) {
    if (def.element.lazy) return '[element]';
    const deeper = lazyInside(def.element);
    if (deeper !== undefined) return `[element].${deeper}`;
  }
  for (const [name, inner] of Object.entries(def.shape ?? {})) {
    if (inner.lazy) return name;
    const deeper = lazyInside(inner);
    if (deeper !== undefined) return `${name}.${deeper}`;
  }
  return undefined;
}

function checkFields(entries: readonly ShapeEntry[], fail: (a: string | undefined, p: string) => never): void {
  const seen = new Map<string, string>();
  for (const entry of entries) {
    const other = seen.get(entry.field);
    if (other !== undefined) fail(entry.name, `stored as "${entry.field}", which ${other} uses too; give each a distinct .field()`);
    seen.set(entry.field, entry.name);
  }
}

function keyAttribute(entry: ShapeEntry, role: string, fail: (a: string | undefined, p: string) => never): ShapeEntry {
  if (keyStorage(entry.def) === undefined) {
    fail(entry.name, `${role} must be a string, number, bigint, binary, date, enum or custom scalar, not ${entry.def.kind}`);
  }
  if (entry.def.nullable) fail(entry.name, `${role} cannot be .nullable(): every item needs it`);
  return entry;
}

function primaryKey(entries: readonly ShapeEntry[], fail: (a: string | undefined, p: string) => never): AccessPath {
  const pks = entries.filter((e) => e.def.key === 'pk');
  const sks = entries.filter((e) => e.def.key === 'sk');
  if (pks.length === 0) fail(undefined, 'no partition key: mark one attribute .pk()');
  if (pks.length > 1) fail(pks[1]!.name, `a second partition key (${pks[0]!.name} is one): a table has exactly one`);
  if (sks.length > 1) fail(sks[1]!.name, `a second sort key (${sks[0]!.name} is one): a table has at most one`);
  for (const key of [...pks, ...sks]) {
    if (key.def.optional) fail(key.name, 'a key attribute cannot be .optional(): every item needs it');
  }
  return {
    index: undefined,
    type: 'TABLE',
    pk: keyAttribute(pks[0]!, 'the partition key', fail),
    sk: sks[0] === undefined ? undefined : keyAttribute(sks[0], 'the sort key', fail),
    projection: 'ALL',
    readCapacity: undefined,
    writeCapacity: undefined,
    templates: undefined,
  };
}

/** Composed indexes declared in options.indexes: global (entries with `pk`) and local (`local: true` with `sk`). */
function composedIndexes(codec: ShapeCodec, primary: AccessPath, options: IndexesOption, fail: (a: string | undefined, p: string) => never): AccessPath[] {
  const result: AccessPath[] = [];
  for (const [name, opts] of Object.entries(options)) {
    if (opts !== undefined && 'local' in opts && opts.local === true) {
      if ('pk' in opts) fail(undefined, `local index ${name} shares the table's partition key: give only its sk template`);
      if (primary.templates === undefined || primary.sk === undefined) fail(undefined, `local index ${name} composes its sort key from a template, so the table's keys must be composed too, with a sort key (options.keys: { pk, sk })`);
      if (typeof opts.sk !== 'string' && typeof opts.sk !== 'object') fail(undefined, `local index ${name} needs its sort key template: { local: true, sk: 'STATUS#{status}' }`);
      const sk = compileTemplate(opts.sk, `${name}SK`, codec, fail, true);
      result.push(Object.freeze({
        index: name, type: 'LSI' as const, pk: primary.pk, sk: sk.entry,
        projection: opts.projection ?? 'ALL', readCapacity: undefined, writeCapacity: undefined,
        templates: Object.freeze({ pk: primary.templates!.pk, sk }),
      }));
      continue;
    }
    if (opts === undefined || !('pk' in opts)) continue;
    const pk = compileTemplate(opts.pk, `${name}PK`, codec, fail, true);
    const sk = opts.sk === undefined ? undefined : compileTemplate(opts.sk, `${name}SK`, codec, fail, true);
    result.push(Object.freeze({
      index: name, type: 'GSI' as const, pk: pk.entry, sk: sk?.entry,
      projection: opts.projection ?? 'ALL', readCapacity: opts.readCapacity, writeCapacity: opts.writeCapacity,
      templates: Object.freeze({ pk, sk }),
    }));
  }
  return result;
}

function secondaryIndexes(
  entries: readonly ShapeEntry[],
  primary: AccessPath,
  options: IndexesOption,
  composed: readonly AccessPath[],
  fail: (a: string | undefined, p: string) => never,
): Map<string, AccessPath> {
  const members = new Map<string, { local: boolean; pk: ShapeEntry[]; sk: ShapeEntry[] }>();
  for (const entry of entries) {
    for (const m of entry.def.indexes) {
      const index = members.get(m.name) ?? { local: m.local, pk: [], sk: [] };
      if (index.local !== m.local) fail(entry.name, `index ${m.name} is declared both as a GSI (.index) and an LSI (.localIndex)`);
      index[m.role].push(entry);
      members.set(m.name, index);
    }
  }
  const result = new Map<string, AccessPath>();
  for (const [name, m] of members) {
    if (m.pk.length > 1) fail(m.pk[1]!.name, `a second partition key for index ${name} (${m.pk[0]!.name} is one)`);
    if (m.sk.length > 1) fail(m.sk[1]!.name, `a second sort key for index ${name} (${m.sk[0]!.name} is one)`);
    if (!m.local && m.pk.length === 0) fail(m.sk[0]!.name, `index ${name} has a sort key but no partition key: mark an attribute .index('${name}', 'pk')`);
    if (m.local && primary.sk === undefined) fail(m.sk[0]!.name, `local index ${name} needs a table with a sort key`);
    const opts = options[name] ?? {};
    result.set(name, {
      index: name,
      type: m.local ? 'LSI' : 'GSI',
      pk: m.local ? primary.pk : keyAttribute(m.pk[0]!, `the partition key of index ${name}`, fail),
      sk: m.sk[0] === undefined ? undefined : keyAttribute(m.sk[0], `the sort key of index ${name}`, fail),
      projection: opts.projection ?? 'ALL',
      readCapacity: opts.readCapacity,
      writeCapacity: opts.writeCapacity,
      templates: undefined,
    });
  }
  for (const path of composed) {
    if (result.has(path.index!)) fail(members.get(path.index!)!.pk[0]?.name ?? members.get(path.index!)!.sk[0]?.name, `declares index ${path.index}, which options.indexes composes from templates: drop one or the other`);
    result.set(path.index!, path);
  }
  for (const name of Object.keys(options)) {
    if (!result.has(name)) fail(undefined, `options.indexes names ${name}, which no attribute declares (mark one .index('${name}'), or compose its keys with { pk: template })`);
  }
  const gsis = [...result.values()].filter((i) => i.type === 'GSI').length;
  if (gsis > 20) fail(undefined, `${gsis} global secondary indexes; DynamoDB allows 20 per table`);
  if (result.size - gsis > 5) fail(undefined, `${result.size - gsis} local secondary indexes; DynamoDB allows 5 per table`);
  for (const [name, index] of result) {
    if (Array.isArray(index.projection)) {
      for (const attr of index.projection as readonly string[]) {
        if (!entries.some((e) => e.name === attr)) fail(attr, `projected by index ${name} but not an attribute of the model`);
      }
    }
  }
  return result;
}

/**
 * Any model, for constraints. Its inferred types and typed methods are loose on purpose: a model
 * is then checked against it by its shape alone, never by comparing its item, input and key types
 * with those of every other model, which keeps each `M extends AnyModel` call site cheap.
 */
export interface AnyModel extends Omit<Model, '~types' | 'marshal' | 'unmarshal' | 'keyOf'> {
  readonly '~types': {
    readonly name: string;
    readonly shape: Shape;
    readonly names: string;
    readonly item: object;
    readonly input: object;
    readonly key: object;
    readonly index: string;
  };
  marshal(item: unknown, op?: string): Record<string, AttributeValue>;
  unmarshal(stored: Record<string, AttributeValue>, op?: string): unknown;
  keyOf(item: unknown, op?: string): unknown;
}

/** The object a read of model M returns. */
export type InferItem<M extends AnyModel> = M['~types']['item'];
/** The object a write of model M takes: optional, defaulted and managed attributes may be left out. */
export type InferInput<M extends AnyModel> = M['~types']['input'];
/** Exactly the primary key of model M. */
export type InferKey<M extends AnyModel> = M['~types']['key'];
/** Names of the secondary indexes of model M. */
export type InferIndexName<M extends AnyModel> = M['~types']['index'];
/**
 * Names of the lazy attributes of model M (`.lazy()`). Worked out from the shape where asked
 * (select, load, stream images), not on `~types`, so that models without them pay nothing.
 */
export type InferLazyName<M extends AnyModel> = LazyNameOf<M['~types']['shape']>;
/** The item of model M with its lazy attributes too: what select() and load() pick from, and stream images hold. */
export type InferFullItem<M extends AnyModel> = FullItemOf<M['~types']['shape'], M['~types']['item']>;

/**
 * Defines a model. Throws a ModelDefinitionError, naming model and attribute, when the
 * definition cannot work (no partition key, two of them, an unkeyable key type, ...).
 */
export function model<const Name extends string, const S extends Shape, const K extends KeyTemplates | undefined = undefined, const X extends IndexesOption = {}>(
  name: Name,
  options: ModelOptions<S, IndexNameOf<S>, K, X> & { readonly keys?: CheckedKeys<K, S>; readonly indexes?: NoInfer<CheckedIndexes<X, S>> },
): Model<Name, S, K, ComposedIndexNames<X>> {
  return new Model(name, options);
}
