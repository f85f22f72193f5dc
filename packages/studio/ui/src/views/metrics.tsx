import { useEffect, useMemo, useState } from 'preact/hooks';
import { api, type AnalyticsReport, type MetricsSnapshot } from '../api.js';
import { AccessPatterns } from '../components/access-patterns.js';
import { BarChart } from '../components/bar-chart.js';
import { units } from '../format.js';

/** orm.metrics() of the studio's ORM per model and operation, and orm.analytics() per access pattern. */
export function Metrics() {
  const [data, setData] = useState<{ metrics: MetricsSnapshot; analytics: AnalyticsReport; markdown: string }>();
  const metrics = data?.metrics;
  const [error, setError] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    api<{ metrics: MetricsSnapshot; analytics: AnalyticsReport; markdown: string }>('/api/metrics').then(setData, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [tick]);
  const rows = useMemo(() => Object.entries(metrics ?? {}).flatMap(([model, ops]) => Object.entries(ops).map(([op, m]) => ({ name: `${model}.${op}`, ...m }))), [metrics]);
  const labels = useMemo(() => rows.map((r) => r.name), [rows]);
  const charts = useMemo(() => ({
    requests: [{ label: 'requests', data: rows.map((r) => r.requests), color: '#3355dd' }, { label: 'errors', data: rows.map((r) => r.errors), color: '#c62f3b' }],
    latency: [
      { label: 'p50 ms', data: rows.map((r) => r.latencyMs.p50), color: '#7fa1ff' },
      { label: 'p95 ms', data: rows.map((r) => r.latencyMs.p95), color: '#3355dd' },
      { label: 'p99 ms', data: rows.map((r) => r.latencyMs.p99), color: '#1d2f80' },
    ],
    capacity: [{ label: 'RCU', data: rows.map((r) => r.rcu), color: '#2f9e61' }, { label: 'WCU', data: rows.map((r) => r.wcu), color: '#e08a1e' }],
    items: [{ label: 'items read', data: rows.map((r) => r.itemsRead), color: '#8a90a0' }, { label: 'items returned', data: rows.map((r) => r.itemsReturned), color: '#3355dd' }],
  }), [rows]);
  if (error !== undefined) return <div class="banner error" role="alert">{error}</div>;
  if (data === undefined) return <p>Loading metrics…</p>;
  return (
    <section>
      <h2>Metrics <button onClick={() => setTick(tick + 1)}>Refresh</button></h2>
      <p class="muted">The requests this studio's ORM sent since it started, per model and operation (<code>orm.metrics()</code>).</p>
      {rows.length === 0 ? <p class="muted">No requests yet (or the ORM was created without <code>enableMetrics: true</code>).</p> : (
        <>
          <div class="charts">
            <BarChart title="Requests" labels={labels} series={charts.requests} />
            <BarChart title="Latency percentiles" labels={labels} series={charts.latency} />
            <BarChart title="Capacity units" labels={labels} series={charts.capacity} />
            <BarChart title="Items read vs returned" labels={labels} series={charts.items} />
          </div>
          <table class="metrics">
            <thead><tr><th>Model.operation</th><th>Requests</th><th>Errors</th><th>p50</th><th>p95</th><th>p99</th><th>RCU</th><th>WCU</th><th>Read</th><th>Returned</th></tr></thead>
            <tbody>{rows.map((r) => (
              <tr key={r.name}><td>{r.name}</td><td>{r.requests}</td><td>{r.errors}</td><td>{units(r.latencyMs.p50)} ms</td><td>{units(r.latencyMs.p95)} ms</td><td>{units(r.latencyMs.p99)} ms</td><td>{units(r.rcu)}</td><td>{units(r.wcu)}</td><td>{r.itemsRead}</td><td>{r.itemsReturned}</td></tr>
            ))}</tbody>
          </table>
        </>
      )}
      <h2 class="section">Access patterns</h2>
      <p class="muted">The requests grouped by access pattern (model, operation, index and conditions, values left out), the most costly first, with advice (<code>orm.analytics()</code>).</p>
      <div data-testid="analytics"><AccessPatterns report={data.analytics} markdown={data.markdown} /></div>
    </section>
  );
}
