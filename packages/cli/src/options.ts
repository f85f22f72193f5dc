import { Option } from 'commander';

/** `--json`: print the result as JSON on stdout, for scripts. */
export const jsonOption = (what = 'print the result as JSON on stdout'): Option => new Option('--json', what);
