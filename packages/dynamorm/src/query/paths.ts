import type { AttrDef } from '../schema/attribute.js';
import { compileShape, type ShapeEntry } from '../schema/codec/compile.js';
import type { AnyModel } from '../schema/model.js';
import { path as pathOperand, type Operand, type Path, type PathSegment } from '../expression/nodes.js';

/** An attribute path as the model names it, mapped to stored names, with the schema at its end. */
export interface ResolvedPath {
  /** The model's top-level attribute the path starts at. */
  readonly attribute: ShapeEntry;
  /** Stored segments (`.field()` names), ready for the expression compiler. */
  readonly path: Path;
  /** The path as an operand node, made once per resolved path. */
  readonly operand: Operand;
  /** The schema at the end of the path; undefined inside a `t.unknown()` value (marshalled generically). */
  readonly def: AttrDef | undefined;
  readonly nested: boolean;
  /** Whether the value may be absent: an optional attribute or property, a map entry, a list element, inside t.unknown(). */
  readonly optional: boolean;
}

/** Why a path does not fit the model, and at which segment. */
export interface PathProblem {
  readonly problem: string;
  readonly segment: number;
}

/**
 * Resolves model-named segments (`['preferences', 'theme']`, `['history', 2]`) against the schema:
 * object properties are checked and mapped to their `.field()` names, map keys and anything inside
 * `t.unknown()` pass as they are, list indexes step into the element schema.
 */
export function resolveSegments(model: AnyModel, segments: readonly PathSegment[]): ResolvedPath | PathProblem {
  const first = segments[0];
  const attribute = typeof first === 'string' ? model.attribute(first) : undefined;
  if (attribute === undefined) {
    return { problem: `${typeof first === 'string' ? `"${first}"` : String(first)} is not an attribute of ${model.name} (${model.codec.entries.map((e) => e.name).join(', ')})`, segment: 0 };
  }
  if (attribute.def.compress !== undefined && segments.length > 1) {
    return { problem: `${attribute.name} is stored compressed (.compress()): DynamoDB sees only bytes, so no path reaches into it`, segment: 1 };
  }
  const path: PathSegment[] = [attribute.field];
  let def: AttrDef | undefined = attribute.def;
  let optional = def.optional;
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    if (def === undefined || def.kind === 'unknown') {
      path.push(segment);
      def = undefined;
      optional = true;
      continue;
    }
    if (typeof segment === 'number') {
      if (def.kind !== 'list') return { problem: `[${segment}] indexes a list, but ${shown(segments, i)} is ${def.kind}`, segment: i };
      def = def.element;
      path.push(segment);
      optional = true;
    } else if (def.kind === 'map') {
      def = def.element;
      path.push(segment);
      optional = true;
    } else if (def.kind === 'object') {
      const entry: ShapeEntry | undefined = compileShape(def.shape!).byName.get(segment);
      if (entry === undefined) return { problem: `${shown(segments, i + 1)} is not in the object's schema (${Object.keys(def.shape!).join(', ')})`, segment: i };
      def = entry.def;
      path.push(entry.field);
      optional = def.optional;
    } else {
      return { problem: `.${segment} needs a map or object, but ${shown(segments, i)} is ${def.kind}`, segment: i };
    }
  }
  const frozen = Object.freeze(path);
  return Object.freeze({ attribute, path: frozen, operand: pathOperand(frozen), def, nested: segments.length > 1, optional });
}

function shown(segments: readonly PathSegment[], upTo: number): string {
  let out = '';
  for (let i = 0; i < upTo; i++) {
    const s = segments[i]!;
    out += typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`;
  }
  return out;
}

/** Splits `a.b[2].c` into segments; undefined when the text is not a path. */
export function splitPath(text: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let i = 0;
  let name = '';
  const flush = (): boolean => {
    if (name === '') return false;
    segments.push(name);
    name = '';
    return true;
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '.') {
      if (!flush() && (segments.length === 0 || text[i - 1] !== ']')) return undefined;
      i++;
    } else if (c === '[') {
      if (name !== '') flush();
      else if (segments.length === 0) return undefined;
      const close = text.indexOf(']', i);
      const digits = close < 0 ? '' : text.slice(i + 1, close);
      if (!/^\d+$/.test(digits)) return undefined;
      segments.push(Number(digits));
      i = close + 1;
    } else {
      name += c;
      i++;
    }
  }
  if (name !== '') flush();
  else if (text.endsWith('.')) return undefined;
  return segments.length === 0 ? undefined : segments;
}

const cache = new WeakMap<AnyModel, Map<string, ResolvedPath | PathProblem>>();
const CACHE_LIMIT = 1024;

/**
 * A path written as text (`'preferences.theme'`), resolved once per model and text. A name the
 * model has as it stands (even with a dot in it) is that attribute.
 */
export function resolvePath(model: AnyModel, text: string): ResolvedPath | PathProblem {
  let perModel = cache.get(model);
  if (perModel === undefined) cache.set(model, (perModel = new Map()));
  let resolved = perModel.get(text);
  if (resolved === undefined) {
    const direct = model.attribute(text);
    if (direct !== undefined) {
      const path = Object.freeze([direct.field]);
      resolved = Object.freeze({ attribute: direct, path, operand: pathOperand(path), def: direct.def, nested: false, optional: direct.def.optional });
    }
    else {
      const segments = /[.[]/.test(text) ? splitPath(text) : [text];
      resolved = segments === undefined ? { problem: `"${text}" is not an attribute path (write a.b or list[2])`, segment: 0 } : resolveSegments(model, segments);
    }
    if (perModel.size >= CACHE_LIMIT) perModel.clear();
    perModel.set(text, resolved);
  }
  return resolved;
}

export const isProblem = (r: ResolvedPath | PathProblem): r is PathProblem => 'problem' in r;
