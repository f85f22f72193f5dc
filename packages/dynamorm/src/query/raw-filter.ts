import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ValidationError } from '../errors/errors.js';
import { ExpressionSyntaxError, parseCondition, type RawCondition, type RawOperand, type RawPath } from '../expression/parse.js';
import type { Condition, Operand } from '../expression/nodes.js';
import type { AttrDef } from '../schema/attribute.js';
import { attrDef } from '../schema/attribute.js';
import type { EncodeContext } from '../schema/codec/issues.js';
import { describe } from '../schema/codec/issues.js';
import type { AnyModel } from '../schema/model.js';
import { cachedElementDef, GENERIC, operandEncoder } from './operators.js';
import { isProblem, resolveSegments, type ResolvedPath } from './paths.js';

/** Named parameters of a raw filter: `filter('contains(tags, :tag)', { tag: 'active' })`. */
export type FilterParams = Readonly<Record<string, unknown>>;

const SIZE: AttrDef = attrDef('number');
const TYPE_NAMES = new Set(['S', 'SS', 'N', 'NS', 'B', 'BS', 'BOOL', 'NULL', 'L', 'M']);

/**
 * Turns a raw filter string into condition nodes of `model`: attribute names are checked and
 * mapped to stored names, each `:param` is marshalled by the codec of the attribute it is compared
 * with (generically where none is). An unknown attribute, a parameter not given or not used, or
 * a syntax error is a ValidationError naming the position, before any request.
 */
export function parseFilter(model: AnyModel, expression: string, params: FilterParams = {}): Condition {
  const fail = (position: number, problem: string, attribute = ''): never => {
    const pointer = `${expression}\n${' '.repeat(position)}^`;
    const message = `filter ${model.name}: ${problem} at position ${position} of the filter:\n${pointer}`;
    throw new ValidationError(
      [{ attribute, expected: 'a valid filter expression', received: problem, message: `${problem} at position ${position}` }],
      { op: 'filter', model: model.name, context: { expression, position } },
      message,
    );
  };
  if (typeof expression !== 'string' || expression.trim() === '') return fail(0, 'an empty filter');
  if (typeof params !== 'object' || params === null) return fail(0, `parameters must be an object, not ${describe(params)}`);
  let tree: RawCondition;
  try {
    tree = parseCondition(expression);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    return fail(error.position, `syntax error: ${error.problem}`);
  }
  const used = new Set<string>();

  const resolve = (p: { segments: RawPath['segments']; at: number }): ResolvedPath => {
    const r = resolveSegments(model, p.segments);
    return isProblem(r) ? fail(p.at, r.problem, String(p.segments[0])) : r;
  };
  const param = (o: Extract<RawOperand, { kind: 'param' }>, def: AttrDef, against: string): AttributeValue => {
    if (!Object.hasOwn(params, o.name) || params[o.name] === undefined) return fail(o.at, `parameter :${o.name} is not given (pass { ${o.name}: … })`);
    used.add(o.name);
    if (def.compress !== undefined) return fail(o.at, `parameter :${o.name} ${against}: a compressed attribute (.compress()) is stored as bytes, so DynamoDB cannot compare it; only attribute_exists / attribute_not_exists apply`, o.name);
    const ctx: EncodeContext = { issues: [] };
    const out = operandEncoder(def)(params[o.name], ctx);
    const issue = ctx.issues[0];
    if (issue !== undefined || out === undefined) {
      return fail(o.at, `parameter :${o.name} ${against}: expected ${issue?.expected ?? 'a value'}, received ${issue?.received ?? 'nothing'}`, o.name);
    }
    return out;
  };
  /** The schema a parameter compared with this operand is marshalled by. */
  const defOf = (o: RawOperand): { def: AttrDef; name: string } | undefined => {
    if (o.kind === 'size') return { def: SIZE, name: 'compared with a size' };
    if (o.kind === 'path') return { def: resolve(o).def ?? GENERIC, name: `compared with ${o.segments.join('.')}` };
    return undefined;
  };
  const operand = (o: RawOperand, against: { def: AttrDef; name: string } | undefined): Operand => {
    switch (o.kind) {
      case 'path': return { kind: 'path', path: resolve(o).path };
      case 'size': return { kind: 'size', path: resolve(o).path };
      case 'param': return { kind: 'value', value: param(o, against?.def ?? GENERIC, against?.name ?? '') };
    }
  };
  const condition = (c: RawCondition): Condition => {
    switch (c.kind) {
      case 'compare': {
        const against = defOf(c.left) ?? defOf(c.right);
        return Object.freeze({ kind: 'compare', op: c.op, left: operand(c.left, against), right: operand(c.right, against) });
      }
      case 'between': {
        const against = defOf(c.operand) ?? defOf(c.low) ?? defOf(c.high);
        return Object.freeze({ kind: 'between', operand: operand(c.operand, against), low: operand(c.low, against), high: operand(c.high, against) });
      }
      case 'in': {
        const against = defOf(c.operand) ?? c.values.map(defOf).find((d) => d !== undefined);
        return Object.freeze({ kind: 'in', operand: operand(c.operand, against), values: Object.freeze(c.values.map((v) => operand(v, against))) });
      }
      case 'begins_with':
      case 'contains': {
        const target = resolve(c.path);
        const element = target.def === undefined ? GENERIC : cachedElementDef(target.def);
        return Object.freeze({ kind: c.kind, path: target.path, value: operand(c.value, { def: element, name: `in ${c.kind}(${c.path.segments.join('.')}, …)` }) });
      }
      case 'exists':
      case 'not_exists':
        return Object.freeze({ kind: c.kind, path: resolve(c.path).path });
      case 'attribute_type': {
        const target = resolve(c.path);
        if (c.type.kind !== 'param') return fail(c.type.at, 'attribute_type takes a :parameter naming the type (S, N, B, BOOL, NULL, L, M, SS, NS, BS)');
        const type = params[c.type.name];
        if (Object.hasOwn(params, c.type.name)) used.add(c.type.name);
        if (typeof type !== 'string' || !TYPE_NAMES.has(type)) return fail(c.type.at, `parameter :${c.type.name} must name a DynamoDB type (S, N, B, BOOL, NULL, L, M, SS, NS, BS), received ${describe(type)}`, c.type.name);
        return Object.freeze({ kind: 'attribute_type', path: target.path, type });
      }
      case 'and':
      case 'or':
        return Object.freeze({ kind: c.kind, items: Object.freeze(c.items.map(condition)) });
      case 'not':
        return Object.freeze({ kind: 'not', item: condition(c.item) });
    }
  };
  const result = condition(tree);
  for (const name of Object.keys(params)) {
    if (!used.has(name) && params[name] !== undefined) {
      const hint = /^[:#]/.test(name) ? ` (name parameters without ":", e.g. { ${name.slice(1) || 'v'}: … } for :${name.slice(1) || 'v'})` : '';
      return fail(0, `parameter ${JSON.stringify(name)} is given but the filter does not use :${name.replace(/^[:#]/, '')}${hint}`, name);
    }
  }
  return result;
}
