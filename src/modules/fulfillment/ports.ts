/** What fulfillment needs from outside its folder, bound in index.ts. */
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import type { fulfillmentPort } from '../orders/index.js';
import type { FulfillmentSettings } from '../../platform/config.js';

export type OrdersPort = typeof fulfillmentPort;
export type OrderRow = Awaited<ReturnType<OrdersPort['findOrder']>> & {};

export type Core = {
  db: Db;
  clock: Clock;
  settings: FulfillmentSettings;
  orders: OrdersPort;
  /** This platform's own base URL (PUBLIC_URL, else the listening address); undefined before it listens. */
  baseUrl: () => string | undefined;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
};

export const related = (order: Pick<OrderRow, 'id' | 'merchantId' | 'buyerId'>) => [
  { type: 'order', id: order.id, qualifier: 'order' },
  { type: 'merchant', id: order.merchantId, qualifier: 'store' },
  { type: 'user', id: order.buyerId, qualifier: 'buyer' },
];
