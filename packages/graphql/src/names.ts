/** GraphQL names from model, attribute and index names. */

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

export const isGraphQLName = (name: string): boolean => NAME.test(name) && !name.startsWith('__');

/** PascalCase, GraphQL-safe: gsi-name-age → GsiNameAge. */
export function pascal(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter((w) => w !== '');
  const name = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return /^[0-9]/.test(name) || name === '' ? `T${name}` : name;
}

export const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);

/** user → users, address → addresses. */
export const plural = (text: string): string => (/(s|x|z|ch|sh)$/.test(text) ? `${text}es` : `${text}s`);
