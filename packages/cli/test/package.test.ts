// The published dynamorm-cli: what `npm pack` puts in the tarball, and dependencies a user can install.
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const root = new URL('../../../', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('packages/cli/package.json', root), 'utf8')) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
};

describe('the dynamorm-cli package', () => {
  test('the tarball carries the bin, its declarations and the README, and no sources or tests', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--workspace', 'dynamorm-cli'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const files = (JSON.parse(out) as [{ files: { path: string }[] }])[0].files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['README.md', 'LICENSE', 'package.json', 'dist/bin.js', 'dist/index.js', 'dist/index.d.ts']));
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
    expect(readFileSync(new URL('packages/cli/dist/bin.js', root), 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/);
    // Executable after every build, so that `npx dynamorm` runs in this repository too.
    expect(statSync(new URL('packages/cli/dist/bin.js', root)).mode & 0o111).toBe(0o111);
  });

  test('the bin is `dynamorm`; dynamorm itself is a peer, every dependency a registry range', () => {
    expect(manifest.bin).toEqual({ dynamorm: './dist/bin.js' });
    expect(manifest.peerDependencies['dynamorm']).toBeDefined();
    expect(manifest.dependencies['dynamorm']).toBeUndefined();
    for (const range of Object.values(manifest.dependencies)) expect(range).toMatch(/^\^\d+\.\d+\.\d+$/);
  });
});
