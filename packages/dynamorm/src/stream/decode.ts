import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttrDef } from '../schema/attribute.js';
import { fitsKeyTemplates } from '../schema/key-template.js';
import { StoredIssues, type AnyModel } from '../schema/model.js';
import type { ChangeEvent, ChangeType } from './change-event.js';
import { StreamRecordError } from './errors.js';
import type { StreamAttributeValue, StreamImage, StreamRecordLike } from './record.js';

type Stored = Record<string, AttributeValue>;

const TYPES: Readonly<Record<string, ChangeType>> = { INSERT: 'insert', MODIFY: 'modify', REMOVE: 'remove' };

/**
 * Turns the records of one table's stream into change events, each routed to its model and
 * decoded by that model's one decode (the decode every read uses): by the discriminator of a
 * single-table item, else the table's only plain model, else the model whose key templates
 * parse the record's key. What cannot be delivered comes back as a StreamRecordError.
 */
export class StreamDecoder {
  private readonly byEntity = new Map<string, AnyModel>();
  private readonly entityFields: readonly string[];
  private readonly plain: readonly AnyModel[];
  private readonly templated: readonly AnyModel[];

  constructor(readonly table: string, readonly models: readonly AnyModel[]) {
    for (const m of models) if (m.entity !== undefined) this.byEntity.set(m.entity, m);
    this.entityFields = [...new Set(models.flatMap((m) => (m.entityField === undefined ? [] : [m.entityField])))];
    // Models that neither store a discriminator nor compose keys: one alone claims every record.
    // (A model with entityAttribute: false composes keys, and claims only the keys it fits.)
    this.plain = models.filter((m) => m.entity === undefined && m.keyTemplates === undefined);
    this.templated = models.filter((m) => m.keyTemplates !== undefined);
  }

  decode(record: StreamRecordLike): ChangeEvent | StreamRecordError {
    const data = record.dynamodb;
    const type = TYPES[record.eventName ?? ''];
    if (type === undefined) return new StreamRecordError('stream.unknownModel', `unknown eventName ${JSON.stringify(record.eventName)} (expected INSERT, MODIFY or REMOVE)`, { record });
    // Routing reads only strings (discriminator, key templates); binaries need converting only for models that may hold them.
    const model = this.route((data?.NewImage ?? data?.OldImage ?? data?.Keys ?? {}) as Stored, (data?.Keys ?? {}) as Stored);
    if (typeof model === 'string') return new StreamRecordError('stream.unknownModel', model, { record });
    const bytes = holdsBinary(model) ? withBytes : (image: StreamImage): Stored => image as Stored;
    const newImage = data?.NewImage === undefined ? undefined : bytes(data.NewImage);
    const oldImage = data?.OldImage === undefined ? undefined : bytes(data.OldImage);
    const keys = data?.Keys === undefined ? undefined : bytes(data.Keys);
    if (type !== 'remove' && newImage === undefined) {
      return new StreamRecordError('stream.noImage', `an ${type} without its new image: give the table's stream the view type NEW_AND_OLD_IMAGES (or NEW_IMAGE)`, { record, model: model.name });
    }
    const newItem = newImage === undefined ? undefined : model.decode(newImage);
    const oldItem = oldImage === undefined ? undefined : model.decode(oldImage);
    if (newItem instanceof StoredIssues) return invalidImage(record, model, 'new', newImage!, newItem);
    if (oldItem instanceof StoredIssues) return invalidImage(record, model, 'old', oldImage!, oldItem);
    const item = (newItem ?? oldItem) as Record<string, unknown> | undefined;
    let key: Record<string, unknown>;
    if (item !== undefined) {
      key = {};
      for (const a of model.primaryKeyAttributes) key[a.name] = item[a.name];
    } else {
      const decoded = model.decode(model.withKeyFields(keys ?? {}, model.primaryKeyAttributes), model.primaryKeyAttributes);
      if (decoded instanceof StoredIssues) {
        const error = model.invalidStored('stream', keys ?? {}, decoded.issues);
        return new StreamRecordError('stream.invalidImage', `its key does not fit the model: ${error.issues.map((i) => i.message).join('; ')}`, { record, model: model.name, issues: error.issues });
      }
      key = decoded;
    }
    return { type, model: model.name, key, oldItem, newItem, sequenceNumber: data?.SequenceNumber ?? '', record } as ChangeEvent;
  }

  /** The model of a record, or why none is. */
  private route(image: Stored, keys: Stored): AnyModel | string {
    for (const field of this.entityFields) {
      const entity = image[field]?.S;
      if (entity === undefined) continue;
      return this.byEntity.get(entity) ?? `its discriminator ${field} is "${entity}", which names none of the models ${this.names()}: add its model to the stream's models (or the ORM's)`;
    }
    if (this.plain.length === 1) return this.plain[0]!;
    for (const m of this.templated) if (fitsKeyTemplates(m.keyTemplates!, keys)) return m;
    return this.plain.length > 1
      ? `it carries no discriminator, and ${this.names()} share its table without one: give them options.entity`
      : `no model of ${this.names()} claims it: it has no discriminator, and its key fits no model's key templates`;
  }

  private names(): string {
    return this.models.length === 0 ? `(none: no model given is stored in table ${this.table})` : this.models.map((m) => m.name).join(', ');
  }
}

function invalidImage(record: StreamRecordLike, model: AnyModel, which: 'new' | 'old', image: Stored, found: StoredIssues): StreamRecordError {
  const error = model.invalidStored('stream', image, found.issues);
  return new StreamRecordError('stream.invalidImage', `its ${which} image does not fit the model: ${error.issues.map((i) => i.message).join('; ')}`, { record, model: model.name, issues: error.issues });
}

const binaries = new WeakMap<AnyModel, boolean>();

/** Whether a model's items may hold binaries (which a Lambda event carries as base64 text). */
function holdsBinary(model: AnyModel): boolean {
  let holds = binaries.get(model);
  if (holds === undefined) binaries.set(model, (holds = model.codec.entries.some((e) => defHoldsBinary(e.def))));
  return holds;
}

function defHoldsBinary(def: AttrDef): boolean {
  // A compressed attribute is stored as binary, whatever its kind.
  if (def.compress !== undefined) return true;
  if (def.kind === 'binary' || def.kind === 'binarySet' || def.kind === 'unknown') return true;
  if (def.kind === 'custom') return def.custom!.type === 'B';
  return (def.element !== undefined && defHoldsBinary(def.element)) || (def.shape !== undefined && Object.values(def.shape).some(defHoldsBinary));
}

/** The image with binaries as bytes: a Lambda event carries them as base64 text. */
function withBytes(image: StreamImage): Stored {
  let out: Record<string, StreamAttributeValue> | undefined;
  for (const field in image) {
    const v = image[field]!;
    const converted = valueWithBytes(v);
    if (converted !== v) (out ??= { ...image })[field] = converted;
  }
  return (out ?? image) as Stored;
}

/** Base64 to a plain Uint8Array, as the SDK returns binaries (a view, not a Buffer). */
function bytes(base64: string): Uint8Array {
  const b = Buffer.from(base64, 'base64');
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

function valueWithBytes(v: StreamAttributeValue): StreamAttributeValue {
  if (typeof v.B === 'string') return { B: bytes(v.B) };
  if (v.BS !== undefined) return v.BS.some((b) => typeof b === 'string') ? { BS: v.BS.map((b) => (typeof b === 'string' ? bytes(b) : b)) } : v;
  if (v.M !== undefined) {
    const m = withBytes(v.M);
    return m === v.M ? v : { M: m as StreamImage };
  }
  if (v.L !== undefined) {
    let changed = false;
    const l = v.L.map((e) => {
      const c = valueWithBytes(e);
      if (c !== e) changed = true;
      return c;
    });
    return changed ? { L: l } : v;
  }
  return v;
}
