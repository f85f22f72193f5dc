// The published dynamorm-graphql: what `npm pack` puts in the tarball, and its peers.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url);

test('the tarball carries the build, its declarations, README and LICENSE; dynamorm and graphql are peers', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--workspace', 'dynamorm-graphql'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const files = (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
  expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/index.js', 'dist/index.d.ts']));
  expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  const manifest = JSON.parse(readFileSync(new URL('packages/graphql/package.json', root), 'utf8')) as { dependencies?: object; peerDependencies: Record<string, string> };
  expect(manifest.dependencies).toBeUndefined();
  expect(Object.keys(manifest.peerDependencies).sort()).toEqual(['dynamorm', 'graphql']);
});
