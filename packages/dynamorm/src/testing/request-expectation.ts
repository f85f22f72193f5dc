import { isDeepStrictEqual } from 'node:util';
import type { Operation, OutputOf } from '../driver/driver.js';
import { MockError } from './errors.js';
import { declaredAt, sdkError, type SdkErrorName } from './expectation.js';

/** The requests with no model that the mock answers only from `expectRequest`: on-demand backups and restores. */
export const CONTROL_OPERATIONS: ReadonlySet<Operation> = new Set<Operation>([
  'CreateBackup', 'DescribeBackup', 'ListBackups', 'DeleteBackup', 'RestoreTableFromBackup', 'RestoreTableToPointInTime',
]);

/** An expected request of `mock.expectRequest(operation, request)`: what it answers, how often. */
export interface RequestExpectation<O extends Operation> {
  /** The response (the SDK's output type, without `$metadata`); default: an empty one. */
  willReturn(output: Omit<OutputOf<O>, '$metadata'>): RequestExpectation<O>;
  /** Rejects as DynamoDB would: an SDK error by name (UnknownOperationException: as DynamoDB Local does), or this error. */
  willFail(error: SdkErrorName | 'UnknownOperationException' | Error): RequestExpectation<O>;
  /** Expected this many times (default 1). */
  times(n: number): RequestExpectation<O>;
}

const show = (v: unknown): string => JSON.stringify(v, (_, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));

/** One `expectRequest`: the operation and the request fields given, each equal to the request's. @internal */
export class RequestMatcher {
  expected = 1;
  used = 0;
  output: Record<string, unknown> = {};
  failure: unknown;
  readonly at: string | undefined = declaredAt();

  constructor(readonly operation: Operation, readonly request: Readonly<Record<string, unknown>> | undefined) {}

  /** What differs from the request: a sentence per field given that the request does not hold. */
  reasons(operation: Operation, input: unknown): string[] {
    if (operation !== this.operation) return [`it is a ${operation}, not a ${this.operation}`];
    const actual = input as Record<string, unknown>;
    return Object.entries(this.request ?? {}).filter(([k, v]) => !isDeepStrictEqual(actual[k], v)).map(([k, v]) => `${k} is ${show(actual[k])}, not ${show(v)}`);
  }

  describe(): string {
    return `expectRequest('${this.operation}'${this.request === undefined ? '' : `, ${show(this.request)}`})`;
  }

  reply(): unknown {
    if (this.failure !== undefined) throw typeof this.failure === 'string' ? sdkError(this.failure) : this.failure;
    return { ...this.output, $metadata: {} };
  }

  fluent<O extends Operation>(): RequestExpectation<O> {
    const self: RequestExpectation<O> = {
      willReturn: (output) => ((this.output = output as Record<string, unknown>), self),
      willFail: (error) => ((this.failure = error), self),
      times: (n) => {
        if (!Number.isInteger(n) || n < 0) throw new MockError('mock.invalidExpectation', `DynamORM mock: times(${n}) of ${this.describe()}: give a whole number of calls, 0 or more`, { op: 'expectRequest' });
        this.expected = n;
        return self;
      },
    };
    return self;
  }
}

/** The unexpected-call error of a request no `expectRequest` meets, with the closest one and why it did not match. */
export function unexpectedRequest(operation: Operation, input: unknown, matchers: readonly RequestMatcher[]): MockError {
  const lines = [`DynamORM mock: unexpected ${operation} ${show(input)}.`];
  const same = matchers.filter((m) => m.operation === operation);
  const met = same.find((m) => m.reasons(operation, input).length === 0);
  if (met !== undefined) lines.push(`It matches ${met.describe()}${met.at === undefined ? '' : ` (declared at ${met.at})`}, but that expected ${met.expected} call(s) and has had them all: raise .times(n) if more calls are right.`);
  else if (same.length > 0) lines.push(`Closest expectation: ${same[0]!.describe()}`, `It did not match: ${same[0]!.reasons(operation, input).join('; ')}.`);
  else lines.push('No expectation is declared.');
  if (met === undefined) lines.push(`Declare it with mock.expectRequest('${operation}', { ...the request's fields }), or fix the code under test.`);
  return new MockError('mock.unexpectedCall', lines.join('\n'), { op: operation, context: { request: input } });
}

