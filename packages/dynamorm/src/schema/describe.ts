import type { AttrDef, Kind } from './attribute.js';
import type { AccessPath, AnyModel, Projection } from './model.js';

/** One attribute of a model as tools see it (`describeModel`): names, kind, presence, nested schemas. */
export interface AttributeDescription {
  /** The model's name for it. */
  readonly name: string;
  /** The stored attribute name (`.field()` or the name). */
  readonly field: string;
  readonly kind: Kind;
  /** May be absent from an item (`.optional()`). */
  readonly optional: boolean;
  /** May be null (`.nullable()`). */
  readonly nullable: boolean;
  /** May be left out of a write's input: it has a default or is managed (createdAt, updatedAt, version). */
  readonly generated: boolean;
  readonly managed: 'createdAt' | 'updatedAt' | 'version' | undefined;
  /** Stored only inside the table's composed key (`.keyOnly()`). */
  readonly keyOnly: boolean;
  /** The values of a `t.enum`. */
  readonly values: readonly string[] | undefined;
  /** The element schema of a `t.list` or `t.map`. */
  readonly element: AttributeDescription | undefined;
  /** The properties of a `t.object`. */
  readonly shape: readonly AttributeDescription[] | undefined;
}

/** The table's key or a secondary index: the model's attributes that make up each of its keys. */
export interface AccessPathDescription {
  /** undefined for the table's own key. */
  readonly index: string | undefined;
  readonly type: 'TABLE' | 'GSI' | 'LSI';
  /** The attributes that fix the partition (one, or those a key template names). */
  readonly partitionKey: readonly string[];
  /** The attributes of the sort key (none, one, or those a key template names). */
  readonly sortKey: readonly string[];
  readonly projection: Projection;
}

/** A model as tools (the CLI, GraphQL schemas, admin UIs) see it: a plain, frozen description. */
export interface ModelDescription {
  readonly name: string;
  readonly table: string;
  /** The discriminator value of a single-table model. */
  readonly entity: string | undefined;
  readonly attributes: readonly AttributeDescription[];
  /** The attributes of the primary key (`InferKey`), in order. */
  readonly key: readonly string[];
  readonly primary: AccessPathDescription;
  readonly indexes: readonly AccessPathDescription[];
}

function describeAttribute(name: string, def: AttrDef): AttributeDescription {
  return Object.freeze({
    name, field: def.field ?? name, kind: def.kind, optional: def.optional, nullable: def.nullable,
    generated: def.hasDefault || def.managed !== undefined, managed: def.managed, keyOnly: def.keyOnly,
    values: def.values,
    element: def.element === undefined ? undefined : describeAttribute('element', def.element),
    shape: def.shape === undefined ? undefined : Object.freeze(Object.entries(def.shape).map(([n, d]) => describeAttribute(n, d))),
  });
}

function describePath(path: AccessPath): AccessPathDescription {
  const names = (template: { vars: readonly { name: string }[] } | undefined, entry: { name: string } | undefined): readonly string[] =>
    Object.freeze(template !== undefined ? template.vars.map((v) => v.name) : entry === undefined ? [] : [entry.name]);
  return Object.freeze({
    index: path.index, type: path.type,
    partitionKey: names(path.templates?.pk, path.pk),
    sortKey: names(path.templates === undefined ? undefined : path.templates.sk ?? { vars: [] }, path.sk),
    projection: path.projection,
  });
}

/**
 * What a model declares, for tools that build on it (generated schemas, admin UIs, code
 * generators): its attributes with their kinds and nested schemas, its key, and its indexes with
 * the attributes each is queried by. Composed keys (single-table design) list the attributes
 * their templates name.
 * @example describeModel(User).indexes.map((i) => i.index) // ['gsi-email', 'gsi-name-age']
 */
export function describeModel(model: AnyModel): ModelDescription {
  return Object.freeze({
    name: model.name,
    table: model.table,
    entity: model.entity,
    attributes: Object.freeze(model.codec.entries.map((e) => describeAttribute(e.name, e.def))),
    key: Object.freeze(model.primaryKeyAttributes.map((e) => e.name)),
    primary: describePath(model.primary),
    indexes: Object.freeze([...model.indexes.values()].map(describePath)),
  });
}
