// `dynamorm graphql` reads the project's dynamorm.config.ts (models from a module, loaded with
// jiti) and prints the SDL of toGraphQLSchema; without a config it says where it looked.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, scratchDir } from './support/run-cli.js';

describe('dynamorm graphql', () => {
  test('writes the SDL of the config\'s models to --out', async () => {
    const dir = scratchDir('graphql');
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src/models.ts'), [
      "import { model, t } from 'dynamorm';",
      "export const Note = model('Note', { attributes: { id: t.string().pk(), body: t.string(), kind: t.enum(['todo', 'idea']), at: t.date() } });",
      'export const notAModel = 42;',
    ].join('\n'));
    writeFileSync(join(dir, 'dynamorm.config.ts'), [
      "import { defineConfig } from 'dynamorm-cli';",
      "import * as models from './src/models.js';",
      "export default defineConfig({ models, orm: { region: 'eu-west-1' } });",
    ].join('\n'));
    const result = await runCli(['graphql', '--out', 'schema.graphql'], dir);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('Wrote schema.graphql: the GraphQL schema of Note.\n');
    const sdl = readFileSync(join(dir, 'schema.graphql'), 'utf8');
    expect(sdl).toContain('type Note {\n  id: String!\n  body: String!\n  kind: NoteKind!\n  at: DateTime!\n}');
    expect(sdl).toContain('note(id: String!): Note');
    expect(sdl).toContain('createNote(input: NoteCreateInput!): Note!');
  });

  test('without a config: where it looked, exit code 3', async () => {
    const dir = scratchDir('graphql-no-config');
    const result = await runCli(['graphql'], dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toBe(`error: dynamorm graphql needs a config: none of dynamorm.config.ts, dynamorm.config.mts, dynamorm.config.js, dynamorm.config.mjs is in ${dir} (or name one with --config <file>).\n`);
  });
});
