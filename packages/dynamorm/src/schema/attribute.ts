/** The attribute kinds the schema knows; each has its own codec in `codec/`. */
export type Kind =
  | 'string' | 'number' | 'bigint' | 'boolean' | 'binary' | 'date'
  | 'stringSet' | 'numberSet' | 'binarySet' | 'list' | 'map' | 'object'
  | 'enum' | 'ttl' | 'custom' | 'unknown';

export type KeyRole = 'pk' | 'sk' | 'none';
export type Managed = 'createdAt' | 'updatedAt' | 'version';

/** How a date is stored: ISO-8601 text (sorts and reads well) or epoch numbers. */
export type DateFormat = 'iso' | 'epochSeconds' | 'epochMillis';

/** DynamoDB scalar types a custom converter may store as. */
export type CustomStorage = 'S' | 'N' | 'B';
export type StorageOf<S extends CustomStorage> = S extends 'S' ? string : S extends 'N' ? number | bigint | string : Uint8Array;

export interface CustomCodec {
  readonly type: CustomStorage;
  readonly marshal: (value: never) => string | number | bigint | Uint8Array;
  readonly unmarshal: (stored: never) => unknown;
}

export interface IndexMembership {
  readonly name: string;
  readonly role: 'pk' | 'sk';
  /** A local secondary index (shares the table's partition key). */
  readonly local: boolean;
}

/** A validator returns true, or false / a message when the value is refused. */
export type Validator<T> = (value: T) => boolean | string;

/** The runtime description of one attribute: what the codec, the planner and migrations read. */
export interface AttrDef {
  readonly kind: Kind;
  readonly optional: boolean;
  readonly nullable: boolean;
  readonly hasDefault: boolean;
  readonly default: unknown;
  readonly validators: readonly Validator<never>[];
  readonly key: KeyRole;
  readonly indexes: readonly IndexMembership[];
  readonly managed: Managed | undefined;
  /** Stored attribute name when it differs from the property name (`.field('PK')`). */
  readonly field: string | undefined;
  readonly dateFormat: DateFormat;
  /** Element schema of a list or map. */
  readonly element: AttrDef | undefined;
  /** Property schemas of a nested object. */
  readonly shape: Readonly<Record<string, AttrDef>> | undefined;
  readonly values: readonly string[] | undefined;
  readonly custom: CustomCodec | undefined;
  /** Stored only inside the table's composed key (`.keyOnly()`): not an attribute of its own. */
  readonly keyOnly: boolean;
  /** Stored compressed as binary (`.compress()`), or undefined. */
  readonly compress: Compression | undefined;
  /** Left out of the default projection of reads (`.lazy()`): read by select() or load(). */
  readonly lazy: boolean;
}

/** How `.compress()` stores a value: gzip or brotli of its stored form (node:zlib). */
export type Compression = 'gzip' | 'brotli';

export type Keyable = string | number | bigint | Uint8Array | Date;

const base: AttrDef = {
  kind: 'unknown', optional: false, nullable: false, hasDefault: false, default: undefined,
  validators: [], key: 'none', indexes: [], managed: undefined, field: undefined,
  dateFormat: 'iso', element: undefined, shape: undefined, values: undefined, custom: undefined, keyOnly: false, compress: undefined, lazy: false,
};

export function attrDef(kind: Kind, extra: Partial<AttrDef> = {}): AttrDef {
  return Object.freeze({ ...base, kind, ...extra });
}

/**
 * An attribute of a model: immutable, each modifier returns a new one. The type parameters
 * record what the compiler needs (value type, input type, optionality, whether the library
 * fills it, key role, index names); they are read once through `~types` by the inference.
 */
export class Attribute<
  T,
  In = T,
  Opt extends boolean = false,
  Gen extends boolean = false,
  Key extends KeyRole = 'none',
  Ix extends string = never,
  // Whether DynamoDB can key on it: its value is a string, number, bigint, binary or date, or a
  // custom converter stores it as S, N or B.
  K extends boolean = [T] extends [Keyable] ? true : false,
  // Left out of the default projection of reads, and of the item type until selected or loaded (`.lazy()`).
  Lz extends boolean = false,
> {
  declare readonly '~types': {
    readonly value: T;
    readonly input: In;
    readonly optional: Opt;
    readonly generated: Gen;
    readonly key: Key;
    readonly index: Ix;
    readonly keyable: K;
    readonly lazy: Lz;
    /** How reads return it: its optionality, or 'lazy' (worked out once per attribute type, not per model). */
    readonly read: Lz extends true ? 'lazy' : Opt;
  };
  readonly def: AttrDef;

  constructor(def: AttrDef) {
    this.def = def;
  }

  private with<R>(extra: Partial<AttrDef>): R {
    return new Attribute(Object.freeze({ ...this.def, ...extra })) as R;
  }

  /** The attribute may be absent; an index over it is sparse. */
  optional(): Attribute<T, In, true, Gen, Key, Ix, K, Lz> {
    return this.with({ optional: true });
  }

  /** The attribute may be `null`, stored as DynamoDB NULL. */
  nullable(): Attribute<T | null, In | null, Opt, Gen, Key, Ix, false, Lz> {
    return this.with({ nullable: true });
  }

  /** A value used when the input leaves the attribute out; a function is called per write. */
  default(value: In | (() => In)): Attribute<T, In, Opt, true, Key, Ix, K, Lz> {
    return this.with({ hasDefault: true, default: value });
  }

  /** A check run before any request; return false or a message to refuse the value. */
  validate(check: Validator<T>): Attribute<T, In, Opt, Gen, Key, Ix, K, Lz> {
    return this.with({ validators: [...this.def.validators, check as Validator<never>] });
  }

  /** The table's partition key. */
  pk(this: Attribute<T, In, Opt, Gen, Key, Ix, true, false>): Attribute<T, In, Opt, Gen, 'pk', Ix, K, Lz> {
    return this.with({ key: 'pk' });
  }

  /** The table's sort key. */
  sk(this: Attribute<T, In, Opt, Gen, Key, Ix, true, false>): Attribute<T, In, Opt, Gen, 'sk', Ix, K, Lz> {
    return this.with({ key: 'sk' });
  }

  /** A key of the global secondary index `name` ('pk', the default, or 'sk'). */
  index<N extends string>(
    this: Attribute<T, In, Opt, Gen, Key, Ix, true, false>,
    name: N,
    role: 'pk' | 'sk' = 'pk',
  ): Attribute<T, In, Opt, Gen, Key, Ix | N, K, Lz> {
    return this.with({ indexes: [...this.def.indexes, { name, role, local: false }] });
  }

  /** The sort key of the local secondary index `name` (partition key: the table's). */
  localIndex<N extends string>(this: Attribute<T, In, Opt, Gen, Key, Ix, true, false>, name: N): Attribute<T, In, Opt, Gen, Key, Ix | N, K, Lz> {
    return this.with({ indexes: [...this.def.indexes, { name, role: 'sk', local: true }] });
  }

  /** Store under another attribute name, to adopt an existing table (`.field('PK')`). */
  field(name: string): Attribute<T, In, Opt, Gen, Key, Ix, K, Lz> {
    return this.with({ field: name });
  }

  /**
   * Adopting an existing table: the value lives only inside the table's composed key (`SK =
   * ORDER#{placedAt}#{orderId}`), as raw SDK code wrote it. It is not stored as an attribute of
   * its own, and is read back from the key on every read; the table's key template must name it.
   */
  keyOnly(this: Attribute<T, In, Opt, Gen, Key, Ix, true, false>): Attribute<T, In, Opt, Gen, Key, Ix, K, Lz> {
    return this.with({ keyOnly: true });
  }

  /**
   * Store the value compressed (gzip by default, or brotli) as binary: large text or objects stay
   * far from DynamoDB's 400 KB item limit and cost less to write and read. Reads decompress it
   * transparently; conditions and filters on it are refused (DynamoDB sees only bytes), and it
   * cannot be a key.
   */
  compress(this: Attribute<T, In, Opt, Gen, 'none', never, K, Lz>, algorithm: Compression = 'gzip'): Attribute<T, In, Opt, Gen, 'none', never, false, Lz> {
    return this.with({ compress: algorithm });
  }

  /**
   * Leave the attribute out of what reads fetch by default (gets, queries, scans, batch gets,
   * collections send a projection of the other attributes), and out of the item type, until
   * `select(...)` names it or `orm.model(M).load(item, name)` reads it: large bodies cost no
   * transfer or decoding on list pages. Writes take it as any attribute. It cannot be a key.
   */
  lazy(this: Attribute<T, In, Opt, Gen, 'none', never, K, Lz>): Attribute<T, In, Opt, Gen, 'none', never, K, true> {
    return this.with({ lazy: true });
  }

  /** Set to the current time when the item is first written. */
  createdAt(this: Attribute<Date | number | string, In, Opt, Gen, Key, Ix, K, Lz>): Attribute<T, In, Opt, true, Key, Ix, K, Lz> {
    return this.with({ managed: 'createdAt' });
  }

  /** Set to the current time on every write. */
  updatedAt(this: Attribute<Date | number | string, In, Opt, Gen, Key, Ix, K, Lz>): Attribute<T, In, Opt, true, Key, Ix, K, Lz> {
    return this.with({ managed: 'updatedAt' });
  }

  /** Optimistic locking: every write checks the version it read and stores the next one. */
  version(this: Attribute<number, In, Opt, Gen, Key, Ix, K, Lz>): Attribute<T, In, Opt, true, Key, Ix, K, Lz> {
    return this.with({ managed: 'version' });
  }
}

/** Any attribute, for constraints. Methods are bivariant, so every Attribute fits. */
export type AnyAttribute = Attribute<unknown, unknown, boolean, boolean, KeyRole, string, boolean, boolean>;
export type Shape = Readonly<Record<string, AnyAttribute>>;

