import type { StoredItem } from './sample.js';
import type { TableLayout } from './table-layout.js';
import { keyFields } from './table-layout.js';
import { pascalName, unique } from './naming.js';

/** The items of one kind, and how codegen told them from the others. */
export interface EntityGroup {
  readonly name: string;
  /** The discriminator's stored value, when a discriminator attribute split the items. */
  readonly entity: string | undefined;
  readonly items: readonly StoredItem[];
}

/** How the table's items split into kinds: one plain model, or a single-table design. */
export interface EntitySplit {
  readonly singleTable: boolean;
  /** The stored name of the discriminator attribute, when one was found. */
  readonly discriminator: string | undefined;
  readonly groups: readonly EntityGroup[];
  readonly notes: readonly string[];
}

/** Names legacy single-table designs give their type attribute, most common first. */
const DISCRIMINATORS = ['Type', 'type', '__entity', '_type', 'entity', 'Entity', 'entityType', 'EntityType', 'entity_type', '_et', '__typename', 'kind', 'Kind'];
const MAX_KINDS = 50;

/** The text before the first '#' of a key (`CUSTOMER#c1` → CUSTOMER), the whole key if it is one label (`PROFILE`), else ''. */
function prefixOf(value: string | undefined): string {
  if (value === undefined) return '';
  const hash = value.indexOf('#');
  if (hash > 0) return value.slice(0, hash);
  return /^[A-Z][A-Z0-9_]*$/.test(value) ? value : '';
}

const hasVariables = (value: string | undefined): boolean => value !== undefined && value.includes('#');

/**
 * Splits the sample into kinds of items: by a discriminator attribute (`Type`) when every item has
 * one, else by key prefixes (`CUSTOMER#…` / `ORDER#…`) when the keys are composed, else one model.
 */
export function splitEntities(layout: TableLayout, items: readonly StoredItem[]): EntitySplit {
  const notes: string[] = [];
  const taken = new Set<string>();
  const keys = keyFields(layout);
  // Composed keys are text: a numeric or binary sort key leaves the table to plain models.
  const composedKeys = layout.pk.type === 'S' && (layout.sk === undefined || layout.sk.type === 'S') && items.length > 0
    && items.filter((i) => hasVariables(i[layout.pk.field]?.S) || hasVariables(layout.sk === undefined ? undefined : i[layout.sk.field]?.S)).length * 2 >= items.length;

  // A type attribute of a table with plain keys is an attribute like any other (users' "type").
  for (const name of composedKeys ? DISCRIMINATORS : []) {
    if (keys.has(name)) continue;
    const values = items.map((i) => i[name]?.S);
    const present = values.filter((v): v is string => v !== undefined && v !== '');
    if (present.length === 0) continue;
    const kinds = [...new Set(present)];
    if (present.length < items.length) {
      notes.push(`"${name}" looks like a discriminator, but ${items.length - present.length} of ${items.length} sampled items lack it: not used to tell items apart`);
      continue;
    }
    if (kinds.length > MAX_KINDS) continue;
    const groups = kinds.sort().map((kind) => ({ name: unique(pascalName(kind), taken), entity: kind, items: items.filter((i) => i[name]!.S === kind) }));
    return { singleTable: true, discriminator: name, groups, notes };
  }

  if (composedKeys) {
    const byPrefix = new Map<string, StoredItem[]>();
    for (const item of items) {
      const group = `${prefixOf(item[layout.pk.field]?.S)}|${layout.sk === undefined ? '' : prefixOf(item[layout.sk.field]?.S)}`;
      byPrefix.set(group, [...(byPrefix.get(group) ?? []), item]);
    }
    const groups = [...byPrefix].sort(([a], [b]) => (a < b ? -1 : 1)).map(([group, members]) => {
      const [pk, sk] = group.split('|') as [string, string];
      // SK ORDER#… names the kind; a constant SK (PROFILE, METADATA) belongs to the PK's kind.
      const skVaries = layout.sk !== undefined && members.some((i) => hasVariables(i[layout.sk!.field]?.S));
      const base = skVaries && sk !== '' ? sk : pk !== '' ? pk : layout.name;
      return { name: unique(pascalName(base), taken), entity: undefined, items: members };
    });
    notes.push(`no discriminator attribute was found: the items were told apart by their key prefixes (${[...byPrefix.keys()].map((g) => g.replace('|', ' / ')).join(', ')}); the models say entityAttribute: false, so that each reads the items its key templates fit and writes no discriminator`);
    return { singleTable: true, discriminator: undefined, groups, notes };
  }
  return { singleTable: false, discriminator: undefined, groups: [{ name: pascalName(layout.name), entity: undefined, items }], notes };
}
