// src/users.ts
import { ConditionFailedError, model, t, type DynamORM, type InferItem } from 'dynamorm';

export const User = model('User', {
  table: 'users',
  attributes: {
    id: t.string().pk(),
    email: t.string().index('by-email'),
    name: t.string(),
    plan: t.enum(['free', 'pro']).default('free'),
  },
});
export type User = InferItem<typeof User>;

export const Invoice = model('Invoice', {
  table: 'invoices',
  attributes: {
    userId: t.string().pk(),
    number: t.number().sk(),
    amount: t.number(),
    paid: t.boolean().default(false),
  },
});
export type Invoice = InferItem<typeof Invoice>;

/** The code under test: it is given the ORM, so tests give it a mock or an isolated one. */
export class UserService {
  constructor(private readonly orm: DynamORM) {}

  async findByEmail(email: string): Promise<User | undefined> {
    const [user] = await this.orm.model(User).where('email', '=', email).all();
    return user;
  }

  /** Signs a user up; 'taken' when the id exists. */
  async signUp(id: string, email: string, name: string): Promise<User | 'taken'> {
    try {
      return await this.orm.model(User).create({ id, email, name });
    } catch (error) {
      if (error instanceof ConditionFailedError) return 'taken';
      throw error;
    }
  }

  upgrade(id: string): Promise<User> {
    return this.orm.model(User).key({ id }).update({ plan: 'pro' });
  }

  /** The total of a user's unpaid invoices. */
  async balance(userId: string): Promise<number> {
    const unpaid = await this.orm.model(Invoice).where('userId', '=', userId).where('paid', '=', false).all();
    return unpaid.reduce((sum, invoice) => sum + invoice.amount, 0);
  }
}
