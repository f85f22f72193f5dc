import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError, keyOf, type Item, type QueryResult, type StudioModel } from '../api.js';

export interface QueryBody {
  readonly where?: readonly { attribute: string; op: string; value?: unknown }[];
  readonly index?: string;
  readonly order?: 'asc' | 'desc';
  readonly limit?: number;
}

export interface Paged {
  readonly result: QueryResult | undefined;
  readonly error: ApiError | undefined;
  readonly loading: boolean;
  /** 1-based page number. */
  readonly page: number;
  readonly hasPrev: boolean;
  next(): void;
  prev(): void;
  reload(): void;
  remove(item: Item): Promise<void>;
}

/**
 * A query read page by page with the ORM's cursors: the cursors of the pages seen are kept, so
 * "previous" reads the page before again. `body` undefined: nothing runs yet.
 */
export function usePaged(model: StudioModel, body: QueryBody | undefined): Paged {
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [result, setResult] = useState<QueryResult>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(false);
  const [tick, setTick] = useState(0);
  const cursor = cursors[cursors.length - 1];

  useEffect(() => setCursors([undefined]), [body]);
  useEffect(() => {
    if (body === undefined) return;
    let live = true;
    setLoading(true);
    api<QueryResult>(`/api/models/${encodeURIComponent(model.name)}/query`, { ...body, cursor })
      .then((r) => { if (live) { setResult(r); setError(undefined); } }, (e: unknown) => { if (live) setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e), [])); })
      .finally(() => { if (live) setLoading(false); });
    return () => { live = false; };
  }, [model.name, body, cursor, tick]);

  const remove = useCallback(async (item: Item) => {
    try {
      await api(`/api/models/${encodeURIComponent(model.name)}/delete`, { key: keyOf(model, item) });
      setTick((t) => t + 1);
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', String(e), []));
    }
  }, [model]);

  return {
    result, error, loading, remove,
    page: cursors.length,
    hasPrev: cursors.length > 1,
    next: () => { if (result?.cursor) setCursors([...cursors, result.cursor]); },
    prev: () => setCursors(cursors.slice(0, -1)),
    reload: () => setTick((t) => t + 1),
  };
}
