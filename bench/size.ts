/**
 * Size and cold start: the minified esbuild bundle of each library's core entry with the AWS SDK
 * external (`@aws-sdk/*` and `@smithy/*`), raw and gzipped; and the time to import it in a fresh
 * node process, both cold (nothing loaded before) and after @aws-sdk/client-dynamodb was already
 * imported (what the library adds to a Lambda that loads the SDK anyway), and the same for the
 * minified bundle (what a Lambda deployed with a bundler loads).
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './lib/machine.js';
import { CACHE_DIR } from './typecheck.js';
import type { BundleEntry } from './contenders/types.js';

export interface SizeLibResult {
  id: string;
  specifier: string;
  bytes?: number;
  gzipBytes?: number;
  bundleError?: string;
  /** Import time (ms) per run, cold. */
  coldMs: number[];
  /** Import time (ms) per run, with the SDK already loaded. */
  afterSdkMs: number[];
  /** Import time (ms) per run of the minified bundle, with the SDK already loaded. */
  bundleAfterSdkMs: number[];
  bundleFile?: string;
  importError?: string;
}

export interface SizeResult {
  esbuild: string;
  external: string[];
  /** Import time of @aws-sdk/client-dynamodb alone, per run. */
  sdkMs: number[];
  libs: SizeLibResult[];
}

export const SDK_ENTRIES: readonly BundleEntry[] = [
  { id: '@aws-sdk/util-dynamodb', specifier: '@aws-sdk/util-dynamodb', packageName: '@aws-sdk/util-dynamodb' },
  { id: '@aws-sdk/lib-dynamodb', specifier: '@aws-sdk/lib-dynamodb', packageName: '@aws-sdk/lib-dynamodb' },
];

const EXTERNAL = ['@aws-sdk/*', '@smithy/*'];

const BUNDLE_DIR = join(CACHE_DIR, 'bundles');

/** Bundles the entry, writes it to BUNDLE_DIR (so it can be imported) and returns its sizes. */
async function bundleSize(entry: BundleEntry): Promise<{ bytes: number; gzipBytes: number; file: string }> {
  // Bundle the whole entry (`import *` kept alive), not just what one program would import.
  const res = await build({
    stdin: {
      contents: `import * as lib from ${JSON.stringify(entry.specifier)};\nexport default lib;\n`,
      resolveDir: REPO_ROOT,
      sourcefile: 'entry.mjs',
      loader: 'js',
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    plugins: [
      {
        name: 'aws-sdk-external',
        setup(b) {
          // The SDK stays out, except the package being measured when it is itself an SDK package.
          b.onResolve({ filter: /^@(aws-sdk|smithy)\// }, (args) =>
            args.path === entry.specifier ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
    // CommonJS code in the bundle may require() the external SDK; give ESM output a real require.
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
    write: false,
    logLevel: 'silent',
  });
  const out = res.outputFiles[0];
  if (!out) throw new Error('esbuild produced no output');
  mkdirSync(BUNDLE_DIR, { recursive: true });
  const file = join(BUNDLE_DIR, `${entry.id.replace(/[^A-Za-z0-9_-]+/g, '_')}.mjs`);
  writeFileSync(file, out.contents);
  return { bytes: out.contents.byteLength, gzipBytes: gzipSync(out.contents).byteLength, file };
}

function importTime(specifier: string, preloadSdk: boolean): number {
  const script = `
const { performance } = await import('node:perf_hooks');
${preloadSdk ? "await import('@aws-sdk/client-dynamodb');" : ''}
const t0 = performance.now();
await import(${JSON.stringify(specifier)});
process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
`;
  const res = spawnSync(process.execPath, ['--input-type=module', '--no-warnings', '-e', script], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (res.status !== 0) throw new Error(`import ${specifier} failed: ${res.stderr.slice(0, 400)}`);
  return (JSON.parse(res.stdout) as { ms: number }).ms;
}

export async function runSize(entries: readonly BundleEntry[], opts: { rounds: number; log: (s: string) => void }): Promise<SizeResult> {
  const all = [...entries, ...SDK_ENTRIES];
  const libs: SizeLibResult[] = all.map((e) => ({ id: e.id, specifier: e.specifier, coldMs: [], afterSdkMs: [], bundleAfterSdkMs: [] }));
  for (let i = 0; i < all.length; i++) {
    try {
      const s = await bundleSize(all[i]!);
      libs[i]!.bytes = s.bytes;
      libs[i]!.gzipBytes = s.gzipBytes;
      libs[i]!.bundleFile = s.file;
    } catch (e) {
      libs[i]!.bundleError = e instanceof Error ? e.message.slice(0, 400) : String(e);
    }
  }
  const sdkMs: number[] = [];
  for (let r = 0; r < opts.rounds; r++) {
    sdkMs.push(importTime('@aws-sdk/client-dynamodb', false));
    for (let k = 0; k < all.length; k++) {
      const i = (k + r) % all.length;
      const lib = libs[i]!;
      if (lib.importError) continue;
      try {
        lib.coldMs.push(importTime(lib.specifier, false));
        lib.afterSdkMs.push(importTime(lib.specifier, true));
        if (lib.bundleFile) lib.bundleAfterSdkMs.push(importTime(pathToFileURL(lib.bundleFile).href, true));
      } catch (e) {
        lib.importError = e instanceof Error ? e.message : String(e);
      }
    }
  }
  for (const l of libs) {
    opts.log(`  ${l.id.padEnd(24)} ${l.bytes !== undefined ? `${(l.bytes / 1024).toFixed(1)} KiB min, ${(l.gzipBytes! / 1024).toFixed(1)} KiB gz` : `bundle failed: ${l.bundleError}`}`);
  }
  const { version } = await import('esbuild');
  return { esbuild: version, external: EXTERNAL, sdkMs, libs };
}
