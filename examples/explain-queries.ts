// Prints what explain() shows for each query example of docs/queries.md (no request is sent).
import { DynamORM, model, t } from '../packages/dynamorm/src/index.js';
import { User } from '../packages/dynamorm/test/fixtures/user-model.js';

const orm = new DynamORM({ region: 'us-east-1', logger: { warn: () => {} } });
const userId = 'u1';
const id = 'u1';
const e = 'a@b.c';

const Doc = model('Doc', {
  table: 'docs',
  attributes: {
    id: t.string().pk(),
    at: t.date().sk(),
    score: t.number().localIndex('lsi-score'),
    city: t.string().index('gsi-city'),
    address: t.object({ city: t.string(), zip: t.string().field('postcode') }),
  },
  indexes: { 'gsi-city': { projection: 'KEYS_ONLY' } },
});
const Customer = model('Customer', { table: 'app', keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' }, attributes: { customerId: t.string(), name: t.string() } });
const Order = model('Order', { table: 'app', keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{placedAt}#{orderId}' }, attributes: { customerId: t.string(), orderId: t.string(), placedAt: t.date(), total: t.number() } });

const examples: Record<string, () => unknown> = {
  first: () => orm.model(User).where('id', '=', userId).explain(),
  get: () => orm.model(User).where('id', '=', id).where('createdAt', '=', new Date('2024-01-01')).explain(),
  byMail: () => orm.model(User).index('gsi-email').where('email', '=', 'a@b.c').explain(),
  young: () => orm.model(User).where('name', '=', 'John').where('age', '>', 18).orderBy('age', 'desc').limit(10).explain(),
  active: () => orm.model(User).filter('contains(tags, :tag)', { tag: 'active' }).explain(),
  page: () => orm.model(User).where('id', '=', id).limit(20).explain(),
  iterate: () => orm.model(User).where('id', '=', id).explain(),
  count: () => orm.model(User).where('email', '=', e).explain(),
  plan: () => orm.model(User).where('name', '=', 'John').explain(),
  seedBuilder: () => { try { return orm.model(User).where('age', '>', 18).where('name', 'begins_with', 'John').orderBy('createdAt', 'desc').limit(10).explain(); } catch (error) { return `${(error as Error).name}: ${(error as Error).message}`; } },
  seedBuilderFixed: () => orm.model(User).where('id', '=', id).where('age', '>', 18).where('name', 'begins_with', 'John').orderBy('createdAt', 'desc').limit(10).explain(),
  seedScanNoWarn: () => orm.model(User).where('age', '>', 18).where('name', 'begins_with', 'John').explain(),
  range: () => orm.model(User).where('name', '=', 'John').where('age', '>', 18).where('age', '<', 65).explain(),
  nested: () => orm.model(User).where('id', '=', id).where('preferences.theme', '=', 'dark').explain(),
  rawGrammar: () => orm.model(Doc).filter('(address.city = :c OR begins_with(address.zip, :z)) AND NOT attribute_exists(score)', { c: 'Paris', z: '75' }).explain(),
  keysOnly: () => orm.model(Doc).where('city', '=', 'Paris').explain(),
  keysOnlySelect: () => orm.model(Doc).where('city', '=', 'Paris').select('id', 'at', 'city').explain(),
  lsi: () => orm.model(Doc).where('id', '=', 'd1').where('score', '>=', 5).explain(),
  stGet: () => orm.model(Customer).where('customerId', '=', 'c1').explain(),
  stQuery: () => orm.model(Order).where('customerId', '=', 'c1').explain(),
  stOrder: () => orm.model(Order).where('customerId', '=', 'c1').orderBy('placedAt', 'desc').limit(5).explain(),
  collection: () => orm.collection([Customer, Order]).where('customerId', '=', 'c1').explain(),
};
for (const [name, run] of Object.entries(examples)) console.log(`### ${name}\n${JSON.stringify(run(), null, 2)}\n`);
