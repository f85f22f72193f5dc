import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compare, path as pathOperand, value, type Condition } from '../expression/nodes.js';
import { after, prefix, storedAsText, valueIssue, type CompiledTemplate } from '../schema/key-template.js';
import type { RawIssue } from '../schema/codec/issues.js';
import type { AccessPath, AnyModel } from '../schema/model.js';
import type { Operator, WhereClause } from './operators.js';

/** What composed keys add to a query's conditions. */
export interface Composed {
  /** The conditions, with the conditions on composed key fields appended. */
  readonly where: readonly WhereClause[];
  /**
   * Each condition on a composed key field, with the conditions on attributes it makes redundant
   * when its path is chosen (those it implies exactly). A composed condition is never a filter.
   */
  readonly implied: ReadonlyMap<WhereClause, readonly WhereClause[]>;
  /** Sort key conditions that are only a template's leading literal (`begins_with(SK, "ORDER#")`): they select a kind of item, not a range. */
  readonly literal: ReadonlySet<WhereClause>;
}

const NONE: Composed['implied'] = new Map();
const NO_LITERAL: Composed['literal'] = new Set();
const NOTHING: readonly WhereClause[] = [];
/** ISO-8601 dates of years 0 to 9999 have this width: a fixed width keeps composed keys ordered like the dates. */
const ISO_WIDTH = 24;

/**
 * Single-table models: turns conditions on the attributes a key template names into conditions on
 * the composed key fields (of the table and of composed indexes), which the planner then treats
 * like any key: `where('userId', '=', 'u1')` with pk `USER#{userId}` gives `PK = "USER#u1"`; a
 * sort key whose leading attributes are known gives `begins_with(SK, "ORDER#")`, and a range or
 * prefix condition on the next attribute bounds it (see `range`).
 */
export function compositeClauses(model: AnyModel, where: readonly WhereClause[], paths: readonly AccessPath[] = model.composedPaths): Composed {
  if (paths.length === 0) return { where, implied: NONE, literal: NO_LITERAL };
  refuseUnmatchable(model, where);
  const out = [...where];
  const implied = new Map<WhereClause, readonly WhereClause[]>();
  const literal = new Set<WhereClause>();
  // A local index shares the table's partition template: its condition is made once.
  const made = new Map<CompiledTemplate, Synthetic | undefined>();
  const once = (t: CompiledTemplate, make: () => Synthetic | undefined): Synthetic | undefined => {
    if (made.has(t)) return undefined;
    const s = make();
    made.set(t, s);
    if (s !== undefined) {
      out.push(s.clause);
      implied.set(s.clause, s.implied);
    }
    return s;
  };
  for (const p of paths) {
    const { pk, sk } = p.templates!;
    if (once(pk, () => equality(pk, where)) === undefined && made.get(pk) === undefined) continue;
    if (sk === undefined) continue;
    const skClause = once(sk, () => equality(sk, where) ?? range(sk, where));
    if (skClause !== undefined && skClause.clause.operands[0]?.S === sk.literals[0] && skClause.clause.op === 'begins_with' && skClause.implied.length === 0) literal.add(skClause.clause);
  }
  return { where: out, implied, literal };
}

/**
 * A value no stored key can hold (empty, or holding the delimiter after it in a template: writes
 * refuse both) would compose the key of another item: refused, as a write of it would be.
 */
function refuseUnmatchable(model: AnyModel, where: readonly WhereClause[]): void {
  const issues: RawIssue[] = [];
  for (const w of where) {
    if (w.nested || (w.op !== '=' && w.op !== 'begins_with')) continue;
    const text = w.operands[0]?.S ?? w.operands[0]?.N;
    if (text === undefined) continue;
    for (const p of model.composedPaths) {
      for (const t of [p.templates!.pk, p.templates!.sk]) {
        const i = t === undefined ? -1 : t.vars.indexOf(w.attribute);
        if (i < 0) continue;
        // A prefix may be empty, and may end with the start of the delimiter; it may not hold it.
        const issue = w.op === '=' || (i < t!.vars.length - 1 && text.includes(t!.literals[i + 1]!)) ? valueIssue(t!, i, text) : undefined;
        if (issue !== undefined && !issues.some((x) => x.path[0] === issue.path[0])) issues.push(issue);
      }
    }
  }
  if (issues.length > 0) throw model.validationError('query', issues);
}

interface Synthetic {
  readonly clause: WhereClause;
  readonly implied: readonly WhereClause[];
}

/** Equalities on the leading attributes of a template, in order. */
function leading(t: CompiledTemplate, where: readonly WhereClause[]): { known: Record<string, AttributeValue>; clauses: WhereClause[] } {
  const known: Record<string, AttributeValue> = {};
  const clauses: WhereClause[] = [];
  for (const v of t.vars) {
    const w = where.find((c) => !c.nested && c.attribute === v && c.op === '=');
    if (w === undefined) break;
    known[v.field] = w.operands[0]!;
    clauses.push(w);
  }
  return { known, clauses };
}

/** `FIELD = "composed"` when every attribute of the template has an equality condition. */
function equality(t: CompiledTemplate, where: readonly WhereClause[]): Synthetic | undefined {
  const { known, clauses } = leading(t, where);
  const p = prefix(t, known);
  return p.complete ? { clause: synthetic(t, '=', [p.text], compare([t.field], '=', { S: p.text })), implied: clauses } : undefined;
}

const LOWER: readonly Operator[] = ['>', '>='];
const UPPER: readonly Operator[] = ['<', '<='];
const byteOrder = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The sort key condition from its known prefix P (literals and leading equalities) and the
 * conditions on the next attribute v. The stored key is P + text(v) + the rest, compared as bytes:
 * - `begins_with(v, p)` is `begins_with(SK, P + p)`;
 * - `>`, `>=`, `<`, `<=`, `between` bound SK within the prefix, when v is stored as text and the
 *   bound is safe: v ends the template (SK = P + text(v), compared exactly like v's stored form)
 *   or v is an ISO date (fixed width, so no value is a prefix of another). Numbers are stored
 *   unpadded ("10" sorts before "9"), so their ranges stay filters.
 * A condition the key implies exactly needs no filter; the others stay filters too, so results
 * are always exact. Otherwise `begins_with(SK, P)` keeps the query to this template's keys.
 */
function range(t: CompiledTemplate, where: readonly WhereClause[]): Synthetic | undefined {
  const { known } = leading(t, where);
  const { text: P, used } = prefix(t, known);
  const v = t.vars[used]!;
  const onV = where.filter((w) => !w.nested && w.attribute === v);
  const tail = used === t.vars.length - 1 && t.literals[used + 1] === '';
  const fixedDate = v.def.kind === 'date' && v.def.dateFormat === 'iso';
  const fixed = (x: string): boolean => fixedDate && x.length === ISO_WIDTH;
  const prefixOnly = P === '' ? undefined : { clause: synthetic(t, 'begins_with', [P], beginsWith(t.field, P)), implied: NOTHING };
  if (!storedAsText(v) || onV.length === 0) return prefixOnly;

  let lo: { text: string; from: WhereClause; exact: boolean } | undefined;
  let hi: { text: string; from: WhereClause; exact: boolean } | undefined;
  for (const w of onV) {
    const x = w.operands[0]?.S;
    if (x === undefined || !(tail || fixed(x))) continue;
    if (lo === undefined && LOWER.includes(w.op)) {
      lo = w.op === '>=' ? { text: P + x, from: w, exact: true } : fixed(x) ? { text: P + after(x)!, from: w, exact: true } : { text: P + x, from: w, exact: false };
    } else if (hi === undefined && UPPER.includes(w.op)) {
      hi = w.op === '<=' ? (tail ? { text: P + x, from: w, exact: true } : { text: P + after(x)!, from: w, exact: true }) : { text: P + x, from: w, exact: !tail };
    } else if (lo === undefined && hi === undefined && w.op === 'between') {
      const y = w.operands[1]!.S;
      if (y === undefined || !(tail || fixed(y))) continue;
      lo = { text: P + x, from: w, exact: true };
      hi = tail ? { text: P + y, from: w, exact: true } : { text: P + after(y)!, from: w, exact: true };
    }
  }
  if (lo !== undefined || hi !== undefined) {
    const low = lo?.text ?? P;
    const high = hi?.text ?? after(P);
    // An empty range (low above high) is left to the filters: DynamoDB refuses such a BETWEEN.
    if (high === undefined || byteOrder(low, high) <= 0) {
      const implied = [...new Set([lo, hi].filter((b) => b?.exact === true).map((b) => b!.from))];
      const name = [...new Set([lo?.from, hi?.from].filter((c) => c !== undefined).map((c) => c.name))];
      if (high === undefined) return { clause: synthetic(t, '>=', [low], compare([t.field], '>=', { S: low }), name), implied };
      if (lo === undefined && P === '') return { clause: synthetic(t, '<=', [high], compare([t.field], '<=', { S: high }), name), implied };
      const node: Condition = Object.freeze({ kind: 'between', operand: pathOperand([t.field]), low: value({ S: low }), high: value({ S: high }) });
      return { clause: synthetic(t, 'between', [low, high], node, name), implied };
    }
  }
  const starts = onV.find((w) => w.op === 'begins_with' && w.operands[0]?.S !== undefined);
  if (starts !== undefined) {
    const p = starts.operands[0]!.S!;
    const exact = tail || (fixedDate && p.length <= ISO_WIDTH);
    return { clause: synthetic(t, 'begins_with', [P + p], beginsWith(t.field, P + p), [starts.name]), implied: exact ? [starts] : NOTHING };
  }
  return prefixOnly;
}

const beginsWith = (field: string, text: string): Condition => Object.freeze({ kind: 'begins_with', path: [field], value: value({ S: text }) });

function synthetic(t: CompiledTemplate, op: Operator, texts: readonly string[], node: Condition, from: readonly string[] = []): WhereClause {
  return Object.freeze({
    attribute: t.entry, nested: false, name: `${t.field} (${t.text}${from.length === 0 ? '' : `, from ${from.join(' and ')}`})`, op,
    operands: texts.map((S) => ({ S })), node,
  });
}
