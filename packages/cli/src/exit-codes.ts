/**
 * The exit codes of `dynamorm`, stable so that scripts can rely on them (docs/cli.md lists them).
 */
export const ExitCode = {
  /** The command did what it was asked. */
  ok: 0,
  /** The command ran and failed: DynamoDB refused a request, a file could not be read or written. */
  failed: 1,
  /** The command line is wrong: an unknown command or flag, a missing or bad argument. */
  usage: 2,
  /** dynamorm.config.ts was not found, failed to load, or does not hold what the command needs. */
  config: 3,
  /** The command refused to act: a plan with destructive steps and no --allow-destructive. */
  refused: 4,
  /** The command did part of the work: codegen on an empty or unreadable table wrote only what it could infer; an import stopped part way. */
  incomplete: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error that ends the command with its exit code and message (no stack: the message says it all). */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.failed,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
