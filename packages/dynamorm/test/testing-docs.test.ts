// docs/testing.md shows files of test/docs-examples/ verbatim (they run as tests of their own);
// this keeps the page and the files from drifting apart, the sample failure message included.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createMock, dynamoGlobalSetup } from 'dynamorm/testing';
import setup from './docs-examples/test/dynamo-setup.js';
import { User, UserService } from './docs-examples/src/users.js';

const root = new URL('../../../', import.meta.url);
const doc = readFileSync(new URL('docs/testing.md', root), 'utf8');
const blocks = [...doc.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1]!, body: m[2]! }));

describe('docs/testing.md', () => {
  for (const file of ['src/users.ts', 'test/users.test.ts', 'src/shop.ts', 'test/shop.test.ts', 'test/dynamo-setup.ts', 'test/users.integration.test.ts']) {
    test(`shows ${file} exactly as the repository runs it`, () => {
      const source = readFileSync(new URL(`packages/dynamorm/test/docs-examples/${file}`, root), 'utf8');
      const shown = blocks.find((b) => b.body.startsWith(`// ${file}\n`));
      expect(shown?.body).toBe(source);
    });
  }

  test('the global setup file exports dynamoGlobalSetup', () => {
    expect(setup).toBe(dynamoGlobalSetup);
  });

  test('the sample failure message is the one the mock gives', async () => {
    const sample = blocks.find((b) => b.lang === 'text' && b.body.startsWith('DynamORM mock: unexpected'))!.body.trim();
    const mock = createMock();
    mock.expectQuery(User).withCondition('email', '=', 'ann@example.com');
    const error = await new UserService(mock.orm).findByEmail('bob@example.com').catch((e: Error) => e);
    expect((error as Error).message.replace(/declared at [^)]*/, 'declared at …')).toBe(sample.replace(/declared at [^)]*/, 'declared at …'));
  });
});
