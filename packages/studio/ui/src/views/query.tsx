import { useState } from 'preact/hooks';
import { keyOf, type Session, type StudioModel } from '../api.js';
import { CostView, PlanView } from '../components/cost.js';
import { ItemsTable } from '../components/items-table.js';
import { usePaged, type QueryBody } from '../components/paged.js';
import { Pager } from '../components/pager.js';
import { go } from '../nav.js';

const OPERATORS = ['=', '<>', '<', '<=', '>', '>=', 'between', 'begins_with', 'in', 'contains', 'exists', 'not_exists'];

interface Row {
  attribute: string;
  op: string;
  value: string;
}

/** A condition's value from its text: `between` takes "low, high", `in` a comma-separated list. */
function valueOf(row: Row): unknown {
  if (row.op === 'exists' || row.op === 'not_exists') return undefined;
  if (row.op === 'between' || row.op === 'in') return row.value.split(',').map((v) => v.trim());
  return row.value;
}

/** The query builder of a model: conditions, index or the planner's choice, order; the plan and cost of each run. */
export function QueryView({ model, session }: { readonly model: StudioModel; readonly session: Session }) {
  const first = model.primary.partitionKey[0] ?? model.attributes[0]?.name ?? '';
  const [rows, setRows] = useState<Row[]>([{ attribute: first, op: '=', value: '' }]);
  const [index, setIndex] = useState('');
  const [order, setOrder] = useState('');
  const [limit, setLimit] = useState(10);
  const [body, setBody] = useState<QueryBody>();
  const paged = usePaged(model, body);
  const update = (i: number, change: Partial<Row>): void => setRows(rows.map((r, j) => (j === i ? { ...r, ...change } : r)));
  const run = (e: Event): void => {
    e.preventDefault();
    setBody({
      where: rows.filter((r) => r.attribute !== '').map((r) => ({ attribute: r.attribute, op: r.op, value: valueOf(r) })),
      limit,
      ...(index === '' ? {} : { index }),
      ...(order === 'asc' || order === 'desc' ? { order } : {}),
    });
  };
  return (
    <section>
      <h2>Query {model.name}</h2>
      <form class="query-builder card" onSubmit={run}>
        {rows.map((row, i) => (
          <div class="toolbar condition" key={i}>
            <select name="attribute" value={row.attribute} onChange={(e) => update(i, { attribute: e.currentTarget.value })}>
              {model.attributes.map((a) => <option key={a.name} value={a.name}>{a.name}</option>)}
            </select>
            <select name="op" value={row.op} onChange={(e) => update(i, { op: e.currentTarget.value })}>
              {OPERATORS.map((op) => <option key={op} value={op}>{op}</option>)}
            </select>
            {row.op !== 'exists' && row.op !== 'not_exists' && (
              <input name="value" value={row.value} onInput={(e) => update(i, { value: e.currentTarget.value })} placeholder={row.op === 'between' ? 'low, high' : row.op === 'in' ? 'a, b, c' : 'value'} />
            )}
            <button type="button" onClick={() => setRows(rows.filter((_, j) => j !== i))} title="Remove this condition">✕</button>
          </div>
        ))}
        <div class="toolbar">
          <button type="button" onClick={() => setRows([...rows, { attribute: first, op: '=', value: '' }])}>+ Condition</button>
          <label>Index <select name="index" value={index} onChange={(e) => setIndex(e.currentTarget.value)}>
            <option value="">automatic (the planner picks)</option>
            {model.indexes.map((i) => <option key={i.index} value={i.index}>{i.index} ({i.type})</option>)}
          </select></label>
          <label>Order <select name="order" value={order} onChange={(e) => setOrder(e.currentTarget.value)}>
            <option value="">as stored</option><option value="asc">sort key ascending</option><option value="desc">sort key descending</option>
          </select></label>
          <label>Limit <input name="limit" type="number" min={1} max={100} value={limit} onInput={(e) => setLimit(Number(e.currentTarget.value))} style="width: 70px" /></label>
          <button class="primary" type="submit">Run</button>
        </div>
      </form>
      {paged.error !== undefined && <div class="banner error" role="alert">{paged.error.message}</div>}
      {paged.result !== undefined && (
        <>
          <div class="plan">
            <div class="card"><h3>Plan</h3><PlanView plan={paged.result.plan} /></div>
            <div class="card"><h3>Cost of this page</h3><CostView cost={paged.result.cost} /></div>
          </div>
          <ItemsTable model={model} items={paged.result.items} readOnly={session.readOnly}
            onOpen={(item) => go('model', model.name, 'item', JSON.stringify(keyOf(model, item)))} onDelete={paged.remove} />
          <Pager paged={paged} />
        </>
      )}
    </section>
  );
}
