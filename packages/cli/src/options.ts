import { Option } from 'commander';
import { CliError, ExitCode } from './exit-codes.js';

/** `--json`: print the result as JSON on stdout, for scripts. */
export const jsonOption = (what = 'print the result as JSON on stdout'): Option => new Option('--json', what);

/** A `--port` value: a port number, or undefined when the flag is not given (a free port). */
export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) throw new CliError(`--port must be a port number (1-65535), received "${value}".`, ExitCode.usage);
  return port;
}
