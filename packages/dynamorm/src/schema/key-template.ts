import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { attrDef, type Shape } from './attribute.js';
import { compileDecoder, compileEncoder, type ShapeCodec, type ShapeEntry } from './codec/compile.js';
import type { RawIssue } from './codec/issues.js';

/**
 * Single-table design: key fields composed from a model's attributes by templates such as
 * `USER#{userId}`, stored under the table's key fields (PK / SK by default) next to the
 * attributes themselves, so filters on the attributes stay legal and reads decode as usual.
 */

/** A key template: `'USER#{userId}'` (stored under PK / SK), or with the stored field named. */
export type KeyTemplate = string | { readonly field: string; readonly template: string };

export interface KeyTemplates {
  readonly pk: KeyTemplate;
  readonly sk?: KeyTemplate;
}

/** Attribute names a template mentions: `'ORDER#{date}#{id}'` → `'date' | 'id'`. */
export type TemplateVars<T> = T extends { readonly template: infer U } ? TemplateVars<U>
  : T extends `${string}{${infer V}}${infer Rest}` ? V | TemplateVars<Rest> : never;

/** The template variables of both keys. */
export type KeyVars<K> = K extends KeyTemplates ? TemplateVars<K['pk']> | TemplateVars<K['sk']> : never;

/** `keys` with every `{name}` checked against the model's attributes (a wrong name is a type error). */
export type CheckedKeys<K, S extends Shape> = K extends KeyTemplates
  ? [Exclude<KeyVars<K>, keyof S & string>] extends [never] ? K : { readonly pk: `unknown attribute in key template: {${Exclude<KeyVars<K>, keyof S & string>}}` }
  : K;

/** A compiled template: literal parts and the attributes between them. */
export interface CompiledTemplate {
  readonly field: string;
  readonly text: string;
  /** Literal text and attributes, alternating from a literal (possibly empty). */
  readonly literals: readonly string[];
  readonly vars: readonly ShapeEntry[];
  /** The synthetic key attribute (a string stored under `field`) the table and planner see. */
  readonly entry: ShapeEntry;
}

const VAR = /\{([^{}]*)\}/g;

export function compileTemplate(
  option: KeyTemplate,
  defaultField: string,
  codec: ShapeCodec,
  fail: (attribute: string | undefined, problem: string) => never,
  /** A secondary index's template may name optional attributes: the index is then sparse. */
  sparse = false,
): CompiledTemplate {
  const field = typeof option === 'string' ? defaultField : option.field;
  const text = typeof option === 'string' ? option : option.template;
  if (typeof text !== 'string' || typeof field !== 'string' || field === '') return fail(undefined, `a key template must be a string or { field, template }`);
  const literals: string[] = [];
  const vars: ShapeEntry[] = [];
  let last = 0;
  for (const m of text.matchAll(VAR)) {
    literals.push(text.slice(last, m.index));
    const entry = codec.byName.get(m[1]!);
    if (entry === undefined) fail(m[1], `key template "${text}" names {${m[1]}}, which is not an attribute`);
    const kind = entry!.def.kind;
    const scalar = kind === 'string' || kind === 'enum' || kind === 'number' || kind === 'bigint' || (kind === 'date') || (kind === 'custom' && entry!.def.custom!.type !== 'B');
    if (!scalar) fail(entry!.name, `key template "${text}" needs string, number, bigint, enum, date or custom S/N attributes, not ${kind}`);
    if (!sparse && (entry!.def.optional || entry!.def.nullable)) fail(entry!.name, `is part of key template "${text}", so it cannot be optional or nullable`);
    vars.push(entry!);
    last = m.index + m[0].length;
  }
  literals.push(text.slice(last));
  if (/[{}]/.test(literals.join(''))) fail(undefined, `key template "${text}" has an unbalanced { or }`);
  if (vars.length === 0 && text === '') fail(undefined, 'a key template cannot be empty');
  for (let i = 0; i < vars.length - 1; i++) delimiterFits(text, vars[i]!, literals[i + 1]!, vars[i + 1]!, fail);
  const def = attrDef('string', { key: 'none' });
  const entry: ShapeEntry = Object.freeze({ name: field, field, def, encode: compileEncoder(def), decode: compileDecoder(def) });
  return Object.freeze({ field, text, literals: Object.freeze(literals), vars: Object.freeze(vars), entry });
}

/**
 * Characters the stored text of a kind can hold: a literal made only of these may occur inside
 * the value, so it cannot end the value in the key. ISO dates always hold '-', ':', 'T'...
 */
const ALPHABET: Partial<Record<string, RegExp>> = {
  iso: /^[0-9TZ:.+-]+$/,
  number: /^[0-9eE.+-]+$/,
};

/**
 * Keys parse back only when each value but the last ends where the literal after it starts:
 * refuses, at definition, the combinations no value can satisfy (two variables side by side, a
 * date or number followed by text its own form holds, an enum value holding the delimiter).
 */
function delimiterFits(text: string, v: ShapeEntry, next: string, following: ShapeEntry, fail: (attribute: string | undefined, problem: string) => never): void {
  if (next === '') fail(v.name, `key template "${text}" puts {${v.name}} and {${following.name}} side by side, so the key cannot be read back: put a delimiter between them (e.g. "#")`);
  const { kind } = v.def;
  const form = kind === 'date' ? (v.def.dateFormat === 'iso' ? 'iso' : 'number') : kind === 'number' || kind === 'bigint' || (kind === 'custom' && v.def.custom!.type === 'N') ? 'number' : undefined;
  if (form !== undefined && ALPHABET[form]!.test(next)) {
    const what = form === 'iso' ? 'an ISO-8601 date (digits, "-", ":", "T", ".", "Z")' : 'a number (digits, "-", ".", "e", "+")';
    fail(v.name, `key template "${text}" follows {${v.name}} with "${next}", which its text as ${what} can contain, so the key cannot be read back: use a delimiter it never holds, such as "#"`);
  }
  for (const value of kind === 'enum' ? v.def.values ?? [] : []) {
    if (!endsBefore(value, next)) fail(v.name, `enum value "${value}" contains "${next}", which follows {${v.name}} in key template "${text}", so the key cannot be read back: use another delimiter`);
  }
}

/** Whether the first occurrence of `next` in `value + next` is the one after the value (the key parses back). */
const endsBefore = (value: string, next: string): boolean => (value + next).indexOf(next) === value.length;

/**
 * Why the text of the i-th variable cannot go into the key, or undefined: an empty value (keys
 * refuse empty strings), or, for all but the last variable, one holding the literal that follows
 * it, which would make two items' keys equal (`TAG#{owner}#{label}`: "ann#x"/"y" and "ann"/"x#y").
 */
export function valueIssue(t: CompiledTemplate, i: number, text: string): RawIssue | undefined {
  const v = t.vars[i]!;
  if (text === '') return { path: [v.name], expected: `a non-empty value (it is part of key template "${t.text}")`, received: 'an empty string' };
  const next = t.literals[i + 1]!;
  if (i === t.vars.length - 1 || endsBefore(text, next)) return undefined;
  const how = text.includes(next) ? `contains "${next}"` : `ends with the start of "${next}"`;
  return {
    path: [v.name],
    expected: `a value without "${next}"`,
    received: JSON.stringify(text),
    note: `${how}, the text that follows {${v.name}} in key template "${t.text}", so its key could equal another item's: remove "${next}" from the value, or define the template with a delimiter its values never contain`,
  };
}

/** The issues of the template values among `stored`, at most one per attribute. */
export function templateIssues(t: CompiledTemplate, stored: Readonly<Record<string, AttributeValue | undefined>>, issues: RawIssue[]): void {
  for (let i = 0; i < t.vars.length; i++) {
    const v = t.vars[i]!;
    const text = scalarText(stored[v.field]);
    if (text === undefined) continue;
    const issue = valueIssue(t, i, text);
    if (issue !== undefined && !issues.some((x) => x.path.length === 1 && x.path[0] === v.name)) issues.push(issue);
  }
}

const scalarText = (v: AttributeValue | undefined): string | undefined => v?.S ?? v?.N;

/** The composed key from stored attribute values; undefined when one is missing. */
export function fill(t: CompiledTemplate, stored: Readonly<Record<string, AttributeValue | undefined>>): string | undefined {
  let out = t.literals[0]!;
  for (let i = 0; i < t.vars.length; i++) {
    const v = scalarText(stored[t.vars[i]!.field]);
    if (v === undefined) return undefined;
    out += v + t.literals[i + 1]!;
  }
  return out;
}

/**
 * The longest known prefix: the literals and the leading variables that have a value, up to the
 * first one that does not. `complete` when every variable had one.
 */
export function prefix(t: CompiledTemplate, stored: Readonly<Record<string, AttributeValue | undefined>>): { text: string; complete: boolean; used: number } {
  let out = t.literals[0]!;
  for (let i = 0; i < t.vars.length; i++) {
    const v = scalarText(stored[t.vars[i]!.field]);
    if (v === undefined) return { text: out, complete: false, used: i };
    out += v + t.literals[i + 1]!;
  }
  return { text: out, complete: true, used: t.vars.length };
}

/** Whether the attribute is stored as text, so that the composed key compares like its stored form. */
export function storedAsText(entry: ShapeEntry): boolean {
  const { def } = entry;
  return def.kind === 'string' || def.kind === 'enum' || (def.kind === 'date' && def.dateFormat === 'iso') || (def.kind === 'custom' && def.custom!.type === 'S');
}

/**
 * Reads the attributes back from a composed key (`ORDER#2024-05-02T…#o2` → placedAt, orderId), as
 * stored AttributeValues; undefined when the text does not parse unambiguously (composing the
 * values found must give the text back).
 */
export function parse(t: CompiledTemplate, text: string): Record<string, AttributeValue> | undefined {
  const { literals, vars } = t;
  if (!text.startsWith(literals[0]!)) return undefined;
  const out: Record<string, AttributeValue> = {};
  let at = literals[0]!.length;
  for (let i = 0; i < vars.length; i++) {
    const next = literals[i + 1]!;
    const last = i === vars.length - 1;
    const end = last ? text.length - next.length : next === '' ? -1 : text.indexOf(next, at);
    if (end < at) return undefined;
    const piece = text.slice(at, end);
    const v = vars[i]!;
    const kind = v.def.kind;
    out[v.field] = kind === 'number' || kind === 'bigint' || (kind === 'date' && v.def.dateFormat !== 'iso') || (kind === 'custom' && v.def.custom!.type === 'N') ? { N: piece } : { S: piece };
    at = end + next.length;
  }
  return fill(t, out) === text ? out : undefined;
}

/** The smallest string greater than every string that starts with `text` (its last character plus one), or undefined. */
export function after(text: string): string | undefined {
  if (text === '') return undefined;
  const last = text.codePointAt(text.length - 1)!;
  const cut = last >= 0xdc00 && last <= 0xdfff && text.length > 1 ? 2 : 1;
  const code = text.codePointAt(text.length - cut)!;
  if (code >= 0x10ffff) return undefined;
  const next = code + 1 === 0xd800 ? 0xe000 : code + 1;
  return text.slice(0, text.length - cut) + String.fromCodePoint(next);
}

/** Whether a stored item's table key was composed by these templates (a model without a discriminator claims such items). */
export function fitsKeyTemplates(templates: { readonly pk: CompiledTemplate; readonly sk?: CompiledTemplate | undefined }, stored: Record<string, AttributeValue>): boolean {
  for (const t of [templates.pk, templates.sk]) {
    if (t === undefined) continue;
    const text = stored[t.field]?.S;
    if (text === undefined || parse(t, text) === undefined) return false;
  }
  return true;
}
