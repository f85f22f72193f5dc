import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { EntityGroup, EntitySplit } from './entities.js';
import { inferType, isIsoDate, withPresence, type InferredType } from './infer-type.js';
import { camelName, quote, unique } from './naming.js';
import type { StoredItem } from './sample.js';
import { keyFields, type IndexLayout, type KeyField, type TableLayout } from './table-layout.js';

/** One attribute of a generated model: its name and the `t.*` code, with the notes the reader should check. */
export interface AttributeSpec {
  readonly name: string;
  readonly code: string;
  readonly notes: readonly string[];
}

/** A key template and the stored field it fills (written bare when the field is the default). */
export interface TemplateSpec {
  readonly field: string;
  readonly defaultField: string;
  readonly text: string;
}

/** A composed index (templates), or the settings of an index its attributes declare (projection only). */
export interface IndexSpec {
  readonly name: string;
  readonly local: boolean;
  readonly pk: TemplateSpec | undefined;
  readonly sk: TemplateSpec | undefined;
  /** The `projection` option as code; undefined for ALL, the default. */
  readonly projection: string | undefined;
}

export interface ModelSpec {
  readonly name: string;
  readonly table: string;
  readonly entity: string | undefined;
  /** The discriminator's stored name when not the default; false when the items carry none. */
  readonly entityAttribute: string | false | undefined;
  readonly keys: { readonly pk: TemplateSpec; readonly sk: TemplateSpec | undefined } | undefined;
  readonly indexes: readonly IndexSpec[];
  readonly attributes: readonly AttributeSpec[];
  readonly notes: readonly string[];
  readonly items: number;
}

/** An attribute being inferred. */
interface Draft {
  readonly name: string;
  readonly field: string;
  type: InferredType;
  optional: boolean;
  keyOnly: boolean;
  readonly modifiers: string[];
  /** Its stored text per item, for matching key template segments (key-only attributes: the segment's). */
  readonly texts: readonly (string | undefined)[];
}

const KEYABLE = /^t\.(string|enum|number|bigint|date|binary)\(/;
const TEMPLATABLE = /^t\.(string|enum|number|bigint|date)\(/;
const LABEL = /^[A-Z][A-Z0-9_]*$/;
/** The entry of an index its attributes declare (kept when it needs a projection). */
const declared = (index: IndexLayout): IndexSpec => ({ name: index.name, local: index.type === 'LSI', pk: undefined, sk: undefined, projection: undefined });
const textOf = (v: AttributeValue | undefined): string | undefined => v?.S ?? v?.N;

/** The type of a key attribute: inferred from the sample when it is a keyable kind, else from the key's declared type. */
function keyType(key: KeyField, values: readonly AttributeValue[]): InferredType {
  const inferred = values.length === 0 ? undefined : inferType(key.field, values, values.length);
  if (inferred !== undefined && KEYABLE.test(inferred.expr) && !inferred.nullable) return inferred;
  return { expr: key.type === 'S' ? 't.string()' : key.type === 'N' ? 't.number()' : 't.binary()', nullable: false, notes: [] };
}

class ModelInference {
  readonly notes: string[] = [];
  readonly taken = new Set<string>();
  readonly drafts = new Map<string, Draft>();
  readonly items: readonly StoredItem[];

  constructor(readonly layout: TableLayout, readonly group: EntityGroup, readonly split: EntitySplit) {
    this.items = group.items;
  }

  /** A draft for a stored field (created once; later callers add modifiers). */
  draft(field: string, type: (values: AttributeValue[]) => InferredType): Draft {
    const existing = this.drafts.get(field);
    if (existing !== undefined) return existing;
    const values = this.items.map((i) => i[field]).filter((v): v is AttributeValue => v !== undefined);
    const draft: Draft = {
      name: unique(camelName(field), this.taken), field, type: type(values), optional: values.length < this.items.length,
      keyOnly: false, modifiers: [], texts: this.items.map((i) => textOf(i[field])),
    };
    this.drafts.set(field, draft);
    return draft;
  }

  /** Every stored attribute that is not a key field nor the discriminator. */
  ordinaryAttributes(): void {
    const keys = keyFields(this.layout);
    const fields = new Set<string>();
    for (const item of this.items) for (const field of Object.keys(item)) fields.add(field);
    for (const field of fields) {
      if (keys.has(field) || field === this.split.discriminator) continue;
      this.draft(field, (values) => {
        if (field !== this.layout.ttl) return inferType(field, values, values.length);
        if (values.every((v) => v.N !== undefined)) return { expr: 't.ttl()', nullable: false, notes: [] };
        return { ...inferType(field, values, values.length), notes: ['the table\'s TTL attribute, but not every value is a number: not typed t.ttl()'] };
      });
    }
  }

  /** Plain keys: the key fields are attributes marked .pk() / .sk() / .index() / .localIndex(). */
  plainKeys(): IndexSpec[] {
    const { pk, sk } = this.layout;
    this.draft(pk.field, (values) => keyType(pk, values)).modifiers.push('.pk()');
    if (sk !== undefined) this.draft(sk.field, (values) => keyType(sk, values)).modifiers.push('.sk()');
    return this.layout.indexes.filter((index) => this.declaredIndex(index)).map(declared);
  }

  /** An index whose key fields are attributes of the model; absent when no sampled item of the kind is in it. */
  declaredIndex(index: IndexLayout, why?: string): boolean {
    const fields = index.type === 'LSI' ? [index.sk!] : [index.pk, index.sk].filter((k): k is KeyField => k !== undefined);
    if (this.items.length > 0 && !this.items.some((i) => fields.some((f) => i[f.field] !== undefined))) return false;
    for (const key of fields) {
      const draft = this.draft(key.field, (values) => keyType(key, values));
      draft.modifiers.push(index.type === 'LSI' ? `.localIndex(${quote(index.name)})` : `.index(${quote(index.name)}${key === index.sk ? ", 'sk'" : ''})`);
    }
    if (why !== undefined) this.notes.push(`index ${index.name}: ${why}; its key fields are declared as attributes of their own, which writes must set`);
    return true;
  }

  /** A stored attribute or a key-only attribute whose text is `texts[i]` in every item, by name. */
  matching(texts: readonly string[], position: number): string | undefined {
    const candidates = [...this.drafts.values()].filter((d) =>
      (d.keyOnly || (TEMPLATABLE.test(d.type.expr) && !d.type.nullable && !d.optional)) && d.texts.every((t, i) => t === texts[i]));
    // Key-only attributes first (they were made for these segments), then stored ones.
    candidates.sort((a, b) => Number(b.keyOnly) - Number(a.keyOnly));
    if (candidates.length > 1 && !candidates[0]!.keyOnly) {
      this.notes.push(`key segment ${position + 1} equals ${candidates.map((c) => c.name).join(' and ')} in every sampled item: ${candidates[0]!.name} was chosen`);
    }
    return candidates[0]?.name;
  }

  /**
   * The template of a composed key field from its values (`ORDER#2024-05-02T…#o1` →
   * `ORDER#{orderDate}#{orderId}`): constant labels stay literal, the other '#'-separated
   * segments are the attributes holding that text, or (table keys only) new key-only attributes.
   */
  template(field: string, values: readonly string[], allowKeyOnly: boolean): string | undefined {
    const split = values.map((v) => v.split('#'));
    const count = Math.min(...split.map((s) => s.length));
    // The last segment takes the rest: a key's last value may hold '#'.
    const rows = split.map((s) => (s.length > count ? [...s.slice(0, count - 1), s.slice(count - 1).join('#')] : s));
    const parts: string[] = [];
    for (let p = 0; p < count; p++) {
      const texts = rows.map((r) => r[p]!);
      const constant = texts.every((t) => t === texts[0]);
      const label = constant && (LABEL.test(texts[0]!) || texts[0] === '');
      // A constant first segment before a '#' is the kind's prefix (CUSTOMER#…); elsewhere an
      // attribute holding the text wins over a literal (every sampled order may be SHIPPED).
      if (constant && p === 0 && (count > 1 || label)) { parts.push(texts[0]!); continue; }
      const name = this.matching(texts, p);
      if (name !== undefined) { parts.push(`{${name}}`); continue; }
      if (label) { parts.push(texts[0]!); continue; }
      if (!allowKeyOnly) return undefined;
      parts.push(`{${this.keyOnly(field, texts, [...parts].reverse().find((part) => !part.startsWith('{')), constant)}}`);
    }
    return parts.join('#');
  }

  /** A new attribute that lives only inside the table's key, named after the last label before it (ORDER# → orderId, orderDate). */
  keyOnly(field: string, texts: readonly string[], previous: string | undefined, constant: boolean): string {
    const date = texts.every(isIsoDate);
    const base = previous !== undefined && !previous.startsWith('{') && previous !== '' ? `${camelName(previous)}${date ? 'Date' : 'Id'}` : camelName(field);
    const draft: Draft = {
      name: unique(base, this.taken), field: `#${field}#${base}`, optional: false, keyOnly: true, modifiers: ['.keyOnly()'],
      type: { expr: date ? 't.date()' : 't.string()', nullable: false, notes: [] }, texts,
    };
    this.drafts.set(draft.field, draft);
    this.notes.push(`${draft.name}: read from ${field} (no stored attribute holds it)${constant ? `; every sampled item had "${texts[0]}": make it literal text of the template if it is one` : ''}`);
    return draft.name;
  }

  /** Composed keys: templates for the table's key fields, and for each index the kind is in. */
  composedKeys(): { keys: NonNullable<ModelSpec['keys']>; indexes: IndexSpec[] } {
    const { pk, sk } = this.layout;
    const spec = (key: KeyField, defaultField: string, text: string): TemplateSpec => ({ field: key.field, defaultField, text });
    const valuesOf = (field: string): string[] => this.items.map((i) => i[field]?.S ?? '');
    const keys = {
      pk: spec(pk, 'PK', this.template(pk.field, valuesOf(pk.field), true)!),
      sk: sk === undefined ? undefined : spec(sk, 'SK', this.template(sk.field, valuesOf(sk.field), true)!),
    };
    const indexes: IndexSpec[] = [];
    for (const index of this.layout.indexes) {
      const fields = index.type === 'LSI' ? [index.sk!] : [index.pk, index.sk].filter((k): k is KeyField => k !== undefined);
      const inIndex = this.items.filter((i) => fields.every((f) => i[f.field]?.S !== undefined)).length;
      if (inIndex === 0 && !this.items.some((i) => fields.some((f) => i[f.field] !== undefined))) continue;
      if (inIndex < this.items.length) {
        this.declaredIndex(index, `${this.items.length - inIndex} of ${this.items.length} sampled items are not in it (or not with string keys), so its keys are not composed from attributes`);
        indexes.push(declared(index));
        continue;
      }
      const pkText = index.type === 'GSI' ? this.template(index.pk.field, valuesOf(index.pk.field), false) : undefined;
      const skText = index.sk === undefined ? undefined : this.template(index.sk.field, valuesOf(index.sk.field), false);
      if ((index.type === 'GSI' && pkText === undefined) || (index.sk !== undefined && skText === undefined)) {
        this.declaredIndex(index, 'a part of its keys matches no attribute of the sampled items');
        indexes.push(declared(index));
        continue;
      }
      indexes.push({
        name: index.name, local: index.type === 'LSI',
        pk: pkText === undefined ? undefined : spec(index.pk, `${index.name}PK`, pkText),
        sk: skText === undefined ? undefined : spec(index.sk!, `${index.name}SK`, skText),
        projection: undefined,
      });
    }
    return { keys, indexes };
  }

  /** The `projection` option of an index as code (undefined for ALL): INCLUDE names mapped to the model's attributes. */
  projection(index: IndexLayout): string | undefined {
    if (index.projection === 'ALL') return undefined;
    if (index.projection === 'KEYS_ONLY') return "'KEYS_ONLY'";
    const names = index.projection.map((field) => this.drafts.get(field)).filter((d): d is Draft => d !== undefined && !d.keyOnly).map((d) => d.name);
    const missing = index.projection.filter((field) => this.drafts.get(field) === undefined);
    if (missing.length > 0) this.notes.push(`index ${index.name} also projects ${missing.join(', ')}, which no sampled item of ${this.group.name} holds`);
    return names.length === 0 ? "'KEYS_ONLY'" : `[${names.map(quote).join(', ')}]`;
  }

  spec(): ModelSpec {
    let keys: ModelSpec['keys'];
    let indexes: IndexSpec[] = [];
    this.ordinaryAttributes();
    if (this.split.singleTable) ({ keys, indexes } = this.composedKeys());
    else indexes = this.plainKeys();
    indexes = indexes.map((spec) => ({ ...spec, projection: this.projection(this.layout.indexes.find((i) => i.name === spec.name)!) }))
      // An index its attributes declare needs an entry only for a projection other than ALL.
      .filter((spec) => spec.pk !== undefined || spec.sk !== undefined || spec.projection !== undefined);
    // Key-only attributes, then key attributes, then the others by name: the same file for the same table.
    const drafts = [...this.drafts.values()].sort((a, b) => Number(b.keyOnly) - Number(a.keyOnly)
      || Number(b.modifiers.length > 0) - Number(a.modifiers.length > 0) || (a.name < b.name ? -1 : 1));
    const attributes = drafts.map((d) => ({
      name: d.name,
      code: `${withPresence(d.type, d.optional)}${d.keyOnly || d.name === d.field ? '' : `.field(${quote(d.field)})`}${d.modifiers.join('')}`,
      notes: d.type.notes,
    }));
    const entity = this.group.entity !== undefined && this.group.entity !== this.group.name ? this.group.entity : undefined;
    const discriminator = this.split.discriminator;
    return {
      name: this.group.name, table: this.layout.name, entity,
      entityAttribute: discriminator === undefined ? (this.split.singleTable ? false : undefined) : discriminator !== '__entity' ? discriminator : undefined,
      keys, indexes, attributes, notes: this.notes, items: this.items.length,
    };
  }
}

/** The models of a table from its layout and the kinds its sampled items split into. */
export function inferModels(layout: TableLayout, split: EntitySplit): ModelSpec[] {
  return split.groups.map((group) => new ModelInference(layout, group, split).spec());
}
