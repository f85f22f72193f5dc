import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string): string => fileURLToPath(new URL(`./packages/dynamorm/src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests import the package by its public names but run the sources. Subpaths come first
    // (and every pattern is anchored) so `dynamorm/local` never resolves as `dynamorm` + `/local`.
    alias: [
      { find: /^dynamorm\/local$/, replacement: src('local/index.ts') },
      { find: /^dynamorm\/testing$/, replacement: src('testing/index.ts') },
      { find: /^dynamorm$/, replacement: src('index.ts') },
      { find: /^dynamorm-graphql$/, replacement: fileURLToPath(new URL('./packages/graphql/src/index.ts', import.meta.url)) },
      { find: /^dynamorm-studio$/, replacement: fileURLToPath(new URL('./packages/studio/src/index.ts', import.meta.url)) },
      // graphql 16 ships CJS (main) and ESM (module): Node loads the CJS one for graphql-yoga, so
      // the sources must use that same copy (a schema from the other is "from another realm").
      { find: /^graphql$/, replacement: fileURLToPath(new URL('./node_modules/graphql/index.js', import.meta.url)) },
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
    // Type tests (`*.test-d.ts`) run through tsc and are reported as tests.
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts', 'packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    // One DynamoDB Local for the whole run; tests get its endpoint with inject('dynamoEndpoint').
    globalSetup: ['packages/dynamorm/test/global-setup.ts'],
    // DynamoDB Local is a JVM: starting one takes a second or two, table operations some ms.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
