import { useEffect, useState } from 'preact/hooks';
import { api, type MigrationStatus, type PlanStep, type Session } from '../api.js';

interface Migrations {
  readonly plan: { steps: PlanStep[]; upToDate: boolean; destructive: boolean };
  readonly status: MigrationStatus | null;
  readonly statusError?: string;
}

/** The migrations' status and the plan from the live tables to the models (applied with the CLI, never from here). */
export function Migrations({ session }: { readonly session: Session }) {
  const [data, setData] = useState<Migrations>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<Migrations>('/api/migrations').then(setData, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);
  if (error !== undefined) return <div class="banner error" role="alert">{error}</div>;
  if (data === undefined) return <p>Comparing the live tables with the models…</p>;
  return (
    <section>
      <h2>Migrations</h2>
      <div class="card">
        <h3>Schema plan {data.plan.upToDate ? <span class="badge safe">up to date</span> : data.plan.destructive ? <span class="badge destructive">destructive steps</span> : <span class="badge safe">safe</span>}</h3>
        {data.plan.upToDate ? <p>Every table matches its models.</p> : (
          <>
            <table>
              <thead><tr><th>Step</th><th>Table</th><th>Models</th><th></th><th>What it does</th></tr></thead>
              <tbody>{data.plan.steps.map((s, i) => (
                <tr key={i}><td>{s.kind}{s.index === undefined ? '' : ` ${s.index}`}</td><td>{s.table}</td><td>{s.models.join(', ')}</td>
                  <td>{s.destructive ? <span class="badge destructive">destructive</span> : <span class="badge safe">safe</span>}</td><td style="white-space: normal">{s.description}</td></tr>
              ))}</tbody>
            </table>
            <p class="muted">The studio shows the plan only: apply it with <code>npx dynamorm apply</code> (destructive steps need <code>--allow-destructive</code>).</p>
          </>
        )}
      </div>
      <div class="card">
        <h3>Versioned migrations</h3>
        {!session.migrations && <p class="muted">No migrations directory is configured (the config's <code>migrations</code>, default <code>migrations/</code> beside it).</p>}
        {data.statusError !== undefined && <div class="banner error">{data.statusError}</div>}
        {data.status !== null && (
          <>
            <p>Current version: <b>{data.status.current ?? 'none'}</b>; pending: {data.status.pending.length === 0 ? 'none' : data.status.pending.join(', ')}; models fingerprint {data.status.fingerprint.matches ? 'matches the last migration' : <span class="error">differs from the last migration's</span>}.</p>
            <table>
              <thead><tr><th>Version</th><th>Description</th><th>State</th><th>At</th><th>Duration</th></tr></thead>
              <tbody>{data.status.migrations.map((m) => (
                <tr key={m.version}><td>{m.version}</td><td>{m.description ?? ''}</td><td><span class={`badge ${m.state === 'applied' ? 'safe' : m.state === 'pending' ? '' : 'destructive'}`}>{m.state}</span>{m.error === undefined ? '' : ` ${m.error}`}</td><td>{m.at ?? ''}</td><td>{m.durationMs === undefined ? '' : `${m.durationMs} ms`}</td></tr>
              ))}</tbody>
            </table>
          </>
        )}
      </div>
    </section>
  );
}
