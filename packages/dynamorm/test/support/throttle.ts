import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/**
 * Fails the next `times` attempts of `command` (`GetItem`, `PutItem`…) with a throttle, inside the
 * SDK's retry loop (its deserialize step), so the SDK retries them as it would DynamoDB's:
 * DynamoDB Local never throttles.
 */
export function throttleNext(client: DynamoDBClient, command: string, times: number): void {
  let left = times;
  client.middlewareStack.add((next, context) => async (args) => {
    if (context.commandName === `${command}Command` && left > 0) {
      left--;
      throw Object.assign(new Error('The level of configured provisioned throughput for the table was exceeded'), {
        name: 'ProvisionedThroughputExceededException', $fault: 'client', $metadata: { httpStatusCode: 400 },
      });
    }
    return next(args);
  }, { step: 'deserialize', priority: 'high' });
}
