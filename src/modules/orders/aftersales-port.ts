/**
 * What the after-sales module may read and do of orders: an order locked in the caller's
 * transaction (the lock every change of an order takes first), its items, and units sold taken
 * back for returned goods.
 */
import type { Executor } from '../../platform/db.js';
import * as repo from './repo.js';

export { itemsOfOrder, lockOrder } from './fulfillment-port.js';

/** Returned goods: their units no longer count as sold (in the caller's transaction, SKUs in id order). */
export const takeBackSold = (tx: Executor, order: { merchantId: string }, lines: readonly { skuId: string; productId: string; quantity: number }[]) =>
  repo.countSold(tx, lines.map((l) => ({ skuId: l.skuId, productId: l.productId, merchantId: order.merchantId, quantity: -l.quantity })));
