import { useEffect, useState } from 'preact/hooks';
import { api, type Session } from '../api.js';
import { bytes } from '../format.js';
import { href } from '../nav.js';

interface KeyElement { AttributeName: string; KeyType: string }
interface Index { IndexName: string; KeySchema: KeyElement[]; Projection?: { ProjectionType?: string; NonKeyAttributes?: string[] }; IndexStatus?: string; ItemCount?: number }
interface TableInfo {
  readonly name: string;
  readonly models: string[];
  readonly exists: boolean;
  readonly table?: {
    TableStatus?: string; KeySchema?: KeyElement[]; AttributeDefinitions?: { AttributeName: string; AttributeType: string }[];
    GlobalSecondaryIndexes?: Index[]; LocalSecondaryIndexes?: Index[]; ItemCount?: number; TableSizeBytes?: number;
    StreamSpecification?: { StreamEnabled?: boolean; StreamViewType?: string }; BillingModeSummary?: { BillingMode?: string };
    ProvisionedThroughput?: { ReadCapacityUnits?: number; WriteCapacityUnits?: number };
  };
  readonly ttl?: { TimeToLiveStatus?: string; AttributeName?: string };
}

const keys = (schema: KeyElement[] | undefined, types: Map<string, string>): string =>
  (schema ?? []).map((k) => `${k.AttributeName} (${k.KeyType === 'HASH' ? 'partition' : 'sort'}, ${types.get(k.AttributeName) ?? '?'})`).join(' + ');

const projection = (p: Index['Projection']): string =>
  p?.ProjectionType === 'INCLUDE' ? `INCLUDE ${(p.NonKeyAttributes ?? []).join(', ')}` : p?.ProjectionType ?? '—';

/** The live tables: DescribeTable and TTL of each, and the models stored in it. */
export function Tables({ session }: { readonly session: Session }) {
  const [tables, setTables] = useState<TableInfo[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<{ tables: TableInfo[] }>('/api/tables').then((r) => setTables(r.tables), (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error !== undefined) return <div class="banner error" role="alert">{error}</div>;
  if (tables === undefined) return <p>Loading tables…</p>;
  return (
    <section>
      <h2>Tables</h2>
      {tables.map((t) => {
        const types = new Map((t.table?.AttributeDefinitions ?? []).map((d) => [d.AttributeName, d.AttributeType]));
        const indexes = [...(t.table?.GlobalSecondaryIndexes ?? []).map((i) => ({ ...i, type: 'GSI' })), ...(t.table?.LocalSecondaryIndexes ?? []).map((i) => ({ ...i, type: 'LSI' }))];
        const stream = t.table?.StreamSpecification;
        return (
          <div class="card table-card" key={t.name} data-table={t.name}>
            <h3>{t.name} {t.exists ? <span class="badge">{t.table?.TableStatus}</span> : <span class="badge destructive">missing</span>}</h3>
            <p>
              Models: {t.models.length === 0 ? <span class="muted">none</span> : t.models.map((m) => <a key={m} class="badge" href={href('model', m)}>{m}</a>)}
              {t.exists && <a href={href('table', t.name)}>raw items →</a>}
            </p>
            {!t.exists && <p class="muted">Not created yet: see Migrations for the plan that creates it.</p>}
            {t.exists && (
              <>
                <div class="grid">
                  <div class="stat"><b>Key</b>{keys(t.table?.KeySchema, types)}</div>
                  <div class="stat"><b>Items</b><span data-testid="item-count">{t.table?.ItemCount ?? '—'}</span></div>
                  <div class="stat"><b>Size</b>{bytes(t.table?.TableSizeBytes)}</div>
                  <div class="stat"><b>Billing</b>{t.table?.BillingModeSummary?.BillingMode ?? `PROVISIONED ${t.table?.ProvisionedThroughput?.ReadCapacityUnits ?? '?'} RCU / ${t.table?.ProvisionedThroughput?.WriteCapacityUnits ?? '?'} WCU`}</div>
                  <div class="stat"><b>TTL</b>{t.ttl?.TimeToLiveStatus === 'ENABLED' ? `on ${t.ttl.AttributeName}` : (t.ttl?.TimeToLiveStatus ?? 'DISABLED').toLowerCase()}</div>
                  <div class="stat"><b>Stream</b>{stream?.StreamEnabled === true ? stream.StreamViewType : 'off'}</div>
                </div>
                {indexes.length > 0 && (
                  <table class="indexes">
                    <thead><tr><th>Index</th><th>Type</th><th>Key</th><th>Projection</th><th>Status</th><th>Items</th></tr></thead>
                    <tbody>{indexes.map((i) => (
                      <tr key={i.IndexName}><td>{i.IndexName}</td><td>{i.type}</td><td>{keys(i.KeySchema, types)}</td><td>{projection(i.Projection)}</td><td>{i.IndexStatus ?? 'ACTIVE'}</td><td>{i.ItemCount ?? '—'}</td></tr>
                    ))}</tbody>
                  </table>
                )}
              </>
            )}
          </div>
        );
      })}
      {session.models.length === 0 && <p class="muted">The config lists no models.</p>}
    </section>
  );
}
