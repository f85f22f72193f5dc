import { SHARD_END } from './checkpoint.js';

/** A shard as DescribeStream lists it. */
export interface ShardInfo {
  readonly ShardId?: string | undefined;
  readonly ParentShardId?: string | undefined;
  /** Its ending sequence number is set once the shard is closed (it takes no new records). */
  readonly SequenceNumberRange?: { readonly StartingSequenceNumber?: string | undefined; readonly EndingSequenceNumber?: string | undefined } | undefined;
}

/**
 * The shards to start reading now: not read to their end, not being read, and whose parent is
 * read to its end or no longer listed (trimmed). A key's changes move to a child shard when its
 * parent splits or closes, so reading parents first keeps each key's changes in order.
 */
export function readyShards(shards: readonly ShardInfo[], positions: ReadonlyMap<string, string>, reading: ReadonlySet<string>): ShardInfo[] {
  const listed = new Set(shards.map((s) => s.ShardId));
  return shards.filter((s) => {
    const id = s.ShardId!;
    if (reading.has(id) || positions.get(id) === SHARD_END) return false;
    const parent = s.ParentShardId;
    return parent === undefined || !listed.has(parent) || positions.get(parent) === SHARD_END;
  });
}
