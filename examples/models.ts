// The examples' models: the README's User, shared by the demo and the examples' dynamorm.config.ts
// (so that `npx dynamorm studio` in examples/ shows them).
import { model, t, type InferItem } from 'dynamorm';

export const User = model('User', {
  table: 'users',
  attributes: {
    id:          t.string().pk(),
    createdAt:   t.date().sk(),
    email:       t.string().index('gsi-email'),
    name:        t.string().index('gsi-name-age', 'pk'),
    age:         t.number().index('gsi-name-age', 'sk'),
    tags:        t.stringSet().optional(),
    preferences: t.map(t.unknown()).optional(),
    updatedAt:   t.date().updatedAt(),
    version:     t.number().version(),
    ttl:         t.ttl().optional(),
  },
});
export type User = InferItem<typeof User>;
