// Production code never reaches up into the test helpers: no module of src/ outside src/testing/
// imports from it (orm.loadFixture, truncate and dropTables live with the batches and tables).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));

test('no module outside src/testing imports src/testing', () => {
  const offenders = files(src)
    .filter((f) => !relative(src, f).startsWith('testing'))
    .filter((f) => /from '(\.\.?\/)+(\.\.\/)*testing\//.test(readFileSync(f, 'utf8')))
    .map((f) => relative(src, f));
  expect(offenders).toEqual([]);
});
