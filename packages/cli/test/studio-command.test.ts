// `dynamorm studio` as a user runs it: the built bin on a project's config, printing the URL with
// its token; the page and the API answer with that token, and not without it.
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { endpoint, uniqueTable } from '../../dynamorm/test/support/dynamo.js';
import { runCli, scratchDir, startCli } from './support/run-cli.js';

let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGTERM');
});

/** Resolves with stdout once it holds a line matching `pattern`. */
function waitFor(process: ChildProcess, pattern: RegExp): Promise<RegExpExecArray> {
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    process.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    process.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const found = pattern.exec(out);
      if (found !== null) resolve(found);
    });
    process.once('close', (code) => reject(new Error(`dynamorm studio exited with ${code}: ${out}${err}`)));
  });
}

test('dynamorm studio serves the config\'s models on 127.0.0.1 with a token', async () => {
  const dir = scratchDir('studio');
  const table = uniqueTable('studio_cli_notes');
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/models.ts'), [
    "import { model, t } from 'dynamorm';",
    `export const Note = model('Note', { table: '${table}', attributes: { id: t.string().pk(), body: t.string() } });`,
  ].join('\n'));
  writeFileSync(join(dir, 'dynamorm.config.ts'), [
    "import { defineConfig } from 'dynamorm-cli';",
    "import * as models from './src/models.js';",
    `export default defineConfig({ models, orm: { endpoint: '${endpoint()}', region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, autoMigrate: true } });`,
  ].join('\n'));
  child = startCli(['studio', '--no-open', '--read-only'], dir);
  const [, url, origin, token] = await waitFor(child, /DynamORM Studio \(read-only\) is running at ((http:\/\/127\.0\.0\.1:\d+)\/#token=([A-Za-z0-9_-]+))\n/);
  expect(url).toBe(`${origin}/#token=${token}`);

  const page = await fetch(`${origin}/`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<title>DynamORM Studio</title>');

  const refused = await fetch(`${origin}/api/session`);
  expect(refused.status).toBe(401);

  const session = await fetch(`${origin}/api/session`, { headers: { authorization: `Bearer ${token}` } });
  expect(session.status).toBe(200);
  expect(await session.json()).toMatchObject({ readOnly: true, migrations: false, models: [{ name: 'Note', table }] });

  const query = await fetch(`${origin}/api/models/Note/query`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
  expect(query.status).toBe(200);
  expect(await query.json()).toMatchObject({ items: [], cursor: null, plan: { operation: 'Scan' } });
});

test('dynamorm studio --port refuses a bad port (exit code 2)', async () => {
  const dir = scratchDir('studio-port');
  writeFileSync(join(dir, 'dynamorm.config.ts'), "export default { models: [] };\n");
  const result = await runCli(['studio', '--no-open', '--port', 'eighty'], dir);
  expect(result.code).toBe(2);
  expect(result.stderr).toContain('error: --port must be a port number (1-65535), received "eighty".\n');
});
