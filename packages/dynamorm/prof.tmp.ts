import { DynamORM, model, t } from './src/index.js';
const User = model('User', { table: 'users', attributes: {
  id: t.string().pk(), createdAt: t.date().sk().index('gsi-email', 'sk'), email: t.string().index('gsi-email'), name: t.string(), age: t.number(),
  tags: t.stringSet(), preferences: t.object({ theme: t.string(), locale: t.string(), notifications: t.object({ email: t.boolean(), sms: t.boolean() }) }),
  updatedAt: t.date().updatedAt(), version: t.number(), ttl: t.ttl().optional() } });
const orm = new DynamORM({ region: 'x', logger: { warn() {} } });
const users = orm.model(User);
const byEmail = users.index('gsi-email');
let sink: unknown;
const N = Number(process.argv[2] ?? 100000);
const s = performance.now();
for (let i = 0; i < N; i++) sink = byEmail.where('email', '=', 'a' + (i % 100)).where('createdAt', 'begins_with', '2024-05').filter('age', '>', 18).explain().request;
console.log('query build', Math.round(N / (performance.now() - s) * 1000), '/s');
const key = { id: 'x', createdAt: new Date() };
const s2 = performance.now();
for (let i = 0; i < N; i++) sink = users.compiled.update(key, (b) => b.set('name', 'Jane').add('age', 1).remove('ttl'));
console.log('update build', Math.round(N / (performance.now() - s2) * 1000), '/s');
