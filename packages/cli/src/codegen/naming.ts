/** Names of generated code: TypeScript identifiers from stored attribute names and key prefixes. */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export const isIdentifier = (name: string): boolean => IDENTIFIER.test(name);

/** A string literal in single quotes, as the generated code writes them. */
export const quote = (text: string): string => `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;

/** A property key as written in an object literal: bare when it is an identifier, quoted otherwise. */
export const propertyKey = (name: string): string => (isIdentifier(name) ? name : quote(name));

function words(text: string): string[] {
  // Splits snake_case, kebab-case, spaces and camelCase humps; an all-caps word stays whole.
  return text.split(/[^A-Za-z0-9]+/).flatMap((part) => part.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+[a-z]*/g) ?? []).filter((w) => w !== '');
}

const capital = (word: string): string => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();

/** camelCase name of a stored attribute: customer_id → customerId, Email → email, GSI1PK → gsi1pk. */
export function camelName(stored: string): string {
  const w = words(stored);
  if (w.length === 0) return 'attribute';
  const name = w[0]!.toLowerCase() + w.slice(1).map(capital).join('');
  return /^[0-9]/.test(name) ? `_${name}` : name;
}

/** PascalCase name of a model: ORDER → Order, order_line → OrderLine, Customer → Customer. */
export function pascalName(text: string): string {
  const w = words(text);
  if (w.length === 0) return 'Item';
  const name = w.map((word) => (word === word.toUpperCase() ? capital(word) : word.charAt(0).toUpperCase() + word.slice(1))).join('');
  return /^[0-9]/.test(name) ? `M${name}` : name;
}

/** `base`, or `base2`, `base3`... whichever `taken` does not hold yet (and records it). */
export function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let n = 2; taken.has(name); n++) name = `${base}${n}`;
  taken.add(name);
  return name;
}
