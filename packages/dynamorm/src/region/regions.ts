import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamORMError } from '../errors/errors.js';
import { RegionDriver } from './region-driver.js';

/** A region: its AWS name, or `{ region, endpoint }` (a stand-in such as DynamoDB Local), or `{ region, client }`. */
export type RegionSpec = string | {
  readonly region: string;
  readonly endpoint?: string | undefined;
  readonly client?: DynamoDBClient | undefined;
};

/**
 * The regions of a global table: writes go to the primary, eventually consistent reads to the
 * nearest healthy region.
 * @example new DynamORM({ regions: { primary: 'us-east-1', replicas: ['eu-west-1'], nearest: 'eu-west-1' } })
 */
export interface RegionsConfig {
  readonly primary: RegionSpec;
  readonly replicas?: readonly RegionSpec[] | undefined;
  /**
   * The region eventually consistent reads try first: the one this process runs in. The others
   * follow in the configured order (primary, then replicas). Default: the primary.
   */
  readonly nearest?: string | undefined;
  /**
   * Let writes, strongly consistent reads and transactions go to the next healthy region when the
   * primary does not answer (default false: they fail with the primary). Conditions are then
   * checked against that region's copy, which may lag the primary's.
   */
  readonly failoverWrites?: boolean | undefined;
  /** Region failures in a row that mark a region down (default 1; each failure is after the SDK's own retries). */
  readonly failureThreshold?: number | undefined;
  /** How long a region stays down before one request probes it (default 5000 ms). */
  readonly probeAfterMs?: number | undefined;
}

const invalid = (message: string): DynamORMError => new DynamORMError('config.invalid', `regions: ${message}`, { op: 'config' });

/**
 * `regions` replaces the ORM's `client`, `region` and `endpoint`: each region has a client of its
 * own, so one given beside it would be ignored. Refused, naming where it goes instead. A `driver`
 * sends every request itself, past the regions: refused too.
 */
export function refuseBesideRegions(config: { readonly driver?: unknown; readonly client?: unknown; readonly region?: string | undefined; readonly endpoint?: string | undefined }): void {
  if (config.driver !== undefined) throw invalid('driver is given beside regions, where the driver sends every request itself: drop regions to use the driver, or drop driver to use the regions');
  const where = { client: 'give it to its region ({ primary: { region, client } })', endpoint: 'give it to its region ({ primary: { region, endpoint } })', region: 'name the region in regions' } as const;
  const given = (['client', 'endpoint', 'region'] as const).find((option) => config[option] !== undefined);
  if (given !== undefined) throw invalid(`${given} is given beside regions, where each region has a client of its own: ${where[given]} and drop ${given}`);
}

/** The driver over the configured regions; `client` builds the client of a region the config names without one. */
export function regionDriver(config: RegionsConfig, client: (region: string, endpoint: string | undefined) => DynamoDBClient): RegionDriver {
  const specs = [config.primary, ...(config.replicas ?? [])];
  const regions = specs.map((spec) => {
    if (typeof spec === 'string') return { name: spec, client: client(spec, undefined) };
    return { name: spec.region, client: spec.client ?? client(spec.region, spec.endpoint) };
  });
  const names = regions.map((r) => r.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw invalid(`region ${twice} is named twice`);
  const nearest = config.nearest ?? names[0]!;
  if (!names.includes(nearest)) throw invalid(`nearest names ${nearest}, which is neither the primary nor a replica (${names.join(', ')})`);
  const threshold = config.failureThreshold ?? 1;
  const probeAfterMs = config.probeAfterMs ?? 5000;
  if (!(Number.isInteger(threshold) && threshold >= 1)) throw invalid(`failureThreshold must be a whole number of at least 1, not ${threshold}`);
  if (!(probeAfterMs >= 0)) throw invalid(`probeAfterMs must be 0 or more, not ${probeAfterMs}`);
  return new RegionDriver(regions, {
    readOrder: [nearest, ...names.filter((n) => n !== nearest)],
    failoverWrites: config.failoverWrites === true,
    failureThreshold: threshold,
    probeAfterMs,
  });
}
