import type { DynamORM } from '../orm.js';
import type { AnyModel } from '../schema/model.js';
import type { ChangeEvent, ChangeEventOf, ChangeType } from './change-event.js';
import { SHARD_END, TableCheckpointStore, type CheckpointStore, type StreamPosition } from './checkpoint.js';
import { StreamDecoder } from './decode.js';
import { StreamReaderError, StreamRecordError } from './errors.js';
import type { StreamRecordLike } from './record.js';
import { readyShards, type ShardInfo } from './shards.js';

type IteratorType = 'TRIM_HORIZON' | 'LATEST' | 'AT_SEQUENCE_NUMBER' | 'AFTER_SEQUENCE_NUMBER';

/**
 * The DynamoDB Streams requests the reader sends: what `DynamoDBStreams` (the aggregated client of
 * `@aws-sdk/client-dynamodb-streams`) offers, described by shape so that DynamORM's types need
 * not the package.
 */
export interface StreamsClientLike {
  describeStream(input: { StreamArn: string; ExclusiveStartShardId?: string | undefined }): Promise<{
    StreamDescription?: { Shards?: ShardInfo[] | undefined; LastEvaluatedShardId?: string | undefined } | undefined;
  }>;
  getShardIterator(input: { StreamArn: string; ShardId: string; ShardIteratorType: IteratorType; SequenceNumber?: string | undefined }): Promise<{ ShardIterator?: string | undefined }>;
  getRecords(input: { ShardIterator: string; Limit?: number | undefined }): Promise<{ Records?: StreamRecordLike[] | undefined; NextShardIterator?: string | undefined }>;
}

export interface StreamReaderOptions {
  /**
   * Where a shard the reader has no saved position for starts: `'LATEST'` (default: changes from
   * now on), `'TRIM_HORIZON'` (the oldest record the stream keeps, up to 24 hours back), or a
   * position (`reader.position()`), which then overrides the store's.
   */
  readonly from?: 'TRIM_HORIZON' | 'LATEST' | StreamPosition | undefined;
  /** Where positions are kept (default: a `TableCheckpointStore`; `MemoryCheckpointStore` for tests). */
  readonly checkpoints?: CheckpointStore | undefined;
  /** The reader's name in the store (default: the table's name): readers of one name share their positions. */
  readonly name?: string | undefined;
  /** The streams client (default: a `DynamoDBStreams` client of the ORM's region, endpoint and credentials). */
  readonly client?: StreamsClientLike | undefined;
  /** How long a shard without new records waits before asking again, in ms (default 1000). */
  readonly pollIntervalMs?: number | undefined;
  /** Records per GetRecords request, up to 1000 (default 100). */
  readonly batchSize?: number | undefined;
  /**
   * How many times a record whose handler throws is delivered before it is given up, reported as
   * an 'error' (default: until it succeeds or the reader stops, as Lambda does). A record waiting
   * for a retry holds back the rest of its shard, so that each key's changes stay in order.
   */
  readonly maxAttempts?: number | undefined;
}

type Listener = (value: never) => unknown;

/**
 * Reads a table's stream in a long-running process, and hands each change to the listeners of
 * its kind, decoded by its model. At least once, in order per key: a shard is read only after its
 * parent, its records one after the other, and its position is saved after each record its
 * listeners acknowledged, so a reader restarted from its checkpoint gets again only the records
 * whose listeners had not succeeded.
 */
export class StreamReader<M extends AnyModel = AnyModel> {
  private readonly listeners: Record<ChangeType | 'error', Listener[]> = { insert: [], modify: [], remove: [], error: [] };
  private readonly positions = new Map<string, string>();
  private readonly reading = new Map<string, Promise<void>>();
  private readonly wanted: ReadonlySet<string>;
  private readonly decoder: StreamDecoder;
  private readonly store: CheckpointStore;
  private readonly name: string;
  private client: StreamsClientLike | undefined;
  private arn = '';
  private startedShards: ReadonlySet<string> = new Set();
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  private readonly sleepers = new Set<() => void>();
  private refreshing: Promise<void> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;

  /** @internal use `orm.stream(...)`. */
  constructor(private readonly orm: DynamORM, private readonly table: string, models: readonly AnyModel[], private readonly options: StreamReaderOptions = {}) {
    this.wanted = new Set(models.map((m) => m.name));
    this.decoder = new StreamDecoder(table, orm.models().filter((m) => orm.tableName(m) === table));
    this.store = options.checkpoints ?? new TableCheckpointStore(orm);
    this.name = options.name ?? table;
  }

  /** Listens to one kind of change, or to the records and failures that were not delivered ('error'). */
  on<T extends ChangeType>(type: T, listener: (event: ChangeEventOf<M, T>) => unknown): this;
  on(type: 'error', listener: (error: StreamRecordError | StreamReaderError) => unknown): this;
  on(type: ChangeType | 'error', listener: (value: never) => unknown): this {
    this.listeners[type].push(listener);
    return this;
  }

  /**
   * Starts reading: resolves once the stream's shards are listed and their reading has begun.
   * Rejects when the table has no stream, or the streams client cannot be loaded.
   */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new StreamReaderError('stream.readFailed', `the reader of ${this.table} is already started`, { table: this.table });
    this.client = this.options.client ?? await defaultClient(this.orm);
    this.arn = await this.streamArn();
    const from = this.options.from ?? 'LATEST';
    const saved = typeof from === 'object' ? from : await this.store.load(this.name);
    for (const [shard, position] of Object.entries(saved)) this.positions.set(shard, position);
    this.state = 'running';
    const shards = await this.listShards();
    this.startedShards = new Set(shards.map((s) => s.ShardId!));
    if (from === 'LATEST') {
      // Nothing new will come from a closed shard: start from the open ones.
      for (const s of shards) if (s.SequenceNumberRange?.EndingSequenceNumber !== undefined && !this.positions.has(s.ShardId!)) this.positions.set(s.ShardId!, SHARD_END);
    }
    await this.follow(shards);
    this.scheduleRefresh();
  }

  /** Stops: the batches in flight finish (a record waiting for a retry is left for the next start), positions are saved. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping';
    clearTimeout(this.refreshTimer);
    for (const wake of this.sleepers) wake();
    await this.refreshing?.catch(() => undefined);
    while (this.reading.size > 0) await Promise.all(this.reading.values());
    this.state = 'idle';
  }

  /** Where the reader is in each shard: pass it as `from` to resume there. */
  position(): StreamPosition {
    return Object.fromEntries(this.positions);
  }

  private async streamArn(): Promise<string> {
    const arn = (await this.orm.session.send('DescribeTable', { TableName: this.table }, 'stream', undefined)).Table?.LatestStreamArn;
    if (arn === undefined) {
      throw new StreamReaderError('stream.notEnabled', `table ${this.table} has no stream: turn it on with the view type NEW_AND_OLD_IMAGES (UpdateTable StreamSpecification)`, { table: this.table });
    }
    return arn;
  }

  private async listShards(): Promise<ShardInfo[]> {
    const shards: ShardInfo[] = [];
    let start: string | undefined;
    do {
      const out = await this.client!.describeStream({ StreamArn: this.arn, ...(start === undefined ? {} : { ExclusiveStartShardId: start }) });
      shards.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    return shards;
  }

  /** Starts a loop for each shard now ready (its parent read to its end); resolves once each has its iterator. */
  private async follow(shards: readonly ShardInfo[]): Promise<void> {
    await Promise.all(readyShards(shards, this.positions, new Set(this.reading.keys())).map((shard) => {
      const id = shard.ShardId!;
      let begun!: () => void;
      const positioned = new Promise<void>((resolve) => (begun = resolve));
      const loop = this.read(id, begun)
        .catch((error: unknown) => this.fail(new StreamReaderError('stream.readFailed', `reading shard ${id} of ${this.table} failed: ${(error as Error).message}`, { table: this.table, cause: error })))
        .finally(() => this.reading.delete(id));
      this.reading.set(id, loop);
      return Promise.race([positioned, loop]);
    }));
  }

  /** Lists the shards again (new children of split or closed shards) and follows those now ready. */
  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        if (this.state === 'running') await this.follow(await this.listShards());
      } catch (error) {
        this.fail(new StreamReaderError('stream.readFailed', `listing the shards of ${this.table} failed: ${(error as Error).message}`, { table: this.table, cause: error }));
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  private scheduleRefresh(): void {
    this.refreshTimer = setTimeout(() => {
      void this.refresh().then(() => {
        if (this.state === 'running') this.scheduleRefresh();
      });
    // New shards come when one closes (which triggers a refresh) or, on a stream without any yet, with the first write.
    }, (this.options.pollIntervalMs ?? 1000) * (this.reading.size === 0 ? 1 : 10));
    this.refreshTimer.unref();
  }

  private async iterator(shard: string): Promise<string | undefined> {
    const position = this.positions.get(shard);
    const type: IteratorType = position !== undefined ? 'AFTER_SEQUENCE_NUMBER'
      : this.options.from === 'LATEST' || this.options.from === undefined ? (this.startedShards.has(shard) ? 'LATEST' : 'TRIM_HORIZON')
      : 'TRIM_HORIZON';
    const out = await this.client!.getShardIterator({ StreamArn: this.arn, ShardId: shard, ShardIteratorType: type, ...(position === undefined ? {} : { SequenceNumber: position }) });
    return out.ShardIterator;
  }

  /** Reads one shard to its end, or until the reader stops; `begun` once it has its iterator. */
  private async read(shard: string, begun: () => void): Promise<void> {
    let iterator = await this.iterator(shard);
    begun();
    while (this.state === 'running' && iterator !== undefined) {
      let out: Awaited<ReturnType<StreamsClientLike['getRecords']>>;
      try {
        out = await this.client!.getRecords({ ShardIterator: iterator, Limit: this.options.batchSize ?? 100 });
      } catch (error) {
        // An iterator lasts 15 minutes: take a new one after the last record acknowledged.
        if ((error as { name?: string }).name !== 'ExpiredIteratorException') throw error;
        iterator = await this.iterator(shard);
        continue;
      }
      // Each record handed to listeners is checkpointed once they succeed, before the next: a restart
      // redelivers only what was not acknowledged. Records nobody listened to are saved with the next.
      let unsaved: string | undefined;
      for (const record of out.Records ?? []) {
        const outcome = await this.deliver(record);
        if (outcome === 'stopped') break;
        const sequence = record.dynamodb?.SequenceNumber;
        if (sequence === undefined) continue;
        this.positions.set(shard, sequence);
        unsaved = sequence;
        if (outcome === 'acknowledged') {
          await this.save(shard, sequence);
          unsaved = undefined;
        }
      }
      if (unsaved !== undefined) await this.save(shard, unsaved);
      if (this.state !== 'running') return;
      iterator = out.NextShardIterator;
      if (iterator === undefined) {
        // The shard is closed and read to its end: its children may start.
        this.positions.set(shard, SHARD_END);
        await this.save(shard, SHARD_END);
        void this.refresh();
        return;
      }
      if ((out.Records ?? []).length === 0) await this.sleep(this.options.pollIntervalMs ?? 1000);
    }
  }

  /**
 * Delivers one record: 'acknowledged' once its listeners succeeded (or it was given up), 'ignored'
 * when no listener took it, 'stopped' when the reader stopped before they succeeded.
 */
  private async deliver(record: StreamRecordLike): Promise<'acknowledged' | 'ignored' | 'stopped'> {
    const change = this.decoder.decode(record);
    if (change instanceof StreamRecordError) {
      this.fail(change);
      return 'ignored';
    }
    const listeners = this.listeners[change.type] as ((e: ChangeEvent) => unknown)[];
    if (!this.wanted.has(change.model) || listeners.length === 0) return 'ignored';
    const max = this.options.maxAttempts ?? Infinity;
    for (let attempt = 1; ; attempt++) {
      try {
        for (const listener of listeners) await listener(change);
        return 'acknowledged';
      } catch (cause) {
        const last = attempt >= max;
        this.fail(new StreamRecordError('stream.handlerFailed', `the ${change.type} handler failed (attempt ${attempt}${last ? ', given up' : ''}): ${(cause as Error)?.message ?? String(cause)}`, { record, model: change.model, cause }));
        if (last) return 'acknowledged';
        await this.sleep(Math.min(100 * 2 ** (attempt - 1), 5000));
        if (this.state !== 'running') return 'stopped';
      }
    }
  }

  private async save(shard: string, position: string): Promise<void> {
    try {
      await this.store.save(this.name, shard, position);
    } catch (error) {
      this.fail(error instanceof StreamReaderError ? error : new StreamReaderError('stream.checkpointFailed', `saving the position of shard ${shard} failed: ${(error as Error).message}`, { table: this.table, cause: error }));
    }
  }

  private fail(error: StreamRecordError | StreamReaderError): void {
    const listeners = this.listeners.error as ((e: StreamRecordError | StreamReaderError) => unknown)[];
    if (listeners.length === 0) this.orm.session.logger.warn(`DynamORM: ${error.message}`);
    for (const listener of listeners) {
      try {
        void Promise.resolve(listener(error)).catch(() => undefined);
      } catch {
        // An error listener that throws must not stop the reader.
      }
    }
  }

  /** Waits, or less when the reader stops. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.sleepers.add(done);
    });
  }
}

/** A DynamoDBStreams client on the ORM's region, endpoint and credentials, loaded on first use. */
async function defaultClient(orm: DynamORM): Promise<StreamsClientLike> {
  let streams: typeof import('@aws-sdk/client-dynamodb-streams');
  try {
    streams = await import('@aws-sdk/client-dynamodb-streams');
  } catch (cause) {
    throw new StreamReaderError('stream.clientMissing', 'orm.stream() reads streams with @aws-sdk/client-dynamodb-streams, which is not installed: npm install @aws-sdk/client-dynamodb-streams', { cause });
  }
  const client = orm.client;
  if (client === undefined) throw new StreamReaderError('stream.clientMissing', 'this ORM has no DynamoDB client (a mock): give the reader a streams client (options.client)');
  const { region, endpoint, credentials } = client.config;
  return new streams.DynamoDBStreams({ region, credentials, ...(endpoint === undefined ? {} : { endpoint }) });
}
