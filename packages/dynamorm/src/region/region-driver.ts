import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { AwsDriver } from '../driver/aws.js';
import type { Driver, DriverContext, InputOf, Operation, OutputOf } from '../driver/driver.js';
import { CircuitBreaker } from './circuit-breaker.js';

/** One region: its name (an AWS region, or any name for a test stand-in) and its client. */
export interface Region {
  readonly name: string;
  readonly client: DynamoDBClient;
}

export interface RegionRouting {
  /** Names of regions in the order eventually consistent reads try them (the nearest first). */
  readonly readOrder: readonly string[];
  /** Writes (and strongly consistent reads) go to the next healthy region when the primary fails. */
  readonly failoverWrites: boolean;
  /** Region failures in a row that mark a region down (default 1: the SDK has retried already). */
  readonly failureThreshold: number;
  /** How long a region stays down before a request probes it (default 5000 ms). */
  readonly probeAfterMs: number;
}

/** A region's health and traffic, as `orm.regions()` reports it. */
export interface RegionHealth {
  readonly region: string;
  readonly role: 'primary' | 'replica';
  /** `down`: skipped until a probe; `probing`: one request is testing it. */
  readonly state: 'healthy' | 'down' | 'probing';
  readonly requests: number;
  /** Requests that failed because the region did not answer (DynamoDB's own refusals are not counted). */
  readonly failures: number;
  /** Requests this region served after another region had failed them. */
  readonly failovers: number;
  readonly consecutiveFailures: number;
  readonly downSince: Date | undefined;
  readonly lastError: string | undefined;
  readonly meanLatencyMs: number;
}

const READS: ReadonlySet<Operation> = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

interface Member {
  readonly region: Region;
  readonly driver: AwsDriver;
  readonly breaker: CircuitBreaker;
  requests: number;
  failures: number;
  failovers: number;
  totalMs: number;
  lastError: string | undefined;
}

/** Whether an error says the region did not answer (network, timeout, 5xx), rather than DynamoDB refusing the request. */
export function isRegionFailure(error: unknown): boolean {
  const e = error as { $metadata?: { httpStatusCode?: number }; $fault?: string; name?: string } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  return e?.$fault !== 'client';
}

/**
 * A driver over several regions of a global table. Eventually consistent reads go to the first
 * healthy region of the read order and fail over to the next when a region does not answer;
 * writes, strongly consistent reads, transactions and table operations go to the primary, and
 * fail over only with `failoverWrites`. Each region has a circuit breaker: a region that failed
 * is skipped, then probed by one request after `probeAfterMs`.
 */
export class RegionDriver implements Driver {
  private readonly members: readonly Member[];
  private readonly byName: ReadonlyMap<string, Member>;
  private readonly reads: readonly Member[];

  constructor(regions: readonly Region[], private readonly routing: RegionRouting, now?: () => number) {
    this.members = regions.map((region) => ({
      region, driver: new AwsDriver(region.client), breaker: new CircuitBreaker(routing.failureThreshold, routing.probeAfterMs, now),
      requests: 0, failures: 0, failovers: 0, totalMs: 0, lastError: undefined,
    }));
    this.byName = new Map(this.members.map((m) => [m.region.name, m]));
    this.reads = routing.readOrder.map((name) => this.byName.get(name)!);
  }

  async send<O extends Operation>(operation: O, input: InputOf<O>, context?: DriverContext): Promise<OutputOf<O>> {
    const order = READS.has(operation) && !consistent(input) ? this.reads : this.routing.failoverWrites ? this.members : this.members.slice(0, 1);
    let failed = false;
    let lastError: unknown;
    const attempt = async (m: Member): Promise<{ out: OutputOf<O> } | undefined> => {
      const started = performance.now();
      m.requests++;
      try {
        const out = await m.driver.send(operation, input, context);
        m.totalMs += performance.now() - started;
        m.breaker.success();
        if (failed) m.failovers++;
        return { out };
      } catch (error) {
        m.totalMs += performance.now() - started;
        if (!isRegionFailure(error)) {
          m.breaker.success();
          throw error;
        }
        m.failures++;
        m.lastError = (error as Error)?.message ?? String(error);
        m.breaker.failure();
        failed = true;
        lastError = error;
        return undefined;
      }
    };
    let tried = false;
    // Each breaker is asked only when its turn comes: asking claims the probe of a region whose wait is over.
    for (const m of order) {
      if (!m.breaker.allow()) continue;
      tried = true;
      const done = await attempt(m);
      if (done !== undefined) return done.out;
    }
    // No region was healthy: try each all the same rather than fail untried.
    if (!tried) {
      for (const m of order) {
        const done = await attempt(m);
        if (done !== undefined) return done.out;
      }
    }
    throw lastError;
  }

  /** The primary's client. */
  get primary(): DynamoDBClient {
    return this.members[0]!.region.client;
  }

  health(): RegionHealth[] {
    return this.members.map((m, i) => ({
      region: m.region.name,
      role: i === 0 ? 'primary' : 'replica',
      state: m.breaker.state,
      requests: m.requests,
      failures: m.failures,
      failovers: m.failovers,
      consecutiveFailures: m.breaker.consecutiveFailures,
      downSince: m.breaker.downSince === undefined ? undefined : new Date(m.breaker.downSince),
      lastError: m.lastError,
      meanLatencyMs: m.requests === 0 ? 0 : m.totalMs / m.requests,
    }));
  }
}

function consistent(input: unknown): boolean {
  const i = input as { ConsistentRead?: boolean; RequestItems?: Record<string, { ConsistentRead?: boolean }> };
  if (i.ConsistentRead === true) return true;
  return i.RequestItems !== undefined && Object.values(i.RequestItems).some((r) => r.ConsistentRead === true);
}
