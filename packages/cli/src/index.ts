// dynamorm-cli: what `dynamorm.config.ts` imports. The commands themselves run from the `dynamorm` bin.
export { defineConfig } from './config/define-config.js';
export type { CliConfig } from './config/define-config.js';
export { ExitCode } from './exit-codes.js';
