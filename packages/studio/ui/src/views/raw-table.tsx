import { useEffect, useState } from 'preact/hooks';
import { api, type Cost, type Item } from '../api.js';
import { CostView } from '../components/cost.js';

/** A table's items as stored (DynamoDB JSON), scanned a page at a time. */
export function RawTable({ table }: { readonly table: string }) {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: Item[]; cursor: string | null; cost: Cost }>();
  const [error, setError] = useState<string>();
  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    api<{ items: Item[]; cursor: string | null; cost: Cost }>(`/api/tables/${encodeURIComponent(table)}/scan`, { cursor }).then(setPage, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [table, cursor]);
  return (
    <section>
      <h2>{table} <span class="muted">raw items</span></h2>
      {error !== undefined && <div class="banner error" role="alert">{error}</div>}
      {page !== undefined && (
        <>
          {page.items.length === 0 ? <p class="muted">No items.</p> : page.items.map((item, i) => <pre key={i}>{JSON.stringify(item, null, 1)}</pre>)}
          <div class="toolbar">
            <button onClick={() => setCursors(cursors.slice(0, -1))} disabled={cursors.length === 1}>← Previous</button>
            <span>Page {cursors.length}</span>
            <button onClick={() => page.cursor !== null && setCursors([...cursors, page.cursor])} disabled={page.cursor === null}>Next →</button>
          </div>
          <CostView cost={page.cost} />
        </>
      )}
    </section>
  );
}
