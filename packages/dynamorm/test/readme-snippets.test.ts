// Every TypeScript snippet of the README compiles, as a user would compile it: against the built
// package's declarations, strict, with exactOptionalPropertyTypes. Each snippet is a module of
// its own; the names a snippet uses without defining them (orm, User, user, id, ...) are declared
// globally, so a snippet's own imports and declarations shadow them.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = join(root, 'packages/dynamorm/dist');
const models = join(root, 'packages/dynamorm/test/fixtures/readme-models.js');
const dir = mkdtempSync(join(tmpdir(), 'readme-snippets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GLOBALS = `
type D = typeof import('dynamorm');
type M = typeof import(${JSON.stringify(models)});
declare const orm: import('dynamorm').DynamORM;
declare const DynamORM: D['DynamORM'];
declare const model: D['model'];
declare const t: D['t'];
declare const OptimisticLockError: D['OptimisticLockError'];
declare const User: M['User'];
type User = import('dynamorm').InferItem<M['User']>;
declare const Account: M['Account'];
declare const Counter: M['Counter'];
declare const Address: M['Address'];
declare const Customer: M['Customer'];
declare const Order: M['Order'];
declare const Product: M['Product'];
declare const mock: ReturnType<typeof import('dynamorm/testing').createMock>;
declare const ann: import('dynamorm').InferItem<M['Customer']>;
declare const order: import('dynamorm').InferItem<M['Order']>;
declare const user: User;
declare const users: User[];
declare const key: import('dynamorm').InferKey<M['User']>;
declare const keys: import('dynamorm').InferKey<M['User']>[];
declare const id: string;
declare const userId: string;
declare const at: Date;
declare const createdAt: Date;
declare const monthStart: Date;
declare const prevCursor: string | undefined;
declare const e: string;
declare function afterAll(fn: () => unknown): void;
declare function beforeEach(fn: () => unknown): void;
`;

/** The ```ts blocks of a markdown file, with the line each starts on. */
function snippets(markdown: string): { line: number; code: string }[] {
  const found: { line: number; code: string }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```ts') continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end]!.trim() !== '```') end++;
    found.push({ line: start + 1, code: lines.slice(start, end).join('\n') });
    i = end;
  }
  return found;
}

test('every ts snippet of the README compiles with exactOptionalPropertyTypes', () => {
  expect(existsSync(join(dist, 'index.d.ts')), 'build the package first (npm run build)').toBe(true);
  const blocks = snippets(readFileSync(join(root, 'README.md'), 'utf8'));
  expect(blocks.length).toBeGreaterThan(5);
  const files = blocks.map((b, i) => {
    const file = `snippet-${i}.mts`;
    writeFileSync(join(dir, file), `${b.code}\nexport {};\n`);
    return file;
  });
  writeFileSync(join(dir, 'globals.d.ts'), GLOBALS);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    extends: join(root, 'tsconfig.base.json'),
    compilerOptions: {
      noEmit: true,
      exactOptionalPropertyTypes: true,
      typeRoots: [join(root, 'node_modules/@types')],
      paths: {
        dynamorm: [join(dist, 'index.d.ts')],
        'dynamorm/local': [join(dist, 'local/index.d.ts')],
        'dynamorm/testing': [join(dist, 'testing/index.d.ts')],
        'dynamorm-graphql': [join(root, 'packages/graphql/dist/index.d.ts')],
      },
    },
    files: ['globals.d.ts', ...files],
  }));
  let output = '';
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    output = String((error as { stdout?: string }).stdout ?? error);
  }
  // snippet-3.mts(4,7): error ... -> README.md:<line>: error ...
  const errors = output.split('\n').filter((l) => /error TS/.test(l)).map((l) => l.replace(/^.*snippet-(\d+)\.mts\((\d+),(\d+)\)/, (_, n: string, line: string) => `README.md:${blocks[Number(n)]!.line + Number(line) - 1}`));
  expect(errors).toEqual([]);
});
