// The read cache shared through a real redis-server (started here on a free 127.0.0.1 port, no
// persistence, stopped after): two ORMs stand for two processes.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamORM, model, RedisStore, t } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { recordCommands, uniquePrefix } from './support/inspect.js';

const freePort = () => new Promise<number>((resolve, reject) => {
  const server = createServer();
  server.once('error', reject);
  server.listen(0, '127.0.0.1', () => {
    const { port } = server.address() as { port: number };
    server.close(() => resolve(port));
  });
});

let server: ChildProcess;
let url: string;
const stores: RedisStore[] = [];
const prefix = uniquePrefix('redis');
const File = model('File', { table: 'files', attributes: { id: t.string().pk(), name: t.string(), bytes: t.binary(), tags: t.stringSet().optional() } });

beforeAll(async () => {
  const port = await freePort();
  server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  url = `redis://127.0.0.1:${port}`;
  // Until it accepts connections (a bounded wait).
  for (let i = 0; ; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (up) break;
    if (i === 100) throw new Error(`redis-server did not start on port ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
});

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  if (server !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill();
    await exited;
  }
});

/** An ORM as another process would have it: its own client and cache, the one Redis. */
function processOrm(store: RedisStore): DynamORM {
  return new DynamORM({ endpoint: endpoint(), autoMigrate: true, tablePrefix: prefix, cache: { ttlMs: 60_000, store } });
}

describe('RedisStore', () => {
  test('one process reads what another cached; a write of either invalidates for both; binary values round-trip', async () => {
    const a = new RedisStore({ url, prefix: `${prefix}:` });
    const b = new RedisStore({ client: new Redis(url), prefix: `${prefix}:` });
    stores.push(a, b);
    const one = processOrm(a);
    const two = processOrm(b);
    const file = { id: 'f1', name: 'a.bin', bytes: new Uint8Array([0, 1, 2, 255]), tags: new Set(['x']) };
    await one.model(File).put(file);
    expect(await one.model(File).get({ id: 'f1' })).toEqual(file);
    const sent = recordCommands(two.client);
    expect(await two.model(File).get({ id: 'f1' })).toEqual(file);
    expect(sent.filter((c) => c === 'GetItemCommand')).toEqual([]);
    expect(two.cacheStats()).toMatchObject({ hits: 1, misses: 0 });
    await two.model(File).key({ id: 'f1' }).update({ name: 'b.bin' });
    expect((await one.model(File).get({ id: 'f1' }))!.name).toBe('b.bin');
    await one.model(File).delete({ id: 'f1' });
    expect(await two.model(File).get({ id: 'f1' })).toBeUndefined();
  });

  test('a store without client or url is refused', () => {
    expect(() => new RedisStore({})).toThrow('RedisStore: give { client } (an ioredis client) or { url }');
  });

  test('entries expire in Redis after ttlMs', async () => {
    const store = new RedisStore({ url, prefix: `${prefix}:ttl:` });
    stores.push(store);
    await store.set([['k', { id: { S: 'k' } }]], 60_000);
    expect(await store.get(['k', 'missing'])).toEqual([{ id: { S: 'k' } }, undefined]);
    const raw = new Redis(url);
    const left = await raw.pttl(`${prefix}:ttl:k`);
    await raw.quit();
    expect(left).toBeGreaterThan(0);
    expect(left).toBeLessThanOrEqual(60_000);
    await store.set([['k', { id: { S: 'k' } }]], 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(await store.get(['k'])).toEqual([undefined]);
  });
});
