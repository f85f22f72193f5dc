// Page cursors an API can hand to its clients: signed with HMAC-SHA256 under `cursors.secret`,
// encrypted with AES-256-GCM on request; altered, foreign and unsigned cursors are refused.
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamORM, ValidationError, model, t, type CursorOptions } from 'dynamorm';
import { endpoint } from './support/dynamo.js';
import { rejection, thrown, uniquePrefix } from './support/inspect.js';

const Post = model('Post', {
  table: 'posts',
  attributes: { author: t.string().pk(), slug: t.string().sk(), title: t.string() },
});

const prefix = uniquePrefix('cursors');
const SECRET = 'a secret of at least thirty-two characters';
const OTHER = 'another secret, also thirty-two characters long';
const orm = (cursors?: CursorOptions): DynamORM =>
  new DynamORM({ endpoint: endpoint(), tablePrefix: prefix, ...(cursors === undefined ? {} : { cursors }) });

const plain = orm();
const signed = orm({ secret: SECRET });
const sealed = orm({ secret: SECRET, encrypt: true });
const slug = (i: number): string => `post-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  await plain.createTables(Post);
  await plain.model(Post).batchPut(Array.from({ length: 20 }, (_, i) => ({ author: 'ann', slug: slug(i), title: `Title ${i}` })));
});

const posts = (db: DynamORM) => db.model(Post).where('author', '=', 'ann').limit(5);

/** Every page, following the cursors. */
async function slugs(db: DynamORM): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await posts(db).page(cursor);
    out.push(...page.items.map((p) => p.slug));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return out;
}

/** The message of the error `page(cursor)` rejects with, which must be a ValidationError. */
async function refusal(db: DynamORM, cursor: string): Promise<string> {
  const error = await rejection(posts(db).page(cursor));
  expect(error).toBeInstanceOf(ValidationError);
  return (error as ValidationError).message;
}

/** The cursor with one character of its body changed. */
const tamper = (cursor: string, at: number): string => cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);

describe('signed cursors', () => {
  it('chain pages like plain ones', async () => {
    const all = Array.from({ length: 20 }, (_, i) => slug(i));
    expect(await slugs(plain)).toEqual(all);
    expect(await slugs(signed)).toEqual(all);
    expect(await slugs(sealed)).toEqual(all);
  });

  it('an altered cursor, one signed with another secret, and an unsigned one are refused', async () => {
    const { cursor } = await posts(signed).page();
    expect(cursor).toMatch(/^s\./);
    expect(await refusal(signed, tamper(cursor!, 4))).toBe('page Post: invalid cursor (it was altered or signed with another secret); pass the cursor a previous page() of the same query returned');
    expect(await refusal(signed, tamper(cursor!, cursor!.length - 2))).toContain('altered or signed with another secret');
    expect(await refusal(orm({ secret: OTHER }), cursor!)).toContain('altered or signed with another secret');
    const unsigned = (await posts(plain).page()).cursor!;
    expect(await refusal(signed, unsigned)).toContain('it is not signed, and this ORM only accepts cursors signed with its cursors.secret');
    expect(await refusal(plain, cursor!)).toContain('it was signed with a secret, and this ORM has no cursors.secret');
    // Signed, but of another query.
    const other = await rejection(signed.model(Post).where('author', '=', 'bob').limit(5).page(cursor));
    expect((other as ValidationError).message).toContain('it belongs to another query');
  });

  it('encrypted cursors hide the key values and refuse tampering', async () => {
    const { cursor } = await posts(sealed).page();
    expect(cursor).toMatch(/^e\./);
    const bytes = Buffer.from(cursor!.slice(2), 'base64url').toString('latin1');
    expect(bytes).not.toContain('post-04');
    expect(bytes).not.toContain('ann');
    // A signed cursor shows them (readable, but not forgeable).
    expect(Buffer.from((await posts(signed).page()).cursor!.split('.')[1]!, 'base64url').toString()).toContain('post-04');
    expect(await refusal(sealed, tamper(cursor!, 10))).toContain('altered or signed with another secret');
    expect(await refusal(orm({ secret: OTHER, encrypt: true }), cursor!)).toContain('altered or signed with another secret');
    expect(await refusal(sealed, (await posts(plain).page()).cursor!)).toContain('it is not signed');
    // Each encryption is fresh: the same page gives another cursor, which resumes at the same place.
    const again = (await posts(sealed).page()).cursor!;
    expect(again).not.toBe(cursor);
    expect((await posts(sealed).page(again)).items.map((p) => p.slug)).toEqual((await posts(sealed).page(cursor)).items.map((p) => p.slug));
  });

  it('a list of secrets rotates: the first signs, every one is accepted', async () => {
    const old = (await posts(signed).page()).cursor!;
    const rotated = orm({ secret: [OTHER, SECRET] });
    expect((await posts(rotated).page(old)).items.map((p) => p.slug)).toEqual([slug(5), slug(6), slug(7), slug(8), slug(9)]);
    const fresh = (await posts(rotated).page()).cursor!;
    expect(await refusal(signed, fresh)).toContain('altered or signed with another secret');
    expect((await posts(orm({ secret: OTHER })).page(fresh)).items).toHaveLength(5);
  });

  it('a short or missing secret is a ValidationError when the ORM is made', () => {
    const error = thrown(() => orm({ secret: 'short' }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe("DynamORM config: cursors.secret must be a string of at least 32 characters (or a list of them), received 5 characters; generate one with crypto.randomBytes(32).toString('base64')");
    expect(thrown(() => orm({ secret: [] }))).toBeInstanceOf(ValidationError);
  });
});
