import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

/*
 * What a user reads when a query has a common mistake: the compiler's own message, as tsc prints
 * it. Each snippet is one mistake in a file of its own; the whole set is checked by one program
 * against the package's sources.
 */

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const src = (path: string): string => `${ROOT}packages/dynamorm/src/${path}`;

const PRELUDE = `
import { DynamORM, model, t } from 'dynamorm';
const orm = new DynamORM({ region: 'us-east-1' });
export const Order = model('Order', {
  attributes: {
    customerId: t.string().pk(),
    orderId: t.string().sk(),
    total: t.number().index('byTotal'),
    status: t.enum(['open', 'paid']),
    placedAt: t.date(),
    note: t.string().optional(),
    lines: t.list(t.object({ sku: t.string(), qty: t.number() })),
  },
});
const orders = orm.model(Order);
`;

/** Every top-level attribute of Order, as the error should list them. */
const NAMES = ['"customerId"', '"orderId"', '"total"', '"status"', '"placedAt"', '"note"', '"lines"'];

const mistakes: Record<string, string> = {
  where: `orders.where('colour', '=', 'red');`,
  filter: `orders.filter('colour', '=', 'red');`,
  orderBy: `orders.orderBy('colour');`,
  select: `orders.select('total', 'colour');`,
  conditionEq: `orders.if((c) => c.eq('colour', 'red'));`,
  conditionExists: `orders.if((c) => c.attributeExists('colour'));`,
  updateSet: `orders.key({ customerId: 'c', orderId: 'o' }).update((u) => u.set('colour', 'red'));`,
  updateRemove: `orders.key({ customerId: 'c', orderId: 'o' }).update((u) => u.remove('colour'));`,
  key: `orders.key({ customerId: 'c', colour: 'o' });`,
  transaction: `orm.transaction(async (tx) => { tx.model(Order).where('colour', '=', 'red'); });`,
};

/** Mistakes whose list is not every attribute: what the message must list instead. */
const allowed: Record<string, readonly string[]> = {
  // A list has no equality; its elements' properties do.
  conditionEq: ['"customerId"', '"orderId"', '"total"', '"status"', '"placedAt"', '"note"', '`lines[${number}].sku`'],
  // The key cannot be updated; only optional attributes (and paths inside values) can be removed.
  updateSet: ['"total"', '"status"', '"placedAt"', '"note"', '"lines"', '`lines[${number}].qty`'],
  updateRemove: ['"note"'],
  // An object literal's error shows the type it should have been: the key.
  key: ['{ customerId: string; orderId: string; }'],
};

const otherMistakes: Record<string, { code: string; says: readonly string[] }> = {
  index: { code: `orders.index('byColour');`, says: ['"byColour"', '"byTotal"'] },
  operator: { code: `orders.where('total', 'begins_with', '1');`, says: ['"begins_with"', '">"', '"between"'] },
  conditionOperator: { code: `orders.if((c) => c.beginsWith('total', '1'));`, says: ['"total"', '"status"'] },
  value: { code: `orders.where('total', '>', '10');`, says: ['string', 'number'] },
  enumValue: { code: `orders.where('status', '=', 'closed');`, says: ['"closed"', '"open" | "paid"'] },
  nestedPath: { code: `orders.where('lines[0].colour', '=', 'red');`, says: ['"lines[0].colour"', '"lines"', '"customerId"'] },
  updateValue: { code: `orders.key({ customerId: 'c', orderId: 'o' }).update((u) => u.set('total', 'ten'));`, says: ['string', 'number'] },
  increment: { code: `orders.key({ customerId: 'c', orderId: 'o' }).update((u) => u.increment('status'));`, says: ['"status"', '"total"'] },
  // The object form names the wrong attribute and the updatable ones; its type also shows the updater form.
  updateObject: { code: `orders.key({ customerId: 'c', orderId: 'o' }).update({ colour: 'red' });`, says: ["'colour'", 'total?: number', 'note?: string'] },
};

/** What may be said once only, and no wall of the model's internals except where noted. */
const walled = new Set(['updateObject']);

function compile(files: Record<string, string>): { program: ts.Program; names: string[] } {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    skipLibCheck: true,
    types: [],
    paths: { dynamorm: [src('index.ts')] },
  };
  const names = Object.keys(files).map((name) => `${ROOT}packages/dynamorm/test/__mistake_${name}.ts`);
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  const byPath = new Map(names.map((path, i) => [path, PRELUDE + Object.values(files)[i]!]));
  host.readFile = (path) => byPath.get(path) ?? read(path);
  host.fileExists = (path) => byPath.has(path) || ts.sys.fileExists(path);
  host.getSourceFile = (path, language) => {
    const text = byPath.get(path);
    return text === undefined ? getSourceFile(path, language) : ts.createSourceFile(path, text, language);
  };
  return { program: ts.createProgram({ rootNames: names, options, host }), names };
}

function diagnose(files: Record<string, string>): Record<string, string[]> {
  const { program, names } = compile(files);
  const out: Record<string, string[]> = {};
  Object.keys(files).forEach((name, i) => {
    const file = program.getSourceFile(names[i]!)!;
    out[name] = program.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  });
  return out;
}

const count = (text: string, part: string): number => text.split(part).length - 1;

describe('compiler errors of common mistakes', () => {
  const all = diagnose({ ...mistakes, ...Object.fromEntries(Object.entries(otherMistakes).map(([k, v]) => [k, v.code])), fine: 'orders.where(\'total\', \'>\', 1);' });

  test('a correct query has no error (the fixture itself compiles)', () => {
    expect(all['fine']).toEqual([]);
  });

  test.each(Object.keys(mistakes))('a wrong attribute name (%s) names it and lists the allowed names, once', (name) => {
    const diagnostics = all[name]!;
    expect(diagnostics, diagnostics.join('\n---\n')).toHaveLength(1);
    const text = diagnostics[0]!;
    expect(count(text, '"colour"') + count(text, "'colour'"), text).toBe(1);
    for (const allowedName of allowed[name] ?? NAMES) expect(text, text).toContain(allowedName);
    expect(text).not.toMatch(/Attribute<|Model<|No overload matches/);
  });

  test.each(Object.keys(otherMistakes))('a %s mistake says what is wrong in plain types, once', (name) => {
    const diagnostics = all[name]!;
    expect(diagnostics, diagnostics.join('\n---\n')).toHaveLength(1);
    const text = diagnostics[0]!;
    for (const part of otherMistakes[name]!.says) expect(text, text).toContain(part);
    expect(text).not.toMatch(walled.has(name) ? /No overload matches/ : /Attribute<|Model<|No overload matches/);
  });
}, 120_000);

describe('hovers show plain types', () => {
  const hovers = `
import type { InferItem, InferInput, InferKey } from 'dynamorm';
export type Item = InferItem<typeof Order>;
export type Input = InferInput<typeof Order>;
export type Key = InferKey<typeof Order>;
export const all = orders.where('customerId', '=', 'c').all();
export const got = orders.get({ customerId: 'c', orderId: 'o' });
export const picked = orders.select('total', 'note').first();
`;
  const { program, names } = compile({ hovers });
  const checker = program.getTypeChecker();
  const file = program.getSourceFile(names[0]!)!;
  const shown = (name: string): string => {
    const nodes = file.statements.flatMap((s): ts.Node[] => (ts.isTypeAliasDeclaration(s) ? [s.name] : ts.isVariableStatement(s) ? s.declarationList.declarations.map((d) => d.name) : []));
    const node = nodes.find((n) => n.getText(file) === name)!;
    return checker.typeToString(checker.getTypeAtLocation(node), undefined, ts.TypeFormatFlags.NoTruncation);
  };

  test('the inferred types of a model are object types', () => {
    expect(shown('Item')).toBe('{ customerId: string; orderId: string; total: number; status: "open" | "paid"; placedAt: Date; lines: { sku: string; qty: number; }[]; note?: string; }');
    expect(shown('Input')).toMatch(/^\{ customerId: string; orderId: string; total: number; .*note\?: string; \}$/);
    expect(shown('Key')).toBe('{ customerId: string; orderId: string; }');
  });

  test('what reads resolve with is an object type', () => {
    expect(shown('all')).toMatch(/^Promise<\{ customerId: string; .* \}\[\]>$/);
    expect(shown('got')).toMatch(/^Promise<\{ customerId: string; .* \} \| undefined>$/);
    expect(shown('picked')).toBe('Promise<{ total: number; note?: string; }>');
    for (const name of ['all', 'got', 'picked']) expect(shown(name)).not.toMatch(/ItemOf|InferItem|Simplify|Pick<|Model</);
  });
}, 120_000);
