// The stream records DynamORM accepts, described by their shape alone: a Lambda event's records
// (`aws-lambda`'s DynamoDBRecord, binaries as base64 strings) and the records GetRecords returns
// (`@aws-sdk/client-dynamodb-streams`, binaries as bytes) both fit, and neither package is needed
// to use the types.

/** An attribute value of a stream image: DynamoDB's AttributeValue JSON. */
export interface StreamAttributeValue {
  readonly S?: string | undefined;
  readonly N?: string | undefined;
  /** Bytes, or base64 text in a Lambda event. */
  readonly B?: string | Uint8Array | undefined;
  readonly SS?: readonly string[] | undefined;
  readonly NS?: readonly string[] | undefined;
  readonly BS?: readonly (string | Uint8Array)[] | undefined;
  readonly M?: { readonly [name: string]: StreamAttributeValue } | undefined;
  readonly L?: readonly StreamAttributeValue[] | undefined;
  readonly NULL?: boolean | undefined;
  readonly BOOL?: boolean | undefined;
}

/** An item (or its key) as a stream record carries it. */
export type StreamImage = { readonly [field: string]: StreamAttributeValue };

/** One change of one item, as DynamoDB Streams delivers it. */
export interface StreamRecordLike {
  readonly eventID?: string | undefined;
  readonly eventName?: 'INSERT' | 'MODIFY' | 'REMOVE' | (string & {}) | undefined;
  /** `arn:aws:dynamodb:<region>:<account>:table/<table>/stream/<label>` (Lambda events). */
  readonly eventSourceARN?: string | undefined;
  readonly dynamodb?: {
    readonly Keys?: StreamImage | undefined;
    readonly NewImage?: StreamImage | undefined;
    readonly OldImage?: StreamImage | undefined;
    readonly SequenceNumber?: string | undefined;
    readonly ApproximateCreationDateTime?: number | Date | undefined;
    readonly StreamViewType?: string | undefined;
  } | undefined;
}

/** A Lambda event of a DynamoDB stream: a batch of records of one shard, in order. */
export interface StreamEventLike {
  readonly Records: readonly StreamRecordLike[];
}

/** The table a record's stream belongs to, read from its event source ARN. */
export function tableOfArn(arn: string | undefined): string | undefined {
  return arn === undefined ? undefined : /:table\/([^/]+)\/stream\//.exec(arn)?.[1];
}
