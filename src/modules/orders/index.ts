import type { SQL } from 'drizzle-orm';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import type { Job } from '../../platform/scheduler.js';
import type { MerchantsModule } from '../merchants/index.js';
import type { PaymentsService } from '../payments/index.js';
import { createOrderLifecycle, type StockPort } from './lifecycle.js';
import { merchantOrderRoutes } from './merchant-routes.js';
import { orderPlacement, quoteCheckout } from './place.js';
import { createOrderQueries } from './queries.js';
import * as repo from './repo.js';
import { buyerOrderRoutes } from './routes.js';
import { createStoreRulesService } from './store-rules.js';

export type { StoreRules, UnmetCondition } from './store-rules.js';
export type { OrderDetail, OrderSummary } from './queries.js';
export type { ItemProblem, Quote, StoreQuote } from './place.js';
export type { OrderRow, OrderGroupRow } from './repo.js';
export { defaultStoreRules, evaluateStoreRules, shippingFeeFor } from './store-rules.js';
export { orderMachine, orderStates, buyerTabs } from './states.js';
export * as fulfillmentPort from './fulfillment-port.js';
export { itemsOfOrder, lockOrder, takeBackSold } from './aftersales-port.js';
export { orderSummarySchema, orderDetailSchema, storeRulesSchema, unmetConditionSchema, orderItemSchema, addressSnapshotSchema } from './contract.js';

export type OrdersDeps = {
  db: Db;
  clock: Clock;
  merchants: Pick<MerchantsModule, 'access'>;
  /** Store names for order lists (may be cached briefly). */
  storeNames: (ids: readonly string[]) => Promise<Map<string, string>>;
  stock: StockPort;
  payments: Pick<PaymentsService, 'pendingOfGroup' | 'close' | 'refundOrder' | 'flush' | 'refundsOfOrders'>;
};

/** Orders: store order conditions, orders (one per store, in groups) and their lifecycle. */
export function createOrdersModule(deps: OrdersDeps) {
  const { db } = deps;
  const rules = createStoreRulesService(deps);
  const { storeNames } = deps;
  const lifecycle = createOrderLifecycle(deps);
  const queries = createOrderQueries({ db, storeNames, refunds: (ids) => deps.payments.refundsOfOrders(ids) });
  const jobs: Job[] = [
    { name: 'orders.close-unpaid', everyMs: 5_000, sweep: (_db, now) => lifecycle.sweepUnpaid(now) },
    { name: 'orders.miss-accept-deadline', everyMs: 60_000, sweep: (_db, now) => lifecycle.sweepMissedAcceptances(now) },
  ];
  return {
    rules,
    lifecycle,
    queries,
    storeNames,
    quote: quoteCheckout,
    placement: orderPlacement,
    /** For the checkout and settlement flows: the order group, its lock and its orders. */
    groups: {
      findByKey: (buyerId: string, key: string) => repo.findGroupByKey(db, buyerId, key),
      lock: (tx: Executor, id: string | SQL) => repo.lockGroup(tx, id),
      lockWithOrders: (tx: Executor, id: string | SQL) => repo.lockGroupWithOrders(tx, id),
      withOrders: (id: string) => repo.groupWithOrders(db, id),
      orders: (exec: Executor, id: string) => repo.ordersOfGroup(exec, id),
      async firstItemTitle(exec: Executor, orderId: string) {
        return (await repo.itemsOf(exec, [orderId]))[0]?.title;
      },
    },
    /** 销量 per product: units sold (paid, not cancelled). */
    unitsSold: (productIds: readonly string[]) => repo.unitsSold(db, productIds),
    routes: buyerOrderRoutes({ lifecycle, queries }),
    merchantRoutes: merchantOrderRoutes({ access: deps.merchants.access, rules, lifecycle, queries }),
    jobs,
  };
}

export type OrdersModule = ReturnType<typeof createOrdersModule>;
