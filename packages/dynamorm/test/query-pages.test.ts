// Pages over a partition large enough that DynamoDB cuts its pages at 1 MB, cursors, iterate(),
// count() and a parallel scan, against DynamoDB Local.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, ValidationError, model, t } from 'dynamorm';
import { endpoint, uniqueTable } from './support/dynamo.js';
import { rejection } from './support/inspect.js';

const Log = model('Log', {
  table: 'logs',
  attributes: {
    stream: t.string().pk(),
    seq: t.number().sk(),
    keep: t.boolean(),
    payload: t.string(),
  },
});
const Row = model('Row', { table: 'rows', attributes: { id: t.string().pk(), n: t.number() } });

const orm = new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: `${uniqueTable('pages')}_` });
const ITEMS = 300;
const payload = 'x'.repeat(10_000); // ~10 KB an item: ~100 items per 1 MB page
const kept = (seq: number): boolean => seq % 3 !== 0;

/** Runs `work` over `items` with at most `width` at a time. */
async function pool<T>(items: readonly T[], width: number, work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

beforeAll(async () => {
  const seqs = Array.from({ length: ITEMS }, (_, i) => i);
  await pool(seqs, 16, (seq) => orm.model(Log).create({ stream: 's1', seq, keep: kept(seq), payload }));
  await pool(Array.from({ length: 1000 }, (_, i) => i), 32, (i) => orm.model(Row).create({ id: `r${i}`, n: i }));
}, 120_000);

const seqsOf = (items: readonly { seq: number }[]): number[] => items.map((i) => i.seq);
const range = (n: number, pick: (i: number) => boolean = () => true): number[] => Array.from({ length: n }, (_, i) => i).filter(pick);

describe('pages', () => {
  it('DynamoDB cuts a page at 1 MB: a page without limit ends early, with a cursor that resumes after it', async () => {
    const q = orm.model(Log).where('stream', '=', 's1');
    const first = await q.page();
    expect(first.items.length).toBeGreaterThan(50);
    expect(first.items.length).toBeLessThan(ITEMS);
    expect(first.cursor).toBeDefined();
    const all: number[] = seqsOf(first.items);
    let cursor = first.cursor;
    while (cursor !== undefined) {
      const page = await q.page(cursor);
      all.push(...seqsOf(page.items));
      cursor = page.cursor;
    }
    expect(all).toEqual(range(ITEMS));
  });

  it('with a filter and a limit, every page has exactly `limit` items and none is skipped or repeated', async () => {
    const q = orm.model(Log).where('stream', '=', 's1').where('keep', '=', true).limit(47);
    expect(q.explain().request).toMatchObject({ Limit: 47 });
    const seen: number[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await q.page(cursor);
      sizes.push(page.items.length);
      seen.push(...seqsOf(page.items));
      cursor = page.cursor;
    } while (cursor !== undefined);
    const want = range(ITEMS, kept);
    expect(seen).toEqual(want);
    expect(sizes.slice(0, -1).every((s) => s === 47)).toBe(true);
    expect(sizes.at(-1)).toBe(want.length - 47 * (sizes.length - 1));
  });

  it('without a filter the limit is sent to DynamoDB and pages are exact too, descending as well', async () => {
    const q = orm.model(Log).where('stream', '=', 's1').where('seq', '>=', 10).orderBy('seq', 'desc').limit(40);
    expect(q.explain().request).toMatchObject({ Limit: 40, ScanIndexForward: false });
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await q.page(cursor);
      expect(page.items.length === 40 || page.cursor === undefined).toBe(true);
      seen.push(...seqsOf(page.items));
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(range(ITEMS).filter((s) => s >= 10).reverse());
  });

  it('limit(n) on all() returns exactly n even when the filter drops items across 1 MB pages', async () => {
    const q = orm.model(Log).where('stream', '=', 's1').filter('seq > :s AND keep = :k', { s: 150, k: true }).limit(120);
    const got = await q.all();
    const matching = range(ITEMS, (s) => s > 150 && kept(s)).length;
    expect(matching).toBe(100);
    expect(seqsOf(got)).toEqual(range(ITEMS, (s) => s > 150 && kept(s)));
    expect(seqsOf(await q.limit(60).all())).toEqual(range(ITEMS, (s) => s > 150 && kept(s)).slice(0, 60));
  });

  it('iterate() reads every page; count() counts across pages', async () => {
    const seen: number[] = [];
    for await (const item of orm.model(Log).where('stream', '=', 's1').where('keep', '=', false).iterate()) seen.push(item.seq);
    expect(seen).toEqual(range(ITEMS, (s) => !kept(s)));
    expect(await orm.model(Log).where('stream', '=', 's1').count()).toBe(ITEMS);
    expect(await orm.model(Log).where('stream', '=', 's1').where('keep', '=', true).count()).toBe(range(ITEMS, kept).length);
    // Extra sort key conditions are checked per item, and counted so.
    expect(await orm.model(Log).where('stream', '=', 's1').where('seq', '>', 10).where('seq', '<=', 250).count()).toBe(240);
  });

  it("cursorAfter(k) resumes right after the page's item k, with a filter and a select too; the last one is the page's cursor", async () => {
    const q = orm.model(Log).where('stream', '=', 's1').where('keep', '=', true).select('seq').limit(7);
    const page = await q.page();
    const expected = range(ITEMS, kept);
    expect(seqsOf(page.items)).toEqual(expected.slice(0, 7));
    expect(page.cursorAfter(6)).toBe(page.cursor);
    for (const k of [0, 3, 5]) expect(seqsOf((await q.page(page.cursorAfter(k))).items)).toEqual(expected.slice(k + 1, k + 8));
    // Spread and compared as { items, cursor }.
    expect(Object.keys(page)).toEqual(['items', 'cursor']);
    for (const bad of [7, -1, 1.5]) {
      expect(() => page.cursorAfter(bad)).toThrow(`page Log: cursorAfter(${bad}): the page holds 7 item(s); give an index from 0 to 6`);
    }
  });

  it('a tampered cursor, a cursor of another query and garbage are ValidationErrors', async () => {
    const q = orm.model(Log).where('stream', '=', 's1').limit(5);
    const { cursor } = await q.page();
    expect(cursor).toBeDefined();
    const text = Buffer.from(cursor!, 'base64url').toString('utf8');
    const tampered = Buffer.from(text.replace('"N":"4"', '"N":"200"')).toString('base64url');
    expect(tampered).not.toBe(cursor);
    for (const bad of [tampered, 'not-a-cursor', '', cursor!.slice(0, -3)]) {
      const error = await rejection(q.page(bad));
      expect(error, bad).toBeInstanceOf(ValidationError);
    }
    const foreign = await rejection(orm.model(Log).where('stream', '=', 's1').where('keep', '=', true).limit(5).page(cursor));
    expect(foreign).toBeInstanceOf(ValidationError);
    expect((foreign as Error).message).toContain('belongs to another query');
    expect(await rejection(orm.model(Row).where('id', '=', 'r1').limit(1).page(cursor))).toBeInstanceOf(ValidationError);
  });
});

describe('parallel scan', () => {
  it('1,000 items with 4 segments: each returned exactly once', async () => {
    const rows = await orm.model(Row).scan({ segments: 4 });
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1000);
    expect(rows.map((r) => r.n).sort((a, b) => a - b)).toEqual(range(1000));
  });

  it('reads at most `concurrency` segments at a time', async () => {
    let inFlight = 0;
    let most = 0;
    let scans = 0;
    orm.client!.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'ScanCommand') return next(args);
        scans++;
        most = Math.max(most, ++inFlight);
        try {
          return await next(args);
        } finally {
          inFlight--;
        }
      },
      { step: 'initialize', name: 'countScans' },
    );
    try {
      const rows = await orm.model(Row).filter('n', '<', 500).scan({ segments: 8, concurrency: 2 });
      expect(rows.map((r) => r.n).sort((a, b) => a - b)).toEqual(range(500));
      expect(scans).toBeGreaterThanOrEqual(8);
      expect(most).toBe(2);
    } finally {
      orm.client!.middlewareStack.remove('countScans');
    }
    await expect(orm.model(Row).scan({ segments: 0 })).rejects.toThrow(ValidationError);
    await expect(orm.model(Row).scan({ segments: 4, concurrency: 1.5 })).rejects.toThrow(/concurrency must be an integer/);
  });

  it('iterate({ segments }) hands out each item once, item by item, and stops its readers when the consumer does', async () => {
    const seen: number[] = [];
    for await (const row of orm.model(Row).iterate({ segments: 4 })) seen.push(row.n);
    expect(seen.sort((a, b) => a - b)).toEqual(range(1000));
    const sent: string[] = [];
    orm.client!.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand') sent.push(context.commandName);
        return next(args);
      },
      { step: 'initialize', name: 'recordScans' },
    );
    try {
      let taken = 0;
      for await (const _ of orm.model(Row).iterate({ segments: 8, concurrency: 2 })) if (++taken === 3) break;
      // Two readers, each with its first page and at most one read ahead: nowhere near all 8 segments' pages.
      expect(sent.length).toBeLessThanOrEqual(4);
      expect(await orm.model(Row).limit(7).iterate({ segments: 4 }).next()).toMatchObject({ done: false });
    } finally {
      orm.client!.middlewareStack.remove('recordScans');
    }
    await expect(orm.model(Row).iterate({ segments: 0 }).next()).rejects.toThrow(/segments must be an integer/);
  });

  it('a segment read that fails rejects the iteration, and is never left unhandled', async () => {
    let scans = 0;
    orm.client!.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'ScanCommand' && ++scans === 3) throw Object.assign(new Error('segment read failed'), { name: 'InternalFailure' });
        return next(args);
      },
      { step: 'initialize', name: 'failThirdScan' },
    );
    try {
      const drain = async (): Promise<number> => {
        let n = 0;
        for await (const _ of orm.model(Row).iterate({ segments: 8, concurrency: 2 })) n++;
        return n;
      };
      await expect(drain()).rejects.toThrow(/segment read failed/);
    } finally {
      orm.client!.middlewareStack.remove('failThirdScan');
    }
  });
});
