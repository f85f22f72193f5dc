// A model with what the studio shows and checks: a sort key (newest first), a GSI, an enum, a
// validated attribute, a set and a version (optimistic locking); and 25 seeded items.
import { DynamORM, model, t, type InferInput } from 'dynamorm';
import { clientConfig, uniqueTable } from '../../../dynamorm/test/support/dynamo.js';

export function noteModel() {
  return model('Note', {
    table: uniqueTable('studio_notes'),
    attributes: {
      board: t.string().pk(),
      createdAt: t.date().sk(),
      title: t.string().validate((v) => v.trim().length > 0 || 'a note needs a title'),
      status: t.enum(['open', 'done']).index('gsi-status', 'pk'),
      priority: t.number().index('gsi-status', 'sk'),
      tags: t.stringSet().optional(),
      version: t.number().version(),
    },
  });
}
export type NoteModel = ReturnType<typeof noteModel>;

export const BASE_TIME = Date.parse('2024-05-01T12:00:00.000Z');

/** `n` notes on board b1, one a minute from BASE_TIME: note 0 is the oldest. */
export function notes(n: number): InferInput<NoteModel>[] {
  return Array.from({ length: n }, (_, i) => ({
    board: 'b1', createdAt: new Date(BASE_TIME + i * 60_000), title: `Note ${i}`, status: i % 3 === 0 ? 'done' as const : 'open' as const, priority: i,
  }));
}

/** An ORM on the run's DynamoDB Local with metrics, the table created and seeded. */
export async function seededOrm(Note: NoteModel, count = 25): Promise<DynamORM> {
  const orm = new DynamORM({ ...clientConfig(), models: [Note], enableMetrics: true, analytics: true, autoMigrate: true, logger: { warn: () => {} } });
  await orm.createTables(Note);
  await orm.model(Note).batchPut(notes(count));
  return orm;
}
