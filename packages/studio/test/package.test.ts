// The published dynamorm-studio: the server and the built page in the tarball, no sources; dynamorm a peer.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url);

test('the tarball carries the server, its declarations and the built page, and no sources or tests', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--workspace', 'dynamorm-studio'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const files = (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts', 'dist/server/start.js', 'dist/ui/index.html']));
  expect(files.some((f) => /^dist\/ui\/assets\/index-[\w-]+\.js$/.test(f))).toBe(true);
  expect(files.filter((f) => /^(src|test|ui|scripts)\//.test(f))).toEqual([]);
});

test('dynamorm is a peer; the page\'s libraries are bundled, not dependencies', () => {
  const manifest = JSON.parse(readFileSync(new URL('packages/studio/package.json', root), 'utf8')) as { dependencies: Record<string, string>; peerDependencies: Record<string, string> };
  expect(manifest.peerDependencies['dynamorm']).toBeDefined();
  expect(Object.keys(manifest.dependencies)).toEqual(['@aws-sdk/client-dynamodb']);
});
