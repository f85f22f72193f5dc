// Several regions of a global table, stood in for by two DynamoDB Local instances (which do not
// replicate: each holds its own copy, so the copy read tells which region served): reads go to the
// nearest healthy region and fail over, writes stay on the primary unless told to fail over, and a
// region that failed is skipped, then probed back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, DynamORMError, model, t, type Driver } from 'dynamorm';
import { startLocalDynamo, type LocalDynamo } from 'dynamorm/local';
import { CircuitBreaker } from '../src/region/circuit-breaker.js';
import { isRegionFailure } from '../src/region/region-driver.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clientConfig, endpoint } from './support/dynamo.js';
import { startProxy } from './support/proxy.js';
import { rejection, thrown, uniquePrefix } from './support/inspect.js';

const Profile = model('Profile', { table: 'profiles', attributes: { id: t.string().pk(), name: t.string() } });
const prefix = uniquePrefix('regions');
let b: LocalDynamo;

/** An ORM on one instance only, to set up and inspect its copy. */
const single = (at: string): DynamORM => new DynamORM({ endpoint: at, tablePrefix: prefix, models: [Profile] });

async function seed(at: string, name: string): Promise<void> {
  const orm = single(at);
  await orm.createTables();
  await orm.model(Profile).put({ id: 'p1', name });
}

/**
 * Region `b` (the second instance) is the primary, `a` (the run's instance) the replica, each with
 * a client of its own (DynamoDB Local keeps tables per signing region: both sign as 'local').
 */
const clientOf = (at: string): DynamoDBClient => new DynamoDBClient({ ...clientConfig(), endpoint: at, maxAttempts: 1 });
const regional = (options: { nearest?: string; failoverWrites?: boolean; probeAfterMs?: number } = {}): DynamORM => new DynamORM({
  tablePrefix: prefix,
  models: [Profile],
  regions: { primary: { region: 'b', client: clientOf(b.endpoint) }, replicas: [{ region: 'a', client: clientOf(endpoint()) }], probeAfterMs: 60_000, ...options },
});

const health = (orm: DynamORM, region: string) => orm.regions().find((r) => r.region === region)!;

beforeAll(async () => {
  b = await startLocalDynamo({ timeoutMs: 120_000 });
  await Promise.all([seed(endpoint(), 'copy in a'), seed(b.endpoint, 'copy in b')]);
});
afterAll(async () => {
  await b.stop();
});

describe('regions', () => {
  it('reads from the nearest region, writes and strongly consistent reads to the primary', async () => {
    const orm = regional({ nearest: 'a' });
    expect((await orm.model(Profile).where('id', '=', 'p1').first()).name).toBe('copy in a');
    expect((await orm.model(Profile).where('id', '=', 'p1').consistentRead().first()).name).toBe('copy in b');
    await orm.model(Profile).create({ id: 'p2', name: 'new' });
    expect(await single(b.endpoint).model(Profile).get({ id: 'p2' })).toEqual({ id: 'p2', name: 'new' });
    expect(await single(endpoint()).model(Profile).get({ id: 'p2' })).toBeUndefined();
    expect(orm.regions().map((r) => [r.region, r.role, r.state, r.requests])).toEqual([['b', 'primary', 'healthy', 2], ['a', 'replica', 'healthy', 1]]);
  });

  it('without a nearest region, reads go to the primary first', async () => {
    const orm = regional();
    expect((await orm.model(Profile).where('id', '=', 'p1').first()).name).toBe('copy in b');
  });

  it('a DynamoDB refusal is no region failure: it is thrown, and nothing fails over', async () => {
    const orm = regional({ failoverWrites: true });
    const error = await rejection(orm.model(Profile).create({ id: 'p1', name: 'again' }));
    expect((error as DynamORMError).code).toBe('condition.failed');
    expect(orm.regions().map((r) => [r.region, r.requests, r.failures])).toEqual([['b', 1, 0], ['a', 0, 0]]);
  });

  describe('when the primary stops', () => {
    let stopped: DynamORM;
    let failover: DynamORM;

    beforeAll(async () => {
      stopped = regional();
      failover = regional({ failoverWrites: true });
      // Each ORM has read from b while it ran.
      for (const orm of [stopped, failover]) await orm.model(Profile).where('id', '=', 'p1').first();
      await b.stop();
    });

    it('eventually consistent reads go on from the replica, and the primary is skipped until it is probed', async () => {
      expect((await stopped.model(Profile).where('id', '=', 'p1').first()).name).toBe('copy in a');
      expect(health(stopped, 'b')).toMatchObject({ state: 'down', requests: 2, failures: 1, consecutiveFailures: 1 });
      expect(health(stopped, 'b').downSince).toBeInstanceOf(Date);
      expect(health(stopped, 'b').lastError).toEqual(expect.any(String));
      expect(health(stopped, 'a')).toMatchObject({ state: 'healthy', requests: 1, failovers: 1 });
      expect((await stopped.model(Profile).where('id', '=', 'p1').first()).name).toBe('copy in a');
      // b was not asked again: it is down.
      expect(health(stopped, 'b').requests).toBe(2);
      expect(health(stopped, 'a')).toMatchObject({ requests: 2, failovers: 1 });
    });

    it('writes and strongly consistent reads fail with the primary', async () => {
      const write = await rejection(stopped.model(Profile).create({ id: 'p3', name: 'lost' }));
      expect(write).toBeInstanceOf(DynamORMError);
      await rejection(stopped.model(Profile).where('id', '=', 'p1').consistentRead().first());
      expect(await single(endpoint()).model(Profile).get({ id: 'p3' })).toBeUndefined();
    });

    it('writes fail over to the replica when configured to', async () => {
      await failover.model(Profile).create({ id: 'p4', name: 'kept' });
      expect(await single(endpoint()).model(Profile).get({ id: 'p4' })).toEqual({ id: 'p4', name: 'kept' });
      expect(health(failover, 'a').failovers).toBe(1);
    });
  });

  it('a region back up is probed and used again', async () => {
    // The primary is the run's instance behind a proxy that goes down and comes back.
    const proxy = await startProxy(endpoint());
    const orm = new DynamORM({
      tablePrefix: prefix,
      models: [Profile],
      regions: { primary: { region: 'p', client: clientOf(proxy.endpoint) }, replicas: [{ region: 'a', client: clientOf(endpoint()) }], probeAfterMs: 0 },
    });
    await orm.model(Profile).where('id', '=', 'p1').first();
    await proxy.down();
    expect((await orm.model(Profile).where('id', '=', 'p1').first()).name).toBe('copy in a');
    expect(health(orm, 'p')).toMatchObject({ state: 'down', requests: 2, failures: 1 });
    await proxy.up();
    // The wait is 0: the next read probes p, which answers, and serves it.
    await orm.model(Profile).where('id', '=', 'p1').first();
    expect(health(orm, 'p')).toMatchObject({ state: 'healthy', requests: 3, failures: 1, consecutiveFailures: 0, downSince: undefined });
    expect(health(orm, 'a').requests).toBe(1);
    await proxy.down();
  });

  it('refuses a configuration that cannot work', () => {
    expect(() => new DynamORM({ regions: { primary: 'us-east-1', replicas: ['us-east-1'] } })).toThrow('regions: region us-east-1 is named twice');
    expect(() => new DynamORM({ regions: { primary: 'us-east-1', nearest: 'eu-west-1' } })).toThrow('regions: nearest names eu-west-1, which is neither the primary nor a replica (us-east-1)');
    expect(() => new DynamORM({ regions: { primary: 'us-east-1', failureThreshold: 0 } })).toThrow(/failureThreshold must be a whole number of at least 1/);
  });

  it('refuses client, region or endpoint given beside regions, which each region has its own of', () => {
    const client = clientOf(endpoint());
    const error = thrown(() => new DynamORM({ client, regions: { primary: 'us-east-1' } }));
    expect(error).toBeInstanceOf(DynamORMError);
    expect((error as DynamORMError).code).toBe('config.invalid');
    expect((error as Error).message).toBe('regions: client is given beside regions, where each region has a client of its own: give it to its region ({ primary: { region, client } }) and drop client');
    expect(() => new DynamORM({ endpoint: endpoint(), regions: { primary: 'us-east-1' } })).toThrow('regions: endpoint is given beside regions, where each region has a client of its own: give it to its region ({ primary: { region, endpoint } }) and drop endpoint');
    expect(() => new DynamORM({ region: 'us-east-1', regions: { primary: 'us-east-1' } })).toThrow('regions: region is given beside regions, where each region has a client of its own: name the region in regions and drop region');
    // Left undefined (an unset environment variable), they are not given.
    expect(new DynamORM({ endpoint: undefined, client: undefined, regions: { primary: { region: 'b', client } } }).client).toBe(client);
  });

  it('refuses a driver given beside regions, which it would send every request past', () => {
    const driver: Driver = { send: () => Promise.reject(new Error('not sent')) };
    const error = thrown(() => new DynamORM({ driver, regions: { primary: 'us-east-1' } }));
    expect(error).toBeInstanceOf(DynamORMError);
    expect((error as DynamORMError).code).toBe('config.invalid');
    expect((error as Error).message).toBe('regions: driver is given beside regions, where the driver sends every request itself: drop regions to use the driver, or drop driver to use the regions');
    // Left undefined, regions is not given.
    expect(() => new DynamORM({ driver, regions: undefined })).not.toThrow();
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one probe through after the wait, and closes on its success', () => {
    let now = 0;
    const breaker = new CircuitBreaker(2, 100, () => now);
    breaker.failure();
    expect([breaker.state, breaker.allow()]).toEqual(['healthy', true]);
    breaker.failure();
    expect([breaker.state, breaker.allow()]).toEqual(['down', false]);
    now = 100;
    expect(breaker.allow()).toBe(true);
    expect([breaker.state, breaker.allow()]).toEqual(['probing', false]);
    breaker.failure();
    expect([breaker.state, breaker.downSince]).toEqual(['down', 100]);
    now = 200;
    expect(breaker.allow()).toBe(true);
    breaker.success();
    expect([breaker.state, breaker.consecutiveFailures, breaker.allow()]).toEqual(['healthy', 0, true]);
  });

  it('counts as region failures the errors of a region that did not answer, not DynamoDB\'s refusals', () => {
    expect(isRegionFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRegionFailure({ name: 'InternalServerError', $fault: 'server', $metadata: { httpStatusCode: 500 } })).toBe(true);
    expect(isRegionFailure({ name: 'ConditionalCheckFailedException', $fault: 'client', $metadata: { httpStatusCode: 400 } })).toBe(false);
    expect(isRegionFailure({ name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 } })).toBe(false);
  });
});
