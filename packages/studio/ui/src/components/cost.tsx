import type { Cost, Explanation } from '../api.js';
import { units } from '../format.js';

/** What a run cost: requests, capacity, and items read against those returned. */
export function CostView({ cost }: { readonly cost: Cost }) {
  return (
    <div class="grid cost">
      {cost.requests !== undefined && <div class="stat"><b>Requests</b>{cost.requests}</div>}
      <div class="stat"><b>RCU</b><span data-testid="rcu">{units(cost.rcu)}</span></div>
      {cost.wcu !== undefined && cost.wcu > 0 && <div class="stat"><b>WCU</b>{units(cost.wcu)}</div>}
      <div class="stat"><b>Items read</b><span data-testid="items-read">{cost.itemsRead}</span></div>
      <div class="stat"><b>Items returned</b><span data-testid="items-returned">{cost.itemsReturned}</span></div>
      {Object.entries(cost.byTarget ?? {}).map(([target, n]) => <div key={target} class="stat"><b>{target}</b>{units(n)} CU</div>)}
    </div>
  );
}

/** The planner's choice: operation, index, its reasons and the exact SDK request. */
export function PlanView({ plan }: { readonly plan: Explanation }) {
  return (
    <div class="plan-view">
      <div class="grid">
        <div class="stat"><b>Operation</b><span data-testid="plan-operation">{plan.operation}</span></div>
        <div class="stat"><b>Index</b><span data-testid="plan-index">{plan.index ?? 'table (primary key)'}</span></div>
      </div>
      <h3>Why</h3>
      <ul class="reasons">{plan.reasons.map((r, i) => <li key={i}>{r}</li>)}</ul>
      <h3>Request</h3>
      <pre>{JSON.stringify(plan.request, null, 2)}</pre>
    </div>
  );
}
