// orm.analytics() on DynamoDB Local: requests grouped by access pattern (model, operation, index,
// the shape of the conditions in the model's names), values never in the text, cost shares
// summing to 1, advice that works when applied, bounded memory, and nothing recorded when off.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, test } from 'vitest';
import { analyticsExample } from '../../../examples/analytics.js';
import { DynamORM, model, t, type PatternReport } from 'dynamorm';
import { rawClient } from './support/dynamo.js';
import { uniquePrefix } from './support/inspect.js';

const attributes = {
  id: t.string().pk(),
  title: t.string(),
  author: t.string().index('gsi-author', 'pk'),
  year: t.number().index('gsi-author', 'sk'),
  status: t.string().field('st'),
  genre: t.string(),
  body: t.string(),
};
const Book = model('Book', { table: 'books', attributes });
const client = rawClient();
const SECRET = 'SECRET-7f3a';
const orm = new DynamORM({ client, autoMigrate: true, analytics: true, warnings: { scanIndexCouldServe: false }, tablePrefix: uniquePrefix('analytics') });

const find = (pattern: string): PatternReport | undefined => orm.analytics().report().patterns.find((p) => p.pattern === pattern);

beforeAll(async () => {
  await orm.model(Book).batchPut(Array.from({ length: 60 }, (_, n) => ({
    id: `b${n}`, title: `T${n}`, author: n % 3 === 0 ? 'ann' : 'bob', year: 1990 + n, status: n % 20 === 0 ? 'out' : 'in', genre: n % 2 === 0 ? 'sf' : 'crime',
    // Large items: a read of one costs more than one RCU.
    body: 'x'.repeat(n < 30 ? 10 : 12_000),
  })));
  orm.analytics().reset();
});

describe('orm.analytics()', () => {
  test('requests of one shape group together whatever their values, in the model\'s names', async () => {
    for (const author of ['ann', 'bob', SECRET]) await orm.model(Book).where('author', '=', author).where('year', '>', 2000).all();
    await orm.model(Book).where('author', '=', 'ann').all();
    await orm.model(Book).where('status', '=', SECRET).filter('genre', '=', 'sf').all();
    await orm.model(Book).create({ id: SECRET, title: SECRET, author: SECRET, year: 1, status: SECRET, genre: SECRET, body: '' });
    await orm.model(Book).key({ id: SECRET }).update({ title: 'x' });
    const byAuthorYear = find('Book Query gsi-author author = ? year > ?');
    expect(byAuthorYear).toMatchObject({ model: 'Book', operation: 'Query', index: 'gsi-author', shape: 'author = ? year > ?', requests: 3, errors: 0 });
    expect(find('Book Query gsi-author author = ?')?.requests).toBe(1);
    // `status` is stored as `st`: the pattern names it as the model does.
    expect(find('Book Scan table status = ? filter genre = ?')?.requests).toBeGreaterThanOrEqual(1);
    expect(find('Book PutItem table if attribute_not_exists(id)')?.requests).toBe(1);
    expect(orm.analytics().report().patterns.some((p) => p.operation === 'UpdateItem')).toBe(true);
    // The planner's reasons come with a query's pattern.
    expect(byAuthorYear!.plan.join(' ')).toContain('index gsi-author');
    const { p50, p95, p99 } = byAuthorYear!.latencyMs;
    expect(0 < p50 && p50 <= p95 && p95 <= p99).toBe(true);
    expect(byAuthorYear!.rcu).toBeGreaterThan(0);
    expect(byAuthorYear!.itemsRead).toBeGreaterThan(0);
  });

  test('gets, alone or coalesced into one BatchGetItem, have the shape of their key, as a where() on the key does', async () => {
    await orm.model(Book).get({ id: 'b1' });
    await Promise.all([orm.model(Book).get({ id: 'b2' }), orm.model(Book).get({ id: SECRET })]);
    await orm.model(Book).where('id', '=', 'b3').first();
    expect(find('Book GetItem table id = ?')?.requests).toBe(2);
    expect(find('Book BatchGetItem table id = ?')).toMatchObject({ shape: 'id = ?', requests: 1, itemsReturned: 2 });
    expect(orm.analytics().report().patterns.filter((p) => p.operation === 'GetItem' || p.operation === 'BatchGetItem').map((p) => p.shape)).toEqual(['id = ?', 'id = ?']);
  });

  test('values never leak into the report or its Markdown', () => {
    const report = orm.analytics().report();
    expect(JSON.stringify(report)).not.toContain(SECRET);
    expect(orm.analytics().toMarkdown()).not.toContain(SECRET);
    for (const p of report.patterns) expect(p.pattern).not.toMatch(/ann|bob|2000|sf\b/);
  });

  test('cost shares sum to 1, the most costly pattern first', () => {
    const { patterns, totals } = orm.analytics().report();
    expect(patterns.length).toBeGreaterThan(3);
    expect(patterns.reduce((n, p) => n + p.costShare, 0)).toBeCloseTo(1, 10);
    expect(totals.cost).toBeCloseTo(patterns.reduce((n, p) => n + p.cost, 0), 10);
    for (let i = 1; i < patterns.length; i++) expect(patterns[i - 1]!.cost).toBeGreaterThanOrEqual(patterns[i]!.cost);
    const write = patterns.find((p) => p.operation === 'PutItem')!;
    expect(write.cost).toBe(write.rcu + 5 * write.wcu);
  });

  test('a scan is told the index that turns it into a query, and applying it does', async () => {
    const scan = find('Book Scan table status = ? filter genre = ?')!;
    const advice = scan.advice.find((a) => a.kind === 'index');
    expect(advice).toMatchObject({ kind: 'index', index: { name: 'gsi-status', pk: 'status', sk: undefined } });
    expect(advice!.kind === 'index' && advice!.definition).toBe(".index('gsi-status', 'pk') on status");
    // Apply it: the same attributes with the index added.
    const Advised = model('Book', { table: 'books_advised', attributes: { ...attributes, status: attributes.status.index('gsi-status', 'pk') } });
    const advised = new DynamORM({ client, autoMigrate: true, analytics: true, tablePrefix: uniquePrefix('analytics-advised') });
    const query = advised.model(Advised).where('status', '=', 'in').filter('genre', '=', 'sf');
    expect(query.explain()).toMatchObject({ operation: 'Query', index: 'gsi-status' });
    await query.all();
    expect(advised.analytics().report().patterns.map((p) => p.pattern)).toEqual(['Book Query gsi-status status = ? filter genre = ?']);
  });

  test('a filter discarding most of what it read, and large items read for few attributes, are advised', async () => {
    await orm.model(Book).where('author', '=', 'bob').filter('genre', '=', 'none').all();
    const filtered = find('Book Query gsi-author author = ? filter genre = ?')!;
    expect(filtered.itemsRead).toBeGreaterThanOrEqual(40);
    expect(filtered.itemsReturned).toBe(0);
    expect(filtered.advice).toEqual([]); // under 50 items read: not judged yet
    await orm.model(Book).where('author', '=', 'bob').filter('genre', '=', 'none').all();
    const advice = find('Book Query gsi-author author = ? filter genre = ?')!.advice.find((a) => a.kind === 'filter');
    expect(advice).toMatchObject({ kind: 'filter', discarded: 1, index: { name: 'gsi-author-genre', pk: 'author', sk: 'genre' }, definition: ".index('gsi-author-genre', 'pk') on author and .index('gsi-author-genre', 'sk') on genre" });
    expect(advice!.message).toContain('discarded 100% of the 80 items read');
    expect(advice!.message).toContain('give the condition on genre as where(...)');
    // Applied, the filtered condition becomes the key condition of the new index.
    const Advised = model('Book', { table: 'books', attributes: { ...attributes, author: attributes.author.index('gsi-author-genre', 'pk'), genre: t.string().index('gsi-author-genre', 'sk') } });
    expect(new DynamORM({ client }).model(Advised).where('author', '=', 'bob').where('genre', '=', 'none').explain()).toMatchObject({ operation: 'Query', index: 'gsi-author-genre' });

    await orm.model(Book).where('author', '=', 'bob').where('year', '>=', 2020).select('title').all();
    const slim = find('Book Query gsi-author author = ? year >= ?')!;
    expect(slim.rcu / slim.itemsRead).toBeGreaterThanOrEqual(1);
    expect(slim.advice.find((a) => a.kind === 'projection')).toMatchObject({ kind: 'projection', index: 'gsi-author', attributes: ['title', 'author', 'year'], definition: "indexes: { 'gsi-author': { projection: ['title', 'author', 'year'] } }" });
  });

  test('the Markdown report is a table of the patterns with the advice below', () => {
    const md = orm.analytics().toMarkdown();
    expect(md).toContain('| # | pattern | requests | p50 / p95 / p99 ms | RCU | WCU | items read / returned | cost share |');
    expect(md).toContain('`Book Query gsi-author author = ? year > ?`');
    expect(md).toContain('## Advice');
    expect(md).toContain(".index('gsi-status', 'pk') on status");
    expect(md).toContain('   - planner: index gsi-author: author = … is its partition key');
  });

  test('at most maxPatterns patterns are kept, the cheapest forgotten', async () => {
    const small = new DynamORM({ client, autoMigrate: true, analytics: { maxPatterns: 2 }, tablePrefix: uniquePrefix('analytics-small') });
    await small.model(Book).where('author', '=', 'ann').all();
    await small.model(Book).scan(); // reads the whole (empty) table
    for (const year of [1, 2, 3]) await small.model(Book).where('author', '=', 'ann').where('year', year === 1 ? '>' : year === 2 ? '<' : '=', year).all();
    const report = small.analytics().report();
    expect(report.patterns).toHaveLength(2);
    expect(report.evicted).toBe(3);
    expect(() => new DynamORM({ client, analytics: { maxPatterns: 0 } })).toThrow('analytics.maxPatterns must be a positive integer, received 0');
  });

  test('off: nothing is recorded, and reads describe no pattern', async () => {
    const off = new DynamORM({ client, autoMigrate: true, enableMetrics: true, tablePrefix: uniquePrefix('analytics-off') });
    await off.model(Book).where('author', '=', 'ann').all();
    expect(off.analytics().report()).toEqual({ patterns: [], totals: { requests: 0, rcu: 0, wcu: 0, cost: 0 }, evicted: 0 });
    expect(off.analytics().toMarkdown()).toContain('Analytics are off');
    expect(off.model(Book).where('author', '=', 'ann').readParts().options.access).toBeUndefined();
    expect(orm.model(Book).where('author', '=', 'ann').readParts().options.access?.shape).toBe('author = ?');
  });

  test("the README's example prints what the README shows (latencies aside)", async () => {
    const printed = await analyticsExample(inject('dynamoEndpoint'), uniquePrefix('analytics-example'));
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const shown = /examples\/analytics\.ts` runs[\s\S]*?```md\n([\s\S]*?)```/.exec(readme)![1]!;
    const latencyAside = (md: string): string => md.replace(/\| [\d.]+ \/ [\d.]+ \/ [\d.]+ \|/g, '| … |');
    expect(latencyAside(shown)).toBe(latencyAside(printed));
  });
});
