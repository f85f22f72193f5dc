import { keyStorage, type AnyModel } from '../schema/model.js';
import type { AccessPattern } from './access-pattern.js';

/** A global index to add, in model syntax, and what it serves. */
export interface IndexAdvice {
  readonly kind: 'index';
  readonly message: string;
  /** The index: its name and the attributes of its partition and sort key. */
  readonly index: { readonly name: string; readonly pk: string; readonly sk: string | undefined };
  /** What to add to the model: `.index('gsi-status', 'pk')` on `status`… */
  readonly definition: string;
}

/** An index projecting only what the read needs: smaller index items cost fewer read units. */
export interface ProjectionAdvice {
  readonly kind: 'projection';
  readonly message: string;
  /** The index whose projection to set (an existing one, or a new one keyed like the table). */
  readonly index: string;
  readonly attributes: readonly string[];
  readonly definition: string;
}

/** A filter that discards most of what was read (and paid for). */
export interface FilterAdvice {
  readonly kind: 'filter';
  readonly message: string;
  /** The share of the items read that the filter discarded. */
  readonly discarded: number;
  /** An index whose key condition would read only what the filter keeps, when the conditions allow one. */
  readonly index: IndexAdvice['index'] | undefined;
  readonly definition: string | undefined;
}

export type Advice = IndexAdvice | ProjectionAdvice | FilterAdvice;

/** What advice is judged on: a pattern's conditions and totals. */
export interface AdviceInput {
  readonly model: AnyModel | undefined;
  readonly command: string;
  readonly index: string | undefined;
  readonly access: AccessPattern | undefined;
  readonly rcu: number;
  readonly itemsRead: number;
  readonly itemsReturned: number;
}

// A read needs this many items before its ratios are judged.
const MIN_READ = 50;
// A filter that discards this share of what was read is called wasteful.
const DISCARDS = 0.8;
// Items averaging this many RCU each (4 KB strongly consistent, 8 KB eventually) are large.
const LARGE_ITEM_RCU = 1;
const KEY_OPS: ReadonlySet<string> = new Set(['=', '<', '<=', '>', '>=', 'between', 'begins_with']);

const keyable = (model: AnyModel, name: string): boolean => {
  const entry = model.attribute(name);
  return entry !== undefined && entry.def.keyOnly !== true && entry.def.compress === undefined && keyStorage(entry.def) !== undefined;
};

const indexName = (model: AnyModel, parts: readonly string[]): string => {
  const base = `gsi-${parts.join('-')}`;
  let name = base;
  for (let n = 2; model.indexes.has(name); n++) name = `${base}-${n}`;
  return name;
};

/**
 * A global index keyed on the conditions: the partition key an equality (`pk` when it has one),
 * the sort key another key condition, equalities first. Undefined when no condition can key.
 */
function suggestIndex(model: AnyModel, conditions: AccessPattern['conditions'], pk?: string, needSk = false): IndexAdvice['index'] & { definition: string } | undefined {
  const eq = conditions.filter((c) => c.op === '=' && keyable(model, c.attribute));
  const partition = eq.find((c) => c.attribute === pk) ?? (pk === undefined ? eq[0] : undefined);
  if (partition === undefined) return undefined;
  const rest = conditions.filter((c) => c.attribute !== partition.attribute && KEY_OPS.has(c.op) && keyable(model, c.attribute));
  const sort = rest.find((c) => c.op === '=') ?? rest[0];
  if (needSk && sort === undefined) return undefined;
  const name = indexName(model, sort === undefined ? [partition.attribute] : [partition.attribute, sort.attribute]);
  const definition = `.index('${name}', 'pk') on ${partition.attribute}${sort === undefined ? '' : ` and .index('${name}', 'sk') on ${sort.attribute}`}`;
  return { name, pk: partition.attribute, sk: sort?.attribute, definition };
}

const percent = (share: number): string => `${Math.round(share * 100)}%`;

/** Concrete advice for one pattern: an index for a scan, a projection for large items read for few attributes, a key for a filter that discards most. */
export function adviceFor(p: AdviceInput): Advice[] {
  const { model, access } = p;
  if (model === undefined || access === undefined || (p.command !== 'Query' && p.command !== 'Scan')) return [];
  const advice: Advice[] = [];
  const path = p.index === undefined ? model.primary : model.indexes.get(p.index);
  if (p.command === 'Scan') {
    const index = suggestIndex(model, access.conditions);
    if (index !== undefined) {
      const { definition, ...rest } = index;
      advice.push({
        kind: 'index', index: rest, definition,
        message: `${model.name} reads the whole table to find ${access.conditions.map((c) => c.attribute).join(', ')}: add ${definition} and the same conditions run as a Query on ${rest.name}${access.scan ? ' (read them with all() or first(): scan() never uses an index)' : ''}`,
      });
    }
  }
  const discarded = p.itemsRead === 0 ? 0 : (p.itemsRead - p.itemsReturned) / p.itemsRead;
  // A scan told its index needs no filter advice: the index is the cure for both.
  if (p.itemsRead >= MIN_READ && discarded >= DISCARDS && advice.length === 0) {
    // The query's partition key stays; a filtered condition becomes the sort key of a new index.
    const index = p.command === 'Query' && path !== undefined ? suggestIndex(model, [...access.conditions.filter((c) => c.attribute === path.pk.name), ...access.filtered], path.pk.name, true) : undefined;
    const moved = index !== undefined && access.filtered.some((c) => c.attribute === index.sk) ? `, and give the condition on ${index.sk} as where(...) (a filter never chooses the key)` : '';
    advice.push({
      kind: 'filter', discarded, index: index === undefined ? undefined : { name: index.name, pk: index.pk, sk: index.sk }, definition: index?.definition,
      message: `${model.name}'s filter discarded ${percent(discarded)} of the ${p.itemsRead} items read, capacity paid for nothing: ${index === undefined ? 'make the filtered condition a key condition (an index whose sort key it is)' : `add ${index.definition}, whose key condition reads only what the filter keeps${moved}`}`,
    });
  }
  if (access.reads !== undefined && path !== undefined && p.itemsRead > 0 && p.rcu / p.itemsRead >= LARGE_ITEM_RCU && access.reads.length * 2 <= model.codec.entries.length) {
    const attributes = access.reads;
    const existing = path.type === 'GSI' && path.projection === 'ALL' ? path.index! : undefined;
    const name = existing ?? indexName(model, [path.pk.name, ...(path.sk === undefined ? [] : [path.sk.name]), 'slim']);
    const projection = `indexes: { '${name}': { projection: [${attributes.map((a) => `'${a}'`).join(', ')}] } }`;
    const definition = existing !== undefined ? projection : `.index('${name}', 'pk') on ${path.pk.name}${path.sk === undefined ? '' : ` and .index('${name}', 'sk') on ${path.sk.name}`}, with ${projection}`;
    advice.push({
      kind: 'projection', index: name, attributes, definition,
      message: `${model.name} reads items of ${(p.rcu / p.itemsRead).toFixed(1)} RCU each for ${attributes.length} of its ${model.codec.entries.length} attributes: ${existing !== undefined ? `project only those in ${name}` : `add ${definition} and read it with .index('${name}')`}: index items hold only them, and cost accordingly`,
    });
  }
  return advice;
}
