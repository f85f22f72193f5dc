// The studio in a real browser (Debian's chromium through playwright-core) on DynamoDB Local:
// browsing pages, a query's plan, an edit refused by the model then saved, a delete, read-only
// mode and a page opened without the token.
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { DynamORM } from 'dynamorm';
import { startStudio, type Studio } from 'dynamorm-studio';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { rawClient } from '../../dynamorm/test/support/dynamo.js';
import { launchChromium } from './support/browser.js';
import { BASE_TIME, noteModel, seededOrm } from './support/notes.js';

const Note = noteModel();
const raw = rawClient();
let orm: DynamORM;
let studio: Studio;
let readOnly: Studio;
let browser: Browser;

const at = (i: number): string => new Date(BASE_TIME + i * 60_000).toISOString();
const stored = (i: number) => raw.send(new GetItemCommand({ TableName: Note.table, Key: { board: { S: 'b1' }, createdAt: { S: at(i) } }, ConsistentRead: true }));

beforeAll(async () => {
  orm = await seededOrm(Note);
  [studio, readOnly, browser] = await Promise.all([startStudio({ orm, models: [Note] }), startStudio({ orm, models: [Note], readOnly: true }), launchChromium()]);
});
afterAll(async () => {
  await browser?.close();
  await studio?.close();
  await readOnly?.close();
  await orm?.dropTables(Note);
});

/** A new tab on the studio's URL (which carries the token), then at `view`. */
async function open(view: string, on: Studio = studio): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(on.url);
  await page.getByRole('heading', { name: 'Tables' }).waitFor();
  await page.evaluate((hash) => { location.hash = hash; }, view);
  return page;
}

const rowTitles = (page: Page): Promise<string[]> => page.locator('table.items tbody tr td:nth-child(3)').allTextContents();

test('the token leaves the address bar; tables show the live table and its models', async () => {
  const page = await open('#/tables');
  expect(page.url()).not.toContain('token');
  const card = page.locator(`[data-table="${Note.table}"]`);
  await expect.poll(() => card.textContent()).toContain('gsi-status');
  expect(await card.textContent()).toContain('Note');
  await page.close();
});

test('items page by page: the next page shows other items, previous the first again', async () => {
  const page = await open('#/model/Note');
  await page.locator('table.items tbody tr').first().waitFor();
  const first = await rowTitles(page);
  expect(first).toHaveLength(10);
  await page.getByRole('button', { name: 'Next →' }).click();
  await expect.poll(() => page.getByTestId('page-number').textContent()).toBe('Page 2');
  await expect.poll(() => rowTitles(page)).not.toEqual(first);
  const second = await rowTitles(page);
  expect(second.filter((t) => first.includes(t))).toEqual([]);
  await page.getByRole('button', { name: '← Previous' }).click();
  await expect.poll(() => rowTitles(page)).toEqual(first);
  // A partition: newest first.
  await page.locator('input[name="partition"]').fill('b1');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect.poll(async () => (await rowTitles(page))[0]).toBe('Note 24');
  await page.close();
});

test('a query shows the planner\'s operation and index, and its cost', async () => {
  const page = await open('#/model/Note/query');
  await page.locator('select[name="attribute"]').selectOption('status');
  await page.locator('input[name="value"]').fill('done');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect.poll(() => page.getByTestId('plan-operation').textContent()).toBe('Query');
  expect(await page.getByTestId('plan-index').textContent()).toBe('gsi-status');
  expect(await page.getByTestId('items-returned').textContent()).toBe('9');
  expect(await page.locator('ul.reasons').textContent()).toContain('gsi-status');
  await page.close();
});

test('an edit the model refuses shows the issue next to the field; fixed, it is saved in DynamoDB', async () => {
  const page = await open(`#/model/Note/item/${encodeURIComponent(JSON.stringify({ board: 'b1', createdAt: at(5) }))}`);
  const priority = page.locator('input[name="priority"]');
  await priority.waitFor();
  expect(await priority.inputValue()).toBe('5');
  await priority.fill('abc');
  await page.getByRole('button', { name: 'Save' }).click();
  const error = page.locator('[data-error-for="priority"]');
  await expect.poll(() => error.textContent()).toMatch(/priority.*number/i);
  expect(await page.locator('[data-error-for="title"]').textContent()).toBe('');
  expect((await stored(5)).Item?.priority).toEqual({ N: '5' });
  await priority.fill('42');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('status').textContent()).toBe('Saved (version 2).');
  expect(await error.textContent()).toBe('');
  expect((await stored(5)).Item).toMatchObject({ priority: { N: '42' }, version: { N: '2' } });
  await page.close();
});

test('a stale edit shows the optimistic lock message', async () => {
  const page = await open(`#/model/Note/item/${encodeURIComponent(JSON.stringify({ board: 'b1', createdAt: at(6) }))}`);
  await page.locator('input[name="title"]').waitFor();
  await orm.model(Note).key({ board: 'b1', createdAt: new Date(at(6)) }).update({ title: 'changed elsewhere' });
  await page.locator('input[name="title"]').fill('mine');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/version/);
  expect((await stored(6)).Item?.title).toEqual({ S: 'changed elsewhere' });
  await page.close();
});

test('delete asks first, then the item is gone from DynamoDB', async () => {
  const page = await open(`#/model/Note/item/${encodeURIComponent(JSON.stringify({ board: 'b1', createdAt: at(7) }))}`);
  await page.getByRole('button', { name: 'Delete…' }).click();
  expect((await stored(7)).Item).toBeDefined();
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await page.waitForFunction(() => location.hash === '#/model/Note');
  expect((await stored(7)).Item).toBeUndefined();
  await page.close();
});

test('read-only: no write buttons, and a write sent anyway is refused', async () => {
  const page = await open('#/model/Note', readOnly);
  await page.locator('table.items tbody tr').first().waitFor();
  expect(await page.getByText('read-only').count()).toBe(1);
  expect(await page.getByRole('button', { name: /New Note|Delete/ }).count()).toBe(0);
  await page.locator('table.items tbody tr').first().click();
  await page.locator('input[name="title"]').waitFor();
  expect(await page.locator('input[name="title"]').isDisabled()).toBe(true);
  expect(await page.getByRole('button', { name: 'Save' }).count()).toBe(0);
  const answer = await page.evaluate(async (token) => {
    const r = await fetch('/api/models/Note/delete', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ key: { board: 'b1', createdAt: '2024-05-01T12:00:00.000Z' } }) });
    return { status: r.status, body: (await r.json()) as { error: { message: string } } };
  }, readOnly.token);
  expect(answer.status).toBe(403);
  expect(answer.body.error.message).toContain('read-only');
  expect((await stored(0)).Item).toBeDefined();
  await page.close();
});

test('a page opened without the token is refused', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${studio.origin}/`);
  await expect.poll(() => page.getByRole('alert').textContent()).toContain('no session token');
  await context.close();
});
