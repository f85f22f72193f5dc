import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { compare, value } from '../expression/nodes.js';
import { prefix, type CompiledTemplate } from '../schema/key-template.js';
import type { AnyModel } from '../schema/model.js';
import type { WhereClause } from './operators.js';

const NONE: ReadonlySet<WhereClause> = new Set();

/**
 * Single-table models: turns equality conditions on the attributes a key template names into
 * conditions on the composed key fields, which the planner then treats like any key:
 * `where('userId', '=', 'u1')` with pk `USER#{userId}` gives `PK = "USER#u1"`; a sort key whose
 * leading attributes are known gives `begins_with(SK, "ORDER#")`. Conditions a composed key fully
 * implies are `consumed` (no filter needed); the others stay as filters on the attributes.
 */
export function compositeClauses(model: AnyModel, where: readonly WhereClause[]): { where: readonly WhereClause[]; consumed: ReadonlySet<WhereClause> } {
  const templates = model.keyTemplates;
  if (templates === undefined) return { where, consumed: NONE };
  const consumed = new Set<WhereClause>();
  const out = [...where];
  const add = (t: CompiledTemplate): boolean => {
    const known: Record<string, AttributeValue> = {};
    const clauses: WhereClause[] = [];
    for (const v of t.vars) {
      const w = where.find((c) => !c.nested && c.attribute === v && c.op === '=');
      if (w === undefined) break;
      known[v.field] = w.operands[0]!;
      clauses.push(w);
    }
    const p = prefix(t, known);
    if (p.complete) {
      for (const w of clauses) consumed.add(w);
      out.push(synthetic(t, '=', p.text));
      return true;
    }
    if (p.text !== '' && t !== templates.pk) out.push(synthetic(t, 'begins_with', p.text));
    return false;
  };
  if (add(templates.pk) && templates.sk !== undefined) add(templates.sk);
  return { where: out, consumed };
}

function synthetic(t: CompiledTemplate, op: '=' | 'begins_with', text: string): WhereClause {
  const v: AttributeValue = { S: text };
  const node = op === '=' ? compare([t.field], '=', v) : Object.freeze({ kind: 'begins_with' as const, path: [t.field], value: value(v) });
  return Object.freeze({ attribute: t.entry, nested: false, name: `${t.field} (${t.text})`, op, operands: [v], node });
}
