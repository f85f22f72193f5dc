import type { AnalyticsReport } from './analytics.js';

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const ms = (n: number): string => (n < 10 ? n.toFixed(2) : n.toFixed(0));
const cell = (text: string): string => text.replace(/\|/g, '\\|');

/** A report as Markdown: a table of the patterns, the most costly first, then each pattern's advice. */
export function analyticsMarkdown(report: AnalyticsReport | undefined): string {
  if (report === undefined) return '# Query analytics\n\nAnalytics are off: `new DynamORM({ analytics: true })` records them.\n';
  const { patterns, totals } = report;
  const lines = [
    '# Query analytics',
    '',
    `${totals.requests} requests, ${num(totals.rcu)} RCU, ${num(totals.wcu)} WCU in ${patterns.length} access patterns, the most costly first${report.evicted > 0 ? ` (${report.evicted} cheaper ones forgotten)` : ''}.`,
    '',
    '| # | pattern | requests | p50 / p95 / p99 ms | RCU | WCU | items read / returned | cost share |',
    '|---:|---|---:|---:|---:|---:|---:|---:|',
    ...patterns.map((p, i) => `| ${i + 1} | \`${cell(p.pattern)}\` | ${p.requests} | ${ms(p.latencyMs.p50)} / ${ms(p.latencyMs.p95)} / ${ms(p.latencyMs.p99)} | ${num(p.rcu)} | ${num(p.wcu)} | ${p.itemsRead} / ${p.itemsReturned} | ${(p.costShare * 100).toFixed(1)}% |`),
  ];
  const advised = patterns.map((p, i) => ({ p, i })).filter(({ p }) => p.advice.length > 0);
  if (advised.length > 0) {
    lines.push('', '## Advice');
    for (const { p, i } of advised) {
      lines.push('', `${i + 1}. \`${p.pattern}\``);
      if (p.plan.length > 0) lines.push(`   - planner: ${p.plan.join('; ')}`);
      for (const a of p.advice) lines.push(`   - ${a.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
