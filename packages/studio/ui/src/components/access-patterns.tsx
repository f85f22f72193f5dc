import { useMemo, useState } from 'preact/hooks';
import type { AnalyticsReport } from '../api.js';
import { units } from '../format.js';
import { BarChart } from './bar-chart.js';

/** orm.analytics(): each access pattern's share of the cost, its numbers and the advice on it. */
export function AccessPatterns({ report, markdown }: { readonly report: AnalyticsReport; readonly markdown: string }) {
  const [showMarkdown, setShowMarkdown] = useState(false);
  const labels = useMemo(() => report.patterns.map((p) => p.pattern), [report]);
  const series = useMemo(() => [{ label: 'share of the cost (%)', data: report.patterns.map((p) => Math.round(p.costShare * 1000) / 10), color: '#3355dd' }], [report]);
  if (report.patterns.length === 0) {
    return <p class="muted">No access pattern recorded yet (or the ORM was created without <code>analytics: true</code>).</p>;
  }
  return (
    <>
      <BarChart title="Share of the cost by access pattern" labels={labels} series={series} horizontal height={Math.max(160, 60 + 28 * labels.length)} />
      <table class="patterns">
        <thead><tr><th>Access pattern</th><th>Requests</th><th>p95</th><th>RCU</th><th>WCU</th><th>Read</th><th>Returned</th><th>Cost share</th><th>Advice</th></tr></thead>
        <tbody>{report.patterns.map((p) => (
          <tr key={p.pattern}>
            <td><code>{p.pattern}</code></td><td>{p.requests}</td><td>{units(p.latencyMs.p95)} ms</td><td>{units(p.rcu)}</td><td>{units(p.wcu)}</td>
            <td>{p.itemsRead}</td><td>{p.itemsReturned}</td><td>{(p.costShare * 100).toFixed(1)}%</td>
            <td style="white-space: normal">{p.advice.length === 0 ? <span class="muted">—</span> : p.advice.map((a, i) => (
              <div key={i} class="advice">{a.message}{a.definition === undefined ? null : <> <code>{a.definition}</code></>}</div>
            ))}</td>
          </tr>
        ))}</tbody>
      </table>
      <p class="muted">Totals: {report.totals.requests} requests, {units(report.totals.rcu)} RCU, {units(report.totals.wcu)} WCU{report.evicted > 0 ? `; ${report.evicted} cheaper patterns forgotten` : ''}.{' '}
        <button onClick={() => setShowMarkdown(!showMarkdown)}>{showMarkdown ? 'Hide' : 'Show'} the Markdown report</button></p>
      {showMarkdown && <pre data-testid="analytics-markdown">{markdown}</pre>}
    </>
  );
}
