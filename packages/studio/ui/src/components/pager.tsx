import type { Paged } from './paged.js';

export function Pager({ paged }: { readonly paged: Paged }) {
  return (
    <div class="toolbar pager">
      <button onClick={paged.prev} disabled={!paged.hasPrev || paged.loading}>← Previous</button>
      <span data-testid="page-number">Page {paged.page}</span>
      <button onClick={paged.next} disabled={!paged.result?.cursor || paged.loading}>Next →</button>
      {paged.loading && <span class="muted">loading…</span>}
    </div>
  );
}
