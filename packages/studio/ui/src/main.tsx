import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, setToken, takeToken, type Session } from './api.js';
import { ItemEdit } from './views/item-edit.js';
import { Items } from './views/items.js';
import { Metrics } from './views/metrics.js';
import { Migrations } from './views/migrations.js';
import { QueryView } from './views/query.js';
import { RawTable } from './views/raw-table.js';
import { Tables } from './views/tables.js';
import './styles.css';

/** The view the fragment names: `#/model/User/query` → ['model', 'User', 'query']. */
function useRoute(): string[] {
  const parse = (): string[] => location.hash.replace(/^#\/?/, '').split('/').filter((p) => p !== '').map(decodeURIComponent);
  const [route, setRoute] = useState(parse);
  useEffect(() => {
    const on = (): void => setRoute(parse());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function App() {
  const route = useRoute();
  const [session, setSession] = useState<Session>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<Session>('/api/session').then(setSession, (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, []);
  if (error !== undefined) return <main class="refused"><h1>DynamORM Studio</h1><p class="error" role="alert">{error}</p></main>;
  if (session === undefined) return <main><p>Loading…</p></main>;
  const [view = 'tables', name, sub, arg] = route;
  const model = view === 'model' ? session.models.find((m) => m.name === name) : undefined;
  let content;
  if (view === 'model' && model === undefined) content = <p class="error">No model named {name}.</p>;
  else if (model !== undefined && sub === 'query') content = <QueryView model={model} session={session} />;
  else if (model !== undefined && sub === 'item') content = <ItemEdit key={arg} model={model} session={session} itemKey={arg} />;
  else if (model !== undefined && sub === 'new') content = <ItemEdit key="new" model={model} session={session} />;
  else if (model !== undefined) content = <Items key={model.name} model={model} session={session} />;
  else if (view === 'table' && name !== undefined) content = <RawTable key={name} table={name} />;
  else if (view === 'migrations') content = <Migrations session={session} />;
  else if (view === 'metrics') content = <Metrics />;
  else content = <Tables session={session} />;
  const here = (...parts: string[]): string => (parts.every((p, i) => route[i] === p) ? 'active' : '');
  return (
    <div class="shell">
      <nav>
        <h1>DynamORM Studio</h1>
        {session.readOnly && <p class="badge readonly" title="Writes are refused">read-only</p>}
        <a href="#/tables" class={route.length === 0 ? 'active' : here('tables')}>Tables</a>
        <h2>Models</h2>
        {session.models.map((m) => (
          <div key={m.name} class="model-link">
            <a href={`#/model/${encodeURIComponent(m.name)}`} class={here('model', m.name)}>{m.name}</a>
            <a href={`#/model/${encodeURIComponent(m.name)}/query`} class={`sub ${here('model', m.name, 'query')}`}>query</a>
          </div>
        ))}
        <h2>Schema</h2>
        <a href="#/migrations" class={here('migrations')}>Migrations</a>
        <a href="#/metrics" class={here('metrics')}>Metrics</a>
      </nav>
      <main>{content}</main>
    </div>
  );
}

setToken(takeToken());
render(<App />, document.getElementById('app')!);
