import { useMemo, useState } from 'preact/hooks';
import { keyOf, type Session, type StudioModel } from '../api.js';
import { CostView } from '../components/cost.js';
import { ItemsTable } from '../components/items-table.js';
import { usePaged, type QueryBody } from '../components/paged.js';
import { Pager } from '../components/pager.js';
import { go, href } from '../nav.js';

/**
 * A model's items, a page at a time: a scan of the table, or with a partition value given, a
 * query of that partition, newest first when the key has a sort key.
 */
export function Items({ model, session }: { readonly model: StudioModel; readonly session: Session }) {
  const pk = model.primary.partitionKey.length === 1 ? model.primary.partitionKey[0] : undefined;
  const [partition, setPartition] = useState('');
  const [applied, setApplied] = useState('');
  const [size, setSize] = useState(10);
  const body = useMemo<QueryBody>(() => (applied === '' || pk === undefined
    ? { limit: size }
    : { limit: size, where: [{ attribute: pk, op: '=', value: applied }], order: 'desc' }), [applied, size, pk]);
  const paged = usePaged(model, body);
  return (
    <section>
      <h2>{model.name} <span class="muted">items of table {model.tableName}</span></h2>
      <div class="toolbar">
        {pk !== undefined && (
          <form onSubmit={(e) => { e.preventDefault(); setApplied(partition.trim()); }} class="toolbar">
            <label>{pk} = <input name="partition" value={partition} onInput={(e) => setPartition(e.currentTarget.value)} placeholder="all items (scan)" /></label>
            <button type="submit">Show</button>
          </form>
        )}
        <label>Page size <select value={String(size)} onChange={(e) => setSize(Number(e.currentTarget.value))}>{[5, 10, 20, 50].map((n) => <option key={n} value={n}>{n}</option>)}</select></label>
        <a href={href('model', model.name, 'query')}><button type="button">Query…</button></a>
        {!session.readOnly && <button class="primary" onClick={() => go('model', model.name, 'new')}>New {model.name}</button>}
      </div>
      {paged.error !== undefined && <div class="banner error" role="alert">{paged.error.message}</div>}
      {paged.result === undefined && paged.error === undefined && <p class="muted">Loading…</p>}
      {paged.result !== undefined && (
        <>
          <p class="muted">{paged.result.plan.operation}{paged.result.plan.index === undefined ? '' : ` on ${paged.result.plan.index}`}{body.order === 'desc' ? ', newest first' : ''}</p>
          <ItemsTable model={model} items={paged.result.items} readOnly={session.readOnly}
            onOpen={(item) => go('model', model.name, 'item', JSON.stringify(keyOf(model, item)))} onDelete={paged.remove} />
          <Pager paged={paged} />
          <CostView cost={paged.result.cost} />
        </>
      )}
    </section>
  );
}
