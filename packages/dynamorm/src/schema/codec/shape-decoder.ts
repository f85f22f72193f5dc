import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttrDef } from '../attribute.js';
import type { Decoder } from './compile.js';
import { prefixIssues, type EncodeContext } from './issues.js';

/** Decodes a whole stored item of one shape (every attribute; `partial`: none required). */
export type WholeShapeDecoder = (stored: Record<string, AttributeValue>, ctx: EncodeContext, partial: boolean) => Record<string, unknown>;

/** What the shape decoder needs of an attribute. */
export interface DecodedEntry {
  readonly name: string;
  readonly field: string;
  readonly def: AttrDef;
  readonly decode: Decoder;
}

/** The fast path of a kind stored as one plain value: the tag read and what makes the value. */
const PLAIN: Partial<Record<AttrDef['kind'], { readonly tag: string; readonly wrap: (x: string) => string }>> = {
  string: { tag: 'S', wrap: (x) => x },
  number: { tag: 'N', wrap: (x) => `+${x}` },
  ttl: { tag: 'N', wrap: (x) => `+${x}` },
  boolean: { tag: 'BOOL', wrap: (x) => x },
  stringSet: { tag: 'SS', wrap: (x) => `new Set(${x})` },
};

/**
 * The decoder of a whole item of one shape, generated once per shape: its own code reads each
 * field by name, decodes plain strings, numbers, booleans and string sets inline and calls each
 * other attribute's decoder from a call site of its own. Code shared by every model saw every
 * model's attributes and went generic (megamorphic loads, calls never inlined); this code sees one
 * shape, so the engine keeps it monomorphic. Where code cannot be generated (a CSP that forbids
 * it), the same decode runs as a loop over the entries.
 */
export function compileShapeDecoder(entries: readonly DecodedEntry[], missing: (ctx: EncodeContext, entry: DecodedEntry) => void): WholeShapeDecoder {
  const loop: WholeShapeDecoder = (stored, ctx, partial) => decodeEntries(entries, stored, ctx, partial, missing);
  // A property named __proto__ would set the prototype when assigned by name: such a shape keeps the loop.
  if (entries.some((e) => e.name === '__proto__')) return loop;
  const lines: string[] = ['const out = {}; let v, x, b;'];
  entries.forEach((entry, i) => {
    const field = JSON.stringify(entry.field);
    const name = JSON.stringify(entry.name);
    const generic = `b = ctx.issues.length; x = d[${i}](v, ctx); if (ctx.issues.length !== b) prefix(ctx, b, ${name}); else out[${name}] = x;`;
    const plain = entry.def.nullable || entry.def.compress !== undefined ? undefined : PLAIN[entry.def.kind];
    // A stored value of another type goes to the attribute's own decoder, which reports it.
    const body = plain === undefined ? generic : `x = v.${plain.tag}; if (x !== undefined) out[${name}] = ${plain.wrap('x')}; else { ${generic} }`;
    const absent = entry.def.optional ? '' : `if (!partial) missing(ctx, e[${i}]);`;
    lines.push(`v = stored[${field}]; if (v === undefined) { ${absent} } else { ${body} }`);
  });
  lines.push('return out;');
  try {
    const factory = new Function('d', 'e', 'prefix', 'missing', `return function decodeShape(stored, ctx, partial) { ${lines.join('\n')} };`) as (
      d: readonly Decoder[],
      e: readonly DecodedEntry[],
      prefix: typeof prefixIssues,
      absent: typeof missing,
    ) => WholeShapeDecoder;
    return factory(entries.map((e) => e.decode), entries, prefixIssues, missing);
  } catch {
    return loop;
  }
}

/** Decodes `entries` of a stored item one by one (a projection's attributes, or any shape without generated code). */
export function decodeEntries(
  entries: readonly DecodedEntry[],
  stored: Record<string, AttributeValue>,
  ctx: EncodeContext,
  partial: boolean,
  missing: (ctx: EncodeContext, entry: DecodedEntry) => void,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const v = stored[entry.field];
    if (v === undefined) {
      if (!partial && !entry.def.optional) missing(ctx, entry);
      continue;
    }
    const before = ctx.issues.length;
    const value = entry.decode(v, ctx);
    if (ctx.issues.length !== before) prefixIssues(ctx, before, entry.name);
    else out[entry.name] = value;
  }
  return out;
}
