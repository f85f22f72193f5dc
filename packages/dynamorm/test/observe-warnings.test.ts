// Best-practice warnings on DynamoDB Local: each code triggered, delivered to the logger and the
// 'warning' event, rate-limited per subject, and silenced per code or all at once.
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { DynamORM, model, t, ValidationError, type DynamORMConfig, type RequestEvent, type WarningEvent } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, uniquePrefix } from './support/inspect.js';

const Post = model('Post', {
  table: 'posts',
  attributes: {
    author: t.string().pk(), id: t.number().sk(),
    topic: t.string().index('gsi-topic', 'pk'), stars: t.number(), body: t.string().optional(),
  },
});
const prefix = uniquePrefix('warnings');

/** An ORM whose warnings are collected: the logger's messages and the events. */
function observed(config: Partial<DynamORMConfig> = {}): { orm: DynamORM; logged: string[]; events: WarningEvent[] } {
  const logged: string[] = [];
  const events: WarningEvent[] = [];
  const orm = new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, logger: { warn: (m) => void logged.push(m) }, ...config });
  orm.on('warning', (e) => void events.push(e));
  return { orm, logged, events };
}

beforeAll(async () => {
  const { orm } = observed();
  await orm.createTables(Post);
  await orm.model(Post).batchPut(Array.from({ length: 150 }, (_, i) => ({ author: 'ann', id: i, topic: i % 2 === 0 ? 'db' : 'web', stars: i === 140 ? 100 : 1 })));
});
afterEach(() => void vi.unstubAllEnvs());

describe('scan.indexCouldServe', () => {
  test('a query the planner must scan warns once per subject a minute, to the logger and the event', async () => {
    const { orm, logged, events } = observed();
    await orm.model(Post).where('stars', '=', 100).all();
    await orm.model(Post).where('stars', '=', 100).all();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ code: 'scan.indexCouldServe', model: 'Post' });
    expect(events[0]!.message).toMatch(/Post query reads the whole table \(Scan filtering on stars\)/);
    expect(logged).toEqual([events[0]!.message]);
    // Another subject is reported on its own; intervalMs 0 reports every time.
    await orm.model(Post).where('body', '=', 'x').all();
    expect(events).toHaveLength(2);
    const { orm: every, events: all } = observed({ warnings: { intervalMs: 0 } });
    await every.model(Post).where('stars', '=', 100).all();
    await every.model(Post).where('stars', '=', 100).all();
    expect(all).toHaveLength(2);
  });

  test('silenced by its switch, or with every warning by warnings: false', async () => {
    for (const warnings of [{ scanIndexCouldServe: false }, false] as const) {
      const { orm, logged, events } = observed({ warnings });
      await orm.model(Post).where('stars', '=', 100).all();
      expect([logged, events]).toEqual([[], []]);
    }
  });
});

describe('partition.hot', () => {
  test('one partition taking most of a model\'s requests in the window', async () => {
    const { orm, events } = observed({ warnings: { hotPartition: { minRequests: 20, share: 0.6 } } });
    for (let i = 0; i < 5; i++) await orm.model(Post).where('author', '=', `other${i}`).all();
    for (let i = 0; i < 20; i++) await orm.model(Post).key({ author: 'ann', id: i }).update({ stars: 2 });
    expect(events.filter((e) => e.code === 'partition.hot')).toEqual([
      expect.objectContaining({ model: 'Post', details: expect.objectContaining({ partition: 'table:ann', index: undefined }) }),
    ]);
    const hot = events.find((e) => e.code === 'partition.hot')!;
    expect(hot.details.share).toBeGreaterThanOrEqual(0.6);
    expect(hot.message).toMatch(/Post partition table:ann took \d+% of the model's last \d+ requests/);
  });

  test('the partition of an index is its own; off by default', async () => {
    const { orm, events } = observed({ warnings: { hotPartition: { minRequests: 10 } } });
    for (let i = 0; i < 10; i++) await orm.model(Post).where('topic', '=', 'db').limit(1).all();
    expect(events.find((e) => e.code === 'partition.hot')?.details).toMatchObject({ partition: 'gsi-topic:db', index: 'gsi-topic' });
    const quiet = observed();
    await Promise.all(Array.from({ length: 120 }, () => quiet.orm.model(Post).where('author', '=', 'ann').limit(1).all()));
    expect(quiet.events).toEqual([]);
  });
});

describe('item.nearSizeLimit', () => {
  test('an item written past 80% of 400 KB (and read back), when turned on', async () => {
    const { orm, events } = observed({ warnings: { itemNearSizeLimit: true, intervalMs: 0 } });
    await orm.model(Post).put({ author: 'big', id: 1, topic: 'x', stars: 0, body: 'x'.repeat(350_000) });
    await orm.model(Post).get({ author: 'big', id: 1 });
    await orm.model(Post).put({ author: 'big', id: 2, topic: 'x', stars: 0, body: 'small' });
    expect(events.map((e) => [e.code, e.details.bytes])).toEqual([['item.nearSizeLimit', expect.any(Number)], ['item.nearSizeLimit', expect.any(Number)]]);
    expect(events[0]!.details.bytes).toBeGreaterThan(350_000);
    expect(events[0]!.message).toMatch(/^DynamORM: Post item big\/1 is 342 KB, 85% of DynamoDB's 400 KB limit/);
    const quiet = observed();
    await quiet.orm.model(Post).put({ author: 'big', id: 1, topic: 'x', stars: 0, body: 'x'.repeat(350_000) });
    expect(quiet.events).toEqual([]);
  });
});

describe('filter.discardsMost', () => {
  test('a filter that drops most of what was read, when turned on', async () => {
    const { orm, events } = observed({ warnings: { filterDiscardsMost: true } });
    const found = await orm.model(Post).where('author', '=', 'ann').filter('stars = :s', { s: 100 }).all();
    expect(found.map((p) => p.id)).toEqual([140]);
    expect(events).toEqual([expect.objectContaining({ code: 'filter.discardsMost', model: 'Post', details: expect.objectContaining({ read: 150, returned: 1 }) })]);
    // A filter that keeps most is fine.
    await orm.model(Post).where('author', '=', 'ann').filter('stars < :s', { s: 100 }).all();
    expect(events).toHaveLength(1);
  });
});

describe('read.consistentOnGsi', () => {
  test('a strongly consistent read of a GSI is refused before sending', async () => {
    const { orm } = observed();
    const sent: RequestEvent[] = [];
    orm.on('request', (e) => void sent.push(e));
    const error = await rejection(orm.model(Post).index('gsi-topic').where('topic', '=', 'db').consistentRead().all());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/index gsi-topic is global and cannot be read consistently/);
    expect(sent).toEqual([]);
  });
});

describe('get.manySingleGets', () => {
  test('many gets of one tick sent one by one with batchGets: false; silenced by its switch', async () => {
    const { orm, events } = observed({ batchGets: false });
    await Promise.all(Array.from({ length: 12 }, (_, i) => orm.model(Post).get({ author: 'ann', id: i })));
    await Promise.all(Array.from({ length: 5 }, (_, i) => orm.model(Post).get({ author: 'ann', id: i })));
    expect(events).toEqual([expect.objectContaining({ code: 'get.manySingleGets', model: 'Post', details: { perTick: 10 } })]);
    const quiet = observed({ batchGets: false, warnings: { manySingleGets: false } });
    await Promise.all(Array.from({ length: 12 }, (_, i) => quiet.orm.model(Post).get({ author: 'ann', id: i })));
    expect(quiet.events).toEqual([]);
  });
});

describe('scan.unboundedInHandler', () => {
  test('a scan with no limit asking for a second page inside AWS Lambda', async () => {
    const Blob = model('Blob', { table: 'blobs', attributes: { id: t.number().pk(), data: t.string() } });
    const { orm, events } = observed({ autoMigrate: true });
    await orm.model(Blob).batchPut(Array.from({ length: 4 }, (_, id) => ({ id, data: 'x'.repeat(350_000) })));
    await orm.model(Blob).scan();
    expect(events).toEqual([]);
    vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'api-handler');
    expect(await orm.model(Blob).scan()).toHaveLength(4);
    await orm.model(Blob).limit(1).scan();
    expect(events).toEqual([expect.objectContaining({ code: 'scan.unboundedInHandler', model: 'Blob', details: { handler: 'api-handler' } })]);
    const quiet = observed({ warnings: { unboundedScan: false } });
    await quiet.orm.model(Blob).scan();
    expect(quiet.events).toEqual([]);
  });
});
