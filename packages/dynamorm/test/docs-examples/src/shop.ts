// src/shop.ts
import { model, t, TransactionCanceledError, type DynamORM, type InferItem } from 'dynamorm';

// One table, several models: keys composed from attributes, an overloaded GSI1.
export const Customer = model('Customer', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'PROFILE' },
  indexes: { GSI1: { pk: 'EMAIL#{email}', sk: 'CUSTOMER' } },
  attributes: { customerId: t.string(), email: t.string(), name: t.string() },
});
export const Order = model('Order', {
  table: 'shop',
  keys: { pk: 'CUSTOMER#{customerId}', sk: 'ORDER#{orderId}' },
  indexes: { GSI1: { pk: 'STATUS#{status}', sk: 'PLACED#{placedAt}' } },
  attributes: {
    customerId: t.string(), orderId: t.string(), placedAt: t.date(), total: t.number(),
    status: t.enum(['open', 'shipped']),
  },
});
export const Product = model('Product', {
  table: 'shop',
  keys: { pk: 'PRODUCT#{productId}', sk: 'PRODUCT' },
  attributes: { productId: t.string(), price: t.number(), stock: t.number() },
});
export type Order = InferItem<typeof Order>;

export class ShopService {
  constructor(private readonly orm: DynamORM) {}

  /** A customer's profile and orders: one Query of the customer's partition. */
  async account(customerId: string) {
    const items = await this.orm.collection([Customer, Order]).where('customerId', '=', customerId).all();
    const orders = items.flatMap((i) => (i.entity === 'Order' ? [i.item] : []));
    return { customer: items.find((i) => i.entity === 'Customer')?.item, orders };
  }

  openOrders(): Promise<Order[]> {
    return this.orm.model(Order).where('status', '=', 'open').all();
  }

  /** Places an order and takes one item from the stock, or nothing: 'sold out' when the stock is empty. */
  async buy(order: Order, productId: string, stockLeft: number): Promise<'placed' | 'sold out'> {
    try {
      await this.orm.transaction((tx) => {
        tx.create(Order, order);
        tx.model(Product).key({ productId }).if((c) => c.gt('stock', 0)).update({ stock: stockLeft });
      });
      return 'placed';
    } catch (error) {
      // Action 1 is the stock update: its condition failed.
      if (error instanceof TransactionCanceledError && error.reasons[1]?.code === 'ConditionalCheckFailed') return 'sold out';
      throw error;
    }
  }
}
