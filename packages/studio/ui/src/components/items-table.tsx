import { useState } from 'preact/hooks';
import type { Item, StudioModel } from '../api.js';
import { cell } from '../format.js';

interface Props {
  readonly model: StudioModel;
  readonly items: readonly Item[];
  readonly readOnly: boolean;
  readonly onOpen: (item: Item) => void;
  readonly onDelete: (item: Item) => Promise<void>;
}

/** A page of a model's items: key attributes first; a row opens the item; delete asks first. */
export function ItemsTable({ model, items, readOnly, onOpen, onDelete }: Props) {
  const [confirming, setConfirming] = useState<number>();
  const columns = [...model.key, ...model.attributes.map((a) => a.name).filter((n) => !model.key.includes(n))].slice(0, 9);
  if (items.length === 0) return <p class="muted">No items.</p>;
  return (
    <table class="items">
      <thead>
        <tr>{columns.map((c) => <th key={c}>{c}</th>)}{!readOnly && <th />}</tr>
      </thead>
      <tbody>
        {items.map((item, i) => (
          <tr key={i} class="clickable" data-row={i} onClick={() => onOpen(item)}>
            {columns.map((c) => <td key={c}>{cell(item[c])}</td>)}
            {!readOnly && (
              <td onClick={(e) => e.stopPropagation()}>
                {confirming === i ? (
                  <span class="confirm">
                    Delete this item?{' '}
                    <button class="danger" onClick={() => void onDelete(item).finally(() => setConfirming(undefined))}>Yes, delete</button>{' '}
                    <button onClick={() => setConfirming(undefined)}>Cancel</button>
                  </span>
                ) : (
                  <button onClick={() => setConfirming(i)}>Delete</button>
                )}
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
