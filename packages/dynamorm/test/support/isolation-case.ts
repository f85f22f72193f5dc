// The body of the two isolation test files (testing-isolation-a/b.test.ts): vitest runs files
// in parallel, so both write the SAME keys of the SAME model at the same time, each through
// isolatedOrm(); with shared tables they would overwrite and see each other's items.
import { afterAll, expect, test } from 'vitest';
import { model, t } from 'dynamorm';
import { isolatedOrm } from 'dynamorm/testing';

export const Note = model('Note', {
  table: 'notes',
  attributes: {
    id: t.string().pk(),
    owner: t.string(),
    round: t.number(),
  },
});

export function isolationCase(owner: string): void {
  const orm = isolatedOrm({ name: `isolation-${owner}` });
  afterAll(() => orm.dropTables());

  test(`file ${owner}: its own table, under a unique prefix`, () => {
    expect(orm.tableName(Note)).toMatch(new RegExp(`^isolation-${owner}-[0-9a-f]{10}-notes$`));
  });

  test(`file ${owner}: writes and reads the same keys as the other file without cross-talk`, async () => {
    const notes = orm.model(Note);
    for (let round = 1; round <= 5; round++) {
      await orm.loadFixture({ Note: Array.from({ length: 40 }, (_, i) => ({ id: `n${i}`, owner, round })) });
      const read = await notes.scan();
      expect(read).toHaveLength(40);
      expect(new Set(read.map((n) => `${n.owner}/${n.round}`))).toEqual(new Set([`${owner}/${round}`]));
      await orm.truncate(Note);
      expect(await notes.scan()).toEqual([]);
    }
  });
}
