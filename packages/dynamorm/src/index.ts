// Models and the type system
export { t } from './schema/t.js';
export { model, Model, undeclaredOf } from './schema/model.js';
export type { AnyModel, InferItem, InferInput, InferKey, InferIndexName, InferLazyName, InferFullItem, ModelOptions, IndexOptions, ComposedIndexOptions, Projection } from './schema/model.js';
export type { KeyTemplate, KeyTemplates, TemplateVars } from './schema/key-template.js';
export { Attribute } from './schema/attribute.js';
export { describeModel } from './schema/describe.js';
export type { ModelDescription, AttributeDescription, AccessPathDescription } from './schema/describe.js';
export type { AnyAttribute, DateFormat, Kind, Validator } from './schema/attribute.js';
export type { Simplify } from './schema/infer.js';

// The ORM and its query builder
export { DynamORM } from './orm.js';
export type { DynamORMConfig, CacheOptions } from './orm.js';
export type { Fixture, FixtureCounts } from './batch/fixtures.js';
export { Query } from './query/builder.js';
export type { Explanation, CompiledWrites, ScanOptions } from './query/builder.js';
export type { PreparedQuery } from './query/prepared.js';
export type { AttributeName, QueryPath, QueryPathValue } from './query/path-types.js';
export { Collection } from './query/collection.js';
export type { CollectionItem, CollectionAttribute, CollectionIndex, SortKeyOperator } from './query/collection.js';
export type { FilterParams } from './query/raw-filter.js';
export type { OperatorFor, OperandFor, Operator } from './query/operators.js';
export type { Page } from './query/read.js';
export type { CursorOptions } from './query/cursor.js';
export type { OnInvalid, InvalidItem } from './query/item-reader.js';
export { UpdateBuilder } from './query/update-builder.js';
export type { UpdateChanges, Updater, UpdatePath, PathValue, NumericPath, ListName } from './query/update-builder.js';
export type { ReturnValues, PutReturnValues, UpdateReturnValues, DeleteReturnValues, WriteOptions, PutResult, UpdateResult, DeleteResult } from './query/return-values.js';

// Conditions of writes (`.if(c => ...)`, `tx.conditionCheck(...)`)
export { ConditionBuilder } from './query/condition-builder.js';
export type { ConditionExpression, ConditionFn } from './query/condition-builder.js';

// Transactions
export { Transaction, TransactionQuery, type TransactionUpdateOptions } from './transaction/transaction.js';
export type { TransactionOptions } from './transaction/commit.js';
export type { TransactGetRequest, TransactGetResult, TransactGetOptions } from './transaction/get.js';
export type { BatchGetRequest, BatchGetResult, BatchGetManyOptions } from './batch/get.js';

// Batches
export { BatchWriteError, BatchGetError } from './batch/errors.js';
export type { UnwrittenItem } from './batch/errors.js';
export type { BatchWriteOptions, BatchWriteResult } from './batch/write.js';
export type { BatchGetOptions } from './batch/get.js';
export type { Logger } from './query/session.js';

// Operations: hooks and middleware, metrics
export type { DynamoRequest, DynamoResponse, RequestOf } from './observe/request.js';
export type {
  DynamORMEvents, EventName, Listener, Middleware, RequestEvent, ResponseEvent, RetryEvent, ErrorEvent,
  RequestErrorEvent, HookErrorEvent, WarningEvent,
} from './observe/events.js';
export type { ConsumedCapacity } from './observe/capacity.js';
export type { MetricsSnapshot, OperationMetrics } from './observe/metrics.js';
export type { AnalyticsOptions, AnalyticsReport, PatternReport, QueryAnalytics } from './observe/analytics.js';
export type { Advice, FilterAdvice, IndexAdvice, ProjectionAdvice } from './observe/analytics-advice.js';
export type { Percentiles } from './observe/histogram.js';
export type { WarningCode, WarningName } from './observe/warning-codes.js';

// Errors
export {
  DynamORMError, ItemNotFoundError, ConditionFailedError, IndexNotFoundError, ValidationError,
  OptimisticLockError, TransactionCanceledError, ModelDefinitionError, ItemTooLargeError, UnsupportedOperationError,
} from './errors/errors.js';
export type { ValidationIssue, CancellationReason } from './errors/errors.js';

// Operations: retries, cancellation and timeouts
export { TimeoutError, AbortedError, RetryBudgetError } from './ops/errors.js';
export type { RetryConfig, RetryOptions } from './ops/policy.js';
export type { CancelOptions } from './ops/signal.js';

// I/O
export type { Driver, Operation, Operations } from './driver/driver.js';

// Streams: change events decoded by their models, the Lambda adapter, the reader
export { streamHandler } from './stream/handler.js';
export type { ChangeHandlers, StreamHandlers, StreamHandlerOptions, StreamBatchResponse } from './stream/handler.js';
export type { ChangeEvent, ChangeEventOf, ChangeType, InsertEvent, ModifyEvent, RemoveEvent } from './stream/change-event.js';
export type { StreamAttributeValue, StreamImage, StreamRecordLike, StreamEventLike } from './stream/record.js';
export { StreamRecordError, StreamReaderError } from './stream/errors.js';
export { StreamReader } from './stream/reader.js';
export type { StreamReaderOptions, StreamsClientLike } from './stream/reader.js';
export { MemoryCheckpointStore, TableCheckpointStore, SHARD_END } from './stream/checkpoint.js';
export type { CheckpointStore, StreamPosition } from './stream/checkpoint.js';

// Schema lifecycle: migrations, plans, data migrations
export { defineMigration } from './migration/define.js';
export type { Migration, MigrationDefinition } from './migration/define.js';
export { MigrationError } from './migration/errors.js';
export type { MigrateOptions, MigrateResult, MigrationEvent, MigrationStatus, MigrationStatusEntry, MigrationState } from './migration/migrator.js';
export type { LockOptions } from './migration/lock.js';
export type { MigrationOutcome } from './migration/history.js';
export type { MigrationSchema, CreateTableOptions, UpdateTableOptions, StoredItem } from './migration/schema.js';
export type { TransformOptions, TransformProgress, TransformResult } from './migration/transform.js';
export { SchemaManager } from './table/schema-manager.js';
export type { PlanOptions, SchemaCheck, ModelDifferences } from './table/schema-manager.js';
export type { SchemaPlan, PlanStep, PlanStepKind, PlanRequest, TableSettings } from './table/plan.js';
export type { ApplyOptions, ApplyProgress, ApplyResult } from './table/apply.js';
export type { ExportOptions, ExportResult, TransferProgress } from './transfer/export-table.js';
export type { ImportOptions, ImportResult } from './transfer/import-table.js';
export type { Backups, Backup, ListBackupsOptions, RestoreOptions, PointInTimeRestoreOptions, RestoredTable, PointInTimeRecovery } from './backup/backups.js';

// Read cache: in memory or shared through Redis
export { MemoryStore } from './cache/memory-store.js';
export { RedisStore } from './cache/redis-store.js';
export type { RedisStoreOptions, RedisLike } from './cache/redis-store.js';
export type { CacheStore, CachedItem } from './cache/store.js';
export type { CacheStats } from './cache/read-cache.js';

// Regions of a global table
export type { RegionsConfig, RegionSpec } from './region/regions.js';
export type { RegionHealth } from './region/region-driver.js';
