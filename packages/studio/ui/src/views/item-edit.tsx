import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, keyOf, type AttributeDescription, type Item, type Session, type StudioModel } from '../api.js';
import { go } from '../nav.js';

const TEXT_KINDS = new Set(['string', 'enum', 'number', 'bigint', 'ttl', 'date', 'boolean', 'custom']);

/** The text a field shows for a value (JSON for lists, maps, objects and sets). */
function textOf(attribute: AttributeDescription, value: unknown): string {
  if (value === undefined) return '';
  if (TEXT_KINDS.has(attribute.kind) && typeof value !== 'object') return String(value);
  return JSON.stringify(value, null, 2);
}

/**
 * The JSON value of a field's text: scalars go as typed (the server converts them by kind, and the
 * model refuses what does not fit), other kinds as JSON, or as the text when it is not JSON (the
 * model then says what it expected).
 */
function valueOf(attribute: AttributeDescription, text: string): unknown {
  if (TEXT_KINDS.has(attribute.kind)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The top-level attribute an issue's path names (`preferences.theme` → `preferences`). */
const topLevel = (path: string): string => path.split(/[.[]/)[0] ?? path;

/** An item's form: the model's fields, its validation issues next to them; save, create, delete. */
export function ItemEdit({ model, session, itemKey }: { readonly model: StudioModel; readonly session: Session; readonly itemKey?: string }) {
  const creating = itemKey === undefined;
  const [original, setOriginal] = useState<Item>();
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [issues, setIssues] = useState<Record<string, string>>({});
  const [banner, setBanner] = useState<{ kind: 'ok' | 'error'; text: string }>();
  const [confirming, setConfirming] = useState(false);
  const base = `/api/models/${encodeURIComponent(model.name)}`;

  const show = (item: Item): void => {
    setOriginal(item);
    setTexts(Object.fromEntries(model.attributes.map((a) => [a.name, textOf(a, item[a.name])])));
  };
  useEffect(() => {
    if (itemKey === undefined) return;
    api<{ item: Item }>(`${base}/get`, { key: JSON.parse(itemKey) as Item }).then(({ item }) => show(item), (e: unknown) => setBanner({ kind: 'error', text: e instanceof Error ? e.message : String(e) }));
  }, [itemKey]);

  const fail = (e: unknown): void => {
    const issuesByField: Record<string, string> = {};
    let general: string | undefined = e instanceof Error ? e.message : String(e);
    if (e instanceof ApiError && e.issues.length > 0) {
      for (const issue of e.issues) {
        const field = topLevel(issue.attribute);
        if (model.attributes.some((a) => a.name === field)) issuesByField[field] = [issuesByField[field], issue.message].filter(Boolean).join('; ');
      }
      if (Object.keys(issuesByField).length === e.issues.length) general = 'The model refused the item: see the fields marked below.';
    }
    setIssues(issuesByField);
    setBanner({ kind: 'error', text: general });
  };

  const save = async (e: Event): Promise<void> => {
    e.preventDefault();
    const item: Item = {};
    for (const a of model.attributes) {
      if (creating && a.managed !== undefined) continue;
      // Managed attributes go back as read: the version guards the write, createdAt stays.
      if (a.managed !== undefined) {
        if (a.managed !== 'updatedAt' && original?.[a.name] !== undefined) item[a.name] = original[a.name];
        continue;
      }
      const text = texts[a.name] ?? '';
      if (text === '' && (a.optional || a.generated || a.kind !== 'string')) continue;
      item[a.name] = valueOf(a, text);
    }
    try {
      if (creating) {
        const { item: created } = await api<{ item: Item }>(`${base}/create`, { item });
        go('model', model.name, 'item', JSON.stringify(keyOf(model, created)));
        return;
      }
      const { item: saved } = await api<{ item: Item }>(`${base}/put`, { item });
      show(saved);
      setIssues({});
      setBanner({ kind: 'ok', text: `Saved${saved.version === undefined ? '' : ` (version ${String(saved.version)})`}.` });
    } catch (error) {
      fail(error);
    }
  };

  const remove = async (): Promise<void> => {
    try {
      await api(`${base}/delete`, { key: JSON.parse(itemKey!) as Item });
      go('model', model.name);
    } catch (error) {
      fail(error);
    }
  };

  if (!creating && original === undefined) return banner === undefined ? <p>Loading…</p> : <div class="banner error" role="alert">{banner.text}</div>;
  const writable = !session.readOnly;
  return (
    <section>
      <h2>{creating ? `New ${model.name}` : `${model.name} ${model.key.map((k) => String(original?.[k])).join(' / ')}`}</h2>
      {banner !== undefined && <div class={`banner ${banner.kind}`} role={banner.kind === 'error' ? 'alert' : 'status'}>{banner.text}</div>}
      <form class="item" onSubmit={(e) => void save(e)}>
        {model.attributes.map((a) => {
          const locked = !writable || a.managed !== undefined || (!creating && model.key.includes(a.name));
          const text = texts[a.name] ?? '';
          const set = (value: string): void => setTexts({ ...texts, [a.name]: value });
          let input;
          if (a.kind === 'enum' || a.kind === 'boolean') {
            const options = a.kind === 'enum' ? a.values ?? [] : ['true', 'false'];
            input = (
              <select name={a.name} value={text} disabled={locked} onChange={(e) => set(e.currentTarget.value)}>
                <option value="">{a.optional ? '(none)' : '—'}</option>
                {options.map((v) => <option key={v} value={v}>{v}</option>)}
              </select>
            );
          } else if (TEXT_KINDS.has(a.kind)) {
            input = <input name={a.name} value={text} disabled={locked} onInput={(e) => set(e.currentTarget.value)} placeholder={a.kind === 'date' ? '2024-05-01T12:00:00.000Z' : a.generated ? '(generated)' : ''} />;
          } else {
            input = <textarea name={a.name} value={text} disabled={locked} onInput={(e) => set(e.currentTarget.value)} placeholder={a.kind.endsWith('Set') || a.kind === 'list' ? '["…"]' : '{ }'} />;
          }
          return (
            <div key={a.name} class={`field ${issues[a.name] === undefined ? '' : 'field-invalid'}`} style="display: contents" data-field={a.name}>
              <label for={a.name}>{a.name}<span class="kind">{a.kind}{a.optional ? ', optional' : ''}{a.managed === undefined ? '' : `, ${a.managed}`}{model.key.includes(a.name) ? ', key' : ''}</span></label>
              {input}
              <div class="field-error" data-error-for={a.name}>{issues[a.name] ?? ''}</div>
            </div>
          );
        })}
        <div />
        <div class="toolbar">
          {writable && <button class="primary" type="submit">{creating ? 'Create' : 'Save'}</button>}
          {writable && !creating && !confirming && <button type="button" class="danger" onClick={() => setConfirming(true)}>Delete…</button>}
          {confirming && <span class="confirm">Delete this item? <button type="button" class="danger" onClick={() => void remove()}>Yes, delete</button> <button type="button" onClick={() => setConfirming(false)}>Cancel</button></span>}
          <button type="button" onClick={() => go('model', model.name)}>Back</button>
        </div>
      </form>
    </section>
  );
}
