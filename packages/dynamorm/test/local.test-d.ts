import { expectTypeOf, test } from 'vitest';
import { LocalDynamoError, startLocalDynamo, type LocalDynamo, type StartLocalDynamoOptions } from 'dynamorm/local';

test('startLocalDynamo takes optional options and resolves to a LocalDynamo', () => {
  expectTypeOf(startLocalDynamo).parameters.toEqualTypeOf<[options?: StartLocalDynamoOptions]>();
  expectTypeOf(startLocalDynamo).returns.resolves.toEqualTypeOf<LocalDynamo>();
  expectTypeOf<StartLocalDynamoOptions>().toEqualTypeOf<{ port?: number; timeoutMs?: number; sharedDb?: boolean }>();
  expectTypeOf<LocalDynamo['endpoint']>().toEqualTypeOf<string>();
  expectTypeOf<LocalDynamo['port']>().toEqualTypeOf<number>();
  expectTypeOf<LocalDynamo['stop']>().toEqualTypeOf<() => Promise<void>>();
});

test('LocalDynamoError is an Error with the process output', () => {
  expectTypeOf<LocalDynamoError>().toExtend<Error>();
  expectTypeOf<LocalDynamoError['output']>().toEqualTypeOf<string>();
  // @ts-expect-error options are checked
  void startLocalDynamo({ port: '8000' });
});
