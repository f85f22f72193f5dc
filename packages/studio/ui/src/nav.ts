/** Moves to a view: `go('model', 'User', 'item', key)` → `#/model/User/item/<key>`. */
export function go(...parts: string[]): void {
  location.hash = href(...parts);
}

export function href(...parts: string[]): string {
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}
